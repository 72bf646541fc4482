"""Facts stated in notebooks/06_checking_the_guide.ipynb: verdicts, counts and the figures of
the food claims on the FDA's reference amount."""

import re
from functools import cache

import pandas as pd

from cramplab import analysis, claims
from cramplab_tools.facts import FACTS, Context, FactError


@cache
def _verdicts(c: Context) -> pd.DataFrame:
    return claims.verdicts(c.data)


@cache
def _flips(c: Context) -> pd.DataFrame:
    return claims.basis_flips(c.data)


@cache
def _distinct(c: Context) -> pd.DataFrame:
    return claims.distinct_foods(claims.food_claims(c.data))


def _verdict_words(claim_id: str):
    def compute(c: Context):
        return _verdicts(c).at[claim_id, "verdict"].replace("_", " ")

    return compute


for _claim in ("C01", "C06a", "C10", "C11", "C13", "C17", "C24", "C30a", "C33b", "C34", "C38b"):
    FACTS.value(f"{_claim.lower()}_verdict", f"the verdict on {_claim}, in words")(
        _verdict_words(_claim)
    )


@FACTS.claim(
    "c41a_graded_as_c10",
    "the same verdict",
    "C41a (the FAQ's night-time magnesium claim) has C10's verdict and certainty",
)
def _(c: Context):
    table = _verdicts(c).fillna("-")
    return bool(
        (
            table.loc["C41a", ["verdict", "certainty"]]
            == table.loc["C10", ["verdict", "certainty"]]
        ).all()
    )


@FACTS.value("stofan_participants", "football players in the one study of sweat sodium losses")
def _(c: Context):
    studies = c.data.claim_studies
    rows = studies.loc[studies["study"] == "Stofan 2005", "participants"]
    return int(rows.iloc[0])


def _count(verdict: str):
    def compute(c: Context):
        return int((_verdicts(c)["verdict"] == verdict).sum())

    return compute


FACTS.value("supported_count", "claims supported")(_count("supported"))
FACTS.value("partly_count", "claims partly supported")(_count("partly_supported"))
FACTS.value("contradicted_count", "claims contradicted")(_count("contradicted"))
FACTS.value("very_uncertain_count", "claims whose evidence is very uncertain")(
    _count("very_uncertain")
)
FACTS.value("no_evidence_count", "claims with no evidence found")(_count("no_evidence_found"))


@FACTS.value("claim_total", "all the claims checked in notebook 06")
def _(c: Context):
    return len(_verdicts(c))


def _racc(category: str):
    def compute(c: Context):
        return float(c.data.reference_amounts.set_index("racc_category").at[category, "amount"])

    return compute


FACTS.value("racc_fruit", "the FDA reference amount of fresh fruit, g")(_racc("fruits_other"))
FACTS.value("racc_nuts", "the reference amount of nuts and seeds, g")(_racc("nuts_seeds"))
FACTS.value("racc_vegetables", "the reference amount of vegetables, g")(_racc("vegetables_other"))
FACTS.value("racc_milk", "the reference amount of milk, mL")(_racc("milk_drinks"))


# banana_serving_g and banana_racc_g are notebook 03's facts, stated here too.


@FACTS.value("potassium_dv", "the FDA Daily Value for potassium, mg")
def _(c: Context):
    return c.daily_value("potassium")


def _c24(c: Context) -> pd.DataFrame:
    claim = c.data.guide_claims.set_index("claim_id").loc["C24"]
    return claims.food_evidence(c.data, claim["foods"].split(";"), ["potassium"])


@FACTS.claim(
    "c24_none_excellent",
    'that "rich in" requires',
    "no food named in C24 reaches 20% DV potassium per reference amount",
)
def _(c: Context):
    return bool((_c24(c)["percent_dv"] < analysis.EXCELLENT_SOURCE_PCT).all())


@FACTS.value(
    "potassium_leader_pct_racc", "the best %DV potassium per reference amount in the table"
)
def _(c: Context):
    return float(analysis.shown_percent(analysis.percent_dv(c.data, "racc")["potassium"].max()))


@FACTS.claim(
    "no_food_rich_in_potassium",
    'no food in the table is "rich in" potassium',
    "no food reaches 20% DV potassium per reference amount",
)
def _(c: Context):
    return bool(analysis.percent_dv(c.data, "racc")["potassium"].max() < 20)


@FACTS.value("flip_pairs", "distinct food-nutrient words of the food claims that change basis")
def _(c: Context):
    return len(_flips(c)[["food_id", "nutrient_id"]].drop_duplicates())


@FACTS.claim(
    "guide_flip_examples",
    "becomes an excellent source of magnesium",
    "the words the notebook names change as it says between serving and reference amount",
)
def _(c: Context):
    flips = (
        _flips(c).drop_duplicates(["food_id", "nutrient_id"]).set_index(["food_id", "nutrient_id"])
    )
    expected = {
        ("banana", "potassium"): ("neither", "good source"),
        ("spinach_cooked", "potassium"): ("good source", "neither"),
        ("spinach_cooked", "calcium"): ("good source", "neither"),
        ("flaxseed", "magnesium"): ("neither", "excellent source"),
    }
    for key, levels in expected.items():
        if key not in flips.index:
            return False
        if tuple(flips.loc[key, ["level_serving", "level_racc"]]) != levels:
            return False
    collards = ("collards_cooked", "calcium")
    return collards in flips.index and flips.loc[collards, "level_racc"] == "neither"


