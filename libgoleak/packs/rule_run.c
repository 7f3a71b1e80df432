/* Running a pack rule: its file filters (paths, imports), then its
 * matchers (a pattern rule) or its resources (a resource rule), and the
 * findings with their messages. */
#include "rule_run.h"

#include "resource.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#define N(k) GOLEAK_NODE_##k

static int glob_hit(const char **globs, const char *path) {
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    for (const char **g = globs; *g; g++)
        if (fnmatch(*g, path, 0) == 0 || fnmatch(*g, base, 0) == 0) return 1;
    return 0;
}

/* Whether the rule looks at this file at all. */
static int applies(const file_index *x, const pack_rule *r) {
    const char *path = x->u->path;
    if (r->include && !glob_hit(r->include, path)) return 0;
    if (r->exclude && glob_hit(r->exclude, path)) return 0;
    if (!r->nrequires) return 1;
    for (uint32_t k = 0; k < r->nrequires; k++) {
        const char *p = r->imports[r->requires[k]].path;
        if (fx_import(x, p, strlen(p))) return 1;
    }
    return 0;
}

/* The source of tokens [a, b], blanks folded and cut at about 60 bytes. */
static size_t quote(const file_index *x, uint32_t a, uint32_t b, char *buf, size_t size) {
    size_t o = 0, limit = size - 4 < 60 ? size - 4 : 60;
    for (uint32_t k = a; k <= b && k < x->ntoks; k++) {
        const token *t = &x->toks[k];
        if (t->flags & TF_AUTO) continue;
        if (k > a && t->off > x->toks[k - 1].off + x->toks[k - 1].len && o > 0 && o < limit)
            buf[o++] = ' ';
        if (o + t->len > limit) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(buf + o, x->src + t->off, t->len);
        o += t->len;
    }
    buf[o] = 0;
    return o;
}

/* Expands a message template: $NAME quotes what the metavariable matched,
 * $CALL and $EXIT come from extra (NULL when not given), $$ is a dollar. */
