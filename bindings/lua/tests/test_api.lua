-- The Lua binding's surface, under Lua 5.4 and LuaJIT alike: units, tokens,
-- nodes, engines, findings, rules written in Lua and the error paths.
-- usage: lua5.4|luajit test_api.lua SOURCE_DIR   (LUA_CPATH finds goleak.so;
-- GOLEAK_CLI is the goleak command)

local goleak = require "goleak"
local SRC = arg[1] or "."
local FIXTURES = SRC .. "/bindings/tests/fixtures"
local PACK_DIR = FIXTURES .. "/pack"
local TEAM = PACK_DIR .. "/team.yml"
local CLI = os.getenv("GOLEAK_CLI") or "goleak"
local LUA = arg[-1]

local passed, failed = 0, 0
local function test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
  else
    failed = failed + 1
    io.stderr:write("FAIL ", name, ": ", tostring(err), "\n")
  end
end

local function eq(got, want, what)
  if got ~= want then
    error(string.format("%s: got %s, want %s", what or "value", tostring(got), tostring(want)), 2)
  end
end

local function raises(fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then error("expected an error", 2) end
  return err
end

local TICKER = [[
package main

import "time"

// poll never stops its ticker
func poll(done chan struct{}) {
	tk := time.NewTicker(time.Second)
	for {
		select {
		case <-tk.C:
		case <-done:
			return
		}
	}
}
]]

-- a rule written in Lua with the library's queries: an http.Get response
-- whose body is not closed on some path (a return of err or resp hands off)
local function http_body_rule(check)
  for call in check.unit:root():walk() do
    if call.kind == "call" and check:call_is(call, "net/http", "Get") then
      local stmt = call:ancestor("assign")
      if stmt then
        local result, at = check:release_path(stmt,
          function(c) return c.text:sub(-#".Body.Close()") == ".Body.Close()" end,
          function(ret)
            for _, x in ipairs(ret:children()) do
              if x.text == "err" or x.text == "resp" then return true end
            end
            return false
          end)
        if result ~= "released" then
          check:report(call, string.format("response body not closed (%s at line %d)", result, at.line))
        end
      end
    end
  end
end

test("version and integers", function()
  assert(goleak.version:match("^%d+%.%d+%.%d+$"), goleak.version)
  local u = goleak.parse(TICKER, "t.go")
  local t = u:token(1)
  eq(t.line, 1)
  if math.type then eq(math.type(t.line), "integer", "math.type(line)") end
  eq(tostring(t.column), "1", "tostring(column)")
  assert(not tostring(u:token_count()):find("%."), tostring(u:token_count()))
end)

test("tokens", function()
  local u = goleak.parse(TICKER, "t.go")
  local n, last = 0, nil
  for tok in u:tokens() do
    n = n + 1
    last = tok
  end
  eq(n, u:token_count())
  eq(last.kind, "EOF")
  eq(u:token(1).kind, "package")
  eq(u:token(2).text, "main")
  eq(u:token(2).kind, "IDENT")
  eq(u:token(2).index, 2)
  eq(u:token(1), u:token(1), "token equality")
  eq(u:token_at(8).text, "main")
  eq(u:path(), "t.go")
  eq(u:source(), TICKER)
  local comments = {}
  for c in u:comments() do comments[#comments + 1] = c.text end
  eq(#comments, 1)
  eq(comments[1], "// poll never stops its ticker")
  eq(#u:diagnostics(), 0)
  local bad = goleak.parse("package p\nfunc f() { x := # }\n")
  local d = bad:diagnostics()[1]
  eq(d.line, 2)
  eq(d.lexical, true)
  assert(d.message:find("illegal character"), d.message)
  -- embedded NUL bytes reach the lexer
  local nul = goleak.parse("package p\nvar s = \"a\0b\"\n")
  eq(#nul:token(7).text, 5)
end)

test("out of range", function()
  local u = goleak.parse(TICKER)
  eq(u:token(0), nil)
  eq(u:token(1e6), nil)
  eq(u:token_at(1e6), nil)
  eq(u:node(1e9), nil)
  raises(u:root().child, u:root(), "nosuchrole")
  raises(u:root().ancestor, u:root(), "nosuchkind")
  raises(goleak.parse, 42)
  local e = raises(goleak.parse("package p", "x.go", true) and goleak.engine().check, goleak.engine(),
    goleak.parse("package p", "x.go", true))
  eq(e.code, -2)
end)

test("nodes", function()
  local u = goleak.parse(TICKER)
  local root = u:root()
  eq(root.kind, "file")
  eq(root:parent(), nil)
  local kids = root:children()
  eq(#kids, 3)
  eq(kids[1].kind, "package")
  local fn = kids[3]
  eq(fn.kind, "func")
  eq(fn:key_token().text, "poll")
  eq(fn.line, 6)
  eq(fn.end_line, 15)
  eq(fn:child("body").role, "body")
  local count, call = 0, nil
  for node, depth in root:walk() do
    count = count + 1
    if node.kind == "call" and not call then call = node end
    assert(depth >= 0)
  end
  eq(count, u:node_count())
  eq(call.text, "time.NewTicker(time.Second)")
  eq(call:ancestor("func"), fn)
  eq(call:ancestor({ "for", "range" }), nil)
  eq(u:node(call.id), call)
  eq(u:node_at(call:key_token()), call)
  eq(call:tokens()[1].text, "time")
  assert(tostring(call):find("call"))
end)

test("nodes keep their unit", function()
  local node = goleak.parse(TICKER):root():children()[3]
  collectgarbage()
  collectgarbage()
  eq(node:key_token().text, "poll")
end)

test("engine and findings", function()
  local eng = goleak.engine()
  local rules = eng:rules()
  assert(#rules >= 15)
  local r = eng:rule("GL015")
  eq(r.name, "ticker-not-stopped")
  eq(r.severity, "warning")
  eq(r.origin, "builtin")
  eq(r.origin_path, nil)
  eq(r.language, nil)
  assert(r.enabled and #r.summary > 0 and #r.doc > 0)
  eq(eng:rule("ticker-not-stopped").id, "GL015")
  eq(eng:rule("GL004").options[1].default, "65536")
  eq(eng:rule("GL999"), nil)
  local found = eng:check_source(TICKER, "t.go")
  eq(#found, 1)
  local f = found[1]
  eq(f.rule, "GL015")
  eq(f.name, "ticker-not-stopped")
  eq(f.severity, "warning")
  eq(f.path, "t.go")
  eq(f.line, 7)
  eq(f.column, 8)
  eq(f.end_line, 7)
  eq(f.end_column, 35)
  assert(f.message:find("never stopped"))
  assert(tostring(f):find("^t.go:7:8: GL015 ticker%-not%-stopped: "))
  eq(#eng:check_source(TICKER, "t.go", "1.23"), 0)
  local m = eng:check_file(FIXTURES .. "/mod/ticker.go")
  eq(#m, 1)
  assert(not m[1].message:find("unknown"), m[1].message)
  eq(goleak.go_version_for_path(FIXTURES .. "/mod"), "1.22")
  eq(goleak.go_version_for_path("/"), nil)
  eq(goleak.parse(TICKER):truncated(), false)
  eq(goleak.parse(TICKER):package_name(), "main")
  eq(goleak.parse("// no clause\n"):package_name(), nil)
end)

test("enable, disable, options", function()
  local eng = goleak.engine()
  eng:disable("GL015")
  eq(eng:rule("GL015").enabled, false)
  eq(#eng:check_source(TICKER), 0)
  eng:enable({ "GL015" })
  eq(#eng:check_source(TICKER), 1)
  local big = "package p\ntype Big [100000]byte\nfunc f(b Big) {}\n"
  eq(#eng:check_source(big), 1)
  eng:set_option("GL004.threshold", 131072)
  eq(#eng:check_source(big), 0)
end)

test("errors", function()
  local eng = goleak.engine()
  local e = raises(eng.enable, eng, "GL999")
  assert(goleak.is_error(e))
  eq(e.code, -8)
  assert(tostring(e):find("GL999"))
  e = raises(eng.set_option, eng, "GL004.threshold", "many")
  eq(e.code, -2)
  raises(eng.set_option, eng, "threshold", 1)
  e = raises(goleak.parse_file, "/nonexistent/x.go")
  eq(e.code, -3)
  eq(e.path, "/nonexistent/x.go")
  eq(e.line, 0)
  assert(tostring(e):find("No such file"))
  e = raises(eng.check_file, eng, "/nonexistent/x.go")
  eq(e.code, -3)
  e = raises(eng.check_source, eng, TICKER, "x.go", "2.x")
  eq(e.code, -2)
end)

local function read(path)
  local fh = assert(io.open(path, "rb"))
  local text = fh:read("*a")
  fh:close()
  return text
end

local function write(path, text)
  local fh = assert(io.open(path, "wb"))
  fh:write(text)
  fh:close()
end

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- (id, origin, pack) of each rule `goleak rules --json` lists
local function command_rules(args)
  local p = assert(io.popen(shell_quote(CLI) .. " rules --json --no-config " .. (args or "")))
  local out = p:read("*a")
  p:close()
  local rules = {}
  for id, origin, rest in out:gmatch('{"id":"([^"]*)".-"origin":"([^"]*)"([^}]*)}') do
    rules[#rules + 1] = { id = id, origin = origin, pack = rest:match('"pack":"([^"]*)"') }
  end
  assert(#rules > 20, out)
  return rules
end

test("default packs are the command's", function()
  local want, got = command_rules(), goleak.engine():rules()
  eq(#got, #want, "rules")
  for i, r in ipairs(want) do
    eq(got[i].id, r.id, "rule " .. i)
    eq(got[i].origin, r.origin, r.id)
    eq(got[i].origin_path, r.pack, r.id)
  end
  eq(goleak.engine():rule("GL030").origin, "pack")
  assert(goleak.engine():rule("GL030").origin_path:find("/resources%.yml$"))
  want, got = command_rules("--no-default-packs"), goleak.engine { default_packs = false }:rules()
  eq(#got, #want, "rules without the packs")
  eq(goleak.engine { default_packs = false }:rule("GL030"), nil)
  eq(#goleak.engine { builtin = false }:rules(), 10)
end)

test("default packs missing or elsewhere", function()
  -- the look-up reads GOLEAK_RULES_DIR, which Lua cannot set: a child does
  local script = os.tmpname()
  write(script, [[
local goleak = require "goleak"
local ok, e = pcall(goleak.engine)
print(ok, goleak.is_error(e) and e.code, goleak.is_error(e) and e.path, tostring(e))
local eng = goleak.engine { default_packs = false }
print(eng:rule("GL015") ~= nil, eng:rule("GL030") == nil)
]])
  local function run(dir)
    local p = assert(io.popen("GOLEAK_RULES_DIR=" .. shell_quote(dir) .. " " .. shell_quote(LUA) ..
      " " .. shell_quote(script) .. " 2>&1"))
    local out = p:read("*a")
    p:close()
    return out
  end
  local out = run("/nonexistent/rules")
  local p = assert(io.popen("GOLEAK_RULES_DIR=/nonexistent/rules " .. shell_quote(CLI) ..
    " rules --no-config 2>&1; echo status $?"))
  local cli = p:read("*a")
  p:close()
  local message = out:match("^false\t%-8\t/nonexistent/rules\t([^\n]*)\n")
  assert(message, out)
  eq(cli, "goleak: " .. message .. "\nstatus 2\n", "the command's error")
  assert(out:find("\ntrue\ttrue\n"), out)
  write(script, [[
local eng = require "goleak".engine()
print(eng:rule("TM001").origin_path, eng:rule("GL030"))
]])
  eq(run(PACK_DIR), PACK_DIR .. "/team.yml\tnil\n")
  os.remove(script)
end)

-- bad packs and where the library must point: name, text, line, column
local BAD_PACKS = {
  { "syntax.yml", "format: 1\nname: bad\nrules:\n  - id: BD001\n    name: [unclosed\n", 6, 1 },
  { "key.yml", "format: 1\nname: bad-key\nrules:\n  - id: BD002\n    name: sleep\n" ..
    "    summary: s\n    message: m\n    colour: red\n    match: time.Sleep($D)\n", 8, 5 },
  { "regex.yml", "format: 1\nname: bad-regex\nrules:\n  - id: BD003\n    name: sleep-regex\n" ..
    "    summary: s\n    message: m\n    match:\n      pattern: time.Sleep($D)\n" ..
    "      where:\n        - metavariable: $D\n          regex: \"(unclosed\"\n", 12, 28 },
}

test("bad packs raise with their position", function()
  local eng = goleak.engine()
  local before = #eng:rules()
  for _, bad in ipairs(BAD_PACKS) do
    local name, text, line, column = bad[1], bad[2], bad[3], bad[4]
    local path = os.tmpname()
    write(path, text)
    for _, load in ipairs({ { eng.load_pack, path, path }, { eng.load_pack_string, text, name } }) do
      local e = raises(load[1], eng, load[2], name)
      assert(goleak.is_error(e), tostring(e))
      eq(e.code, -4, name)
      eq(e.path, load[3], name)
      eq(e.line, line, name .. " line")
      eq(e.column, column, name .. " column")
      eq(tostring(e):sub(1, #load[3] + 2 + #tostring(line) + #tostring(column) + 2),
        string.format("%s:%d:%d: ", load[3], line, column), name)
    end
    os.remove(path)
  end
  eq(#eng:rules(), before, "rules after failed loads")
  eng:load_pack(TEAM)
  local e = raises(eng.load_pack, eng, TEAM)
  eq(e.code, -10)
  eq(e.path, TEAM)
  assert(e.line > 0)
  e = raises(eng.load_pack, eng, "/nonexistent/team.yml")
  eq(e.code, -3)
  raises(eng.load_pack, eng, 42)
  raises(eng.load_pack_string, eng, nil, "x.yml")
end)

test("load packs from a file, a directory and a string", function()
  local handlers = PACK_DIR .. "/team.go"
  local eng = goleak.engine()
  local n = #eng:rules()
  local added = eng:load_pack(TEAM)
  eq(#added, 1)
  eq(added[1].id, "TM001")
  eq(added[1].origin, "pack")
  eq(added[1].origin_path, TEAM)
  eq(added[1].severity, "info")
  eq(eng:rules()[n + 1].id, "TM001")
  local found = eng:check_file(handlers)
  eq(#found, 1)
  eq(found[1].rule, "TM001")
  eq(found[1].line, 11)
  eq(found[1].column, 2)
  assert(found[1].message:find("in handler slow"), found[1].message)
  eq(goleak.engine { builtin = false, default_packs = false }:load_pack(PACK_DIR)[1].id, "TM001")
  local e2 = goleak.engine { builtin = false, default_packs = false }
  eq(#e2:check_file(handlers), 0)
  local r = e2:load_pack_string(read(TEAM), "team-string.yml")[1]
  eq(r.origin_path, "team-string.yml")
  eq(tostring(e2:check_file(handlers)[1]), tostring(found[1]))
  eq(goleak.engine { builtin = false, default_packs = false }:load_pack_string(read(TEAM))[1]
    .origin_path, "<string>")
end)

test("a go.mod whose go line is not a version: unknown, with a warning", function()
  local d = os.tmpname()
  os.remove(d)
  assert(os.execute("mkdir " .. shell_quote(d)))
  write(d .. "/go.mod", "module m\n\ngo banana\n")
  write(d .. "/t.go", TICKER)
  local found, warnings = goleak.engine():check_file(d .. "/t.go")
  eq(#found, 1)
  assert(found[1].message:find("unknown"), found[1].message)
  eq(#warnings, 1)
  eq(warnings[1].path, d .. "/go.mod")
  eq(warnings[1].line, 3)
  assert(tostring(warnings[1]):find("banana"))
  local _, none = goleak.engine():check_file(FIXTURES .. "/mod/ticker.go")
  eq(#none, 0)
  os.remove(d .. "/go.mod")
  os.remove(d .. "/t.go")
  os.remove(d)
end)

test("a Lua rule finds a leak in a fixture", function()
  local eng = goleak.engine { builtin = false, default_packs = false }
  local r = eng:add_rule { id = "LUA100", name = "http-body-not-closed", severity = "error",
    summary = "an HTTP response body not closed", triggers = "import:net/http",
    check = http_body_rule }
  eq(r.origin, "api")
  eq(r.language, "lua")
  eq(r.severity, "error")
  local found = eng:check_file(FIXTURES .. "/body_leak.go")
  eq(#found, 1)
  eq(found[1].rule, "LUA100")
  eq(found[1].line, 11)
  assert(found[1].message:find("return at line 15"), found[1].message)
  eq(#eng:check_source(TICKER), 0)
end)

test("queries and options in a Lua rule", function()
  local eng = goleak.engine { builtin = false }
  local seen = {}
  eng:add_rule { id = "LUA001", name = "go-in-init", triggers = "go",
    options = { { key = "max", type = "int", default = 0, min = 0, max = 10 } },
    check = function(check)
      seen.max = check:option_int("max")
      seen.minor = check:go_minor()
      seen.check = check
      for node in check.unit:root():walk() do
        if node.kind == "go" then check:report(node, "a goroutine started from init()") end
      end
      local body = check.unit:root():children()
      body = body[#body]
      local decl
      for _, t in ipairs(body:tokens()) do
        if t.text == "n" then decl = t break end
      end
      seen.kind = check:var_kind(decl)
      local kinds = {}
      for _, use in ipairs(check:uses(decl)) do kinds[#kinds + 1] = use.kind end
      seen.uses = table.concat(kinds, ",")
      for node in body:walk() do
        if node.kind == "call" then
          seen.callee = check:callee(node):key_token().text
          seen.target = check:value_target(node:parent()).kind
          seen.loop = check:enclosing_loop(node).kind
          break
        end
      end
    end }
  local src = "package p\nfunc init() {\n\tgo func() {}()\n}\n" ..
    "func use(x int) int { return x }\n" ..
    "func g() int {\n\tn := 1\n\tfor i := 0; i < 2; i++ {\n\t\tn = use(n)\n\t}\n\treturn n\n}\n"
  local found = eng:check_source(src, "i.go", "1.22")
  eq(#found, 1)
  eq(found[1].line, 3)
  eq(seen.max, 0)
  eq(seen.minor, 22)
  eq(seen.kind, "local")
  eq(seen.uses, "assign,arg,return")
  eq(seen.callee, "use")
  eq(seen.target, "var")
  eq(seen.loop, "for")
  eng:set_option("LUA001.max", 3)
  eng:check_source(src)
  eq(seen.max, 3)
  -- a check kept past its rule raises
  local e = raises(seen.check.report, seen.check, goleak.parse(src):root(), "late")
  assert(tostring(e):find("check is over"))
end)

test("an error inside a Lua rule", function()
  local eng = goleak.engine()
  eng:add_rule { id = "LUA002", name = "boom", check = function(check) error("exploded on " .. check.unit:path()) end }
  local e = raises(eng.check_source, eng, TICKER, "b.go")
  assert(goleak.is_error(e))
  eq(e.code, -6)
  eq(e.path, "b.go")
  assert(tostring(e):find("LUA002"), tostring(e))
  assert(tostring(e.cause):find("exploded on b.go"), tostring(e.cause))
  -- error values other than strings are kept as the cause
  eng:disable("LUA002")
  local obj = {}
  eng:add_rule { id = "LUA003", name = "boom-table", check = function() error(obj) end }
  e = raises(eng.check_source, eng, TICKER)
  eq(e.cause, obj)
  eng:disable("LUA003")
  eq(#eng:check_source(TICKER), 1) -- the engine still works
  -- an error in a path callback
  eng:add_rule { id = "LUA004", name = "path-boom", check = function(check)
    for node in check.unit:root():walk() do
      if node.kind == "assign" then
        check:release_path(node, function() error("path boom") end, function() return true end)
      end
    end
  end }
  e = raises(eng.check_file, eng, FIXTURES .. "/body_leak.go")
  assert(tostring(e.cause):find("path boom"), tostring(e.cause))
  eng:disable("LUA004")
  eng:add_rule { id = "LUA005", name = "fails", check = function(check) check:fail("cannot decide") end }
  e = raises(eng.check_source, eng, TICKER)
  assert(tostring(e):find("cannot decide"))
end)

test("registration errors", function()
  local eng = goleak.engine()
  local e = raises(eng.add_rule, eng, { id = "GL015", name = "again", check = function() end })
  eq(e.code, -10)
  raises(eng.add_rule, eng, { id = "bad id!", name = "x", check = function() end })
  raises(eng.add_rule, eng, { id = "LUA006", name = "x" })
  raises(eng.add_rule, eng, { id = "LUA007", name = "x", severity = "fatal", check = function() end })
  eq(eng:rule("LUA006"), nil)
end)

test("rules run in the coroutine that checks", function()
  local eng = goleak.engine { builtin = false }
  local where
  eng:add_rule { id = "LUA008", name = "where", check = function() where = coroutine.running() end }
  local co = coroutine.create(function() eng:check_source(TICKER) end)
  assert(coroutine.resume(co))
  eq(where, co)
end)

test("engines free their rules", function()
  local weak = setmetatable({}, { __mode = "v" })
  do
    local eng = goleak.engine { builtin = false }
    local fn = function() end
    weak[1] = fn
    eng:add_rule { id = "LUA009", name = "kept", check = fn }
  end
  collectgarbage()
  collectgarbage()
  eq(weak[1], nil, "the rule's function after its engine was collected")
end)

print(string.format("lua api (%s): %d passed, %d failed", _VERSION, passed, failed))
os.exit(failed == 0 and 0 or 1, true) -- closing the state frees what the collector holds
