-- examples/lua/goleak_nvim.lua exercised headless with LuaJIT (the Lua of
-- Neovim) outside Neovim: only the vim table is stubbed, recording what the
-- module asks of Neovim; the binding and the checks are real.
-- usage: luajit test_nvim_example.lua SOURCE_DIR   (LUA_CPATH: goleak.so; LUA_PATH: examples/lua)

local SRC = arg[1] or "."
local passed, failed = 0, 0

-- the stub: buffers, namespaces, autocommands, diagnostics
local buffers, autocmds, set_calls, notes = {}, {}, {}, {}
vim = {
  diagnostic = {
    severity = { ERROR = 1, WARN = 2, INFO = 3, HINT = 4 },
    set = function(ns, bufnr, diagnostics) set_calls[#set_calls + 1] = { ns = ns, bufnr = bufnr, diagnostics = diagnostics } end,
  },
  log = { levels = { ERROR = 4 } },
  notify = function(msg) notes[#notes + 1] = msg end,
  api = {
    nvim_create_namespace = function(name) return name == "goleak" and 7 or 0 end,
    nvim_create_augroup = function(name) return name end,
    nvim_create_autocmd = function(events, opts) autocmds[#autocmds + 1] = { events = events, opts = opts } end,
    nvim_buf_get_name = function(bufnr) return buffers[bufnr].name end,
    nvim_buf_get_lines = function(bufnr, first, last, strict)
      assert(first == 0 and last == -1 and strict == false)
      return buffers[bufnr].lines
    end,
  },
}

local function load_buffer(bufnr, path)
  local lines = {}
  for line in io.lines(path) do lines[#lines + 1] = line end
  buffers[bufnr] = { name = path, lines = lines }
end

local function check(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then passed = passed + 1 else failed = failed + 1; io.stderr:write("FAIL ", name, ": ", tostring(err), "\n") end
end

local nvim = require "goleak_nvim"

check("setup registers an autocommand for Go buffers", function()
  nvim.setup {
    options = { ["GL004.threshold"] = 131072 },
    rules = { { id = "NV001", name = "go-statement", severity = "info", triggers = "go",
      check = function(c)
        for node in c.unit:root():walk() do
          if node.kind == "go" then c:report(node, "a goroutine") end
        end
      end } },
  }
  assert(#autocmds == 1)
  assert(autocmds[1].opts.pattern == "*.go" and autocmds[1].opts.group == "goleak")
  assert(table.concat(autocmds[1].events, ",") == "BufReadPost,BufWritePost")
  assert(nvim.namespace == 7)
end)

check("a read Go buffer gets its findings as diagnostics", function()
  load_buffer(3, SRC .. "/examples/gl015_ticker_not_stopped.go")
  autocmds[1].opts.callback({ buf = 3 })
  local call = set_calls[#set_calls]
  assert(call.ns == 7 and call.bufnr == 3)
  assert(#call.diagnostics == 1, #call.diagnostics)
  local d = call.diagnostics[1]
  assert(d.lnum == 11 and d.col == 7, d.lnum .. ":" .. d.col) -- the finding's 12:8
  assert(d.end_lnum == 11 and d.end_col == 28)
  assert(d.severity == vim.diagnostic.severity.WARN)
  assert(d.code == "GL015" and d.source == "goleak")
  assert(d.message:find("^ticker%-not%-stopped: ticker `tk` is never stopped"), d.message)
end)

check("a rule written in Lua reports too, at its severity", function()
  load_buffer(4, SRC .. "/examples/gl020_blocked_sender.go")
  local diagnostics = nvim.check(4)
  local codes = {}
  for _, d in ipairs(diagnostics) do codes[#codes + 1] = d.code .. "@" .. (d.lnum + 1) end
  assert(table.concat(codes, " ") == "NV001@22 GL020@23", table.concat(codes, " "))
  assert(diagnostics[1].severity == vim.diagnostic.severity.INFO)
end)

check("unsaved edits are what is checked, and a fix clears the diagnostics", function()
  local lines = buffers[3].lines
  for k, line in ipairs(lines) do
    if line:find("tk := time.NewTicker") then
      table.insert(lines, k + 1, "\tdefer tk.Stop()")
      break
    end
  end
  assert(#nvim.check(3) == 0)
  assert(#set_calls[#set_calls].diagnostics == 0)
end)

check("the module's Go version comes from go.mod", function()
  load_buffer(5, SRC .. "/bindings/tests/fixtures/mod/ticker.go") -- go.mod: go 1.22
  local diagnostics = nvim.check(5)
  assert(#diagnostics == 1 and diagnostics[1].code == "GL015")
  assert(not diagnostics[1].message:find("unknown"), diagnostics[1].message)
end)

check("a failing rule is notified, not raised into Neovim", function()
  nvim.engine:add_rule { id = "NV002", name = "boom", check = function() error("boom") end }
  load_buffer(6, SRC .. "/examples/gl005_defer_in_loop.go")
  local diagnostics = nvim.check(6)
  assert(#diagnostics == 0)
  assert(notes[#notes]:find("NV002") and notes[#notes]:find("boom"), notes[#notes])
end)

check("packs: the shipped ones, and those named", function()
  nvim.setup { packs = { SRC .. "/bindings/tests/fixtures/pack/team.yml" } }
  assert(nvim.engine:rule("GL030").origin == "pack")
  load_buffer(7, SRC .. "/bindings/tests/fixtures/pack/team.go")
  local diagnostics = nvim.check(7)
  assert(#diagnostics == 1 and diagnostics[1].code == "TM001" and diagnostics[1].lnum == 10,
    #diagnostics)
  assert(diagnostics[1].severity == vim.diagnostic.severity.INFO)
  nvim.setup { default_packs = false }
  assert(nvim.engine:rule("GL030") == nil and nvim.engine:rule("TM001") == nil)
  local ok, e = pcall(nvim.setup, { packs = { SRC .. "/bindings/tests/fixtures/conn_leak.go" } })
  assert(not ok and e.code == -4 and e.path:find("conn_leak%.go$"), tostring(e))
end)

print(string.format("neovim example (%s): %d passed, %d failed", _VERSION, passed, failed))
os.exit(failed == 0 and 0 or 1, true) -- closing the state frees what the collector holds
