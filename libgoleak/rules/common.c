/* Helpers shared by the built-in rules: see common.h. */
#include "common.h"

#include "../query.h"

#include <stdio.h>
#include <string.h>

const char *snippet(const facts *f, uint32_t a, uint32_t b, char *buf, size_t size) {
    if (a == NONE32 || b < a || size < 8) {
        snprintf(buf, size, "?");
        return buf;
    }
    /* tokens, not bytes: comments and line breaks do not show */
    size_t o = 0, limit = size - 4 < 48 ? size - 4 : 48;
    for (uint32_t k = a; k <= b; k++) {
        const token *t = &f->toks[k];
        if (t->flags & TF_AUTO) continue;
        if (k > a && t->off > f->toks[k - 1].off + f->toks[k - 1].len && o > 0) buf[o++] = ' ';
        if (o + t->len > limit) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(buf + o, f->src + t->off, t->len);
        o += t->len;
    }
    buf[o] = 0;
    return buf;
}

const char *node_snippet(const facts *f, uint32_t n, char *buf, size_t size) {
    return snippet(f, f->nodes[n].first, f->nodes[n].last, buf, size);
}

uint32_t tok_line(const facts *f, uint32_t i) {
    return unit_pos(f->u, f->toks[i].off).line;
}

int is_goroutine_body(const facts *f, uint32_t fn) {
    uint32_t call = f->nodes[fn].parent;
    if (call == NONE32 || f->nodes[call].kind != N(CALL)) return 0;
    if (f->nodes[fn].last + 1 != f->nodes[call].key) return 0; /* the callee, not an argument */
    uint32_t g = f->nodes[call].parent;
    return g != NONE32 && f->nodes[g].kind == N(GO);
}

int is_task_body(const facts *f, uint32_t fn) {
    if (is_goroutine_body(f, fn)) return 1;
    /* x.Go(func() error {...}): the literal is the call's only argument */
    uint32_t arg = f->nodes[fn].parent;
    uint32_t call = arg != NONE32 ? f->nodes[arg].parent : NONE32;
    if (call == NONE32 || f->nodes[call].kind != N(CALL) || f->nodes[fn].kind != N(FUNCLIT) ||
        call_arg(f, call, 0) != arg || expr_node(f, arg) != fn)
        return 0;
    const call_fact *c = call_of(f, call);
    return c && c->nargs == 1 && c->recv_first != NONE32 && c->name != NONE32 &&
           tok_is(f, c->name, "Go");
}

uint32_t top_func(const facts *f, uint32_t n) {
    uint32_t fn = NONE32;
    for (uint32_t p = enclosing_func(f, n); p != NONE32; p = enclosing_func(f, p)) fn = p;
    return fn;
}

/* Whether statement s always leaves loop: a return, goto, break to the
 * loop's label, a call that never returns, an if/else or block whose every
 * branch ends that way. A plain break leaves the loop only when no switch,
 * select or inner loop stands between them. */
int break_leaves(const facts *f, uint32_t br, uint32_t loop) {
    uint32_t kw = f->nodes[br].first;
    if (f->toks[kw].kind != T(BREAK)) return 0;
    if (f->toks[kw + 1].kind == T(IDENT)) {
        uint32_t l = f->nodes[loop].parent;
        return l != NONE32 && f->nodes[l].kind == N(LABELED) &&
               tok_same(f, kw + 1, f->nodes[l].first) && node_within(f, br, loop);
    }
    /* a plain break leaves the innermost for, range, switch or select */
    for (uint32_t p = f->nodes[br].parent; p != NONE32; p = f->nodes[p].parent) {
        if (p == loop) return 1;
        int pk = f->nodes[p].kind;
        if (pk == N(FOR) || pk == N(RANGE) || pk == N(SWITCH) || pk == N(TYPESWITCH) ||
            pk == N(SELECT) || pk == N(FUNC) || pk == N(FUNCLIT))
            return 0;
    }
    return 0;
}

uint32_t loop_exit(const facts *f, uint32_t lp, uint32_t fn,
                   int (*skip)(const facts *f, uint32_t exit, const void *ctx), const void *ctx) {
    uint32_t a = f->nodes[lp].first, b = f->nodes[lp].last;
    FOR_KIND_IN(f, N(RETURN), r, a + 1, b) {
        if (enclosing_func(f, r) == fn && !(skip && skip(f, r, ctx))) return r;
    }
    FOR_KIND_IN(f, N(CALL), c, a, b) {
        if (enclosing_func(f, c) != fn) continue;
        if (call_never_returns(f, c) && !(skip && skip(f, c, ctx))) return c;
    }
    FOR_KIND_IN(f, N(BRANCH), br, a + 1, b) {
        if (enclosing_func(f, br) != fn) continue;
        if ((f->toks[f->nodes[br].first].kind == T(GOTO) || break_leaves(f, br, lp)) &&
            !(skip && skip(f, br, ctx)))
            return br;
    }
    return NONE32;
}

