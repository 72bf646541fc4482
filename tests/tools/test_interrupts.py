"""Ctrl-C, SIGTERM and kill -9 on `make figures`, `make notebooks`, `make student` and
`make grade`.

Each test runs the real command on a copy of the clone (the commands find it from their working
directory), in a process group of its own as a terminal would, signals it at one moment, and
then checks the tree, the staging folders, the kernels and their files. Every wait is bounded,
and only processes these tests started are ever stopped. They take about half a minute, so
they sit in a module of their own that xdist runs beside the others.

They must hold on a loaded machine, so they assert outcomes, never timing or which process
spoke first: a signal that reaches the Python command before it has installed its handler
ends it on the spot (make then reports "Terminated"), one that comes after is handled ("interrupted:
..."), and both must leave the tree as it was, with nothing left behind. Where a test is about
the handled case it waits until the handler is in place (Linux shows it in /proc), rather than
for some time. How fast Ctrl-C stops a command is a speed target: `make bench` measures it.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from repo import copy_clone, snapshot

psutil = pytest.importorskip("psutil")
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")

# Bounds on waits, not timings: generous, so that a busy machine still gets there.
START_S = 120  # to import pandas and start kernels
GONE_S = 60  # for an interrupted command's kernels to be gone
# This test run's own environment, not a fresh .venv: -o keeps make from installing anything.
MAKE = ["make", "--no-print-directory", "-o", ".venv/.installed", f"BIN={Path(sys.executable).parent}"]  # fmt: skip


class Command:
    """One make target, started as a terminal starts it: in a process group of its own."""

    def __init__(self, clone, target: str, log: Path, arguments: tuple[str, ...] = ()):
        self.clone, self.log = clone, log
        # A user's shell: no test settings, and not inside `make test` (make[1] would differ).
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CRAMPLAB_", "MAKE"))}
        env.pop("MFLAGS", None)
        env.pop("PYTHON", None)  # make test PYTHON=... exports it; a user's shell has not
        with open(log / "stdout", "w") as out, open(log / "stderr", "w") as err:
            self.make = subprocess.Popen(
                [*MAKE, target, *arguments], cwd=clone.root, env=env, stdout=out, stderr=err,
                start_new_session=True,
            )  # fmt: skip
        self.seen: dict[int, psutil.Process] = {}  # everything it started, kernels included
        self.cmdlines: dict[int, str] = {}  # kept: a process that is gone cannot be asked

    @property
    def stdout(self) -> str:
        return (self.log / "stdout").read_text()

    @property
    def stderr(self) -> str:
        return (self.log / "stderr").read_text()

    def _look(self) -> None:
        try:
            children = psutil.Process(self.make.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return
        for child in children:
            self.seen.setdefault(child.pid, child)
            self.cmdlines[child.pid] = _cmdline(child) or self.cmdlines.get(child.pid, "")

    def python(self) -> psutil.Process | None:
        found = [p for p in self.seen.values() if "cramplab_tools" in self.cmdlines[p.pid]]
        return next((p for p in found if _alive(p)), None)

    def kernels(self) -> list[psutil.Process]:
        return [p for p in self.seen.values() if "ipykernel" in self.cmdlines[p.pid]]

    def kernel_folders(self, running_only: bool = False) -> list[Path]:
        """The folder of each kernel's connection file and sockets (its -f argument)."""
        folders = []
        for kernel in self.kernels():
            arguments = self.cmdlines[kernel.pid].split()
            if "-f" in arguments and (_alive(kernel) or not running_only):
                folders.append(Path(arguments[arguments.index("-f") + 1]).parent)
        return folders

    def wait_until(self, condition, what: str, *, processes: bool = True) -> None:
        """Poll until condition(); processes=False for conditions on files alone, which can
        be polled often (a look at the processes scans every process on the machine)."""
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            if processes:
                self._look()
            if condition():
                return
            if self.make.poll() is not None:
                pytest.fail(f"make ended before {what}:\n{self.stdout}\n{self.stderr}")
            time.sleep(0.05 if processes else 0.002)
        pytest.fail(f"no {what} within {START_S} s")

    def signal(self, signum: int, to: str = "group") -> float:
        """Send signum to the whole group (Ctrl-C in a terminal), to make alone (`kill`),
        or to the Python command alone; return when it was sent."""
        self._look()
        with _suppress():  # it may just have finished: the checks hold all the same
            if to == "group":
                os.killpg(self.make.pid, signum)
            elif to == "make":
                self.make.send_signal(signum)
            else:
                self.python().send_signal(signum)
        return time.monotonic()

    def wait(self, timeout: float = START_S) -> int:
        return self.make.wait(timeout=timeout)

    def stop(self) -> None:
        """Kill whatever is left of it (only its own processes)."""
        with _suppress():
            os.killpg(self.make.pid, signal.SIGKILL)
        for process in self.seen.values():
            with _suppress():
                if _alive(process):
                    process.kill()
        with _suppress():
            self.make.wait(timeout=10)


