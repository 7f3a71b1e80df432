/* A pack rule's triggers, derived from its patterns (pack_triggers.c). */
#ifndef GOLEAK_PACK_TRIGGERS_H
#define GOLEAK_PACK_TRIGGERS_H

#include "pack.h"

#include <stddef.h>

/* Writes the rule's triggers ("Close,import:net/http") into buf (size
 * bytes) and returns buf, or NULL when nothing is known that every match
 * needs (or it does not fit): the rule then runs on every file. */
const char *pack_rule_triggers(const pack_rule *r, char *buf, size_t size);

#endif
