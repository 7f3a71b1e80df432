-- Ownership across the boundary, in Lua: 10,000 distinct sources parsed,
-- walked (tokens, comments, nodes, cursors), checked by the built-in rules,
-- the shipped packs, a pack loaded from a string and a rule written in Lua,
-- findings read, errors raised (failing rules, missing files, packs that do
-- not load), engines created and collected; after a warm-up of 2,000 sources resident memory may grow by at
-- most LIMIT_KIB over the last 8,000.
-- usage: lua5.4|luajit test_memory.lua [COUNT]   (LUA_CPATH finds goleak.so)

local goleak = require "goleak"
local COUNT = tonumber(arg[1]) or 10000
local WARMUP = math.floor(COUNT / 5)
local LIMIT_KIB = 2048

local TEMPLATE = [[
package p%d

import (
	"sync"
	"time"
)

// worker%d leaks a ticker and a lock
func worker%d(mu *sync.Mutex, done chan struct{}) int {
	tk := time.NewTicker(%d * time.Millisecond)
	mu.Lock()
	if len(done) > %d {
		return %d
	}
	mu.Unlock()
	go func() { <-tk.C }()
	s := "%s"
	return len(s)
}
]]

local function rss_kib()
  local f = assert(io.open("/proc/self/statm"))
  local _, resident = f:read("*n", "*n")
  f:close()
  return resident * 4 -- pages of 4 KiB on this platform
end

local PACK = [[
format: 1
name: memory
rules:
  - id: MEM001
    name: lock-call
    summary: a Lock call
    message: "$M.Lock() called"
    match: $M.Lock()
]]
local BAD_PACK = PACK:gsub("MEM001", "BAD001"):gsub("lock%-call", "bad-regex")
  :gsub("match: %$M%.Lock%(%)", 'match:\n      pattern: $M.Lock()\n      where:\n' ..
    '        - metavariable: $M\n          regex: "(unclosed"')

local function new_engine()
  local eng = goleak.engine() -- the shipped packs too
  eng:load_pack_string(PACK, "memory.yml")
  eng:add_rule { id = "LUA001", name = "go-statement", triggers = "go", check = function(check)
    for node in check.unit:root():walk() do
      if node.kind == "go" then check:report(node, "go statement in " .. check.unit:path()) end
    end
  end }
  return eng
end

local bad = goleak.engine { builtin = false }
bad:add_rule { id = "LUA002", name = "fails", check = function(check) error("rule failure " .. check.unit:path()) end }

local engine = new_engine()
local tokens, nodes, findings, errors, base = 0, 0, 0, 0, nil
for i = 0, COUNT - 1 do
  local src = string.format(TEMPLATE, i, i, i, i, i, i, string.rep("x", i % 97))
  local unit = goleak.parse(src, "m" .. i .. ".go")
  for tok in unit:tokens() do if tok.text then tokens = tokens + 1 end end
  for node in unit:root():walk() do if node.kind then nodes = nodes + 1 end end
  for c in unit:comments() do assert(c.text) end
  assert(#unit:diagnostics() == 0)
  local found = engine:check(unit, "1.22")
  findings = findings + #found
  for _, f in ipairs(found) do assert(tostring(f)) end
  if i % 10 == 0 then
    local ok, e = pcall(bad.check, bad, unit)
    if not ok and e.code == -6 and tostring(e.cause):find("rule failure") then errors = errors + 1 end
    ok, e = pcall(goleak.parse_file, "/nonexistent/" .. i .. ".go")
    if not ok and e.code == -3 then errors = errors + 1 end
    ok, e = pcall(engine.load_pack_string, engine, BAD_PACK, "bad" .. i .. ".yml")
    if not ok and e.code == -4 and e.line == 12 then errors = errors + 1 end
  end
  if i % 100 == 0 then engine = new_engine() end -- the old one is collected with its rule
  if i + 1 == WARMUP then
    collectgarbage()
    collectgarbage()
    base = rss_kib()
  end
end
collectgarbage()
collectgarbage()
local finish = rss_kib()
local growth = finish - base
print(string.format("lua memory (%s): %d sources, %d tokens, %d nodes, %d findings, %d errors; " ..
  "RSS %d KiB after %d, %d KiB after %d: %+d KiB (limit %d)", _VERSION, COUNT, tokens, nodes,
  findings, errors, base, WARMUP, finish, COUNT, growth, LIMIT_KIB))
assert(findings == COUNT * 4, "findings: " .. findings) -- GL010, GL015, LUA001, MEM001
assert(errors == 3 * COUNT / 10, "errors: " .. errors)
assert(growth < LIMIT_KIB, "resident memory grew by " .. growth .. " KiB")
print("lua memory: 1 passed, 0 failed")
