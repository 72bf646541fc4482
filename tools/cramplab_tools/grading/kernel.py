"""Run one submitted notebook in a contained kernel and collect its answer values as data.

The kernel is a fresh Python process of the pinned environment (``python -m
cramplab_tools.grading.kernel JOB``) running the cells through IPython, as Jupyter's kernel
does (magics, ``display``), with the matplotlib backend that draws nowhere. It loads the
libraries, contains itself (sandbox.apply), then runs the cells in order, going on after a
cell that raises (as nbgrader's autograde does), and appends one JSON line per event to the
events file the grader gave it (a file, not a pipe, so that Windows works the same):

    {"event": "cell", "index": i}                 about to run code cell i
    {"event": "error", "index": i, "error": "..."} cell i raised
    {"event": "answers", "keys": [...], "values": {...}}  answer values (answers.dumps)
    {"event": "done"}

The grader enforces the per-cell and per-notebook time limits from these events and kills the
kernel's processes when one runs out. Nothing the kernel sends is executed or unpickled: a
student who writes to the events file can at most send their own values, which the grader checks.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cramplab_tools.grading import sandbox

MAX_LINE = 6_000_000
POLL_S = 0.05  # how often the grader looks for the kernel's new events


RUNNING: dict[int, tuple] = {}  # kernel pid -> (token, uid, Popen), for stop_all
_RUNNING_LOCK = threading.Lock()


def stop_all() -> None:
    """Stop every kernel this process started (an interrupted grading run)."""
    with _RUNNING_LOCK:
        running = dict(RUNNING)
    for token, uid, process in running.values():
        sandbox.stop_run(process, token, uid)


@dataclass
class RunResult:
    answers: dict[str, dict] = field(default_factory=dict)  # exercise key -> JSON payload text
    errors: dict[int, str] = field(default_factory=dict)  # code cell index -> error line
    cells_started: list[int] = field(default_factory=list)
    finished: bool = False
    stopped: str = ""  # "" or why the kernel was stopped: "timed out (cell 4, 120 s)", ...
    not_contained: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run(
    cells: list[dict],
    captures: dict[int, list[list]],
    plan: sandbox.Plan,
    notebook_file: Path,
) -> RunResult:
    """Execute cells (source, tags) in a contained kernel working in plan.workdir."""
    token = secrets.token_hex(8)
    job = {
        "cells": [cell["source"] for cell in cells],
        "captures": {str(k): v for k, v in captures.items()},
        "plan": asdict(plan),
        "notebook_file": notebook_file.name,
    }
    job_file = Path(tempfile.mkdtemp(prefix="cramplab-grade-job-")) / "job.json"
    job_file.write_text(json.dumps(job))
    events_file = job_file.parent / "events.jsonl"
    events_file.touch()
    stderr_file = job_file.parent / "stderr.txt"
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "PYTHONHASHSEED", "SOURCE_DATE_EPOCH")
    }
    env.update(
        {
            sandbox.TOKEN_ENV: token,
            "HOME": "/tmp/work" if sys.platform.startswith("linux") else plan.workdir,
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": plan.workdir,
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "PYTHONHASHSEED": "0",
        }
    )
    if plan.uid is not None:  # the kernel opens both before it gives up root
        os.chown(job_file.parent, plan.uid, plan.uid)
    # Its own session (POSIX) or process group (Windows): stopped as a whole, by pid.
    own_group = (
        {"start_new_session": True}
        if os.name == "posix"
        else {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    )
    start = time.monotonic()
    with open(stderr_file, "wb") as stderr_handle:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cramplab_tools.grading.kernel",
                str(job_file),
                str(events_file),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr_handle,
            env=env,
            cwd=plan.workdir,
            **own_group,
        )
    with _RUNNING_LOCK:
        RUNNING[process.pid] = (token, plan.uid, process)
    result = RunResult()
    limits = plan.limits
    notebook_deadline = start + limits.notebook_s + 30  # + the libraries' loading time
    cell_deadline, current = None, None
    buffer = b""
    reader = open(events_file, "rb")
    try:
        while True:
            now = time.monotonic()
            deadline = min(d for d in (notebook_deadline, cell_deadline) if d is not None)
            if now >= deadline:
                which = "notebook" if deadline == notebook_deadline else f"cell {current}"
                limit = limits.notebook_s if which == "notebook" else limits.cell_s
                result.stopped = f"timed out ({which}, limit {limit:g} s)"
                break
            chunk = reader.read(MAX_LINE)
            if not chunk:
                if process.poll() is not None:
                    chunk = reader.read(MAX_LINE)  # what it wrote just before it ended
                    if not chunk:
                        break
                else:
                    time.sleep(POLL_S)
                    continue
            buffer += chunk
            if len(buffer) > MAX_LINE and b"\n" not in buffer:
                result.stopped = "error (the kernel sent an answer too large to read)"
                break
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                kind = event.get("event") if isinstance(event, dict) else None
                if kind == "cell" and isinstance(event.get("index"), int):
                    current = event["index"]
                    result.cells_started.append(current)
                    cell_deadline = time.monotonic() + limits.cell_s
                elif kind == "error" and isinstance(event.get("index"), int):
                    result.errors[event["index"]] = str(event.get("error"))[:300]
                elif kind == "answers" and isinstance(event.get("keys"), list):
                    for key in event["keys"]:
                        result.answers[str(key)] = event.get("values", {})  # the last
                elif kind == "contained":
                    result.not_contained = [str(x) for x in event.get("missing", [])]
                elif kind == "done":
                    result.finished = True
            if result.finished:
                break
    finally:
        reader.close()
        sandbox.stop_run(process, token, plan.uid)
        with _RUNNING_LOCK:
            RUNNING.pop(process.pid, None)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        stderr = _tail(stderr_file)
        shutil.rmtree(job_file.parent, ignore_errors=True)
    if not result.finished and not result.stopped:
        code = process.returncode
        tail = stderr.decode(errors="replace").strip().splitlines()[-1:]
        why = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        if code == -9 and tail == []:
            why = "killed (memory or process limit)"
        result.stopped = f"error (the kernel stopped: {why}{': ' + tail[0][:200] if tail else ''})"
    result.seconds = time.monotonic() - start
    return result


def _tail(path: Path, size: int = 4096) -> bytes:
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, path.stat().st_size - size))
            return handle.read()
    except OSError:
        return b""


# --- the kernel's side ----------------------------------------------------------------------------


def _main(job_file: str, events_file: str) -> int:
    job = json.loads(Path(job_file).read_text())
    events = open(events_file, "a", buffering=1, encoding="utf-8")

    def send(**event) -> None:
        events.write(json.dumps(event) + "\n")

    # The libraries first, with the full environment; then containment; then student code.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot
    import pandas  # noqa: F401
    from IPython.core.interactiveshell import InteractiveShell

    import cramplab.checks  # noqa: F401
    from cramplab import data as _data  # noqa: F401
    from cramplab_tools.grading import answers

    limits = sandbox.Limits(**job["plan"].pop("limits"))
    plan = sandbox.Plan(**job["plan"], limits=limits)
    missing = sandbox.apply(plan)
    send(event="contained", missing=missing)
    shell = InteractiveShell.instance(history_length=0)
    shell.history_manager.enabled = False
    namespace = shell.user_ns
    captures = {int(k): v for k, v in job["captures"].items()}

    def capture(index: int) -> None:
        for key, names in captures.get(index, []):
            present = {name: namespace[name] for name in names if name in namespace}
            try:
                payload = answers.dumps(present)
            except Exception as error:  # a value that breaks encoding is the student's
                payload = json.dumps(
                    {names[0]: {answers.TAG: "unsupported", "type": str(error)[:80]}}
                )
            send(event="answers", keys=[key], values=payload)

    cells = job["cells"]
    for index, source in enumerate(cells):
        capture(index)
        send(event="cell", index=index)
        try:
            outcome = shell.run_cell(source, store_history=False, silent=False)
            failure = outcome.error_before_exec or outcome.error_in_exec
        except BaseException as error:  # SystemExit, KeyboardInterrupt raised by a cell
            failure = error
        if failure is not None:
            send(event="error", index=index, error=f"{type(failure).__name__}: {failure}"[:300])
    capture(len(cells))
    send(event="done")
    events.flush()
    os._exit(0)  # no atexit handler a student registered runs


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1], sys.argv[2]))
