"""Self-checks for notebook 04_coverage."""

from __future__ import annotations

from cramplab import analysis
from cramplab.checks.core import data, exercise, number, right, same_items

__all__ = [
    "guide_foods_covering_none",
    "milk_for_a_woman_over_70",
    "spinach_absorbed_per_serving",
]


@exercise(name="answer_4_1")
def guide_foods_covering_none(answer) -> None:
    """Exercise 4.1: foods the guide names that cover no cramp nutrient (sodium left out)."""
    covers = analysis.coverage(data())
    named = data().foods.loc[data().foods["guide_named"], "food_id"]
    mine = covers.loc[named]
    expected = sorted(mine.index[~mine.drop(columns="sodium").any(axis=1)])
    with_sodium = sorted(mine.index[~mine.any(axis=1)])
    every_food = sorted(covers.index[~covers.drop(columns="sodium").any(axis=1)])
    same_items(
        answer,
        expected,
        what="the foods",
        hints=[
            (
                lambda items: set(items) == set(with_sodium),
                "that list counts sodium; leave it out.",
            ),
            (
                lambda items: set(items) == set(every_food),
                "that list takes every food; keep the foods the guide names (guide_named).",
            ),
            (
                lambda items: bool(set(items) - set(named)),
                "some of these are not named by the guide (guide_named is False).",
            ),
        ],
        hint="Keep the guide's foods, drop sodium, then the rows where no nutrient is covered.",
    )
    right(
        f"{len(expected)} of the guide's {len(named)} foods give no cramp nutrient 10% DV per "
        "reference amount: drinks, fats and, per its small reference amount, the avocado."
    )


@exercise(name="answer_4_4")
def milk_for_a_woman_over_70(answer) -> None:
    """Exercise 4.4: % of a woman over 70's calcium target in one serving of lowfat milk."""
    target = analysis.intake_targets(data(), "female_71_plus")["calcium"]
    milk = analysis.amounts(data(), "serving").at["milk_lowfat", "calcium"]
    daily_value = analysis.daily_values(data())["calcium"]
    expected = milk / target * 100
    number(
        answer,
        expected,
        what="the percentage of her calcium target",
        decimals=0,  # the message rounds to a whole percent: 25 is right
        percent=True,
        hints=[
            (
                milk / daily_value * 100,
                "that is the percentage of the Daily Value; use her own target (RDA).",
            )
        ],
        hint="Compare one serving of milk with the calcium target of female_71_plus.",
    )
    right(f"one cup gives {expected:.0f}% of her {target:g} mg calcium target.")


@exercise(name="answer_4_2")
def spinach_absorbed_per_serving(answer) -> None:
    """Exercise 4.2: mg of calcium absorbed from one household serving of cooked spinach."""
    expected = analysis.absorbed_calcium(data(), "serving")["spinach_cooked"]
    content = analysis.amounts(data(), "serving").at["spinach_cooked", "calcium"]
    per_racc = analysis.absorbed_calcium(data(), "racc")["spinach_cooked"]
    figures = analysis.absorption(data()).loc["spinach_cooked"]
    number(
        answer,
        expected,
        what="the calcium absorbed from a cup of cooked spinach, in mg",
        decimals=0,  # the message rounds to the mg
        hints=[
            (content, "that is the calcium in the cup; only a fraction of it is absorbed."),
            (per_racc, "that is per reference amount; the exercise asks per household serving."),
            (
                content * figures["milk_fraction"],
                "that uses milk's fraction; use spinach's own (column fraction).",
            ),
        ],
        hint="Multiply the calcium in one household serving by spinach's fraction absorbed.",
    )
    right(
        f"about {expected:.0f} mg of the cup's {content:.0f} mg is absorbed "
        f"({figures['fraction']:.1%} against {figures['milk_fraction']:.1%} for milk)."
    )
