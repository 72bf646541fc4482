"""Facts stated in notebooks/03_food_sources.ipynb."""

from functools import cache

from cramplab import analysis
from cramplab_tools.facts import FACTS, Context, FactError


def _grams(c: Context, basis: str, food_id: str) -> float:
    return float(analysis.serving_grams(c.data, basis)[food_id])


def _shown(c: Context, basis: str, food_id: str, nutrient_id: str) -> float:
    """%DV as the course prints it (never rounded up onto a claim threshold)."""
    return analysis.shown_percent(analysis.percent_dv(c.data, basis).at[food_id, nutrient_id])


def _level(c: Context, basis: str, food_id: str, nutrient_id: str) -> str:
    percent = analysis.percent_dv(c.data, basis).at[food_id, nutrient_id]
    return analysis.claim_level([percent]).iloc[0]


def _top(c: Context, basis: str, nutrient_id: str, n: int) -> list[str]:
    return list(analysis.amounts(c.data, basis)[nutrient_id].nlargest(n).index)


@cache
def _guide_pairs(c: Context) -> set[tuple[str, str]]:
    """(food_id, nutrient_id) for every food and nutrient a food-source claim names."""
    claims = c.data.guide_claims
    rows = claims[(claims["kind"] == "food_source") & (claims["check_against"] == "data")]
    return {
        (food, nutrient)
        for foods, nutrients in zip(rows["foods"], rows["nutrients"], strict=True)
        for food in foods.split(";")
        for nutrient in nutrients.split(";")
    }


def _changes(c: Context):
    nutrients = [n for n in analysis.cramp_nutrients(c.data) if n != "sodium"]
    return analysis.basis_changes(c.data, ("serving", "racc"), nutrients)


@FACTS.value("banana_serving_g", "grams in SR28's medium banana (the household serving)", ".0f")
def _(c: Context):
    return _grams(c, "serving", "banana")


@FACTS.value("almond_serving_g", "grams in the almonds' household serving (1 oz)", ".0f")
def _(c: Context):
    return _grams(c, "serving", "almonds")


@FACTS.value("basil_tsp_g", "grams in a teaspoon of dried basil (SR28)", ".1f")
def _(c: Context):
    return _grams(c, "serving", "basil_dried")


@FACTS.claim("basil_leads_per_100g", "dried basil comes first", "basil leads magnesium per 100 g")
def _(c: Context):
    return _top(c, "100 g", "magnesium", 1) == ["basil_dried"]


@FACTS.claim(
    "seeds_and_greens_lead_per_serving",
    "hemp seeds, cooked spinach and pumpkin seeds lead",
    "the top three for magnesium per household serving",
)
def _(c: Context):
    return _top(c, "serving", "magnesium", 3) == ["hemp_seeds", "spinach_cooked", "pumpkin_seeds"]


@FACTS.claim(
    "greens_lead_per_kcal",
    "leafy greens take the first three places",
    "chard and spinach lead magnesium per 100 kcal",
)
def _(c: Context):
    greens = {"swiss_chard_cooked", "spinach_cooked", "spinach_raw"}
    return set(_top(c, "100 kcal", "magnesium", 3)) == greens


@FACTS.claim(
    "coffee_tea_top_potassium_per_kcal",
    "brewed coffee and tea top the potassium list",
    "coffee and tea are the two leaders for potassium per 100 kcal",
)
def _(c: Context):
    return set(_top(c, "100 kcal", "potassium", 2)) == {"coffee_brewed", "tea_black"}


@FACTS.value("banana_label_g", "grams in SR28's NLEA (label) serving of banana", ".0f")
def _(c: Context):
    return _grams(c, "label", "banana")


@FACTS.value("banana_racc_g", "the banana's reference amount (RACC), in grams", ".0f")
def _(c: Context):
    return _grams(c, "racc", "banana")


@FACTS.value("banana_potassium_100g", "potassium in 100 g of banana, mg", ".0f")
def _(c: Context):
    return float(c.per_100g.at["banana", "potassium"])