int stmt_leaves_loop(const facts *f, uint32_t s, uint32_t loop) {
    switch (f->nodes[s].kind) {
    case N(RETURN): return 1;
    case N(EXPRSTMT): {
        uint32_t c = expr_node(f, s);
        return c != NONE32 && f->nodes[c].kind == N(CALL) && call_never_returns(f, c);
    }
    case N(BRANCH): return f->toks[f->nodes[s].first].kind == T(GOTO) || break_leaves(f, s, loop);
    case N(BLOCK): {
        uint32_t last = NONE32;
        for (uint32_t c = f->nodes[s].child; c != NONE32; c = f->nodes[c].next) last = c;
        return last != NONE32 && stmt_leaves_loop(f, last, loop);
    }
    case N(IF): {
        uint32_t body = nth_child_by_role(f, s, R(BODY), 0);
        uint32_t els = nth_child_by_role(f, s, R(ELSE), 0);
        return body != NONE32 && els != NONE32 && stmt_leaves_loop(f, body, loop) &&
               stmt_leaves_loop(f, els, loop);
    }
    default: return 0;
    }
}

int leave_memo_init(leave_memo *m, const facts *f) {
    size_t n = ((size_t)f->u->nodes.len + 1) * sizeof(uint32_t);
    m->last = gl_malloc(f->alloc, n);
    m->loop = gl_malloc(f->alloc, n);
    if (!m->last || !m->loop) return -1;
    memset(m->loop, 0xff, n);
    return 0;
}

void leave_memo_free(leave_memo *m, const facts *f) {
    gl_free(f->alloc, m->last);
    gl_free(f->alloc, m->loop);
}

/* The last statement of list p that always leaves loop, NONE32. */
static uint32_t last_leaver(const facts *f, uint32_t p, uint32_t loop, leave_memo *m) {
    if (m && m->loop[p] == loop) return m->last[p];
    uint32_t found = NONE32;
    for (uint32_t x = f->nodes[p].child; x != NONE32; x = f->nodes[x].next)
        if (f->nodes[x].role == R(NONE) && stmt_leaves_loop(f, x, loop)) found = x;
    if (m) {
        m->loop[p] = loop;
        m->last[p] = found;
    }
    return found;
}

int leaves_loop_after(const facts *f, uint32_t n, uint32_t loop, leave_memo *m) {
    for (uint32_t s = n; s != NONE32 && s != loop; s = f->nodes[s].parent) {
        uint32_t p = f->nodes[s].parent;
        if (p == NONE32) break;
        if (!m) {
            for (uint32_t x = f->nodes[s].next; x != NONE32; x = f->nodes[x].next)
                if (f->nodes[x].role == R(NONE) && stmt_leaves_loop(f, x, loop)) return 1;
            continue;
        }
        uint32_t last = last_leaver(f, p, loop, m);
        if (last != NONE32 && f->nodes[last].first > f->nodes[s].last) return 1;
    }
    return 0;
}

/* The first statement of list p that is a call never returning, NONE32;
 * computed once per list (the facts keep it). */
static uint32_t first_exit_of(const facts *f, uint32_t p) {
    uint32_t *memo = facts_exit_memo(f);
    if (!memo) return NONE32; /* out of memory: the check fails */
    if (memo[p] != UNKNOWN_EXIT) return memo[p];
    uint32_t found = NONE32;
    for (uint32_t s = f->nodes[p].child; s != NONE32 && found == NONE32; s = f->nodes[s].next) {
        if (f->nodes[s].kind != N(EXPRSTMT)) continue;
        uint32_t call = expr_node(f, s);
        if (call != NONE32 && f->nodes[call].kind == N(CALL) && call_never_returns(f, call))
            found = s;
    }
    memo[p] = found; /* a memo through the const facts: one thread per check */
    return found;
}

int unreachable(const facts *f, uint32_t n) {
    for (uint32_t c = n, p = f->nodes[n].parent; p != NONE32; c = p, p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if (k == N(FUNC)) return 0;
        if (k != N(BLOCK) && k != N(CASE) && k != N(COMM)) continue;
        uint32_t exit = first_exit_of(f, p);
        /* an earlier statement of the list never returns */
        if (exit != NONE32 && f->nodes[exit].first < f->nodes[c].first) return 1;
    }
    return 0;
}

/* The name token of the parameter of fn at position k (0-based; the names
 * of every parameter field in turn), NONE32. */
static uint32_t param_name_at(const facts *f, uint32_t fn, uint32_t k) {
    uint32_t idx = 0;
    for (uint32_t c = f->nodes[fn].child; c != NONE32; c = f->nodes[c].next) {
        if (f->nodes[c].kind != N(FIELD) || f->nodes[c].role != R(PARAM)) continue;
        uint32_t type = child_by_role(f, c, R(TYPE));
        uint32_t end = type != NONE32 ? f->nodes[type].first : f->nodes[c].last + 1;
        for (uint32_t i = f->nodes[c].first; i < end; i++) {
            if (f->toks[i].kind != T(IDENT)) continue;
            if (idx++ == k) return i;
        }
    }
    return NONE32;
}

