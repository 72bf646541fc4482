"""Each verdict rule on hand-made tables; one scale shared by data, charts and code."""

import numpy as np
import pandas as pd
import pytest
from repo import CLONE

from cramplab import claims, plotting
from cramplab.data import load, read_datapackage

# magnesium DV is 100 mg in the test course, so %DV per serving = mg per serving.
FOODS = {
    "rich": {"serving_g": 100, "energy": 100, "magnesium": 25, "sodium": 1},
    "good": {"serving_g": 100, "energy": 100, "magnesium": 12, "sodium": 1},
    "poor": {"serving_g": 100, "energy": 100, "magnesium": 2, "sodium": 1},
    "salty": {"serving_g": 100, "energy": 100, "magnesium": 2, "sodium": 1150},
    "unknown": {"serving_g": 100, "energy": 100},
}


@pytest.mark.parametrize(
    ("foods", "nutrients", "verdict"),
    [
        (["rich"], ["magnesium"], "supported"),
        (["rich", "good"], ["magnesium"], "partly_supported"),
        (["poor", "good"], ["magnesium"], "contradicted"),  # "rich" asks 20%: 10% is not it
        (["poor"], ["magnesium"], "contradicted"),  # the data are the evidence against
        (["unknown"], ["magnesium"], "no_data"),
        (["rich", "unknown"], ["magnesium"], "supported"),  # unknown neither helps nor hurts
        (["salty", "rich"], ["magnesium", "sodium"], "supported"),  # best nutrient per food
    ],
)
def test_food_claim_rule(course, foods, nutrients, verdict):
    evidence = claims.food_evidence(course(FOODS), foods, nutrients)
    assert claims.food_claim_verdict(evidence) == verdict


@pytest.mark.parametrize(
    ("foods", "verdict"),
    [
        (["rich", "good"], "supported"),  # a good source is all a "good source" claim needs
        (["good", "poor"], "partly_supported"),
        (["poor"], "contradicted"),
    ],
)
def test_good_source_claims_need_only_ten_percent(course, foods, verdict):
    evidence = claims.food_evidence(course(FOODS), foods, ["magnesium"])
    assert claims.food_claim_verdict(evidence, "good source") == verdict


@pytest.mark.parametrize(
    ("word", "level"),
    [("rich", "excellent source"), ("high", "excellent source"),
     ("excellent source", "excellent source"), ("good source", "good source")],
)  # fmt: skip
def test_each_word_asks_the_fda_level_it_names(word, level):
    assert claims.level_for_word(word) == level
    with pytest.raises(ValueError, match="claim words"):
        claims.level_for_word("packed with")


def test_food_evidence_ranks_among_all_foods(course):
    evidence = claims.food_evidence(course(FOODS), ["good", "unknown"], ["magnesium"])
    good, unknown = evidence.to_dict("records")
    assert (good["rank"], good["foods_ranked"], good["level"]) == (2, 4, "good source")
    assert np.isnan(unknown["amount"]) and unknown["level"] == "no data"


def test_an_unresolved_reference_amount_makes_a_verdict_depend_on_it(course):
    data = course({"fish": {"serving_g": 100, "energy": 100, "magnesium": 21}})
    amounts = data.reference_amounts.assign(alternative_amount=50.0)
    data = data.__class__(**{**data.__dict__, "reference_amounts": amounts})
    evidence = claims.food_evidence(data, ["fish"], ["magnesium"])
    assert evidence.at[0, "level"] == "excellent source"  # 21% on 100 g
    assert evidence.at[0, "level_alt"] == "good source"  # 10.5% on 50 g
    assert claims.food_words_verdict(evidence, "excellent source") == "depends"
    assert claims.food_words_verdict(evidence, "good source") == "supported"  # both amounts


