"""Self-checks for notebook 01_the_data."""

from __future__ import annotations

from cramplab import analysis, units
from cramplab.checks.core import data, exercise, number, right

__all__ = ["foods_missing_vitamin_d", "sardines_vitamin_d_iu", "wide_table_cells"]

# SR28 publishes vitamin D in µg to one decimal and in IU as a whole number (ABBREV.txt), so
# two IU figures for the same food agree if they differ by no more than half a step of each:
# 40 IU x 0.05 µg + 0.5 IU. SR28's own IU field is within this of 40 x its µg field.
SR28_VITAMIN_D_UG_STEP = 0.1
SR28_VITAMIN_D_IU_STEP = 1.0
SR28_VITAMIN_D_IU_TOLERANCE = (
    units.vitamin_d_ug_to_iu(SR28_VITAMIN_D_UG_STEP / 2) + SR28_VITAMIN_D_IU_STEP / 2
)


@exercise
def wide_table_cells(answer) -> None:
    """Exercise 1.1: how many cells (empty ones included) does the wide table have?"""
    wide = analysis.nutrient_matrix(data())
    rows, columns = wide.shape
    long_rows = len(data().food_nutrients)
    number(
        answer,
        rows * columns,
        what="the number of cells in the wide table",
        hints=[
            (rows, "that is the number of rows (foods); each row has one cell per column."),
            (columns, "that is the number of columns (nutrients); each has one cell per food."),
            (int(wide.notna().sum().sum()), "that leaves out the empty cells; count them too."),
        ],
        hint="A table has one cell for each row and column.",
    )
    same = (
        "the same as the number of rows of the long table: one value per row there, one per cell"
        if long_rows == rows * columns
        else f"while the long table has {long_rows:,} rows"
    )
    right(
        f"{rows} foods \N{MULTIPLICATION SIGN} {columns} nutrients = {rows * columns:,} cells, {same} here."
    )


@exercise
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


@exercise
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
