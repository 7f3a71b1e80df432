/* GL001 substring-retention, GL002 subslice-retention and GL003
 * lost-pointer-elements: small views that keep large or dead memory alive. */
#include "../query.h"
#include "common.h"
#include "goroutine.h"
#include "pkgindex.h"
#include "rules.h"
#include "typeindex.h"

#include <stdlib.h>
#include <string.h>

/* ---- what an expression holds ---- */

enum hold {
    LARGE_STR = 1u << 0, /* a whole large string */
    LARGE_BYTES = 1u << 1,
    PART_STR = 1u << 2, /* a part of one: shares its memory */
    PART_BYTES = 1u << 3,
    LIST = 1u << 4, /* a list of parts ([]string, [][]byte), not one part */
    WHOLE = 1u << 5 /* a list of every part of a large one: keeping it pins nothing extra */
};

#define PARTS (PART_STR | PART_BYTES)

typedef struct lifetimes lifetimes;

/* Where a local variable gets a value: its declaration (lhs NONE32) or
 * the lhs-th left-hand side of an assignment. */
typedef struct def_site {
    uint32_t var, tok, stmt, lhs;
} def_site;

typedef struct retention {
    const facts *f;
    uint8_t *var_hold; /* per variable: enum hold bits, over all its values */
    uint8_t *base;     /* per variable: what it holds whatever its values (a large
                        * parameter: its callers pass whole inputs) */
    /* the value sites of local variables, sorted by variable then token;
     * those of variable k are defs[def_first[k] .. def_first[k + 1]) */
    def_site *defs;
    uint32_t *def_first;
    uint8_t *def_hold, *def_state; /* per site: its hold once known (state 2) */
    struct lifetimes *L;           /* what outlives a function */
    struct retention_hits *hits;   /* where find_retention writes what it finds */
} retention;

static unsigned expr_hold(const retention *r, uint32_t a, uint32_t b, int depth);
static unsigned hold_at(const retention *r, const var_fact *v, uint32_t use, int depth);

static uint32_t var_index(const facts *f, const var_fact *v) {
    return (uint32_t)(v - f->vars.data);
}

/* A bytes.Buffer or strings.Builder variable. */
static int buffer_var(const facts *f, const var_fact *v) {
    uint32_t a = v->type_first, b = v->type_last;
    if (a == NONE32 && v->value != NONE32) {
        a = f->nodes[v->value].first;
        b = f->nodes[v->value].last;
        if (tok_is(f, a, "new") && f->toks[a + 1].kind == T(LPAREN)) a += 2;
    }
    if (a == NONE32) return 0;
    if (f->toks[a].kind == T(MUL) || f->toks[a].kind == T(AND)) a++;
    if (a + 2 > b || f->toks[a + 1].kind != T(PERIOD)) return 0;
    int pkg = ident_pkg(f, a);
    return (pkg == PKG_BYTES && (tok_is(f, a + 2, "Buffer") || tok_is(f, a + 2, "NewBuffer") ||
                                 tok_is(f, a + 2, "NewBufferString"))) ||
           (pkg == PKG_STRINGS && tok_is(f, a + 2, "Builder"));
}

/* Functions returning pieces of their first argument: splitters cut it into
 * small parts; trimmers return nearly all of it (a part stays a part, and
 * the whole stays nearly whole). */
static const char *const split_funcs[] = {"Fields",     "FieldsFunc",  "Split", "SplitN",
                                          "SplitAfter", "SplitAfterN", "Cut"};
static const char *const trim_funcs[] = {"TrimSpace",    "Trim",          "TrimLeft", "TrimRight",
                                         "TrimPrefix",   "TrimSuffix",    "TrimFunc", "CutPrefix",
                                         "TrimLeftFunc", "TrimRightFunc", "CutSuffix"};

/* Functions of path and path/filepath that return a slice of their
 * argument. */
static const char *const path_parts[] = {"Base", "Ext"};

static int named_in(const facts *f, const call_fact *c, int pkg, const char *const *names,
                    size_t n) {
    if (!c || c->pkg != pkg || c->name == NONE32) return 0;
    for (size_t k = 0; k < n; k++)
        if (tok_is(f, c->name, names[k])) return 1;
    return 0;
}

#define NAMED_IN(f, c, pkg, list) named_in(f, c, pkg, list, sizeof list / sizeof *list)

/* Methods of regexp that return parts of their argument: the matched
 * text (one part), or lists of parts. */
static const char *const match_one[] = {"FindString", "Find"};
static const char *const match_list[] = {"FindStringSubmatch", "FindAllString", "FindSubmatch",
                                         "FindAll"};

/* Whether buffer variable v collects a command's output (cmd.Stdout = &v,
 * Stderr: &v in a literal): a command's output is short, not a whole input. */
static int command_output(const facts *f, const var_fact *v) {
    uint32_t end = v->func != NONE32 ? f->nodes[v->func].last : f->u->toks.len - 1;
    for (uint32_t u = next_use(f, v, v->name, end); u != NONE32; u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (!(ui.flags & GOLEAK_USE_ADDRESS)) continue;
        uint32_t name = NONE32;
        if (ui.kind == GOLEAK_USE_STORE) {
            value_target t;
            q_value_target(f, ui.slot, 0, &t);
            if (t.kind == GOLEAK_TARGET_FIELD) name = t.last;
        } else if (ui.kind == GOLEAK_USE_COMPOSITE) {
            name = ui.index;
        }
        if (name != NONE32 && (tok_is(f, name, "Stdout") || tok_is(f, name, "Stderr"))) return 1;
    }
    return 0;
}

/* buf.String(), buf.Bytes() of a bytes.Buffer or strings.Builder variable:
 * LARGE_STR or LARGE_BYTES, 0 for any other call. */
static unsigned buffer_contents(const facts *f, const call_fact *c) {
    if (c->recv_first == NONE32 || c->recv_first != c->recv_last || c->nargs != 0) return 0;
    int str = tok_is(f, c->name, "String");
    if (!str && !tok_is(f, c->name, "Bytes")) return 0;
    const var_fact *v = resolve(f, c->recv_first);
    if (!v || !buffer_var(f, v) || command_output(f, v)) return 0;
    return str ? LARGE_STR : LARGE_BYTES;
}

/* Whether slice expression n is buf[:n] of a large buffer
 * with a variable bound: the bytes a read put there, as many as it filled. */
static int filled_head(const retention *r, uint32_t n, int depth) {
    const facts *f = r->f;
    if (n == NONE32 || f->nodes[n].kind != N(SLICE)) return 0;
    uint32_t a = f->nodes[n].first, k = f->nodes[n].key, b = f->nodes[n].last;
    if (k == NONE32 || k <= a || k + 3 != b || f->toks[b].kind != T(RBRACK)) return 0;
    uint32_t lo = k + 1;
    if (f->toks[lo].kind != T(COLON) || f->toks[lo + 1].kind != T(IDENT) || !resolve(f, lo + 1))
        return 0;
    return (expr_hold(r, a, k - 1, depth + 1) & LARGE_BYTES) != 0;
}

/* What a call gives. */
static unsigned call_hold(const retention *r, uint32_t call, int depth) {
    const facts *f = r->f;
    const call_fact *c = call_of(f, call);
    if (!c) return 0;
    uint32_t arg0 = call_arg(f, call, 0);
    unsigned h0 =
        arg0 != NONE32 ? expr_hold(r, f->nodes[arg0].first, f->nodes[arg0].last, depth + 1) : 0;
    if (call_reads_whole_input(f, c)) return LARGE_BYTES;
    if (h0 & LIST) return 0; /* no splitter or trimmer takes a list */
    /* string(b) copies b: a whole new string, large when b is; also the
     * filled head of a large buffer, string(buf[:n]) after n, _ := f.Read(buf) */
    if (call_is_func(f, c, "string")) {
        if (h0 & LARGE_BYTES) return LARGE_STR;
        return arg0 != NONE32 && filled_head(r, expr_node(f, arg0), depth) ? LARGE_STR : 0;
    }
    int cut = c->name != NONE32 && tok_is(f, c->name, "Cut");
    if (NAMED_IN(f, c, PKG_STRINGS, split_funcs)) {
        if (h0 & LARGE_STR) return cut ? PART_STR : PART_STR | LIST | WHOLE;
        return (h0 & PART_STR) ? (cut ? PART_STR : PART_STR | LIST) : 0;
    }
    if (NAMED_IN(f, c, PKG_BYTES, split_funcs)) {
        if (h0 & LARGE_BYTES) return cut ? PART_BYTES : PART_BYTES | LIST | WHOLE;
        return (h0 & PART_BYTES) ? (cut ? PART_BYTES : PART_BYTES | LIST) : 0;
    }
    if (NAMED_IN(f, c, PKG_STRINGS, trim_funcs)) return h0 & (LARGE_STR | PART_STR);
    /* path.Base(p), filepath.Ext(p): the tail of p, a part of it */
    if ((NAMED_IN(f, c, PKG_PATH, path_parts) || NAMED_IN(f, c, PKG_FILEPATH, path_parts)) &&
        (h0 & (LARGE_STR | PART_STR)))
        return PART_STR;
    if (NAMED_IN(f, c, PKG_BYTES, trim_funcs)) return h0 & (LARGE_BYTES | PART_BYTES);
    /* re.FindString(text), re.FindAllString(text, -1): parts of the text */
    if (c->recv_first != NONE32 && c->name != NONE32 && (h0 & (LARGE_STR | LARGE_BYTES | PARTS))) {
        unsigned part = (h0 & (LARGE_STR | PART_STR)) ? PART_STR : PART_BYTES;
        for (size_t k = 0; k < sizeof match_one / sizeof *match_one; k++)
            if (tok_is(f, c->name, match_one[k])) return part;
        for (size_t k = 0; k < sizeof match_list / sizeof *match_list; k++)
            if (tok_is(f, c->name, match_list[k])) return part | LIST;
    }
    return buffer_contents(f, c);
}

/* The first token of the given kind in tokens [a, end) outside any
 * parentheses or brackets opened there (x[lo:hi]'s colon, len(x)-1's
 * minus), NONE32. */
static uint32_t top_level(const facts *f, uint32_t a, uint32_t end, int kind) {
    int depth = 0;
    for (uint32_t k = a; k < end; k++) {
        int kk = f->toks[k].kind;
        if (kk == T(LBRACK) || kk == T(LPAREN))
            depth++;
        else if (kk == T(RBRACK) || kk == T(RPAREN))
            depth--;
        else if (kk == kind && depth == 0)
            return k;
    }
    return NONE32;
}

/* Whether the slice expression x[lo:hi] (x: tokens [xa, xb]; the brackets
 * at open and close) trims x: lo a constant up to 8 or absent, hi absent
 * or len(x) less something (trailing bytes). What stays is nearly all. */
static int trims_few(const facts *f, uint32_t xa, uint32_t xb, uint32_t open, uint32_t close) {
    uint32_t colon = top_level(f, open + 1, close, T(COLON));
    if (colon == NONE32) return 0;
    if (colon > open + 1) {
        long long lo = const_value(f, open + 1, colon - 1);
        if (lo < 0 || lo > 8) return 0;
    }
    if (colon + 1 == close) return colon > open + 1;
    /* len(x) - k: trailing bytes trimmed (a newline, trailing spaces) */
    uint32_t ha = colon + 1, hb = close - 1, n = xb - xa;
    return hb >= ha + n + 5 && tok_is(f, ha, "len") && f->toks[ha + 1].kind == T(LPAREN) &&
           toks_same(f, ha + 2, ha + 2 + n, xa, xb) && f->toks[ha + 3 + n].kind == T(RPAREN) &&
           f->toks[ha + 4 + n].kind == T(SUB);
}

/* What tokens [a, b] hold: a variable, a slice of something large, an
 * element of a part, a call. */
