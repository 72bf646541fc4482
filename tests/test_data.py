"""The loader: typed tables from the real package, and one clear error per kind of bad input.

Each bad-input test breaks a copy of data/ in a temporary directory.
"""

import csv
import io
import json
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
from cramplab.data import main as data_main

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
    assert len(data.nutrients) == 11  # eight cramp nutrients; energy, water, retinol
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


def set_amount(food_id, nutrient_id, value):
    """Change one amount of food_nutrients.csv; the cases below name its row by looking."""
    return rewrite(
        "food_nutrients.csv",
        lambda text: text.replace(
            next(
                line for line in text.splitlines() if line.startswith(f"{food_id},{nutrient_id},")
            ),
            f"{food_id},{nutrient_id},{value}",
            1,
        ),
    )


def amount_row(food_id, nutrient_id):
    lines = (DATA_DIR / "food_nutrients.csv").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines) if line.startswith(f"{food_id},{nutrient_id},"))


def drop_rows(name, prefix):
    return rewrite(
        name,
        lambda text: "".join(
            line for line in text.splitlines(True) if not line.startswith(prefix)
        ),
    )


def edit_descriptor(change):
    """Change the parsed datapackage.json (change returns the new value) and write it back."""

    def breakage(folder):
        path = folder / "datapackage.json"
        package = change(json.loads(path.read_text(encoding="utf-8")))
        path.write_text(json.dumps(package, indent=2), encoding="utf-8")

    return breakage


def resource(name, change):
    def on_package(package):
        change(next(r for r in package["resources"] if r["name"] == name))
        return package

    return edit_descriptor(on_package)


def first_row(name, column, value):
    table = pd.read_csv(DATA_DIR / name, dtype=str, keep_default_na=False)
    return int(np.flatnonzero(table[column] == value)[0]) + 1


def first_data_claim_row():
    return first_row("guide_claims.csv", "check_against", "data")


