# Writes the Lua layer (goleak.lua) as a C byte array for goleak_lua.swg.
# Usage: cmake -DINPUT=goleak.lua -DOUTPUT=goleak_lua_layer.h -P embed_layer.cmake
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n    " bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
     "/* Generated from bindings/lua/goleak.lua by embed_layer.cmake; do not edit. */\n"
     "static const unsigned char goleak_lua_layer[] = {\n    ${bytes}\n};\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