static unsigned expr_hold(const retention *r, uint32_t a, uint32_t b, int depth) {
    const facts *f = r->f;
    if (depth > 8 || a > b) return 0;
    while (a < b && f->toks[a].kind == T(LPAREN) && matching(f, a, b) == b) a++, b--;
    if (a == b) {
        const var_fact *v = resolve(f, a);
        return v ? hold_at(r, v, a, depth) : 0;
    }
    /* x[i]: an element of a part is a part; x[i:j]: a part */
    if (f->toks[b].kind == T(RBRACK)) {
        /* the last top-level [ ... ] */
        uint32_t open = NONE32;
        for (uint32_t k = a + 1; k <= b; k++) {
            if (f->toks[k].kind != T(LBRACK)) continue;
            uint32_t m = matching(f, k, b);
            if (m == b) {
                open = k;
                break;
            }
            if (m == NONE32) return 0;
            k = m;
        }
        if (open == NONE32 || open == a) return 0;
        unsigned h = expr_hold(r, a, open - 1, depth + 1);
        int slice = 0;
        int depth2 = 0;
        for (uint32_t k = open + 1; k < b; k++) {
            int kk = f->toks[k].kind;
            if (kk == T(LBRACK) || kk == T(LPAREN) || kk == T(LBRACE))
                depth2++;
            else if (kk == T(RBRACK) || kk == T(RPAREN) || kk == T(RBRACE))
                depth2--;
            else if (kk == T(COLON) && depth2 == 0)
                slice = 1;
        }
        /* a run of a list's parts: still a list (a run of every part is
         * most of them) */
        if (h & LIST) return slice ? h : h & PARTS;
        if (slice) {
            /* x[1:], x[:len(x)-1]: a few bytes trimmed, the rest is nearly
             * the whole (not worth a finding) */
            if ((h & (LARGE_STR | LARGE_BYTES)) && trims_few(f, a, open - 1, open, b))
                return h & (LARGE_STR | LARGE_BYTES);
            unsigned out = 0;
            if (h & (LARGE_STR | PART_STR)) out |= PART_STR;
            if (h & (LARGE_BYTES | PART_BYTES)) out |= PART_BYTES;
            return out;
        }
        return 0; /* an element of a string or byte slice: a byte */
    }
    /* a call spanning the whole expression */
    uint32_t call = call_at(f, a, b);
    return call != NONE32 ? call_hold(r, call, depth) : 0;
}

static unsigned node_hold(const retention *r, uint32_t n) {
    return expr_hold(r, r->f->nodes[n].first, r->f->nodes[n].last, 0);
}

/* Whether a whole read is evidently of a small file: its argument names a
 * key, a certificate, a token, a pid or version file (os.ReadFile(keyFile)),
 * or a file of /proc or /sys (one value, one line). */
static int small_file_hint(const facts *f, uint32_t a, uint32_t b) {
    static const char *const hints[] = {"key",    "pem",   "cert",  "token", "pid",  "version",
                                        "secret", "passw", "nonce", "sys/",  "proc/"};
    /* a path variable: the tokens of its value */
    const var_fact *pv = a == b ? resolve(f, a) : NULL;
    if (pv && pv->value != NONE32 && pv->name != a &&
        small_file_hint(f, f->nodes[pv->value].first, f->nodes[pv->value].last))
        return 1;
    for (uint32_t i = a; i <= b; i++) {
        int k = f->toks[i].kind;
        if ((k == T(IDENT) || k == T(STRING)) &&
            tok_mentions(f, i, hints, sizeof hints / sizeof *hints))
            return 1;
    }
    return 0;
}

/* Whether variable v's whole input comes from an evidently small file: its
 * value is such a read, or string(x) / []byte(x) / x of a variable that
 * holds one. */
static int small_origin(const facts *f, const var_fact *v, int depth) {
    if (v->value == NONE32 || depth > 3) return 0;
    uint32_t e = expr_node(f, v->value), t;
    if (expr_ident(f, v->value, &t)) {
        const var_fact *w = resolve(f, t);
        return w && w != v && small_origin(f, w, depth + 1);
    }
    const call_fact *c = e != NONE32 ? call_of(f, e) : NULL;
    if (!c) return 0;
    uint32_t arg = call_arg(f, e, 0);
    if (call_reads_whole_input(f, c))
        return arg != NONE32 && small_file_hint(f, f->nodes[arg].first, f->nodes[arg].last);
    if ((call_is_func(f, c, "string") || call_is_func(f, c, "[]byte")) && arg != NONE32 &&
        expr_ident(f, arg, &t)) {
        const var_fact *w = resolve(f, t);
        return w && w != v && small_origin(f, w, depth + 1);
    }
    return 0;
}

/* The names under which an exported function's string or []byte parameter
 * is a whole input: the returned parts pin it for the caller. */
static const char *const input_names[] = {"body",    "page", "doc",     "document",
                                          "payload", "html", "content", "contents"};

/* Whether parameter v of type string or []byte (its hold bit in *bit) is
 * a whole input by its name, in an exported function. */
static int named_input(const facts *f, const var_fact *v, unsigned *bit) {
    if (!(v->flags & VF_PARAM) || (v->flags & VF_RECV) || v->func == NONE32 ||
        v->type_first == NONE32)
        return 0;
    uint32_t ta = v->type_first, tb = v->type_last;
    if (ta == tb && tok_is(f, ta, "string"))
        *bit = LARGE_STR;
    else if (tb == ta + 2 && f->toks[ta].kind == T(LBRACK) && f->toks[ta + 1].kind == T(RBRACK) &&
             tok_is(f, tb, "byte"))
        *bit = LARGE_BYTES;
    else
        return 0;
    const node *fn = &f->nodes[v->func];
    if (fn->kind != N(FUNC) || fn->key == NONE32) return 0;
    if (!tok_exported(f, fn->key)) return 0;
    for (size_t k = 0; k < sizeof input_names / sizeof *input_names; k++)
        if (tok_is(f, v->name, input_names[k])) return 1;
    return 0;
}

/* The hold that variable v's declaration gives it. */
static unsigned init_hold(const retention *r, const var_fact *v) {
    const facts *f = r->f;
    unsigned h = r->base[v - f->vars.data];
    if ((v->flags & VF_LARGE) && !small_origin(f, v, 0))
        h |= v->kind == VK_STRING ? LARGE_STR : LARGE_BYTES;
    if (v->value != NONE32) {
        const node *d = &f->nodes[v->decl];
        int multi = d->kind == N(ASSIGN) && nth_child_by_role(f, v->decl, R(RHS), 1) == NONE32 &&
                    nth_child_by_role(f, v->decl, R(LHS), 1) != NONE32;
        unsigned vh = node_hold(r, v->value);
        if (vh & (LARGE_STR | LARGE_BYTES) && small_origin(f, v, 0))
            vh &= ~(unsigned)(LARGE_STR | LARGE_BYTES);
        if (!multi || v->value_index == 0) {
            h |= vh; /* x := e, or the first result: data, err := io.ReadAll(r) */
        } else if (v->value_index == 1) {
            /* before, after, found := strings.Cut(s, sep): after is a part too */
            const call_fact *c = call_of(f, expr_node(f, v->value));
            if (c && c->name != NONE32 && tok_is(f, c->name, "Cut")) h |= vh & PARTS;
        }
    }
    if (f->nodes[v->decl].kind == N(RANGE) && f->nodes[v->decl].flags & GOLEAK_NODE_FLAG_DEFINE) {
        uint32_t x = child_by_role(f, v->decl, R(X));
        uint32_t val = child_by_role(f, v->decl, R(VALUE));
        if (x != NONE32 && val != NONE32 && f->nodes[val].first == v->name) {
            unsigned xh = node_hold(r, x);
            if (xh & LIST) h |= xh & PARTS;
        }
    }
    return h;
}

/* What the assignments of the file add to the holds of local variables:
 * line, rest = rest[:i], rest[i+1:] walks a whole input piece by piece;
 * before, after, _ = strings.Cut(rest, "\n") too. Returns whether a hold
 * changed. */
static int assign_holds(retention *r) {
    const facts *f = r->f;
    int changed = 0;
    FOR_KIND(f, N(ASSIGN), as) {
        uint32_t nlhs = 0, nrhs = 0;
        for (uint32_t c = f->nodes[as].child; c != NONE32; c = f->nodes[c].next) {
            nlhs += f->nodes[c].role == R(LHS);
            nrhs += f->nodes[c].role == R(RHS);
        }
        if (nrhs == 0) continue;
        int compound = f->toks[f->nodes[as].key].kind != T(ASSIGN) &&
                       f->toks[f->nodes[as].key].kind != T(DEFINE);
        if (compound) continue; /* s += t makes a new string */
        for (uint32_t k = 0; k < nlhs; k++) {
            uint32_t lhs = nth_child_by_role(f, as, R(LHS), k), t;
            if (lhs == NONE32 || !expr_ident(f, lhs, &t)) continue;
            const var_fact *v = resolve(f, t);
            if (!v || v->func == NONE32 || v->name == t) continue; /* declarations: init_hold */
            unsigned h = 0;
            if (nrhs == nlhs) {
                h = node_hold(r, nth_child_by_role(f, as, R(RHS), k));
            } else if (nrhs == 1) {
                uint32_t rhs = nth_child_by_role(f, as, R(RHS), 0);
                unsigned vh = node_hold(r, rhs);
                const call_fact *c = call_of(f, expr_node(f, rhs));
                if (k == 0)
                    h = vh;
                else if (k == 1 && c && c->name != NONE32 && tok_is(f, c->name, "Cut"))
                    h = vh & PARTS;
            }
            uint32_t idx = (uint32_t)(v - f->vars.data);
            unsigned old = r->var_hold[idx];
            if ((old | h) != old) {
                r->var_hold[idx] = (uint8_t)(old | h);
                changed = 1;
            }
        }
    }
    return changed;
}

/* Parameters that the file's callers pass whole inputs to: the callee's
 * parameter holds a large value. Returns whether one was found. */
static int large_params_from_callers(retention *r) {
    const facts *f = r->f;
    int found = 0;
    for (uint32_t i = 0; i < f->calls.len; i++) {
        const call_fact *c = &f->calls.data[i];
        if (c->name == NONE32 || c->pkg != PKG_NONE || c->nargs == 0) continue;
        uint32_t fn = find_func(f, c->name);
        if (fn == NONE32 ||
            (c->recv_first != NONE32) != !!(f->nodes[fn].flags & GOLEAK_NODE_FLAG_METHOD))
            continue;
        for (uint32_t k = 0; k < c->nargs && k < 8; k++) {
            uint32_t arg = call_arg(f, c->node, k);
            if (arg == NONE32) break;
            unsigned h = node_hold(r, arg) & (LARGE_STR | LARGE_BYTES);
            /* ingest(buf[:n]): the filled head of a large buffer holds all of
             * it (a parser's tail window, parse(data[i:]), is left alone) */
            uint32_t e = expr_node(f, arg);
            if (!h && e != NONE32 && f->nodes[e].kind == N(SLICE) &&
                f->nodes[e].key > f->nodes[e].first &&
                f->toks[f->nodes[e].key + 1].kind == T(COLON))
                h = expr_hold(r, f->nodes[e].first, f->nodes[e].key - 1, 0) &
                    (LARGE_STR | LARGE_BYTES);
            if (!h) continue;
            const var_fact *p = param_at(f, fn, k);
            if (!p) continue;
            uint32_t idx = (uint32_t)(p - f->vars.data);
            if ((r->base[idx] | h) != r->base[idx]) {
                r->base[idx] |= (uint8_t)h;
                found = 1;
            }
        }
    }
    return found;
}

/* The hold that the value site d gives its variable. */
static unsigned site_hold(const retention *r, const def_site *d, int depth) {
    const facts *f = r->f;
    const var_fact *v = &f->vars.data[d->var];
    if (d->lhs == NONE32) return init_hold(r, v) | r->base[d->var];
    uint32_t as = d->stmt, nlhs = 0, nrhs = 0;
    for (uint32_t c = f->nodes[as].child; c != NONE32; c = f->nodes[c].next) {
        nlhs += f->nodes[c].role == R(LHS);
        nrhs += f->nodes[c].role == R(RHS);
    }
    int op = f->toks[f->nodes[as].key].kind;
    if (op != T(ASSIGN) && op != T(DEFINE)) return 0; /* s += t: a new string */
    uint32_t k = d->lhs;
    if (nrhs == nlhs) {
        uint32_t rhs = nth_child_by_role(f, as, R(RHS), k);
        return rhs == NONE32 ? 0 : expr_hold(r, f->nodes[rhs].first, f->nodes[rhs].last, depth + 1);
    }
    if (nrhs != 1) return 0;
    uint32_t rhs = nth_child_by_role(f, as, R(RHS), 0);
    unsigned vh = expr_hold(r, f->nodes[rhs].first, f->nodes[rhs].last, depth + 1);
    if (k == 0) return vh;
    const call_fact *c = call_of(f, expr_node(f, rhs));
    return k == 1 && c && c->name != NONE32 && tok_is(f, c->name, "Cut") ? vh & PARTS : 0;
}

