"""The benchmark's pure parts: replication, statistics, growth verdicts, results and table.

No kernels start here; the timings are made up, so every expected number is known by hand.
"""

import json
import math

import pandas as pd
import pytest

from cramplab.analysis import nutrient_matrix
from cramplab_tools import bench

FOODS = {
    "kale": {"serving_g": 50, "energy": 50, "magnesium": 30, "sodium": 40},
    "bean": {"serving_g": 100, "energy": 120, "magnesium": 60, "sodium": 5},
    "mystery": {"serving_g": 80, "energy": 200},  # magnesium and sodium missing
}


# --- replication ----------------------------------------------------------------------------


def test_replication_multiplies_rows_and_keeps_ids_unique(course):
    data = course(FOODS)
    tripled = bench.replicate_foods(data, 3)
    assert len(tripled.foods) == 3 * len(data.foods)
    assert len(tripled.food_nutrients) == 3 * len(data.food_nutrients)
    assert tripled.foods["food_id"].is_unique
    assert set(tripled.foods["food_id"]) == {
        f"{food}{suffix}" for food in FOODS for suffix in ("", "_r1", "_r2")
    }
    # Every amount row points at a food that exists, so analysis code can join them.
    assert set(tripled.food_nutrients["food_id"]) == set(tripled.foods["food_id"])


def test_replication_preserves_every_amount_and_the_reference_tables(course):
    data = course(FOODS)
    tripled = bench.replicate_foods(data, 3)
    matrix = nutrient_matrix(tripled)
    original = nutrient_matrix(data)
    for copy in ("_r1", "_r2"):
        copied = matrix.loc[[f"{food}{copy}" for food in original.index]]
        copied.index = original.index
        pd.testing.assert_frame_equal(copied, original)  # missing stays missing
    copies = tripled.foods.set_index("food_id")
    assert copies.at["bean_r2", "serving_g"] == 100
    assert tripled.nutrients is data.nutrients
    assert tripled.intake_references is data.intake_references


def test_one_copy_is_the_data_itself_and_zero_copies_is_an_error(course):
    data = course(FOODS)
    once = bench.replicate_foods(data, 1)
    pd.testing.assert_frame_equal(once.foods, data.foods)
    pd.testing.assert_frame_equal(once.food_nutrients, data.food_nutrients)
    with pytest.raises(ValueError, match="at least 1"):
        bench.replicate_foods(data, 0)


# --- statistics and growth ------------------------------------------------------------------


def test_summary_is_median_min_max_and_keeps_the_runs():
    summary = bench.summarize([3.0, 1.0, 2.0])
    assert summary == {"median": 2.0, "min": 1.0, "max": 3.0, "runs": [3.0, 1.0, 2.0]}
    assert bench.summarize([1.0, 2.0, 3.0, 10.0])["median"] == 2.5
    with pytest.raises(ValueError):
        bench.summarize([])


@pytest.mark.parametrize(
    ("seconds", "slope"),
    [
        ([1.0, 2.0, 4.0, 8.0], 1.0),  # linear
        ([1.0, 4.0, 16.0, 64.0], 2.0),  # quadratic
        ([3.0, 3.0, 3.0, 3.0], 0.0),  # flat
    ],
)
def test_growth_slope_of_known_curves(seconds, slope):
    assert bench.growth_slope([100, 200, 400, 800], seconds) == pytest.approx(slope, abs=1e-9)


def test_growth_slope_needs_two_positive_sizes():
    with pytest.raises(ValueError):
        bench.growth_slope([100], [1.0])
    with pytest.raises(ValueError):
        bench.growth_slope([100, 200], [1.0])
    with pytest.raises(ValueError):
        bench.growth_slope([100, 200], [0.0, 1.0])


@pytest.mark.parametrize(
    ("slope", "verdict"),
    [
        (0.0, "linear or better"),
        (1.0, "linear or better"),
        (1.15, "linear or better"),
        (1.1549, "linear or better"),  # shown as 1.15
        (1.1551, "superlinear (slope 1.16)"),
        (1.16, "superlinear (slope 1.16)"),
        (2.0, "superlinear (slope 2.00)"),
    ],
)
def test_growth_verdict(slope, verdict):
    assert bench.growth_verdict(slope) == verdict


def test_pytest_summary_drops_colours_and_rules():
    output = "....F\n\n\x1b[31m===== 1 failed, \x1b[32m4 passed\x1b[0m in 3.2s =====\x1b[0m\n"
    assert bench.pytest_summary(output) == "1 failed, 4 passed in 3.2s"
    assert bench.pytest_summary("") == "no output"


# --- results and table from made-up timings -------------------------------------------------


