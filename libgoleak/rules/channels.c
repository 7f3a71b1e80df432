/* GL012 nil-channel, GL013 unbalanced-channel and GL020 blocked-sender. */
#include "../paths.h"
#include "../query.h"
#include "fieldchan.h"
#include "goroutine.h"
#include "pkgindex.h"
#include "rules.h"
#include "typeindex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- GL012 ---- */

static int in_select_case(const facts *f, uint32_t n);

/* Whether v (declared without a value) gets one anywhere in its function:
 * v = ..., a, v = ..., &v. */
static int chan_assigned(const facts *f, const var_fact *v) {
    return var_set_in(f, v, f->nodes[v->func].first, f->nodes[v->func].last);
}

/* A local channel declared without a value (var ch chan T) and never given
 * one in its function. */
static int is_nil_chan(const facts *f, const var_fact *v) {
    if (v->kind != VK_CHAN || !(v->flags & VF_NO_VALUE) || v->func == NONE32 ||
        (v->flags & (VF_PARAM | VF_RESULT | VF_PKG)))
        return 0;
    return !chan_assigned(f, v);
}

/* Whether the unit declares a channel without a value: a variable (var ch
 * chan T, local or package-level) or a struct field (ch chan T). */
static int declares_unmade_chan(const goleak_unit *u) {
    const node *nd = u->nodes.data;
    FOR_UNIT_NODE(u, N(SPEC), s) {
        uint32_t type = NONE32;
        int value = 0;
        for (uint32_t c = nd[s].child; c != NONE32; c = nd[c].next) {
            if (nd[c].role == R(TYPE)) type = c;
            if (nd[c].role == R(VALUE)) value = 1;
        }
        if (type == NONE32 || value) continue;
        int k = u->toks.data[nd[type].first].kind;
        if (k == T(CHAN) || k == T(ARROW)) return 1;
    }
    FOR_UNIT_NODE(u, N(FIELD), fl) {
        if (nd[fl].parent == NONE32 || nd[nd[fl].parent].kind != N(STRUCTTYPE)) continue;
        for (uint32_t c = nd[fl].child; c != NONE32; c = nd[c].next) {
            if (nd[c].role != R(TYPE)) continue;
            int k = u->toks.data[nd[c].first].kind;
            if (k == T(CHAN) || k == T(ARROW)) return 1;
        }
    }
    return 0;
}

/* The operation that blocks on channel expression slot e ending at token
 * `end`: a send or a receive outside a select case, or a range over it;
 * NONE32 for another use. *what receives its name. */
static uint32_t blocking_op_at(const facts *f, uint32_t end, const char **what) {
    uint32_t n = node_at(f, end);
    for (uint32_t p = n; p != NONE32; p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if (k == N(RECV)) {
            uint32_t a = f->nodes[p].first + 1, b = f->nodes[p].last;
            while (a < b && f->toks[a].kind == T(LPAREN) && f->toks[b].kind == T(RPAREN)) a++, b--;
            if (b != end || in_select_case(f, p)) return NONE32;
            *what = "receive from";
            return p;
        }
        if (k == N(SEND)) {
            uint32_t ch = child_by_role(f, p, R(CHAN));
            if (ch == NONE32 || f->nodes[ch].last != end || f->nodes[p].role == R(COMM))
                return NONE32;
            *what = "send on";
            return p;
        }
        if (k == N(RANGE)) {
            uint32_t x = child_by_role(f, p, R(X));
            if (x == NONE32 || f->nodes[x].last != end) return NONE32;
            *what = "range over";
            return p;
        }
        if (k != N(EXPR) || f->nodes[p].last != end) return NONE32;
    }
    return NONE32;
}

/* Whether one of the n occurrences `at` of a struct type's name (skip:
 * its declaring token) makes a value of it: a composite literal T{...},
 * &T{...}, new(T) or a variable `var x T`. */
static int makes_type_among(const facts *f, const uint32_t *at, uint32_t n, uint32_t skip) {
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = at[i];
        if (t == skip || t + 1 >= f->u->toks.len || (t > 0 && f->toks[t - 1].kind == T(PERIOD)))
            continue;
        if (f->toks[t + 1].kind == T(LBRACE)) return 1;
        if (t >= 2 && f->toks[t - 1].kind == T(LPAREN) && tok_is(f, t - 2, "new")) return 1;
        if (t >= 1 && f->toks[t - 1].kind == T(IDENT)) {
            const var_fact *v = resolve(f, t - 1);
            if (v && v->type_first == t && !(v->flags & (VF_PARAM | VF_RECV | VF_RESULT))) return 1;
        }
    }
    return 0;
}

/* Whether the file makes a value of struct type spec `owner` itself. A
 * type made only in other files may get its channels there. */
static int type_made_here(const facts *f, uint32_t owner) {
    uint32_t name = f->nodes[owner].key, n;
    if (name == NONE32) return 0;
    const uint32_t *at = idents_named(f, name, &n);
    return makes_type_among(f, at, n, name);
}

/* Whether the expression ending at token t is compared with nil (x.f ==
 * nil, ch != nil): the code expects it to be set elsewhere, or to be nil
 * on purpose. */
static int compared_with_nil(const facts *f, uint32_t t) {
    if (t + 2 < f->u->toks.len &&
        (f->toks[t + 1].kind == T(EQL) || f->toks[t + 1].kind == T(NEQ)) && tok_is(f, t + 2, "nil"))
        return 1;
    uint32_t e = node_at(f, t);
    uint32_t a = f->nodes[e].kind == N(EXPR) ? f->nodes[e].first : t;
    return a >= 2 && (f->toks[a - 1].kind == T(EQL) || f->toks[a - 1].kind == T(NEQ)) &&
           tok_is(f, a - 2, "nil");
}

/* Whether one of the n occurrences `at` of a field's name (skip: its
 * declaring token) gives it a value: x.f = ..., &x.f, a literal key
 * f: ..., or a comparison with nil (it is expected to be set). */
static int field_set_among(const facts *f, const uint32_t *at, uint32_t n, uint32_t skip) {
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = at[i];
        if (t == skip) continue;
        int selected = t > 0 && f->toks[t - 1].kind == T(PERIOD);
        /* f: v, a literal's key (not `case v := <-x.f:`, whose colon ends a case) */
        if (!selected && t + 1 < f->u->toks.len && f->toks[t + 1].kind == T(COLON)) return 1;
        if (!selected) continue;
        if (compared_with_nil(f, t)) return 1;
        uint32_t e = node_at(f, t);
        if (f->nodes[e].kind != N(EXPR) || f->nodes[e].last != t) continue;
        if (f->nodes[e].role == R(LHS)) return 1;
        if (f->toks[f->nodes[e].first].kind == T(AND)) return 1;
    }
    return 0;
}

/* Whether one of the n occurrences `at` of a struct type's name starts a
 * literal without keys (T{a, b}), which sets every field. */
static int positional_literal_among(const facts *f, const uint32_t *at, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = at[i];
        if (t + 1 >= f->u->toks.len || f->toks[t + 1].kind != T(LBRACE)) continue;
        uint32_t lit = node_at(f, t + 1);
        if (f->nodes[lit].kind != N(COMPOSITE)) continue;
        for (uint32_t c = f->nodes[lit].child; c != NONE32; c = f->nodes[c].next)
            if (f->nodes[c].role == R(ELEM)) return 1;
    }
    return 0;
}

/* Whether field name token fname of struct type spec `owner` gets a value
 * anywhere in the file. */
static int field_set(const facts *f, uint32_t fname, uint32_t owner) {
    uint32_t n, m;
    const uint32_t *at = idents_named(f, fname, &n);
    if (field_set_among(f, at, n, fname)) return 1;
    const uint32_t *uses = idents_named(f, f->nodes[owner].key, &m);
    return positional_literal_among(f, uses, m);
}

/* The channel a select clause waits on: the last token of its operation's
 * channel (case v := <-x.f:, case x.f <- v:), NONE32 for a default or
 * another shape. */
static uint32_t clause_chan_end(const facts *f, uint32_t comm) {
    uint32_t op = child_by_role(f, comm, R(COMM));
    if (op == NONE32) return NONE32;
    if (f->nodes[op].kind == N(SEND)) {
        uint32_t ch = child_by_role(f, op, R(CHAN));
        return ch != NONE32 ? f->nodes[ch].last : NONE32;
    }
    FOR_KIND_IN(f, N(RECV), r, f->nodes[op].first, f->nodes[op].last) {
        return f->nodes[r].last;
    }
    return NONE32;
}

/* The index in names[n] of a token spelled like t, NONE32. */
static uint32_t name_index(const facts *f, uint32_t t, const uint32_t *names, uint32_t n) {
    for (uint32_t k = 0; k < n; k++)
        if (tok_same(f, t, names[k])) return k;
    return NONE32;
}

/* A select without default whose every case waits on a field channel of
 * the list `unmade` (their name tokens): nothing can ever be ready. */
static void check_select_on_unmade(goleak_check *chk, const facts *f, const uint32_t *unmade,
                                   uint32_t n) {
    FOR_KIND(f, N(SELECT), sel) {
        uint32_t cases = 0, first = NONE32;
        for (uint32_t c = f->nodes[sel].child; c != NONE32; c = f->nodes[c].next) {
            if (f->nodes[c].kind != N(COMM)) continue;
            uint32_t end = clause_chan_end(f, c);
            uint32_t k = end != NONE32 && end > 0 && f->toks[end - 1].kind == T(PERIOD)
                             ? name_index(f, end, unmade, n)
                             : NONE32;
            if (k == NONE32 || (f->nodes[c].flags & GOLEAK_NODE_FLAG_DEFAULT)) {
                cases = 0;
                break;
            }
            if (first == NONE32) first = unmade[k];
            cases++;
        }
        if (cases == 0) continue;
        char name[48];
        snippet(f, first, first, name, sizeof name);
        check_report_node(chk, sel,
                          "every case of this select waits on a channel field that this file "
                          "never makes (`%s`, line %u%s): nil channels are never ready, so it "
                          "blocks forever; make them where the struct is built",
                          name, (unsigned)tok_line(f, first), cases > 1 ? ", and the others" : "");
    }
}

/* Struct fields and package variables of channel type that the file never
 * gives a value: their sends, receives and ranges block forever. */
static void check_unmade_fields_and_globals(goleak_check *chk, const facts *f) {
    char name[48];
    uint32_t *unmade = NULL, nunmade = 0;
    for (uint32_t k = 0; k < f->fields.len; k++) {
        const field_fact *ff = &f->fields.data[k];
        if (ff->kind != VK_CHAN || ff->owner == NONE32) continue;
        if (!type_made_here(f, ff->owner) || field_set(f, ff->name, ff->owner)) continue;
        if (!unmade && !(unmade = gl_malloc(f->alloc, f->fields.len * sizeof *unmade))) {
            *f->oom = 1;
            return;
        }
        unmade[nunmade++] = ff->name;
        snippet(f, ff->name, ff->name, name, sizeof name);
        uint32_t n;
        const uint32_t *at = idents_named(f, ff->name, &n);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t t = at[i];
            const char *what = NULL;
            if (t == ff->name || t == 0 || f->toks[t - 1].kind != T(PERIOD)) continue;
            uint32_t op = blocking_op_at(f, t, &what);
            if (op == NONE32) continue;
            check_report_node(chk, op,
                              "%s field `%s` (line %u), which this file never makes (no "
                              "make(...) for it, in a literal or an assignment): a nil channel "
                              "blocks forever; make it where the struct is built",
                              what, name, (unsigned)tok_line(f, ff->name));
        }
    }
    if (nunmade) check_select_on_unmade(chk, f, unmade, nunmade);
    gl_free(f->alloc, unmade);
    for (uint32_t k = 0; k < f->vars.len; k++) {
        const var_fact *v = &f->vars.data[k];
        if (v->kind != VK_CHAN || !(v->flags & VF_PKG) || !(v->flags & VF_NO_VALUE)) continue;
        uint32_t end = f->u->toks.len - 1, ops = 0;
        int set = 0;
        /* uses before the declaration count too: package order is free */
        for (uint32_t u = first_use_in(f, v, 0, end); u != NONE32 && !set;
             u = next_use(f, v, u, end)) {
            use_info ui;
            q_use(f, u, &ui);
            set = ui.kind == GOLEAK_USE_ASSIGN || (ui.flags & GOLEAK_USE_ADDRESS) ||
                  (ui.kind >= 0 && compared_with_nil(f, u));
        }
        if (set) continue;
        snippet(f, v->name, v->name, name, sizeof name);
        for (uint32_t u = first_use_in(f, v, 0, end); u != NONE32 && ops < 64;
             u = next_use(f, v, u, end)) {
            const char *what = NULL;
            uint32_t op = blocking_op_at(f, u, &what);
            if (op == NONE32) continue;
            ops++;
            check_report_node(chk, op,
                              "%s package variable `%s` (line %u), which this file never makes: "
                              "a nil channel blocks forever; initialise it with make",
                              what, name, (unsigned)tok_line(f, v->name));
        }
    }
}

/* ---- GL012 across the files of a package ---- */

/* Whether file f makes a value of the struct type named `type` (declared
 * at token skip of f, NONE32 when f does not declare it). */
static int type_made_in(const facts *f, const char *type, uint32_t skip) {
    uint32_t n;
    const uint32_t *at = idents_named_text(f, type, &n);
    return makes_type_among(f, at, n, skip);
}

/* Whether file f gives field `field` a value by its name (skip: the
 * field's declaring token when f declares it, else NONE32). */
static int field_named_set_in(const facts *f, const char *field, uint32_t skip) {
    uint32_t n;
    const uint32_t *at = idents_named_text(f, field, &n);
    return field_set_among(f, at, n, skip);
}

/* Whether file f has a literal of struct type `type` without keys. */
static int positional_literal_in(const facts *f, const char *type) {
    uint32_t n;
    const uint32_t *uses = idents_named_text(f, type, &n);
    return positional_literal_among(f, uses, n);
}

/* Whether identifier t of a file that does not declare package variable
 * of that name refers to it there: no local variable, field or key. */
static int names_pkg_var(const facts *f, uint32_t t) {
    return !(t > 0 && f->toks[t - 1].kind == T(PERIOD)) && !field_or_key(f, t) && !resolve(f, t);
}

/* Whether file f, which does not declare it, gives package variable
 * `name` a value: name = ..., &name, or compares it with nil. */
static int pkg_var_set_in(const facts *f, const char *name) {
    uint32_t n;
    const uint32_t *at = idents_named_text(f, name, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = at[i];
        if (!names_pkg_var(f, t)) continue;
        if (compared_with_nil(f, t) || (t > 0 && f->toks[t - 1].kind == T(AND))) return 1;
        uint32_t e = node_at(f, t);
        if (f->nodes[e].kind == N(EXPR) && f->nodes[e].first == t && f->nodes[e].last == t &&
            f->nodes[e].role == R(LHS))
            return 1;
    }
    return 0;
}

/* Whether package variable v of file f gets a value in f (as the one-file
 * check asks). */
static int pkg_var_set_here(const facts *f, const var_fact *v) {
    uint32_t end = f->u->toks.len - 1;
    for (uint32_t u = first_use_in(f, v, 0, end); u != NONE32; u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == GOLEAK_USE_ASSIGN || (ui.flags & GOLEAK_USE_ADDRESS) ||
            (ui.kind >= 0 && compared_with_nil(f, u)))
            return 1;
    }
    return 0;
}

/* A channel field or package variable that no file of the package gives a
 * value (a field's type being made somewhere in the package). */
typedef struct unmade_chan {
    uint32_t file, name; /* its declaring file and name token there */
    uint32_t var;        /* its index in vars; NONE32 for a field */
    int exported;
} unmade_chan;

typedef struct unmade_chans {
    const goleak_allocator *alloc;
    struct {
        unmade_chan *data;
        uint32_t len, cap;
    } list;
} unmade_chans;

static void unmade_free(void *data) {
    unmade_chans *m = data;
    if (!m) return;
    gl_free(m->alloc, m->list.data);
    gl_free(m->alloc, m);
}

/* Whether a line of unit u that spells `name` has a send, a receive or a
 * range (gofmt keeps `<-x.ch`, `x.ch <- v` and `range x.ch` on one line):
 * read from the source, so that a channel nothing blocks on costs no facts
 * of other files. */
static int may_block_in(const goleak_unit *u, const char *name) {
    for (uint32_t at = unit_find_word(u, 0, name); at != UINT32_MAX;
         at = unit_find_word(u, at + 1, name)) {
        uint32_t a = at, b = at;
        while (a > 0 && u->src[a - 1] != '\n') a--;
        while (b < u->len && u->src[b] != '\n') b++;
        for (uint32_t i = a; i + 1 < b; i++)
            if ((u->src[i] == '<' && u->src[i + 1] == '-') ||
                (u->src[i] == 'r' && i + 5 <= b && memcmp(u->src + i, "range", 5) == 0))
                return 1;
        at = b;
    }
    return 0;
}

static int package_may_block_on(const goleak_check *chk, const char *name) {
    for (size_t g = 0; g < chk->pkg->n; g++)
        if (may_block_in(chk->pkg->units[g], name)) return 1;
    return 0;
}

/* The fields and variables of one declaring file j that stay nil in the
 * whole package. Only the files that spell a name are searched for it
 * (their facts built then). */
static int collect_unmade(unmade_chans *m, goleak_check *chk, uint32_t j) {
    const facts *f = check_package_facts(chk, j);
    if (!f) return -1;
    size_t n = chk->pkg->n;
    int oom = 0;
    char name[72], type[72];
    for (uint32_t k = 0; k < f->fields.len; k++) {
        const field_fact *ff = &f->fields.data[k];
        if (ff->kind != VK_CHAN || ff->owner == NONE32) continue;
        uint32_t tn = f->nodes[ff->owner].key;
        if (tn == NONE32 || !tok_text(f, ff->name, name, 65) || !tok_text(f, tn, type, 65))
            continue;
        /* set by name first, from the declaring file on: the usual answer,
         * and the field's name is rarer than its type's; then the files
         * that spell the type, for a value of it or a positional literal */
        int made = 0, set = field_named_set_in(f, name, ff->name);
        if (set || !package_may_block_on(chk, name)) continue;
        for (size_t g = 0; g < n && !set && !oom; g++) {
            const facts *h = g == j ? NULL : pkg_facts_naming(chk, g, name, &oom);
            set = h && field_named_set_in(h, name, NONE32);
        }
        for (size_t g = 0; g < n && !set && !oom; g++) {
            const facts *h = g == j ? f : pkg_facts_naming(chk, g, type, &oom);
            if (!h) continue;
            made = made || type_made_in(h, type, g == j ? tn : NONE32);
            set = positional_literal_in(h, type);
        }
        if (oom) return -1;
        if (!made || set) continue;
        unmade_chan c = {j, ff->name, NONE32, tok_exported(f, ff->name)};
        if (VEC_PUSH(m->alloc, &m->list, c)) return -1;
    }
    for (uint32_t k = 0; k < f->vars.len; k++) {
        const var_fact *v = &f->vars.data[k];
        if (v->kind != VK_CHAN || !(v->flags & VF_PKG) || !(v->flags & VF_NO_VALUE)) continue;
        if (!tok_text(f, v->name, name, 65) || pkg_var_set_here(f, v) ||
            !package_may_block_on(chk, name))
            continue;
        int set = 0;
        for (size_t g = 0; g < n && !set && !oom; g++) {
            const facts *h = g == j ? NULL : pkg_facts_naming(chk, g, name, &oom);
            set = h && pkg_var_set_in(h, name);
        }
        if (oom) return -1;
        if (set) continue;
        unmade_chan c = {j, v->name, k, tok_exported(f, v->name)};
        if (VEC_PUSH(m->alloc, &m->list, c)) return -1;
    }
    return 0;
}

static void *unmade_build(goleak_check *chk) {
    unmade_chans *m = gl_calloc(chk->engine->alloc, sizeof *m);
    if (!m) return NULL;
    m->alloc = chk->engine->alloc;
    for (uint32_t j = 0; j < chk->pkg->n; j++) {
        const goleak_unit *u = chk->pkg->units[j];
        if (unit_find_word(u, 0, "chan") == UINT32_MAX || !declares_unmade_chan(u)) continue;
        if (collect_unmade(m, chk, j)) {
            unmade_free(m);
            return NULL;
        }
    }
    return m;
}

/* Where a declaration of file j is, as seen from the checked file. */
static const char *decl_place(goleak_check *chk, const facts *fj, uint32_t j, uint32_t name,
                              char *buf, size_t size) {
    unsigned line = (unsigned)tok_line(fj, name);
    if (j == chk->pkg_index) {
        snprintf(buf, size, "line %u", line);
    } else {
        const char *path = chk->pkg->units[j]->path ? chk->pkg->units[j]->path : "";
        const char *base = strrchr(path, '/');
        snprintf(buf, size, "%s:%u", base ? base + 1 : path, line);
    }
    return buf;
}

/* The one-file check, for the files of a package: fields and package
 * variables that no file of the package makes, at their uses in this
 * file. A field used in another file than its type's is taken only when
 * unexported: an exported name may be another package's field. */
static void check_unmade_in_package(goleak_check *chk, const unmade_chans *m) {
    uint32_t self = (uint32_t)chk->pkg_index;
    const facts *f = NULL;
    char name[72], place[96];
    for (uint32_t k = 0; k < m->list.len; k++) {
        const unmade_chan *c = &m->list.data[k];
        if (c->var == NONE32 && c->file != self && c->exported) continue;
        const facts *fj = check_package_facts(chk, c->file);
        if (!fj) return;
        tok_text(fj, c->name, name, sizeof name);
        /* this file's facts only when it may spell the name */
        if (c->file != self && !check_may_have(chk, name)) continue;
        if (!f && !(f = check_facts(chk))) return;
        decl_place(chk, fj, c->file, c->name, place, sizeof place);
        uint32_t n, ops = 0;
        const uint32_t *at = idents_named_text(f, name, &n);
        for (uint32_t i = 0; i < n && ops < 64; i++) {
            uint32_t t = at[i];
            const char *what = NULL;
            if (c->file == self && t == c->name) continue;
            if (c->var == NONE32) {
                if (t == 0 || f->toks[t - 1].kind != T(PERIOD)) continue;
            } else if (c->file == self ? resolve(f, t) != &f->vars.data[c->var]
                                       : !names_pkg_var(f, t)) {
                continue;
            }
            uint32_t op = blocking_op_at(f, t, &what);
            if (op == NONE32) continue;
            ops++;
            if (c->var == NONE32)
                check_report_node(chk, op,
                                  "%s field `%s` (%s), which no file of the package makes (no "
                                  "make(...) for it, in a literal or an assignment): a nil "
                                  "channel blocks forever; make it where the struct is built",
                                  what, name, place);
            else
                check_report_node(chk, op,
                                  "%s package variable `%s` (%s), which no file of the package "
                                  "makes: a nil channel blocks forever; initialise it with make",
                                  what, name, place);
        }
    }
}

static int check_nil_channel(goleak_check *chk, void *ud) {
    (void)ud;
    if (chk->pkg->n > 1) {
        /* the package's fields and variables that stay nil (found once per
         * package), at their uses in this file */
        const unmade_chans *m =
            check_package_shared(chk, PKG_SHARED_NILCHAN, unmade_build, unmade_free);
        if (!m) return 0;
        if (m->list.len) check_unmade_in_package(chk, m);
        if (!check_may_have(chk, "chan") || !declares_unmade_chan(chk->unit)) return 0;
    } else {
        /* alone, a file uses only its own channels */
        if (!check_may_have(chk, "chan") || !declares_unmade_chan(chk->unit)) return 0;
        const facts *f = check_facts(chk);
        if (!f) return 0;
        check_unmade_fields_and_globals(chk, f);
    }
    const facts *f = check_facts(chk);
    if (!f) return 0;
    /* each nil channel once, then every send, receive and range on it */
    for (uint32_t k = 0; k < f->vars.len; k++) {
        const var_fact *v = &f->vars.data[k];
        if (!is_nil_chan(f, v)) continue;
        char name[48];
        snippet(f, v->name, v->name, name, sizeof name);
        uint32_t end = f->nodes[v->func].last;
        for (uint32_t u = next_use(f, v, v->name, end); u != NONE32; u = next_use(f, v, u, end)) {
            use_info ui;
            q_use(f, u, &ui);
            const char *op = ui.kind == GOLEAK_USE_SEND_ON   ? "send on"
                             : ui.kind == GOLEAK_USE_RECEIVE ? "receive from"
                             : ui.kind == GOLEAK_USE_RANGE   ? "range over"
                                                             : NULL;
            if (!op) continue;
            check_report_node(chk, ui.node,
                              "%s `%s`, which is declared (line %u) but never made: %s; "
                              "initialise it with make",
                              op, name, (unsigned)tok_line(f, v->name),
                              ui.kind == GOLEAK_USE_RANGE ? "it blocks forever"
                              : ui.kind == GOLEAK_USE_SEND_ON
                                  ? "a send on a nil channel blocks forever"
                                  : "a receive from a nil channel blocks forever");
        }
    }
    return 0;
}

/* Whether a use of a channel variable is its close: close(ch). */
static int use_closes(const facts *f, const use_info *ui) {
    return ui->kind == GOLEAK_USE_ARG && call_is_func(f, call_of(f, ui->node), "close");
}

/* ---- channel traffic inside and outside goroutines ---- */