/* What local variable v holds where token `use` reads it: the value of its
 * last value site before the statement holding the use, in the order of
 * the source (line, rest = rest[:i], rest[i+1:] in a loop reads rest's
 * earlier value). Package variables, and uses before any site, get the
 * union of their values. */
/* The last value site of local v before the statement holding token use
 * (an index into r->defs), NONE32 when there is none. */
static uint32_t last_site(const retention *r, const var_fact *v, uint32_t use) {
    const facts *f = r->f;
    uint32_t k = var_index(f, v);
    if (v->func == NONE32 || !r->defs) return NONE32;
    uint32_t n = node_at(f, use), st = stmt_of(f, n);
    if (st == NONE32) return NONE32;
    uint32_t limit = f->nodes[st].first;
    uint32_t lo = r->def_first[k], hi = r->def_first[k + 1];
    /* the last site whose token is before limit */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (r->defs[mid].tok < limit)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == r->def_first[k] ? NONE32 : lo - 1;
}

static unsigned hold_at(const retention *r, const var_fact *v, uint32_t use, int depth) {
    uint32_t k = var_index(r->f, v);
    if (depth > 8) return r->var_hold[k];
    uint32_t d = last_site(r, v, use);
    if (d == NONE32) return r->var_hold[k];
    if (r->def_state[d] == 2) return r->def_hold[d];
    if (r->def_state[d] == 1) return 0; /* a cycle: nothing more is learnt */
    r->def_state[d] = 1;
    unsigned h = site_hold(r, &r->defs[d], depth);
    r->def_hold[d] = (uint8_t)h;
    r->def_state[d] = 2;
    return h;
}

static int def_cmp(const void *a, const void *b) {
    const def_site *x = a, *y = b;
    if (x->var != y->var) return x->var < y->var ? -1 : 1;
    return x->tok < y->tok ? -1 : x->tok > y->tok;
}

/* Collects the value sites of local variables (declarations and plain
 * left-hand sides of assignments). 0, or -1 when out of memory. */
static int collect_defs(retention *r) {
    const facts *f = r->f;
    struct {
        def_site *data;
        uint32_t len, cap;
    } v = {NULL, 0, 0};
    for (uint32_t k = 0; k < f->vars.len; k++) {
        def_site d = {k, f->vars.data[k].name, NONE32, NONE32};
        if (f->vars.data[k].func != NONE32 && VEC_PUSH(f->alloc, &v, d)) goto oom;
    }
    FOR_KIND(f, N(ASSIGN), as) {
        for (uint32_t k = 0;; k++) {
            uint32_t lhs = nth_child_by_role(f, as, R(LHS), k), t;
            if (lhs == NONE32) break;
            if (!expr_ident(f, lhs, &t)) continue;
            const var_fact *x = resolve(f, t);
            if (!x || x->func == NONE32 || x->name == t) continue;
            def_site d = {var_index(f, x), t, as, k};
            if (VEC_PUSH(f->alloc, &v, d)) goto oom;
        }
    }
    if (v.len > 1) qsort(v.data, v.len, sizeof *v.data, def_cmp);
    r->defs = v.data;
    r->def_first = gl_calloc(f->alloc, ((size_t)f->vars.len + 1) * sizeof *r->def_first);
    size_t nd = v.len ? v.len : 1;
    r->def_hold = gl_calloc(f->alloc, nd);
    r->def_state = gl_calloc(f->alloc, nd);
    if (!r->def_first || !r->def_hold || !r->def_state) return -1;
    /* def_first[k]: the first site of variable k (counting sort bounds) */
    uint32_t j = 0;
    for (uint32_t k = 0; k <= f->vars.len; k++) {
        while (j < v.len && v.data[j].var < k) j++;
        r->def_first[k] = j;
    }
    return 0;
oom:
    gl_free(f->alloc, v.data);
    return -1;
}

static void retention_free(retention *r) {
    const facts *f = r->f;
    gl_free(f->alloc, r->var_hold);
    gl_free(f->alloc, r->base);
    gl_free(f->alloc, r->defs);
    gl_free(f->alloc, r->def_first);
    gl_free(f->alloc, r->def_hold);
    gl_free(f->alloc, r->def_state);
}

/* The holds of every variable: their declarations, the assignments of the
 * file, parameters named as whole inputs or given whole inputs by the
 * file's callers, up to a fixed point (bounded rounds). */
static int retention_init(retention *r, const facts *f) {
    memset(r, 0, sizeof *r);
    r->f = f;
    size_t n = f->vars.len ? f->vars.len : 1;
    r->var_hold = gl_calloc(f->alloc, n);
    r->base = gl_calloc(f->alloc, n);
    if (!r->var_hold || !r->base || collect_defs(r)) {
        retention_free(r);
        return -1;
    }
    for (uint32_t k = 0; k < f->vars.len; k++) {
        unsigned bit;
        if (named_input(f, &f->vars.data[k], &bit)) r->base[k] = (uint8_t)bit;
    }
    size_t nd = r->def_first[f->vars.len];
    for (int round = 0; round < 4; round++) {
        /* what was learnt per site depends on the parameters: afresh */
        memset(r->def_state, 0, nd ? nd : 1);
        for (uint32_t k = 0; k < f->vars.len; k++)
            r->var_hold[k] = (uint8_t)(r->var_hold[k] | init_hold(r, &f->vars.data[k]));
        int changed = 0;
        for (int pass = 0; pass < 3 && assign_holds(r); pass++) changed = 1;
        if (large_params_from_callers(r)) changed = 1;
        if (!changed && round > 0) break;
    }
    memset(r->def_state, 0, nd ? nd : 1);
    return 0;
}

/* ---- where parts are kept ---- */

/* What of hold h is worth reporting when kept: its parts, unless it is a
 * list of every part of a large value (which keeps nothing extra). */
static unsigned kept_bits(unsigned h) {
    return (h & WHOLE) ? 0 : h & PARTS;
}

/* The root identifier of the postfix chain ending at token end (s of
 * s.a[i].b), NONE32 when it is not a plain chain. */
static uint32_t chain_root(const facts *f, uint32_t end) {
    uint32_t i = end;
    for (int guard = 0; guard < 64 && i != NONE32; guard++) {
        int k = f->toks[i].kind;
        if (k == T(RBRACK)) {
            int depth = 0;
            for (;; i--) {
                if (f->toks[i].kind == T(RBRACK)) depth++;
                if (f->toks[i].kind == T(LBRACK) && --depth == 0) break;
                if (i == 0) return NONE32;
            }
            if (i == 0) return NONE32;
            i--;
            continue;
        }
        if (k != T(IDENT)) return NONE32;
        if (i >= 2 && f->toks[i - 1].kind == T(PERIOD)) {
            i -= 2;
            continue;
        }
        return i;
    }
    return NONE32;
}

/* Whether tokens [a, b] build a new container: make(...), new(T), a
 * composite literal or its address, nil. */
static int fresh_value(const facts *f, uint32_t a, uint32_t b) {
    if (f->toks[a].kind == T(AND)) a++;
    if (a > b) return 0;
    if ((tok_is(f, a, "make") || tok_is(f, a, "new")) && f->toks[a + 1].kind == T(LPAREN)) return 1;
    if (a == b && tok_is(f, a, "nil")) return 1;
    if (f->toks[b].kind != T(RBRACE)) return 0;
    /* T{...}: the literal's type ends right before its brace */
    for (uint32_t k = a; k <= b; k++)
        if (f->toks[k].kind == T(LBRACE)) return 1;
    return 0;
}

/* Whether local v only ever holds containers made in its function (its
 * value and every later assignment are fresh): then it dies with the
 * function unless it is kept. Parameters, receivers, named results and
 * copies of other values may share memory that lives on. */
static int fresh_local(const facts *f, const var_fact *v) {
    if (v->func == NONE32 || (v->flags & (VF_PARAM | VF_RESULT | VF_RECV))) return 0;
    if (v->value != NONE32) {
        if (!fresh_value(f, f->nodes[v->value].first, f->nodes[v->value].last)) return 0;
    } else if (!(v->flags & VF_NO_VALUE)) {
        return 0; /* a range or type switch variable */
    }
    FOR_KIND_IN(f, N(ASSIGN), as, f->nodes[v->func].first, f->nodes[v->func].last) {
        for (uint32_t k = 0;; k++) {
            uint32_t lhs = nth_child_by_role(f, as, R(LHS), k), t;
            if (lhs == NONE32) break;
            if (!expr_ident(f, lhs, &t) || resolve(f, t) != v) continue;
            uint32_t rhs = nth_child_by_role(f, as, R(RHS), k);
            if (rhs == NONE32) return 0;
            if (fresh_value(f, f->nodes[rhs].first, f->nodes[rhs].last)) continue;
            /* x = append(x, fresh...): still a list of new values */
            uint32_t c = expr_node(f, rhs);
            if (c == NONE32 || f->nodes[c].kind != N(CALL) ||
                !call_is_func(f, call_of(f, c), "append") ||
                !expr_is_var(f, call_arg(f, c, 0), v) ||
                (f->nodes[c].flags & GOLEAK_NODE_FLAG_ELLIPSIS))
                return 0;
            for (uint32_t j = 1; call_arg(f, c, j) != NONE32; j++) {
                uint32_t arg = call_arg(f, c, j);
                if (!fresh_value(f, f->nodes[arg].first, f->nodes[arg].last)) return 0;
            }
        }
    }
    return 1;
}

/* The local list that range value variable v walks (for _, b := range
 * list), when v is one; NULL otherwise. */
static const var_fact *ranged_list(const facts *f, const var_fact *v) {
    if (f->nodes[v->decl].kind != N(RANGE)) return NULL;
    uint32_t x = child_by_role(f, v->decl, R(X)), val = child_by_role(f, v->decl, R(VALUE)), t;
    if (x == NONE32 || val == NONE32 || f->nodes[val].first != v->name || !expr_ident(f, x, &t))
        return NULL;
    return resolve(f, t);
}

/* What outlives a function: the questions of GL001-GL003 about roots, with
 * the answer of short_lived_type kept per type name (a file with 20,000
 * methods on one type asks about it once). */
struct lifetimes {
    const facts *f;
    goleak_check *chk; /* the package's other files: who else may call */
    name_table types;
    uint8_t *short_lived; /* per slot: answer + 1, 0 while unknown */
};

static int lifetimes_init(lifetimes *L, const facts *f, goleak_check *chk) {
    memset(L, 0, sizeof *L);
    L->f = f;
    L->chk = chk;
    L->short_lived = NULL;
    if (names_init(&L->types, f->u, f->alloc, f->by_kind[N(SPEC)].len + 1)) return -1;
    L->short_lived = gl_calloc(f->alloc, (size_t)L->types.mask + 1);
    return L->short_lived ? 0 : -1;
}

static void lifetimes_free(lifetimes *L) {
    if (L->types.keys) names_free(&L->types);
    gl_free(L->f->alloc, L->short_lived);
}

static int var_kept(lifetimes *L, const var_fact *v, int depth);

/* Whether the new value in slot e (an EXPR holding T{...}, &T{...} or
 * new(T)) goes to a local variable that is not kept. */
static int made_for_local(lifetimes *L, uint32_t e, int depth) {
    const facts *f = L->f;
    uint32_t owner = f->nodes[e].parent;
    if (owner == NONE32) return 0;
    /* list = append(list, &T{...}): made for the list */
    if (f->nodes[e].role == R(ARG) && f->nodes[owner].kind == N(CALL) &&
        call_is_func(f, call_of(f, owner), "append") && f->nodes[owner].parent != NONE32 &&
        depth < 4)
        return made_for_local(L, f->nodes[owner].parent, depth + 1);
    /* every result it is given to (d, payload, ok := split(pkt)): a local
     * that is not kept, or the blank */
    for (uint32_t k = 0; k < 8; k++) {
        value_target t;
        q_value_target(f, e, k, &t);
        if (k > 0 && t.kind == GOLEAK_TARGET_NONE) break;
        if (t.kind == GOLEAK_TARGET_BLANK) continue;
        if ((t.kind != GOLEAK_TARGET_VAR && t.kind != GOLEAK_TARGET_PACKAGE_VAR) ||
            t.first != t.last)
            return 0;
        const var_fact *v = resolve(f, t.first);
        if (!v || v->func == NONE32 || (v->flags & (VF_PARAM | VF_RESULT)) ||
            var_kept(L, v, depth + 1))
            return 0;
    }
    return 1;
}

