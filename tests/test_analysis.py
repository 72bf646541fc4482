import numpy as np
import pandas as pd
import pytest

from cramplab import analysis, units

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
    ranked = analysis.rank_foods(data, "magnesium", "racc", top=None)
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


# --- the serving basis of a claim, rounding, absorption (issue #14) -------------------------

BASIS_FOODS = {
    # A food whose household serving is far bigger than its reference amount, and one smaller.
    "big_bowl": {"serving_g": 300, "racc_g": 60, "label_serving_g": 250, "magnesium": 10},
    "small_spoon": {"serving_g": 10, "racc_g": 30, "magnesium": 100},
    "unknown": {"serving_g": 50, "racc_g": 50},  # magnesium missing
}


@pytest.fixture
def bases(course):
    return course(BASIS_FOODS)


def test_each_basis_scales_by_its_own_grams(bases):
    per_100g = analysis.nutrient_matrix(bases)["magnesium"]
    for basis, column in analysis.SERVING_COLUMNS.items():
        grams = bases.foods.set_index("food_id")[column]
        expected = per_100g * grams / 100
        got = analysis.amounts(bases, basis)["magnesium"]
        pd.testing.assert_series_equal(got, expected, check_names=False)
    assert np.isnan(analysis.amounts(bases, "label").at["small_spoon", "magnesium"])


def test_a_claim_word_is_computed_per_racc(bases):
    """The FDA's words are judged per reference amount, whatever the household serving says."""
    per_racc = analysis.percent_dv(bases, "racc")["magnesium"]
    ranked = analysis.rank_foods(bases, "magnesium", "racc", top=None)
    assert (ranked["claim"] == analysis.claim_level(per_racc[ranked.index]).to_numpy()).all()
    assert "claim" not in analysis.rank_foods(bases, "magnesium", "serving").columns
    levels = analysis.claim_levels(bases)["magnesium"]
    assert levels.equals(analysis.claim_level(per_racc))
    # "covers" is a good source per RACC, by default
    covered = analysis.coverage(bases)["magnesium"]
    known = covered.dropna()
    assert (known.astype(bool) == (per_racc[known.index] >= analysis.GOOD_SOURCE_PCT)).all()
    assert pd.isna(covered["unknown"])


def test_basis_changes_lists_exactly_the_pairs_whose_word_differs(bases):
    changes = analysis.basis_changes(bases, ("serving", "racc"), ["magnesium"])
    serving = analysis.claim_levels(bases, "serving")["magnesium"]
    racc = analysis.claim_levels(bases, "racc")["magnesium"]
    known = analysis.percent_dv(bases, "racc")["magnesium"].notna()
    expected = sorted(serving.index[(serving != racc) & known])
    assert sorted(changes["food_id"]) == expected and expected  # the fixture has changes
    row = changes.iloc[0]
    assert row["level_serving"] != row["level_racc"]
    assert row["grams_racc"] == BASIS_FOODS[row["food_id"]]["racc_g"]


def test_all_of_sr28_has_no_reference_amounts_and_says_so(bases):
    from dataclasses import replace

    bare = replace(bases, foods=bases.foods.drop(columns=["racc_g"]))
    with pytest.raises(ValueError, match="no racc_g values"):
        analysis.amounts(bare, "racc")
    empty = replace(bases, foods=bases.foods.assign(racc_g=np.nan))
    with pytest.raises(ValueError, match="no racc_g values"):
        analysis.coverage(empty)
    assert analysis.amounts(bare, "serving").shape == analysis.amounts(bases, "serving").shape


THRESHOLDS = [analysis.GOOD_SOURCE_PCT, analysis.EXCELLENT_SOURCE_PCT]


def near_thresholds():
    rng = np.random.default_rng(14)
    around = [t + d for t in THRESHOLDS for d in (-1e-9, -0.001, -0.01, -0.05, 0, 1e-9, 0.05)]
    return np.concatenate([around, [19.99, 9.999, 19.95, 20.04], rng.uniform(0, 60, 2000)])