const var_fact *param_at(const facts *f, uint32_t fn, uint32_t k) {
    uint32_t name = param_name_at(f, fn, k);
    return name != NONE32 ? resolve(f, name) : NULL;
}

uint32_t param_pos(const facts *f, uint32_t fn, uint32_t var) {
    uint32_t name = f->vars.data[var].name, at;
    for (uint32_t k = 0; (at = param_name_at(f, fn, k)) != NONE32; k++)
        if (at == name) return k;
    return NONE32;
}

int var_used_in(const facts *f, const var_fact *v, uint32_t n) {
    uint32_t a = f->nodes[n].first, b = f->nodes[n].last;
    return a > 0 && next_use(f, v, a - 1, b) != NONE32;
}

int var_set_in(const facts *f, const var_fact *v, uint32_t from, uint32_t to) {
    for (uint32_t u = next_use(f, v, from, to); u != NONE32; u = next_use(f, v, u, to)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == GOLEAK_USE_ASSIGN || (ui.flags & GOLEAK_USE_ADDRESS)) return 1;
    }
    return 0;
}

int u32_cmp(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int tok_has_prefix(const facts *f, uint32_t i, const char *prefix) {
    size_t n = strlen(prefix);
    return f->toks[i].len >= n && memcmp(f->src + f->toks[i].off, prefix, n) == 0;
}

int use_hands_on(const use_info *ui) {
    switch (ui->kind) {
    case GOLEAK_USE_RETURN:
    case GOLEAK_USE_ARG:
    case GOLEAK_USE_SEND:
    case GOLEAK_USE_STORE:
    case GOLEAK_USE_COPY:
    case GOLEAK_USE_COMPOSITE: return 1;
    default: return 0;
    }
}

int tok_mentions(const facts *f, uint32_t i, const char *const *words, size_t n) {
    const char *x = (const char *)f->src + f->toks[i].off;
    uint32_t len = f->toks[i].len;
    for (size_t w = 0; w < n; w++) {
        size_t m = strlen(words[w]);
        for (uint32_t j = 0; j + m <= len; j++) {
            size_t q = 0;
            while (q < m && (x[j + q] | 0x20) == words[w][q]) q++;
            if (q == m) return 1;
        }
    }
    return 0;
}

int is_test_func(const facts *f, uint32_t fn) {
    const node *x = &f->nodes[fn];
    if (x->kind == N(FUNC) && x->key != NONE32) {
        static const char *const prefixes[] = {"Test", "Benchmark", "Fuzz", "Example"};
        for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++)
            if (tok_has_prefix(f, x->key, prefixes[k])) return 1;
    }
    for (uint32_t c = x->child; c != NONE32; c = f->nodes[c].next) {
        if (f->nodes[c].kind != N(FIELD) || f->nodes[c].role != R(PARAM)) continue;
        uint32_t t = child_by_role(f, c, R(TYPE));
        if (t == NONE32) continue;
        uint32_t a = f->nodes[t].first, b = f->nodes[t].last;
        if (f->toks[a].kind == T(MUL)) a++;
        if (b == a + 2 && tok_is(f, a, "testing") &&
            (tok_is(f, b, "T") || tok_is(f, b, "B") || tok_is(f, b, "F") || tok_is(f, b, "TB")))
            return 1;
    }
    return 0;
}

int in_test_file(const facts *f) {
    const char *path = goleak_unit_path(f->u);
    size_t n = path ? strlen(path) : 0;
    return n >= 8 && strcmp(path + n - 8, "_test.go") == 0;
}

int in_package_main(const facts *f) {
    uint32_t root = f->u->root;
    for (uint32_t c = f->nodes[root].child; c != NONE32; c = f->nodes[c].next)
        if (f->nodes[c].kind == N(PACKAGE))
            return f->nodes[c].key != NONE32 && tok_is(f, f->nodes[c].key, "main");
    return 0;
}

int tok_exported(const facts *f, uint32_t tok) {
    uint8_t c = f->src[f->toks[tok].off];
    return c >= 'A' && c <= 'Z';
}

/* ---- prefilters ---- */

int unit_in_loop_body(const goleak_unit *u, uint32_t n) {
    const node *nd = u->nodes.data;
    for (uint32_t c = n, p = nd[n].parent; p != NONE32; c = p, p = nd[p].parent) {
        int k = nd[p].kind;
        if (k == N(FUNC) || k == N(FUNCLIT)) return 0;
        if ((k == N(FOR) || k == N(RANGE)) && nd[c].role == R(BODY)) return 1;
    }
    return 0;
}

int unit_tokens_are(const goleak_unit *u, uint32_t i, const char *const *words, size_t n) {
    if (i + n > u->toks.len) return 0;
    for (size_t k = 0; k < n; k++) {
        /* a token's source text is its spelling (an automatic semicolon has none) */
        const token *t = &u->toks.data[i + k];
        /* the first byte rejects most tokens before strlen and memcmp */
        if (t->len == 0 ? words[k][0] != '\0' : u->src[t->off] != (uint8_t)words[k][0]) return 0;
        size_t len = strlen(words[k]);
        if (t->len != len || memcmp(u->src + t->off, words[k], len) != 0) return 0;
    }
    return 1;
}

