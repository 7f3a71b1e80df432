/* Reading the `go` line of a go.mod, as a stream: no line is ever held
 * whole, so a line of any length costs no memory and cannot be mistaken
 * for another. */
#ifndef GOLEAK_GOMOD_H
#define GOLEAK_GOMOD_H

#include <stddef.h>
#include <stdint.h>

/* The longest version kept; a longer one is not a Go version. */
#define GOMOD_VERSION_MAX 63

typedef struct gomod_scan {
    /* where the scan is in the current line */
    enum {
        GS_START, /* blanks before the first word */
        GS_WORD,  /* in the first word */
        GS_GAP,   /* blanks after "go" */
        GS_VALUE, /* in the go line's value */
        GS_REST   /* the rest of the line */
    } state;
    char word[4]; /* the first word's first bytes ("go" is all that matters) */
    uint32_t word_len;
    int block;      /* inside a "require (" ... ")" block */
    int last_open;  /* the line's last significant byte so far is '(' */
    int slash;      /* the previous byte is a '/' (a comment may start) */
    int in_comment; /* after "//" */
    uint64_t line;  /* from 1 */
    uint64_t column;
    /* the result: the first go line's value, its line and column */
    char value[GOMOD_VERSION_MAX + 2];
    uint32_t value_len;
    int value_too_long;
    uint64_t value_line, value_column;
    int found, done;
} gomod_scan;

void gomod_scan_init(gomod_scan *s);

/* Feeds the next n bytes of the file (any split works). */
void gomod_scan_feed(gomod_scan *s, const char *data, size_t n);

/* Ends the scan: 1 and s->value (NUL-terminated) when a go line was found,
 * 0 when there is none. */
int gomod_scan_end(gomod_scan *s);

/* Whether a go line's value is a Go version ("1.21", "1.21.3", "1.21rc1"). */
int gomod_valid_version(const char *v);

#endif