def fake_measurements() -> bench.Measured:
    """Floor 2 s, two notebooks; nbval 5 s (1.25x of 2 x 2 s), figures 7 s (1.75x), stopped by
    Ctrl-C in 0.9 s; the site in 6 s, the browser tests in 40 s (20 s of CPU)."""
    return bench.Measured(
        repeats=3,
        floor=[2.0, 1.0, 3.0],
        notebooks={"00_start": [3.0, 3.0, 3.0], "01_data": [4.0, 5.0, 6.0]},
        nbval=[5.0, 5.0, 5.0],
        nbval_outcome="20 passed in 5.0s",
        nbval_notebooks=2,
        figures=[7.0, 7.0, 7.0],
        figures_notebooks=2,
        ctrl_c=[0.8, 2.5, 0.9],
        site=[6.0, 5.0, 7.0],
        site_cpu=[4.0, 4.5, 5.0],
        browser=[40.0, 50.0, 30.0],
        browser_cpu=[20.0, 21.0, 19.0],
        browser_outcome="23 passed in 38.1s",
        sr28_dir="/somewhere/sr28",
        sr28_load=[0.3, 0.3, 0.4],
        scale_foods=[1000, 2000, 4000, 8000],
        scale_steps={
            bench.STEP_RANKING: [[0.1], [0.2], [0.4], [0.8]],
            bench.STEP_COVERAGE: [[0.3], [1.2], [4.8], [19.2]],
            bench.STEP_PLANNER: [[1.0], [1.0], [1.0], [1.0]],
        },
        load_average=[0.5, 1.5],
    )


def test_results_have_every_section_and_the_right_ratios():
    results = bench.build_results(fake_measurements())
    assert set(results) >= {
        "machine",
        "repeats",
        "floor",
        "notebooks",
        "nbval",
        "make_figures",
        "ctrl_c",
        "site",
        "browser_tests",
        "scale",
        "targets",
        "skipped",
    }
    assert results["floor"]["median"] == 2.0
    assert results["notebooks"]["01_data"]["ratio_to_floor"] == 2.5
    assert results["nbval"]["notebooks_x_floor"] == 4.0
    assert results["nbval"]["ratio_to_notebooks_x_floor"] == 1.25
    assert results["nbval"]["outcome"] == "20 passed in 5.0s"
    assert results["make_figures"]["ratio_to_notebooks_x_floor"] == 1.75
    assert results["site"]["median"] == 6.0 and results["site"]["cpu"]["median"] == 4.5
    assert results["browser_tests"]["median"] == 40.0
    assert results["browser_tests"]["cpu"] == bench.summarize([20.0, 21.0, 19.0])
    assert results["browser_tests"]["outcome"] == "23 passed in 38.1s"
    steps = results["scale"]["steps"]
    assert set(steps) == {bench.STEP_RANKING, bench.STEP_COVERAGE, bench.STEP_PLANNER}
    assert steps[bench.STEP_RANKING]["growth"] == "linear or better"
    assert steps[bench.STEP_COVERAGE]["slope"] == pytest.approx(2.0)
    assert steps[bench.STEP_COVERAGE]["growth"] == "superlinear (slope 2.00)"
    assert results["scale"]["factors"] == [1, 2, 4, 8]
    json.loads(json.dumps(results))  # plain JSON, nothing pandas or numpy inside


def test_whole_runs_are_compared_with_the_notebooks_they_ran():
    measured = fake_measurements()
    measured.nbval_notebooks = 5  # three notebooks appeared after the one-by-one timings
    results = bench.build_results(measured)
    assert results["nbval"]["notebooks_x_floor"] == 10.0
    assert results["nbval"]["ratio_to_notebooks_x_floor"] == 0.5
    assert "the course changed during the bench" in bench.format_table(results)


def test_targets_are_judged_on_medians():
    results = bench.build_results(fake_measurements())
    status = {t["key"]: t["status"] for t in results["targets"]}
    assert status == {
        "nbval": "PASS",  # 1.25x <= 1.5x
        "make_figures": "MISS",  # 1.75x
        "ctrl_c": "PASS",  # median 0.9 s <= 2 s (one run took 2.5 s)
        bench.PLANNING_NOTEBOOK: "n/a",  # not among the made-up notebooks
        "browser_tests": "PASS",  # 40 s <= 90 s
        "sr28_load": "PASS",  # 0.3 s < 0.5 s
        bench.STEP_RANKING: "PASS",  # 0.1 s
        bench.STEP_COVERAGE: "MISS",  # 0.3 s > 0.2 s
        bench.STEP_PLANNER: "PASS",  # 1 s < 2 s
    }


@pytest.mark.parametrize(
    ("outcome", "ran"),
    [
        ("23 passed in 38.1s", True),
        ("2 failed, 21 passed in 40.0s", True),  # they ran: their time counts
        ("1 passed, 22 skipped in 3.0s", False),  # no Chromium here: a short, empty run
        ("23 skipped in 2.0s", False),
        ("no output", False),
    ],
)
def test_browser_tests_count_only_when_they_ran(outcome, ran):
    assert bench.browser_tests_ran(outcome) is ran
    measured = fake_measurements()
    measured.browser_outcome = outcome
    results = bench.build_results(measured)
    status = {t["key"]: t["status"] for t in results["targets"]}["browser_tests"]
    assert status == ("PASS" if ran else "n/a")
    assert ("(skipped: not judged)" in bench.format_table(results)) is not ran