/* Whether node n is (in) the operation of a select case. */
static int in_select_case(const facts *f, uint32_t n) {
    for (uint32_t p = n; p != NONE32; p = f->nodes[p].parent) {
        if (f->nodes[p].role == R(COMM)) return 1;
        int k = f->nodes[p].kind;
        if (k == N(FUNCLIT) || k == N(FUNC) || (f->nodes[p].role == R(NONE) && p != n)) return 0;
    }
    return 0;
}

/* The send (dir 1) or receive (dir 2: RECV or RANGE) on v that the use at
 * token u is, NONE32 when it is another use. */
static uint32_t op_of_use(const facts *f, uint32_t u, int dir) {
    use_info ui;
    q_use(f, u, &ui);
    if (dir == 1) return ui.kind == GOLEAK_USE_SEND_ON ? ui.node : NONE32;
    return ui.kind == GOLEAK_USE_RECEIVE || ui.kind == GOLEAK_USE_RANGE ? ui.node : NONE32;
}

/* Sends (dir 1) or receives (dir 2) on variable v inside subtree n; with
 * direct, only operations that block on their own (not select cases).
 * Receives are looked for before ranges, each in source order. */
static uint32_t first_op_in(const facts *f, uint32_t n, const var_fact *v, int dir, int direct) {
    uint32_t a = f->nodes[n].first, b = f->nodes[n].last, range = NONE32;
    for (uint32_t u = first_use_in(f, v, a, b); u != NONE32; u = next_use(f, v, u, b)) {
        uint32_t op = op_of_use(f, u, dir);
        if (op == NONE32) continue;
        int k = f->nodes[op].kind;
        if (k == N(RANGE)) {
            if (range == NONE32) range = op;
            continue;
        }
        if (direct && (k == N(SEND) ? f->nodes[op].role == R(COMM) : in_select_case(f, op)))
            continue;
        return op;
    }
    return range;
}

/* Whether if statement ifs tests a counter that the statements before it in
 * its list count down (n--, n -= k). */
static int counted_if(const facts *f, uint32_t ifs) {
    uint32_t cond = child_by_role(f, ifs, R(COND));
    if (cond == NONE32 || f->nodes[ifs].parent == NONE32) return 0;
    for (uint32_t p = f->nodes[f->nodes[ifs].parent].child; p != NONE32 && p != ifs;
         p = f->nodes[p].next) {
        uint32_t x = f->nodes[p].first, op = f->nodes[p].key;
        if (op == NONE32 || x + 1 != op || f->toks[x].kind != T(IDENT)) continue;
        int dec = (f->nodes[p].kind == N(INCDEC) && f->toks[op].kind == T(DEC)) ||
                  (f->nodes[p].kind == N(ASSIGN) && f->toks[op].kind == T(SUB_ASSIGN));
        if (!dec) continue;
        for (uint32_t i = f->nodes[cond].first; i <= f->nodes[cond].last; i++)
            if (tok_same(f, i, x)) return 1;
    }
    return 0;
}

/* Whether exit statement s of loop lp is counted: it sits (at any depth)
 * in `if n == 0 {...}` (any test of n) right after an `n--` of the same
 * statement list, so it runs only once every expected value has come in. */
static int counted_exit(const facts *f, uint32_t s, uint32_t lp) {
    for (uint32_t p = f->nodes[s].parent; p != NONE32 && p != lp; p = f->nodes[p].parent)
        if (f->nodes[p].kind == N(IF) && counted_if(f, p)) return 1;
    return 0;
}

/* Whether loop lp (a FOR or RANGE) can be left early: a return, or a break
 * out of it, in its body (function literals excluded), unless counted. */
static int loop_exits_early(const facts *f, uint32_t lp) {
    uint32_t a = f->nodes[lp].first, b = f->nodes[lp].last;
    uint32_t fn = enclosing_func(f, lp);
    FOR_KIND_IN(f, N(RETURN), r, a + 1, b) {
        if (enclosing_func(f, r) == fn && !counted_exit(f, r, lp)) return 1;
    }
    FOR_KIND_IN(f, N(BRANCH), br, a + 1, b) {
        if (enclosing_func(f, br) != fn || counted_exit(f, br, lp)) continue;
        if (f->toks[f->nodes[br].first].kind == T(GOTO) || break_leaves(f, br, lp)) return 1;
    }
    return 0;
}

/* A made channel with capacity 0 (unbuffered). */
static int unbuffered(const var_fact *v) {
    return v && v->kind == VK_CHAN && (v->flags & VF_MADE) && v->chan_cap == 0 && v->func != NONE32;
}

/* A made channel with a constant capacity above 0. */
static int small_buffer(const var_fact *v) {
    return v && v->kind == VK_CHAN && (v->flags & VF_MADE) && v->chan_cap > 0 && v->func != NONE32;
}

/* The channels of outer that tokens [a, b] name, appended to *vs (see
 * goroutine_channels); 0, or -1 when out of memory. */
static int channels_named(const facts *f, uint32_t a, uint32_t b, uint32_t outer, int buffered,
                          uint32_t **vs, uint32_t *n, uint32_t *cap) {
    for (uint32_t t = a; t <= b; t++) {
        uint32_t k = f->tok_var[t];
        const var_fact *v = k != NONE32 ? &f->vars.data[k] : NULL;
        if (!v || v->func != outer || !(unbuffered(v) || (buffered && small_buffer(v)))) continue;
        if (*n == *cap) {
            uint32_t ncap = *cap ? *cap * 2 : 8;
            uint32_t *p = gl_realloc(f->alloc, *vs, ncap * sizeof *p);
            if (!p) return -1;
            *vs = p;
            *cap = ncap;
        }
        (*vs)[(*n)++] = k;
    }
    return 0;
}

/* The unbuffered channels of function outer that go statement g mentions
 * (captured by its literal or passed to its call; for a function value
 * started by name, notify := func() {...}; go notify(), captured by that
 * literal), in declaration order: the only ones the goroutine can share;
 * with `buffered`, those made with a constant capacity too. *n receives
 * their number; the array is the caller's to free (NULL when none; out of
 * memory flags the facts' oom). */
static uint32_t *goroutine_channels(const facts *f, uint32_t g, uint32_t outer, int buffered,
                                    uint32_t *n) {
    *n = 0;
    uint32_t *vs = NULL, cap = 0;
    uint32_t fn = goroutine_func(f, g);
    if (channels_named(f, f->nodes[g].first, f->nodes[g].last, outer, buffered, &vs, n, &cap) ||
        (fn != NONE32 && f->nodes[fn].kind == N(FUNCLIT) && !node_within(f, fn, g) &&
         channels_named(f, f->nodes[fn].first, f->nodes[fn].last, outer, buffered, &vs, n, &cap)))
        *f->oom = 1; /* the check fails with GOLEAK_ENOMEM */
    if (*n > 1) qsort(vs, *n, sizeof *vs, u32_cmp);
    uint32_t m = 0;
    for (uint32_t k = 0; k < *n; k++)
        if (m == 0 || vs[m - 1] != vs[k]) vs[m++] = vs[k];
    *n = m;
    return vs;
}

/* The operations of fn on v outside subtree skip (the go statement). */
typedef struct traffic {
    int any;              /* some operation */
    uint32_t once;        /* operations outside any loop */
    int deferred;         /* some operation runs in a deferred call */
    int in_closure;       /* some operation is in another function literal */
    int in_loop;          /* some operation repeats in a loop of fn */
    int loop_exits_early; /* ... and that loop can be left early */
    int closes;           /* close(v) is called */
    int closes_deferred;  /* ... by a defer of v's own function */
} traffic;

/* One operation on a channel, with the counts of the operations before it
 * in source order (the sums that make any stretch's counts a subtraction). */
typedef struct op_count {
    uint32_t pos; /* the operation's first token */
    uint32_t once, deferred, in_closure, in_loop, exits_early;
} op_count;

/* What the rules learn once per channel variable of a function: whether it
 * is handed on, and its sends and receives with running counts, so that
 * each go statement's question (the traffic of every operation but its
 * own) is two binary searches, not a pass over every use of the channel: a
 * function starting 20,000 goroutines on one channel stays linear. */
typedef struct chan_summary {
    int built;
    uint32_t other_escapes; /* uses that hand it on, not as a call's argument */
    uint32_t arg_escapes;   /* arguments of calls but close, len and cap */
    uint32_t arg_call;      /* the call of the first such argument */
    int arg_calls_differ;   /* another call has one too */
    int closes;
    int closes_deferred; /* defer close(v) in its own function */
    op_count *ops[2];    /* sends, receives: n + 1 entries (the last holds the totals) */
    uint32_t nops[2];
} chan_summary;

/* The summaries of a check's channels, by variable: the channels of a
 * function (each summary covers its variable's function). */
typedef struct chan_summaries {
    const facts *f;
    chan_summary *by_var;
} chan_summaries;

static void summaries_free(chan_summaries *cs) {
    if (!cs->by_var) return;
    for (uint32_t k = 0; k < cs->f->vars.len; k++)
        for (int d = 0; d < 2; d++) gl_free(cs->f->alloc, cs->by_var[k].ops[d]);
    gl_free(cs->f->alloc, cs->by_var);
}

static int op_pos_cmp(const void *a, const void *b) {
    const op_count *x = a, *y = b;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The operations of direction dir (1 send, 2 receive) on v in fn, sorted,
 * with running counts; 0, or -1 when out of memory. */
static int summarize_ops(const facts *f, const var_fact *v, uint32_t fn, int dir, chan_summary *s) {
    uint32_t a = f->nodes[fn].first, b = f->nodes[fn].last, n = 0, cap = 0;
    op_count *ops = NULL;
    for (uint32_t u = first_use_in(f, v, a, b); u != NONE32; u = next_use(f, v, u, b)) {
        uint32_t op = op_of_use(f, u, dir);
        if (op == NONE32) continue;
        uint32_t p = f->nodes[op].first;
        if (p < a || p > b) continue;
        if (n + 1 >= cap) {
            uint32_t ncap = cap ? cap * 2 : 8;
            op_count *o = gl_realloc(f->alloc, ops, ncap * sizeof *o);
            if (!o) goto oom;
            ops = o;
            cap = ncap;
        }
        uint8_t fl = 0;
        for (uint32_t q = f->nodes[op].parent; q != NONE32 && q != fn; q = f->nodes[q].parent) {
            if (f->nodes[q].kind == N(DEFER)) fl |= 2;
            if (f->nodes[q].kind == N(FUNCLIT)) fl |= 4;
        }
        /* range ch repeats itself; other operations repeat in their loop */
        uint32_t lp = f->nodes[op].kind == N(RANGE) ? op : loop_around(f, op);
        if (lp != NONE32)
            fl |= 8 | (loop_exits_early(f, lp) ? 16 : 0);
        else
            fl |= 1;
        /* the flags ride in the count fields until the sums are made */
        ops[n] = (op_count){p, fl & 1, fl & 2, fl & 4, fl & 8, fl & 16};
        n++;
    }
    if (n > 1) qsort(ops, n, sizeof *ops, op_pos_cmp);
    if (!ops && !(ops = gl_malloc(f->alloc, sizeof *ops))) goto oom;
    op_count sum = {0};
    for (uint32_t k = 0; k <= n; k++) {
        op_count here = k < n ? ops[k] : (op_count){0};
        sum.pos = k < n ? here.pos : NONE32;
        ops[k] = sum;
        sum.once += here.once != 0;
        sum.deferred += here.deferred != 0;
        sum.in_closure += here.in_closure != 0;
        sum.in_loop += here.in_loop != 0;
        sum.exits_early += here.exits_early != 0;
    }
    s->ops[dir - 1] = ops;
    s->nops[dir - 1] = n;
    return 0;
oom:
    gl_free(f->alloc, ops);
    return -1;
}

/* The summary of channel v, a local of a function; NULL when out of memory
 * (the facts' oom is set: the check fails). */
static const chan_summary *chan_summary_of(chan_summaries *cs, const var_fact *v) {
    const facts *f = cs->f;
    if (!cs->by_var &&
        !(cs->by_var = gl_calloc(f->alloc, (size_t)f->vars.len * sizeof *cs->by_var))) {
        *f->oom = 1;
        return NULL;
    }
    chan_summary *s = &cs->by_var[v - f->vars.data];
    if (s->built) return s;
    s->arg_call = NONE32;
    uint32_t fn = v->func, a = f->nodes[fn].first, b = f->nodes[fn].last;
    for (uint32_t u = next_use(f, v, a, b); u != NONE32; u = next_use(f, v, u, b)) {
        if (!chan_use_escapes(f, u, NONE32)) continue;
        use_info ui;
        q_use(f, u, &ui);
        /* an argument is no hand-off when the asker's goroutine call takes it */
        if (ui.kind == GOLEAK_USE_ARG && !(ui.flags & GOLEAK_USE_ADDRESS)) {
            if (s->arg_escapes++ == 0)
                s->arg_call = ui.node;
            else if (ui.node != s->arg_call)
                s->arg_calls_differ = 1;
        } else {
            s->other_escapes++;
        }
    }
    /* close(v) anywhere in its scope; defer close(v) by its own function */
    uint32_t end = v->func != NONE32 ? f->nodes[v->func].last : f->u->toks.len - 1;
    for (uint32_t u = next_use(f, v, 0, end); u != NONE32 && !s->closes_deferred;
         u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == GOLEAK_USE_ARG && ui.index == 0 && !(ui.flags & GOLEAK_USE_ADDRESS) &&
            call_is_func(f, call_of(f, ui.node), "close")) {
            s->closes = 1;
            if ((ui.flags & GOLEAK_USE_DEFERRED) && !(ui.flags & GOLEAK_USE_CAPTURED) &&
                enclosing_func(f, ui.node) == fn)
                s->closes_deferred = 1;
        }
    }
    if (summarize_ops(f, v, fn, 1, s) || summarize_ops(f, v, fn, 2, s)) {
        /* nothing half-built stays: a later ask starts again */
        for (int d = 0; d < 2; d++) {
            gl_free(f->alloc, s->ops[d]);
            s->ops[d] = NULL;
        }
        *f->oom = 1;
        return NULL;
    }
    s->built = 1;
    return s;
}

/* Whether channel v is handed to anyone but go_call, the goroutine's own
 * call (1 when out of memory: nothing is reported). */
static int chan_escapes(chan_summaries *cs, const var_fact *v, uint32_t go_call) {
    const chan_summary *s = chan_summary_of(cs, v);
    if (!s) return 1;
    return s->other_escapes > 0 ||
           (s->arg_escapes > 0 && (s->arg_calls_differ || s->arg_call != go_call));
}

