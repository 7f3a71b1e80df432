/* Every built-in rule, in id order: adding a rule adds its line here, its
 * goleak_rule_def builtin_ID in its family's file, its text in
 * docs/rules/ID.md and its fixtures in tests/fixtures/ID/. Included with
 * BUILTIN_RULE defined (an X-macro list): no include guard. */
BUILTIN_RULE(GL000)
BUILTIN_RULE(GL001)
BUILTIN_RULE(GL002)
BUILTIN_RULE(GL003)
BUILTIN_RULE(GL004)
BUILTIN_RULE(GL005)
BUILTIN_RULE(GL010)
BUILTIN_RULE(GL011)
BUILTIN_RULE(GL012)
BUILTIN_RULE(GL013)
BUILTIN_RULE(GL014)
BUILTIN_RULE(GL015)
BUILTIN_RULE(GL016)
BUILTIN_RULE(GL017)
BUILTIN_RULE(GL018)
BUILTIN_RULE(GL020)
