"""pytest settings shared by the unit tests (tests/) and nbval (notebooks/).

It sits at the top level so that it applies whichever of the two pytest is pointed at.
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent

# Kernels that nbval starts inherit this environment. In "check" mode the figure helper
# renders each figure in memory and compares it with the committed file in figures/ instead
# of writing it: a test run never changes the working tree, and a stale figure fails its cell.
os.environ["CRAMPLAB_FIGURES_MODE"] = "check"
os.environ["CRAMPLAB_FIGURES_DIR"] = str(ROOT / "figures")
# Same settings as the Makefile, for runs started with plain `pytest`.
os.environ.setdefault("PYTHONHASHSEED", "0")
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Figures are drawn from the instructor edition only: the kernel nbval starts for a
    student-edition notebook (at its first cell's setup) gets figures switched off."""
    student = Path(item.path).resolve().is_relative_to(ROOT / "student")
    os.environ["CRAMPLAB_FIGURES_MODE"] = "off" if student else "check"


def pytest_configure(config):
    """Broken data fails hundreds of tests and notebook cells at once, and the summary cuts
    the cause off: say it once, first, and run nothing.

    Only the controlling process checks (xdist's workers have not started yet), so a broken
    package costs a second, not a whole run.
    """
    if hasattr(config, "workerinput"):
        return
    from cramplab.data import DataError, load

    try:
        load(ROOT / "data")
    except DataError as error:
        where = str(error).replace(f"{ROOT}{os.sep}", "")
        pytest.exit(
            f"the course data is broken, so no test was run:\n  {where}\n"
            "Fix it (`python -m cramplab.data validate` checks again) and rerun `make test`.",
            returncode=pytest.ExitCode.TESTS_FAILED,
        )


WORKERS = 2  # the suite's design: two workers (a 2-core machine), slow files first (below)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """How many workers `-n auto` (pyproject.toml's addopts) starts: two, as `make test`, for
    the whole suite or any run that may hold several files; none for a run of a single file,
    which --dist loadfile would hand to one worker anyway (and workers take seconds to start).
    """
    paths = {arg.split("::")[0] for arg in config.args}
    if len(paths) == 1 and (config.invocation_params.dir / paths.pop()).is_file():
        return 0
    return WORKERS


def start_order(item: pytest.Item) -> int:
    """Browser and hub tests, then notebooks, then the rest: slow files first (see below)."""
    if item.get_closest_marker("browser") or item.get_closest_marker("hub"):
        return 0
    return 1 if item.path.suffix == ".ipynb" else 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest files start first. pytest (`make test` or plain `python -m pytest`: the
    options are pyproject.toml's addopts) hands whole files to two workers in this order
    (-n auto --dist loadfile --no-loadscope-reorder), so a slow file that started last would
    keep one worker busy after the other has finished; the quick unit tests fill the gaps."""
    items.sort(key=start_order)  # stable: each file's tests keep their order
