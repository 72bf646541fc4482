"""conftest.py: `make test` on broken data says so once, first, and runs nothing."""

import subprocess
import sys
import time

from repo import copy_clone


def test_broken_data_stops_the_test_run_with_one_message(tmp_path):
    clone = copy_clone(tmp_path / "clone")
    amounts = clone.data / "food_nutrients.csv"
    lines = amounts.read_text(encoding="utf-8").splitlines(keepends=True)
    food_id, nutrient_id, _ = lines[5].split(",")
    lines[5] = f"{food_id},{nutrient_id},12mg\n"
    amounts.write_text("".join(lines), encoding="utf-8")
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadfile"],
        cwd=clone.root, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    error = "data/food_nutrients.csv, row 5, column 'amount': expected a number, found '12mg'"
    assert result.returncode == 1, output
    assert output.count(error) == 1, output
    assert "the course data is broken, so no test was run" in output
    assert "passed" not in output and "failed" not in output and "commit figures" not in output
    assert time.monotonic() - start < 30, "it stops before starting workers and notebooks"
