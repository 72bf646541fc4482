"""Plan a day's menu a dietitian could read: Stigler's diet problem as a MILP.

Two sets of rules (rules=): "guidelines", the default, plans a complete day by the Dietary
Guidelines for Americans 2020-2025; "cramp" plans for the eight cramp nutrients only (the
planner before the food pattern; claims.diet_claim_verdict asks that question).

The model, in words:

* Decisions: how much of each food to eat. A portion is a household measure
  (data/portion_caps.csv: 1 cup of milk, 3 oz of fish, 1 slice of bread ...), and each food
  has a cap, the most portions a person would eat of it in a day; a kind of food has one too
  (data/portion_categories.csv, max_caps), and a young child eats a share of the adult caps
  (energy_bands.portion_scale). With the food pattern, portions come in eighths and a food on
  the menu is at least a quarter portion (a day's share of a weekly subgroup amount is small);
  with rules="cramp", in halves.
* Constraints (rules="guidelines"; targets_for):
  - every nutrient with a DRI that SR28 gives reaches its RDA/AI, or its FDA Daily Value
    (data/dri_nutrients.csv, data/dri_references.csv, and the cramp nutrients'
    data/intake_references.csv); nutrients SR28 lacks (iodine ...) are listed as not tracked;
  - every upper limit that applies to food holds: the UL of the life stage where it applies
    to total intake, folic acid's (the UL for folate covers the synthetic form, which SR28
    gives), retinol's (preformed vitamin A, data/upper_limits.csv), sodium's CDRR. Sodium is a
    limit only: the foods are unsalted, so its AI as a floor would push salty foods in;
  - shares of energy: the AMDRs of protein, fat and carbohydrate, saturated fat under 10%;
  - the Healthy U.S.-Style pattern at the life stage's level (energy_bands.pattern_kcal,
    data/food_patterns.csv, data/food_groups.csv): each group and subgroup at least
    1 - PATTERN_SHORTFALL of its amount a day (a weekly amount / 7), groups and the beans, peas
    and lentils at most 1 + PATTERN_EXCESS, oils at most their allowance, half the fruit and
    half the grains whole, no whole-fat dairy; energy within ENERGY_SPREAD of the level;
  - advice for the life stage: fish within the FDA/EPA weekly amounts, as a day's share of a
    week (data/fish_advice.csv); a diet pattern leaves out foods by what they contain
    (data/food_attributes.csv).
  With rules="cramp": the cramp nutrients' targets (sodium's AI a floor), their ULs, retinol,
  the energy band, fish advice and diet patterns, as before.
* Objective (objective="size", the default): the smallest menu. Each food counts as the
  share of its daily cap that is eaten (its whole cap counts 1), and the sum is made as small
  as possible: few foods, moderate portions, energy near the floor of the band. This is the
  linear relaxation of "the fewest foods", so it solves quickly, and exactly, even on all of
  SR28. objective="foods" counts distinct foods instead (then the least energy for those
  foods; slow on all of SR28); objective="calories" asks for the least energy in the band.

Missing values: a food whose amount of a targeted nutrient is missing counts 0 toward that
target (the menu never relies on an unknown amount); a food whose energy or limited nutrient is
missing is left out, because the menu could not be checked against it. One exception: retinol
(preformed vitamin A) occurs only in animal foods and in what is added to fortified foods, so a
plant food that is not fortified counts 0 where SR28 has no value.

A constraint binds when the menu is pressed against it: a target met with less than 5% to
spare, or a limit reached to within 5% (BINDING_MARGIN). The same rule marks a food eaten at
its portion cap.

Solved once: a MILP takes about a second, so the menus the course's own notebooks and
self-checks ask for are stored with the package (solved_menus.json), each under a fingerprint
(SHA-256) of every number the solver is given: the foods, their amounts per portion step, every
target, limit and bound, and the objective. plan_menu builds the problem as always and, when its
fingerprint is stored, reads the solution back instead of solving; any change to the data, the
rules or the arguments changes the fingerprint, and the planner solves. `make notebooks` solves
every stored menu afresh and rewrites the file; tests/test_plan.py solves each again and checks
it is the same.

When no menu exists, NoMenuPossible says which targets fall short and which limits stand in the
way, from the elastic version of the problem (how far short each target must fall).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_array, diags, hstack, vstack

from cramplab import diets
from cramplab.analysis import cramp_nutrients, daily_values, intake_targets, nutrient_matrix
from cramplab.data import DAILY_VALUES_STAGE, CourseData
from cramplab.paths import PACKAGE_DIR

OBJECTIVES = ("size", "foods", "calories")
# Menus the course's notebooks and self-checks plan, solved once (see _solved_halves).
SOLVED_MENUS = PACKAGE_DIR / "solved_menus.json"
SOLVED_MENUS_ENV = "CRAMPLAB_SOLVED_MENUS"  # "off": always solve; a .jsonl path: solve, record
STEP = 0.5  # portions come in halves (rules="cramp")
# A day's share of a weekly subgroup amount is small (1 cup-eq of beans a week is 0.14 a day),
# so with the food pattern portions come in eighths, and a child's quarter cup of beans fits.
PATTERN_STEP = 0.125
PATTERN_LEAST = 2  # ... and a food on the menu is at least a quarter portion (two steps)
BINDING_MARGIN = 0.05  # a target or limit binds when the menu is within 5% of it
OUNCE_G = 28.35
DAYS_PER_WEEK = 7
TOLERANCE = 1e-6
RETINOL = "retinol"
ENERGY = "energy"
FISH_WEEK = "fish_week"  # the menu's fish, eaten every day, as a share of a week's advice
CANDIDATES = 300  # foods the first whole-portion solve considers (more if the proof needs it)
RULES = ("guidelines", "cramp")
# The Dietary Guidelines' food pattern, as constraints (rules="guidelines"):
PATTERN = "healthy_us_style"
PATTERN_NAME = "the Healthy U.S.-Style pattern"
# A food group or subgroup may fall up to 15% short of its amount: a day's share of a weekly
# amount rarely lands on a quarter portion (2 cup-eq of beans a week: 0.29 a day, 1/4 cup).
PATTERN_SHORTFALL = 0.15
PATTERN_EXCESS = 0.50  # a food group, and the beans, peas and lentils, at most 50% over it
ENERGY_SPREAD = 0.10  # energy within 10% of the pattern's calorie level (and in the band)
GROUPS = ("fruits", "vegetables", "grains", "dairy", "protein_foods", "oils")
CAPPED_SUBGROUPS = ("beans_peas_lentils",)  # one cap for all beans, peas and lentils
HALF_WHOLE = {"whole_fruit": "fruits", "whole_grains": "grains"}  # at least half of the group
# Vegetarian and vegan menus: the Healthy Vegetarian pattern's 2020-2025 amounts were not
# confirmed, so the course keeps the U.S.-Style amounts and drops the subgroups such a day
# cannot or need not eat (a departure the notebook states).
DROPPED_SUBGROUPS = {
    "vegetarian": ("seafood", "meats_poultry_eggs"),
    "vegan": ("seafood", "meats_poultry_eggs"),
    "no_fish": ("seafood",),
}
FISH_CEILING = "lowered to the FDA/EPA fish advice"
KCAL_PER_G = {"protein": 4, "carbohydrate": 4, "total_fat": 9, "saturated_fat": 9}
WHOLE_FAT = "whole"  # food_groups.dairy_fat: the patterns assume fat-free or low-fat from age 2
SYNTHETIC_FORMS = {"folic_acid"}  # a UL on the synthetic form alone: SR28 gives that form


class NoMenuPossible(ValueError):
    """No menu meets every target within every limit; says which targets and which limits.

    nutrients: the targets that fall short; limits: what stands in the way (nutrient ids of
    the limits, "energy", "fish_week", "portion caps"); reach: the most of each short
    nutrient a menu within those limits can hold.
    """

    def __init__(
        self,
        message: str,
        nutrients: list[str],
        limits: list[str] | None = None,
        reach: dict[str, float] | None = None,
    ):
        super().__init__(message)
        self.nutrients = nutrients
        self.limits = limits or []
        self.reach = reach or {}


@dataclass
class Targets:
    """A life stage's daily targets (minimum) and limits (maximum), by nutrient_id."""

    minimum: pd.Series
    maximum: pd.Series
    scope: pd.Series  # what each limit is: "UL", "CDRR", "energy band" ...
    energy: tuple[float, float]
    fish: dict | None  # grams a week of best and good choices, or None
    portion_scale: float  # share of the adult portion caps (children eat less)
    label: str
    life_stage: str
    rules: str = "cramp"
    # rules="guidelines": energy shares (nutrient_id index: low, high in % of energy, scope),
    # the food pattern (component index: unit, amount a day, low, high, basis) and its level
    shares: pd.DataFrame = field(default_factory=lambda: _empty_shares())
    pattern: pd.DataFrame = field(default_factory=lambda: _empty_pattern())
    pattern_kcal: float | None = None
    not_tracked: dict[str, str] = field(default_factory=dict)  # name -> why
    limits_not_tracked: dict[str, str] = field(default_factory=dict)  # limit -> why
    pattern_dropped: dict[str, str] = field(default_factory=dict)  # component -> why
    step: float = STEP  # the smallest share of a portion the planner eats


