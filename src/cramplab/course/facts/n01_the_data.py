"""Facts stated in notebooks/01_the_data.ipynb."""

from cramplab import units
from cramplab.course.facts import FACTS, Context


@FACTS.value("food_count", "foods in foods.csv")
def _(c: Context):
    return len(c.data.foods)


@FACTS.value("long_table_columns", "columns of the long table food_nutrients.csv")
def _(c: Context):
    return c.data.food_nutrients.shape[1]


@FACTS.value("vitamin_d_dv", "the FDA Daily Value for vitamin D, in µg", ".0f")
def _(c: Context):
    return c.daily_value("vitamin_d")


@FACTS.value("vitamin_d_dv_iu", "the vitamin D Daily Value in IU", ".0f")
def _(c: Context):
    return units.vitamin_d_ug_to_iu(c.daily_value("vitamin_d"))


@FACTS.claim(
    "vitamin_d_missing_most",
    "far more often than the minerals",
    "vitamin D lacks an SR28 value more than twice as often as any mineral",
)
def _(c: Context):
    missing = c.per_100g.isna().sum()
    minerals = c.nutrients.index[c.nutrients["kind"] == "electrolyte"]
    return missing["vitamin_d"] > 2 * missing[minerals].max()


@FACTS.claim(
    "sodium_has_no_blanks",
    "none at all for a nutrient without blanks such as sodium",
    "sodium has a value for every food",
)
def _(c: Context):
    return not c.per_100g["sodium"].isna().any()
