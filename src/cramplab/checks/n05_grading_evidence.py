"""Self-checks for notebook 05_grading_evidence."""

from __future__ import annotations

from cramplab import claims
from cramplab.checks.core import data, exercise, one_of, right, same_items, wrong

__all__ = [
    "claims_with_trial_evidence",
    "grade_c03",
    "grade_c30a",
    "intervals_that_include_no_effect",
]
TRIAL_DESIGNS = ["randomised_trial", "systematic_review"]
RATIOS = ["risk ratio", "odds ratio", "sequence ratio"]
TYPED = [verdict for verdict in claims.VERDICTS if verdict != "no_data"]


@exercise
def claims_with_trial_evidence(answer) -> None:
    """Exercise 5.1: claims tested by a randomised trial or a systematic review."""
    studies = data().claim_studies
    trials = studies[studies["design"].isin(TRIAL_DESIGNS)]
    expected = sorted(trials["claim_id"].unique())
    same_items(
        answer,
        expected,
        what="the claim ids",
        hints=[
            (
                lambda items: set(expected) < set(items),
                "some of these have no randomised trial or systematic review among their studies.",
            ),
            (
                lambda items: bool(set(items) & set(studies["study"])),
                "give claim_ids, not study names.",
            ),
        ],
        hint="Keep the rows whose design is a randomised trial or a systematic review.",
    )
    right(
        f"{', '.join(expected)}: only these have a study in which chance decided who got the "
        "intervention."
    )


@exercise
def intervals_that_include_no_effect(answer) -> None:
    """Exercise 5.3: studies reporting a ratio whose 95% interval includes 1."""
    studies = data().claim_studies
    ratios = studies[studies["measure"].isin(RATIOS)]
    crossing = ratios[(ratios["ci_low"] <= 1) & (ratios["ci_high"] >= 1)]
    expected = sorted(crossing["study"].unique())
    differences = set(studies.loc[studies["measure"] == "mean difference", "study"])
    same_items(
        answer,
        expected,
        what="the study names",
        hints=[
            (
                lambda items: bool(set(items) & differences),
                "a mean difference has its 'no effect' at 0, not 1; keep only the ratios.",
            ),
            (
                lambda items: set(expected) < set(items),
                "some of these intervals lie wholly above 1.",
            ),
        ],
        hint="Keep the ratios whose lower end is at most 1 and whose upper end is at least 1.",
    )
    right(
        f"{', '.join(expected)}: their intervals include 1, so neither rules out 'no "
        "difference' on its own."
    )


def _course_verdict(claim_id: str) -> str:
    return data().guide_claims.set_index("claim_id").at[claim_id, "evidence_verdict"]


C03_HINTS = {
    "supported": "one part holds (the clinical sign); look again at the night-time part and "
    "at what the trial review found.",
    "contradicted": "the clinical reference supports one part of the claim; a verdict should "
    "say which part holds and which fails.",
    "mixed": "mixed is for studies of one question pointing both ways; here different parts "
    "of the claim get different answers.",
    "no_evidence_found": "there are studies here: the clinical reference and the trial review "
    "each address a part of the claim.",
    "not_assessed": "a mechanism claim is testable; not_assessed is for first aid and warning "
    "signs.",
}
C30A_HINTS = {
    "supported": "one randomised trial found a benefit; look at what the other found.",
    "contradicted": "one trial found no difference, but the other found a benefit; does either "
    "clearly outweigh the other?",
    "partly_supported": "the claim has one part (stretching prevents night cramps); the "
    "question is whether the trials of it agree.",
    "no_evidence_found": "there are randomised trials of exactly this question.",
    "not_assessed": "prevention by stretching is testable, and has been tested; not_assessed "
    "is for first aid.",
}


def _grade(answer, claim_id: str, hints: dict, why: str) -> None:
    expected = _course_verdict(claim_id)
    given = one_of(answer, TYPED, what="a verdict")
    if given != expected:
        wrong(hints.get(given, "compare each part of the claim with the studies' directions."))
    right(f"the course grades {claim_id} {expected.replace('_', ' ')} too: {why}")


@exercise
def grade_c03(answer) -> None:
    """Exercise 5.4: your verdict on C03 (magnesium, over-excitable muscles, night cramps)."""
    _grade(
        answer,
        "C03",
        C03_HINTS,
        "the clinical sign holds; the Cochrane trials point against a shortfall explaining "
        "everyday cramps, but only indirectly, and studies of a night-time low disagree.",
    )


@exercise
def grade_c30a(answer) -> None:
    """Exercise 5.5: your verdict on C30a (stretching prevents night cramps)."""
    _grade(
        answer,
        "C30a",
        C30A_HINTS,
        "two randomised trials of the same question disagree, and neither settles it.",
    )