# --- reading a study ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "worthwhile", "null", "reading"),
    [
        (1.49, 1.78, 1.25, 1.0, "for"),  # excludes no effect on the claimed side
        (0.84, 1.29, 1.25, 1.0, "neither"),  # takes in both 1 and 1.25: imprecise
        (0.80, 1.20, 1.25, 1.0, "against"),  # excludes the worthwhile effect: a precise null
        (0.50, 0.90, 1.25, 1.0, "against"),  # an effect the other way
        (-23.14, 3.97, -25.0, 0.0, "against"),  # a reduction: excludes 25% fewer
        (-1.8, -0.6, -0.14, 0.0, "for"),
        (-3.01, 6.9, -4.0, 0.0, "against"),
        (-30.0, 3.0, -25.0, 0.0, "neither"),
    ],
)
def test_interval_reading(low, high, worthwhile, null, reading):
    assert claims.interval_reading(low, high, worthwhile, null) == reading


def studies(*rows):
    """Counting studies for evidence_verdict: (directness, reading, design)."""
    return pd.DataFrame(rows, columns=["directness", "reading", "design"])


@pytest.mark.parametrize(
    ("rows", "verdict"),
    [
        ([("direct", "for", "cohort"), ("direct", "against", "randomised_trial")], "mixed"),
        ([("direct", "against", "randomised_trial"), ("indirect", "for", "cohort")], "contradicted"),
        ([("direct", "for", "cohort"), ("direct", "neither", "cohort")], "supported"),
        ([("indirect", "against", "systematic_review")], "indirect_against"),
        ([("indirect", "for", "randomised_trial")], "indirect_for"),
        ([("direct", "neither", "cohort")], "inconclusive"),  # an imprecise null never contradicts
        ([("indirect", "for", "cohort"), ("indirect", "against", "cohort")], "inconclusive"),
        ([("direct", "neither", "clinical_reference")], "no_evidence_found"),  # not listed
        ([("indirect", "neither", "survey")], "no_evidence_found"),
        ([], "no_evidence_found"),
    ],
)  # fmt: skip
def test_evidence_verdict(rows, verdict):
    assert claims.evidence_verdict(studies(*rows)) == verdict


def judged(**domains):
    series = pd.Series(dict.fromkeys(claims.DOMAINS_DOWN, "not_serious"))
    for up in claims.DOMAINS_UP:
        series[up] = "none"
    for domain, judgement in domains.items():
        series[domain] = judgement
    return series


@pytest.mark.parametrize(
    ("start", "judgements", "certainty"),
    [
        ("high", judged(), "high"),
        ("high", judged(indirectness="very_serious"), "low"),
        ("high", judged(indirectness="very_serious", imprecision="serious"), "very_low"),
        ("high", judged(risk_of_bias="very_serious", indirectness="very_serious"), "very_low"),
        ("low", judged(), "low"),
        ("low", judged(large_effect="large"), "moderate"),
        ("low", judged(large_effect="very_large", dose_response="present"), "high"),  # clipped
        (None, judged(), None),  # no body of evidence, no certainty
    ],
)
def test_grade_certainty(start, judgements, certainty):
    assert claims.grade_certainty(start, judgements) == certainty


def test_rating_up_only_for_an_observational_body_rated_down_for_nothing():
    assert claims.upgrade_allowed("low", judged(large_effect="large"))
    assert not claims.upgrade_allowed("high", judged(large_effect="large"))
    assert not claims.upgrade_allowed("low", judged(large_effect="large", imprecision="serious"))
    assert claims.upgrade_allowed("high", judged(imprecision="serious"))  # nothing rated up


def test_starting_level_follows_the_design_of_the_body():
    assert claims.starting_level(studies(("direct", "for", "randomised_trial"))) == "high"
    assert claims.starting_level(studies(("direct", "for", "case_control"))) == "low"
    assert claims.starting_level(studies()) is None


def test_at_very_low_certainty_grade_says_only_very_uncertain():
    assert claims.graded_verdict("supported", "very_low") == "very_uncertain"
    assert claims.graded_verdict("indirect_against", "very_low") == "very_uncertain"
    assert claims.graded_verdict("supported", "low") == "supported"
    assert claims.graded_verdict("no_evidence_found", None) == "no_evidence_found"


