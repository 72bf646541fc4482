"""Every self-check accepts the right answer and refuses wrong ones with a useful message."""

import pytest

from cramplab import analysis, checks, claims, plan
from cramplab.data import load

DATA = load()


def right_answers():
    wide = analysis.nutrient_matrix(DATA)
    links = DATA.nutrient_symptoms
    shared = links.groupby("symptom_id")["nutrient_id"].nunique()
    weak = links[
        links["guide_asserts"] & (links["evidence_grade"] == "guide_only_or_contradicted")
    ]
    excellent = analysis.coverage(DATA, 20).drop(columns="sodium").sum(axis=1)
    verdicts = claims.verdicts(DATA)
    about_mg = DATA.guide_claims.set_index("claim_id")["nutrients"].str.contains(
        "magnesium", na=False
    )
    return {
        checks.claims_checked_against_data: (DATA.guide_claims["check_against"] == "data").sum(),
        checks.cramp_nutrient_ids: analysis.cramp_nutrients(DATA),
        checks.foods_missing_vitamin_d: wide["vitamin_d"].isna().sum(),
        checks.sardines_vitamin_d_iu: wide.at["sardines_canned", "vitamin_d"] * 40,
        checks.shared_symptoms: sorted(shared[shared >= 3].index),
        checks.weakest_guide_links: sorted(weak["nutrient_id"].unique()),
        checks.calcium_leader_per_serving: analysis.amounts(DATA, "serving")["calcium"].idxmax(),
        checks.banana_rank_per_100g: analysis.rank_foods(DATA, "potassium", "100 g", None).at[
            "banana", "rank"
        ],
        checks.excellent_for_three: sorted(excellent[excellent >= 3].index),
        checks.milk_for_a_woman_over_70: 100
        * analysis.amounts(DATA, "serving").at["milk_lowfat", "calcium"]
        / analysis.intake_targets(DATA, "female_71_plus")["calcium"],
        checks.verdict_on_c26: verdicts.at["C26", "verdict"],
        checks.magnesium_claims_without_support: sorted(
            verdicts.index[about_mg & verdicts["verdict"].isin(["not_supported", "unsupported"])]
        ),
    }


ANSWERS = right_answers()
WRONG = {
    checks.claims_checked_against_data: 41,
    checks.cramp_nutrient_ids: ["magnesium", "energy"],
    checks.foods_missing_vitamin_d: 0,
    checks.sardines_vitamin_d_iu: ANSWERS[checks.sardines_vitamin_d_iu] / 40,  # still in µg
    checks.shared_symptoms: ["muscle_cramp"],
    checks.weakest_guide_links: ["magnesium"],
    checks.calcium_leader_per_serving: "milk_lowfat",
    checks.banana_rank_per_100g: 1,
    checks.excellent_for_three: [],
    checks.milk_for_a_woman_over_70: ANSWERS[checks.milk_for_a_woman_over_70] / 100,
    checks.verdict_on_c26: "supported",
    checks.magnesium_claims_without_support: ["C01"],
}


@pytest.mark.parametrize("check", list(ANSWERS), ids=lambda f: f.__name__)
def test_right_answer_passes(check, capsys):
    check(ANSWERS[check])
    assert capsys.readouterr().out.startswith("Correct!")


@pytest.mark.parametrize("check", list(WRONG), ids=lambda f: f.__name__)
def test_wrong_answer_fails_with_a_hint(check):
    with pytest.raises(AssertionError) as error:
        check(WRONG[check])
    assert len(str(error.value)) > 30, "the message should say what to look at"


@pytest.mark.parametrize("check", list(ANSWERS), ids=lambda f: f.__name__)
def test_the_placeholder_asks_for_an_answer(check):
    with pytest.raises(AssertionError, match=r"Replace the \.\.\."):
        check(...)


def test_sorted_lists_are_asked_for_sorted():
    with pytest.raises(AssertionError, match="not sorted"):
        checks.shared_symptoms(ANSWERS[checks.shared_symptoms][::-1])


def test_menu_checks():
    menu = plan.plan_menu(DATA, objective="foods", exclude=["beet_greens_cooked"])
    checks.menu_without(menu, "beet_greens_cooked")
    with pytest.raises(AssertionError, match="still on the menu"):
        checks.menu_without(plan.plan_menu(DATA, objective="foods"), "beet_greens_cooked")
    with pytest.raises(AssertionError, match="Store the Menu"):
        checks.menu_within_calories(42, 400)
    with pytest.raises(AssertionError, match="kcal"):
        checks.menu_within_calories(menu, 100)
