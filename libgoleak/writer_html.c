/* One self-contained HTML page: the findings as they come (each with its
 * code excerpt and the reported lines highlighted, when the check kept
 * excerpts: GOLEAK_CHECK_EXCERPTS), then a summary per rule and per
 * directory, filters by rule, severity and directory, each rule's
 * explanation (shown when a finding's rule is clicked: CSS :target), and
 * the run's errors. The summary comes last in the file but first on the
 * page (CSS order), so findings stream out and memory holds only the
 * counts. A Content-Security-Policy forbids every fetch: no network. */
#include "writer.h"

#include <stdlib.h>
#include <string.h>

typedef struct count_entry {
    char *key; /* a directory, or a rule id */
    char *name;
    int severity;
    size_t count;
} count_entry;

/* An open-addressing table of counts by key. */
typedef struct count_table {
    count_entry *slots;
    size_t cap, len;
} count_table;

typedef struct html_state {
    count_table rules, dirs;
    size_t by_severity[3];
} html_state;

static uint64_t key_hash(const char *s, size_t n) {
    uint64_t h = 0xCBF29CE484222325u;
    for (size_t k = 0; k < n; k++) h = (h ^ (unsigned char)s[k]) * 0x100000001B3u;
    return h;
}

static char *copy(goleak_writer *w, const char *s, size_t n) {
    char *d = writer_alloc(w, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

/* The entry of key (n bytes), added with a count of 0 when new; NULL when
 * out of memory. */
static count_entry *count_get(goleak_writer *w, count_table *t, const char *key, size_t n) {
    if ((t->len + 1) * 2 > t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 64;
        count_entry *s = writer_alloc(w, ncap * sizeof *s);
        if (!s) return NULL;
        for (size_t k = 0; k < t->cap; k++) {
            if (!t->slots[k].key) continue;
            size_t i = key_hash(t->slots[k].key, strlen(t->slots[k].key)) & (ncap - 1);
            while (s[i].key) i = (i + 1) & (ncap - 1);
            s[i] = t->slots[k];
        }
        gl_free(w->alloc, t->slots);
        t->slots = s;
        t->cap = ncap;
    }
    size_t i = key_hash(key, n) & (t->cap - 1);
    while (t->slots[i].key) {
        if (strlen(t->slots[i].key) == n && memcmp(t->slots[i].key, key, n) == 0)
            return &t->slots[i];
        i = (i + 1) & (t->cap - 1);
    }
    if (!(t->slots[i].key = copy(w, key, n))) return NULL;
    t->len++;
    return &t->slots[i];
}

static void count_free(goleak_writer *w, count_table *t) {
    for (size_t k = 0; k < t->cap; k++) {
        gl_free(w->alloc, t->slots[k].key);
        gl_free(w->alloc, t->slots[k].name);
    }
    gl_free(w->alloc, t->slots);
}

static int entry_cmp(const void *a, const void *b) {
    return strcmp((*(count_entry *const *)a)->key, (*(count_entry *const *)b)->key);
}

/* The entries of t sorted by key (caller frees the array); NULL when
 * empty or out of memory. */
static count_entry **sorted(goleak_writer *w, const count_table *t) {
    if (t->len == 0) return NULL;
    count_entry **v = writer_alloc(w, t->len * sizeof *v);
    if (!v) return NULL;
    size_t n = 0;
    for (size_t k = 0; k < t->cap; k++)
        if (t->slots[k].key) v[n++] = &t->slots[k];
    qsort(v, n, sizeof *v, entry_cmp);
    return v;
}

static const char *severity_word(int s) {
    return goleak_severity_name(s) ? goleak_severity_name(s) : "warning";
}

/* The directory part of a path ("." for none). */
static size_t dir_len(const char *path, const char **dir) {
    const char *slash = strrchr(path, '/');
    if (!slash) {
        *dir = ".";
        return 1;
    }
    *dir = path;
    return slash == path ? 1 : (size_t)(slash - path);
}

static const char STYLE[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f7}"
    "header{background:#23272f;color:#fff;padding:12px 24px}header h1{margin:0;font-size:20px}"
    "main{display:flex;flex-direction:column;padding:8px 24px 48px}"
    "#summary{order:-1}h2{font-size:17px;margin:20px 0 8px}"
    "table{border-collapse:collapse;background:#fff;margin:0 16px 12px 0;display:inline-table;"
    "vertical-align:top}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left}"
    "td.n{text-align:right}.filters{margin:8px 0;display:flex;gap:16px;flex-wrap:wrap}"
    "article.finding{background:#fff;border:1px solid #ddd;border-left:4px solid #d08700;"
    "border-radius:4px;margin:8px 0;padding:8px 12px}"
    "article.error{border-left-color:#c62828}article.info{border-left-color:#1565c0}"
    "article[hidden]{display:none}.loc{font-family:monospace}.sym{color:#666}"
    ".sev{font-size:12px;text-transform:uppercase;font-weight:600;color:#8a5a00}"
    ".msg{margin:4px 0}pre{background:#fafafa;border:1px solid #eee;padding:6px 0;"
    "overflow-x:auto;tab-size:4;margin:4px 0}pre span.l{display:block;padding:0 8px}"
    "pre span.hl{background:#fff3c4}pre span.n{display:inline-block;min-width:4em;color:#999;"
    "user-select:none}.doc{display:none;background:#fff;border:1px solid #ddd;padding:8px 12px;"
    "margin:8px 0}.doc:target{display:block}.doc pre{white-space:pre-wrap;border:0}"
    "#errors li{font-family:monospace}";

/* The filters' script: reads the selects (preset from ?rule=&severity=&dir=),
 * hides the findings they exclude and says how many are shown. */
static const char SCRIPT[] =
    "(function(){"
    "var ids=['rule','severity','dir'],sel={},items=document.querySelectorAll('article.finding'),"
    "shown=document.getElementById('shown'),q=new URLSearchParams(location.search);"
    "ids.forEach(function(k){sel[k]=document.getElementById('filter-'+k);"
    "if(q.get(k)!==null)sel[k].value=q.get(k);sel[k].addEventListener('change',apply);});"
    "function apply(){var n=0;for(var i=0;i<items.length;i++){var a=items[i],ok=true;"
    "ids.forEach(function(k){var v=sel[k].value;if(v&&a.dataset[k]!==v)ok=false;});"
    "a.hidden=!ok;if(ok)n++;}"
    "shown.textContent=n+' of '+items.length+' findings shown';"
    "document.body.dataset.shown=String(n);}"
    "apply();document.body.dataset.ready='1';})();";

static void html_begin(goleak_writer *w, wout *o) {
    w->state = writer_alloc(w, sizeof(html_state));
    wout_str(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>goleak report</title>\n<style>");
    wout_str(o, STYLE);
    wout_str(o, "</style>\n</head>\n<body>\n<header><h1>goleak report</h1><div>goleak ");
    wout_xml_text(o, goleak_version_string());
    wout_str(o, "</div></header>\n<main>\n<section id=\"findings\">\n<h2>Findings</h2>\n");
}

/* The excerpt of f, its lines numbered, the reported ones highlighted. */
static void excerpt(wout *o, const goleak_finding *f) {
    const char *text = goleak_finding_excerpt(f);
    if (!text) return;
    goleak_span sp = goleak_finding_span(f);
    uint32_t line = goleak_finding_excerpt_line(f);
    wout_str(o, "<pre class=\"code\">");
    for (const char *p = text;; line++) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        int hl = line >= sp.start.line && line <= (sp.end.line ? sp.end.line : sp.start.line);
        wout_str(o, hl ? "<span class=\"l hl\">" : "<span class=\"l\">");
        wout_str(o, "<span class=\"n\">");
        wout_uint(o, line);
        wout_str(o, "</span>");
        wout_xml_text_n(o, p, n);
        wout_str(o, "</span>");
        if (!nl) break;
        p = nl + 1;
    }
    wout_str(o, "</pre>\n");
}

static void html_finding(goleak_writer *w, wout *o, const goleak_finding *f) {
    html_state *st = w->state;
    const char *path = goleak_finding_path(f), *id = goleak_finding_rule_id(f), *dir;
    size_t dn = dir_len(path, &dir);
    int sev = goleak_finding_severity(f);
    if (st) {
        count_entry *r = count_get(w, &st->rules, id, strlen(id));
        if (r && !r->name) {
            r->name = copy(w, goleak_finding_rule_name(f), strlen(goleak_finding_rule_name(f)));
            r->severity = sev;
        }
        if (r) r->count++;
        count_entry *d = count_get(w, &st->dirs, dir, dn);
        if (d) d->count++;
        if (sev >= 0 && sev < 3) st->by_severity[sev]++;
    }
    goleak_span sp = goleak_finding_span(f);
    const char *sw = severity_word(sev);
    wout_str(o, "<article class=\"finding ");
    wout_str(o, sw);
    wout_str(o, "\" id=\"f");
    wout_uint(o, (unsigned long)w->nfindings + 1);
    wout_str(o, "\" data-rule=\"");
    wout_xml_text(o, id);
    wout_str(o, "\" data-severity=\"");
    wout_str(o, sw);
    wout_str(o, "\" data-dir=\"");
    wout_xml_text_n(o, dir, dn);
    wout_str(o, "\">\n<div><span class=\"sev\">");
    wout_str(o, sw);
    wout_str(o, "</span> <a class=\"rule\" href=\"#doc-");
    wout_xml_text(o, id);
    wout_str(o, "\">");
    wout_xml_text(o, id);
    wout_char(o, ' ');
    wout_xml_text(o, goleak_finding_rule_name(f));
    wout_str(o, "</a> <span class=\"loc\">");
    wout_xml_text(o, path);
    wout_char(o, ':');
    wout_uint(o, sp.start.line);
    wout_char(o, ':');
    wout_uint(o, sp.start.column);
    wout_str(o, "</span>");
    const char *sym = goleak_finding_symbol(f);
    if (sym && *sym) {
        wout_str(o, " <span class=\"sym\">in ");
        wout_xml_text(o, sym);
        wout_str(o, "</span>");
    }
    wout_str(o, "</div>\n<p class=\"msg\">");
    wout_xml_text(o, goleak_finding_message(f));
    wout_str(o, "</p>\n");
    excerpt(o, f);
    wout_str(o, "</article>\n");
}

static void html_error(goleak_writer *w, wout *o, const writer_error *e) {
    (void)w;
    wout_str(o, e->warning ? "<li>warning: " : "<li>");
    wout_xml_text(o, e->path);
    if (e->line > 0) {
        wout_char(o, ':');
        wout_uint(o, e->line);
        wout_char(o, ':');
        wout_uint(o, e->column);
    }
    wout_str(o, ": ");
    wout_xml_text(o, e->message);
    wout_str(o, "</li>\n");
}

static void option(wout *o, const char *value, const char *label) {
    wout_str(o, "<option value=\"");
    wout_xml_text(o, value);
    wout_str(o, "\">");
    wout_xml_text(o, label);
    wout_str(o, "</option>");
}

static void html_finish(goleak_writer *w, wout *o, int execution_ok) {
    (void)execution_ok;
    html_state *st = w->state;
    count_entry **rules = st ? sorted(w, &st->rules) : NULL;
    count_entry **dirs = st ? sorted(w, &st->dirs) : NULL;
    size_t nrules = rules ? st->rules.len : 0, ndirs = dirs ? st->dirs.len : 0;
    if (w->nfindings == 0) wout_str(o, "<p>No findings.</p>\n");
    wout_str(o, "</section>\n<section id=\"summary\">\n<h2>Summary</h2>\n<p>");
    wout_uint(o, (unsigned long)w->nfindings);
    wout_str(o, w->nfindings == 1 ? " finding in " : " findings in ");
    wout_uint(o, (unsigned long)w->nfiles);
    wout_str(o, w->nfiles == 1 ? " file checked" : " files checked");
    if (st)
        for (int s = GOLEAK_SEVERITY_ERROR; s >= GOLEAK_SEVERITY_INFO; s--) {
            if (!st->by_severity[s]) continue;
            wout_str(o, ", ");
            wout_uint(o, (unsigned long)st->by_severity[s]);
            wout_str(o, s == GOLEAK_SEVERITY_ERROR     ? " error"
                        : s == GOLEAK_SEVERITY_WARNING ? " warning"
                                                       : " info");
            if (st->by_severity[s] != 1 && s != GOLEAK_SEVERITY_INFO) wout_char(o, 's');
        }
    if (w->nerrors) {
        wout_str(o, "; <a href=\"#errors\">");
        wout_uint(o, (unsigned long)w->nerrors);
        wout_str(o, w->nerrors == 1 ? " error or warning</a>" : " errors and warnings</a>");
    }
    wout_str(o, ".</p>\n<div class=\"filters\"><label>Rule <select id=\"filter-rule\">");
    option(o, "", "all");
    for (size_t k = 0; k < nrules; k++) option(o, rules[k]->key, rules[k]->key);
    wout_str(o, "</select></label><label>Severity <select id=\"filter-severity\">");
    option(o, "", "all");
    for (int s = GOLEAK_SEVERITY_ERROR; s >= GOLEAK_SEVERITY_INFO; s--)
        option(o, severity_word(s), severity_word(s));
    wout_str(o, "</select></label><label>Directory <select id=\"filter-dir\">");
    option(o, "", "all");
    for (size_t k = 0; k < ndirs; k++) option(o, dirs[k]->key, dirs[k]->key);
    wout_str(o, "</select></label><span id=\"shown\"></span></div>\n");
    wout_str(o, "<table class=\"by-rule\"><tr><th>Rule</th><th>Name</th><th>Severity</th>"
                "<th>Findings</th></tr>\n");
    for (size_t k = 0; k < nrules; k++) {
        wout_str(o, "<tr><td><a href=\"#doc-");
        wout_xml_text(o, rules[k]->key);
        wout_str(o, "\">");
        wout_xml_text(o, rules[k]->key);
        wout_str(o, "</a></td><td>");
        wout_xml_text(o, rules[k]->name ? rules[k]->name : "");
        wout_str(o, "</td><td>");
        wout_str(o, severity_word(rules[k]->severity));
        wout_str(o, "</td><td class=\"n\">");
        wout_uint(o, (unsigned long)rules[k]->count);
        wout_str(o, "</td></tr>\n");
    }
    wout_str(o, "</table>\n<table class=\"by-dir\"><tr><th>Directory</th><th>Findings</th></tr>\n");
    for (size_t k = 0; k < ndirs; k++) {
        wout_str(o, "<tr><td class=\"loc\">");
        wout_xml_text(o, dirs[k]->key);
        wout_str(o, "</td><td class=\"n\">");
        wout_uint(o, (unsigned long)dirs[k]->count);
        wout_str(o, "</td></tr>\n");
    }
    wout_str(o, "</table>\n</section>\n<section id=\"rules\">\n<h2>Rules</h2>\n"
                "<p>Click a finding's rule to read what it flags and how to fix it.</p>\n");
    for (size_t k = 0; k < nrules; k++) {
        const goleak_rule *r = goleak_engine_find_rule(w->engine, rules[k]->key);
        const char *doc = r ? goleak_rule_doc(r) : NULL;
        if (!doc && r) doc = goleak_rule_summary(r);
        wout_str(o, "<div class=\"doc\" id=\"doc-");
        wout_xml_text(o, rules[k]->key);
        wout_str(o, "\"><h3>");
        wout_xml_text(o, rules[k]->key);
        wout_char(o, ' ');
        wout_xml_text(o, rules[k]->name ? rules[k]->name : "");
        wout_str(o, "</h3><pre>");
        wout_xml_text(o, doc ? doc : "(no documentation)");
        wout_str(o, "</pre></div>\n");
    }
    wout_str(o, "</section>\n");
    if (w->nerrors) {
        wout_str(o, "<section id=\"errors\">\n<h2>Errors and warnings</h2>\n<ul>\n");
        writer_copy_spill(w, o);
        wout_str(o, "</ul>\n</section>\n");
    }
    wout_str(o, "</main>\n<script>");
    wout_str(o, SCRIPT);
    wout_str(o, "</script>\n</body>\n</html>\n");
    gl_free(w->alloc, rules);
    gl_free(w->alloc, dirs);
}

static void html_free(goleak_writer *w) {
    html_state *st = w->state;
    if (!st) return;
    count_free(w, &st->rules);
    count_free(w, &st->dirs);
    gl_free(w->alloc, st);
    w->state = NULL;
}

const writer_format writer_html = {"html",     html_begin,  html_finding,
                                   html_error, html_finish, html_free};
