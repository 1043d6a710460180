#!/usr/bin/python3
"""End-to-end tests of running one experiment on several machines: `tcsim batch --shard i/n`
and `tcsim merge` (ShardMergeTest, every build), and `tcsim batch` under mpirun (the Mpi*
classes, only for a build with the `mpi` preset).

Usage: cluster_test.py TCSIM_EXECUTABLE REPO_ROOT [--mpi MPI_TCSIM] [TEST_CLASS_OR_METHOD ...]

--mpi names a tcsim built with TCSIM_MPI (the `mpi` preset): the Mpi* classes run it under
`mpirun` (found on PATH) and, for their reference files, without mpirun (one process). Without
--mpi the Mpi* classes fail rather than skip, so a run that asks for them cannot pass by
accident; name ShardMergeTest alone to run without MPI (as CTest does in a build without MPI).
With no class named, every class runs.

Needs Debian's python3-h5py, python3-numpy, python3-pandas and python3-yaml (through
batch_test.py, whose helpers this file uses). Every test works in its own temporary folder.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import batch_test as bt  # noqa: E402  (the helpers: runs, fixtures, results-file comparison)

MPI_TCSIM = None  # the MPI build's tcsim (--mpi), or None
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]

# `tcsim batch`'s summary line for a shard: "...: 4 tasks (4 design points x 3 replications,
# shard 1 of 3): 4 run now, in ..."
SHARD_LINE = re.compile(r": (\d+) tasks \((\d+) design points x (\d+) replications, "
                        r"shard (\d+) of (\d+)\): (\d+) run now")


def shard_tasks(points, replications, index, count):
    """The (design point, replication) of shard index/count, sorted as a results file's rows:
    task k = replication x points + design point belongs to shard (k % count) + 1."""
    return sorted((p, r) for r in range(replications) for p in range(points)
                  if (r * points + p) % count == index - 1)


def rows_of(path):
    with h5py.File(path, "r") as f:
        return list(zip(f["summary/design_point"][()].tolist(),
                        f["summary/replication"][()].tolist()))


def describe(names, tasks):
    """tcsim's list of tasks: "design point 0 (name) replication 1, ..." (fewer than 20)."""
    return ", ".join(f"design point {p} ({names[p]}) replication {r}" for p, r in tasks)


def assert_rows_equal(test, part, whole):
    """Each /summary and /timeseries row of `part` equals the row of the same task in `whole`
    (and `part` has the same datasets)."""
    index = {task: i for i, task in enumerate(rows_of(whole))}
    rows = [index[task] for task in rows_of(part)]
    with h5py.File(part, "r") as a, h5py.File(whole, "r") as b:
        for group in ("summary", "timeseries"):
            test.assertEqual(group in a, group in b, group)
            if group not in a:
                continue
            test.assertEqual(sorted(a[group]), sorted(b[group]), group)
            for key in a[group]:
                if key in ("settings", "services"):
                    continue
                mine, theirs = a[group][key][()], b[group][key][()][rows]
                test.assertTrue(np.array_equal(mine, theirs, equal_nan=True), f"{group}/{key}")


def edited_copy(source, path, edit):
    """A copy of results file `source` at `path` with `edit(h5py.File)` applied, its checksum
    header rewritten (as another tcsim or experiment would have written it; an edited file is
    otherwise refused as damaged)."""
    shutil.copy(source, path)
    with h5py.File(path, "r+") as f:
        edit(f)
    bt.seal(path)
    return path


def replace_text(dataset, text):
    """Replaces a scalar string dataset (e.g. config/scenario) by `text`, same type."""
    def edit(f):
        dtype = f[dataset].dtype
        del f[dataset]
        f.create_dataset(dataset, data=text, dtype=dtype)
    return edit


def set_attribute(name, value):
    def edit(f):
        f.attrs[name] = value
    return edit


# --- processes in a session of their own -----------------------------------------------------
# mpirun puts each rank in a process group of its own, so killing mpirun's group leaves the
# ranks running (orphaned, they went on writing the journal for ~3 s here, long enough to
# finish a short run). Started with start_new_session=True, mpirun and its ranks share the
# session whose id is mpirun's pid: that is what these helpers wait for and kill.