int unit_has_tokens(const goleak_unit *u, const char *const *words, size_t n) {
    if (n == 0) return 1;
    /* the first word's length and byte reject most tokens without a call */
    size_t len0 = strlen(words[0]);
    uint8_t c0 = (uint8_t)words[0][0];
    for (uint32_t i = 0; i + n <= u->toks.len; i++) {
        const token *t = &u->toks.data[i];
        if (t->len != len0 || (len0 > 0 && u->src[t->off] != c0)) continue;
        if (unit_tokens_are(u, i, words, n)) return 1;
    }
    return 0;
}

uint32_t first_captured_use(const facts *f, const var_fact *v, uint32_t *memo) {
    uint32_t k = (uint32_t)(v - f->vars.data);
    if (memo && memo[k] != UNKNOWN_EXIT) return memo[k];
    uint32_t end = f->u->toks.len - 1, found = NONE32;
    for (uint32_t u = first_use_in(f, v, 0, end); u != NONE32 && found == NONE32;
         u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.flags & GOLEAK_USE_CAPTURED) found = u;
    }
    if (memo) memo[k] = found;
    return found;
}

/* ---- what runs once in a loop ---- */

/* Whether token i is a zero value literal: nil, "", ``, 0, false. */
static int zero_value(const facts *f, uint32_t i) {
    if (tok_is(f, i, "nil") || tok_is(f, i, "false") || tok_is(f, i, "0")) return 1;
    return f->toks[i].kind == T(STRING) && f->toks[i].len == 2;
}

int guarded_once_in_loop(const facts *f, uint32_t d, uint32_t loop) {
    for (uint32_t p = f->nodes[d].parent; p != NONE32 && p != loop; p = f->nodes[p].parent) {
        if (f->nodes[p].kind != N(IF)) continue;
        uint32_t cond = child_by_role(f, p, R(COND)), body = child_by_role(f, p, R(BODY));
        uint32_t els = child_by_role(f, p, R(ELSE));
        if (cond == NONE32 || body == NONE32) continue;
        /* if x == nil { x = ...; defer } or if x != nil { ... } else { x = ...; defer } */
        int op = node_within(f, d, body)                   ? T(EQL)
                 : els != NONE32 && node_within(f, d, els) ? T(NEQ)
                                                           : 0;
        if (op == T(NEQ)) body = els;
        for (uint32_t i = f->nodes[cond].first; op && i + 2 <= f->nodes[cond].last; i++) {
            if (f->toks[i].kind != T(IDENT) || f->toks[i + 1].kind != op || !zero_value(f, i + 2))
                continue;
            const var_fact *v = resolve(f, i);
            if (!v) continue;
            for (uint32_t u = next_use(f, v, f->nodes[body].first, f->nodes[body].last);
                 u != NONE32; u = next_use(f, v, u, f->nodes[body].last)) {
                int nk = f->toks[u + 1].kind;
                if (nk == T(ASSIGN) || (nk == T(COMMA) && f->toks[u - 1].kind != T(LPAREN)))
                    return 1;
            }
        }
    }
    return 0;
}

/* ---- brackets ---- */

uint32_t matching(const facts *f, uint32_t i, uint32_t b) {
    int open = f->toks[i].kind, close = open == T(LBRACK) ? T(RBRACK) : T(RPAREN);
    int depth = 0;
    for (uint32_t k = i; k <= b; k++) {
        if (f->toks[k].kind == open)
            depth++;
        else if (f->toks[k].kind == close && --depth == 0)
            return k;
    }
    return NONE32;
}

/* ---- channel makes ---- */

int make_chan_capacity(const facts *f, uint32_t mk, uint32_t last, uint32_t *close) {
    if (mk + 2 > last || !tok_is(f, mk, "make") || f->toks[mk + 1].kind != T(LPAREN) ||
        f->toks[mk + 2].kind != T(CHAN))
        return MAKE_NOT_CHAN;
    /* the capacity: the last comma at the call's own depth */
    int depth = 0;
    uint32_t comma = NONE32, i;
    for (i = mk + 1; i <= last; i++) {
        int k = f->toks[i].kind;
        if (k == T(LPAREN) || k == T(LBRACK) || k == T(LBRACE)) depth++;
        if ((k == T(RPAREN) || k == T(RBRACK) || k == T(RBRACE)) && --depth == 0) break;
        if (k == T(COMMA) && depth == 1) comma = i;
    }
    *close = i;
    if (comma == NONE32) return MAKE_CAP_NONE;
    return comma + 2 == i && tok_is(f, comma + 1, "0") ? MAKE_CAP_ZERO : MAKE_CAP_SOME;
}

/* ---- select cases ---- */

