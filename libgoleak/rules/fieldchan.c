/* Channels kept in a field by the function that starts their senders. */
#include "fieldchan.h"

#include "../query.h"
#include "common.h"
#include "goroutine.h"
#include "pkgindex.h"

enum field_op { FOP_NONE, FOP_OTHER, FOP_MADE, FOP_SEND, FOP_RECV, FOP_RANGE };

/* What use u of fc->root does with the field channel: FOP_NONE when it is
 * not the field (x.other, x.errc.y, x.errc[i]), else the operation. *op_node
 * receives the SEND, RECV or RANGE node. */
static int field_op_at(const field_chan *fc, uint32_t u, uint32_t *op_node) {
    const facts *f = fc->f;
    uint32_t n = f->u->toks.len;
    if (u + 3 >= n || f->toks[u + 1].kind != T(PERIOD) || !tok_same(f, u + 2, fc->field))
        return FOP_NONE;
    int next = f->toks[u + 3].kind;
    if (next == T(PERIOD) || next == T(LBRACK) || next == T(LPAREN)) return FOP_NONE;
    *op_node = NONE32;
    if (u == f->nodes[fc->made].first) return FOP_MADE;
    if (next == T(ARROW)) {
        uint32_t s = node_at(f, u + 3);
        if (s != NONE32 && f->nodes[s].kind == N(SEND) && f->nodes[s].first == u) {
            *op_node = s;
            return FOP_SEND;
        }
    }
    if (u > 0 && f->toks[u - 1].kind == T(ARROW)) {
        uint32_t r = node_at(f, u - 1);
        if (r != NONE32 && f->nodes[r].kind == N(RECV) && f->nodes[r].last == u + 2) {
            *op_node = r;
            return FOP_RECV;
        }
    }
    if (u > 0 && f->toks[u - 1].kind == T(RANGE)) {
        uint32_t r = node_at(f, u - 1);
        if (r != NONE32 && f->nodes[r].kind == N(RANGE)) {
            *op_node = r;
            return FOP_RANGE;
        }
    }
    return FOP_OTHER;
}

/* Whether statement s is `X.f = make(chan T)` (no capacity, or 0) with X
 * a variable; sets fc's root, field and made. */
static int makes_unbuffered(const facts *f, uint32_t s, field_chan *fc) {
    uint32_t a = f->nodes[s].first, n = f->u->toks.len;
    if (a + 7 >= n || f->toks[a].kind != T(IDENT) || f->toks[a + 1].kind != T(PERIOD) ||
        f->toks[a + 2].kind != T(IDENT) || f->toks[a + 3].kind != T(ASSIGN))
        return 0;
    uint32_t close;
    int cap = make_chan_capacity(f, a + 4, f->nodes[s].last, &close);
    if (cap == MAKE_NOT_CHAN || cap == MAKE_CAP_SOME) return 0;
    if (close != f->nodes[s].last) return 0; /* make(...) is the whole value */
    const var_fact *root = resolve(f, a);
    if (!root) return 0;
    fc->root = root;
    fc->field = a + 2;
    fc->made = s;
    return 1;
}

/* Whether every mention of the field in the file is a use through root
 * inside fc->fn, or a send through the receiver of the goroutine's method,
 * and the uses in fc->fn only make it once, send and receive. */
