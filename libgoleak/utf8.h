/* UTF-8 decoding as Go's unicode/utf8 does it, and the Unicode categories
 * Go's scanner asks about (letters, decimal digits), via utf8proc. */
#ifndef GOLEAK_UTF8_H
#define GOLEAK_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define RUNE_ERROR 0xFFFD
#define RUNE_BOM   0xFEFF

/* Decodes the rune at p. The buffer must be readable for 4 bytes past p or
 * end with a NUL byte (NUL is never a continuation byte). Returns the rune
 * and stores its width in *w; invalid encodings give RUNE_ERROR, width 1. */
int32_t utf8_decode(const uint8_t *p, int *w);

/* Go's unicode.IsLetter (categories Lu Ll Lt Lm Lo) and unicode.IsDigit (Nd). */
int rune_is_letter(int32_t r);
int rune_is_digit(int32_t r);

/* strconv.IsPrint: letters, marks, numbers, punctuation, symbols, and ' '. */
int rune_is_print(int32_t r);

/* Formats r as Go's %#U does ("U+0023 '#'", "U+0000") into buf (>= 24 bytes). */
void rune_format(char *buf, size_t size, int32_t r);

#endif
