"""Verdicts on the guide's claims, computed from recorded inputs by rules written once here.

Nothing in data/ types a verdict or a certainty. A claim (guide_claims) is split into the
parts it asserts (claim_parts), and each part names its basis, the kind of evidence that can
decide it:

  food_words              a food claim, judged by the FDA word it uses (21 CFR 101.54)
  diet_planner            a claim about a diet, judged by whether a day built from the named
                          foods can meet the targets (the menu planner, cramplab.plan)
  grade                   a question about an outcome that matters to people (cramps), asked
                          as PICO and answered by studies, with a GRADE certainty
  physiology              a measurement of how the body works (a daily rhythm, say), answered
                          by physiology studies; GRADE does not rate such statements
  established_physiology  textbook physiology (a reference states it); no GRADE level
  clinical_reference      an established clinical fact (the signs of a diagnosed disorder,
                          standard care); no GRADE level
  survey                  a statistic, answered by an official survey; no GRADE level
  not_assessed            first aid or warning-sign advice that no study tests

The verdict of a part from its studies (claim_studies), one rule for every evidence basis.
Only the designs that can answer the basis count (BASIS_DESIGNS: trials and observational
studies for grade, physiology studies for physiology, references for the reference bases);
narrative reviews and the rest are context. Each counting study points for, against or
neither: a study with an interval is read from it (interval_reading: "for" when it excludes no
effect in the claimed direction, "against" when it excludes a worthwhile effect, "neither"
otherwise: an imprecise null never counts against), a study without one as recorded (and a
trial or observational study cannot count against without an interval). Then:

  direct studies both ways                      mixed
  direct studies against only                   contradicted
  direct studies for only                       supported
  no direct study pointing; indirect against    indirect_against ("not shown; indirect
                                                evidence against", shown with the PICO
                                                element that differs)
  ... indirect for                              indirect_for
  a direct study (not a reference) that points
  neither way, or indirect studies both ways    inconclusive
  otherwise (no study, a reference that does
  not list it, indirect studies that show
  nothing)                                      no_evidence_found (a recorded search says
                                                where we looked)

A grade part whose certainty comes out very low is "very_uncertain" whichever way its evidence
points: at that level GRADE's wording (Santesso et al., GRADE 26) says only that "the evidence
is very uncertain".

The certainty of a grade part (GRADE: Balshem et al. 2011; Guyatt et al. 2011, GRADE 9): the
body of evidence is the studies that decide the verdict (the direct ones when any points,
else the indirect ones); it starts high if any of them is randomised, low otherwise; each
recorded domain judgement (claim_grades) moves it (serious -1, very serious -2; a large effect
+1, very large +2, a dose-response gradient or confounding that would hide the effect +1);
the result is clipped to very low .. high. Rating up applies only to a body that starts low
and is rated down for nothing (GRADE 9, restated by the KCE process book); the data refuse
anything else.

A claim's verdict combines its parts: all supported is supported; some supported and some not
is partly_supported; with none supported, the strongest finding wins, in the order
contradicted, mixed, indirect_against, indirect_for, inconclusive, no_evidence_found (a
food or diet part that depends on an unresolved reference amount makes the claim depend on
it). Its certainty is the lowest of its grade parts' certainties (GRADE's rule for an overall
rating when findings point different ways); reference and physiology parts carry their basis
instead of a level.

Where the course departs from GRADE (said to students in notebook 05, "Where the course
departs from GRADE"): one reviewer recorded every study and judgement, with no second person
checking; a part of a guide's claim stands in for GRADE's outcome; the searches are recorded
(evidence_searches) but are not a systematic review; the verdict words and the separate
indirect verdicts are the course's scale on top of GRADE's certainty; the worthwhile effect
each interval is read against is the course's choice; food and diet claims are judged by the
FDA's words and by the planner, which are not GRADE rules at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cramplab.analysis import (
    EXCELLENT_SOURCE_PCT,
    GOOD_SOURCE_PCT,
    SERVING_COLUMNS,
    amounts,
    basis_changes,
    claim_level,
    daily_values,
    milk_equivalent_calcium_pct_dv,
    serving_grams,
    shown_percent,
)
from cramplab.data import CourseData, split_list

# The amount of food a food claim is judged on: the FDA's reference amount (analysis.amounts).
BASIS = "racc"

VERDICTS = [
    "supported",
    "partly_supported",
    "mixed",
    "contradicted",
    "indirect_against",
    "indirect_for",
    "very_uncertain",
    "inconclusive",
    "depends",
    "no_evidence_found",
    "not_assessed",
    "no_data",
]
VERDICT_LABELS = {
    "supported": "Supported",
    "partly_supported": "Partly supported",
    "mixed": "Mixed evidence",
    "contradicted": "Contradicted",
    "indirect_against": "Not shown; indirect evidence against",
    "indirect_for": "Not shown; indirect evidence for",
    "very_uncertain": "Very uncertain",
    "inconclusive": "Inconclusive",
    "depends": "Depends on the reference amount",
    "no_evidence_found": "No evidence found",
    "not_assessed": "Not assessed",
    "no_data": "No data",
}
VERDICT_MEANINGS = {
    "supported": "Direct evidence agrees with the claim as the guide states it.",
    "partly_supported": "One part of the claim holds; another does not.",
    "mixed": "Direct studies of the claim point both ways.",
    "contradicted": "Direct evidence against: an interval that excludes a worthwhile effect, "
    "or the reference states otherwise.",
    "indirect_against": "No direct study; studies of other people or another intervention "
    "point against.",
    "indirect_for": "No direct study; studies of other people or another intervention point for.",
    "very_uncertain": "The evidence points one way at very low GRADE certainty: GRADE says only "
    "that it is very uncertain.",
    "inconclusive": "Studied, but no study is precise enough to point either way.",
    "depends": "The verdict differs between two reference amounts the sources disagree on.",
    "no_evidence_found": "Testable, but a recorded search found no study either way.",
    "not_assessed": "Deliberately not graded: first aid or warning-sign advice no study tests.",
    "no_data": "A food claim none of whose foods has a value for the nutrient.",
}
# Which verdicts say the evidence is against a claim, which say it was not shown, and which say
# there is nothing either way: charts and counts keep them apart.
AGAINST = ["contradicted"]
NOT_SHOWN = ["indirect_against", "indirect_for", "very_uncertain", "inconclusive"]
NOTHING_EITHER_WAY = ["no_evidence_found", "not_assessed", "no_data"]
CERTAINTIES = ["high", "moderate", "low", "very_low"]
# GRADE's wording for a finding at each certainty (Santesso et al., GRADE 26, 2020).
CERTAINTY_WORDS = {
    "high": "results in",
    "moderate": "likely",
    "low": "may",
    "very_low": "the evidence is very uncertain",
}

BASES = {
    "food_words": "USDA data, FDA claim words",
    "diet_planner": "USDA data, menu planner",
    "grade": "GRADE",
    "physiology": "physiology studies (not rated)",
    "established_physiology": "established physiology",
    "clinical_reference": "clinical reference",
    "survey": "official survey",
    "not_assessed": "not assessed",
}
RANDOMISED = {"randomised_trial", "systematic_review"}  # the course's reviews pool trials
OBSERVATIONAL = {
    "nonrandomised_trial", "cohort", "case_control", "cross_sectional", "self_controlled",
    "case_series",
}  # GRADE rates non-randomised studies from low, as observational ones  # fmt: skip
REFERENCES = {"clinical_reference", "textbook", "survey"}
BASIS_DESIGNS = {
    "grade": RANDOMISED | OBSERVATIONAL,
    "physiology": {"physiology"},
    "established_physiology": {"textbook"},
    "clinical_reference": {"clinical_reference"},
    "survey": {"survey"},
}
PICO = ["population", "intervention", "comparator", "outcome"]

# GRADE's domains (Balshem et al. 2011; Guyatt et al. 2011, GRADE 9) and what each judgement
# does to the level of certainty.
DOMAINS_DOWN = ["risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias"]
DOMAINS_UP = ["large_effect", "dose_response", "plausible_confounding"]
DOMAINS = DOMAINS_DOWN + DOMAINS_UP
STEPS = {
    "not_serious": 0,
    "serious": -1,
    "very_serious": -2,
    "none": 0,
    "present": 1,
    "large": 1,
    "very_large": 2,
}
START = {"high": 4, "low": 2}
LEVELS = {4: "high", 3: "moderate", 2: "low", 1: "very_low"}

# FDA claim words (21 CFR 101.54(b)-(c)): "high", "rich in" and "excellent source" need 20% of
# the Daily Value per reference amount, "good source" 10%.
CLAIM_WORDS = {
    "rich": "excellent source",
    "high": "excellent source",
    "excellent source": "excellent source",
    "good source": "good source",
}
LEVEL_THRESHOLD = {"excellent source": EXCELLENT_SOURCE_PCT, "good source": GOOD_SOURCE_PCT}
# A claim's verdict when no part is supported: the strongest finding first.
NONE_SUPPORTED_ORDER = [
    "contradicted",
    "mixed",
    "indirect_against",
    "indirect_for",
    "very_uncertain",
    "inconclusive",
    "no_evidence_found",
    "no_data",
]


# --- reading one study ------------------------------------------------------------------------


def no_effect(measure: str) -> float:
    """The value of a measure that means no difference: 1 for a ratio, 0 for a difference.

    >>> no_effect("risk ratio"), no_effect("mean difference (cramps a night)")
    (1.0, 0.0)
    """
    return 1.0 if str(measure).endswith("ratio") else 0.0


def interval_reading(ci_low, ci_high, worthwhile, null=1.0) -> str:
    """Which way a 95% interval points on a claim whose worthwhile effect is `worthwhile`.

    The claim predicts an effect on the side of `null` where `worthwhile` lies. "for": the
    interval excludes no effect on that side; "against": it excludes the worthwhile effect
    (a precise null, or an effect the other way); "neither": it takes in both no effect and a
    worthwhile one, an imprecise result that shows nothing either way.

    The two trials of claim C30a (mean differences, no effect at 0), each read against the
    fewer cramps it would take to matter:

    >>> interval_reading(-1.80, -0.60, worthwhile=-0.14, null=0.0)  # Hallegraeff 2012
    'for'
    >>> interval_reading(-3.01, 6.90, worthwhile=-4.0, null=0.0)  # Coppin 2005
    'against'
    >>> interval_reading(-5.0, 1.0, worthwhile=-4.0, null=0.0)  # takes in both: imprecise
    'neither'
    """
    if worthwhile > null:
        if ci_low > null:
            return "for"
        return "against" if ci_high < worthwhile else "neither"
    if ci_high < null:
        return "for"
    return "against" if ci_low > worthwhile else "neither"


STUDY_COLUMNS = [
    "claim_id", "part", "study", "design", "direction", "directness", "indirect_on", "measure",
    "estimate", "ci_low", "ci_high", "worthwhile_effect",
]  # fmt: skip


def study_readings(studies: pd.DataFrame, parts: pd.DataFrame | None = None) -> pd.DataFrame:
    """claim_studies with `reading` (the direction the rule uses) and `counts` (whether the
    study's design can decide its part's basis; parts: claim_parts, or all count).

    >>> from cramplab import load
    >>> readings = study_readings(load().claim_studies)
    >>> readings.loc[readings["claim_id"] == "C30a", ["study", "reading"]]
                        study  reading
    67            Coppin 2005  against
    68       Hallegraeff 2012      for
    69  Rabbitt 2016 (review)  neither
    """
    missing = [c for c in STUDY_COLUMNS if c not in studies.columns]
    table = studies.assign(**{c: np.nan for c in missing})
    has_interval = table[["ci_low", "ci_high", "worthwhile_effect"]].notna().all(axis=1)
    readings = [
        interval_reading(row.ci_low, row.ci_high, row.worthwhile_effect, no_effect(row.measure))
        if interval
        else row.direction
        for row, interval in zip(table.itertuples(), has_interval, strict=True)
    ]
    table["reading"] = readings
    if parts is None:
        table["counts"] = True
    else:
        basis = _part_index(table).map(parts.set_index(["claim_id", "part"])["basis"])
        table["counts"] = [
            design in BASIS_DESIGNS.get(b, set())
            for design, b in zip(table["design"], basis, strict=True)
        ]
    return table


def _part_index(table: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(table[["claim_id", "part"]])


# --- one part ---------------------------------------------------------------------------------


def evidence_verdict(studies: pd.DataFrame) -> str:
    """The verdict of a part from its counting studies (columns directness and reading).

    >>> from cramplab import load
    >>> data = load()
    >>> readings = study_readings(data.claim_studies, data.claim_parts)
    >>> c30a = readings[(readings["claim_id"] == "C30a") & readings["counts"]]
    >>> evidence_verdict(c30a)  # one direct trial for, one against
    'mixed'
    """
    direct = studies.loc[studies["directness"] == "direct", "reading"]
    indirect = studies.loc[studies["directness"] == "indirect", "reading"]
    if (direct == "for").any() and (direct == "against").any():
        return "mixed"
    if (direct == "against").any():
        return "contradicted"
    if (direct == "for").any():
        return "supported"
    if (indirect == "against").any() and not (indirect == "for").any():
        return "indirect_against"
    if (indirect == "for").any() and not (indirect == "against").any():
        return "indirect_for"
    # A study that measured the question's own outcome and found nothing precise is
    # inconclusive; a reference that does not list a sign is no evidence either way.
    measured = studies.loc[studies["directness"] == "direct", "design"].map(
        lambda design: design not in REFERENCES
    )
    if measured.any() or (indirect != "neither").any():
        return "inconclusive"
    return "no_evidence_found"


def deciding_studies(studies: pd.DataFrame, verdict: str) -> pd.DataFrame:
    """The body of evidence GRADE rates for a part: the studies its verdict rests on.

    >>> from cramplab import load
    >>> data = load()
    >>> readings = study_readings(data.claim_studies, data.claim_parts)
    >>> c30a = readings[(readings["claim_id"] == "C30a") & readings["counts"]]
    >>> deciding_studies(c30a, "mixed")["study"].tolist()
    ['Coppin 2005', 'Hallegraeff 2012']
    """
    if verdict in ("indirect_against", "indirect_for"):
        return studies[studies["directness"] == "indirect"]
    if verdict in ("supported", "contradicted", "mixed"):
        return studies[studies["directness"] == "direct"]
    return studies.iloc[0:0]


def starting_level(body: pd.DataFrame) -> str | None:
    """GRADE's starting level: high for a body with a randomised trial, low otherwise.

    >>> body = pd.DataFrame({"design": ["randomised_trial", "cohort"]})
    >>> starting_level(body), starting_level(body.iloc[[1]])
    ('high', 'low')
    >>> starting_level(body.iloc[0:0]) is None  # no study: nothing to rate
    True
    """
    if body.empty:
        return None
    return "high" if body["design"].isin(RANDOMISED).any() else "low"


def grade_certainty(start: str | None, judgements: pd.Series) -> str | None:
    """The certainty: the starting level moved by each domain's judgement, kept in range.

    judgements: domain -> judgement (one row per domain of claim_grades for the part).

    >>> judgements = pd.Series({"risk_of_bias": "serious", "inconsistency": "serious"})
    >>> grade_certainty("high", judgements)  # two levels down from high
    'low'
    >>> grade_certainty("low", pd.Series({"imprecision": "very_serious"}))  # kept in range
    'very_low'
    """
    if start is None:
        return None
    level = START[start] + int(sum(STEPS[j] for j in judgements))
    return LEVELS[min(4, max(1, level))]


def graded_verdict(verdict: str, certainty: str | None) -> str:
    """GRADE's wording (Santesso et al., GRADE 26): at very low certainty a finding is stated
    only as "the evidence is very uncertain", whichever way it points.

    >>> graded_verdict("supported", "very_low"), graded_verdict("mixed", "low")
    ('very_uncertain', 'mixed')
    """
    return "very_uncertain" if certainty == "very_low" else verdict


# The grades of nutrient_symptoms and cramp_factors, from a part's verdict and certainty.
GRADE_OF_VERDICT = {
    "mixed": "mixed",
    "contradicted": "contradicted",
    "indirect_against": "indirect_against",
    "very_uncertain": "very_uncertain",
    "inconclusive": "inconclusive",
    "no_evidence_found": "no_evidence_found",
}


def evidence_grade(verdict: str, certainty: str | None) -> str:
    """The evidence grade of a link (nutrient_symptoms, cramp_factors) that asks a part's
    question: established when a reference states it or GRADE finds it at moderate or high
    certainty, limited at low certainty; the other verdicts keep their names.

    >>> evidence_grade("supported", "moderate"), evidence_grade("supported", "low")
    ('established', 'limited')
    >>> evidence_grade("mixed", "low")
    'mixed'
    """
    if verdict == "supported":
        return "limited" if certainty == "low" else "established"
    try:
        return GRADE_OF_VERDICT[verdict]
    except KeyError:
        raise ValueError(f"a link cannot take the verdict {verdict!r}") from None


def upgrade_allowed(start: str | None, judgements: pd.Series) -> bool:
    """GRADE 9: rating up is for a body that starts low and is rated down for nothing.

    >>> upgrade_allowed("low", pd.Series({"large_effect": "large"}))
    True
    >>> upgrade_allowed("high", pd.Series({"large_effect": "large"}))
    False
    >>> upgrade_allowed("low", pd.Series({"risk_of_bias": "serious", "dose_response": "present"}))
    False
    """
    up = judgements.reindex(DOMAINS_UP).map(STEPS).fillna(0)
    down = judgements.reindex(DOMAINS_DOWN).map(STEPS).fillna(0)
    return not (up > 0).any() or (start == "low" and not (down < 0).any())


# --- food and diet claims -----------------------------------------------------------------------


def level_for_word(word: str) -> str:
    """The FDA level a claim word asks for: 'excellent source' for rich/high, else 'good source'.

    >>> level_for_word("rich"), level_for_word("good source")
    ('excellent source', 'good source')
    """
    try:
        return CLAIM_WORDS[word]
    except KeyError:
        raise ValueError(
            f"{word!r} is not one of the FDA's claim words {list(CLAIM_WORDS)}"
        ) from None


def alternative_racc_grams(data: CourseData) -> pd.Series:
    """Grams of the other reference amount, for foods whose category's amount is unresolved
    (reference_amounts.alternative_amount, in grams); NaN for the rest.

    >>> from cramplab import load
    >>> grams = alternative_racc_grams(load())
    >>> float(grams["sardines_canned"])  # canned fish: 85 g, or 55 g by the other reading
    55.0
    >>> bool(pd.isna(grams["banana"]))
    True
    """
    categories = data.reference_amounts.set_index("racc_category")
    if "alternative_amount" not in categories:
        return pd.Series(np.nan, index=data.foods["food_id"])
    grams = categories["alternative_amount"].where(categories["unit"] == "g")
    foods = data.foods.set_index("food_id")
    return foods["racc_category"].map(grams).astype(float)


def food_evidence(
    data: CourseData,
    foods: list[str],
    nutrients: list[str],
    basis: str = BASIS,
    absorbed: bool = False,
) -> pd.DataFrame:
    """One row per named food and nutrient: grams, amount, %DV, FDA word and rank on a basis.

    rank is among all foods with a value on the basis (1 = richest). absorbed=True judges
    calcium by its milk-equivalent %DV (NaN, level 'no figure', where no absorption figure
    exists); other nutrients are unchanged. On the reference amount, percent_dv_alt and
    level_alt give the food on the other amount where its category's amount is unresolved.

    >>> from cramplab import load
    >>> evidence = food_evidence(load(), ["almonds", "banana"], ["magnesium"])
    >>> evidence[["food_id", "grams", "amount", "rank", "level"]]
       food_id  grams  amount  rank        level
    0  almonds   30.0    81.0   9.0  good source
    1   banana  140.0    37.8  40.0      neither
    """
    per_amount = amounts(data, basis)
    grams = serving_grams(data, basis) if basis in SERVING_COLUMNS else None
    dv = daily_values(data)
    names = data.foods.set_index("food_id")["name"]
    equivalent = milk_equivalent_calcium_pct_dv(data, basis) if absorbed else None
    other = alternative_racc_grams(data) if basis == "racc" else None
    rows = []
    for nutrient_id in nutrients:
        column = per_amount[nutrient_id]
        # Ties are numbered in table order, as analysis.rank_foods numbers them.
        ranks = column.rank(ascending=False, method="first")
        for food_id in foods:
            amount = column.get(food_id, np.nan)
            percent = amount / dv[nutrient_id] * 100
            if equivalent is not None and nutrient_id == "calcium":
                percent = equivalent.get(food_id, np.nan)
            food_grams = np.nan if grams is None else grams.get(food_id, np.nan)
            alternative = np.nan if other is None else other.get(food_id, np.nan)
            rows.append(
                {
                    "food_id": food_id,
                    "name": names[food_id],
                    "nutrient_id": nutrient_id,
                    "grams": food_grams,
                    "amount": amount,
                    "percent_dv": percent,
                    "rank": ranks.get(food_id, np.nan),
                    "foods_ranked": int(column.notna().sum()),
                    "grams_alt": alternative,
                    "percent_dv_alt": percent * alternative / food_grams,
                }
            )
    evidence = pd.DataFrame(rows)
    evidence["level"] = claim_level(evidence["percent_dv"]).to_numpy()
    evidence["level_alt"] = claim_level(evidence["percent_dv_alt"]).where(
        evidence["grams_alt"].notna(), np.nan
    )
    if absorbed:
        unknown = (evidence["nutrient_id"] == "calcium") & evidence["percent_dv"].isna()
        evidence.loc[unknown & evidence["amount"].notna(), "level"] = "no figure"
    return evidence


def food_claim_verdict(
    evidence: pd.DataFrame, claimed_level: str = "excellent source", column: str = "percent_dv"
) -> str:
    """The FDA's rule on food_evidence() rows, each food at its best nutrient: supported when
    every named food reaches the claimed level, partly_supported when some do, contradicted
    when none does (the data are the evidence against), no_data when no food has a value.

    >>> from cramplab import load
    >>> evidence = food_evidence(load(), ["almonds", "banana"], ["magnesium"])
    >>> food_claim_verdict(evidence, "good source")  # almonds reach 10% of the DV, bananas not
    'partly_supported'
    """
    best = evidence.groupby("food_id", sort=False)[column].max().dropna()
    if best.empty:
        return "no_data"
    reaches = best >= LEVEL_THRESHOLD[claimed_level]
    if reaches.all():
        return "supported"
    return "partly_supported" if reaches.any() else "contradicted"


def food_words_verdict(evidence: pd.DataFrame, claimed_level: str) -> str:
    """food_claim_verdict on the reference amount, and 'depends' when a food's unresolved
    reference amount gives another verdict on the other amount.

    >>> from cramplab import load
    >>> evidence = food_evidence(load(), ["sardines_canned"], ["calcium"])
    >>> food_words_verdict(evidence, "good source")
    'supported'
    >>> food_words_verdict(evidence, "excellent source")  # 25% of the DV in 85 g, 16% in 55 g
    'depends'
    """
    verdict = food_claim_verdict(evidence, claimed_level)
    if evidence["grams_alt"].notna().any():
        other = evidence.assign(
            percent_dv=evidence["percent_dv_alt"].fillna(evidence["percent_dv"])
        )
        if food_claim_verdict(other, claimed_level) != verdict:
            return "depends"
    return verdict


@dataclass
class DietCheck:
    """What the planner says about a diet claim: its verdict, the claimed nutrients a day of
    the named foods meets and those it falls short of (with the most it reached)."""

    verdict: str
    met: list[str]
    short: list[str]
    reach: dict[str, float]
    note: str


def diet_claim_verdict(
    data: CourseData, foods: list[str], nutrients: list[str], life_stage: str | None = None
) -> DietCheck:
    """Can a day built only from `foods` meet the targets for `nutrients`? (the menu planner)

    supported when every claimed target is met, partly_supported when some are,
    contradicted when none is. life_stage None: the FDA Daily Values (adults), the yardstick
    of the food claims. The planner runs with rules="cramp" (the cramp nutrients only, no food
    pattern: a claim about nutrients is not a claim about a day's eating). It also asks for the
    other cramp nutrients' targets, so a claimed nutrient is reported short only when the
    planner's shortfall names it; the planner that restricts the targets to a list makes this
    exact (two lines to change below).

    >>> from cramplab import load
    >>> data = load()
    >>> c31 = data.guide_claims.set_index("claim_id").loc["C31"]
    >>> check = diet_claim_verdict(data, c31["foods"].split(";"), c31["nutrients"].split(";"))
    >>> check.verdict, check.short
    ('partly_supported', ['potassium', 'vitamin_d'])
    """
    from cramplab import plan  # the planner imports this module's neighbours: import late

    others = data.foods.loc[~data.foods["food_id"].isin(foods), "food_id"]
    try:
        plan.plan_menu(data, life_stage=life_stage, exclude=list(others), rules="cramp")
        short, reach, note = [], {}, "a menu of the named foods meets every target"
    except plan.NoMenuPossible as error:
        short = [n for n in nutrients if n in error.nutrients]
        reach = {n: float(error.reach[n]) for n in short if n in error.reach}
        note = str(error)
    met = [n for n in nutrients if n not in short]
    verdict = "supported" if not short else "partly_supported" if met else "contradicted"
    return DietCheck(verdict, met, short, reach, note)


# --- the tables ---------------------------------------------------------------------------------


def _grades_of(data: CourseData, claim_id: str, part: str) -> pd.Series:
    grades = data.claim_grades
    if grades.empty:
        return pd.Series(dtype=object)
    rows = grades[(grades["claim_id"] == claim_id) & (grades["part"] == part)]
    return rows.set_index("domain")["judgement"]


def part_verdicts(data: CourseData) -> pd.DataFrame:
    """Every claim part with its computed verdict and, for grade parts, its GRADE certainty.

    Columns: claim_id, part, statement, basis, verdict, start (GRADE's starting level), steps
    (the sum of the domain judgements), certainty, direct and indirect (how many counting
    studies of each), indirect_on (the PICO elements that make the deciding studies indirect).

    >>> from cramplab import load
    >>> parts = part_verdicts(load()).set_index(["claim_id", "part"])
    >>> parts.loc[("C30a", "a"), ["basis", "verdict", "start", "certainty"]].tolist()
    ['grade', 'mixed', 'high', 'low']
    """
    parts = data.claim_parts
    studies = study_readings(data.claim_studies, parts)
    counting = studies[studies["counts"]]
    claims = data.guide_claims.set_index("claim_id")
    rows = []
    for part in parts.itertuples(index=False):
        mine = counting[(counting["claim_id"] == part.claim_id) & (counting["part"] == part.part)]
        start = certainty = indirect_on = None
        steps = np.nan
        if part.basis == "not_assessed":
            verdict = "not_assessed"
        elif part.basis == "food_words":
            claim = claims.loc[part.claim_id]
            evidence = food_evidence(
                data, split_list(claim["foods"]), split_list(claim["nutrients"])
            )
            verdict = food_words_verdict(evidence, level_for_word(part.claim_word))
        elif part.basis == "diet_planner":
            claim = claims.loc[part.claim_id]
            verdict = diet_claim_verdict(
                data, split_list(claim["foods"]), split_list(claim["nutrients"])
            ).verdict
        else:
            verdict = evidence_verdict(mine)
            body = deciding_studies(mine, verdict)
            elements = [
                split_list(v) for v in body.loc[body["directness"] == "indirect", "indirect_on"]
            ]
            indirect_on = ";".join(dict.fromkeys(e for listed in elements for e in listed)) or None
            if part.basis == "grade":
                judgements = _grades_of(data, part.claim_id, part.part)
                start = starting_level(body)
                certainty = grade_certainty(start, judgements)
                steps = float(judgements.map(STEPS).sum()) if start else np.nan
                verdict = graded_verdict(verdict, certainty)
        rows.append(
            {
                "claim_id": part.claim_id,
                "part": part.part,
                "statement": part.statement,
                "basis": part.basis,
                "verdict": verdict,
                "start": start,
                "steps": steps,
                "certainty": certainty,
                "direct": int((mine["directness"] == "direct").sum()),
                "indirect": int((mine["directness"] == "indirect").sum()),
                "indirect_on": indirect_on,
            }
        )
    return pd.DataFrame(rows)


def combine(verdicts: list[str]) -> str:
    """A claim's verdict from its parts' verdicts (see the module's docstring).

    >>> combine(["supported", "supported"]), combine(["supported", "contradicted"])
    ('supported', 'partly_supported')
    >>> combine(["inconclusive", "mixed", "not_assessed"])  # the strongest finding wins
    'mixed'
    """
    graded = [v for v in verdicts if v != "not_assessed"]
    if not graded:
        return "not_assessed"
    if "depends" in graded:
        return "depends"
    if all(v == "supported" for v in graded):
        return "supported"
    if any(v in ("supported", "partly_supported") for v in graded):
        return "partly_supported"
    return next(v for v in NONE_SUPPORTED_ORDER if v in graded)


def lowest_certainty(certainties) -> str | None:
    """The lowest of several GRADE certainties (None when there is none).

    >>> lowest_certainty(["moderate", "low", None])
    'low'
    >>> lowest_certainty([None]) is None
    True
    """
    known = [c for c in certainties if isinstance(c, str)]
    return max(known, key=CERTAINTIES.index) if known else None


def verdicts(data: CourseData, basis: str = BASIS) -> pd.DataFrame:
    """Every claim with its verdict and certainty, computed from its parts.

    verdict: combine() of the parts' verdicts; certainty: the lowest certainty of its grade
    parts; bases: the bases of its parts. basis="serving" recomputes the food-word parts on
    the household serving (a what-if: the FDA's words are defined per reference amount).
    verdict_absorbed reads the calcium of calcium claims as absorbed (the course's reading,
    not an FDA rule) and equals verdict for every other claim.

    >>> from cramplab import load
    >>> table = verdicts(load())
    >>> len(table), table.loc["C30a", ["verdict", "certainty"]].tolist()
    (53, ['mixed', 'low'])
    """
    claims = data.guide_claims.set_index("claim_id")
    parts = part_verdicts(data)
    if basis != BASIS:
        parts = _food_parts_on(data, parts, basis)
    absorbed = _food_parts_on(data, parts, BASIS, absorbed=True)
    grouped = parts.groupby("claim_id", sort=False)
    table = claims[["section", "kind", "claim"]].copy()
    table["verdict"] = grouped["verdict"].agg(lambda v: combine(list(v))).reindex(table.index)
    table["verdict_absorbed"] = (
        absorbed.groupby("claim_id", sort=False)["verdict"]
        .agg(lambda v: combine(list(v)))
        .reindex(table.index)
    )
    table["certainty"] = grouped["certainty"].agg(lowest_certainty).reindex(table.index)
    table["basis"] = (
        grouped["basis"]
        .agg(lambda b: "; ".join(dict.fromkeys(BASES[x] for x in b)))
        .reindex(table.index)
    )
    table["parts"] = grouped["part"].size().reindex(table.index)
    table["source"] = claims["source"]
    return table


def _food_parts_on(
    data: CourseData, parts: pd.DataFrame, basis: str, absorbed: bool = False
) -> pd.DataFrame:
    """parts with the food-word verdicts recomputed on another basis (or calcium as absorbed)."""
    claims = data.guide_claims.set_index("claim_id")
    words = data.claim_parts.set_index(["claim_id", "part"])["claim_word"]
    parts = parts.copy()
    for index, row in parts[parts["basis"] == "food_words"].iterrows():
        claim = claims.loc[row["claim_id"]]
        nutrients = split_list(claim["nutrients"])
        if absorbed and "calcium" not in nutrients:
            continue
        evidence = food_evidence(data, split_list(claim["foods"]), nutrients, basis, absorbed)
        level = level_for_word(words[(row["claim_id"], row["part"])])
        parts.at[index, "verdict"] = food_words_verdict(evidence, level)
    return parts


def summary_of_findings(data: CourseData, claim_id: str, part: str) -> pd.DataFrame:
    """A GRADE Summary of Findings for one grade part: the starting level, each domain's
    judgement, the levels it moves and its reason, and the certainty that results.

    >>> from cramplab import load
    >>> findings = summary_of_findings(load(), "C30a", "a")
    >>> findings[["judgement", "levels"]].head(3)
                     judgement  levels
    domain
    risk_of_bias       serious      -1
    inconsistency      serious      -1
    indirectness   not_serious       0
    """
    judged = data.claim_grades
    rows = judged[(judged["claim_id"] == claim_id) & (judged["part"] == part)]
    table = rows.set_index("domain").reindex(DOMAINS)[["judgement", "reason"]]
    table.insert(1, "levels", table["judgement"].map(STEPS))
    return table


def food_claims(data: CourseData, basis: str = BASIS, absorbed: bool = False) -> pd.DataFrame:
    """Every food-word claim with each food it names: one row per claim and food, at the
    food's best %DV among the claim's nutrients, with the FDA word it earns and the claim's
    verdict.

    >>> from cramplab import load
    >>> pairs = food_claims(load())
    >>> pairs[["claim_id", "food_id", "level", "verdict"]].head(3)
      claim_id         food_id        level           verdict
    0      C23     spinach_raw  good source  partly_supported
    1      C23  spinach_cooked  good source  partly_supported
    2      C23         almonds  good source  partly_supported
    """
    claims = data.guide_claims.set_index("claim_id")
    parts = data.claim_parts[data.claim_parts["basis"] == "food_words"]
    rows = []
    for part in parts.itertuples(index=False):
        claim = claims.loc[part.claim_id]
        foods = split_list(claim["foods"])
        evidence = food_evidence(data, foods, split_list(claim["nutrients"]), basis, absorbed)
        level = level_for_word(part.claim_word)
        best = (
            evidence.sort_values("percent_dv", ascending=False, na_position="last", kind="stable")
            .drop_duplicates("food_id")
            .set_index("food_id")
            .loc[foods]
            .reset_index()
        )
        best.insert(0, "claim_id", part.claim_id)
        best["claim"] = claim["claim"]
        best["claim_word"] = part.claim_word
        best["claimed_level"] = level
        best["verdict"] = (
            food_words_verdict(evidence, level)
            if basis == BASIS
            else food_claim_verdict(evidence, level)
        )
        rows.append(best)
    return pd.concat(rows, ignore_index=True)


def distinct_foods(table: pd.DataFrame) -> pd.DataFrame:
    """food_claims() collapsed to one row per distinct food: the best FDA word it earns for any
    nutrient any claim names it for, and how many claims name it.

    >>> from cramplab import load
    >>> distinct = distinct_foods(food_claims(load()))
    >>> distinct.loc[["almonds", "banana"], ["nutrient_id", "level", "claims"]]
            nutrient_id        level  claims
    food_id
    almonds   magnesium  good source       1
    banana    potassium  good source       1
    """
    order = {"excellent source": 0, "good source": 1, "neither": 2, "no figure": 3, "no data": 4}
    ranked = table.assign(_order=table["level"].map(order)).sort_values(
        ["_order", "percent_dv"], ascending=[True, False], kind="stable"
    )
    best = ranked.drop_duplicates("food_id").set_index("food_id")
    best["claims"] = table.groupby("food_id")["claim_id"].nunique()
    return best[["name", "nutrient_id", "percent_dv", "level", "claims"]]


def basis_flips(data: CourseData, bases: tuple[str, str] = ("serving", BASIS)) -> pd.DataFrame:
    """The foods of the food-word claims whose FDA word, for a nutrient their claim names,
    differs between two bases (household serving and reference amount by default), with each
    claim's verdict on both: what changes when the yardstick changes.

    >>> from cramplab import load
    >>> flips = basis_flips(load())
    >>> flips[["claim_id", "food_id", "level_serving", "level_racc"]].head(3)
      claim_id         food_id     level_serving        level_racc
    0      C23     spinach_raw           neither       good source
    1      C23  spinach_cooked  excellent source       good source
    2      C23        flaxseed           neither  excellent source
    """
    claims = data.guide_claims.set_index("claim_id")
    parts = data.claim_parts[data.claim_parts["basis"] == "food_words"]
    rows = []
    for part in parts.itertuples(index=False):
        claim = claims.loc[part.claim_id]
        foods, nutrients = split_list(claim["foods"]), split_list(claim["nutrients"])
        changes = basis_changes(data, bases, nutrients=nutrients, foods=foods)
        level = level_for_word(part.claim_word)
        verdict = {b: food_claim_verdict(food_evidence(data, foods, nutrients, b), level)
                   for b in bases}  # fmt: skip
        changes.insert(0, "claim_id", part.claim_id)
        for basis in bases:
            changes[f"verdict_{basis}"] = verdict[basis]
        rows.append(changes)
    return pd.concat(rows, ignore_index=True)


def verdict_counts(table: pd.DataFrame) -> pd.DataFrame:
    """How many claims got each verdict, by kind of claim (rows) and verdict (columns, in the
    order of VERDICTS: the evidence-against column apart from the not-shown and the
    nothing-either-way ones).

    >>> from cramplab import load
    >>> counts = verdict_counts(verdicts(load()))
    >>> counts.loc["food_source", ["supported", "partly_supported", "contradicted"]].tolist()
    [1, 6, 1]
    """
    counts = pd.crosstab(table["kind"], table["verdict"])
    present = [v for v in VERDICTS if v in counts.columns]
    return counts[present]


def for_display(table: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """A table as the course prints it: %DV columns (names with "percent" or "pct") by
    analysis.shown_percent (rounded, but never up onto a claim threshold the value has not
    reached), other numbers rounded to `decimals`.

    >>> for_display(pd.DataFrame({"percent_dv": [19.99, 10.66], "grams": [28.349, 30.0]}))
       percent_dv  grams
    0        19.9   28.3
    1        10.7   30.0
    """
    shown = table.copy()
    for column in shown.columns:
        if not pd.api.types.is_float_dtype(shown[column]):
            continue
        if "percent" in column or "pct" in column:
            shown[column] = shown_percent(shown[column].to_numpy(), decimals)
        else:
            shown[column] = shown[column].round(decimals)
    return shown