def test_printed_percent_never_crosses_a_threshold_its_value_has_not_reached():
    values = near_thresholds()
    printed = [float(f"{v:.1f}") for v in analysis.shown_percent(values)]
    words = analysis.claim_level(pd.Series(values))
    printed_words = analysis.claim_level(pd.Series(printed))
    assert (words == printed_words).all()
    assert f"{analysis.shown_percent(19.99):.1f}" == "19.9"
    assert f"{analysis.shown_percent(10.66):.1f}" == "10.7"  # elsewhere it rounds as usual
    assert all(abs(p - v) < 0.1 for p, v in zip(printed, values, strict=True))


def test_shown_percent_dv_is_within_a_decimal_of_the_unrounded_value(bases):
    shown = analysis.shown_percent_dv(bases, "racc")
    exact = analysis.percent_dv(bases, "racc")
    gap = (exact - shown).stack().dropna()
    assert len(gap)
    assert (gap.abs() < 0.1).all()


def test_a_label_rounds_percent_dv_by_the_regulation_steps():
    # 21 CFR 101.9(c)(8)(iii): 2% steps up to 10%, 5% steps to 50%, 10% steps above.
    assert units.label_percent_dv(9.6) == 10 and units.label_percent_dv(8.99) == 8
    assert units.label_percent_dv(5.0) == 6  # halves round up (101.9(d): 235 mg K is 6%)
    assert units.label_percent_dv(10.66) == 10 and units.label_percent_dv(12.6) == 15
    assert units.label_percent_dv(50.4) == 50 and units.label_percent_dv(55) == 60
    assert units.label_percent_dv(19.2, "sodium") == 19  # a DRV nutrient: whole percent
    assert np.isnan(units.label_percent_dv(np.nan))


ABSORPTION = {"leafy": (0.05, 0.25), "milky": (0.32, 0.32)}
CALCIUM_FOODS = {
    "leafy": {"serving_g": 100, "racc_g": 80, "calcium": 100},
    "milky": {"serving_g": 240, "racc_g": 240, "calcium": 120},
    "no_figure": {"serving_g": 100, "calcium": 300},
    "no_value": {"serving_g": 100},
}


@pytest.fixture
def calcium(course):
    return course(CALCIUM_FOODS, absorption=ABSORPTION)


@pytest.mark.parametrize("basis", ["serving", "racc", "100 g"])
def test_absorbed_calcium_is_content_times_fraction(calcium, basis):
    content = analysis.amounts(calcium, basis)["calcium"]
    absorbed = analysis.absorbed_calcium(calcium, basis)
    for food_id, (fraction, _) in ABSORPTION.items():
        assert absorbed[food_id] == pytest.approx(content[food_id] * fraction)


def test_a_missing_fraction_stays_missing(calcium):
    absorbed = analysis.absorbed_calcium(calcium, "racc")
    equivalent = analysis.milk_equivalent_calcium_pct_dv(calcium, "racc")
    assert absorbed[["no_figure", "no_value"]].isna().all()
    assert equivalent[["no_figure", "no_value"]].isna().all()
    table = analysis.calcium_absorption_table(calcium, "racc")
    assert table.at["no_figure", "milk_equivalent_level"] == "no figure"
    assert table.at["no_figure", "level"] != "no data"  # its content is known


def test_milk_equivalent_scales_percent_dv_by_fraction_over_milk_fraction(calcium):
    pdv = analysis.percent_dv(calcium, "racc")["calcium"]
    equivalent = analysis.milk_equivalent_calcium_pct_dv(calcium, "racc")
    fraction, milk = ABSORPTION["leafy"]
    assert equivalent["leafy"] == pytest.approx(pdv["leafy"] * fraction / milk)
    assert equivalent["milky"] == pytest.approx(pdv["milky"])  # milk scores its own %DV
