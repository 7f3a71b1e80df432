/* UTF-8 and Unicode categories: see utf8.h. */
#include "utf8.h"

#include <stdio.h>
#include <utf8proc.h>

int32_t utf8_decode(const uint8_t *p, int *w) {
    uint8_t b0 = p[0];
    if (b0 < 0x80) {
        *w = 1;
        return b0;
    }
    /* lo/hi bound the second byte, as Go's first/acceptRanges tables do */
    uint8_t lo = 0x80, hi = 0xBF;
    int n;
    int32_t r;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2;
        r = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        r = b0 & 0x0F;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F; /* no surrogates */
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        r = b0 & 0x07;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        *w = 1;
        return RUNE_ERROR;
    }
    if (p[1] < lo || p[1] > hi) {
        *w = 1;
        return RUNE_ERROR;
    }
    r = (r << 6) | (p[1] & 0x3F);
    for (int i = 2; i < n; i++) {
        if (p[i] < 0x80 || p[i] > 0xBF) {
            *w = 1;
            return RUNE_ERROR;
        }
        r = (r << 6) | (p[i] & 0x3F);
    }
    *w = n;
    return r;
}

int rune_is_letter(int32_t r) {
    if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_' ? 1 : 0;
    switch (utf8proc_category(r)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: return 1;
    default: return 0;
    }
}

int rune_is_digit(int32_t r) {
    if (r < 0x80) return r >= '0' && r <= '9';
    return utf8proc_category(r) == UTF8PROC_CATEGORY_ND;
}

int rune_is_print(int32_t r) {
    if (r < 0x80) return r >= 0x20 && r < 0x7F;
    switch (utf8proc_category(r)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO: return 1;
    default: return 0;
    }
}

void rune_format(char *buf, size_t size, int32_t r) {
    if (!rune_is_print(r)) {
        snprintf(buf, size, "U+%04X", (unsigned)r);
        return;
    }
    char enc[5] = {0};
    utf8proc_encode_char(r, (utf8proc_uint8_t *)enc);
    snprintf(buf, size, "U+%04X '%s'", (unsigned)r, enc);
}
