/* Fuzzer: the lexer alone. Checks that every token and comment lies inside
 * the source, in order, that the stream ends with one EOF token, and that
 * every position agrees with the line table. */
#include "fuzz.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    o.flags = GOLEAK_PARSE_TOKENS_ONLY;
    goleak_unit *u = NULL;
    if (goleak_unit_parse(&u, "fuzz.go", (const char *)data, size, &o, NULL) != 0) return 0;
    size_t n = goleak_unit_token_count(u);
    FUZZ_ASSERT(n >= 1 && goleak_unit_token_kind(u, n - 1) == GOLEAK_TOKEN_EOF);
    FUZZ_ASSERT(goleak_unit_root(u) == NULL);
    size_t prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        int kind = goleak_unit_token_kind(u, i);
        FUZZ_ASSERT(kind >= 0 && kind < GOLEAK_TOKEN_KIND_COUNT);
        FUZZ_ASSERT(i + 1 == n || kind != GOLEAK_TOKEN_EOF);
        goleak_span sp = goleak_unit_token_span(u, i);
        FUZZ_ASSERT(sp.start.offset >= prev_end && sp.end.offset <= size);
        FUZZ_ASSERT(sp.start.offset <= sp.end.offset);
        fuzz_check_pos(u, sp.start);
        prev_end = sp.end.offset;
        size_t len;
        const char *t = goleak_unit_token_text(u, i, &len);
        FUZZ_ASSERT(t && len == sp.end.offset - sp.start.offset);
        FUZZ_ASSERT(goleak_unit_token_at(u, sp.start.offset) <= i);
    }
    size_t nc = goleak_unit_comment_count(u);
    for (size_t i = 0; i < nc; i++) {
        goleak_span sp = goleak_unit_comment_span(u, i);
        FUZZ_ASSERT(sp.end.offset <= size && sp.start.offset < sp.end.offset);
        fuzz_check_pos(u, sp.start);
        size_t len;
        const char *t = goleak_unit_comment_text(u, i, &len);
        FUZZ_ASSERT(t && len >= 2 && t[0] == '/');
    }
    fuzz_check_diagnostics(u);
    goleak_unit_free(u);
    return 0;
}
