"""What each table of data/ means, written as rules that the loader enforces.

datapackage.json says what type each column has; this module says what the values mean
together: a reference amount is one eating occasion, a share lies between 0 and 100%, a UL
for total intake is never below the RDA, a row that says the documented rule decided it
agrees with that rule. RULES maps each resource of datapackage.json to its rules, and one
engine (first_broken) checks them, so a new table adds its rules as data: a list of Rule.

A rule names the column it blames (the cell a teacher most likely changed), what that cell
should hold, and a vectorised test marking the rows that break it. The expectation names the
other cells it was compared with, their values filled in from the row ({column} placeholders,
or values the test returns); data/README.md lists every rule, written from the same text.

    Rule("kcal_low", "no more than kcal_high ({kcal_high})",
         lambda t: t.this["kcal_low"] > t.this["kcal_high"])

gives "energy_bands.csv, row 2, column 'kcal_low': expected no more than kcal_high (1400),
found '1600'". A test returns a boolean Series (True: the row breaks the rule; missing counts
as False), or Flagged(rows, values) to fill other placeholders or to say what was found, or
a str for a table-wide finding that no row shows (a row that is missing). `uses` names the
other tables a rule reads: the loader checks those first, so an error is reported where it
was made (a reference amount's unit, not the food whose grams it no longer explains).

Every table also keeps the rules for all tables (EVERY_TABLE): no control characters in any
cell (checked while reading), and source and note cells that cite something a reader can
look up.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

from cramplab import diets, units

LIST_SEPARATOR = ";"  # guide_claims.nutrients, guide_claims.foods, foods.leader_for, ...
# The life stage of the planner's tables that stands for the FDA Daily Values (adults).
DAILY_VALUES_STAGE = "daily_values"

# Bounds of what is physically possible or plausible, each with the reason the rules quote.
# Grams per mL of a food: SR28's lightest household measure is freeze-dried chives (0.014 g/mL),
# its heaviest are syrups and honey (about 1.4-1.5 g/mL).
DENSITY_G_PER_ML = (0.01, 2.0)
DENSITY_EXAMPLES = "freeze-dried chives 0.014, honey 1.42"
MOST_AT_ONCE_G = 1000.0  # a serving or reference amount is one eating occasion
MOST_REFERENCE_AMOUNT = 500.0  # g or mL: the FDA's largest is 360 mL (beverages)
MOST_KCAL_PER_G = 9.02  # pure fat, the most energy-dense food in SR28 (beef tallow, fish oils)
ENERGY_BAND_KCAL = (500, 5000)
MOST_FISH_SERVING_OZ = 8.0
MOST_SERVINGS_A_WEEK = 14.0  # two a day
MOST_OF_ONE_FOOD_A_DAY_G = 5000.0
MOST_A_DAY_G = 1000.0  # of one nutrient: an RDA, AI or UL
MEAN_INTAKE_MOST_DVS = 10  # a population's mean intake below 10 times the Daily Value
GRAMS_PER_UNIT = {"g": 1.0, "mg": 1e-3, "µg": 1e-6}

# A source or note cell must name something a reader can look up, never this project's files.
PROJECT_MATERIAL = re.compile(
    r"facts\.md|\.md\b|\.csv\b|\.ipynb\b|\bdata/|\bnotes/|reference list|UNCONFIRMED",
    re.IGNORECASE,
)
CITATION_COLUMNS = ("source", "note")
# How evidence_against names a study: a DOI or a PubMed id, also written in the row's source.
STUDY_ID = re.compile(r"doi:10\.\d{4,9}/\S+|PMID \d+")
# Grades (nutrient_symptoms, cramp_factors) that need or allow a cited study against.
NEEDS_STUDY_AGAINST = {"contradicted", "mixed"}
MAY_CITE_STUDY_AGAINST = {"very_uncertain", "indirect_against"}
# The inputs of the computed verdicts (cramplab.claims): a part's question as PICO, the bases
# the food data decide, and GRADE's domains with the judgements each takes (GRADE 9).
PICO_ELEMENTS = ("population", "intervention", "comparator", "outcome")
DATA_BASES = {"food_words", "diet_planner"}
NO_STUDY_BASES = DATA_BASES | {"not_assessed"}
# Designs whose "against" needs an interval: a trial or observational null counts against a
# claim only when its interval excludes a worthwhile effect (cramplab.claims.interval_reading).
NEEDS_INTERVAL_AGAINST = {
    "systematic_review", "randomised_trial", "nonrandomised_trial", "cohort", "self_controlled",
    "case_control", "cross_sectional", "case_series", "physiology",
}  # fmt: skip
DOWN_DOMAINS = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
UP_DOMAINS = ("large_effect", "dose_response", "plausible_confounding")
GRADE_DOMAINS = DOWN_DOMAINS + UP_DOMAINS
DOMAIN_JUDGEMENTS = {
    **{domain: {"not_serious", "serious", "very_serious"} for domain in DOWN_DOMAINS},
    "large_effect": {"none", "large", "very_large"},
    "dose_response": {"none", "present"},
    "plausible_confounding": {"none", "present"},
}
JUDGEMENT_ORDER = [
    "not_serious",
    "serious",
    "very_serious",
    "none",
    "present",
    "large",
    "very_large",
]
RATIO_MEASURES = {"risk ratio", "odds ratio", "sequence ratio"}
# Life stages are named <group word>_<youngest age>_<oldest age, or plus>.
GROUP_WORD = {
    "children": "child", "males": "male", "females": "female", "pregnancy": "pregnancy",
    "lactation": "lactation",
}  # fmt: skip
LIFE_STAGE_AGES = re.compile(r"^[a-z]+_(?P<low>\d+)_(?P<high>\d+|plus)$")
# reference_amounts.reference_amount opens with the amount and its unit: "240 mL", "1/4 tsp".
STATED_AMOUNT = re.compile(r"^(?P<amount>\d+(?:\.\d+)?|\d+/\d+)\s+(?P<unit>[A-Za-z]+)\b")
# A household measure (foods.serving_desc): "1 cup", "1/2 cup, chopped", "1 1/2 cup".
MEASURE = re.compile(
    r"^(?P<whole>\d+(?:\.\d+)?)?\s*(?:(?P<num>\d+)/(?P<den>\d+))?\s+(?P<rest>.+)$"
)


def number_text(value: float) -> str:
    """A number as a person would type it: 150, 0.5, 1000000000.

    >>> number_text(150.0), number_text(0.5), number_text(1e9)
    ('150', '0.5', '1000000000')
    """
    return np.format_float_positional(float(value), trim="-")


def split_list(value) -> list[str]:
    """'a;b' -> ['a', 'b']; missing -> [].

    >>> split_list("magnesium; potassium;")
    ['magnesium', 'potassium']
    >>> split_list(float("nan"))  # an empty cell
    []
    """
    if not isinstance(value, str):
        return []
    return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]


EMPTY = "an empty cell"


def is_missing(value) -> bool:
    """An empty cell as pandas reads it: None, pd.NA or NaN (0 and '' are values).

    >>> is_missing(None), is_missing(float("nan")), is_missing(pd.NA)
    (True, True, True)
    >>> is_missing(0), is_missing("")
    (False, False)
    """
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def plain(value) -> str:
    """A value as a message shows it: 1.95 (not np.float64(1.95)), true, an empty cell.

    >>> plain(np.float64(1.95)), plain(True), plain(None)
    ('1.95', 'true', 'an empty cell')
    """
    if is_missing(value):
        return EMPTY
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | float | np.integer | np.floating):
        return number_text(value)
    return str(value)


class Tables:
    """The typed tables by name; `this` is the one whose rules are being checked."""

    def __init__(self, tables: dict[str, pd.DataFrame], name: str):
        self._tables, self.name = tables, name
        self._cache: dict[str, object] = {}

    @property
    def this(self) -> pd.DataFrame:
        return self._tables[self.name]

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self._tables[name]

    def once(self, key: str, compute: Callable[[], object]):
        """compute() the first time a rule of this table asks for key, then the same value."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]


