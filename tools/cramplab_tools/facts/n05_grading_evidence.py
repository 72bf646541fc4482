"""Facts stated in notebooks/05_grading_evidence.ipynb: figures from claim_studies, counts of the
evidence tables, and the course's computed verdicts on the parts the notebook grades."""

from functools import cache

import pandas as pd

from cramplab import claims
from cramplab_tools.facts import FACTS, Context, FactError


def _study(c: Context, claim_id: str, part: str, study: str) -> pd.Series:
    rows = c.data.claim_studies.set_index(["claim_id", "part", "study"])
    if (claim_id, part, study) not in rows.index:
        raise FactError(f"claim_studies has no study {study!r} for {claim_id} part {part}")
    return rows.loc[(claim_id, part, study)]


def _figure(where: tuple[str, str, str], column: str, sign: int = 1):
    def compute(c: Context):
        value = _study(c, *where)[column]
        if pd.isna(value):
            raise FactError(f"{where[2]} has no {column} in claim_studies")
        return int(value) if column == "participants" else sign * float(value)

    return compute


KONA = ("C06a", "a", "Kona medical-tent records")
SCHWELLNUS = ("C06a", "a", "Schwellnus 2011")
RESPONDERS = ("C38b", "b", "Garrison 2020: responders")
FREQUENCY = ("C38b", "b", "Garrison 2020: cramp frequency")
DELACOUR = ("C33b", "b", "Delacour 2018")
COPPIN = ("C30a", "a", "Coppin 2005")
HALLEGRAEFF = ("C30a", "a", "Hallegraeff 2012")

FACTS.value("kona_or", "the Kona records' odds ratio for dehydration in crampers")(
    _figure(KONA, "estimate")
)
FACTS.value("schwellnus_participants", "triathletes in the prospective Ironman cohort")(
    _figure(SCHWELLNUS, "participants")
)
FACTS.value("garrison_participants", "people in the Cochrane idiopathic-cramp analyses")(
    _figure(RESPONDERS, "participants")
)
FACTS.value("garrison_rr", "the Cochrane responder analysis's risk ratio for magnesium")(
    _figure(RESPONDERS, "estimate")
)
FACTS.value("garrison_ci_low", "its 95% interval, lower end")(_figure(RESPONDERS, "ci_low"))
FACTS.value("garrison_ci_high", "its 95% interval, upper end")(_figure(RESPONDERS, "ci_high"))
FACTS.value("garrison_rr_worthwhile", "the worthwhile risk ratio the course reads it against")(
    _figure(RESPONDERS, "worthwhile_effect")
)
# The cramp-frequency difference is stored as magnesium minus placebo (negative: fewer).
FACTS.value("frequency_fewer", "% fewer cramps with magnesium (Cochrane, at 4 weeks)")(
    _figure(FREQUENCY, "estimate", sign=-1)
)
FACTS.value("frequency_most_fewer", "its interval: the most fewer, %")(
    _figure(FREQUENCY, "ci_low", sign=-1)
)
FACTS.value("frequency_ci_high", "its interval: the most more, %")(_figure(FREQUENCY, "ci_high"))
FACTS.value("frequency_worthwhile", "the review's worthwhile reduction, %")(
    _figure(FREQUENCY, "worthwhile_effect", sign=-1)
)
FACTS.value("delacour_or", "the alcohol case-control study's odds ratio")(
    _figure(DELACOUR, "estimate")
)
FACTS.value("delacour_ci_low", "its interval, lower end")(_figure(DELACOUR, "ci_low"))
FACTS.value("delacour_ci_high", "its interval, upper end")(_figure(DELACOUR, "ci_high"))
FACTS.value("coppin_participants", "patients in the Coppin 2005 stretching trial")(
    _figure(COPPIN, "participants")
)
FACTS.value("coppin_md", "more cramps in 4 weeks with advice to stretch (Coppin)")(
    _figure(COPPIN, "estimate")
)
FACTS.value("coppin_most_fewer", "its interval: the most fewer cramps in 4 weeks")(
    _figure(COPPIN, "ci_low", sign=-1)
)
FACTS.value("coppin_ci_high", "its interval: the most more cramps in 4 weeks")(
    _figure(COPPIN, "ci_high")
)
FACTS.value("coppin_worthwhile", "the worthwhile reduction, cramps in 4 weeks")(
    _figure(COPPIN, "worthwhile_effect", sign=-1)
)
FACTS.value("hallegraeff_participants", "adults in the Hallegraeff 2012 stretching trial")(
    _figure(HALLEGRAEFF, "participants")
)
# Hallegraeff's difference is stored as stretching minus control (negative: fewer cramps).
FACTS.value("hallegraeff_fewer", "fewer cramps a night with stretching")(
    _figure(HALLEGRAEFF, "estimate", sign=-1)
)
FACTS.value("hallegraeff_ci_low", "fewer cramps a night, low end of the interval")(
    _figure(HALLEGRAEFF, "ci_high", sign=-1)
)
FACTS.value("hallegraeff_ci_high", "fewer cramps a night, high end of the interval")(
    _figure(HALLEGRAEFF, "ci_low", sign=-1)
)


