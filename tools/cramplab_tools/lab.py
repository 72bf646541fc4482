"""`make lab`: JupyterLab on one edition of the course, on this machine only.

The command line is written here, once: the Makefile runs this module, and the browser tests
start JupyterLab with `command()` (over a copy of the editions, on a free port), so what they
test is what a teacher or student runs.

    python -m cramplab_tools lab [student|instructor]     (default: student)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cramplab.paths import CloneRequired, find_clone

EDITIONS = {"student": "student", "instructor": "notebooks"}  # edition -> folder in the clone
FIRST_NOTEBOOK = "00_start_here.ipynb"


def command(notebook_dir: Path | str) -> list[str]:
    """JupyterLab serving notebook_dir to this machine only, with a login token, no browser
    opened (the address with the token is printed to open)."""
    words = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--notebook-dir={notebook_dir}",
        "--ServerApp.ip=127.0.0.1",
        "--no-browser",
    ]
    # Jupyter refuses to run as root unless told; containers and some classroom machines do.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        words.append("--allow-root")
    return words


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["-h"], ["--help"]):
        print("usage: python -m cramplab_tools lab [student|instructor]  (default: student)")
        return 0
    if len(args) > 1 or (args and args[0] not in EDITIONS):
        print(
            "error: the edition must be student or instructor (make lab EDITION=instructor), "
            f"not {' '.join(args)!r}",
            file=sys.stderr,
        )
        return 2
    edition = args[0] if args else "student"
    try:
        clone = find_clone(command="make lab", purpose="serves the notebooks of")
    except CloneRequired as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    folder = clone.root / EDITIONS[edition]
    print(
        f"JupyterLab on {EDITIONS[edition]}/ (the {edition} edition); start with {FIRST_NOTEBOOK}"
    )
    sys.stdout.flush()
    return run(command(folder))


def run(words: list[str]) -> int:
    """Hand this process over to JupyterLab, so that Ctrl-C goes straight to it (on Windows,
    which cannot, run it and wait)."""
    if os.name == "posix":
        os.execv(words[0], words)  # returns only by raising
    return subprocess.call(words)


if __name__ == "__main__":
    sys.exit(main())
