#!/usr/bin/python3
"""The bad-input corpus of issue 12: every kind of input tcsim reads, given wrong.

Each case runs tcsim once, in a fresh process in a fresh temporary folder (its working folder),
and requires:

- the documented exit code: 2 (bad input), or 3 where docs/cli.md documents a refusal;
- nothing on standard output, and no file left in the working folder (no results, no journal);
- every expected text on standard error, and none of the forbidden ones;
- where the input is a file: its location, `FILE:LINE:COLUMN`, followed on the same line by the
  dotted key in quotes (`'settings.ward.capacity'`) - tcsim's format (models/scenario/config_error.cpp);
  syntax-level errors (not UTF-8, a second YAML document, a YAML syntax error) have no key;
- standard error is UTF-8 text without control characters other than newline and tab (a
  message quoting input must escape what it quotes, never send it raw to a terminal);
- no sanitizer report ("Sanitizer", "runtime error:") - CI runs this corpus in the `asan`
  preset too;
- peak resident memory (ru_maxrss from os.wait4) under 1 GiB;
- an end within 60 s (a hang, e.g. a reader blocked on a FIFO, is killed and fails).

Peak memory is the child's ru_maxrss from os.wait4. It includes the resident memory of this
Python process, which the child is forked from (about 20 MiB: the runner keeps itself small).
Under AddressSanitizer the limit is the same 1 GiB: ASan's shadow memory is reserved, not
resident, and its overhead on these runs is tens of MiB - measured on the corpus, the largest
peak of a passing case is 29 MiB in the Release build and 98 MiB in the asan preset - so the
limit still means "nothing sized by the input was allocated". A watchdog kills a process whose
resident memory (VmHWM, read from /proc while it runs) passes the limit, rather than waiting for
the timeout; the failure says which build it was.

The cases, by kind (tests/bad_inputs/<kind>/, one small file per case, a header saying what is
wrong and what is expected):

- scenario:   `tcsim check FILE`
- experiment: `tcsim batch FILE --out TMP/out.h5 --quiet`
- national:   `tcsim savings FILE --quick --models direct_provision`
- models:     `tcsim check configs/examples/area.yaml --model direct_provision --models-file FILE`
- csv:        `tcsim check TMP/scenario.yaml`, a scenario whose stay is `{distribution:
              empirical, file: FILE}` (written by this runner; the location demanded is that
              key's line, and the CSV's own line where one line is at fault)

and, in tables below, the cases that cannot be files of their own:

- cli:        command-line usage errors (ranges of --reps, --seed, --psa, --threads, --horizon,
              --shard, --precision; --set forms; unknown options; missing and wrong files given to
              report and merge; outputs that exist, exit 3)
- special:    for each reader (scenario, experiment, national config, models file, CSV, and the
              files the YAML inputs name: an experiment's scenario: and models_file:, a national
              config's area:), /dev/zero, a FIFO, a folder, a sparse file of 4 GiB and a symlink
              loop; plus generated content (an empty CSV, a binary CSV, a CSV starting with a
              byte-order mark, deeply nested YAML)
- fixtures:   the valid inputs the cases are built from are accepted (so a case fails for its
              own reason)

Header lines of a case file (lines starting with '#' at its top; CSV comments are skipped by
tcsim, so CSV cases carry them too):

    # at: {file}:12 'settings.ward.capacity'     the location, line exact, column any, key;
                                                 several '# at:' lines must all be found, and
                                                 alternatives within one are separated by ' | '
    # expect: text | text                        substrings of stderr
    # forbid: text | text                        substrings stderr must not hold
    # args: --confine-inputs                     arguments added to the kind's command
    # command: run {file} --out {tmp}/r.h5       replaces the kind's command
    # exit: 3                                    the exit code, if not 2

Placeholders: {file} the case's file (absolute), {tmp} the case's working folder, {root} the
repository, {corpus} tests/bad_inputs, {area} configs/examples/area.yaml, {tiny} the fixture
scenario, {scenario} the CSV kind's generated scenario. Every file case needs an `# at:` (a
CSV case gets its scenario's `file:` key by default); a syntax-level error names no key, but
still its line and column.

Usage: bad_input_corpus_test.py TCSIM_EXECUTABLE REPO_ROOT [--list] [CASE ...]
where CASE is KIND/NAME (e.g. experiment/points_huge, cli/reps_zero, special/csv_fifo,
fixtures/tiny_scenario); without CASE every case runs; --list prints the cases, one a line
(tests/cli/CMakeLists.txt registers each as the CTest entry bad_input:KIND:NAME).
"""
import glob
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