/* The first operation at or after token t (the count of those before). */
static uint32_t ops_from(const op_count *ops, uint32_t n, uint32_t t) {
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ops[mid].pos < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The sends (dir 1) or receives (dir 2) on v outside go statement skip;
 * 0, or -1 when out of memory. */
static int count_traffic(chan_summaries *cs, const var_fact *v, uint32_t skip, int dir,
                         traffic *t) {
    memset(t, 0, sizeof *t);
    const chan_summary *s = chan_summary_of(cs, v);
    if (!s) return -1;
    const facts *f = cs->f;
    const op_count *ops = s->ops[dir - 1];
    uint32_t n = s->nops[dir - 1];
    uint32_t i = ops_from(ops, n, f->nodes[skip].first);
    uint32_t j = ops_from(ops, n, f->nodes[skip].last + 1);
    /* the totals less the operations inside skip */
    const op_count *all = &ops[n], *x = &ops[i], *y = &ops[j];
    t->any = n - (j - i) > 0;
    t->once = all->once - (y->once - x->once);
    t->deferred = all->deferred - (y->deferred - x->deferred) > 0;
    t->in_closure = all->in_closure - (y->in_closure - x->in_closure) > 0;
    t->in_loop = all->in_loop - (y->in_loop - x->in_loop) > 0;
    t->loop_exits_early = all->exits_early - (y->exits_early - x->exits_early) > 0;
    t->closes = s->closes;
    t->closes_deferred = s->closes_deferred;
    return 0;
}

/* ---- walks from a go statement ---- */

/* The walks of GL013 and GL020 from a go statement: a receive of the channel (or a range
 * over it) outside the goroutine releases the sender on its path; a failed
 * test's t.Fatal ends the function without receiving; a loop whose body
 * receives on every path is taken to run. */
static int receives_chan(const release_query *q, uint32_t use) {
    const facts *f = q->f;
    uint32_t g = *(const uint32_t *)q->ctx;
    if (use >= f->nodes[g].first && use <= f->nodes[g].last) return 0;
    use_info ui;
    q_use(f, use, &ui);
    return ui.kind == GOLEAK_USE_RECEIVE || ui.kind == GOLEAK_USE_RANGE;
}

static int calls_nothing(const release_query *q, uint32_t call) {
    (void)q;
    (void)call;
    return 0;
}

/* A select case that fails the test (case <-time.After(d): t.Fatal(...))
 * ends the test's function without receiving. A failure elsewhere (if err
 * != nil { t.Fatal(err) } before the receive) is left to the test. */
static int test_fails_here(const release_query *q, uint32_t stmt) {
    const facts *f = q->f;
    uint32_t call = expr_node(f, stmt);
    if (call == NONE32 || f->nodes[call].kind != N(CALL) || !fails_test(f, call)) return 0;
    for (uint32_t p = f->nodes[stmt].parent; p != NONE32; p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if (k == N(COMM)) return 1;
        if (k == N(FUNC) || k == N(FUNCLIT)) break;
    }
    return 0;
}

/* The second walk of a test: a failing call, or a wait for a timeout
 * (time.After, time.Tick, Done()), ends the path as if it released; when
 * nothing leaks then, every leak waits for the test to fail or time out. */
static int fails_or_times_out(const release_query *q, uint32_t call) {
    const facts *f = q->f;
    const call_fact *c = call_of(f, call);
    if (!c) return 0;
    if (fails_test(f, call) || call_is_pkg(f, c, PKG_TIME, "After") ||
        call_is_pkg(f, c, PKG_TIME, "Tick"))
        return 1;
    return c->name != NONE32 && c->recv_first != NONE32 && c->nargs == 0 &&
           tok_is(f, c->name, "Done");
}

/* The select clause (COMM) of function fn that directly holds statement s,
 * NONE32. */
static uint32_t select_clause_of(const facts *f, uint32_t s, uint32_t fn) {
    for (uint32_t p = f->nodes[s].parent; p != NONE32 && p != fn; p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if (k == N(COMM)) return p;
        if (k == N(FUNCLIT) || k == N(FUNC)) break;
    }
    return NONE32;
}

/* ---- GL013 ---- */

/* How many times loop lp runs when that is a constant: for i := 0; i < N;
 * i++, or range over a literal of N elements; -1 otherwise. */
static long long loop_count(const facts *f, uint32_t lp) {
    if (f->nodes[lp].kind == N(RANGE)) {
        uint32_t x = child_by_role(f, lp, R(X));
        uint32_t lit = x != NONE32 ? expr_node(f, x) : NONE32;
        if (lit == NONE32 || f->nodes[lit].kind != N(COMPOSITE)) return -1;
        long long n = 0;
        for (uint32_t c = f->nodes[lit].child; c != NONE32; c = f->nodes[c].next)
            if (f->nodes[c].role == R(ELEM) || f->nodes[c].role == R(VALUE)) n++;
        return n;
    }
    uint32_t init = child_by_role(f, lp, R(INIT)), cond = child_by_role(f, lp, R(COND));
    if (init == NONE32 || cond == NONE32) return -1;
    uint32_t rhs = nth_child_by_role(f, init, R(RHS), 0);
    if (rhs == NONE32 || const_value(f, f->nodes[rhs].first, f->nodes[rhs].last) != 0) return -1;
    uint32_t a = f->nodes[cond].first, b = f->nodes[cond].last;
    if (b < a + 2 || f->toks[a].kind != T(IDENT) || f->toks[a + 1].kind != T(LSS)) return -1;
    return const_value(f, a + 2, b);
}

/* Whether loop `recv` runs fewer times than loop `start`: both constant and
 * fewer, or the same bound less a constant (for i := 0; i < n-1; i++
 * against n goroutines). */
static int runs_fewer(const facts *f, uint32_t recv, uint32_t start) {
    long long nr = loop_count(f, recv), ns = loop_count(f, start);
    if (nr >= 0 && ns >= 0) return nr < ns;
    loop_bound r, st;
    if (!loop_bound_of(f, recv, &r) || !loop_bound_of(f, start, &st)) return 0;
    if (r.range != st.range || !toks_same(f, r.a, r.b, st.a, st.b)) return 0;
    return r.less && !st.less;
}

/* How the loops of fn that receive from v (outside go statement g) can
 * stop before every goroutine started in loop `start` was received. */
typedef struct recv_loops {
    int early;  /* a return or break that runs in a normal run */
    int failed; /* one that runs only after the test failed or timed out */
    int fewer;  /* a counted loop that runs fewer times than `start` */
} recv_loops;

/* The walk from a go statement (*gs, kept by the caller) over channel v:
 * every path must reach a use of v that `releases` (the walker's
 * use_releases), a failed test's select case ends the function. */
/* A walk that only uses of variable v can release (var_only), with ctx
 * for the hooks. */
static release_query var_walk(const facts *f, void *ctx, const var_fact *v,
                              int (*releases)(const release_query *q, uint32_t use)) {
    release_query q = {.f = f,
                       .is_release = calls_nothing,
                       .var_only = 1,
                       .ctx = ctx,
                       .loop = NONE32,
                       .cond = NONE32,
                       .var = v,
                       .use_releases = releases};
    return q;
}

static release_query go_walk_query(const facts *f, uint32_t *gs, const var_fact *v,
                                   int (*releases)(const release_query *q, uint32_t use)) {
    release_query q = var_walk(f, gs, v, releases);
    q.exit_leaks = test_fails_here;
    q.loops_run = 1;
    return q;
}

/* A receive in the loop that starts the goroutines: whether a path from
 * go statement g returns out of loop `start` without receiving from v. */
static void iteration_skips(const facts *f, const var_fact *v, uint32_t fn, uint32_t g,
                            uint32_t start, recv_loops *out) {
    if (stmt_of(f, g) != g) return;
    uint32_t gs = g;
    release_query q = go_walk_query(f, &gs, v, receives_chan);
    uint32_t at = NONE32;
    int leak = release_check(&q, g, &at);
    if (leak != LEAK_RETURN || !node_within(f, at, start)) return;
    if (in_test_code(f, g)) {
        q.is_release = fails_or_times_out;
        q.exit_leaks = NULL;
        uint32_t at2 = NONE32;
        int leak2 = release_check(&q, g, &at2);
        if (leak2 != LEAK_RETURN || !node_within(f, at2, start)) {
            out->failed = 1;
            return;
        }
    }
    (void)fn;
    out->early = 1;
}

static void receive_loops(const facts *f, const var_fact *v, uint32_t fn, uint32_t g,
                          uint32_t start, recv_loops *out) {
    memset(out, 0, sizeof *out);
    uint32_t a = f->nodes[fn].first, b = f->nodes[fn].last, seen = NONE32;
    for (uint32_t u = first_use_in(f, v, a, b); u != NONE32; u = next_use(f, v, u, b)) {
        if (u >= f->nodes[g].first && u <= f->nodes[g].last) continue;
        uint32_t op = op_of_use(f, u, 2);
        if (op == NONE32) continue;
        uint32_t lp = f->nodes[op].kind == N(RANGE) ? op : loop_around(f, op);
        if (lp == start) {
            /* received in the iteration that started it: can the iteration
             * leave the loop first? */
            iteration_skips(f, v, fn, g, start, out);
            continue;
        }
        if (lp == NONE32 || lp == seen || enclosing_func(f, lp) != fn) continue;
        seen = lp;
        if (f->nodes[op].kind != N(RANGE) && runs_fewer(f, lp, start)) out->fewer = 1;
        uint32_t la = f->nodes[lp].first, lb = f->nodes[lp].last;
        FOR_KIND_IN(f, N(RETURN), r, la + 1, lb) {
            if (enclosing_func(f, r) != fn || counted_exit(f, r, lp)) continue;
            uint32_t c = select_clause_of(f, r, fn);
            if (test_failed_before(f, r) != NONE32 ||
                (c != NONE32 && test_failed_in_clause(f, c) != NONE32))
                out->failed = 1;
            else
                out->early = 1;
        }
        FOR_KIND_IN(f, N(BRANCH), br, la + 1, lb) {
            if (enclosing_func(f, br) != fn || counted_exit(f, br, lp)) continue;
            if (f->toks[f->nodes[br].first].kind != T(GOTO) && !break_leaves(f, br, lp)) continue;
            uint32_t c = select_clause_of(f, br, fn);
            if (test_failed_before(f, br) != NONE32 ||
                (c != NONE32 && test_failed_in_clause(f, c) != NONE32))
                out->failed = 1;
            else
                out->early = 1;
        }
        /* case <-time.After(d): t.Fatal(...) ends the test's function */
        FOR_KIND_IN(f, N(CALL), c, la, lb) {
            if (enclosing_func(f, c) == fn && select_clause_of(f, c, fn) != NONE32 &&
                fails_test(f, c))
                out->failed = 1;
        }
    }
}

/* Whether the unit makes a channel (the rules follow made channels only). */
static int makes_chan(const goleak_unit *u) {
    static const char *const make_chan[] = {"make", "(", "chan"};
    static const char *const make_recv_chan[] = {"make", "(", "<-"};
    return unit_has_tokens(u, make_chan, 3) || unit_has_tokens(u, make_recv_chan, 3);
}

/* Whether the unit starts a goroutine in a loop body. */
static int go_in_loop(const goleak_unit *u) {
    FOR_UNIT_NODE(u, N(GO), g) {
        if (unit_in_loop_body(u, g)) return 1;
    }
    return 0;
}

/* Goroutines started in a range loop over a collection (go statement g,
 * goroutine function fn, started by `outer`) each send once on channel ch
 * (a send statement of their body's own list), made with constant capacity
 * c > 0, which the starting function receives from a fixed number r of
 * times outside any loop, or in a loop that can stop early: once the buffer
 * is full, the goroutines beyond c + r block forever (a first-answer-wins
 * fan-out with make(chan T, 1)). 1 when reported or out of memory (the go
 * statement is done). */
static int report_small_buffer(goleak_check *chk, chan_summaries *cs, uint32_t g, uint32_t loop,
                               uint32_t outer, uint32_t fn, const var_fact *ch,
                               const var_fact *in) {
    const facts *f = cs->f;
    uint32_t body = func_body(f, fn);
    if (body == NONE32 || first_op_in(f, body, in, 2, 0) != NONE32) return 0;
    /* every goroutine sends: a send statement of the body's own list (one
     * under an if, a select or in a callback may never run) */
    int every = 0;
    for (uint32_t st = f->nodes[body].child; st != NONE32 && !every; st = f->nodes[st].next) {
        uint32_t c = f->nodes[st].kind == N(SEND) ? child_by_role(f, st, R(CHAN)) : NONE32, tok;
        every = c != NONE32 && expr_ident(f, c, &tok) && resolve(f, tok) == in;
    }
    if (!every) return 0;
    /* one goroutine per element of a collection: how many is not known
     * here (a counted loop's bound often matches the capacity) */
    uint32_t x = child_by_role(f, loop, R(X));
    if (f->nodes[loop].kind != N(RANGE) || x == NONE32 || f->toks[f->nodes[x].first].kind == T(INT))
        return 0;
    uint32_t lit = expr_node(f, x);
    if (lit != NONE32 && f->nodes[lit].kind == N(COMPOSITE)) return 0;
    if (ch->name > f->nodes[loop].first && ch->name < f->nodes[loop].last) return 0;
    traffic t;
    if (count_traffic(cs, ch, g, 2, &t)) return 1;
    if (!t.any || t.deferred || t.in_closure || t.closes) return 0;
    long long n = loop_count(f, loop), room = (long long)ch->chan_cap + t.once;
    if (n >= 0 && n <= (t.in_loop ? (long long)ch->chan_cap : room)) return 0;
    char name[48], why[128];
    snippet(f, ch->name, ch->name, name, sizeof name);
    int sev = -1;
    if (t.in_loop) {
        /* received once per goroutine unless the receiving loop leaves first */
        recv_loops rl;
        receive_loops(f, ch, outer, g, loop, &rl);
        if (rl.early)
            snprintf(why, sizeof why, "the receiving loop can stop early");
        else if (rl.failed)
            snprintf(why, sizeof why,
                     "the receiving loop stops when the test fails or times out (this happens "
                     "only after the test has failed)");
        else
            return 0;
        if (!rl.early) sev = GOLEAK_SEVERITY_INFO;
    } else {
        snprintf(why, sizeof why, "it is received %u time%s", (unsigned)t.once,
                 t.once == 1 ? "" : "s");
    }
    check_report_node_severity(chk, sev, g,
                               "goroutines started in this loop send on `%s` (buffered, "
                               "capacity %d), but %s: once the buffer is full, the remaining "
                               "senders block forever; make `%s` buffered with room for all "
                               "of them",
                               name, (int)ch->chan_cap, why, name);
    return 1;
}

/* Goroutines started in loop `loop` (go statement g) that send on a
 * field channel the function made (w.errc = make(chan error)) which it
 * receives from fewer times. */
static void check_field_senders_in_loop(goleak_check *chk, const facts *f, field_memo *fm,
                                        uint32_t g, uint32_t loop) {
    field_chan fc;
    /* a buffered channel (from a constructor) is GL020's */
    if (field_chan_sender(f, fm, g, &fc) == NONE32 || fm->buffered) return;
    /* made in the loop's body: it pairs with one iteration's goroutines */
    if (f->nodes[fc.made].first > f->nodes[loop].first &&
        f->nodes[fc.made].last < f->nodes[loop].last)
        return;
    field_recvs r;
    field_chan_receives(&fc, &r);
    if (r.in_closure) return;
    const char *why;
    if (r.loop != NONE32) {
        if (!loop_exits_early(f, r.loop)) return;
        why = "the receiving loop can stop early";
    } else {
        long long n = loop_count(f, loop);
        if (n >= 0 && r.once >= n) return; /* N goroutines, N receives */
        why = r.once == 0 ? "nothing receives from it" : "it is received a fixed number of times";
    }
    char name[64];
    snippet(f, f->nodes[fc.made].first, fc.field, name, sizeof name);
    check_report_node(chk, g,
                      "goroutines started in this loop send on unbuffered `%s`, but %s: the "
                      "remaining senders block forever; receive once per goroutine, or make "
                      "`%s` buffered with room for all of them",
                      name, why, name);
}

/* Whether goroutine body `body` sends on `in` in a send statement of its
 * own list (one that runs whenever the goroutine runs to its end) and
 * never receives from it. */
static int sends_once_at_end(const facts *f, uint32_t body, const var_fact *in) {
    if (first_op_in(f, body, in, 2, 0) != NONE32) return 0;
    uint32_t sends = 0, tok;
    for (uint32_t st = f->nodes[body].child; st != NONE32; st = f->nodes[st].next) {
        uint32_t c = f->nodes[st].kind == N(SEND) ? child_by_role(f, st, R(CHAN)) : NONE32;
        if (c != NONE32 && expr_ident(f, c, &tok) && resolve(f, tok) == in) sends++;
    }
    return sends == 1 && first_op_in(f, body, in, 1, 0) != NONE32;
}

/* Whether the program (or the goroutine) ends right after receive op of
 * function fn: the receive sits in a call that never returns
 * (log.Fatal(<-errc)), or a later statement of its list is one
 * (fmt.Println(<-errc); os.Exit(1)): the senders left die with it. */
static int ends_after_receive(const facts *f, uint32_t op, uint32_t fn) {
    uint32_t st = op;
    for (uint32_t p = f->nodes[op].parent; p != NONE32 && p != fn; st = p, p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if (k == N(CALL) && call_never_returns(f, p)) return 1;
        if (k == N(BLOCK) || k == N(CASE) || k == N(COMM)) break;
    }
    for (uint32_t s = st; s != NONE32; s = f->nodes[s].next) {
        uint32_t c = f->nodes[s].kind == N(EXPRSTMT) ? expr_node(f, s) : NONE32;
        if (c != NONE32 && f->nodes[c].kind == N(CALL) && call_never_returns(f, c)) return 1;
    }
    return 0;
}

/* Whether the statement holding node n is the last a goroutine runs: a
 * return follows it, or it ends body. */
static int ends_goroutine(const facts *f, uint32_t n, uint32_t body) {
    uint32_t st = stmt_of(f, n), next = st != NONE32 ? f->nodes[st].next : NONE32;
    return next != NONE32 ? f->nodes[next].kind == N(RETURN)
                          : st != NONE32 && f->nodes[st].parent == body;
}

/* Whether goroutine body `body` sends on `in` only as its last word: it
 * never receives from it, and each send is followed by a return or ends
 * the body (errc <- err; return), so it sends at most once. */
static int sends_last_word(const facts *f, uint32_t body, const var_fact *in) {
    if (first_op_in(f, body, in, 2, 0) != NONE32) return 0;
    uint32_t n = 0, a = f->nodes[body].first, b = f->nodes[body].last;
    for (uint32_t u = first_use_in(f, in, a, b); u != NONE32; u = next_use(f, in, u, b)) {
        uint32_t op = op_of_use(f, u, 1);
        if (op == NONE32) continue;
        int last = ends_goroutine(f, op, body);
        if (!last || f->nodes[op].role == R(COMM)) return 0;
        n++;
    }
    return n > 0;
}

/* A call statement h(..., ch, ...) of a function of the file that starts
 * one goroutine, outside loops, handing it h's parameter for ch, which
 * that goroutine sends on once at most (as its last word): the goroutine
 * that call starts, NONE32 otherwise. */
static uint32_t starts_lone_sender(const facts *f, uint32_t call, const var_fact *ch) {
    const call_fact *c = call_of(f, call);
    uint32_t h = c && c->name != NONE32 && c->pkg == PKG_NONE ? find_func(f, c->name) : NONE32;
    if (h == NONE32 || !(f->nodes[h].flags & GOLEAK_NODE_FLAG_METHOD) != (c->recv_first == NONE32))
        return NONE32;
    const var_fact *p = NULL;
    for (uint32_t k = 0;; k++) {
        uint32_t arg = call_arg(f, call, k);
        if (arg == NONE32) break;
        if (expr_is_var(f, arg, ch)) p = param_at(f, h, k);
    }
    if (!p) return NONE32;
    uint32_t go = NONE32;
    FOR_KIND_IN(f, N(GO), g, f->nodes[h].first, f->nodes[h].last) {
        if (enclosing_func(f, g) != h || loop_around(f, g) != NONE32 || go != NONE32) return NONE32;
        go = g;
    }
    uint32_t fn = go != NONE32 ? goroutine_func(f, go) : NONE32;
    uint32_t body = fn != NONE32 ? func_body(f, fn) : NONE32;
    const var_fact *in = body != NONE32 ? channel_in_goroutine(f, go, fn, p) : NULL;
    return in && (sends_once_at_end(f, body, in) || sends_last_word(f, body, in)) ? go : NONE32;
}

/* The receives of v in its function that sit in loops and leave them
 * (case err := <-errc: return err): each runs at most once. -1 when a
 * receive in a loop goes round again. */
static int leaving_loop_receives(const facts *f, const var_fact *v) {
    int n = 0;
    uint32_t a = f->nodes[v->func].first, b = f->nodes[v->func].last;
    for (uint32_t u = first_use_in(f, v, a, b); u != NONE32; u = next_use(f, v, u, b)) {
        uint32_t op = op_of_use(f, u, 2);
        if (op == NONE32 || enclosing_func(f, op) != v->func) continue;
        uint32_t lp = loop_around(f, op);
        if (lp == NONE32) continue;
        if (f->nodes[op].kind == N(RANGE)) return -1;
        uint32_t clause = select_clause_of(f, op, v->func), last = NONE32;
        if (clause == NONE32) return -1;
        for (uint32_t x = f->nodes[clause].child; x != NONE32; x = f->nodes[x].next)
            if (f->nodes[x].role != R(COMM)) last = x;
        if (last == NONE32 || !stmt_leaves_loop(f, last, lp)) return -1;
        n++;
    }
    return n;
}

/* One go statement outside loops whose goroutine sends once on channel
 * var_ix of its starter. */
typedef struct lone_sender {
    uint32_t var_ix, go, by_arg;
} lone_sender;

static int lone_sender_cmp(const void *a, const void *b) {
    const lone_sender *x = a, *y = b;
    if (x->var_ix != y->var_ix) return x->var_ix < y->var_ix ? -1 : 1;
    return x->go < y->go ? -1 : x->go > y->go;
}

/* Go statements of one statement list, outside loops, whose goroutines each
 * send once on the same channel of their starter (proxies copying both
 * ways, each side reporting on errc), when the starter receives from it
 * fewer times than that, outside loops, less its capacity: the goroutines
 * that finish last block forever. Reported at the last go statement. */
static void check_outnumbered_receives(goleak_check *chk, chan_summaries *cs) {
    const facts *f = cs->f;
    struct {
        lone_sender *data;
        uint32_t len, cap;
    } senders = {NULL, 0, 0};
    /* the statement lists holding two go statements or more (the shape needs two) */
    uint8_t *gos = gl_calloc(f->alloc, f->u->nodes.len ? f->u->nodes.len : 1);
    if (!gos) {
        *f->oom = 1;
        return;
    }
    FOR_KIND(f, N(GO), g) {
        uint32_t list = f->nodes[g].parent;
        if (list != NONE32 && gos[list] < 2) gos[list]++;
    }
    FOR_KIND(f, N(GO), g) {
        uint32_t list = f->nodes[g].parent;
        if (list == NONE32 || gos[list] < 2 || loop_around(f, g) != NONE32 || unreachable(f, g))
            continue;
        uint32_t outer = enclosing_func(f, g), fn = goroutine_func(f, g);
        if (outer == NONE32 || fn == NONE32) continue;
        uint32_t body = func_body(f, fn);
        if (body == NONE32) continue;
        uint32_t nch, *chans = goroutine_channels(f, g, outer, 1, &nch);
        for (uint32_t k = 0; k < nch; k++) {
            const var_fact *ch = &f->vars.data[chans[k]];
            const var_fact *in = channel_in_goroutine(f, g, fn, ch);
            if (!in || !sends_once_at_end(f, body, in)) continue;
            if (VEC_PUSH(f->alloc, &senders, ((lone_sender){chans[k], g, in != ch}))) {
                *f->oom = 1;
                break;
            }
        }
        gl_free(f->alloc, chans);
        if (*f->oom) break;
    }
    /* calls of helpers that start such a goroutine (p.watchHealth(stop, errc)) */
    FOR_KIND(f, N(EXPRSTMT), st) {
        uint32_t call = expr_node(f, st), list = f->nodes[st].parent;
        if (*f->oom || call == NONE32 || f->nodes[call].kind != N(CALL) || list == NONE32 ||
            loop_around(f, st) != NONE32)
            continue;
        uint32_t outer = enclosing_func(f, st);
        for (uint32_t k = 0; outer != NONE32; k++) {
            uint32_t arg = call_arg(f, call, k), tok;
            if (arg == NONE32) break;
            const var_fact *ch = expr_ident(f, arg, &tok) ? resolve(f, tok) : NULL;
            if (!ch || ch->kind != VK_CHAN || !(ch->flags & VF_MADE) || ch->func != outer ||
                starts_lone_sender(f, call, ch) == NONE32)
                continue;
            lone_sender x = {(uint32_t)(ch - f->vars.data), st, 1};
            if (VEC_PUSH(f->alloc, &senders, x)) {
                *f->oom = 1;
                break;
            }
        }
    }
    gl_free(f->alloc, gos);
    lone_sender *ls = senders.data;
    uint32_t n = senders.len;
    if (n > 1 && !*f->oom) qsort(ls, n, sizeof *ls, lone_sender_cmp);
    for (uint32_t i = 0, j; i < n && !*f->oom; i = j) {
        uint32_t by_arg = 0;
        for (j = i; j < n && ls[j].var_ix == ls[i].var_ix; j++) by_arg += ls[j].by_arg;
        uint32_t k = j - i, last = ls[j - 1].go;
        if (k < 2) continue;
        /* siblings of one list: all of them run (not one per branch) */
        int siblings = 1;
        for (uint32_t m = i + 1; m < j; m++)
            siblings &= f->nodes[ls[m].go].parent == f->nodes[ls[i].go].parent;
        const var_fact *ch = &f->vars.data[ls[i].var_ix];
        const chan_summary *s = chan_summary_of(cs, ch);
        if (!siblings || !s) continue;
        /* handed to nothing but these goroutines */
        if (s->other_escapes > 0 || s->arg_escapes != by_arg) continue;
        traffic t;
        if (count_traffic(cs, ch, ls[i].go, 2, &t)) break;
        if (t.deferred || t.in_closure || t.closes) continue;
        /* receives in loops count when each leaves its loop (case err :=
         * <-errc: return err): it runs once at most */
        int leaving = t.in_loop ? leaving_loop_receives(f, ch) : 0;
        if (leaving < 0) continue;
        t.once += (uint32_t)leaving;
        if ((long long)t.once + ch->chan_cap >= k) continue;
        uint32_t first = first_op_in(f, ch->func, ch, 2, 0);
        if (first == NONE32 || ends_after_receive(f, first, ch->func)) continue;
        char name[48], times[24];
        snippet(f, ch->name, ch->name, name, sizeof name);
        if (t.once == 1)
            snprintf(times, sizeof times, "once");
        else
            snprintf(times, sizeof times, "%u times", (unsigned)t.once);
        int one = k - t.once - ch->chan_cap == 1;
        check_report_node(chk, last,
                          "%u goroutines send once each on `%s` (%s), but it is received %s: "
                          "the goroutine%s that finish%s last block%s forever; receive once "
                          "per goroutine, or make `%s` buffered with room for all of them",
                          (unsigned)k, name, ch->chan_cap ? "buffered" : "unbuffered", times,
                          one ? "" : "s", one ? "es" : "", one ? "s" : "", name);
    }
    gl_free(f->alloc, ls);
}

static int check_unbalanced_channel(goleak_check *chk, void *ud) {
    (void)ud;
    if (unit_kind_begin(chk->unit, N(GO)) == unit_kind_end(chk->unit, N(GO)) ||
        !makes_chan(chk->unit))
        return 0;
    const facts *f = check_facts(chk);
    if (!f) return 0;
    chan_summaries cs = {f, NULL};
    check_outnumbered_receives(chk, &cs);
    if (*f->oom || !go_in_loop(chk->unit)) {
        summaries_free(&cs);
        return 0;
    }
    field_memo fm = {0};
    FOR_KIND(f, N(GO), g) {
        uint32_t loop = loop_around(f, g);
        if (loop == NONE32 || unreachable(f, g)) continue;
        uint32_t outer = enclosing_func(f, g), fn = goroutine_func(f, g);
        if (outer == NONE32 || fn == NONE32) continue;
        uint32_t go_call = f->nodes[g].child;
        /* the unbuffered channels of the starting function it shares */
        uint32_t nch;
        uint32_t *chans = goroutine_channels(f, g, outer, 1, &nch);
        for (uint32_t k = 0; k < nch; k++) {
            const var_fact *ch = &f->vars.data[chans[k]];
            const var_fact *in = channel_in_goroutine(f, g, fn, ch);
            if (!in || chan_escapes(&cs, ch, go_call)) continue;
            if (ch->chan_cap > 0) {
                if (report_small_buffer(chk, &cs, g, loop, outer, fn, ch, in)) break;
                continue;
            }
            char name[48];
            snippet(f, ch->name, ch->name, name, sizeof name);
            uint32_t body = f->nodes[fn].kind == N(FUNCLIT) ? fn : func_body(f, fn);
            if (body == NONE32) continue;
            traffic t;
            long long n = loop_count(f, loop);
            /* goroutines that also receive from it talk among themselves */
            int sends = first_op_in(f, body, in, 1, 1) != NONE32;
            int receives = first_op_in(f, body, in, 2, 1) != NONE32;
            if (sends && first_op_in(f, body, in, 2, 0) != NONE32) continue;
            /* a channel made in the loop's body pairs with one iteration's
             * goroutines only */
            if (ch->name > f->nodes[loop].first && ch->name < f->nodes[loop].last) continue;
            /* a sender inside a select has other ways out */
            if (sends) {
                if (count_traffic(&cs, ch, g, 2, &t)) break;
                if (t.deferred || t.in_closure) continue; /* drained on the way out */
                const char *why =
                    !t.any ? "nothing receives from it" : "it is received a fixed number of times";
                int sev = -1;
                if (t.in_loop) {
                    recv_loops rl;
                    receive_loops(f, ch, outer, g, loop, &rl);
                    if (rl.early) {
                        why = "the receiving loop can stop early";
                    } else if (rl.fewer) {
                        why = "the receiving loop runs fewer times than goroutines are started";
                    } else if (rl.failed) {
                        why = "the receiving loop stops when the test fails or times out (this "
                              "happens only after the test has failed)";
                        sev = GOLEAK_SEVERITY_INFO;
                    } else {
                        continue;
                    }
                } else if (n >= 0 && t.once >= n) {
                    continue; /* N goroutines, N receives */
                }
                check_report_node_severity(
                    chk, sev, g,
                    "goroutines started in this loop send on unbuffered `%s`, but %s: "
                    "the remaining senders block forever; receive once per "
                    "goroutine, or make `%s` buffered with room for all of them",
                    name, why, name);
                break;
            }
            if (receives) {
                if (count_traffic(&cs, ch, g, 1, &t)) break;
                if (t.closes || (t.in_loop && !t.loop_exits_early)) continue;
                if (t.deferred || t.in_closure || (n >= 0 && t.once >= n)) continue;
                check_report_node(chk, g,
                                  "goroutines started in this loop receive from unbuffered `%s`, "
                                  "but %s: the remaining receivers block forever; send once per "
                                  "goroutine, or close(%s) to release them all",
                                  name, !t.any ? "nothing sends on it" : "fewer values are sent",
                                  name);
                break;
            }
        }
        gl_free(f->alloc, chans);
        if (*f->oom) break;
        check_field_senders_in_loop(chk, f, &fm, g, loop);
        if (*f->oom) break;
    }
    field_memo_free(&fm);
    summaries_free(&cs);
    return 0;
}

/* ---- GL020 ---- */

/* Why select clause c leaves: "timeout", "cancellation" or "another case". */
static const char *clause_reason(const facts *f, uint32_t c) {
    uint32_t comm = child_by_role(f, c, R(COMM));
    if (comm == NONE32) return "the default case";
    FOR_KIND_IN(f, N(CALL), call, f->nodes[comm].first, f->nodes[comm].last) {
        const call_fact *cf = call_of(f, call);
        if (call_is_pkg(f, cf, PKG_TIME, "After") || call_is_pkg(f, cf, PKG_TIME, "Tick"))
            return "timeout";
        if (cf && cf->name != NONE32 && cf->nargs == 0 && tok_is(f, cf->name, "Done"))
            return "cancellation";
    }
    uint32_t last = f->nodes[comm].last;
    if (tok_is(f, last, "C") && last > f->nodes[comm].first && f->toks[last - 1].kind == T(PERIOD))
        return "timeout";
    return "another case";
}

/* Whether a loop of fn that receives from v (outside the go statement g)
 * can fail the test in a select case (for i := 0; i < n; i++ { select {
 * case <-done: case <-time.After(d): t.Fatal(...) } }): it stops early
 * then. */
static int receiving_loop_fails(const facts *f, const var_fact *v, uint32_t fn, uint32_t g) {
    if (!in_test_code(f, g)) return 0;
    uint32_t a = f->nodes[g].last + 1, b = f->nodes[fn].last, seen = NONE32;
    for (uint32_t u = first_use_in(f, v, a, b); u != NONE32; u = next_use(f, v, u, b)) {
        uint32_t op = op_of_use(f, u, 2);
        if (op == NONE32) continue;
        uint32_t lp = f->nodes[op].kind == N(RANGE) ? op : loop_around(f, op);
        if (lp == NONE32 || lp == seen) continue;
        seen = lp;
        FOR_KIND_IN(f, N(CALL), c, f->nodes[lp].first, f->nodes[lp].last) {
            if (enclosing_func(f, c) == fn && fails_test(f, c) &&
                select_clause_of(f, c, fn) != NONE32)
                return 1;
        }
    }
    return 0;
}

/* The variable a select case's communication comm receives from: the
 * first `<-x` among its tokens that resolves; NULL. */
static const var_fact *comm_received_var(const facts *f, uint32_t comm) {
    for (uint32_t t = f->nodes[comm].first; t < f->nodes[comm].last; t++) {
        const var_fact *x = f->toks[t].kind == T(ARROW) && f->toks[t + 1].kind == T(IDENT)
                                ? resolve(f, t + 1)
                                : NULL;
        if (x) return x;
    }
    return NULL;
}

/* Whether select clause c of the starter receives from a channel that the
 * goroutine literal lit alone signals, each time right before it returns
 * (errc <- err; return): the clause runs only after the goroutine gave up
 * the send it would otherwise block in (started <- p on success, errc <-
 * err on failure, one select for both). */
static int clause_waits_for_goroutine_exit(const facts *f, uint32_t c, uint32_t lit) {
    uint32_t comm = child_by_role(f, c, R(COMM));
    if (comm == NONE32 || f->nodes[lit].kind != N(FUNCLIT)) return 0;
    const var_fact *x = comm_received_var(f, comm);
    if (!x || x->kind != VK_CHAN || !(x->flags & VF_MADE)) return 0;
    uint32_t body = func_body(f, lit), n = 0;
    for (uint32_t u = next_use(f, x, x->name, x->scope_end); u != NONE32;
         u = next_use(f, x, u, x->scope_end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind != GOLEAK_USE_SEND_ON && !use_closes(f, &ui)) continue;
        uint32_t in = enclosing_func(f, ui.node);
        if (in != lit) {
            /* a function literal lit defers (its recover's report): it runs
             * as the goroutine leaves */
            uint32_t call = f->nodes[in].kind == N(FUNCLIT) ? f->nodes[in].parent : NONE32;
            uint32_t d = call != NONE32 ? f->nodes[call].parent : NONE32;
            if (d == NONE32 || f->nodes[d].kind != N(DEFER) || enclosing_func(f, d) != lit)
                return 0;
            n++;
            continue;
        }
        int ends = ends_goroutine(f, ui.node, body);
        if (!ends) return 0;
        n++;
    }
    return n > 0;
}

/* Whether goroutine function fn, started by go statement g, signals the
 * starter's channel x only as its last word: for a literal as in
 * clause_waits_for_goroutine_exit; for a function of the file given x
 * (go reader(conn, msgs, errc)), each send on its parameter is followed
 * by a return or ends its body. */
static int goroutine_signals_on_exit(const facts *f, uint32_t g, uint32_t fn, uint32_t clause) {
    if (f->nodes[fn].kind == N(FUNCLIT)) return clause_waits_for_goroutine_exit(f, clause, fn);
    uint32_t comm = child_by_role(f, clause, R(COMM)), call = f->nodes[g].child;
    const var_fact *x = comm != NONE32 ? comm_received_var(f, comm) : NULL;
    if (!x || call == NONE32) return 0;
    const var_fact *p = NULL;
    for (uint32_t k = 0;; k++) {
        uint32_t arg = call_arg(f, call, k);
        if (arg == NONE32) break;
        if (expr_is_var(f, arg, x)) p = param_at(f, fn, k);
    }
    uint32_t body = func_body(f, fn), n = 0;
    if (!p || body == NONE32) return 0;
    for (uint32_t u = next_use(f, p, p->name, p->scope_end); u != NONE32;
         u = next_use(f, p, u, p->scope_end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind != GOLEAK_USE_SEND_ON && !use_closes(f, &ui)) continue;
        int ends = ends_goroutine(f, ui.node, body);
        if (!ends || enclosing_func(f, ui.node) != fn) return 0;
        n++;
    }
    return n > 0;
}

/* stmt_hands_off of the walks from go statement *ctx: the communication of
 * a select case that runs only after the goroutine gave up its send. */
static int waits_for_goroutine_exit(const release_query *q, uint32_t comm) {
    const facts *f = q->f;
    uint32_t g = *(const uint32_t *)q->ctx, c = f->nodes[comm].parent;
    uint32_t lit = goroutine_func(f, g);
    return c != NONE32 && f->nodes[c].kind == N(COMM) && f->nodes[comm].role == R(COMM) &&
           lit != NONE32 && goroutine_signals_on_exit(f, g, lit, c);
}

static void report_blocked_send(goleak_check *chk, const facts *f, uint32_t send, uint32_t outer,
                                const char *name, int leak, uint32_t at, int after_failure) {
    const char *fix = "make it buffered (make(chan T, 1))";
    int sev = after_failure ? GOLEAK_SEVERITY_INFO : -1;
    const char *note =
        after_failure ? " (this happens only after the test has failed or timed out)" : "";
    if (leak == LEAK_END) {
        check_report_node_severity(chk, sev, send,
                                   "on a path to the end of the function nothing receives from "
                                   "unbuffered `%s`: this send then blocks forever%s; %s",
                                   name, note, fix);
        return;
    }
    unsigned line = (unsigned)tok_line(f, f->nodes[at].first);
    uint32_t clause = select_clause_of(f, at, outer);
    if (f->nodes[at].kind != N(RETURN)) {
        check_report_node_severity(chk, sev, send,
                                   "when the test fails at line %u its function ends, and nothing "
                                   "receives from unbuffered `%s`: this send then blocks "
                                   "forever%s; %s",
                                   line, name, note, fix);
    } else if (clause != NONE32) {
        check_report_node_severity(
            chk, sev, send,
            "the select at line %u can return (line %u, %s) without receiving from unbuffered "
            "`%s`: this send then blocks forever%s; %s",
            (unsigned)tok_line(f, f->nodes[f->nodes[clause].parent].first), line,
            clause_reason(f, clause), name, note, fix);
    } else {
        check_report_node_severity(chk, sev, send,
                                   "if the function returns at line %u, nothing receives from "
                                   "unbuffered `%s` and this send blocks forever%s; %s",
                                   line, name, note, fix);
    }
}

/* The walks from go statement g over channel ch (key: its memo key, and
 * key + 1 for the second walk): every path from g must reach a use that
 * `releases` (a receive for a sender, a send for a receiver). Returns the
 * leak (LEAK_RETURN, LEAK_END, or none) at *at; in test code, the leak of
 * a path on which the test neither fails nor times out when there is one,
 * else *after_failure is set. */
static int walk_from_go(const facts *f, path_memo *memo, uint32_t g, const var_fact *ch,
                        int (*releases)(const release_query *q, uint32_t use), uint32_t key,
                        uint32_t *at, int *after_failure) {
    uint32_t gs = g;
    release_query q = go_walk_query(f, &gs, ch, releases);
    q.var_memo = memo;
    q.memo_key = key;
    if (!memo) q.stmt_hands_off = waits_for_goroutine_exit;
    *at = NONE32;
    *after_failure = 0;
    int leak = release_check(&q, g, at);
    if ((leak != LEAK_RETURN && leak != LEAK_END) || !in_test_code(f, g)) return leak;
    uint32_t at2 = NONE32;
    q.is_release = fails_or_times_out;
    q.exit_leaks = NULL;
    q.memo_key++;
    int leak2 = release_check(&q, g, &at2);
    if (leak2 == LEAK_NONE) {
        *after_failure = 1;
        return leak;
    }
    *at = at2;
    return leak2;
}

/* A send on the channel (or its close) outside the go statement releases
 * a goroutine waiting to receive from it. */
static int sends_chan(const release_query *q, uint32_t use) {
    const facts *f = q->f;
    uint32_t g = *(const uint32_t *)q->ctx;
    if (use >= f->nodes[g].first && use <= f->nodes[g].last) return 0;
    use_info ui;
    q_use(f, use, &ui);
    return ui.kind == GOLEAK_USE_SEND_ON || use_closes(f, &ui);
}

/* Whether every close(v) is a plain statement of the starting function
 * after go statement g: the walk from g sees them. A close before g, in a
 * deferred call or in a function literal releases the receiver in ways
 * the walk does not follow. */
static int closes_after_go(const facts *f, const var_fact *v, uint32_t g) {
    uint32_t end = v->scope_end;
    for (uint32_t u = next_use(f, v, v->name, end); u != NONE32; u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (!use_closes(f, &ui)) continue;
        if ((ui.flags & (GOLEAK_USE_DEFERRED | GOLEAK_USE_CAPTURED | GOLEAK_USE_GOROUTINE)) ||
            u < f->nodes[g].last)
            return 0;
    }
    return 1;
}

/* Whether select clause c receives from channel v in its case (case <-v:,
 * case _, ok := <-v:). */
static int clause_receives(const facts *f, uint32_t c, const var_fact *v) {
    uint32_t comm = child_by_role(f, c, R(COMM));
    if (comm == NONE32) return 0;
    uint32_t a = f->nodes[comm].first, b = f->nodes[comm].last;
    for (uint32_t u = first_use_in(f, v, a, b); u != NONE32; u = next_use(f, v, u, b))
        if (op_of_use(f, u, 2) != NONE32) return 1;
    return 0;
}

/* loop_exit's filter: an exit that sits in a select case receiving from
 * the channel (ctx) leaves only once the channel is closed or sent on. */
static int exit_waits_on(const facts *f, uint32_t exit, const void *ctx) {
    const var_fact *v = ctx;
    for (uint32_t p = f->nodes[exit].parent; p != NONE32; p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if (k == N(FUNCLIT) || k == N(FUNC)) break;
        if (k == N(COMM) && clause_receives(f, p, v)) return 1;
    }
    return 0;
}

/* The select case receiving from `in` whose forever loop it is the only
 * way out of (for { select { case <-in: return; default: poll() } }): the
 * loop is a statement of the goroutine's own list (body of fn), and every
 * return, break out, goto or call that never returns of the loop sits in
 * a case receiving from `in`. NONE32 when there is none. */
static uint32_t select_loop_wait(const facts *f, uint32_t fn, uint32_t body, const var_fact *in) {
    uint32_t a = f->nodes[body].first, b = f->nodes[body].last;
    for (uint32_t u = first_use_in(f, in, a, b); u != NONE32; u = next_use(f, in, u, b)) {
        uint32_t op = op_of_use(f, u, 2);
        if (op == NONE32 || f->nodes[op].kind != N(RECV) || !in_select_case(f, op)) continue;
        uint32_t lp = loop_around(f, op);
        if (lp == NONE32 || f->nodes[lp].kind != N(FOR) ||
            child_by_role(f, lp, R(COND)) != NONE32 || enclosing_func(f, lp) != fn)
            continue;
        uint32_t s = f->nodes[lp].parent; /* the loop, or its label, in the list */
        if (s != NONE32 && f->nodes[s].kind == N(LABELED)) s = f->nodes[s].parent;
        if (s != body) continue;
        if (loop_exit(f, lp, fn, exit_waits_on, in) == NONE32 &&
            loop_exit(f, lp, fn, NULL, NULL) != NONE32)
            return op;
    }
    return NONE32;
}

/* A send on the channel, its close, or a hand-off outside the go statement
 * (stored, returned, passed, put in a literal: its new owner may close
 * it) releases a goroutine waiting to receive from it. */
static int sends_or_hands_on(const release_query *q, uint32_t use) {
    const facts *f = q->f;
    uint32_t g = *(const uint32_t *)q->ctx;
    if (use >= f->nodes[g].first && use <= f->nodes[g].last) return 0;
    return sends_chan(q, use) || chan_use_escapes(f, use, f->nodes[g].child);
}

/* Whether channel v is sent on, closed or handed on (stored, returned,
 * passed: its new owner may close it) by its function after go statement g,
 * outside deferred calls and function literals. */
static int used_after_go(const facts *f, const var_fact *v, uint32_t g) {
    uint32_t end = v->scope_end;
    for (uint32_t u = next_use(f, v, f->nodes[g].last, end); u != NONE32;
         u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (!(ui.flags & (GOLEAK_USE_CAPTURED | GOLEAK_USE_DEFERRED)) &&
            (ui.kind == GOLEAK_USE_SEND_ON || use_closes(f, &ui) ||
             chan_use_escapes(f, u, f->nodes[g].child)))
            return 1;
    }
    return 0;
}

/* A goroutine (go statement g, function fn) that waits in its own
 * statement list to receive from unbuffered ch (`in` in the goroutine),
 * which the starting function sends on (or closes) later, but not on every
 * path: on the others it returns and the goroutine waits forever. Nothing
 * sending at all is GL014's. With `handed`, the function hands the channel
 * on instead (c.stopCh = stopCh: its new owner closes it), and a path that
 * returns before that leaves nobody to close it. 0, or -1 when out of
 * memory. */
static int check_blocked_receive(goleak_check *chk, chan_summaries *cs, path_memo *memo, uint32_t g,
                                 uint32_t fn, const var_fact *ch, const var_fact *in, int handed) {
    const facts *f = cs->f;
    uint32_t body = func_body(f, fn);
    if (body == NONE32) return 0;
    uint32_t recv = first_op_in(f, body, in, 2, 1);
    int looping = 0;
    if (recv == NONE32 || f->nodes[recv].kind != N(RECV) || stmt_of(f, recv) == NONE32 ||
        f->nodes[stmt_of(f, recv)].parent != body) {
        if (handed) return 0;
        recv = select_loop_wait(f, fn, body, in);
        if (recv == NONE32) return 0;
        looping = 1;
    }
    if (handed) {
        if (!used_after_go(f, ch, g)) return 0;
    } else {
        traffic t;
        if (count_traffic(cs, ch, g, 1, &t)) return -1;
        /* nothing sends or closes (GL014's); a send on the way out, in a
         * loop or a callback: left alone (a close is a release on its path) */
        if ((!t.any && !t.closes) || t.deferred || t.in_closure || t.in_loop) return 0;
        if (t.closes && !closes_after_go(f, ch, g)) return 0;
    }
    uint32_t at = NONE32, k = (uint32_t)(ch - f->vars.data);
    int after_failure = 0;
    int leak = walk_from_go(f, memo, g, ch, handed ? sends_or_hands_on : sends_chan,
                            handed ? (f->vars.len * 2 + k) * 2 : (f->vars.len + k) * 2, &at,
                            &after_failure);
    if (leak != LEAK_RETURN || at == NONE32 || f->nodes[at].kind != N(RETURN)) return 0;
    char name[48];
    snippet(f, ch->name, ch->name, name, sizeof name);
    const char *failed =
        after_failure ? " (this happens only after the test has failed or timed out)" : "";
    unsigned line = (unsigned)tok_line(f, f->nodes[at].first);
    if (handed)
        check_report_node_severity(
            chk, after_failure ? GOLEAK_SEVERITY_INFO : -1, recv,
            "if the function returns at line %u, `%s` is neither closed, sent on, nor handed on "
            "to whoever would close it, and this receive waits forever%s; close(%s) on that "
            "path, or hand it on before anything can fail",
            line, name, failed, name);
    else
        check_report_node_severity(
            chk, after_failure ? GOLEAK_SEVERITY_INFO : -1, recv,
            "if the function returns at line %u, nothing sends on `%s` or closes it, and %s "
            "forever%s; close(%s) on the way out (defer close(%s)), or send on every path",
            line, name,
            looping ? "the goroutine's loop, whose only way out is this case, runs"
                    : "this receive waits",
            failed, name, name);
    return 0;
}

/* A close of the channel outside the go statement ends a range over it;
 * a send does not. */
static int closes_chan(const release_query *q, uint32_t use) {
    const facts *f = q->f;
    uint32_t g = *(const uint32_t *)q->ctx;
    if (use >= f->nodes[g].first && use <= f->nodes[g].last) return 0;
    use_info ui;
    q_use(f, use, &ui);
    return use_closes(f, &ui);
}

/* Whether some close(v) sits in a loop that go statement g is not in: an
 * earlier iteration may have closed v before a later one returns, which a
 * walk of the paths from g cannot tell apart. */
static int closes_in_loop(const facts *f, const var_fact *v, uint32_t g) {
    uint32_t end = v->scope_end;
    for (uint32_t u = next_use(f, v, v->name, end); u != NONE32; u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (!use_closes(f, &ui)) continue;
        uint32_t lp = loop_around(f, ui.node);
        if (lp != NONE32 && !node_within(f, g, lp)) return 1;
    }
    return 0;
}

/* Whether parameter p of function fn is only sent on (p <- v; len, cap):
 * the callee feeds the channel, it neither closes nor drains it. */
static int param_only_sends(const facts *f, const var_fact *p, uint32_t fn) {
    uint32_t a = f->nodes[fn].first, b = f->nodes[fn].last;
    for (uint32_t u = next_use(f, p, p->name, b); u != NONE32; u = next_use(f, p, u, b)) {
        if (u < a) continue;
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == GOLEAK_USE_SEND_ON && !(ui.flags & GOLEAK_USE_CAPTURED)) continue;
        const call_fact *c = ui.kind == GOLEAK_USE_ARG ? call_of(f, ui.node) : NULL;
        if (c && (call_is_func(f, c, "len") || call_is_func(f, c, "cap"))) continue;
        return 0;
    }
    return 1;
}

