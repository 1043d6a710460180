#!/usr/bin/python3
"""End-to-end tests that `tcsim batch` never loses finished results nor answers wrong with exit
0: one writer per results file (two real processes), a damaged journal refused with the file
untouched, a journal changed behind a run's back kept, SIGTERM/SIGINT flushing what is done,
and failed writes to standard output or a trace reported.

Usage: batch_safety_test.py TCSIM_EXECUTABLE REPO_ROOT [TEST_CLASS_OR_METHOD ...]

Same packages as batch_test.py, whose helpers it uses. Every test works in its own temporary
folder.
"""
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import batch_test as bt  # noqa: E402  (the helpers: runs, fixtures, results-file comparison)


def start_batch(exp, out, *extra):
    return subprocess.Popen([bt.TCSIM, "batch", exp, "--out", out, "--quiet", "--threads", "1",
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_tasks(test, proc, journal, min_size):
    """Waits until `journal` holds at least `min_size` bytes while `proc` still runs."""
    deadline = time.monotonic() + bt.PATIENCE_SECONDS
    while True:
        if os.path.exists(journal) and os.path.getsize(journal) >= min_size:
            return
        if proc.poll() is not None:
            out, err = proc.communicate()
            test.fail(f"tcsim ended (exit {proc.returncode}) before its journal reached "
                      f"{min_size} bytes: the fixture is too fast\n{out}\n{err}")
        if time.monotonic() > deadline:
            proc.kill()
            proc.communicate()
            test.fail(f"the journal did not reach {min_size} bytes")
        time.sleep(0.005)


def flip_byte(path, offset, mask):
    """XORs the byte at `offset` of the file at `path` with `mask`, in place."""
    with open(path, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ mask]))


def some_tasks(exp):
    """A journal size that surely holds at least one whole task (see batch_test.start_and_kill)."""
    return bt.journal_header_size(exp) + 1024 + 2 * bt.task_bytes(exp)


class OneWriterTest(unittest.TestCase):
    def test_a_second_batch_on_a_running_output_is_refused_at_once(self):
        exp = bt.experiment("small_grid")
        for second_args in (["--resume"], []):
            with self.subTest(second=second_args), tempfile.TemporaryDirectory() as tmp:
                out = os.path.join(tmp, "grid.h5")
                first = start_batch(exp, out)
                try:
                    wait_for_tasks(self, first, out + ".journal", some_tasks(exp))
                    began = time.monotonic()
                    second = bt.batch(exp, out, *second_args)
                    refused_in = time.monotonic() - began
                    bt.assert_exit(self, second, 3)
                    self.assertIn(out + ".journal", second.stderr)
                    self.assertIn("still running", second.stderr)
                    self.assertIn(f"pid {first.pid} on ", second.stderr)
                    self.assertLess(refused_in, 10.0, "refused, but not at once")
                    done = bt.finish(first)
                finally:
                    if first.poll() is None:
                        first.kill()
                        first.communicate()
                bt.assert_exit(self, done, 0)
                line = bt.tasks_line(done.stdout)
                self.assertEqual(line["run"], line["total"])
                self.assertFalse(os.path.exists(out + ".journal"))
                with bt.h5py.File(out, "r") as f:
                    self.assertEqual(int(f.attrs["tasks_present"]), line["total"])

    def test_a_journal_changed_behind_the_run_is_kept_and_no_results_file_written(self):
        # A process that ignores the lock (an older tcsim, a user) cuts the journal back to its
        # first tasks while the run goes on: the run must not write a results file short of
        # tasks and delete the journal, but keep it and fail.
        exp = bt.experiment("small_grid")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "grid.h5")
            journal = out + ".journal"
            first = start_batch(exp, out)
            try:
                wait_for_tasks(self, first, journal, some_tasks(exp))
                os.truncate(journal, bt.journal_header_size(exp))  # inside the header
                done = bt.finish(first)
            finally:
                if first.poll() is None:
                    first.kill()
                    first.communicate()
            self.assertNotEqual(done.returncode, 0, done.stdout)
            self.assertNotIn("Sanitizer", done.stderr)
            self.assertIn("is kept", done.stderr)
            self.assertTrue(os.path.exists(journal))
            self.assertFalse(os.path.exists(out))


