"""The loader: typed tables from the real package, and one clear error per kind of bad input.

Each bad-input test breaks a copy of data/ in a temporary directory.
"""

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from repo import CLONE

import cramplab
from cramplab.data import (
    DICTIONARY_MARKER,
    CourseData,
    DataError,
    data_dictionary,
    load,
    read_datapackage,
)

DATA_DIR = CLONE.data


@pytest.fixture(scope="module")
def data() -> CourseData:
    return load()


def test_load_is_exported_at_package_level():
    assert cramplab.load is load
    assert cramplab.DataError is DataError


def test_tables_are_typed(data):
    assert data.food_nutrients["amount"].dtype == "float64"
    assert data.foods["serving_g"].dtype == "float64"
    assert data.foods["guide_named"].dtype == "bool"
    assert data.nutrients["usda_nutr_no"].dtype == "int64"
    assert data.intake_references["age_max"].dtype == "Int64"


def test_package_size_meets_the_brief(data):
    assert len(data.foods) >= 120
    assert len(data.nutrients) == 10
    assert 25 <= len(data.guide_claims) <= 60
    assert len(data.food_nutrients) == len(data.foods) * len(data.nutrients)


def test_empty_usda_fields_load_as_missing_not_zero(data):
    raw = pd.read_csv(DATA_DIR / "food_nutrients.csv", dtype=str, keep_default_na=False)
    empty = raw["amount"] == ""
    assert empty.any(), "SR28 leaves some fields empty; the package should keep a few"
    assert data.food_nutrients.loc[empty.to_numpy(), "amount"].isna().all()
    assert (data.food_nutrients.loc[~empty.to_numpy(), "amount"].notna()).all()


# Each bad-input case: how to break a copy of the package, and the message expected.
# Row numbers count data rows from 1 (row 5 is line 6 of the file).


def rewrite(name, change):
    def breakage(folder):
        path = folder / name
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return breakage


def replace(name, old, new):
    def change(text):
        assert old in text, f"test setup: {old!r} is not in {name}"
        return text.replace(old, new, 1)

    return rewrite(name, change)


