/* PCRE2 behind regex.h. PCRE2 allocates through the engine's allocator. */
#include "regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct regex {
    const goleak_allocator *alloc;
    pcre2_general_context *gctx;
    pcre2_code *code;
    pcre2_match_context *mctx; /* the limits; read-only while matching */
    char *source;
};

static void *re_malloc(PCRE2_SIZE size, void *data) {
    return gl_malloc(data, size);
}

static void re_free(void *p, void *data) {
    if (p) gl_free(data, p);
}

regex *regex_compile(const goleak_allocator *a, const char *pattern, size_t len, char *msg,
                     size_t msg_size, size_t *offset) {
    *offset = 0;
    snprintf(msg, msg_size, "out of memory");
    regex *re = gl_calloc(a, sizeof *re);
    if (!re) return NULL;
    re->alloc = a;
    re->gctx = pcre2_general_context_create(re_malloc, re_free, (void *)a);
    if (!re->gctx) {
        regex_free(re);
        return NULL;
    }
    int code;
    PCRE2_SIZE off = 0;
    pcre2_compile_context *cctx = pcre2_compile_context_create(re->gctx);
    if (!cctx) {
        regex_free(re);
        return NULL;
    }
    re->code = pcre2_compile((PCRE2_SPTR)pattern, len, PCRE2_UTF, &code, &off, cctx);
    pcre2_compile_context_free(cctx);
    if (!re->code && code == PCRE2_ERROR_HEAP_FAILED) { /* msg says out of memory */
        regex_free(re);
        return NULL;
    }
    if (!re->code) {
        PCRE2_UCHAR buf[256];
        pcre2_get_error_message(code, buf, sizeof buf);
        snprintf(msg, msg_size, "%s", (const char *)buf);
        *offset = off;
        regex_free(re);
        return NULL;
    }
    /* JIT where available; the interpreter otherwise (same results), and
     * when GOLEAK_NO_JIT is set (valgrind cannot follow JIT code) */
    const char *nojit = getenv("GOLEAK_NO_JIT");
    if ((!nojit || !*nojit) &&
        pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == PCRE2_ERROR_NOMEMORY) {
        regex_free(re);
        return NULL;
    }
    re->mctx = pcre2_match_context_create(re->gctx);
    re->source = gl_malloc(a, len + 1);
    if (!re->mctx || !re->source) {
        snprintf(msg, msg_size, "out of memory");
        regex_free(re);
        return NULL;
    }
    memcpy(re->source, pattern, len);
    re->source[len] = 0;
    pcre2_set_match_limit(re->mctx, REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(re->mctx, REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(re->mctx, REGEX_HEAP_LIMIT_KIB);
    return re;
}

void regex_free(regex *re) {
    if (!re) return;
    pcre2_code_free(re->code);
    pcre2_match_context_free(re->mctx);
    pcre2_general_context_free(re->gctx);
    gl_free(re->alloc, re->source);
    gl_free(re->alloc, re);
}

int regex_match(const regex *re, const char *subject, size_t len) {
    pcre2_match_data *md = pcre2_match_data_create(1, re->gctx);
    if (!md) return -2;
    int rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, 0, 0, md, re->mctx);
    pcre2_match_data_free(md);
    if (rc >= 0) return 1;
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    if (rc == PCRE2_ERROR_NOMEMORY) return -2;
    return -1; /* match, depth or heap limit, or another matching error */
}

const char *regex_source(const regex *re) {
    return re->source;
}
