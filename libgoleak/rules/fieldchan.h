/* Channels kept in a field (w.errc = make(chan error)) by the function
 * that starts the goroutines sending on them: GL013 and GL020 follow them
 * as they follow local channels. */
#ifndef GOLEAK_RULES_FIELDCHAN_H
#define GOLEAK_RULES_FIELDCHAN_H

#include "../paths.h"

/* What the rules learnt of the last field channel they asked about (the
 * goroutines of one function sending on one field come in a row): its
 * make statement and its receives, with what those from each one on say.
 * Zero it before use, free it with field_memo_free. */
typedef struct field_memo {
    const facts *f;
    uint32_t fn, gfn, field; /* the key, with root; fn NONE32 (or f NULL): empty */
    const var_fact *root;
    uint32_t made, field_tok; /* the make statement, NONE32 when not followed; its field */
    int buffered;             /* made with a capacity (by a constructor of the file) */
    uint32_t n;               /* receives (and ranges) of the field in fn */
    uint32_t *pos;            /* their tokens, in source order */
    uint32_t *once;           /* once[i]: those from i on outside loops, in fn itself */
    uint32_t *loop;           /* loop[i]: the first loop of fn holding one from i on */
    uint8_t *closure;         /* closure[i]: one from i on is in a function literal */
} field_memo;

void field_memo_free(field_memo *m);

/* A field channel X.f: the variable X (a local, parameter or receiver) and
 * the field's name token in the statement that makes it. */
typedef struct field_chan {
    const facts *f;
    const var_fact *root;
    uint32_t field;
    uint32_t made;         /* the assignment X.f = make(chan T) */
    uint32_t fn;           /* the function that makes it and starts the goroutine */
    uint32_t go;           /* the go statement */
    uint32_t gfn;          /* the goroutine's method when it is one (go w.produce()), NONE32 */
    const var_fact *groot; /* that method's receiver */
    field_memo *memo;
} field_chan;

/* The send, in go statement g's function literal or method of the file
 * started on a variable (go w.produce(), sending through its receiver),
 * not in a select, on an unbuffered field channel that g's
 * function made before g, and that only sends and receives touch: the file
 * mentions the field nowhere else, it is never closed, passed, stored or
 * made again. NONE32 when there is none (or out of memory: f->oom is
 * set); *fc describes it, with m, which must outlive it. */
uint32_t field_chan_sender(const facts *f, field_memo *m, uint32_t g, field_chan *fc);

/* The walk from fc->go: every path must receive from the channel (a
 * receive or a range over it outside the goroutine). */
release_query field_chan_walk(field_chan *fc);

/* What the starting function's receives after the go statement say: how
 * many run outside any loop, the first loop that holds one (NONE32: none),
 * and whether one is in a function literal (it may drain the channel
 * later). */
typedef struct field_recvs {
    uint32_t once;
    uint32_t loop;
    int in_closure;
} field_recvs;

void field_chan_receives(field_chan *fc, field_recvs *out);

/* How a file spells a channel field, by the field's name token: what the
 * field channel rules need to know that nothing else touches it. */
typedef struct field_spelling {
    int declared;     /* its declaration (errc chan error) */
    uint32_t makes;   /* errc: make(...) in a literal, x.errc = make(...) */
    int buffered;     /* one of the makes gives a capacity */
    uint32_t made_in; /* the function of the first make, NONE32 */
    int assigned;     /* ... made by x.errc = make(...), not as a literal's key */
    uint32_t sends;   /* x.errc <- v */
    uint32_t ranges;  /* for v := range x.errc */
    uint32_t recvs;   /* <-x.errc */
    int other;        /* any other spelling: a close, a hand-off, a local of that name... */
} field_spelling;

/* Scans every spelling of field name token t in f into *fs, calling recv
 * (may be NULL) with each receive's RECV node. Stops at the first other
 * spelling (fs->other set). */
void field_spelling_scan(const facts *f, uint32_t t, field_spelling *fs,
                         void (*recv)(void *ctx, uint32_t node), void *ctx);

/* Adds to fs what the other files of the check's package do with the
 * field named like token t of f: 1 when they only declare it or make it
 * (a constructor in another file), 0 when one of them sends, receives or
 * does anything else with it (or spells it where it cannot be read). */
struct goleak_check;
int field_spelling_package(struct goleak_check *chk, const facts *f, uint32_t t,
                           field_spelling *fs);

#endif
