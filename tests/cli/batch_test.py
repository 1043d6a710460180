#!/usr/bin/python3
"""End-to-end tests of `tcsim batch`, `tcsim report` and `tcsim run --out FILE.h5`: the results
file (docs/results-format.md), its crash safety (kill, torn journal, file-size limit, resume),
refusals, and the report's statistics against a hand computation.

Usage: batch_test.py TCSIM_EXECUTABLE REPO_ROOT [TEST_CLASS_OR_METHOD ...]

Needs Debian's python3-h5py, python3-numpy, python3-pandas and python3-yaml. The experiments are the test
fixtures in tests/configs/experiments/. Every test works in its own temporary folder; the
uninterrupted reference runs that several tests of a class compare against are made once per
process (CTest runs one class per process) in a temporary folder of their own.
"""
import csv
import hashlib
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

import h5py
import numpy as np
import pandas as pd
import yaml

TCSIM = None
ROOT = None

# Student t quantile t(0.975, 3 dof): four replications give a 95% interval with 3 dof.
T_975_3 = 3.182446305284263
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PLOTS = ["savings_by_model.png", "occupancy_delays_over_time.png", "tornado.png", "warmup.png"]
# How long a test waits for something that depends on speed (the ASan build is 3-5x slower).
PATIENCE_SECONDS = 240

SUMMARY_LINE = re.compile(
    r": (\d+) tasks \((\d+) design points x (\d+) replications\): (\d+) run now"
    r"(?:, (\d+) from the journal)?, in ")


def run(*args, cwd=None):
    return subprocess.run([TCSIM, *args], capture_output=True, text=True, cwd=cwd)


def experiment(name):
    return os.path.join(ROOT, "tests", "configs", "experiments", name + ".yaml")


def finish(proc):
    """Waits for a process started with stdout and stderr piped; a CompletedProcess."""
    stdout, stderr = proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def batch(exp, out, *extra):
    return run("batch", exp, "--out", out, "--quiet", *extra)


def assert_exit(test, done, code):
    """`done` exited with `code`, and not by a crash that a sanitizer turned into that code
    (AddressSanitizer exits 1 after reporting a SEGV, like an ordinary failed write)."""
    test.assertEqual(done.returncode, code, done.stderr)
    test.assertNotIn("Sanitizer", done.stderr)


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def tasks_line(stdout):
    """{total, points, replications, run, from_journal} from `tcsim batch`'s summary line."""
    match = SUMMARY_LINE.search(stdout)
    if not match:
        raise AssertionError(f"no summary line in tcsim batch's output:\n{stdout}")
    total, points, reps, ran, journal = match.groups()
    return {"total": int(total), "points": int(points), "replications": int(reps),
            "run": int(ran), "from_journal": int(journal or 0)}


