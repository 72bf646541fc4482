"""The course's verdicts follow from its recorded evidence: recomputed here, independently of
cramplab.claims, and compared with the package and with what the notebooks show.

Also: each claim is where its row says in the guide, with its qualifiers; every search that a
"no evidence found" rests on is recorded; and changing one study's directness changes the
verdict (the rule reads the data, not a typed answer).
"""

import dataclasses
import json
import re

import pandas as pd
import pytest
from repo import CLONE

from cramplab import claims
from cramplab.data import load, split_list

DATA = load()
GUIDE = CLONE.root.parent / "shared" / "reference" / "guide" / "guide.txt"
LEVELS = ["very_low", "low", "moderate", "high"]
STEP = {"not_serious": 0, "serious": -1, "very_serious": -2, "none": 0, "present": 1,
        "large": 1, "very_large": 2}  # fmt: skip
TRIALS = {"randomised_trial", "systematic_review"}
EMPIRICAL = {"grade": {"randomised_trial", "systematic_review", "nonrandomised_trial", "cohort",
                       "case_control", "cross_sectional", "self_controlled", "case_series"},
             "physiology": {"physiology"}, "established_physiology": {"textbook"},
             "clinical_reference": {"clinical_reference"}, "survey": {"survey"}}  # fmt: skip


def read(row) -> str:
    """Which way a study points: its interval against no effect and the worthwhile effect."""
    if pd.isna(row.ci_low):
        return row.direction
    null = 1.0 if row.measure.endswith("ratio") else 0.0
    lo, hi, worth = row.ci_low, row.ci_high, row.worthwhile_effect
    up = worth > null
    if (lo > null) if up else (hi < null):
        return "for"
    if (hi < worth) if up else (lo > worth):
        return "against"
    return "neither"


def recompute(data) -> pd.DataFrame:
    """Every evidence part's verdict and certainty, by the rules as notebook 05 states them."""
    rows = []
    for part in data.claim_parts.itertuples():
        if part.basis not in EMPIRICAL:
            continue
        mine = data.claim_studies[
            (data.claim_studies["claim_id"] == part.claim_id)
            & (data.claim_studies["part"] == part.part)
            & data.claim_studies["design"].isin(EMPIRICAL[part.basis])
        ]
        direction = {(r.directness, read(r)) for r in mine.itertuples()}
        if ("direct", "for") in direction and ("direct", "against") in direction:
            verdict, body = "mixed", "direct"
        elif ("direct", "against") in direction:
            verdict, body = "contradicted", "direct"
        elif ("direct", "for") in direction:
            verdict, body = "supported", "direct"
        elif ("indirect", "against") in direction and ("indirect", "for") not in direction:
            verdict, body = "indirect_against", "indirect"
        elif ("indirect", "for") in direction and ("indirect", "against") not in direction:
            verdict, body = "indirect_for", "indirect"
        elif (("indirect", "for") in direction and ("indirect", "against") in direction) or (
            mine["directness"].eq("direct") & ~mine["design"].isin(["clinical_reference",
                                                                    "textbook", "survey"])
        ).any():  # fmt: skip
            verdict, body = "inconclusive", None
        else:
            verdict, body = "no_evidence_found", None
        certainty = None
        if part.basis == "grade" and body:
            designs = set(mine.loc[mine["directness"] == body, "design"])
            grades = data.claim_grades[
                (data.claim_grades["claim_id"] == part.claim_id)
                & (data.claim_grades["part"] == part.part)
            ]
            level = (3 if designs & TRIALS else 1) + sum(STEP[j] for j in grades["judgement"])
            certainty = LEVELS[min(3, max(0, level))]
            if certainty == "very_low":
                verdict = "very_uncertain"
        rows.append((part.claim_id, part.part, verdict, certainty))
    return pd.DataFrame(rows, columns=["claim_id", "part", "verdict", "certainty"]).set_index(
        ["claim_id", "part"]
    )


COMPUTED = claims.part_verdicts(DATA).set_index(["claim_id", "part"])
RECOMPUTED = recompute(DATA)
VERDICTS = claims.verdicts(DATA)


def test_every_evidence_part_is_recomputed_to_the_same_verdict_and_certainty():
    mine = COMPUTED.loc[RECOMPUTED.index, ["verdict", "certainty"]]
    assert (mine.fillna("-") == RECOMPUTED.fillna("-")).all(axis=None), mine.compare(RECOMPUTED)


def test_each_claim_combines_its_recomputed_parts():
    for claim_id, row in VERDICTS.iterrows():
        parts = COMPUTED.loc[claim_id]
        verdicts = list(parts["verdict"])
        graded = [v for v in verdicts if v != "not_assessed"]
        if not graded:
            expected = "not_assessed"
        elif all(v == "supported" for v in graded):
            expected = "supported"
        elif any(v in ("supported", "partly_supported") for v in graded):
            expected = "partly_supported"
        else:
            expected = min(graded, key=claims.NONE_SUPPORTED_ORDER.index)
        assert row["verdict"] == expected, claim_id
        certainties = [c for c in parts["certainty"] if isinstance(c, str)]
        lowest = min(certainties, key=LEVELS.index) if certainties else None
        assert (row["certainty"] if isinstance(row["certainty"], str) else None) == lowest


