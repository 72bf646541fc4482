"""Run the course notebooks: execute in place (`make notebooks`) and the shared executor.

Stored outputs must be reproducible by nbval, so execution records no timings and keeps
cell ids, and every notebook runs from a fresh kernel in the notebooks/ directory.

Kernels run in a session of their own (jupyter_client starts them so), so Ctrl-C in the
terminal never reaches them: the commands run notebooks in worker threads (KernelWorkers),
keep the main thread free to take the interrupt, and then stop every kernel themselves.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future
from pathlib import Path
from typing import NoReturn

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from cramplab import plan
from cramplab.paths import CloneRequired, find_clone
from cramplab_tools import atomic

TIMEOUT_S = 120
# Kernels get these unless the caller says otherwise (as the Makefile does), so stored outputs
# and figure bytes are the same whether a command was started by make or by hand.
REPRODUCIBLE_ENV = {"PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "0"}
# Each kernel's connection file and IPC sockets live in a folder of their own, removed with
# the kernel; a later run removes those a killed run left behind (atomic.recover).
KERNEL_DIR_PREFIX = "cramplab-ipc-"
STOP_WAIT_S = 0.5  # how long an interrupted command waits for its worker threads


class KernelStartedAfterStop(RuntimeError):
    """A kernel finished starting after an interrupt had stopped the others."""


class NotebookFailed(RuntimeError):
    """A notebook raised an error; the message names the notebook and the cell."""


class _Kernels:
    """The kernels this process has running, so that an interrupt can stop them all."""

    def __init__(self):
        self._lock = threading.Lock()
        self._running: dict[int, tuple[KernelManager, Path]] = {}
        self.stopping = False

    def started(self, manager: KernelManager, folder: Path) -> None:
        with self._lock:
            if not self.stopping:
                self._running[id(manager)] = (manager, folder)
                return
        _kill(manager, folder)  # it came up after the others were stopped
        # An ordinary exception: it reaches the waiting worker through asyncio. A
        # KeyboardInterrupt would escape jupyter_core's event-loop thread as a traceback.
        raise KernelStartedAfterStop("a kernel came up after the run was interrupted")

    def finished(self, manager: KernelManager) -> None:
        with self._lock:
            self._running.pop(id(manager), None)

    def stop_all(self) -> None:
        """Kill every running kernel (and any kernel still starting) and remove its files."""
        with self._lock:
            self.stopping = True
            running, self._running = list(self._running.values()), {}
        for manager, folder in running:
            _kill(manager, folder)

    def reset(self) -> None:
        with self._lock:
            self.stopping = False


KERNELS = _Kernels()


def _kill(manager: KernelManager, folder: Path) -> None:
    process = getattr(manager.provisioner, "process", None)
    if process is not None and process.poll() is None:
        try:  # the kernel leads its own process group: anything it started goes too
            os.killpg(process.pid, signal.SIGKILL)
        except (OSError, AttributeError):  # no such group, or no process groups (Windows)
            process.kill()
        try:
            process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass
    shutil.rmtree(folder, ignore_errors=True)


class _TrackedKernelManager(KernelManager):
    """A KernelManager that reports its kernel the moment the process exists."""

    kernel_folder: Path

    async def _async_launch_kernel(self, kernel_cmd, **kw):  # jupyter_client's override point
        await super()._async_launch_kernel(kernel_cmd, **kw)
        KERNELS.started(self, self.kernel_folder)


def course_notebooks(directory: Path | None = None) -> list[Path]:
    """The numbered notebooks, in course order (00_..., 01_..., ...); default: the clone's."""
    directory = find_clone().notebooks if directory is None else directory
    return sorted(p for p in directory.glob("[0-9][0-9]_*.ipynb"))


def execute(path: Path, env: dict[str, str] | None = None) -> tuple[nbformat.NotebookNode, float]:
    """Execute a notebook from a fresh kernel; return it with its wall-clock seconds.

    env adds variables to the kernel's environment (this process's own is left alone, so
    several notebooks can run at once with different settings).
    """
    return execute_notebook(nbformat.read(path, as_version=4), path.parent, path.name, env=env)