def handles(process: psutil.Process | None, signum: int) -> bool:
    """Whether process has installed a handler for signum: the SigCgt mask of
    /proc/PID/status (Linux), bit signum - 1."""
    if process is None:
        return False
    try:
        status = Path(f"/proc/{process.pid}/status").read_text()
    except OSError:
        return False
    caught = re.search(r"^SigCgt:\s*([0-9a-fA-F]+)$", status, re.M)
    return bool(caught) and bool(int(caught[1], 16) >> (signum - 1) & 1)


def _cmdline(process) -> str:
    try:
        return " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return ""


def _alive(process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _suppress():
    """For signals and kills: the process may be gone already (python() is then None)."""
    return contextlib.suppress(
        ProcessLookupError, psutil.NoSuchProcess, subprocess.SubprocessError, AttributeError
    )


@pytest.fixture
def clone(tmp_path):
    return copy_clone(tmp_path / "clone")


@pytest.fixture
def start(tmp_path, clone):
    """start(target) -> a running Command; whatever it left running is stopped afterwards."""
    commands = []

    def starter(target: str, *arguments: str, where=None) -> Command:
        log = tmp_path / f"log{len(commands)}"
        log.mkdir()
        commands.append(Command(where or clone, target, log, arguments))
        return commands[-1]

    yield starter
    for command in commands:
        command.stop()


def two_kernels_running(command: Command):
    """Both kernels up and past their start: their connection files exist."""

    def condition():
        folders = command.kernel_folders(running_only=True)
        return len(folders) >= 2 and all((f / "kernel.json").exists() for f in folders)

    return condition


def assert_stopped(command: Command) -> None:
    """make has ended, with a failure status, and so has every kernel it started."""
    status = command.wait(timeout=START_S)
    gone = psutil.wait_procs([k for k in command.kernels() if _alive(k)], timeout=GONE_S)[1]
    assert not gone, f"kernels still running: {gone}"
    assert status != 0, "an interrupted make reports failure"


def assert_reported(command: Command, target: str, *handled: str) -> None:
    """What an interrupted `make target` says, whichever way the race went: the command's
    own lines (one of handled) then make's, or, if the signal beat the command's handler,
    make's line alone. Never a traceback."""
    lines = command.stderr.splitlines()
    assert "Traceback" not in command.stderr, command.stderr
    assert lines, "nothing said"
    make_said = f"make: *** [Makefile:{makefile_line(target)}: {target}] "
    if lines[0].startswith(make_said):  # killed before its handler was in: nothing changed
        assert lines == [make_said + "Terminated"], command.stderr
        return
    assert any(lines[0].startswith(line) for line in handled), command.stderr
    assert lines[-1].startswith(make_said + "Error "), command.stderr


def staging_folders(clone) -> list[Path]:
    return [p.name for p in clone.figures.glob(".*")]


# --- make figures ----------------------------------------------------------------------------


@pytest.mark.parametrize("moment", ["as it starts", "once its handler is in"])
def test_sigterm_while_make_figures_starts_up(start, clone, moment):
    """`kill <make's pid>` while Python starts and imports pandas, matplotlib and jupyter:
    make passes SIGTERM on. Sent as the process appears, it may beat the handler; sent once
    the handler is in, the launcher must say so in one line."""
    figures = snapshot(clone.figures)
    command = start("figures")
    if moment == "as it starts":
        command.wait_until(lambda: command.python() is not None, "Python process")
    else:
        if not Path("/proc/self/status").exists():
            pytest.skip("needs /proc to see when the handler is installed")
        command.wait_until(lambda: handles(command.python(), signal.SIGTERM), "SIGTERM handler")
    command.signal(signal.SIGTERM, to="make")
    assert_stopped(command)
    assert_reported(command, "figures", "interrupted: ")
    if moment != "as it starts":
        assert command.stderr.startswith("interrupted: "), command.stderr
    assert snapshot(clone.figures) == figures and not staging_folders(clone)


def test_ctrl_c_mid_run_after_a_killed_run(start, clone):
    """kill -9 mid-run leaves its staging folder, its kernel folders and perhaps its kernels;
    the next run clears them first, and Ctrl-C while its kernels execute leaves nothing of
    its own either: figures/ as it was, no staging folder, no kernel and no kernel file."""
    figures = snapshot(clone.figures)
    killed = start("figures")
    killed.wait_until(two_kernels_running(killed), "two running kernels")
    killed_kernel_files = killed.kernel_folders()
    killed.signal(signal.SIGKILL, to="python")  # no clean-up at all
    killed.wait()
    # Its kernels stop once they see their parent gone, except one killed while it was still
    # starting (ipykernel then never notices): the next run stops those. Either way, none
    # may be left once it has started.
    (left,) = staging_folders(clone)  # nobody removed it

    later = start("figures")
    later.wait_until(two_kernels_running(later), "two running kernels")
    later.signal(signal.SIGINT)  # its kernels started after its handler: it is in
    assert_stopped(later)
    assert f"make figures: cleared figures/{left}, left by a killed run" in later.stdout
    assert later.stderr.splitlines() == [
        "interrupted: figures/ was left unchanged",
        f"make: *** [Makefile:{makefile_line('figures')}: figures] Error 130",
    ]
    assert snapshot(clone.figures) == figures and not staging_folders(clone)
    kernel_files = killed_kernel_files + later.kernel_folders()
    assert kernel_files and not any(folder.exists() for folder in kernel_files)
    orphans = psutil.wait_procs([k for k in killed.kernels() if _alive(k)], timeout=GONE_S)[1]
    assert not orphans, f"kernels of the killed run still running: {orphans}"


def makefile_line(target: str) -> int:
    lines = (Path(__file__).resolve().parents[2] / "Makefile").read_text().splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(f"{target}:")) + 1