def flipped(data, claim_id, part, study, directness, indirect_on=None):
    """A copy of the data with one study's directness changed."""
    table = data.claim_studies.copy()
    row = (table["claim_id"] == claim_id) & (table["part"] == part) & (table["study"] == study)
    assert row.sum() == 1
    table.loc[row, "directness"] = directness
    table.loc[row, "indirect_on"] = indirect_on
    return dataclasses.replace(data, claim_studies=table)


@pytest.mark.parametrize(
    ("claim_id", "part", "study", "directness", "before", "after"),
    [
        # The magnesium trials are indirect for "electrolyte shortages are a major cause of
        # frequent cramps": made direct, the same interval contradicts the claim.
        ("C02", "b", "Garrison 2020: cramp frequency", "direct", "indirect_against", "contradicted"),
        # One of the two stretching trials made indirect: the other decides alone.
        ("C30a", "a", "Coppin 2005", "indirect", "mixed", "supported"),
    ],
)  # fmt: skip
def test_changing_one_studys_directness_changes_the_verdict(
    claim_id, part, study, directness, before, after
):
    assert COMPUTED.at[(claim_id, part), "verdict"] == before
    changed = flipped(
        DATA, claim_id, part, study, directness, "population" if directness == "indirect" else None
    )
    assert (
        claims.part_verdicts(changed)
        .set_index(["claim_id", "part"])
        .at[(claim_id, part), "verdict"]
        == after
    )
    assert recompute(changed).at[(claim_id, part), "verdict"] == after


def test_an_imprecise_null_never_counts_against():
    studies = claims.study_readings(DATA.claim_studies, DATA.claim_parts)
    nulls = studies[studies["ci_low"].notna()]
    for row in nulls.itertuples():
        null = claims.no_effect(row.measure)
        if row.ci_low <= null <= row.ci_high and (
            row.ci_low <= row.worthwhile_effect <= row.ci_high
        ):
            assert row.reading == "neither", row.study


def test_linked_symptoms_and_factors_take_the_grade_of_their_part():
    for name in ("nutrient_symptoms", "cramp_factors"):
        table = getattr(DATA, name)
        linked = table[table["claim_id"].notna()]
        assert len(linked) > 5
        for row in linked.itertuples():
            part = COMPUTED.loc[(row.claim_id, row.part)]
            expected = claims.evidence_grade(part["verdict"], part["certainty"])
            assert row.evidence_grade == expected, (name, row.Index, row.claim_id, row.part)


def test_every_part_without_direct_evidence_records_where_we_searched():
    counted = claims.study_readings(DATA.claim_studies, DATA.claim_parts)
    counted = counted[counted["counts"] & (counted["directness"] == "direct")]
    pointing = counted[counted["reading"] != "neither"]
    has = set(zip(pointing["claim_id"], pointing["part"], strict=True))
    searches = DATA.claim_parts.set_index(["claim_id", "part"])["searches"]
    for key, row in COMPUTED.iterrows():
        if row["basis"] in ("food_words", "diet_planner", "not_assessed") or key in has:
            continue
        assert split_list(searches[key]), f"{key}: no direct evidence and no recorded search"
    for search in DATA.evidence_searches.itertuples():
        assert search.where and search.query and search.found and search.searched_on


def test_grade_parts_rate_up_only_from_low():
    for key, row in COMPUTED[COMPUTED["basis"] == "grade"].iterrows():
        grades = DATA.claim_grades.set_index(["claim_id", "part", "domain"])["judgement"]
        judged = grades.loc[key] if key in grades.index.droplevel(2) else pd.Series(dtype=object)
        assert claims.upgrade_allowed(row["start"], judged), key


# --- the claims are where they say, as the guide wrote them -------------------------------------

needs_guide = pytest.mark.skipif(
    not GUIDE.exists(), reason=f"the guide's text is not at {GUIDE} (../shared/reference)"
)


@needs_guide
def test_each_claim_names_an_existing_line_under_its_heading():
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    headings = set(DATA.guide_claims["guide_heading"])
    where = {h: [i + 1 for i, line in enumerate(lines) if line.strip() == h] for h in headings}
    assert all(where.values()), [h for h, found in where.items() if not found]
    for row in DATA.guide_claims.itertuples():
        assert 1 <= row.guide_line <= len(lines) and lines[row.guide_line - 1].strip(), (
            row.claim_id
        )
        above = [
            (line, h) for h, found in where.items() for line in found if line < row.guide_line
        ]
        assert max(above)[1] == row.guide_heading, (row.claim_id, max(above))