@dataclass(frozen=True)
class Flagged:
    """The rows that break a rule, with values for the message: placeholders of the rule's
    expectation, and "found" when the cell itself does not show what is wrong (an unknown id
    inside a list). values may be a function giving them, called only for a broken row."""

    rows: pd.Series
    values: dict | Callable[[], dict] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """One thing a table means. column: the cell blamed; expected: what it should hold, with
    {placeholders} for the cells it is compared with; bad: the test (see the module doc);
    uses: other tables it reads; text: the rule for data/README.md (default: expected with
    the placeholders' values left out)."""

    column: str
    expected: str
    bad: Callable[[Tables], object]
    uses: tuple[str, ...] = ()
    text: str | None = None

    @property
    def readme_text(self) -> str:
        if self.text is not None:
            return self.text
        text = re.sub(r" \([^()]*\{\w+\}[^()]*\)", "", self.expected)
        return re.sub(r"\{(\w+)\}", r"\1", text).replace(", since ", " when ")


@dataclass(frozen=True)
class Broken:
    """The first row of a table that breaks one of its rules (row None: no row shows it)."""

    row: int | None
    column: str
    expected: str
    found: str  # as the message shows it


def first_broken(name, rules, tables, raw: pd.DataFrame) -> Broken | None:
    """The first row of table `name` that breaks any of its rules (the first rule listed, when
    one row breaks several), else the first table-wide finding, else None.

    raw: the table as written (text), for the blamed cell and its neighbours in the message.

    >>> bands = pd.DataFrame({"kcal_low": [1200, 1600], "kcal_high": [1400, 1400]})
    >>> rule = Rule("kcal_low", "no more than kcal_high ({kcal_high})",
    ...             lambda t: t.this["kcal_low"] > t.this["kcal_high"])
    >>> first_broken("energy_bands", [rule], {"energy_bands": bands}, bands.astype(str))
    Broken(row=2, column='kcal_low', expected='no more than kcal_high (1400)', found="'1600'")
    """
    context = Tables(tables, name)
    first = None  # (row index, rule, values)
    table_wide = None
    for rule in rules:
        result = rule.bad(context)
        if result is None:
            continue
        if isinstance(result, str):
            table_wide = table_wide or (rule, result)
            continue
        rows, values = (
            (result.rows, result.values) if isinstance(result, Flagged) else (result, {})
        )
        broken = np.flatnonzero(_true_rows(rows))
        if broken.size and (first is None or broken[0] < first[0]):
            first = (int(broken[0]), rule, values)
    if first is not None:
        index, rule, values = first
        values = values() if callable(values) else values
        shown = {key: plain(_at(value, index)) for key, value in values.items()}
        cells = _RowText(raw.iloc[index], shown)
        found = shown.get("found") or _cell_text(raw.iloc[index][rule.column])
        return Broken(index + 1, rule.column, rule.expected.format_map(cells), found)
    if table_wide is not None:
        rule, found = table_wide
        return Broken(None, rule.column, rule.expected, found)
    return None


def _true_rows(rows) -> np.ndarray:
    """A rule's rows as a boolean array, missing as False."""
    array = rows.to_numpy() if isinstance(rows, pd.Series) else np.asarray(rows)
    if array.dtype != bool:
        array = pd.Series(array).fillna(False).astype(bool).to_numpy()
    return array


def _at(value, index: int):
    return value.iloc[index] if isinstance(value, pd.Series) else value[index]


def _cell_text(text: str) -> str:
    """The cell as written, quoted; an empty one said in words."""
    return repr(text) if text.strip() else EMPTY


class _RowText(dict):
    """Placeholder values: those the rule computed, else the row's cells as written."""

    def __init__(self, row: pd.Series, computed: dict):
        super().__init__(computed)
        self.row = row

    def __missing__(self, key):
        text = self.row[key].strip()
        return text or EMPTY


def check_order(names: list[str]) -> list[str]:
    """Tables in the order their rules are checked: each after the tables its rules use,
    otherwise in the order given (datapackage.json's).

    >>> check_order(["food_nutrients", "foods", "nutrients"])  # foods' rules read nutrients
    ['nutrients', 'foods', 'food_nutrients']
    """
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order or name not in names:
            return
        if name in visiting:
            raise ValueError(f"the rules of table {name!r} use each other in a circle")
        visiting.add(name)
        for rule in RULES.get(name, []):
            for used in rule.uses:
                if used != name:
                    visit(used)
        visiting.discard(name)
        order.append(name)

    for name in names:
        visit(name)
    return order


# --- helpers shared by the tables' rules --------------------------------------------------


def _positive(column: str, what: str = "a number") -> Rule:
    return Rule(column, f"{what} above 0", lambda t: t.this[column] <= 0)


def _within(column: str, low: float, high: float, expected: str) -> Rule:
    return Rule(column, expected, lambda t: (t.this[column] < low) | (t.this[column] > high))


def _at_most_a_kilogram_a_day(column: str) -> Rule:
    """A daily amount in g, mg or µg weighs at most a kilogram (a typo in the unit's scale)."""

    def bad(t):
        grams = t.this[column] * t.this["unit"].map(GRAMS_PER_UNIT)
        return Flagged(grams > MOST_A_DAY_G, {"grams": grams.round(1)})

    return Rule(
        column,
        f"at most {number_text(MOST_A_DAY_G)} g a day once converted from {{unit}} (this is "
        "{grams} g)",
        bad,
        text=f"at most {number_text(MOST_A_DAY_G)} g a day once converted to grams",
    )


def _same_unit_as_nutrient(column: str = "unit") -> Rule:
    def bad(t):
        unit = t.this["nutrient_id"].map(_by_id(t["nutrients"], "nutrient_id")["unit"])
        return Flagged(t.this[column] != unit, {"nutrient_unit": unit})

    return Rule(
        column, "the nutrient's unit in nutrients.csv ({nutrient_unit})", bad, uses=("nutrients",)
    )


def _known_life_stage() -> Rule:
    def bad(t):
        stages = set(t["intake_references"]["life_stage"]) | {DAILY_VALUES_STAGE}
        return ~t.this["life_stage"].isin(stages)

    return Rule(
        "life_stage",
        f"a life stage of intake_references.csv, or {DAILY_VALUES_STAGE} for the FDA Daily Values",
        bad,
        uses=("intake_references",),
    )


def _every_row_of(target: str, key: str, expected: str) -> Rule:
    """A table-wide rule: a row for every row of another table (found: the first missing)."""

    def bad(t):
        present = set(t.this[key])
        missing = [k for k in t[target][key] if k not in present]
        return f"no row for {missing[0]}" if missing else None

    return Rule(key, expected, bad, uses=(target,))


def _ids_in_list(column: str, target: str, key: str) -> Rule:
    def bad(t):
        known = set(t[target][key])
        unknown = [
            next((item for item in split_list(value) if item not in known), None)
            for value in t.this[column]
        ]
        found = pd.Series([repr(item) if item else "" for item in unknown], index=t.this.index)
        return Flagged(found != "", {"found": found})

    return Rule(
        column,
        f"ids listed in {target}.csv ({key}), separated by '{LIST_SEPARATOR}'",
        bad,
        uses=(target,),
    )


def _by_id(table: pd.DataFrame, key: str) -> pd.DataFrame:
    return table.set_index(key)


def _volume_ml(amount: pd.Series, unit: pd.Series) -> pd.Series:
    """mL in an amount given in mL, cup, tbsp or tsp; NaN for grams."""
    per_unit = unit.map(units.ML_PER_UNIT).astype("float64")
    return amount.astype("float64") * per_unit


def measure_ml(description) -> float:
    """The volume of a household measure as foods.csv writes it ('1/2 cup, chopped'), or NaN
    for a measure that is not a volume ('1 medium', '3 oz').

    >>> round(measure_ml("1/2 cup, chopped"), 1), round(measure_ml("1 tbsp"), 2)
    (118.3, 14.79)
    >>> math.isnan(measure_ml("1 medium"))
    True
    """
    if not isinstance(description, str):
        return math.nan
    match = MEASURE.match(description.strip())
    if match is None or not (match["whole"] or match["num"]):
        return math.nan
    count = Fraction(match["whole"] or 0)
    if match["num"]:
        count += Fraction(int(match["num"]), int(match["den"]))
    volume = units.measure_volume_ml(float(count), match["rest"])
    return math.nan if volume is None else volume


# --- every table ---------------------------------------------------------------------------


