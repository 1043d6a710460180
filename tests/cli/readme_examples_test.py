#!/usr/bin/python3
"""Runs the tcsim examples of README.md and docs/cli.md as a user would type them.

Every ```sh block whose commands call build/release/bin/tcsim and nothing that installs or
builds is run with bash in a scratch folder that mirrors the repository (configs/ linked, the
tests' tcsim binary at build/release/bin/tcsim); it must exit 0. Blocks with placeholders
(CONFIG, N, ...) are usage summaries and are skipped; so are install and build commands,
which CI runs itself.

Usage: readme_examples_test.py TCSIM_EXECUTABLE REPO_ROOT
"""
import os
import re
import subprocess
import sys
import tempfile

SKIP = re.compile(r"install-deps|cmake |ctest|\bCONFIG\b|_bench|time_tcsim|\[--")


def blocks(path):
    text = open(path, encoding="utf-8").read()
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def main():
    tcsim, root = sys.argv[1], sys.argv[2]
    ran = 0
    failed = 0
    for doc in ("README.md", os.path.join("docs", "cli.md")):
        for block in blocks(os.path.join(root, doc)):
            if "bin/tcsim" not in block or SKIP.search(block):
                continue
            with tempfile.TemporaryDirectory() as scratch:
                os.makedirs(os.path.join(scratch, "build", "release", "bin"))
                os.symlink(tcsim, os.path.join(scratch, "build", "release", "bin", "tcsim"))
                os.symlink(os.path.join(root, "configs"), os.path.join(scratch, "configs"))
                os.makedirs(os.path.join(scratch, "results"))
                run = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=scratch,
                                     capture_output=True, text=True)
            ran += 1
            status = "ok" if run.returncode == 0 else f"FAILED (exit {run.returncode})"
            print(f"{doc}: {status}\n{block}")
            if run.returncode != 0:
                failed += 1
                print(run.stderr)
    print(f"{ran - failed} passed, {failed} failed")
    if ran == 0:
        print("no runnable example found: the extraction is broken")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
