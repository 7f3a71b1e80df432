/* Resources kept in a receiver's field and replaced by a method that runs
 * again: the questions GL015 and GL018 share. */
#include "replace.h"

#include <string.h>

uint32_t receiver_field(const facts *f, const var_fact *rv, uint32_t a, uint32_t b) {
    if (!rv || b != a + 2 || f->toks[a + 1].kind != T(PERIOD) || f->toks[b].kind != T(IDENT))
        return NONE32;
    return resolve(f, a) == rv ? b : NONE32;
}

/* Whether fn gives field `field` of rv a new value after token `from`. */
static int field_set_after(const facts *f, uint32_t fn, const var_fact *rv, uint32_t field,
                           uint32_t from) {
    FOR_KIND_IN(f, N(ASSIGN), as, from, f->nodes[fn].last) {
        for (uint32_t k = 0;; k++) {
            uint32_t lhs = nth_child_by_role(f, as, R(LHS), k);
            if (lhs == NONE32) break;
            uint32_t x = receiver_field(f, rv, f->nodes[lhs].first, f->nodes[lhs].last);
            if (x != NONE32 && tok_same(f, x, field)) return 1;
        }
    }
    return 0;
}

/* Whether method fn's name says that it runs again over its receiver: a
 * setter or a reload (SetConfig, UpdateTargets, Reload, ApplyConfig,
 * Refresh, Reset, Restart...), the verb followed by a capital or nothing. */
static int named_to_run_again(const facts *f, uint32_t fn) {
    static const char *const verbs[] = {"Set",     "Update",  "Reload",      "Apply",
                                        "Refresh", "Reset",   "Reconfigure", "Restart",
                                        "Resync",  "Rebuild", "Replace"};
    uint32_t key = f->nodes[fn].key;
    if (key == NONE32 || f->toks[key].kind != T(IDENT)) return 0;
    const char *s = (const char *)f->src + f->toks[key].off;
    size_t n = f->toks[key].len;
    for (size_t k = 0; k < sizeof verbs / sizeof *verbs; k++) {
        size_t p = strlen(verbs[k]);
        /* SetConfig or setConfig, Reload or reload */
        if (n >= p && (s[0] | 0x20) == (verbs[k][0] | 0x20) &&
            memcmp(s + 1, verbs[k] + 1, p - 1) == 0 && (n == p || (s[p] >= 'A' && s[p] <= 'Z')))
            return 1;
    }
    return 0;
}

/* Whether a method of the file named to run again calls method fn on its
 * own receiver (restartWatch() { f.startWatch() }) without releasing field
 * `field` before (f.stopWatch() first): fn runs again over a set field. */
static int called_to_run_again(const facts *f, uint32_t fn, uint32_t field) {
    uint32_t n, key = f->nodes[fn].key;
    if (key == NONE32) return 0;
    const uint32_t *calls = calls_named(f, key, &n);
    for (uint32_t i = 0; i < n; i++) {
        const call_fact *c = &f->calls.data[calls[i]];
        uint32_t caller = top_func(f, c->node);
        const var_fact *crv = caller != NONE32 ? receiver_var(f, caller) : NULL;
        if (crv && c->recv_first != NONE32 && c->recv_first == c->recv_last &&
            resolve(f, c->recv_first) == crv && caller != fn && named_to_run_again(f, caller) &&
            !field_released_before(f, caller, crv, field, f->nodes[c->node].first))
            return 1;
    }
    return 0;
}

int method_reconfigures(const facts *f, uint32_t fn, const var_fact *rv, uint32_t field) {
    if (!rv) return 0;
    if (named_to_run_again(f, fn) || called_to_run_again(f, fn, field)) return 1;
    FOR_KIND_IN(f, N(IF), s, f->nodes[fn].first, f->nodes[fn].last) {
        uint32_t cond = child_by_role(f, s, R(COND));
        if (cond == NONE32 || enclosing_func(f, s) != fn) continue;
        uint32_t a = f->nodes[cond].first, b = f->nodes[cond].last;
        for (uint32_t i = a; i + 2 <= b; i++) {
            uint32_t x = receiver_field(f, rv, i, i + 2);
            if (x == NONE32) continue;
            /* the other side of r.x == v, r.x != v, v != r.x */
            uint32_t other = NONE32;
            if (i + 4 <= b && (f->toks[i + 3].kind == T(EQL) || f->toks[i + 3].kind == T(NEQ)))
                other = i + 4;
            else if (i >= a + 2 && (f->toks[i - 1].kind == T(EQL) || f->toks[i - 1].kind == T(NEQ)))
                other = i - 2;
            /* equal(v, r.x), reflect.DeepEqual(r.x, v): an argument of a call
             * of two or more, compared with another */
            if (other == NONE32 && i > a && i + 3 <= b &&
                (f->toks[i - 1].kind == T(LPAREN) || f->toks[i - 1].kind == T(COMMA)) &&
                (f->toks[i + 3].kind == T(RPAREN) || f->toks[i + 3].kind == T(COMMA)) &&
                (f->toks[i - 1].kind == T(COMMA) || f->toks[i + 3].kind == T(COMMA)))
                other = i;
            /* r.x == nil asks whether it was set up at all */
            if (other == NONE32 || tok_is(f, other, "nil")) continue;
            if (field_set_after(f, fn, rv, x, f->nodes[s].first)) return 1;
        }
    }
    return 0;
}

static int releases_field(const facts *f, const call_fact *c, const var_fact *rv, uint32_t field) {
    if (c->recv_first == NONE32 || resolve(f, c->recv_first) != rv) return 0;
    /* r.F() */
    if (c->recv_first == c->recv_last && tok_same(f, c->name, field)) return 1;
    /* r.F.Stop(), r.F.Close() */
    return c->recv_last == c->recv_first + 2 && tok_same(f, c->recv_last, field) &&
           (tok_is(f, c->name, "Stop") || tok_is(f, c->name, "Close"));
}

static int released_in(const facts *f, uint32_t fn, const var_fact *rv, uint32_t field,
                       uint32_t before, int depth) {
    FOR_KIND_IN(f, N(CALL), call, f->nodes[fn].first, before) {
        if (f->nodes[call].first >= before) break;
        const call_fact *c = call_of(f, call);
        if (!c || c->name == NONE32) continue;
        if (releases_field(f, c, rv, field)) return 1;
        /* r.stopWatch() that does it */
        if (depth > 0 || c->recv_first != c->recv_last || resolve(f, c->recv_first) != rv) continue;
        uint32_t m = find_func(f, c->name);
        const var_fact *mrv = m != NONE32 ? receiver_var(f, m) : NULL;
        if (mrv && m != fn && released_in(f, m, mrv, field, f->nodes[m].last + 1, depth + 1))
            return 1;
    }
    return 0;
}

int field_released_before(const facts *f, uint32_t fn, const var_fact *rv, uint32_t field,
                          uint32_t before) {
    return released_in(f, fn, rv, field, before, 0);
}