def set_cell(name, row, column, value):
    def change(text):
        table = list(csv.reader(io.StringIO(text)))
        table[row][table[0].index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(table)
        return out.getvalue()

    return rewrite(name, change)


def first_row(name, column, value):
    table = pd.read_csv(DATA_DIR / name, dtype=str, keep_default_na=False)
    return int(np.flatnonzero(table[column] == value)[0]) + 1


def first_data_claim_row():
    return first_row("guide_claims.csv", "check_against", "data")


FOODS_ROWS = len((DATA_DIR / "foods.csv").read_text(encoding="utf-8").splitlines()) - 1
CLAIM = first_data_claim_row()
CONTRADICTED = first_row("guide_claims.csv", "evidence_verdict", "contradicted")
SUPPORTED = first_row("guide_claims.csv", "evidence_verdict", "supported")
NOT_ASSESSED = first_row("guide_claims.csv", "evidence_verdict", "not_assessed")
MIXED_FACTOR = first_row("cramp_factors.csv", "evidence_grade", "mixed")
STUDY_WITH_ESTIMATE = first_row("claim_studies.csv", "measure", "risk ratio")
BAD_INPUT = {
    "missing file": (
        lambda folder: (folder / "symptoms.csv").unlink(),
        r"symptoms\.csv: expected the file to exist",
    ),
    "empty file": (
        rewrite("foods.csv", lambda text: ""),
        r"foods\.csv: expected a header row and data rows, found 'an empty file'",
    ),
    "missing column": (
        replace("nutrients.csv", "nutrient_id,name,unit,", "nutrient_id,name,units,"),
        r"nutrients\.csv, column 'unit': expected a column named 'unit' in the header",
    ),
    "extra column": (
        rewrite("symptoms.csv", lambda text: text.replace("\n", ",x\n")),
        r"symptoms\.csv, column 'x': expected only the columns datapackage\.json lists",
    ),
    "ragged row": (
        rewrite(
            "cramp_factors.csv",
            lambda text: "\n".join(
                line + ",surplus" if number == 1 else line
                for number, line in enumerate(text.split("\n"))
            ),
        ),
        r"cramp_factors\.csv, row 1: expected 9 comma-separated fields, found 10",
    ),
    "non-numeric amount": (
        set_cell("food_nutrients.csv", 5, "amount", "12mg"),
        r"food_nutrients\.csv, row 5, column 'amount': expected a number, found '12mg'",
    ),
    "negative amount": (
        set_cell("food_nutrients.csv", 3, "amount", "-4"),
        r"food_nutrients\.csv, row 3, column 'amount': expected a number no less than 0, "
        r"found '-4'",
    ),
    "unknown unit": (
        set_cell("nutrients.csv", 1, "unit", "mcg"),
        r"nutrients\.csv, row 1, column 'unit': expected one of 'g', 'mg', 'µg', 'kcal', "
        r"found 'mcg'",
    ),
    "unit differs from the nutrient's": (
        set_cell("intake_references.csv", 1, "unit", "µg"),
        r"intake_references\.csv, row 1, column 'unit': expected the nutrient's unit from "
        r"nutrients\.csv \(mg\), found 'µg'",
    ),
    "unknown food id": (
        set_cell("food_nutrients.csv", 2, "food_id", "unicorn_steak"),
        r"food_nutrients\.csv, row 2, column 'food_id': expected an id listed in foods\.csv "
        r"\(food_id\), found 'unicorn_steak'",
    ),
    "unknown nutrient id": (
        set_cell("nutrient_symptoms.csv", 1, "nutrient_id", "magnesiun"),
        r"nutrient_symptoms\.csv, row 1, column 'nutrient_id': expected an id listed in "
        r"nutrients\.csv \(nutrient_id\), found 'magnesiun'",
    ),
    "unknown id in a list": (
        replace("guide_claims.csv", "spinach_raw;", "spinach_rare;"),
        r"guide_claims\.csv, row \d+, column 'foods': expected ids listed in foods\.csv, "
        r"separated by ';', found 'spinach_rare'",
    ),
    "duplicate key": (
        rewrite("foods.csv", lambda text: text + text.splitlines()[1] + "\n"),
        rf"foods\.csv, row {FOODS_ROWS + 1}, column 'food_id': expected a unique key "
        r"\(food_id\), found 'a duplicate of",
    ),
    "wrong delimiter": (
        rewrite("symptoms.csv", lambda text: text.replace(",", ";")),
        r"symptoms\.csv: expected comma-separated values, found 'a header split by semicolons'",
    ),
    "wrong encoding": (
        lambda folder: (folder / "nutrients.csv").write_bytes(
            (DATA_DIR / "nutrients.csv").read_text(encoding="utf-8").encode("latin-1")
        ),
        r"nutrients\.csv, row \d+: expected UTF-8 text",
    ),
    "typed verdict on a data claim": (
        set_cell("guide_claims.csv", CLAIM, "evidence_verdict", "supported"),
        rf"guide_claims\.csv, row {CLAIM}, column 'evidence_verdict': expected no typed verdict",
    ),
    "data claim without its level": (
        set_cell("guide_claims.csv", CLAIM, "claimed_level", ""),
        rf"guide_claims\.csv, row {CLAIM}, column 'claimed_level': expected the level",
    ),
    "contradicted without a study against": (
        set_cell("guide_claims.csv", CONTRADICTED, "evidence_against", ""),
        rf"guide_claims\.csv, row {CONTRADICTED}, column 'evidence_against': expected the study "
        r"against the claim",
    ),
    "a study against that the source does not cite": (
        set_cell("guide_claims.csv", CONTRADICTED, "evidence_against", "PMID 12345"),
        rf"guide_claims\.csv, row {CONTRADICTED}, column 'evidence_against': expected DOIs .* "
        r"each also named in source, found 'PMID 12345'",
    ),
    "a study against named in words, not by DOI or PMID": (
        set_cell("guide_claims.csv", CONTRADICTED, "evidence_against", "Garrison 2020"),
        rf"guide_claims\.csv, row {CONTRADICTED}, column 'evidence_against': expected DOIs",
    ),
    "a study against for a supported claim": (
        set_cell("guide_claims.csv", SUPPORTED, "evidence_against", "PMID 22963024"),
        rf"guide_claims\.csv, row {SUPPORTED}, column 'evidence_against': expected no study "
        r"against",
    ),
    "mixed grade without a study against": (
        set_cell("cramp_factors.csv", MIXED_FACTOR, "evidence_against", ""),
        rf"cramp_factors\.csv, row {MIXED_FACTOR}, column 'evidence_against': expected the study "
        r"against the claim for a evidence_grade of contradicted or mixed",
    ),
    "supported without a certainty": (
        set_cell("guide_claims.csv", SUPPORTED, "certainty", ""),
        rf"guide_claims\.csv, row {SUPPORTED}, column 'certainty': expected a certainty",
    ),
    "a certainty for a claim not assessed": (
        set_cell("guide_claims.csv", NOT_ASSESSED, "certainty", "low"),
        rf"guide_claims\.csv, row {NOT_ASSESSED}, column 'certainty': expected no certainty",
    ),
    "a source naming a project file": (
        set_cell("symptoms.csv", 2, "source", "facts.md section 4"),
        r"symptoms\.csv, row 2, column 'source': expected a citation a reader can look up, not "
        r"a project file, found 'facts\.md section 4'",
    ),
    "a note pointing at the course's reference list": (
        set_cell("intake_references.csv", 3, "note", "not in the course's reference list"),
        r"intake_references\.csv, row 3, column 'note': expected a citation a reader can look up",
    ),
    "an unknown verdict word": (
        set_cell("guide_claims.csv", SUPPORTED, "evidence_verdict", "unsupported"),
        rf"guide_claims\.csv, row {SUPPORTED}, column 'evidence_verdict': expected one of "
        r"'supported', 'partly_supported', 'mixed', 'contradicted', 'no_evidence_found', "
        r"'not_assessed', found 'unsupported'",
    ),
    "an estimate outside its interval": (
        set_cell("claim_studies.csv", STUDY_WITH_ESTIMATE, "estimate", "2.5"),
        rf"claim_studies\.csv, row {STUDY_WITH_ESTIMATE}, column 'estimate': expected an "
        r"estimate inside its interval",
    ),
    "a study for a data claim": (
        set_cell("claim_studies.csv", 1, "claim_id", "C23"),
        r"claim_studies\.csv, row 1, column 'claim_id': expected a claim checked against evidence",
    ),
}


@pytest.mark.parametrize(("breakage", "expected"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_with_file_row_and_column(tmp_path, breakage, expected):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    breakage(folder)
    with pytest.raises(DataError, match=expected):
        load(folder)


def test_frictionless_validates_the_package():
    """The same descriptor, checked by the reference implementation of the standard."""
    frictionless = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(frictionless), "validate", "datapackage.json"],
        cwd=DATA_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_data_dictionary_is_in_step_with_the_descriptor():
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert DICTIONARY_MARKER in readme
    generated = readme.split(DICTIONARY_MARKER)[1]
    expected = data_dictionary(read_datapackage()).split(DICTIONARY_MARKER)[1]
    assert generated == expected, "data/README.md is stale: run `python -m cramplab.data readme`"


# --- rules the evidence tables keep (issue #14): pinned on the files themselves -------------

# Words that point at this project's working material rather than a publication.
PROJECT_FILES = ("facts.md", "/notes", "notes/", ".md", ".csv", ".ipynb", "data/",
                 "reference list", "UNCONFIRMED", "cramplab")  # fmt: skip


def cells(column):
    for path in sorted(DATA_DIR.glob("*.csv")):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        if column in table:
            for number, value in enumerate(table[column], start=1):
                yield path.name, number, value


@pytest.mark.parametrize("column", ["source", "note"])
def test_no_source_or_note_cell_names_project_material(column):
    found = [
        (name, row, value)
        for name, row, value in cells(column)
        if any(word.lower() in value.lower() for word in PROJECT_FILES)
    ]
    assert not found, f"{len(found)} {column} cells cite project material, e.g. {found[:3]}"


def test_every_contradicted_verdict_or_grade_cites_a_study_against(data):
    for table, column in [
        (data.guide_claims, "evidence_verdict"),
        (data.nutrient_symptoms, "evidence_grade"),
        (data.cramp_factors, "evidence_grade"),
    ]:
        against = table[table[column] == "contradicted"]
        assert len(against), f"the test needs a contradicted row in {column}"
        for ids, source in zip(against["evidence_against"], against["source"], strict=True):
            assert ids and all(i in source for i in ids.split(";")), (ids, source)


def test_no_evidence_found_and_contradicted_stay_apart(data):
    """Absence of evidence cites no study against; evidence against always does."""
    nothing = data.guide_claims["evidence_verdict"].isin(["no_evidence_found", "not_assessed"])
    assert nothing.any()
    assert data.guide_claims.loc[nothing, "evidence_against"].isna().all()
    assert data.guide_claims.loc[nothing, "certainty"].isna().all()


IOM_UL = "likely to pose no risk of adverse health effects to almost all individuals"
NOT_THE_UL = ("without risk of harm", "most a person can take", "safe upper limit", "safe limit")


def course_texts():
    """Every text where the course could define the UL: descriptor, READMEs, notebooks."""
    yield "datapackage.json", (DATA_DIR / "datapackage.json").read_text(encoding="utf-8")
    for path in [CLONE.root / "README.md", DATA_DIR / "README.md"]:
        yield path.name, path.read_text(encoding="utf-8")
    for path in sorted(CLONE.notebooks.glob("*.ipynb")):
        yield path.name, path.read_text(encoding="utf-8")


def test_the_ul_is_defined_as_the_iom_defines_it():
    texts = dict(course_texts())
    for name, text in texts.items():
        for wrong in NOT_THE_UL:
            assert wrong not in text.lower(), f"{name} defines the UL as {wrong!r}"
    ul = next(
        f for r in read_datapackage()["resources"] if r["name"] == "intake_references"
        for f in r["schema"]["fields"] if f["name"] == "ul"
    )  # fmt: skip
    assert IOM_UL in ul["description"]
    defining = [name for name, text in texts.items() if "Upper Intake Level (UL)**" in text]
    assert defining, "a notebook should define the UL in bold where supplements come up"
    for name in defining:
        assert IOM_UL in " ".join(texts[name].split()), f"{name} defines the UL in other words"


# --- reference amounts and calcium absorption (issue #14) -----------------------------------


def food_row(food_id):
    foods = pd.read_csv(DATA_DIR / "foods.csv", dtype=str, keep_default_na=False)
    return int(np.flatnonzero(foods["food_id"] == food_id)[0]) + 1


def absorption_row(food_id):
    table = pd.read_csv(DATA_DIR / "calcium_absorption.csv", dtype=str, keep_default_na=False)
    return int(np.flatnonzero(table["food_id"] == food_id)[0]) + 1


BANANA, MILK, KALE = food_row("banana"), food_row("milk_whole"), absorption_row("kale_cooked")
BAD_SERVING_BASIS = {
    "gram RACC that is not the category's amount": (
        set_cell("foods.csv", BANANA, "racc_g", "126"),
        rf"foods\.csv, row {BANANA}, column 'racc_g': expected the category's amount in grams",
    ),
    "unknown RACC category": (
        set_cell("foods.csv", BANANA, "racc_category", "bananas"),
        rf"foods\.csv, row {BANANA}, column 'racc_category': expected an id listed in "
        r"reference_amounts\.csv",
    ),
    "volume RACC without the measure that converts it": (
        set_cell("foods.csv", MILK, "racc_weight_seq", ""),
        rf"foods\.csv, row {MILK}, column 'racc_g': expected a racc_weight_seq",
    ),
    "a measure for a RACC in grams": (
        set_cell("foods.csv", BANANA, "racc_weight_seq", "5"),
        rf"foods\.csv, row {BANANA}, column 'racc_weight_seq': expected no household measure",
    ),
    "absorption given as a percentage": (
        set_cell("calcium_absorption.csv", KALE, "fraction", "49.3"),
        rf"calcium_absorption\.csv, row {KALE}, column 'fraction': expected a fraction above 0 "
        r"and no more than 1",
    ),
    "absorption for a food not in foods.csv": (
        set_cell("calcium_absorption.csv", KALE, "food_id", "kale_chips"),
        rf"calcium_absorption\.csv, row {KALE}, column 'food_id': expected an id listed in "
        r"foods\.csv",
    ),
}


@pytest.mark.parametrize(
    ("breakage", "expected"), BAD_SERVING_BASIS.values(), ids=BAD_SERVING_BASIS.keys()
)
def test_bad_reference_amounts_and_absorption_are_refused(tmp_path, breakage, expected):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    breakage(folder)
    with pytest.raises(DataError, match=expected):
        load(folder)


def test_every_food_has_a_reference_amount_category_and_the_new_columns_are_typed(data):
    assert data.foods["racc_category"].notna().all()
    assert data.foods["racc_g"].dtype == "float64"
    assert data.foods["racc_weight_seq"].dtype == "Int64"
    no_racc = data.foods[data.foods["racc_g"].isna()]
    assert no_racc["racc_note"].notna().all(), "a food without racc_g says why in racc_note"
    assert data.calcium_absorption["fraction"].between(0, 1).all()


def test_reference_amounts_and_absorption_cite_a_regulation_or_study(data):
    assert data.reference_amounts["source"].str.contains(r"\d+ CFR \d+\.\d+").all()
    assert data.calcium_absorption["source"].str.contains("doi:").all()
    for table in (data.reference_amounts, data.calcium_absorption):
        assert not table.astype(str).apply(lambda c: c.str.contains("facts.md|notes/")).any().any()