int clause_runs_once(const facts *f, uint32_t clause, uint32_t loop) {
    uint32_t comm = child_by_role(f, clause, R(COMM));
    if (comm == NONE32) return 0;
    uint32_t recv = NONE32;
    FOR_KIND_IN(f, N(RECV), r, f->nodes[comm].first, f->nodes[comm].last) {
        recv = r;
        break;
    }
    if (recv == NONE32) return 0;
    uint32_t a = f->nodes[recv].first + 1, b = f->nodes[recv].last;
    /* case <-t.C: of a timer */
    if (b == a + 2 && tok_is(f, b, "C") && f->toks[a + 1].kind == T(PERIOD)) {
        const var_fact *t = resolve(f, a);
        if (!t || t->kind != VK_TIMER || t->name > f->nodes[loop].first) return 0;
        uint32_t n;
        const uint32_t *resets = calls_named_text(f, "Reset", &n);
        for (uint32_t i = 0; i < n; i++) {
            const call_fact *c = &f->calls.data[resets[i]];
            if (c->recv_first == NONE32 || c->recv_first != c->recv_last ||
                resolve(f, c->recv_first) != t || !node_within(f, c->node, loop))
                continue;
            /* if t.Stop() { t.Reset(0) } */
            int guarded = 0;
            for (uint32_t p = f->nodes[c->node].parent; p != NONE32 && p != loop && !guarded;
                 p = f->nodes[p].parent) {
                uint32_t cond = f->nodes[p].kind == N(IF) ? child_by_role(f, p, R(COND)) : NONE32;
                if (cond == NONE32) continue;
                FOR_KIND_IN(f, N(CALL), sc, f->nodes[cond].first, f->nodes[cond].last) {
                    const call_fact *s = call_of(f, sc);
                    if (s && s->recv_first == s->recv_last && s->recv_first != NONE32 &&
                        resolve(f, s->recv_first) == t && tok_is(f, s->name, "Stop"))
                        guarded = 1;
                }
            }
            if (!guarded) return 0;
        }
        return 1;
    }
    if (a != b) return 0;
    const var_fact *ch = resolve(f, a);
    if (!ch) return 0;
    /* case <-ch: ...; ch = nil */
    for (uint32_t u = next_use(f, ch, f->nodes[clause].first, f->nodes[clause].last); u != NONE32;
         u = next_use(f, ch, u, f->nodes[clause].last)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == GOLEAK_USE_ASSIGN && f->nodes[ui.node].kind == N(ASSIGN)) {
            uint32_t rhs = nth_child_by_role(f, ui.node, R(RHS), ui.index);
            if (rhs != NONE32 && f->nodes[rhs].first == f->nodes[rhs].last &&
                tok_is(f, f->nodes[rhs].first, "nil"))
                return 1;
        }
    }
    /* a channel that delivers one value: CloseNotify()'s */
    if (ch->value != NONE32 && ch->name < f->nodes[loop].first) {
        uint32_t c = expr_node(f, ch->value);
        const call_fact *cf = c != NONE32 ? call_of(f, c) : NULL;
        if (cf && cf->name != NONE32 && tok_is(f, cf->name, "CloseNotify")) return 1;
    }
    /* a reply channel: made before the loop with one slot, handed once (not
     * in a loop) to whoever answers, and never sent on here */
    if (!(ch->kind == VK_CHAN && (ch->flags & VF_MADE) && ch->chan_cap == 1 &&
          ch->name < f->nodes[loop].first && ch->func == enclosing_func(f, loop)))
        return 0;
    int handed = 0;
    uint32_t end = f->nodes[ch->func].last;
    for (uint32_t u = next_use(f, ch, ch->name, end); u != NONE32; u = next_use(f, ch, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == GOLEAK_USE_SEND_ON) return 0;
        if (ui.kind == GOLEAK_USE_ARG || ui.kind == GOLEAK_USE_COMPOSITE ||
            ui.kind == GOLEAK_USE_SEND || ui.kind == GOLEAK_USE_STORE) {
            if (handed++ || loop_around(f, node_at(f, u)) != NONE32 ||
                (ui.flags & GOLEAK_USE_CAPTURED) || ui.kind == GOLEAK_USE_STORE)
                return 0;
            /* in a request message: a literal that is sent or passed, not
             * kept (a connection wrapper would send on it again and again) */
            if (ui.kind == GOLEAK_USE_COMPOSITE) {
                value_target t;
                uint32_t lit = ui.node, e = q_slot_of(f, lit);
                if (e == NONE32) return 0;
                q_value_target(f, e, 0, &t);
                if (t.kind != GOLEAK_TARGET_SEND && t.kind != GOLEAK_TARGET_ARG) return 0;
            }
        } else if (ui.flags & GOLEAK_USE_CAPTURED) {
            return 0; /* a closure that may send on it */
        }
    }
    return handed == 1;
}

/* ---- tests ---- */

int call_ends_process(const facts *f, const call_fact *c) {
    if (!c || c->name == NONE32) return 0;
    return call_is_func(f, c, "panic") || call_is_pkg(f, c, PKG_OS, "Exit") ||
           (c->pkg == PKG_LOG && tok_has_prefix(f, c->name, "Fatal"));
}