# Words of the guide's sentence that change what is claimed: each paraphrase keeps them.
QUALIFIERS = {
    "C38b": ["doctor's guidance", "correct a deficiency", "alleviate cramps"],
    "C40": ["deficiency is identified", "may recommend", "B-complex"],
    "C10": ["some people"],
    "C30a": ["can help prevent", "calf and hamstring"],
    "C08": ["can disrupt"],
    "C03": ["often", "particularly at night"],
    "C05": ["directly"],
    "C44": ["often"],
    "C31": ["particularly when a deficiency is suspected"],
    "C21": ["can all be linked"],
    "C13": ["potentially"],
}


@needs_guide
@pytest.mark.parametrize(("claim_id", "words"), QUALIFIERS.items())
def test_paraphrases_keep_the_guides_conditions_and_qualifiers(claim_id, words):
    claim = DATA.guide_claims.set_index("claim_id").loc[claim_id]
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    for word in words:
        assert word.lower() in claim["claim"].lower(), (claim_id, word)
    text = lines[claim["guide_line"] - 1].lower()
    stem = {
        "doctor's guidance": "doctor's guidance",
        "correct a deficiency": "correct a deficiency",
    }
    for word in words:
        if word in stem:
            assert stem[word] in text, (claim_id, word)


# --- what the notebooks show --------------------------------------------------------------------

NOTEBOOK_06 = CLONE.notebooks / "06_checking_the_guide.ipynb"
MARK = "# every claim, its verdict and certainty"


def shown_table() -> pd.DataFrame:
    """The table of every claim's verdict that notebook 06 prints (its stored output)."""
    notebook = json.loads(NOTEBOOK_06.read_text(encoding="utf-8"))
    cells = [
        c for c in notebook["cells"] if c["cell_type"] == "code" and MARK in "".join(c["source"])
    ]
    assert len(cells) == 1, f"notebook 06 needs one cell starting with {MARK!r}"
    text = "".join(cells[0]["outputs"][-1]["data"]["text/plain"])
    rows = [line.split() for line in text.splitlines()[2:] if line.strip()]
    return pd.DataFrame(
        [(r[0], r[1], r[2] if len(r) > 2 else "-") for r in rows],
        columns=["claim_id", "verdict", "certainty"],
    ).set_index("claim_id")


def test_notebook_06_shows_every_claim_with_the_recomputed_verdict():
    shown = shown_table()
    assert sorted(shown.index) == sorted(VERDICTS.index), "every claim appears in notebook 06"
    expected = VERDICTS[["verdict", "certainty"]].fillna("-")
    assert (shown.loc[expected.index] == expected).all(axis=None), shown.compare(expected)


STATED = re.compile(
    r"(?P<before>[\w ]{0,40})<!--fact:(?P<key>c\d+[a-z]*)_(?P<what>verdict|certainty)-->"
)


def stated_results(notebook: str) -> list[tuple[str, str, str]]:
    """Each (fact key, verdict or certainty, the words just before it) in a notebook's prose."""
    cells = json.loads((CLONE.notebooks / notebook).read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return [(m["key"], m["what"], m["before"]) for m in STATED.finditer(text)]


def expected_result(key: str, what: str) -> str:
    """The recomputed verdict or certainty a fact key names: a claim (c38b) or a part (c38bb)."""
    claim_ids = {c.lower(): c for c in VERDICTS.index}
    if key in claim_ids:
        value = VERDICTS.at[claim_ids[key], what]
    else:
        value = RECOMPUTED.at[(claim_ids[key[:-1]], key[-1]), what]
    return str(value).replace("_", " ")


@pytest.mark.parametrize("notebook", ["05_grading_evidence.ipynb", "06_checking_the_guide.ipynb"])
def test_the_notebooks_state_the_recomputed_verdicts(notebook):
    stated = stated_results(notebook)
    assert len(stated) >= 3, f"{notebook} should state some verdicts with fact markers"
    for key, what, before in stated:
        expected = expected_result(key, what)
        assert before.endswith(expected), (
            f"{notebook}: {key} {what} stated as {before!r}, recomputed {expected!r}"
        )


def test_notebook_05_states_the_recomputed_result_of_its_graded_claims():
    text = (CLONE.notebooks / "05_grading_evidence.ipynb").read_text(encoding="utf-8")
    for key in [("C38b", "b"), ("C30a", "a")]:
        verdict = RECOMPUTED.at[key, "verdict"]
        assert re.search(rf"fact:{key[0].lower()}{key[1]}_verdict", text), key
        assert verdict in claims.VERDICTS


def test_notebook_05_and_the_rules_say_where_the_course_departs_from_grade():
    cells = json.loads((CLONE.notebooks / "05_grading_evidence.ipynb").read_text("utf-8"))["cells"]
    section = next(
        "".join(c["source"])
        for c in cells
        if "".join(c["source"]).startswith("## Where the course departs from GRADE")
    )
    departures = ["One reviewer", "stands in for an outcome", "not a systematic review",
                  "verdict words are the course's", "worthwhile effect is the course's choice",
                  "not GRADE at all"]  # fmt: skip
    assert [d for d in departures if d not in section] == []
    assert "Where the course departs from GRADE" in (claims.__doc__ or "")
