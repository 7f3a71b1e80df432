/* The one SWIG interface of libgoleak's bindings. It wraps include/goleak.h
 * as it is, plus the few helpers of host.h, into a low-level module that
 * the language layers make native:
 *
 *   Python  the extension goleak._goleak (swig -python -noproxy -threads
 *           -module _goleak); bindings/python/goleak/__init__.py is the
 *           package users import.
 *   Lua     the module goleak (luaopen_goleak, built once for Lua 5.4 and
 *           once against LuaJIT's headers); bindings/lua/goleak.lua, embedded
 *           in it, builds the table that require "goleak" returns.
 *
 * What each language needs beyond this file (statuses raised as errors,
 * integers, strings with a length, owned handles, rule callbacks) is in
 * python/goleak_python.swg and lua/goleak_lua.swg.
 *
 * Ownership: a handle returned through an out-parameter (engine, unit,
 * findings, cursor) belongs to the layer; in Lua the garbage collector frees
 * it (the destructors below), in Python the layer's objects free it in
 * __del__. Nodes, rules and findings' fields are borrowed: the layers keep
 * their owner alive (nodes hold their unit) or copy them (findings). */
%module goleak

%{
#include "goleak.h"
#include "host.h"

#include <stdlib.h>
#include <string.h>
%}

%include <stdint.i>

/* goleak_unit_parse is unit_parse in the module: the language already says goleak. */
%rename("%(strip:[goleak_])s") "";

/* ---- what the bindings leave out ----
 * Hosts never build these structs: the helpers of host.h and the typemaps
 * fill them. Error objects become exceptions (Python) or error values (Lua);
 * the parse and engine options are the flags argument and the defaults. */
%ignore goleak_allocator;
%ignore goleak_allocator_init;
%ignore goleak_parse_options;
%ignore goleak_parse_options_init;
%ignore goleak_engine_options;
%ignore goleak_engine_options_init;
%ignore goleak_check_options;
%ignore goleak_check_options_init;
%ignore goleak_rule_def;
%ignore goleak_rule_def_init;
%ignore goleak_engine_register_rule; /* host_*_add_rule register host callbacks */
%ignore goleak_engine_check;         /* host_check: the options as arguments */
%ignore goleak_path_query;
%ignore goleak_path_query_init;
%ignore goleak_check_release_path;   /* host_*_release_path: host callbacks */
%ignore goleak_pos;
%ignore goleak_span;
%ignore goleak_error_new;
%ignore goleak_error_free;
%ignore goleak_error_clear;
%ignore goleak_error_code;
%ignore goleak_error_message;
%ignore goleak_error_file;
%ignore goleak_error_line;
%ignore goleak_error_column;
%ignore goleak_error_offset;
%ignore host_error;
%ignore host_error_peek;
%ignore host_rule_register;
/* Packs load through host_load_pack_path (a file or a directory) and
 * host_add_default_packs (where an installed module finds them). Native
 * packs are not offered: they link libgoleak.so, and their calls would
 * reach that copy of the library, not the one inside the module. */
%ignore goleak_engine_add_default_packs;
%ignore goleak_default_packs_dir;
%ignore goleak_native_pack;
%ignore goleak_native_pack_entry_fn;
%ignore goleak_engine_load_native_pack;
/* Writers are made by host_*_writer_new (the options as arguments, a host
 * callable as the output); hosts quote JSON and count code points their
 * own way. */
%ignore goleak_writer_options;
%ignore goleak_writer_options_init;
%ignore goleak_writer_new;
%ignore goleak_write_fn;
%ignore host_writer_new;
%ignore goleak_json_quote;
%ignore goleak_finding_cp_columns;

/* A declared option is read through its getters; nothing writes one. */
%immutable goleak_rule_option::key;
%immutable goleak_rule_option::type;
%immutable goleak_rule_option::default_value;
%immutable goleak_rule_option::min;
%immutable goleak_rule_option::max;
%immutable goleak_rule_option::doc;
%nodefaultctor goleak_rule_option;
%nodefaultdtor goleak_rule_option;

/* Statuses, errors and out-parameters (common names, language-specific
 * code): every `goleak_error *err` argument is the thread's error object,
 * and one typemap(out) on goleak_status raises it. */
#if defined(SWIGPYTHON)
%include "python/goleak_python.swg"
#elif defined(SWIGLUA)
%include "lua/goleak_lua.swg"
#else
#error "bindings/goleak.i: a language without its part (python/ or lua/)"
#endif

/* A pack's text is a source like Go's: with its length. */
%apply (const char *src, size_t len) { (const char *text, size_t len) };

/* Opaque handles: SWIG sees empty structs, so that Lua can give the owned
 * ones a destructor; nothing constructs them from the host language. */
%nodefaultctor goleak_engine;
%nodefaultctor goleak_unit;
%nodefaultctor goleak_findings;
%nodefaultctor goleak_cursor;
%nodefaultctor goleak_writer;
%nodefaultctor host_rule;
struct goleak_engine {};
struct goleak_writer {};
struct goleak_unit {};
struct goleak_findings {};
struct goleak_cursor {};
struct host_rule {};

%include "goleak_version.h"
%include "goleak.h"
%include "host.h"