def _cites(column: str) -> Rule:
    def bad(t):
        if column not in t.this:
            return None
        cells = t.this[column].fillna("")
        if not PROJECT_MATERIAL.search("\n".join(cells)):  # one search for the whole column
            return None
        return cells.str.contains(PROJECT_MATERIAL)

    return Rule(column, "a citation a reader can look up, not a project file", bad)


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_NAMES = {
    0x00: "a NUL byte", 0x09: "a tab", 0x0A: "a line break", 0x0D: "a carriage return",
    0x1B: "an escape character", 0x7F: "a delete character",
}  # fmt: skip
CONTROL_EXPECTED = "text without control characters (NUL, escape, tab, line break and the like)"
EVERY_TABLE = [_cites(column) for column in CITATION_COLUMNS]
EVERY_TABLE_TEXT = [
    f"Every cell: {CONTROL_EXPECTED}.",
    "`source` and `note`, where a table has them: a citation a reader can look up (a "
    "publication, a regulation, a fact sheet), never a file of this project.",
]


def control_character(text: str) -> str | None:
    """How a message names the first control character of text, or None.

    >>> control_character("Kale\\traw")
    'a tab (U+0009) at character 5'
    >>> control_character("Kale, raw") is None
    True
    """
    match = CONTROL_CHARACTERS.search(text)
    if match is None:
        return None
    code = ord(match.group())
    name = CONTROL_NAMES.get(code, "a control character")
    return f"{name} (U+{code:04X}) at character {match.start() + 1}"


# --- nutrients -----------------------------------------------------------------------------


def _most_100g_can_hold(t):
    table = t.this
    grams = table["max_per_100g"] * table["unit"].map(GRAMS_PER_UNIT)
    kcal = table["unit"] == "kcal"
    return (grams > 100) | (kcal & (table["max_per_100g"] > 902))


NUTRIENTS = [
    _positive("daily_value", "a Daily Value"),
    _positive("max_per_100g", "a limit"),
    Rule(
        "max_per_100g",
        "at most what 100 g of food can hold: 100 g of a nutrient in g, mg or µg, 902 kcal of "
        "energy (pure fat)",
        _most_100g_can_hold,
    ),
    Rule(
        "deficiency_state",
        "an empty cell for a nutrient of kind context (energy, water, retinol)",
        lambda t: (t.this["kind"] == "context") & t.this["deficiency_state"].notna(),
    ),
]


# --- intake_references ---------------------------------------------------------------------


def _stage_ages(t) -> pd.DataFrame:
    return t.once("stage_ages", lambda: t.this["life_stage"].str.extract(LIFE_STAGE_AGES))


def _age_min_named(t):
    low = pd.to_numeric(_stage_ages(t)["low"], errors="coerce")
    return Flagged(low.notna() & (t.this["age_min"] != low), {"named": low})


def _age_max_named(t):
    named = pd.to_numeric(_stage_ages(t)["high"], errors="coerce")  # plus: NaN
    ages = t.this["age_max"].astype("float64")
    return Flagged(named.notna() & (ages != named).fillna(True), {"named": named})


def _group_named(t):
    word = t.this["life_stage"].str.split("_").str[0]
    named = word.map({w: group for group, w in GROUP_WORD.items()})
    shown = named.fillna(
        "children, males, females, pregnancy or lactation, named by the first word: "
        + ", ".join(f"{w}_" for w in GROUP_WORD.values())
    )
    return Flagged(t.this["group"] != named, {"named": shown})


def _ul_below_intake(t):
    table = t.this
    total = table["ul_scope"] == "total intake"
    return total & (table["ul"] < table["amount"])


def _rda_and_ai(t):
    table = t.this
    kinds = table[table["reference_type"].isin(["RDA", "AI"])]
    both = kinds.duplicated(["nutrient_id", "life_stage"], keep="first")

    def values():
        keys = ["nutrient_id", "life_stage"]
        first = kinds.reset_index().groupby(keys)["index"].transform("min").set_axis(kinds.index)
        other_type = table["reference_type"].reindex(first).set_axis(kinds.index)
        return {
            "other_row": (first + 1).reindex(table.index),
            "other_type": other_type.reindex(table.index),
        }

    return Flagged(both.reindex(table.index, fill_value=False), values)


INTAKE_REFERENCES = [
    Rule(
        "group",
        "the group its life stage names ({named}, for {life_stage})",
        _group_named,
        text="the group its life stage names (females for female_19_30)",
    ),
    Rule(
        "age_min",
        "the youngest age its life stage names ({named}, for {life_stage})",
        _age_min_named,
        text="the youngest age its life stage names (14 for male_14_18)",
    ),
    Rule(
        "age_max",
        "the oldest age its life stage names ({named}, for {life_stage})",
        _age_max_named,
        text="the oldest age its life stage names (18 for male_14_18)",
    ),
    Rule(
        "age_max",
        "an empty cell: {life_stage} is an open band",
        lambda t: t.this["life_stage"].str.endswith("_plus") & t.this["age_max"].notna(),
        text="an empty cell for an open band (male_71_plus)",
    ),
    Rule(
        "age_max",
        "no lower than age_min ({age_min})",
        lambda t: t.this["age_min"] > t.this["age_max"],
    ),
    _same_unit_as_nutrient(),
    _positive("amount", "an amount"),
    _at_most_a_kilogram_a_day("amount"),
    _positive("ul", "a UL"),
    _at_most_a_kilogram_a_day("ul"),
    Rule(
        "ul",
        "a UL: ul_scope ({ul_scope}) says one is established",
        lambda t: (t.this["ul_scope"] != "none established") & t.this["ul"].isna(),
        text="a UL unless ul_scope is none established",
    ),
    Rule(
        "ul",
        "an empty cell: ul_scope ({ul_scope}) says no UL is established",
        lambda t: (t.this["ul_scope"] == "none established") & t.this["ul"].notna(),
        text="an empty cell when ul_scope is none established",
    ),
    Rule(
        "ul",
        "no lower than the {reference_type} of the same row (amount {amount}): the UL applies "
        "to total intake",
        _ul_below_intake,
        text="a UL that applies to total intake is no lower than the RDA or AI (amount) of the "
        "same nutrient and life stage",
    ),
    Rule(
        "reference_type",
        "an RDA or an AI for a nutrient and life stage, not both (row {other_row} gives the "
        "{other_type})",
        _rda_and_ai,
    ),
]


# --- foods ---------------------------------------------------------------------------------


def _racc_columns(t) -> tuple[pd.Series, pd.Series]:
    """Each food's reference amount and its unit, from its category."""

    def look_up():
        categories = _by_id(t["reference_amounts"], "racc_category")
        category = t.this["racc_category"]
        return category.map(categories["amount"]), category.map(categories["unit"])

    return t.once("racc_columns", look_up)


def _serving_ml(t) -> pd.Series:
    return t.once("serving_ml", lambda: t.this["serving_desc"].map(measure_ml))


def _serving_density(t):
    serving_ml = _serving_ml(t)
    density = t.this["serving_g"] / serving_ml
    low, high = DENSITY_G_PER_ML
    wrong = (density < low) | (density > high)
    return Flagged(wrong, {"density": density.round(3)})


def _racc_in_grams(t):
    amount, unit = _racc_columns(t)
    return Flagged((unit == "g") & (t.this["racc_g"] != amount), {"category_amount": amount})


def _racc_density(t):
    amount, unit = _racc_columns(t)
    volume = _volume_ml(amount, unit)
    density = t.this["racc_g"] / volume
    low, high = DENSITY_G_PER_ML
    values = {"volume": volume.round(2), "density": density.round(4)}
    return Flagged((density < low) | (density > high), values)


def _racc_from_serving(t):
    """Where the reference amount is weighed with the serving's own measure, racc_g is the
    volume times the serving's grams per mL, exactly as the rebuild computes it."""
    foods = t.this
    amount, unit = _racc_columns(t)
    volume = _volume_ml(amount, unit)
    same_measure = foods["racc_weight_seq"].astype("float64") == foods["weight_seq"]
    serving_ml = _serving_ml(t)
    grams = (volume * foods["serving_g"] / serving_ml).round(2)
    wrong = same_measure & grams.notna() & ((foods["racc_g"] - grams).abs() > 0.005 + 1e-9)
    return Flagged(wrong, {"grams": grams, "volume": volume.round(2)})


