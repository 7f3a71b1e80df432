/* A host program that defines common names the library uses inside itself
 * (resolve, snippet, error_set, next, facts_build...) links against the
 * static library and checks a source: internal symbols must not clash. */
#include <goleak.h>

#include <stdio.h>
#include <string.h>

/* the host's own functions, with the names of the library's internals */
int resolve(int x);
int snippet(int x);
int error_set(int x);
int next(int x);
int facts_build(int x);
int check_facts(int x);
int lock_op(int x);
int resolve(int x) { return x + 1; }
int snippet(int x) { return x + 2; }
int error_set(int x) { return x + 3; }
int next(int x) { return x + 4; }
int facts_build(int x) { return x + 5; }
int check_facts(int x) { return x + 6; }
int lock_op(int x) { return x + 7; }

int main(void) {
    static const char src[] = "package p\n"
                              "import \"time\"\n"
                              "func poll() {\n"
                              "\tt := time.NewTicker(time.Second)\n"
                              "\t<-t.C\n"
                              "}\n";
    goleak_engine *e = NULL;
    goleak_unit *u = NULL;
    goleak_findings *fs = NULL;
    if (goleak_engine_new(&e, NULL, NULL) || goleak_engine_add_builtin_rules(e, NULL) ||
        goleak_unit_parse(&u, "poll.go", src, strlen(src), NULL, NULL) ||
        goleak_engine_check(&fs, e, u, NULL, NULL))
        return 1;
    size_t n = goleak_findings_count(fs);
    const char *rule = n ? goleak_finding_rule_id(goleak_findings_get(fs, 0)) : "";
    int own = resolve(0) + snippet(0) + error_set(0) + next(0) + facts_build(0) + check_facts(0) +
              lock_op(0);
    printf("%zu finding(s), first %s; host functions %d\n", n, rule, own);
    int ok = n == 1 && strcmp(rule, "GL015") == 0 && own == 28; /* rule lives in fs */
    goleak_findings_free(fs);
    goleak_unit_free(u);
    goleak_engine_free(e);
    return ok ? 0 : 1;
}
