"""conftest.py: `make test` on broken data says so once, first, and runs nothing."""

import importlib.util
import subprocess
import sys
import tomllib
from types import SimpleNamespace

import pytest
from repo import CLONE, copy_clone


def root_conftest():
    """The repository's top-level conftest.py (`import conftest` finds tests/conftest.py)."""
    spec = importlib.util.spec_from_file_location("root_conftest", CLONE.root / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_plain_pytest_runs_as_make_test_does():
    """The worker options live in pyproject.toml, so `python -m pytest` after the pip path is
    `make test`; conftest's start order needs whole files kept in order."""
    pyproject = tomllib.loads((CLONE.root / "pyproject.toml").read_text(encoding="utf-8"))
    options = " ".join(pyproject["tool"]["pytest"]["ini_options"]["addopts"])
    assert "-n auto --dist loadfile --no-loadscope-reorder" in options


@pytest.mark.parametrize(
    ("args", "workers"),
    [
        (["tests", "notebooks", "student"], 2),  # testpaths: the whole suite
        (["tests/tools"], 2),
        (["tests/test_paths.py", "tests/test_units.py"], 2),
        (["tests/test_paths.py"], 0),
        (["tests/test_paths.py::test_x", "tests/test_paths.py::test_y"], 0),
    ],
)
def test_workers_for_the_suite_and_none_for_one_file(args, workers):
    config = SimpleNamespace(args=args, invocation_params=SimpleNamespace(dir=CLONE.root))
    assert root_conftest().pytest_xdist_auto_num_workers(config) == workers


def test_broken_data_stops_the_test_run_with_one_message(tmp_path):
    clone = copy_clone(tmp_path / "clone")
    amounts = clone.data / "food_nutrients.csv"
    lines = amounts.read_text(encoding="utf-8").splitlines(keepends=True)
    food_id, nutrient_id, _ = lines[5].split(",")
    lines[5] = f"{food_id},{nutrient_id},12mg\n"
    amounts.write_text("".join(lines), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest"],  # as make test runs it (options: pyproject.toml)
        cwd=clone.root, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    error = "data/food_nutrients.csv, row 5, column 'amount': expected a number, found '12mg'"
    assert result.returncode == 1, output
    assert output.count(error) == 1, output
    assert "the course data is broken, so no test was run" in output
    assert "passed" not in output and "failed" not in output and "commit figures" not in output
    # It stops before any worker starts (pytest-xdist names them gw0, gw1 when they do).
    assert "gw0" not in output and "workers" not in output, output