/* Whether the file only ever makes values of struct type name (token tn)
 * as function-local variables that are not kept (a parser or encoder
 * state made per call): then its methods' fields die with that call. */
static int short_lived_type_uncached(lifetimes *L, uint32_t tn, int depth);

/* The name token of the struct type declared in the file whose field has
 * exactly the type tokens [a, b] (`x T` or `x *T`), NONE32 otherwise (a
 * slice, map or anonymous struct around it, a parameter list). */
static uint32_t struct_of_field(const facts *f, uint32_t a, uint32_t b) {
    uint32_t ty = node_at(f, b);
    while (ty != NONE32 && f->nodes[ty].kind != N(TYPE)) ty = f->nodes[ty].parent;
    if (ty == NONE32 || f->nodes[ty].first != a || f->nodes[ty].last != b) return NONE32;
    uint32_t field = f->nodes[ty].parent;
    if (field == NONE32 || f->nodes[field].kind != N(FIELD)) return NONE32;
    uint32_t st = f->nodes[field].parent; /* the struct type, in its spec's type slot */
    if (st == NONE32 || f->nodes[st].kind != N(STRUCTTYPE)) return NONE32;
    uint32_t slot = f->nodes[st].parent;
    if (slot == NONE32 || f->nodes[slot].kind != N(TYPE)) return NONE32;
    uint32_t spec = f->nodes[slot].parent;
    if (spec == NONE32 || f->nodes[spec].kind != N(SPEC)) return NONE32;
    return f->nodes[spec].key;
}

static int short_lived_type(lifetimes *L, uint32_t tn, int depth) {
    /* asked at the top depth only: what deeper questions learn depends on
     * the depth left */
    if (depth > 1) return short_lived_type_uncached(L, tn, depth);
    int added;
    uint32_t slot = names_add(&L->types, tn, &added);
    if (slot == NONE32) return short_lived_type_uncached(L, tn, depth);
    if (L->short_lived[slot]) return L->short_lived[slot] - 1;
    int r = short_lived_type_uncached(L, tn, depth);
    L->short_lived[slot] = (uint8_t)(r + 1);
    return r;
}

static int short_lived_type_uncached(lifetimes *L, uint32_t tn, int depth) {
    const facts *f = L->f;
    if (depth > 4) return 0;
    int made = 0;
    uint32_t owner;
    uint32_t nuses;
    const uint32_t *uses = idents_named(f, tn, &nuses);
    for (uint32_t k = 0; k < nuses; k++) {
        uint32_t i = uses[k];
        if (i == tn || i + 1 >= f->u->toks.len) continue;
        if (i > 0 && f->toks[i - 1].kind == T(PERIOD)) continue; /* x.T: another name */
        uint32_t p = i > 0 && f->toks[i - 1].kind == T(MUL) ? i - 1 : i;
        int pk = p > 0 ? f->toks[p - 1].kind : T(ILLEGAL);
        const var_fact *v;
        int is_new = pk == T(LPAREN) && p == i && i >= 2 && tok_is(f, i - 2, "new");
        /* T{ starts a literal, not the body after a result type `) *T {` */
        int literal =
            f->toks[i + 1].kind == T(LBRACE) && f->nodes[node_at(f, i + 1)].kind == N(COMPOSITE);
        if (literal || is_new) {
            /* T{...}, &T{...}, new(T): the innermost slot starting there */
            uint32_t e = NONE32;
            for (uint32_t x = node_at(f, i); x != NONE32 && e == NONE32; x = f->nodes[x].parent) {
                uint32_t a = f->nodes[x].first;
                if (f->nodes[x].kind == N(EXPR) &&
                    (is_new ? a + 2 == i : (a == i || (a + 1 == i && f->toks[a].kind == T(AND)))))
                    e = x;
            }
            if (e == NONE32 || !made_for_local(L, e, depth)) return 0;
            made = 1;
        } else if (pk == T(IDENT) && (v = resolve(f, p - 1)) && v->type_first == p) {
            /* var p T, a parameter p *T or a receiver: only locals make one */
            if (v->flags & (VF_PARAM | VF_RECV | VF_RESULT)) continue;
            if (v->func == NONE32 || var_kept(L, v, depth + 1)) return 0;
            made = 1;
        } else if (pk == T(TYPE) || (pk == T(IDENT) && f->toks[p - 1].kind == T(IDENT) && p >= 2 &&
                                     f->toks[p - 2].kind == T(TYPE))) {
            continue; /* its declaration */
        } else if (pk == T(RPAREN) || pk == T(LPAREN) || pk == T(COMMA)) {
            continue; /* a receiver or parameter type list */
        } else if ((owner = struct_of_field(f, p, i)) != NONE32) {
            /* the type of a field `x T` of a struct type of the file: its
             * values live as long as that struct's, per call if it is */
            if (!short_lived_type(L, owner, depth + 1)) return 0;
            made = 1;
        } else {
            return 0; /* a field of another type, an element, a conversion: it may live on */
        }
    }
    return made;
}

/* Whether parameter or receiver v has type T or *T of a short-lived struct
 * type of the file. */
static int short_lived_param(lifetimes *L, const var_fact *v, int depth) {
    const facts *f = L->f;
    uint32_t a = v->type_first, b = v->type_last;
    if (a == NONE32) return 0;
    if (f->toks[a].kind == T(MUL)) a++;
    return a == b && f->toks[a].kind == T(IDENT) && short_lived_type(L, a, depth + 1);
}

/* Whether the variable at root token t outlives its function: package
 * variables, unknown names, parameters and receivers (the caller's memory,
 * unless of a short-lived type), aliases, and fresh locals that are kept. */
static int root_lives(lifetimes *L, uint32_t t, int depth) {
    const facts *f = L->f;
    const var_fact *v = resolve(f, t);
    if (!v || v->func == NONE32 || depth > 4) return 1;
    if (v->flags & (VF_PARAM | VF_RECV)) return !short_lived_param(L, v, depth);
    /* for _, b := range list: b is one of list's new values */
    const var_fact *list = ranged_list(f, v);
    if (list && list->func == v->func && fresh_local(f, list))
        return var_kept(L, list, depth + 1) || var_kept(L, v, depth + 1);
    if (!fresh_local(f, v)) return 1;
    return var_kept(L, v, depth + 1);
}

/* Whether the n calls `at` of L's file (by a function's name) all give
 * their value to a local that is not kept. */
static int calls_made_for_locals(lifetimes *L, const uint32_t *at, uint32_t n, int depth) {
    const facts *f = L->f;
    for (uint32_t i = 0; i < n; i++) {
        const call_fact *c = &f->calls.data[at[i]];
        if (c->recv_first != NONE32) return 0; /* x.name(): another function */
        uint32_t e = q_slot_of(f, c->node);
        if (e == NONE32 || !made_for_local(L, e, depth + 1)) return 0;
    }
    return 1;
}

/* Whether the calls of function `word` in file g of the package (not L's
 * file) all keep its result local: every mention of the name there is a
 * call; *calls receives their number. 1 when g does not spell it; 0 when
 * out of memory (*oom set). */
static int other_file_calls_local(lifetimes *L, size_t g, const char *word, int depth,
                                  uint32_t *calls, int *oom) {
    *calls = 0;
    const facts *h = pkg_facts_naming(L->chk, g, word, oom);
    if (!h) return !*oom;
    uint32_t nid, ncalls;
    idents_named_text(h, word, &nid);
    const uint32_t *at = calls_named_text(h, word, &ncalls);
    *calls = ncalls;
    if (nid != ncalls) return 0; /* a function value, or another thing of that name */
    lifetimes L2;
    if (lifetimes_init(&L2, h, L->chk)) {
        lifetimes_free(&L2);
        *oom = 1;
        return 0;
    }
    int ok = calls_made_for_locals(&L2, at, ncalls, depth);
    lifetimes_free(&L2);
    return ok;
}

/* Whether function fn is a constructor of the package whose every result
 * goes to a local that is not kept: an unexported plain function (no other
 * package calls it), only ever called by name, each call's value made for a
 * local (ft := newFactsTable(f) in a pass that drops ft when it ends), in
 * this file and in the other files of the package that name it. */
static int returned_to_locals(lifetimes *L, uint32_t fn, int depth) {
    const facts *f = L->f;
    uint32_t name = f->nodes[fn].key;
    if (f->nodes[fn].kind != N(FUNC) || name == NONE32 || depth > 3) return 0;
    if (tok_exported(f, name)) return 0;                   /* other packages may call it */
    if (child_by_role(f, fn, R(RECV)) != NONE32) return 0; /* a method: callers by type */
    char word[72];
    if (!tok_text(f, name, word, sizeof word)) return 0;
    uint32_t nid, ncalls;
    idents_named(f, name, &nid);
    const uint32_t *at = calls_named(f, name, &ncalls);
    /* every other mention of the name is a call (the first is its declaration) */
    if (nid != ncalls + 1 || !calls_made_for_locals(L, at, ncalls, depth)) return 0;
    uint32_t callers = ncalls;
    for (size_t g = 0, np = goleak_check_package_size(L->chk); g < np; g++) {
        if (goleak_check_package_unit(L->chk, g) == f->u) continue;
        int oom = 0;
        uint32_t calls;
        if (!other_file_calls_local(L, g, word, depth, &calls, &oom)) {
            if (oom) *f->oom = 1;
            return 0;
        }
        callers += calls;
    }
    return callers > 0; /* never called: its callers are unknown */
}

/* Whether a left-hand side lives on: a field x.f or element m[k] of
 * something that outlives the function, a package variable. */
static int long_lived_span(lifetimes *L, uint32_t a, uint32_t b);

/* Whether argument `index` of call is kept by its callee: h.meta.Put(x),
 * a method of the file called on something that outlives the function,
 * that keeps its parameter (an LRU storing the entry in its receiver's
 * map). v: the variable passed, if any (not followed into itself). */
static int arg_kept(lifetimes *L, uint32_t call, uint32_t index, const var_fact *v, int depth) {
    const facts *f = L->f;
    const call_fact *c = call != NONE32 ? call_of(f, call) : NULL;
    if (!c || c->name == NONE32 || c->pkg != PKG_NONE || c->recv_first == NONE32 ||
        !name_chain(f, c->recv_first, c->recv_last) ||
        !long_lived_span(L, c->recv_first, c->recv_last))
        return 0;
    uint32_t callee = find_func(f, c->name);
    const var_fact *p = callee != NONE32 && (f->nodes[callee].flags & GOLEAK_NODE_FLAG_METHOD)
                            ? param_at(f, callee, index)
                            : NULL;
    return p && p != v && (p->flags & VF_PARAM) && var_kept(L, p, depth + 1);
}

/* Whether local variable v is kept: returned, sent, stored somewhere that
 * lives on, or copied to a variable that is kept. */
static int var_kept(lifetimes *L, const var_fact *v, int depth) {
    const facts *f = L->f;
    if (v->func == NONE32 || depth > 4) return 1;
    uint32_t a = f->nodes[v->func].first, b = f->nodes[v->func].last;
    for (uint32_t u = next_use(f, v, a, b); u != NONE32; u = next_use(f, v, u, b)) {
        /* v.f, v[i], v.method(...): a part of v or a result flows on, not v */
        use_info ui;
        q_use(f, u, &ui);
        switch (ui.kind) {
        case GOLEAK_USE_RETURN: /* return v: kept unless every caller keeps it local */
            if (!returned_to_locals(L, v->func, depth)) return 1;
            break;
        case GOLEAK_USE_SEND: /* ch <- v, T{f: v} */
        case GOLEAK_USE_COMPOSITE: return 1;
        case GOLEAK_USE_ARG:
            if (arg_kept(L, ui.node, ui.index, v, depth)) return 1;
            break;
        case GOLEAK_USE_COPY:
        case GOLEAK_USE_STORE: {
            /* y = v, x.f = v, m[k] = v: kept when the left side lives on */
            value_target t;
            q_value_target(f, ui.slot, 0, &t);
            uint32_t root = chain_root(f, t.last);
            if (root == NONE32) return 1;
            if (root == t.last) {
                const var_fact *y = resolve(f, root);
                if (!y || y->func == NONE32 || (y->flags & (VF_PARAM | VF_RESULT))) return 1;
                if (y != v && var_kept(L, y, depth + 1)) return 1;
            } else if (root_lives(L, root, depth)) {
                return 1;
            }
            break;
        }
        default: break;
        }
    }
    return 0;
}