static int only_sent_and_received(field_chan *fc) {
    const facts *f = fc->f;
    uint32_t n;
    const uint32_t *at = idents_named(f, fc->field, &n);
    uint32_t a = f->nodes[fc->fn].first, b = f->nodes[fc->fn].last;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = at[i];
        if (t == 0 || f->toks[t - 1].kind != T(PERIOD)) continue; /* the declaration, a key */
        if (t < 2) return 0;
        if (t >= a && t <= b && resolve(f, t - 2) == fc->root) continue;
        /* a goroutine method's sends through its own receiver, and its
         * deferred close (which runs once it stops sending) */
        uint32_t op_node;
        if (fc->gfn != NONE32 && t >= f->nodes[fc->gfn].first && t <= f->nodes[fc->gfn].last &&
            resolve(f, t - 2) == fc->groot) {
            int op = field_op_at(fc, t - 2, &op_node);
            if (op == FOP_SEND) continue;
            uint32_t c = node_at(f, t);
            while (c != NONE32 && f->nodes[c].kind != N(CALL)) c = f->nodes[c].parent;
            const call_fact *cf = c != NONE32 ? call_of(f, c) : NULL;
            uint32_t d = c != NONE32 ? f->nodes[c].parent : NONE32;
            if (cf && call_is_func(f, cf, "close") && d != NONE32 && f->nodes[d].kind == N(DEFER))
                continue;
        }
        return 0;
    }
    for (uint32_t u = first_use_in(f, fc->root, a, b); u != NONE32;
         u = next_use(f, fc->root, u, b)) {
        uint32_t op_node;
        int op = field_op_at(fc, u, &op_node);
        if (op == FOP_OTHER || (op == FOP_MADE && u != f->nodes[fc->made].first)) return 0;
    }
    return 1;
}

void field_memo_free(field_memo *m) {
    if (m->f) gl_free(m->f->alloc, m->pos);
    m->pos = NULL;
    m->fn = NONE32;
}

/* The statement declaring local root of function fn (con := newConn(...))
 * when the function of the file it calls returns a composite literal that
 * makes field t (&Conn{reqc: make(chan T)}; *buffered set when a make gives
 * a capacity); NONE32. */
static uint32_t made_by_constructor(const facts *f, const var_fact *root, uint32_t fn, uint32_t t,
                                    int *buffered) {
    if (root->func != fn || root->value == NONE32 || root->value_index != 0) return NONE32;
    uint32_t call = expr_node(f, root->value);
    const call_fact *c = call != NONE32 && f->nodes[call].kind == N(CALL) ? call_of(f, call) : NULL;
    uint32_t ctor =
        c && c->name != NONE32 && c->recv_first == NONE32 ? find_func(f, c->name) : NONE32;
    uint32_t body = ctor != NONE32 ? func_body(f, ctor) : NONE32;
    if (body == NONE32) return NONE32;
    int made = 0;
    FOR_KIND_IN(f, N(RETURN), r, f->nodes[body].first, f->nodes[body].last) {
        if (enclosing_func(f, r) != ctor) continue;
        /* return &T{..., f: make(chan T), ...} */
        uint32_t a = f->nodes[r].first, b = f->nodes[r].last;
        int found = 0;
        for (uint32_t i = a; i + 5 <= b && !found; i++) {
            if (!tok_same(f, i, t) || f->toks[i + 1].kind != T(COLON)) continue;
            uint32_t close;
            int cap = make_chan_capacity(f, i + 2, b, &close);
            if (cap == MAKE_NOT_CHAN) continue;
            if (cap == MAKE_CAP_SOME) *buffered = 1;
            found = 1;
        }
        if (!found) return NONE32;
        made = 1;
    }
    return made ? stmt_of(f, root->decl) : NONE32;
}

/* Learns field channel (fc->root, field token t) of function fn into m:
 * its make statement and its receives. -1 when out of memory. */
