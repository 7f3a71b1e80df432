/* The public queries (goleak_check_*): the query layer, over the facts of
 * the check's unit, for rules written outside the library. Nodes cross the
 * API as pointers into the unit's node array and come back as indexes. */
#include "query.h"

#include "engine.h"
#include "paths.h"

#include <string.h>

/* The facts of the check, or NULL (no check, or out of memory: the check
 * then fails with GOLEAK_ENOMEM). */
static const facts *facts_of(goleak_check *chk) {
    return chk ? check_facts(chk) : NULL;
}

/* The index of node n of the check's unit, NONE32 when n is not one. */
static uint32_t index_of(goleak_check *chk, const goleak_node *n) {
    if (!chk || !n || n->unit != chk->unit) return NONE32;
    return (uint32_t)(n - chk->unit->nodes.data);
}

static const goleak_node *node_ptr(goleak_check *chk, uint32_t i) {
    return i == NONE32 ? NULL : &chk->unit->nodes.data[i];
}

static int valid_token(goleak_check *chk, size_t i) {
    return chk && i < chk->unit->toks.len;
}

/* ---- names and variables ---- */

GOLEAK_API size_t goleak_check_declaration(goleak_check *chk, size_t i) {
    const facts *f = valid_token(chk, i) ? facts_of(chk) : NULL;
    const var_fact *v = f ? resolve(f, (uint32_t)i) : NULL;
    return v ? v->name : GOLEAK_NONE;
}

/* The variable declared at token decl, NULL. */
static const var_fact *declared_at(goleak_check *chk, size_t decl, const facts **fp) {
    const facts *f = valid_token(chk, decl) ? facts_of(chk) : NULL;
    const var_fact *v = f ? resolve(f, (uint32_t)decl) : NULL;
    *fp = f;
    return v && v->name == decl ? v : NULL;
}

GOLEAK_API int goleak_check_var_kind(goleak_check *chk, size_t decl) {
    const facts *f;
    const var_fact *v = declared_at(chk, decl, &f);
    if (!v) return -1;
    if (v->flags & VF_RECV) return GOLEAK_VAR_RECEIVER;
    if (v->flags & VF_PARAM) return GOLEAK_VAR_PARAM;
    if (v->flags & VF_RESULT) return GOLEAK_VAR_RESULT;
    if (v->flags & VF_PKG) return GOLEAK_VAR_PACKAGE;
    return GOLEAK_VAR_LOCAL;
}

/* The uses of v but its declaration: [*first, *end) of f->uses, and the
 * position of the declaration among them (NONE32 when it is not one). */
static void use_range(const facts *f, const var_fact *v, uint32_t *first, uint32_t *end,
                      uint32_t *decl_at) {
    uint32_t k = (uint32_t)(v - f->vars.data);
    *first = f->use_start[k];
    *end = f->use_start[k + 1];
    *decl_at = NONE32;
    for (uint32_t lo = *first, hi = *end; lo < hi;) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->uses[mid] < v->name)
            lo = mid + 1;
        else if (f->uses[mid] > v->name)
            hi = mid;
        else {
            *decl_at = mid;
            break;
        }
    }
}

GOLEAK_API size_t goleak_check_var_use_count(goleak_check *chk, size_t decl) {
    const facts *f;
    const var_fact *v = declared_at(chk, decl, &f);
    if (!v) return 0;
    uint32_t first, end, at;
    use_range(f, v, &first, &end, &at);
    return end - first - (at != NONE32);
}

GOLEAK_API size_t goleak_check_var_use(goleak_check *chk, size_t decl, size_t k) {
    const facts *f;
    const var_fact *v = declared_at(chk, decl, &f);
    if (!v) return GOLEAK_NONE;
    uint32_t first, end, at;
    use_range(f, v, &first, &end, &at);
    size_t i = first + k;
    if (at != NONE32 && i >= at) i++; /* skip the declaration */
    return i < end ? f->uses[i] : GOLEAK_NONE;
}

/* The use at token u, classified (kind -1 when it is none). */
static void use_of(goleak_check *chk, size_t u, use_info *ui, const facts **fp) {
    const facts *f = valid_token(chk, u) ? facts_of(chk) : NULL;
    *fp = f;
    if (f)
        q_use(f, (uint32_t)u, ui);
    else
        ui->kind = -1, ui->flags = 0, ui->node = NONE32;
}

