"""Run the course notebooks: execute in place (`make notebooks`) and the shared executor.

Stored outputs must be reproducible by nbval, so execution records no timings and keeps
cell ids, and every notebook runs from a fresh kernel in the notebooks/ directory.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from cramplab.paths import CloneRequired, find_clone

TIMEOUT_S = 120
# Kernels get these unless the caller says otherwise (as the Makefile does), so stored outputs
# and figure bytes are the same whether a command was started by make or by hand.
REPRODUCIBLE_ENV = {"PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "0"}


class NotebookFailed(RuntimeError):
    """A notebook raised an error; the message names the notebook and the cell."""


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
    # IPC sockets: local only, and ipykernel does not warn about unencrypted TCP.
    socket_dir = tempfile.mkdtemp(prefix="cramplab-kernel-")
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=f"{socket_dir}/ipc")
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
        if manager.has_kernel:  # nbclient leaves a kernel it did not create running
            manager.shutdown_kernel(now=True)
        shutil.rmtree(socket_dir, ignore_errors=True)
    return notebook, time.perf_counter() - start


def _failing_cell(notebook: nbformat.NotebookNode) -> str:
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            return f"{number} of {len(code_cells)} code cells (id {cell.get('id', '?')})"
    return "unknown"


def refresh(path: Path) -> float:
    """Execute a notebook and store its outputs in place (figures are not written)."""
    notebook, seconds = execute(path, env={"CRAMPLAB_FIGURES_MODE": "off"})
    notebook.metadata.pop("widgets", None)
    temporary = path.with_name(f".{path.name}.tmp")
    nbformat.write(notebook, temporary)
    os.replace(temporary, path)  # an interrupted run leaves the old notebook whole
    return seconds


def main(argv: list[str] | None = None) -> int:
    names = argv if argv is not None else sys.argv[1:]
    try:
        paths = [Path(n) for n in names] or course_notebooks()
    except CloneRequired as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in paths:
        try:
            seconds = refresh(path)
        except NotebookFailed as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"{path.name:<36} executed in {seconds:5.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