@pytest.mark.parametrize(
    ("parts", "verdict"),
    [
        (["supported", "supported"], "supported"),
        (["supported", "very_uncertain"], "partly_supported"),
        (["supported", "contradicted"], "partly_supported"),
        (["partly_supported", "no_evidence_found"], "partly_supported"),
        (["contradicted", "no_evidence_found"], "contradicted"),
        (["mixed", "indirect_against"], "mixed"),
        (["indirect_for", "very_uncertain"], "indirect_for"),
        (["no_evidence_found", "not_assessed"], "no_evidence_found"),
        (["not_assessed"], "not_assessed"),
        (["depends", "supported"], "depends"),
    ],
)
def test_a_claim_combines_its_parts(parts, verdict):
    assert claims.combine(parts) == verdict


def test_certainty_of_a_claim_is_its_lowest_part():
    assert claims.lowest_certainty(["high", None, "low", "moderate"]) == "low"
    assert claims.lowest_certainty([None, np.nan]) is None


@pytest.mark.parametrize(
    ("verdict", "certainty", "grade"),
    [("supported", None, "established"), ("supported", "moderate", "established"),
     ("supported", "low", "limited"), ("very_uncertain", "very_low", "very_uncertain"),
     ("no_evidence_found", None, "no_evidence_found")],
)  # fmt: skip
def test_a_link_takes_the_grade_of_its_part(verdict, certainty, grade):
    assert claims.evidence_grade(verdict, certainty) == grade


# --- verdicts on a hand-made course ------------------------------------------------------------


def claim_table(rows):
    table = pd.DataFrame(rows)
    for column in ("section", "claim", "source", "evidence_summary"):
        table[column] = "x"
    return table


def part_table(rows):
    columns = ["claim_id", "part", "basis", "claim_word"]
    table = pd.DataFrame(rows, columns=columns)
    table["statement"] = "x"
    return table


def test_verdicts_are_computed_for_every_kind_of_part(course):
    table = claim_table(
        [
            {"claim_id": "C01", "kind": "food_source", "nutrients": "magnesium",
             "foods": "poor;rich", "check_against": "data"},
            {"claim_id": "C02", "kind": "mechanism", "nutrients": np.nan, "foods": np.nan,
             "check_against": "evidence"},
            {"claim_id": "C03", "kind": "food_source", "nutrients": "magnesium",
             "foods": "rich;good", "check_against": "data"},
        ]
    )  # fmt: skip
    parts = part_table(
        [("C01", "a", "food_words", "rich"), ("C02", "a", "clinical_reference", np.nan),
         ("C02", "b", "grade", np.nan), ("C03", "a", "food_words", "good source")]
    )  # fmt: skip
    found = pd.DataFrame(
        [("C02", "a", "textbook list", "clinical_reference", "for", "direct"),
         ("C02", "b", "a trial", "randomised_trial", "against", "indirect")],
        columns=["claim_id", "part", "study", "design", "direction", "directness"],
    ).assign(indirect_on=["", "population"], measure="risk ratio", estimate=[np.nan, 1.0],
             ci_low=[np.nan, 0.9], ci_high=[np.nan, 1.1], worthwhile_effect=[np.nan, 1.25])  # fmt: skip
    grades = pd.DataFrame(
        {"claim_id": "C02", "part": "b", "domain": claims.DOMAINS,
         "judgement": ["not_serious", "not_serious", "serious", "not_serious", "not_serious",
                       "none", "none", "none"], "reason": "x"}
    )  # fmt: skip
    data = course(FOODS, claims=table, parts=parts, studies=found, grades=grades)
    by_part = claims.part_verdicts(data).set_index(["claim_id", "part"])
    assert by_part.at[("C02", "b"), "verdict"] == "indirect_against"
    assert by_part.at[("C02", "b"), "certainty"] == "moderate"  # high, -1 for indirectness
    assert by_part.at[("C02", "b"), "indirect_on"] == "population"
    result = claims.verdicts(data)
    assert result["verdict"].to_dict() == {
        "C01": "partly_supported",
        "C02": "partly_supported",
        "C03": "supported",
    }
    assert result.at["C02", "certainty"] == "moderate"
    assert pd.isna(result.at["C01", "certainty"])
    counts = claims.verdict_counts(result)
    assert counts.loc["food_source", "partly_supported"] == 1


