"""Facts stated in notebooks/04_coverage.ipynb."""

from cramplab import analysis
from cramplab_tools.facts import FACTS, Context

HEADLINE_FOODS = ["banana", "almonds", "dark_chocolate", "spinach_cooked"]
FISH = "Finfish and Shellfish Products"


def _guide_foods(c: Context) -> list[str]:
    claims = c.data.guide_claims
    rows = claims[(claims["kind"] == "food_source") & (claims["check_against"] == "data")]
    return list(dict.fromkeys(rows["foods"].str.split(";").explode()))


def _nutrients(c: Context) -> list[str]:
    return [n for n in analysis.cramp_nutrients(c.data) if n != "sodium"]


def _guide_good_counts(c: Context):
    """Good sources per RACC (the course's "covers") among the guide's foods, per nutrient."""
    return analysis.coverage(c.data).loc[_guide_foods(c), _nutrients(c)].sum()


def _share(c: Context):
    return analysis.coverage(c.data)[_nutrients(c)].mean()


def _vitamin_d_sources(c: Context):
    covered = analysis.coverage(c.data)["vitamin_d"].fillna(False).astype(bool)
    return c.data.foods.set_index("food_id").loc[covered[covered].index]


def _calcium(c: Context, basis: str = "racc"):
    return analysis.calcium_absorption_table(c.data, basis)


def _name(c: Context, nutrient_id: str) -> str:
    return str(c.nutrients.at[nutrient_id, "name"]).lower().replace("vitamin b", "vitamin B")


@FACTS.value("guide_food_count", "foods named by the guide's food-source claims")
def _(c: Context):
    return len(_guide_foods(c))


@FACTS.value("gap_nutrient", "the cramp nutrient (not sodium) with fewest good sources among them")
def _(c: Context):
    return _name(c, _guide_good_counts(c).idxmin())


@FACTS.value("gap_count", "good sources per RACC of the gap nutrient among the guide's foods")
def _(c: Context):
    return int(_guide_good_counts(c).min())


@FACTS.value("vitamin_d_guide_count", "good sources of vitamin D among the guide's foods")
def _(c: Context):
    return int(_guide_good_counts(c)["vitamin_d"])


@FACTS.claim(
    "vitamin_d_not_the_gap",
    "not the gap among them",
    "some other nutrient has fewer good sources than vitamin D among the guide's foods",
)
def _(c: Context):
    counts = _guide_good_counts(c)
    return bool(counts.min() < counts["vitamin_d"])


@FACTS.claim(
    "headline_foods_not_excellent_for_two",
    "None of them is an excellent source of more than one",
    "banana, almonds, dark chocolate, cooked spinach: at most one excellent-source nutrient",
)
def _(c: Context):
    excellent = analysis.coverage(c.data, analysis.EXCELLENT_SOURCE_PCT)[_nutrients(c)]
    return bool(excellent.loc[HEADLINE_FOODS].sum(axis=1).max() <= 1)


@FACTS.value("least_covered", "the nutrient with the smallest share of good sources (all foods)")
def _(c: Context):
    return _name(c, _share(c).idxmin())


@FACTS.value("least_covered_share", "that nutrient's share of foods covering it", ".0%")
def _(c: Context):
    return float(_share(c).min())


@FACTS.value("vitamin_d_good_sources", "foods that are a good source of vitamin D per RACC")
def _(c: Context):
    return len(_vitamin_d_sources(c))


@FACTS.value("vitamin_d_fish_or_fortified", "of them, fish or fortified foods")
def _(c: Context):
    sources = _vitamin_d_sources(c)
    return int(((sources["food_group"] == FISH) | sources["fortified"]).sum())


@FACTS.claim(
    "vitamin_d_median_zero",
    "at least half of the foods give none",
    "the median %DV per RACC of vitamin D is 0",
)
def _(c: Context):
    return float(analysis.percent_dv(c.data, "racc")["vitamin_d"].median()) == 0


def _fraction(c: Context, food_id: str, column: str = "fraction") -> float:
    return float(analysis.absorption(c.data).at[food_id, column])


@FACTS.value("spinach_fraction", "fraction of spinach calcium absorbed (Heaney 1988)", ".1%")
def _(c: Context):
    return _fraction(c, "spinach_cooked")


@FACTS.value("spinach_study_milk", "milk's fraction in the spinach study", ".1%")
def _(c: Context):
    return _fraction(c, "spinach_cooked", "milk_fraction")


@FACTS.value("kale_fraction", "fraction of kale calcium absorbed (the table)", ".1%")
def _(c: Context):
    return _fraction(c, "kale_cooked")


@FACTS.value("kale_table_milk", "milk's fraction in the kale table", ".1%")
def _(c: Context):
    return _fraction(c, "kale_cooked", "milk_fraction")


@FACTS.claim(
    "kale_at_least_milk",
    "at least as well as milk's",
    "kale's fraction is no lower than milk's in the same table",
)
def _(c: Context):
    return _fraction(c, "kale_cooked") >= _fraction(c, "kale_cooked", "milk_fraction")


@FACTS.claim(
    "spinach_mostly_unavailable",
    "mostly unavailable",
    "spinach absorbs under a fifth as well as milk in the same study",
)
def _(c: Context):
    return _fraction(c, "spinach_cooked") < _fraction(c, "spinach_cooked", "milk_fraction") / 5


def _cell(c: Context, food_id: str, column: str, basis: str = "racc") -> float:
    return float(_calcium(c, basis).at[food_id, column])


@FACTS.value("spinach_calcium_racc", "calcium in a RACC of cooked spinach, mg", ".0f")
def _(c: Context):
    return _cell(c, "spinach_cooked", "calcium_mg")


