#!/usr/bin/python3
"""End-to-end tests of the tcsim executable: what a user types, what they see, exit codes.

Usage: cli_test.py TCSIM_EXECUTABLE REPO_ROOT [TEST_CLASS_OR_METHOD ...]
"""
import csv
import glob
import hashlib
import json
import math
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest

TCSIM = None
ROOT = None


def run(*args, check=False):
    return subprocess.run([TCSIM, *args], capture_output=True, text=True, check=check)


class Absent(str):
    """An expected text that must NOT be on stderr (a case file's `# absent:`)."""


def assert_bad_input(test, out, expects, path):
    """Exit 2, nothing on stdout, and every expected text (with {file} = path) on stderr - and
    none of the Absent ones."""
    shown = f"\n--- stderr ---\n{out.stderr}--- stdout ---\n{out.stdout}"
    test.assertEqual(out.returncode, 2, f"exit code {out.returncode}{shown}")
    test.assertEqual(out.stdout, "", shown)
    missing = [e.replace("{file}", path) for e in expects
               if not isinstance(e, Absent) and e.replace("{file}", path) not in out.stderr]
    test.assertEqual(missing, [], f"stderr lacks these{shown}")
    present = [e for e in expects if isinstance(e, Absent) and e in out.stderr]
    test.assertEqual(present, [], f"stderr must not show these{shown}")


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
                         r"^tcsim \d+\.\d+\.\d+ \((commit [0-9a-f]{12}|commit [0-9a-f]{12}-modified, "
                         r"sources [0-9a-f]{16}|sources [0-9a-f]{16})\)\n$")

    def test_json_carries_the_version_and_the_build(self):
        version = run("--version").stdout.strip()
        out = run("run", os.path.join(ROOT, "configs", "reference", "mmc.yaml"), "--json",
                  "--horizon", "50")
        self.assertEqual(out.returncode, 0, out.stderr)
        doc = json.loads(out.stdout)
        self.assertRegex(doc["tcsim_version"], r"^\d+\.\d+\.\d+$")
        self.assertEqual(f"tcsim {doc['tcsim_version']} ({doc['tcsim_build']})", version)


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


# --- Reference model B from the command line -------------------------------------------------

# The metrics every run reports, by scope (models/run/metrics.cpp; docs/metrics.md may lag).
SETTING_METRICS = [
    "mean_wait", "p95_wait", "mean_stay", "mean_occupancy", "p50_occupancy", "p95_occupancy",
    "max_occupancy", "time_full", "occupancy_at_end", "mean_queue", "utilisation", "admissions",
    "loss_probability", "delayed_patients", "delayed_days", "mean_delay",
    "delayed_days_transfer", "delayed_days_capacity",
]
COHORT_METRICS = ["arrivals", "completions", "mean_time_in_system"]
SYSTEM_METRICS = [
    "mean_time_in_system", "p95_time_in_system", "mean_in_system", "max_in_system",
    "in_system_at_end", "throughput", "arrivals", "completions", "losses", "measured_days",
    "events",
]
MODEL_B_SETTINGS = ["acute", "community_nursing", "intermediate_care"]


def model_b_metric_names():
    """(scope, name) of every metric model B reports."""
    names = [(s, m) for s in MODEL_B_SETTINGS for m in SETTING_METRICS]
    # Patients move from acute to the other two, so acute reports delays by destination.
    names += [("acute", "delayed_days_for_community_nursing"),
              ("acute", "delayed_days_for_intermediate_care")]
    names += [("emergency", m) for m in COHORT_METRICS]
    names += [("system", m) for m in SYSTEM_METRICS]
    return names


def parse_table(text):
    """{(scope, name): (mean, ci, unit)} from `tcsim run`'s table."""
    rows = {}
    scope = None
    for line in text.splitlines():
        if line.startswith("[") and line.endswith("]"):
            scope = line[1:-1]
        elif line.startswith("  ") and scope is not None:
            name, mean, ci, unit = line.split()
            rows[(scope, name)] = (mean, ci, unit)
    return rows


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, [dict(zip(header, row)) for row in reader]


def write_temp(test, text, name="scenario.yaml"):
    folder = tempfile.mkdtemp(prefix="tcsim_cli_")
    test.addCleanup(shutil.rmtree, folder)
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


