"""Self-checks for notebook 05_grading_evidence."""

from __future__ import annotations

import collections.abc
import functools

from cramplab import claims
from cramplab.checks.core import (
    as_number,
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
    "claims_with_trial_evidence",
    "grade_c38b_summary_of_findings",
    "rubric_c38b",
    "studies_that_read_against",
]
TRIAL_DESIGNS = ["randomised_trial", "systematic_review"]
RUBRIC_ITEMS = ["parts", "basis_a", "differs_on", "start", "part_b", "claim"]


@exercise(name="answer_5_1")
def claims_with_trial_evidence(answer) -> None:
    """Exercise 5.1: claims with a randomised trial or a systematic review among their studies."""
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
        f"{len(expected)} claims: only these have a study in which chance decided who got the "
        "intervention (for some of them, trials of another question)."
    )


def _readings():
    studies = claims.study_readings(data().claim_studies)
    return studies[studies["ci_low"].notna()]


@exercise(name="answer_5_3")
def studies_that_read_against(answer) -> None:
    """Exercise 5.3: studies whose interval excludes the worthwhile effect (they read against)."""
    readings = _readings()
    expected = sorted(readings.loc[readings["reading"] == "against", "study"].unique())
    imprecise = set(readings.loc[readings["reading"] == "neither", "study"])
    pointing_for = set(readings.loc[readings["reading"] == "for", "study"])
    same_items(
        answer,
        expected,
        what="the study names",
        hints=[
            (
                lambda items: bool(set(items) & imprecise),
                "an interval that takes in both no effect and the worthwhile effect is "
                "imprecise: it points neither way.",
            ),
            (
                lambda items: bool(set(items) & pointing_for),
                "some of these exclude no effect on the side the claim predicts: they point for.",
            ),
        ],
        hint="Compare each interval with the worthwhile effect, on the side the claim predicts.",
    )
    right(
        f"{', '.join(expected)}: each interval stops short of the worthwhile effect, so a "
        "benefit worth having is ruled out."
    )


def _as_mapping(answer, what: str) -> dict:
    if not isinstance(answer, collections.abc.Mapping):
        invalid(f"Expected a dict for {what}, got {kind(answer)}: write {{'item': value, ...}}.")
    return dict(answer)


def _keys(given: dict, expected: list[str], what: str) -> None:
    missing = [key for key in expected if key not in given]
    extra = [key for key in given if key not in expected]
    if missing or extra:
        names = ", ".join(repr(k) for k in (missing or extra)[:3])
        problem = "is missing" if missing else "should not be in"
        wrong(f"{names} {problem} {what}; keep the keys of the template.")


@functools.cache
def _c38b():
    parts = claims.part_verdicts(data()).set_index(["claim_id", "part"])
    studies = claims.study_readings(data().claim_studies)
    frequency = studies[
        (studies["claim_id"] == "C38b")
        & (studies["part"] == "b")
        & (studies["study"] == "Garrison 2020: cramp frequency")
    ].iloc[0]
    table = data().claim_parts.set_index(["claim_id", "part"])
    ungraded = claims.evidence_verdict(
        studies[(studies["claim_id"] == "C38b") & (studies["part"] == "b")]
    )
    return {
        "parts": len(table.loc["C38b"]),
        "basis_a": table.at[("C38b", "a"), "basis"],
        "differs_on": frequency["indirect_on"],
        "start": parts.at[("C38b", "b"), "start"],
        "part_b": ungraded,
        "claim": claims.verdicts(data()).at["C38b", "verdict"],
    }, parts


def _item_by_item(items: list[str], missed: list[str], hints: dict[str, str], what: str) -> str:
    """How many items agree, which differ, and a hint for the first that differs."""
    agree = len(items) - len(missed)
    if len(missed) == 1:
        return f"{agree} of {len(items)} {what} agree; {missed[0]} differs: {hints[missed[0]]}"
    named = ", ".join(missed[:3]) + (f" and {len(missed) - 3} more" if len(missed) > 3 else "")
    return (
        f"{agree} of {len(items)} {what} agree; {named} differ. First, {missed[0]}: "
        + hints[missed[0]]
    )