/* Whether local variable v, a map or a slice being filled, is later
 * stored itself into a long-lived place (c.prefixes[bucket] = set, s.all
 * = list): what it holds then lives as long. One step: the target is no
 * single name. */
static int stored_long_lived(lifetimes *L, const var_fact *v) {
    const facts *f = L->f;
    if (v->func == NONE32 || (v->flags & (VF_PARAM | VF_RECV | VF_RESULT))) return 0;
    /* a map or a slice: made (make(map...), make([]...)), a literal, or declared so */
    uint32_t a = v->type_first;
    if (a == NONE32 && v->value != NONE32) {
        a = f->nodes[v->value].first;
        if (tok_is(f, a, "make") && f->toks[a + 1].kind == T(LPAREN)) a += 2;
    }
    if (a == NONE32 || (f->toks[a].kind != T(MAP) && f->toks[a].kind != T(LBRACK))) return 0;
    uint32_t end = v->scope_end;
    for (uint32_t u = next_use(f, v, v->name, end); u != NONE32; u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind != GOLEAK_USE_STORE || ui.slot == NONE32) continue;
        value_target t;
        q_value_target(f, ui.slot, 0, &t);
        if ((t.kind == GOLEAK_TARGET_FIELD || t.kind == GOLEAK_TARGET_INDEX) && t.first != NONE32 &&
            t.last != NONE32 && t.first < t.last && long_lived_span(L, t.first, t.last))
            return 1;
    }
    return 0;
}

static int long_lived_span(lifetimes *L, uint32_t a, uint32_t b) {
    const facts *f = L->f;
    if (a == b) {
        const var_fact *v = resolve(f, a);
        return v && ((v->flags & VF_PKG) || stored_long_lived(L, v));
    }
    /* *h = ...: what a pointer parameter or receiver points at is the
     * caller's (a heap's Pop) */
    if (b == a + 1 && f->toks[a].kind == T(MUL) && f->toks[b].kind == T(IDENT)) {
        const var_fact *v = resolve(f, b);
        return v && (v->flags & (VF_PARAM | VF_RECV)) && root_lives(L, b, 0);
    }
    int indexed = f->toks[b].kind == T(RBRACK);
    int field = f->toks[b].kind == T(IDENT) && f->toks[b - 1].kind == T(PERIOD);
    if (!indexed && !field) return 0;
    uint32_t root = chain_root(f, b);
    return root == NONE32 || root_lives(L, root, 0);
}

static int long_lived_lhs(lifetimes *L, uint32_t lhs) {
    const facts *f = L->f;
    return long_lived_span(L, f->nodes[lhs].first, f->nodes[lhs].last);
}

/* The part kept by value expression e, also through append(dst, part) and
 * composite literals: the hold bits of a part found, 0 if none. */
static unsigned kept_part(const retention *r, uint32_t e) {
    const facts *f = r->f;
    unsigned h = kept_bits(node_hold(r, e));
    if (h) return h;
    uint32_t n = expr_node(f, e);
    if (n == NONE32) return 0;
    if (f->nodes[n].kind == N(CALL) && call_is_func(f, call_of(f, n), "append")) {
        /* append(list, part) keeps the part; append(dst, parts...) keeps the
         * list's parts; append(buf, part...) copies bytes */
        int spread = (f->nodes[n].flags & GOLEAK_NODE_FLAG_ELLIPSIS) != 0;
        for (uint32_t k = 1;; k++) {
            uint32_t arg = call_arg(f, n, k);
            if (arg == NONE32) break;
            unsigned ah = node_hold(r, arg);
            if (spread && call_arg(f, n, k + 1) == NONE32 && !(ah & LIST)) break;
            h |= kept_bits(ah);
        }
    }
    return h;
}

/* Whether composite literal lit ends up somewhere long-lived: returned,
 * sent, stored in a field, map or package variable (also inside another
 * literal, or through a local variable that is). */
static int composite_kept(lifetimes *L, uint32_t lit, int depth) {
    const facts *f = L->f;
    if (depth > 4) return 0;
    uint32_t e = f->nodes[lit].parent;
    if (e == NONE32 || f->nodes[e].kind != N(EXPR)) return 0;
    /* the slot holds the literal, or &literal */
    uint32_t a = f->nodes[e].first;
    if (!(a == f->nodes[lit].first || (a + 1 == f->nodes[lit].first && f->toks[a].kind == T(AND))))
        return 0;
    if (f->nodes[e].last != f->nodes[lit].last) return 0;
    value_target t;
    q_value_target(f, e, 0, &t);
    switch (t.kind) {
    case GOLEAK_TARGET_RETURN:
    case GOLEAK_TARGET_SEND: return 1;
    case GOLEAK_TARGET_ELEMENT: return composite_kept(L, t.owner, depth + 1);
    case GOLEAK_TARGET_ARG: {
        /* list = append(list, T{...}): kept where the list is */
        const call_fact *c = call_of(f, t.owner);
        if (c && !call_is_func(f, c, "append")) return arg_kept(L, t.owner, t.index, NULL, depth);
        if (!c || t.index == 0) return 0;
        uint32_t slot = q_slot_of(f, t.owner);
        if (slot == NONE32) return 0;
        value_target at;
        q_value_target(f, slot, 0, &at);
        if (at.kind == GOLEAK_TARGET_RETURN || at.kind == GOLEAK_TARGET_SEND) return 1;
        if (at.kind < GOLEAK_TARGET_VAR || at.kind > GOLEAK_TARGET_DEREF) return 0;
        if (long_lived_span(L, at.first, at.last)) return 1;
        const var_fact *v = at.first == at.last ? resolve(f, at.first) : NULL;
        return v && ((v->flags & VF_PKG) || var_kept(L, v, depth + 1));
    }
    case GOLEAK_TARGET_VAR:
    case GOLEAK_TARGET_PACKAGE_VAR:
    case GOLEAK_TARGET_FIELD:
    case GOLEAK_TARGET_INDEX:
    case GOLEAK_TARGET_DEREF: {
        /* x.f = T{...}, pkgVar = T{...}, or a local that is kept */
        if (long_lived_span(L, t.first, t.last)) return 1;
        const var_fact *v = t.first == t.last ? resolve(f, t.first) : NULL;
        return v && ((v->flags & VF_PKG) || var_kept(L, v, 0));
    }
    default: return 0;
    }
}

/* What find_retention finds, for GL001 and GL002 alike: each rule reports
 * the hits of its own part (a string's, a buffer's), so the analysis runs
 * once per check whichever of them run. */
typedef struct retention_hit {
    uint32_t at;       /* the node reported */
    unsigned hold;     /* the parts it holds (PART_STR, PART_BYTES) */
    const char *where; /* how it is kept (a static string) */
} retention_hit;

typedef struct retention_hits {
    const goleak_allocator *alloc;
    const facts *f; /* NULL when the unit cannot hold anything large */
    struct {
        retention_hit *data;
        uint32_t len, cap;
    } v;
} retention_hits;

static void retention_hit_add(const retention *r, uint32_t at, unsigned hold, const char *where) {
    retention_hit h = {at, hold, where};
    if (VEC_PUSH(r->f->alloc, &r->hits->v, h)) *r->f->oom = 1; /* the check fails */
}

/* The variable a slice expression or identifier slot e takes from (data of
 * data[i:] or data), NULL. */
static const var_fact *slice_base(const facts *f, uint32_t e) {
    uint32_t t, n = expr_node(f, e);
    if (expr_ident(f, e, &t)) return resolve(f, t);
    if (n == NONE32 || f->nodes[n].kind != N(SLICE) || f->nodes[n].key != f->nodes[n].first + 1)
        return NULL;
    return resolve(f, f->nodes[n].first);
}

/* Counts the results of return ret that are variables last set from a call
 * on (a slice of) a variable whose slice is another result: the rest of
 * the same input (return data[:i], name, after with name, after =
 * marker(data[i:])). *s and *b receive how many are strings and slices. */
static void rest_of_same_input(const retention *r, uint32_t ret, int *s, int *b) {
    const facts *f = r->f;
    const var_fact *bases[4];
    int nb = 0;
    for (uint32_t c = f->nodes[ret].child; c != NONE32 && nb < 4; c = f->nodes[c].next) {
        if (f->nodes[c].role != R(RESULT)) continue;
        uint32_t n = expr_node(f, c);
        const var_fact *v = n != NONE32 && f->nodes[n].kind == N(SLICE) ? slice_base(f, c) : NULL;
        if (v) bases[nb++] = v;
    }
    if (!nb) return;
    for (uint32_t c = f->nodes[ret].child; c != NONE32; c = f->nodes[c].next) {
        uint32_t t;
        if (f->nodes[c].role != R(RESULT) || !expr_ident(f, c, &t)) continue;
        const var_fact *v = resolve(f, t);
        uint32_t d = v ? last_site(r, v, f->nodes[ret].first) : NONE32;
        if (d == NONE32 || r->defs[d].lhs == NONE32) continue;
        uint32_t rhs = nth_child_by_role(f, r->defs[d].stmt, R(RHS), 0);
        uint32_t call = rhs != NONE32 ? expr_node(f, rhs) : NONE32;
        if (call == NONE32 || f->nodes[call].kind != N(CALL)) continue;
        for (uint32_t k = 0;; k++) {
            uint32_t arg = call_arg(f, call, k);
            if (arg == NONE32) break;
            const var_fact *base = slice_base(f, arg);
            for (int j = 0; j < nb && base; j++) {
                if (base != bases[j]) continue;
                if (v->kind == VK_STRING)
                    ++*s;
                else
                    ++*b;
                base = NULL;
            }
        }
    }
}

/* The part used as the key of long-lived map expression [a, b] (m[k] of an m
 * that outlives the function: a field, a package variable): the hold bits
 * of a string part, 0 otherwise. Slices cannot be keys. */
static unsigned map_key_part(const retention *r, uint32_t a, uint32_t b) {
    const facts *f = r->f;
    lifetimes *L = r->L;
    if (f->toks[b].kind != T(RBRACK) || b == a) return 0;
    uint32_t open = NONE32;
    int depth = 0;
    for (uint32_t k = b; k > a; k--) {
        if (f->toks[k].kind == T(RBRACK)) depth++;
        if (f->toks[k].kind == T(LBRACK) && --depth == 0) {
            open = k;
            break;
        }
    }
    if (open == NONE32 || open == a) return 0;
    /* a slice expression m[i:j] (a colon of the brackets themselves, not of
     * a key m[s[:n]] inside them) */
    int in = 0;
    for (uint32_t k = open + 1; k < b; k++) {
        int kk = f->toks[k].kind;
        if (kk == T(LBRACK) || kk == T(LPAREN) || kk == T(LBRACE))
            in++;
        else if (kk == T(RBRACK) || kk == T(RPAREN) || kk == T(RBRACE))
            in--;
        else if (kk == T(COLON) && in == 0)
            return 0;
    }
    if (!long_lived_span(L, a, open - 1) &&
        !(open - 1 == a && resolve(f, a) && (resolve(f, a)->flags & VF_PKG)))
        return 0;
    return kept_bits(expr_hold(r, open + 1, b - 1, 0)) & PART_STR;
}

/* Whether slot e (a composite element or a returned value) is one of two or
 * more slices of the same value among its siblings: together they cover
 * the value (header, body := buf[:n], buf[n:]), so none pins it alone. */