class ModelBTest(unittest.TestCase):
    """Reference model B (configs/reference/acute_community.yaml) through `tcsim run`."""

    config = None

    @classmethod
    def setUpClass(cls):
        cls.config = os.path.join(ROOT, "configs", "reference", "acute_community.yaml")

    def run_json(self, *args):
        out = run("run", self.config, "--json", *args)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    def tmpdir(self):
        folder = tempfile.mkdtemp(prefix="tcsim_cli_")
        self.addCleanup(shutil.rmtree, folder)
        return folder

    def test_json_is_valid_and_has_confidence_intervals(self):
        out = run("run", self.config, "--reps", "5", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stderr, "")
        tool = subprocess.run(["/usr/bin/python3", "-m", "json.tool"], input=out.stdout,
                              capture_output=True, text=True)
        self.assertEqual(tool.returncode, 0, tool.stderr)
        doc = json.loads(out.stdout)
        self.assertEqual(doc["replications"], 5)
        for key, metric in doc["metrics"].items():
            with self.subTest(metric=key):
                self.assertEqual(len(metric["values"]), 5)
                if None in metric["values"]:
                    # A replication without a value (e.g. a mean delay with nobody delayed)
                    # allows no interval.
                    self.assertIsNone(metric["ci_half_width"])
                else:
                    self.assertIsInstance(metric["ci_half_width"], (int, float))
                    self.assertGreaterEqual(metric["ci_half_width"], 0)
        for key in ("acute.mean_occupancy", "acute.delayed_days", "system.mean_time_in_system"):
            self.assertGreater(doc["metrics"][key]["ci_half_width"], 0, key)

    def test_table_names_every_metric_with_no_interval_for_one_replication(self):
        out = run("run", self.config, "--reps", "1")
        self.assertEqual(out.returncode, 0, out.stderr)
        rows = parse_table(out.stdout)
        for scope, name in model_b_metric_names():
            with self.subTest(metric=f"{scope}.{name}"):
                self.assertIn((scope, name), rows)
                self.assertEqual(rows[(scope, name)][1], "n/a")  # one replication: no CI
        self.assertEqual(rows[("system", "measured_days")][0], "3650")
        # The table and the JSON report the same metrics.
        doc = self.run_json("--reps", "1")
        self.assertEqual(sorted(f"{s}.{n}" for s, n in rows), sorted(doc["metrics"]))

    def test_set_changes_the_value_it_names(self):
        base = self.run_json("--reps", "3")
        same = self.run_json("--reps", "3", "--set", "settings.intermediate_care.capacity=100")
        self.assertEqual(base["metrics"], same["metrics"])  # the value already in the file
        more = self.run_json("--reps", "3", "--set", "settings.intermediate_care.capacity=130")
        before = base["metrics"]["acute.delayed_days"]["values"]
        after = more["metrics"]["acute.delayed_days"]["values"]
        self.assertGreater(min(before), 0)
        # Same seed, so each replication sees the same patients: more beds, fewer delayed days.
        for b, a in zip(before, after):
            self.assertLess(a, b)
        self.assertGreater(more["metrics"]["intermediate_care.max_occupancy"]["values"][0], 100)

    def test_horizon_option_is_set_run_horizon(self):
        by_set = self.run_json("--reps", "2", "--set", "run.horizon=100")
        by_option = self.run_json("--reps", "2", "--horizon", "100")
        self.assertEqual(by_set["metrics"]["system.measured_days"]["values"], [100, 100])
        self.assertEqual(by_set["metrics"], by_option["metrics"])

    def test_rep_k_reproduces_replication_k_of_a_full_run(self):
        full = self.run_json("--reps", "4", "--threads", "2")
        for k in (0, 2, 3):
            alone = self.run_json("--rep", str(k))
            self.assertEqual(alone["replications"], 1)
            self.assertEqual(sorted(alone["metrics"]), sorted(full["metrics"]))
            for key, metric in full["metrics"].items():
                with self.subTest(rep=k, metric=key):
                    # Exactly the same numbers (null, for an undefined value, matching null).
                    self.assertEqual(alone["metrics"][key]["values"], [metric["values"][k]])

    def test_trace_logs_every_arrival_of_its_replication(self):
        path = os.path.join(self.tmpdir(), "rep1.csv")
        doc = self.run_json("--rep", "1", "--horizon", "100", "--trace", path)
        with open(path, encoding="utf-8") as f:
            header = f.readline().rstrip("\n")
        self.assertEqual(header, "time,event,patient,cohort,step,setting,value")
        _, rows = read_csv(path)
        events = [r["event"] for r in rows]
        self.assertLessEqual(set(events),
                             {"arrival", "queue", "start", "fit", "leave", "exit", "loss",
                              "capacity"})
        self.assertEqual(events.count("arrival"),
                         doc["metrics"]["system.arrivals"]["values"][0])
        self.assertEqual(events.count("arrival"),
                         doc["metrics"]["emergency.arrivals"]["values"][0])
        self.assertEqual(events.count("exit"), doc["metrics"]["system.completions"]["values"][0])
        starts = sum(1 for r in rows if r["event"] == "start" and r["setting"] == "acute")
        self.assertEqual(starts, doc["metrics"]["acute.admissions"]["values"][0])
        times = [float(r["time"]) for r in rows]
        self.assertEqual(times, sorted(times))
        self.assertLessEqual(times[-1], 100)
        self.assertFalse(os.path.exists(path + ".tmp"))

    def test_trace_defaults_to_replication_0(self):
        folder = self.tmpdir()
        implicit = os.path.join(folder, "implicit.csv")
        explicit = os.path.join(folder, "explicit.csv")
        self.run_json("--reps", "2", "--horizon", "30", "--trace", implicit)
        self.run_json("--rep", "0", "--horizon", "30", "--trace", explicit)
        with open(implicit, encoding="utf-8") as a, open(explicit, encoding="utf-8") as b:
            self.assertEqual(a.read(), b.read())

    def test_trace_into_a_missing_folder_is_refused_before_running(self):
        # Like an unusable --out folder: bad input (exit 2) found before any replication runs,
        # rather than after the whole run, losing its results.
        path = os.path.join(self.tmpdir(), "no_such_folder", "trace.csv")
        out = run("run", self.config, "--reps", "2", "--trace", path)
        self.assertEqual(out.returncode, 2, out.stderr)
        self.assertEqual(out.stdout, "")
        self.assertIn(f"'{path}'", out.stderr)

    def check_out_folder(self, folder, doc, reps, days):
        self.assertEqual(sorted(os.listdir(folder)),
                         ["daily_occupancy.csv", "replications.csv", "summary.csv"])
        metrics = doc["metrics"]

        header, summary = read_csv(os.path.join(folder, "summary.csv"))
        self.assertEqual(header, ["scope", "metric", "unit", "mean", "ci_half_width",
                                  "replications"])
        self.assertEqual(len(summary), len(metrics))
        for row in summary:
            metric = metrics[f"{row['scope']}.{row['metric']}"]
            self.assertEqual(row["unit"], metric["unit"])
            self.assertEqual(int(row["replications"]), reps)
            if metric["mean"] is not None:
                self.assertEqual(float(row["mean"]), metric["mean"])

        header, per_rep = read_csv(os.path.join(folder, "replications.csv"))
        self.assertEqual(header, ["replication", "scope", "metric", "unit", "value"])
        self.assertEqual(len(per_rep), reps * len(metrics))
        for row in per_rep:
            value = metrics[f"{row['scope']}.{row['metric']}"]["values"][int(row["replication"])]
            self.assertEqual(float(row["value"]) if row["value"] else None, value)

        header, daily = read_csv(os.path.join(folder, "daily_occupancy.csv"))
        self.assertEqual(header, ["replication", "day", "setting", "mean_occupancy"])
        self.assertEqual(len(daily), reps * math.ceil(days) * len(MODEL_B_SETTINGS))
        return daily

    def test_out_writes_three_csv_files_whose_daily_series_matches_mean_occupancy(self):
        folder = os.path.join(self.tmpdir(), "new", "folder")  # created as needed
        doc = self.run_json("--reps", "2", "--horizon", "365", "--out", folder)
        daily = self.check_out_folder(folder, doc, reps=2, days=365)
        for k in range(2):
            for setting in MODEL_B_SETTINGS:
                series = [float(r["mean_occupancy"]) for r in daily
                          if r["replication"] == str(k) and r["setting"] == setting]
                self.assertEqual(len(series), 365)
                # Whole days: the mean of the daily means is the time-average occupancy.
                self.assertAlmostEqual(
                    sum(series) / len(series),
                    doc["metrics"][f"{setting}.mean_occupancy"]["values"][k], delta=1e-6)

    def test_daily_series_with_a_partial_last_day_and_a_warm_up(self):
        # Horizon 100.5: the last day is half a day long and weighs half in the time-average.
        # Warm-up 20: mean_occupancy covers days 20..100.5 only.
        folder = self.tmpdir()
        doc = self.run_json("--reps", "1", "--horizon", "100.5", "--set", "run.warmup=20",
                            "--out", folder)
        daily = self.check_out_folder(folder, doc, reps=1, days=100.5)
        for setting in MODEL_B_SETTINGS:
            series = {int(r["day"]): float(r["mean_occupancy"]) for r in daily
                      if r["setting"] == setting}
            self.assertEqual(sorted(series), list(range(101)))
            weights = {d: (0.5 if d == 100 else 1.0) for d in series if d >= 20}
            mean = sum(series[d] * w for d, w in weights.items()) / sum(weights.values())
            self.assertAlmostEqual(
                mean, doc["metrics"][f"{setting}.mean_occupancy"]["values"][0], delta=1e-6)

    def test_out_that_is_a_file_is_bad_input(self):
        path = os.path.join(self.tmpdir(), "taken")
        with open(path, "w", encoding="utf-8") as f:
            f.write("not a folder\n")
        out = run("run", self.config, "--horizon", "10", "--out", path)
        self.assertEqual(out.returncode, 2)
        self.assertIn(path, out.stderr)
        self.assertEqual(out.stdout, "")


