"""Facts stated in notebooks/07_planning_a_day.ipynb.

The menus are planned once per Context (a dict kept on it), with the same calls the notebook
makes, so a sentence about a menu is checked against the menu the notebook shows.
"""

from __future__ import annotations

from cramplab import analysis, diets, plan
from cramplab_tools.facts import FACTS, Context

TODDLER = "child_1_3"
TEEN = "pregnancy_14_18"
CHILD = "child_4_8"


def _menus(c: Context) -> dict:
    if not hasattr(c, "_n07_menus"):
        c._n07_menus = {}
    return c._n07_menus


def _plan(c: Context, key: str, **settings):
    menus = _menus(c)
    if key not in menus:
        try:
            menus[key] = plan.plan_menu(c.data, **settings)
        except plan.NoMenuPossible as error:
            menus[key] = error
    return menus[key]


def default(c: Context) -> plan.Menu:
    return _plan(c, "default")


def vegan(c: Context) -> plan.Menu:
    return _plan(c, "vegan", patterns=("vegan",))


def teen(c: Context) -> plan.Menu:
    return _plan(c, "teen", life_stage=TEEN)


def child(c: Context) -> plan.Menu:
    return _plan(c, "child", life_stage=CHILD)


def vegan_unfortified(c: Context) -> plan.NoMenuPossible:
    fortified = plan.excluded_foods(c.data, flags=("fortified",))
    return _plan(c, "vegan_unfortified", patterns=("vegan",), exclude=fortified)


def _d_sources(c: Context):
    foods = c.data.foods.set_index("food_id")
    fish = c.data.food_attributes.set_index("food_id")["fish_advice"].notna()
    return foods.index[foods["fortified"] | fish.reindex(foods.index) | foods.index.str.contains("_uv")]  # fmt: skip


def toddler(c: Context, tracked: bool):
    limits = {} if tracked else {"retinol": float("inf")}
    return _plan(
        c, f"toddler_{tracked}", life_stage=TODDLER, exclude=_d_sources(c),
        portions={"cod_liver_oil": 1}, limits=limits, rules="cramp",
    )  # fmt: skip


def _retinol(c: Context, food_id: str, grams: float) -> float:
    return float(c.per_100g.at[food_id, "retinol"] * grams / 100)


def _ul(c: Context, life_stage: str) -> float:
    limits = c.data.upper_limits.set_index(["nutrient_id", "life_stage"])["ul"]
    return float(limits["retinol", life_stage])


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _name(c: Context, nutrient_id: str) -> str:
    name = c.nutrients.at[nutrient_id, "name"]
    return name[0].lower() + name[1:]  # mid-sentence: "vitamin D", "potassium"


def binding_targets(c: Context, menu: plan.Menu) -> list[str]:
    """Every nutrient target of the menu that binds (not only the cramp nutrients')."""
    return [n for n in menu.targets.minimum.index if menu.totals.at[n, "binds"] == "target"]


def _any_name(c: Context, nutrient_id: str) -> str:
    """A nutrient's name mid-sentence, from nutrients.csv or dri_nutrients.csv; a food group
    of the pattern ("group:protein_foods") as "protein foods"."""
    if nutrient_id.startswith("group:"):
        return nutrient_id.removeprefix("group:").replace("_", " ")
    if nutrient_id in c.nutrients.index:
        return _name(c, nutrient_id)
    name = c.data.dri_nutrients.set_index("nutrient_id").at[nutrient_id, "name"]
    return name if name[:2].isupper() else name[0].lower() + name[1:]


# --- the rules ------------------------------------------------------------------------------


@FACTS.value("cod_liver_oil_tbsp_retinol", "µg retinol in SR28's household measure of cod liver oil")  # fmt: skip
def _(c: Context):
    foods = c.data.foods.set_index("food_id")
    return round(_retinol(c, "cod_liver_oil", foods.at["cod_liver_oil", "serving_g"]))


@FACTS.value("adult_retinol_ul", "the UL for preformed vitamin A of adults, µg")
def _(c: Context):
    return _ul(c, "female_19_30")