/* Whether channel v's only hand-offs are the go statement's call and calls
 * of functions of the file that only send on it (p.download(layer, ch)):
 * nobody else can close or drain it. */
static int handed_only_to_senders(const facts *f, const var_fact *v, uint32_t go_call) {
    uint32_t end = v->scope_end;
    for (uint32_t u = next_use(f, v, v->name, end); u != NONE32; u = next_use(f, v, u, end)) {
        if (!chan_use_escapes(f, u, NONE32)) continue;
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind != GOLEAK_USE_ARG || (ui.flags & GOLEAK_USE_ADDRESS)) return 0;
        if (ui.node == go_call) continue;
        const call_fact *c = call_of(f, ui.node);
        uint32_t callee = c && c->name != NONE32 ? find_func(f, c->name) : NONE32;
        const var_fact *p = callee != NONE32 ? param_at(f, callee, ui.index) : NULL;
        if (!p || !param_only_sends(f, p, callee)) return 0;
    }
    return 1;
}

/* The channel of function outer that variable `in` of goroutine function
 * fn (started by go statement g) stands for: captured by the literal, or
 * passed to the parameter `in`. NULL when it is none of outer's. */
static const var_fact *starter_channel(const facts *f, uint32_t g, uint32_t fn, uint32_t outer,
                                       const var_fact *in) {
    if (in->func == fn && (in->flags & VF_PARAM)) {
        uint32_t k = param_pos(f, fn, (uint32_t)(in - f->vars.data)), tok;
        uint32_t arg = k != NONE32 ? call_arg(f, f->nodes[g].child, k) : NONE32;
        if (arg == NONE32 || !expr_ident(f, arg, &tok)) return NULL;
        in = resolve(f, tok);
    } else if (f->nodes[fn].kind != N(FUNCLIT)) {
        return NULL;
    }
    return in && in->func == outer ? in : NULL;
}

/* A goroutine (go statement g, function fn) whose own
 * statement list ranges over a channel its starter `outer` made, with no
 * other way out of the loop: only a close ends it. When outer closes the
 * channel after g, but not on every path (the close is no defer), a return
 * before it leaves the goroutine ranging forever. A channel nothing closes
 * is GL014's. 0, or -1 when out of memory. */
static int check_range_until_close(goleak_check *chk, chan_summaries *cs, path_memo *memo,
                                   int *have_memo, uint32_t g, uint32_t fn, uint32_t outer) {
    const facts *f = cs->f;
    uint32_t body = func_body(f, fn);
    if (body == NONE32) return 0;
    FOR_KIND_IN(f, N(RANGE), rg, f->nodes[body].first, f->nodes[body].last) {
        uint32_t s = f->nodes[rg].parent, x = child_by_role(f, rg, R(X)), tok;
        if (s != NONE32 && f->nodes[s].kind == N(LABELED)) s = f->nodes[s].parent;
        if (s != body || x == NONE32 || !expr_ident(f, x, &tok) || loop_has_exit(f, rg, fn))
            continue;
        const var_fact *in = resolve(f, tok);
        const var_fact *ch = in ? starter_channel(f, g, fn, outer, in) : NULL;
        if (!ch || ch->kind != VK_CHAN || !(ch->flags & VF_MADE) || (ch->flags & VF_PARAM))
            continue;
        if (chan_escapes(cs, ch, f->nodes[g].child) &&
            (*f->oom || !handed_only_to_senders(f, ch, f->nodes[g].child)))
            continue;
        if (*f->oom) return -1;
        traffic t;
        if (count_traffic(cs, ch, g, 2, &t)) return -1;
        if (!t.closes || !closes_after_go(f, ch, g) || closes_in_loop(f, ch, g)) continue;
        if (!*have_memo && path_memo_init(memo, f) == 0) *have_memo = 1;
        if (!*have_memo) return -1;
        uint32_t at = NONE32;
        int failed = 0;
        uint32_t key = (2 * f->vars.len + f->u->toks.len + (uint32_t)(ch - f->vars.data)) * 2;
        int leak = walk_from_go(f, memo, g, ch, closes_chan, key, &at, &failed);
        if (leak != LEAK_RETURN || at == NONE32 || f->nodes[at].kind != N(RETURN)) continue;
        failure_note note = after_failure(failed);
        char name[48];
        snippet(f, ch->name, ch->name, name, sizeof name);
        if (f->nodes[fn].kind == N(FUNCLIT))
            check_report_node_severity(
                chk, note.severity, rg,
                "if the function returns at line %u, `%s` is never closed, and this goroutine's "
                "range over it never ends%s; close(%s) on the way out (defer close(%s))",
                (unsigned)tok_line(f, f->nodes[at].first), name, note.note, name, name);
        else /* the worker's range is in another function: report at its start */
            check_report_node_severity(
                chk, note.severity, g,
                "if the function returns at line %u, `%s` is never closed, and the range over "
                "it (line %u) of the goroutine started here never ends%s; close(%s) on the way "
                "out (defer close(%s))",
                (unsigned)tok_line(f, f->nodes[at].first), name,
                (unsigned)tok_line(f, f->nodes[rg].first), note.note, name, name);
        return 0;
    }
    return 0;
}

/* A send on the goroutine's channel, or its close: what wakes a receiver
 * waiting for the goroutine to signal. */
static int signals_chan(const release_query *q, uint32_t use) {
    use_info ui;
    q_use(q->f, use, &ui);
    return ui.kind == GOLEAK_USE_SEND_ON || use_closes(q->f, &ui);
}

/* How goroutine literal lit signals on `in`: the number of its sends and
 * closes in its own statements, the first of them (NONE32 when none),
 * whether one is deferred or in a loop. */
typedef struct signals {
    uint32_t n, first;
    int deferred, in_loop, elsewhere;
} signals;

static void goroutine_signals(const facts *f, uint32_t lit, const var_fact *in, signals *out) {
    memset(out, 0, sizeof *out);
    out->first = NONE32;
    uint32_t a = f->nodes[lit].first, b = f->nodes[lit].last;
    for (uint32_t u = first_use_in(f, in, a, b); u != NONE32; u = next_use(f, in, u, b)) {
        use_info ui;
        q_use(f, u, &ui);
        int send = ui.kind == GOLEAK_USE_SEND_ON;
        if (!send && !use_closes(f, &ui)) continue;
        if (enclosing_func(f, ui.node) != lit || (send && f->nodes[ui.node].role == R(COMM))) {
            out->elsewhere = 1; /* in a select, or a nested literal: not followed */
            continue;
        }
        if (out->n++ == 0) out->first = ui.node;
        if (ui.flags & GOLEAK_USE_DEFERRED) out->deferred = 1;
        if (loop_around(f, ui.node) != NONE32) out->in_loop = 1;
    }
}

/* Whether a call ends the goroutine anyway: a panic passed on, os.Exit,
 * log.Fatal or log.Panic. */
static int call_rethrows(const facts *f, uint32_t call) {
    const call_fact *c = call_of(f, call);
    if (!c || c->name == NONE32) return 0;
    return call_ends_process(f, c) || (c->pkg == PKG_LOG && tok_has_prefix(f, c->name, "Panic"));
}

/* The deferred recover of goroutine literal lit that swallows a panic: a
 * `defer func() { ... recover() ... }()` among its statements, which does
 * not panic again or end the process (it cannot signal: a send in it is
 * not followed, see goroutine_signals), followed by a call before the
 * goroutine's first signal `sig` (a call that may panic). NONE32 when
 * there is none. */
static uint32_t swallowed_panic(const facts *f, uint32_t lit, uint32_t sig) {
    uint32_t body = func_body(f, lit);
    if (body == NONE32) return NONE32;
    for (uint32_t s = f->nodes[body].child; s != NONE32; s = f->nodes[s].next) {
        if (f->nodes[s].kind != N(DEFER)) continue;
        uint32_t a = f->nodes[s].first, b = f->nodes[s].last, recovers = 0;
        FOR_KIND_IN(f, N(CALL), call, a, b) {
            const call_fact *c = call_of(f, call);
            if (call_rethrows(f, call)) return NONE32;
            if (c && call_is_func(f, c, "recover")) recovers = 1;
        }
        if (!recovers) continue;
        FOR_KIND_IN(f, N(CALL), call, b + 1, f->nodes[sig].first) {
            const call_fact *c = call_of(f, call);
            if (c && c->name != NONE32 && !call_is_func(f, c, "len") &&
                !call_is_func(f, c, "make") && !call_is_func(f, c, "append"))
                return s;
        }
    }
    return NONE32;
}

/* The channels a select of the starter waits on, when every case receives
 * from ch or from a channel of outer that only goroutine literal lit
 * signals, in its own plain statements (errc beside started): the select
 * waits for the goroutine, through one channel or another. The select
 * clause holding the receive `recv` of ch; 0 when it is not such a wait,
 * else the number of other channels put in peers. */
#define MAX_PEERS 4
typedef struct peer_walk {
    uint32_t g;
    const var_fact *peers[MAX_PEERS];
    uint32_t n;
} peer_walk;

static int select_waits_for_goroutine(const facts *f, uint32_t recv, uint32_t lit, uint32_t outer,
                                      const var_fact *ch, peer_walk *pw) {
    uint32_t clause = select_clause_of(f, recv, outer);
    uint32_t sel = clause != NONE32 ? f->nodes[clause].parent : NONE32;
    pw->n = 0;
    if (sel == NONE32 || f->nodes[sel].kind != N(SELECT)) return 0;
    for (uint32_t c = f->nodes[sel].child; c != NONE32; c = f->nodes[c].next) {
        uint32_t comm = child_by_role(f, c, R(COMM));
        if (comm == NONE32 || f->nodes[comm].kind == N(SEND)) return 0;
        const var_fact *y = comm_received_var(f, comm);
        if (!y || y->kind != VK_CHAN) return 0;
        if (y == ch) continue;
        if (!(y->flags & VF_MADE) || y->func != outer || pw->n == MAX_PEERS) return 0;
        for (uint32_t u = next_use(f, y, y->name, y->scope_end); u != NONE32;
             u = next_use(f, y, u, y->scope_end)) {
            use_info ui;
            q_use(f, u, &ui);
            if ((ui.kind == GOLEAK_USE_SEND_ON || use_closes(f, &ui)) &&
                !node_within(f, ui.node, lit))
                return 0;
        }
        signals sg;
        goroutine_signals(f, lit, y, &sg);
        if (sg.n == 0 || sg.deferred || sg.in_loop || sg.elsewhere) return 0;
        pw->peers[pw->n++] = y;
    }
    return pw->n > 0;
}

/* A send on (or a close of) one of the peers: the select's other case. */
static int signals_peer(const release_query *q, uint32_t stmt) {
    const facts *f = q->f;
    const peer_walk *pw = q->ctx;
    for (uint32_t i = 0; i < pw->n; i++) {
        const var_fact *y = pw->peers[i];
        uint32_t a = f->nodes[stmt].first, b = f->nodes[stmt].last;
        for (uint32_t u = first_use_in(f, y, a, b); u != NONE32; u = next_use(f, y, u, b)) {
            use_info ui;
            q_use(f, u, &ui);
            if (ui.kind == GOLEAK_USE_SEND_ON || use_closes(f, &ui)) return 1;
        }
    }
    return 0;
}