def copy_experiment(source, folder, file_name, replace=()):
    """A copy of experiment `source` in `folder`, its scenario path made absolute (so that the
    copy works from anywhere) and each (old, new) of `replace` applied once."""
    text = read_text(source)
    scenario = re.search(r"^scenario: (.+)$", text, re.M).group(1).strip()
    absolute = os.path.abspath(os.path.join(os.path.dirname(source), scenario))
    text = text.replace(f"scenario: {scenario}\n", f"scenario: {absolute}\n", 1)
    for old, new in replace:
        if old not in text:
            raise AssertionError(f"'{old}' is not in {source}")
        text = text.replace(old, new, 1)
    path = os.path.join(folder, file_name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


# --- the checksum header of a results file (docs/results-format.md) ----------------------------

RESULTS_HEADER_BYTES = 512


def results_header(body, length):
    """The 512-byte header tcsim writes before the HDF5 bytes `body` of a file `length` long."""
    text = (f"TCSIM-RESULTS-CHECKSUM 1\ncrc32 {zlib.crc32(body):08x}\nbytes {length}\n"
            .encode("ascii"))
    return text.ljust(RESULTS_HEADER_BYTES, b"\0")


def seal(path):
    """Puts tcsim's checksum header (docs/results-format.md) in front of the HDF5 file at `path`
    written without one (by hand, with h5py), or rewrites it for what a tcsim results file now
    holds (after changing it on purpose with h5py, which keeps the header as it was)."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"TCSIM-RESULTS-CHECKSUM 1\n"):
        body = data[RESULTS_HEADER_BYTES:]
    elif data.startswith(b"\x89HDF\r\n\x1a\n"):
        body = data
    else:
        raise AssertionError(f"{path} is neither HDF5 nor a tcsim results file")
    with open(path, "wb") as f:
        f.write(results_header(body, RESULTS_HEADER_BYTES + len(body)) + body)


# --- comparing results files -----------------------------------------------------------------

def _same(x, y):
    """Equal values: NaN equals NaN for floats, exact for integers and strings."""
    x, y = np.asarray(x), np.asarray(y)
    if x.shape != y.shape or x.dtype.kind != y.dtype.kind or x.dtype.itemsize != y.dtype.itemsize:
        return False
    if x.dtype.kind == "f":
        return bool(np.array_equal(x, y, equal_nan=True))
    if x.dtype.kind == "O":
        return x.tolist() == y.tolist()
    return bool(np.array_equal(x, y))


def _walk(a, b, path, differences):
    for key in sorted(set(a.attrs) | set(b.attrs)):
        if key not in a.attrs or key not in b.attrs:
            differences.append(f"{path}: attribute '{key}' only in "
                               f"{'the first' if key in a.attrs else 'the second'}")
        elif not _same(a.attrs[key], b.attrs[key]):
            differences.append(f"{path}: attribute '{key}': {a.attrs[key]!r} != {b.attrs[key]!r}")
    if isinstance(a, h5py.Group) != isinstance(b, h5py.Group):
        differences.append(f"{path}: a group in one file, a dataset in the other")
        return
    if isinstance(a, h5py.Group):
        for key in sorted(set(a) | set(b)):
            child = f"{path.rstrip('/')}/{key}"
            if key not in a or key not in b:
                differences.append(f"{child}: only in {'the first' if key in a else 'the second'}")
            else:
                _walk(a[key], b[key], child, differences)
        return
    if a.shape != b.shape or a.dtype != b.dtype or \
            h5py.check_string_dtype(a.dtype) != h5py.check_string_dtype(b.dtype):
        differences.append(f"{path}: shape/type {a.shape} {a.dtype} != {b.shape} {b.dtype}")
    elif not _same(a[()], b[()]):
        differences.append(f"{path}: contents differ")


def h5_differences(path_a, path_b):
    """Every difference in groups, datasets and attributes between two HDF5 files ([] if none)."""
    differences = []
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        _walk(a, b, "/", differences)
    return differences


# --- uninterrupted reference runs, once per process ------------------------------------------

_REFERENCE_DIR = None
_REFERENCES = {}  # fixture name -> results file
_PENDING = {}  # fixture name -> (process, results file), started but not yet waited for


def start_reference(name):
    """Starts an uninterrupted run of fixture `name` (on every core) in the background, so that
    it overlaps a test's own runs; reference() waits for it."""
    global _REFERENCE_DIR
    if name in _REFERENCES or name in _PENDING:
        return
    if _REFERENCE_DIR is None:
        _REFERENCE_DIR = tempfile.TemporaryDirectory(prefix="batch_test_reference_")
    out = os.path.join(_REFERENCE_DIR.name, name + ".h5")
    proc = subprocess.Popen([TCSIM, "batch", experiment(name), "--out", out, "--threads", "0",
                             "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _PENDING[name] = (proc, out)


def reference(name):
    """The results file of an uninterrupted run of fixture `name`."""
    start_reference(name)
    if name in _PENDING:
        proc, out = _PENDING.pop(name)
        _, stderr = proc.communicate()
        if proc.returncode != 0:
            raise AssertionError(f"reference run of {name} failed (exit {proc.returncode}): "
                                 f"{stderr}")
        _REFERENCES[name] = out
    return _REFERENCES[name]


def stop_references():
    for proc, _ in _PENDING.values():
        proc.kill()
        proc.communicate()
    _PENDING.clear()
    if _REFERENCE_DIR is not None:
        _REFERENCE_DIR.cleanup()


# --- killing a run part way ------------------------------------------------------------------

def journal_header_size(exp):
    """A lower bound on the size of the journal's header: magic (16 bytes), the identity
    record's kind, length and checksum (20) and at least the experiment and scenario texts."""
    text = read_text(exp)
    scenario = re.search(r"^scenario: (.+)$", text, re.M).group(1).strip()
    with open(os.path.join(os.path.dirname(exp), scenario), "rb") as f:
        scenario_bytes = len(f.read())
    return 16 + 20 + len(text.encode()) + scenario_bytes


def task_bytes(exp):
    """A lower bound on one task's journal record for a fixture that keeps daily series: its
    two series (occupancy, delayed) of every setting over the horizon, 8 bytes a value."""
    text = read_text(exp)
    horizon = int(re.search(r"run\.horizon:\s*\n\s*levels: \[(\d+)\]", text).group(1))
    return 2 * horizon * 3 * 8  # small_grid: reference model B has 3 settings


def start_and_kill(test, exp, out, when="between flushes"):
    """Starts `tcsim batch EXP --out OUT --threads 1` and SIGKILLs it; returns the journal's
    size. `when`:
      "header": once the journal holds its header (no task yet) and has held still 0.05 s;
      "during a flush": as soon as the journal surely holds one whole task (the header is
          under 1 KiB more than journal_header_size, and two task sizes past it there is at
          least one complete record) - often while that flush is still being written;
      "between flushes": as above, then once the size has held still for 0.2 s (a flush is
          one write, and flushes are 2 s apart), i.e. after the first flush.
    Fails the test if tcsim ends before it is killed: the fixture would be too fast."""
    journal = out + ".journal"
    header = journal_header_size(exp)
    target = header if when == "header" else header + 1024 + 2 * task_bytes(exp)
    # The header is one write; "header" waits a moment too, to be sure it is all there.
    settle = {"header": 0.05, "during a flush": 0.0, "between flushes": 0.2}[when]
    seen = []
    last_change = time.monotonic()
    proc = subprocess.Popen([TCSIM, "batch", exp, "--out", out, "--threads", "1", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + PATIENCE_SECONDS
    try:
        while True:
            try:
                size = os.path.getsize(journal)
            except FileNotFoundError:
                size = None
            if size is not None and (not seen or seen[-1] != size):
                seen.append(size)
                last_change = time.monotonic()
            if size is not None and size >= target and \
                    time.monotonic() - last_change >= settle:
                os.kill(proc.pid, signal.SIGKILL)
                break
            if proc.poll() is not None:
                break
            if time.monotonic() > deadline:
                os.kill(proc.pid, signal.SIGKILL)
                proc.communicate()
                test.fail(f"the journal {journal} did not reach {target} bytes in "
                          f"{PATIENCE_SECONDS} s (sizes seen: {seen})")
            time.sleep(0.002)
        stdout, stderr = proc.communicate(timeout=PATIENCE_SECONDS)
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    if proc.returncode != -signal.SIGKILL:
        test.fail(f"tcsim batch {os.path.basename(exp)} ended (exit {proc.returncode}) before it "
                  f"could be killed {when}: the fixture is too fast for this machine - make "
                  f"it longer (journal sizes seen: {seen})\nstdout: {stdout}\nstderr: {stderr}")
    return os.path.getsize(journal) if os.path.exists(journal) else None


# --- the tests -------------------------------------------------------------------------------

class ThreadsTest(unittest.TestCase):
    def test_one_or_two_threads_write_the_same_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            one, two = os.path.join(tmp, "one.h5"), os.path.join(tmp, "two.h5")
            # Side by side, to save time: the results cannot depend on it.
            runs = [subprocess.Popen([TCSIM, "batch", experiment("small_grid"), "--out", out,
                                      "--quiet", "--threads", threads],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                    for out, threads in ((one, "1"), (two, "2"))]
            a, b = (finish(p) for p in runs)
            self.assertEqual(a.returncode, 0, a.stderr)
            self.assertEqual(b.returncode, 0, b.stderr)
            self.assertEqual(h5_differences(one, two), [])
            for done, out in ((a, one), (b, two)):
                line = tasks_line(done.stdout)
                self.assertEqual(line["run"], line["total"])
                self.assertEqual(line["from_journal"], 0)
                self.assertIn(f"\nresults: {out}\n", done.stdout)
                self.assertFalse(os.path.exists(out + ".journal"))
                self.assertFalse(os.path.exists(out + ".tmp"))

    def test_the_comparison_sees_one_changed_value_or_attribute(self):
        # The file comparison every resume test relies on is not vacuous.
        original = reference("small_lhs")
        with tempfile.TemporaryDirectory() as tmp:
            changed = os.path.join(tmp, "changed.h5")
            shutil.copy(original, changed)
            self.assertEqual(h5_differences(original, changed), [])
            with h5py.File(changed, "r+") as f:
                f["summary/acute.mean_occupancy"][3] += 1e-9
                f["summary/acute.mean_wait"].attrs["units"] = "hours"
                f.attrs["tasks_present"] = np.int64(13)
            found = h5_differences(original, changed)
            self.assertEqual(len(found), 3, found)
            self.assertTrue(found[0].startswith("/: attribute 'tasks_present'"), found)
            self.assertEqual(found[1], "/summary/acute.mean_occupancy: contents differ")
            self.assertEqual(found[2],
                             "/summary/acute.mean_wait: attribute 'units': 'days' != 'hours'")


class KillResumeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The uninterrupted run the tests compare against, made while they start.
        start_reference("small_grid")

    def kill_and_resume(self, when):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "grid.h5")
            start_and_kill(self, experiment("small_grid"), out, when)
            self.assertFalse(os.path.exists(out), "the results file exists after a kill")
            self.assertTrue(os.path.exists(out + ".journal"), "no journal after a kill")
            done = batch(experiment("small_grid"), out, "--resume")
            self.assertEqual(done.returncode, 0, done.stderr)
            line = tasks_line(done.stdout)
            self.assertIn("from the journal", done.stdout)
            self.assertGreater(line["from_journal"], 0)
            self.assertLess(line["from_journal"], line["total"],
                            "every task was in the journal: the fixture is too fast to kill "
                            "part way")
            self.assertEqual(line["run"] + line["from_journal"], line["total"])
            self.assertIn(f"\nresults: {out}\n", done.stdout)
            self.assertFalse(os.path.exists(out + ".journal"))
            self.assertEqual(h5_differences(out, reference("small_grid")), [])

    def test_killed_between_flushes_resumes_to_the_uninterrupted_file(self):
        self.kill_and_resume("between flushes")

    def test_killed_during_a_flush_resumes_to_the_uninterrupted_file(self):
        # A kill in the middle of the flush's write leaves the last record cut short.
        self.kill_and_resume("during a flush")


class TornJournalTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The uninterrupted run the tests compare against, made while they start.
        start_reference("small_grid")

    def test_garbage_after_the_last_record_is_dropped(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "grid.h5")
            start_and_kill(self, experiment("small_grid"), out)
            with open(out + ".journal", "ab") as f:
                # A record head (kind 2 = task, a length) cut short, as a kill mid-write leaves.
                f.write(b"\x02\x00\x00\x00\x40\x00\x00\x00\x00\x00\x00\x00torn")
            done = batch(experiment("small_grid"), out, "--resume")
            self.assertEqual(done.returncode, 0, done.stderr)
            line = tasks_line(done.stdout)
            self.assertGreater(line["from_journal"], 0)
            self.assertEqual(line["run"] + line["from_journal"], line["total"])
            self.assertFalse(os.path.exists(out + ".journal"))
            self.assertEqual(h5_differences(out, reference("small_grid")), [])


class RefuseTest(unittest.TestCase):
    def test_existing_file_is_not_overwritten(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "models.h5")
            first = batch(experiment("small_models"), out)
            self.assertEqual(first.returncode, 0, first.stderr)
            digest = sha256(out)
            again = batch(experiment("small_models"), out)
            assert_exit(self, again, 3)
            self.assertIn(out, again.stderr)
            self.assertIn("--resume", again.stderr)
            self.assertEqual(sha256(out), digest)
            self.assertFalse(os.path.exists(out + ".journal"))

    def test_resume_of_a_complete_file_runs_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "models.h5")
            self.assertEqual(batch(experiment("small_models"), out).returncode, 0)
            digest = sha256(out)
            again = batch(experiment("small_models"), out, "--resume")
            self.assertEqual(again.returncode, 0, again.stderr)
            self.assertIn("nothing to run", again.stdout)
            self.assertEqual(sha256(out), digest)
            self.assertFalse(os.path.exists(out + ".journal"))

    def test_leftover_journal_is_not_overwritten(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "grid.h5")
            start_and_kill(self, experiment("small_grid"), out, "header")
            journal = out + ".journal"
            digest = sha256(journal)
            again = batch(experiment("small_grid"), out)
            assert_exit(self, again, 3)
            self.assertIn(journal, again.stderr)
            self.assertIn("--resume", again.stderr)
            self.assertEqual(sha256(journal), digest)
            self.assertFalse(os.path.exists(out))

    def test_journal_of_another_experiment_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "grid.h5")
            mine = copy_experiment(experiment("small_grid"), tmp, "mine.yaml")
            other = copy_experiment(experiment("small_grid"), tmp, "other.yaml",
                                    [("\nseed: 424242\n", "\nseed: 424243\n")])
            start_and_kill(self, mine, out, "header")
            digest = sha256(out + ".journal")
            again = batch(other, out, "--resume")
            assert_exit(self, again, 3)
            self.assertIn(out + ".journal", again.stderr)
            self.assertIn("experiment", again.stderr)
            self.assertEqual(sha256(out + ".journal"), digest)
            self.assertFalse(os.path.exists(out))

    def test_file_of_another_experiment_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "models.h5")
            mine = copy_experiment(experiment("small_models"), tmp, "mine.yaml")
            other = copy_experiment(experiment("small_models"), tmp, "other.yaml",
                                    [("\nseed: 777\n", "\nseed: 778\n")])
            self.assertEqual(batch(mine, out).returncode, 0)
            digest = sha256(out)
            again = batch(other, out, "--resume")
            assert_exit(self, again, 3)
            self.assertIn(out, again.stderr)
            self.assertIn("experiment", again.stderr)
            self.assertEqual(sha256(out), digest)
            self.assertFalse(os.path.exists(out + ".journal"))


def limited_batch(blocks, exp, out):
    """`tcsim batch` under `ulimit -f BLOCKS` (1024-byte blocks in bash)."""
    return subprocess.run(
        ["bash", "-c", 'ulimit -f "$1" && exec "$0" batch "$2" --out "$3" --threads 1 --quiet',
         TCSIM, str(blocks), exp, out], capture_output=True, text=True)


class FileSizeLimitTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The uninterrupted run the tests compare against, made while they start.
        start_reference("small_grid")
        start_reference("small_lhs")

    def test_journal_too_large_fails_and_resumes(self):
        config = yaml.safe_load(read_text(experiment("small_grid")))
        rows = config["replications"] * len(
            config["factors"]["settings.community_nursing.capacity"]["levels"])
        days, settings = config["factors"]["run.horizon"]["levels"][0], 3
        # The journal holds both daily series of every task uncompressed, so the whole run's
        # journal is larger than this; a limit of 85% of it still holds the header and the
        # first flush (2 s in: about two thirds of the tasks in the Release build, fewer
        # under ASan; should a flush hold more, it fails with none kept, still a failed write).
        series_bytes = rows * days * settings * 2 * 8
        blocks = int(0.85 * series_bytes) // 1024
        self.assertGreater(blocks * 1024, journal_header_size(experiment("small_grid")) + 1024)
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "grid.h5")
            journal = out + ".journal"
            limited = limited_batch(blocks, experiment("small_grid"), out)
            assert_exit(self, limited, 1)
            self.assertIn(journal, limited.stderr)
            self.assertIn("File too large", limited.stderr)
            self.assertIn("--resume", limited.stderr)
            self.assertFalse(os.path.exists(out))
            self.assertTrue(os.path.exists(journal))
            self.assertLessEqual(os.path.getsize(journal), blocks * 1024)
            done = batch(experiment("small_grid"), out, "--resume")
            self.assertEqual(done.returncode, 0, done.stderr)
            line = tasks_line(done.stdout)
            self.assertEqual(line["run"] + line["from_journal"], line["total"])
            self.assertFalse(os.path.exists(journal))
            self.assertEqual(h5_differences(out, reference("small_grid")), [])

    def test_results_file_too_large_keeps_the_journal(self):
        # Without daily series the journal (the metrics, uncompressed) is smaller than the
        # HDF5 file (its texts and structure): a limit between the two fails only the final
        # write of the results file, after every task is in the journal.
        expected = reference("small_lhs")
        blocks = os.path.getsize(expected) * 2 // 3 // 1024
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "lhs.h5")
            journal = out + ".journal"
            limited = limited_batch(blocks, experiment("small_lhs"), out)
            assert_exit(self, limited, 1)
            self.assertIn(out + ".tmp", limited.stderr)  # the results file, not the journal
            self.assertIn(journal, limited.stderr)
            self.assertIn("File too large", limited.stderr)
            self.assertIn("--resume", limited.stderr)
            self.assertFalse(os.path.exists(out))
            self.assertFalse(os.path.exists(out + ".tmp"))
            self.assertTrue(os.path.exists(journal))
            done = batch(experiment("small_lhs"), out, "--resume")
            self.assertEqual(done.returncode, 0, done.stderr)
            line = tasks_line(done.stdout)
            self.assertEqual((line["run"], line["from_journal"]), (0, line["total"]))
            self.assertEqual(h5_differences(out, expected), [])

    def test_output_folder_that_cannot_exist_exits_2(self):
        with tempfile.TemporaryDirectory() as tmp:
            blocker = os.path.join(tmp, "a_file")
            with open(blocker, "w") as f:
                f.write("not a folder\n")
            out = os.path.join(blocker, "sub", "grid.h5")
            done = batch(experiment("small_lhs"), out)
            assert_exit(self, done, 2)
            self.assertIn(f"cannot write results to '{out}'", done.stderr)
            self.assertIn("Not a directory", done.stderr)
            self.assertEqual(done.stdout, "")
            self.assertEqual(os.listdir(tmp), ["a_file"])


class LayoutTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The uninterrupted run the tests compare against, made while they start.
        start_reference("small_grid")

    def test_small_models_file_follows_the_documented_layout(self):
        exp = experiment("small_models")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "models.h5")
            done = batch(exp, out)
            self.assertEqual(done.returncode, 0, done.stderr)
            config = yaml.safe_load(read_text(exp))
            models = config["models"]
            gains = [float(g) for g in config["factors"]["productivity_gain"]["levels"]]
            horizon = config["factors"]["run.horizon"]["levels"]
            warmup = config["factors"]["run.warmup"]["levels"]
            self.assertEqual((len(models), len(gains), len(horizon), len(warmup)), (2, 2, 1, 1))
            replications, seed = config["replications"], config["seed"]
            points = len(models) * len(gains)
            n = points * replications
            with h5py.File(out, "r") as f:
                a = f.attrs
                self.assertEqual(a["format"], "tcsim-results")
                self.assertEqual(a["format_version"], 1)
                self.assertEqual(a["format_version"].dtype, np.int64)
                self.assertEqual(a["master_seed"], seed)
                self.assertEqual(a["master_seed"].dtype, np.uint64)
                self.assertEqual(a["design_kind"], "grid")
                self.assertEqual(a["experiment_name"], config["name"])
                self.assertEqual(a["replications"], replications)
                self.assertEqual(a["tasks_expected"], n)
                self.assertEqual(a["tasks_present"], n)
                self.assertEqual(a["complete"], 1)
                self.assertTrue(a["tcsim_version"].startswith("tcsim "), a["tcsim_version"])
                self.assertEqual(a["tcsim_version"], run("--version").stdout.strip())

                self.assertEqual(f["config/experiment"].asstr()[()], read_text(exp))
                self.assertEqual(f["config/scenario"].asstr()[()],
                                 read_text(os.path.join(ROOT, "configs", "examples", "area.yaml")))
                self.assertEqual(f["config/integration_models"].asstr()[()],
                                 read_text(os.path.join(ROOT, "configs", "integration_models.yaml")))

                d = f["design"]
                # The model varies slowest, then the factors in file order.
                self.assertEqual(list(d["model"].asstr()[()]),
                                 [m for m in models for _ in gains])
                self.assertEqual(list(d["productivity_gain"][()]), gains * len(models))
                self.assertEqual(d["productivity_gain"].dtype, np.float64)
                self.assertEqual(list(d["run.horizon"][()]), horizon * points)
                self.assertEqual(list(d["run.warmup"][()]), warmup * points)
                # A factor with one level says nothing about the point, so it is not named.
                self.assertEqual(list(d["name"].asstr()[()]),
                                 [f"{m}, productivity_gain={g:g}" for m in models for g in gains])

                s = f["summary"]
                self.assertEqual(s["design_point"].dtype, np.int64)
                self.assertEqual(s["replication"].dtype, np.int64)
                keys = list(zip(s["design_point"][()].tolist(), s["replication"][()].tolist()))
                self.assertEqual(keys, [(p, r) for p in range(points)
                                        for r in range(replications)])
                metrics = [k for k in s if k not in ("design_point", "replication")]
                self.assertIn("area.cost_per_year", metrics)
                self.assertTrue(any(k.startswith("acute.") for k in metrics), metrics)
                for key in metrics:
                    with self.subTest(metric=key):
                        self.assertRegex(key, r"^(area|acute)\.")
                        self.assertEqual(s[key].shape, (n,))
                        self.assertEqual(s[key].dtype, np.float64)
                        self.assertIn("units", s[key].attrs)
                        self.assertEqual(f"{s[key].attrs['scope']}.{s[key].attrs['name']}"
                                         .replace("/", "_"), key)
                self.assertEqual(s["area.cost_per_year"].attrs["units"], "GBP/year")
                self.assertNotIn("timeseries", f)

            # Reading it as docs/results-format.md shows.
            with h5py.File(out, "r") as f:
                summary = pd.DataFrame({k: f["summary"][k][()] for k in f["summary"]})
                design = pd.DataFrame({k: (f["design"][k].asstr()[()]
                                           if f["design"][k].dtype.kind == "O"
                                           else f["design"][k][()]) for k in f["design"]})
                units = {k: f["summary"][k].attrs.get("units", "") for k in f["summary"]}
                text = f["config/experiment"].asstr()[()]
            runs = summary.merge(design, left_on="design_point", right_index=True)
            self.assertEqual(len(runs), n)
            self.assertEqual(text, read_text(exp))
            self.assertEqual(units["area.cost_per_year"], "GBP/year")
            by_name = runs.groupby("name")["area.cost_per_year"].mean()
            self.assertEqual(len(by_name), points)
            self.assertTrue(np.all(np.isfinite(by_name.values)), by_name)
            by_model = runs.groupby(["model", "productivity_gain"])["area.cost_per_year"].count()
            self.assertEqual(by_model.tolist(), [replications] * points)

    def test_small_grid_keeps_chunked_compressed_series(self):
        out = reference("small_grid")
        text = read_text(experiment("small_grid"))
        horizon = int(re.search(r"run\.horizon:\s*\n\s*levels: \[(\d+)\]", text).group(1))
        with h5py.File(out, "r") as f:
            n = f.attrs["tasks_present"]
            self.assertEqual(n, f.attrs["tasks_expected"])
            settings = list(f["timeseries/settings"].asstr()[()])
            self.assertEqual(settings, ["acute", "community_nursing", "intermediate_care"])
            self.assertEqual(list(f["timeseries/services"].asstr()[()]),
                             ["acute_beds", "district_nursing", "intermediate_care_beds"])
            for name in ("occupancy", "delayed"):
                with self.subTest(series=name):
                    d = f["timeseries"][name]
                    self.assertEqual(d.shape, (n, horizon, len(settings)))
                    self.assertEqual(d.dtype, np.float64)
                    self.assertEqual(d.chunks, (1, horizon, len(settings)))
                    self.assertEqual(d.compression, "gzip")
                    self.assertEqual(d.compression_opts, 4)
                    self.assertTrue(d.shuffle)
                    self.assertIn("units", d.attrs)
                    values = d[()]
                    self.assertTrue(np.all(np.isfinite(values)))
                    self.assertTrue(np.all(values >= 0))
            # Occupancy never exceeds the capacity of a setting (the design's factor for
            # community nursing, the scenario's 300 acute and 100 intermediate-care beds).
            occupancy = f["timeseries/occupancy"][()]
            capacity = f["design/settings.community_nursing.capacity"][()]
            points = f["summary/design_point"][()]
            self.assertTrue(np.all(occupancy[:, :, 0] <= 300))
            self.assertTrue(np.all(occupancy[:, :, 1] <= capacity[points][:, None]))
            self.assertTrue(np.all(occupancy[:, :, 2] <= 100))