@FACTS.value("adult_magnesium_ul", "the adult UL for magnesium (supplements only), mg")
def _(c: Context):
    refs = c.data.intake_references
    return float(refs.loc[(refs["nutrient_id"] == "magnesium") & (refs["life_stage"] == "female_19_30"), "ul"].iloc[0])  # fmt: skip


@FACTS.value("binding_margin", "the margin within which a constraint binds", ".0%")
def _(c: Context):
    return plan.BINDING_MARGIN


@FACTS.value("attributes_by_rule", "foods whose attributes the keyword rule decides")
def _(c: Context):
    return int((c.data.food_attributes["decided_by"] == "rule").sum())


# --- the default menu ------------------------------------------------------------------------


@FACTS.value("default_food_count", "foods in the default menu", "words")
def _(c: Context):
    return len(default(c).items)


@FACTS.value("default_kcal", "kcal of the default menu", ",.0f")
def _(c: Context):
    return default(c).kcal


@FACTS.value("default_binding_targets", "the targets that bind in the default menu")
def _(c: Context):
    return _join([_any_name(c, n) for n in binding_targets(c, default(c))])


@FACTS.value("dri_target_count", "nutrient targets of the default menu (every DRI SR28 gives)")
def _(c: Context):
    return len(default(c).targets.minimum)


@FACTS.value("not_tracked_count", "nutrients with a DRI that SR28 does not give", "words")
def _(c: Context):
    return len(default(c).targets.not_tracked)


@FACTS.value("default_limit_count", "limits the default menu was planned within")
def _(c: Context):
    return plan.limit_count(default(c))


@FACTS.value("pattern_shortfall", "how far short of a food-group amount a menu may fall", ".0%")
def _(c: Context):
    return plan.PATTERN_SHORTFALL


@FACTS.value("pattern_excess", "how far over a food-group amount a menu may go", ".0%")
def _(c: Context):
    return plan.PATTERN_EXCESS


@FACTS.value("energy_spread", "how far energy may stray from the pattern's level", ".0%")
def _(c: Context):
    return plan.ENERGY_SPREAD


@FACTS.value("complete_day_stage_count", "life stages with a complete day recorded (not the DVs)")
def _(c: Context):
    return len([s for s in plan.complete_day_stages(c.data) if s != plan.DAILY_VALUES_STAGE])


@FACTS.value("default_pattern_kcal", "the pattern level of the default menu, kcal", ",.0f")
def _(c: Context):
    return default(c).targets.pattern_kcal


@FACTS.value("teen_pattern_kcal", "the pattern level of the pregnant teen's menu, kcal", ",.0f")
def _(c: Context):
    return teen(c).targets.pattern_kcal


@FACTS.value("child_pattern_kcal", "the pattern level of the child's menu, kcal", ",.0f")
def _(c: Context):
    return child(c).targets.pattern_kcal


@FACTS.value("missing_limited_count", "foods left out for a missing limited nutrient")
def _(c: Context):
    return default(c).excluded["energy or a limited nutrient missing"]


@FACTS.value("default_saturated_fat", "saturated fat in the default menu, % of energy", ".1f")
def _(c: Context):
    return float(default(c).shares.at["saturated_fat", "percent"])


@FACTS.value("default_foods_at_cap", "foods of the default menu at their cap", "words")
def _(c: Context):
    return int(default(c).items["at_cap"].sum())


@FACTS.value("default_potassium", "mg potassium in the default menu", ",.0f")
def _(c: Context):
    return float(default(c).totals.at["potassium", "total"])


@FACTS.value("default_sodium", "mg sodium in the default menu", ",.0f")
def _(c: Context):
    return float(default(c).totals.at["sodium", "total"])


# --- vegan -----------------------------------------------------------------------------------


