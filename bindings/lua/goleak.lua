-- The Lua layer of libgoleak's binding: compiled into the goleak module and
-- run when it loads, with the SWIG module (core) and the metatable of error
-- values. It returns the table that require "goleak" gives:
--
--   local goleak = require "goleak"
--   local eng = goleak.engine()
--   for _, f in ipairs(eng:check_source(src, "x.go")) do print(f) end
--
-- Indices are Lua's (tokens from 1); lines and byte columns from 1, byte
-- offsets from 0, as in Go. Errors are raised as values with fields code,
-- message, path, line and column (tostring gives the message); a rule's
-- error also has cause, the value the rule raised. Units, engines and
-- cursors are freed by the garbage collector; tokens, findings and rules
-- are plain tables (copies); a node holds its unit.
--
-- Rule packs: goleak.engine() loads the packs shipped with libgoleak, as
-- goleak scan does ({default_packs = false} does without);
-- eng:load_pack(path) and eng:load_pack_string(text, name) load more. A
-- pack that cannot be loaded raises an error value whose path, line and
-- column say where, and leaves the engine as it was.
--
-- This file runs under Lua 5.4 and LuaJIT 2.1 (Lua 5.1) alike.

local core, error_mt = ...

local M = {}
M.version = core.version_string()
M.abi_version = core.abi_version()
M.Error = error_mt
M._core = core

local NONE = -1 -- GOLEAK_NONE as the module pushes it

local SEVERITIES = { [0] = "info", "warning", "error" }
local SEVERITY = { info = 0, warning = 1, error = 2 }
local USE_KINDS = { [0] = "read", "call", "select", "index", "assign", "receive", "send_on",
  "range", "return", "send", "arg", "copy", "store", "composite", "blank" }
local USE_FLAGS = { "address", "captured", "deferred", "goroutine" }
local VAR_KINDS = { [0] = "local", "param", "result", "receiver", "package" }
local TARGET_KINDS = { [0] = "none", "var", "package_var", "field", "index", "deref", "blank",
  "return", "arg", "send", "element" }
local PATH_RESULTS = { [0] = "released", "return", "continue", "end" }
local OPTION_TYPES = { [0] = "int", "bool", "string", int = 0, bool = 1, string = 2 }
local ORIGINS = { [0] = "builtin", "api", "pack", "native" }

local NODE_KINDS, NODE_KIND = {}, {}
for k = 0, core.node_kind_count() - 1 do
  NODE_KINDS[k] = core.node_kind_name(k)
  NODE_KIND[NODE_KINDS[k]] = k
end
local ROLES, ROLE = {}, {}
for k = 0, core.node_role_count() - 1 do
  ROLES[k] = core.node_role_name(k)
  ROLE[ROLES[k]] = k
end
local TOKEN_KINDS = {}
for k = 0, core.token_kind_count() - 1 do TOKEN_KINDS[k] = core.token_kind_name(k) end

--- Whether a value is an error raised by goleak.
function M.is_error(e)
  return getmetatable(e) == error_mt
end

local function raise(message, level)
  error(setmetatable({ code = -2, message = message, line = 0, column = 0 }, error_mt),
    (level or 1) + 1)
end

--- The Go version of the module path belongs to (nearest go.mod), or nil.
function M.go_version_for_path(path)
  local ok, v = pcall(core.go_version_for_path, path)
  if ok then return v end
  if M.is_error(v) and v.code == -8 then return nil end
  error(v, 0)
end

-- ------------------------------------------------------------ tokens ----

local Token = {}
Token.__index = Token
function Token.__tostring(t)
  return string.format("%s %q %d:%d", t.kind, t.text, t.line, t.column)
end
function Token.__eq(a, b)
  return a.unit == b.unit and a.index == b.index
end