def session_processes(sid):
    """The pids of live (not zombie) processes in session `sid`."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # state ppid pgrp session ...
        if fields[0] != "Z" and int(fields[3]) == sid:
            found.append(int(name))
    return found


def kill_session(sid):
    """SIGKILLs every process of session `sid` (mpirun and each rank, by pid) until none is
    left; False if some were still alive after 30 s."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pids = session_processes(sid)
        if not pids:
            return True
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.01)
    return False


def start(command):
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def finish(test, proc):
    """Waits for `proc` (from start()) and for every process of its session - an mpirun's ranks
    must not outlive it; a CompletedProcess."""
    try:
        stdout, stderr = proc.communicate(timeout=bt.PATIENCE_SECONDS)
    except subprocess.TimeoutExpired:
        kill_session(proc.pid)
        proc.communicate()
        test.fail(f"{proc.args} did not end in {bt.PATIENCE_SECONDS} s")
    deadline = time.monotonic() + 10
    while session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    left = session_processes(proc.pid)
    if left:
        kill_session(proc.pid)
        test.fail(f"processes {left} of {proc.args} outlived it by 10 s")
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def mpirun(ranks, *args):
    """The command running the MPI tcsim with `args` on `ranks` processes."""
    return [*MPIRUN, "-np", str(ranks), MPI_TCSIM, *args]


def start_and_kill(test, command, exp, out, when, tasks=2):
    """Starts `command` (a `tcsim batch EXP --out OUT ...`, under mpirun or not) in a session
    of its own and SIGKILLs every process of it; returns the journal's sizes seen, in order,
    each as (size, seconds it held). `when`:
      "header": once the journal holds its header (no task yet) and has held still 0.05 s;
      "between flushes": once the journal surely holds `tasks` whole tasks and its size has
          held still for 0.2 s (a flush is one write).
    Fails the test if the run ends before it is killed: the fixture would be too fast."""
    journal = out + ".journal"
    header = bt.journal_header_size(exp)
    target = header if when == "header" else header + 1024 + tasks * bt.task_bytes(exp)
    settle = {"header": 0.05, "between flushes": 0.2}[when]
    seen = []  # [size, first seen, last seen]
    proc = start(command)
    deadline = time.monotonic() + bt.PATIENCE_SECONDS
    killed = False
    try:
        while True:
            now = time.monotonic()
            try:
                size = os.path.getsize(journal)
            except FileNotFoundError:
                size = None
            if size is not None:
                if seen and seen[-1][0] == size:
                    seen[-1][2] = now
                else:
                    seen.append([size, now, now])
            if size is not None and size >= target and now - seen[-1][1] >= settle:
                killed = kill_session(proc.pid)
                break
            if proc.poll() is not None:
                break
            if now > deadline:
                kill_session(proc.pid)
                proc.communicate()
                test.fail(f"the journal {journal} did not reach {target} bytes in "
                          f"{bt.PATIENCE_SECONDS} s (sizes seen: {[s[0] for s in seen]})")
            time.sleep(0.002)
        stdout, stderr = proc.communicate(timeout=bt.PATIENCE_SECONDS)
    except BaseException:
        kill_session(proc.pid)
        proc.communicate()
        raise
    if proc.returncode != -signal.SIGKILL:
        kill_session(proc.pid)
        test.fail(f"{' '.join(command)} ended (exit {proc.returncode}) before it could be "
                  f"killed {when}: the fixture is too fast for this machine - make it longer "
                  f"(journal sizes seen: {[s[0] for s in seen]})\nstdout: {stdout}\n"
                  f"stderr: {stderr}")
    test.assertTrue(killed, f"processes of {command} survived SIGKILL")
    return [(size, last - first) for size, first, last in seen]


# --- the tests -------------------------------------------------------------------------------