def _empty_shares() -> pd.DataFrame:
    return pd.DataFrame(columns=["low", "high", "scope"], dtype=float)


def _empty_pattern() -> pd.DataFrame:
    return pd.DataFrame(columns=["unit", "amount", "low", "high", "basis"])


@dataclass
class Menu:
    items: pd.DataFrame  # food_id index: name, portions, portion, grams, kcal, at_cap
    totals: pd.DataFrame  # nutrient_id index: unit, total, target, limit, limit_scope, binds
    objective: str
    targets: Targets
    foods_considered: int
    excluded: dict[str, int] = field(default_factory=dict)  # why foods were left out: how many
    binding: list[str] = field(default_factory=list)
    patterns: tuple[str, ...] = ()
    # rules="guidelines": the food pattern (component index: unit, total, amount, low, high,
    # binds) and the energy shares (nutrient_id index: percent, low, high, binds)
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    shares: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def kcal(self) -> float:
        return float(self.items["kcal"].sum())

    def table(self) -> pd.DataFrame:
        """The menu as a reader sees it: each food's household amount, grams and kcal, by food
        group, then the total. The header names whom the menu is for (life stage and pattern);
        portions and portion (the measure) let a reader recompute the grams.
        """
        items = self.items.copy()
        if "food_group" not in items:
            items["food_group"] = ""
        order = {g: i for i, g in enumerate([*GROUPS, "none", ""])}
        items = items.iloc[
            np.argsort(items["food_group"].map(order).fillna(len(order)).to_numpy(), kind="stable")
        ]
        items["amount"] = [
            household(n, p) for n, p in zip(items["portions"], items["portion"], strict=True)
        ]
        items["food group"] = items["food_group"].str.replace("_", " ")
        columns = ["food group", "name", "amount", "portions", "portion", "grams", "kcal"]
        shown = items[columns].copy()
        shown.loc["total"] = [
            "",
            "total",
            "",
            np.nan,
            "",
            shown["grams"].sum(),
            shown["kcal"].sum(),
        ]
        shown[["grams", "kcal"]] = shown[["grams", "kcal"]].astype(float).round(1)
        for_whom = ", ".join([self.targets.life_stage, *self.patterns])
        shown.columns.name = f"menu for {for_whom}"
        return shown

    def group_table(self) -> pd.DataFrame:
        """The food-group totals against the pattern's amounts a day (cup-eq, oz-eq, g)."""
        shown = self.groups[["unit", "total", "amount", "low", "high", "binds"]].copy()
        shown[["total", "amount", "low", "high"]] = shown[["total", "amount", "low", "high"]].astype(float).round(2)  # fmt: skip
        shown.index = shown.index.str.replace("_", " ")
        return shown

    def claim(self) -> str:
        """What the menu was made to meet, counted from the constraints it was planned with.

        "meets 25 nutrient targets within 20 limits and the Healthy U.S.-Style pattern at
        2,000 kcal; not tracked: iodine and 8 more". Every count is of what was enforced.
        """
        targets = self.targets
        nutrient_targets = len(targets.minimum)
        parts = [f"meets {nutrient_targets} nutrient targets within {limit_count(self)} limits"]
        if len(self.groups):
            parts.append(f"and {PATTERN_NAME} at {targets.pattern_kcal:,.0f} kcal")
        text = " ".join(parts)
        missing = list(targets.not_tracked)
        if missing:
            first = missing[0][:1].lower() + missing[0][1:]
            rest = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
            text += f"; not tracked: {first}{rest}"
        return text


def limit_count(menu: Menu) -> int:
    """The limits a menu was planned within: each nutrient's upper limit (UL, CDRR, retinol),
    each energy share (an AMDR range counts once), the energy band and the weekly fish advice.
    The pattern's own caps (a food group at most 50% over, oils) belong to the pattern.

    >>> from cramplab import load
    >>> limit_count(plan_menu(load()))  # 14 nutrient limits, 4 energy shares, the energy band
    19
    """
    targets = menu.targets
    count = int(targets.maximum.notna().sum()) + len(targets.shares) + 1  # + the energy band
    return count + (FISH_WEEK in menu.totals.index)


def household(portions: float, portion: str) -> str:
    """'1.5' of '1 cup' -> '1 1/2 cup'; '0.5' of '3 oz' -> '1 1/2 oz': the measure multiplied.

    >>> household(1.5, "1 cup"), household(0.5, "3 oz")
    ('1 1/2 cup', '1 1/2 oz')
    >>> household(2, "1/2 cup, chopped")
    '1 cup, chopped'
    """
    from fractions import Fraction

    words = str(portion).split(" ", 1)
    try:
        count = Fraction(words[0])
        rest = words[1] if len(words) > 1 else ""
    except (ValueError, ZeroDivisionError):
        count, rest = Fraction(1), str(portion)
    value = (count * Fraction(portions).limit_denominator(8)).limit_denominator(16)
    whole, part = divmod(value, 1)
    text = " ".join(
        [str(whole)] * bool(whole) + [f"{part.numerator}/{part.denominator}"] * bool(part)
    )
    return f"{text or '0'} {rest}".strip()