class LhsStrataTest(unittest.TestCase):
    def test_each_stratum_holds_one_point(self):
        exp = experiment("small_lhs")
        config = yaml.safe_load(read_text(exp))
        points = config["points"]
        factors = config["factors"]
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "lhs.h5")
            done = batch(exp, out)
            self.assertEqual(done.returncode, 0, done.stderr)
            with h5py.File(out, "r") as f:
                self.assertEqual(f.attrs["design_kind"], "lhs")
                self.assertEqual(f.attrs["tasks_present"], points * config["replications"])
                names = list(f["design/name"].asstr()[()])
                values = {path: f["design"][path][()] for path in factors}
        self.assertEqual(names, [f"#{i}" for i in range(points)])
        continuous = [p for p in factors if not factors[p].get("integer", False)]
        integer = [p for p in factors if factors[p].get("integer", False)]
        self.assertTrue(continuous and integer, "the fixture needs both kinds of factor")
        for path in continuous:
            # Each of the half-open strata [lo + i w, lo + (i + 1) w) holds exactly one value.
            lo, hi = factors[path]["range"]
            width = (hi - lo) / points
            strata = sorted(int(math.floor((v - lo) / width)) for v in values[path])
            self.assertEqual(strata, list(range(points)), f"{path}: {values[path]}")
        for path in integer:
            # Rounding after sampling can move a value onto the next stratum's lower end
            # (109.6 -> 110), so the half-open check does not hold. With whole-number stratum
            # ends (the fixture's ranges are multiples of the points), rounding keeps each
            # value inside its closed stratum: sorted, the i-th lies in [lo + i w, lo + (i+1) w].
            lo, hi = factors[path]["range"]
            self.assertEqual((hi - lo) % points, 0, f"{path}: choose a range of k x {points}")
            width = (hi - lo) // points
            self.assertTrue(np.all(values[path] == np.round(values[path])), values[path])
            for i, v in enumerate(sorted(values[path])):
                with self.subTest(factor=path, values=list(values[path]), i=i):
                    self.assertGreaterEqual(v, lo + i * width)
                    self.assertLessEqual(v, lo + (i + 1) * width)


