/* The declarations of a package, across its files: top-level functions,
 * methods (with their receiver's type), types, struct fields and package
 * variables, indexed by name. Built once per package check, on first use,
 * from the facts of every file (check_package_index); it lets a rule find
 * a helper, a type or a field that a sibling file declares. Building it
 * builds every file's facts: a rule asks for it only once it knows the
 * other files matter, and asks pkg_facts_naming (the source text) first
 * when one name is all it looks for. */
#ifndef GOLEAK_RULES_PKGINDEX_H
#define GOLEAK_RULES_PKGINDEX_H

#include "../facts.h"

struct goleak_check;

enum pkg_space {
    PS_FUNC,   /* a top-level function: item is its FUNC node */
    PS_METHOD, /* a method: item is its FUNC node, owner its receiver type's name */
    PS_TYPE,   /* a type spec: item is its SPEC node */
    PS_FIELD,  /* a named field of a struct type: item is its index in fields,
                * owner the type's name (NONE32 for an anonymous struct) */
    PS_VAR     /* a package variable: item is its index in vars */
};

typedef struct pkg_decl {
    uint32_t file;  /* its file's index in the package */
    uint32_t name;  /* its name token in that file */
    uint32_t item;  /* see enum pkg_space */
    uint32_t owner; /* a token of that file, NONE32 */
    uint32_t next;  /* the next declaration in its bucket */
    uint8_t space;
} pkg_decl;

typedef struct pkg_index {
    const facts *const *facts; /* per file of the package, all built */
    size_t n;
    const goleak_allocator *alloc;
    struct {
        pkg_decl *data;
        uint32_t len, cap;
    } decls;
    uint32_t *buckets; /* by name hash, heads of chains through next */
    uint32_t mask;
} pkg_index;

/* The package index of the check, built on first use (it builds the facts
 * of every file of the package). NULL when out of memory: the check then
 * fails. */
const pkg_index *check_package_index(struct goleak_check *chk);

/* The first declaration of the space whose name is spelled like token tok
 * of facts f (of any file), NONE32; then pkg_next from it. */
uint32_t pkg_first(const pkg_index *x, int space, const facts *f, uint32_t tok);
uint32_t pkg_next(const pkg_index *x, uint32_t i, int space, const facts *f, uint32_t tok);

/* Iterates over the declarations of a space named like token tok of f. */
#define FOR_PKG_DECL(x, space, f, tok, var)                                                        \
    for (uint32_t var = pkg_first(x, space, f, tok); var != NONE32;                                \
         var = pkg_next(x, var, space, f, tok))

static inline const pkg_decl *pkg_decl_at(const pkg_index *x, uint32_t i) {
    return &x->decls.data[i];
}
static inline const facts *pkg_decl_facts(const pkg_index *x, uint32_t i) {
    return x->facts[x->decls.data[i].file];
}

/* The next place at or after byte `from` of unit u's source where word
 * (a C string) is spelled as a whole word (no letter, digit or _ around
 * it), or UINT32_MAX. Reads the source only: in a comment or a string the
 * word counts too, so a miss is right and a hit may be wrong. */
uint32_t unit_find_word(const goleak_unit *u, uint32_t from, const char *word);

/* Whether a file of the check's package other than the checked one spells
 * the name of token t of f (unit_find_word); names too long to ask count
 * as spelled. */
int other_files_spell(struct goleak_check *chk, const facts *f, uint32_t t);

/* The facts of file i of the package when its source spells word
 * (unit_find_word), built then; NULL when it does not, or when out of
 * memory (*oom set). A rule asking about one name builds the facts of
 * only the files that spell it. */
const facts *pkg_facts_naming(struct goleak_check *chk, size_t i, const char *word, int *oom);

/* The function or method of another file of the package than file self
 * that a call of f runs: the function named like token name (type is
 * NONE32), or the method of that name whose receiver's type is named like
 * token type of facts tf. NONE32 when the package declares none, when file self
 * declares it, or when it declares several (files for other platforms). */
uint32_t pkg_callee(const pkg_index *x, uint32_t self, const facts *f, uint32_t name,
                    const facts *tf, uint32_t type);

/* Whether token a of facts fa and token b of facts fb have the same text. */
int tok_same_across(const facts *fa, uint32_t a, const facts *fb, uint32_t b);

/* The text of token tok as a C string in buf (size at least 2); 0 when it
 * does not fit. */
int tok_text(const facts *f, uint32_t tok, char *buf, size_t size);

#endif
