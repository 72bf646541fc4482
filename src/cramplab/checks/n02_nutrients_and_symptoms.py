"""Self-checks for notebook 02_nutrients_and_symptoms."""

from __future__ import annotations

from cramplab.checks.core import data, exercise, right, same_items

__all__ = ["shared_symptoms", "weakest_guide_links"]


@exercise
def shared_symptoms(answer) -> None:
    """Exercise 2.1: the symptoms linked to three or more different nutrients."""
    links = data().nutrient_symptoms
    counts = links.groupby("symptom_id")["nutrient_id"].nunique()
    expected = sorted(counts[counts >= 3].index)
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
                lambda items: set(expected) < set(items),
                "some of these have fewer than three different nutrients.",
            ),
        ],
        hint="Count the different nutrients linked to each symptom; keep three or more.",
    )
    right(f"{', '.join(expected)} are each linked to three or more nutrients.")


@exercise
def weakest_guide_links(answer) -> None:
    """Exercise 2.2: nutrients the guide links to symptoms on guide-only evidence."""
    links = data().nutrient_symptoms
    weak = links[
        links["guide_asserts"] & (links["evidence_grade"] == "guide_only_or_contradicted")
    ]
    expected = sorted(weak["nutrient_id"].unique())
    same_items(
        answer,
        expected,
        what="the nutrients",
        hint="Keep the links the guide asserts whose grade is guide_only_or_contradicted.",
    )
    right(f"the guide's unsupported links involve {', '.join(expected)}.")
