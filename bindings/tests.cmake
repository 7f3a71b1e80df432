# The bindings' tests, run uninstalled from the build tree (included by
# bindings/CMakeLists.txt). Under ASan the interpreters preload the runtime:
# Python leaks by design at exit, so LeakSanitizer is off for it; the Lua
# tests close their state at exit and run with it on (every unit, engine and
# rule the collector held must have been freed). The memory tests run with a
# small quarantine: ASan's default one (256 MiB of freed blocks) would be the
# growth they measure.
set(asan_small_quarantine quarantine_size_mb=1:thread_local_quarantine_size_kb=64)

set(GOLEAK_SARIF_SCHEMA ${GOLEAK_SHARED_DIR}/data/sarif-schema-2.1.0.json)
set(readme_runner ${CMAKE_CURRENT_SOURCE_DIR}/tests/run_readme.py)

if(GOLEAK_PYTHON_BUILT)
  set(py_env PYTHONPATH=${CMAKE_CURRENT_BINARY_DIR}/python GOLEAK_CLI=${cli}
      GOLEAK_SOURCE_DIR=${PROJECT_SOURCE_DIR} GOLEAK_SARIF_SCHEMA=${GOLEAK_SARIF_SCHEMA}
      PYTHONDONTWRITEBYTECODE=1)
  if(GOLEAK_BINDING_ASAN)
    list(APPEND py_env ${GOLEAK_BINDING_ENV} ASAN_OPTIONS=detect_leaks=0)
  endif()
  foreach(t api scan memory)
    add_test(NAME bindings_python_${t}
             COMMAND ${GOLEAK_PYTHON_EXECUTABLE} -m unittest -v test_${t}
             WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/python/tests)
  endforeach()
  add_test(NAME bindings_python_examples
           COMMAND ${GOLEAK_PYTHON_EXECUTABLE} -m unittest -v test_examples
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/python/tests)
  add_test(NAME bindings_python_readme
           COMMAND ${GOLEAK_PYTHON_EXECUTABLE} ${readme_runner} python ${GOLEAK_PYTHON_EXECUTABLE}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set(py_tests bindings_python_api bindings_python_scan bindings_python_memory
      bindings_python_examples bindings_python_readme)
  set_tests_properties(${py_tests} PROPERTIES ENVIRONMENT "${py_env}" TIMEOUT 600)
  if(GOLEAK_BINDING_ASAN)
    list(TRANSFORM py_env REPLACE "^ASAN_OPTIONS=.*" "ASAN_OPTIONS=detect_leaks=0:${asan_small_quarantine}")
    set_tests_properties(bindings_python_memory PROPERTIES ENVIRONMENT "${py_env}")
  endif()
endif()

foreach(flavour IN LISTS GOLEAK_LUA_FLAVOURS)
  string(TOUPPER ${flavour} F)
  set(lua ${GOLEAK_${F}_EXECUTABLE})
  if(NOT lua)
    message(STATUS "bindings: no ${flavour} interpreter, its tests are not run")
    continue()
  endif()
  set(lua_env "LUA_CPATH=${CMAKE_CURRENT_BINARY_DIR}/lua/${flavour}/?.so"
      "LUA_PATH=${PROJECT_SOURCE_DIR}/examples/lua/?.lua" GOLEAK_CLI=${cli})
  if(GOLEAK_BINDING_ASAN)
    list(APPEND lua_env ${GOLEAK_BINDING_ENV} ASAN_OPTIONS=detect_leaks=1)
  endif()
  add_test(NAME bindings_${flavour}_api
           COMMAND ${lua} ${CMAKE_CURRENT_SOURCE_DIR}/lua/tests/test_api.lua ${PROJECT_SOURCE_DIR})
  add_test(NAME bindings_${flavour}_memory
           COMMAND ${lua} ${CMAKE_CURRENT_SOURCE_DIR}/lua/tests/test_memory.lua)
  add_test(NAME bindings_${flavour}_readme
           COMMAND ${GOLEAK_PYTHON_EXECUTABLE} ${readme_runner} lua ${lua}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set(lua_tests bindings_${flavour}_api bindings_${flavour}_memory bindings_${flavour}_readme)
  if(flavour STREQUAL "luajit")
    # the Neovim module, headless: LuaJIT with only the vim table stubbed
    add_test(NAME bindings_luajit_nvim_example
             COMMAND ${lua} ${CMAKE_CURRENT_SOURCE_DIR}/lua/tests/test_nvim_example.lua
                     ${PROJECT_SOURCE_DIR})
    list(APPEND lua_tests bindings_luajit_nvim_example)
  endif()
  set_tests_properties(${lua_tests} PROPERTIES ENVIRONMENT "${lua_env}" TIMEOUT 600
                       FAIL_REGULAR_EXPRESSION "[1-9][0-9]* failed")
  if(GOLEAK_BINDING_ASAN)
    list(TRANSFORM lua_env REPLACE "^ASAN_OPTIONS=.*" "ASAN_OPTIONS=detect_leaks=1:${asan_small_quarantine}")
    set_tests_properties(bindings_${flavour}_memory PROPERTIES ENVIRONMENT "${lua_env}")
    # the README test's runner is Python
    list(TRANSFORM lua_env REPLACE "^ASAN_OPTIONS=.*" "ASAN_OPTIONS=detect_leaks=0")
    set_tests_properties(bindings_${flavour}_readme PROPERTIES ENVIRONMENT "${lua_env}")
  endif()
endforeach()

# The installed bindings, imported from a temporary prefix (an uninstrumented
# build: the interpreters would need the sanitizer runtime).
if(NOT GOLEAK_SANITIZE AND (GOLEAK_PYTHON_BUILT OR GOLEAK_LUA_FLAVOURS))
  set(lua54_exe "")
  set(luajit_exe "")
  if("lua54" IN_LIST GOLEAK_LUA_FLAVOURS AND GOLEAK_LUA54_EXECUTABLE)
    set(lua54_exe ${GOLEAK_LUA54_EXECUTABLE})
  endif()
  if("luajit" IN_LIST GOLEAK_LUA_FLAVOURS AND GOLEAK_LUAJIT_EXECUTABLE)
    set(luajit_exe ${GOLEAK_LUAJIT_EXECUTABLE})
  endif()
  if(GOLEAK_PYTHON_BUILT)
    add_test(NAME bindings_installed
             COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/installed.sh ${PROJECT_BINARY_DIR}
                     ${GOLEAK_PYTHON_EXECUTABLE} ${GOLEAK_PYTHON_INSTALL_DIR} "${lua54_exe}"
                     "${luajit_exe}")
    set_tests_properties(bindings_installed PROPERTIES TIMEOUT 300)
  endif()
endif()
