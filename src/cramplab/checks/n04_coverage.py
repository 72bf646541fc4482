"""Self-checks for notebook 04_coverage."""

from __future__ import annotations

from cramplab import analysis
from cramplab.checks.core import data, exercise, number, right, same_items

__all__ = ["excellent_for_three", "milk_for_a_woman_over_70", "spinach_absorbed_per_serving"]


@exercise
def excellent_for_three(answer) -> None:
    """Exercise 4.1: foods that are an excellent source of three or more cramp nutrients."""
    excellent = analysis.coverage(data(), analysis.EXCELLENT_SOURCE_PCT)
    count = excellent.drop(columns="sodium").sum(axis=1)
    with_sodium = excellent.sum(axis=1)
    expected = sorted(count[count >= 3].index)
    good = analysis.coverage(data(), analysis.GOOD_SOURCE_PCT).drop(columns="sodium").sum(axis=1)
    same_items(
        answer,
        expected,
        what="the foods",
        hints=[
            (
                lambda items: set(items) == set(with_sodium[with_sodium >= 3].index),
                "that list counts sodium too; leave sodium out.",
            ),
            (
                lambda items: set(items) == set(good[good >= 3].index),
                "that list uses the good-source threshold (10% DV); use 20% DV.",
            ),
        ],
        hint="Count, per food, the nutrients other than sodium it is an excellent source of.",
    )
    right(f"{len(expected)} foods are excellent sources of three or more cramp nutrients.")


@exercise
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
        rel=1e-3,
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


@exercise
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
        rel=1e-3,
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