FOODS_ROWS = len((DATA_DIR / "foods.csv").read_text(encoding="utf-8").splitlines()) - 1
CLAIM = first_data_claim_row()
UNCERTAIN_FACTOR = first_row("cramp_factors.csv", "evidence_grade", "very_uncertain")
ESTABLISHED_FACTOR = first_row("cramp_factors.csv", "evidence_grade", "established")
STUDY_WITH_ESTIMATE = first_row("claim_studies.csv", "measure", "risk ratio")
INDIRECT_STUDY = first_row("claim_studies.csv", "directness", "indirect")
KONA = first_row("claim_studies.csv", "study", "Kona medical-tent records")
COHORT_NULL = first_row("claim_studies.csv", "study", "Schwellnus 2011")
GRADE_PART = first_row("claim_parts.csv", "basis", "grade")
DIET_PART = first_row("claim_parts.csv", "basis", "diet_planner")
UPGRADE_ROW = first_row("claim_grades.csv", "domain", "large_effect")  # its part is rated down
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
        r"cramp_factors\.csv, row 1: expected 12 comma-separated fields, found 13",
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
    # Numbers that parse but measure nothing, and amounts no food can hold.
    "infinite amount": (
        set_cell("food_nutrients.csv", 5, "amount", "inf"),
        r"food_nutrients\.csv, row 5, column 'amount': expected a finite number, found 'inf'",
    ),
    "amount that overflows to infinity": (
        set_cell("food_nutrients.csv", 5, "amount", "1e400"),
        r"food_nutrients\.csv, row 5, column 'amount': expected a finite number, found '1e400'",
    ),
    "Infinity spelt out": (
        set_cell("food_nutrients.csv", 5, "amount", "Infinity"),
        r"food_nutrients\.csv, row 5, column 'amount': expected a finite number, found 'Infinity'",
    ),
    "not a number": (
        set_cell("food_nutrients.csv", 5, "amount", "nan"),
        r"food_nutrients\.csv, row 5, column 'amount': expected a number, found 'nan'",
    ),
    "infinite serving (any number field)": (
        set_cell("foods.csv", 2, "serving_g", "-inf"),
        r"foods\.csv, row 2, column 'serving_g': expected a finite number, found '-inf'",
    ),
    "a billion mg of magnesium per 100 g": (
        set_amount("spinach_raw", "magnesium", "1000000000"),
        rf"food_nutrients\.csv, row {amount_row('spinach_raw', 'magnesium')}, column 'amount': "
        r"expected at most 790 mg of magnesium per 100 g of food \(the highest in SR28, 781 mg "
        r"in crude rice bran, rounded up\), found '1000000000'",
    ),
    "150 g of water per 100 g": (
        set_amount("kale_raw", "water", "150"),
        rf"food_nutrients\.csv, row {amount_row('kale_raw', 'water')}, column 'amount': expected "
        r"at most 100 g of water per 100 g of food \(no food holds more than its own weight of "
        r"water\), found '150'",
    ),
    "more energy than pure fat": (
        set_amount("spinach_raw", "energy", "903"),
        r"column 'amount': expected at most 902 kcal of energy per 100 g of food \(the highest "
        r"in SR28, 902 kcal in beef tallow: pure fat",
    ),
    "a limit that is not finite": (
        set_cell("nutrients.csv", 3, "max_per_100g", "Infinity"),
        r"nutrients\.csv, row 3, column 'max_per_100g': expected a finite number",
    ),
    # Structurally fine, but incomplete.
    "table without data rows": (
        rewrite("symptoms.csv", lambda text: text.splitlines(True)[0]),
        r"symptoms\.csv: expected a header row and data rows, found 'a header and no data rows'",
    ),
    "food without a row for a nutrient": (
        drop_rows("food_nutrients.csv", "kale_raw,sodium,"),
        r"food_nutrients\.csv: expected a row for every food of foods\.csv and every nutrient "
        r"of nutrients\.csv \(an empty amount says SR28 has no value\), found 'no row for food "
        r"kale_raw, nutrient sodium'",
    ),
    "age band upside down": (
        set_cell("intake_references.csv", 4, "age_min", "14"),
        r"intake_references\.csv, row 4, column 'age_max': expected an age_max no lower than the "
        r"band's age_min \(14\), found '13'",
    ),
    # The descriptor itself.
    "descriptor not an object": (
        rewrite("datapackage.json", lambda text: "[" + text + "]"),
        r"datapackage\.json: expected a JSON object describing the package, found 'a list'",
    ),
    "descriptor without resources": (
        edit_descriptor(lambda package: {k: v for k, v in package.items() if k != "resources"}),
        r"datapackage\.json: expected a list of tables under \"resources\", found 'nothing'",
    ),
    "resource that is not an object": (
        edit_descriptor(lambda package: {**package, "resources": ["foods.csv"]}),
        r"datapackage\.json, resources\[0\]: expected an object with a \"name\" for each "
        r"table, found 'text'",
    ),
    "resource without a schema": (
        resource("foods", lambda r: r.pop("schema")),
        r"datapackage\.json, resource 'foods': expected a \"schema\" object, found 'nothing'",
    ),
    "schema without fields": (
        resource("symptoms", lambda r: r["schema"].pop("fields")),
        r"datapackage\.json, resource 'symptoms': expected a list of \"fields\" in its schema, "
        r"found 'nothing'",
    ),
    "mistyped field type": (
        resource("food_nutrients", lambda r: r["schema"]["fields"][2].update(type="numbr")),
        r"datapackage\.json, resource 'food_nutrients', field 'amount': expected a field type "
        r"the loader reads \(string, number, integer, boolean\), found 'numbr'",
    ),
    "constraint the loader would ignore": (
        resource("foods", lambda r: r["schema"]["fields"][1]["constraints"].update(maxLength=9)),
        r"datapackage\.json, resource 'foods', field 'name': expected a constraint the loader "
        r"checks \(required, unique, minimum, maximum, enum, pattern\), found 'maxLength'",
    ),
    "foreign key to an unknown resource": (
        resource(
            "food_nutrients",
            lambda r: r["schema"]["foreignKeys"][0]["reference"].update(resource="food"),
        ),
        r"datapackage\.json, resource 'food_nutrients', foreign key on food_id: expected a "
        r"resource named in datapackage\.json, found 'food'",
    ),
    "absolute resource path": (
        resource("foods", lambda r: r.update(path="/etc/passwd")),
        r"datapackage\.json, resource 'foods': expected a \"path\": a relative path to a CSV "
        r"file inside data/, found '/etc/passwd'",
    ),
    "resource path out of data/": (
        resource("foods", lambda r: r.update(path="../README.md")),
        r"datapackage\.json, resource 'foods': expected a \"path\": .*, found '\.\./README\.md'",
    ),
    "resource path naming a folder": (
        resource("foods", lambda r: r.update(path=".")),
        r"datapackage\.json, resource 'foods': expected a \"path\": .*, found '\. \(a folder\)'",
    ),
    "a data claim without a food or diet part": (
        set_cell("claim_parts.csv", DIET_PART, "basis", "not_assessed"),
        r"guide_claims\.csv, row \d+, column 'check_against': expected a food_words or "
        r"diet_planner part",
    ),
    "a grade part without its population": (
        set_cell("claim_parts.csv", GRADE_PART, "population", ""),
        rf"claim_parts\.csv, row {GRADE_PART}, column 'population': expected the question's "
        r"population \(PICO\)",
    ),
    "an indirect study without the PICO element that differs": (
        set_cell("claim_studies.csv", INDIRECT_STUDY, "indirect_on", ""),
        rf"claim_studies\.csv, row {INDIRECT_STUDY}, column 'indirect_on': expected the PICO "
        r"element that differs",
    ),
    "a direction its interval does not read": (
        set_cell("claim_studies.csv", KONA, "direction", "against"),
        rf"claim_studies\.csv, row {KONA}, column 'direction': expected the direction its "
        r"interval reads",
    ),
    "a null without an interval counted against": (
        set_cell("claim_studies.csv", COHORT_NULL, "direction", "against"),
        rf"claim_studies\.csv, row {COHORT_NULL}, column 'direction': expected an interval "
        r"that excludes a worthwhile effect",
    ),
    "rating up a body rated down": (
        set_cell("claim_grades.csv", UPGRADE_ROW, "judgement", "large"),
        rf"claim_grades\.csv, row {UPGRADE_ROW}, column 'judgement': expected no rating up for "
        r"a body rated down",
    ),
    "a judgement of the wrong kind": (
        set_cell("claim_grades.csv", UPGRADE_ROW, "judgement", "serious"),
        rf"claim_grades\.csv, row {UPGRADE_ROW}, column 'judgement': expected a judgement of "
        r"the domain's kind",
    ),
    "a search no one recorded": (
        set_cell("claim_parts.csv", GRADE_PART, "searches", "S99"),
        rf"claim_parts\.csv, row {GRADE_PART}, column 'searches': expected search ids",
    ),
    "a study for a food claim": (
        set_cell("claim_studies.csv", 1, "claim_id", "C23"),
        r"claim_studies\.csv, row 1, column 'part': expected a part",
    ),
    "mixed grade without a study against": (
        set_cell("cramp_factors.csv", ESTABLISHED_FACTOR, "evidence_grade", "mixed"),
        rf"cramp_factors\.csv, row {ESTABLISHED_FACTOR}, column 'evidence_against': expected "
        r"the study against the claim for a evidence_grade of contradicted or mixed",
    ),
    "a study against for an established grade": (
        set_cell("cramp_factors.csv", ESTABLISHED_FACTOR, "evidence_against", "PMID 22963024"),
        rf"cramp_factors\.csv, row {ESTABLISHED_FACTOR}, column 'evidence_against': expected "
        r"no study against",
    ),
    "a study against that the source does not cite": (
        set_cell("cramp_factors.csv", UNCERTAIN_FACTOR, "evidence_against", "PMID 12345"),
        rf"cramp_factors\.csv, row {UNCERTAIN_FACTOR}, column 'evidence_against': expected "
        r"DOIs .* each also named in source, found 'PMID 12345'",
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
    "an unknown evidence grade": (
        set_cell("cramp_factors.csv", UNCERTAIN_FACTOR, "evidence_grade", "unsupported"),
        rf"cramp_factors\.csv, row {UNCERTAIN_FACTOR}, column 'evidence_grade': expected one of "
        r"'established', 'limited'",
    ),
    "an estimate outside its interval": (
        set_cell("claim_studies.csv", STUDY_WITH_ESTIMATE, "estimate", "2.5"),
        rf"claim_studies\.csv, row {STUDY_WITH_ESTIMATE}, column 'estimate': expected an "
        r"estimate inside its interval",
    ),
}


