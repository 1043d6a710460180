#!/usr/bin/python3
"""Data-driven tests of `tcsim check` on bad input: one scenario file per error.

Each file in tests/configs/bad/ starts with comment lines that say what the error message must
contain; the test runs `tcsim check FILE [ARGS]` and requires exit code 2, nothing on stdout,
and every expected substring on stderr:

    # expect: {file}:8 | 'settings.ward.capacty' | did you mean 'capacity'
    # absent: root | daemon       (optional: texts stderr must not contain, e.g. file content)
    # args: --set settings.ward.capacity=5      (optional: extra command-line arguments)

`{file}` stands for the path given to tcsim, so `{file}:8` checks the file name with the line
number. Several `# expect:` (or `# absent:`) lines add up. A file's body may be anything - not
UTF-8, binary - as long as its header lines are text. Bad input that cannot carry its own comments (an empty
file, a missing file, a folder) is described in SPECIAL_CASES below. Every file in
tests/configs/valid/ must instead pass `tcsim check` (exit 0): they prove that values next to
the bad ones (zero capacity inside a schedule, probabilities summing to 1 - 1e-12) are accepted.

Usage: bad_configs_test.py TCSIM_EXECUTABLE REPO_ROOT [CASE ...]
where CASE is bad/NAME, valid/NAME (a file's name without .yaml) or a special case's name;
without CASE, every case runs.
"""
import glob
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest

TCSIM = None
ROOT = None

# Cases whose input cannot hold a comment: name -> (how to make the path, expected substrings).
# The factory gets the test case (for cleanups) and returns the path to check.


def _empty_file(test):
    return os.path.join(ROOT, "tests", "configs", "bad", "empty.yaml")


def _missing_file(test):
    folder = tempfile.mkdtemp(prefix="tcsim_bad_")
    test.addCleanup(shutil.rmtree, folder)
    return os.path.join(folder, "no_such_scenario.yaml")


def _folder(test):
    folder = tempfile.mkdtemp(prefix="tcsim_bad_", suffix=".yaml")
    test.addCleanup(shutil.rmtree, folder)
    return folder


SPECIAL_CASES = {
    # tests/configs/bad/empty.yaml has zero bytes, so its expectations live here.
    "bad/empty": (_empty_file, ["{file}:1", "the file is empty", "expected a YAML mapping"]),
    "missing_file": (_missing_file, ["{file}", "cannot open the file"]),
    "directory": (_folder, ["{file}", "a folder, not a scenario file"]),
}


def read_header(path):
    """The `# expect:` and `# absent:` substrings and `# args:` arguments at the top of `path`."""
    expects, absents, args = [], [], []
    # The body may be bytes that are not UTF-8 (a test of just that): only the header is text.
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.startswith("#"):
                break
            body = line[1:].strip()
            for key, found in (("expect:", expects), ("absent:", absents)):
                if body.startswith(key):
                    found += [s.strip() for s in body[len(key):].split("|") if s.strip()]
            if body.startswith("args:"):
                args += shlex.split(body[len("args:"):])
    return expects, absents, args


def case_files(kind):
    folder = os.path.join(ROOT, "tests", "configs", kind)
    return sorted(glob.glob(os.path.join(folder, "*.yaml")))


class BadConfigTest(unittest.TestCase):
    """Filled in by add_cases(): one test_bad_<name> per file, one per special case."""

    def check_refused(self, path, args, expects, absents=()):
        out = subprocess.run([TCSIM, "check", path, *args], capture_output=True, text=True,
                             errors="replace")
        shown = f"\n--- stderr ---\n{out.stderr}--- stdout ---\n{out.stdout}"
        self.assertEqual(out.returncode, 2, f"exit code {out.returncode}, expected 2{shown}")
        self.assertEqual(out.stdout, "", f"nothing may be printed on stdout{shown}")
        self.assertTrue(expects, f"{path}: no '# expect:' line")
        missing = [e.replace("{file}", path) for e in expects
                   if e.replace("{file}", path) not in out.stderr]
        self.assertEqual(missing, [], f"stderr lacks these{shown}")
        shown_anyway = [a for a in absents if a in out.stderr]
        self.assertEqual(shown_anyway, [], f"stderr must not show these{shown}")


class ValidConfigTest(unittest.TestCase):
    """Filled in by add_cases(): one test_valid_<name> per file in tests/configs/valid/."""

    def check_accepted(self, path):
        out = subprocess.run([TCSIM, "check", path], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stderr, "")
        self.assertIn(f"{path}: valid scenario", out.stdout)


def add_cases():
    for path in case_files("bad"):
        name = os.path.splitext(os.path.basename(path))[0]
        if f"bad/{name}" in SPECIAL_CASES:
            continue

        def test(self, path=path):
            expects, absents, args = read_header(path)
            self.check_refused(path, args, expects, absents)

        setattr(BadConfigTest, f"test_bad_{name}", test)
    for key, (make_path, expects) in SPECIAL_CASES.items():

        def test(self, make_path=make_path, expects=expects):
            self.check_refused(make_path(self), [], expects)

        setattr(BadConfigTest, f"test_{key.replace('bad/', 'bad_')}", test)
    for path in case_files("valid"):
        name = os.path.splitext(os.path.basename(path))[0]

        def test(self, path=path):
            self.check_accepted(path)

        setattr(ValidConfigTest, f"test_valid_{name}", test)


def test_name(case):
    """The unittest name of a case given as bad/NAME, valid/NAME or a special case."""
    if case.startswith("valid/"):
        return f"ValidConfigTest.test_valid_{case[len('valid/'):]}"
    if case.startswith("bad/"):
        return f"BadConfigTest.test_bad_{case[len('bad/'):]}"
    return f"BadConfigTest.test_{case}"


if __name__ == "__main__":
    TCSIM, ROOT = sys.argv[1], sys.argv[2]
    add_cases()
    unittest.main(argv=[sys.argv[0], "-v", *[test_name(c) for c in sys.argv[3:]]])