FOODS = [
    _within(
        "serving_g",
        1e-9,
        MOST_AT_ONCE_G,
        f"a serving above 0 g and at most {number_text(MOST_AT_ONCE_G)} g (one eating occasion)",
    ),
    Rule(
        "serving_g",
        "grams that give a density of 0.01-2 g per mL to its volume ({serving_desc}: "
        "{density} g per mL; " + DENSITY_EXAMPLES + ")",
        _serving_density,
        text="a serving measured by volume (serving_desc) weighs 0.01-2 g per mL ("
        + DENSITY_EXAMPLES
        + ")",
    ),
    Rule(
        "guide_term",
        "the guide's own word for the food, since guide_named is true",
        lambda t: t.this["guide_named"] & t.this["guide_term"].isna(),
    ),
    Rule(
        "guide_term",
        "an empty cell, since guide_named is false",
        lambda t: ~t.this["guide_named"] & t.this["guide_term"].notna(),
    ),
    _ids_in_list("leader_for", "nutrients", "nutrient_id"),
    Rule(
        "racc_g",
        "the category's amount in grams (reference_amounts.amount, unit g: {category_amount})",
        _racc_in_grams,
        uses=("reference_amounts",),
        text="the category's amount when reference_amounts.csv gives it in grams",
    ),
    Rule(
        "racc_weight_seq",
        "no household measure for a reference amount given in grams",
        lambda t: (_racc_columns(t)[1] == "g") & t.this["racc_weight_seq"].notna(),
        uses=("reference_amounts",),
    ),
    Rule(
        "racc_g",
        "the reference amount in grams, converted with the racc_weight_seq measure",
        lambda t: (
            (_racc_columns(t)[1] != "g")
            & t.this["racc_weight_seq"].notna()
            & t.this["racc_g"].isna()
        ),
        uses=("reference_amounts",),
    ),
    Rule(
        "racc_weight_seq",
        "the SR28 measure that converts the reference amount's volume to grams (racc_g is "
        "{racc_g})",
        lambda t: (
            (_racc_columns(t)[1] != "g")
            & t.this["racc_weight_seq"].isna()
            & t.this["racc_g"].notna()
        ),
        uses=("reference_amounts",),
        text="the SR28 measure that converts a reference amount given as a volume to grams, "
        "when racc_g is given",
    ),
    _within(
        "racc_g",
        1e-9,
        MOST_AT_ONCE_G,
        f"a reference amount above 0 g and at most {number_text(MOST_AT_ONCE_G)} g",
    ),
    Rule(
        "racc_g",
        "{volume} mL weighed as the serving weighs ({serving_desc} = {serving_g} g): {grams} g",
        _racc_from_serving,
        uses=("reference_amounts",),
        text="when racc_weight_seq is the serving's own measure (weight_seq) and that measure "
        "is a volume, exactly the reference amount's mL times the serving's grams per mL, "
        "rounded to 0.01 g",
    ),
    Rule(
        "racc_g",
        "grams that put {volume} mL at 0.01-2 g per mL (this is {density} g per mL; "
        + DENSITY_EXAMPLES
        + ")",
        _racc_density,
        uses=("reference_amounts",),
        text="a reference amount given as a volume weighs 0.01-2 g per mL ("
        + DENSITY_EXAMPLES
        + ")",
    ),
    Rule(
        "racc_note",
        "why the reference amount cannot be weighed, since racc_g is empty",
        lambda t: t.this["racc_g"].isna() & t.this["racc_note"].isna(),
    ),
    _within(
        "label_serving_g",
        1e-9,
        MOST_AT_ONCE_G,
        f"a label serving above 0 g and at most {number_text(MOST_AT_ONCE_G)} g",
    ),
]


# --- food_nutrients ------------------------------------------------------------------------


def _above_nutrient_limit(t):
    amounts = t.this
    limits = _by_id(t["nutrients"], "nutrient_id")
    nutrient = amounts["nutrient_id"]
    ceiling = nutrient.map(limits["max_per_100g"])

    def values():
        name = limits["name"].str[:1].str.lower() + limits["name"].str[1:]
        return {
            "limit": ceiling,
            "unit": nutrient.map(limits["unit"]),
            "name": nutrient.map(name),
            "basis": nutrient.map(limits["max_basis"]),
        }

    return Flagged(amounts["amount"] > ceiling, values)


def _energy_beyond_fat(t):
    amounts = t.this
    water_rows = amounts[amounts["nutrient_id"] == "water"]
    energy_rows = amounts[amounts["nutrient_id"] == "energy"]
    water = energy_rows["food_id"].map(water_rows.set_index("food_id")["amount"])
    most = (MOST_KCAL_PER_G * (100 - water) + 1).round(0)
    # A water amount above 100 g is its own row's error, reported there.
    beyond = (water <= 100) & (energy_rows["amount"] > most)

    def values():
        row = energy_rows["food_id"].map(
            pd.Series(water_rows.index + 1, index=water_rows["food_id"])
        )
        shown = {"water": water, "row": row, "most": most}
        return {key: value.reindex(amounts.index) for key, value in shown.items()}

    return Flagged(beyond.reindex(amounts.index, fill_value=False), values)


def _every_food_and_nutrient(t):
    foods, nutrients = t["foods"], t["nutrients"]
    if len(t.this) == len(foods) * len(nutrients):  # each pair once (the key), each id known
        return None
    expected = pd.MultiIndex.from_product([t["foods"]["food_id"], t["nutrients"]["nutrient_id"]])
    present = pd.MultiIndex.from_frame(t.this[["food_id", "nutrient_id"]])
    missing = ~expected.isin(present)
    if not missing.any():
        return None
    food, nutrient = expected[missing][0]
    return f"no row for food {food}, nutrient {nutrient}"


FOOD_NUTRIENTS = [
    Rule(
        "amount",
        "at most {limit} {unit} of {name} per 100 g of food ({basis})",
        _above_nutrient_limit,
        uses=("nutrients",),
        text="at most the nutrient's max_per_100g (nutrients.csv), with its max_basis",
    ),
    Rule(
        "amount",
        f"energy of at most {number_text(MOST_KCAL_PER_G)} kcal for each gram that is not water "
        "(water {water} g in row {row}: at most {most} kcal; pure fat gives 9.02 kcal a gram)",
        _energy_beyond_fat,
        text=f"energy at most {number_text(MOST_KCAL_PER_G)} kcal for each gram of the food "
        "that is not water, plus 1 kcal for rounding (pure fat, the most energy-dense food, "
        "gives 9.02 kcal a gram in SR28)",
    ),
    Rule(
        "amount",
        "a row for every food of foods.csv and every nutrient of nutrients.csv (an empty "
        "amount says SR28 has no value)",
        _every_food_and_nutrient,
        uses=("foods", "nutrients"),
    ),
]


# --- reference_amounts ---------------------------------------------------------------------


def _stated(t) -> pd.DataFrame:
    return t.once("stated", lambda: t.this["reference_amount"].str.extract(STATED_AMOUNT))


def _stated_amount(t):
    stated = _stated(t)["amount"].map(lambda s: float(Fraction(s)), na_action="ignore")
    return Flagged(stated.notna() & (t.this["amount"] != stated), {"stated": stated})


def _reference_size(t):
    """The reference amount in grams, or in mL once a household measure is converted."""
    table = t.this
    grams = table["unit"] == "g"
    size = table["amount"].where(grams, _volume_ml(table["amount"], table["unit"]))
    values = {"size": size.round(1), "size_unit": table["unit"].where(grams, "mL")}
    return Flagged(size > MOST_REFERENCE_AMOUNT, values)


REFERENCE_AMOUNTS = [
    # What the regulation says comes first: an amount or unit that disagrees with it is the
    # cell that changed.
    Rule(
        "reference_amount",
        "the regulation's words, opening with the amount and its unit (240 mL, 1/4 tsp)",
        lambda t: _stated(t)["amount"].isna(),
    ),
    Rule(
        "amount",
        "the amount reference_amount states ({reference_amount}): {stated}",
        _stated_amount,
        text="the amount that reference_amount states",
    ),
    Rule(
        "unit",
        "the unit reference_amount states ({reference_amount})",
        lambda t: _stated(t)["unit"].notna() & (t.this["unit"] != _stated(t)["unit"]),
    ),
    _positive("amount", "a reference amount"),
    Rule(
        "amount",
        f"at most {number_text(MOST_REFERENCE_AMOUNT)} g or mL, one eating occasion (this is "
        "{size} {size_unit})",
        _reference_size,
        text=f"at most {number_text(MOST_REFERENCE_AMOUNT)} g, or "
        f"{number_text(MOST_REFERENCE_AMOUNT)} mL once a household measure is converted (one "
        "eating occasion: the FDA's largest is 360 mL, for beverages)",
    ),
    Rule(
        "source",
        "the regulation (21 CFR 101.12, 9 CFR 317.312 or 9 CFR 381.412) and its table",
        lambda t: ~t.this["source"].str.contains(r"\d+ CFR \d+\.\d+"),
    ),
]