TCSIM = None
ROOT = None
CORPUS = None

TIMEOUT_SECONDS = 60
RSS_LIMIT_BYTES = 1 << 30
FILE_KINDS = ("scenario", "experiment", "national", "models", "csv")
EXTENSIONS = {"csv": ".csv"}
SANITIZER_REPORT = re.compile(r"Sanitizer|runtime error:")
# C0 controls other than tab and newline, DEL, and C1 controls (U+0080..U+009F).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")

# The default command of each file kind; {file} is the case's file.
KIND_COMMANDS = {
    "scenario": ["check", "{file}"],
    "experiment": ["batch", "{file}", "--out", "{tmp}/out.h5", "--quiet"],
    "national": ["savings", "{file}", "--quick", "--models", "direct_provision"],
    "models": ["check", "{area}", "--model", "direct_provision", "--models-file", "{file}"],
    "csv": ["check", "{scenario}"],
}

# The scenario of the CSV kind (and of the special files given as a CSV): a ward whose stay is
# drawn from the file. CSV_KEY is on line CSV_LINE.
CSV_SCENARIO = """\
name: empirical stays (bad-input corpus)
run: {{horizon: 100}}
settings:
  ward: {{kind: beds, capacity: 10}}
cohorts:
  patients:
    arrivals: {{rate_per_day: 2}}
    pathway:
      steps:
        stay:
          setting: ward
          duration:
            distribution: empirical
            file: {path}
          next: exit
"""
CSV_KEY = "cohorts.patients.pathway.steps.stay.duration.file"
CSV_LINE = 14

# The experiment and national config that name a special file (scenario:, models_file:, area:).
EXPERIMENT_NAMING = """\
name: names a special file (bad-input corpus)
scenario: {scenario}
{models}replications: 1
seed: 1
output: out.h5
"""
NATIONAL_NAMING = """\
name: names a special file (bad-input corpus)
area: {path}
template_population: 340800
england: {{population: 51811000, areas: 152}}
archetypes:
  mixed: {{count: 152, population: 340855}}
savings: {{productivity_gain: 0.1}}
"""


def yaml_text(path):
    """A YAML double-quoted scalar holding `path`."""
    return json.dumps(path)


# --- Running tcsim --------------------------------------------------------------------------

def is_sanitized(binary):
    """True if `binary` was built with AddressSanitizer (it holds ASan's runtime entry). Read in
    pieces: this process's own resident memory must stay small, as a child's ru_maxrss counts
    the memory of the process it was forked from until it execs."""
    marker = b"__asan_init"
    tail = b""
    with open(binary, "rb") as f:
        while True:
            piece = f.read(1 << 20)
            if not piece:
                return False
            if marker in tail + piece:
                return True
            tail = piece[-len(marker):]


class Outcome:
    def __init__(self, exit_code, stdout, stderr, peak_rss, seconds, timed_out, killed_for_memory):
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr
        self.peak_rss = peak_rss
        self.seconds = seconds
        self.timed_out = timed_out
        self.killed_for_memory = killed_for_memory


def vm_hwm_bytes(pid):
    """The peak resident memory of a running process (VmHWM), or 0 if it cannot be read."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def run_tcsim(argv, cwd):
    """Runs tcsim with `argv` (str or bytes items) in `cwd`, standard input empty; kills its
    process group after TIMEOUT_SECONDS or when its resident memory passes RSS_LIMIT_BYTES.
    One thread polls with os.wait4(WNOHANG), so a kill only ever reaches a child not yet
    reaped (its process ID cannot have been reused)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen([TCSIM, *argv], cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=err, start_new_session=True)
        timed_out = killed_for_memory = False
        pause = 0.001
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            if not (timed_out or killed_for_memory):
                timed_out = time.monotonic() - start > TIMEOUT_SECONDS
                killed_for_memory = not timed_out and vm_hwm_bytes(proc.pid) > RSS_LIMIT_BYTES
                if timed_out or killed_for_memory:
                    os.killpg(proc.pid, signal.SIGKILL)
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return Outcome(proc.returncode, out.read(), err.read(), usage.ru_maxrss * 1024, seconds,
                       timed_out, killed_for_memory)


# --- Cases ----------------------------------------------------------------------------------