class ShardMergeTest(unittest.TestCase):
    """`tcsim batch --shard i/n` and `tcsim merge`, on small_models (12 tasks: 4 design points x
    3 replications, ~0.2 s a run)."""

    @classmethod
    def setUpClass(cls):
        # The single run and its three shards, side by side (each is short): read-only inputs
        # of the tests, which merge them into their own temporary folders.
        cls.folder = tempfile.TemporaryDirectory(prefix="cluster_test_shards_")
        cls.exp = bt.experiment("small_models")
        cls.single = os.path.join(cls.folder.name, "single.h5")
        cls.shards = [os.path.join(cls.folder.name, f"part_{i}.h5") for i in (1, 2, 3)]
        runs = [subprocess.Popen([bt.TCSIM, "batch", cls.exp, "--out", out, "--quiet", *extra],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for out, extra in [(cls.single, [])] +
                [(out, ["--shard", f"{i}/3"]) for i, out in enumerate(cls.shards, 1)]]
        cls.runs = [bt.finish(p) for p in runs]
        for done in cls.runs:
            if done.returncode != 0:
                raise AssertionError(f"{done.args} failed (exit {done.returncode}): "
                                     f"{done.stderr}")
        with h5py.File(cls.single, "r") as f:
            cls.names = list(f["design/name"].asstr()[()])
            cls.replications = int(f.attrs["replications"])
        cls.points = len(cls.names)

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def tasks(self, index, count):
        return shard_tasks(self.points, self.replications, index, count)

    def merge(self, *args):
        return bt.run("merge", *args)

    def test_three_shards_merge_to_the_single_run_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            for order in ((0, 1, 2), (2, 0, 1)):
                with self.subTest(order=order):
                    out = os.path.join(tmp, "merged_" + "".join(map(str, order)) + ".h5")
                    done = self.merge(*[self.shards[i] for i in order], "--out", out,
                                      "--require-complete")
                    bt.assert_exit(self, done, 0)
                    self.assertEqual(done.stderr, "")
                    self.assertIn(f"{out}: 3 files, 12 of 12 tasks (complete)", done.stdout)
                    self.assertEqual(bt.h5_differences(out, self.single), [])
                    with h5py.File(out, "r") as f:
                        self.assertNotIn("shard_index", f.attrs)
                        self.assertNotIn("shard_count", f.attrs)
                        self.assertEqual(f.attrs["complete"], 1)

    def test_each_shard_holds_its_tasks(self):
        self.assertEqual(self.points * self.replications, 12)
        everything = []
        for i, (path, done) in enumerate(zip(self.shards, self.runs[1:]), 1):
            with self.subTest(shard=i):
                expected = self.tasks(i, 3)
                everything += expected
                line = SHARD_LINE.search(done.stdout)
                self.assertIsNotNone(line, done.stdout)
                self.assertEqual([int(g) for g in line.groups()],
                                 [len(expected), self.points, self.replications, i, 3,
                                  len(expected)])
                self.assertIn(f"\nresults: {path}\n", done.stdout)
                self.assertIn("next: tcsim merge", done.stdout)
                self.assertFalse(os.path.exists(path + ".journal"))
                self.assertEqual(rows_of(path), expected)
                with h5py.File(path, "r") as f:
                    self.assertEqual(f.attrs["shard_index"], i)
                    self.assertEqual(f.attrs["shard_count"], 3)
                    self.assertEqual(f.attrs["shard_index"].dtype, np.int64)
                    self.assertEqual(f.attrs["shard_count"].dtype, np.int64)
                    self.assertEqual(f.attrs["tasks_expected"], len(expected))
                    self.assertEqual(f.attrs["tasks_present"], len(expected))
                    self.assertEqual(f.attrs["complete"], 1)
                assert_rows_equal(self, path, self.single)
                # Apart from its rows and the attributes that say which part it is, a shard's
                # file is the single run's (configuration texts, design, version, ...).
                others = [d for d in bt.h5_differences(path, self.single)
                          if not d.startswith("/summary/")
                          and not re.match(r"/: attribute '(shard_index|shard_count|"
                                           r"tasks_expected|tasks_present)'", d)]
                self.assertEqual(others, [])
        self.assertEqual(sorted(everything), self.tasks(1, 1))

    def test_default_file_names_uneven_and_empty_shards(self):
        # 12 tasks in 5 shards: 3, 3, 2, 2, 2. Without --out each shard's file is the
        # experiment's output (results/small_models.h5, from the working folder) with
        # .shard-i-of-n.h5 as its extension.
        with tempfile.TemporaryDirectory() as tmp:
            runs = [subprocess.Popen([bt.TCSIM, "batch", self.exp, "--shard", f"{i}/5",
                                      "--quiet"], cwd=tmp, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True) for i in range(1, 6)]
            done = [bt.finish(p) for p in runs]
            paths = []
            for i, d in enumerate(done, 1):
                with self.subTest(shard=i):
                    bt.assert_exit(self, d, 0)
                    name = f"results/small_models.shard-{i}-of-5.h5"
                    self.assertIn(f"\nresults: {name}\n", d.stdout)
                    paths.append(os.path.join(tmp, name))
                    with h5py.File(paths[-1], "r") as f:
                        self.assertEqual((f.attrs["shard_index"], f.attrs["shard_count"]),
                                         (i, 5))
                        self.assertEqual(f.attrs["tasks_expected"], [3, 3, 2, 2, 2][i - 1])
                        self.assertEqual(f.attrs["tasks_present"], [3, 3, 2, 2, 2][i - 1])
                    self.assertEqual(rows_of(paths[-1]), self.tasks(i, 5))
            self.assertEqual(sorted(os.listdir(os.path.join(tmp, "results"))),
                             sorted(os.path.basename(p) for p in paths))
            merged = os.path.join(tmp, "merged.h5")
            m = self.merge(*paths, "--out", merged)
            bt.assert_exit(self, m, 0)
            self.assertEqual(m.stderr, "")
            self.assertEqual(bt.h5_differences(merged, self.single), [])

            # A shard past the last task holds none, and merges as nothing.
            empty = os.path.join(tmp, "empty.h5")
            e = bt.batch(self.exp, empty, "--shard", "13/13")
            bt.assert_exit(self, e, 0)
            with h5py.File(empty, "r") as f:
                self.assertEqual([f.attrs[k] for k in ("shard_index", "shard_count",
                                                       "tasks_expected", "tasks_present",
                                                       "complete")], [13, 13, 0, 0, 1])
                self.assertEqual(f["summary/design_point"].shape, (0,))
            merged_with_empty = os.path.join(tmp, "merged_with_empty.h5")
            m = self.merge(empty, *self.shards, "--out", merged_with_empty)
            bt.assert_exit(self, m, 0)
            self.assertEqual(bt.h5_differences(merged_with_empty, self.single), [])

            # --shard 1/1 is the whole experiment, as a plain run writes it.
            whole = os.path.join(tmp, "one_of_one.h5")
            bt.assert_exit(self, bt.batch(self.exp, whole, "--shard", "1/1"), 0)
            self.assertEqual(bt.h5_differences(whole, self.single), [])

    def test_bad_shard_values_exit_2(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "x.h5")
            for value in ("0/3", "4/3", "x", "3", "1/0", "-1/3", "1/3/5", "",
                          "99999999999999999999/3", "1/99999999999999999999"):
                with self.subTest(shard=value):
                    done = bt.batch(self.exp, out, "--shard", value)
                    bt.assert_exit(self, done, 2)
                    self.assertIn(f"--shard '{value}': expected i/n with 1 <= i <= n",
                                  done.stderr)
                    self.assertEqual(done.stdout, "")
                    self.assertEqual(os.listdir(tmp), [])

    def test_missing_shard_warns_and_require_complete_refuses(self):
        missing = self.tasks(2, 3)
        listed = describe(self.names, missing)
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "merged.h5")
            done = self.merge(self.shards[0], self.shards[2], "--out", out)
            bt.assert_exit(self, done, 0)
            self.assertEqual(done.stderr, f"tcsim: warning: {len(missing)} task(s) are in none "
                                          f"of the files: {listed}\n")
            self.assertIn(f"{out}: 2 files, 8 of 12 tasks (INCOMPLETE)", done.stdout)
            self.assertEqual(rows_of(out), sorted(self.tasks(1, 3) + self.tasks(3, 3)))
            assert_rows_equal(self, out, self.single)
            with h5py.File(out, "r") as f:
                self.assertEqual(f.attrs["tasks_expected"], 12)
                self.assertEqual(f.attrs["tasks_present"], 8)
                self.assertEqual(f.attrs["complete"], 0)
                self.assertNotIn("shard_index", f.attrs)
                self.assertNotIn("shard_count", f.attrs)

            strict = os.path.join(tmp, "strict.h5")
            refused = self.merge(self.shards[0], self.shards[2], "--out", strict,
                                 "--require-complete")
            bt.assert_exit(self, refused, 3)
            self.assertEqual(refused.stderr, f"tcsim: refused: {len(missing)} task(s) are in "
                                             f"none of the files: {listed}\n")
            self.assertFalse(os.path.exists(strict))

    def test_overlapping_files_are_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            # Shard 1 of 2 shares tasks 0 and 6 (k = replication x 4 + design point) with
            # shard 1 of 3.
            half = os.path.join(tmp, "half_1.h5")
            bt.assert_exit(self, bt.batch(self.exp, half, "--shard", "1/2"), 0)
            twice = os.path.join(tmp, "part_1_again.h5")
            shutil.copy(self.shards[0], twice)
            for inputs, first, second, repeated in (
                    ([self.shards[0], half], self.shards[0], half,
                     sorted(set(self.tasks(1, 3)) & set(self.tasks(1, 2)))),
                    ([self.shards[0], self.shards[1], twice], self.shards[0], twice,
                     self.tasks(1, 3))):
                with self.subTest(files=[os.path.basename(p) for p in inputs]):
                    out = os.path.join(tmp, "merged.h5")
                    done = self.merge(*inputs, "--out", out)
                    bt.assert_exit(self, done, 3)
                    self.assertEqual(
                        done.stderr,
                        f"tcsim: refused: {len(repeated)} task(s) are in more than one file "
                        f"(first in '{first}' and '{second}'): "
                        f"{describe(self.names, repeated)}\n")
                    self.assertFalse(os.path.exists(out))
            self.assertEqual(sorted(set(self.tasks(1, 3)) & set(self.tasks(1, 2))),
                             [(0, 0), (2, 1)])

    def test_files_of_another_experiment_are_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            # Shard 2 of a copy of the experiment with another seed: its text differs.
            other_exp = bt.copy_experiment(self.exp, tmp, "other.yaml",
                                           [("\nseed: 777\n", "\nseed: 778\n")])
            other = os.path.join(tmp, "other_2.h5")
            bt.assert_exit(self, bt.batch(other_exp, other, "--shard", "2/3"), 0)
            # Shard 2 with one thing changed by hand (as another tcsim or experiment would).
            with h5py.File(self.shards[1], "r") as f:
                version = f.attrs["tcsim_version"]
            cases = [
                (other, "its experiment text differs"),
                (edited_copy(self.shards[1], os.path.join(tmp, "scenario.h5"),
                             replace_text("config/scenario", "name: another area\n")),
                 "its scenario text differs"),
                (edited_copy(self.shards[1], os.path.join(tmp, "models.h5"),
                             replace_text("config/integration_models", "models: []\n")),
                 "its integration models text differs"),
                (edited_copy(self.shards[1], os.path.join(tmp, "seed.h5"),
                             set_attribute("master_seed", np.uint64(778))),
                 "its master seed is 778, not 777"),
                (edited_copy(self.shards[1], os.path.join(tmp, "names.h5"),
                             lambda f: f["design/name"].__setitem__(0, "renamed")),
                 "its design differs"),
                (edited_copy(self.shards[1], os.path.join(tmp, "version.h5"),
                             set_attribute("tcsim_version", "tcsim 0.0.1 (another)")),
                 f"it was written by tcsim 0.0.1 (another), the first by {version}"),
            ]
            for path, why in cases:
                with self.subTest(file=os.path.basename(path)):
                    out = os.path.join(tmp, "merged.h5")
                    done = self.merge(self.shards[0], path, self.shards[2], "--out", out)
                    bt.assert_exit(self, done, 3)
                    self.assertEqual(done.stderr,
                                     f"tcsim: refused: '{path}' is not of the same experiment "
                                     f"as '{self.shards[0]}': {why}\n")
                    self.assertFalse(os.path.exists(out))

    def test_what_is_not_a_results_file_exits_2_and_out_is_not_overwritten(self):
        with tempfile.TemporaryDirectory() as tmp:
            text = os.path.join(tmp, "notes.h5")
            with open(text, "w", encoding="utf-8") as f:
                f.write("not HDF5\n")
            other_hdf5 = os.path.join(tmp, "other.h5")
            with h5py.File(other_hdf5, "w") as f:
                f.attrs["format"] = "something else"
                f.create_dataset("x", data=np.arange(3))
            for path in (text, other_hdf5, os.path.join(tmp, "missing.h5")):
                with self.subTest(file=os.path.basename(path)):
                    out = os.path.join(tmp, "merged.h5")
                    done = self.merge(self.shards[0], path, "--out", out)
                    bt.assert_exit(self, done, 2)
                    self.assertIn(path, done.stderr)
                    self.assertFalse(os.path.exists(out))

            existing = os.path.join(tmp, "existing.h5")
            shutil.copy(self.shards[0], existing)
            digest = bt.sha256(existing)
            done = self.merge(*self.shards, "--out", existing)
            bt.assert_exit(self, done, 3)
            self.assertIn(f"'{existing}' already exists", done.stderr)
            self.assertEqual(bt.sha256(existing), digest)

    def test_resume_with_another_shard_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            # A shard's journal: shard 1 of 2 of small_grid, killed once its header is written.
            exp = bt.experiment("small_grid")
            out = os.path.join(tmp, "grid.h5")
            journal = out + ".journal"
            start_and_kill(self, [bt.TCSIM, "batch", exp, "--out", out, "--threads", "1",
                                  "--quiet", "--shard", "1/2"], exp, out, "header")
            self.assertTrue(os.path.exists(journal))
            digest = bt.sha256(journal)
            for shard, extra in (("2/2", ["--shard", "2/2"]), ("1/3", ["--shard", "1/3"]),
                                 ("1/1", [])):
                with self.subTest(shard=shard):
                    done = bt.batch(exp, out, "--resume", *extra)
                    bt.assert_exit(self, done, 3)
                    self.assertIn(f"cannot resume from '{journal}': it is shard 1/2, not "
                                  f"{shard}", done.stderr)
                    self.assertEqual(bt.sha256(journal), digest)
                    self.assertFalse(os.path.exists(out))
            done = bt.batch(exp, out, "--resume", "--shard", "1/2", "--threads", "0")
            bt.assert_exit(self, done, 0)
            line = SHARD_LINE.search(done.stdout)
            self.assertIsNotNone(line, done.stdout)
            self.assertEqual(line.group(1, 4, 5, 6), ("20", "1", "2", "20"))
            self.assertFalse(os.path.exists(journal))
            self.assertEqual(rows_of(out), shard_tasks(2, 20, 1, 2))

            # A shard's finished file, resumed as another shard, is refused the same way.
            part = os.path.join(tmp, "part_1.h5")
            shutil.copy(self.shards[0], part)
            digest = bt.sha256(part)
            done = bt.batch(self.exp, part, "--resume", "--shard", "2/3")
            bt.assert_exit(self, done, 3)
            self.assertIn(f"cannot resume '{part}': it is shard 1/3, not 2/3", done.stderr)
            self.assertEqual(bt.sha256(part), digest)
            done = bt.batch(self.exp, part, "--resume", "--shard", "1/3")
            bt.assert_exit(self, done, 0)
            self.assertIn("nothing to run", done.stdout)
            self.assertEqual(bt.sha256(part), digest)