def targets_for(
    data: CourseData, life_stage: str | None = None, rules: str = "guidelines"
) -> Targets:
    """Targets and limits of a life stage, or of the FDA Daily Values (life_stage=None).

    rules="guidelines" (a complete day): every nutrient with a DRI that SR28 gives, at its
    RDA/AI (or Daily Value), every UL that applies to food, sodium as a limit only (its CDRR:
    the foods are unsalted, so an AI as a floor would only push salty foods in), the AMDRs and
    the Dietary Guidelines' saturated-fat limit as shares of energy, and the Healthy U.S.-Style
    pattern at the life stage's level (energy_bands.pattern_kcal) with energy near that level.
    It raises ValueError for a life stage data/ records no complete day for (see
    complete_day_stages), rather than plan a day that only looks complete.
    rules="cramp": the cramp nutrients only, sodium's AI as a floor (the planner before the
    food pattern; claims.diet_claim_verdict asks this question).

    >>> from cramplab import load
    >>> targets = targets_for(load())
    >>> targets.label, targets.energy
    ('FDA Daily Values (adults)', (1800.0, 2200.0))
    >>> float(targets.minimum["magnesium"]), float(targets.maximum["calcium"])  # mg: DV, UL
    (420.0, 2500.0)
    """
    if rules not in RULES:
        raise ValueError(f"rules must be one of {RULES}, not {rules!r}")
    targets = _cramp_targets(data, life_stage)
    if rules == "guidelines":
        _add_guidelines(data, targets)
    return targets


def complete_day_stages(data: CourseData) -> list[str]:
    """The life stages data/ records a complete day for: the DRIs beyond the cramp nutrients
    (dri_references.csv; the Daily Values for daily_values) and the food pattern's calorie
    level (energy_bands.pattern_kcal).

    >>> from cramplab import load
    >>> complete_day_stages(load())
    ['daily_values', 'child_4_8', 'female_31_50', 'pregnancy_14_18']
    """
    bands = data.energy_bands
    stages = list(bands["life_stage"])
    refs = data.dri_references
    recorded = refs.loc[refs["kind"].isin(["RDA", "AI"]), "life_stage"]
    # A part data/ records for no life stage at all (a hand-made table) asks nothing.
    with_dris = {DAILY_VALUES_STAGE, *recorded} if len(recorded) else set(stages)
    levels = bands["pattern_kcal"] if "pattern_kcal" in bands else pd.Series(np.nan, bands.index)
    with_level = set(bands.loc[levels.notna(), "life_stage"])
    if data.food_groups.empty or not with_level:  # all of SR28: no food pattern (see the module)
        with_level = set(stages)
    return [s for s in stages if s in with_dris and s in with_level]


def _add_guidelines(data: CourseData, targets: Targets) -> None:
    stage = targets.life_stage
    complete = complete_day_stages(data)
    if stage not in complete:
        # Never a partial "complete day": without these records a menu would meet the cramp
        # nutrients alone and still look like a Dietary Guidelines day.
        raise ValueError(
            f"a complete day (rules='guidelines') needs the DRIs beyond the cramp nutrients "
            f"(data/dri_references.csv) and the food pattern's calorie level "
            f"(data/energy_bands.csv, pattern_kcal) of {stage}, and data/ records them for "
            f"{', '.join(complete)} only; plan the cramp nutrients with rules='cramp', or add "
            f"{stage}'s rows"
        )
    targets.rules = "guidelines"
    targets.minimum = targets.minimum.drop("sodium", errors="ignore")  # a limit, not a floor
    described = data.dri_nutrients.set_index("nutrient_id")
    tracked = described.index[described["usda_nutr_no"].notna()]
    refs = data.dri_references[data.dri_references["life_stage"] == stage]
    amounts = refs[refs["kind"].isin(["RDA", "AI"])].set_index("nutrient_id")["amount"]
    if stage == DAILY_VALUES_STAGE:  # the Daily Values, and an RDA where they set none
        daily = described["daily_value"].dropna()
        amounts = pd.concat([daily, amounts[~amounts.index.isin(daily.index)]])
    every = data.dri_references
    limits_only = set(every.loc[every["kind"] == "DGA limit", "nutrient_id"]) - set(
        every.loc[every["kind"].isin(["RDA", "AI"]), "nutrient_id"]
    )  # added sugars: a limit, not a nutrient to reach
    with_target = set(every.loc[every["kind"].isin(["RDA", "AI"]), "nutrient_id"])
    with_target |= set(described.index[described["daily_value"].notna()]) - limits_only
    for nutrient_id, row in described.iterrows():
        if nutrient_id in limits_only:
            continue
        if nutrient_id not in tracked:
            targets.not_tracked[row["name"]] = "not in SR28"
        elif nutrient_id in amounts.index:
            targets.minimum[nutrient_id] = float(amounts[nutrient_id])
        elif nutrient_id in with_target:
            targets.not_tracked[row["name"]] = f"no DRI recorded for {stage}"
    for row in refs[refs["kind"] == "UL"].itertuples():
        applies = row.limit_scope == "total intake" or row.nutrient_id in SYNTHETIC_FORMS
        if row.nutrient_id in tracked and applies:
            targets.maximum[row.nutrient_id] = float(row.limit)
            targets.scope[row.nutrient_id] = "UL" if row.limit_scope == "total intake" else f"UL, {row.limit_scope}"  # fmt: skip
        elif row.nutrient_id in tracked:
            name = f"{described.at[row.nutrient_id, 'name']} UL"
            targets.limits_not_tracked[name] = (
                f"covers {row.limit_scope}, which SR28 does not separate"
            )
    shares, kept = refs[refs["kind"].isin(["AMDR", "DGA limit"])], {}
    for row in shares.itertuples():
        name = described.at[row.nutrient_id, "name"]
        if row.nutrient_id in tracked and row.nutrient_id in KCAL_PER_G:
            low = row.amount if pd.notna(row.amount) else 0.0
            kept[row.nutrient_id] = (float(low), float(row.limit), row.kind)
        else:
            targets.limits_not_tracked[f"{name} < {row.limit:g}% of energy"] = "not in SR28"
    if kept:
        targets.shares = pd.DataFrame.from_dict(
            kept, orient="index", columns=["low", "high", "scope"]
        )
    band = data.energy_bands.set_index("life_stage").loc[stage]
    level = band.get("pattern_kcal", np.nan)
    if pd.isna(level) or data.food_groups.empty:
        return
    targets.pattern_kcal = float(level)
    targets.step = PATTERN_STEP
    low = max(targets.energy[0], level * (1 - ENERGY_SPREAD))
    high = min(targets.energy[1], level * (1 + ENERGY_SPREAD))
    targets.energy = (float(low), float(high))
    targets.pattern = pattern_amounts(data, stage, float(level))
    if targets.fish is not None and "seafood" in targets.pattern.index:
        # The FDA/EPA advice is a ceiling for this life stage (mercury): where it allows less
        # seafood than the pattern asks, the pattern's seafood floor comes down to it.
        most = max(targets.fish.values()) / OUNCE_G / DAYS_PER_WEEK  # oz a day
        if most < targets.pattern.at["seafood", "low"]:
            targets.pattern.loc["seafood", ["amount", "low"]] = [most, most * (1 - PATTERN_SHORTFALL)]  # fmt: skip
            targets.pattern.at["seafood", "basis"] = FISH_CEILING


