"""Self-check cells for the notebooks' exercises.

Each check recomputes the right answer from the data with the package's tested helpers, so a
data change never leaves a stale expected value behind, and it tells a student what to look
at when the answer is off. It prints one line on success and raises AssertionError otherwise.
"""

from __future__ import annotations

import functools
import math

from cramplab import analysis, units
from cramplab.data import CourseData, load


@functools.cache
def _data() -> CourseData:
    return load()


def _answered(answer, name: str = "answer") -> None:
    if answer is ... or answer is None:
        raise AssertionError(
            f"Replace the ... in `{name} = ...` with your code, then run this cell."
        )


def _same_number(answer, expected: float, what: str, hint: str, rel: float = 1e-6) -> None:
    _answered(answer)
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise AssertionError(
            f"Expected a number for {what}, got {type(answer).__name__}."
        ) from None
    if not math.isclose(value, expected, rel_tol=rel, abs_tol=1e-9):
        raise AssertionError(f"Not quite: {what} is not {value:g}. {hint}")


def _done(message: str) -> None:
    print(f"Correct! {message}")


# 00_start_here
def claims_checked_against_data(answer) -> None:
    claims = _data().guide_claims
    expected = int((claims["check_against"] == "data").sum())
    _same_number(
        answer, expected, "the number of claims checked against data",
        "Compare the column check_against with the text 'data', then count the True values.",
    )  # fmt: skip
    _done(f"{expected} of the {len(claims)} claims can be decided with food data.")


def cramp_nutrient_ids(answer) -> None:
    _answered(answer)
    expected = analysis.cramp_nutrients(_data())
    given = list(answer)
    context = sorted({"energy", "water"} & set(given))
    assert not context, f"{context} are context (kind == 'context'), not cramp nutrients."
    missing = [n for n in expected if n not in given]
    assert not missing, f"Missing: {missing}. Keep every row whose kind is not 'context'."
    assert len(given) == len(set(given)) == len(expected), "Each nutrient id should appear once."
    _done("these eight nutrients are the ones the guide ties to cramps.")


# 01_the_data
def foods_missing_vitamin_d(answer) -> None:
    matrix = analysis.nutrient_matrix(_data())
    expected = int(matrix["vitamin_d"].isna().sum())
    _same_number(
        answer, expected, "the count of foods without a vitamin D value",
        "Select the vitamin_d column of the wide table, then .isna().sum(). "
        "Did you count zeros too? A zero is a measured value, not a missing one.",
    )  # fmt: skip
    _done(f"{expected} of {len(matrix)} foods have no vitamin D value in SR28.")


def sardines_vitamin_d_iu(answer) -> None:
    per_100g = analysis.nutrient_matrix(_data()).at["sardines_canned", "vitamin_d"]
    expected = units.vitamin_d_ug_to_iu(per_100g)
    hint = (
        f"The wide table gives {per_100g:g} µg per 100 g; multiply by 40 IU per µg "
        "(vitamin_d_ug_to_iu does it for you)."
    )
    _same_number(answer, expected, "sardines' vitamin D in IU per 100 g", hint)
    _done(f"{per_100g:g} µg = {expected:g} IU per 100 g.")


def _same_list(answer, expected: list, what: str, hint: str) -> None:
    _answered(answer)
    given = list(answer)
    if given == expected:
        return
    if sorted(map(str, given)) == sorted(map(str, expected)):
        raise AssertionError(f"The right {what}, but not sorted: wrap the result in sorted().")
    extra = [item for item in given if item not in expected]
    missing = [item for item in expected if item not in given]
    raise AssertionError(
        f"Not quite: {what} should not include {extra} and is missing {missing}. {hint}"
    )


# 02_nutrients_and_symptoms
def shared_symptoms(answer) -> None:
    counts = _data().nutrient_symptoms.groupby("symptom_id")["nutrient_id"].nunique()
    expected = sorted(counts[counts >= 3].index)
    _same_list(
        answer, expected, "the list of shared symptoms",
        "Count distinct nutrients per symptom with groupby('symptom_id')['nutrient_id'].nunique() "
        "and keep counts of 3 or more.",
    )  # fmt: skip
    _done(f"{', '.join(expected)} are each linked to three or more nutrients.")


def weakest_guide_links(answer) -> None:
    links = _data().nutrient_symptoms
    weak = links[
        links["guide_asserts"] & (links["evidence_grade"] == "guide_only_or_contradicted")
    ]
    expected = sorted(weak["nutrient_id"].unique())
    _same_list(
        answer, expected, "the list of nutrients",
        "Filter rows where guide_asserts is True AND evidence_grade is "
        "'guide_only_or_contradicted', then take the unique nutrient_id values.",
    )  # fmt: skip
    _done(f"the guide's unsupported links involve {', '.join(expected)}.")


# 03_food_sources
def calcium_leader_per_serving(answer) -> None:
    _answered(answer)
    per_serving = analysis.amounts(_data(), "serving")["calcium"]
    expected = per_serving.idxmax()
    if answer == analysis.nutrient_matrix(_data())["calcium"].idxmax() and answer != expected:
        raise AssertionError("That is the leader per 100 g. Multiply by serving_g / 100 first.")
    assert answer == expected, (
        f"Not quite: {answer!r} is not the food with the most calcium per serving. "
        "Compute per_100g['calcium'] * serving_g / 100, then .idxmax()."
    )
    _done(f"{expected} gives {per_serving[expected]:.0f} mg of calcium per serving.")