GOLEAK_API int goleak_check_use_kind(goleak_check *chk, size_t use) {
    const facts *f;
    use_info ui;
    use_of(chk, use, &ui, &f);
    return ui.kind;
}

GOLEAK_API unsigned int goleak_check_use_flags(goleak_check *chk, size_t use) {
    const facts *f;
    use_info ui;
    use_of(chk, use, &ui, &f);
    return ui.kind < 0 ? 0 : ui.flags;
}

GOLEAK_API const goleak_node *goleak_check_use_node(goleak_check *chk, size_t use) {
    const facts *f;
    use_info ui;
    use_of(chk, use, &ui, &f);
    return ui.kind < 0 ? NULL : node_ptr(chk, ui.node);
}

/* ---- where values go ---- */

GOLEAK_API int goleak_check_value_target(size_t *first, size_t *last, goleak_check *chk,
                                         const goleak_node *expr, size_t result) {
    if (first) *first = GOLEAK_NONE;
    if (last) *last = GOLEAK_NONE;
    uint32_t e = index_of(chk, expr);
    const facts *f = e != NONE32 ? facts_of(chk) : NULL;
    if (!f || result > UINT32_MAX) return -1;
    value_target t;
    q_value_target(f, e, (uint32_t)result, &t);
    if (first && t.first != NONE32) *first = t.first;
    if (last && t.last != NONE32) *last = t.last;
    return t.kind;
}

/* ---- calls ---- */

static const call_fact *call_fact_of(goleak_check *chk, const goleak_node *call, const facts **fp) {
    uint32_t c = index_of(chk, call);
    const facts *f = c != NONE32 ? facts_of(chk) : NULL;
    *fp = f;
    return f ? call_of(f, c) : NULL;
}

/* Whether import spec n imports the path given as text. */
static int import_is(const facts *f, uint32_t n, const char *path) {
    uint32_t key = f->nodes[n].key;
    if (key == NONE32) return 0;
    const token *lit = &f->toks[key];
    size_t len = strlen(path);
    return lit->len == len + 2 && memcmp(f->src + lit->off + 1, path, len) == 0;
}

GOLEAK_API int goleak_check_call_is(goleak_check *chk, const goleak_node *call,
                                    const char *import_path, const char *name) {
    const facts *f;
    const call_fact *c = call_fact_of(chk, call, &f);
    if (!c || !import_path || !name || c->name == NONE32 || !tok_is(f, c->name, name)) return 0;
    uint32_t first = f->nodes[c->node].first;
    if (c->name == first) {
        /* Name(...) unqualified: a dot import of the path, unless the file
         * declares the name itself */
        if (resolve(f, c->name) || find_func(f, c->name) != NONE32) return 0;
        for (uint32_t k = 0; k < f->imports.len; k++)
            if (f->imports.data[k].dot && import_is(f, f->imports.data[k].node, import_path))
                return 1;
        return 0;
    }
    /* pkg.Name(...): pkg names the import, not a variable */
    if (c->name != first + 2 || f->toks[first + 1].kind != T(PERIOD) ||
        f->toks[first].kind != T(IDENT) || resolve(f, first))
        return 0;
    for (uint32_t k = 0; k < f->imports.len; k++) {
        const import_fact *im = &f->imports.data[k];
        if (!im->dot && im->name && im->name_len == f->toks[first].len &&
            memcmp(im->name, f->src + f->toks[first].off, im->name_len) == 0)
            return import_is(f, im->node, import_path);
    }
    return 0;
}

GOLEAK_API size_t goleak_check_call_name(goleak_check *chk, const goleak_node *call) {
    const facts *f;
    const call_fact *c = call_fact_of(chk, call, &f);
    return c && c->name != NONE32 ? c->name : GOLEAK_NONE;
}

GOLEAK_API int goleak_check_call_receiver(size_t *first, size_t *last, goleak_check *chk,
                                          const goleak_node *call) {
    if (first) *first = GOLEAK_NONE;
    if (last) *last = GOLEAK_NONE;
    const facts *f;
    const call_fact *c = call_fact_of(chk, call, &f);
    if (!c || c->recv_first == NONE32) return 0;
    if (first) *first = c->recv_first;
    if (last) *last = c->recv_last;
    return 1;
}