def pattern_amounts(data: CourseData, life_stage: str, kcal: float) -> pd.DataFrame:
    """The pattern's amounts a day at a calorie level (a week's amount / 7), with the range the
    planner holds each to: at least (1 - PATTERN_SHORTFALL) of it; food groups and the beans,
    peas and lentils at most (1 + PATTERN_EXCESS) of it; oils only at most (an allowance).

    >>> from cramplab import load
    >>> amounts = pattern_amounts(load(), "daily_values", 2000)
    >>> amounts.loc[["fruits", "dairy", "oils"], ["unit", "amount", "low", "high"]]
                 unit  amount   low  high
    component
    fruits     cup_eq     2.0  1.70   3.0
    dairy      cup_eq     3.0  2.55   4.5
    oils            g    27.0   NaN  27.0
    """
    rows = data.food_patterns
    rows = rows[(rows["pattern"] == PATTERN) & (rows["kcal"] == kcal)]
    if rows.empty:
        raise ValueError(f"food_patterns.csv has no {PATTERN} at {kcal:,.0f} kcal")
    general = rows[rows["life_stage"].isna()].set_index("component")
    own = rows[rows["life_stage"] == life_stage].set_index("component")
    chosen = pd.concat([own, general[~general.index.isin(own.index)]]).loc[general.index]
    per_day = chosen["amount"] / np.where(chosen["period"] == "week", DAYS_PER_WEEK, 1)
    table = pd.DataFrame({"unit": chosen["unit"], "amount": per_day.astype(float)})
    table["low"] = np.where(table.index == "oils", np.nan, per_day * (1 - PATTERN_SHORTFALL))
    capped = table.index.isin([*GROUPS, *CAPPED_SUBGROUPS])
    table["high"] = np.where(
        table.index == "oils", per_day, np.where(capped, per_day * (1 + PATTERN_EXCESS), np.nan)
    )
    table["basis"] = np.where(chosen["life_stage"].notna(), chosen["source"], "Table A3-2")
    return table


def _cramp_targets(data: CourseData, life_stage: str | None) -> Targets:
    """The cramp nutrients' targets (sodium's AI a floor), every UL on them, retinol, energy."""
    nutrients = cramp_nutrients(data)
    refs = data.intake_references
    stage = DAILY_VALUES_STAGE if life_stage is None else life_stage
    maximum = pd.Series(np.nan, index=[*nutrients, RETINOL])
    scope = pd.Series("", index=maximum.index, dtype=object)
    if life_stage is None:
        minimum = daily_values(data)[nutrients].copy()
        adults = refs[(refs["age_min"] == 19) & (refs["group"].isin(["males", "females"]))]
        ai = adults[adults["reference_type"] == "AI"]
        minimum["sodium"] = ai.loc[ai["nutrient_id"] == "sodium", "amount"].min()
        food_ul = adults[(adults["ul_scope"] == "total intake") & adults["ul"].notna()]
        food_ul = food_ul.groupby("nutrient_id")["ul"].min()
        cdrr = pd.Series({"sodium": daily_values(data)["sodium"]})
        label = "FDA Daily Values (adults)"
    else:
        minimum = intake_targets(data, life_stage, "target")[nutrients]
        rows = refs[(refs["life_stage"] == life_stage) & (refs["reference_type"] != "CDRR")]
        food_ul = rows[rows["ul_scope"] == "total intake"].set_index("nutrient_id")["ul"]
        cdrr = intake_targets(data, life_stage, "cdrr")
        label = f"RDA/AI for {life_stage}"
    food_ul = food_ul.dropna()
    maximum.update(food_ul)
    scope[food_ul.index] = "UL"
    maximum.update(cdrr)
    scope[cdrr.index] = "CDRR"
    limits = data.upper_limits[data.upper_limits["life_stage"] == stage].set_index("nutrient_id")
    if RETINOL in limits.index:
        maximum[RETINOL] = limits.at[RETINOL, "ul"]
        scope[RETINOL] = f"UL, {limits.at[RETINOL, 'ul_scope']}"
    band = data.energy_bands.set_index("life_stage").loc[stage]
    advice = data.fish_advice.set_index("life_stage")
    fish = None
    if stage in advice.index:
        row = advice.loc[stage]
        serving = row["serving_oz"] * OUNCE_G
        fish = {
            "best_choice": row["best_choice_servings"] * serving,
            "good_choice": row["good_choice_servings"] * serving,
        }
    return Targets(
        minimum=minimum.astype(float),
        maximum=maximum.astype(float),
        scope=scope,
        energy=(float(band["kcal_low"]), float(band["kcal_high"])),
        fish=fish,
        portion_scale=float(band["portion_scale"]),
        label=label,
        life_stage=stage,
    )


def excluded_foods(
    data: CourseData,
    patterns: tuple[str, ...] = (),
    groups: tuple[str, ...] = (),
    foods: tuple[str, ...] = (),
    flags: tuple[str, ...] = (),
) -> pd.Index:
    """food_ids that diet patterns (by what a food contains), SR28 food groups, an explicit
    list or true/false columns of foods.csv leave out; flags=("fortified",) drops every
    fortified food. Patterns: vegetarian, vegan, no_dairy, no_fish (cramplab.diets).

    >>> from cramplab import load
    >>> fortified = excluded_foods(load(), flags=("fortified",))
    >>> len(fortified), fortified[:3].tolist()  # these milks have vitamin D added
    (19, ['milk_whole', 'milk_lowfat', 'milk_nonfat'])
    """
    table = data.foods.set_index("food_id")
    mask = table["food_group"].isin(groups) | table.index.isin(foods)
    for flag in flags:
        if table.get(flag) is None or table[flag].dtype != bool:
            raise ValueError(f"{flag!r} is not a true/false column of foods.csv")
        mask |= table[flag]
    if patterns:
        attributes = data.food_attributes.set_index("food_id").reindex(table.index)
        mask |= diets.excluded_by(attributes, patterns).to_numpy()
    return table.index[mask]


@dataclass
class _Tables:
    """What a plan needs from the data's tables, indexed by food in one order."""

    per_100g: pd.DataFrame  # retinol 0 where a plant food that is not fortified has no value
    caps: pd.DataFrame  # portion_caps, in the order of per_100g
    fish_advice: pd.Series
    names: pd.Series
    units: pd.Series
    category_caps: pd.Series  # portion_categories.max_caps, by category
    groups: pd.DataFrame  # food-pattern equivalents per 100 g, one column per group/subgroup
    food_group: pd.Series  # food_groups.food_group ("" where a food has none recorded)


def food_group_matrix(data: CourseData, index: pd.Index | None = None) -> pd.DataFrame:
    """Equivalents per 100 g of each food (rows) in each food group and subgroup (columns):
    food_groups.equivalents / grams * 100; 0 outside the food's own group and subgroup.

    >>> from cramplab import load
    >>> matrix = food_group_matrix(load())
    >>> matrix.loc["banana", ["fruits", "whole_fruit", "vegetables"]].round(2).tolist()
    [0.67, 0.67, 0.0]
    >>> matrix.loc["spinach_raw", ["vegetables", "dark_green"]].round(2).tolist()  # cup-eq
    [1.67, 1.67]
    """
    table = data.food_groups.set_index("food_id")
    index = data.foods["food_id"] if index is None else index
    per_100g = (table["equivalents"] / table["grams"] * 100).fillna(0.0)
    names = [*GROUPS, *sorted(set(table["subgroup"]) - set(GROUPS) - {"none"})]
    matrix = pd.DataFrame(0.0, index=pd.Index(index, name="food_id"), columns=names)
    for column in ("food_group", "subgroup"):
        for name, foods in table.groupby(column).groups.items():
            if name in matrix.columns:
                inside = matrix.index.intersection(foods)
                matrix.loc[inside, name] = per_100g[inside].to_numpy()
    return matrix


