/* Deeply nested Go sources: see deep_inputs.h. The repetitions stay just
 * within go/parser's nesting limit (tests/oracle/depth finds it exactly). */
#include "deep_inputs.h"

#include <stdlib.h>
#include <string.h>

#define LOCKED "package p\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\nfunc g() {\n\tmu.Lock()\n\t"
#define FUNC   "package p\n\nfunc g(b bool, c chan int) {\n\t"

const deep_shape deep_shapes[] = {
    /* long call chains under a lock: the release-on-every-path walk */
    {"defer_call_chain", LOCKED "defer f", "()", "", "", "\n}\n", 99900},
    {"assign_call_chain", LOCKED "x := f", "()", "", "", "\n\t_ = x\n}\n", 99900},
    {"method_chain", LOCKED "b.", "m().", "", "", "n()\n}\n", 49900},
    {"selector_chain", FUNC "x := a", ".b", "", "", "\n\t_ = x\n}\n", 99900},
    {"else_if_1500", FUNC "if b {\n\t}", " else if b {\n\t\tc <- 1\n\t}", "", "", "\n}\n", 1500},
    {"else_if_chain", FUNC "if b {\n\t}", " else if b {\n\t}", "", "", "\n}\n", 99900},
    {"nested_if", FUNC, "if b {\n", "c <- 1\n", "}\n", "}\n", 49900},
    {"nested_blocks", FUNC, "{", "", "}", "\n}\n", 99900},
    {"nested_for", FUNC, "for {", "c <- 1", "}", "\n}\n", 99900},
    {"nested_select", FUNC, "select { case <-c: ", "", "}", "\n}\n", 99900},
    {"nested_funclit", FUNC, "go func() { ", "c <- 1", " }()", "\n}\n", 49900},
    {"parens", "package p\n\nvar x = ", "(", "1", ")", "\n", 99900},
    {"binary_flat", "package p\n\nvar x = 1", "+1", "", "", "\n", 99900},
    {"nested_calls", "package p\n\nvar x = ", "f(", "1", ")", "\n", 49900},
    {"typed_literals", "package p\n\nvar x = ", "[]any{", "", "}", "\n", 49900},
    {"untyped_literals", "package p\n\nvar x = [][]int{", "{", "", "}", "}\n", 99900},
    {"pointer_types", "package p\n\nvar x ", "*", "int", "", "\n", 99900},
    {"struct_types", "package p\n\nvar x ", "struct { X ", "int", " }", "\n", 99900},
    {"receives", FUNC "<-", "<-", "c", "", "\n}\n", 99900},
    {NULL, NULL, NULL, NULL, NULL, NULL, 0},
};

char *deep_source(const deep_shape *s, size_t n, size_t *len) {
    size_t h = strlen(s->head), o = strlen(s->open), m = strlen(s->middle), c = strlen(s->close),
           t = strlen(s->tail);
    size_t total = h + n * (o + c) + m + t;
    char *src = malloc(total + 1), *p = src;
    if (!src) return NULL;
    memcpy(p, s->head, h), p += h;
    for (size_t k = 0; k < n; k++) memcpy(p, s->open, o), p += o;
    memcpy(p, s->middle, m), p += m;
    for (size_t k = 0; k < n; k++) memcpy(p, s->close, c), p += c;
    memcpy(p, s->tail, t), p += t;
    *p = 0;
    *len = total;
    return src;
}

const deep_shape *deep_shape_named(const char *name) {
    for (const deep_shape *s = deep_shapes; s->name; s++)
        if (strcmp(s->name, name) == 0) return s;
    return NULL;
}