class MpiTest(unittest.TestCase):
    """`tcsim batch` under mpirun (3 ranks on 2 cores here): the file equals the one-process
    run's, every dataset and attribute (the version too: both are made by the MPI binary, the
    reference without mpirun), whatever the chunk; a killed run resumes; refusals keep their
    exit codes through mpirun."""

    @classmethod
    def setUpClass(cls):
        if MPI_TCSIM is None:
            raise AssertionError("the Mpi* tests need an MPI build of tcsim: pass --mpi PATH "
                                 "(the `mpi` preset's build/mpi/bin/tcsim)")
        if shutil.which(MPIRUN[0]) is None:
            raise AssertionError("the Mpi* tests need mpirun on PATH (Debian's openmpi-bin)")
        help_text = subprocess.run([MPI_TCSIM, "batch", "--help"], capture_output=True,
                                   text=True).stdout
        if "--chunk" not in help_text:
            raise AssertionError(f"{MPI_TCSIM} is not built with MPI (no --chunk option in "
                                 f"`tcsim batch --help`)")
        cls.folder = tempfile.TemporaryDirectory(prefix="cluster_test_mpi_")
        cls.pending = {}
        cls.references = {}
        # The one-process runs the tests compare against, made while they start.
        for name in ("small_grid", "medium_grid"):
            out = os.path.join(cls.folder.name, name + ".h5")
            cls.pending[name] = (start([MPI_TCSIM, "batch", bt.experiment(name), "--out", out,
                                        "--threads", "0", "--quiet"]), out)

    @classmethod
    def tearDownClass(cls):
        for proc, _ in cls.pending.values():
            kill_session(proc.pid)
            proc.communicate()
        cls.folder.cleanup()

    def reference(self, name):
        """The file of an uninterrupted one-process run of fixture `name` by the MPI binary."""
        if name in self.pending:
            proc, out = self.pending.pop(name)
            done = finish(self, proc)
            if done.returncode != 0:
                raise AssertionError(f"reference run of {name} failed (exit {done.returncode}): "
                                     f"{done.stderr}")
            self.references[name] = out
        return self.references[name]

    def run_mpi(self, ranks, *args):
        return finish(self, start(mpirun(ranks, *args)))

    def assert_same_as_one_process(self, name, *extra):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "ranks.h5")
            done = self.run_mpi(3, "batch", bt.experiment(name), "--out", out, "--quiet", *extra)
            bt.assert_exit(self, done, 0)
            line = bt.tasks_line(done.stdout)
            self.assertEqual((line["run"], line["from_journal"]), (line["total"], 0))
            self.assertIn(f"\nresults: {out}\n", done.stdout)
            self.assertFalse(os.path.exists(out + ".journal"))
            self.assertFalse(os.path.exists(out + ".tmp"))
            self.assertEqual(bt.h5_differences(out, self.reference(name)), [])

    def test_three_ranks_write_the_one_process_file(self):
        self.assert_same_as_one_process("small_grid")

    def test_chunk_of_one_task_writes_the_one_process_file(self):
        self.assert_same_as_one_process("small_grid", "--chunk", "1")

    def test_shard_under_mpirun_writes_the_one_process_shard(self):
        exp = bt.experiment("small_models")
        with tempfile.TemporaryDirectory() as tmp:
            one, ranks = os.path.join(tmp, "one.h5"), os.path.join(tmp, "ranks.h5")
            bt.assert_exit(self, finish(self, start([MPI_TCSIM, "batch", exp, "--out", one,
                                                     "--quiet", "--shard", "2/3"])), 0)
            done = self.run_mpi(3, "batch", exp, "--out", ranks, "--quiet", "--shard", "2/3",
                                "--chunk", "1")
            bt.assert_exit(self, done, 0)
            self.assertEqual(rows_of(ranks), shard_tasks(4, 3, 2, 3))
            self.assertEqual(bt.h5_differences(ranks, one), [])

    def test_killed_run_resumes_with_or_without_mpirun(self):
        exp = bt.experiment("medium_grid")
        total = 120
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "ranks.h5")
            # Killed (mpirun and every rank) once the journal holds a fifth of the tasks and
            # has held still for 0.2 s.
            seen = start_and_kill(self, mpirun(3, "batch", exp, "--out", out, "--quiet",
                                               "--chunk", "4"),
                                  exp, out, "between flushes", tasks=total // 5)
            self.assertFalse(os.path.exists(out), "the results file exists after a kill")
            self.assertTrue(os.path.exists(out + ".journal"), "no journal after a kill")
            # The same journal resumed twice: under mpirun, and by one process.
            alone = os.path.join(tmp, "alone.h5")
            shutil.copy(out + ".journal", alone + ".journal")
            for label, command in (
                    ("mpirun -np 3", mpirun(3, "batch", exp, "--out", out, "--quiet",
                                            "--resume")),
                    ("one process", [MPI_TCSIM, "batch", exp, "--out", alone, "--quiet",
                                     "--resume", "--threads", "0"])):
                with self.subTest(resume=label):
                    path = command[command.index("--out") + 1]
                    done = finish(self, start(command))
                    bt.assert_exit(self, done, 0)
                    line = bt.tasks_line(done.stdout)
                    self.assertEqual(line["total"], total)
                    self.assertGreater(line["from_journal"], 0)
                    self.assertLess(line["from_journal"], total,
                                    "every task was in the journal: the fixture is too fast "
                                    "to kill part way")
                    self.assertEqual(line["run"] + line["from_journal"], total)
                    self.assertFalse(os.path.exists(path + ".journal"))
                    self.assertEqual(bt.h5_differences(path, self.reference("medium_grid")),
                                     [])
            # The other ranks' results reach the journal at flushes (every 2 s) too, not only at
            # the end: a rank sends a chunk's 4 results in one message, so the journal must have
            # grown by at least 4 tasks in one write before the kill. (Growing one task at a
            # time means only rank 0's own tasks were journaled: a kill loses the rest.)
            task = bt.task_bytes(exp)
            held = [size for size, seconds in seen if seconds >= 0.02]  # no write under way
            steps = [round((b - a) / task, 1) for a, b in zip(held, held[1:])]
            self.assertTrue(any(s >= 4 for s in steps),
                            f"the journal grew by fewer than 4 tasks at a time before the kill "
                            f"(steps in tasks: {steps})")

    def test_refusals_under_mpirun_keep_their_exit_codes(self):
        exp = bt.experiment("small_models")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "models.h5")
            with open(out, "w", encoding="utf-8") as f:
                f.write("already here\n")
            digest = bt.sha256(out)
            # Rank 0 refuses (the output exists) and stops every rank with MPI_Abort(3);
            # mpirun exits with that code.
            done = self.run_mpi(3, "batch", exp, "--out", out, "--quiet")
            bt.assert_exit(self, done, 3)
            self.assertIn(f"tcsim: refused: '{out}' already exists", done.stderr)
            self.assertEqual(bt.sha256(out), digest)
            self.assertFalse(os.path.exists(out + ".journal"))
            # Bad input on rank 0 (exit 2) likewise.
            bad = self.run_mpi(3, "batch", exp, "--out", os.path.join(tmp, "x.h5"), "--quiet",
                               "--shard", "0/3")
            bt.assert_exit(self, bad, 2)
            self.assertIn("--shard '0/3'", bad.stderr)
            self.assertEqual(os.listdir(tmp), ["models.h5"])

    def test_resume_of_a_finished_file_under_mpirun_runs_nothing_and_ends(self):
        # Rank 0 has no work to hand out: it must still release the ranks waiting for some
        # (they would otherwise wait for ever - run_mpi's timeout fails the test).
        exp = bt.experiment("small_models")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "models.h5")
            bt.assert_exit(self, self.run_mpi(3, "batch", exp, "--out", out, "--quiet"), 0)
            digest = bt.sha256(out)
            again = self.run_mpi(3, "batch", exp, "--out", out, "--quiet", "--resume")
            bt.assert_exit(self, again, 0)
            self.assertIn("nothing to run", again.stdout)
            self.assertEqual(bt.sha256(out), digest)


def main():
    global MPI_TCSIM
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tcsim")
    parser.add_argument("root")
    parser.add_argument("--mpi", metavar="MPI_TCSIM", help="a tcsim built with the mpi preset")
    parser.add_argument("tests", nargs="*", help="test classes or Class.method to run")
    args = parser.parse_intermixed_args()
    bt.TCSIM, bt.ROOT = os.path.abspath(args.tcsim), os.path.abspath(args.root)
    MPI_TCSIM = os.path.abspath(args.mpi) if args.mpi else None
    try:
        unittest.main(argv=[sys.argv[0], "-v", *args.tests])
    finally:
        bt.stop_references()


if __name__ == "__main__":
    main()
