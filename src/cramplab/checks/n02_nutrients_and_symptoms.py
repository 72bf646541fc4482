"""Self-checks for notebook 02_nutrients_and_symptoms."""

from __future__ import annotations

import pandas as pd

from cramplab.checks.core import (
    as_items,
    data,
    exercise,
    invalid,
    kind,
    one_of,
    right,
    same_items,
    wrong,
)

__all__ = [
    "deficiency_with_most_signs",
    "factors_against_and_unknown",
    "guide_links_with_no_evidence",
]


def _established_signs() -> pd.DataFrame:
    links = data().nutrient_symptoms
    return links[(links["state"] == "deficiency") & (links["evidence_grade"] == "established")]


@exercise(name="answer_2_1")
def deficiency_with_most_signs(answer) -> None:
    """Exercise 2.1: the nutrient whose deficiency has the most established signs."""
    links = data().nutrient_symptoms
    counts = _established_signs().groupby("nutrient_id")["symptom_id"].nunique()
    expected = counts.idxmax()
    if isinstance(answer, str) and answer in set(links["symptom_id"]):
        wrong("that is a symptom_id; the exercise asks for a nutrient_id.")
    given = one_of(answer, sorted(links["nutrient_id"].unique()), what="a nutrient_id")
    if given != expected:
        wrong(
            f"{given!r} has {counts.get(given, 0)} established deficiency signs; another "
            "nutrient has more. Keep state deficiency and grade established, then count."
        )
    right(
        f"{expected}: {counts[expected]} established signs of deficiency, more than any other "
        f"nutrient (next: {counts.drop(expected).max()}); a sign shared this widely cannot "
        "point to one nutrient."
    )


@exercise(name="answer_2_2")
def guide_links_with_no_evidence(answer) -> None:
    """Exercise 2.2: nutrients the guide links to a symptom with no evidence found."""
    links = data().nutrient_symptoms
    unchecked = links[links["guide_asserts"] & (links["evidence_grade"] == "no_evidence_found")]
    expected = sorted(unchecked["nutrient_id"].unique())
    against = set(links.loc[links["evidence_grade"] == "very_uncertain", "nutrient_id"])
    same_items(
        answer,
        expected,
        what="the nutrients",
        hints=[
            (
                lambda items: bool(set(items) & against - set(expected)),
                "a very uncertain link has studies, too weak or indirect to say; that is not "
                "the same as no evidence found.",
            ),
            (
                lambda items: bool(set(items) & set(links["symptom_id"])),
                "give nutrient_ids, not symptom_ids.",
            ),
        ],
        hint="Keep the links the guide asserts whose grade is no_evidence_found.",
    )
    right(
        f"{', '.join(expected)}: the guide links them to a symptom, and we searched and found "
        "no study either way."
    )


@exercise(name="answer_2_4")
def factors_against_and_unknown(answer) -> None:
    """Exercise 2.4: guide-named factors graded very_uncertain, and no_evidence_found."""
    factors = data().cramp_factors
    named = factors[factors["named_by_guide"]]
    grades = ["very_uncertain", "no_evidence_found"]
    expected = {g: sorted(named.loc[named["evidence_grade"] == g, "factor_id"]) for g in grades}
    if not isinstance(answer, dict):
        invalid(
            "Expected a dict with the keys 'very_uncertain' and 'no_evidence_found', "
            f"got {kind(answer)}."
        )
    missing = [g for g in grades if g not in answer]
    if missing:
        invalid(f"Expected the keys 'very_uncertain' and 'no_evidence_found'; missing {missing}.")
    given = {g: as_items(answer[g], what=f"the {g} factors") for g in grades}
    if (
        sorted(given["very_uncertain"]) == expected["no_evidence_found"]
        and sorted(given["no_evidence_found"]) == expected["very_uncertain"]
    ):
        wrong(
            "the two lists are swapped: very uncertain means studied, too weakly to say; no "
            "evidence found means we searched and found no study either way."
        )
    for grade in grades:
        if sorted(map(str, given[grade])) != expected[grade]:
            wrong(
                f"the {grade} list is not right: keep the factors the guide names whose grade "
                f"is {grade}."
            )
    right(
        f"very uncertain: {', '.join(expected['very_uncertain'])}; no evidence found: "
        f"{', '.join(expected['no_evidence_found'])}. Weak evidence is not the same as no study."
    )
