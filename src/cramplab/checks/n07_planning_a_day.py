"""Self-checks for notebook 07_planning_a_day."""

from __future__ import annotations

import functools

from cramplab import analysis, plan
from cramplab.checks.core import data, exercise, invalid, kind, number, right, same_items, wrong

__all__ = ["binding_targets", "menu_without", "retinol_in_a_day_of"]


@functools.cache
def _menu(life_stage: str | None) -> plan.Menu:
    # The cramp nutrients' rules: data/ records a complete day for a few life stages only.
    return plan.plan_menu(data(), life_stage=life_stage, rules="cramp")


@exercise(name="answer_7_1")
def binding_targets(answer, life_stage: str) -> None:
    """Exercise 7.1: the cramp nutrients whose target binds in a life stage's menu, planned
    for the cramp nutrients (rules="cramp")."""
    menu = _menu(life_stage)
    totals = menu.totals
    nutrients = analysis.cramp_nutrients(data())
    expected = sorted(n for n in nutrients if totals.at[n, "binds"] == "target")
    limits = sorted(n for n in totals.index if totals.at[n, "binds"] == "limit")
    loose = totals.index[totals["total"] <= totals["target"] * 1.10].tolist()
    same_items(
        answer,
        expected,
        what="the nutrients whose target binds",
        hints=[
            (lambda items: "energy" in items, "energy is the band, not a nutrient target."),
            (
                lambda items: bool(limits) and set(limits) <= set(items),
                "a limit that binds is not a target that binds; keep binds == 'target'.",
            ),
            (
                lambda items: set(items) == set(loose) - {"energy"},
                "that uses 10% to spare; a target binds with less than 5%.",
            ),
        ],
        hint="Keep the rows of the menu's totals whose binds column says 'target'.",
    )
    right(
        f"{', '.join(expected) or 'none'}: met with less than 5% to spare; raising any of "
        "them would change the menu."
    )


@functools.cache
def _menu_without(food_id: str) -> plan.Menu:
    return plan.plan_menu(data(), exclude=[food_id])


@exercise(name="answer_7_3")
def menu_without(answer, food_id: str) -> None:
    """Exercise 7.3: the default menu (Daily Values, no pattern) without one food."""
    if not isinstance(answer, plan.Menu):
        invalid(f"Expected the Menu that plan.plan_menu(...) returns, got {kind(answer)}.")
    expected = _menu_without(food_id)
    if answer.targets.life_stage != plan.DAILY_VALUES_STAGE:
        wrong(
            f"this menu is for {answer.targets.life_stage}; plan for the Daily Values (no "
            "life stage), as the default menu does."
        )
    if answer.patterns:
        wrong(
            f"this menu follows the {' and '.join(answer.patterns)} pattern; the default menu "
            "follows none."
        )
    if food_id in answer.items.index:
        wrong(f"{food_id} is still on the menu; plan_menu can leave foods out.")
    if answer.objective != expected.objective:
        wrong(f"this menu's objective is {answer.objective!r}; keep the default objective.")
    if answer.foods_considered != expected.foods_considered:
        wrong(f"this menu leaves out other foods as well; leave out {food_id} only.")
    same_limits = answer.targets.maximum.equals(expected.targets.maximum) and (
        answer.targets.energy == expected.targets.energy
    )
    if not same_limits:
        wrong("this menu changes a limit or the energy band; keep the default limits.")
    if not answer.items["portions"].equals(expected.items["portions"]):
        wrong("this menu's portions differ from the planner's; plan it with plan_menu alone.")
    right(
        f"{len(answer.items)} foods, {answer.kcal:,.0f} kcal; the menu {answer.claim()}, "
        f"without {food_id}: the planner found other sources for what it gave."
    )


@exercise(name="answer_7_2")
def retinol_in_a_day_of(answer, food_id: str) -> None:
    """Exercise 7.2: µg of retinol in a food's daily portion cap, beside the adult UL."""
    caps = data().portion_caps.set_index("food_id")
    grams = caps.at[food_id, "portion_g"] * caps.at[food_id, "max_portions"]
    per_100g = analysis.nutrient_matrix(data()).at[food_id, "retinol"]
    expected = per_100g * grams / 100
    limit = plan.targets_for(data()).maximum["retinol"]
    number(
        answer,
        expected,
        what=f"the retinol in a day's cap of {food_id}, in µg",
        rel=1e-3,
        hints=[
            (per_100g, "that is per 100 g; scale it to the grams of the daily cap."),
            (
                per_100g * caps.at[food_id, "portion_g"] / 100,
                "that is one portion; the cap is max_portions of them.",
            ),
            (expected / limit, "that is the share of the UL; the exercise asks for µg."),
        ],
        hint="Multiply retinol per 100 g by the cap's grams (portion_g x max_portions) / 100.",
    )
    right(
        f"{expected:,.0f} µg in {grams:g} g: {expected / limit:.1f} times the adult UL "
        f"({limit:,.0f} µg) from one food, which is why the planner tracks retinol."
    )
