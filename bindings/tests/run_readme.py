#!/usr/bin/env python3
"""Runs the README's example of one language exactly as written: the first
```python (or ```lua) block of its "## Bindings" section, from the
repository's root, with the interpreter given; it must exit 0 and print a
finding of the examples (GL015).

usage: run_readme.py python|lua INTERPRETER   (run from the repository root;
the environment finds the built binding: PYTHONPATH or LUA_CPATH)"""
import os
import re
import subprocess
import sys
import tempfile


def example(readme, lang):
    section = re.search(r"^## Bindings\n(.*?)(?=^## )", readme, re.S | re.M)
    if not section:
        sys.exit("README.md has no '## Bindings' section")
    block = re.search(r"^```" + lang + r"\n(.*?)^```", section.group(1), re.S | re.M)
    if not block:
        sys.exit(f"README.md's Bindings section has no ```{lang} block")
    return block.group(1)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    lang, interpreter = sys.argv[1:]
    with open("README.md", encoding="utf-8") as fh:
        code = example(fh.read(), lang)
    lines = code.strip("\n").count("\n") + 1
    with tempfile.NamedTemporaryFile("w", suffix=".py" if lang == "python" else ".lua",
                                     delete=False) as fh:
        fh.write(code)
    try:
        p = subprocess.run([interpreter, fh.name], capture_output=True, text=True, timeout=300)
    finally:
        os.unlink(fh.name)
    print(f"README {lang} example ({lines} lines) with {interpreter}: exit {p.returncode}")
    print(p.stdout + p.stderr)
    ok = p.returncode == 0 and "GL015" in p.stdout
    print(f"readme {lang}: {1 if ok else 0} passed, {0 if ok else 1} failed")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