def _tables(data: CourseData) -> _Tables:
    """Computed afresh for every plan (a notebook may have edited a table in place)."""
    per_100g = nutrient_matrix(data)
    if not data.dri_food_nutrients.empty:
        other = data.dri_food_nutrients.pivot(
            index="food_id", columns="nutrient_id", values="amount"
        )
        per_100g = per_100g.join(other.reindex(per_100g.index))
    attributes = data.food_attributes.set_index("food_id").reindex(per_100g.index)
    if RETINOL in per_100g.columns and per_100g[RETINOL].isna().any():
        fortified = data.foods.set_index("food_id")["fortified"].reindex(per_100g.index)
        plant = ~diets.animal(attributes).fillna(True).astype(bool)
        safe = plant & ~fortified.fillna(True).astype(bool)
        per_100g.loc[safe & per_100g[RETINOL].isna(), RETINOL] = 0.0
    return _Tables(
        per_100g=per_100g,
        caps=data.portion_caps.set_index("food_id").reindex(per_100g.index),
        fish_advice=attributes["fish_advice"],
        names=data.foods.set_index("food_id")["name"].reindex(per_100g.index),
        units=pd.concat(
            [
                data.nutrients.set_index("nutrient_id")["unit"],
                data.dri_nutrients.set_index("nutrient_id")["unit"],
            ]
        ),
        category_caps=data.portion_categories.set_index("category")["max_caps"],
        groups=food_group_matrix(data, per_100g.index),
        food_group=data.food_groups.set_index("food_id")["food_group"]
        .reindex(per_100g.index)
        .fillna(""),
    )


@dataclass
class _Problem:
    """The planner's matrices: one row per usable food, amounts per half portion."""

    foods: pd.Index
    contribution: np.ndarray  # foods x targeted nutrients
    minimum: np.ndarray
    goal: list[str]
    limited: np.ndarray  # foods x limited quantities (nutrients, energy, fish, categories)
    low: np.ndarray  # lower bound of each limited quantity (energy band; else -inf)
    high: np.ndarray
    limit_names: list[str]
    kcal: np.ndarray
    steps: np.ndarray  # most half portions of each food

    def rows(self, keep: np.ndarray, extra_columns: int = 0) -> list[LinearConstraint]:
        def matrix(a):
            a = csr_array(a[keep].T)
            return hstack([a, csr_array((a.shape[0], extra_columns))]) if extra_columns else a

        return [
            LinearConstraint(matrix(self.contribution), self.minimum, np.inf),
            LinearConstraint(matrix(self.limited), self.low, self.high),
        ]

    least: int = 1  # the fewest steps of a food on the menu (semi-continuous when more)

    def solve(self, cost: np.ndarray, keep: np.ndarray):
        if self.least <= 1:
            return milp(
                cost[keep], constraints=self.rows(keep), integrality=np.ones(keep.sum()),
                bounds=Bounds(0, self.steps[keep]),
            )  # fmt: skip
        # x steps of each food and y (on the menu or not): least * y <= x <= steps * y
        n = int(keep.sum())
        steps = self.steps[keep]
        link = hstack([diags(np.ones(n)), diags(-steps)])
        floor = hstack([diags(np.ones(n)), diags(-np.full(n, float(self.least)))])
        result = milp(
            np.concatenate([cost[keep], np.zeros(n)]),
            constraints=[
                *self.rows(keep, extra_columns=n),
                LinearConstraint(link, -np.inf, 0.0),
                LinearConstraint(floor, 0.0, np.inf),
            ],
            integrality=np.ones(2 * n),
            bounds=Bounds(0, np.concatenate([steps, np.ones(n)])),
        )
        if result.x is not None:
            result.x = result.x[:n]
        return result

    def relaxation(self, cost: np.ndarray):
        """The same problem with fractional portions allowed (a linear programme)."""
        upper = np.isfinite(self.high)
        lower = np.isfinite(self.low)
        a_ub = np.vstack(
            [-self.contribution.T, self.limited[:, upper].T, -self.limited[:, lower].T]
        )
        b_ub = np.concatenate([-self.minimum, self.high[upper], -self.low[lower]])
        bounds = np.column_stack([np.zeros(len(self.steps)), self.steps])
        return linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")


def plan_menu(
    data: CourseData,
    *,
    life_stage: str | None = None,
    objective: str = "size",
    patterns: tuple[str, ...] = (),
    exclude: pd.Index | list[str] = (),
    limits: dict[str, float] | None = None,
    portions: dict[str, float] | None = None,
    rules: str = "guidelines",
) -> Menu:
    """Solve for a day's menu. Raises NoMenuPossible, naming targets and limits, if none exists.

    objective: "size" (the smallest menu, each food counted as the share of its daily cap
    eaten), "foods" (the fewest distinct foods; slow on all of SR28) or "calories" (the least
    energy within the band). patterns: diet patterns (vegetarian, vegan, no_dairy, no_fish);
    exclude: more food_ids to leave out; limits: extra upper bounds on daily totals, e.g.
    {"sodium": 1800} or {"energy": 2000} (float("inf") lifts a limit); portions: the most
    portions of a food for this life stage, in place of data/portion_caps.csv (and of the
    life stage's portion_scale), e.g. {"cod_liver_oil": 3}. rules: "guidelines" (a complete
    day: every DRI nutrient SR28 gives, the limits and the food pattern; see targets_for) or
    "cramp" (the cramp nutrients only).

    >>> from cramplab import load
    >>> menu = plan_menu(load())
    >>> menu.targets.life_stage, menu.foods_considered
    ('daily_values', 108)
    >>> bool(menu.shares.loc["saturated_fat", "percent"] < 10)  # a limit, kept
    True
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}, not {objective!r}")
    call = _call(life_stage, objective, patterns, exclude, limits, portions, rules)
    tables, targets, problem, excluded = _prepared(data, call)
    if len(problem.foods) == 0:
        raise NoMenuPossible("no foods are left to choose from", problem.goal)
    halves = _solved_halves(problem, objective, call)
    if halves is None:
        raise _why_impossible(problem, targets)
    menu = _menu(tables, problem, halves, targets, objective, excluded)
    menu.patterns = tuple(patterns)
    return menu


def _prepared(data: CourseData, call: dict) -> tuple[_Tables, Targets, _Problem, dict]:
    """The tables, targets and solver's problem for plan_menu's arguments (call: as _call
    records them), and why foods were left out."""
    life_stage, patterns, limits = call["life_stage"], tuple(call["patterns"]), call["limits"]
    targets = targets_for(data, life_stage, call["rules"])
    for pattern in patterns:
        for component in DROPPED_SUBGROUPS.get(pattern, ()):
            if component in targets.pattern.index:
                targets.pattern = targets.pattern.drop(component)
                targets.pattern_dropped[component] = f"a {pattern} day"
    for nutrient_id, value in (limits or {}).items():
        if nutrient_id == ENERGY:
            targets.energy = (min(targets.energy[0], value), value)
        else:
            targets.maximum[nutrient_id] = value
            targets.scope[nutrient_id] = "your limit"
    left_out = pd.Index(call["exclude"]).union(excluded_foods(data, patterns=patterns))
    tables = _tables(data)
    whole_fat = pd.Index([])
    if len(targets.pattern):
        groups = data.food_groups
        whole_fat = pd.Index(groups.loc[groups["dairy_fat"] == WHOLE_FAT, "food_id"])
    problem, excluded = _build(tables, targets, left_out, call["portions"], whole_fat)
    return tables, targets, problem, excluded


def _call(life_stage, objective, patterns, exclude, limits, portions, rules) -> dict:
    """plan_menu's arguments, as JSON can hold them (recorded with a solved menu)."""
    return {
        "life_stage": life_stage,
        "objective": objective,
        "patterns": list(patterns),
        "exclude": sorted({str(f) for f in exclude}),
        "limits": {k: float(v) for k, v in sorted((limits or {}).items())},
        "portions": {k: float(v) for k, v in sorted((portions or {}).items())},
        "rules": rules,
    }