/* The starter's side of a goroutine that signals completion: function
 * outer waits after go statement g, outside any select, for the goroutine
 * (a function literal) to send on channel ch or close it; the goroutine
 * does so on some paths only (an error return before close(done)). Then
 * the wait never ends and neither does outer. Nobody else may signal. */
static void check_signal_skipped(goleak_check *chk, chan_summaries *cs, uint32_t g, uint32_t lit,
                                 uint32_t outer, const var_fact *ch) {
    const facts *f = cs->f;
    if (f->nodes[lit].kind != N(FUNCLIT) || !var_used_in(f, ch, lit)) return;
    signals sg;
    goroutine_signals(f, lit, ch, &sg);
    if (sg.n == 0 || sg.deferred || sg.in_loop || sg.elsewhere) return;
    /* the wait: the first plain receive of outer after g; nobody but the
     * goroutine sends or closes */
    uint32_t wait = NONE32, end = ch->scope_end;
    peer_walk pw;
    pw.g = g;
    pw.n = 0;
    for (uint32_t u = next_use(f, ch, f->nodes[g].last, end); u != NONE32;
         u = next_use(f, ch, u, end)) {
        if (u <= f->nodes[lit].last && u >= f->nodes[lit].first) continue;
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == GOLEAK_USE_SEND_ON || use_closes(f, &ui)) return;
        if (wait != NONE32 || ui.kind != GOLEAK_USE_RECEIVE || enclosing_func(f, ui.node) != outer)
            continue;
        /* a plain receive, or a select whose every case waits for the goroutine */
        if (!in_select_case(f, ui.node) ||
            select_waits_for_goroutine(f, ui.node, lit, outer, ch, &pw))
            wait = ui.node;
    }
    if (wait == NONE32) return;
    uint32_t body = func_body(f, lit), at = NONE32;
    if (body == NONE32) return;
    release_query q = var_walk(f, &pw, ch, signals_chan);
    if (pw.n > 0) {
        q.stmt_hands_off = signals_peer;
        q.var_only = 0;
    }
    int leak = release_check_body(&q, body, &at);
    if (*f->oom) return;
    char name[48];
    snippet(f, ch->name, ch->name, name, sizeof name);
    if (leak != LEAK_RETURN || at == NONE32) {
        /* every return signals; a panic the goroutine recovers does not */
        uint32_t rec = sg.first != NONE32 ? swallowed_panic(f, lit, sg.first) : NONE32;
        if (rec == NONE32) return;
        check_report_node(chk, wait,
                          "the goroutine started at line %u recovers a panic (the `defer` at "
                          "line %u) and then returns without closing `%s` or sending on it: "
                          "this receive then waits forever; signal in the deferred function "
                          "too (send the panic as an error)",
                          (unsigned)tok_line(f, f->nodes[g].first),
                          (unsigned)tok_line(f, f->nodes[rec].first), name);
        return;
    }
    failure_note note = after_failure(test_failed_before(f, at) != NONE32);
    if (pw.n > 0) {
        /* one finding per select: for the channel declared first */
        for (uint32_t i = 0; i < pw.n; i++)
            if (pw.peers[i]->name < ch->name) return;
        char peer[48];
        snippet(f, pw.peers[0]->name, pw.peers[0]->name, peer, sizeof peer);
        uint32_t sel = f->nodes[select_clause_of(f, wait, outer)].parent;
        check_report_node_severity(chk, note.severity, sel,
                                   "the goroutine started at line %u can return (line %u) "
                                   "without sending on `%s` or `%s`, or closing either: this "
                                   "select, which waits only for them, then waits forever%s; "
                                   "signal on every path",
                                   (unsigned)tok_line(f, f->nodes[g].first),
                                   (unsigned)tok_line(f, f->nodes[at].first), name, peer,
                                   note.note);
        return;
    }
    check_report_node_severity(chk, note.severity, wait,
                               "the goroutine started at line %u can return (line %u) without "
                               "closing `%s` or sending on it: this receive then waits "
                               "forever%s; `defer close(%s)` first in the goroutine, or signal "
                               "on every path",
                               (unsigned)tok_line(f, f->nodes[g].first),
                               (unsigned)tok_line(f, f->nodes[at].first), name, note.note, name);
}

/* A goroutine (go statement g of function outer, not in a loop) that
 * sends on a field channel outer made (s.errc = make(chan error)), which
 * some path of outer does not receive from. */
static void check_field_sender(goleak_check *chk, const facts *f, field_memo *fm, path_memo *pm,
                               int *have_pm, uint32_t g, uint32_t outer) {
    field_chan fc;
    uint32_t send = field_chan_sender(f, fm, g, &fc);
    if (send == NONE32) return;
    field_recvs r;
    field_chan_receives(&fc, &r);
    if (r.in_closure) return; /* drained by a closure that runs later */
    char name[64], root[32], fld[32];
    snippet(f, fc.root->name, fc.root->name, root, sizeof root);
    snippet(f, fc.field, fc.field, fld, sizeof fld);
    snprintf(name, sizeof name, "%s.%s", root, fld);
    if (r.once == 0 && r.loop == NONE32) {
        check_report_node(chk, send,
                          "this goroutine sends on unbuffered `%s`, which is never received: "
                          "it blocks forever; receive it, or make the channel buffered "
                          "(make(chan T, 1))",
                          name);
        return;
    }
    /* a loop that receives until it is done, with no other way out */
    if (r.loop != NONE32 && !loop_exits_early(f, r.loop)) return;
    if (!*have_pm && path_memo_init(pm, f) == 0) *have_pm = 1;
    if (!*have_pm) {
        *f->oom = 1;
        return;
    }
    release_query q = field_chan_walk(&fc);
    /* the walks over one field share what they learn: keys above the
     * local channels' */
    q.var_memo = pm;
    q.memo_key = (2 * f->vars.len + fc.field) * 2;
    uint32_t at = NONE32;
    int leak = release_check(&q, g, &at);
    if (leak != LEAK_RETURN && leak != LEAK_END) return;
    if (fm->buffered) {
        /* a buffer of its own only delays the block of a sender without bound */
        if (leak == LEAK_RETURN)
            check_report_node(chk, send,
                              "this goroutine sends on `%s` for as long as its input lasts, but "
                              "the function that receives it can return at line %u: once the "
                              "buffer is full, this send blocks forever; select on the send and "
                              "a channel closed when the receiver returns",
                              name, (unsigned)tok_line(f, f->nodes[at].first));
        return;
    }
    report_blocked_send(chk, f, send, outer, name, leak, at, 0);
}

/* ---- a range over a producer's channel that stops early ---- */

/* The send of a producer: function fn returns a channel it makes unbuffered
 * (out := make(chan T); ...; return out), fed by a goroutine (a function
 * literal) that sends on it in a loop, not in a select (no other way out).
 * NONE32 when fn is not such a producer, or the channel has another use
 * than the goroutine's sends, a close and the return. With once, the
 * goroutine sends once instead, not in a loop (go func() { ch <- f() }()). */
/* With loose, the channel may be buffered when the goroutine's send loop is
 * unbounded (a buffer only delays the block), and fn may return more than
 * the channel (out, errc): its first result. */
/* The unbuffered channel fn makes and returns alone at every return that
 * returns a name (with loose, also buffered, and as the first of several
 * results, return nil, err skipped); NULL. */
static const var_fact *produced_chan(const facts *f, uint32_t fn, int loose) {
    uint32_t body = func_body(f, fn);
    if (body == NONE32) return NULL;
    const var_fact *out = NULL;
    FOR_KIND_IN(f, N(RETURN), r, f->nodes[body].first, f->nodes[body].last) {
        uint32_t e = f->nodes[r].child, tok;
        if (enclosing_func(f, r) != fn || e == NONE32 || (!loose && f->nodes[e].next != NONE32) ||
            !expr_ident(f, e, &tok) || (loose && tok_is(f, tok, "nil")))
            continue; /* with loose, return nil, err: no channel to feed */
        const var_fact *v = resolve(f, tok);
        if (!v || v->func != fn || v->kind != VK_CHAN || !(v->flags & VF_MADE) ||
            (v->chan_cap != 0 && !(loose && v->chan_cap > 0)) || (out && v != out))
            return NULL;
        out = v;
    }
    return out;
}

static uint32_t producer_send_how(const facts *f, uint32_t fn, int once, int loose) {
    const var_fact *out = produced_chan(f, fn, loose);
    if (!out) return NONE32;
    uint32_t send = NONE32, end = out->scope_end, nsends = 0;
    for (uint32_t u = next_use(f, out, out->name, end); u != NONE32; u = next_use(f, out, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == GOLEAK_USE_RETURN && enclosing_func(f, ui.node) == fn) continue;
        if (use_closes(f, &ui)) continue;
        if (ui.kind != GOLEAK_USE_SEND_ON) return NONE32;
        uint32_t lit = enclosing_func(f, ui.node);
        if (f->nodes[ui.node].role == R(COMM) || lit == fn || !is_goroutine_body(f, lit) ||
            enclosing_func(f, lit) != fn)
            return NONE32;
        uint32_t lp = loop_around(f, ui.node);
        int looped = lp != NONE32 && enclosing_func(f, lp) == lit;
        if (once && (looped || nsends++ > 0)) return NONE32;
        if (out->chan_cap != 0 && (!looped || !unbounded_loop(f, lp))) return NONE32;
        if (send == NONE32 && looped == !once) send = ui.node;
    }
    return send;
}

static uint32_t producer_send(const facts *f, uint32_t fn) {
    return producer_send_how(f, fn, 0, 0);
}

/* Whether function literal lit waits on a context somewhere: a call
 * x.Done() with no argument (case <-ctx.Done():, <-ctx.Done()). */
static int watches_done(const facts *f, uint32_t lit) {
    FOR_KIND_IN(f, N(CALL), c, f->nodes[lit].first, f->nodes[lit].last) {
        const call_fact *cf = call_of(f, c);
        if (cf && cf->nargs == 0 && cf->recv_first != NONE32 && cf->name != NONE32 &&
            tok_is(f, cf->name, "Done"))
            return 1;
    }
    return 0;
}

/* A parameter of producer fn that can only mean "stop" (a receive-only
 * channel, <-chan T, or a context.Context) and that its goroutine literal
 * lit never mentions: the producer ignores the cancellation it was given.
 * NULL when there is none. */
static const var_fact *ignored_stop_param(const facts *f, uint32_t fn, uint32_t lit) {
    for (uint32_t k = 0;; k++) {
        const var_fact *p = param_at(f, fn, k);
        if (!p) return NULL;
        if (p->type_first == NONE32) continue;
        uint32_t a = p->type_first, b = p->type_last;
        int stop = (f->toks[a].kind == T(ARROW) && a + 1 <= b && f->toks[a + 1].kind == T(CHAN)) ||
                   declared_context(f, p);
        if (stop && !var_used_in(f, p, lit)) return p;
    }
}

/* The send of a producer whose goroutine is a function of the file given
 * the channel: fn makes an unbuffered channel, returns it, and starts `go
 * e.observe(ctx, out)`, whose parameter is sent on in a loop of its own,
 * not in a select (and otherwise only closed). NONE32 otherwise; *callee
 * receives the started function. */
static uint32_t producer_callee_send(const facts *f, typeindex **types, uint32_t fn,
                                     uint32_t *callee) {
    const var_fact *out = produced_chan(f, fn, 0);
    if (!out) return NONE32;
    uint32_t go_call = NONE32, pos = NONE32;
    for (uint32_t u = next_use(f, out, out->name, out->scope_end); u != NONE32;
         u = next_use(f, out, u, out->scope_end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == GOLEAK_USE_RETURN && enclosing_func(f, ui.node) == fn) continue;
        uint32_t g = ui.kind == GOLEAK_USE_ARG ? f->nodes[ui.node].parent : NONE32;
        if (go_call != NONE32 || g == NONE32 || f->nodes[g].kind != N(GO) ||
            enclosing_func(f, g) != fn)
            return NONE32;
        go_call = ui.node;
        pos = ui.index;
    }
    if (go_call == NONE32) return NONE32;
    /* the type index, built once, only for files that get this far */
    if (!*types && !(*types = typeindex_build(f))) {
        *f->oom = 1;
        return NONE32;
    }
    uint32_t k = typeindex_callee(*types, go_call);
    uint32_t m = k != NONE32 ? f->by_kind[N(FUNC)].data[k] : NONE32;
    const var_fact *p = m != NONE32 ? param_at(f, m, pos) : NULL;
    if (!p || p->kind != VK_CHAN) return NONE32;
    uint32_t send = NONE32;
    for (uint32_t u = next_use(f, p, p->name, p->scope_end); u != NONE32;
         u = next_use(f, p, u, p->scope_end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (use_closes(f, &ui)) continue;
        uint32_t lp = ui.kind == GOLEAK_USE_SEND_ON ? loop_around(f, ui.node) : NONE32;
        if (lp == NONE32 || f->nodes[ui.node].role == R(COMM) || enclosing_func(f, ui.node) != m ||
            enclosing_func(f, lp) != m)
            return NONE32;
        if (send == NONE32) send = ui.node;
    }
    *callee = m;
    return send;
}

/* Whether function m is given a context (a parameter of type
 * context.Context) that it only hands on to calls: it never waits on its
 * Done() itself. */
static const var_fact *context_only_passed(const facts *f, uint32_t m) {
    if (watches_done(f, m)) return NULL;
    for (uint32_t k = 0;; k++) {
        const var_fact *p = param_at(f, m, k);
        if (!p) return NULL;
        if (declared_context(f, p) && var_used_in(f, p, m)) return p;
    }
}

/* Producers whose goroutine watches a context (select on ctx.Done()
 * somewhere) but sends on the channel it feeds without one: a consumer
 * that stops when the context is done leaves that send blocked forever. */
static void check_unguarded_producers(goleak_check *chk, const facts *f) {
    static const int kinds[] = {N(FUNC), N(FUNCLIT)};
    typeindex *types = NULL;
    for (int k = 0; k < 2 && !*f->oom; k++) {
        FOR_KIND(f, kinds[k], fn) {
            uint32_t send = producer_send(f, fn), m = NONE32;
            if (send == NONE32) {
                /* go e.observe(ctx, out): a goroutine method that hands its
                 * context on but sends without it */
                send = producer_callee_send(f, &types, fn, &m);
                const var_fact *ctx = send != NONE32 ? context_only_passed(f, m) : NULL;
                if (!ctx) continue;
                char name[48], stop[48];
                snippet(f, f->nodes[send].first, f->nodes[send].key - 1, name, sizeof name);
                snippet(f, ctx->name, ctx->name, stop, sizeof stop);
                check_report_node(chk, send,
                                  "this goroutine sends on unbuffered `%s` without watching "
                                  "`%s`, which it only hands on to calls: once the consumer "
                                  "stops because `%s` is done, this send blocks forever; select "
                                  "on the send and `%s.Done()` together",
                                  name, stop, stop, stop);
                continue;
            }
            uint32_t lit = enclosing_func(f, send);
            char name[48], stop[48];
            snippet(f, f->nodes[send].first, f->nodes[send].key - 1, name, sizeof name);
            const var_fact *p = NULL;
            if (watches_done(f, lit))
                check_report_node(chk, send,
                                  "this goroutine watches a context's Done() but sends on "
                                  "unbuffered `%s` without it: once the consumer stops because "
                                  "the context is done, this send blocks forever; select on the "
                                  "send and ctx.Done() together",
                                  name);
            else if ((p = ignored_stop_param(f, fn, lit)) != NULL) {
                snippet(f, p->name, p->name, stop, sizeof stop);
                check_report_node(chk, send,
                                  "this goroutine sends on unbuffered `%s` and never looks at "
                                  "`%s`, which its function is given to stop it: once the "
                                  "consumer stops, this send blocks forever; select on the send "
                                  "and `%s` together",
                                  name, stop, stop);
            }
        }
    }
    typeindex_free(types);
}

/* Whether the file makes field channels spelled like token t unbuffered
 * only, and at least once (F: make(chan T) in a literal, x.F = make(chan
 * T)). */
static int field_made_unbuffered(const facts *f, uint32_t t) {
    uint32_t n, ntok = f->u->toks.len, made = 0;
    const uint32_t *at = idents_named(f, t, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t u = at[i];
        if (u + 4 >= ntok) continue;
        int key = f->toks[u + 1].kind == T(COLON), set = f->toks[u + 1].kind == T(ASSIGN);
        uint32_t close;
        int cap = key || set ? make_chan_capacity(f, u + 2, ntok - 1, &close) : MAKE_NOT_CHAN;
        if (cap == MAKE_NOT_CHAN) continue;
        if (cap != MAKE_CAP_NONE) return 0;
        made++;
    }
    return made > 0;
}

/* The receive case of a select in loop lp (of function fn) whose body
 * leaves the loop (case <-w.WatchClose(): return): the loop watches for
 * the other side going away. NONE32. */
static uint32_t leaving_case(const facts *f, uint32_t lp, uint32_t fn) {
    FOR_KIND_IN(f, N(SELECT), sel, f->nodes[lp].first, f->nodes[lp].last) {
        if (enclosing_func(f, sel) != fn || loop_around(f, sel) != lp) continue;
        for (uint32_t c = f->nodes[sel].child; c != NONE32; c = f->nodes[c].next) {
            uint32_t comm = f->nodes[c].kind == N(COMM) ? child_by_role(f, c, R(COMM)) : NONE32;
            if (comm == NONE32 || f->nodes[comm].kind == N(SEND)) continue;
            uint32_t last = NONE32;
            for (uint32_t x = f->nodes[c].child; x != NONE32; x = f->nodes[x].next)
                if (f->nodes[x].role != R(COMM)) last = x;
            if (last != NONE32 && (f->nodes[last].kind == N(RETURN) ||
                                   (f->nodes[last].kind == N(BRANCH) && break_leaves(f, last, lp))))
                return c;
        }
    }
    return NONE32;
}

/* A loop that selects on a way out given by an object (case
 * <-w.WatchClose(): return) and elsewhere sends, outside any select and
 * outside that case, on an unbuffered field channel of the same object
 * (w.Msg <- msg): the loop knows the receiver may go away, but that send
 * ignores it, and blocks forever once it has. */
static void check_sends_ignoring_exit(goleak_check *chk, const facts *f) {
    FOR_KIND(f, N(SEND), send) {
        uint32_t ch = child_by_role(f, send, R(CHAN)), fn = enclosing_func(f, send);
        if (ch == NONE32 || fn == NONE32 || f->nodes[send].role == R(COMM)) continue;
        uint32_t a = f->nodes[ch].first, b = f->nodes[ch].last;
        if (b < a + 2 || !name_chain(f, a, b) || !field_made_unbuffered(f, b)) continue;
        uint32_t lp = loop_around(f, send);
        if (lp == NONE32 || enclosing_func(f, lp) != fn || f->nodes[lp].kind != N(FOR) ||
            child_by_role(f, lp, R(COND)) != NONE32)
            continue;
        uint32_t exit = leaving_case(f, lp, fn);
        if (exit == NONE32 || node_within(f, send, exit)) continue;
        /* the way out is the receiver's own signal: the same object
         * (w.WatchClose() for w.Msg, t.ctx.Done() for t.packets) */
        uint32_t comm = child_by_role(f, exit, R(COMM)), root = NONE32;
        for (uint32_t t = f->nodes[comm].first; t <= f->nodes[comm].last && root == NONE32; t++)
            if (f->toks[t].kind == T(ARROW) && t + 1 <= f->nodes[comm].last) root = t + 1;
        if (root == NONE32 || f->toks[root].kind != T(IDENT) || root + 1 > f->nodes[comm].last ||
            f->toks[root + 1].kind != T(PERIOD) || resolve(f, root) != resolve(f, a) ||
            !resolve(f, a))
            continue;
        char name[64], stop[64];
        snippet(f, a, b, name, sizeof name);
        node_snippet(f, comm, stop, sizeof stop);
        /* a warning: it blocks only if the other side goes away meanwhile */
        check_report_node_severity(chk, GOLEAK_SEVERITY_WARNING, send,
                                   "this loop leaves when `%s` fires (line %u), but this send on "
                                   "unbuffered `%s` ignores it: once the receiver has gone away, "
                                   "the send blocks forever; select on the send and that case "
                                   "together",
                                   stop, (unsigned)tok_line(f, f->nodes[exit].first), name);
    }
}

/* loop_exit's filter: an exit after a failed test's t.Error. */
static int exit_after_failure(const facts *f, uint32_t exit, const void *ctx) {
    (void)ctx;
    return test_failed_before(f, exit) != NONE32;
}

/* The variables a receive binds (v, ok := <-ch; for v := range ch), at
 * most two, and the loop of the exits that test them. */
typedef struct received_vars {
    const var_fact *v[2];
    uint32_t lp;
} received_vars;

static void bind_received(const facts *f, uint32_t e, received_vars *rv) {
    uint32_t tok;
    const var_fact *v = e != NONE32 && expr_ident(f, e, &tok) ? resolve(f, tok) : NULL;
    if (v && !rv->v[0])
        rv->v[0] = v;
    else if (v && !rv->v[1])
        rv->v[1] = v;
}

static void receive_binds(const facts *f, uint32_t op, uint32_t lp, received_vars *rv) {
    rv->v[0] = rv->v[1] = NULL;
    rv->lp = lp;
    if (f->nodes[op].kind == N(RANGE)) {
        bind_received(f, child_by_role(f, op, R(KEY)), rv);
        bind_received(f, child_by_role(f, op, R(VALUE)), rv);
        return;
    }
    uint32_t p = f->nodes[op].parent;
    while (p != NONE32 && f->nodes[p].kind == N(EXPR)) p = f->nodes[p].parent;
    if (p == NONE32 || f->nodes[p].kind != N(ASSIGN)) return;
    for (uint32_t c = f->nodes[p].child; c != NONE32; c = f->nodes[c].next)
        if (f->nodes[c].role == R(LHS)) bind_received(f, c, rv);
}

/* loop_exit's filter: an exit under an if (or a switch) that tests what the
 * receive gave (if v == 0 { break }, if !ok { return }): the senders' own
 * protocol ends the loop (a last value, a close), not an early stop. */
static int exit_on_received(const facts *f, uint32_t exit, const void *ctx) {
    const received_vars *rv = ctx;
    if (!rv->v[0]) return 0;
    for (uint32_t p = f->nodes[exit].parent; p != NONE32 && p != rv->lp; p = f->nodes[p].parent) {
        uint32_t c = f->nodes[p].kind == N(IF)       ? child_by_role(f, p, R(COND))
                     : f->nodes[p].kind == N(SWITCH) ? child_by_role(f, p, R(TAG))
                                                     : NONE32;
        if (c == NONE32) continue;
        uint32_t a = f->nodes[c].first, b = f->nodes[c].last;
        for (uint32_t t = a; t <= b; t++) {
            const var_fact *v = f->toks[t].kind == T(IDENT) ? resolve(f, t) : NULL;
            if (!v || (v != rv->v[0] && v != rv->v[1])) continue;
            /* the value itself compared or tested (v == 0, !ok, ok), not
             * something computed from it (now.After(cert.NotAfter)) */
            int prev = t > a ? f->toks[t - 1].kind : -1, next = t < b ? f->toks[t + 1].kind : -1;
            if (next == T(PERIOD) || next == T(LBRACK) || next == T(LPAREN) || prev == T(PERIOD))
                continue;
            if ((a == b) || next == T(EQL) || next == T(NEQ) || prev == T(EQL) || prev == T(NEQ) ||
                (prev == T(NOT) && t == b))
                return 1;
        }
    }
    return 0;
}

/* What the users of a channel of a function do with it: it is fed by
 * sends in loops (not in a select) and received only by loops of
 * concurrent tasks that can stop early. The tasks are goroutine literals,
 * x.Go literals, or functions of the file they call (or a go statement
 * starts) with the channel as an argument. */
typedef struct feed_scan {
    const facts *f;
    uint32_t feed;  /* a feeding send (the first), NONE32 */
    uint32_t exit;  /* an early exit of a consumer loop (the first), NONE32 */
    int all_failed; /* every consumer loop stops early only after a failed test */
    int bad;        /* a use that spoils it: a plain receive, a drain, a hand-off... */
    int buffered;   /* the channel has room: the function's own sends fill it */
    int own_loop;   /* a consumer loop is the starting function's own */
    int go_feed;    /* a feed runs in a goroutine a go statement starts (GL013's or the
                     * blocked-sender walk's then, when the starter consumes itself) */
    int in_go;      /* the uses walked are those of a function a go statement starts */
} feed_scan;

/* One receive (or range) op of function or literal fn on the channel, fn
 * running as a task: a consumer loop that can stop early, or bad. */
static void feed_consumer(feed_scan *fs, uint32_t op, uint32_t fn) {
    const facts *f = fs->f;
    uint32_t lp = f->nodes[op].kind == N(RANGE) ? op : loop_around(f, op);
    if (lp == NONE32 || enclosing_func(f, lp) != fn) {
        fs->bad = 1;
        return;
    }
    received_vars rv;
    receive_binds(f, op, lp, &rv);
    uint32_t exit = loop_exit(f, lp, fn, exit_on_received, &rv);
    if (exit == NONE32) {
        fs->bad = 1; /* this consumer drains the channel */
        return;
    }
    if (fs->exit == NONE32) fs->exit = exit;
    if (!in_test_code(f, lp) || loop_exit(f, lp, fn, exit_after_failure, NULL) != NONE32)
        fs->all_failed = 0;
}

/* One send on the channel by fn: a feed when in a loop of fn, not a
 * select case. */
static void feed_sender(feed_scan *fs, uint32_t send, uint32_t fn, int repeated) {
    const facts *f = fs->f;
    /* a task's last word on a buffered channel (errc <- err; return): it
     * sends once, into the room there is */
    uint32_t next = f->nodes[send].next;
    if (fs->buffered && next != NONE32 && f->nodes[next].kind == N(RETURN)) return;
    if (repeated) {
        /* a callback the task hands a walker (Walk(..., func(o) { ch <- o })) */
        if (f->nodes[send].role == R(COMM)) fs->bad = 1;
        if (fs->in_go || is_goroutine_body(f, fn)) fs->go_feed = 1;
        if (fs->feed == NONE32 && !fs->bad) fs->feed = send;
        return;
    }
    uint32_t lp = loop_around(f, send);
    /* or one send per task, the tasks started in a loop of their starter */
    uint32_t tl = lp == NONE32 && f->nodes[fn].kind == N(FUNCLIT) ? loop_around(f, fn) : NONE32;
    if (f->nodes[send].role == R(COMM) ||
        (lp == NONE32 ? tl == NONE32 || enclosing_func(f, tl) != enclosing_func(f, fn)
                      : enclosing_func(f, lp) != fn)) {
        fs->bad = 1;
        return;
    }
    if (fs->in_go || (f->nodes[fn].kind == N(FUNCLIT) && is_goroutine_body(f, fn))) fs->go_feed = 1;
    if (fs->feed == NONE32) fs->feed = send;
}

/* Whether function literal lit is handed to a call as an argument (not
 * started, not the callee): a callback that call runs. */
static int callback_literal(const facts *f, uint32_t lit) {
    uint32_t arg = f->nodes[lit].kind == N(FUNCLIT) ? f->nodes[lit].parent : NONE32;
    return arg != NONE32 && f->nodes[arg].role == R(ARG) && f->nodes[arg].parent != NONE32 &&
           f->nodes[f->nodes[arg].parent].kind == N(CALL) && !is_task_body(f, lit);
}

/* The uses of channel variable v inside function (or literal) fn, which
 * runs as a task when `task`: sends, receives, closes, len/cap, and (at
 * depth 0) arguments of calls of functions of the file, followed into
 * their parameter. */
static void feed_uses(feed_scan *fs, const var_fact *v, uint32_t fn, int task, int depth);

static void feed_call_arg(feed_scan *fs, uint32_t call, uint32_t k, int task, int depth) {
    const facts *f = fs->f;
    const call_fact *c = call_of(f, call);
    uint32_t callee = c && c->name != NONE32 && c->pkg == PKG_NONE ? find_func(f, c->name) : NONE32;
    const var_fact *p = callee != NONE32 ? param_at(f, callee, k) : NULL;
    if (!p || depth > 0) {
        fs->bad = 1;
        return;
    }
    feed_uses(fs, p, callee, task, depth + 1);
}

static void feed_uses(feed_scan *fs, const var_fact *v, uint32_t fn, int task, int depth) {
    const facts *f = fs->f;
    uint32_t a = f->nodes[fn].first, b = f->nodes[fn].last;
    for (uint32_t u = first_use_in(f, v, a, b); u != NONE32 && !fs->bad; u = next_use(f, v, u, b)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == -1 || use_closes(f, &ui)) continue;
        uint32_t at = ui.node != NONE32 ? enclosing_func(f, ui.node) : NONE32;
        /* inside a literal of fn: a task of its own when it is started */
        int t = task, repeated = 0;
        if (at != NONE32 && at != fn && ui.kind == GOLEAK_USE_SEND_ON && callback_literal(f, at) &&
            enclosing_func(f, at) != fn && enclosing_func(f, enclosing_func(f, at)) == fn &&
            is_task_body(f, enclosing_func(f, at))) {
            /* a callback of a task's call: it runs in the task, once per item */
            at = enclosing_func(f, at);
            repeated = 1;
        }
        if (at != NONE32 && at != fn) {
            if (enclosing_func(f, at) != fn || !is_task_body(f, at)) {
                fs->bad = 1;
                break;
            }
            t = 1;
        }
        const call_fact *c = ui.kind == GOLEAK_USE_ARG ? call_of(f, ui.node) : NULL;
        if (c && (call_is_func(f, c, "len") || call_is_func(f, c, "cap"))) continue;
        if (ui.kind == GOLEAK_USE_SEND_ON) {
            /* the function filling a buffered channel before its tasks run */
            if (!t && fs->buffered) continue;
            feed_sender(fs, ui.node, at, repeated);
        } else if ((ui.kind == GOLEAK_USE_RECEIVE || ui.kind == GOLEAK_USE_RANGE) && t) {
            feed_consumer(fs, ui.node, at);
        } else if ((ui.kind == GOLEAK_USE_RECEIVE || ui.kind == GOLEAK_USE_RANGE) && depth == 0 &&
                   at == fn) {
            /* the starting function's own receiving loop */
            fs->own_loop = 1;
            feed_consumer(fs, ui.node, at);
        } else if (ui.kind == GOLEAK_USE_ARG && !(ui.flags & GOLEAK_USE_ADDRESS)) {
            /* go worker(ch) starts a task; a call inside a task runs in it */
            uint32_t g = f->nodes[ui.node].parent;
            int starts = g != NONE32 && f->nodes[g].kind == N(GO) && f->nodes[g].child == ui.node;
            int was = fs->in_go;
            fs->in_go = was || starts;
            feed_call_arg(fs, ui.node, ui.index, t || starts, depth);
            fs->in_go = was;
        } else
            fs->bad = 1;
    }
}