@FACTS.claim(
    "vegan_b12_fortified",
    "almost entirely from a fortified food",
    "at least 95% of the vegan menu's vitamin B12 comes from fortified foods",
)
def _(c: Context):
    menu = vegan(c)
    fortified = c.data.foods.set_index("food_id")["fortified"].loc[menu.items.index]
    b12 = c.per_100g.loc[menu.items.index, "vitamin_b12"].fillna(0) * menu.items["grams"]
    return bool(b12[fortified].sum() >= 0.95 * b12.sum() > 0)


@FACTS.value("attribute_count", "the attributes a food is labelled with", "words")
def _(c: Context):
    return sum(c.data.food_attributes[a].dtype == bool for a in diets.ATTRIBUTES)


@FACTS.value("vegan_unfortified_b12_reach", "µg B12 a vegan menu without fortified foods reaches")
def _(c: Context):
    error = vegan_unfortified(c)
    assert isinstance(error, plan.NoMenuPossible) and "vitamin_b12" in error.nutrients
    return float(error.reach["vitamin_b12"])


@FACTS.value("vegan_unfortified_others", "the other targets a vegan menu without fortified foods misses")  # fmt: skip
def _(c: Context):
    error = vegan_unfortified(c)
    return _join([_any_name(c, n) for n in error.nutrients if n != "vitamin_b12"])


@FACTS.value("b12_dv", "the Daily Value for vitamin B12, µg")
def _(c: Context):
    return c.daily_value("vitamin_b12")


@FACTS.claim("b12_no_ul", "no UL for vitamin B12", "no life stage has a UL for vitamin B12")
def _(c: Context):
    refs = c.data.intake_references
    return bool(refs.loc[refs["nutrient_id"] == "vitamin_b12", "ul"].isna().all())


# --- the vitamin A trap ------------------------------------------------------------------------


@FACTS.value("toddler_retinol_ul", "the UL for preformed vitamin A at ages 1-3, µg")
def _(c: Context):
    return _ul(c, TODDLER)


@FACTS.value("cod_liver_oil_half_tsp_retinol", "µg retinol in half a teaspoon of cod liver oil")
def _(c: Context):
    caps = c.data.portion_caps.set_index("food_id")
    return round(_retinol(c, "cod_liver_oil", caps.at["cod_liver_oil", "portion_g"] / 2))


@FACTS.value("toddler_untracked_retinol", "µg retinol in the toddler's menu without the limit", ",.0f")  # fmt: skip
def _(c: Context):
    return float(toddler(c, tracked=False).totals.at["retinol", "total"])


@FACTS.value("toddler_untracked_ul_ratio", "that retinol as a multiple of the toddler UL", ".1f")
def _(c: Context):
    return toddler(c, tracked=False).totals.at["retinol", "total"] / _ul(c, TODDLER)


@FACTS.value("toddler_tracked_d_reach", "µg vitamin D the toddler's menu can reach within the UL", ".1f")  # fmt: skip
def _(c: Context):
    error = toddler(c, tracked=True)
    assert isinstance(error, plan.NoMenuPossible) and "retinol" in error.limits
    return float(error.reach["vitamin_d"])


@FACTS.value("toddler_d_target", "the vitamin D RDA at ages 1-3, µg")
def _(c: Context):
    return float(analysis.intake_targets(c.data, TODDLER)["vitamin_d"])


# --- pregnancy -------------------------------------------------------------------------------


def _advice(c: Context):
    return c.data.fish_advice.set_index("life_stage").loc[TEEN]


@FACTS.value("pregnancy_best_servings", "Best Choices servings a week in pregnancy", "words")
def _(c: Context):
    return int(_advice(c)["best_choice_servings"])


@FACTS.value("pregnancy_serving_oz", "ounces in a serving of fish for adults")
def _(c: Context):
    return int(_advice(c)["serving_oz"])


def _teen_fish_g(c: Context) -> float:
    menu = teen(c)
    fish = c.data.food_attributes.set_index("food_id")["fish_advice"].notna()
    return float(menu.items.loc[fish.reindex(menu.items.index).to_numpy(), "grams"].sum())