@FACTS.value("banana_serving_pct", "banana potassium %DV per medium fruit, as printed", ".1f")
def _(c: Context):
    return _shown(c, "serving", "banana", "potassium")


@FACTS.value("banana_label_pct", "banana potassium %DV per label serving, as printed", ".1f")
def _(c: Context):
    return _shown(c, "label", "banana", "potassium")


@FACTS.value("banana_racc_pct", "banana potassium %DV per RACC, as printed", ".1f")
def _(c: Context):
    return _shown(c, "racc", "banana", "potassium")


@FACTS.claim("banana_good_per_racc", "a good source", "banana: good source of K per RACC")
def _(c: Context):
    return _level(c, "racc", "banana", "potassium") == "good source"


@FACTS.claim(
    "banana_neither_per_fruit",
    "it is not",
    "banana: not a good source of K per medium fruit, nor per label serving",
)
def _(c: Context):
    return {_level(c, b, "banana", "potassium") for b in ("serving", "label")} == {"neither"}


@FACTS.claim(
    "banana_label_prints_ten",
    "10%",
    "a label would print the banana's potassium per label serving as 10%",
)
def _(c: Context):
    from cramplab import units

    percent = analysis.percent_dv(c.data, "label").at["banana", "potassium"]
    return units.label_percent_dv(percent, "potassium") == 10 and percent < 10


@FACTS.value("potassium_foods_ranked", "foods with a potassium value per RACC")
def _(c: Context):
    return int(analysis.percent_dv(c.data, "racc")["potassium"].notna().sum())


@FACTS.value("banana_rank_racc", "the banana's rank for potassium per RACC")
def _(c: Context):
    return int(analysis.rank_foods(c.data, "potassium", "racc", top=None).at["banana", "rank"])


@FACTS.claim(
    "no_excellent_potassium",
    "No food in the package",
    "no food is an excellent source of potassium per RACC",
)
def _(c: Context):
    percent = analysis.percent_dv(c.data, "racc")["potassium"].dropna()
    return bool((percent < analysis.EXCELLENT_SOURCE_PCT).all())


@FACTS.value("guide_potassium_good", "the guide's potassium foods that are good sources per RACC")
def _(c: Context):
    foods = [f for f, n in _guide_pairs(c) if n == "potassium"]
    levels = analysis.claim_levels(c.data, "racc").loc[foods, "potassium"]
    return int((levels == "good source").sum() + (levels == "excellent source").sum())


@FACTS.value("guide_potassium_foods", "foods the guide names for potassium")
def _(c: Context):
    return len({f for f, n in _guide_pairs(c) if n == "potassium"})


@FACTS.value("changes_all", "food-nutrient pairs whose claim word changes with the basis")
def _(c: Context):
    return len(_changes(c))


@FACTS.value("changes_all_foods", "foods with at least one claim word that changes")
def _(c: Context):
    return int(_changes(c)["food_id"].nunique())


@FACTS.value("changes_guide", "claimed pairs of the guide whose word changes with the basis")
def _(c: Context):
    changes = _changes(c)
    pairs = set(zip(changes["food_id"], changes["nutrient_id"], strict=True))
    return len(pairs & _guide_pairs(c))


@FACTS.claim(
    "flip_examples",
    "the avocado, cooked spinach, flaxseed and dried apricots",
    "each of these foods has a claim word that changes between serving and RACC",
)
def _(c: Context):
    foods = set(_changes(c)["food_id"])
    return {"avocado", "spinach_cooked", "flaxseed", "dried_apricots"} <= foods


@FACTS.claim(
    "apricots_excellent_to_neither",
    "from excellent source to neither",
    "dried apricots: potassium excellent per cup, neither per RACC",
)
def _(c: Context):
    levels = (_level(c, b, "dried_apricots", "potassium") for b in ("serving", "racc"))
    return tuple(levels) == ("excellent source", "neither")


def _dropped(c: Context, food_id: str, direction: int) -> bool:
    order = {level: rank for rank, level in enumerate(reversed(analysis.LEVELS))}
    rows = _changes(c)
    rows = rows[rows["food_id"] == food_id]
    moves = rows["level_racc"].map(order) - rows["level_serving"].map(order)
    return bool(len(rows)) and bool(((moves * direction) > 0).all())