@FACTS.claim(
    "no_claim_verdict_flips",
    "flips",
    "every food claim has the same verdict per household serving and per reference amount",
)
def _(c: Context):
    serving = claims.verdicts(c.data, "serving")["verdict"]
    return bool((serving == _verdicts(c)["verdict"]).all())


def _absorption(c: Context, food_id: str) -> pd.Series:
    return analysis.calcium_absorption_table(c.data, "racc", [food_id]).loc[food_id]


def _shown(food_id: str, column: str):
    """A %DV as the notebook's tables print it (claims.for_display)."""
    return lambda c: float(analysis.shown_percent(_absorption(c, food_id)[column]))


FACTS.value("spinach_calcium_pct_racc", "cooked spinach, calcium %DV per reference amount")(
    _shown("spinach_cooked", "percent_dv")
)
FACTS.value("spinach_calcium_milk_equivalent", "cooked spinach, calcium %DV as absorbed")(
    _shown("spinach_cooked", "milk_equivalent_pct_dv")
)
FACTS.value("kale_calcium_pct_racc", "cooked kale, calcium %DV per reference amount")(
    _shown("kale_cooked", "percent_dv")
)
FACTS.value("kale_calcium_milk_equivalent", "cooked kale, calcium %DV as absorbed")(
    _shown("kale_cooked", "milk_equivalent_pct_dv")
)


def _c25_absorption(c: Context) -> pd.DataFrame:
    foods = c.data.guide_claims.set_index("claim_id").at["C25", "foods"].split(";")
    return analysis.calcium_absorption_table(c.data, "racc", foods)


@FACTS.value("c25_no_figure_count", "foods named in C25 with no calcium absorption figure")
def _(c: Context):
    return int(_c25_absorption(c)["fraction"].isna().sum())


@FACTS.claim(
    "calcium_greens_fail_both",
    "while leafy greens fail on both readings",
    "no verdict changes with absorption; milk, yogurt and fortified juice pass on both "
    "readings; spinach, kale and collards are not good sources on either",
)
def _(c: Context):
    table = _c25_absorption(c)
    passing = ["milk_whole", "yogurt_plain_lowfat", "orange_juice_fortified"]
    greens = ["spinach_cooked", "kale_cooked", "collards_cooked"]
    good = ["excellent source", "good source"]
    return bool(
        table.loc[passing, "level"].isin(good).all()
        and table.loc[passing, "milk_equivalent_level"].isin(good).all()
        and (table.loc[greens, "level"] == "neither").all()
        and table.loc[greens, "milk_equivalent_level"].isin(["neither", "no figure"]).all()
    )


@FACTS.claim(
    "no_absorbed_verdict_flips",
    "changes no verdict",
    "every food claim's verdict is the same with calcium read as absorbed",
)
def _(c: Context):
    table = _verdicts(c)
    return bool((table["verdict"] == table["verdict_absorbed"]).all())


@FACTS.value("distinct_not_good", "distinct named foods not a good source of anything claimed")
def _(c: Context):
    return int((_distinct(c)["level"] == "neither").sum())


@FACTS.value("distinct_no_data", "distinct named foods with no value for any nutrient claimed")
def _(c: Context):
    return int((_distinct(c)["level"] == "no data").sum())


def _canned_fish(column: str):
    def compute(c: Context):
        table = c.data.reference_amounts.set_index("racc_category")
        return float(table.at["fish_canned", column])

    return compute


FACTS.value("racc_canned_fish", "the reference amount of canned fish, g")(_canned_fish("amount"))
FACTS.value("racc_canned_fish_alt", "the other canned-fish amount the sources give, g")(
    _canned_fish("alternative_amount")
)


def _diet(c: Context, claim_id: str) -> claims.DietCheck:
    claim = c.data.guide_claims.set_index("claim_id").loc[claim_id]
    return claims.diet_claim_verdict(
        c.data, claim["foods"].split(";"), claim["nutrients"].split(";")
    )


@FACTS.value("c39_diet_verdict", "the planner's verdict on the FAQ's diet (C39, part a)")
def _(c: Context):
    return _diet(c, "C39").verdict.replace("_", " ")


@FACTS.claim(
    "c31_short_of_vitamin_d",
    "falls short of vitamin D",
    "a day of C31's foods cannot reach the vitamin D Daily Value",
)
def _(c: Context):
    return "vitamin_d" in _diet(c, "C31").short


def _caution_number(pattern: str):
    """A number the B6 cautions state (supplement_cautions.risk), by a pattern around it."""

    def compute(c: Context):
        cautions = c.data.supplement_cautions
        text = " ".join(cautions.loc[cautions["nutrient_id"] == "vitamin_b6", "risk"])
        found = re.search(pattern, text)
        if not found:
            raise FactError(f"the B6 cautions no longer say {pattern!r}")
        return float(found.group(1))

    return compute


FACTS.value("b6_us_ul", "the US adult UL for vitamin B6, mg a day")(
    _caution_number(r"adult UL is (\d+) mg a day")
)
FACTS.value("b6_tga_reported_below", "B6 dose below which nerve damage has been reported, mg")(
    _caution_number(r"doses under (\d+) mg a day")
)
FACTS.value("b6_efsa_ul", "the EFSA adult UL for vitamin B6 (2023), mg a day")(
    _caution_number(r"UL of (\d+) mg a day for adults")
)