def execute_notebook(
    notebook: nbformat.NotebookNode,
    directory: Path,
    name: str,
    env: dict[str, str] | None = None,
) -> tuple[nbformat.NotebookNode, float]:
    """Execute an in-memory notebook (named name in messages) in directory; as execute()."""
    if KERNELS.stopping:
        raise atomic.Interrupted(signal.SIGINT)
    # IPC sockets: local only, and ipykernel does not warn about unencrypted TCP.
    folder = atomic.Staging(Path(tempfile.gettempdir()), prefix=KERNEL_DIR_PREFIX)
    manager = _TrackedKernelManager(
        kernel_name="python3",
        transport="ipc",
        ip=str(folder.path / "ipc"),
        connection_file=str(folder.path / "kernel.json"),
    )
    manager.kernel_folder = folder.path
    client = NotebookClient(
        notebook,
        km=manager,
        timeout=TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(directory)}},
        record_timing=False,
    )
    start = time.perf_counter()
    try:
        client.execute(env={**REPRODUCIBLE_ENV, **os.environ, **(env or {})})
    except CellExecutionError as error:
        cell = _failing_cell(notebook)
        raise NotebookFailed(f"{name}, cell {cell}: {error.ename}: {error.evalue}") from None
    finally:
        KERNELS.finished(manager)
        if KERNELS.stopping:  # interrupted: no polite shutdown, the kernel goes now
            _kill(manager, folder.path)
        elif manager.has_kernel:  # nbclient leaves a kernel it did not create running
            manager.shutdown_kernel(now=True)
        folder.discard()
    return notebook, time.perf_counter() - start


def _failing_cell(notebook: nbformat.NotebookNode) -> str:
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            return f"{number} of {len(code_cells)} code cells (id {cell.get('id', '?')})"
    return "unknown"


class KernelWorkers:
    """Run notebooks in worker threads, ``jobs`` at a time, while the main thread waits.

    Leaving the ``with`` block on an exception (Ctrl-C, SIGTERM, a failed notebook) stops
    every kernel at once and waits at most STOP_WAIT_S for the workers; they are daemon
    threads, so one still busy cannot hold the process open.
    """

    def __init__(self, jobs: int):
        self.jobs = jobs
        self._queue: list[tuple[Future, object, tuple]] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> KernelWorkers:
        KERNELS.reset()
        return self

    def submit(self, function, *args) -> Future:
        future: Future = Future()
        with self._lock:
            self._queue.append((future, function, args))
        if len(self._threads) < self.jobs:
            thread = threading.Thread(target=self._work, daemon=True, name="cramplab-notebook")
            self._threads.append(thread)
            thread.start()
        return future

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._queue or KERNELS.stopping:
                    return
                future, function, args = self._queue.pop(0)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(function(*args))
            except BaseException as error:  # handed to the main thread, which decides
                future.set_exception(error)

    def __exit__(self, kind, error, traceback) -> None:
        if error is None:
            for thread in self._threads:
                thread.join()
            return
        KERNELS.stop_all()
        deadline = time.monotonic() + STOP_WAIT_S
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