static int partitions(const facts *f, uint32_t e) {
    uint32_t sl = expr_node(f, e);
    if (sl == NONE32 || f->nodes[sl].kind != N(SLICE)) return 0;
    uint32_t a = f->nodes[sl].first, b = f->nodes[sl].key - 1;
    for (uint32_t c = f->nodes[f->nodes[e].parent].child; c != NONE32; c = f->nodes[c].next) {
        if (c == e || f->nodes[c].role != f->nodes[e].role) continue;
        uint32_t o = expr_node(f, c);
        if (o != NONE32 && f->nodes[o].kind == N(SLICE) &&
            toks_same(f, f->nodes[o].first, f->nodes[o].key - 1, a, b))
            return 1;
    }
    return 0;
}

/* Whether assignment as is list = append(list, part) as a statement of its
 * own of a range loop's body (no condition around it, nothing before it
 * that skips the rest of a round): every round keeps a piece, so together the pieces are the whole
 * input, kept anyway (for _, o := range offsets { p.data = append(p.data, all[o.at:o.end]) }). */
static int appends_every_round(const facts *f, uint32_t as, uint32_t lhs, uint32_t rhs) {
    uint32_t body = f->nodes[as].parent;
    if (body == NONE32 || f->nodes[body].role != R(BODY)) return 0;
    uint32_t lp = f->nodes[body].parent;
    if (lp == NONE32 || f->nodes[lp].kind != N(RANGE)) return 0;
    /* nothing before it skips the rest of a round (continue, break, return) */
    FOR_KIND_IN(f, N(BRANCH), br, f->nodes[body].first, f->nodes[as].first) {
        (void)br;
        return 0;
    }
    FOR_KIND_IN(f, N(RETURN), ret, f->nodes[body].first, f->nodes[as].first) {
        (void)ret;
        return 0;
    }
    uint32_t c = expr_node(f, rhs);
    if (c == NONE32 || f->nodes[c].kind != N(CALL) || !call_is_func(f, call_of(f, c), "append"))
        return 0;
    uint32_t arg0 = call_arg(f, c, 0);
    return arg0 != NONE32 && toks_same(f, f->nodes[arg0].first, f->nodes[arg0].last,
                                       f->nodes[lhs].first, f->nodes[lhs].last);
}

static void find_retention(const retention *r) {
    const facts *f = r->f;
    lifetimes *L = r->L;
    /* a test's memory goes when the test binary exits */
    if (in_test_file(f)) return;
    /* x.f = part, m[k] = part, and m[part] = v (a key of a long-lived map):
     * one finding per assignment target, the key and the value together */
    FOR_KIND(f, N(ASSIGN), as) {
        int define = f->toks[f->nodes[as].key].kind == T(DEFINE);
        for (uint32_t k = 0;; k++) {
            uint32_t lhs = nth_child_by_role(f, as, R(LHS), k);
            uint32_t rhs = nth_child_by_role(f, as, R(RHS), k);
            if (lhs == NONE32) break;
            unsigned value = 0;
            if (!define && rhs != NONE32) {
                value = kept_part(r, rhs);
                if (value && (!long_lived_lhs(L, lhs) || appends_every_round(f, as, lhs, rhs)))
                    value = 0;
            }
            unsigned key = map_key_part(r, f->nodes[lhs].first, f->nodes[lhs].last);
            if (value && key)
                retention_hit_add(r, as, value | key,
                                  "used as a key and kept as a value of a long-lived map");
            else if (value)
                retention_hit_add(r, as, value, "kept in a field, map or package variable");
            else if (key)
                retention_hit_add(r, as, key, "used as a key of a long-lived map");
        }
    }
    FOR_KIND(f, N(INCDEC), st) {
        uint32_t op = f->nodes[st].key;
        unsigned h = op != NONE32 && op > f->nodes[st].first
                         ? map_key_part(r, f->nodes[st].first, op - 1)
                         : 0;
        if (h) retention_hit_add(r, st, h, "used as a key of a long-lived map");
    }
    /* cache.Store(part, v) of a long-lived sync.Map (Store, LoadOrStore, Swap) */
    static const char *const stores[] = {"Store", "LoadOrStore", "Swap"};
    for (size_t k = 0; k < sizeof stores / sizeof *stores; k++) {
        uint32_t n;
        const uint32_t *calls = calls_named_text(f, stores[k], &n);
        for (uint32_t i = 0; i < n; i++) {
            const call_fact *c = &f->calls.data[calls[i]];
            if (c->recv_first == NONE32 || c->pkg != PKG_NONE) continue;
            uint32_t root = chain_root(f, c->recv_last);
            if (root == NONE32 || !root_lives(L, root, 0)) continue;
            unsigned h = 0;
            for (uint32_t j = 0; j < c->nargs && j < 2; j++) {
                uint32_t arg = call_arg(f, c->node, j);
                if (arg != NONE32) h |= kept_bits(node_hold(r, arg));
            }
            if (h) retention_hit_add(r, c->node, h, "stored in a long-lived map");
        }
    }
    FOR_KIND(f, N(SEND), s) {
        uint32_t v = child_by_role(f, s, R(VALUE));
        unsigned h = v != NONE32 ? kept_part(r, v) : 0;
        if (h) retention_hit_add(r, s, h, "sent on a channel");
    }
    FOR_KIND(f, N(RETURN), ret) {
        /* a function literal is a local helper: its caller uses the part */
        uint32_t fn = enclosing_func(f, ret);
        if (fn != NONE32 && f->nodes[fn].kind == N(FUNCLIT)) continue;
        unsigned h = 0;
        int strs = 0, bytes = 0;
        for (uint32_t c = f->nodes[ret].child; c != NONE32; c = f->nodes[c].next) {
            if (f->nodes[c].role != R(RESULT) || partitions(f, c)) continue;
            unsigned ch = kept_bits(node_hold(r, c));
            strs += (ch & PART_STR) != 0;
            bytes += (ch & PART_BYTES) != 0;
            h |= ch;
        }
        /* return head, name, rest where rest comes from a call on the rest
         * of the same input (name, rest = marker(data[i:])) */
        if (h) {
            int extra_s = 0, extra_b = 0;
            rest_of_same_input(r, ret, &extra_s, &extra_b);
            strs += extra_s;
            bytes += extra_b;
        }
        /* return head, rest: the input split in pieces, all of them kept */
        if (strs > 1) h &= ~(unsigned)PART_STR;
        if (bytes > 1) h &= ~(unsigned)PART_BYTES;
        /* a helper whose every caller keeps the result in a local that is
         * not kept (t := extract(body); use(len(t))) */
        if (h && fn != NONE32 && returned_to_locals(L, fn, 0)) h = 0;
        if (h) retention_hit_add(r, ret, h, "returned");
    }
    FOR_KIND(f, N(COMPOSITE), lit) {
        int kept = -1;           /* whether lit is kept: asked once a slot holds a part */
        uint32_t first = NONE32; /* one finding per literal, at its first part */
        unsigned all = 0;
        for (uint32_t c = f->nodes[lit].child; c != NONE32; c = f->nodes[c].next) {
            if (f->nodes[c].role != R(VALUE) && f->nodes[c].role != R(ELEM)) continue;
            unsigned h = kept_bits(node_hold(r, c));
            if (!h || partitions(f, c)) continue;
            if (kept < 0) kept = composite_kept(L, lit, 0);
            if (!kept) break;
            if (first == NONE32) first = c;
            all |= h;
        }
        if (first != NONE32)
            retention_hit_add(r, first, all, "kept in a composite literal that is kept");
    }
}

static void report_string(goleak_check *chk, const facts *f, const retention_hit *h) {
    if (!(h->hold & PART_STR)) return;
    char what[64];
    check_report_node(chk, h->at,
                      "a substring of a large string is %s (`%s`): it keeps the whole string "
                      "alive; copy it with strings.Clone",
                      h->where, node_snippet(f, h->at, what, sizeof what));
}

static void report_bytes(goleak_check *chk, const facts *f, const retention_hit *h) {
    if (!(h->hold & PART_BYTES)) return;
    char what[64];
    check_report_node(chk, h->at,
                      "a subslice of a large buffer is %s (`%s`): it keeps the whole buffer "
                      "alive; copy it (bytes.Clone, append([]byte(nil), b...))",
                      h->where, node_snippet(f, h->at, what, sizeof what));
}

/* Whether anything in the file can be large: a variable holding a whole
 * input or a big buffer, a ReadAll/ReadFile call, or String()/Bytes() of a
 * bytes.Buffer or strings.Builder variable. Every hold starts at one of
 * these (call_hold asks the same two questions; retention_init the
 * variables'), so without any nothing is reported,
 * and most files are done without computing a single hold. */
static int has_large_source(const facts *f) {
    for (uint32_t k = 0; k < f->vars.len; k++) {
        unsigned bit;
        if (f->vars.data[k].flags & VF_LARGE) return 1;
        if (named_input(f, &f->vars.data[k], &bit)) return 1;
    }
    for (uint32_t i = 0; i < f->calls.len; i++) {
        const call_fact *c = &f->calls.data[i];
        if (call_reads_whole_input(f, c) || buffer_contents(f, c)) return 1;
    }
    return 0;
}

/* Whether the unit is a test file (its path ends in _test.go): its memory
 * goes when the test binary exits. */
static int test_path(const goleak_unit *u) {
    const char *path = goleak_unit_path(u);
    size_t n = path ? strlen(path) : 0;
    return n >= 8 && strcmp(path + n - 8, "_test.go") == 0;
}

/* Whether the unit may hold something large: the words every large source
 * of has_large_source needs (a whole read, a buffer's contents, a
 * make([]byte, N)) before the facts are built. */
static int may_hold_large(goleak_check *chk) {
    static const char *const make_bytes[] = {"make", "(", "[", "]", "byte", ","};
    if (check_may_have(chk, "ReadAll") || check_may_have(chk, "ReadFile")) return 1;
    for (size_t k = 0; k < sizeof input_names / sizeof *input_names; k++)
        if (check_may_have(chk, input_names[k])) return 1;
    if ((check_may_have(chk, "String") || check_may_have(chk, "Bytes")) &&
        (check_may_have(chk, "Buffer") || check_may_have(chk, "Builder") ||
         check_may_have(chk, "NewBuffer") || check_may_have(chk, "NewBufferString")))
        return 1;
    /* make([]byte, N): large from 64 KiB, so a small decimal N is not */
    const goleak_unit *u = chk->unit;
    for (uint32_t i = 0; i + 7 < u->toks.len; i++) {
        /* a cheap look at the first token before the words are compared */
        const token *m = &u->toks.data[i];
        if (m->kind != T(IDENT) || m->len != 4 || u->src[m->off] != 'm') continue;
        if (!unit_tokens_are(u, i, make_bytes, 6)) continue;
        const token *n = &u->toks.data[i + 6];
        int next = u->toks.data[i + 7].kind;
        if (n->kind != T(INT) || n->len > 4 || (next != T(RPAREN) && next != T(COMMA))) return 1;
        if (u->src[n->off] == '0' && n->len > 1) return 1; /* octal, hex: let the facts say */
    }
    return 0;
}

static void retention_hits_free(void *data) {
    retention_hits *x = data;
    gl_free(x->alloc, x->v.data);
    gl_free(x->alloc, x);
}

/* The check's retention hits (check_shared): empty when the unit is a test
 * or cannot hold anything large; NULL when out of memory. */
static void *retention_build(goleak_check *chk) {
    retention_hits *x = gl_calloc(chk->engine->alloc, sizeof *x);
    if (!x) return NULL;
    x->alloc = chk->engine->alloc;
    if (test_path(chk->unit) || !may_hold_large(chk)) return x;
    const facts *f = check_facts(chk);
    if (!f) {
        retention_hits_free(x);
        return NULL;
    }
    if (!has_large_source(f)) return x;
    retention r;
    lifetimes L;
    if (lifetimes_init(&L, f, chk) || retention_init(&r, f)) {
        lifetimes_free(&L);
        retention_hits_free(x);
        return NULL;
    }
    x->f = f;
    r.L = &L;
    r.hits = x;
    find_retention(&r);
    retention_free(&r);
    lifetimes_free(&L);
    return x;
}

typedef void (*retain_fn)(goleak_check *chk, const facts *f, const retention_hit *h);