def write_hand_results(path, a, b, units="GBP/year"):
    """A results file written by hand as docs/results-format.md describes (h5py, then the
    checksum header): design points "a" and "b", len(a) replications each, one metric
    area.cost_per_year."""
    reps = len(a)
    text = h5py.string_dtype("utf-8")
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "tcsim-results"
        f.attrs["format_version"] = np.int64(1)
        f.attrs["tcsim_version"] = "tcsim 0.1.0 (written by hand for batch_test.py)"
        f.attrs["experiment_name"] = "hand computation"
        f.attrs["master_seed"] = np.uint64(12345)
        f.attrs["design_kind"] = "grid"
        f.attrs["replications"] = np.int64(reps)
        f.attrs["tasks_expected"] = np.int64(2 * reps)
        f.attrs["tasks_present"] = np.int64(2 * reps)
        f.attrs["complete"] = np.int64(1)
        f.create_dataset("config/experiment", data="name: hand computation\n", dtype=text)
        f.create_dataset("config/scenario", data="", dtype=text)
        f.create_dataset("design/name", data=["a", "b"], dtype=text)
        f.create_dataset("design/model", data=["", ""], dtype=text)
        f.create_dataset("summary/design_point", data=np.repeat([0, 1], reps).astype(np.int64))
        f.create_dataset("summary/replication", data=np.tile(np.arange(reps), 2).astype(np.int64))
        d = f.create_dataset("summary/area.cost_per_year", data=np.array(a + b, dtype=np.float64))
        d.attrs["units"] = units
        d.attrs["scope"] = "area"
        d.attrs["name"] = "cost_per_year"
    seal(path)


