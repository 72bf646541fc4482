"""Prose checked against the data: the markers, the scan for unchecked numbers, and a data
change that makes a sentence false."""

import csv
import dataclasses
import re
import shutil
from dataclasses import replace

import nbformat
import numpy as np
import pandas as pd
import pytest
from repo import CLONE

from cramplab.data import CourseData, load, read_datapackage
from cramplab_tools import facts, prose
from cramplab_tools.facts import FACTS, SOURCED, Context, format_value
from cramplab_tools.notebooks import course_notebooks
from cramplab_tools.prose import (
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
    """In a notebook or a marked document (the README states the course's length, say)."""
    documents = [*NOTEBOOKS, *(CLONE.root / name for name in MARKED_DOCUMENTS)]
    used = {
        match["name"]
        for path in documents
        for match in MARKER.finditer(path.read_text(encoding="utf-8"))
    }
    assert set(FACTS) <= used, f"facts nothing states: {sorted(set(FACTS) - used)}"


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
    monkeypatch.setattr("cramplab_tools.prose.FACTS", fake)
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


# --- the checker never crashes: any value, any format, any failure becomes a sentence --------


def test_a_marker_at_the_start_with_a_longer_value_is_a_problem_not_a_crash(registry):
    """The report: 'Ten<!--fact:flip_pairs:Words-->' with the data giving eleven raised
    IndexError (the value is longer than all the text before the marker)."""
    registry.value("eleven", "a count")(lambda c: 11)
    assert reasons("Ten<!--fact:eleven:Words--> words change.") == [
        "states eleven as 'Ten', but the data give 'Eleven'"
    ]
    assert reasons("Eleven<!--fact:eleven:Words--> words change.") == []
    assert reasons("Often<!--fact:eleven:Words--> not.")  # no crash, and no match inside a word


def failing(error: BaseException):
    def compute(context):
        raise error

    return compute


@pytest.mark.parametrize(
    "error",
    [KeyError("banana"), IndexError("out of range"), ZeroDivisionError("division by zero"),
     TypeError("bad operand"), ValueError("ambiguous"), AttributeError("no attribute")],
    ids=lambda e: type(e).__name__,
)  # fmt: skip
def test_a_fact_that_fails_on_the_data_is_reported_with_its_sentence(registry, error):
    registry.value("broken", "a fact whose code fails")(failing(error))
    registry.claim("broken_claim", "more than half", "a claim whose code fails")(failing(error))
    for text in ("It holds 8<!--fact:broken--> tables.", "It is more than half<!--fact:broken_claim-->."):  # fmt: skip
        (reason,) = reasons(text)
        name = "broken_claim" if "claim" in text else "broken"
        assert reason == (
            f"{name} could not be computed from the data ({type(error).__name__}: {error})"
        )


ANY_VALUE = [
    0, 1, 11, 21, -3, 10**9, 2.5, 0.004, float("nan"), float("inf"), None, "text", True,
    np.int64(12), np.float64(3.0), pd.Series([1, 2]), pd.NA,
]  # fmt: skip


@pytest.mark.parametrize("fmt", ["words", "Words", ".1f", ".0%", ",", "d", "x", "nonsense", ""])
def test_any_value_in_any_format_is_checked_without_a_crash(registry, fmt):
    marker = f"<!--fact:any:{fmt}-->" if fmt else "<!--fact:any-->"
    texts = [f"Ten{marker} words.", f"It has 7{marker} foods.", "more than half<!--fact:any_claim-->"]  # fmt: skip
    for value in ANY_VALUE:
        registry.value("any", "a value of any kind")(lambda c, value=value: value)
        registry.claim("any_claim", "more than half", "a claim")(lambda c, value=value: value)
        for text in texts:
            for reason in reasons(text):
                assert reason.startswith(
                    ("states any ", "any: ", "any could not", "any_claim could not",
                     "the data no longer support this (any_claim)")
                ), (value, reason)  # fmt: skip


@pytest.fixture(scope="module")
def marked_cells():
    """Every markdown cell of the course (both READMEs too) that holds a fact marker."""
    cells = [
        cell.source
        for path in NOTEBOOKS
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "markdown" and MARKER.search(cell.source)
    ]
    cells += [(CLONE.root / name).read_text(encoding="utf-8") for name in ("README.md", "data/README.md")]  # fmt: skip
    return cells


OTHER_VALUES = {
    "a larger whole number": lambda value: value + 11 if isinstance(value, int) else value,
    "zero": lambda value: 0,
    "a negative number": lambda value: -7,
    "a fraction": lambda value: 1.2345,
    "a missing value": lambda value: float("nan"),
    "None": lambda value: None,
    "text": lambda value: "changed",
    "the opposite truth": lambda value: not value,
    "an error": lambda value: (_ for _ in ()).throw(KeyError("gone")),
}


@pytest.fixture(scope="module")
def fact_values(context):
    return {name: fact.compute(context) for name, fact in FACTS.items()}


@pytest.mark.parametrize("change", OTHER_VALUES)
def test_every_course_marker_survives_any_value_its_fact_could_take(
    marked_cells, fact_values, monkeypatch, change
):
    """What a data change can do to the checker is give a fact another value (or make it
    fail): every marker of the course, given each kind, names its sentence or stays quiet."""
    other = facts.Registry()
    for name, fact in FACTS.items():
        value = fact_values[name]
        new = OTHER_VALUES[change]
        other[name] = replace(fact, compute=lambda c, value=value, new=new: new(value))
    monkeypatch.setattr("cramplab_tools.prose.FACTS", other)
    for text in marked_cells:
        for start, end, reason in check_cell(text, context=object()):
            assert 0 <= start < end <= len(text) and reason, (text, reason)


# --- a data change never crashes the checker -------------------------------------------------


def test_the_reported_data_change_names_the_capitalised_sentence(tmp_path, monkeypatch, capsys):
    """The README's after-a-data-change workflow, as the issue ran it: banana potassium 358 ->
    600 mg in a copy of data/, then `python -m cramplab_tools.prose` (it crashed on
    'Ten<!--fact:flip_pairs:Words-->')."""
    copy = tmp_path / "data"
    shutil.copytree(CLONE.data, copy)
    amounts = copy / "food_nutrients.csv"
    text = amounts.read_text(encoding="utf-8")
    assert "\nbanana,potassium,358\n" in text
    amounts.write_text(text.replace("\nbanana,potassium,358\n", "\nbanana,potassium,600\n"))
    monkeypatch.setenv("CRAMPLAB_DATA", str(copy))
    monkeypatch.chdir(CLONE.root)
    assert prose.main([]) == 1
    out, err = capsys.readouterr()
    # the count itself moves with the curated data; what matters is that the capitalised
    # number is compared as a capitalised word, sentence named
    assert re.search(r"'[A-Z][a-z]+ food-and-nutrient words change between the bases:", out)
    assert re.search(r"states flip_pairs as '[A-Z][a-z]+', but the data give '[A-Z][a-z]+'", out)
    assert err.endswith(" statements to fix\n")


def data_keys() -> dict[str, set[str]]:
    """Each table's key columns (primary and foreign) in datapackage.json."""
    keys = {}
    for resource in read_datapackage(CLONE.data)["resources"]:
        schema = resource["schema"]
        fields = set(schema.get("primaryKey", []))
        fields |= {f for key in schema.get("foreignKeys", []) for f in key["fields"]}
        keys[resource["name"]] = fields
    return keys


def changed(column: pd.Series) -> pd.Series:
    """Every value of a column changed, keeping its kind: flags flipped, whole numbers plus
    one, other numbers half as large again plus one, a category becomes another of the
    column's categories, and free text gets words added. Missing stays missing."""
    if pd.api.types.is_bool_dtype(column):
        return ~column
    if pd.api.types.is_integer_dtype(column):
        return column + 1
    if pd.api.types.is_float_dtype(column):
        return column * 1.5 + 1
    values = list(column.dropna().unique())
    if 1 < len(values) <= max(2, len(column) // 3):  # categories: shifted by one
        return column.map(dict(zip(values, values[1:] + values[:1], strict=True)))
    return column.where(column.isna(), column.astype(str) + " (changed)")


ROUNDS = 5  # the columns of each table, split over this many rounds of the whole checker


def changed_data(data: CourseData, round_number: int) -> tuple[CourseData, list[str]]:
    """data with every ROUNDS-th non-key column of each table changed (starting at
    round_number), and the list of what changed."""
    keys, tables, what = data_keys(), {}, []
    for name in data.table_names():
        table = getattr(data, name).copy()
        columns = [c for c in table.columns if c not in keys.get(name, ())]
        for column in columns[round_number::ROUNDS]:
            table[column] = changed(table[column])
            what.append(f"{name}.{column}")
        tables[name] = table
    return dataclasses.replace(data, **tables), what


@pytest.fixture(scope="module")
def course_data():
    return load(CLONE.data)


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_a_changed_value_is_a_named_sentence_or_nothing_never_a_crash(course_data, round_number):
    """Every value a fact may depend on, changed: each column of every table (keys aside:
    renaming one breaks references, which the loader reports before the prose is read) has
    all its values changed, in memory; one column per table at a time, a fifth of them per
    round, so that the checker runs five times rather than once per value. The checker must
    name the sentence of each fact the change falsified, or stay quiet, and never raise."""
    data, what = changed_data(course_data, round_number)
    context = Context()
    context.data = data  # in place of loading data/
    problems = check_course(NOTEBOOKS, context=context)
    problems += [
        problem
        for name in ("README.md", "data/README.md")
        for problem in check_document(CLONE.root / name, context)
    ]
    for problem in problems:
        assert problem.notebook and problem.sentence, problem
        assert re.match(
            r"(states \w+ as .*, but the data give |the data no longer support this \(|\w+: |"
            r"\w+ could not be computed|'[^']*' is not checked)",
            problem.reason,
        ), f"after changing {what}: {problem}"
    assert problems, f"changing {what} falsified nothing: the facts do not read the data?"
