/* GL014: a subscriber channel taken out of its publisher's set without the
 * close the publisher gives the others. A consumer ranging over its
 * subscription waits for that close; when the publisher's Close closes
 * each channel it deletes but Evict only deletes, the evicted consumer's
 * range never ends. */
#include "../query.h"
#include "rules.h"
#include "typeindex.h"
#include "unsubscribe.h"

enum { MAX_CLOSING = 8 };

/* A removal that closes what it removes: delete(x.F, k); close(k). */
typedef struct closing {
    uint32_t field; /* F's token */
    uint32_t del;   /* the delete call */
} closing;

/* Whether call c is delete(x.F, k) on a field chain: *field receives F's
 * token, *key the key's argument node. */
static int field_delete(const facts *f, const call_fact *c, uint32_t *field, uint32_t *key) {
    if (!call_is_func(f, c, "delete") || c->nargs != 2) return 0;
    uint32_t m = call_arg(f, c->node, 0);
    *key = call_arg(f, c->node, 1);
    if (m == NONE32 || *key == NONE32) return 0;
    uint32_t a = f->nodes[m].first, b = f->nodes[m].last;
    if (b < a + 2 || !name_chain(f, a, b)) return 0;
    *field = b;
    return 1;
}

/* The first close(...) call in function fn's span whose argument is the
 * single token k (any argument when k is NONE32), NONE32. */
static uint32_t close_in(const facts *f, uint32_t fn, uint32_t k) {
    uint32_t n;
    const uint32_t *closes = calls_named_text(f, "close", &n);
    for (uint32_t i = calls_from(f, closes, n, f->nodes[fn].first); i < n; i++) {
        const call_fact *c = &f->calls.data[closes[i]];
        if (f->nodes[c->node].first > f->nodes[fn].last) break;
        if (c->recv_first != NONE32 || c->nargs != 1) continue;
        uint32_t arg = call_arg(f, c->node, 0);
        if (k == NONE32 || (arg != NONE32 && f->nodes[arg].first == f->nodes[arg].last &&
                            tok_same(f, f->nodes[arg].first, k)))
            return c->node;
    }
    return NONE32;
}

/* A range over the variable a caller of function fn hands it at parameter
 * position pos (updates := p.Subscribe(); go func() { for v := range
 * updates {...} }(); p.Evict(updates)): the range, NONE32. */
static uint32_t ranged_argument(const facts *f, uint32_t fn, uint32_t pos) {
    uint32_t n;
    const uint32_t *calls = calls_named(f, f->nodes[fn].key, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t arg = call_arg(f, f->calls.data[calls[i]].node, pos), tok;
        const var_fact *v = arg != NONE32 && expr_ident(f, arg, &tok) ? resolve(f, tok) : NULL;
        if (!v) continue;
        for (uint32_t u = next_use(f, v, v->name, v->scope_end); u != NONE32;
             u = next_use(f, v, u, v->scope_end)) {
            use_info ui;
            q_use(f, u, &ui);
            if (ui.kind == GOLEAK_USE_RANGE) return ui.node;
        }
    }
    return NONE32;
}

void check_removed_unclosed(goleak_check *chk, const facts *f) {
    uint32_t n;
    const uint32_t *dels = calls_named_text(f, "delete", &n);
    if (n < 2) return;
    closing closing_dels[MAX_CLOSING];
    uint32_t nclosing = 0;
    for (uint32_t i = 0; i < n && nclosing < MAX_CLOSING; i++) {
        const call_fact *c = &f->calls.data[dels[i]];
        uint32_t field, key, fn = enclosing_func(f, c->node);
        if (fn == NONE32 || !field_delete(f, c, &field, &key) ||
            f->nodes[key].first != f->nodes[key].last)
            continue;
        if (close_in(f, fn, f->nodes[key].first) != NONE32)
            closing_dels[nclosing++] = (closing){field, c->node};
    }
    for (uint32_t i = 0; i < n && nclosing; i++) {
        const call_fact *c = &f->calls.data[dels[i]];
        uint32_t field, key, fn = enclosing_func(f, c->node), tok;
        if (fn == NONE32 || f->nodes[fn].kind != N(FUNC) || f->nodes[fn].key == NONE32 ||
            !field_delete(f, c, &field, &key) || !expr_ident(f, key, &tok))
            continue;
        const closing *cl = NULL;
        for (uint32_t k = 0; k < nclosing && !cl; k++)
            if (tok_same(f, closing_dels[k].field, field) &&
                enclosing_func(f, closing_dels[k].del) != fn)
                cl = &closing_dels[k];
        const var_fact *p = cl ? resolve(f, tok) : NULL;
        if (!p || !(p->flags & VF_PARAM) || p->func != fn || p->kind != VK_CHAN ||
            close_in(f, fn, NONE32) != NONE32)
            continue;
        uint32_t pos = param_pos(f, fn, (uint32_t)(p - f->vars.data));
        uint32_t rg = pos != NONE32 ? ranged_argument(f, fn, pos) : NONE32;
        if (rg == NONE32) continue;
        char what[64], name[48];
        snippet(f, f->nodes[c->node].first, f->nodes[c->node].last, what, sizeof what);
        func_name(f, cl->del, name, sizeof name);
        check_report_node(chk, c->node,
                          "`%s` removes the subscriber without closing its channel, while %s "
                          "closes each channel it removes (line %u): the range over it at line "
                          "%u never ends, and its goroutine leaks; close the channel when "
                          "removing it",
                          what, name, (unsigned)tok_line(f, f->nodes[cl->del].first),
                          (unsigned)tok_line(f, f->nodes[rg].first));
    }
}