static int memo_learn(field_memo *m, field_chan *fc, uint32_t fn, uint32_t t) {
    const facts *f = fc->f;
    field_memo_free(m);
    m->f = f;
    m->fn = fn;
    m->gfn = fc->gfn;
    m->root = fc->root;
    m->field = t;
    m->made = NONE32;
    m->buffered = 0;
    m->n = 0;
    uint32_t a = f->nodes[fn].first, b = f->nodes[fn].last;
    /* the statement that makes it: X.f = make(chan T) in fn */
    for (uint32_t u = first_use_in(f, fc->root, a, b); u != NONE32;
         u = next_use(f, fc->root, u, b)) {
        uint32_t at = node_at(f, u), st = at != NONE32 ? stmt_of(f, at) : NONE32;
        field_chan c = *fc;
        if (st != NONE32 && f->nodes[st].first == u && f->nodes[st].kind == N(ASSIGN) &&
            enclosing_func(f, st) == fn && makes_unbuffered(f, st, &c) && tok_same(f, c.field, t)) {
            m->made = st;
            fc->field = c.field;
            break;
        }
    }
    if (m->made == NONE32) {
        /* con := newConn(...): a constructor of the file that returns
         * &T{..., f: make(chan T), ...} made it */
        int buffered = 0;
        uint32_t st = made_by_constructor(f, fc->root, fn, t, &buffered);
        if (st == NONE32) return 0;
        m->buffered = buffered;
        m->made = st;
        fc->field = t;
    }
    fc->made = m->made;
    fc->fn = fn;
    if (!only_sent_and_received(fc)) {
        m->made = NONE32;
        return 0;
    }
    m->field_tok = fc->field;
    /* the receives, and what those from each one on say */
    uint32_t cap = 0, op_node;
    for (uint32_t u = first_use_in(f, fc->root, a, b); u != NONE32;
         u = next_use(f, fc->root, u, b)) {
        int op = field_op_at(fc, u, &op_node);
        if (op == FOP_RECV || op == FOP_RANGE) cap++;
    }
    if (cap == 0) return 0;
    m->pos = gl_malloc(f->alloc, ((size_t)cap + 1) * (3 * sizeof(uint32_t) + 1));
    if (!m->pos) return -1;
    m->once = m->pos + cap + 1;
    m->loop = m->once + cap + 1;
    m->closure = (uint8_t *)(m->loop + cap + 1);
    uint32_t *node_of = m->loop; /* the ops, until the suffixes replace them */
    for (uint32_t u = first_use_in(f, fc->root, a, b); u != NONE32;
         u = next_use(f, fc->root, u, b)) {
        int op = field_op_at(fc, u, &op_node);
        if (op != FOP_RECV && op != FOP_RANGE) continue;
        m->pos[m->n] = u;
        node_of[m->n] = op_node;
        m->n++;
    }
    m->once[m->n] = 0;
    m->closure[m->n] = 0;
    uint32_t next_loop = NONE32;
    for (uint32_t k = m->n; k-- > 0;) {
        uint32_t op = node_of[k];
        int in_fn = enclosing_func(f, op) == fn;
        uint32_t lp = f->nodes[op].kind == N(RANGE) ? op : loop_around(f, op);
        m->once[k] = m->once[k + 1] + (in_fn && lp == NONE32);
        m->closure[k] = m->closure[k + 1] || !in_fn;
        if (in_fn && lp != NONE32) next_loop = lp;
        m->loop[k] = next_loop;
    }
    m->loop[m->n] = NONE32;
    return 0;
}