RUBRIC_HINTS = {
    "parts": "count what the sentence asserts: what magnesium does to a deficiency, and what "
    "it does to cramps.",
    "basis_a": "correcting a measured deficiency is standard medical care: which basis states "
    "established clinical facts?",
    "differs_on": "compare whom the trials enrolled with the people part b is about.",
    "start": "what design is the body of part b, and where does GRADE start it?",
    "part_b": "no trial enrolled people with a deficiency: what verdict does indirect evidence give?",
    "claim": "one part holds and the other is not shown.",
}


@exercise(name="answer_5_4")
def rubric_c38b(answer) -> None:
    """Exercise 5.4: C38b (magnesium under a doctor's guidance), the rubric item by item."""
    expected, _ = _c38b()
    given = _as_mapping(answer, "the rubric")
    _keys(given, RUBRIC_ITEMS, "the rubric")
    missed = []
    for item in RUBRIC_ITEMS:
        value = given[item]
        if item == "parts":
            if as_number(value, what="the number of parts") != expected[item]:
                missed.append(item)
            continue
        allowed = {
            "basis_a": list(claims.BASES),
            "differs_on": claims.PICO,
            "start": ["high", "low"],
            "part_b": claims.VERDICTS,
            "claim": claims.VERDICTS,
        }[item]
        if one_of(value, allowed, what=f"the {item} item") != expected[item]:
            missed.append(item)
    if missed:
        wrong(_item_by_item(RUBRIC_ITEMS, missed, RUBRIC_HINTS, "items"))
    right(
        f"{expected['parts']} parts: correcting a deficiency holds ({expected['basis_a'].replace('_', ' ')}); the "
        f"trials differ on {expected['differs_on']}, so their precise null is only indirect "
        f"evidence against, and C38b is {expected['claim'].replace('_', ' ')}."
    )


SOF_HINTS = {
    "risk_of_bias": "the review rated one of five idiopathic-cramp trials at high risk.",
    "inconsistency": "do the idiopathic-cramp trials agree (look at I-squared)?",
    "indirectness": "the trials enrolled people not selected for low magnesium; the question is "
    "about people with a deficiency.",
    "imprecision": "how many people, and how did the review itself rate this outcome?",
    "publication_bias": "did the review search trial registries for unpublished trials?",
    "large_effect": "rating up is for observational evidence with a large effect.",
    "dose_response": "is there a gradient with dose?",
    "plausible_confounding": "rating up is for observational evidence.",
}


@exercise(name="answer_5_5")
def grade_c38b_summary_of_findings(answer) -> None:
    """Exercise 5.5: a Summary of Findings for C38b part b, each domain with a reason."""
    sof = claims.summary_of_findings(data(), "C38b", "b")
    given = _as_mapping(answer, "the Summary of Findings")
    _keys(given, claims.DOMAINS, "the Summary of Findings")
    differ = []
    for domain in claims.DOMAINS:
        entry = given[domain]
        if isinstance(entry, str) or not isinstance(entry, collections.abc.Sequence):
            invalid(
                f"Expected a (judgement, reason) pair for {domain}, got {kind(entry)}: "
                'write ("serious", "why ...").'
            )
        if len(entry) != 2:
            invalid(f"Expected a (judgement, reason) pair for {domain}, got {len(entry)} items.")
        judgement, reason = entry
        one_of(judgement, list(claims.STEPS), what=f"the judgement for {domain}")
        if not isinstance(reason, str) or len(reason.split()) < 2:
            wrong(f"give a reason of a few words for {domain}: a judgement without one is not "
                  "a GRADE judgement.")  # fmt: skip
        if judgement != sof.at[domain, "judgement"]:
            differ.append(domain)
    if differ:
        wrong(_item_by_item(claims.DOMAINS, differ, SOF_HINTS, "judgements"))
    parts = _c38b()[1]
    part = parts.loc[("C38b", "b")]
    moves = ", ".join(
        f"{domain.replace('_', ' ')} {int(levels):+d}"
        for domain, levels in sof["levels"].items()
        if levels
    )
    right(
        f"start {part['start']} ({'trials' if part['start'] == 'high' else 'observational'}), "
        f"{moves}: {part['certainty'].replace('_', ' ')}, so part b is "
        f"{claims.VERDICT_LABELS[part['verdict']].lower()}."
    )