@FACTS.value("teen_fish_g", "grams of fish a day in the pregnant teen's menu", ".1f")
def _(c: Context):
    return _teen_fish_g(c)


@FACTS.value("teen_fish_oz_week", "ounces of fish a week from that menu", ".1f")
def _(c: Context):
    return _teen_fish_g(c) * plan.DAYS_PER_WEEK / plan.OUNCE_G


@FACTS.value("teen_fish_oz_limit", "ounces a week of Best Choices the advice allows")
def _(c: Context):
    advice = _advice(c)
    return int(advice["best_choice_servings"] * advice["serving_oz"])


@FACTS.value("teen_fish_share", "the menu's fish as a share of the week's advice", ".2f")
def _(c: Context):
    return float(teen(c).totals.at[plan.FISH_WEEK, "total"])


@FACTS.value("teen_kcal", "kcal of the pregnant teen's menu", ",.0f")
def _(c: Context):
    return teen(c).kcal


@FACTS.value("teen_sodium", "mg sodium in the pregnant teen's menu", ",.0f")
def _(c: Context):
    return float(teen(c).totals.at["sodium", "total"])


@FACTS.value("teen_sodium_cdrr", "sodium's CDRR at 14-18, mg", ",.0f")
def _(c: Context):
    return float(teen(c).totals.at["sodium", "limit"])


@FACTS.value("teen_binding_targets", "the targets that bind in the pregnant teen's menu")
def _(c: Context):
    return _join([_any_name(c, n) for n in binding_targets(c, teen(c))])


def _advice_row(c: Context, nutrient_id: str):
    refs = c.data.dri_references
    return refs[(refs["nutrient_id"] == nutrient_id) & (refs["life_stage"] == TEEN) & (refs["kind"] == "advice")].iloc[0]  # fmt: skip


@FACTS.value("folic_acid_advice", "µg folic acid a day advised before and in pregnancy")
def _(c: Context):
    return float(_advice_row(c, "folic_acid")["amount"])


@FACTS.value("iodine_advice", "µg iodine a day in a supplement advised in pregnancy")
def _(c: Context):
    return float(_advice_row(c, "iodine")["amount"])


@FACTS.value("teen_folic_acid", "µg folic acid in the pregnant teen's menu", ",.0f")
def _(c: Context):
    return float(teen(c).totals.at["folic_acid", "total"])


@FACTS.value("teen_folic_acid_ul", "the folic acid UL at 14-18 in pregnancy, µg", ",.0f")
def _(c: Context):
    return float(teen(c).totals.at["folic_acid", "limit"])


@FACTS.value("teen_folic_acid_with_advice", "the teen menu's folic acid plus the advised supplement, µg", ",.0f")  # fmt: skip
def _(c: Context):
    return float(teen(c).totals.at["folic_acid", "total"]) + float(_advice_row(c, "folic_acid")["amount"])  # fmt: skip


@FACTS.claim(
    "teen_folic_acid_within_ul",
    "within the UL",
    "the teen menu's folic acid plus the advised 400 µg stays under the folic acid UL",
)
def _(c: Context):
    total = float(teen(c).totals.at["folic_acid", "total"]) + float(_advice_row(c, "folic_acid")["amount"])  # fmt: skip
    return total <= float(teen(c).totals.at["folic_acid", "limit"])


# --- a child of 4 to 8 ------------------------------------------------------------------------


@FACTS.claim("child_low_fat_dairy", "low-fat or fat-free", "the child's menu holds no whole-fat dairy and some dairy")  # fmt: skip
def _(c: Context):
    groups = c.data.food_groups.set_index("food_id")
    items = child(c).items.index
    fats = groups.loc[items, "dairy_fat"].dropna()
    return len(fats) > 0 and not (fats == "whole").any()


@FACTS.value("child_fish_oz_week", "oz of fish a week the FDA/EPA advice allows a child of 4-8")
def _(c: Context):
    advice = c.data.fish_advice.set_index("life_stage").loc[CHILD]
    return int(advice["best_choice_servings"] * advice["serving_oz"])