int fails_test(const facts *f, uint32_t call) {
    const call_fact *c = call_of(f, call);
    if (!c || c->name == NONE32) return 0;
    if (call_is_func(f, c, "panic")) return 1;
    static const char *const methods[] = {"Fatal", "Fatalf", "FailNow", "Fail", "Error", "Errorf"};
    static const char *const asserts[] = {"Fail", "FailNow", "Failf", "Fatalf", "Fatal"};
    if (c->pkg != PKG_NONE) {
        /* require.Fail(t, ...), assert.Failf(t, ...): an assertion package
         * (its name is the token before the dot) */
        if (c->pkg != PKG_OTHER || c->name < 2 ||
            !(tok_is(f, c->name - 2, "require") || tok_is(f, c->name - 2, "assert")))
            return 0;
        for (size_t k = 0; k < sizeof asserts / sizeof *asserts; k++)
            if (tok_is(f, c->name, asserts[k])) return 1;
        return 0;
    }
    if (c->recv_first == NONE32) return 0;
    int named = 0;
    for (size_t k = 0; k < sizeof methods / sizeof *methods && !named; k++)
        named = tok_is(f, c->name, methods[k]);
    if (!named) return 0;
    /* the receiver is a test handle: a variable or parameter (t, b, tb, c)
     * or x.T() of a suite; not a logger (log.Errorf, s.logger.Error) */
    uint32_t a = c->recv_first, b = c->recv_last;
    if (a == b) {
        const var_fact *v = resolve(f, a);
        if (!v) return 0;
        if (v->type_first != NONE32) {
            uint32_t t = v->type_first;
            if (f->toks[t].kind == T(MUL)) t++;
            return tok_is(f, t, "testing") || tok_is(f, t, "check") || tok_is(f, t, "C") ||
                   tok_is(f, t, "T");
        }
        return tok_is(f, a, "t") || tok_is(f, a, "b") || tok_is(f, a, "tb");
    }
    return b >= a + 2 && f->toks[b].kind == T(RPAREN) && f->toks[b - 1].kind == T(LPAREN) &&
           tok_is(f, b - 2, "T");
}

int in_test_code(const facts *f, uint32_t n) {
    if (in_test_file(f)) return 1;
    for (uint32_t fn = enclosing_func(f, n); fn != NONE32; fn = enclosing_func(f, fn))
        if (is_test_func(f, fn)) return 1;
    return 0;
}

/* Whether statement s is a call that fails the test. */
static int failing_stmt(const facts *f, uint32_t s) {
    if (f->nodes[s].kind != N(EXPRSTMT)) return 0;
    uint32_t call = expr_node(f, s);
    return call != NONE32 && f->nodes[call].kind == N(CALL) && fails_test(f, call);
}

uint32_t test_failed_before(const facts *f, uint32_t s) {
    if (!in_test_code(f, s)) return NONE32;
    if (failing_stmt(f, s)) return expr_node(f, s);
    for (uint32_t c = s, p = f->nodes[s].parent; p != NONE32; c = p, p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if (k == N(FUNC) || k == N(FUNCLIT)) break;
        if (k != N(BLOCK) && k != N(CASE) && k != N(COMM)) continue;
        for (uint32_t x = f->nodes[p].child; x != NONE32 && x != c; x = f->nodes[x].next)
            if (f->nodes[x].role == R(NONE) && failing_stmt(f, x)) return expr_node(f, x);
    }
    return NONE32;
}

/* Whether receive operand tokens [a, b] are a timeout: time.After(...),
 * time.Tick(...), x.C, x.Done(). */
static int timeout_channel(const facts *f, uint32_t a, uint32_t b) {
    uint32_t call = call_at(f, a, b);
    if (call != NONE32) {
        const call_fact *c = call_of(f, call);
        return call_is_pkg(f, c, PKG_TIME, "After") || call_is_pkg(f, c, PKG_TIME, "Tick") ||
               (c && c->recv_first != NONE32 && c->nargs == 0 && tok_is(f, c->name, "Done"));
    }
    return b > a && tok_is(f, b, "C") && f->toks[b - 1].kind == T(PERIOD);
}

uint32_t test_failed_in_clause(const facts *f, uint32_t c) {
    if (!in_test_code(f, c)) return NONE32;
    for (uint32_t x = f->nodes[c].child; x != NONE32; x = f->nodes[x].next) {
        if (f->nodes[x].role == R(NONE) && failing_stmt(f, x)) return expr_node(f, x);
        if (f->nodes[x].role != R(COMM)) continue;
        /* case <-time.After(d):, case <-ctx.Done():, case <-timer.C: */
        FOR_KIND_IN(f, N(RECV), r, f->nodes[x].first, f->nodes[x].last) {
            if (node_within(f, r, x) && timeout_channel(f, f->nodes[r].first + 1, f->nodes[r].last))
                return r;
            break;
        }
    }
    return NONE32;
}