def test_food_claims_and_distinct_foods(course):
    table = claim_table(
        [
            {"claim_id": "C01", "kind": "food_source", "nutrients": "magnesium",
             "foods": "poor;good", "check_against": "data"},
            {"claim_id": "C02", "kind": "food_source", "nutrients": "magnesium;sodium",
             "foods": "poor;rich;salty", "check_against": "data"},
        ]
    )  # fmt: skip
    parts = part_table(
        [("C01", "a", "food_words", "rich"), ("C02", "a", "food_words", "good source")]
    )
    pairs = claims.food_claims(course(FOODS, claims=table, parts=parts))
    assert len(pairs) == 5 and pairs["claim_id"].tolist() == ["C01"] * 2 + ["C02"] * 3
    assert (
        pairs.set_index(["claim_id", "food_id"]).loc[("C02", "salty"), "nutrient_id"] == "sodium"
    )
    assert pairs.groupby("claim_id")["verdict"].first().to_dict() == {
        "C01": "contradicted",
        "C02": "partly_supported",
    }
    foods = claims.distinct_foods(pairs)
    assert sorted(foods.index) == ["good", "poor", "rich", "salty"]  # poor counted once
    assert foods.at["poor", "claims"] == 2 and foods.at["poor", "level"] == "neither"
    assert foods.at["salty", "level"] == "excellent source"  # its best nutrient counts


# --- one scale ---------------------------------------------------------------------------------


def enum(resource, field):
    schema = next(r for r in read_datapackage(CLONE.data)["resources"] if r["name"] == resource)
    return next(f for f in schema["schema"]["fields"] if f["name"] == field)["constraints"]["enum"]


def test_one_scale_in_the_data_the_code_and_the_charts():
    assert enum("claim_parts", "basis") == list(claims.BASES)
    assert enum("claim_grades", "domain") == claims.DOMAINS
    assert set(enum("claim_grades", "judgement")) == set(claims.STEPS)
    assert set(enum("claim_studies", "design")) >= claims.RANDOMISED | claims.OBSERVATIONAL
    assert set(claims.VERDICT_LABELS) == set(claims.VERDICT_MEANINGS) == set(claims.VERDICTS)
    assert list(plotting.VERDICT_COLORS) == claims.VERDICTS
    for resource in ("nutrient_symptoms", "cramp_factors"):
        assert enum(resource, "evidence_grade") == plotting.EVIDENCE_GRADES
    assert set(claims.GRADE_OF_VERDICT.values()) | {"established", "limited"} == set(
        plotting.EVIDENCE_GRADES
    )
    assert set(plotting.EVIDENCE_LABELS) == set(plotting.EVIDENCE_COLORS)
    assert set(plotting.EVIDENCE_LABELS) == set(plotting.EVIDENCE_GRADES)


def test_evidence_against_is_never_counted_with_no_evidence():
    assert not set(claims.AGAINST) & set(claims.NOTHING_EITHER_WAY)
    assert not set(claims.NOT_SHOWN) & (set(claims.AGAINST) | set(claims.NOTHING_EITHER_WAY))
    assert "contradicted" in claims.AGAINST and "no_evidence_found" in claims.NOTHING_EITHER_WAY
    assert "contradicted" in plotting.EVIDENCE_GRADES
    assert "no_evidence_found" in plotting.EVIDENCE_GRADES
    colours = plotting.VERDICT_COLORS
    assert len(set(colours.values())) == len(colours)
    assert (
        plotting.EVIDENCE_COLORS["contradicted"] != plotting.EVIDENCE_COLORS["no_evidence_found"]
    )


# --- the course's own claims: the planner --------------------------------------------------------


def test_a_diet_claim_asks_the_planner_about_the_named_foods_only():
    data = load()
    table = data.guide_claims.set_index("claim_id")
    foods = table.at["C39", "foods"].split(";")
    check = claims.diet_claim_verdict(data, foods, ["magnesium", "potassium", "calcium"])
    assert check.verdict == "supported" and not check.short
    with_d = claims.diet_claim_verdict(data, foods, ["magnesium", "vitamin_d"])
    assert with_d.verdict == "partly_supported" and with_d.short == ["vitamin_d"]
    assert with_d.reach["vitamin_d"] < 20  # the vitamin D Daily Value, in µg