# --- make notebooks --------------------------------------------------------------------------


def test_ctrl_c_on_make_notebooks_prints_one_line_and_changes_nothing(start, clone):
    notebooks = snapshot(clone.notebooks)
    command = start("notebooks")
    command.wait_until(lambda: any(_alive(k) for k in command.kernels()), "a running kernel")
    command.signal(signal.SIGINT)  # its kernel started after its handler: it is in
    assert_stopped(command)
    assert command.stderr.splitlines() == [
        "interrupted: no notebook was changed",
        f"make: *** [Makefile:{makefile_line('notebooks')}: notebooks] Error 130",
    ]
    assert snapshot(clone.notebooks) == notebooks


# --- make student ----------------------------------------------------------------------------


@pytest.fixture
def editions(tmp_path, clone):
    """(old, new): an old edition in the clone's student/, and what the new one will be."""
    old = {"00_start_here.ipynb": b"an old edition", "extra.txt": b"gone in the new one"}
    # make student runs every notebook as a student would: one short notebook keeps it quick.
    for path in clone.notebooks.glob("[0-9][0-9]_*.ipynb"):
        if path.name != "00_start_here.ipynb":
            path.unlink()
    shutil.rmtree(clone.student, ignore_errors=True)
    clone.student.mkdir()
    for name, payload in old.items():
        (clone.student / name).write_bytes(payload)
    # In a process of its own, like make: its kernels and their sockets go with it.
    subprocess.run(
        [sys.executable, "-m", "cramplab_tools", "student", str(tmp_path / "expected")],
        cwd=clone.root, check=True, capture_output=True,
    )  # fmt: skip
    return old, snapshot(tmp_path / "expected")


