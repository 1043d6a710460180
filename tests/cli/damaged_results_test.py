#!/usr/bin/python3
"""End-to-end tests of damaged and crafted results files given to `tcsim report` and `tcsim merge`
(issue 12, point 3): whatever the file holds, tcsim reads it or refuses it with exit 2 and a
message naming the file - never a crash inside libhdf5, a sanitizer report, an allocation the
size of a crafted dimension, or a report of silently changed numbers.

- DamagedFileTest: a real results file (a small tcsim batch with daily series) with bytes
  flipped, truncated, zeroed or added at many offsets, given to report and merge; one flipped bit
  in a metric value (which HDF5 itself cannot notice) is caught by the file's checksum.
- UncheckedFileTest: files without the checksum header (HDF5 from byte 0: written by hand, or by
  tcsim before the header) are refused before libhdf5 reads them, damaged or not, and so are
  the files that made libhdf5 misbehave in fuzzing; once sealed, an old file reads as before.
- CraftedFileTest: files crafted by hand with a valid checksum (crafted shapes, types, links,
  rows and attributes) reach the checks after the checksum and are refused, never a crash.
- SpecialFileTest: a folder, a device, a FIFO given as the results file.

Usage: damaged_results_test.py TCSIM_EXECUTABLE REPO_ROOT [TEST_CLASS_OR_METHOD ...]

Needs Debian's python3-h5py and python3-numpy (and what batch_test.py, whose helpers this file
uses, imports). Every test works in its own temporary folder.
"""
import os
import struct
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import batch_test as bt  # noqa: E402  (the helpers: runs, fixtures, resealing)

HEADER = bt.RESULTS_HEADER_BYTES
# What a refusal of a damaged file says (the checksum, its header, or no header at all).
DAMAGED = r"damaged|not a results file"
# A run that should end at once; a FIFO read by the old reader waited here for ever.
TIMEOUT_SECONDS = 60


def tcsim(*args):
    return subprocess.run([bt.TCSIM, *args], capture_output=True, text=True,
                          timeout=TIMEOUT_SECONDS)


def report(path, folder):
    return tcsim("report", path, "--out", os.path.join(folder, "report"), "--no-plots")


def merge(paths, out):
    return tcsim("merge", *paths, "--out", out)


def assert_refused(test, done, path, why=DAMAGED):
    """Exit 2 (not a crash, not a sanitizer's exit), a message naming `path` and matching `why`,
    and no error printing from libhdf5 itself."""
    bt.assert_exit(test, done, 2)
    test.assertIn(f"results file '{path}'", done.stderr)
    test.assertRegex(done.stderr, why)
    test.assertNotIn("HDF5-DIAG", done.stderr)
    test.assertNotIn("runtime error", done.stderr)  # UndefinedBehaviorSanitizer


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


def make_results_file(folder):
    """A small real results file: fixture small_grid with a 60-day horizon and 3 replications
    (2 design points, daily series kept, so compressed chunks too)."""
    exp = bt.copy_experiment(bt.experiment("small_grid"), folder, "grid.yaml",
                             [("levels: [7000]", "levels: [60]"),
                              ("\nreplications: 20\n", "\nreplications: 3\n")])
    out = os.path.join(folder, "grid.h5")
    done = bt.batch(exp, out)
    if done.returncode != 0:
        raise AssertionError(f"tcsim batch failed (exit {done.returncode}): {done.stderr}")
    return out


def value_offset(path):
    """(dataset name, file offset, value) of the first value of the first metric column stored
    contiguously whose first value is a number other than 0."""
    with h5py.File(path, "r") as f:
        for name in f["summary"]:
            if name in ("design_point", "replication"):
                continue
            offset = f["summary"][name].id.get_offset()
            first = f["summary"][name][0]
            if offset is not None and np.isfinite(first) and first != 0:
                return name, offset, first
    raise AssertionError(f"{path}: no metric stored contiguously")