/* A channel that tasks (or the function itself) feed in a loop, with sends
 * that do not select, while the only receivers are loops of other tasks
 * that can stop early (a worker returns on its first error), followed one
 * call deep (go func() { f.puller(in, out) }()): once the receivers have
 * all stopped, the next send blocks forever, and so does any Wait for the
 * feeder. */
static void check_abandoned_feeders(goleak_check *chk, const facts *f) {
    uint8_t *reported = NULL; /* per SEND node: reported (a callee's send, once) */
    for (uint32_t k = 0; k < f->vars.len && !*f->oom; k++) {
        const var_fact *ch = &f->vars.data[k];
        /* a capacity that is no constant is sized to the work
         * (make(chan T, len(parts))): the feed fits in it */
        if (ch->kind != VK_CHAN || !(ch->flags & VF_MADE) || ch->func == NONE32 ||
            (ch->flags & (VF_PARAM | VF_PKG)) || ch->chan_cap < 0)
            continue;
        feed_scan fs = {f, NONE32, NONE32, 1, 0, ch->chan_cap > 0, 0, 0, 0};
        feed_uses(&fs, ch, ch->func, 0, 0);
        /* the starter's own loop with go statements feeding: GL013's */
        if (fs.bad || fs.feed == NONE32 || fs.exit == NONE32 || (fs.own_loop && fs.go_feed) ||
            once_per_process(f, top_func(f, ch->decl), 0, 0))
            continue;
        if (!reported && !(reported = gl_calloc(f->alloc, (size_t)f->u->nodes.len))) {
            *f->oom = 1;
            break;
        }
        if (reported[fs.feed]) continue;
        reported[fs.feed] = 1;
        failure_note note = after_failure(fs.all_failed);
        char name[48];
        snippet(f, ch->name, ch->name, name, sizeof name);
        check_report_node_severity(
            chk, note.severity, fs.feed,
            "the only receivers of `%s` are loops that can stop early (line %u)%s: once they "
            "all have stopped, this send blocks forever%s, and so does any Wait for this "
            "goroutine; select on the send and ctx.Done() (or a done channel) together",
            name, (unsigned)tok_line(f, f->nodes[fs.exit].first),
            fs.own_loop ? ", the starting function's own among them" : " of other goroutines",
            note.note);
    }
    gl_free(f->alloc, reported);
}

/* The channel function fn makes and returns as its first result (out :=
 * make(chan T, n); go func() { ... }(); return out, errf), NULL. */
static const var_fact *returned_chan(const facts *f, uint32_t fn) {
    uint32_t body = func_body(f, fn);
    const var_fact *out = NULL;
    if (body == NONE32) return NULL;
    FOR_KIND_IN(f, N(RETURN), r, f->nodes[body].first, f->nodes[body].last) {
        uint32_t e = f->nodes[r].child, tok;
        if (enclosing_func(f, r) != fn) continue;
        if (e == NONE32 || !expr_ident(f, e, &tok)) return NULL;
        const var_fact *v = resolve(f, tok);
        if (!v || v->func != fn || v->kind != VK_CHAN || !(v->flags & VF_MADE) || (out && v != out))
            return NULL;
        out = v;
    }
    return out;
}

/* A close of v: the call close(v). */
static int closes_var(const release_query *q, uint32_t call) {
    const facts *f = q->f;
    const call_fact *c = call_of(f, call);
    uint32_t arg = c && call_is_func(f, c, "close") ? call_arg(f, call, 0) : NONE32;
    return arg != NONE32 && expr_is_var(f, arg, q->ctx);
}

/* The return of body that a path reaches without close(v); NONE32 when
 * every path closes v, or ends otherwise. */
static uint32_t return_skipping_close(const facts *f, uint32_t body, const var_fact *v) {
    release_query q = {
        .f = f, .is_release = closes_var, .ctx = (void *)v, .loop = NONE32, .cond = NONE32};
    uint32_t at = NONE32;
    return release_check_body(&q, body, &at) == LEAK_RETURN && !*f->oom ? at : NONE32;
}

/* A producer whose goroutine closes the channel it feeds on some paths
 * only: a return that skips the close (a listing error) leaves every
 * range over the channel waiting forever. Reported at that return, when
 * the file ranges over what the producer returns. */
static void check_producer_close_skipped(goleak_check *chk, const facts *f, uint32_t rg,
                                         uint32_t fn) {
    const var_fact *out = returned_chan(f, fn);
    if (!out) return;
    uint32_t lit = NONE32, closes = 0;
    for (uint32_t u = next_use(f, out, out->name, out->scope_end); u != NONE32;
         u = next_use(f, out, u, out->scope_end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (!use_closes(f, &ui)) continue;
        if (ui.flags & GOLEAK_USE_DEFERRED) return; /* closed on every way out */
        uint32_t at = enclosing_func(f, ui.node);
        if (at == fn || !is_goroutine_body(f, at) || enclosing_func(f, at) != fn ||
            (lit != NONE32 && at != lit))
            return;
        lit = at;
        closes++;
    }
    uint32_t body = lit != NONE32 ? func_body(f, lit) : NONE32;
    uint32_t at = closes && body != NONE32 ? return_skipping_close(f, body, out) : NONE32;
    if (at == NONE32) return;
    char name[48], prod[48];
    snippet(f, out->name, out->name, name, sizeof name);
    snippet(f, f->nodes[fn].key != NONE32 ? f->nodes[fn].key : f->nodes[fn].first,
            f->nodes[fn].key != NONE32 ? f->nodes[fn].key : f->nodes[fn].first, prod, sizeof prod);
    check_report_node(chk, at,
                      "this return ends the goroutine that feeds `%s` without closing it, "
                      "while the range over what `%s` returns (line %u) waits for the close: "
                      "it waits forever; `defer close(%s)` first in the goroutine",
                      name, prod, (unsigned)tok_line(f, f->nodes[rg].first), name);
}

/* Whether channel variable v, ranged over by rg, has another use that may
 * drain it: handed to a call (defer drainAll(lines)), or received or
 * ranged over again. */
static int drained_elsewhere(const facts *f, const var_fact *v, uint32_t rg) {
    uint32_t x = child_by_role(f, rg, R(X));
    for (uint32_t u = next_use(f, v, v->name, v->scope_end); u != NONE32;
         u = next_use(f, v, u, v->scope_end)) {
        if (x != NONE32 && u >= f->nodes[x].first && u <= f->nodes[x].last) continue;
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == GOLEAK_USE_ARG || ui.kind == GOLEAK_USE_RECEIVE ||
            ui.kind == GOLEAK_USE_RANGE)
            return 1;
    }
    return 0;
}

static uint32_t clause_around(const facts *f, uint32_t n, uint32_t *sel);

/* loop_exit's filter for a range over a producer: an exit on the error
 * the received item carries (if it.err != nil { return }: what a producer
 * sends last, before it returns). */
static int exit_on_item(const facts *f, uint32_t exit, const void *ctx) {
    const received_vars *rv = ctx;
    for (uint32_t p = f->nodes[exit].parent; p != NONE32 && p != rv->lp; p = f->nodes[p].parent) {
        uint32_t c = f->nodes[p].kind == N(IF) ? child_by_role(f, p, R(COND)) : NONE32;
        if (c == NONE32) continue;
        uint32_t a = f->nodes[c].first, b = f->nodes[c].last;
        if (b != a + 4 || f->toks[a + 1].kind != T(PERIOD) || f->toks[a + 3].kind != T(NEQ) ||
            !tok_is(f, b, "nil") ||
            (!tok_has_prefix(f, a + 2, "err") && !tok_has_prefix(f, a + 2, "Err")))
            continue;
        const var_fact *v = resolve(f, a);
        if (v && (v == rv->v[0] || v == rv->v[1])) return 1;
    }
    return 0;
}

/* Whether producer fn's goroutine sends some item as its last word: the
 * send (or the select holding it) is followed by a return (errors sent
 * last: out <- item{err: err}; return). */
static int sends_last_word_item(const facts *f, uint32_t fn) {
    const var_fact *out = returned_chan(f, fn);
    if (!out) return 0;
    for (uint32_t u = next_use(f, out, out->name, out->scope_end); u != NONE32;
         u = next_use(f, out, u, out->scope_end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind != GOLEAK_USE_SEND_ON) continue;
        uint32_t st = ui.node;
        if (f->nodes[st].role == R(COMM)) {
            uint32_t clause = f->nodes[st].parent;
            st = clause != NONE32 ? f->nodes[clause].parent : NONE32;
        } else {
            st = stmt_of(f, st);
        }
        uint32_t next = st != NONE32 ? f->nodes[st].next : NONE32;
        if (next != NONE32 && f->nodes[next].kind == N(RETURN)) return 1;
    }
    return 0;
}

/* The send of a producer fn whose goroutine sends on the channel fn
 * returns only in selects that also wait on `<-ctx.Done()`, ctx a
 * context.Context parameter of fn: its position in *pos. NONE32 otherwise. */
static uint32_t producer_ctx_send(const facts *f, uint32_t fn, uint32_t *pos) {
    const var_fact *out = returned_chan(f, fn), *ctx = NULL;
    if (!out) return NONE32;
    for (uint32_t k = 0; !ctx; k++) {
        const var_fact *p = param_at(f, fn, k);
        if (!p) return NONE32;
        if (declared_context(f, p)) ctx = p, *pos = k;
    }
    uint32_t send = NONE32;
    for (uint32_t u = next_use(f, out, out->name, out->scope_end); u != NONE32;
         u = next_use(f, out, u, out->scope_end)) {
        use_info ui;
        q_use(f, u, &ui);
        if ((ui.kind == GOLEAK_USE_RETURN && enclosing_func(f, ui.node) == fn) ||
            use_closes(f, &ui))
            continue;
        if (ui.kind != GOLEAK_USE_SEND_ON || f->nodes[ui.node].role != R(COMM)) return NONE32;
        uint32_t lit = enclosing_func(f, ui.node), sel;
        if (lit == fn || !is_goroutine_body(f, lit) || enclosing_func(f, lit) != fn) return NONE32;
        clause_around(f, ui.node, &sel);
        int done = 0;
        for (uint32_t c = sel != NONE32 ? f->nodes[sel].child : NONE32; c != NONE32 && !done;
             c = f->nodes[c].next) {
            uint32_t comm = child_by_role(f, c, R(COMM));
            FOR_KIND_IN(f, N(CALL), d, comm != NONE32 ? f->nodes[comm].first : 1,
                        comm != NONE32 ? f->nodes[comm].last : 0) {
                const call_fact *dc = call_of(f, d);
                done |= dc && dc->recv_first == dc->recv_last && dc->nargs == 0 &&
                        dc->name != NONE32 && tok_is(f, dc->name, "Done") &&
                        resolve(f, dc->recv_first) == ctx;
            }
        }
        if (!done) return NONE32;
        if (send == NONE32) send = ui.node;
    }
    return send;
}

/* Whether context argument arg of a call in function fn is one fn does not
 * cancel when it leaves: fn's own parameter, a package variable, or
 * context.Background() / TODO(). */
static int context_outlives(const facts *f, uint32_t arg, uint32_t fn) {
    uint32_t tok, e = expr_node(f, arg);
    const call_fact *c = e != NONE32 && f->nodes[e].kind == N(CALL) ? call_of(f, e) : NULL;
    if (c)
        return call_is_pkg(f, c, PKG_CONTEXT, "Background") ||
               call_is_pkg(f, c, PKG_CONTEXT, "TODO");
    const var_fact *v = expr_ident(f, arg, &tok) ? resolve(f, tok) : NULL;
    /* a parameter given a derived context first (ctx, cancel :=
     * context.WithCancel(ctx)) is the function's own */
    return v &&
           ((v->flags & VF_PKG) || ((v->flags & VF_PARAM) && v->func == fn &&
                                    !var_set_in(f, v, f->nodes[fn].first, f->nodes[arg].first)));
}

/* Whether channel variable v (in its function) is ranged over: by v's own
 * function, or by a function of the file that v is handed to and that
 * ranges over its parameter for it (a.runOutputs(aggregations)). */
static int ranged_somewhere(const facts *f, const var_fact *v) {
    for (uint32_t u = next_use(f, v, v->name, v->scope_end); u != NONE32;
         u = next_use(f, v, u, v->scope_end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == GOLEAK_USE_RANGE) return 1;
        if (ui.kind != GOLEAK_USE_ARG) continue;
        const call_fact *c = call_of(f, ui.node);
        uint32_t h = c && c->name != NONE32 && c->pkg == PKG_NONE ? find_func(f, c->name) : NONE32;
        const var_fact *p = h != NONE32 ? param_at(f, h, ui.index) : NULL;
        for (uint32_t w = p ? next_use(f, p, p->name, p->scope_end) : NONE32; w != NONE32;
             w = next_use(f, p, w, p->scope_end)) {
            use_info pi;
            q_use(f, w, &pi);
            if (pi.kind == GOLEAK_USE_RANGE) return 1;
        }
    }
    return 0;
}

/* A function of the file that closes a channel parameter at its end
 * (close(out) after its loop) but returns before it on another path, while
 * the channel its callers hand it is ranged over: that range waits for the
 * close forever (telegraf's aggregators returning on a shutdown error). */
static void check_param_close_skipped(goleak_check *chk, const facts *f) {
    uint32_t n;
    const uint32_t *closes = calls_named_text(f, "close", &n);
    for (uint32_t i = 0; i < n; i++) {
        const call_fact *c = &f->calls.data[closes[i]];
        uint32_t arg = c->recv_first == NONE32 && c->nargs == 1 ? call_arg(f, c->node, 0) : NONE32,
                 tok;
        const var_fact *p = arg != NONE32 && expr_ident(f, arg, &tok) ? resolve(f, tok) : NULL;
        uint32_t fn = p ? enclosing_func(f, c->node) : NONE32, parent = f->nodes[c->node].parent;
        if (!p || !(p->flags & VF_PARAM) || p->func != fn || f->nodes[fn].kind != N(FUNC) ||
            f->nodes[fn].key == NONE32 || f->nodes[parent].kind == N(DEFER))
            continue;
        uint32_t st = stmt_of(f, c->node), body = func_body(f, fn);
        if (st == NONE32 || f->nodes[st].parent != body) continue;
        uint32_t at = return_skipping_close(f, body, p);
        if (at == NONE32) continue;
        /* a caller's channel for it that something ranges over */
        uint32_t pos = param_pos(f, fn, (uint32_t)(p - f->vars.data)), nc, ranged = 0;
        const uint32_t *calls = calls_named(f, f->nodes[fn].key, &nc);
        for (uint32_t j = 0; j < nc && pos != NONE32 && !ranged; j++) {
            uint32_t a = call_arg(f, f->calls.data[calls[j]].node, pos), t;
            const var_fact *v = a != NONE32 && expr_ident(f, a, &t) ? resolve(f, t) : NULL;
            ranged = v && v->kind == VK_CHAN && ranged_somewhere(f, v);
        }
        if (!ranged) continue;
        char name[48];
        snippet(f, p->name, p->name, name, sizeof name);
        check_report_node(chk, at,
                          "this return skips `close(%s)` (line %u), and a range over the channel "
                          "the caller hands it waits for that close forever; `defer close(%s)` "
                          "first",
                          name, (unsigned)tok_line(f, f->nodes[c->node].first), name);
    }
}

/* A loop ranging over the channel a producer of the file returns (for v :=
 * range gen(...), or over a variable given gen(...)), that can stop early:
 * the producer's goroutine then blocks on its next send forever. */
static void check_abandoned_ranges(goleak_check *chk, const facts *f) {
    uint32_t checked[32], nchecked = 0;
    FOR_KIND(f, N(RANGE), rg) {
        uint32_t x = child_by_role(f, rg, R(X)), tok;
        if (x == NONE32) continue;
        uint32_t call = expr_node(f, x);
        const var_fact *v = NULL;
        if (call != NONE32 && f->nodes[call].kind != N(CALL)) call = NONE32;
        if (call == NONE32 && expr_ident(f, x, &tok)) {
            v = resolve(f, tok);
            if (v && v->value != NONE32 && v->value_index == 0) call = expr_node(f, v->value);
            if (call != NONE32 && f->nodes[call].kind != N(CALL)) call = NONE32;
            /* var ch <-chan T; ...; ch, err = p.Transfer(zone): the last
             * call assigned to it before the range */
            for (uint32_t u = v && call == NONE32 ? next_use(f, v, v->name, f->nodes[rg].first)
                                                  : NONE32;
                 u != NONE32; u = next_use(f, v, u, f->nodes[rg].first)) {
                use_info ui;
                q_use(f, u, &ui);
                uint32_t rhs = ui.kind == GOLEAK_USE_ASSIGN && ui.index == 0 && ui.node != NONE32 &&
                                       f->nodes[ui.node].kind == N(ASSIGN)
                                   ? nth_child_by_role(f, ui.node, R(RHS), 0)
                                   : NONE32;
                uint32_t e = rhs != NONE32 ? expr_node(f, rhs) : NONE32;
                if (e != NONE32 && f->nodes[e].kind == N(CALL)) call = e;
            }
        }
        const call_fact *c = call != NONE32 ? call_of(f, call) : NULL;
        uint32_t fn = c && c->name != NONE32 ? find_func(f, c->name) : NONE32;
        if (fn == NONE32) continue;
        /* a producer that may not close: once per producer */
        int seen = 0;
        for (uint32_t i = 0; i < nchecked && !seen; i++) seen = checked[i] == fn;
        if (!seen && nchecked < sizeof checked / sizeof *checked) {
            checked[nchecked++] = fn;
            check_producer_close_skipped(chk, f, rg, fn);
        }
        if (!loop_exits_early(f, rg) || (v && drained_elsewhere(f, v, rg))) continue;
        /* an early exit other than on the error item the producer sends last */
        received_vars items;
        receive_binds(f, rg, rg, &items);
        if (sends_last_word_item(f, fn) &&
            loop_exit(f, rg, enclosing_func(f, rg), exit_on_item, &items) == NONE32)
            continue;
        uint32_t send = producer_send_how(f, fn, 0, 1), pos;
        if (send == NONE32 && (send = producer_ctx_send(f, fn, &pos)) != NONE32) {
            /* the send waits on the context: it leaks when the consumer
             * hands on a context it does not cancel as it stops */
            uint32_t arg = call_arg(f, call, pos), outer = enclosing_func(f, rg);
            if (arg == NONE32 || outer == NONE32 || !context_outlives(f, arg, outer)) continue;
            char name[48], cx[48];
            snippet(f, c->name, c->name, name, sizeof name);
            snippet(f, f->nodes[arg].first, f->nodes[arg].last, cx, sizeof cx);
            check_report_node_severity(
                chk, GOLEAK_SEVERITY_WARNING, rg,
                "this loop can stop before `%s` has sent its last value, and its goroutine then "
                "waits on its send at line %u until `%s` is done, which this function does not "
                "cancel; derive a context (context.WithCancel) for the call and cancel it when "
                "the loop stops",
                name, (unsigned)tok_line(f, f->nodes[send].first), cx);
            continue;
        }
        if (send == NONE32) continue;
        /* in a test, a loop left only once the test has failed */
        failure_note note =
            after_failure(in_test_code(f, rg) && loop_exit(f, rg, enclosing_func(f, rg),
                                                           exit_after_failure, NULL) == NONE32);
        char name[48];
        snippet(f, c->name, c->name, name, sizeof name);
        check_report_node_severity(
            chk, note.severity, rg,
            "this loop can stop before `%s` has sent its last value, and the goroutine of `%s` "
            "then blocks forever on its send at line %u%s; drain the channel, or give `%s` a "
            "context (or done channel) its send can select on",
            name, name, (unsigned)tok_line(f, f->nodes[send].first), note.note, name);
    }
}