def estimate(values):
    """Mean and Student-t 95% half-width of four values."""
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    return mean, T_975_3 * sd / math.sqrt(n)


def read_csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class ReportHandComputationTest(unittest.TestCase):
    A = [12_500_000.0, 13_100_000.0, 12_200_000.0, 12_900_000.0]
    B = [12_100_000.0, 12_950_000.0, 11_700_000.0, 12_640_000.0]

    def close(self, text, expected):
        self.assertTrue(math.isclose(float(text), expected, rel_tol=1e-9, abs_tol=1e-6),
                        f"{text} != {expected}")

    def report(self, tmp, *extra):
        path = os.path.join(tmp, "hand.h5")
        if not os.path.exists(path):
            write_hand_results(path, self.A, self.B)
        out = os.path.join(tmp, "report" + "_".join(extra).replace("-", ""))
        done = run("report", path, "--no-plots", "--out", out, *extra)
        return done, out

    def test_summary_differences_and_savings(self):
        with tempfile.TemporaryDirectory() as tmp:
            done, out = self.report(tmp)
            self.assertEqual(done.returncode, 0, done.stderr)
            for png in PLOTS:
                self.assertFalse(os.path.exists(os.path.join(out, png)), png)
            summary = read_csv_rows(os.path.join(out, "summary.csv"))
            self.assertEqual([(r["design_point"], r["name"], r["metric"], r["units"])
                              for r in summary],
                             [("0", "a", "area.cost_per_year", "GBP/year"),
                              ("1", "b", "area.cost_per_year", "GBP/year")])
            for row, values in zip(summary, (self.A, self.B)):
                with self.subTest(point=row["name"]):
                    mean, hw = estimate(values)
                    self.assertEqual(row["n"], "4")
                    self.close(row["mean"], mean)
                    self.close(row["half_width"], hw)
                    self.close(row["ci_low"], mean - hw)
                    self.close(row["ci_high"], mean + hw)
                    self.close(row["relative_half_width"], hw / abs(mean))
                    needed = math.ceil(4 * (hw / (0.05 * abs(mean))) ** 2)
                    self.assertEqual(int(row["replications_needed"]), needed)

            differences = read_csv_rows(os.path.join(out, "differences.csv"))
            self.assertEqual(len(differences), 1)  # the baseline's row is left out
            row = differences[0]
            self.assertEqual((row["design_point"], row["name"], row["metric"], row["units"]),
                             ("1", "b", "area.cost_per_year", "GBP/year"))
            paired = [y - x for x, y in zip(self.A, self.B)]
            mean, hw = estimate(paired)
            self.assertEqual(row["n"], "4")
            self.close(row["mean_difference"], mean)
            self.close(row["half_width"], hw)
            self.close(row["ci_low"], mean - hw)
            self.close(row["ci_high"], mean + hw)
            # Pairing by replication is tighter than the two points' own intervals here.
            self.assertLess(hw, estimate(self.A)[1])

            savings = {r["name"]: r for r in read_csv_rows(os.path.join(out, "savings.csv"))}
            self.assertEqual(savings["b"]["metric"], "area.cost_per_year")
            self.close(savings["b"]["saving"], -mean)
            self.close(savings["b"]["half_width"], hw)
            self.close(savings["a"]["saving"], 0.0)

            report = read_text(os.path.join(out, "report.md"))
            self.assertIn("hand computation", report)
            self.assertIn("Baseline for differences: **a**", report)

    def test_precision_option_changes_replications_needed(self):
        with tempfile.TemporaryDirectory() as tmp:
            done, out = self.report(tmp, "--precision", "0.01")
            self.assertEqual(done.returncode, 0, done.stderr)
            row = read_csv_rows(os.path.join(out, "summary.csv"))[0]
            mean, hw = estimate(self.A)
            self.assertEqual(int(row["replications_needed"]),
                             math.ceil(4 * (hw / (0.01 * abs(mean))) ** 2))

    def test_baseline_b_reverses_the_sign(self):
        with tempfile.TemporaryDirectory() as tmp:
            done, out = self.report(tmp, "--baseline", "b")
            self.assertEqual(done.returncode, 0, done.stderr)
            differences = read_csv_rows(os.path.join(out, "differences.csv"))
            self.assertEqual([(r["design_point"], r["name"]) for r in differences], [("0", "a")])
            mean, hw = estimate([x - y for x, y in zip(self.A, self.B)])
            self.assertGreater(mean, 0)
            self.close(differences[0]["mean_difference"], mean)
            self.close(differences[0]["half_width"], hw)
            savings = {r["name"]: r for r in read_csv_rows(os.path.join(out, "savings.csv"))}
            self.close(savings["a"]["saving"], -mean)
            self.close(savings["b"]["saving"], 0.0)

    def test_unknown_baseline_exits_2_naming_the_design_points(self):
        with tempfile.TemporaryDirectory() as tmp:
            done, out = self.report(tmp, "--baseline", "nosuch")
            assert_exit(self, done, 2)
            self.assertIn("nosuch", done.stderr)
            self.assertIn("'a'", done.stderr)
            self.assertIn("'b'", done.stderr)
            self.assertFalse(os.path.exists(out))


class ReportPlotsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The uninterrupted run the tests compare against, made while they start.
        start_reference("small_grid")

    def assert_plots(self, results, out):
        done = run("report", results, "--out", out)
        self.assertEqual(done.returncode, 0, done.stderr)
        for png in PLOTS:
            with self.subTest(plot=png):
                path = os.path.join(out, png)
                self.assertTrue(os.path.exists(path), f"{png} was not made")
                with open(path, "rb") as f:
                    self.assertEqual(f.read(8), PNG_MAGIC)
                self.assertGreater(os.path.getsize(path), 5000)
        for table in ("report.md", "summary.csv", "differences.csv", "savings.csv",
                      "tornado.csv"):
            self.assertTrue(os.path.exists(os.path.join(out, table)), table)
        report = read_text(os.path.join(out, "report.md"))
        self.assertIn("MSER-5", report)
        return report

    def test_plots_of_small_grid(self):
        with tempfile.TemporaryDirectory() as tmp:
            results = os.path.join(tmp, "grid.h5")
            shutil.copy(reference("small_grid"), results)
            self.assert_plots(results, os.path.join(tmp, "grid_report"))

    def test_plots_of_an_area_experiment_with_series(self):
        # small_models with daily series: the area has costs, so every plot has data.
        with tempfile.TemporaryDirectory() as tmp:
            exp = copy_experiment(experiment("small_models"), tmp, "models_series.yaml",
                                  [("\ntime_series: false\n", "\ntime_series: true\n")])
            results = os.path.join(tmp, "models.h5")
            done = batch(exp, results)
            self.assertEqual(done.returncode, 0, done.stderr)
            report = self.assert_plots(results, os.path.join(tmp, "models_report"))
            self.assertIn("Savings against", report)

    def test_default_folder_is_results_name_plus_report(self):
        with tempfile.TemporaryDirectory() as tmp:
            results = os.path.join(tmp, "hand.h5")
            write_hand_results(results, ReportHandComputationTest.A, ReportHandComputationTest.B)
            done = run("report", results, "--no-plots")
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertTrue(os.path.exists(os.path.join(tmp, "hand_report", "report.md")))


