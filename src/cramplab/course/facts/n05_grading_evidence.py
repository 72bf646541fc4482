"""Facts stated in notebooks/05_grading_evidence.ipynb: figures from claim_studies and the
course's verdicts on the two claims the notebook grades."""

import pandas as pd

from cramplab.course.facts import FACTS, Context, FactError


def _study(c: Context, claim_id: str, study: str) -> pd.Series:
    rows = c.data.claim_studies.set_index(["claim_id", "study"])
    if (claim_id, study) not in rows.index:
        raise FactError(f"claim_studies has no study {study!r} for {claim_id}")
    return rows.loc[(claim_id, study)]


def _figure(claim_id: str, study: str, column: str, sign: int = 1):
    def compute(c: Context):
        value = _study(c, claim_id, study)[column]
        if pd.isna(value):
            raise FactError(f"{study} has no {column} in claim_studies")
        return int(value) if column == "participants" else sign * float(value)

    return compute


GARRISON = ("C38b", "Garrison 2020 (Cochrane review)")
DELACOUR = ("C33b", "Delacour 2018")
HALLEGRAEFF = ("C30a", "Hallegraeff 2012")

FACTS.value("kona_or", "the Kona records' odds ratio for dehydration in crampers")(
    _figure("C06a", "Kona medical-tent records", "estimate")
)
FACTS.value("schwellnus_participants", "triathletes in the prospective Ironman cohort")(
    _figure("C06a", "Schwellnus 2011", "participants")
)
FACTS.value("garrison_participants", "people in the Cochrane responder analysis")(
    _figure(*GARRISON, "participants")
)
FACTS.value("garrison_rr", "the Cochrane review's risk ratio for magnesium")(
    _figure(*GARRISON, "estimate")
)
FACTS.value("garrison_ci_low", "its 95% interval, lower end")(_figure(*GARRISON, "ci_low"))
FACTS.value("garrison_ci_high", "its 95% interval, upper end")(_figure(*GARRISON, "ci_high"))
FACTS.value("delacour_or", "the alcohol case-control study's odds ratio")(
    _figure(*DELACOUR, "estimate")
)
FACTS.value("delacour_ci_low", "its interval, lower end")(_figure(*DELACOUR, "ci_low"))
FACTS.value("delacour_ci_high", "its interval, upper end")(_figure(*DELACOUR, "ci_high"))
FACTS.value("coppin_participants", "patients in the Coppin 2005 stretching trial")(
    _figure("C30a", "Coppin 2005", "participants")
)
FACTS.value("hallegraeff_participants", "adults in the Hallegraeff 2012 stretching trial")(
    _figure(*HALLEGRAEFF, "participants")
)
# Hallegraeff's difference is stored as stretching minus control (negative: fewer cramps).
FACTS.value("hallegraeff_fewer", "fewer cramps a night with stretching")(
    _figure(*HALLEGRAEFF, "estimate", sign=-1)
)
FACTS.value("hallegraeff_ci_low", "fewer cramps a night, low end of the interval")(
    _figure(*HALLEGRAEFF, "ci_high", sign=-1)
)
FACTS.value("hallegraeff_ci_high", "fewer cramps a night, high end of the interval")(
    _figure(*HALLEGRAEFF, "ci_low", sign=-1)
)


def _verdict(claim_id: str):
    def compute(c: Context):
        return (
            c.data.guide_claims.set_index("claim_id")
            .at[claim_id, "evidence_verdict"]
            .replace("_", " ")
        )

    return compute


FACTS.value("c03_verdict", "the course's verdict on C03, in words")(_verdict("C03"))
FACTS.value("c30a_verdict", "the course's verdict on C30a, in words")(_verdict("C30a"))


def _designs(claim_id: str, design: str):
    def compute(c: Context):
        studies = c.data.claim_studies
        return int(((studies["claim_id"] == claim_id) & (studies["design"] == design)).sum())

    return compute


FACTS.value("c03_physiology_studies", "physiology studies cited for C03")(
    _designs("C03", "physiology")
)
FACTS.value("c30a_trials", "randomised trials cited for C30a")(
    _designs("C30a", "randomised_trial")
)


@FACTS.value("mg_supplement_ul", "the adult UL for magnesium, mg a day (supplements only)")
def _(c: Context):
    refs = c.data.intake_references
    adults = refs[(refs["nutrient_id"] == "magnesium") & (refs["age_min"] >= 19)]
    limits = set(adults["ul"])
    if len(limits) != 1 or set(adults["ul_scope"]) != {"supplements and medicines only"}:
        raise FactError("the adult magnesium UL is no longer one supplements-only figure")
    return float(limits.pop())