/* ---- a field channel received only by one-shot polls ---- */

/* The select clause (COMM) around node n, NONE32; *sel its parent (the
 * select), NONE32 without a clause. */
static uint32_t clause_around(const facts *f, uint32_t n, uint32_t *sel) {
    uint32_t comm = n;
    while (comm != NONE32 && f->nodes[comm].kind != N(COMM)) comm = f->nodes[comm].parent;
    *sel = comm != NONE32 ? f->nodes[comm].parent : NONE32;
    return comm;
}

/* The select around node n (n in a case's operation) when it has a
 * default clause: a poll that receives only if a sender already waits. */
static uint32_t polling_select(const facts *f, uint32_t n) {
    uint32_t sel;
    clause_around(f, n, &sel);
    if (sel == NONE32 || f->nodes[sel].kind != N(SELECT)) return NONE32;
    for (uint32_t c = f->nodes[sel].child; c != NONE32; c = f->nodes[c].next)
        if (f->nodes[c].kind == N(COMM) && (f->nodes[c].flags & GOLEAK_NODE_FLAG_DEFAULT))
            return sel;
    return NONE32;
}

/* The select around receive r when another of its cases can be taken
 * instead (case <-ctx.Done(): return ...): outside a loop, the receiver
 * then leaves without receiving. NONE32 otherwise. */
static uint32_t giving_up_select(const facts *f, uint32_t r) {
    uint32_t sel, comm = clause_around(f, r, &sel);
    if (sel == NONE32 || f->nodes[sel].kind != N(SELECT)) return NONE32;
    for (uint32_t c = f->nodes[sel].child; c != NONE32; c = f->nodes[c].next)
        if (c != comm && f->nodes[c].kind == N(COMM)) return sel;
    return NONE32;
}

/* What the package does with an unbuffered channel field, by its name. */
typedef struct field_traffic {
    const facts *f;
    field_spelling fs;
    uint32_t poll;            /* the first one-shot poll receiving it (a select with a default,
                               * outside loops), NONE32 */
    uint32_t give_up;         /* the first select receiving it, outside loops, whose other case
                               * returns (a requester giving up), NONE32 */
    uint32_t waits;           /* receives that are neither (plain ones, in loops...) */
    uint32_t served;          /* ... of which in a loop's select, the loop having a way out */
    uint32_t loop, loop_exit; /* the first such loop and its way out */
} field_traffic;

/* loop_exit's filter: an exit in a select case that receives from the
 * field named like token *ctx (case <-w.stop: return): the loop ends by
 * taking a value of that field, not before it. */
static int exit_on_field(const facts *f, uint32_t exit, const void *ctx) {
    uint32_t field = *(const uint32_t *)ctx;
    for (uint32_t p = f->nodes[exit].parent; p != NONE32; p = f->nodes[p].parent) {
        int k = f->nodes[p].kind;
        if (k == N(FUNCLIT) || k == N(FUNC)) break;
        uint32_t op = k == N(COMM) ? child_by_role(f, p, R(COMM)) : NONE32;
        if (op == NONE32) continue;
        FOR_KIND_IN(f, N(RECV), r, f->nodes[op].first, f->nodes[op].last) {
            if (tok_same(f, f->nodes[r].last, field)) return 1;
        }
    }
    return 0;
}

/* field_spelling_scan's receive visitor: sorts the receives into ft. */
static void sort_receive(void *ctx, uint32_t r) {
    field_traffic *ft = ctx;
    const facts *f = ft->f;
    uint32_t sel;
    if (!in_select_case(f, r))
        ft->waits++;
    else if ((sel = polling_select(f, r)) != NONE32 && loop_around(f, sel) == NONE32)
        ft->poll = ft->poll == NONE32 ? sel : ft->poll;
    else if ((sel = giving_up_select(f, r)) != NONE32 && loop_around(f, sel) == NONE32)
        ft->give_up = ft->give_up == NONE32 ? sel : ft->give_up;
    else {
        ft->waits++;
        /* a serving loop's select that another case can end (case <-stop: return) */
        clause_around(f, r, &sel);
        uint32_t lp = sel != NONE32 ? loop_around(f, sel) : NONE32;
        uint32_t exit =
            lp != NONE32 ? loop_exit(f, lp, enclosing_func(f, lp), exit_on_field, &f->nodes[r].last)
                         : NONE32;
        if (exit != NONE32) {
            ft->served++;
            if (ft->loop == NONE32) ft->loop = lp, ft->loop_exit = exit;
        }
    }
}

/* Whether field name token t is a channel field that the package declares
 * and makes unbuffered only (make(chan T)), and otherwise only sends on
 * and receives from in this file: nothing else spells it (no close, range,
 * hand-off), and the other files of the package at most declare or make
 * it. *ft says how it is received. */
static int field_only_talks(goleak_check *chk, const facts *f, uint32_t t, field_traffic *ft) {
    ft->f = f;
    ft->poll = ft->give_up = ft->loop = ft->loop_exit = NONE32;
    ft->waits = ft->served = 0;
    field_spelling_scan(f, t, &ft->fs, sort_receive, ft);
    /* another file may declare and make it (a constructor), nothing more */
    return !ft->fs.other && !ft->fs.ranges && field_spelling_package(chk, f, t, &ft->fs) &&
           !ft->fs.buffered && ft->fs.declared && ft->fs.makes;
}

/* Whether the receiver that may give up waits on a channel made for it
 * alone: the function that makes the field (req := request{reply:
 * make(chan T)}) selects on it, or starts the goroutine method that does.
 * A field made once for a long-lived struct has later receivers instead.
 * When that function makes it by x.f = make(...) and starts goroutines,
 * their sends are check_field_sender's. */
static int per_request(const facts *f, const field_traffic *ft) {
    uint32_t fn = ft->fs.made_in, waiter = enclosing_func(f, ft->give_up);
    if (fn == NONE32 || waiter == NONE32) return 0;
    if (waiter != fn) {
        /* or the struct's own goroutine, which the function that makes
         * the field starts (wc := &watchChan{errc: make(...)}; go wc.run()) */
        FOR_KIND_IN(f, N(GO), g, f->nodes[fn].first, f->nodes[fn].last) {
            if (enclosing_func(f, g) == fn && goroutine_func(f, g) == waiter) return 1;
        }
        return 0;
    }
    if (!ft->fs.assigned) return 1;
    FOR_KIND_IN(f, N(GO), g, f->nodes[fn].first, f->nodes[fn].last) {
        return 0;
    }
    return 1;
}

/* A send, not in a select, on an unbuffered field channel of the file
 * whose receivers may not be there: received only by one-shot polls (a
 * select with a default takes it unless the send already waits), by
 * nobody (from a goroutine), or by a select whose other case returns (a
 * requester that gave up on its reply: req.reply <- resp then blocks the
 * sender for good). */
static void check_unreceived_fields(goleak_check *chk, const facts *f) {
    /* per field of the file (by name): 0 not asked, 1 talks only, 2 not;
     * what it was found to do in ft[] */
    uint8_t *state = NULL;
    field_traffic *fts = NULL;
    FOR_KIND(f, N(SEND), send) {
        uint32_t fn = enclosing_func(f, send), ch = child_by_role(f, send, R(CHAN));
        if (f->nodes[send].role == R(COMM) || ch == NONE32 || fn == NONE32) continue;
        uint32_t a = f->nodes[ch].first, b = f->nodes[ch].last;
        if (b < a + 2 || !name_chain(f, a, b)) continue;
        const field_fact *ff = find_field(f, b);
        if (!ff) continue; /* a field the file does not declare */
        uint32_t k = (uint32_t)(ff - f->fields.data);
        if (!state) {
            state = gl_calloc(f->alloc, f->fields.len);
            fts = gl_malloc(f->alloc, (size_t)f->fields.len * sizeof *fts);
            if (!state || !fts) {
                *f->oom = 1;
                break;
            }
        }
        if (state[k] == 0) state[k] = field_only_talks(chk, f, b, &fts[k]) ? 1 : 2;
        if (state[k] != 1 || once_per_process(f, top_func(f, send), 0, 0)) continue;
        const field_traffic ft = fts[k];
        int task = f->nodes[fn].kind == N(FUNCLIT) && is_task_body(f, fn);
        char name[64];
        snippet(f, a, b, name, sizeof name);
        if (ft.waits > 0 && ft.waits == ft.served && ft.poll == NONE32 && ft.give_up == NONE32 &&
            enclosing_func(f, ft.loop) != fn) {
            /* only a serving loop receives it, and that loop can end */
            /* a warning: it blocks only once the loop has ended */
            check_report_node_severity(
                chk, GOLEAK_SEVERITY_WARNING, send,
                "unbuffered `%s` is received only by the loop at line %u, which can end "
                "(line %u): a send after it has ended blocks forever; select on the send and "
                "a channel closed when the loop ends",
                name, (unsigned)tok_line(f, f->nodes[ft.loop].first),
                (unsigned)tok_line(f, f->nodes[ft.loop_exit].first));
            continue;
        }
        if (ft.waits > 0) continue; /* someone waits for it to the end */
        if (ft.give_up != NONE32 && !per_request(f, &ft)) continue;
        if (ft.give_up != NONE32)
            check_report_node(chk, send,
                              "`%s` is unbuffered, and its receiver may give up (the select at "
                              "line %u can take another case, and receives it nowhere else): "
                              "this send then blocks forever; select on the send and a done "
                              "channel too, or make the channel buffered (make(chan T, 1))",
                              name, (unsigned)tok_line(f, f->nodes[ft.give_up].first));
        else if (!task)
            continue;
        else if (ft.poll == NONE32)
            check_report_node(chk, send,
                              "this goroutine sends on unbuffered `%s`, which nothing receives: "
                              "it blocks forever; receive it, or make the channel buffered "
                              "(make(chan T, 1))",
                              name);
        else
            check_report_node(chk, send,
                              "unbuffered `%s` is received only by a select with a default "
                              "(line %u), which takes the default unless this send already "
                              "waits: the send then blocks forever; make the channel buffered "
                              "(make(chan T, 1))",
                              name, (unsigned)tok_line(f, f->nodes[ft.poll].first));
    }
    gl_free(f->alloc, state);
    gl_free(f->alloc, fts);
}

/* ---- a reply channel made as a local of the requester ---- */

/* The requester's local that every keyed literal of field token t gives
 * the field (req := rpc{RespChan: respCh}, respCh := make(chan T) in the
 * same function, unbuffered), when that local is otherwise received only
 * by selects, outside loops, that can take another case (a timeout):
 * the first such select, with *local the variable. NONE32 otherwise. */
static uint32_t reply_local_given_up(const facts *f, uint32_t t, const var_fact **local) {
    uint32_t n, ntok = f->u->toks.len, give_up = NONE32;
    const uint32_t *at = idents_named(f, t, &n);
    *local = NULL;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = at[i];
        if (x == 0 || x + 3 >= ntok || f->toks[x + 1].kind != T(COLON)) continue;
        int prev = f->toks[x - 1].kind, next = f->toks[x + 3].kind;
        if (prev != T(LBRACE) && prev != T(COMMA)) continue;
        const var_fact *v =
            f->toks[x + 2].kind == T(IDENT) && (next == T(COMMA) || next == T(RBRACE))
                ? resolve(f, x + 2)
                : NULL;
        if (!v || v->kind != VK_CHAN || !(v->flags & VF_MADE) || v->chan_cap != 0 ||
            v->func == NONE32 || (*local && v != *local))
            return NONE32;
        *local = v;
    }
    if (!*local) return NONE32;
    const var_fact *v = *local;
    for (uint32_t u = next_use(f, v, v->name, v->scope_end); u != NONE32;
         u = next_use(f, v, u, v->scope_end)) {
        if (u >= 2 && f->toks[u - 1].kind == T(COLON) && f->toks[u - 2].hash == f->toks[t].hash &&
            tok_same(f, u - 2, t))
            continue; /* the literal's key */
        use_info ui;
        q_use(f, u, &ui);
        uint32_t sel = ui.kind == GOLEAK_USE_RECEIVE ? giving_up_select(f, ui.node) : NONE32;
        if (sel == NONE32 || loop_around(f, sel) != NONE32 || enclosing_func(f, sel) != v->func)
            return NONE32;
        if (give_up == NONE32) give_up = sel;
    }
    return give_up;
}

/* x.F <- v, not in a select, where F is an unbuffered reply channel that
 * each request carries from a local of its requester, which may stop
 * waiting for it (select { case r := <-respCh: ...; case <-time.After(d):
 * return }): once it has, the send blocks the responder for good (raft's
 * in-memory transport). */
static void check_abandoned_reply_locals(goleak_check *chk, const facts *f) {
    uint32_t last_field = NONE32;
    FOR_KIND(f, N(SEND), send) {
        uint32_t ch = child_by_role(f, send, R(CHAN));
        if (f->nodes[send].role == R(COMM) || ch == NONE32) continue;
        uint32_t a = f->nodes[ch].first, b = f->nodes[ch].last;
        if (b < a + 2 || !name_chain(f, a, b) || !find_field(f, b)) continue;
        if (last_field != NONE32 && tok_same(f, last_field, b)) continue; /* once per field */
        const var_fact *local;
        uint32_t sel = reply_local_given_up(f, b, &local);
        if (sel == NONE32) continue;
        last_field = b;
        char name[64], lname[48];
        snippet(f, a, b, name, sizeof name);
        snippet(f, local->name, local->name, lname, sizeof lname);
        check_report_node(chk, send,
                          "`%s` is the unbuffered `%s` of its requester, whose select at line %u "
                          "can take another case and stop waiting for it: this send then blocks "
                          "forever; make `%s` buffered (make(chan T, 1)), or select on the send "
                          "and a done channel",
                          name, lname, (unsigned)tok_line(f, f->nodes[sel].first), lname);
    }
}

/* ---- a reply channel parked in a map of pending requests ---- */

/* The field name token F of a value read from a map field (ch, ok :=
 * c.pending[id], or ch := c.pending[id]): NONE32 otherwise. */
static uint32_t map_field_read(const facts *f, const var_fact *w) {
    if (w->value == NONE32) return NONE32;
    uint32_t a = f->nodes[w->value].first, b = f->nodes[w->value].last;
    uint32_t open = NONE32;
    for (uint32_t t = a; t <= b && open == NONE32; t++)
        if (f->toks[t].kind == T(LBRACK)) open = t;
    if (open == NONE32 || open < a + 2 || f->toks[b].kind != T(RBRACK) ||
        !name_chain(f, a, open - 1))
        return NONE32;
    return open - 1;
}

/* Whether a select clause (COMM) holds a delete of a map field named like
 * token field (delete(c.pending, id): the timed-out request withdrawn). */
static int clause_deletes(const facts *f, uint32_t clause, uint32_t field) {
    FOR_KIND_IN(f, N(CALL), c, f->nodes[clause].first, f->nodes[clause].last) {
        const call_fact *cf = call_of(f, c);
        uint32_t m = cf && call_is_func(f, cf, "delete") ? call_arg(f, c, 0) : NONE32;
        if (m != NONE32 && tok_same(f, f->nodes[m].last, field)) return 1;
    }
    return 0;
}

/* ch <- f, not in a select, on a channel read from a map of pending
 * requests (ch, ok := c.pending[id]), when the requester parks an
 * unbuffered local there (c.pending[id] = ch) and receives it only in a
 * select that can take another case without withdrawing the entry (a
 * timeout): a reply that comes late blocks the responder for good. */
static void check_abandoned_map_replies(goleak_check *chk, const facts *f) {
    FOR_KIND(f, N(SEND), send) {
        uint32_t chn = child_by_role(f, send, R(CHAN)), tok;
        const var_fact *w =
            f->nodes[send].role != R(COMM) && chn != NONE32 && expr_ident(f, chn, &tok)
                ? resolve(f, tok)
                : NULL;
        uint32_t field = w ? map_field_read(f, w) : NONE32;
        if (field == NONE32) continue;
        /* the requester: fieldX.F[k] = ch, ch a local made unbuffered */
        uint32_t n, give_up = NONE32;
        int bad = 0;
        const uint32_t *at = idents_named(f, field, &n);
        for (uint32_t i = 0; i < n && !bad; i++) {
            uint32_t x = at[i];
            if (x + 1 >= f->u->toks.len || f->toks[x + 1].kind != T(LBRACK)) continue;
            uint32_t as = node_at(f, x);
            while (as != NONE32 && f->nodes[as].kind != N(ASSIGN)) as = f->nodes[as].parent;
            uint32_t lhs = as != NONE32 ? nth_child_by_role(f, as, R(LHS), 0) : NONE32;
            uint32_t rhs = as != NONE32 ? nth_child_by_role(f, as, R(RHS), 0) : NONE32;
            if (lhs == NONE32 || rhs == NONE32 || x < f->nodes[lhs].first || x > f->nodes[lhs].last)
                continue;
            const var_fact *ch = expr_ident(f, rhs, &tok) ? resolve(f, tok) : NULL;
            if (!ch || ch->kind != VK_CHAN || !(ch->flags & VF_MADE) || ch->chan_cap != 0) {
                bad = 1;
                break;
            }
            for (uint32_t u = next_use(f, ch, ch->name, ch->scope_end); u != NONE32;
                 u = next_use(f, ch, u, ch->scope_end)) {
                use_info ui;
                q_use(f, u, &ui);
                if (ui.kind != GOLEAK_USE_RECEIVE) continue;
                uint32_t sel = giving_up_select(f, ui.node), clause = NONE32;
                if (sel == NONE32 || loop_around(f, sel) != NONE32) {
                    bad = 1;
                    break;
                }
                /* every other case that returns must leave the entry behind */
                for (uint32_t c = f->nodes[sel].child; c != NONE32; c = f->nodes[c].next)
                    if (f->nodes[c].kind == N(COMM) && !node_within(f, ui.node, c) &&
                        !clause_deletes(f, c, field))
                        clause = c;
                if (clause != NONE32 && give_up == NONE32) give_up = sel;
            }
        }
        if (bad || give_up == NONE32) continue;
        char name[48], fname[48];
        snippet(f, w->name, w->name, name, sizeof name);
        snippet(f, field, field, fname, sizeof fname);
        check_report_node(chk, send,
                          "`%s` is a requester's unbuffered reply channel parked in `%s`, and the "
                          "select at line %u can give up on it (a timeout) without withdrawing "
                          "it: a late reply then blocks this send forever; make the reply "
                          "channel buffered (make(chan T, 1)), or delete the entry when giving up",
                          name, fname, (unsigned)tok_line(f, f->nodes[give_up].first));
    }
}

/* ---- a wait for a field channel its one sender can skip ---- */

/* The send statement on x.f (x: variable v) that use token u of v starts,
 * NONE32. */
static uint32_t field_send_at(const facts *f, uint32_t u, uint32_t field) {
    if (u + 3 >= f->u->toks.len || f->toks[u + 1].kind != T(PERIOD) || !tok_same(f, u + 2, field))
        return NONE32;
    uint32_t s = node_at(f, u + 3);
    if (s == NONE32 || f->nodes[s].kind != N(SEND)) return NONE32;
    uint32_t ch = child_by_role(f, s, R(CHAN));
    return ch != NONE32 && f->nodes[ch].first == u && f->nodes[ch].last == u + 2 ? s : NONE32;
}

/* The walk's release: the method sends on the field (rv.f <- v). */
static int sends_field(const release_query *q, uint32_t use) {
    return field_send_at(q->f, use, *(const uint32_t *)q->ctx) != NONE32;
}

/* The receives of a field: the first that waits once (a plain receive
 * outside loops), and whether any other kind is seen. */
typedef struct single_wait {
    const facts *f;
    uint32_t wait;
    int other;
} single_wait;

static void note_single_wait(void *ctx, uint32_t r) {
    single_wait *sw = ctx;
    if (in_select_case(sw->f, r) || loop_around(sw->f, r) != NONE32)
        sw->other = 1;
    else if (sw->wait == NONE32)
        sw->wait = r;
}

/* A goroutine method S (go a.runWait(...)) that alone sends on a field
 * channel of its receiver (a.statusCh <- s), once, and can return without
 * sending, while the package waits for that field once, outside any
 * select or loop: after such a return the wait never ends. */
static void check_field_signal_skipped(goleak_check *chk, const facts *f) {
    uint8_t *seen = NULL; /* per FUNC: looked at */
    FOR_KIND(f, N(GO), g) {
        uint32_t fn = goroutine_func(f, g);
        if (fn == NONE32 || f->nodes[fn].kind != N(FUNC)) continue;
        if (!seen && !(seen = gl_calloc(f->alloc, f->by_kind[N(FUNC)].len))) {
            *f->oom = 1;
            break;
        }
        uint32_t k = kind_lower_bound(f, N(FUNC), f->nodes[fn].first);
        if (seen[k]) continue;
        seen[k] = 1;
        const var_fact *rv = receiver_var(f, fn);
        uint32_t body = func_body(f, fn);
        if (!rv || body == NONE32) continue;
        /* its one send on a field of its receiver, not in a loop or a select */
        uint32_t send = NONE32, field = NONE32, nsends = 0;
        uint32_t a = f->nodes[fn].first, b = f->nodes[fn].last;
        for (uint32_t u = first_use_in(f, rv, a, b); u != NONE32; u = next_use(f, rv, u, b)) {
            uint32_t s = f->toks[u + 1].kind == T(PERIOD) ? field_send_at(f, u, u + 2) : NONE32;
            if (s == NONE32) continue;
            if (field != NONE32 && !tok_same(f, field, u + 2)) {
                field = NONE32; /* two fields: not followed */
                break;
            }
            field = u + 2, send = s, nsends++;
        }
        if (field == NONE32 || nsends != 1 || f->nodes[send].role == R(COMM) ||
            loop_around(f, send) != NONE32 || enclosing_func(f, send) != fn)
            continue;
        field_spelling fs;
        single_wait sw = {f, NONE32, 0};
        field_spelling_scan(f, field, &fs, note_single_wait, &sw);
        if (fs.other || fs.ranges || !fs.declared || !fs.makes || fs.sends != 1 || sw.other ||
            sw.wait == NONE32 || other_files_spell(chk, f, field))
            continue;
        release_query q = var_walk(f, &field, rv, sends_field);
        uint32_t at = NONE32;
        int leak = release_check_body(&q, body, &at);
        if (leak != LEAK_RETURN || at == NONE32 || *f->oom) continue;
        char name[64], method[64];
        snippet(f, f->nodes[sw.wait].first + 1, f->nodes[sw.wait].last, name, sizeof name);
        snippet(f, f->nodes[fn].key, f->nodes[fn].key, method, sizeof method);
        check_report_node(chk, sw.wait,
                          "`%s` is sent on only by `%s` (started at line %u), which can return "
                          "(line %u) without sending: this receive then waits forever; send on "
                          "every path of `%s` (the error too), or close the channel",
                          name, method, (unsigned)tok_line(f, f->nodes[g].first),
                          (unsigned)tok_line(f, f->nodes[at].first), method);
    }
    gl_free(f->alloc, seen);
}

/* ---- a ready channel that a method started in a goroutine closes on
 * success only ---- */

/* What the walk of a method M asks: does a statement signal x.F, the
 * receiver's field F (close(x.F), x.F <- v), itself or through a method
 * of the file M calls on its receiver that does? */
typedef struct ready_walk {
    const var_fact *rv;
    uint32_t field;
} ready_walk;

/* Whether tokens [a, b] are recv.F for a variable resolving to rv. */
static int is_field_of(const facts *f, uint32_t a, uint32_t b, const var_fact *rv, uint32_t field) {
    return b == a + 2 && f->toks[a + 1].kind == T(PERIOD) && tok_same(f, b, field) &&
           resolve(f, a) == rv;
}

/* Whether function fn's own statements signal field `field` of its
 * receiver (a close or a send). */
static int method_signals_field(const facts *f, uint32_t fn, uint32_t field) {
    const var_fact *rv = receiver_var(f, fn);
    if (!rv) return 0;
    uint32_t a = f->nodes[fn].first, b = f->nodes[fn].last;
    FOR_KIND_IN(f, N(SEND), s, a, b) {
        uint32_t ch = child_by_role(f, s, R(CHAN));
        if (ch != NONE32 && is_field_of(f, f->nodes[ch].first, f->nodes[ch].last, rv, field))
            return 1;
    }
    FOR_KIND_IN(f, N(CALL), c, a, b) {
        const call_fact *cf = call_of(f, c);
        uint32_t arg = cf && call_is_func(f, cf, "close") ? call_arg(f, c, 0) : NONE32;
        if (arg != NONE32 && is_field_of(f, f->nodes[arg].first, f->nodes[arg].last, rv, field))
            return 1;
    }
    return 0;
}

/* The walk's release: close(rv.F), or a call rv.N() of a method of the
 * file that signals F. */
static int call_signals_field(const release_query *q, uint32_t call) {
    const facts *f = q->f;
    const ready_walk *rw = q->ctx;
    const call_fact *c = call_of(f, call);
    if (!c || c->name == NONE32) return 0;
    uint32_t arg = call_is_func(f, c, "close") ? call_arg(f, call, 0) : NONE32;
    if (arg != NONE32)
        return is_field_of(f, f->nodes[arg].first, f->nodes[arg].last, rw->rv, rw->field);
    if (c->recv_first == NONE32 || c->recv_first != c->recv_last ||
        resolve(f, c->recv_first) != rw->rv)
        return 0;
    uint32_t m = find_func(f, c->name);
    return m != NONE32 && method_signals_field(f, m, rw->field);
}