def offsets_to_damage(size):
    """Every byte of the header's text, some of its padding, the HDF5 signature and superblock,
    then about 150 offsets spread over the rest."""
    chosen = set(range(0, 48)) | {100, 300, 511} | set(range(HEADER, HEADER + 96, 3))
    step = max(1, (size - HEADER - 96) // 150)
    chosen |= set(range(HEADER + 96, size, step))
    chosen.add(size - 1)
    return sorted(o for o in chosen if o < size)


class DamagedFileTest(unittest.TestCase):
    """A real results file, damaged: always exit 2 with a message naming it."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="damaged_results_test_")
        cls.good = make_results_file(cls.tmp.name)
        cls.data = read_bytes(cls.good)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_the_intact_file_reads_and_starts_with_its_checksum_header(self):
        with tempfile.TemporaryDirectory() as tmp:
            bt.assert_exit(self, report(self.good, tmp), 0)
        header = self.data[:HEADER]
        self.assertEqual(header, bt.results_header(self.data[HEADER:], len(self.data)))
        self.assertEqual(self.data[HEADER:HEADER + 8], b"\x89HDF\r\n\x1a\n")
        with h5py.File(self.good, "r") as f:  # any HDF5 reader skips the header
            self.assertEqual(f.userblock_size, HEADER)
            self.assertEqual(f.attrs["format"], "tcsim-results")

    def test_a_flipped_byte_anywhere_is_refused(self):
        offsets = offsets_to_damage(len(self.data))
        self.assertGreater(len(offsets), 200)
        with tempfile.TemporaryDirectory() as tmp:
            for i, offset in enumerate(offsets):
                with self.subTest(offset=offset):
                    damaged = bytearray(self.data)
                    damaged[offset] ^= 0xFF
                    path = write_bytes(os.path.join(tmp, f"flip_{offset}.h5"), damaged)
                    assert_refused(self, report(path, tmp), path)
                    if i % 8 == 0:  # merge reads files the same way
                        out = os.path.join(tmp, "merged.h5")
                        assert_refused(self, merge([self.good, path], out), path)
                        self.assertFalse(os.path.exists(out))
                    os.remove(path)

    def test_a_flipped_bit_in_a_metric_value_is_caught_by_the_checksum(self):
        name, offset, first = value_offset(self.good)
        # The dataset's first value is where h5py says it is (little-endian double).
        self.assertEqual(struct.unpack("<d", self.data[offset:offset + 8])[0], first)
        with tempfile.TemporaryDirectory() as tmp:
            damaged = bytearray(self.data)
            damaged[offset] ^= 0x01  # one unit in the last place
            path = write_bytes(os.path.join(tmp, "value.h5"), damaged)
            with h5py.File(path, "r") as f:  # HDF5 cannot tell: the file reads as valid
                changed = f["summary"][name][0]
            self.assertNotEqual(changed, first)
            self.assertAlmostEqual(changed, first, delta=abs(first) * 1e-12)
            done = report(path, tmp)
            assert_refused(self, done, path, r"damaged: the CRC-32 of bytes 512 to the end is "
                                             r"[0-9a-f]{8}, but tcsim wrote [0-9a-f]{8}")
            out = os.path.join(tmp, "merged.h5")
            assert_refused(self, merge([path], out), path, r"the CRC-32")

    def test_a_cut_short_file_is_refused(self):
        size = len(self.data)
        with tempfile.TemporaryDirectory() as tmp:
            for length in (0, 1, 8, 24, 60, 511, 512, 519, 520, 1024, 4096, size // 3, size // 2,
                           size - 8, size - 1):
                with self.subTest(length=length):
                    path = write_bytes(os.path.join(tmp, f"cut_{length}.h5"), self.data[:length])
                    assert_refused(self, report(path, tmp), path)

    def test_bytes_added_at_the_end_are_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = write_bytes(os.path.join(tmp, "longer.h5"), self.data + b"\0" * 16)
            assert_refused(self, report(path, tmp), path,
                           f"damaged: it holds {len(self.data) + 16} bytes, but tcsim wrote "
                           f"{len(self.data)}")

    def test_zeroed_regions_are_refused(self):
        size = len(self.data)
        with tempfile.TemporaryDirectory() as tmp:
            for start in (0, 30, 256, HEADER, HEADER + 64, 2048, size // 4, size // 2,
                          3 * size // 4, size - 64):
                for length in (8, 64, 4096):
                    with self.subTest(start=start, length=length):
                        damaged = bytearray(self.data)
                        end = min(size, start + length)
                        if damaged[start:end] == bytes(end - start):
                            continue  # already zero: nothing changed
                        damaged[start:end] = bytes(end - start)
                        path = write_bytes(os.path.join(tmp, "zeroed.h5"), damaged)
                        assert_refused(self, report(path, tmp), path)

    def test_an_edited_file_is_refused_until_resealed(self):
        # Changing a tcsim file with another program is damage as far as the checksum can tell;
        # docs/results-format.md says how to reseal a file changed on purpose.
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "edited.h5")
            write_bytes(path, self.data)
            with h5py.File(path, "r+") as f:
                f.attrs["experiment_name"] = "renamed by hand"
            self.assertEqual(read_bytes(path)[:HEADER], self.data[:HEADER])  # header untouched
            assert_refused(self, report(path, tmp), path, r"damaged: (the CRC-32|it holds)")
            bt.seal(path)
            done = report(path, tmp)
            bt.assert_exit(self, done, 0)
            self.assertIn("renamed by hand", done.stdout)


def without_header(data):
    """The file as tcsim wrote it before the checksum header: HDF5 from byte 0."""
    return data[HEADER:]


def hand_results(path, edit=None, points=2, reps=3):
    """A small results file written by hand as docs/results-format.md describes (h5py, then
    the checksum header), with `edit(h5py.File)` applied before it is closed: a file crafted
    with a valid checksum, which reaches the checks after it."""
    text = h5py.string_dtype("utf-8")
    rows = points * reps
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "tcsim-results"
        f.attrs["format_version"] = np.int64(1)
        f.attrs["tcsim_version"] = "tcsim 0.1.0 (written by hand)"
        f.attrs["experiment_name"] = "by hand"
        f.attrs["master_seed"] = np.uint64(1)
        f.attrs["design_kind"] = "grid"
        f.attrs["replications"] = np.int64(reps)
        f.attrs["tasks_expected"] = np.int64(rows)
        f.attrs["tasks_present"] = np.int64(rows)
        f.attrs["complete"] = np.int64(1)
        f.create_dataset("config/experiment", data="name: by hand\n", dtype=text)
        f.create_dataset("config/scenario", data="", dtype=text)
        f.create_dataset("design/name", data=[f"p{i}" for i in range(points)], dtype=text)
        f.create_dataset("design/model", data=[""] * points, dtype=text)
        f["design"].attrs["factors"] = ["gain"]
        f.create_dataset("design/gain", data=np.linspace(0, 1, points))
        f.create_dataset("summary/design_point",
                         data=np.repeat(np.arange(points), reps).astype(np.int64))
        f.create_dataset("summary/replication", data=np.tile(np.arange(reps), points).astype(np.int64))
        d = f.create_dataset("summary/area.cost_per_year",
                             data=np.linspace(1e6, 2e6, rows).astype(np.float64))
        d.attrs["units"] = "GBP/year"
        d.attrs["scope"] = "area"
        d.attrs["name"] = "cost_per_year"
        f.create_dataset("timeseries/settings", data=["ward"], dtype=text)
        f.create_dataset("timeseries/services", data=["acute_beds"], dtype=text)
        for name in ("occupancy", "delayed"):
            f.create_dataset(f"timeseries/{name}", data=np.ones((rows, 5, 1)), chunks=(1, 5, 1),
                             shuffle=True, compression="gzip")
        if edit:
            edit(f)
    bt.seal(path)
    return path


def replace(name, **kwargs):
    def edit(f):
        del f[name]
        f.create_dataset(name, **kwargs)
    return edit


def set_attribute(name, value, at="/"):
    def edit(f):
        f[at].attrs[name] = value
    return edit


class UncheckedFileTest(unittest.TestCase):
    """Files without the checksum header are refused before libhdf5 reads them."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="damaged_results_test_")
        cls.sealed = make_results_file(cls.tmp.name)
        cls.data = without_header(read_bytes(cls.sealed))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_a_file_without_the_header_is_refused_and_reads_as_before_once_sealed(self):
        with tempfile.TemporaryDirectory() as tmp:
            old = write_bytes(os.path.join(tmp, "old.h5"), self.data)
            with h5py.File(old, "r") as f:  # valid HDF5, as tcsim wrote it before the header
                self.assertEqual(f.attrs["format"], "tcsim-results")
            assert_refused(self, report(old, tmp), old,
                           r"HDF5 with no checksum header .* docs/results-format.md says how "
                           r"to add the header")
            bt.seal(old)
            self.assertEqual(read_bytes(old), read_bytes(self.sealed))
            os.mkdir(os.path.join(tmp, "a"))
            os.mkdir(os.path.join(tmp, "b"))
            bt.assert_exit(self, report(old, os.path.join(tmp, "a")), 0)
            bt.assert_exit(self, report(self.sealed, os.path.join(tmp, "b")), 0)
            for name in ("summary.csv", "differences.csv"):
                self.assertEqual(bt.read_text(os.path.join(tmp, "a", "report", name)),
                                 bt.read_text(os.path.join(tmp, "b", "report", name)), name)

    def test_damaged_files_without_the_header_are_refused_before_libhdf5(self):
        size = len(self.data)
        with tempfile.TemporaryDirectory() as tmp:
            for offset in sorted(set(range(0, 16)) | set(range(16, size, max(1, size // 40)))):
                with self.subTest(offset=offset):
                    damaged = bytearray(self.data)
                    damaged[offset] ^= 0xFF
                    path = write_bytes(os.path.join(tmp, "damaged.h5"), damaged)
                    assert_refused(self, report(path, tmp), path,
                                   r"no checksum header|not a results file")

    def test_past_fuzzing_findings_are_refused_before_libhdf5(self):
        # Files that libhdf5 1.10 itself mishandles, found by tests/fuzz/results_file_fuzz when
        # tcsim still read files without the header: one makes it allocate and clear 1.9 GB for
        # a string, the other makes it copy memory onto itself (AddressSanitizer:
        # memcpy-param-overlap inside H5T__conv_vlen).
        findings = os.path.join(bt.ROOT, "tests", "fuzz", "findings", "results_file")
        names = sorted(os.listdir(findings))
        self.assertEqual(len(names), 2, names)
        with tempfile.TemporaryDirectory() as tmp:
            for name in names:
                with self.subTest(name):
                    path = os.path.join(findings, name)
                    assert_refused(self, report(path, tmp), path, r"no checksum header")


class CraftedFileTest(unittest.TestCase):
    """Files crafted with a valid checksum reach the checks after it: refused, never a crash."""

    def test_crafted_shapes_types_and_links_are_refused(self):
        huge = dict(shape=(6, 10**9, 1), chunks=(1, 1000, 1), dtype="f8")
        cases = [
            # A number read into one value, but 64 of them: the old reader overflowed the stack.
            ("replications has 64 values", set_attribute("replications", np.arange(64)),
             r"attribute replications has the shape \[64\], expected one number"),
            # A factor with fewer values than design points: read past its end by the report.
            ("factor too short", replace("design/gain", data=np.array([0.5])),
             r"/design/gain has the shape \[1\], expected \[2\]"),
            # A dimension of a billion days, none stored: 48 GB of fill values to allocate.
            ("series of a billion days", lambda f: [replace(f"timeseries/{n}", **huge)(f)
                                                    for n in ("occupancy", "delayed")],
             r"/timeseries/occupancy claims 6000000000 values of 8 bytes .* more than a file "
             r"of \d+ bytes can hold"),
            # A link to another file: the old reader opened and read it.
            ("external link", lambda f: (f.__delitem__("summary/area.cost_per_year"),
                                         f.__setitem__("summary/area.cost_per_year",
                                                       h5py.ExternalLink("other.h5", "/x"))),
             r"/summary holds a soft or external link"),
            ("task outside the design", replace("summary/design_point",
                                                data=np.array([0, 0, 0, 1, 1, 99], dtype=np.int64)),
             r"/summary row 5 is design point 99, replication 2: not a task of the design"),
            ("task twice", replace("summary/replication",
                                   data=np.array([0, 1, 1, 0, 1, 2], dtype=np.int64)),
             r"/summary holds design point 0, replication 1 twice"),
            ("text for numbers", replace("summary/replication", data=["a"] * 6,
                                         dtype=h5py.string_dtype()),
             r"/summary/replication does not hold numbers"),
            ("rows of the series", replace("timeseries/occupancy", data=np.ones((5, 5, 1))),
             r"/timeseries/occupancy has the shape \[5, 5, 1\], expected \[6, days, 1\]"),
            ("no design point", lambda f: (replace("design/name", data=np.array([], dtype=object),
                                                   dtype=h5py.string_dtype())(f),
                                           replace("design/model", data=np.array([], dtype=object),
                                                   dtype=h5py.string_dtype())(f)),
             r"/design/name lists no design point"),
            ("says complete but is not", lambda f: replace(
                "summary/design_point", data=np.array([0, 0, 0, 1, 1], dtype=np.int64))(f),
             r"/summary/replication has the shape \[6\], expected \[5\]"),
            ("tasks_present disagrees", set_attribute("tasks_present", np.int64(5)),
             r"its attribute tasks_present is 5, but it holds 6 of 6 tasks"),
            ("shard index above count", lambda f: (set_attribute("shard_index", np.int64(3))(f),
                                                    set_attribute("shard_count", np.int64(2))(f)),
             r"shard_index 3 and shard_count 2 do not name a shard"),
            ("replications of 10^12", set_attribute("replications", np.int64(10**12)),
             r"the attribute replications is 1000000000000, expected a whole number from 1"),
        ]
        with tempfile.TemporaryDirectory() as tmp:
            intact = hand_results(os.path.join(tmp, "intact.h5"))
            bt.assert_exit(self, report(intact, tmp), 0)
            for what, edit, why in cases:
                with self.subTest(what):
                    path = hand_results(os.path.join(tmp, "crafted.h5"), edit)
                    assert_refused(self, report(path, tmp), path, why)
                    out = os.path.join(tmp, "merged.h5")
                    assert_refused(self, merge([path], out), path, why)
                    self.assertFalse(os.path.exists(out))


class SpecialFileTest(unittest.TestCase):
    def test_a_folder_a_device_and_a_fifo_are_refused_at_once(self):
        with tempfile.TemporaryDirectory() as tmp:
            fifo = os.path.join(tmp, "fifo.h5")
            os.mkfifo(fifo)
            for path, why in ((tmp, "a folder, not a results file"),
                              ("/dev/zero", "not a regular file"),
                              ("/dev/null", "not a regular file"),
                              (fifo, "not a regular file"),
                              (os.path.join(tmp, "missing.h5"), "cannot open it: No such file")):
                with self.subTest(path=path):
                    assert_refused(self, report(path, tmp), path, why)


if __name__ == "__main__":
    bt.TCSIM, bt.ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[3:]])