static int run_retention(goleak_check *chk, retain_fn report) {
    const retention_hits *x =
        check_shared(chk, SHARED_RETENTION, retention_build, retention_hits_free);
    for (uint32_t k = 0; x && x->f && k < x->v.len; k++) report(chk, x->f, &x->v.data[k]);
    return 0;
}

static int check_substring_retention(goleak_check *chk, void *ud) {
    (void)ud;
    return run_retention(chk, report_string);
}

static int check_subslice_retention(goleak_check *chk, void *ud) {
    (void)ud;
    return run_retention(chk, report_bytes);
}

/* ---- GL003 ---- */

/* Whether an element type (tokens [a, b]) is or holds pointers; strings
 * and types of other packages count only with `strings` set (a popped
 * string is small: not worth it; pkg.T may be a number). */
static int pointerish_elem(const facts *f, uint32_t a, uint32_t b, int depth, int strings) {
    if (a > b || depth > 4) return 0;
    int k = f->toks[a].kind;
    if (k == T(MUL) || k == T(MAP) || k == T(CHAN) || k == T(FUNC) || k == T(INTERFACE)) return 1;
    if (k == T(LBRACK)) return f->toks[a + 1].kind == T(RBRACK); /* [][]T; arrays are values */
    if (k != T(IDENT)) return 0;
    /* pkg.T: a struct or interface of another package; most hold pointers
     * (time.Time its location, big.Int its digits), but a named number
     * (ir.ScopeID) does not: counted where strings are (not for pops) */
    if (b == a + 2 && f->toks[a + 1].kind == T(PERIOD) && f->toks[b].kind == T(IDENT))
        return strings;
    if (a == b && (tok_is(f, a, "any") || tok_is(f, a, "error"))) return 1;
    if (a == b && tok_is(f, a, "string")) return strings;
    if (a != b) return 0;
    /* a struct type of the file with such a field */
    for (uint32_t i = 0; i < f->fields.len; i++) {
        const field_fact *ff = &f->fields.data[i];
        if (ff->owner == NONE32 || !tok_same(f, f->nodes[ff->owner].key, a)) continue;
        if (pointerish_elem(f, ff->type_first, ff->type_last, depth + 1, strings)) return 1;
    }
    return 0;
}

/* The declared element type of slice x (a variable or a field), through
 * its type or its make/literal value: the tokens after "[]". */
static int slice_elem(const facts *f, uint32_t a, uint32_t b, uint32_t *ea, uint32_t *eb) {
    uint32_t ta = NONE32, tb = NONE32;
    if (a == b) {
        const var_fact *v = resolve(f, a);
        if (!v) return 0;
        if (v->type_first != NONE32) {
            ta = v->type_first;
            tb = v->type_last;
        } else if (v->value != NONE32) {
            uint32_t va = f->nodes[v->value].first, vb = f->nodes[v->value].last;
            if (tok_is(f, va, "make") && f->toks[va + 1].kind == T(LPAREN)) {
                ta = va + 2;
                tb = vb;
                for (uint32_t k = ta; k <= vb; k++) {
                    if (f->toks[k].kind == T(COMMA) || f->toks[k].kind == T(RPAREN)) {
                        tb = k - 1;
                        break;
                    }
                }
            } else {
                ta = va;
                tb = vb;
                uint32_t c = expr_node(f, v->value);
                if (c != NONE32 && f->nodes[c].kind == N(COMPOSITE)) tb = f->nodes[c].key - 1;
            }
        }
    } else if (f->toks[b].kind == T(IDENT) && f->toks[b - 1].kind == T(PERIOD)) {
        const field_fact *ff = find_field(f, b);
        if (!ff) return 0;
        ta = ff->type_first;
        tb = ff->type_last;
    } else if (b == a + 1 && f->toks[a].kind == T(MUL)) {
        /* *h of h *Heap */
        const var_fact *v = resolve(f, b);
        if (!v || v->type_first == NONE32 || f->toks[v->type_first].kind != T(MUL)) return 0;
        ta = v->type_first + 1;
        tb = v->type_last;
    }
    /* a slice type of the file: type Heap []*Item */
    if (ta != NONE32 && ta == tb && f->toks[ta].kind == T(IDENT)) {
        uint32_t spec = find_type(f, ta);
        uint32_t type = spec != NONE32 ? child_by_role(f, spec, R(TYPE)) : NONE32;
        if (type == NONE32) return 0;
        ta = f->nodes[type].first;
        tb = f->nodes[type].last;
    }
    if (ta == NONE32 || ta + 2 > tb || f->toks[ta].kind != T(LBRACK) ||
        f->toks[ta + 1].kind != T(RBRACK))
        return 0;
    *ea = ta + 2;
    *eb = tb;
    return 1;
}

/* Whether method name token t conventionally empties or releases its
 * receiver: Reset, Release, Close, Clear, Free (either case). */