@FACTS.claim(
    "cooked_greens_drop",
    "drop",
    "cooked spinach and collards: every changed word is lower per RACC",
)
def _(c: Context):
    return _dropped(c, "spinach_cooked", -1) and _dropped(c, "collards_cooked", -1)


@FACTS.claim("small_servings_rise", "rise", "raw spinach and flaxseed: every changed word rises")
def _(c: Context):
    return _dropped(c, "spinach_raw", 1) and _dropped(c, "flaxseed", 1)


@FACTS.claim(
    "avocado_nothing_per_racc",
    "a good source of none of the cramp nutrients",
    "the avocado is not a good source of any cramp nutrient per RACC",
)
def _(c: Context):
    nutrients = analysis.cramp_nutrients(c.data)
    levels = analysis.claim_levels(c.data, "racc").loc["avocado", nutrients]
    return bool((levels == "neither").all())


@FACTS.claim(
    "collards_calcium_two_levels",
    "two levels for calcium, from excellent source to neither",
    "boiled collards: calcium excellent per household serving, neither per RACC",
)
def _(c: Context):
    levels = (_level(c, b, "collards_cooked", "calcium") for b in ("serving", "racc"))
    return tuple(levels) == ("excellent source", "neither")


@FACTS.value("spinach_raw_serving_g", "grams in raw spinach's household serving (1 cup)", ".0f")
def _(c: Context):
    return _grams(c, "serving", "spinach_raw")


@FACTS.value("flaxseed_serving_g", "grams in flaxseed's household serving (1 tbsp)", ".1f")
def _(c: Context):
    return _grams(c, "serving", "flaxseed")


def _potassium_list(c: Context) -> list[str]:
    """The foods of the guide's own potassium list: claim C24, about potassium alone."""
    claims = c.data.guide_claims.set_index("claim_id")
    if "C24" not in claims.index or claims.at["C24", "nutrients"] != "potassium":
        raise FactError("claim C24 is no longer the guide's potassium list")
    return claims.at["C24", "foods"].split(";")


@FACTS.value("guide_potassium_list_foods", "foods in the guide's potassium list (claim C24)")
def _(c: Context):
    return len(_potassium_list(c))


@FACTS.value(
    "guide_potassium_list_good", "foods of claim C24 that are good sources of potassium per RACC"
)
def _(c: Context):
    levels = analysis.claim_levels(c.data, "racc").loc[_potassium_list(c), "potassium"]
    return int(levels.isin(["good source", "excellent source"]).sum())


def _categories(c: Context):
    return c.data.reference_amounts.set_index("racc_category")["confirmation"]


@FACTS.value("racc_categories", "reference-amount categories in reference_amounts.csv")
def _(c: Context):
    return len(_categories(c))


@FACTS.value(
    "racc_not_confirmed",
    "reference-amount categories seen only in a transcription (confirmation: not confirmed)",
)
def _(c: Context):
    return int((_categories(c) == "not confirmed").sum())


@FACTS.value("racc_not_confirmed_foods", "foods whose reference amount is not confirmed")
def _(c: Context):
    confirmation = c.data.foods["racc_category"].map(_categories(c))
    return int((confirmation == "not confirmed").sum())


@FACTS.claim(
    "guide_potassium_list_not_rich",
    'none is the "rich" source it claims',
    "no food of claim C24 is an excellent source of potassium per RACC",
)
def _(c: Context):
    levels = analysis.claim_levels(c.data, "racc").loc[_potassium_list(c), "potassium"]
    return not (levels == "excellent source").any()


@FACTS.claim(
    "guide_potassium_none_excellent",
    "none is an excellent one",
    "no food named in a guide claim about potassium is an excellent source of it per RACC",
)
def _(c: Context):
    foods = [f for f, n in _guide_pairs(c) if n == "potassium"]
    levels = analysis.claim_levels(c.data, "racc").loc[foods, "potassium"]
    return not (levels == "excellent source").any()