failure_note after_failure(int failed) {
    failure_note n = {-1, ""};
    if (failed) {
        n.severity = GOLEAK_SEVERITY_INFO;
        n.note = " (this happens only after the test has failed)";
    }
    return n;
}

const var_fact *receiver_var(const facts *f, uint32_t fn) {
    uint32_t r = child_by_role(f, fn, R(RECV));
    if (r == NONE32) return NULL;
    for (uint32_t i = f->nodes[r].first; i <= f->nodes[r].last; i++) {
        const var_fact *v = f->toks[i].kind == T(IDENT) ? resolve(f, i) : NULL;
        if (v && v->name == i) return v;
    }
    return NULL;
}

/* The body of the `if err != nil` that tests the error call returns: the
 * call assigns its one result to err (err := c(...); or in the if's own
 * init), and the if comes right after. NONE32 when there is none. */
uint32_t error_branch(const facts *f, uint32_t call) {
    uint32_t rhs = f->nodes[call].parent;
    if (rhs == NONE32 || f->nodes[rhs].role != R(RHS)) return NONE32;
    uint32_t as = f->nodes[rhs].parent;
    if (as == NONE32 || f->nodes[as].kind != N(ASSIGN)) return NONE32;
    uint32_t lhs = nth_child_by_role(f, as, R(LHS), 0), t;
    if (lhs == NONE32 || nth_child_by_role(f, as, R(LHS), 1) != NONE32 || !expr_ident(f, lhs, &t))
        return NONE32;
    uint32_t ifs = f->nodes[as].role == R(INIT) ? f->nodes[as].parent : f->nodes[as].next;
    if (ifs == NONE32 || f->nodes[ifs].kind != N(IF)) return NONE32;
    uint32_t cond = child_by_role(f, ifs, R(COND));
    if (cond == NONE32) return NONE32;
    uint32_t a = f->nodes[cond].first;
    if (f->nodes[cond].last != a + 2 || !tok_same(f, a, t) || f->toks[a + 1].kind != T(NEQ) ||
        !tok_is(f, a + 2, "nil"))
        return NONE32;
    return child_by_role(f, ifs, R(BODY));
}

const char *func_name(const facts *f, uint32_t n, char *buf, size_t size) {
    uint32_t fn = enclosing_func(f, n);
    while (fn != NONE32 && f->nodes[fn].kind == N(FUNCLIT)) fn = enclosing_func(f, fn);
    if (fn == NONE32 || f->nodes[fn].key == NONE32) return snprintf(buf, size, "?"), buf;
    return snippet(f, f->nodes[fn].key, f->nodes[fn].key, buf, size);
}

/* The last RESULT child of node n (a function's result list, or a
 * return's values), NONE32. */
static uint32_t last_result(const facts *f, uint32_t n) {
    uint32_t last = NONE32;
    for (uint32_t c = f->nodes[n].child; c != NONE32; c = f->nodes[c].next)
        if (f->nodes[c].role == R(RESULT)) last = c;
    return last;
}

int returns_error(const facts *f, uint32_t fn) {
    uint32_t last = last_result(f, fn);
    return last != NONE32 && tok_is(f, f->nodes[last].last, "error");
}

int returns_nil_error(const facts *f, uint32_t ret) {
    uint32_t last = last_result(f, ret);
    if (last == NONE32) return 1; /* a bare return (named results): not told */
    return f->nodes[last].first == f->nodes[last].last && tok_is(f, f->nodes[last].first, "nil");
}

int unbounded_loop(const facts *f, uint32_t lp) {
    if (f->nodes[lp].kind == N(FOR)) {
        uint32_t cond = child_by_role(f, lp, R(COND));
        if (cond == NONE32) return 1;
        uint32_t e = expr_node(f, cond);
        return e != NONE32 && f->nodes[e].kind == N(CALL) &&
               f->nodes[e].first == f->nodes[cond].first;
    }
    uint32_t x = child_by_role(f, lp, R(X)), t;
    const var_fact *v = x != NONE32 && expr_ident(f, x, &t) ? resolve(f, t) : NULL;
    return v && v->kind == VK_CHAN;
}

/* Whether tokens [a, b] are `- k` or `/ k` or `/ k + c` (k, c constants,
 * a division by at least 2): what makes a count smaller than its base. */
static int smaller_tail(const facts *f, uint32_t a, uint32_t b) {
    if (b < a + 1) return 0;
    int op = f->toks[a].kind;
    if (op == T(SUB)) return b == a + 1 && const_value(f, a + 1, b) > 0;
    if (op != T(QUO)) return 0;
    if (b == a + 1) return const_value(f, a + 1, a + 1) >= 2;
    return b == a + 3 && const_value(f, a + 1, a + 1) >= 2 && f->toks[a + 2].kind == T(ADD) &&
           const_value(f, b, b) >= 0;
}

