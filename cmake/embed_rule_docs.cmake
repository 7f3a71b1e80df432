# Generates the C table of the built-in rules' texts from docs/rules/*.md, so
# that each rule's text lives in one place (goleak explain prints it).
# Usage: cmake -DDOCS_DIR=... -DOUTPUT=... -P embed_rule_docs.cmake
# Each file: "# ID name", a blank line, the one-line summary, a blank line,
# the documentation (markdown).

# A C string literal for text: one literal per line, escaped.
function(c_literal text out)
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  string(REPLACE "?" "\\?" text "${text}") # no trigraphs in -std=c11
  string(REPLACE "\t" "\\t" text "${text}")
  string(REPLACE "\n" "\\n\"\n    \"" text "${text}")
  set(${out} "\"${text}\"" PARENT_SCOPE)
endfunction()

file(GLOB docs "${DOCS_DIR}/*.md")
list(FILTER docs EXCLUDE REGEX "/README\\.md$")
list(SORT docs)
set(body "")
set(count 0)
foreach(doc IN LISTS docs)
  file(READ "${doc}" text)
  if(NOT text MATCHES "^# ([A-Za-z0-9_-]+) ([a-z0-9-]+)\n\n([^\n]+)\n\n")
    message(FATAL_ERROR "${doc}: expected \"# ID name\", a blank line, a summary line and a blank line")
  endif()
  set(id "${CMAKE_MATCH_1}")
  set(name "${CMAKE_MATCH_2}")
  set(summary "${CMAKE_MATCH_3}")
  string(LENGTH "${CMAKE_MATCH_0}" head)
  string(SUBSTRING "${text}" ${head} -1 rest)
  get_filename_component(base "${doc}" NAME_WE)
  if(NOT base STREQUAL id)
    message(FATAL_ERROR "${doc}: the title names ${id}")
  endif()
  c_literal("${summary}" csummary)
  c_literal("${rest}" cdoc)
  string(APPEND body "    {\"${id}\", \"${name}\",\n    ${csummary},\n    ${cdoc}},\n")
  math(EXPR count "${count} + 1")
endforeach()

set(content "/* Generated from docs/rules/ID.md files by cmake/embed_rule_docs.cmake; do not edit. */
#include \"rules/rules.h\"

const rule_doc rule_docs[] = {
${body}};

const size_t rule_doc_count = ${count};
")
# rewrite only on change, so that a build after an unrelated edit recompiles nothing
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