# Reference amounts and calcium absorption (issue #14).
BANANA = first_row("foods.csv", "food_id", "banana")
MILK = first_row("foods.csv", "food_id", "milk_whole")
KALE = first_row("calcium_absorption.csv", "food_id", "kale_cooked")
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


def contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


ALL_BAD_INPUT = {**BAD_INPUT, **BAD_SERVING_BASIS}


@pytest.mark.parametrize(
    ("breakage", "expected"), ALL_BAD_INPUT.values(), ids=ALL_BAD_INPUT.keys()
)
def test_bad_input_is_refused_with_file_row_and_column(tmp_path, breakage, expected):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    breakage(folder)
    broken = contents(folder)
    with pytest.raises(DataError, match=expected) as raised:
        load(folder)
    assert str(raised.value).startswith(str(folder)), "the message names the file in data/"
    assert contents(folder) == broken, "loading changed data/"


def test_a_field_longer_than_the_csv_module_allows_is_read(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    description = "A very long description. " * 8000  # 200,000 characters
    assert len(description) > csv.field_size_limit()
    set_cell("symptoms.csv", 1, "description", description)(folder)
    assert load(folder).symptoms.at[0, "description"] == description
    assert csv.field_size_limit() == 131072, "the csv module's limit is restored"


def test_validate_command_prints_the_error_and_fails(tmp_path, capsys):
    """`python -m cramplab.data validate DIR` (main's return value is the exit code)."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    set_cell("food_nutrients.csv", 5, "amount", "inf")(folder)
    assert data_main(["validate", str(folder)]) == 1
    assert capsys.readouterr().err == (
        f"error: {folder / 'food_nutrients.csv'}, row 5, column 'amount': expected a finite "
        "number, found 'inf'\n"
    )
    assert data_main(["validate", str(DATA_DIR)]) == 0
    assert capsys.readouterr().out.startswith("data package is valid: nutrients 11, ")
    # The command itself, as a teacher types it: the same line, and a non-zero exit status.
    command = subprocess.run(
        [sys.executable, "-m", "cramplab.data", "validate", str(folder)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (command.returncode, command.stdout) == (1, "")
    assert command.stderr.startswith(f"error: {folder / 'food_nutrients.csv'}, row 5, ")


def test_interrupted_rebuild_is_finished_or_dropped_when_the_data_is_loaded(tmp_path):
    """A rebuild killed after its commit marker left foods.csv new and food_nutrients.csv old:
    the next load installs the rest before it reads anything."""
    from cramplab import atomic

    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    staged = atomic.Staging(folder)
    amounts = (DATA_DIR / "food_nutrients.csv").read_text(encoding="utf-8")
    amounts = amounts.replace("spinach_raw,magnesium,79\n", "spinach_raw,magnesium,80\n")
    (staged.path / "food_nutrients.csv").write_text(amounts, encoding="utf-8")
    atomic._write_marker(staged.path, {"install": ["food_nutrients.csv"], "remove": []})
    staged.release()  # as if killed: nobody holds it any more
    uncommitted = atomic.Staging(folder)
    (uncommitted.path / "foods.csv").write_text("half-written", encoding="utf-8")
    uncommitted.release()
    data = load(folder)
    amount = data.food_nutrients.set_index(["food_id", "nutrient_id"])["amount"]
    assert amount["spinach_raw", "magnesium"] == 80
    assert (folder / "foods.csv").read_bytes() == (DATA_DIR / "foods.csv").read_bytes()
    assert not list(folder.glob(".*")), "both staging folders are gone"


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


def test_every_grade_against_cites_the_study_it_rests_on(data):
    cited = 0
    for table in (data.nutrient_symptoms, data.cramp_factors):
        against = table[table["evidence_against"].notna()]
        cited += len(against)
        for ids, source in zip(against["evidence_against"], against["source"], strict=True):
            assert ids and all(i.strip() in source for i in ids.split(";")), (ids, source)
        must = table["evidence_grade"].isin(["contradicted", "mixed"])
        assert table.loc[must, "evidence_against"].notna().all()
    assert cited, "the test needs a row that cites a study against"


def test_no_evidence_found_and_evidence_against_stay_apart(data):
    """Absence of evidence cites no study against; evidence against always does."""
    for table in (data.nutrient_symptoms, data.cramp_factors):
        nothing = table["evidence_grade"] == "no_evidence_found"
        assert table.loc[nothing, "evidence_against"].isna().all()
    assert (data.nutrient_symptoms["evidence_grade"] == "no_evidence_found").any()


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