/* The index of the first receive at or after token t. */
static uint32_t recv_from(const field_memo *m, uint32_t t) {
    uint32_t lo = 0, hi = m->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->pos[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The receiver variable of method fn, NULL. */
/* The variable of the starting function that variable v of goroutine
 * function fn stands for, fn being started by `call`: the call's receiver
 * for fn's receiver (go w.produce()), the argument for a parameter (go
 * p.send(call)); a single name either way. NULL otherwise. */
static const var_fact *goroutine_var(const facts *f, uint32_t call, uint32_t fn,
                                     const var_fact *v) {
    const call_fact *c = call_of(f, call);
    if (!c) return NULL;
    uint32_t tok;
    if (v == receiver_var(f, fn))
        return c->recv_first != NONE32 && c->recv_first == c->recv_last ? resolve(f, c->recv_first)
                                                                        : NULL;
    uint32_t k = (v->flags & VF_PARAM) && v->func == fn
                     ? param_pos(f, fn, (uint32_t)(v - f->vars.data))
                     : NONE32;
    uint32_t arg = k != NONE32 ? call_arg(f, call, k) : NONE32;
    return arg != NONE32 && expr_ident(f, arg, &tok) ? resolve(f, tok) : NULL;
}

uint32_t field_chan_sender(const facts *f, field_memo *m, uint32_t g, field_chan *fc) {
    uint32_t call = f->nodes[g].child, lit = call != NONE32 ? f->nodes[call].child : NONE32;
    uint32_t fn = enclosing_func(f, g);
    if (call == NONE32 || fn == NONE32) return NONE32;
    fc->f = f;
    fc->fn = fn;
    fc->go = g;
    fc->memo = m;
    fc->gfn = NONE32;
    fc->groot = NULL;
    /* the goroutine: a function literal, or a function or method of the
     * file handed the variable (go w.produce(), sending through its
     * receiver; go p.send(call), through its parameter) */
    int named = lit == NONE32 || f->nodes[lit].kind != N(FUNCLIT);
    if (named) {
        lit = goroutine_func(f, g);
        if (lit == NONE32 || f->nodes[lit].kind != N(FUNC)) return NONE32;
        fc->gfn = lit;
    }
    /* the field channels the goroutine sends on, each made before g by fn */
    uint32_t a = f->nodes[lit].first, b = f->nodes[lit].last;
    FOR_KIND_IN(f, N(SEND), s, a, b) {
        if (f->nodes[s].role == R(COMM) || enclosing_func(f, s) != lit) continue;
        uint32_t u = f->nodes[s].first;
        const var_fact *root = resolve(f, u);
        if (!root || u + 3 != f->nodes[s].key) continue;
        if (named) {
            /* the variable of fn that the receiver or parameter stands for */
            const var_fact *via = goroutine_var(f, call, lit, root);
            if (!via) continue;
            fc->groot = root;
            root = via;
        } else if (root->func == lit) {
            continue;
        }
        fc->root = root;
        if (m->fn != fn || m->root != root || m->gfn != fc->gfn || !tok_same(f, m->field, u + 2)) {
            if (memo_learn(m, fc, fn, u + 2)) {
                *f->oom = 1;
                return NONE32;
            }
        }
        if (m->made == NONE32 || f->nodes[m->made].last > f->nodes[g].first) continue;
        /* a buffered channel blocks its sender only when it sends without
         * bound (a receive loop feeding it) */
        uint32_t slp = loop_around(f, s);
        if (m->buffered &&
            (slp == NONE32 || enclosing_func(f, slp) != lit || !unbounded_loop(f, slp)))
            continue;
        fc->made = m->made;
        fc->field = m->field_tok;
        /* a goroutine that receives from it too talks with its peers */
        uint32_t k = recv_from(m, a);
        if (k < m->n && m->pos[k] <= b) return NONE32;
        return s;
    }
    return NONE32;
}

/* A receive or range over the field outside the goroutine. */
static int receives_field(const release_query *q, uint32_t use) {
    const field_chan *fc = q->ctx;
    const facts *f = q->f;
    if (use >= f->nodes[fc->go].first && use <= f->nodes[fc->go].last) return 0;
    uint32_t op_node;
    int op = field_op_at(fc, use, &op_node);
    return op == FOP_RECV || op == FOP_RANGE;
}

static int calls_nothing(const release_query *q, uint32_t call) {
    (void)q;
    (void)call;
    return 0;
}

release_query field_chan_walk(field_chan *fc) {
    release_query q = {.f = fc->f,
                       .is_release = calls_nothing,
                       .var_only = 1,
                       .ctx = fc,
                       .loop = NONE32,
                       .cond = NONE32,
                       .var = fc->root,
                       .use_releases = receives_field,
                       .loops_run = 1};
    return q;
}

void field_chan_receives(field_chan *fc, field_recvs *out) {
    const field_memo *m = fc->memo;
    uint32_t k = recv_from(m, fc->f->nodes[fc->go].last + 1);
    out->once = k < m->n ? m->once[k] : 0;
    out->loop = k < m->n ? m->loop[k] : NONE32;
    out->in_closure = k < m->n && m->closure[k];
}

void field_spelling_scan(const facts *f, uint32_t t, field_spelling *fs,
                         void (*recv)(void *ctx, uint32_t node), void *ctx) {
    memset(fs, 0, sizeof *fs);
    fs->made_in = NONE32;
    uint32_t n, ntok = f->u->toks.len;
    const uint32_t *at = idents_named(f, t, &n);
    for (uint32_t i = 0; i < n && !fs->other; i++) {
        uint32_t x = at[i];
        if (x + 2 >= ntok) {
            fs->other = 1;
            break;
        }
        int next = f->toks[x + 1].kind, dot = x > 0 && f->toks[x - 1].kind == T(PERIOD);
        if (!dot && (next == T(CHAN) || (next == T(ARROW) && f->toks[x + 2].kind == T(CHAN)))) {
            fs->declared = 1; /* errc chan error */
            continue;
        }
        if ((dot ? next == T(ASSIGN) : next == T(COLON)) && tok_is(f, x + 2, "make")) {
            /* errc: make(chan error) in a literal, x.errc = make(chan error) */
            uint32_t call = node_at(f, x + 2);
            const call_fact *c = call != NONE32 ? call_of(f, call) : NULL;
            if (c && c->nargs > 1) fs->buffered = 1;
            if (fs->makes++ == 0) {
                fs->made_in = call != NONE32 ? enclosing_func(f, call) : NONE32;
                fs->assigned = dot;
            }
            continue;
        }
        if (!dot) {
            fs->other = 1;
            break;
        }
        if (next == T(ARROW)) { /* x.errc <- v */
            uint32_t sn = node_at(f, x + 1);
            if (sn != NONE32 && f->nodes[sn].kind == N(SEND)) {
                fs->sends++;
                continue;
            }
        }
        /* a receive <-x.errc, or a range over it: the chain's start */
        uint32_t c = x - 1;
        while (c >= 2 && f->toks[c - 1].kind == T(IDENT) && f->toks[c - 2].kind == T(PERIOD))
            c -= 2;
        if (c < 2 || f->toks[c - 1].kind != T(IDENT)) {
            fs->other = 1;
            break;
        }
        uint32_t arrow = c - 2;
        if (f->toks[arrow].kind == T(RANGE)) {
            fs->ranges++;
            continue;
        }
        uint32_t r = f->toks[arrow].kind == T(ARROW) ? node_at(f, arrow) : NONE32;
        if (r == NONE32 || f->nodes[r].kind != N(RECV) || f->nodes[r].last != x) {
            fs->other = 1;
            break;
        }
        fs->recvs++;
        if (recv) recv(ctx, r);
    }
}

int field_spelling_package(struct goleak_check *chk, const facts *f, uint32_t t,
                           field_spelling *fs) {
    char name[65];
    if (!tok_text(f, t, name, sizeof name)) return 0;
    for (size_t j = 0; j < chk->pkg->n; j++) {
        if (j == chk->pkg_index) continue;
        int oom = 0;
        const facts *h = pkg_facts_naming(chk, j, name, &oom);
        if (oom) {
            *f->oom = 1;
            return 0;
        }
        if (!h) continue; /* it does not spell the name */
        uint32_t n;
        const uint32_t *at = idents_named_text(h, name, &n);
        if (n == 0) return 0; /* spelled in a comment or a string only: not known */
        field_spelling o;
        field_spelling_scan(h, at[0], &o, NULL, NULL);
        if (o.other || o.sends || o.recvs || o.ranges) return 0;
        fs->declared |= o.declared;
        fs->makes += o.makes;
        fs->buffered |= o.buffered;
    }
    return 1;
}