class DamagedJournalTest(unittest.TestCase):
    def test_a_flipped_byte_is_refused_and_the_journal_left_as_it_was(self):
        exp = bt.experiment("small_grid")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "grid.h5")
            bt.start_and_kill(self, exp, out)
            journal = out + ".journal"
            size = os.path.getsize(journal)
            flip_byte(journal, bt.journal_header_size(exp) + 600, 0x10)  # in the first task
            digest = bt.sha256(journal)
            again = bt.batch(exp, out, "--resume")
            bt.assert_exit(self, again, 3)
            self.assertIn("damaged at byte", again.stderr)
            self.assertIn("no task in it is lost", again.stderr)
            self.assertEqual(bt.sha256(journal), digest)
            self.assertEqual(os.path.getsize(journal), size)
            self.assertFalse(os.path.exists(out))

    def test_resume_of_a_damaged_finished_file_is_refused(self):
        exp = bt.experiment("small_models")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "models.h5")
            bt.assert_exit(self, bt.batch(exp, out), 0)
            flip_byte(out, os.path.getsize(out) // 2, 0xff)  # in the HDF5 data, past the header
            digest = bt.sha256(out)
            again = bt.batch(exp, out, "--resume")
            bt.assert_exit(self, again, 3)
            self.assertIn(f"cannot resume '{out}'", again.stderr)
            self.assertEqual(bt.sha256(out), digest)


class StopSignalTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        bt.start_reference("small_grid")

    def stop_and_resume(self, signum, code):
        exp = bt.experiment("small_grid")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "grid.h5")
            proc = start_batch(exp, out)
            wait_for_tasks(self, proc, out + ".journal", some_tasks(exp))
            sent = time.monotonic()
            proc.send_signal(signum)
            stopped = bt.finish(proc)
            self.assertLess(time.monotonic() - sent, 10.0, "the stop took too long")
            bt.assert_exit(self, stopped, code)
            self.assertRegex(stopped.stderr, r"stopped by SIG(TERM|INT): (\d+) of 40 tasks are "
                                             r"safe in the journal")
            safe = int(bt.re.search(r": (\d+) of 40 tasks", stopped.stderr).group(1))
            self.assertGreater(safe, 0)
            self.assertIn(f"--out {out} --resume", stopped.stderr)
            self.assertFalse(os.path.exists(out))
            done = bt.batch(exp, out, "--resume")
            bt.assert_exit(self, done, 0)
            line = bt.tasks_line(done.stdout)
            self.assertEqual(line["from_journal"], safe, "the tasks said safe were not all kept")
            self.assertEqual(bt.h5_differences(out, bt.reference("small_grid")), [])

    def test_sigterm_flushes_and_exits_143(self):
        self.stop_and_resume(signal.SIGTERM, 143)

    def test_sigint_flushes_and_exits_130(self):
        self.stop_and_resume(signal.SIGINT, 130)