static void expand(const file_index *x, const pack_rule *r, const char *tmpl, const binding *b,
                   const char *call, const char *exit_text, char *out, size_t size) {
    size_t o = 0;
    for (const char *s = tmpl; *s && o + 1 < size; s++) {
        if (*s != '$') {
            out[o++] = *s;
            continue;
        }
        if (s[1] == '$') {
            out[o++] = '$';
            s++;
            continue;
        }
        const char *e = s + 1;
        while ((*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9') || *e == '_') e++;
        size_t n = (size_t)(e - s - 1);
        if (n == 0) {
            out[o++] = '$';
            continue;
        }
        char q[128];
        const char *text = NULL;
        for (uint32_t k = 0; k < r->nmetas && !text; k++) {
            if (strlen(r->metas[k]) != n || memcmp(r->metas[k], s + 1, n) != 0) continue;
            if (b[k].first == NONE32)
                text = "?";
            else {
                quote(x, b[k].first, b[k].last, q, sizeof q);
                text = q;
            }
        }
        if (!text && call && n == 4 && memcmp(s + 1, "CALL", 4) == 0) text = call;
        if (!text && exit_text && n == 4 && memcmp(s + 1, "EXIT", 4) == 0) text = exit_text;
        if (!text) text = "?";
        size_t tl = strlen(text);
        if (tl > size - 1 - o) tl = size - 1 - o;
        memcpy(out + o, text, tl);
        o += tl;
        s = e - 1;
    }
    out[o] = 0;
}

static void limit_failure(goleak_check *chk, const pack_rule *r, const meval *ev) {
    check_fail(chk,
               "regex \"%s\" of rule %s (%s) hit the PCRE2 match limits (%d steps, depth %d, "
               "%d KiB) and was abandoned; simplify it",
               regex_source(ev->limit_re), r->id, r->owner->path, REGEX_MATCH_LIMIT,
               REGEX_DEPTH_LIMIT, REGEX_HEAP_LIMIT_KIB);
}

static int run_patterns(goleak_check *chk, meval *ev, const pack_rule *r) {
    mlist l = {NULL, 0, 0};
    int rc = matcher_eval(ev, r->match, &l);
    for (uint32_t k = 0; k < l.len && rc == 0 && !ev->limit_re; k++) {
        const match *m = &l.data[k];
        if (k > 0 && m->first == l.data[k - 1].first && m->last == l.data[k - 1].last) continue;
        char msg[1024];
        expand(ev->x, r, r->message, m->b, NULL, NULL, msg, sizeof msg);
        uint32_t a = m->first, b = m->last;
        if (r->focus != META_ANY && m->b[r->focus].first != NONE32) {
            a = m->b[r->focus].first;
            b = m->b[r->focus].last;
        }
        rc = goleak_check_report_tokens(chk, a, b, msg);
    }
    mlist_free(ev->a, &l);
    return rc;
}

typedef struct res_report {
    goleak_check *chk;
    meval *ev;
    const pack_rule *r;
} res_report;

static int report_leak(void *ctx, const leak_report *lr) {
    res_report *rr = ctx;
    const file_index *x = rr->ev->x;
    const pack_rule *r = rr->r;
    char call[128], exit_text[96], msg[1024];
    const node *c = &x->nodes[lr->call];
    quote(x, c->first, c->last, call, sizeof call);
    if (lr->discarded) {
        if (r->discarded_message)
            expand(x, r, r->discarded_message, lr->b, call, "its discarding", msg, sizeof msg);
        else
            snprintf(msg, sizeof msg, "the result of `%s` is discarded, so it is never released",
                     call);
    } else if (lr->kind == HOST_LEAK_OVERWRITE) {
        /* $EXIT says when the variable is given its new value */
        unsigned line = host_tok_line(x->f, x->nodes[lr->at].first);
        if (lr->round)
            snprintf(exit_text, sizeof exit_text, "on the next round of the loop");
        else
            snprintf(exit_text, sizeof exit_text, "at line %u", line);
        if (r->replaced_message) {
            expand(x, r, r->replaced_message, lr->b, call, exit_text, msg, sizeof msg);
        } else {
            char name[128];
            quote(x, lr->res_tok, lr->res_tok, name, sizeof name);
            snprintf(msg, sizeof msg,
                     "`%s` from `%s` is replaced %s while it still holds the resource, so "
                     "that one is never released",
                     name, call, exit_text);
        }
    } else {
        unsigned line = host_tok_line(x->f, x->nodes[lr->at].first);
        switch (lr->kind) {
        case HOST_LEAK_RETURN:
            snprintf(exit_text, sizeof exit_text, "the path that returns at line %u", line);
            break;
        case HOST_LEAK_CONTINUE:
            snprintf(exit_text, sizeof exit_text, "the path that continues the loop at line %u",
                     line);
            break;
        default:
            snprintf(exit_text, sizeof exit_text, "the path to the end of the function");
            break;
        }
        expand(x, r, r->message, lr->b, call, exit_text, msg, sizeof msg);
    }
    return goleak_check_report_tokens(rr->chk, c->first, c->last, msg);
}

int pack_rule_check(goleak_check *chk, void *user_data) {
    const pack_rule *r = user_data;
    const file_index *x = file_index_of(chk);
    if (!x || !applies(x, r)) return 0; /* out of memory: the check fails on its own */
    meval ev;
    memset(&ev, 0, sizeof ev);
    ev.x = x;
    ev.rule = r;
    ev.a = chk->engine->alloc;
    int rc = 0;
    if (r->match) {
        rc = run_patterns(chk, &ev, r);
    } else {
        res_report rr = {chk, &ev, r};
        for (uint32_t k = 0; k < r->nresources && rc == 0 && !ev.limit_re; k++)
            rc = resource_run(&ev, &r->resources[k], report_leak, &rr);
    }
    if (ev.limit_re) limit_failure(chk, r, &ev);
    if (rc == GOLEAK_ENOMEM || ev.oom || x->oom) chk->oom = 1;
    return 0;
}