local function make_token(unit, i) -- i from 0
  local p = unit._p
  local s = core.unit_token_span(p, i)
  return setmetatable({
    unit = unit, index = i + 1, kind = TOKEN_KINDS[core.unit_token_kind(p, i)],
    text = core.unit_token_text(p, i), offset = s.offset, line = s.line, column = s.column,
    end_offset = s.end_offset, end_line = s.end_line, end_column = s.end_column,
  }, Token)
end

local function token_index(t) -- a token or a Lua index, to C's
  if type(t) == "table" then return t.index - 1 end
  return t - 1
end

-- ------------------------------------------------------------- nodes ----

local Node = {}
local node_props = {}

local function make_node(unit, p)
  if p == nil then return nil end
  return setmetatable({ unit = unit, _p = p }, Node)
end

function Node.__index(n, k)
  local prop = node_props[k]
  if prop then return prop(n) end
  return Node[k]
end
function Node.__eq(a, b)
  return a.unit == b.unit and core.node_id(a._p) == core.node_id(b._p)
end
function Node.__tostring(n)
  local text = n.text
  if #text > 30 then text = text:sub(1, 27) .. "..." end
  return string.format("%s %d:%d %q", n.kind, n.line, n.column, text)
end

function node_props.id(n) return core.node_id(n._p) end
function node_props.kind(n) return NODE_KINDS[core.node_kind(n._p)] end
function node_props.role(n) return ROLES[core.node_role(n._p)] end
function node_props.text(n) return core.node_text(n._p) end
function node_props.line(n) return core.node_span(n._p).line end
function node_props.column(n) return core.node_span(n._p).column end
function node_props.end_line(n) return core.node_span(n._p).end_line end
function node_props.end_column(n) return core.node_span(n._p).end_column end
function node_props.offset(n) return core.node_span(n._p).offset end
function node_props.span(n) return core.node_span(n._p) end

