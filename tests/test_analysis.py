import numpy as np
import pandas as pd
import pytest

from cramplab import analysis

FOODS = {
    "seeds": {"serving_g": 28, "energy": 560, "magnesium": 500, "sodium": 10},
    "spinach": {"serving_g": 180, "energy": 23, "magnesium": 80, "sodium": 70},
    "spice": {"serving_g": 2, "energy": 300, "magnesium": 900, "sodium": 100},
    "bread": {"serving_g": 30, "energy": 250, "sodium": 500},  # magnesium missing
    "water": {"serving_g": 240, "energy": 0, "magnesium": 1, "sodium": 4},
}


@pytest.fixture
def data(course):
    return course(FOODS)


def test_cramp_nutrients_exclude_context(data):
    assert analysis.cramp_nutrients(data) == ["magnesium", "sodium"]


def test_nutrient_matrix_is_wide_and_keeps_missing(data):
    wide = analysis.nutrient_matrix(data)
    assert list(wide.index) == list(FOODS)
    assert np.isnan(wide.loc["bread", "magnesium"])


def test_three_bases(data):
    per_100g = analysis.amounts(data, "100 g")
    per_serving = analysis.amounts(data, "serving")
    per_kcal = analysis.amounts(data, "100 kcal")
    assert per_100g.loc["spinach", "magnesium"] == 80
    assert per_serving.loc["spinach", "magnesium"] == pytest.approx(144)
    assert per_kcal.loc["spinach", "magnesium"] == pytest.approx(80 / 23 * 100)
    assert np.isnan(per_kcal.loc["water", "magnesium"])
    with pytest.raises(ValueError, match="basis"):
        analysis.amounts(data, "cup")


def test_views_disagree_on_the_leader(data):
    by_weight = analysis.rank_foods(data, "magnesium", "100 g")
    by_serving = analysis.rank_foods(data, "magnesium", "serving")
    assert by_weight.index[0] == "spice"
    assert by_serving.index[0] == "spinach"


def test_rank_leaves_out_missing_and_reports_percent_dv(data):
    ranked = analysis.rank_foods(data, "magnesium", "serving", top=None)
    assert "bread" not in ranked.index
    assert list(ranked["rank"]) == [1, 2, 3, 4]
    assert ranked.loc["seeds", "percent_dv"] == pytest.approx(140)
    assert ranked.loc["seeds", "claim"] == "excellent source"
    assert ranked.loc["water", "claim"] == "neither"


def test_rank_ties_keep_food_order(course):
    same = {"serving_g": 100, "magnesium": 5}
    tied = course({"b": same, "a": same})
    assert list(analysis.rank_foods(tied, "magnesium").index) == ["b", "a"]


def test_claim_levels_follow_fda_thresholds():
    levels = analysis.claim_level(pd.Series([25.0, 20.0, 19.9, 10.0, 9.9, np.nan]))
    assert levels.tolist() == [
        "excellent source", "excellent source", "good source", "good source", "neither", "no data",
    ]  # fmt: skip


def test_coverage_marks_missing_as_unknown(data):
    covered = analysis.coverage(data)
    assert bool(covered.loc["seeds", "magnesium"]) is True
    assert bool(covered.loc["water", "magnesium"]) is False
    assert pd.isna(covered.loc["bread", "magnesium"])
    summary = analysis.coverage_summary(data)
    assert summary.loc["magnesium", "foods_with_data"] == 4
    assert summary.loc["magnesium", "foods_covering"] == 3  # seeds, spinach, spice (18%)


def test_intake_targets_by_life_stage(data):
    assert analysis.intake_targets(data, "female_19_30")["magnesium"] == 100
    assert analysis.intake_targets(data, "female_19_30", "cdrr")["sodium"] == 2300
    with pytest.raises(ValueError, match="unknown life stage"):
        analysis.intake_targets(data, "martian")