def _fingerprint(problem: _Problem, objective: str) -> str:
    """SHA-256 of every number and name the solver is given for this problem and objective."""
    digest = hashlib.sha256(f"{objective}|{problem.least}|".encode())
    digest.update("\x1f".join(map(str, problem.foods)).encode())
    digest.update("\x1f".join(problem.goal + problem.limit_names).encode())
    for array in (problem.contribution, problem.minimum, problem.limited, problem.low,
                  problem.high, problem.kcal, problem.steps):  # fmt: skip
        array = np.ascontiguousarray(array, dtype=np.float64) + 0.0  # -0.0 and 0.0 alike
        digest.update(repr(array.shape).encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _solve(problem: _Problem, objective: str) -> np.ndarray | None:
    if objective == "foods":
        return _fewest_foods(problem)
    cost = problem.kcal if objective == "calories" else 1.0 / problem.steps
    return _pruned(problem, cost)


_stored: dict[str, dict] | None = None


def _stored_menus() -> dict[str, dict]:
    """The solved menus shipped with the package, by fingerprint ({} if there are none)."""
    global _stored
    if _stored is None:
        try:
            _stored = json.loads(SOLVED_MENUS.read_text(encoding="utf-8"))["menus"]
        except FileNotFoundError:
            _stored = {}
    return _stored


def _feasible(problem: _Problem, halves: np.ndarray) -> bool:
    """Does a stored solution keep every bound and constraint of this problem?"""
    slack = 1e-6
    on = halves > 0
    if (halves < 0).any() or (halves > problem.steps).any() or (halves[on] < problem.least).any():
        return False
    reached = problem.contribution.T @ halves
    limited = problem.limited.T @ halves
    scale = 1 + np.abs(problem.minimum)
    return bool(
        (reached >= problem.minimum - slack * scale).all()
        and (limited <= problem.high + slack * (1 + np.abs(problem.high))).all()
        and (limited >= problem.low - slack * (1 + np.abs(problem.low))).all()
    )


def _solved_halves(problem: _Problem, objective: str, call: dict) -> np.ndarray | None:
    """The solution: read back when this exact problem is stored (and still feasible), else
    solved. None when no menu exists. $CRAMPLAB_SOLVED_MENUS=off always solves; set to a
    .jsonl path, it solves and appends what it solved there (how `make notebooks` records).
    """
    setting = os.environ.get(SOLVED_MENUS_ENV, "")
    key = _fingerprint(problem, objective)
    if not setting:
        stored = _stored_menus().get(key)
        if stored is not None:
            if stored["steps"] is None:
                return None
            steps = pd.Series(stored["steps"], dtype=float)
            halves = steps.reindex(problem.foods, fill_value=0.0).to_numpy()
            if set(steps.index) <= set(problem.foods) and _feasible(problem, halves):
                return np.round(halves).astype(int)
    halves = _solve(problem, objective)
    if setting.endswith(".jsonl"):
        steps = None
        if halves is not None:
            steps = {str(f): int(h) for f, h in zip(problem.foods, halves, strict=True) if h}
        line = json.dumps({"fingerprint": key, "call": call, "steps": steps}, sort_keys=True)
        with open(setting, "a", encoding="utf-8") as record:
            record.write(line + "\n")
    return halves


def _build(
    tables: _Tables,
    targets: Targets,
    left_out: pd.Index,
    portions: dict[str, float],
    whole_fat: pd.Index | None = None,
) -> tuple[_Problem, dict]:
    caps = tables.caps
    unknown = sorted(set(portions) - set(caps.index))
    if unknown:
        raise ValueError(f"no food {unknown[0]!r} in foods.csv to change the portions of")
    max_portions = caps["max_portions"].to_numpy(float) * targets.portion_scale
    for food_id, value in portions.items():  # the caller's numbers: not scaled again
        max_portions[caps.index.get_loc(food_id)] = value
    goal = list(targets.minimum.index)
    limited = [n for n in targets.maximum.index if pd.notna(targets.maximum[n])]
    shares = list(targets.shares.index)
    amounts = tables.per_100g

    excluded = {}
    usable = np.ones(len(amounts), dtype=bool)

    def leave_out(mask, why: str) -> None:
        nonlocal usable
        mask = np.asarray(mask, dtype=bool)
        if (usable & mask).any():
            excluded[why] = int((usable & mask).sum())
        usable &= ~mask

    leave_out(amounts.index.isin(left_out), "left out by a diet pattern or by name")
    leave_out(
        amounts.index.isin([] if whole_fat is None else whole_fat),
        "whole-fat dairy (the pattern assumes fat-free or low-fat from age 2)",
    )
    steps = np.floor(max_portions / targets.step + TOLERANCE)
    leave_out(~(steps >= 1), "portion cap smaller than half a portion")
    checked = list(dict.fromkeys([ENERGY, *limited, *shares]))
    leave_out(amounts[checked].isna().any(axis=1), "energy or a limited nutrient missing")
    fish_share = None
    if targets.fish is not None:
        advice = tables.fish_advice
        leave_out(
            advice.isin(["choice_to_avoid", "not_on_chart"]),
            "fish the FDA/EPA advice leaves out for this life stage",
        )
        weekly = advice.map(targets.fish).astype(float)  # grams a week; NaN for other foods
        fish_share = (DAYS_PER_WEEK / weekly).fillna(0.0).to_numpy()  # per gram a day

    index = amounts.index[usable]
    steps = steps[usable]
    half_g = caps["portion_g"].to_numpy(float)[usable] * targets.step
    per_half = amounts.to_numpy(float)[usable] * half_g[:, None] / 100.0
    columns = list(amounts.columns)
    take = lambda names: per_half[:, [columns.index(n) for n in names]]  # noqa: E731
    blocks = [take(limited), take([ENERGY])]
    low = [np.full(len(limited), -np.inf), [targets.energy[0]]]
    high = [targets.maximum[limited].to_numpy(float), [targets.energy[1]]]
    names = [*limited, ENERGY]
    if fish_share is not None:
        blocks.append((fish_share[usable] * half_g)[:, None])
        low.append([-np.inf])
        high.append([1.0])
        names.append(FISH_WEEK)
    category = caps["category"].to_numpy()[usable]
    rules = tables.category_caps
    for name in rules.index.intersection(pd.unique(category)):
        blocks.append(np.where(category == name, 1.0 / steps, 0.0)[:, None])
        low.append([-np.inf])
        high.append([rules[name]])
        names.append(f"category:{name}")
    kcal = take([ENERGY])[:, 0]
    for nutrient_id, (least, most, _) in targets.shares.iterrows():
        energy_from = take([nutrient_id])[:, 0] * KCAL_PER_G[nutrient_id]
        for bound, share, name in ((most, "high", "share"), (least, "low", "share_low")):
            if share == "low" and not least > 0:
                continue
            blocks.append((energy_from - bound / 100 * kcal)[:, None])
            low.append([-np.inf] if share == "high" else [0.0])
            high.append([0.0] if share == "high" else [np.inf])
            names.append(f"{name}:{nutrient_id}")
    contribution, minimum, goal = np.nan_to_num(take(goal)), targets.minimum[goal].to_numpy(float), list(goal)  # fmt: skip
    if len(targets.pattern):
        equivalents = tables.groups.to_numpy(float)[usable] * half_g[:, None] / 100.0
        column = {c: i for i, c in enumerate(tables.groups.columns)}
        for component, row in targets.pattern.iterrows():
            amount = equivalents[:, column[component]]
            if not amount.any():
                targets.pattern_dropped[component] = "no food left in it"
                continue
            if component == "seafood" and row["basis"] == FISH_CEILING:
                smallest = (amount[amount > 0] * PATTERN_LEAST).min()
                if smallest > row["amount"] * (1 + TOLERANCE):
                    # The weekly advice allows less fish than the smallest daily amount: a
                    # week would serve fish on some days; a day repeated all week cannot.
                    targets.pattern_dropped[component] = (
                        f"the FDA/EPA advice allows {row['amount'] * DAYS_PER_WEEK:.3g} oz a week, "
                        f"less than the smallest amount ({smallest:.3g} oz) every day"
                    )
                    continue
            if pd.notna(row["low"]):
                contribution = np.hstack([contribution, amount[:, None]])
                minimum = np.append(minimum, row["low"])
                goal.append(f"group:{component}")
            if pd.notna(row["high"]):
                if component in CAPPED_SUBGROUPS:
                    # never below the smallest amount on a menu (a quarter cup of beans), or
                    # a small day's share would keep the subgroup off every menu
                    least = (amount[amount > 0] * PATTERN_LEAST).min()
                    targets.pattern.at[component, "high"] = max(row["high"], least)
                blocks.append(amount[:, None])
                low.append([-np.inf])
                high.append([targets.pattern.at[component, "high"]])
                names.append(f"group:{component}")
        for part, whole in HALF_WHOLE.items():
            if whole in targets.pattern.index and whole not in targets.pattern_dropped:
                blocks.append((equivalents[:, column[part]] - 0.5 * equivalents[:, column[whole]])[:, None])  # fmt: skip
                low.append([0.0])
                high.append([np.inf])
                names.append(f"half:{part}")
        targets.pattern = targets.pattern.drop(list(targets.pattern_dropped), errors="ignore")
    problem = _Problem(
        least=PATTERN_LEAST if len(targets.pattern) else 1,
        foods=index,
        contribution=contribution,
        minimum=minimum,
        goal=goal,
        limited=np.hstack(blocks),
        low=np.concatenate(low),
        high=np.concatenate(high),
        limit_names=names,
        kcal=kcal,
        steps=steps,
    )
    return problem, excluded


def _pruned(problem: _Problem, cost: np.ndarray) -> np.ndarray | None:
    """Whole half portions at the least cost, solved on few foods and proved for all.

    The relaxation (fractional portions) gives a lower bound on any menu, and its reduced cost
    of a food it leaves out is the least that adding one half portion of that food can add.
    So once the best menu from a short list of candidates costs no more than the relaxation's
    optimum plus the smallest reduced cost outside the list, no food outside can improve it,
    and the menu is optimal for the whole table. On all of SR28 this turns a slow solve into
    a quick one.
    """
    n = len(problem.foods)
    relaxed = problem.relaxation(cost)
    if relaxed.status == 2:  # infeasible even with fractional portions
        return None
    reduced = relaxed.lower.marginals
    used = relaxed.x > 1e-9
    order = np.argsort(np.where(used, -np.inf, reduced), kind="stable")
    size = CANDIDATES
    while True:
        keep = np.zeros(n, dtype=bool)
        keep[order[:size]] = True
        keep |= used
        result = problem.solve(cost, keep)
        if result.x is not None:
            outside = ~keep
            bound = relaxed.fun + (reduced[outside].min() if outside.any() else np.inf)
            if bound >= result.fun - 1e-4 * max(1.0, abs(result.fun)):  # HiGHS's own MIP gap
                halves = np.zeros(n, dtype=int)
                halves[keep] = np.round(result.x).astype(int)
                return halves
        elif keep.all():
            return None
        size *= 4


def _fewest_foods(problem: _Problem) -> np.ndarray | None:
    """Whole half portions from as few distinct foods as possible, then the least energy.

    Variables: x (half portions) then y (food used, 0/1), with x <= steps * y; the objective
    counts the y. A second, small solve keeps those foods and asks for the least energy.
    """
    n = len(problem.foods)
    keep = np.ones(n, dtype=bool)
    link = LinearConstraint(hstack([diags(np.ones(n)), diags(-problem.steps)]), -np.inf, 0.0)
    result = milp(
        np.concatenate([np.zeros(n), np.ones(n)]),
        constraints=[*problem.rows(keep, extra_columns=n), link],
        integrality=np.ones(2 * n),
        bounds=Bounds(0, np.concatenate([problem.steps, np.ones(n)])),
    )
    if result.x is None:
        return None
    chosen = np.round(result.x[:n]) > 0
    lean = problem.solve(problem.kcal, chosen)
    halves = np.zeros(n, dtype=int)
    halves[chosen] = np.round(lean.x if lean.x is not None else result.x[:n][chosen]).astype(int)
    return halves


def _why_impossible(problem: _Problem, targets: Targets) -> NoMenuPossible:
    """The elastic problem: how far short must each target fall for a menu to exist?

    Shortfall variables s_j >= 0 join each target row (amount + s_j >= target), and the
    linear programme minimises the total shortfall as a share of each target. The targets
    left short are the ones to blame; the limits its solution presses against (nonzero dual
    values) are what stands in the way.
    """
    n, m = len(problem.foods), len(problem.goal)
    cost = np.concatenate([np.zeros(n), 1.0 / problem.minimum])
    a_ub = vstack(
        [
            hstack([csr_array(-problem.contribution.T), csr_array(-np.eye(m))]),
            hstack([csr_array(problem.limited.T), csr_array((len(problem.high), m))]),
            hstack([csr_array(-problem.limited.T), csr_array((len(problem.low), m))]),
        ]
    )
    high = np.where(np.isfinite(problem.high), problem.high, 1e12)
    low = np.where(np.isfinite(problem.low), -problem.low, 1e12)
    b_ub = np.concatenate([-problem.minimum, high, low])
    bounds = [(0, s) for s in problem.steps] + [(0, None)] * m
    relaxed = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if relaxed.status != 0:
        return NoMenuPossible("no menu fits the energy band and limits at all", problem.goal)
    short = relaxed.x[n:]
    names = [g for g, s in zip(problem.goal, short, strict=True) if s > TOLERANCE * 100]
    duals = np.abs(relaxed.ineqlin.marginals)
    k = len(problem.high)
    pressing = duals[m : m + k] + duals[m + k :]
    order = np.argsort(-pressing, kind="stable")
    limits = [
        problem.limit_names[i]
        for i in order
        if pressing[i] > TOLERANCE and not problem.limit_names[i].startswith("category:")
    ]
    caps_bind = (relaxed.x[:n] >= problem.steps - TOLERANCE) & (relaxed.x[:n] > TOLERANCE)
    categories = [problem.limit_names[i] for i in order if pressing[i] > TOLERANCE]
    if caps_bind.any() or any(c.startswith("category:") for c in categories):
        limits.append("portion caps")
    if not names:  # the whole-portion problem is what fails
        return NoMenuPossible(
            "no menu of whole half portions meets every target within the limits", problem.goal
        )
    reach = {
        g: problem.minimum[problem.goal.index(g)] - short[problem.goal.index(g)] for g in names
    }
    details = "; ".join(
        f"{g}: at most {reach[g]:.3g} of {problem.minimum[problem.goal.index(g)]:.3g}"
        for g in names
    )
    described = [_describe_limit(name, targets) for name in limits]
    within = " and ".join(
        [", ".join(described[:-1]), described[-1]] if len(described) > 1 else described
    )
    return NoMenuPossible(
        f"no menu meets the target for {' and '.join(names)} ({details}) within "
        f"{within or 'the limits'}",
        names,
        limits,
        reach,
    )


def _describe_limit(name: str, targets: Targets) -> str:
    if name == ENERGY:
        low, high = targets.energy
        return f"energy {low:,.0f}-{high:,.0f} kcal"
    if name == FISH_WEEK:
        return "the FDA/EPA weekly fish advice"
    if name == "portion caps":
        return "the portion caps"
    kind, _, what = name.partition(":")
    if kind in ("share", "share_low"):
        low, high, scope = targets.shares.loc[what]
        return f"{what.replace('_', ' ')} {low:g}-{high:g}% of energy ({scope})"
    if kind == "group":
        return f"{what.replace('_', ' ')} at most {targets.pattern.at[what, 'high']:.3g} {targets.pattern.at[what, 'unit']}"  # fmt: skip
    if kind == "half":
        return f"at least half of {HALF_WHOLE[what].replace('_', ' ')} as {what.replace('_', ' ')}"
    return f"{name} ≤ {targets.maximum[name]:,.4g} ({targets.scope[name]})"


def _menu(tables: _Tables, problem, halves, targets, objective, excluded) -> Menu:
    chosen = halves > 0
    index = problem.foods[chosen]
    rows_of = tables.per_100g.index.get_indexer(index)
    caps = tables.caps.iloc[rows_of]
    portions = halves[chosen] * targets.step
    grams = caps["portion_g"].to_numpy() * portions
    items = pd.DataFrame(
        {
            "name": tables.names.iloc[rows_of].to_numpy(),
            "portions": portions,
            "portion": caps["portion"].to_numpy(),
            "grams": grams,
            "kcal": problem.kcal[chosen] * halves[chosen],
            "at_cap": halves[chosen] >= problem.steps[chosen],
            "food_group": tables.food_group.iloc[rows_of].to_numpy(),
        },
        index=index,
    )
    per_100g = tables.per_100g
    limited = targets.maximum.index[targets.maximum.notna()]
    wanted = [*targets.minimum.index, *limited, RETINOL, *targets.shares.index, ENERGY]
    rows = [r for r in dict.fromkeys(wanted) if r in per_100g]
    eaten = np.nan_to_num(per_100g[rows].to_numpy()[rows_of]).T @ grams / 100.0
    target = targets.minimum.reindex(rows).to_numpy(float, copy=True)
    limit = targets.maximum.reindex(rows).to_numpy(float, copy=True)
    scope = targets.scope.reindex(rows).fillna("").to_list()
    unit = tables.units.reindex(rows).to_list()
    if ENERGY in rows:
        at = rows.index(ENERGY)
        target[at], limit[at], scope[at] = *targets.energy, "energy band"
    if FISH_WEEK in problem.limit_names:
        share = problem.limited[:, problem.limit_names.index(FISH_WEEK)] @ halves
        rows, unit, scope = [*rows, FISH_WEEK], [*unit, "week"], [*scope, "FDA/EPA weekly fish advice"]  # fmt: skip
        eaten, target, limit = np.append(eaten, share), np.append(target, np.nan), np.append(limit, 1.0)  # fmt: skip
    totals = pd.DataFrame(
        {"unit": unit, "total": eaten, "target": target, "limit": limit, "limit_scope": scope},
        index=rows,
    )
    totals["binds"] = binds(totals)
    binding = [f"{n} {b}" for n, b in totals["binds"].items() if b]
    shares = pd.DataFrame(columns=["percent", "low", "high", "limit_scope", "binds"])
    if len(targets.shares):
        kcal = totals.at[ENERGY, "total"]
        percent = [
            totals.at[n, "total"] * KCAL_PER_G[n] / kcal * 100 for n in targets.shares.index
        ]
        shares = targets.shares.rename(columns={"scope": "limit_scope"}).assign(percent=percent)
        shares = shares[["percent", "low", "high", "limit_scope"]]
        shares["binds"] = binds(
            pd.DataFrame({"total": shares["percent"], "target": shares["low"].where(shares["low"] > 0),
                          "limit": shares["high"]})
        )  # fmt: skip
        binding += [f"{n} share of energy {b}" for n, b in shares["binds"].items() if b]
    groups = pd.DataFrame(columns=["unit", "total", "amount", "low", "high", "binds"])
    if len(targets.pattern):
        matrix = tables.groups.iloc[rows_of]
        eaten_eq = matrix.to_numpy().T @ grams / 100.0
        total_eq = pd.Series(eaten_eq, index=matrix.columns)
        groups = targets.pattern[["unit", "amount", "low", "high"]].copy()
        groups.insert(1, "total", total_eq.reindex(groups.index).to_numpy())
        groups["binds"] = binds(groups.rename(columns={"low": "target", "high": "limit"}))
        binding += [f"{c} (food group) {b}" for c, b in groups["binds"].items() if b]
    binding += [f"{name} at its cap" for name in items.loc[items["at_cap"], "name"]]
    return Menu(
        items=items,
        totals=totals,
        objective=objective,
        targets=targets,
        foods_considered=len(problem.foods),
        excluded=excluded,
        binding=binding,
        groups=groups,
        shares=shares,
    )


def binds(totals: pd.DataFrame, margin: float = BINDING_MARGIN) -> pd.Series:
    """'target' or 'limit' where the menu is within margin of it, else ''.

    >>> from cramplab import load
    >>> totals = plan_menu(load()).totals  # notebook 07's default menu
    >>> totals.loc[["magnesium", "potassium"], ["total", "target"]].round(0)
                total  target
    magnesium   601.0   420.0
    potassium  4720.0  4700.0
    >>> binds(totals)[["magnesium", "potassium"]].tolist()  # 4,720 is within 5% of 4,700
    ['', 'target']
    """
    at_target = totals["total"] <= totals["target"] * (1 + margin)
    at_limit = totals["total"] >= totals["limit"] * (1 - margin)
    return pd.Series(
        np.select([at_target, at_limit], ["target", "limit"], default=""), index=totals.index
    )