class InputIdentityTest(unittest.TestCase):
    """Every file a run reads is part of its identity: an empirical CSV changed between a run
    and its resume (or between two shards) is refused, naming the file."""

    def make_experiment(self, tmp):
        """small_grid on a copy of reference model B whose intermediate care stays are drawn
        from tmp/stays.csv; returns (experiment, csv)."""
        source = os.path.join(bt.ROOT, "configs", "reference", "acute_community.yaml")
        text = bt.read_text(source)
        old = "            distribution: exponential\n            mean: 14\n"
        self.assertIn(old, text)
        scenario = os.path.join(tmp, "scenario.yaml")
        with open(scenario, "w", encoding="utf-8") as f:
            f.write(text.replace(old, "            distribution: empirical\n"
                                      "            file: stays.csv\n", 1))
        stays = os.path.join(tmp, "stays.csv")
        with open(stays, "w", encoding="utf-8") as f:
            f.write("days\n10\n14\n18\n")
        exp = bt.copy_experiment(bt.experiment("small_grid"), tmp, "experiment.yaml",
                                 [("scenario: ", "scenario: ")])
        text = bt.read_text(exp)
        text = bt.re.sub(r"^scenario: .+$", f"scenario: {scenario}", text, flags=bt.re.M)
        with open(exp, "w", encoding="utf-8") as f:
            f.write(text)
        return exp, stays

    def test_a_changed_csv_refuses_the_resume_and_the_file_records_it(self):
        with tempfile.TemporaryDirectory() as tmp:
            exp, stays = self.make_experiment(tmp)
            out = os.path.join(tmp, "grid.h5")
            proc = start_batch(exp, out)
            wait_for_tasks(self, proc, out + ".journal", some_tasks(exp))
            proc.send_signal(signal.SIGTERM)
            bt.assert_exit(self, bt.finish(proc), 143)
            digest = bt.sha256(out + ".journal")
            with open(stays, "w", encoding="utf-8") as f:  # the same mean, another spread
                f.write("days\n11\n14\n17\n")
            again = bt.batch(exp, out, "--resume")
            bt.assert_exit(self, again, 3)
            self.assertIn(f"the input file '{stays}' has changed", again.stderr)
            self.assertEqual(bt.sha256(out + ".journal"), digest)
            with open(stays, "w", encoding="utf-8") as f:  # back as it was: resumable again
                f.write("days\n10\n14\n18\n")
            done = bt.batch(exp, out, "--resume")
            bt.assert_exit(self, done, 0)
            with bt.h5py.File(out, "r") as f:
                recorded = f["config/inputs"].asstr()[()]
            self.assertEqual(recorded, f"{bt.sha256(stays)}  {stays}\n")

    def test_shards_of_different_csv_contents_are_not_merged(self):
        with tempfile.TemporaryDirectory() as tmp:
            exp, stays = self.make_experiment(tmp)
            first = os.path.join(tmp, "one.h5")
            second = os.path.join(tmp, "two.h5")
            bt.assert_exit(self, bt.batch(exp, first, "--shard", "1/2"), 0)
            with open(stays, "w", encoding="utf-8") as f:  # the same mean, another spread
                f.write("days\n11\n14\n17\n")
            bt.assert_exit(self, bt.batch(exp, second, "--shard", "2/2"), 0)
            merged = bt.run("merge", first, second, "--out", os.path.join(tmp, "all.h5"))
            bt.assert_exit(self, merged, 3)
            self.assertIn(f"input file '{stays}' differs", merged.stderr)


class FailedWriteTest(unittest.TestCase):
    def test_standard_output_to_a_full_device_fails(self):
        with open("/dev/full", "w") as full:
            done = subprocess.run([bt.TCSIM, "run", os.path.join(bt.ROOT, "configs", "reference",
                                                                  "mmc.yaml"), "--json"],
                                  stdout=full, stderr=subprocess.PIPE, text=True)
        bt.assert_exit(self, done, 1)
        self.assertIn("cannot write to the standard output", done.stderr)

    def test_a_trace_to_a_full_device_fails_and_leaves_the_device_alone(self):
        done = bt.run("run", os.path.join(bt.ROOT, "configs", "reference", "mmc.yaml"),
                      "--trace", "/dev/full")
        self.assertNotEqual(done.returncode, 0)
        self.assertNotIn("Sanitizer", done.stderr)
        self.assertIn("/dev/full", done.stderr)
        self.assertTrue(stat.S_ISCHR(os.stat("/dev/full").st_mode), "/dev/full was replaced")
        self.assertFalse(os.path.exists("/dev/full.tmp"))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    bt.TCSIM, bt.ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    try:
        unittest.main(argv=[sys.argv[0], "-v", *sys.argv[3:]])
    finally:
        bt.stop_references()


if __name__ == "__main__":
    main()
