"""Self-checks for notebook 01_the_data."""

from __future__ import annotations

from cramplab import analysis, units
from cramplab.checks.core import data, exercise, number, one_of, right, wrong

__all__ = ["foods_missing_vitamin_d", "fruit_richest_in_calcium", "sardines_vitamin_d_iu"]

# SR28 publishes vitamin D in µg to one decimal and in IU as a whole number (ABBREV.txt), so
# two IU figures for the same food agree if they differ by no more than half a step of each:
# 40 IU x 0.05 µg + 0.5 IU. SR28's own IU field is within this of 40 x its µg field.
SR28_VITAMIN_D_UG_STEP = 0.1
SR28_VITAMIN_D_IU_STEP = 1.0
SR28_VITAMIN_D_IU_TOLERANCE = (
    units.vitamin_d_ug_to_iu(SR28_VITAMIN_D_UG_STEP / 2) + SR28_VITAMIN_D_IU_STEP / 2
)


FRUIT_GROUP = "Fruits and Fruit Juices"


@exercise(name="answer_1_1")
def fruit_richest_in_calcium(answer) -> None:
    """Exercise 1.1: the food of the fruit group with the most calcium per 100 g."""
    wide = analysis.nutrient_matrix(data())
    foods = data().foods.set_index("food_id")
    fruit = foods.index[foods["food_group"] == FRUIT_GROUP]
    calcium = wide.loc[fruit, "calcium"]
    expected = calcium.idxmax()
    given = one_of(answer, wide.index, what="a food_id", allowed_name="the food_ids of data.foods")
    if given == wide["calcium"].idxmax():
        wrong("that leads every food; keep only the foods whose food_group is the fruit group.")
    if given not in fruit:
        wrong(f"{given!r} is not in the food group {FRUIT_GROUP!r}.")
    if given != expected:
        wrong(f"{given!r} is a fruit, but another fruit has more calcium per 100 g.")
    fortified = " (fortified: calcium added)" if foods.at[expected, "fortified"] else ""
    right(
        f"{foods.at[expected, 'name']}{fortified} has {calcium[expected]:g} mg per 100 g; "
        f"the next fruit has {calcium.drop(expected).max():g} mg."
    )


@exercise(name="answer_1_2")
def sardines_vitamin_d_iu(answer) -> None:
    """Exercise 1.2: canned sardines' vitamin D per 100 g, in IU."""
    wide = analysis.nutrient_matrix(data())
    per_100g = wide.at["sardines_canned", "vitamin_d"]
    serving_g = data().foods.set_index("food_id").at["sardines_canned", "serving_g"]
    expected = units.vitamin_d_ug_to_iu(per_100g)
    given = number(
        answer,
        expected,
        what="sardines' vitamin D in IU per 100 g",
        tol=SR28_VITAMIN_D_IU_TOLERANCE,
        hints=[
            (per_100g, "that is the amount in µg; the exercise asks for IU."),
            (units.vitamin_d_iu_to_ug(per_100g), "that divides; one µg is many IU, not less."),
            (units.per_serving(expected, serving_g), "that is per serving; give it per 100 g."),
        ],
        hint="Start from the µg per 100 g in the wide table and convert with 1 µg = 40 IU.",
    )
    why = f"{per_100g:g} µg \N{MULTIPLICATION SIGN} 40 IU per µg = {expected:g} IU per 100 g"
    if given != expected:
        why += (
            f"; {given:g} IU is the same amount within the precision SR28 publishes "
            "(µg to 0.1, IU to whole units), as in SR28's own IU field"
        )
    right(why + ".")


@exercise(name="answer_1_3")
def foods_missing_vitamin_d(answer) -> None:
    """Exercise 1.3: how many foods have no vitamin D value?"""
    wide = analysis.nutrient_matrix(data())
    vitamin_d = wide["vitamin_d"]
    missing = int(vitamin_d.isna().sum())
    zeros = int((vitamin_d == 0).sum())
    number(
        answer,
        missing,
        what="the number of foods with no vitamin D value",
        hints=[
            (0, "nothing equals NaN, not even NaN, so == cannot find the blanks."),
            (zeros, "that counts the zeros; a zero is a value SR28 gives. Count the blanks."),
            (
                zeros + missing,
                "that counts zeros as well as blanks; a zero is a value, not a blank.",
            ),
            (len(wide) - missing, "that counts the foods that have a value."),
            (int(wide.isna().sum().sum()), "that counts blanks in every nutrient."),
        ],
        hint="Look for the blanks (NaN) in the vitamin_d column of the wide table.",
    )
    right(
        f"{missing} of {len(wide)} foods have a blank for vitamin D: it was not analysed in "
        f"them. The {zeros} zeros are values SR28 gives, not blanks."
    )
