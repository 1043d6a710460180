#!/usr/bin/python3
"""End-to-end tests of the tcsim executable: what a user types, what they see, exit codes.

Usage: cli_test.py TCSIM_EXECUTABLE REPO_ROOT
"""
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

TCSIM = None
ROOT = None


def run(*args, check=False):
    return subprocess.run([TCSIM, *args], capture_output=True, text=True, check=check)


def erlang_c_wait(lam, mu, c):
    """Mean wait in queue of M/M/c (Erlang C)."""
    a = lam / mu
    rho = a / c
    s = sum(a**k / math.factorial(k) for k in range(c))
    top = a**c / math.factorial(c) / (1 - rho)
    p_wait = top / (s + top)
    return p_wait / (c * mu - lam)


class VersionTest(unittest.TestCase):
    def test_version_names_release_and_commit(self):
        out = run("--version")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertRegex(out.stdout,
                         r"^tcsim \d+\.\d+\.\d+ \(commit ([0-9a-f]{7,}(-modified)?|unknown)\)$")


class ReferenceModelTest(unittest.TestCase):
    config = None

    @classmethod
    def setUpClass(cls):
        cls.config = os.path.join(ROOT, "configs", "reference", "mmc.yaml")

    def test_table_names_the_four_reported_quantities(self):
        out = run("run", self.config, "--reps", "1")
        self.assertEqual(out.returncode, 0, out.stderr)
        for label in ("mean_wait", "mean_time_in_system", "mean_in_system", "utilisation"):
            self.assertIn(label, out.stdout)
        self.assertIn("n/a", out.stdout)  # one replication: no interval

    def test_json_matches_erlang_c_within_its_interval(self):
        out = run("run", self.config, "--reps", "4", "--threads", "2", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        doc = json.loads(out.stdout)
        self.assertEqual(doc["replications"], 4)
        self.assertEqual(doc["config"], self.config)
        self.assertIsInstance(doc["seed"], int)
        wait = doc["metrics"]["servers.mean_wait"]
        self.assertEqual(wait["unit"], "days")
        self.assertEqual(len(wait["values"]), 4)
        self.assertIsNotNone(wait["ci_half_width"])
        # The reported half-width is the Student-t 95% one: t(0.975, 3 dof) = 3.182446.
        values = wait["values"]
        mean = sum(values) / 4
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / 3)
        self.assertAlmostEqual(wait["mean"], mean, places=12)
        self.assertAlmostEqual(wait["ci_half_width"], 3.182446 * sd / 2, places=5)
        # Erlang C lies inside the 99.9% interval, t(0.9995, 3 dof) = 12.92398.
        theory = erlang_c_wait(9.0, 1.0, 10)
        self.assertAlmostEqual(theory, 0.6687, places=4)
        self.assertLess(abs(mean - theory), 12.92398 * sd / 2)
        customers = doc["metrics"]["system.completions"]["values"]
        self.assertEqual(customers, [1000000.0] * 4)

    def test_same_seed_same_json_whatever_threads(self):
        a = run("run", self.config, "--reps", "2", "--threads", "1", "--json", "--seed", "5")
        b = run("run", self.config, "--reps", "2", "--threads", "2", "--json", "--seed", "5")
        self.assertEqual(a.returncode, 0, a.stderr)
        self.assertEqual(json.loads(a.stdout)["metrics"], json.loads(b.stdout)["metrics"])


class BadInputTest(unittest.TestCase):
    def write(self, text):
        handle = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
        handle.write(text)
        handle.close()
        self.addCleanup(os.unlink, handle.name)
        return handle.name

    def test_unknown_key_exits_2_naming_file_line_and_key(self):
        path = self.write("name: x\nsettings:\n  s:\n    kind: beds\n    capacty: 3\n")
        out = run("run", path)
        self.assertEqual(out.returncode, 2)
        self.assertIn(f"{path}:5", out.stderr)
        self.assertIn("settings.s.capacty", out.stderr)
        self.assertIn("did you mean 'capacity'", out.stderr)
        self.assertEqual(out.stdout, "")

    def test_missing_file_exits_2(self):
        out = run("run", "/nonexistent/tcsim.yaml")
        self.assertEqual(out.returncode, 2)
        self.assertIn("cannot open", out.stderr)

    def test_bad_argument_exits_2(self):
        out = run("run", os.path.join(ROOT, "configs", "reference", "mmc.yaml"), "--reps", "0")
        self.assertEqual(out.returncode, 2)


if __name__ == "__main__":
    TCSIM, ROOT = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0], "-v"])