class Case:
    """One bad input: the command, what must happen, and how to prepare its working folder."""

    def __init__(self, kind, name, argv, exit_code=2, expects=(), forbids=(), at=(), setup=None,
                 file=None, want_location=True):
        self.kind = kind
        self.name = name
        self.argv = list(argv)
        self.exit_code = exit_code
        self.expects = list(expects)
        self.forbids = list(forbids)
        self.at = list(at)           # each a list of alternatives, (path, line or None, key)
        self.setup = setup           # setup(tmp) -> dict of extra placeholders
        self.file = file
        self.want_location = want_location

    @property
    def id(self):
        return f"{self.kind}/{self.name}"


def parse_at(text):
    """'{file}:12 'key' | {corpus}/x.yaml:3' -> [(path, line, key or None), ...]. A path with
    no line (a special file) gives line None."""
    alternatives = []
    for part in text.split(" | "):
        part = part.strip()
        m = re.fullmatch(r"(\S+?)(?::(\d+))?(?:\s+'([^']*)')?", part)
        if not m:
            raise ValueError(f"bad '# at:' {part!r}")
        alternatives.append((m.group(1), int(m.group(2)) if m.group(2) else None, m.group(3)))
    return alternatives


def read_header(path):
    """The header fields of a case file: {'at': [...], 'expect': [...], ...}."""
    fields = {"at": [], "expect": [], "forbid": [], "args": [], "command": None, "exit": 2}
    with open(path, "rb") as f:
        for raw in f:
            if not raw.startswith(b"#"):
                break
            body = raw[1:].decode("utf-8").strip()
            key, _, value = body.partition(":")
            value = value.strip()
            if key == "at":
                fields["at"].append(parse_at(value))
            elif key in ("expect", "forbid"):
                fields[key] += [s.strip() for s in value.split("|") if s.strip()]
            elif key == "args":
                fields["args"] += shlex.split(value)
            elif key == "command":
                fields["command"] = shlex.split(value)
            elif key == "exit":
                fields["exit"] = int(value)
    return fields