# --- calcium_absorption --------------------------------------------------------------------


def _no_calcium(t):
    amounts = t["food_nutrients"]
    calcium = amounts[amounts["nutrient_id"] == "calcium"].set_index("food_id")["amount"]
    amount = t.this["food_id"].map(calcium)
    return Flagged(amount <= 0, {"calcium": amount})


def _fraction(column: str) -> Rule:
    return Rule(
        column,
        "a fraction above 0 and no more than 1 (30% is 0.3)",
        lambda t: (t.this[column] <= 0) | (t.this[column] > 1),
    )


CALCIUM_ABSORPTION = [
    _fraction("fraction"),
    _fraction("milk_fraction"),
    _positive("calcium_load_mg", "a calcium load"),
    Rule(
        "food_id",
        "a food with calcium (food_nutrients.csv gives it {calcium} mg per 100 g)",
        _no_calcium,
        uses=("food_nutrients",),
        text="a food with some calcium in food_nutrients.csv",
    ),
]


# --- the evidence tables ---------------------------------------------------------------------
# guide_claims types no verdict or certainty: cramplab.claims computes them from the claim's
# parts (claim_parts), their studies (claim_studies) and GRADE judgements (claim_grades). These
# rules check those inputs; nutrient_symptoms and cramp_factors keep a grade of their own.


def _evidence_against_rules(grade: str) -> list[Rule]:
    def cited(t):
        table = t.this
        ids = table["evidence_against"].map(split_list)
        named = [
            bool(found) and all(STUDY_ID.fullmatch(i) and i in source for i in found)
            for found, source in zip(ids, table["source"].fillna(""), strict=True)
        ]
        return table["evidence_against"].notna() & ~pd.Series(named, index=table.index)

    return [
        Rule(
            "evidence_against",
            "the study against the claim (its DOI or PMID), since "
            + grade
            + " is {"
            + grade
            + "}",
            lambda t: t.this[grade].isin(NEEDS_STUDY_AGAINST) & t.this["evidence_against"].isna(),
            text=f"the study against the claim (its DOI or PMID) when {grade} is contradicted "
            "or mixed",
        ),
        Rule(
            "evidence_against",
            "an empty cell, since " + grade + " is {" + grade + "} (only contradicted, mixed, "
            "very_uncertain or indirect_against cite a study against)",
            lambda t: (
                ~t.this[grade].isin(NEEDS_STUDY_AGAINST | MAY_CITE_STUDY_AGAINST)
                & t.this["evidence_against"].notna()
            ),
            text=f"empty unless {grade} is contradicted, mixed, very_uncertain or "
            "indirect_against",
        ),
        Rule(
            "evidence_against",
            "DOIs (doi:10...) or PubMed ids (PMID nnn), separated by ';', each also named in "
            "source",
            cited,
        ),
    ]


def _by_evidence(t) -> pd.Series:
    return t.this["check_against"] == "evidence"


GUIDE_CLAIMS = [
    _ids_in_list("nutrients", "nutrients", "nutrient_id"),
    _ids_in_list("foods", "foods", "food_id"),
    Rule(
        "foods",
        "the foods the claim names, since check_against is data",
        lambda t: ~_by_evidence(t) & t.this["foods"].isna(),
        text="the foods the claim names when check_against is data",
    ),
    Rule(
        "nutrients",
        "the nutrients the claim names, since check_against is data",
        lambda t: ~_by_evidence(t) & t.this["nutrients"].isna(),
        text="the nutrients the claim names when check_against is data",
    ),
]


