/* floors.c: the two floors every other row is read against.
 *
 *  - "sum bytes": add up every byte; the cost of touching the corpus once.
 *  - "switch loop": one byte at a time through a switch that classifies it
 *    the way a lexer's first step does; a lexer that must look at every
 *    byte cannot go much faster than this.
 *
 * Usage: floors FILE_LIST PASSES [WARMUP] */
#include "corpus.h"

#include <stdio.h>

static uint64_t sum_bytes(const struct corpus *c, void *ctx) {
    (void)ctx;
    uint64_t sum = 0;
    for (size_t f = 0; f < c->nfiles; f++) {
        const unsigned char *p = (const unsigned char *)c->data[f];
        for (size_t i = 0; i < c->size[f]; i++) sum += p[i];
    }
    return sum;
}

enum cls { C_LETTER, C_DIGIT, C_SPACE, C_NEWLINE, C_QUOTE, C_OPERATOR, C_OTHER, C_COUNT };

/* Case labels spelled out: C11 has no case ranges. */
#define LOWER                                                                                      \
    case 'a':                                                                                      \
    case 'b':                                                                                      \
    case 'c':                                                                                      \
    case 'd':                                                                                      \
    case 'e':                                                                                      \
    case 'f':                                                                                      \
    case 'g':                                                                                      \
    case 'h':                                                                                      \
    case 'i':                                                                                      \
    case 'j':                                                                                      \
    case 'k':                                                                                      \
    case 'l':                                                                                      \
    case 'm':                                                                                      \
    case 'n':                                                                                      \
    case 'o':                                                                                      \
    case 'p':                                                                                      \
    case 'q':                                                                                      \
    case 'r':                                                                                      \
    case 's':                                                                                      \
    case 't':                                                                                      \
    case 'u':                                                                                      \
    case 'v':                                                                                      \
    case 'w':                                                                                      \
    case 'x':                                                                                      \
    case 'y':                                                                                      \
    case 'z'
#define UPPER                                                                                      \
    case 'A':                                                                                      \
    case 'B':                                                                                      \
    case 'C':                                                                                      \
    case 'D':                                                                                      \
    case 'E':                                                                                      \
    case 'F':                                                                                      \
    case 'G':                                                                                      \
    case 'H':                                                                                      \
    case 'I':                                                                                      \
    case 'J':                                                                                      \
    case 'K':                                                                                      \
    case 'L':                                                                                      \
    case 'M':                                                                                      \
    case 'N':                                                                                      \
    case 'O':                                                                                      \
    case 'P':                                                                                      \
    case 'Q':                                                                                      \
    case 'R':                                                                                      \
    case 'S':                                                                                      \
    case 'T':                                                                                      \
    case 'U':                                                                                      \
    case 'V':                                                                                      \
    case 'W':                                                                                      \
    case 'X':                                                                                      \
    case 'Y':                                                                                      \
    case 'Z'
#define DIGITS                                                                                     \
    case '0':                                                                                      \
    case '1':                                                                                      \
    case '2':                                                                                      \
    case '3':                                                                                      \
    case '4':                                                                                      \
    case '5':                                                                                      \
    case '6':                                                                                      \
    case '7':                                                                                      \
    case '8':                                                                                      \
    case '9'
#define OPERATORS                                                                                  \
    case '+':                                                                                      \
    case '-':                                                                                      \
    case '*':                                                                                      \
    case '/':                                                                                      \
    case '%':                                                                                      \
    case '&':                                                                                      \
    case '|':                                                                                      \
    case '^':                                                                                      \
    case '<':                                                                                      \
    case '>':                                                                                      \
    case '=':                                                                                      \
    case '!':                                                                                      \
    case '(':                                                                                      \
    case ')':                                                                                      \
    case '[':                                                                                      \
    case ']':                                                                                      \
    case '{':                                                                                      \
    case '}':                                                                                      \
    case ',':                                                                                      \
    case ';':                                                                                      \
    case '.':                                                                                      \
    case ':':                                                                                      \
    case '~'

static uint64_t switch_loop(const struct corpus *c, void *ctx) {
    (void)ctx;
    /* One counter per class, all returned: the loop's work is observable. */
    uint64_t n[C_COUNT] = {0};
    for (size_t f = 0; f < c->nfiles; f++) {
        const unsigned char *p = (const unsigned char *)c->data[f];
        size_t len = c->size[f];
        for (size_t i = 0; i < len; i++) {
            switch (p[i]) {
            LOWER:
            UPPER:
            case '_':
                n[C_LETTER]++;
                break;
            DIGITS:
                n[C_DIGIT]++;
                break;
            case ' ':
            case '\t':
            case '\r': n[C_SPACE]++; break;
            case '\n': n[C_NEWLINE]++; break;
            case '"':
            case '\'':
            case '`':
                n[C_QUOTE]++;
                break;
            OPERATORS:
                n[C_OPERATOR]++;
                break;
            default: n[C_OTHER]++; break;
            }
        }
    }
    uint64_t check = 0;
    for (int k = 0; k < C_COUNT; k++) check = check * 31 + n[k];
    return check;
}

int main(int argc, char **argv) {
    struct bench_opts o;
    bench_args(argc, argv, &o);
    struct corpus c;
    corpus_load(&c, o.list);
    bench_row("sum bytes", &c, &o, sum_bytes, NULL);
    bench_row("switch loop", &c, &o, switch_loop, NULL);
    corpus_free(&c);
    return 0;
}
