/* Rule options: the declarations a rule makes (goleak_rule_def.options),
 * copied at registration, and the validation of the values set for them. */
#include "engine.h"

#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int valid_key(const char *s) {
    if (!s || !*s || strlen(s) > 64) return 0;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* The boolean a text spells: 1, 0, or -1 when it spells none. */
static int bool_value(const char *v) {
    static const char *const yes[] = {"true", "1", "yes", "on"};
    static const char *const no[] = {"false", "0", "no", "off"};
    for (size_t k = 0; k < 4; k++) {
        if (strcasecmp(v, yes[k]) == 0) return 1;
        if (strcasecmp(v, no[k]) == 0) return 0;
    }
    return -1;
}

/* Parses a whole decimal integer; 0 when it is not one or overflows. */
static int int_value(const char *v, long long *out) {
    if (!*v) return 0;
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (*end || errno == ERANGE) return 0;
    *out = x;
    return 1;
}

int rule_option_accepts(const goleak_rule_option *o, const char *value, char *why, size_t size) {
    long long x;
    switch (o->type) {
    case GOLEAK_OPTION_INT:
        if (!int_value(value, &x) || x < o->min || x > o->max) {
            snprintf(why, size, "\"%.40s%s\" is not an integer from %lld to %lld", value,
                     strlen(value) > 40 ? "..." : "", o->min, o->max);
            return 0;
        }
        return 1;
    case GOLEAK_OPTION_BOOL:
        if (bool_value(value) < 0) {
            snprintf(why, size, "\"%.40s%s\" is not true or false", value,
                     strlen(value) > 40 ? "..." : "");
            return 0;
        }
        return 1;
    default: return 1;
    }
}

long long rule_option_number(const goleak_rule_option *o, const char *value) {
    if (o->type == GOLEAK_OPTION_BOOL) return bool_value(value) == 1;
    long long x = 0;
    int_value(value, &x);
    return x;
}

long rule_option_index(const struct goleak_rule *r, const char *key) {
    for (size_t k = 0; k < r->noptions; k++)
        if (strcmp(r->options[k].key, key) == 0) return (long)k;
    return -1;
}

int rule_options_copy(struct goleak_rule *r, const goleak_rule_def *d, const goleak_allocator *a,
                      goleak_error *err) {
    if (d->noptions == 0) return 0;
    if (d->noptions > 64)
        return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "rule %s: too many options", d->id);
    r->options = gl_calloc(a, d->noptions * sizeof *r->options);
    r->values = gl_calloc(a, d->noptions * sizeof *r->values);
    if (!r->options || !r->values)
        return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    r->noptions = d->noptions;
    for (size_t k = 0; k < d->noptions; k++) {
        const goleak_rule_option *o = &d->options[k];
        char why[160];
        if (!valid_key(o->key) || o->type < GOLEAK_OPTION_INT || o->type > GOLEAK_OPTION_STRING ||
            (o->type == GOLEAK_OPTION_INT && o->min > o->max))
            return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0,
                             "rule %s: invalid declaration of option %zu", d->id, k);
        if (o->default_value && !rule_option_accepts(o, o->default_value, why, sizeof why))
            return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0, "rule %s: option %s: default %s",
                             d->id, o->key, why);
        for (size_t j = 0; j < k; j++)
            if (strcmp(d->options[j].key, o->key) == 0)
                return error_set(err, GOLEAK_EINVAL, NULL, 0, 0, 0,
                                 "rule %s: option %s declared twice", d->id, o->key);
        goleak_rule_option *c = &r->options[k];
        *c = *o;
        c->key = gl_strdup(a, o->key);
        c->default_value = o->default_value ? gl_strdup(a, o->default_value) : NULL;
        c->doc = o->doc ? gl_strdup(a, o->doc) : NULL;
        if (!c->key || (o->default_value && !c->default_value) || (o->doc && !c->doc))
            return error_set(err, GOLEAK_ENOMEM, NULL, 0, 0, 0, "out of memory");
    }
    return 0;
}

void rule_options_free(struct goleak_rule *r, const goleak_allocator *a) {
    for (size_t k = 0; r->options && k < r->noptions; k++) {
        gl_free(a, (char *)r->options[k].key);
        gl_free(a, (char *)r->options[k].default_value);
        gl_free(a, (char *)r->options[k].doc);
        if (r->values) gl_free(a, r->values[k]);
    }
    gl_free(a, r->options);
    gl_free(a, r->values);
    r->options = NULL;
    r->values = NULL;
    r->noptions = 0;
}