def _part_keys(table: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(table[["claim_id", "part"]].astype(object).fillna(""))


def _part_basis(t) -> pd.Series:
    """The basis claim_parts.csv gives each row's claim part (missing: no such part)."""

    def look_up():
        parts = t["claim_parts"]
        basis = pd.Series(parts["basis"].to_numpy(), index=_part_keys(parts))
        return pd.Series(basis.reindex(_part_keys(t.this)).to_numpy(), index=t.this.index)

    return t.once("part_basis", look_up)


def _grade_part(t) -> pd.Series:
    return t.this["basis"] == "grade"


def _pico_element(column: str) -> Rule:
    return Rule(
        column,
        f"the question's {column} (PICO), since basis is grade",
        lambda t: _grade_part(t) & t.this[column].isna(),
        text=f"the question's {column} (PICO) when basis is grade",
    )


def _data_basis_for_evidence_claim(t):
    check = t.this["claim_id"].map(_by_id(t["guide_claims"], "claim_id")["check_against"])
    return Flagged(t.this["basis"].isin(DATA_BASES) & (check != "data"), {"check": check})


def _data_claim_without_data_part(t):
    claims = t["guide_claims"]
    decided_by_data = set(t.this.loc[t.this["basis"].isin(DATA_BASES), "claim_id"])
    data_claims = claims.loc[claims["check_against"] == "data", "claim_id"]
    missing = [claim for claim in data_claims if claim not in decided_by_data]
    return f"none for {missing[0]}, a claim checked against data" if missing else None


CLAIM_PARTS = [
    _every_row_of(
        "guide_claims",
        "claim_id",
        "a row for every claim of guide_claims.csv (a claim holds when all its parts do)",
    ),
    *[_pico_element(column) for column in PICO_ELEMENTS],
    Rule(
        "claim_word",
        "the FDA claim word the claim uses (rich, high, excellent source or good source), since "
        "basis is food_words",
        lambda t: (t.this["basis"] == "food_words") & t.this["claim_word"].isna(),
        text="the FDA claim word the claim uses when basis is food_words",
    ),
    Rule(
        "claim_word",
        "an empty cell, since basis is {basis} (only a food_words part names a claim word)",
        lambda t: (t.this["basis"] != "food_words") & t.this["claim_word"].notna(),
        text="empty unless basis is food_words",
    ),
    Rule(
        "basis",
        "a basis the evidence decides, since guide_claims.csv checks {claim_id} against "
        "{check} (food_words and diet_planner parts only for a claim checked against data)",
        _data_basis_for_evidence_claim,
        uses=("guide_claims",),
        text="food_words or diet_planner only for a claim that guide_claims.csv checks against "
        "data",
    ),
    Rule(
        "basis",
        "a food_words or diet_planner part for every claim that guide_claims.csv checks against "
        "data",
        _data_claim_without_data_part,
        uses=("guide_claims",),
    ),
    _ids_in_list("searches", "evidence_searches", "search_id"),
]


def _unknown_part(t):
    return _part_basis(t).isna()


def _part_without_studies(t):
    basis = _part_basis(t)
    return Flagged(basis.isin(NO_STUDY_BASES), {"basis": basis})


def _odd_pico_element(t):
    odd = [
        next((item for item in split_list(value) if item not in PICO_ELEMENTS), None)
        for value in t.this["indirect_on"]
    ]
    found = pd.Series([repr(item) if item else "" for item in odd], index=t.this.index)
    return Flagged(found != "", {"found": found})


def _has_interval(t) -> pd.Series:
    return t.this[["ci_low", "ci_high"]].notna().all(axis=1)


def _direction_unlike_interval(t):
    from cramplab.claims import interval_reading, no_effect  # the reading rule, written once

    studies = t.this
    read = _has_interval(t) & studies["worthwhile_effect"].notna()
    reading = pd.Series(
        [
            interval_reading(
                row.ci_low, row.ci_high, row.worthwhile_effect, no_effect(row.measure)
            )
            if ok
            else None
            for row, ok in zip(studies.itertuples(), read, strict=True)
        ],
        index=studies.index,
        dtype=object,
    )
    return Flagged(read & (studies["direction"] != reading), {"reading": reading})


def _against_without_interval(t):
    studies = t.this
    return (
        ~_has_interval(t)
        & (studies["direction"] == "against")
        & studies["design"].isin(NEEDS_INTERVAL_AGAINST)
    )


STUDY_NUMBERS = ("measure", "estimate", "ci_low", "ci_high")


def _number_missing(column: str):
    """A study that gives any of its effect's numbers gives all of them."""

    def bad(t):
        numbers = t.this[list(STUDY_NUMBERS)]
        return numbers.notna().any(axis=1) & numbers[column].isna()

    return bad


CLAIM_STUDIES = [
    Rule(
        "part",
        "a part that claim_parts.csv lists ({claim_id} has no part {part} there)",
        _unknown_part,
        uses=("claim_parts",),
        text="a part that claim_parts.csv lists",
    ),
    Rule(
        "part",
        "a part the evidence decides (claim_parts.csv gives {claim_id} part {part} the basis "
        "{basis}; food_words, diet_planner and not_assessed parts cite no studies)",
        _part_without_studies,
        uses=("claim_parts",),
        text="a part the evidence decides (food_words, diet_planner and not_assessed parts cite "
        "no studies)",
    ),
    Rule(
        "indirect_on",
        "the PICO element that differs, since directness is indirect",
        lambda t: (t.this["directness"] == "indirect") & t.this["indirect_on"].isna(),
        text="the PICO element that differs when directness is indirect",
    ),
    Rule(
        "indirect_on",
        "an empty cell, since directness is direct",
        lambda t: (t.this["directness"] != "indirect") & t.this["indirect_on"].notna(),
        text="empty when directness is direct",
    ),
    Rule(
        "indirect_on",
        "PICO elements (population, intervention, comparator, outcome), separated by ';'",
        _odd_pico_element,
    ),
    Rule(
        "how_indirect",
        "how the study differs from the part's question, in one sentence, since directness is "
        "indirect",
        lambda t: (t.this["directness"] == "indirect") & t.this["how_indirect"].isna(),
        text="how the study differs from the part's question when directness is indirect",
    ),
    *[
        Rule(
            column,
            "a value, since the row gives part of its effect (a measure, an estimate and both "
            "ends of its interval, or none of them)",
            _number_missing(column),
            text="given when any of measure, estimate, ci_low and ci_high is (all of them or "
            "none)",
        )
        for column in STUDY_NUMBERS
    ],
    Rule(
        "estimate",
        "a ratio above 0 (measure {measure})",
        lambda t: t.this["measure"].isin(RATIO_MEASURES) & (t.this["estimate"] <= 0),
        text="above 0 for a ratio (risk, odds or sequence ratio)",
    ),
    Rule(
        "ci_low",
        "a ratio above 0 (measure {measure})",
        lambda t: t.this["measure"].isin(RATIO_MEASURES) & (t.this["ci_low"] <= 0),
        text="above 0 for a ratio (risk, odds or sequence ratio)",
    ),
    Rule(
        "estimate",
        "no lower than ci_low ({ci_low})",
        lambda t: t.this["estimate"] < t.this["ci_low"],
    ),
    Rule(
        "estimate",
        "no higher than ci_high ({ci_high})",
        lambda t: t.this["estimate"] > t.this["ci_high"],
    ),
    Rule(
        "worthwhile_effect",
        "the smallest effect worth having, in {measure}, since the row gives an interval "
        "({ci_low} to {ci_high})",
        lambda t: _has_interval(t) & t.this["worthwhile_effect"].isna(),
        text="the smallest effect worth having when the row gives an interval",
    ),
    Rule(
        "worthwhile_effect",
        "an empty cell, since the row gives no interval",
        lambda t: ~_has_interval(t) & t.this["worthwhile_effect"].notna(),
        text="empty when the row gives no interval",
    ),
    Rule(
        "direction",
        "the direction its interval reads, {reading} ({ci_low} to {ci_high}, worthwhile effect "
        "{worthwhile_effect}; for: it excludes no effect on the claimed side; against: it "
        "excludes the worthwhile effect; neither: it takes in both)",
        _direction_unlike_interval,
        text="the direction its interval reads (cramplab.claims.interval_reading: for when it "
        "excludes no effect on the claimed side, against when it excludes the worthwhile "
        "effect, neither when it takes in both)",
    ),
    Rule(
        "direction",
        "for or neither, since the row gives no interval: a {design} counts against only with "
        "an interval that excludes a worthwhile effect (an imprecise null never does)",
        _against_without_interval,
        text="for or neither for a trial, an observational study, a review of trials or a "
        "physiology study without an interval (an imprecise null never counts against)",
    ),
]


def _judgement_of_another_kind(t):
    kinds = t.this["domain"].map(DOMAIN_JUDGEMENTS)
    wrong = [
        judgement not in allowed
        for judgement, allowed in zip(t.this["judgement"], kinds, strict=True)
    ]
    shown = kinds.map(lambda allowed: _either(sorted(allowed, key=JUDGEMENT_ORDER.index)))
    return Flagged(pd.Series(wrong, index=t.this.index), {"kinds": shown})


def _either(words: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b or c'."""
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)


def _domains_missing(t):
    grades = t.this
    keys = _part_keys(grades)
    judged = pd.Series(grades["domain"].to_numpy(), index=keys).groupby(level=[0, 1]).agg(set)
    missing = judged.map(lambda found: [d for d in GRADE_DOMAINS if d not in found])
    row_missing = pd.Series(missing.reindex(keys).to_numpy(), index=grades.index)
    short = row_missing.map(bool)

    def values():
        count = row_missing.map(lambda m: f"{len(GRADE_DOMAINS) - len(m)} domains")
        return {"missing": row_missing.map(", ".join), "found": count}

    return Flagged(short, values)


def _rated_up_and_down(t):
    grades = t.this
    keys = _part_keys(grades)
    down = grades["domain"].isin(DOWN_DOMAINS) & (grades["judgement"] != "not_serious")
    first_down = (
        pd.Series(grades["domain"].where(down).to_numpy(), index=keys)
        .groupby(level=[0, 1])
        .first()
    )
    reason = pd.Series(first_down.reindex(keys).to_numpy(), index=grades.index)
    up = grades["domain"].isin(UP_DOMAINS) & (grades["judgement"] != "none")
    return Flagged(up & reason.notna(), {"down": reason})


GRADE_JUDGEMENTS_TEXT = (
    "not_serious, serious or very_serious for a reason to rate down; none, large or very_large "
    "for large_effect; none or present for dose_response and plausible_confounding"
)

CLAIM_GRADES = [
    Rule(
        "part",
        "a part that claim_parts.csv lists ({claim_id} has no part {part} there)",
        _unknown_part,
        uses=("claim_parts",),
        text="a part that claim_parts.csv lists",
    ),
    Rule(
        "part",
        "a grade part (claim_parts.csv gives {claim_id} part {part} the basis {basis}; only "
        "grade parts are rated with GRADE)",
        lambda t: Flagged(
            _part_basis(t).notna() & (_part_basis(t) != "grade"), {"basis": _part_basis(t)}
        ),
        uses=("claim_parts",),
        text="a grade part of claim_parts.csv",
    ),
    Rule(
        "judgement",
        "a judgement of the kind domain {domain} takes ({kinds})",
        _judgement_of_another_kind,
        text="a judgement of the domain's kind (" + GRADE_JUDGEMENTS_TEXT + ")",
    ),
    Rule(
        "domain",
        f"a judgement for each of the {len(GRADE_DOMAINS)} GRADE domains of {{claim_id}} part "
        "{part} (missing: {missing})",
        _domains_missing,
        text=f"a judgement for each of the {len(GRADE_DOMAINS)} GRADE domains of every part "
        "judged",
    ),
    Rule(
        "judgement",
        "none, since {claim_id} part {part} is rated down ({down}): GRADE rates up only a body "
        "rated down for nothing (GRADE 9)",
        _rated_up_and_down,
        text="none for a reason to rate up when the part is rated down for anything (GRADE 9)",
    ),
]


def _link_rules() -> list[Rule]:
    """nutrient_symptoms and cramp_factors: a row may link to the claim part that asks the
    same question, and a no_evidence_found grade of its own names the search behind it."""
    return [
        Rule(
            "part",
            "a part that claim_parts.csv lists for {claim_id}, the claim the row links to",
            lambda t: t.this["claim_id"].notna() & _part_basis(t).isna(),
            uses=("claim_parts",),
            text="a part that claim_parts.csv lists for the claim in claim_id",
        ),
        Rule(
            "claim_id",
            "the claim that part {part} belongs to",
            lambda t: t.this["claim_id"].isna() & t.this["part"].notna(),
            text="the claim the part belongs to when part is given",
        ),
        _ids_in_list("searches", "evidence_searches", "search_id"),
        Rule(
            "searches",
            "a recorded search (evidence_searches.csv), since evidence_grade is "
            "no_evidence_found and the row links to no claim part",
            lambda t: (
                (t.this["evidence_grade"] == "no_evidence_found")
                & t.this["claim_id"].isna()
                & t.this["searches"].isna()
            ),
            text="a recorded search when evidence_grade is no_evidence_found and the row links "
            "to no claim part",
        ),
    ]


# --- the planner's tables ------------------------------------------------------------------


def _rule_attributes(t) -> pd.DataFrame:
    """What the documented rule of cramplab.diets gives each row's food (worked out once)."""

    def decide():
        foods = _by_id(t["foods"], "food_id")
        ids = t.this["food_id"]
        return diets.attributes(ids.map(foods["usda_description"]), ids.map(foods["food_group"]))

    return t.once("rule_attributes", decide)


def _disagrees_with_rule(column: str):
    def bad(t):
        decided = _rule_attributes(t)
        said = decided[column].astype(object).where(decided[column].notna(), None)
        if column in diets.ATTRIBUTES:
            differs = t.this[column].astype(bool) != decided[column].astype(bool)
        else:
            differs = t.this[column].astype(object).fillna("") != said.fillna("")
        values = {"rule_says": said, "rule_reason": decided["reason"]}
        return Flagged((t.this["decided_by"] == "rule") & differs, values)

    return bad


RULE_TEXT = (
    "what the documented rule of cramplab.diets gives from the food's SR28 description and "
    "group, when decided_by is rule"
)
OR_MANUAL = "where the rule is wrong, write decided_by manual and the reason"

FOOD_ATTRIBUTES = [
    _every_row_of("foods", "food_id", "a row for every food of foods.csv"),
    Rule(
        "fish_advice",
        "no fish advice for a food without fish (fish_shellfish false)",
        lambda t: t.this["fish_advice"].notna() & ~t.this["fish_shellfish"],
    ),
    *[
        Rule(
            column,
            "{rule_says}, as the documented rule of cramplab.diets decides ({rule_reason}), "
            f"since decided_by is rule; {OR_MANUAL}",
            _disagrees_with_rule(column),
            uses=("foods",),
            text=RULE_TEXT,
        )
        for column in (*diets.ATTRIBUTES, "fish_advice")
    ],
    Rule(
        "reason",
        "the documented rule's own reason ({rule_says}), since decided_by is rule; " + OR_MANUAL,
        _disagrees_with_rule("reason"),
        uses=("foods",),
        text="the documented rule's own reason, when decided_by is rule",
    ),
    Rule(
        "reason",
        "the curator's reason, starting 'manual:', since decided_by is manual",
        lambda t: (t.this["decided_by"] == "manual") & ~t.this["reason"].str.startswith("manual:"),
    ),
]


def _groups_twice(t):
    seen: dict[str, int] = {}  # SR28 group -> the first row naming it
    repeated, first = [], []
    for row, value in enumerate(t.this["sr28_groups"], start=1):
        group = next((g for g in split_list(value) if g in seen), None)
        repeated.append(repr(group) if group else "")
        first.append(seen[group] if group else 0)
        for listed in split_list(value):
            seen.setdefault(listed, row)
    found = pd.Series(repeated, index=t.this.index)
    return Flagged(found != "", {"found": found, "first": first})


PORTION_CATEGORIES = [
    Rule(
        "sr28_groups",
        "each SR28 food group in one category only (row {first} names it too)",
        _groups_twice,
    ),
    Rule(
        "max_g",
        "the most grams a day for foods of the SR28 groups in sr28_groups",
        lambda t: t.this["sr28_groups"].notna() & t.this["max_g"].isna(),
    ),
    Rule(
        "max_g",
        "an empty cell, since sr28_groups names no SR28 group",
        lambda t: t.this["sr28_groups"].isna() & t.this["max_g"].notna(),
    ),
    _within(
        "max_g",
        0,
        MOST_OF_ONE_FOOD_A_DAY_G,
        f"at most {number_text(MOST_OF_ONE_FOOD_A_DAY_G)} g a day (0 leaves the groups out)",
    ),
]


def _cap_too_large(t):
    grams = t.this["portion_g"] * t.this["max_portions"]
    return Flagged(grams > MOST_OF_ONE_FOOD_A_DAY_G, {"grams": grams.round(1)})


PORTION_CAPS = [
    _every_row_of("foods", "food_id", "a row for every food of foods.csv"),
    _within(
        "portion_g",
        1e-9,
        MOST_AT_ONCE_G,
        f"a portion above 0 g and at most {number_text(MOST_AT_ONCE_G)} g",
    ),
    Rule(
        "max_portions",
        "a whole or half number of portions, at least a half (the planner counts half portions)",
        lambda t: (t.this["max_portions"] < 0.5) | (t.this["max_portions"] * 2 % 1 != 0),
    ),
    Rule(
        "max_portions",
        f"a cap of at most {number_text(MOST_OF_ONE_FOOD_A_DAY_G)} g a day (this is {{grams}} g "
        "at portion_g {portion_g})",
        _cap_too_large,
        text=f"max_portions times portion_g is at most {number_text(MOST_OF_ONE_FOOD_A_DAY_G)} g "
        "a day",
    ),
]


def _uncovered_stage(t):
    stages = sorted(set(t["intake_references"]["life_stage"]) - set(t.this["life_stage"]))
    return f"none for {stages[0]}" if stages else None


ENERGY_BANDS = [
    _known_life_stage(),
    Rule(
        "life_stage",
        "an energy band for every life stage of intake_references.csv",
        _uncovered_stage,
        uses=("intake_references",),
    ),
    *[
        _within(
            column,
            *ENERGY_BAND_KCAL,
            f"kcal a day between {ENERGY_BAND_KCAL[0]} and {ENERGY_BAND_KCAL[1]}",
        )
        for column in ("kcal_low", "kcal_high")
    ],
    Rule(
        "kcal_low",
        "no more than kcal_high ({kcal_high})",
        lambda t: t.this["kcal_low"] > t.this["kcal_high"],
    ),
    _within("portion_scale", 1e-9, 1, "a share of the adult portion caps above 0 and at most 1"),
]

FISH_ADVICE = [
    _known_life_stage(),
    _within(
        "serving_oz",
        1e-9,
        MOST_FISH_SERVING_OZ,
        f"a serving above 0 oz and at most {number_text(MOST_FISH_SERVING_OZ)} oz",
    ),
    *[
        _within(
            column,
            1e-9,
            MOST_SERVINGS_A_WEEK,
            f"servings a week above 0 and at most {number_text(MOST_SERVINGS_A_WEEK)}",
        )
        for column in ("best_choice_servings", "good_choice_servings")
    ],
    Rule(
        "good_choice_servings",
        "no more than best_choice_servings ({best_choice_servings}): Good Choices are to be "
        "eaten less often than Best Choices",
        lambda t: t.this["good_choice_servings"] > t.this["best_choice_servings"],
    ),
]


def _upper_limit_below_intake(t):
    limits = t.this
    total = limits["ul_scope"] == "total intake"
    if not total.any():
        return None
    intakes = t["intake_references"]
    kinds = intakes[intakes["reference_type"].isin(["RDA", "AI"])]
    target = kinds.set_index(["nutrient_id", "life_stage"])
    keys = pd.MultiIndex.from_frame(limits[["nutrient_id", "life_stage"]])
    amount = pd.Series(target["amount"].reindex(keys).to_numpy(), index=limits.index)
    kind = pd.Series(target["reference_type"].reindex(keys).to_numpy(), index=limits.index)
    return Flagged(total & (limits["ul"] < amount), {"amount": amount, "kind": kind})


UPPER_LIMITS = [
    _known_life_stage(),
    _same_unit_as_nutrient(),
    _positive("ul", "a UL"),
    _at_most_a_kilogram_a_day("ul"),
    Rule(
        "ul",
        "no lower than the {kind} in intake_references.csv for the same nutrient and life stage "
        "({amount}): the UL applies to total intake",
        _upper_limit_below_intake,
        uses=("intake_references",),
        text="a UL that applies to total intake is no lower than the RDA or AI in "
        "intake_references.csv for the same nutrient and life stage",
    ),
]


def _has_reference(kind: str):
    def bad(t):
        intakes = t["intake_references"]
        with_kind = set(intakes.loc[intakes["reference_type"] == kind, "nutrient_id"])
        return (t.this["measure"] == MEASURE_NEEDS[kind]) & ~t.this["nutrient_id"].isin(with_kind)

    return bad


MEASURE_NEEDS = {"RDA": "share_below_ear", "CDRR": "share_above_cdrr"}


def _mean_too_high(t):
    dv = t.this["nutrient_id"].map(_by_id(t["nutrients"], "nutrient_id")["daily_value"])
    mean = t.this["measure"] == "mean_intake"
    values = {"dv": dv, "nutrient_unit": _unit_of_nutrient(t)}
    return Flagged(mean & (t.this["value"] >= MEAN_INTAKE_MOST_DVS * dv), values)


def _unit_for_measure(t):
    unit = _unit_of_nutrient(t)
    wanted = unit.where(t.this["measure"] == "mean_intake", "%")
    return Flagged(t.this["unit"] != wanted, {"wanted": wanted})


POPULATION_INTAKES = [
    Rule(
        "unit",
        "{wanted}, since measure is {measure} (% for a share, the nutrient's unit in "
        "nutrients.csv for a mean)",
        _unit_for_measure,
        uses=("nutrients",),
        text="% for a share, the nutrient's unit (nutrients.csv) for a mean_intake",
    ),
    Rule(
        "value",
        "a share between 0 and 100, since unit is %",
        lambda t: (t.this["unit"] == "%") & (t.this["value"] > 100),
        text="a share between 0 and 100 when unit is %",
    ),
    Rule(
        "value",
        "a mean intake above 0",
        lambda t: (t.this["measure"] == "mean_intake") & (t.this["value"] <= 0),
    ),
    Rule(
        "value",
        f"a mean intake below {MEAN_INTAKE_MOST_DVS} times the nutrient's Daily Value "
        "(nutrients.csv: {dv} {nutrient_unit})",
        _mean_too_high,
        uses=("nutrients",),
    ),
    Rule(
        "measure",
        "a measure the nutrient has: share_below_ear needs an EAR, which only a nutrient with "
        "an RDA in intake_references.csv has (an AI has none)",
        _has_reference("RDA"),
        uses=("intake_references",),
    ),
    Rule(
        "measure",
        "a measure the nutrient has: share_above_cdrr needs a CDRR in intake_references.csv",
        _has_reference("CDRR"),
        uses=("intake_references",),
    ),
]


# --- the food pattern and the other DRI nutrients ---------------------------------------------

# The Dietary Guidelines' groups and their subgroups, and the unit each group is counted in.
PATTERN_SUBGROUPS = {
    "fruits": ("whole_fruit", "fruit_juice"),
    "vegetables": ("dark_green", "red_orange", "beans_peas_lentils", "starchy", "other"),
    "grains": ("whole_grains", "refined_grains"),
    "dairy": ("dairy",),
    "protein_foods": ("seafood", "meats_poultry_eggs", "nuts_seeds_soy"),
    "oils": ("oils",),
    "none": ("none",),
}
PATTERN_UNITS = {"fruits": "cup_eq", "vegetables": "cup_eq", "grains": "oz_eq",
                 "dairy": "cup_eq", "protein_foods": "oz_eq", "oils": "g"}  # fmt: skip
_GROUP_OF = {sub: group for group, subs in PATTERN_SUBGROUPS.items() for sub in subs}


def _in_a_group(t) -> pd.Series:
    return t.this["food_group"] != "none"


FOOD_GROUPS = [
    Rule(
        "subgroup",
        "a subgroup of its food group ({food_group})",
        lambda t: t.this["subgroup"].map(_GROUP_OF) != t.this["food_group"],
    ),
    Rule(
        "unit",
        "the unit its food group is counted in: cup_eq (fruits, vegetables, dairy), oz_eq "
        "(grains, protein foods), g (oils); empty for none",
        lambda t: t.this["unit"].fillna("") != t.this["food_group"].map(PATTERN_UNITS).fillna(""),
    ),
    *[
        Rule(
            column,
            f"{what} for a food in a group (empty for none)",
            lambda t, column=column: _in_a_group(t) == t.this[column].isna(),
        )
        for column, what in (("equivalents", "equivalents"), ("grams", "the measure's grams"))
    ],
    Rule(
        "dairy_fat",
        "a fat level for dairy, and empty for other foods",
        lambda t: (t.this["food_group"] == "dairy") == t.this["dairy_fat"].isna(),
    ),
]
FOOD_PATTERNS = [
    Rule(
        "unit",
        "the unit its food group is counted in: cup_eq (fruits, vegetables, dairy), oz_eq "
        "(grains, protein foods), g (oils)",
        lambda t: (
            t.this["unit"]
            != t.this["component"].map(lambda c: PATTERN_UNITS.get(_GROUP_OF.get(c, c)))
        ),
    ),
]
DRI_REFERENCES = [
    Rule(
        "unit",
        "% of energy for an AMDR or a Dietary Guidelines limit, else the nutrient's unit in "
        "dri_nutrients.csv ({nutrient_unit})",
        lambda t: Flagged(
            t.this["unit"]
            != t.this["nutrient_id"]
            .map(_by_id(t["dri_nutrients"], "nutrient_id")["unit"])
            .where(~t.this["kind"].isin(["AMDR", "DGA limit"]), "% of energy"),
            {
                "nutrient_unit": t.this["nutrient_id"].map(
                    _by_id(t["dri_nutrients"], "nutrient_id")["unit"]
                )
            },
        ),
        uses=("dri_nutrients",),
        text="% of energy for an AMDR or a Dietary Guidelines limit, else the nutrient's unit",
    ),
    Rule(
        "amount",
        "an amount for an RDA, an AI or an AMDR",
        lambda t: t.this["kind"].isin(["RDA", "AI", "AMDR"]) & t.this["amount"].isna(),
    ),
    Rule(
        "limit",
        "a limit for a UL, an AMDR or a Dietary Guidelines limit",
        lambda t: t.this["kind"].isin(["UL", "AMDR", "DGA limit"]) & t.this["limit"].isna(),
    ),
]


def _unit_of_nutrient(t) -> pd.Series:
    return t.this["nutrient_id"].map(_by_id(t["nutrients"], "nutrient_id")["unit"])


# Every table of datapackage.json, with its rules (an empty list: nothing beyond the schema and
# EVERY_TABLE). A test checks that each resource has an entry.
RULES: dict[str, list[Rule]] = {
    "nutrients": NUTRIENTS,
    "intake_references": INTAKE_REFERENCES,
    "foods": FOODS,
    "food_nutrients": FOOD_NUTRIENTS,
    "reference_amounts": REFERENCE_AMOUNTS,
    "calcium_absorption": CALCIUM_ABSORPTION,
    "symptoms": [],
    "nutrient_symptoms": [*_evidence_against_rules("evidence_grade"), *_link_rules()],
    "guide_claims": GUIDE_CLAIMS,
    "claim_parts": CLAIM_PARTS,
    "claim_studies": CLAIM_STUDIES,
    "claim_grades": CLAIM_GRADES,
    "evidence_searches": [],
    "cramp_factors": [*_evidence_against_rules("evidence_grade"), *_link_rules()],
    "supplement_cautions": [],
    "food_attributes": FOOD_ATTRIBUTES,
    "portion_categories": PORTION_CATEGORIES,
    "portion_caps": PORTION_CAPS,
    "energy_bands": ENERGY_BANDS,
    "fish_advice": FISH_ADVICE,
    "upper_limits": UPPER_LIMITS,
    "population_intakes": POPULATION_INTAKES,
    "food_groups": FOOD_GROUPS,
    "food_patterns": FOOD_PATTERNS,
    "dri_nutrients": [],
    "dri_references": DRI_REFERENCES,
    "dri_food_nutrients": [],
}


def rules_for(name: str) -> list[Rule]:
    """A table's own rules, then those of every table.

    >>> rules = rules_for("energy_bands")
    >>> rules[4].column, rules[4].expected
    ('kcal_low', 'no more than kcal_high ({kcal_high})')
    >>> [rule.column for rule in rules[-2:]]  # every table's: source and note cite something
    ['source', 'note']
    """
    return [*RULES.get(name, []), *EVERY_TABLE]