--- The child nodes, an array in source order.
function Node.children(n)
  local out, c = {}, core.node_first_child(n._p)
  while c ~= nil do
    out[#out + 1] = make_node(n.unit, c)
    c = core.node_next_sibling(c)
  end
  return out
end

function Node.parent(n) return make_node(n.unit, core.node_parent(n._p)) end

--- The first child with a role ("body", "cond", ...), or nil.
function Node.child(n, role)
  local r = ROLE[role]
  if not r then error("unknown role " .. tostring(role), 2) end
  return make_node(n.unit, core.node_child_by_role(n._p, r))
end

--- The node's tokens, an array.
function Node.tokens(n)
  local first, last = core.node_first_token(n._p), core.node_last_token(n._p)
  local out = {}
  if first == NONE or last == NONE or last + 1 == first then return out end
  for i = first, last do out[#out + 1] = make_token(n.unit, i) end
  return out
end

function Node.key_token(n)
  local i = core.node_key_token(n._p)
  if i == NONE then return nil end
  return make_token(n.unit, i)
end

--- The nearest ancestor whose kind is one of kinds (a string or an array).
function Node.ancestor(n, kinds)
  if type(kinds) == "string" then kinds = { kinds } end
  local bits = 0
  for _, k in ipairs(kinds) do
    local v = NODE_KIND[k]
    if not v then error("unknown node kind " .. tostring(k), 2) end
    bits = bits + 2 ^ v -- kinds are distinct: a sum is their set
  end
  return make_node(n.unit, core.node_ancestor(n._p, bits, 0))
end

--- Iterates over the node and its subtree in source order (with depths).
function Node.walk(n)
  local cursor = core.cursor_new(n._p)
  local started = false
  return function()
    if started then
      if core.cursor_next(cursor) == 0 then return nil end
    end
    started = true
    return make_node(n.unit, core.cursor_node(cursor)), core.cursor_depth(cursor)
  end
end

-- ------------------------------------------------------------- units ----

local Unit = {}
Unit.__index = Unit

local function make_unit(p)
  return setmetatable({ _p = p }, Unit)
end

--- Parses Go source (a string) into a unit; syntax errors are its diagnostics.
function M.parse(source, path, tokens_only)
  if type(source) ~= "string" then error("parse: source must be a string", 2) end
  return make_unit(core.unit_parse(path or "x.go", source, tokens_only and 1 or 0))
end

--- Reads and parses a file (raises an error value when it cannot be read).
function M.parse_file(path, tokens_only)
  return make_unit(core.unit_parse_file(path, tokens_only and 1 or 0))
end

function Unit.path(u) return core.unit_path(u._p) end
function Unit.source(u) return core.unit_source(u._p) end
function Unit.token_count(u) return core.unit_token_count(u._p) end
--- The name in the package clause, or nil without one.
function Unit.package_name(u) return core.unit_package_name(u._p) end
--- Whether the tree stops short (the source nests deeper than the parser's limit).
function Unit.truncated(u) return core.unit_truncated(u._p) == 1 end
function Unit.node_count(u) return core.unit_node_count(u._p) end
function Unit.root(u) return make_node(u, core.unit_root(u._p)) end
function Unit.__tostring(u)
  return string.format("unit %s (%d tokens)", tostring(u:path()), u:token_count())
end

--- Token i (from 1), or nil out of range.
function Unit.token(u, i)
  if type(i) ~= "number" or i < 1 or i > core.unit_token_count(u._p) then return nil end
  return make_token(u, i - 1)
end

--- Iterates over the tokens (comments excluded, the final EOF included).
function Unit.tokens(u)
  local i, n = -1, core.unit_token_count(u._p)
  return function()
    i = i + 1
    if i < n then return make_token(u, i) end
  end
end

--- Iterates over the comments: tables {text, offset, line, column, ...}.
function Unit.comments(u)
  local i, n = -1, core.unit_comment_count(u._p)
  return function()
    i = i + 1
    if i >= n then return nil end
    local s = core.unit_comment_span(u._p, i)
    return setmetatable({ kind = "COMMENT", index = i + 1, text = core.unit_comment_text(u._p, i),
      offset = s.offset, line = s.line, column = s.column, end_offset = s.end_offset,
      end_line = s.end_line, end_column = s.end_column }, Token)
  end
end

--- The lexical and syntax errors, an array of {message, line, column, offset, lexical}.
function Unit.diagnostics(u)
  local out = {}
  for i = 0, core.unit_diagnostic_count(u._p) - 1 do
    local pos = core.unit_diagnostic_pos(u._p, i)
    out[#out + 1] = { message = core.unit_diagnostic_message(u._p, i), offset = pos.offset,
      line = pos.line, column = pos.column, lexical = core.unit_diagnostic_is_lexical(u._p, i) == 1 }
  end
  return out
end

--- The token holding byte offset (or the first after it), or nil.
function Unit.token_at(u, offset)
  local i = core.unit_token_at(u._p, offset)
  if i == NONE then return nil end
  return make_token(u, i)
end

--- The innermost node holding a token (or a token index).
function Unit.node_at(u, tok)
  return make_node(u, core.unit_node_at(u._p, token_index(tok)))
end

--- The node with that id, or nil.
function Unit.node(u, id)
  return make_node(u, core.unit_node(u._p, id))
end

-- ---------------------------------------------------------- findings ----

local Finding = {}
Finding.__index = Finding
function Finding.__tostring(f)
  return string.format("%s:%d:%d: %s %s: %s", f.path, f.line, f.column, f.rule, f.name, f.message)
end

local function copy_findings(fp)
  local out = {}
  for i = 0, core.findings_count(fp) - 1 do
    local f = core.findings_get(fp, i)
    local s = core.finding_span(f)
    out[#out + 1] = setmetatable({
      rule = core.finding_rule_id(f), name = core.finding_rule_name(f),
      severity = core.severity_name(core.finding_severity(f)), message = core.finding_message(f),
      path = core.finding_path(f), line = s.line, column = s.column, end_line = s.end_line,
      end_column = s.end_column, offset = s.offset, symbol = core.finding_symbol(f),
      fingerprint = core.finding_fingerprint(f),
    }, Finding)
  end
  return out
end

-- ------------------------------------------------------------ checks ----

local Check = {}
Check.__index = Check

local function cp(c)
  if not c._p then raise("the check is over: a check is valid only while its rule runs", 3) end
  return c._p
end

function Check.go_minor(c)
  local v = core.check_go_minor(cp(c))
  if v < 0 then return nil end
  return v
end
function Check.option(c, key) return core.check_option(cp(c), key) end
function Check.option_int(c, key, fallback) return core.check_option_int(cp(c), key, fallback or 0) end

--- Reports a finding at a node, or at a token (through token `last` if given).
function Check.report(c, at, message, last)
  local p = cp(c)
  if getmetatable(at) == Node then
    core.check_report(p, at._p, message)
  elseif getmetatable(at) == Token then
    local first = token_index(at)
    core.check_report_tokens(p, first, last and token_index(last) or first, message)
  else
    error("report: expects a node or a token", 2)
  end
end

function Check.fail(c, message) core.check_fail(cp(c), message) end

local function tok_or_nil(unit, i)
  if i == NONE then return nil end
  return make_token(unit, i)
end

function Check.declaration(c, tok)
  return tok_or_nil(c.unit, core.check_declaration(cp(c), token_index(tok)))
end

function Check.var_kind(c, decl)
  local k = core.check_var_kind(cp(c), token_index(decl))
  return VAR_KINDS[k]
end

--- How the use at a token treats its variable: {token, kind, flags, node} or nil.
function Check.use(c, tok)
  local p, i = cp(c), token_index(tok)
  local kind = core.check_use_kind(p, i)
  if kind < 0 then return nil end
  local bits, flags = core.check_use_flags(p, i), {}
  for b, name in ipairs(USE_FLAGS) do
    if math.floor(bits / 2 ^ (b - 1)) % 2 == 1 then flags[name] = true end
  end
  return { token = make_token(c.unit, i), kind = USE_KINDS[kind], flags = flags,
    node = make_node(c.unit, core.check_use_node(p, i)) }
end

--- The uses of the variable declared at decl, an array in source order.
function Check.uses(c, decl)
  local p, d, out = cp(c), token_index(decl), {}
  for k = 0, core.check_var_use_count(p, d) - 1 do
    out[#out + 1] = c:use(core.check_var_use(p, d, k) + 1)
  end
  return out
end

--- Where the value of expr goes: {kind, first, last} or nil.
function Check.value_target(c, expr, result)
  local kind, first, last = core.check_value_target(cp(c), expr._p, result or 0)
  if kind < 0 then return nil end
  return { kind = TARGET_KINDS[kind], first = tok_or_nil(c.unit, first),
    last = tok_or_nil(c.unit, last) }
end

function Check.call_is(c, call, import_path, name)
  return core.check_call_is(cp(c), call._p, import_path, name) == 1
end
function Check.call_name(c, call) return tok_or_nil(c.unit, core.check_call_name(cp(c), call._p)) end
function Check.callee(c, call) return make_node(c.unit, core.check_callee(cp(c), call._p)) end
function Check.never_returns(c, call) return core.check_never_returns(cp(c), call._p) == 1 end
function Check.enclosing_func(c, n) return make_node(c.unit, core.check_enclosing_func(cp(c), n._p)) end
function Check.enclosing_loop(c, n) return make_node(c.unit, core.check_enclosing_loop(cp(c), n._p)) end
function Check.is_goroutine_body(c, n) return core.check_is_goroutine_body(cp(c), n._p) == 1 end

--- Follows every path after stmt: release(call) says whether a call
--- releases the resource, hands_off(ret) whether a return hands it over.
--- Returns "released", "return", "continue" or "end", and the leaking node.
function Check.release_path(c, stmt, release, hands_off)
  local unit = c.unit
  local function wrap(fn)
    if not fn then return nil end
    return function(p) return fn(make_node(unit, p)) and true or false end
  end
  local rc, at = core.host_lua_release_path(cp(c), stmt._p, wrap(release), wrap(hands_off))
  return PATH_RESULTS[rc], make_node(unit, at)
end

-- ------------------------------------------------------------ engine ----

local Engine = {}
Engine.__index = Engine

--- A new engine: opts.builtin (default true) registers the built-in rules;
--- opts.default_packs (default true) loads the rule packs shipped with
--- libgoleak (GL030-GL039), as goleak scan does, found as the command finds
--- them ($GOLEAK_RULES_DIR, the source tree of a build tree's module, the
--- install's share/goleak/rules). When they cannot be found this raises an
--- error value (code -8, GOLEAK_ENOTFOUND), as the command stops with status 2.
function M.engine(opts)
  opts = opts or {}
  local e = setmetatable({ _p = core.engine_new(), _languages = {}, _checking = {} }, Engine)
  if opts.builtin ~= false then core.engine_add_builtin_rules(e._p) end
  if opts.default_packs ~= false then core.host_add_default_packs(e._p) end
  return e
end

local function rule_table(e, p)
  local id = core.rule_id(p)
  local options = {}
  for i = 0, core.rule_option_count(p) - 1 do
    local o = core.rule_option_get(p, i)
    options[#options + 1] = { key = o.key, type = OPTION_TYPES[o.type], default = o.default_value,
      min = o.min, max = o.max, doc = o.doc }
  end
  return { id = id, name = core.rule_name(p), severity = SEVERITIES[core.rule_severity(p)],
    summary = core.rule_summary(p), doc = core.rule_doc(p), enabled = core.rule_enabled(p) == 1,
    origin = ORIGINS[core.rule_origin(p)] or "unknown", origin_path = core.rule_origin_path(p),
    language = e._languages[id], triggers = core.rule_triggers(p),
    go_versions = core.rule_go_versions(p), options = options }
end

--- The rules (copies), an array in registration order.
function Engine.rules(e)
  local out = {}
  for i = 0, core.engine_rule_count(e._p) - 1 do out[#out + 1] = rule_table(e, core.engine_rule(e._p, i)) end
  return out
end

--- The rule with this id or name (a copy), or nil.
function Engine.rule(e, id)
  local p = core.engine_find_rule(e._p, id)
  if p == nil then return nil end
  return rule_table(e, p)
end

local function id_list(ids)
  if type(ids) == "table" then return table.concat(ids, ",") end
  return ids
end

function Engine.enable(e, ids) core.engine_enable_rules(e._p, id_list(ids), 1) end
function Engine.disable(e, ids) core.engine_enable_rules(e._p, id_list(ids), 0) end

--- Sets a rule option: eng:set_option("GL004.threshold", 131072).
function Engine.set_option(e, key, value)
  local rule, opt = string.match(key, "^([^.]+)%.(.+)$")
  if not rule then error("set_option: expected RULE.KEY, got " .. tostring(key), 2) end
  if type(value) == "boolean" then value = value and "true" or "false" end
  core.engine_set_option(e._p, rule, opt, tostring(value))
end

--- Registers a rule written in Lua: def = {id, name, check = function(check)
--- ... end, severity, summary, doc, triggers, go_min, go_below, options}.
--- An error it raises is raised again by the check, as an error value whose
--- cause is it.
function Engine.add_rule(e, def)
  if type(def) ~= "table" or type(def.check) ~= "function" then
    error("add_rule: expects a table with id, name and a check function", 2)
  end
  local severity = SEVERITY[def.severity or "warning"]
  if not severity then error("add_rule: unknown severity " .. tostring(def.severity), 2) end
  local triggers = def.triggers
  if type(triggers) == "table" then triggers = table.concat(triggers, ",") end
  local d = core.host_rule_new(def.id, def.name, severity, def.summary or "", def.doc,
    def.go_min, def.go_below, triggers, 0)
  for _, o in ipairs(def.options or {}) do
    local t = OPTION_TYPES[o.type or "string"]
    if type(t) ~= "number" then error("add_rule: option " .. tostring(o.key) .. ": unknown type", 2) end
    local default = o.default
    if type(default) == "boolean" then default = default and "true" or "false" end
    core.host_rule_add_option(d, o.key, t, default ~= nil and tostring(default) or nil,
      o.min or 0, o.max or 0, o.doc)
  end
  local id, fn, checking = def.id, def.check, e._checking
  local function call(p)
    local check = setmetatable({ _p = p, unit = checking[#checking], rule = id }, Check)
    local ok, err = pcall(fn, check)
    check._p = nil
    if ok then return nil end
    checking.error = err
    if type(err) == "string" then return err end
    return tostring(err)
  end
  core.host_lua_add_rule(e._p, d, call)
  e._languages[id] = "lua"
  return e:rule(id)
end

local function rules_since(e, before)
  local out = {}
  for i = before, core.engine_rule_count(e._p) - 1 do
    out[#out + 1] = rule_table(e, core.engine_rule(e._p, i))
  end
  return out
end

--- Loads a YAML rule pack (rules/README.md is the format), or every pack
--- (*.yml, *.yaml) of a directory, as goleak scan --pack; returns the rules
--- it added (copies). All or nothing: on error the engine is as it was, and
--- the error value's path, line and column say where (its message is
--- "FILE:LINE:COL: ...").
function Engine.load_pack(e, path)
  if type(path) ~= "string" then error("load_pack: expects a path", 2) end
  local before = core.engine_rule_count(e._p)
  local ok, err = pcall(core.host_load_pack_path, e._p, path)
  if not ok then error(err, 2) end
  return rules_since(e, before)
end

--- Loads a YAML rule pack given as text; name (default "<string>") labels
--- its errors and is its rules' origin_path. Errors as load_pack.
function Engine.load_pack_string(e, text, name)
  if type(text) ~= "string" then error("load_pack_string: expects the pack's text", 2) end
  local before = core.engine_rule_count(e._p)
  local ok, err = pcall(core.engine_load_pack_string, e._p, name or "<string>", text)
  if not ok then error(err, 2) end
  return rules_since(e, before)
end

--- Runs the enabled rules on a unit: an array of findings.
function Engine.check(e, unit, go_version, report_unused_ignores)
  local checking = e._checking
  checking[#checking + 1] = unit
  checking.error = nil
  local ok, fp = pcall(core.host_lua_check, e._p, unit._p, go_version,
    report_unused_ignores and 1 or 0)
  checking[#checking] = nil
  if not ok then
    if M.is_error(fp) and fp.code == -6 then fp.cause = checking.error end
    checking.error = nil
    error(fp, 2)
  end
  return copy_findings(fp)
end

function Engine.check_source(e, source, path, go_version)
  return e:check(M.parse(source, path), go_version)
end

--- Reads and checks a file; go_version nil: the nearest go.mod's. Returns
--- the findings and an array of warnings: as goleak scan, a go.mod whose go
--- line is not a version (or that cannot be read) leaves the version
--- unknown, with a warning (an error value naming the go.mod and the line).
function Engine.check_file(e, path, go_version)
  local warnings = {}
  if go_version == nil then
    local ok, v = pcall(M.go_version_for_path, string.match(path, "^(.*)/[^/]*$") or ".")
    if ok then
      go_version = v
    elseif M.is_error(v) and v.path then
      warnings[1] = v
    else
      error(v, 2)
    end
  end
  return e:check(M.parse_file(path), go_version), warnings
end

M.Engine, M.Unit, M.Node, M.Check, M.Finding, M.Token = Engine, Unit, Node, Check, Finding, Token
return M