def banana_rank_per_100g(answer) -> None:
    ranked = analysis.rank_foods(_data(), "potassium", "100 g", top=None)
    expected = int(ranked.at["banana", "rank"])
    per_serving = int(
        analysis.rank_foods(_data(), "potassium", "serving", top=None).at["banana", "rank"]
    )
    hint = (
        "That is its rank per serving; use the '100 g' basis."
        if answer == per_serving
        else "Rank by potassium per 100 g with the richest food as 1, then look up 'banana'."
    )
    _same_number(answer, expected, "the banana's rank per 100 g", hint)
    _done(f"per 100 g the banana ranks #{expected}; per serving it ranks #{per_serving}.")


def banana_grams_for_good_source(answer) -> None:
    per_gram = analysis.nutrient_matrix(_data()).at["banana", "potassium"] / 100
    dv = analysis.daily_values(_data())["potassium"]
    expected = analysis.GOOD_SOURCE_PCT / 100 * dv / per_gram
    _same_number(
        answer, expected, "the grams of banana giving 10% of the potassium DV",
        "10% of the DV in mg, divided by the mg of potassium in one gram of banana.",
        rel=1e-3,
    )  # fmt: skip
    _done(
        f"{expected:.0f} g of banana give 10% DV: more than a medium banana, less than the RACC."
    )


# 04_coverage
def excellent_for_three(answer) -> None:
    covered = analysis.coverage(_data(), analysis.EXCELLENT_SOURCE_PCT).drop(columns="sodium")
    count = covered.sum(axis=1)
    expected = sorted(count[count >= 3].index)
    _same_list(
        answer, expected, "the list of foods",
        "Use the 20% threshold, drop the sodium column, count True values per row (axis=1) "
        "and keep counts of 3 or more.",
    )  # fmt: skip
    _done(f"{len(expected)} foods are excellent sources of three or more cramp nutrients.")


def milk_for_a_woman_over_70(answer) -> None:
    target = analysis.intake_targets(_data(), "female_71_plus")["calcium"]
    milk = analysis.amounts(_data(), "serving").at["milk_lowfat", "calcium"]
    expected = milk / target * 100
    hint = (
        "Give a percentage: multiply the fraction by 100."
        if answer is not ... and answer is not None and abs(float(answer) * 100 - expected) < 0.5
        else f"One serving has {milk:.0f} mg; her RDA is {target:g} mg."
    )
    _same_number(answer, expected, "the percentage", hint, rel=1e-3)
    _done(f"one cup gives {expected:.0f}% of her {target:g} mg calcium target.")


def spinach_absorbed_per_serving(answer) -> None:
    expected = analysis.absorbed_calcium(_data(), "serving")["spinach_cooked"]
    _same_number(
        answer, expected, "the calcium absorbed from a household serving of cooked spinach",
        "Calcium per household serving times the fraction absorbed.", rel=1e-3,
    )  # fmt: skip
    _done(f"about {expected:.0f} mg of the cup's calcium is absorbed.")


# 06_checking_the_guide
def verdict_on_c26(answer) -> None:
    from cramplab import claims

    _answered(answer)
    claim = _data().guide_claims.set_index("claim_id").loc["C26"]
    evidence = claims.food_evidence(
        _data(), claim["foods"].split(";"), claim["nutrients"].split(";")
    )
    expected = claims.food_claim_verdict(evidence, claim["claimed_level"])
    assert answer in claims.VERDICTS, f"The verdict should be one of {claims.VERDICTS[:3]}."
    assert answer == expected, (
        "Not quite. Look at the 'level' column: the claim says 'rich in', so every food must be "
        "an excellent source for 'supported'; if at least one is a good source it is "
        "'partly_supported'."
    )
    short = evidence.loc[evidence["percent_dv"] < 20, "name"].tolist()
    _done(f"{expected}: below 20% DV per serving: {', '.join(short)}.")


def magnesium_claims_without_support(answer) -> None:
    from cramplab import claims

    verdicts = claims.verdicts(_data())
    about = (
        _data().guide_claims.set_index("claim_id")["nutrients"].str.contains("magnesium", na=False)
    )
    expected = sorted(
        verdicts.index[about & verdicts["verdict"].isin(["not_supported", "unsupported"])]
    )
    _same_list(
        answer, expected, "the list of claim ids",
        "Combine two masks with &: nutrients contains 'magnesium' (na=False) and the verdict is "
        "in ['not_supported', 'unsupported'].",
    )  # fmt: skip
    _done(f"{', '.join(expected)}: the magnesium claims without support.")


# 07_planning_a_day
def _a_menu_meeting_targets(answer):
    from cramplab.plan import Menu

    _answered(answer)
    assert isinstance(answer, Menu), (
        f"Store the Menu that plan.plan_menu(...) returns, not a {type(answer).__name__}."
    )
    short = answer.totals.index[answer.totals["total"] < answer.totals["target"] - 1e-9].tolist()
    assert not short, f"This menu misses the targets for {short}."
    assert answer.objective == "foods", "Solve with objective='foods' (the fewest distinct foods)."


def menu_without(answer, food_id: str) -> None:
    _a_menu_meeting_targets(answer)
    assert food_id not in answer.items.index, (
        f"{food_id} is still on the menu: pass exclude=[{food_id!r}] to plan.plan_menu."
    )
    _done(f"a {len(answer.items)}-food menu without {food_id} meets every target.")


def menu_within_calories(answer, kcal: float) -> None:
    _a_menu_meeting_targets(answer)
    total = answer.items["kcal"].sum()
    assert total <= kcal + 1e-9, (
        f"The menu has {total:.0f} kcal: pass limits={{'energy': {kcal:g}}} to plan.plan_menu."
    )
    _done(f"{len(answer.items)} foods, {total:.0f} kcal, and every target met.")