@FACTS.claim("child_seafood_dropped", "leaves the seafood subgroup out", "the child's menu drops the seafood subgroup for the fish advice")  # fmt: skip
def _(c: Context):
    return "FDA/EPA" in child(c).targets.pattern_dropped.get("seafood", "")


@FACTS.value("child_kcal", "kcal of the child's menu", ",.0f")
def _(c: Context):
    return child(c).kcal


@FACTS.claim(
    "menus_d_from_fortified_fish_uv",
    "fortified foods, fish or UV-grown mushrooms",
    "in the default, vegan and pregnancy menus, at least 95% of vitamin D comes from them",
)
def _(c: Context):
    sources = _d_sources(c)
    for menu in (default(c), vegan(c), teen(c)):
        grams = menu.items["grams"]
        d = c.per_100g.loc[grams.index, "vitamin_d"].fillna(0) * grams / 100
        if not d[d.index.isin(sources)].sum() >= 0.95 * d.sum() > 0:
            return False
    return True


@FACTS.claim(
    "quinoa_in_all_three",
    "in the default, vegan and pregnancy menus",
    "quinoa is in the default, vegan and pregnancy menus",
)
def _(c: Context):
    return all("quinoa_cooked" in m.items.index for m in (default(c), vegan(c), teen(c)))


# --- what people eat -------------------------------------------------------------------------


def _population(c: Context, nutrient_id: str, measure: str) -> float:
    table = c.data.population_intakes.set_index(["nutrient_id", "measure"])["value"]
    return float(table[nutrient_id, measure])


for _nutrient in ("magnesium", "calcium", "vitamin_d"):
    FACTS.value(f"pop_{_nutrient}_below_ear", f"% of people below the EAR for {_nutrient}")(
        lambda c, n=_nutrient: _population(c, n, "share_below_ear")
    )


@FACTS.value("pop_potassium_mean", "mean potassium intake, mg a day")
def _(c: Context):
    return _population(c, "potassium", "mean_intake")


@FACTS.claim(
    "pop_most_short_vitamin_d",
    "most people fall short on vitamin D",
    "over half are below the EAR for vitamin D, and for no other nutrient in the table",
)
def _(c: Context):
    shares = {n: _population(c, n, "share_below_ear") for n in ("magnesium", "calcium", "vitamin_d")}  # fmt: skip
    return shares["vitamin_d"] > 50 and all(v < 50 for n, v in shares.items() if n != "vitamin_d")


@FACTS.claim("pop_magnesium_about_half", "about half", "45-55% are below the EAR for magnesium")
def _(c: Context):
    return 45 <= _population(c, "magnesium", "share_below_ear") <= 55


@FACTS.claim("pop_calcium_under_half", "under half", "under 50% are below the EAR for calcium")
def _(c: Context):
    return _population(c, "calcium", "share_below_ear") < 50


@FACTS.claim(
    "pop_potassium_under_adult_ais",
    "under both adult AIs",
    "mean potassium intake is under the AIs of women and men 19-30",
)
def _(c: Context):
    ais = [analysis.intake_targets(c.data, s)["potassium"] for s in ("female_19_30", "male_19_30")]
    return _population(c, "potassium", "mean_intake") < min(ais)


@FACTS.value("pop_sodium_mean", "mean sodium intake, mg a day")
def _(c: Context):
    return _population(c, "sodium", "mean_intake")


@FACTS.value("female_potassium_ai", "the potassium AI of women 19-30, mg")
def _(c: Context):
    return float(analysis.intake_targets(c.data, "female_19_30")["potassium"])


@FACTS.value("male_potassium_ai", "the potassium AI of men 19-30, mg")
def _(c: Context):
    return float(analysis.intake_targets(c.data, "male_19_30")["potassium"])


@FACTS.value("adult_sodium_cdrr", "sodium's CDRR for adults, mg")
def _(c: Context):
    return float(analysis.intake_targets(c.data, "female_19_30", "cdrr")["sodium"])