class OverrideTest(unittest.TestCase):
    """--set and --horizon on a scenario that leaves optional sections out."""

    NO_RUN_SECTION = """name: no run section, which is optional
settings:
  ward: {kind: beds, capacity: 10}
cohorts:
  patients:
    arrivals: {rate_per_day: 2, max_arrivals: 200}
    pathway:
      steps:
        stay:
          setting: ward
          duration: {distribution: exponential, mean: 3}
          next: exit
"""

    def test_horizon_works_without_a_run_section(self):
        path = write_temp(self, self.NO_RUN_SECTION)
        self.assertEqual(run("check", path).returncode, 0)
        out = run("run", path, "--horizon", "50", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(json.loads(out.stdout)["metrics"]["system.measured_days"]["values"],
                         [50])

    def test_set_of_an_optional_key_works_without_its_section(self):
        path = write_temp(self, self.NO_RUN_SECTION)
        out = run("run", path, "--set", "run.horizon=50", "--set", "run.seed=3", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        doc = json.loads(out.stdout)
        self.assertEqual(doc["seed"], 3)
        self.assertEqual(doc["metrics"]["system.measured_days"]["values"], [50])

    def test_set_of_a_list_item_by_index(self):
        path = write_temp(self, self.NO_RUN_SECTION.replace(
            "{rate_per_day: 2, max_arrivals: 200}",
            "{rate_per_day: 2, max_arrivals: 200, weekday_multipliers: [1, 1, 1, 1, 1, 1, 1]}"))
        out = run("describe", path, "--set", "cohorts.patients.arrivals.weekday_multipliers.5=0")
        self.assertEqual(out.returncode, 0, out.stderr)
        # Saturday off: the effective rate is 2 x 6/7.
        self.assertIn("effective mean 1.714 per day", out.stdout)
        self.assertIn("override: cohorts.patients.arrivals.weekday_multipliers.5 = 0", out.stdout)


# --- Refused and stopped runs ------------------------------------------------------------------


# Offered load at the ward: 2 a day x 3 days = 6 places, but it has 5.
UNSTABLE = """name: ward below its offered load
run: {horizon: 2000, max_patients: MAX}
settings:
  ward: {kind: beds, capacity: 5}
  clinic: {kind: caseload, capacity: 100}
cohorts:
  patients:
    arrivals: {rate_per_day: 2}
    pathway:
      steps:
        stay:
          setting: ward
          duration: {distribution: exponential, mean: 3}
          next:
            - {to: review, probability: 0.5}
            - {to: exit, probability: 0.5}
        review:
          setting: clinic
          duration: {distribution: exponential, mean: 2}
          next: exit
"""


class UnstableTest(unittest.TestCase):
    def test_run_refuses_an_unstable_scenario_with_exit_3(self):
        path = write_temp(self, UNSTABLE.replace("MAX", "10000000"))
        out = run("run", path)
        self.assertEqual(out.returncode, 3, out.stderr)
        self.assertEqual(out.stdout, "")
        self.assertIn("ward (offered load 6 places, capacity 5)", out.stderr)
        self.assertIn("--allow-unstable", out.stderr)
        self.assertNotIn("clinic", out.stderr)  # only the unstable setting is named

    def test_check_prints_the_load_table_and_exits_3(self):
        path = write_temp(self, UNSTABLE.replace("MAX", "10000000"))
        out = run("check", path)
        self.assertEqual(out.returncode, 3, out.stderr)
        self.assertRegex(out.stdout, r"ward\s+6\s+5\s+1\.200\s+UNSTABLE")
        self.assertRegex(out.stdout, r"clinic\s+2\s+100\s+0\.020\s+ok")
        self.assertIn("ward (offered load 6 places, capacity 5)", out.stderr)

    def test_allow_unstable_runs_it(self):
        path = write_temp(self, UNSTABLE.replace("MAX", "10000000"))
        out = run("run", path, "--allow-unstable", "--horizon", "60", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        doc = json.loads(out.stdout)
        self.assertEqual(doc["metrics"]["system.measured_days"]["values"], [60])
        self.assertGreater(doc["metrics"]["ward.utilisation"]["values"][0], 0.8)

    def test_patient_limit_stops_the_run_with_exit_4(self):
        path = write_temp(self, UNSTABLE.replace("MAX", "150"))
        out = run("run", path, "--allow-unstable")
        self.assertEqual(out.returncode, 4, out.stderr)
        self.assertEqual(out.stdout, "")
        # The message says what happened and which setting of the scenario to change.
        self.assertIn("150", out.stderr)
        self.assertIn("patients", out.stderr)
        self.assertIn("run.max_patients", out.stderr)


# Two single-bed wards, patients routed A -> B and B -> A: once ward_a holds a patient waiting
# for ward_b while ward_b holds one waiting for ward_a, nobody can move.
DEADLOCK = """name: two wards waiting for each other
run: {horizon: 5000, seed: 3}
settings:
  ward_a: {kind: beds, capacity: 1}
  ward_b: {kind: beds, capacity: 1}
cohorts:
  a_then_b:
    arrivals: {rate_per_day: 0.05}
    pathway:
      steps:
        in_a: {setting: ward_a, duration: {distribution: exponential, mean: 3}, next: in_b}
        in_b: {setting: ward_b, duration: {distribution: exponential, mean: 3}, next: exit}
  b_then_a:
    arrivals: {rate_per_day: 0.05}
    pathway:
      steps:
        in_b: {setting: ward_b, duration: {distribution: exponential, mean: 3}, next: in_a}
        in_a: {setting: ward_a, duration: {distribution: exponential, mean: 3}, next: exit}
"""


class DeadlockTest(unittest.TestCase):
    def test_deadlock_stops_the_run_with_exit_4_naming_both_settings(self):
        path = write_temp(self, DEADLOCK)
        self.assertEqual(run("check", path).returncode, 0)  # stable: 0.3 places of 1 each
        out = run("run", path)
        self.assertEqual(out.returncode, 4, out.stderr)
        self.assertEqual(out.stdout, "")
        self.assertIn("deadlock", out.stderr)
        self.assertIn("ward_a", out.stderr)
        self.assertIn("ward_b", out.stderr)


# --- Shipped configs, schema, help -------------------------------------------------------------


def is_scenario(path):
    """A scenario has top-level settings (the models file and national configs do not)."""
    with open(path, encoding="utf-8") as f:
        return any(line.startswith("settings:") for line in f)


def shipped_configs():
    """Every shipped scenario."""
    paths = glob.glob(os.path.join(ROOT, "configs", "**", "*.yaml"), recursive=True)
    return sorted(p for p in paths if is_scenario(p))


class ShippedConfigsTest(unittest.TestCase):
    def test_there_are_shipped_configs(self):
        names = [os.path.relpath(p, ROOT) for p in shipped_configs()]
        self.assertIn(os.path.join("configs", "reference", "mmc.yaml"), names)
        self.assertIn(os.path.join("configs", "reference", "acute_community.yaml"), names)

    def test_check_accepts_every_shipped_config_and_prints_its_loads(self):
        for path in shipped_configs():
            with self.subTest(config=os.path.relpath(path, ROOT)):
                out = run("check", path)
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertIn(f"{path}: valid scenario", out.stdout)
                self.assertRegex(out.stdout, r"setting\s+offered load\s+capacity\s+load/cap")
                self.assertIn("offered load = admissions per day x mean stay", out.stdout)
                self.assertNotIn("UNSTABLE", out.stdout)

    def test_describe_prints_the_sources_of_every_shipped_config(self):
        documented = re.compile(r"^\s*(?:- )?(source|assumption): ([^'\"|>{\[].*)$")
        for path in shipped_configs():
            with self.subTest(config=os.path.relpath(path, ROOT)):
                out = run("describe", path)
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertIn("sources and assumptions:", out.stdout)
                self.assertNotIn("(none given)", out.stdout)
                with open(path, encoding="utf-8") as f:
                    for line in f:
                        m = documented.match(line.rstrip("\n"))
                        if m and " #" not in m.group(2):
                            self.assertIn(f"{m.group(1)}: {m.group(2).strip()}", out.stdout)

    def test_describe_of_model_b_names_each_source_with_its_key(self):
        path = os.path.join(ROOT, "configs", "reference", "acute_community.yaml")
        out = run("describe", path)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("  settings.acute: assumption: benchmark definition - 300 acute beds",
                      out.stdout)
        self.assertIn("  cohorts.emergency.pathway.steps.acute_stay.duration: assumption: "
                      "benchmark definition - lognormal acute stay, mean 6 days, sd 5",
                      out.stdout)


class SchemaTest(unittest.TestCase):
    def test_schema_is_the_outline_in_configs_readme(self):
        with open(os.path.join(ROOT, "configs", "README.md"), encoding="utf-8") as f:
            readme = f.read()
        start = readme.index("```yaml\n") + len("```yaml\n")
        block = readme[start:readme.index("```", start)]
        out = run("schema")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout, block)


class HelpTest(unittest.TestCase):
    def test_help_shows_examples_and_exit_codes(self):
        for args in (["--help"], ["run", "--help"], ["check", "--help"],
                     ["describe", "--help"]):
            with self.subTest(args=args):
                out = run(*args)
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertIn("Example", out.stdout)
        top = run("--help").stdout
        self.assertIn("Examples", top)
        self.assertIn("Exit codes: 0 ok, 1 internal failure, 2 bad input, 3 refused", top)
        self.assertIn("Examples", run("run", "--help").stdout)

    def test_every_example_in_the_help_names_a_config_that_checks(self):
        # The examples are what a new user types first: their configs must exist and their
        # --set paths must be valid. `tcsim check` takes the same --set/--horizon options.
        examples = []
        for args in (["--help"], ["run", "--help"], ["check", "--help"], ["describe", "--help"]):
            for line in run(*args).stdout.splitlines():
                words = line.split()
                # `tcsim savings` examples take a national config, or none (the shipped one):
                # SavingsCliTest runs those; batch and report examples are run by batch_test.
                if len(words) >= 3 and words[0] == "tcsim" and words[1] not in ("savings", "batch", "report"):
                    examples.append(words)
        self.assertGreater(len(examples), 3)
        for words in examples:
            with self.subTest(example=" ".join(words)):
                config = words[2]
                keep = []
                for i, w in enumerate(words):
                    if w in ("--set", "--horizon") and i + 1 < len(words):
                        keep += [w, words[i + 1]]
                out = subprocess.run([TCSIM, "check", config, *keep], capture_output=True,
                                     text=True, cwd=ROOT)
                self.assertEqual(out.returncode, 0, out.stderr)


class MetricsDocsTest(unittest.TestCase):
    """docs/metrics.md is the contract scripts rely on: it must name every reported metric."""

    def test_every_reported_metric_is_documented(self):
        with open(os.path.join(ROOT, "docs", "metrics.md"), encoding="utf-8") as f:
            docs = f.read()
        names = sorted({n for _, n in model_b_metric_names()
                        if not n.startswith("delayed_days_for_")})
        missing = [n for n in names if f"`{n}`" not in docs]
        self.assertEqual(missing, [], "metrics reported by tcsim run but not in docs/metrics.md")
        self.assertIn("delayed_days_for_", docs)


# --- Integration models: tcsim run --model, tcsim compare, the models file ----------------------

import yaml  # python3-yaml (.ci/install-deps)

AREA = "configs/examples/area.yaml"
MODELS_FILE = "configs/integration_models.yaml"
# The area metrics every run under a model reports (models/run/costing.cpp, docs/metrics.md).
AREA_METRICS = [
    "cost_per_year", "delayed_days_handoff_per_year", "delayed_days_interface_per_year",
    "delayed_days_internal_per_year", "delayed_days_capacity_per_year",
    "acute_bed_days_per_year", "acute_admissions_per_year", "acute_delayed_days_per_year",
    "admissions_avoided_per_year", "early_discharges_per_year",
    "early_discharge_days_per_year", "assessed_at_home_per_year",
    "cross_organisation_transfers_per_year",
]
ORGANISATION_METRICS = ["cost_per_year", "direct_cost_per_year", "overhead_per_year",
                        "transaction_cost_per_year", "wte", "spare_slot_days_per_year"]


def read_models_file():
    """{model ID: model mapping (or None without python3-yaml)} of the shipped models, in order."""
    with open(os.path.join(ROOT, MODELS_FILE), encoding="utf-8") as f:
        text = f.read()
    return dict(yaml.safe_load(text)["models"])


def area_services():
    """{setting name: service tag} of the shipped area (every setting there names its service)."""
    with open(os.path.join(ROOT, AREA), encoding="utf-8") as f:
        text = f.read()
    return {name: s["service"] for name, s in yaml.safe_load(text)["settings"].items()}


def run_in_root(*args):
    """tcsim with the working folder at the repository root, so relative paths work."""
    return subprocess.run([TCSIM, *args], capture_output=True, text=True, cwd=ROOT)


def comparison_rows(text, ids):
    """The model IDs of the rows of `tcsim compare`'s table, in order, and the rows' cells."""
    rows = []
    for line in text.splitlines():
        words = line.split()
        if words and words[0] in ids:
            rows.append(words)
    return rows


class IntegrationModelsCliTest(unittest.TestCase):
    """`tcsim run AREA --model ID` and `tcsim compare` on the shipped area and models."""

    models = None

    @classmethod
    def setUpClass(cls):
        cls.models = read_models_file()

    def test_the_models_file_has_the_ten_models(self):
        self.assertEqual(len(self.models), 10)
        self.assertEqual(next(iter(self.models)), "direct_provision")
        for model_id in ("vertical_acute", "vertical_acute_bolt_on", "horizontal_mental_health",
                         "community_foundation_trust", "se_community_interest_company"):
            self.assertIn(model_id, self.models)

    def test_run_under_every_model_prints_area_and_organisation_metrics(self):
        services = area_services()
        for model_id, model in self.models.items():
            with self.subTest(model=model_id):
                out = run_in_root("run", AREA, "--model", model_id, "--reps", "2",
                                  "--horizon", "400")
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertEqual(out.stderr, "")
                rows = parse_table(out.stdout)
                for name in AREA_METRICS:
                    self.assertIn(("area", name), rows)
                    float(rows[("area", name)][0])  # a number (2 replications: a mean)
                    self.assertNotEqual(rows[("area", name)][1], "n/a")  # and an interval
                self.assertGreater(float(rows[("area", "cost_per_year")][0]), 0)
                self.assertGreater(float(rows[("area", "acute_bed_days_per_year")][0]), 0)
                self.assertEqual(rows[("system", "measured_days")][0], "220")  # 400 - 180
                # Every organisation the model gives one of the area's services to reports its
                # costs; the others the model lists (e.g. a mental health trust) do not.
                used = {model["services"][tag] for tag in services.values()
                        if tag in model["services"]}
                for org in model["organisations"]:
                    if org in used:
                        for name in ORGANISATION_METRICS:
                            self.assertIn((org, name), rows)
                    else:
                        self.assertNotIn((org, "cost_per_year"), rows)

    def test_run_under_a_model_is_the_same_as_with_its_file_named(self):
        by_default = run_in_root("run", AREA, "--model", "vertical_acute", "--reps", "2",
                                 "--horizon", "300", "--json")
        named = run_in_root("run", AREA, "--model", "vertical_acute", "--models-file",
                            MODELS_FILE, "--reps", "2", "--horizon", "300", "--json")
        self.assertEqual(by_default.returncode, 0, by_default.stderr)
        self.assertEqual(named.returncode, 0, named.stderr)
        self.assertEqual(json.loads(by_default.stdout)["metrics"],
                         json.loads(named.stdout)["metrics"])
        plain = run_in_root("run", AREA, "--reps", "2", "--horizon", "300", "--json")
        self.assertNotEqual(json.loads(plain.stdout)["metrics"]["area.cost_per_year"],
                            json.loads(named.stdout)["metrics"]["area.cost_per_year"])

    def test_compare_all_prints_a_row_per_model_baseline_first_and_writes_the_csv(self):
        folder = tempfile.mkdtemp(prefix="tcsim_cli_")
        self.addCleanup(shutil.rmtree, folder)
        out_dir = os.path.join(folder, "new", "comparison")
        out = run_in_root("compare", AREA, "--models", "all", "--reps", "2",
                          "--set", "run.horizon=400", "--set", "run.warmup=100",
                          "--out", out_dir)
        self.assertEqual(out.returncode, 0, out.stderr)
        ids = list(self.models)
        rows = comparison_rows(out.stdout, set(ids))
        self.assertEqual([r[0] for r in rows], ids)  # one row each, the baseline first
        self.assertIn("2 replications, common random numbers", out.stdout)
        self.assertIn("first row: direct_provision", out.stdout)

        header, csv_rows = read_csv(os.path.join(out_dir, "comparison.csv"))
        self.assertEqual(header, ["model", "scope", "metric", "unit", "mean", "ci_half_width",
                                  "difference", "difference_ci_half_width",
                                  "unpaired_ci_half_width"])
        seen = []
        for r in csv_rows:
            if not seen or seen[-1] != r["model"]:
                seen.append(r["model"])
        self.assertEqual(seen, ids)  # every model, in the table's order, each in one block
        cost = {r["model"]: r for r in csv_rows
                if r["scope"] == "area" and r["metric"] == "cost_per_year"}
        self.assertEqual(sorted(cost), sorted(ids))
        base = float(cost["direct_provision"]["mean"])
        for model_id, r in cost.items():
            with self.subTest(model=model_id):
                self.assertEqual(r["unit"], "GBP/year")
                self.assertGreater(float(r["mean"]), 0)
                self.assertGreater(float(r["ci_half_width"]), 0)
                if model_id == "direct_provision":
                    continue
                # The difference is the model's mean less the baseline's (paired over the same
                # replications), with its intervals.
                self.assertAlmostEqual(float(r["difference"]), float(r["mean"]) - base,
                                       delta=1e-6 * base)
                self.assertGreaterEqual(float(r["difference_ci_half_width"]), 0)
                self.assertGreaterEqual(float(r["unpaired_ci_half_width"]), 0)
        # The baseline is not compared with itself: its difference columns are empty.
        for r in csv_rows:
            if r["model"] == "direct_provision":
                self.assertEqual((r["difference"], r["difference_ci_half_width"],
                                  r["unpaired_ci_half_width"]), ("", "", ""))

    def test_compare_named_models_adds_the_baseline_first_once_each(self):
        out = run_in_root("compare", AREA, "--models",
                          "vertical_acute_bolt_on,vertical_acute,vertical_acute_bolt_on",
                          "--reps", "2", "--set", "run.horizon=300", "--set", "run.warmup=100")
        self.assertEqual(out.returncode, 0, out.stderr)
        rows = comparison_rows(out.stdout, set(self.models))
        self.assertEqual([r[0] for r in rows],
                         ["direct_provision", "vertical_acute_bolt_on", "vertical_acute"])
        # --horizon is --set run.horizon, as for run.
        by_option = run_in_root("compare", AREA, "--models",
                                "vertical_acute_bolt_on,vertical_acute", "--reps", "2",
                                "--horizon", "300", "--set", "run.warmup=100")
        self.assertEqual(by_option.returncode, 0, by_option.stderr)
        self.assertEqual(by_option.stdout, out.stdout)

    def test_unknown_model_exits_2_listing_the_models_and_the_nearest(self):
        for args in (["run", AREA, "--model", "vertical_acutee"],
                     ["check", AREA, "--model", "vertical_acutee"],
                     ["compare", AREA, "--models", "direct_provision,vertical_acutee"]):
            with self.subTest(args=args):
                out = run_in_root(*args)
                self.assertEqual(out.returncode, 2, out.stderr)
                self.assertEqual(out.stdout, "")
                self.assertIn("no integration model 'vertical_acutee'", out.stderr)
                self.assertIn("did you mean 'vertical_acute'", out.stderr)
                self.assertIn("models: " + ", ".join(self.models), out.stderr)

    def test_missing_models_file_exits_2(self):
        out = run_in_root("run", AREA, "--model", "direct_provision", "--models-file",
                          "/nonexistent/models.yaml")
        self.assertEqual(out.returncode, 2)
        self.assertIn("/nonexistent/models.yaml", out.stderr)
        self.assertIn("cannot open", out.stderr)


class BadModelsFileTest(unittest.TestCase):
    """Each file in tests/configs/bad_models/ is a broken integration-models file. Like
    tests/configs/bad/, its header says what the error must contain (`# expect:`, `{file}` for
    its path) and the extra arguments (`# args:`); `tcsim check` and `tcsim compare` of the
    shipped area with `--models-file FILE` must both exit 2 saying so, before simulating."""

    @staticmethod
    def header(path):
        """`# expect:` and `# absent:` texts and `# args:` arguments (read_case_header)."""
        expects, absents, args, _ = read_case_header(path)
        return expects + [Absent(a) for a in absents], args

    def test_every_bad_models_file_is_refused_with_its_message(self):
        files = sorted(glob.glob(os.path.join(ROOT, "tests", "configs", "bad_models", "*.yaml")))
        self.assertGreaterEqual(len(files), 5)
        for path in files:
            expects, args = self.header(path)
            self.assertTrue(expects, f"{path}: no '# expect:' line")
            commands = [["check", AREA, "--models-file", path, *args],
                        ["compare", AREA, "--models-file", path, "--reps", "1",
                         "--set", "run.horizon=300"]]
            for command in commands:
                with self.subTest(file=os.path.basename(path), command=command[0]):
                    assert_bad_input(self, run_in_root(*command), expects, path)


# --- tcsim savings: the main job ----------------------------------------------------------------

ENGLAND = "configs/england_2009.yaml"
SAVINGS_DATA = os.path.join("tests", "models", "data", "savings")
REPORTED = {"release": "£500m", "absorb": "£1.5bn"}
# A row of the savings table: model, policy, ..., the saving "mean ±half-width" in £m a year and
# the figure reported at the time.
SAVINGS_ROW = re.compile(r"^(\S+)\s+(release|absorb)\s+(-?\d+)\s+(-?\d+)\s.*\s(-?\d+\.\d) ±(\d+\.\d)"
                         r"\s+(£500m|£1\.5bn)$")
# A bar of the tornado table: input, "low .. high", release and absorb "£m at low .. at high".
TORNADO_ROW = re.compile(r"^(\S+)\s+(\S+) \.\. (\S+)\s+(-?\d+\.\d) \.\. (-?\d+\.\d)"
                         r"\s+(-?\d+\.\d) \.\. (-?\d+\.\d)$")
PSA_ROW = re.compile(r"^(\S+)\s+(release|absorb)\s+(-?\d+\.\d)\s+±(\d+\.\d)\s+"
                     r"(-?\d+\.\d) to (-?\d+\.\d)$")


def section_keys(text, section):
    """The keys directly under a top-level `section:` of a YAML file written in block style."""
    keys, inside = [], False
    for line in text.splitlines():
        if re.match(rf"^{re.escape(section)}:\s*$", line):
            inside = True
        elif inside and line and not line.startswith((" ", "#")):
            break
        elif inside:
            m = re.match(r"^  ([A-Za-z0-9_.]+):", line)
            if m and m.group(1) not in ("source", "assumption"):
                keys.append(m.group(1))
    return keys


def savings_rows(stdout):
    """{(model, policy): (spare WTE, beds, saving £m, half-width £m, reported)} of the table."""
    rows = {}
    for line in stdout.splitlines():
        m = SAVINGS_ROW.match(line)
        if m:
            rows[(m.group(1), m.group(2))] = (int(m.group(3)), int(m.group(4)),
                                              float(m.group(5)), float(m.group(6)), m.group(7))
    return rows


# England as one archetype (the template area x 152), with three uncertain inputs: a national
# config that runs in a few seconds, for the tornado.
ONE_ARCHETYPE_ENGLAND = """name: England as one archetype (test)
area: {area}
template_population: 340800
england: {{population: 51801600, areas: 152}}
archetypes:
  mixed: {{count: 152, population: 340800}}
savings:
  productivity_gain: 0.10
  replications: 8
  horizon: 730
  warmup: 180
  quick: {{replications: 3, horizon: 365, warmup: 120}}
uncertain:
  savings.productivity_gain: {{distribution: triangular, min: 0.02, mode: 0.10, max: 0.20}}
  area.settings.acute.cost.per_occupied_day: {{distribution: uniform, min: 220, max: 300}}
  area.staff_groups.district_nurse.cost_per_wte_year:
    {{distribution: triangular, min: 29640, mode: 38323, max: 42970}}
"""


class SavingsCliTest(unittest.TestCase):
    """`tcsim savings`: the table, the drivers and the calibration; --out, --psa, --tornado; bad
    input. Quick runs of the direct-provision baseline only, to keep the runtime modest."""

    def test_quick_run_from_another_folder_prints_table_drivers_and_calibration(self):
        # No config given: the shipped England config is found from the binary, not the cwd.
        out = subprocess.run([os.path.abspath(TCSIM), "savings", "--quick", "--models",
                              "direct_provision"],
                             capture_output=True, text=True, cwd=tempfile.gettempdir())
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stderr, "")
        lines = out.stdout.splitlines()
        with open(os.path.join(ROOT, ENGLAND), encoding="utf-8") as f:
            england = f.read()
        name = re.search(r"^name: (.+)$", england, re.MULTILINE).group(1)
        gain = float(re.search(r"^  productivity_gain: ([\d.]+)$", england, re.MULTILINE).group(1))
        quick = re.search(r"^  quick:\n    replications: (\d+)$", england, re.MULTILINE).group(1)
        self.assertTrue(lines[0].startswith(name), lines[0])
        self.assertIn(f"raised by {gain:+.2f}", lines[0])
        self.assertIn(f"{quick} replications per run", lines[0])  # savings.quick
        header = next(line for line in lines if line.startswith("model"))
        for column in ("policy", "spare WTE", "beds", "acute bed-days avoided",
                       "delayed days change", "saving £m/yr", "reported"):
            self.assertIn(column, header)
        rows = savings_rows(out.stdout)
        self.assertEqual(sorted(rows), [("direct_provision", "absorb"),
                                        ("direct_provision", "release")])
        release, absorb = rows[("direct_provision", "release")], rows[("direct_provision", "absorb")]
        for policy, r in (("release", release), ("absorb", absorb)):
            self.assertEqual(r[4], REPORTED[policy])
        # Both policies cut the same WTE; the config's gain frees some, and release saves money.
        self.assertEqual(release[0], absorb[0])
        self.assertGreater(release[0], 0)
        self.assertGreater(release[2], 0)

        # The drivers restate the table's figures.
        self.assertIn("What drives the difference:", out.stdout)
        m = re.search(r"Absorb / release = £(-?[\d.]+)m / £(-?[\d.]+)m = (-?[\d.]+)", out.stdout)
        self.assertIsNotNone(m, out.stdout)
        self.assertEqual(float(m.group(1)), absorb[2])
        self.assertEqual(float(m.group(2)), release[2])
        self.assertAlmostEqual(float(m.group(3)), absorb[2] / release[2], delta=0.01)
        m = re.search(r"that is £(\d+), against £(\d+) a year for the WTE \(ratio ([\d.]+)\)",
                      out.stdout)
        self.assertIsNotNone(m, out.stdout)
        self.assertAlmostEqual(float(m.group(3)), float(m.group(1)) / float(m.group(2)),
                               delta=0.006)

        # The calibration: a verdict for every published figure of the config.
        self.assertIn("Calibration:", out.stdout)
        targets = section_keys(england, "calibration")
        self.assertGreater(len(targets), 3)
        for name in targets:
            with self.subTest(target=name):
                line = next((x for x in lines if x.split()[:1] == [name]), None)
                self.assertIsNotNone(line, f"no calibration line for {name}")
                self.assertIn("published", line)
                self.assertRegex(line, r"published \S+ to \S+\s+(within|OUTSIDE|context: )")
        # Then the time taken, and every input read with its SHA-256 (as sha256sum prints it).
        inputs = lines.index("Inputs read (SHA-256  file):")
        self.assertRegex(lines[inputs - 2], r"^\d+ replications simulated in [\d.]+ s$")
        read = {}
        for line in lines[inputs + 1:]:
            digest, path = line.split("  ", 1)
            read[os.path.basename(path)] = digest
        for name in ("england_2009.yaml", "examples/area.yaml", "integration_models.yaml"):
            with open(os.path.join(ROOT, "configs", name), "rb") as f:
                expected = hashlib.sha256(f.read()).hexdigest()
            self.assertEqual(read.get(os.path.basename(name)), expected, name)

    def test_out_writes_savings_txt_as_printed(self):
        folder = tempfile.mkdtemp(prefix="tcsim_cli_")
        self.addCleanup(shutil.rmtree, folder)
        out_dir = os.path.join(folder, "new", "savings")
        out = run_in_root("savings", os.path.join(SAVINGS_DATA, "toy_nation.yaml"), "--models-file",
                          os.path.join(SAVINGS_DATA, "toy_models.yaml"), "--out", out_dir)
        self.assertEqual(out.returncode, 0, out.stderr)
        with open(os.path.join(out_dir, "savings.txt"), encoding="utf-8") as f:
            written = f.read()
        # The same text, but for the line timing the run.
        timing = re.compile(r"^\d+ replications simulated in [\d.]+ s$", re.MULTILINE)
        self.assertEqual(timing.sub("", written), timing.sub("", out.stdout))
        # The toy nation of savings_test.cpp: 1.2 WTE freed, 1.2 x £40,000 x 1.1 = £0.0528m.
        rows = savings_rows(out.stdout)
        self.assertEqual(rows[("direct_provision", "release")][:4], (1, 0, 0.1, 0.0))
        # A file where the folder should be is bad input, and nothing is simulated.
        blocker = os.path.join(folder, "a_file")
        with open(blocker, "w", encoding="utf-8") as f:
            f.write("x")
        out = run_in_root("savings", os.path.join(SAVINGS_DATA, "toy_nation.yaml"), "--models-file",
                          os.path.join(SAVINGS_DATA, "toy_models.yaml"), "--out", blocker)
        self.assertEqual(out.returncode, 2, out.stderr)
        self.assertEqual(out.stdout, "")
        self.assertIn(blocker, out.stderr)

    def test_unknown_model_exits_2_before_simulating(self):
        out = run_in_root("savings", "--quick", "--models", "direct_provision,vertical_acutee")
        self.assertEqual(out.returncode, 2, out.stderr)
        self.assertEqual(out.stdout, "")
        self.assertIn("no integration model 'vertical_acutee'", out.stderr)
        self.assertIn("did you mean 'vertical_acute'", out.stderr)

    def test_missing_national_config_exits_2(self):
        out = run_in_root("savings", "/nonexistent/england.yaml", "--quick")
        self.assertEqual(out.returncode, 2)
        self.assertEqual(out.stdout, "")
        self.assertIn("/nonexistent/england.yaml", out.stderr)
        self.assertIn("cannot open", out.stderr)

    def test_psa_prints_a_row_per_policy_over_the_draws(self):
        out = run_in_root("savings", "--psa", "2", "--quick", "--models", "direct_provision")
        self.assertEqual(out.returncode, 0, out.stderr)
        with open(os.path.join(ROOT, ENGLAND), encoding="utf-8") as f:
            inputs = section_keys(f.read(), "uncertain")
        self.assertGreater(len(inputs), 1)
        self.assertRegex(out.stdout, rf"Probabilistic sensitivity analysis: 2 Latin hypercube "
                                     rf"draws of {len(inputs)} uncertain inputs")
        psa = out.stdout[out.stdout.index("Probabilistic sensitivity analysis"):]
        header = psa.splitlines()[1]
        for column in ("mean £m/yr", "95% CI of mean", "5th-95th percentile"):
            self.assertIn(column, header)
        rows = [PSA_ROW.match(line) for line in psa.splitlines()]
        rows = [m for m in rows if m]
        self.assertEqual([(m.group(1), m.group(2)) for m in rows],
                         [("direct_provision", "release"), ("direct_provision", "absorb")])
        for m in rows:
            with self.subTest(policy=m.group(2)):
                mean, low, high = float(m.group(3)), float(m.group(5)), float(m.group(6))
                # Two draws: the 5th and 95th percentiles lie either side of their mean.
                self.assertLessEqual(low, mean + 0.05)
                self.assertLessEqual(mean, high + 0.05)
        # The main table comes first, as without --psa.
        self.assertLess(out.stdout.index("Calibration:"), out.stdout.index("Probabilistic"))

    def test_tornado_ranks_the_inputs_by_swing(self):
        config = write_temp(self, ONE_ARCHETYPE_ENGLAND.format(
            area=os.path.join(ROOT, "configs", "examples", "area.yaml")), "england_one.yaml")
        out = run("savings", config, "--tornado", "--quick", "--models", "direct_provision")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("One-way sensitivity (direct_provision; each input at its 5th and 95th "
                      "percentile, the others central)", out.stdout)
        tornado = out.stdout[out.stdout.index("One-way sensitivity"):]
        bars = [TORNADO_ROW.match(line) for line in tornado.splitlines()]
        bars = [b for b in bars if b]
        self.assertEqual(sorted(b.group(1) for b in bars),
                         ["area.settings.acute.cost.per_occupied_day",
                          "area.staff_groups.district_nurse.cost_per_wte_year",
                          "savings.productivity_gain"])
        swings = [max(abs(float(b.group(5)) - float(b.group(4))),
                      abs(float(b.group(7)) - float(b.group(6)))) for b in bars]
        for i in range(len(swings) - 1):  # largest first (to the 0.1 printed)
            self.assertGreaterEqual(swings[i] + 0.1 + 1e-9, swings[i + 1], tornado)
        self.assertGreater(swings[0], swings[-1], tornado)
        by_input = {b.group(1): b for b in bars}
        # The acute bed-day cost cannot move the release saving; a higher gain frees more WTE
        # and a dearer WTE is worth more, so both raise it.
        acute = by_input["area.settings.acute.cost.per_occupied_day"]
        self.assertEqual(acute.group(4), acute.group(5))
        gain = by_input["savings.productivity_gain"]
        self.assertLess(float(gain.group(4)), float(gain.group(5)))
        nurse = by_input["area.staff_groups.district_nurse.cost_per_wte_year"]
        self.assertLess(float(nurse.group(4)), float(nurse.group(5)))
        # The central values are the main table's savings (the same run).
        m = re.search(r"release £(-?[\d.]+)m, absorb £(-?[\d.]+)m a year at central values",
                      tornado)
        self.assertIsNotNone(m, tornado)
        rows = savings_rows(out.stdout)
        self.assertEqual(float(m.group(1)), rows[("direct_provision", "release")][2])
        self.assertEqual(float(m.group(2)), rows[("direct_provision", "absorb")][2])


class BadNationalConfigTest(unittest.TestCase):
    """Each file in tests/configs/bad_national/ is a broken national config. Like
    tests/configs/bad/, its header says what the error must contain (`# expect:`, `{file}` for
    its path); `tcsim savings FILE --quick` must exit 2 saying so, before simulating."""

    def test_every_bad_national_config_is_refused_with_its_message(self):
        files = sorted(glob.glob(os.path.join(ROOT, "tests", "configs", "bad_national", "*.yaml")))
        self.assertGreaterEqual(len(files), 5)
        for path in files:
            with self.subTest(file=os.path.basename(path)):
                expects, args = BadModelsFileTest.header(path)
                self.assertTrue(expects, f"{path}: no '# expect:' line")
                out = run("savings", path, "--quick", "--models", "direct_provision", *args)
                assert_bad_input(self, out, expects, path)


# --- Every number of the models file is documented ---------------------------------------------

NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
DOCUMENTED = ("source", "assumption")


def is_number(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and NUMBER.fullmatch(value.strip()) is not None


def documentation_boundary(path):
    """How far up from `path` a source:/assumption: may document a number: the model's
    organisation, interfaces or levers, or the contract; None if `path` is inside none."""
    if path[:1] == ("contract",):
        return 1
    if len(path) >= 3 and path[0] == "models" and path[2] in ("interfaces", "levers"):
        return 3
    if len(path) >= 4 and path[0] == "models" and path[2] == "organisations":
        return 4
    return None


def undocumented_numbers(doc, checked=None):
    """Dotted paths of the mappings of an integration-models document that directly hold a
    number (or a list of numbers) with no source:/assumption: in themselves or in an enclosing
    mapping up to their documentation_boundary(). `checked`, a list, gets every such mapping."""
    found = []
    checked = [] if checked is None else checked

    def documented(chain, path):
        boundary = documentation_boundary(path)
        lowest = len(path) if boundary is None else boundary
        return any(any(k in node for k in DOCUMENTED)
                   for depth, node in chain if depth >= lowest)

    def walk(node, path, chain):
        if isinstance(node, dict):
            chain = chain + [(len(path), node)]
            holds_number = any(
                k not in DOCUMENTED and (is_number(v) or (isinstance(v, list)
                                                           and any(is_number(x) for x in v)))
                for k, v in node.items())
            if holds_number:
                checked.append(".".join(path))
                if not documented(chain, path):
                    found.append(".".join(path) or "(top level)")
            for k, v in node.items():
                if k not in DOCUMENTED and k != "description":
                    walk(v, path + (str(k),), chain)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, path + (str(i),), chain)

    walk(doc, (), [])
    return found


class ModelsFileDocumentedTest(unittest.TestCase):
    """configs/integration_models.yaml: every number says where it comes from."""

    def test_every_number_has_a_source_or_an_assumption(self):
        with open(os.path.join(ROOT, MODELS_FILE), encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        checked = []
        self.assertEqual(undocumented_numbers(doc, checked), [])
        # The walk reached the numbers it vouches for: the contract, and in each model its
        # organisations, its internal delay and its interfaces' transfer cost.
        self.assertIn("contract", checked)
        for model_id, model in doc["models"].items():
            with self.subTest(model=model_id):
                for org in model["organisations"]:
                    self.assertIn(f"models.{model_id}.organisations.{org}", checked)
                self.assertIn(f"models.{model_id}.interfaces", checked)
                self.assertIn(f"models.{model_id}.interfaces.internal_delay", checked)

    def test_the_check_finds_what_is_undocumented(self):
        doc = yaml.safe_load("""
contract: {overhead_allowance: 0.12}
models:
  m:
    assumption: too high up to document the numbers below
    organisations:
      ok: {kind: acute_trust, overhead_share: 0.08, assumption: documented here}
      bare: {kind: acute_trust, overhead_share: 0.08}
      as_text: {kind: acute_trust, overhead_share: '1e-3'}
      flag_only: {kind: social_enterprise, legal_form: community_interest_company}
    interfaces:
      processes_reformed: true
      internal_delay: {distribution: lognormal, mean: 0.5, sd: 0.5}
      assumption: documents the delay inside it
    levers:
      admission_avoidance: {use: true, uptake: 0.5}
      early_supported_discharge: {use: true, uptake: 0.5, source: a trial}
""")
        self.assertEqual(undocumented_numbers(doc),
                         ["contract", "models.m.organisations.bare",
                          "models.m.organisations.as_text",
                          "models.m.levers.admission_avoidance"])


# --- Bad-input corpus: the command line, experiments ---------------------------------------------

def read_case_header(path):
    """`# expect:` and `# absent:` substrings and `# args:` arguments at the top of a case file,
    and the first line after them (the command, for command-line cases)."""
    expects, absents, args, rest = [], [], [], ""
    # The body may be bytes that are not UTF-8 (a test of just that): only the header is text.
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.startswith("#"):
                rest = line.strip()
                break
            body = line[1:].strip()
            for key, found in (("expect:", expects), ("absent:", absents)):
                if body.startswith(key):
                    found += [s.strip() for s in body[len(key):].split("|") if s.strip()]
            if body.startswith("args:"):
                args += shlex.split(body[len("args:"):])
    return expects, absents, args, rest


def limit_memory():
    """In the child: bad input must be refused within 1 GiB of address space (issue 12)."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def memory_limit_for(binary):
    """limit_memory for a plain build; None for an AddressSanitizer build, which reserves
    terabytes of address space for its shadow memory at start-up and so cannot run under any
    address-space limit. The Release run enforces the limit; tests/cli/bad_input_corpus_test.py
    measures the ASan build's peak resident memory instead."""
    if binary not in _SANITIZED:
        marker, tail, found = b"__asan_init", b"", False
        with open(binary, "rb") as f:  # in pieces: the binary may be 100 MB
            while not found and (piece := f.read(1 << 20)):
                found = marker in tail + piece
                tail = piece[-len(marker):]
        _SANITIZED[binary] = found
    return None if _SANITIZED[binary] else limit_memory


_SANITIZED = {}  # binary -> built with AddressSanitizer


class SpecialFiles:
    """A scratch folder with the special inputs case files name by placeholder: {fifo} (a FIFO
    nobody writes to), {large_yaml} (2 MiB, above the YAML limit), {link_to_dev_zero} and {tmp}."""

    def __init__(self, test):
        self.folder = tempfile.mkdtemp(prefix="tcsim_special_")
        test.addCleanup(shutil.rmtree, self.folder)
        self.values = {"tmp": self.folder}
        self.values["fifo"] = os.path.join(self.folder, "pipe.yaml")
        os.mkfifo(self.values["fifo"])
        self.values["large_yaml"] = os.path.join(self.folder, "large.yaml")
        with open(self.values["large_yaml"], "w", encoding="utf-8") as f:
            f.write("#" * (2 << 20))
        self.values["link_to_dev_zero"] = os.path.join(self.folder, "zero.yaml")
        os.symlink("/dev/zero", self.values["link_to_dev_zero"])

    def fill(self, text):
        for key, value in self.values.items():
            text = text.replace("{" + key + "}", value)
        return text


def assert_refused(test, command, expects, absents, where):
    """tcsim COMMAND (in the repository root, under 1 GiB, at most 60 s) exits 2 with nothing on
    stdout, every expected text on stderr and none of the absent ones."""
    out = subprocess.run([TCSIM, *command], capture_output=True, text=True, errors="replace",
                         cwd=ROOT, timeout=60, preexec_fn=memory_limit_for(TCSIM))
    assert_bad_input(test, out, [*expects, *map(Absent, absents)], where)


class BadCommandLineTest(unittest.TestCase):
    """Each file in tests/configs/bad_command_line/ is one bad command line: its header says what
    stderr must (`# expect:`) and must not (`# absent:`) contain, its first other line is the
    command after `tcsim`, run in the repository root. Placeholders: see SpecialFiles."""

    def test_every_bad_command_line_exits_2_with_its_message(self):
        files = sorted(glob.glob(os.path.join(ROOT, "tests", "configs", "bad_command_line",
                                              "*.args")))
        self.assertGreaterEqual(len(files), 15)
        special = SpecialFiles(self)
        for path in files:
            with self.subTest(case=os.path.basename(path)):
                expects, absents, _, command = read_case_header(path)
                self.assertTrue(expects and command, f"{path}: no '# expect:' or no command")
                assert_refused(self, shlex.split(special.fill(command)),
                               [special.fill(e) for e in expects], absents, path)


class BadExperimentTest(unittest.TestCase):
    """Each file in tests/configs/bad_experiments/ is a broken experiment; `tcsim batch FILE
    --out TMP/out.h5 [# args:]` must exit 2 saying what its header expects, before running."""

    def test_every_bad_experiment_is_refused_with_its_message(self):
        files = sorted(glob.glob(os.path.join(ROOT, "tests", "configs", "bad_experiments",
                                              "*.yaml")))
        self.assertGreaterEqual(len(files), 10)
        folder = tempfile.mkdtemp(prefix="tcsim_bad_experiment_")
        self.addCleanup(shutil.rmtree, folder)
        for path in files:
            with self.subTest(case=os.path.basename(path)):
                expects, absents, args, _ = read_case_header(path)
                self.assertTrue(expects, f"{path}: no '# expect:' line")
                out = os.path.join(folder, os.path.basename(path) + ".h5")
                assert_refused(self, ["batch", path, "--out", out, "--quiet", *args], expects,
                               absents, path)
                self.assertFalse(os.path.exists(out), "nothing may be written")


if __name__ == "__main__":
    TCSIM, ROOT = sys.argv[1], sys.argv[2]
    # Any further arguments name test classes or methods to run (CTest runs one class each).
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[3:]])
