"""Self-checks for notebook 03_food_sources."""

from __future__ import annotations

from cramplab import analysis
from cramplab.checks.core import data, exercise, number, one_of, right, wrong

__all__ = [
    "banana_grams_for_good_source",
    "banana_rank_per_100g",
    "potassium_leader_per_serving",
]


@exercise(name="answer_3_1")
def potassium_leader_per_serving(answer) -> None:
    """Exercise 3.1: the food_id with the most potassium per household serving."""
    per_serving = analysis.amounts(data(), "serving")["potassium"]
    per_100g = analysis.nutrient_matrix(data())["potassium"]
    expected = per_serving.idxmax()
    given = one_of(
        answer, per_serving.index, what="a food_id", allowed_name="the food_ids of data.foods"
    )
    if given != expected:
        if given == per_100g.idxmax():
            wrong("that is the leader per 100 g; scale each food to its household serving first.")
        wrong(f"{given!r} is not the food with the most potassium per serving.")
    right(
        f"{expected} gives {per_serving[expected]:.0f} mg of potassium per serving; "
        f"per 100 g {per_100g.idxmax()} leads, but nobody eats 100 g of it."
    )


@exercise(name="answer_3_3")
def banana_rank_per_100g(answer) -> None:
    """Exercise 3.3: the banana's potassium rank per 100 g (1 = richest)."""
    ranked = analysis.rank_foods(data(), "potassium", "100 g", top=None)
    expected = int(ranked.at["banana", "rank"])
    per_serving = int(
        analysis.rank_foods(data(), "potassium", "serving", top=None).at["banana", "rank"]
    )
    number(
        answer,
        expected,
        what="the banana's rank per 100 g",
        hints=[
            (per_serving, "that is its rank per serving; use the '100 g' basis."),
            (expected - 1, "ranks start at 1 for the richest food, not at 0."),
        ],
        hint="Rank the foods by potassium per 100 g, the richest first, and find the banana.",
    )
    right(f"per 100 g the banana ranks #{expected}; per serving it ranks #{per_serving}.")


@exercise(name="answer_3_2")
def banana_grams_for_good_source(answer) -> None:
    """Exercise 3.2: grams of banana that give exactly 10% of the potassium Daily Value."""
    per_gram = analysis.nutrient_matrix(data()).at["banana", "potassium"] / 100
    daily_value = analysis.daily_values(data())["potassium"]
    expected = analysis.GOOD_SOURCE_PCT / 100 * daily_value / per_gram
    grams = {
        basis: analysis.serving_grams(data(), basis)["banana"] for basis in ("serving", "racc")
    }
    number(
        answer,
        expected,
        what="the grams of banana that give 10% of the potassium Daily Value",
        decimals=0,  # the message rounds to the gram: 131 is right
        hints=[
            (
                grams["racc"],
                "that is the reference amount; find the grams where %DV is exactly 10.",
            ),
            (grams["serving"], "that is a medium banana; find the grams where %DV is exactly 10."),
            (expected * 100, "divide the mg of potassium by 100 g to get mg per gram first."),
        ],
        hint="Take 10% of the Daily Value in mg, then divide by the mg of potassium per gram.",
    )
    right(
        f"about {expected:.0f} g of banana give 10% DV: more than a medium banana "
        f"({grams['serving']:.0f} g), less than the reference amount ({grams['racc']:.0f} g)."
    )