@cache
def _parts(c: Context) -> pd.DataFrame:
    return claims.part_verdicts(c.data).set_index(["claim_id", "part"])


def _part(claim_id: str, part: str, column: str):
    def compute(c: Context):
        value = _parts(c).at[(claim_id, part), column]
        if not isinstance(value, str):
            raise FactError(f"{claim_id} part {part} has no {column}")
        return value.replace("_", " ")

    return compute


FACTS.value("c30aa_verdict", "the computed verdict on C30a, in words")(
    _part("C30a", "a", "verdict")
)
FACTS.value("c30aa_certainty", "its GRADE certainty, in words")(_part("C30a", "a", "certainty"))
FACTS.value("c38bb_verdict", "the computed verdict on C38b part b, in words")(
    _part("C38b", "b", "verdict")
)


@FACTS.value("c30a_trials", "randomised trials cited for C30a")
def _(c: Context):
    studies = c.data.claim_studies
    return int(((studies["claim_id"] == "C30a") & (studies["design"] == "randomised_trial")).sum())


@FACTS.value("part_count", "parts of the guide's claims (claim_parts)")
def _(c: Context):
    return len(c.data.claim_parts)


@FACTS.value("grade_part_count", "parts asked as a GRADE question")
def _(c: Context):
    return int((c.data.claim_parts["basis"] == "grade").sum())


@FACTS.value("search_count", "searches recorded in evidence_searches")
def _(c: Context):
    return len(c.data.evidence_searches)


@FACTS.value("mg_supplement_ul", "the adult UL for magnesium, mg a day (supplements only)")
def _(c: Context):
    refs = c.data.intake_references
    adults = refs[(refs["nutrient_id"] == "magnesium") & (refs["age_min"] >= 19)]
    limits = set(adults["ul"])
    if len(limits) != 1 or set(adults["ul_scope"]) != {"supplements and medicines only"}:
        raise FactError("the adult magnesium UL is no longer one supplements-only figure")
    return float(limits.pop())


def _magnesium_ul(life_stage: str):
    def compute(c: Context):
        refs = c.data.intake_references
        row = refs[(refs["nutrient_id"] == "magnesium") & (refs["life_stage"] == life_stage)]
        if row.empty or pd.isna(row["ul"].iloc[0]):
            raise FactError(f"no magnesium UL for {life_stage}")
        return float(row["ul"].iloc[0])

    return compute


FACTS.value("mg_ul_child_1_3", "the magnesium UL at 1-3 years, mg a day")(
    _magnesium_ul("child_1_3")
)
FACTS.value("mg_ul_child_4_8", "the magnesium UL at 4-8 years, mg a day")(
    _magnesium_ul("child_4_8")
)
