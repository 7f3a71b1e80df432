-- Leak diagnostics for Go buffers in Neovim, from libgoleak's Lua binding
-- (built against LuaJIT's headers: put its goleak.so on package.cpath).
--
--   require("goleak_nvim").setup()                   -- check *.go on read and write
--   require("goleak_nvim").setup { disable = { "GL005" }, options = { ["GL004.threshold"] = 131072 } }
--   require("goleak_nvim").setup { packs = { "tools/goleak/team.yml" } }
--
-- Each check reads the buffer's lines (saved or not), runs the built-in
-- rules, the rule packs shipped with goleak (unless opts.default_packs is
-- false), the packs of opts.packs (files or directories) and any rule given
-- in opts.rules (tables for engine:add_rule), and sets the findings as the
-- buffer's diagnostics in the "goleak" namespace. A pack that does not load
-- stops setup with its FILE:LINE:COL error.
-- Columns: findings count bytes from 1, Neovim's diagnostics bytes from 0.

local goleak = require "goleak"

local M = {}

local severities = {
  error = vim.diagnostic.severity.ERROR,
  warning = vim.diagnostic.severity.WARN,
  info = vim.diagnostic.severity.INFO,
}

--- The diagnostic of a finding.
function M.to_diagnostic(f, bufnr)
  return {
    bufnr = bufnr,
    lnum = f.line - 1,
    col = f.column - 1,
    end_lnum = f.end_line - 1,
    end_col = f.end_column - 1,
    severity = severities[f.severity],
    source = "goleak",
    code = f.rule,
    message = f.name .. ": " .. f.message,
  }
end

--- Checks a buffer (0: the current one) and sets its diagnostics; returns them.
function M.check(bufnr)
  bufnr = bufnr or 0
  local path = vim.api.nvim_buf_get_name(bufnr)
  local src = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n") .. "\n"
  local dir = path:match("^(.*)/[^/]*$") or "."
  local has_version, version = pcall(goleak.go_version_for_path, dir)
  local ok, findings = pcall(M.engine.check_source, M.engine, src, path,
    has_version and version or nil)
  local diagnostics = {}
  if ok then
    for _, f in ipairs(findings) do diagnostics[#diagnostics + 1] = M.to_diagnostic(f, bufnr) end
  else
    vim.notify("goleak: " .. tostring(findings), vim.log.levels.ERROR)
  end
  vim.diagnostic.set(M.namespace, bufnr, diagnostics)
  return diagnostics
end

--- Configures the engine and checks Go buffers when they are read or written.
function M.setup(opts)
  opts = opts or {}
  M.engine = goleak.engine { default_packs = opts.default_packs }
  for _, pack in ipairs(opts.packs or {}) do M.engine:load_pack(pack) end
  if opts.disable then M.engine:disable(opts.disable) end
  for key, value in pairs(opts.options or {}) do M.engine:set_option(key, value) end
  for _, rule in ipairs(opts.rules or {}) do M.engine:add_rule(rule) end
  M.namespace = vim.api.nvim_create_namespace("goleak")
  local group = vim.api.nvim_create_augroup("goleak", { clear = true })
  vim.api.nvim_create_autocmd({ "BufReadPost", "BufWritePost" }, {
    group = group,
    pattern = "*.go",
    callback = function(ev) M.check(ev.buf) end,
  })
  return M
end

return M
