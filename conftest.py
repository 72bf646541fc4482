"""pytest settings shared by the unit tests (tests/) and nbval (notebooks/).

It sits at the top level so that it applies whichever of the two pytest is pointed at.
"""

import os
from pathlib import Path

import pytest

# Kernels that nbval starts inherit this environment. In "check" mode the figure helper
# renders each figure in memory and compares it with the committed file in figures/ instead
# of writing it: a test run never changes the working tree, and a stale figure fails its cell.
os.environ["CRAMPLAB_FIGURES_MODE"] = "check"
os.environ["CRAMPLAB_FIGURES_DIR"] = str(Path(__file__).resolve().parent / "figures")
# Same settings as the Makefile, for runs started with plain `pytest`.
os.environ.setdefault("PYTHONHASHSEED", "0")
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")


def start_order(item: pytest.Item) -> int:
    """Browser tests, then notebooks, then the rest: slow files first (see below)."""
    if item.get_closest_marker("browser"):
        return 0
    return 1 if item.path.suffix == ".ipynb" else 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest files start first. `make test` hands whole files to two workers in this
    order (--dist loadfile --no-loadscope-reorder), so a slow file that started last would
    keep one worker busy after the other has finished; the quick unit tests fill the gaps."""
    items.sort(key=start_order)  # stable: each file's tests keep their order