int loop_bound_of(const facts *f, uint32_t lp, loop_bound *out) {
    out->less = 0;
    out->range = 0;
    if (f->nodes[lp].kind == N(RANGE)) {
        uint32_t x = child_by_role(f, lp, R(X));
        if (x == NONE32) return 0;
        out->a = f->nodes[x].first;
        out->b = f->nodes[x].last;
        out->range = 1;
        return 1;
    }
    uint32_t init = child_by_role(f, lp, R(INIT)), cond = child_by_role(f, lp, R(COND));
    if (init == NONE32 || cond == NONE32) return 0;
    uint32_t rhs = nth_child_by_role(f, init, R(RHS), 0);
    if (rhs == NONE32 || const_value(f, f->nodes[rhs].first, f->nodes[rhs].last) != 0) return 0;
    uint32_t a = f->nodes[cond].first, b = f->nodes[cond].last;
    if (b < a + 2 || f->toks[a].kind != T(IDENT) || f->toks[a + 1].kind != T(LSS)) return 0;
    a += 2;
    /* len(X) and what follows it */
    if (b >= a + 3 && tok_is(f, a, "len") && f->toks[a + 1].kind == T(LPAREN)) {
        uint32_t close = matching(f, a + 1, b);
        if (close != NONE32 && close > a + 2) {
            out->a = a + 2;
            out->b = close - 1;
            out->range = 1;
            if (close == b) return 1;
            out->less = smaller_tail(f, close + 1, b);
            return out->less;
        }
    }
    /* E - k */
    if (b >= a + 2 && smaller_tail(f, b - 1, b) && f->toks[b - 1].kind == T(SUB)) {
        out->less = 1;
        b -= 2;
    }
    out->a = a;
    out->b = b;
    return 1;
}

int declared_context(const facts *f, const var_fact *v) {
    uint32_t a = v->type_first, b = v->type_last;
    return a != NONE32 && b == a + 2 && ident_pkg(f, a) == PKG_CONTEXT && tok_is(f, b, "Context");
}

/* Whether tokens [a, b] name a ticker: a variable made by time.NewTicker,
 * or a field x.f whose declared type is *time.Ticker (or which the file
 * sets to time.NewTicker(...)). */
int names_ticker(const facts *f, uint32_t a, uint32_t b) {
    if (a == b) {
        const var_fact *v = resolve(f, a);
        return v && v->kind == VK_TICKER;
    }
    if (f->toks[b].kind != T(IDENT) || f->toks[b - 1].kind != T(PERIOD)) return 0;
    const field_fact *ff = find_field(f, b);
    if (ff && ff->kind == VK_TICKER) return 1;
    uint32_t n;
    const uint32_t *calls = calls_named_text(f, "NewTicker", &n);
    for (uint32_t i = 0; i < n; i++) {
        const call_fact *c = &f->calls.data[calls[i]];
        if (!call_is_pkg(f, c, PKG_TIME, "NewTicker")) continue;
        value_target t;
        q_value_target(f, c->node, 0, &t);
        if ((t.kind == GOLEAK_TARGET_FIELD && tok_same(f, t.last, b)) ||
            (t.kind == GOLEAK_TARGET_ELEMENT && t.first != NONE32 && tok_same(f, t.first, b)))
            return 1;
    }
    return 0;
}

int ranges_ticker(const facts *f, uint32_t loop) {
    if (f->nodes[loop].kind != N(RANGE)) return 0;
    uint32_t x = child_by_role(f, loop, R(X));
    if (x == NONE32) return 0;
    uint32_t a = f->nodes[x].first, b = f->nodes[x].last;
    return b >= a + 2 && tok_is(f, b, "C") && f->toks[b - 1].kind == T(PERIOD) &&
           names_ticker(f, a, b - 2);
}

/* Whether some x.Stop() of the file outside function fn stops the ticker
 * named [a, b]: t.Stop() for a variable, any x.f.Stop() for a field f. A
 * Stop inside fn (deferred, or after the loop) cannot run while fn ranges. */
int ticker_stopped_elsewhere(const facts *f, uint32_t a, uint32_t b, uint32_t fn) {
    uint32_t n;
    const uint32_t *stops = calls_named_text(f, "Stop", &n);
    const var_fact *v = a == b ? resolve(f, a) : NULL;
    if (a == b && !v) return 0;
    for (uint32_t k = 0; k < n; k++) {
        const call_fact *c = &f->calls.data[stops[k]];
        if (c->recv_first == NONE32 || node_within(f, c->node, fn)) continue;
        if (v ? (c->recv_first == c->recv_last && resolve(f, c->recv_first) == v)
              : (c->recv_last > c->recv_first && tok_same(f, c->recv_last, b)))
            return 1;
    }
    return 0;
}

uint32_t return_without(const facts *f, uint32_t stmt,
                        int (*is_release)(const release_query *q, uint32_t call), void *ctx) {
    release_query q = {
        .f = f, .is_release = is_release, .ctx = ctx, .loop = loop_around(f, stmt), .cond = NONE32};
    uint32_t at;
    return release_check(&q, stmt, &at) == LEAK_RETURN ? at : NONE32;
}
