/* Open-addressing hash sets (seen.h), grown at half full. */
#include "seen.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDu;
    x ^= x >> 33;
    return x;
}

/* (0, 0) marks a free slot: a real (0, 0) pair is stored as (0, 2^63), an
 * inode no file system hands out. */
static void id_key(uint64_t *dev, uint64_t *ino) {
    if (*dev == 0 && *ino == 0) *ino = (uint64_t)1 << 63;
}

static size_t id_slot(const id_set *s, uint64_t dev, uint64_t ino) {
    size_t mask = s->cap - 1, i = (size_t)(mix(dev * 0x9E3779B97F4A7C15u ^ ino)) & mask;
    while ((s->keys[2 * i] || s->keys[2 * i + 1]) &&
           (s->keys[2 * i] != dev || s->keys[2 * i + 1] != ino))
        i = (i + 1) & mask;
    return i;
}

static int id_grow(id_set *s) {
    size_t ncap = s->cap ? s->cap * 2 : 64;
    id_set n = {calloc(2 * ncap, sizeof(uint64_t)), ncap, s->len};
    if (!n.keys) return -1;
    for (size_t k = 0; k < s->cap; k++) {
        uint64_t d = s->keys[2 * k], i = s->keys[2 * k + 1];
        if (!d && !i) continue;
        size_t j = id_slot(&n, d, i);
        n.keys[2 * j] = d;
        n.keys[2 * j + 1] = i;
    }
    free(s->keys);
    *s = n;
    return 0;
}

int id_set_add(id_set *s, uint64_t dev, uint64_t ino) {
    id_key(&dev, &ino);
    if (2 * (s->len + 1) > s->cap && id_grow(s)) return -1;
    size_t i = id_slot(s, dev, ino);
    if (s->keys[2 * i] || s->keys[2 * i + 1]) return 0;
    s->keys[2 * i] = dev;
    s->keys[2 * i + 1] = ino;
    s->len++;
    return 1;
}

void id_set_free(id_set *s) {
    free(s->keys);
    memset(s, 0, sizeof *s);
}

static uint64_t str_hash(const char *p) {
    uint64_t h = 0xCBF29CE484222325u; /* FNV-1a */
    for (; *p; p++) h = (h ^ (unsigned char)*p) * 0x100000001B3u;
    return mix(h);
}

static size_t str_slot(const str_set *s, const char *str) {
    size_t mask = s->cap - 1, i = (size_t)str_hash(str) & mask;
    while (s->keys[i] && strcmp(s->keys[i], str) != 0) i = (i + 1) & mask;
    return i;
}

static int str_grow(str_set *s) {
    size_t ncap = s->cap ? s->cap * 2 : 32;
    str_set n = {calloc(ncap, sizeof(char *)), ncap, s->len};
    if (!n.keys) return -1;
    for (size_t k = 0; k < s->cap; k++)
        if (s->keys[k]) n.keys[str_slot(&n, s->keys[k])] = s->keys[k];
    free(s->keys);
    *s = n;
    return 0;
}

int str_set_add(str_set *s, const char *str) {
    if (2 * (s->len + 1) > s->cap && str_grow(s)) return -1;
    size_t i = str_slot(s, str);
    if (s->keys[i]) return 0;
    size_t n = strlen(str) + 1;
    char *copy = malloc(n);
    if (!copy) return -1;
    memcpy(copy, str, n);
    s->keys[i] = copy;
    s->len++;
    return 1;
}

int str_set_has(const str_set *s, const char *str) {
    return s->cap && s->keys[str_slot(s, str)] != NULL;
}

void str_set_free(str_set *s) {
    for (size_t k = 0; k < s->cap; k++) free(s->keys[k]);
    free(s->keys);
    memset(s, 0, sizeof *s);
}