static int resets(const facts *f, uint32_t t) {
    static const char *const names[] = {"reset", "Reset", "release", "Release", "close",
                                        "Close", "clear", "Clear",   "free",    "Free"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (tok_is(f, t, names[k])) return 1;
    return 0;
}

/* Whether function fn looks after x's slots itself (x: tokens [a, b]):
 * anywhere in it, an element is assigned (x[i] = nil), has a field
 * assigned or is reset (x[i].next = nil, x[i].Reset()), has its
 * address taken (p := &x[i]; p.v = nil), x is replaced (x = nil,
 * x = make(...), x = other[:n]), x is cleared (clear(x)) or
 * elements are shifted over the dropped one (copy(x[i:], x[i+1:])). When
 * truncated = 1 (x[:hi]), also an append to x, which refills the slots. */
static int slots_handled(const facts *f, uint32_t fn, uint32_t a, uint32_t b, int truncated,
                         uint32_t skip) {
    uint32_t n = b - a, end = f->nodes[fn].last;
    for (uint32_t i = f->nodes[fn].first; i + n + 1 < end; i++) {
        if (i >= f->nodes[skip].first && i <= f->nodes[skip].last) continue; /* the drop itself */
        if (!toks_same(f, i, i + n, a, b)) continue;
        if (i > 0 && f->toks[i - 1].kind == T(PERIOD)) continue;
        if (i >= 2 && f->toks[i - 1].kind == T(LPAREN)) {
            if (tok_is(f, i - 2, "clear")) return 1;
            if (tok_is(f, i - 2, "append") && truncated) return 1;
        }
        /* x = other: the old array is dropped as a whole (x = nil,
         * x = make(...), x = store[:n]); not x = x[...] nor append(x, ...) */
        if (f->toks[i + n + 1].kind == T(ASSIGN)) {
            uint32_t r = i + n + 2;
            int same = r + n < end && toks_same(f, r, r + n, a, b);
            int app =
                r + 2 + n < end && tok_is(f, r, "append") && toks_same(f, r + 2, r + 2 + n, a, b);
            if (!same && !app) return 1;
        }
        if (f->toks[i + n + 1].kind != T(LBRACK)) continue;
        if (i >= 1 && f->toks[i - 1].kind == T(AND)) return 1;
        if (i >= 2 && f->toks[i - 1].kind == T(LPAREN) && tok_is(f, i - 2, "copy")) return 1;
        uint32_t m = matching(f, i + n + 1, end);
        if (m == NONE32) continue;
        if (f->toks[m + 1].kind == T(ASSIGN)) return 1;
        /* x[i].f = v, x[i].Reset() */
        if (f->toks[m + 1].kind != T(PERIOD) || f->toks[m + 2].kind != T(IDENT)) continue;
        int after = f->toks[m + 3].kind;
        if (after == T(ASSIGN)) return 1;
        if (after == T(LPAREN) && f->toks[m + 4].kind == T(RPAREN) && resets(f, m + 2)) return 1;
    }
    return 0;
}

/* Whether tokens [a, b] contain the sequence [x0, x1]. */
static int contains(const facts *f, uint32_t a, uint32_t b, uint32_t x0, uint32_t x1) {
    uint32_t n = x1 - x0;
    for (uint32_t i = a; i + n <= b; i++)
        if (toks_same(f, i, i + n, x0, x1)) return 1;
    return 0;
}

/* Whether function fn compares len(x) with hi in some if condition: the
 * guard of a truncation (if len(x) > max { x = x[:max] }). */
static int len_compared(const facts *f, uint32_t fn, uint32_t xa, uint32_t xb, uint32_t ha,
                        uint32_t hb) {
    FOR_KIND_IN(f, N(IF), ifs, f->nodes[fn].first, f->nodes[fn].last) {
        uint32_t c = child_by_role(f, ifs, R(COND));
        if (c == NONE32) continue;
        uint32_t ca = f->nodes[c].first, cb = f->nodes[c].last;
        if (!contains(f, ca, cb, ha, hb)) continue;
        for (uint32_t i = ca; i + 3 + (xb - xa) <= cb; i++) {
            if (tok_is(f, i, "len") && f->toks[i + 1].kind == T(LPAREN) &&
                toks_same(f, i + 2, i + 2 + (xb - xa), xa, xb) &&
                f->toks[i + 3 + (xb - xa)].kind == T(RPAREN))
                return 1;
        }
    }
    return 0;
}

static int is_pop(const facts *f, uint32_t ha, uint32_t hb);

/* Whether x[:hi] trims x to a bound: one the function compares with len(x)
 * (if len(x) > max { x = x[:max] }). Not reported: a pop, x[:len(x)-1] or
 * x[:n-1] (the next push overwrites the slot, so what stays is bounded by
 * the stack's depth); x[:n] alone (it may as well grow x back towards its
 * capacity); x[:0] (emptied for reuse: the refill overwrites the slots, and
 * pools and reset methods keep them on purpose). */
static int high_bound_drops(const facts *f, uint32_t fn, uint32_t xa, uint32_t xb, uint32_t ha,
                            uint32_t hb) {
    if (ha == hb && tok_is(f, ha, "0")) return 0;
    if (is_pop(f, ha, hb)) return 0;
    return fn != NONE32 && len_compared(f, fn, xa, xb, ha, hb);
}

/* Whether high bound [ha, hb] takes from the end: len(x)-1, n-1, len(x)-k
 * (a subtraction at the top level): a pop from a stack or a heap. */
static int is_pop(const facts *f, uint32_t ha, uint32_t hb) {
    return top_level(f, ha, hb + 1, T(SUB)) != NONE32;
}

/* Whether every value pushed onto x (append(x, v) anywhere in the file,
 * with v a variable) is also kept elsewhere by the pushing function: put
 * in another container, a field or a literal (a parser's stack of nodes
 * that are also its tree's children). Popping it then frees nothing. */
static int pushed_values_kept_elsewhere(const facts *f, uint32_t a, uint32_t b) {
    uint32_t n, pushes = 0;
    const uint32_t *appends = calls_named_text(f, "append", &n);
    for (uint32_t i = 0; i < n; i++) {
        const call_fact *c = &f->calls.data[appends[i]];
        uint32_t arg0 = call_arg(f, c->node, 0);
        if (!call_is_func(f, c, "append") || arg0 == NONE32 ||
            !toks_same(f, f->nodes[arg0].first, f->nodes[arg0].last, a, b))
            continue;
        uint32_t arg1 = call_arg(f, c->node, 1), t;
        if (arg1 == NONE32 || call_arg(f, c->node, 2) != NONE32 || !expr_ident(f, arg1, &t))
            return 0;
        const var_fact *v = resolve(f, t);
        uint32_t fn = enclosing_func(f, c->node);
        if (!v || fn == NONE32) return 0;
        pushes++;
        int kept = 0;
        for (uint32_t u = first_use_in(f, v, f->nodes[fn].first, f->nodes[fn].last);
             u != NONE32 && !kept; u = next_use(f, v, u, f->nodes[fn].last)) {
            if (u == t) continue;
            use_info ui;
            q_use(f, u, &ui);
            if (ui.kind == GOLEAK_USE_STORE || ui.kind == GOLEAK_USE_COMPOSITE ||
                (ui.kind == GOLEAK_USE_ARG && ui.node != c->node &&
                 call_is_func(f, call_of(f, ui.node), "append")))
                kept = 1;
        }
        if (!kept) return 0;
    }
    return pushes > 0;
}

/* Whether the file sets field x.name (token b names it) to nil somewhere,
 * or to a parameter of the setting function: the owner drops the whole
 * array when done with it (li.a = nil when pooled), or the array is the
 * caller's (f.args = arguments), which keeps it whole anyway. */
static int field_reset_or_borrowed(const facts *f, uint32_t b) {
    if (f->toks[b].kind != T(IDENT) || f->toks[b - 1].kind != T(PERIOD)) return 0;
    /* every x.name = v of the file: the left-hand sides ending in the name */
    uint32_t n;
    const uint32_t *names = idents_named(f, b, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t l = names[i], lhs = node_at(f, l);
        if (f->nodes[lhs].kind != N(EXPR) || f->nodes[lhs].role != R(LHS) ||
            f->nodes[lhs].last != l || l == f->nodes[lhs].first || f->toks[l - 1].kind != T(PERIOD))
            continue;
        uint32_t as = f->nodes[lhs].parent, k = 0;
        for (uint32_t c = f->nodes[as].child; c != lhs; c = f->nodes[c].next)
            k += f->nodes[c].role == R(LHS);
        uint32_t rhs = nth_child_by_role(f, as, R(RHS), k);
        if (rhs == NONE32) continue;
        uint32_t r = f->nodes[rhs].first;
        if (r != f->nodes[rhs].last) continue;
        if (tok_is(f, r, "nil")) return 1;
        const var_fact *v = resolve(f, r);
        if (v && (v->flags & VF_PARAM) && !(v->flags & VF_RECV)) return 1;
    }
    return 0;
}

/* Whether the file appends to x (tokens [a, b]: a variable, or any x.f
 * with the same field name): a queue or list that grows and shrinks. A
 * slice that is only consumed is a cursor over a list built elsewhere,
 * which usually still holds the elements. */
static int appended_to(const facts *f, uint32_t a, uint32_t b) {
    int field = b > a && f->toks[b - 1].kind == T(PERIOD);
    uint32_t n;
    const uint32_t *appends = calls_named_text(f, "append", &n);
    for (uint32_t i = 0; i < n; i++) {
        const call_fact *c = &f->calls.data[appends[i]];
        if (!call_is_func(f, c, "append")) continue;
        uint32_t arg = call_arg(f, c->node, 0);
        if (arg == NONE32) continue;
        uint32_t x0 = f->nodes[arg].first, x1 = f->nodes[arg].last;
        if (field ? (x1 > x0 && f->toks[x1 - 1].kind == T(PERIOD) && tok_same(f, x1, b))
                  : toks_same(f, x0, x1, a, b))
            return 1;
    }
    return 0;
}

/* Whether the unit reslices something onto itself: x = x[lo:hi], or
 * assigns a slice of a variable (*h = old[lo:hi], old a copy of *h). */
static int reslices_onto_itself(const goleak_unit *u) {
    const node *nd = u->nodes.data;
    FOR_UNIT_NODE(u, N(SLICE), sl) {
        uint32_t e = nd[sl].parent, as = e != NONE32 ? nd[e].parent : NONE32;
        if (as == NONE32 || nd[e].role != R(RHS) || nd[as].kind != N(ASSIGN) ||
            u->toks.data[nd[as].key].kind != T(ASSIGN))
            continue;
        uint32_t lhs = nd[as].child; /* the first left-hand side */
        if (lhs == NONE32 || nd[lhs].role != R(LHS) || nd[sl].key == NONE32) continue;
        uint32_t a = nd[lhs].first, b = nd[lhs].last, base = nd[sl].first;
        /* *h = old[:n-1]: the base may be a copy of the left-hand side */
        if (base + 1 == nd[sl].key && u->toks.data[base].kind == T(IDENT)) return 1;
        if (b - a != nd[sl].key - 1 - base) continue;
        int same = 1;
        for (uint32_t k = 0; same && a + k <= b; k++) {
            const token *x = &u->toks.data[a + k], *y = &u->toks.data[base + k];
            same = x->len == y->len && memcmp(u->src + x->off, u->src + y->off, x->len) == 0;
        }
        if (same) return 1;
    }
    return 0;
}

static const goleak_rule_option gl003_options[] = {
    {"pops", GOLEAK_OPTION_BOOL, "true", 0, 1,
     "report pops from long-lived stacks and heaps (x = x[:len(x)-1]) that do not clear the "
     "popped slot"},
};

/* The answers of GL003 that depend only on the slice's name, asked once
 * per name (a file of 20,000 pops of one field asks the file's appends
 * once): per name slot and shape (a variable x, a field .x, *x), the
 * answer of each question plus one, 0 while unknown. */
enum { Q_RESET, Q_APPENDED, Q_KEPT, NQ };

typedef struct name_memo {
    name_table names;
    uint8_t *answer; /* [slot * 3 + shape][question] */
    int ok;
} name_memo;

static int memo_init(name_memo *m, const facts *f) {
    memset(m, 0, sizeof *m);
    uint32_t n = f->by_kind[N(ASSIGN)].len + 1;
    m->ok = names_init(&m->names, f->u, f->alloc, n) == 0;
    m->answer = m->ok ? gl_calloc(f->alloc, ((size_t)m->names.mask + 1) * 3 * NQ) : NULL;
    m->ok = m->ok && m->answer;
    return m->ok ? 0 : -1;
}

static void memo_free(name_memo *m, const facts *f) {
    if (m->names.keys) names_free(&m->names);
    gl_free(f->alloc, m->answer);
}

/* The memo cell of question q for the slice spelled [a, b], NULL when the
 * slice has no name of its own (it is then asked directly). */
static uint8_t *memo_cell(name_memo *m, const facts *f, uint32_t a, uint32_t b, int q) {
    int shape = a == b                                      ? 0
                : b > a && f->toks[b - 1].kind == T(PERIOD) ? 1
                : b == a + 1 && f->toks[a].kind == T(MUL)   ? 2
                                                            : -1;
    if (shape < 0 || f->toks[b].kind != T(IDENT)) return NULL;
    int added;
    uint32_t slot = names_add(&m->names, b, &added);
    if (slot == NONE32) return NULL;
    return &m->answer[((size_t)slot * 3 + (size_t)shape) * NQ + (size_t)q];
}

static int asked(name_memo *m, const facts *f, uint32_t a, uint32_t b, int q) {
    uint8_t *cell = memo_cell(m, f, a, b, q);
    if (cell && *cell) return *cell - 1;
    int r = q == Q_RESET      ? field_reset_or_borrowed(f, b)
            : q == Q_APPENDED ? appended_to(f, a, b)
                              : pushed_values_kept_elsewhere(f, a, b);
    if (cell) *cell = (uint8_t)(r + 1);
    return r;
}

/* Whether name token t names a free list (pool, free, avail, spare, idle,
 * recycled, any case): a pop hands an object out for use, and it comes
 * back to the list when freed; the slot holds nothing that is not in use. */
static int free_list(const facts *f, uint32_t t) {
    static const char *const words[] = {"pool", "free", "avail", "spare", "idle", "recycl"};
    return tok_mentions(f, t, words, sizeof words / sizeof *words);
}

static int check_lost_pointer_elements(goleak_check *chk, void *ud) {
    (void)ud;
    int pops = (int)goleak_check_option_int(chk, "pops", 1);
    if (test_path(chk->unit) || !reslices_onto_itself(chk->unit)) return 0;
    const facts *f = check_facts(chk);
    if (!f || in_test_file(f)) return 0;
    name_memo memo;
    lifetimes lt, *L = &lt;
    int bad = memo_init(&memo, f), bad2 = lifetimes_init(L, f, chk);
    if (bad || bad2) {
        memo_free(&memo, f);
        lifetimes_free(L);
        *f->oom = 1;
        return 0;
    }
    FOR_KIND(f, N(ASSIGN), as) {
        if (f->toks[f->nodes[as].key].kind != T(ASSIGN)) continue;
        uint32_t lhs = nth_child_by_role(f, as, R(LHS), 0);
        uint32_t rhs = nth_child_by_role(f, as, R(RHS), 0);
        if (lhs == NONE32 || rhs == NONE32 || nth_child_by_role(f, as, R(LHS), 1) != NONE32)
            continue;
        uint32_t sl = expr_node(f, rhs);
        if (sl == NONE32 || f->nodes[sl].kind != N(SLICE) ||
            (f->nodes[sl].flags & GOLEAK_NODE_FLAG_SLICE3))
            continue;
        uint32_t a = f->nodes[lhs].first, b = f->nodes[lhs].last;
        uint32_t open = f->nodes[sl].key, close = f->nodes[sl].last;
        /* x = x[...], or old := *h ... *h = old[...] (a heap's Pop) */
        const var_fact *alias = NULL;
        if (!toks_same(f, f->nodes[sl].first, open - 1, a, b)) {
            uint32_t base = f->nodes[sl].first;
            alias = base + 1 == open ? resolve(f, base) : NULL;
            if (!alias || alias->value == NONE32 ||
                !toks_same(f, f->nodes[alias->value].first, f->nodes[alias->value].last, a, b))
                continue;
        }
        /* only slices that outlive the function: a local queue or stack
         * frees its dropped slots when the function returns */
        if (f->toks[b].kind == T(RBRACK)) continue;
        /* x[lo:] with lo not 0, or x[:hi]: elements are dropped */
        uint32_t colon = top_level(f, open + 1, close, T(COLON));
        if (colon == NONE32) continue;
        int has_lo = colon > open + 1 && !(colon == open + 2 && tok_is(f, open + 1, "0"));
        int has_hi = colon + 1 < close;
        if (has_lo == has_hi) continue; /* x[:] keeps all; x[i:j] is a window, not a drop */
        uint32_t fn = enclosing_func(f, as);
        int pop = has_hi && is_pop(f, colon + 1, close - 1);
        if (pop && !pops) continue;
        if (has_hi && !pop && !high_bound_drops(f, fn, a, b, colon + 1, close - 1)) continue;
        uint32_t ea, eb;
        if (!slice_elem(f, a, b, &ea, &eb) || !pointerish_elem(f, ea, eb, 0, !pop)) continue;
        if (!long_lived_lhs(L, lhs)) continue;
        if (fn != NONE32 && slots_handled(f, fn, a, b, has_hi, as)) continue;
        if (fn != NONE32 && alias && slots_handled(f, fn, alias->name, alias->name, has_hi, as))
            continue;
        if (asked(&memo, f, a, b, Q_RESET) || !asked(&memo, f, a, b, Q_APPENDED)) continue;
        if (pop && (asked(&memo, f, a, b, Q_KEPT) || free_list(f, b))) continue;
        char what[64], elem[48];
        if (pop)
            check_report_node(chk, as,
                              "`%s` pops from a slice of %s without clearing the popped slot: "
                              "the backing array keeps the popped value alive until a later "
                              "push overwrites the slot or the array is reallocated (bounded "
                              "by the stack's depth); set the slot to nil first",
                              node_snippet(f, as, what, sizeof what),
                              snippet(f, ea, eb, elem, sizeof elem));
        else
            check_report_node(chk, as,
                              "`%s` drops elements of a slice of %s without clearing them: the "
                              "backing array still points to the dropped values, which stay "
                              "alive until the array is reallocated by a later append; set "
                              "the dropped slots to nil (or the zero value) first",
                              node_snippet(f, as, what, sizeof what),
                              snippet(f, ea, eb, elem, sizeof elem));
    }
    memo_free(&memo, f);
    lifetimes_free(L);
    return 0;
}

const goleak_rule_def builtin_GL001 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL001",
    .name = "substring-retention",
    .severity = GOLEAK_SEVERITY_WARNING,
    .check = check_substring_retention,
    .triggers = "ReadAll,ReadFile,String,Bytes,make,body,page,doc,document,payload,html,content,"
                "contents",
};

const goleak_rule_def builtin_GL002 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL002",
    .name = "subslice-retention",
    .severity = GOLEAK_SEVERITY_WARNING,
    .check = check_subslice_retention,
    .triggers = "ReadAll,ReadFile,String,Bytes,make,body,page,doc,document,payload,html,content,"
                "contents",
};

const goleak_rule_def builtin_GL003 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL003",
    .name = "lost-pointer-elements",
    .severity = GOLEAK_SEVERITY_WARNING,
    .check = check_lost_pointer_elements,
    .triggers = ":",
    .options = gl003_options,
    .noptions = sizeof gl003_options / sizeof *gl003_options,
};