def student_leftovers(clone) -> list[str]:
    return [p.name for p in clone.root.glob(".student*")]


def running_notebooks(command):
    """make student runs each notebook before it writes anything: a kernel is up."""
    return lambda: bool(command.kernel_folders(running_only=True))


@pytest.mark.parametrize(
    ("moment", "signum", "to"),
    [("start", signal.SIGTERM, "make"), ("running", signal.SIGINT, "group")],
    ids=["sigterm at start", "ctrl-c while notebooks run"],
)
def test_an_interrupted_make_student_leaves_the_old_edition_or_the_new(
    start, clone, editions, moment, signum, to
):
    old, new = editions
    command = start("student")
    if moment == "start":
        command.wait_until(lambda: command.python() is not None, "Python process")
    else:
        command.wait_until(running_notebooks(command), "a kernel")
    command.signal(signum, to=to)
    assert_stopped(command)
    edition = snapshot(clone.student)
    assert edition in (old, new)
    assert not student_leftovers(clone)
    state = "was left as it was" if edition == old else "already held the new"
    # Before it wrote anything, the launcher speaks (or, before its handler, make alone).
    launcher = "interrupted: make student stopped before it changed anything"
    assert_reported(
        command,
        "student",
        f"interrupted: {clone.student} {state}",
        *([launcher] if edition == old else []),
    )
    if moment == "running":  # its kernels started after its handler: it is in
        assert command.stderr.startswith("interrupted: "), command.stderr


def test_a_killed_make_student_leaves_one_edition_and_the_next_run_tidies(start, clone, editions):
    old, new = editions
    killed = start("student")
    killed.wait_until(running_notebooks(killed), "a kernel")
    killed.signal(signal.SIGKILL, to="python")
    killed.wait()
    assert snapshot(clone.student) in (old, new)
    finished = start("student")
    assert finished.wait() == 0, finished.stderr
    assert snapshot(clone.student) == new
    assert not student_leftovers(clone)


# --- make grade ------------------------------------------------------------------------------

GRADED_CLASS = 6  # students: enough that Ctrl-C usually comes while some are being graded


def test_ctrl_c_during_make_grade_keeps_finished_rows_and_a_rerun_finishes(start, tmp_path):
    """Ctrl-C while a class is graded: every row written is whole, nothing keeps running, and
    the same command run again grades only the students without a row."""
    import json

    from repo import CLONE

    solutions = (CLONE.notebooks / "01_the_data.ipynb").read_bytes()
    submissions, out = tmp_path / "submissions", tmp_path / "out"
    submissions.mkdir()
    for number in range(GRADED_CLASS):
        (submissions / f"student{number}.ipynb").write_bytes(solutions)
    arguments = (f"SUBMISSIONS={submissions}", f"OUT={out}", "NOTEBOOKS=01")
    command = start("grade", *arguments, where=CLONE)
    command.wait_until(lambda: any((out / "rows").glob("*.json")), "first row", processes=False)
    command.signal(signal.SIGINT)
    status = command.wait(timeout=START_S)
    gone = psutil.wait_procs([k for k in command.kernels() if _alive(k)], timeout=GONE_S)[1]
    assert not gone, f"kernels still running: {gone}"
    assert "Traceback" not in command.stderr, command.stderr
    kept = sorted(p.stem for p in (out / "rows").glob("*.json"))
    for row in kept:  # whole rows only: each one reads
        assert json.loads((out / "rows" / f"{row}.json").read_text())["student"] == row
    if status == 0:  # it finished before the signal arrived: then every row is there
        assert len(kept) == GRADED_CLASS, command.stdout
    else:
        assert command.stderr.splitlines()[-1].startswith("make: *** [Makefile:"), command.stderr
    again = subprocess.run(
        [*MAKE, "grade", *arguments], cwd=CLONE.root, capture_output=True, text=True,
        timeout=20 * START_S,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert f"({len(kept)} already graded)" in again.stdout + again.stderr
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["student"] for r in rows) == [f"student{n}" for n in range(GRADED_CLASS)]
    assert all(r["correct"] == r["out_of"] for r in rows), rows
