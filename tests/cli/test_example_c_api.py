"""The C API example (examples/c/check_file.c) finds what the README says:
the rule it registers (EX001) and the built-in GL005, on the exact lines."""
import os
import re
import subprocess
import sys
import unittest

EXE, GO_FILE = sys.argv[1], sys.argv[2]


class ExampleCApi(unittest.TestCase):
    def test_findings(self):
        p = subprocess.run([EXE, GO_FILE], capture_output=True, text=True)
        self.assertEqual(p.returncode, 1, p.stderr)  # 1: findings
        found = sorted((line.split(":")[1], line.split()[1]) for line in p.stdout.splitlines())
        self.assertEqual(found, [("13", "EX001"), ("46", "GL005")], p.stdout)
        self.assertIn("not stopped on a path that returns", p.stdout)

    def test_missing_file_is_an_error(self):
        p = subprocess.run([EXE, GO_FILE + ".missing"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("warmup.go.missing", p.stderr)


    def test_readme_shows_the_example(self):
        # every line of the README's C blocks is a line of the example
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        readme = open(os.path.join(root, "README.md")).read()
        section = readme[readme.index("## The C API"):readme.index("## Building and installing")]
        blocks = re.findall(r"```c\n(.*?)```", section, re.S)
        self.assertEqual(len(blocks), 2)
        example = open(os.path.join(root, "examples", "c", "check_file.c")).read().splitlines()
        for line in "".join(blocks).splitlines():
            if line.strip():
                self.assertIn(line, example)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
