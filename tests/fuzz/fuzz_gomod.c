/* Fuzzer: reading a go.mod's go line, fed in chunks whose sizes the input's
 * first byte picks: the result must not depend on how the file is split,
 * and must be what one pass over the whole file finds. */
#include "fuzz.h"
#include "gomod.h"

#include <string.h>

static int scan(gomod_scan *s, const uint8_t *data, size_t size, size_t chunk) {
    gomod_scan_init(s);
    for (size_t k = 0; k < size; k += chunk)
        gomod_scan_feed(s, (const char *)data + k, size - k < chunk ? size - k : chunk);
    return gomod_scan_end(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t chunk = size ? (size_t)data[0] % 17 + 1 : 1;
    gomod_scan whole, split;
    int a = scan(&whole, data, size, size ? size : 1), b = scan(&split, data, size, chunk);
    FUZZ_ASSERT(a == b);
    if (!a) return 0;
    FUZZ_ASSERT(strcmp(whole.value, split.value) == 0);
    FUZZ_ASSERT(whole.value_line == split.value_line);
    FUZZ_ASSERT(whole.value_column == split.value_column);
    FUZZ_ASSERT(strlen(whole.value) <= GOMOD_VERSION_MAX && whole.value_line >= 1);
    /* the value never holds a separator */
    FUZZ_ASSERT(strpbrk(whole.value, " \t\r\n") == NULL);
    (void)gomod_valid_version(whole.value);
    return 0;
}