def leave(code: int) -> NoReturn:
    """End the process with code.

    After an interrupt or a failure, worker threads may still hold sockets to the kernels
    they were talking to, and Python's shutdown waits for those sockets (zmq) without end.
    By then the kernels are stopped and their files removed, so the process leaves at once.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    if KERNELS.stopping:
        os._exit(code)
    sys.exit(code)


def remove_abandoned_kernel_folders() -> list[Path]:
    """Kernel folders in the temporary directory whose run was killed (SIGKILL), and any of
    their kernels still running.

    A kernel notices that its parent is gone and stops, unless the kill came while it was
    still starting: ipykernel then takes its new parent for the original and waits forever
    (where orphans go to a subreaper rather than to process 1, as in many containers).
    """
    removed = atomic.recover(Path(tempfile.gettempdir()), KERNEL_DIR_PREFIX)
    if removed:
        stop_kernels_of(removed)
    return removed


def stop_kernels_of(folders: list[Path]) -> list[int]:
    """Kill the kernels (this user's) whose connection file is in one of folders, which no
    run holds any more; return their process ids."""
    if os.name != "posix":  # Windows kernels watch their parent's handle, which cannot fail so
        return []
    import psutil  # ipykernel's dependency; only this rare path needs it

    files = {str(folder / "kernel.json") for folder in folders}
    killed = []
    for process in psutil.process_iter(["pid", "cmdline", "uids"]):
        try:
            arguments = process.info["cmdline"] or []
            uids = process.info["uids"]
            mine = uids is None or uids.real == os.getuid()
            if not (mine and files.intersection(arguments)):
                continue
            try:  # a kernel leads its own process group: anything it started goes too
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                process.kill()
            killed.append(process.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return killed


def store(path: Path, notebook: nbformat.NotebookNode) -> None:
    """Write an executed notebook over its source, whole (a temporary file, then a rename)."""
    notebook.metadata.pop("widgets", None)
    temporary = path.with_name(f".{path.name}.tmp")
    nbformat.write(notebook, temporary)
    os.replace(temporary, path)


def refresh(path: Path) -> float:
    """Execute a notebook and store its outputs in place (figures are not written)."""
    notebook, seconds = execute(path, env={"CRAMPLAB_FIGURES_MODE": "off"})
    store(path, notebook)
    return seconds


def main(argv: list[str] | None = None) -> int:
    names = argv if argv is not None else sys.argv[1:]
    try:
        clone = find_clone(command="make notebooks")  # even for named notebooks: the rule
        paths = [Path(n) for n in names] or course_notebooks(clone.notebooks)
    except CloneRequired as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    remove_abandoned_kernel_folders()
    # Every notebook is executed in memory first and all are written at the end, so that an
    # interrupt or a failing notebook changes none of them.
    executed, stored = [], False
    # Run over every notebook, the planner solves each menu afresh and records it; the
    # record replaces the package's solved menus with the notebooks (cramplab.plan).
    every = not names
    scratch = Path(tempfile.mkdtemp(prefix="cramplab-menus-"))
    record = scratch / "menus.jsonl"
    try:
        with atomic.interrupts_raise():
            with KernelWorkers(jobs=1) as workers:
                env = {"CRAMPLAB_FIGURES_MODE": "off"}
                if every:
                    env[plan.SOLVED_MENUS_ENV] = str(record)
                futures = [workers.submit(execute, path, env) for path in paths]
                for path, future in zip(paths, futures, strict=True):
                    notebook, seconds = future.result()
                    executed.append((path, notebook))
                    print(f"{path.name:<36} executed in {seconds:5.1f} s", flush=True)
            menus = solved_menus_file(record) if every else None
            with atomic.signals_deferred():
                for path, notebook in executed:
                    store(path, notebook)
                if menus is not None:
                    target = clone.root / SOLVED_MENUS_IN_CLONE
                    temporary = target.with_name(f".{target.name}.tmp")
                    temporary.write_text(menus, encoding="utf-8")
                    os.replace(temporary, target)
                stored = True
    except NotebookFailed as error:
        print(f"error: {error}\nno notebook was changed", file=sys.stderr)
        return 1
    except KeyboardInterrupt as interrupt:
        print(
            "interrupted: "
            + ("every notebook was already stored" if stored else "no notebook was changed"),
            file=sys.stderr,
        )
        return atomic.exit_code(interrupt)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    count = len(executed)
    print(f"stored the outputs of {count} notebook{'' if count == 1 else 's'}")
    if every:
        print(
            f"stored the {len(json.loads(menus)['menus'])} menus they plan in {SOLVED_MENUS_IN_CLONE}"
        )
    return 0


SOLVED_MENUS_IN_CLONE = Path("src", "cramplab", plan.SOLVED_MENUS.name)


def solved_menus_file(record: Path) -> str:
    """The package's solved menus: each menu the notebooks planned, by its fingerprint."""
    menus = {}
    if record.exists():
        for line in record.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            menus[entry.pop("fingerprint")] = entry
    about = (
        "Menus the course's notebooks plan, solved once by cramplab.plan and stored under a "
        "SHA-256 fingerprint of every number the solver is given; written by make notebooks."
    )
    return json.dumps({"about": about, "menus": dict(sorted(menus.items()))}, indent=1) + "\n"


if __name__ == "__main__":
    leave(main())