GOLEAK_API const goleak_node *goleak_check_callee(goleak_check *chk, const goleak_node *call) {
    const facts *f;
    const call_fact *c = call_fact_of(chk, call, &f);
    if (!c || c->name == NONE32 || c->pkg != PKG_NONE) return NULL;
    /* a function for f(), a method for x.m(): the first of the file so named */
    int method = c->recv_first != NONE32;
    uint32_t fn = find_func(f, c->name);
    if (fn != NONE32 && method == !!(f->nodes[fn].flags & GOLEAK_NODE_FLAG_METHOD))
        return node_ptr(chk, fn);
    FOR_KIND(f, N(FUNC), g) {
        if (f->nodes[g].key != NONE32 && tok_same(f, f->nodes[g].key, c->name) &&
            method == !!(f->nodes[g].flags & GOLEAK_NODE_FLAG_METHOD))
            return node_ptr(chk, g);
    }
    return NULL;
}

GOLEAK_API int goleak_check_never_returns(goleak_check *chk, const goleak_node *call) {
    uint32_t c = index_of(chk, call);
    const facts *f = c != NONE32 ? facts_of(chk) : NULL;
    return f && f->nodes[c].kind == N(CALL) && call_never_returns(f, c);
}

/* ---- functions and loops ---- */

GOLEAK_API const goleak_node *goleak_check_enclosing_func(goleak_check *chk,
                                                          const goleak_node *at) {
    uint32_t n = index_of(chk, at);
    const facts *f = n != NONE32 ? facts_of(chk) : NULL;
    return f ? node_ptr(chk, enclosing_func(f, n)) : NULL;
}

GOLEAK_API const goleak_node *goleak_check_enclosing_loop(goleak_check *chk,
                                                          const goleak_node *at) {
    uint32_t n = index_of(chk, at);
    const facts *f = n != NONE32 ? facts_of(chk) : NULL;
    return f ? node_ptr(chk, f->loop_of[n]) : NULL;
}

GOLEAK_API int goleak_check_is_goroutine_body(goleak_check *chk, const goleak_node *funclit) {
    uint32_t n = index_of(chk, funclit);
    const facts *f = n != NONE32 ? facts_of(chk) : NULL;
    if (!f || f->nodes[n].kind != N(FUNCLIT)) return 0;
    uint32_t call = f->nodes[n].parent;
    if (call == NONE32 || f->nodes[call].kind != N(CALL) ||
        f->nodes[n].last + 1 != f->nodes[call].key)
        return 0;
    uint32_t g = f->nodes[call].parent;
    return g != NONE32 && f->nodes[g].kind == N(GO);
}

/* ---- release on every path ---- */

typedef struct path_ctx {
    goleak_check *chk;
    const goleak_path_query *query;
} path_ctx;

static int user_releases(const release_query *q, uint32_t call) {
    const path_ctx *pc = q->ctx;
    return pc->query->release(pc->chk, node_ptr(pc->chk, call), pc->query->user_data) != 0;
}

static int user_hands_off(const release_query *q, uint32_t ret) {
    const path_ctx *pc = q->ctx;
    return pc->query->hands_off(pc->chk, node_ptr(pc->chk, ret), pc->query->user_data) != 0;
}

GOLEAK_API int goleak_check_release_path(const goleak_node **at, goleak_check *chk,
                                         const goleak_node *stmt, const goleak_path_query *query) {
    if (at) *at = NULL;
    uint32_t s = index_of(chk, stmt);
    if (s == NONE32 || !query || query->version != GOLEAK_PATH_QUERY_VERSION || !query->release)
        return GOLEAK_EINVAL;
    const facts *f = facts_of(chk);
    if (!f) return GOLEAK_ENOMEM;
    path_ctx pc = {chk, query};
    release_query q = {.f = f,
                       .is_release = user_releases,
                       .ctx = &pc,
                       .loop = f->loop_of[s],
                       .cond = branch_condition(f, s),
                       .return_hands_off = query->hands_off ? user_hands_off : NULL};
    uint32_t where = NONE32;
    int leak = release_check(&q, s, &where);
    if (*f->oom) return GOLEAK_ENOMEM;
    if (at && leak != LEAK_NONE) *at = node_ptr(chk, where);
    return leak;
}