@FACTS.value("spinach_absorbed_racc", "calcium absorbed from it, mg", ".0f")
def _(c: Context):
    return _cell(c, "spinach_cooked", "absorbed_mg")


@FACTS.value("kale_calcium_racc", "calcium in a RACC of cooked kale, mg", ".0f")
def _(c: Context):
    return _cell(c, "kale_cooked", "calcium_mg")


@FACTS.value("kale_absorbed_racc", "calcium absorbed from it, mg", ".0f")
def _(c: Context):
    return _cell(c, "kale_cooked", "absorbed_mg")


@FACTS.value("spinach_pct_racc", "cooked spinach calcium %DV per RACC, as printed", ".1f")
def _(c: Context):
    return analysis.shown_percent(_cell(c, "spinach_cooked", "percent_dv"))


@FACTS.value("spinach_equivalent", "its milk-equivalent calcium %DV per RACC, as printed", ".1f")
def _(c: Context):
    return analysis.shown_percent(_cell(c, "spinach_cooked", "milk_equivalent_pct_dv"))


@FACTS.value("kale_pct_racc", "cooked kale calcium %DV per RACC, as printed", ".1f")
def _(c: Context):
    return analysis.shown_percent(_cell(c, "kale_cooked", "percent_dv"))


@FACTS.value("kale_equivalent", "its milk-equivalent calcium %DV per RACC, as printed", ".1f")
def _(c: Context):
    return analysis.shown_percent(_cell(c, "kale_cooked", "milk_equivalent_pct_dv"))


@FACTS.claim(
    "greens_not_good_calcium_either_way",
    "neither green is a good source of calcium per RACC",
    "cooked spinach and kale are below 10% DV calcium per RACC, as content and milk-equivalent",
)
def _(c: Context):
    table = _calcium(c).loc[["spinach_cooked", "kale_cooked"]]
    values = table[["percent_dv", "milk_equivalent_pct_dv"]].to_numpy()
    return bool((values < analysis.GOOD_SOURCE_PCT).all())


def _claim_foods(c: Context, claim_id: str) -> list[str]:
    return c.data.guide_claims.set_index("claim_id").at[claim_id, "foods"].split(";")


@FACTS.value("calcium_claim_foods", "foods the guide's calcium claim (C25) names")
def _(c: Context):
    return len(_claim_foods(c, "C25"))


@FACTS.value("calcium_claim_no_figure", "of them, foods with no absorption figure")
def _(c: Context):
    figures = analysis.absorption(c.data).index
    return sum(food not in figures for food in _claim_foods(c, "C25"))


@FACTS.value("spinach_calcium_cup", "calcium in a cup of cooked spinach, mg", ".0f")
def _(c: Context):
    return _cell(c, "spinach_cooked", "calcium_mg", "serving")


@FACTS.value("spinach_cup_milk_mg", "a cup of spinach's calcium as milk calcium, mg", ".0f")
def _(c: Context):
    row = _calcium(c, "serving").loc["spinach_cooked"]
    return float(row["calcium_mg"] * row["fraction"] / row["milk_fraction"])


def _target(c: Context, life_stage: str, nutrient_id: str) -> float:
    return float(analysis.intake_targets(c.data, life_stage)[nutrient_id])


@FACTS.value("calcium_71", "calcium RDA of a woman over 70, mg")
def _(c: Context):
    return _target(c, "female_71_plus", "calcium")


@FACTS.value("vitamin_d_71", "vitamin D RDA of a woman over 70, µg")
def _(c: Context):
    return _target(c, "female_71_plus", "vitamin_d")


@FACTS.value("magnesium_pregnant_teen", "magnesium RDA in pregnancy at 14-18, mg")
def _(c: Context):
    return _target(c, "pregnancy_14_18", "magnesium")


@FACTS.value("calcium_pregnant_teen", "calcium RDA in pregnancy at 14-18, mg")
def _(c: Context):
    return _target(c, "pregnancy_14_18", "calcium")


@FACTS.claim("older_needs_more", "needs more", "a woman over 70 needs more calcium and vitamin D")
def _(c: Context):
    return all(
        _target(c, "female_71_plus", n) > _target(c, "female_19_30", n)
        for n in ("calcium", "vitamin_d")
    )


@FACTS.value("magnesium_girl_teen", "magnesium RDA of a girl of 14-18 who is not pregnant, mg")
def _(c: Context):
    return _target(c, "female_14_18", "magnesium")


@FACTS.value("calcium_19_30", "calcium RDA of a woman of 19-30, mg")
def _(c: Context):
    return _target(c, "female_19_30", "calcium")


@FACTS.claim(
    "teen_needs_more", "needs more", "pregnancy at 14-18 raises magnesium over a girl of 14-18"
)
def _(c: Context):
    return _target(c, "pregnancy_14_18", "magnesium") > _target(c, "female_14_18", "magnesium")


@FACTS.claim(
    "teen_calcium_from_age",
    "the same as that girl's",
    "calcium in pregnancy at 14-18 equals a girl's of 14-18, and is above a woman's of 19-30",
)
def _(c: Context):
    teen, girl = _target(c, "pregnancy_14_18", "calcium"), _target(c, "female_14_18", "calcium")
    return teen == girl > _target(c, "female_19_30", "calcium")


@FACTS.claim(
    "vitamin_d_other_sources",
    "the rest are cod liver oil, UV-exposed mushrooms and a milkshake",
    "the vitamin D good sources that are neither fish nor fortified",
)
def _(c: Context):
    sources = _vitamin_d_sources(c)
    rest = sources[~((sources["food_group"] == FISH) | sources["fortified"])]
    return set(rest.index) == {"cod_liver_oil", "mushrooms_crimini_uv", "milkshake_chocolate"}
