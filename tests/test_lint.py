"""ruff over the package, the tests and the notebooks, as part of `make test`."""

import subprocess
import sys
from pathlib import Path

from repo import CLONE

RUFF = Path(sys.executable).with_name("ruff")
TARGETS = ["src", "tests", "notebooks", "site", "deploy", "conftest.py"]


def run_ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(RUFF), *args, *TARGETS], cwd=CLONE.root, capture_output=True, text=True, check=False
    )


def test_ruff_check_is_clean():
    result = run_ruff("check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = run_ruff("format", "--check", "--no-cache")
    assert result.returncode == 0, "run `make format`:\n" + result.stdout + result.stderr
