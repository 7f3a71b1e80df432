/* The names a file declares, indexed by name: its types, their fields,
 * embedded types and methods, and its functions; and the type of an
 * expression as far as the file shows it (a variable's declared type or
 * initial value, then the fields of a chain x.f.g). Without a type
 * checker, a type declared in another file is unknown. */
#ifndef GOLEAK_RULES_TYPEINDEX_H
#define GOLEAK_RULES_TYPEINDEX_H

#include "common.h"

typedef struct typeindex typeindex;

/* What an expression holds, as far as the file shows. */
enum sync_kind { SK_NONE, SK_MUTEX, SK_RWMUTEX, SK_WAITGROUP, SK_COND, SK_CHAN };

typedef struct tinfo {
    int sync;      /* enum sync_kind */
    uint32_t name; /* the name token of a type declared in the file, or NONE32 */
} tinfo;

/* Builds the index of a unit's facts; NULL when out of memory. */
typeindex *typeindex_build(const facts *f);
void typeindex_free(typeindex *t);

/* The type of the expression written as tokens [first, last]: a variable
 * or a chain of fields of one (&x, (x) too). */
tinfo typeindex_expr_type(const typeindex *t, uint32_t first, uint32_t last);

/* The type of field name (a token spelled like the field) of the file's
 * type named by token owner, or of a type it embeds. */
tinfo typeindex_field_type(const typeindex *t, uint32_t owner, uint32_t name);

/* The function or method of the file a call runs, as an index in
 * by_kind[FUNC]; NONE32 when unknown (another package, an interface, a
 * type declared elsewhere, a function value). */
uint32_t typeindex_callee(const typeindex *t, uint32_t call);

/* For a call x.f(...) of a function-typed field f that the file sets only
 * to method values of objects of one type of the file (T{f: y.m}, x.f =
 * y.m, every time the same method m): that method's index in
 * by_kind[FUNC], with *ra..*rb the tokens of one such y. NONE32 when the
 * field is set otherwise or not at all. */
uint32_t typeindex_field_callback(const typeindex *t, uint32_t call, uint32_t *ra, uint32_t *rb);

/* For a call fn(...) of the value variable of a range over a field
 * collection of callbacks (for _, fn := range l.notifiers), when the file
 * fills it only through a registration method (l.notifiers =
 * append(l.notifiers, fn) in Notify(fn)) whose every call passes the same
 * method value (state.Notify(sm.onChange)): that method's index, with
 * *ra..*rb the object of one such value. NONE32 otherwise. */
uint32_t typeindex_registered_callback(const typeindex *t, uint32_t call, uint32_t *ra,
                                       uint32_t *rb);

/* For a call of a callback the file registers once as a function literal
 * on an object (le.SetCheckpointer(func(...) { le.Checkpoint(...) }),
 * stored by le.cp = cp; or appended to an observer slice ranged over
 * for the call): the literal, with *reg the token of the variable it was
 * registered on and *oa..*ob the tokens of the object the call reaches it
 * through (le in le.cp(...), h in range h.observers). NONE32 otherwise. */
uint32_t typeindex_registered_literal(const typeindex *t, uint32_t call, uint32_t *reg,
                                      uint32_t *oa, uint32_t *ob);

/* For a call of a function parameter p (f() in RunWorker(f func())): the
 * function literal the file's one call of p's function passes for it
 * (s.RunWorker(func() { ... })). NONE32 when there is not exactly one
 * such call, or it passes something else. */
uint32_t typeindex_param_literal(const typeindex *t, const var_fact *p);

/* Whether a type of the file has a String or Error method (what fmt
 * calls on the values it formats). */
int typeindex_has_stringers(const typeindex *t);

/* The method spelled name of the file's type named by token owner (or of
 * a type it embeds), as an index in by_kind[FUNC]; NONE32 when none. */
uint32_t typeindex_method(const typeindex *t, uint32_t owner, const char *name);

/* Whether tokens [a, b] are a chain of names: x, x.y, x.y.z. */
int name_chain(const facts *f, uint32_t a, uint32_t b);

/* The name token of a type written as tokens [a, b] when it is a plain
 * name (T, *T, T[K]), NONE32 otherwise. */
uint32_t type_name_tok(const facts *f, uint32_t a, uint32_t b);

#endif
