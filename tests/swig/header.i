/* The public header through SWIG, as a binding reads it: the check that
 * goleak.h stays wrappable (tests/swig/check_swig.py runs SWIG for Python
 * and Lua with warnings as errors and checks that every function is
 * wrapped). Only directives every binding needs are here:
 *  - the string fields of definition structs are immutable: a binding builds
 *    its definitions in its own C code (setting a const char * from the
 *    host language would copy and leak it);
 *  - `end` (a goleak_span field) is a Lua keyword. */
%module goleak_header

%{
#include "goleak.h"
%}

%include <stdint.i>

%immutable goleak_rule_option::key;
%immutable goleak_rule_option::default_value;
%immutable goleak_rule_option::doc;
%immutable goleak_rule_def::id;
%immutable goleak_rule_def::name;
%immutable goleak_rule_def::summary;
%immutable goleak_rule_def::doc;
%immutable goleak_rule_def::go_min;
%immutable goleak_rule_def::go_below;
%immutable goleak_rule_def::triggers;
%immutable goleak_check_options::go_version;
%immutable goleak_native_pack::name;
#ifdef SWIGLUA
%rename(finish) goleak_span::end;
#endif

%include "goleak_version.h"
%include "goleak.h"
