"""SARIF 2.1.0 from goleak findings, as `goleak scan --format sarif` writes
it: the engine's rules as the driver's rules, one result per finding, columns
in Unicode code points (the findings' columns are bytes, as Go counts them).

Used by precommit.py and dask_scan.py. (When libgoleak gains its own SARIF
writer, this module becomes a call to it.)"""
import goleak

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
URI = "https://github.com/libgoleak/libgoleak"


def rules_metadata(engine):
    """The driver's rules: one entry per rule of the engine, in its order."""
    out = []
    for r in engine.rules:
        out.append({
            "id": r.id, "name": r.name,
            "shortDescription": {"text": r.summary}, "fullDescription": {"text": r.summary},
            "help": {"text": r.doc or r.summary},
            "defaultConfiguration": {"level": LEVELS[r.severity], "enabled": r.enabled},
            "properties": {"goVersions": r.go_versions},
        })
    return out


class CodePoints:
    """Converts byte columns to code point columns, reading each file once."""

    def __init__(self):
        self.lines = {}

    def column(self, path, line, byte_column):
        if path not in self.lines:
            try:
                with open(path, "rb") as fh:
                    self.lines[path] = fh.read().split(b"\n")
            except OSError:
                self.lines[path] = []
        lines = self.lines[path]
        if not 0 < line <= len(lines):
            return byte_column
        prefix = lines[line - 1][:byte_column - 1]
        return 1 + sum(1 for b in prefix if b & 0xC0 != 0x80)


def result(finding, rule_index, columns):
    """The SARIF result of a finding (a goleak.Finding or its to_dict())."""
    f = finding.to_dict() if isinstance(finding, goleak.Finding) else finding
    return {
        "ruleId": f["rule"], "ruleIndex": rule_index[f["rule"]], "level": LEVELS[f["severity"]],
        "message": {"text": f["message"]},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": f["file"]},
            "region": {"startLine": f["line"],
                       "startColumn": columns.column(f["file"], f["line"], f["column"]),
                       "endLine": f["end_line"],
                       "endColumn": columns.column(f["file"], f["end_line"], f["end_column"])}}}],
        "partialFingerprints": {"goleak/v1": f["fingerprint"]},
        "properties": {"symbol": f["symbol"]},
    }


def sarif_log(engine, findings, errors=()):
    """A SARIF log of findings checked with engine; errors: (path, message)
    pairs of files that could not be checked."""
    rules = rules_metadata(engine)
    index = {r["id"]: k for k, r in enumerate(rules)}
    columns = CodePoints()
    run = {
        "tool": {"driver": {"name": "goleak", "informationUri": URI,
                            "version": goleak.__version__, "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "results": [result(f, index, columns) for f in findings],
        "invocations": [{
            "executionSuccessful": not errors,
            "toolExecutionNotifications": [
                {"level": "error", "message": {"text": message},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": path}}}]}
                for path, message in errors],
        }],
    }
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [run]}
