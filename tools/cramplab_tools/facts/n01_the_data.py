"""Facts stated in notebooks/01_the_data.ipynb."""

from cramplab import analysis, units
from cramplab_tools.facts import FACTS, Context, FactError


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


def _adult_ul(c: Context, nutrient_id: str) -> float:
    """The UL for adults (19 and over, men and women): one value in intake_references.csv."""
    refs = c.data.intake_references
    adults = refs[
        (refs["nutrient_id"] == nutrient_id)
        & refs["group"].isin(["males", "females"])
        & (refs["age_min"] >= 19)
    ]
    values = set(adults["ul"].dropna())
    if len(values) != 1:
        raise FactError(f"{nutrient_id}: the adult ULs are not one value ({sorted(values)})")
    return float(values.pop())


@FACTS.value("vitamin_d_adult_ul", "the adult UL for vitamin D, in µg (IOM 2011)")
def _(c: Context):
    return _adult_ul(c, "vitamin_d")


@FACTS.value("vitamin_d_adult_ul_iu", "the adult UL for vitamin D, in IU")
def _(c: Context):
    return units.vitamin_d_ug_to_iu(_adult_ul(c, "vitamin_d"))


@FACTS.claim(
    "vitamin_d_largest_relative_gap",
    "largest for vitamin D",
    "vitamin D has the most blanks of the cramp nutrients, so the largest gap relative to its mean",
)
def _(c: Context):
    missing = c.per_100g[analysis.cramp_nutrients(c.data)].isna().sum()
    return bool((missing.drop("vitamin_d") < missing["vitamin_d"]).all())


@FACTS.claim(
    "magnesium_raw_gap_larger",
    "magnesium's, in mg, is larger than vitamin D's, in µg, though fewer foods lack magnesium",
    "filling blanks with 0 moves magnesium's mean by more (mg) than vitamin D's (µg), though "
    "magnesium has fewer blanks",
)
def _(c: Context):
    gap = c.per_100g.mean() - c.per_100g.fillna(0).mean()
    missing = c.per_100g.isna().sum()
    return bool(
        gap["magnesium"] > gap["vitamin_d"] and missing["magnesium"] < missing["vitamin_d"]
    )