def write_csv_scenario(tmp, csv_path):
    path = os.path.join(tmp, "scenario.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(CSV_SCENARIO.format(path=yaml_text(csv_path)))
    return path


def file_cases():
    cases = []
    for kind in FILE_KINDS:
        ext = EXTENSIONS.get(kind, ".yaml")
        for path in sorted(glob.glob(os.path.join(CORPUS, kind, "*" + ext))):
            name = os.path.basename(path)[:-len(ext)]
            header = read_header(path)
            argv = (header["command"] or KIND_COMMANDS[kind]) + header["args"]
            at = header["at"]
            setup = None
            if kind == "csv":
                at = at or [[("{scenario}", CSV_LINE, CSV_KEY)]]

                def setup(tmp, path=path):
                    return {"scenario": write_csv_scenario(tmp, path)}

            cases.append(Case(kind, name, argv, header["exit"], header["expect"],
                              header["forbid"], at, setup, file=path))
    return cases


# --- Special files --------------------------------------------------------------------------

def make_fifo(tmp):
    path = os.path.join(tmp, "fifo.yaml")
    os.mkfifo(path)
    return path


def make_folder(tmp):
    path = os.path.join(tmp, "folder.yaml")
    os.mkdir(path)
    return path


def make_sparse(tmp):
    """A file of 4 GiB that takes no disk (truncate): over every reader's size limit, and a
    reader that read it whole would pass the memory limit."""
    path = os.path.join(tmp, "huge.yaml")
    with open(path, "wb") as f:
        f.truncate(4 << 30)
    return path


def make_symlink_loop(tmp):
    a, b = os.path.join(tmp, "loop_a.yaml"), os.path.join(tmp, "loop_b.yaml")
    os.symlink(b, a)
    os.symlink(a, b)
    return a


SPECIAL_FILES = {
    # name: (make the path in the working folder, what stderr must say)
    "dev_zero": (lambda tmp: "/dev/zero", "character device"),
    "fifo": (make_fifo, "FIFO"),
    "folder": (make_folder, "folder"),
    "sparse_4_gib": (make_sparse, "at most"),
    "symlink_loop": (make_symlink_loop, "symbolic links"),
}


def write_naming(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


# Each reader: (how to give it the special path -> (argv, placeholders), the location demanded:
# (path placeholder, line, key); line None: the path itself, which has no lines).
def direct(command):
    def give(tmp, special):
        return command, {"special": special}
    return give


def via_csv(tmp, special):
    return ["check", "{scenario}"], {"scenario": write_csv_scenario(tmp, special)}


def via_experiment_scenario(tmp, special):
    text = EXPERIMENT_NAMING.format(scenario=yaml_text(special), models="")
    return (["batch", "{named_by}", "--out", "{tmp}/out.h5", "--quiet"],
            {"named_by": write_naming(tmp, "experiment.yaml", text)})


def via_experiment_models_file(tmp, special):
    models = f"models: [direct_provision]\nmodels_file: {yaml_text(special)}\n"
    text = EXPERIMENT_NAMING.format(scenario=yaml_text(os.path.join(CORPUS, "fixtures",
                                                                    "tiny_scenario.yaml")),
                                    models=models)
    return (["batch", "{named_by}", "--out", "{tmp}/out.h5", "--quiet"],
            {"named_by": write_naming(tmp, "experiment.yaml", text)})


def via_national_area(tmp, special):
    text = NATIONAL_NAMING.format(path=yaml_text(special))
    return (["savings", "{named_by}", "--quick", "--models", "direct_provision"],
            {"named_by": write_naming(tmp, "national.yaml", text)})


READERS = {
    "scenario": (direct(["check", "{special}"]), ("{special}", None, None)),
    "experiment": (direct(["batch", "{special}", "--out", "{tmp}/out.h5", "--quiet"]),
                   ("{special}", None, None)),
    "national": (direct(["savings", "{special}", "--quick", "--models", "direct_provision"]),
                 ("{special}", None, None)),
    "models": (direct(["check", "{area}", "--model", "direct_provision", "--models-file",
                       "{special}"]), ("{special}", None, None)),
    "csv": (via_csv, ("{scenario}", CSV_LINE, CSV_KEY)),
    "experiment_scenario": (via_experiment_scenario, ("{named_by}", 2, "scenario")),
    "experiment_models_file": (via_experiment_models_file, ("{named_by}", 4, "models_file")),
    "national_area": (via_national_area, ("{named_by}", 2, "area")),
}


def special_file_cases():
    cases = []
    for reader, (give, at) in READERS.items():
        for special, (make, says) in SPECIAL_FILES.items():

            def setup(tmp, make=make, give=give):
                path = make(tmp)
                argv, placeholders = give(tmp, path)
                placeholders["argv"] = argv
                placeholders.setdefault("special", path)
                return placeholders

            cases.append(Case("special", f"{reader}_{special}", [], 2, [says, "{special}"],
                              at=[[at]], setup=setup))
    return cases


def generated_file(name, content, binary=False):
    """A setup writing `content` to TMP/name, for the special cases of generated content."""
    def setup(tmp):
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(content if binary else content.encode("utf-8"))
        return {"generated": path}
    return setup


def with_csv(setup):
    def both(tmp):
        placeholders = setup(tmp)
        placeholders["scenario"] = write_csv_scenario(tmp, placeholders["generated"])
        return placeholders
    return both


def generated_cases():
    csv_at = [[("{scenario}", CSV_LINE, CSV_KEY)]]
    tiny = open(os.path.join(CORPUS, "fixtures", "tiny_scenario.yaml"), encoding="utf-8").read()
    deep_flow = tiny.replace("settings:\n", "settings: " + "[" * 20000 + "]" * 20000 + "\n", 1)
    # 400 levels of block mappings, each one deeper (indentation grows to 800 spaces).
    deep_block = "name: deep\nsettings:\n" + "".join(
        "  " * (i + 1) + f"k{i}:\n" for i in range(400))
    binary = bytes((i * 151 + 7) % 256 for i in range(4096))
    return [
        # An empty CSV has no room for a header: expectations here.
        Case("special", "csv_empty", ["check", "{scenario}"], 2, ["at least one value"],
             at=csv_at, setup=with_csv(generated_file("empty.csv", b"", binary=True))),
        # 4 KiB of every byte value: not text; the message must not quote it (stderr is checked
        # to be printable UTF-8).
        Case("special", "csv_binary", ["check", "{scenario}"], 2, ["{generated}:"], at=csv_at,
             setup=with_csv(generated_file("binary.csv", binary, binary=True))),
        # A UTF-8 byte-order mark before the first value (as some spreadsheets save): the first
        # line looks numeric, so it must not be taken for a header, silently dropping the value
        # (issue 12, point 6).
        Case("special", "csv_byte_order_mark", ["check", "{scenario}"], 2, ["{generated}:1"],
             at=csv_at, setup=with_csv(generated_file("bom.csv", b"\xef\xbb\xbf7\n2\n5\n",
                                                      binary=True))),
        # 20,000 nested flow sequences: a recursive parser must not overflow its stack.
        Case("special", "scenario_deep_flow_nesting", ["check", "{generated}"], 2, [],
             at=[[("{generated}", 3, None)]],
             setup=generated_file("deep_flow.yaml", deep_flow.split("\n", 2)[2])),
        # 400 nested block mappings (160 KB): refused at the first key a setting does not have,
        # in bounded memory and time.
        Case("special", "scenario_deep_block_nesting", ["check", "{generated}"], 2, [],
             at=[[("{generated}", 4, "settings.k0.k1")]],
             setup=generated_file("deep_block.yaml", deep_block)),
    ]


# --- Command-line cases ---------------------------------------------------------------------

def results_file(tmp):
    """A real results file (one replication of the tiny scenario, a fraction of a second)."""
    path = os.path.join(tmp, "results.h5")
    out = subprocess.run([TCSIM, "run", os.path.join(CORPUS, "fixtures", "tiny_scenario.yaml"),
                          "--out", path], capture_output=True, text=True, cwd=tmp, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"could not make a results file: {out.stderr}")
    return {"results": path}


def existing_file(name, content="not a results file\n"):
    def setup(tmp):
        path = os.path.join(tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(content)
        return {"existing": path}
    return setup


def new_file_paths(tmp):
    """Placeholders for files that must not exist yet."""
    return {"new": os.path.join(tmp, "new.h5")}


TINY = "{tiny}"
EXPERIMENT = "{corpus}/fixtures/tiny_experiment.yaml"
ENGLAND = "{root}/configs/england_2009.yaml"

# name: (argv, expected substrings[, exit code[, setup]]). Each is one thing wrong with an
# otherwise valid command (the fixtures are valid: see FixtureTest).
CLI_CASES = {
    "reps_zero": (["run", TINY, "--reps", "0"], ["--reps"]),
    "reps_negative": (["run", TINY, "--reps", "-1"], ["--reps"]),
    "reps_huge": (["run", TINY, "--reps", "1000000000"], ["--reps"]),
    "reps_exponent": (["run", TINY, "--reps", "1e3"], ["--reps"]),
    "reps_not_a_number": (["compare", TINY, "--reps", "three"], ["--reps"]),
    "seed_negative": (["run", TINY, "--seed", "-1"], ["--seed"]),
    "seed_above_limit": (["run", TINY, "--seed", "9000000000000001"], ["--seed"]),
    "seed_beyond_2_to_64": (["compare", TINY, "--seed", "18446744073709551616"], ["--seed"]),
    "seed_fraction": (["run", TINY, "--seed", "1.5"], ["--seed"]),
    "savings_seed_negative": (["savings", ENGLAND, "--quick", "--models", "direct_provision",
                               "--psa", "1", "--seed", "-1"], ["--seed"]),
    "psa_zero": (["savings", ENGLAND, "--quick", "--psa", "0"], ["--psa"]),
    "psa_huge": (["savings", ENGLAND, "--quick", "--psa", "1000000000"], ["--psa"]),
    "threads_negative": (["run", TINY, "--threads", "-1"], ["--threads"]),
    "threads_beyond_2_to_64": (["batch", EXPERIMENT, "--out", "{tmp}/out.h5", "--threads",
                                "99999999999999999999"], ["--threads"]),
    "horizon_zero": (["run", TINY, "--horizon", "0"], ["--horizon"]),
    "horizon_negative": (["check", TINY, "--horizon", "-5"], ["--horizon"]),
    "horizon_nan": (["run", TINY, "--horizon", "nan"], ["horizon"]),
    "horizon_daily_series_too_large": (["run", TINY, "--horizon", "1e12", "--out",
                                        "{tmp}/results.h5"], ["horizon"]),
    "set_without_equals": (["run", TINY, "--set", "settings.ward.capacity"], ["--set"]),
    "set_without_path": (["run", TINY, "--set", "=3"], ["--set"]),
    "set_empty_value": (["check", TINY, "--set", "settings.ward.capacity="],
                        ["'settings.ward.capacity'"]),
    "set_missing_argument": (["run", TINY, "--set"], ["--set"]),
    "set_invalid_utf8": (["run", TINY, "--set", b"name=tiny \xff\xfe ward"], ["'name'", "UTF-8"]),
    "set_control_characters": (["check", TINY, "--set", "settings.ward.kind=be\x1b[31mds"],
                               ["'settings.ward.kind'"]),
    "shard_zero": (["batch", EXPERIMENT, "--out", "{tmp}/out.h5", "--shard", "0/2"], ["--shard"]),
    "shard_beyond_count": (["batch", EXPERIMENT, "--out", "{tmp}/out.h5", "--shard", "3/2"],
                           ["--shard"]),
    "shard_count_overflows": (["batch", EXPERIMENT, "--out", "{tmp}/out.h5", "--shard",
                               "1/99999999999999999999999"], ["--shard"]),
    "shard_not_a_fraction": (["batch", EXPERIMENT, "--out", "{tmp}/out.h5", "--shard", "half"],
                             ["--shard"]),
    "unknown_option": (["run", TINY, "--replications", "3"], ["--replications"]),
    "unknown_command": (["simulate", TINY], ["simulate"]),
    "no_command": ([], ["subcommand"]),
    "config_missing_argument": (["run"], ["config"]),
    "scenario_missing_file": (["run", "{tmp}/no_such_scenario.yaml"],
                              ["{tmp}/no_such_scenario.yaml", "No such file"]),
    "experiment_missing_file": (["batch", "{tmp}/no_such_experiment.yaml", "--out",
                                 "{tmp}/out.h5"],
                                ["{tmp}/no_such_experiment.yaml", "No such file"]),
    "national_missing_file": (["savings", "{tmp}/no_such_nation.yaml", "--quick"],
                              ["{tmp}/no_such_nation.yaml", "No such file"]),
    "models_file_missing": (["check", TINY, "--model", "direct_provision", "--models-file",
                             "{tmp}/no_such_models.yaml"],
                            ["{tmp}/no_such_models.yaml", "No such file"]),
    "model_unknown": (["check", TINY, "--model", "vertical_acut"],
                      ["vertical_acut", "vertical_acute"]),
    "compare_models_unknown": (["compare", TINY, "--models", "direct_provision,nosuch"],
                               ["nosuch"]),
    "savings_models_unknown": (["savings", ENGLAND, "--quick", "--models", "nosuch"], ["nosuch"]),
    "report_scenario_file": (["report", TINY, "--out", "{tmp}/report"], ["not a results file"]),
    "report_missing_file": (["report", "{tmp}/no_such_results.h5", "--out", "{tmp}/report"],
                            ["{tmp}/no_such_results.h5"]),
    "merge_scenario_files": (["merge", TINY, EXPERIMENT, "--out", "{tmp}/merged.h5"],
                             ["not a results file"]),
    "report_precision_zero": (["report", "{results}", "--no-plots", "--out", "{tmp}/report",
                               "--precision", "0"], ["--precision"], 2, results_file),
    "report_precision_nan": (["report", "{results}", "--no-plots", "--out", "{tmp}/report",
                              "--precision", "nan"], ["--precision"], 2, results_file),
    "report_baseline_unknown": (["report", "{results}", "--no-plots", "--out", "{tmp}/report",
                                 "--baseline", "nosuch"], ["nosuch"], 2, results_file),
    "trace_in_missing_folder": (["run", TINY, "--trace", "{tmp}/no/such/folder/trace.csv"],
                                ["--trace"]),
    "out_under_a_file": (["run", TINY, "--out", "{existing}/summary"], ["--out"], 2,
                         existing_file("a_file")),
    # Documented refusals (exit 3): an output that exists is never overwritten.
    "batch_out_exists": (["batch", EXPERIMENT, "--out", "{existing}", "--quiet"],
                         ["{existing}", "already exists"], 3, existing_file("out.h5")),
    "batch_journal_exists": (["batch", EXPERIMENT, "--out", "{tmp}/out.h5", "--quiet"],
                             ["out.h5.journal"], 3, existing_file("out.h5.journal")),
    "run_out_exists": (["run", TINY, "--out", "{existing}"], ["{existing}", "already exists"], 3,
                       existing_file("results.h5")),
}


def cli_cases():
    cases = []
    for name, spec in CLI_CASES.items():
        argv, expects = spec[0], spec[1]
        exit_code = spec[2] if len(spec) > 2 else 2
        setup = spec[3] if len(spec) > 3 else None
        cases.append(Case("cli", name, argv, exit_code, expects, setup=setup,
                          want_location=False))
    return cases


def all_cases():
    return file_cases() + special_file_cases() + generated_cases() + cli_cases()


# --- The tests ------------------------------------------------------------------------------

def substitute(arg, values):
    if isinstance(arg, bytes):
        return arg
    for key, value in values.items():
        arg = arg.replace("{" + key + "}", value)
    return arg


def location_pattern(path, line, key):
    """The regex of tcsim's location (models/scenario/config_error.cpp): FILE:LINE:COLUMN: and the key
    quoted on the same line - "'key': problem" or "missing key 'key'"."""
    if line is None:
        # A file without lines (a special file): its path, as the subject of the message.
        return re.escape(path) + r"(?=[:' ])"
    text = re.escape(path) + rf":{line}:\d+: "
    if key:
        text += r"[^\n]*" + re.escape(f"'{key}'")
    return text


class BadInputCorpusTest(unittest.TestCase):
    """Filled in by add_cases(): one test per case, named test_KIND__NAME."""

    SANITIZED = False

    def run_case(self, case):
        tmp = tempfile.mkdtemp(prefix="tcsim_corpus_")
        self.addCleanup(shutil.rmtree, tmp, True)
        values = {"tmp": tmp, "root": ROOT, "corpus": CORPUS,
                  "area": os.path.join(ROOT, "configs", "examples", "area.yaml"),
                  "tiny": os.path.join(CORPUS, "fixtures", "tiny_scenario.yaml")}
        if case.file:
            values["file"] = case.file
        argv = case.argv
        if case.setup:
            extra = case.setup(tmp)
            argv = extra.pop("argv", argv)
            values.update(extra)
        # Placeholders may name placeholders ({corpus} in an '# at:' path): substitute twice.
        argv = [substitute(substitute(a, values), values) for a in argv]
        before = set(os.listdir(tmp))
        out = run_tcsim(argv, tmp)
        after = set(os.listdir(tmp))
        self.check(case, values, argv, out, sorted(after - before))

    def check(self, case, values, argv, out, new_files):
        problems = []
        stderr_text = out.stderr.decode("utf-8", errors="replace")
        if out.timed_out:
            problems.append(f"did not end within {TIMEOUT_SECONDS} s (killed)")
        if out.killed_for_memory:
            problems.append(f"resident memory passed {RSS_LIMIT_BYTES >> 20} MiB (killed)")
        if out.exit_code != case.exit_code:
            problems.append(f"exit code {out.exit_code}, expected {case.exit_code}")
        if out.stdout:
            problems.append(f"{len(out.stdout)} bytes on stdout, expected none")
        if new_files:
            problems.append(f"left files in its working folder: {', '.join(new_files)}")
        if SANITIZER_REPORT.search(stderr_text):
            problems.append("a sanitizer report on stderr")
        if out.peak_rss >= RSS_LIMIT_BYTES and not out.killed_for_memory:
            problems.append(f"peak RSS {out.peak_rss >> 20} MiB, limit {RSS_LIMIT_BYTES >> 20} MiB")
        try:
            decoded = out.stderr.decode("utf-8")
            bad = CONTROL.search(decoded)
            if bad:
                problems.append(f"stderr holds the control character {bad.group()!r}")
        except UnicodeDecodeError as e:
            problems.append(f"stderr is not UTF-8 ({e})")
        if not out.stderr.strip() and out.exit_code != 0:
            problems.append("nothing on stderr: no message")
        for expect in case.expects:
            text = substitute(substitute(expect, values), values)
            if text not in stderr_text:
                problems.append(f"stderr lacks {text!r}")
        for forbid in case.forbids:
            text = substitute(forbid, values)
            if text in stderr_text:
                problems.append(f"stderr holds {text!r}, which it must not quote")
        if case.want_location and not case.at:
            problems.append("the case names no location ('# at:' line)")
        for alternatives in case.at:
            patterns = [location_pattern(substitute(substitute(p, values), values), line, key)
                        for p, line, key in alternatives]
            if not any(re.search(p, stderr_text) for p in patterns):
                wanted = " or ".join(
                    f"{substitute(substitute(p, values), values)}"
                    + (f":{line}:COLUMN" if line else "") + (f" '{key}'" if key else "")
                    for p, line, key in alternatives)
                problems.append(f"stderr lacks the location {wanted}")
        if problems:
            shown = " ".join(shlex.quote(a if isinstance(a, str) else a.decode("latin-1"))
                             for a in argv)
            build = "ASan build" if self.SANITIZED else "build without ASan"
            self.fail(f"{case.id}: " + "; ".join(problems)
                      + f"\n--- command ---\ntcsim {shown}"
                      + f"\n--- exit {out.exit_code}, {out.seconds:.2f} s, peak RSS "
                      + f"{out.peak_rss >> 20} MiB ({build}) ---"
                      + f"\n--- stderr ---\n{stderr_text}"
                      + f"--- stdout ---\n{out.stdout.decode('utf-8', errors='replace')[:2000]}")


class FixtureTest(unittest.TestCase):
    """The valid inputs the cases are built from are accepted."""

    def test_fixtures__tiny_scenario(self):
        path = os.path.join(CORPUS, "fixtures", "tiny_scenario.yaml")
        out = subprocess.run([TCSIM, "check", path], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)

    def test_fixtures__tiny_experiment(self):
        tmp = tempfile.mkdtemp(prefix="tcsim_corpus_")
        self.addCleanup(shutil.rmtree, tmp, True)
        out = subprocess.run([TCSIM, "batch", os.path.join(CORPUS, "fixtures",
                                                           "tiny_experiment.yaml"),
                              "--out", os.path.join(tmp, "out.h5"), "--quiet"],
                             capture_output=True, text=True, cwd=tmp)
        self.assertEqual(out.returncode, 0, out.stderr)

    def test_fixtures__durations_csv(self):
        tmp = tempfile.mkdtemp(prefix="tcsim_corpus_")
        self.addCleanup(shutil.rmtree, tmp, True)
        scenario = write_csv_scenario(tmp, os.path.join(CORPUS, "fixtures", "durations.csv"))
        out = subprocess.run([TCSIM, "check", scenario], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)

    def test_fixtures__special_file_namers(self):
        """The experiment and national config that name the special files are valid when they
        name valid files instead."""
        tmp = tempfile.mkdtemp(prefix="tcsim_corpus_")
        self.addCleanup(shutil.rmtree, tmp, True)
        tiny = os.path.join(CORPUS, "fixtures", "tiny_scenario.yaml")
        models = os.path.join(ROOT, "configs", "integration_models.yaml")
        area = os.path.join(ROOT, "configs", "examples", "area.yaml")
        for give, valid in ((via_experiment_scenario, tiny), (via_experiment_models_file, models),
                            (via_national_area, area)):
            argv, values = give(tmp, valid)
            if argv[0] == "savings":
                # A whole savings run takes seconds: an unknown model ID is refused only once
                # the config and its area have loaded, so a message about the ID alone shows
                # that they are valid.
                argv = ["savings", values["named_by"], "--quick", "--models", "nosuch"]
                out = subprocess.run([TCSIM, *argv], capture_output=True, text=True, cwd=tmp)
                self.assertEqual(out.returncode, 2, out.stderr)
                self.assertIn("'nosuch'", out.stderr)
                self.assertNotIn(values["named_by"], out.stderr)
                continue
            values["tmp"] = tmp
            argv = [substitute(a, values) for a in argv]
            out = subprocess.run([TCSIM, *argv], capture_output=True, text=True, cwd=tmp)
            self.assertEqual(out.returncode, 0, f"{argv}: {out.stderr}")
            for name in ("out.h5",):
                os.remove(os.path.join(tmp, name))


def add_cases():
    for case in all_cases():

        def test(self, case=case):
            self.run_case(case)

        setattr(BadInputCorpusTest, f"test_{case.kind}__{case.name}", test)


def test_name(case_id):
    kind, _, name = case_id.partition("/")
    if kind == "fixtures":
        return f"FixtureTest.test_fixtures__{name}"
    return f"BadInputCorpusTest.test_{kind}__{name}"


def fixture_ids():
    return [f"fixtures/{n[len('test_fixtures__'):]}" for n in dir(FixtureTest)
            if n.startswith("test_fixtures__")]


if __name__ == "__main__":
    TCSIM, ROOT = sys.argv[1], os.path.abspath(sys.argv[2])
    CORPUS = os.path.join(ROOT, "tests", "bad_inputs")
    selected = sys.argv[3:]
    if selected[:1] == ["--list"]:
        for case in all_cases():
            print(case.id)
        for case_id in fixture_ids():
            print(case_id)
        sys.exit(0)
    TCSIM = os.path.abspath(TCSIM)
    BadInputCorpusTest.SANITIZED = is_sanitized(TCSIM)
    add_cases()
    unittest.main(argv=[sys.argv[0], "-v", *[test_name(c) for c in selected]])