def test_slow_browser_tests_miss_the_target():
    measured = fake_measurements()
    measured.browser = [95.0, 91.0, 120.0]
    status = {t["key"]: t["status"] for t in bench.build_results(measured)["targets"]}
    assert status["browser_tests"] == "MISS"


def test_the_planning_notebook_is_judged_against_the_floor():
    measured = fake_measurements()
    measured.notebooks[bench.PLANNING_NOTEBOOK] = [2.8, 2.8, 2.8]  # 1.4 x the 2 s floor
    targets = {t["key"]: t for t in bench.build_results(measured)["targets"]}
    assert targets[bench.PLANNING_NOTEBOOK]["measured"] == pytest.approx(1.4)
    assert targets[bench.PLANNING_NOTEBOOK]["status"] == "PASS"
    measured.notebooks[bench.PLANNING_NOTEBOOK] = [5.4, 5.4, 5.4]  # 2.7 x: the old notebook
    targets = {t["key"]: t for t in bench.build_results(measured)["targets"]}
    assert targets[bench.PLANNING_NOTEBOOK]["status"] == "MISS"


def test_skipped_sections_are_reported_not_judged():
    measured = bench.Measured(
        repeats=1,
        skipped={"kernels": "skipped: --skip-notebooks given", "scale": "skipped: no SR28"},
        load_average=[0.1, 0.2],
    )
    results = bench.build_results(measured)
    assert results["floor"] is None and results["scale"] is None and results["nbval"] is None
    assert {t["status"] for t in results["targets"]} == {"n/a"}
    table = bench.format_table(results)
    assert "skipped: no SR28" in table
    assert "skipped: --skip-notebooks given" in table


def test_table_lists_every_measurement_and_target():
    results = bench.build_results(fake_measurements())
    table = bench.format_table(results)
    for text in (
        "floor",
        "00_start",
        "01_data",
        "nbval",
        "make figures",
        "Ctrl-C on make figures, until all stopped",
        "make site",
        "browser tests",
        "CPU (user+sys) median 20.0 s",
        "SR28 load",
    ):
        assert text in table
    for target in results["targets"]:
        assert f"{target['status']:<5} {target['target']}" in table
    assert "superlinear (slope 2.00)" in table
    assert not any(
        t["measured"] is not None and math.isnan(t["measured"]) for t in results["targets"]
    )


def test_results_file_is_written_where_asked(tmp_path):
    path = bench.write_results({"repeats": 1}, tmp_path / "bench" / "results.json")
    assert json.loads(path.read_text(encoding="utf-8")) == {"repeats": 1}


def test_quick_means_one_run_and_repeats_must_be_positive(tmp_path):
    assert bench.parse_arguments(["--quick", "--repeats", "5"]).repeats == 1
    assert bench.parse_arguments(["--sr28", str(tmp_path)]).sr28 == tmp_path
    with pytest.raises(SystemExit):
        bench.parse_arguments(["--repeats", "0"])


def fake_clone(root):
    """What cramplab.paths.is_clone looks for, and nothing else."""
    (root / "notebooks").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "data" / "datapackage.json").write_text("{}")
    (root / "pyproject.toml").write_text('[project]\nname = "cramplab"\n')
    return root


@pytest.mark.parametrize(
    ("record", "written", "untouched"),
    [([], "build/bench/results.json", "bench"), (["--record"], "bench/results.json", "build")],
    ids=["scratch", "record"],
)
def test_results_go_to_build_unless_the_record_is_asked_for(
    tmp_path, monkeypatch, capsys, record, written, untouched
):
    clone = fake_clone(tmp_path / "clone")
    monkeypatch.chdir(clone)
    # Nothing measured: no kernels, and no SR28 release where it is looked for.
    args = ["--skip-notebooks", "--quick", "--sr28", str(tmp_path / "no-sr28"), *record]
    assert bench.main(args) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("make bench: under a minute")  # the SR28 part alone, skipped
    assert first.endswith(f"results to {written}")
    results = json.loads((clone / written).read_text(encoding="utf-8"))
    assert results["duration_s"] >= 0 and "skipped" in results
    assert not (clone / untouched).exists()
    assert ("make bench RECORD=1" in out) == (not record)


def test_the_expected_duration_is_stated_for_the_default_run():
    assert bench.parse_arguments([]).repeats == 3
    assert bench.expected_minutes(3, skip_notebooks=False) == 9  # what the README says
    assert bench.expected_minutes(1, skip_notebooks=False) == 3