class RunOutTest(unittest.TestCase):
    def test_run_out_writes_a_single_point_file_and_refuses_to_overwrite(self):
        scenario = os.path.join(ROOT, "configs", "reference", "acute_community.yaml")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "X.h5")
            command = ["run", scenario, "--reps", "3", "--horizon", "100", "--out", out]
            done = run(*command)
            self.assertEqual(done.returncode, 0, done.stderr)
            with h5py.File(out, "r") as f:
                self.assertEqual(f.attrs["format"], "tcsim-results")
                self.assertEqual(f.attrs["design_kind"], "single")
                self.assertEqual(f.attrs["replications"], 3)
                self.assertEqual(f.attrs["tasks_expected"], 3)
                self.assertEqual(f.attrs["tasks_present"], 3)
                self.assertEqual(f.attrs["complete"], 1)
                self.assertEqual(list(f["design/name"].asstr()[()]),
                                 ["reference model B (acute to community, with blocking)"])
                self.assertEqual(list(f["summary/design_point"][()]), [0, 0, 0])
                self.assertEqual(list(f["summary/replication"][()]), [0, 1, 2])
                self.assertEqual(f["config/scenario"].asstr()[()], read_text(scenario))
                experiment_text = f["config/experiment"].asstr()[()]
                self.assertIn("replications: 3", experiment_text)
                self.assertIn(f"seed: {f.attrs['master_seed']}", experiment_text)
                self.assertEqual(f["timeseries/occupancy"].shape[0], 3)
            digest = sha256(out)
            again = run(*command)
            assert_exit(self, again, 3)
            self.assertIn(out, again.stderr)
            self.assertEqual(sha256(out), digest)


if __name__ == "__main__":
    TCSIM, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    # Any further arguments name test classes or methods to run (CTest runs one class each).
    try:
        unittest.main(argv=[sys.argv[0], "-v", *sys.argv[3:]])
    finally:
        stop_references()