/* The walk's release by a plain statement: rv.F <- v. */
static int stmt_signals_field(const release_query *q, uint32_t stmt) {
    const facts *f = q->f;
    const ready_walk *rw = q->ctx;
    if (f->nodes[stmt].kind != N(SEND)) return 0;
    uint32_t ch = child_by_role(f, stmt, R(CHAN));
    return ch != NONE32 && is_field_of(f, f->nodes[ch].first, f->nodes[ch].last, rw->rv, rw->field);
}

/* The method of the file that go statement g runs on variable x (go
 * x.Run(), or go func() { ... x.Run() ... }() calling it as a plain
 * statement): NONE32. */
static uint32_t goroutine_method_on(const facts *f, uint32_t g, const var_fact *x) {
    uint32_t a = f->nodes[g].first, b = f->nodes[g].last;
    FOR_KIND_IN(f, N(CALL), c, a, b) {
        const call_fact *cf = call_of(f, c);
        if (!cf || cf->name == NONE32 || cf->recv_first == NONE32 ||
            cf->recv_first != cf->recv_last || resolve(f, cf->recv_first) != x)
            continue;
        uint32_t m = find_func(f, cf->name);
        if (m != NONE32 && receiver_var(f, m)) return m;
    }
    return NONE32;
}

/* Whether every close of and send on a field spelled like `field` in the
 * file is in method m or a method m calls on its receiver that signals it
 * (the goroutine's method is the only one to signal it). */
static int only_method_signals(const facts *f, uint32_t m, uint32_t field) {
    uint32_t n;
    const uint32_t *at = idents_named(f, field, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = at[i];
        if (t < 2 || f->toks[t - 1].kind != T(PERIOD)) continue;
        int signal = (t + 1 < f->u->toks.len && f->toks[t + 1].kind == T(ARROW) &&
                      (t < 3 || f->toks[t - 3].kind != T(ARROW))) ||
                     (t >= 4 && f->toks[t - 3].kind == T(LPAREN) && tok_is(f, t - 4, "close"));
        if (!signal) continue;
        uint32_t fn = top_func(f, node_at(f, t));
        if (fn == NONE32) return 0;
        if (fn == m) continue;
        /* a method m calls on its receiver */
        const var_fact *rv = receiver_var(f, m);
        int called = 0;
        FOR_KIND_IN(f, N(CALL), c, f->nodes[m].first, f->nodes[m].last) {
            const call_fact *cf = call_of(f, c);
            if (cf && cf->name != NONE32 && cf->recv_first != NONE32 &&
                cf->recv_first == cf->recv_last && resolve(f, cf->recv_first) == rv &&
                find_func(f, cf->name) == fn)
                called = 1;
        }
        if (!called) return 0;
    }
    return 1;
}

/* A wait `<-x.Ready` (plain: not in a select, not in a loop) for a field
 * of x that a method of the file, started on x in a goroutine before the
 * wait (go func() { x.ForwardPorts() }()), alone closes or sends on,
 * itself or through a method it calls on its receiver, when a path of
 * that method returns without doing so (a dial error before the close):
 * the wait then never ends. */
static void check_ready_never_signalled(goleak_check *chk, const facts *f) {
    FOR_KIND(f, N(RECV), r) {
        uint32_t a = f->nodes[r].first + 1, b = f->nodes[r].last;
        if (b != a + 2 || !name_chain(f, a, b) || in_select_case(f, r) ||
            loop_around(f, r) != NONE32)
            continue;
        const var_fact *x = resolve(f, a);
        uint32_t s = enclosing_func(f, r);
        if (!x || s == NONE32 || x->func != s) continue;
        FOR_KIND_IN(f, N(GO), g, f->nodes[s].first, f->nodes[r].first) {
            if (enclosing_func(f, g) != s || loop_around(f, g) != NONE32) continue;
            uint32_t m = goroutine_method_on(f, g, x);
            if (m == NONE32 || !only_method_signals(f, m, b)) continue;
            const var_fact *rv = receiver_var(f, m);
            uint32_t body = func_body(f, m);
            if (!rv || body == NONE32) continue;
            /* the method signals it on some path */
            ready_walk rw = {rv, b};
            int any = method_signals_field(f, m, b);
            FOR_KIND_IN(f, N(CALL), c, f->nodes[m].first, f->nodes[m].last) {
                if (any) break;
                release_query q0 = {.f = f, .ctx = &rw};
                any = call_signals_field(&q0, c);
            }
            if (!any) continue;
            release_query q = {.f = f,
                               .is_release = call_signals_field,
                               .ctx = &rw,
                               .loop = NONE32,
                               .cond = NONE32,
                               .stmt_hands_off = stmt_signals_field};
            uint32_t at = NONE32;
            if (release_check_body(&q, body, &at) != LEAK_RETURN || at == NONE32 || *f->oom)
                continue;
            char name[64], method[64];
            snippet(f, a, b, name, sizeof name);
            snippet(f, f->nodes[m].key, f->nodes[m].key, method, sizeof method);
            check_report_node(chk, r,
                              "`%s` is closed or sent on only by `%s` (started at line %u), "
                              "which can return (line %u) without doing so: this receive then "
                              "waits forever; wait in a select with the goroutine's error (or "
                              "its end), or signal on every path",
                              name, method, (unsigned)tok_line(f, f->nodes[g].first),
                              (unsigned)tok_line(f, f->nodes[at].first));
            break;
        }
    }
}

/* ---- a signal left to a callback that a failed call never runs ---- */

/* The field channel a call of function literal lit's own statements closes
 * (close(c.notify)), itself or through a method of the file it calls
 * (r.computeChecksumDone(id), which closes c.notify): the field's name
 * token, NONE32. */
static uint32_t callback_closes_field(const facts *f, uint32_t lit) {
    FOR_KIND_IN(f, N(CALL), c, f->nodes[lit].first, f->nodes[lit].last) {
        const call_fact *cf = call_of(f, c);
        if (!cf || cf->name == NONE32) continue;
        uint32_t body = NONE32;
        if (call_is_func(f, cf, "close")) {
            uint32_t arg = call_arg(f, c, 0);
            uint32_t a = arg != NONE32 ? f->nodes[arg].first : 0,
                     b = arg != NONE32 ? f->nodes[arg].last : 0;
            if (arg != NONE32 && b >= a + 2 && name_chain(f, a, b)) return b;
            continue;
        }
        if (cf->recv_first == NONE32 || cf->pkg != PKG_NONE) continue;
        uint32_t m = find_func(f, cf->name);
        body = m != NONE32 ? func_body(f, m) : NONE32;
        if (body == NONE32 || m == lit) continue;
        FOR_KIND_IN(f, N(CALL), d, f->nodes[body].first, f->nodes[body].last) {
            const call_fact *df = call_of(f, d);
            uint32_t arg = df && call_is_func(f, df, "close") ? call_arg(f, d, 0) : NONE32;
            if (arg == NONE32) continue;
            uint32_t a = f->nodes[arg].first, b = f->nodes[arg].last;
            if (b >= a + 2 && name_chain(f, a, b)) return b;
        }
    }
    return NONE32;
}

/* A plain receive (not in a select) from a field spelled like token
 * `field` in the file: someone waits for the close. NONE32. */
static uint32_t field_waiter(const facts *f, uint32_t field) {
    uint32_t n;
    const uint32_t *at = idents_named(f, field, &n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = at[i];
        if (t < 3 || f->toks[t - 1].kind != T(PERIOD)) continue;
        uint32_t r = node_at(f, t);
        while (r != NONE32 && f->nodes[r].kind != N(RECV) && f->nodes[r].last == t)
            r = f->nodes[r].parent;
        if (r != NONE32 && f->nodes[r].kind == N(RECV) && f->nodes[r].last == t &&
            !in_select_case(f, r))
            return r;
    }
    return NONE32;
}

/* A function literal handed to a call that returns an error
 * (stopper.RunAsyncTask(func() { ... r.done(id) ... })), which closes a
 * field channel that the file waits on with a plain receive: when the call
 * fails (its `if err != nil` branch), the callback never runs, and unless
 * that branch closes the channel too, the wait never ends. */
static void check_callback_close_skipped(goleak_check *chk, const facts *f) {
    FOR_KIND(f, N(FUNCLIT), lit) {
        uint32_t arg = f->nodes[lit].parent;
        if (arg == NONE32 || f->nodes[arg].role != R(ARG)) continue;
        uint32_t call = f->nodes[arg].parent;
        if (call == NONE32 || f->nodes[call].kind != N(CALL)) continue;
        uint32_t body = error_branch(f, call);
        if (body == NONE32) continue;
        uint32_t field = callback_closes_field(f, lit);
        if (field == NONE32) continue;
        /* the error branch signals too, or leaves the process */
        int covered = 0;
        FOR_KIND_IN(f, N(CALL), c, f->nodes[body].first, f->nodes[body].last) {
            const call_fact *cf = call_of(f, c);
            if (!cf || cf->name == NONE32) continue;
            if (call_ends_process(f, cf)) covered = 1;
            FOR_KIND_IN(f, N(CALL), d, f->nodes[lit].first, f->nodes[lit].last) {
                const call_fact *df = call_of(f, d);
                if (df && df->name != NONE32 && tok_same(f, df->name, cf->name)) covered = 1;
            }
        }
        if (covered) continue;
        uint32_t wait = field_waiter(f, field);
        if (wait == NONE32) continue;
        const call_fact *c = call_of(f, call);
        char name[64], ch[48], fn[48];
        snippet(f, f->nodes[call].first, c && c->name != NONE32 ? c->name : f->nodes[call].first,
                name, sizeof name);
        snippet(f, field, field, ch, sizeof ch);
        check_report_node(chk, call,
                          "when `%s()` fails (line %u), the callback it was given never runs, "
                          "and nothing closes `.%s`, which %s waits on (line %u): that receive "
                          "waits forever; close it (or run the callback's work) in the error "
                          "branch",
                          name, (unsigned)tok_line(f, f->nodes[body].first), ch,
                          func_name(f, wait, fn, sizeof fn),
                          (unsigned)tok_line(f, f->nodes[wait].first));
    }
}

/* ---- a one-shot producer whose caller may not take its value ---- */

/* How call `call` of a one-shot producer takes its channel: 1 when it can
 * leave without receiving (the only receives are in a select, outside
 * loops, that can take another case; or none at all, the channel dropped),
 * with *at the select or the call; 0 when something receives it surely or
 * the channel goes elsewhere. */
static int caller_may_skip(const facts *f, uint32_t call, uint32_t *at) {
    *at = call;
    uint32_t e = f->nodes[call].parent;
    uint32_t p = e != NONE32 && f->nodes[e].kind == N(EXPR) ? f->nodes[e].parent : NONE32;
    if (p != NONE32 && f->nodes[p].kind == N(RECV)) {
        /* select { case err := <-run(f): ... case <-time.After(d): ... } */
        uint32_t sel = in_select_case(f, p) ? giving_up_select(f, p) : NONE32;
        if (sel == NONE32 || loop_around(f, sel) != NONE32) return 0;
        *at = sel;
        return 1;
    }
    if (p != NONE32 && f->nodes[p].kind == N(EXPRSTMT)) return 1; /* run(f): dropped */
    value_target t;
    q_value_target(f, call, 0, &t);
    if (t.kind == GOLEAK_TARGET_BLANK) return 1;
    if (t.kind != GOLEAK_TARGET_VAR || t.first != t.last) return 0;
    const var_fact *v = resolve(f, t.first);
    if (!v) return 0;
    uint32_t end = v->scope_end, skips = 0;
    for (uint32_t u = next_use(f, v, v->name, end); u != NONE32; u = next_use(f, v, u, end)) {
        use_info ui;
        q_use(f, u, &ui);
        if (ui.kind == -1) continue;
        uint32_t sel = ui.kind == GOLEAK_USE_RECEIVE && in_select_case(f, ui.node)
                           ? giving_up_select(f, ui.node)
                           : NONE32;
        if (sel == NONE32 || loop_around(f, sel) != NONE32) return 0;
        if (skips++ == 0) *at = sel;
    }
    return 1;
}

/* A function that returns an unbuffered channel fed once by its own
 * goroutine (func run(f func() error) chan error { ch := make(chan error);
 * go func() { ch <- f() }(); return ch }), called by a function of the
 * file that may leave without receiving (a select whose other case is a
 * timeout, or the channel dropped): that goroutine's send then blocks
 * forever. Reported at the send, once. */
static void check_one_shot_producers(goleak_check *chk, const facts *f) {
    FOR_KIND(f, N(FUNC), fn) {
        uint32_t name = f->nodes[fn].key;
        if (name == NONE32) continue;
        uint32_t send = producer_send_how(f, fn, 1, 0);
        if (send == NONE32) continue;
        uint32_t n;
        const uint32_t *calls = calls_named(f, name, &n);
        for (uint32_t i = 0; i < n; i++) {
            const call_fact *c = &f->calls.data[calls[i]];
            uint32_t at;
            if (find_func(f, c->name) != fn || !caller_may_skip(f, c->node, &at) ||
                once_per_process(f, top_func(f, c->node), 0, 0))
                continue;
            char what[48];
            snippet(f, f->nodes[send].first, f->nodes[send].key - 1, what, sizeof what);
            check_report_node(chk, send,
                              "this goroutine's one send on unbuffered `%s` waits for the caller "
                              "at line %u, which can leave without receiving (line %u): the "
                              "send then blocks forever; make the channel buffered "
                              "(make(chan T, 1))",
                              what, (unsigned)tok_line(f, f->nodes[c->node].first),
                              (unsigned)tok_line(f, f->nodes[at].first));
            break;
        }
    }
}

/* loop_exit's filter for an outlived feeder: an exit on what the receive
 * gave, or in a select case that runs only once the feeder gave up (case
 * err := <-errc: return, errc its last word). */
typedef struct feeder_exit {
    received_vars rv;
    uint32_t g, fn;
} feeder_exit;

static int exit_not_early(const facts *f, uint32_t exit, const void *ctx) {
    const feeder_exit *fe = ctx;
    if (exit_on_received(f, exit, &fe->rv)) return 1;
    uint32_t clause = select_clause_of(f, exit, enclosing_func(f, exit));
    return clause != NONE32 && goroutine_signals_on_exit(f, fe->g, fe->fn, clause);
}

/* A goroutine that feeds channel ch (its `in`) in a loop that runs as long
 * as its input lasts (for { v, err := r.Recv(); ...; ch <- v }), not in a
 * select, while the starter receives ch only in a loop that can stop
 * before the channel is closed (a return on an error of its own): the
 * feeder's next send blocks forever, a buffer only delays it (istio's ADS
 * receive thread). 1 when reported. */
static int check_outlived_feeder(goleak_check *chk, chan_summaries *cs, uint32_t g, uint32_t fn,
                                 uint32_t outer, uint32_t body, const var_fact *ch,
                                 const var_fact *in) {
    const facts *f = cs->f;
    if (!(ch->flags & VF_MADE) || ch->chan_cap < 0 || ch->chan_cap > 64 ||
        first_op_in(f, body, in, 2, 0) != NONE32)
        return 0;
    uint32_t send = first_op_in(f, body, in, 1, 1);
    uint32_t lp = send != NONE32 ? loop_around(f, send) : NONE32;
    if (lp == NONE32 || enclosing_func(f, lp) != fn || enclosing_func(f, send) != fn ||
        !unbounded_loop(f, lp))
        return 0;
    /* a last word (errc <- err; return) is sent once, not fed */
    uint32_t st = stmt_of(f, send), next = st != NONE32 ? f->nodes[st].next : NONE32;
    if (next != NONE32 && f->nodes[next].kind == N(RETURN)) return 0;
    /* a buffered feeder that also waits on a way out each round (case
     * <-cancel: return): once the buffer holds its send, it leaves */
    if (ch->chan_cap > 0) {
        FOR_KIND_IN(f, N(RETURN), r, f->nodes[lp].first, f->nodes[lp].last) {
            uint32_t c = enclosing_func(f, r) == fn ? select_clause_of(f, r, fn) : NONE32;
            uint32_t comm = c != NONE32 ? child_by_role(f, c, R(COMM)) : NONE32;
            if (comm != NONE32 && f->nodes[comm].kind != N(SEND)) return 0;
        }
    }
    traffic t;
    if (count_traffic(cs, ch, g, 2, &t) || !t.in_loop || t.once || t.deferred || t.in_closure)
        return 0;
    uint32_t obody = func_body(f, outer);
    uint32_t op = obody != NONE32 ? first_op_in(f, obody, ch, 2, 0) : NONE32;
    uint32_t rl = op != NONE32 ? loop_around(f, op) : NONE32;
    if (rl == NONE32 || enclosing_func(f, rl) != outer) return 0;
    feeder_exit fe = {.g = g, .fn = fn};
    receive_binds(f, op, rl, &fe.rv);
    uint32_t exit = loop_exit(f, rl, outer, exit_not_early, &fe);
    if (exit == NONE32) return 0;
    /* in a test, a loop left only by a failing test (t.Fatal, or after it) */
    int failed = f->nodes[exit].kind == N(CALL) && fails_test(f, exit);
    failure_note note =
        after_failure(in_test_code(f, rl) &&
                      (failed || loop_exit(f, rl, outer, exit_after_failure, NULL) == NONE32));
    char name[48];
    snippet(f, ch->name, ch->name, name, sizeof name);
    check_report_node_severity(chk, note.severity, send,
                               "this goroutine feeds `%s` for as long as its input lasts, but "
                               "the loop receiving it (line %u) can stop early (line %u): the "
                               "next send then blocks forever%s%s; select on the send and a "
                               "channel closed when the receiver leaves",
                               name, (unsigned)tok_line(f, f->nodes[rl].first),
                               (unsigned)tok_line(f, f->nodes[exit].first),
                               ch->chan_cap ? " once the buffer is full" : "", note.note);
    return 1;
}

static int check_blocked_sender(goleak_check *chk, void *ud) {
    (void)ud;
    if (!makes_chan(chk->unit)) {
        /* a field channel made by another file (a constructor) may still
         * be sent on here with nobody left to receive it */
        if (!check_may_have(chk, "<-")) return 0;
        const facts *f = check_facts(chk);
        if (!f) return 0;
        check_unreceived_fields(chk, f);
        if (!*f->oom && f->by_kind[N(GO)].len) check_field_signal_skipped(chk, f);
        if (!*f->oom && f->by_kind[N(GO)].len) check_ready_never_signalled(chk, f);
        return 0;
    }
    const facts *f = check_facts(chk);
    if (!f) return 0;
    chan_summaries cs = {f, NULL};
    field_memo fm = {0};
    /* the walks from go statements outside loops depend only on the
     * channel from the statement after their start: one memo for them */
    path_memo memo;
    int have_memo = 0;
    FOR_KIND(f, N(GO), g) {
        if (unreachable(f, g) || stmt_of(f, g) != g) continue;
        /* started once per process by a command's handler (or a sync.Once):
         * a goroutine left blocked dies with the process */
        if (once_per_process(f, top_func(f, g), 0, 0) ||
            once_per_process(f, enclosing_func(f, g), 0, 0))
            continue;
        uint32_t outer = enclosing_func(f, g), fn = goroutine_func(f, g);
        if (outer == NONE32 || fn == NONE32) continue;
        /* workers ranging over a channel: in a loop or not */
        if (check_range_until_close(chk, &cs, &memo, &have_memo, g, fn, outer)) {
            *f->oom = 1;
            break;
        }
        /* goroutines in loops are GL013's, but for a channel made in the
         * same round (for { done := make(chan T); go ...; select ... }):
         * each round is a go statement of its own */
        uint32_t in_loop = loop_around(f, g);
        uint32_t go_call = f->nodes[g].child;
        uint32_t body = f->nodes[fn].kind == N(FUNCLIT) ? fn : func_body(f, fn);
        if (body == NONE32) continue;
        uint32_t nch;
        uint32_t *chans = goroutine_channels(f, g, outer, 1, &nch);
        for (uint32_t k = 0; k < nch; k++) {
            const var_fact *ch = &f->vars.data[chans[k]];
            if (in_loop != NONE32 &&
                (ch->name < f->nodes[in_loop].first || ch->name > f->nodes[in_loop].last))
                continue;
            const var_fact *in = channel_in_goroutine(f, g, fn, ch);
            if (!in) continue;
            /* a wait for the goroutine's signal: buffered or not */
            if (!chan_escapes(&cs, ch, go_call)) check_signal_skipped(chk, &cs, g, fn, outer, ch);
            /* a feeder that outlives the loop receiving it: buffered or not */
            if (in_loop == NONE32 && !chan_escapes(&cs, ch, go_call) &&
                check_outlived_feeder(chk, &cs, g, fn, outer, body, ch, in))
                continue;
            if (!unbuffered(ch)) continue;
            uint32_t send = first_op_in(f, body, in, 1, 1);
            if (send == NONE32) {
                /* a goroutine that only waits for a value or a close */
                if (first_op_in(f, body, in, 1, 0) != NONE32) continue;
                if (!have_memo && path_memo_init(&memo, f) == 0) have_memo = 1;
                if (!have_memo || check_blocked_receive(chk, &cs, &memo, g, fn, ch, in,
                                                        chan_escapes(&cs, ch, go_call))) {
                    *f->oom = 1;
                    break;
                }
                continue;
            }
            if (chan_escapes(&cs, ch, go_call)) continue;
            traffic t;
            if (count_traffic(&cs, ch, g, 2, &t)) break;
            /* received on the way out whatever the path, or by a closure that
             * runs later (returned, deferred by the caller); closed on the way
             * out (defer close(ch)): a late send panics, it does not block */
            if (t.deferred || t.in_closure || t.closes_deferred) continue;
            char name[48];
            snippet(f, ch->name, ch->name, name, sizeof name);
            if (!t.any) {
                check_report_node(chk, send,
                                  "this goroutine sends on unbuffered `%s`, which is never "
                                  "received: it blocks forever; receive it, or make the channel "
                                  "buffered (make(chan T, 1))",
                                  name);
                continue;
            }
            /* a loop that receives until it is done (for !done { select {
             * case <-ch: done = true ... } }) with no other way out */
            if (t.in_loop && !t.loop_exits_early && !receiving_loop_fails(f, ch, outer, g))
                continue;
            /* every path from the go statement must receive */
            if (!have_memo && path_memo_init(&memo, f) == 0) have_memo = 1;
            if (!have_memo) {
                *f->oom = 1;
                break;
            }
            uint32_t at = NONE32;
            int after_failure = 0;
            int leak = walk_from_go(f, &memo, g, ch, receives_chan,
                                    (uint32_t)(ch - f->vars.data) * 2, &at, &after_failure);
            if (leak != LEAK_RETURN && leak != LEAK_END) continue;
            uint32_t clause = leak == LEAK_RETURN ? select_clause_of(f, at, outer) : NONE32;
            if (clause != NONE32 && goroutine_signals_on_exit(f, g, fn, clause)) {
                /* that case is no way out: walk again past such cases (the
                 * walk then depends on the goroutine, and keeps no memo) */
                leak = walk_from_go(f, NULL, g, ch, receives_chan, 0, &at, &after_failure);
                if (leak != LEAK_RETURN && leak != LEAK_END) continue;
            }
            report_blocked_send(chk, f, send, outer, name, leak, at, after_failure);
        }
        gl_free(f->alloc, chans);
        if (*f->oom) break;
        if (in_loop == NONE32) check_field_sender(chk, f, &fm, &memo, &have_memo, g, outer);
        if (*f->oom) break;
    }
    if (have_memo) path_memo_free(&memo, f);
    field_memo_free(&fm);
    summaries_free(&cs);
    if (!*f->oom) check_abandoned_ranges(chk, f);
    if (!*f->oom) check_param_close_skipped(chk, f);
    if (!*f->oom) check_unguarded_producers(chk, f);
    if (!*f->oom) check_one_shot_producers(chk, f);
    if (!*f->oom) check_abandoned_feeders(chk, f);
    if (!*f->oom) check_unreceived_fields(chk, f);
    if (!*f->oom) check_abandoned_reply_locals(chk, f);
    if (!*f->oom) check_abandoned_map_replies(chk, f);
    if (!*f->oom) check_field_signal_skipped(chk, f);
    if (!*f->oom) check_ready_never_signalled(chk, f);
    if (!*f->oom) check_callback_close_skipped(chk, f);
    if (!*f->oom) check_sends_ignoring_exit(chk, f);
    return 0;
}

const goleak_rule_def builtin_GL012 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL012",
    .name = "nil-channel",
    .severity = GOLEAK_SEVERITY_ERROR,
    .check = check_nil_channel,
    /* a file may use a channel another file of its package declares */
    .triggers = "chan, <-, range",
};

const goleak_rule_def builtin_GL013 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL013",
    .name = "unbalanced-channel",
    .severity = GOLEAK_SEVERITY_ERROR,
    .check = check_unbalanced_channel,
    .triggers = "go",
};

const goleak_rule_def builtin_GL020 = {
    .version = GOLEAK_RULE_DEF_VERSION,
    .id = "GL020",
    .name = "blocked-sender",
    .severity = GOLEAK_SEVERITY_ERROR,
    .check = check_blocked_sender,
    .triggers = "go, Go, <-",
};
