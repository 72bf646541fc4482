"""Self-checks for notebook 02_nutrients_and_symptoms."""

from __future__ import annotations

import pandas as pd

from cramplab.checks.core import as_items, data, exercise, invalid, kind, right, same_items, wrong

__all__ = ["factors_against_and_unknown", "guide_links_with_no_evidence", "shared_symptoms"]


def _established_signs() -> pd.DataFrame:
    links = data().nutrient_symptoms
    return links[(links["state"] == "deficiency") & (links["evidence_grade"] == "established")]


@exercise
def shared_symptoms(answer) -> None:
    """Exercise 2.1: the symptoms that are an established sign of three or more deficiencies."""
    links = data().nutrient_symptoms
    counts = _established_signs().groupby("symptom_id")["nutrient_id"].nunique()
    expected = sorted(counts[counts >= 3].index)
    every_link = links.groupby("symptom_id")["nutrient_id"].nunique()
    same_items(
        answer,
        expected,
        what="the shared symptoms",
        hints=[
            (
                lambda items: bool(set(items) & set(links["nutrient_id"])),
                "give symptom_ids, not nutrient_ids.",
            ),
            (
                lambda items: set(items) == set(every_link[every_link >= 3].index),
                "that counts every link; keep only established signs of a deficiency state.",
            ),
            (
                lambda items: set(expected) < set(items),
                "some of these are an established sign of fewer than three deficiencies.",
            ),
        ],
        hint="Keep the established deficiency links, then count the different nutrients per "
        "symptom.",
    )
    right(
        f"{', '.join(expected)}: each an established sign of three or more deficiencies, so "
        "none of them points to one nutrient."
    )


@exercise
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


@exercise
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
