"""Prose checked against the data: the markers, the scan for unchecked numbers, and a data
change that makes a sentence false."""

import csv
import re
import shutil

import pytest
from repo import CLONE

from cramplab.course import facts
from cramplab.course.facts import FACTS, SOURCED, Context, format_value
from cramplab.course.notebooks import course_notebooks
from cramplab.course.prose import (
    MARKED_DOCUMENTS,
    MARKER,
    check_cell,
    check_course,
    check_document,
    check_notebook,
)

NOTEBOOKS = course_notebooks(CLONE.notebooks)


@pytest.fixture(scope="module")
def context():
    return Context(CLONE.data)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_agrees_with_the_data(path, context):
    problems = check_notebook(path, context)
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("name", MARKED_DOCUMENTS)
def test_the_counts_a_readme_marks_agree_with_the_data(name, context):
    path = CLONE.root / name
    assert MARKER.search(path.read_text(encoding="utf-8")), f"{name} marks no fact"
    problems = check_document(path, context)
    assert not problems, "\n".join(map(str, problems))


def test_a_stale_count_in_a_readme_names_its_line(tmp_path, context):
    readme = tmp_path / "README.md"
    readme.write_text("# Data\n\nThe three<!--fact:table_count:words--> tables.\n")
    (problem,) = check_document(readme, context)
    assert str(problem).startswith("README.md, line 3: 'The three tables.': states table_count")


def test_every_fact_is_stated_somewhere():
    used = {
        match["name"]
        for path in NOTEBOOKS
        for match in MARKER.finditer(path.read_text(encoding="utf-8"))
    }
    assert set(FACTS) <= used, f"facts no notebook states: {sorted(set(FACTS) - used)}"


@pytest.mark.parametrize("sourced", SOURCED, ids=lambda s: s.pattern.pattern)
def test_sourced_constants_agree_with_the_code_and_cite_a_source(sourced):
    assert sourced.check(), f"the code no longer uses {sourced.pattern.pattern}"
    assert sourced.source and "facts.md" not in sourced.source


def _drop_last_claim(data_dir) -> str:
    """Remove the last row of guide_claims.csv and every row of another table that names it
    (its parts, studies, GRADE judgements and linked evidence rows); returns its id."""
    claims = data_dir / "guide_claims.csv"
    with claims.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    dropped = rows[-1][rows[0].index("claim_id")]
    for table in sorted(data_dir.glob("*.csv")):
        with table.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        if "claim_id" not in rows[0]:
            continue
        column = rows[0].index("claim_id")
        kept = [rows[0]] + [row for row in rows[1:] if row[column] != dropped]
        if len(kept) < len(rows):
            with table.open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerows(kept)
    return dropped


def test_a_data_change_that_falsifies_a_sentence_is_reported(tmp_path):
    """Drop the guide's last claim (and the rows that name it) from a copy of data/: the
    sentence counting the claims fails."""
    copy = tmp_path / "data"
    shutil.copytree(CLONE.data, copy)
    dropped = _drop_last_claim(copy)
    assert dropped
    stated = format_value(FACTS["claim_count"].compute(Context(CLONE.data)))
    problems = check_course(NOTEBOOKS, data_dir=copy)
    reported = [p for p in problems if "claim_count" in p.reason]
    assert reported, "dropping a claim should falsify the sentence that counts the claims"
    problem = reported[0]
    assert problem.notebook == "00_start_here.ipynb"
    assert f"{stated} claims" in problem.sentence
    assert f"states claim_count as {stated!r}" in problem.reason
    assert f"the data give {format_value(int(stated) - 1)!r}" in problem.reason


# --- the checker on hand-written cells ------------------------------------------------------


@pytest.fixture
def registry(monkeypatch):
    """A registry with two facts of known value, in place of the course's."""
    fake = facts.Registry()
    fake.value("seven", "a count")(lambda c: 7)
    fake.claim("more_than_half", "more than half", "a comparison")(lambda c: c is not None)
    fake.claim("never", "always", "a comparison the data do not support")(lambda c: False)
    monkeypatch.setattr("cramplab.course.prose.FACTS", fake)
    return fake


def reasons(text):
    return [reason for _, _, reason in check_cell(text, context=object())]


def test_a_stated_value_that_matches_passes(registry):
    assert reasons("It holds 7<!--fact:seven--> tables.") == []
    assert reasons("It holds seven<!--fact:seven:words--> tables.") == []
    assert reasons("Seven<!--fact:seven:Words--> tables.") == []
    assert reasons("About 7.0<!--fact:seven:.1f--> g.") == []


def test_a_stated_value_that_differs_names_both(registry):
    (reason,) = reasons("It holds 8<!--fact:seven--> tables.")
    assert reason == "states seven as '8', but the data give '7'"
    (reason,) = reasons("It holds 77<!--fact:seven--> tables.")  # not a word boundary
    assert "the data give '7'" in reason


def test_claims_must_hold_and_keep_their_words(registry):
    assert reasons("Spinach gives more than half<!--fact:more_than_half--> of it.") == []
    (reason,) = reasons("Spinach gives at least half<!--fact:more_than_half--> of it.")
    assert "the data give 'more than half'" in reason
    (reason,) = reasons("It is always<!--fact:never--> so.")
    assert reason == "the data no longer support this (never)"


def test_unmarked_numbers_are_reported_and_wording_is_allowed(registry):
    (reason,) = reasons("The banana ranks 38 of 148.")[:1]
    assert reason.startswith("'38' is not checked")
    assert reasons("It mixes two<!--not-data--> things, 1 oz<!--not-data--> at a time.") == []
    assert reasons("Vitamin B12 and SR28, per 100 g, at 20% DV, in 2016; see notebook 05.") == []
    assert reasons("```\nx = 3\n```\nand `y = 4`") == []
    assert reasons("## Sources\n\n- Stigler 1945;27:303-314") == []
    assert reasons("An unknown<!--fact:nothing--> fact.") == [
        "no fact named 'nothing' in facts.py"
    ]


def test_the_problem_names_the_sentence(registry, tmp_path):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("First sentence. It holds 8<!--fact:seven--> tables. Last."),
    ]
    path = tmp_path / "00_demo.ipynb"
    nbformat.write(notebook, path)
    (problem,) = check_notebook(path, context=object())
    assert (problem.notebook, problem.cell) == ("00_demo.ipynb", 1)
    assert problem.sentence == "It holds 8 tables."
    assert str(problem).startswith("00_demo.ipynb, cell 1: 'It holds 8 tables.': states seven")


def test_number_words_and_formats():
    assert format_value(9, "words") == "nine" and format_value(21, "words") == "21"
    assert format_value(1480) == "1,480" and format_value(4.8) == "4.8"
    assert format_value(0.254, ".0%") == "25%"
    assert re.fullmatch(r"\d+", format_value(20.0))
