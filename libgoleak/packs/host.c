/* The packs' view of the facts and paths modules: see host.h. */
#include "host.h"

#include "../facts.h"
#include "../rules/common.h"
#include "../paths.h"

#include <string.h>

const host_file *host_open(goleak_check *chk) {
    return check_facts(chk);
}

const goleak_unit *host_unit(const host_file *f) {
    return f->u;
}

uint32_t host_kind_count(const host_file *f, int kind) {
    return f->by_kind[kind].len;
}

uint32_t host_kind_at(const host_file *f, int kind, uint32_t i) {
    return f->by_kind[kind].data[i];
}

uint32_t host_kind_lower_bound(const host_file *f, int kind, uint32_t tok) {
    return kind_lower_bound(f, kind, tok);
}

uint32_t host_child_by_role(const host_file *f, uint32_t n, int role) {
    return child_by_role(f, n, role);
}

uint32_t host_nth_child_by_role(const host_file *f, uint32_t n, int role, uint32_t k) {
    return nth_child_by_role(f, n, role, k);
}

uint32_t host_expr_node(const host_file *f, uint32_t expr) {
    return expr_node(f, expr);
}

int host_node_within(const host_file *f, uint32_t n, uint32_t a) {
    return node_within(f, n, a);
}

uint32_t host_enclosing_func(const host_file *f, uint32_t n) {
    return enclosing_func(f, n);
}

uint32_t host_stmt_of(const host_file *f, uint32_t n) {
    return stmt_of(f, n);
}

uint32_t host_loop_around(const host_file *f, uint32_t n) {
    return loop_around(f, n);
}

int host_is_goroutine_body(const host_file *f, uint32_t fn) {
    return is_goroutine_body(f, fn);
}

int host_is_test_func(const host_file *f, uint32_t fn) {
    return is_test_func(f, fn);
}

int host_in_test_file(const host_file *f) {
    return in_test_file(f);
}

int host_in_package_main(const host_file *f) {
    return in_package_main(f);
}

int host_unreachable(const host_file *f, uint32_t n) {
    return unreachable(f, n);
}

uint32_t host_find_func(const host_file *f, uint32_t tok) {
    return find_func(f, tok);
}

int host_toks_same(const host_file *f, uint32_t a0, uint32_t a1, uint32_t b0, uint32_t b1) {
    return toks_same(f, a0, a1, b0, b1);
}

uint32_t host_tok_line(const host_file *f, uint32_t tok) {
    return tok_line(f, tok);
}

const host_var *host_resolve(const host_file *f, uint32_t tok) {
    return resolve(f, tok);
}

void host_var_get(const host_file *f, const host_var *v, host_var_info *out) {
    (void)f;
    out->name = v->name;
    out->func = v->func;
    out->value = v->value;
    out->value_index = v->value_index;
    out->type_first = v->type_first;
    out->type_last = v->type_last;
    out->flags = ((v->flags & VF_PARAM) ? HV_PARAM : 0u) |
                 ((v->flags & VF_RESULT) ? HV_RESULT : 0u) | ((v->flags & VF_PKG) ? HV_PKG : 0u) |
                 ((v->flags & VF_RECV) ? HV_RECV : 0u);
}

uint32_t host_next_use(const host_file *f, const host_var *v, uint32_t from, uint32_t to) {
    return next_use(f, v, from, to);
}

const host_var *host_param_at(const host_file *f, uint32_t fn, uint32_t k) {
    return param_at(f, fn, k);
}

int host_field_type(const host_file *f, uint32_t tok, uint32_t *first, uint32_t *last) {
    const field_fact *ff = find_field(f, tok);
    if (!ff) return 0;
    *first = ff->type_first;
    *last = ff->type_last;
    return 1;
}

uint32_t host_call_name(const host_file *f, uint32_t call) {
    const call_fact *c = call_of(f, call);
    return c ? c->name : NONE32;
}

int host_call_recv(const host_file *f, uint32_t call, uint32_t *first, uint32_t *last) {
    const call_fact *c = call_of(f, call);
    if (!c || c->recv_first == NONE32) return 0;
    *first = c->recv_first;
    *last = c->recv_last;
    return 1;
}

uint32_t host_call_arg(const host_file *f, uint32_t call, uint32_t k) {
    return call_arg(f, call, k);
}

int host_call_never_returns(const host_file *f, uint32_t call) {
    return call_never_returns(f, call);
}

/* ---- the walker: the hooks of a host_walk behind a release_query ---- */

typedef struct bridge {
    release_query q; /* first: the walker passes &q back */
    const host_walk *w;
} bridge;

static int b_is_release(const release_query *q, uint32_t call) {
    const bridge *b = (const bridge *)q;
    return b->w->is_release(b->w->ctx, call);
}

static int b_return(const release_query *q, uint32_t ret) {
    const bridge *b = (const bridge *)q;
    return b->w->return_hands_off && b->w->return_hands_off(b->w->ctx, ret);
}

static int b_stmt(const release_query *q, uint32_t stmt) {
    const bridge *b = (const bridge *)q;
    return b->w->stmt_hands_off && b->w->stmt_hands_off(b->w->ctx, stmt);
}

static int b_cond(const release_query *q, uint32_t cond) {
    const bridge *b = (const bridge *)q;
    return b->w->cond_absent ? b->w->cond_absent(b->w->ctx, cond) : 0;
}

static int b_loop(const release_query *q, uint32_t loop) {
    const bridge *b = (const bridge *)q;
    return b->w->loop_exit_releases && b->w->loop_exit_releases(b->w->ctx, loop);
}

static int b_use(const release_query *q, uint32_t use) {
    const bridge *b = (const bridge *)q;
    return b->w->use_releases(b->w->ctx, use);
}

int host_walk_paths(const host_file *f, const host_walk *w, uint32_t start, int from_start,
                    uint32_t *at) {
    bridge b;
    memset(&b, 0, sizeof b); /* hooks and fields this walk does not use stay NULL */
    b.q.f = f;
    b.q.is_release = b_is_release;
    b.q.ctx = NULL;
    b.q.loop = w->loop;
    b.q.cond = NONE32;
    b.q.return_hands_off = b_return;
    b.q.stmt_hands_off = b_stmt;
    b.q.cond_absent = b_cond;
    b.q.loop_exit_releases = b_loop;
    b.q.var = w->var;
    b.q.use_releases = w->var && w->use_releases ? b_use : NULL;
    b.q.go_round = w->var && w->go_round;
    b.w = w;
    int leak = from_start ? release_check_from(&b.q, start, at) : release_check(&b.q, start, at);
    switch (leak) {
    case LEAK_RETURN: return HOST_LEAK_RETURN;
    case LEAK_CONTINUE: return HOST_LEAK_CONTINUE;
    case LEAK_END: return HOST_LEAK_END;
    case LEAK_OVERWRITE: return HOST_LEAK_OVERWRITE;
    default: return HOST_LEAK_NONE;
    }
}
