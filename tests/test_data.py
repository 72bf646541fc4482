"""The loader: typed tables from the real package, and one clear error per kind of bad input.

Each bad-input test breaks a copy of data/ in a temporary directory.
"""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from repo import CLONE, snapshot

import cramplab
from cramplab import data_rules
from cramplab.data import (
    DICTIONARY_MARKER,
    CourseData,
    DataError,
    Said,
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


# Each bad-input case: how to break a copy of the package, and the one-line message expected,
# exactly, after the folder ("foods.csv, row 3, column ...": the path in the copy comes first).
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
    return set_cells(name, row, **{column: value})


def set_cells(name, row, /, **cells):
    """Change cells of one data row (row 1 is the first after the header)."""

    def change(text):
        table = list(csv.reader(io.StringIO(text)))
        for column, value in cells.items():
            table[row][table[0].index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(table)
        return out.getvalue()

    return rewrite(name, change)


def add_row(name, line):
    return rewrite(name, lambda text: text + line + "\n")


def both(*breakages):
    def breakage(folder):
        for each in breakages:
            each(folder)

    return breakage


def set_amount(food_id, nutrient_id, value):
    """Change one amount of food_nutrients.csv (amount_row says which row it is)."""
    return set_cell("food_nutrients.csv", amount_row(food_id, nutrient_id), "amount", value)


def amount_row(food_id, nutrient_id):
    return row_of("food_nutrients.csv", food_id=food_id, nutrient_id=nutrient_id)


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


def row_of(name, /, **cells):
    """The first data row of a table whose cells are as given (as written in the file)."""
    table = pd.read_csv(DATA_DIR / name, dtype=str, keep_default_na=False)
    match = np.logical_and.reduce([table[column] == value for column, value in cells.items()])
    return int(np.flatnonzero(match)[0]) + 1


def first_row(name, column, value):
    return row_of(name, **{column: value})


def row_of_text(name, text):
    """The first data row of a table with a cell holding text."""
    table = pd.read_csv(DATA_DIR / name, dtype=str, keep_default_na=False)
    hit = table.apply(lambda column: column.str.contains(text, regex=False)).any(axis=1)
    return int(np.flatnonzero(hit)[0]) + 1


def row_of_values(name, column, /, **cells):
    """A column's values in the rows of a table whose cells are as given (as written)."""
    table = pd.read_csv(DATA_DIR / name, dtype=str, keep_default_na=False)
    match = np.logical_and.reduce([table[c] == value for c, value in cells.items()])
    return list(table.loc[match, column])


def first_non_ascii_row(name):
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines) if not line.isascii())


def cell(name, row, column):
    table = pd.read_csv(DATA_DIR / name, dtype=str, keep_default_na=False)
    return table.at[row - 1, column]


FOODS_ROWS = len((DATA_DIR / "foods.csv").read_text(encoding="utf-8").splitlines()) - 1
CLAIM = first_row("guide_claims.csv", "check_against", "data")
EVIDENCE_CLAIM = first_row("guide_claims.csv", "check_against", "evidence")
UNCERTAIN_FACTOR = first_row("cramp_factors.csv", "evidence_grade", "very_uncertain")
ESTABLISHED_FACTOR = first_row("cramp_factors.csv", "evidence_grade", "established")
UNCERTAIN_LINK = first_row("nutrient_symptoms.csv", "evidence_grade", "very_uncertain")
STUDY = first_row("claim_studies.csv", "measure", "risk ratio")
INDIRECT_STUDY = first_row("claim_studies.csv", "directness", "indirect")
DIRECT_STUDY = first_row("claim_studies.csv", "directness", "direct")
KONA = first_row("claim_studies.csv", "study", "Kona medical-tent records")
COHORT_NULL = first_row("claim_studies.csv", "study", "Schwellnus 2011")
GRADE_PART = first_row("claim_parts.csv", "basis", "grade")
DIET_PART = first_row("claim_parts.csv", "basis", "diet_planner")
FOOD_PART = first_row("claim_parts.csv", "basis", "food_words")
UPGRADE_ROW = first_row("claim_grades.csv", "domain", "large_effect")  # its part is rated down
UPGRADE_DOWN = row_of_values(  # the first domain that part is rated down for
    "claim_grades.csv",
    "domain",
    claim_id=cell("claim_grades.csv", UPGRADE_ROW, "claim_id"),
    part=cell("claim_grades.csv", UPGRADE_ROW, "part"),
    judgement="serious",
)[0]
UNSEARCHED_LINK = row_of("nutrient_symptoms.csv", evidence_grade="no_evidence_found", claim_id="")
UNLINKED_FACTOR = row_of("cramp_factors.csv", evidence_grade="limited", claim_id="")
BANANA = first_row("foods.csv", "food_id", "banana")
MILK = first_row("foods.csv", "food_id", "milk_whole")
KALE_RAW = first_row("foods.csv", "food_id", "kale_raw")
SPORTS_DRINK = first_row("foods.csv", "food_id", "sports_drink")
MILKSHAKE = first_row("foods.csv", "food_id", "milkshake_chocolate")
POT_PIE = first_row("foods.csv", "food_id", "turkey_pot_pie")
ALMONDS = first_row("foods.csv", "food_id", "almonds")
KALE = first_row("calcium_absorption.csv", "food_id", "kale_cooked")
MILK_DRINKS = first_row("reference_amounts.csv", "racc_category", "milk_drinks")
JUICES = first_row("reference_amounts.csv", "racc_category", "juices")
FRUITS = first_row("reference_amounts.csv", "racc_category", "fruits_other")
MAGNESIUM_CHILD = row_of("intake_references.csv", nutrient_id="magnesium", life_stage="child_1_3")
MAGNESIUM_MALE_71 = row_of("intake_references.csv", nutrient_id="magnesium", life_stage="male_71_plus")  # fmt: skip
MAGNESIUM_MALE_9 = row_of("intake_references.csv", nutrient_id="magnesium", life_stage="male_9_13")  # fmt: skip
CALCIUM_CHILD = row_of("intake_references.csv", nutrient_id="calcium", life_stage="child_1_3")
POTASSIUM_CHILD = row_of("intake_references.csv", nutrient_id="potassium", life_stage="child_1_3")
SODIUM_CDRR = row_of("intake_references.csv", nutrient_id="sodium", reference_type="CDRR")
ATTRIBUTES_MILK = first_row("food_attributes.csv", "food_id", "milk_whole")
ATTRIBUTES_SALMON = first_row("food_attributes.csv", "food_id", "salmon_atlantic_farmed")
ATTRIBUTES_CHOCOLATE = first_row("food_attributes.csv", "food_id", "dark_chocolate")
EGG = first_row("food_attributes.csv", "food_id", "egg_hard_boiled")
BEEF = first_row("food_attributes.csv", "food_id", "beef_ground_cooked")
HONEY = first_row("food_attributes.csv", "food_id", "honey")
CAPS_WATER = first_row("portion_caps.csv", "food_id", "water_tap")
CATEGORY_SPICE = first_row("portion_categories.csv", "category", "herb_spice")
CATEGORY_LEAFY = first_row("portion_categories.csv", "category", "leafy_green_cooked")
BAND_CHILD = first_row("energy_bands.csv", "life_stage", "child_1_3")
FISH_ADULT = first_row("fish_advice.csv", "life_stage", "female_19_30")
RETINOL_CHILD = row_of("upper_limits.csv", nutrient_id="retinol", life_stage="child_1_3")
MAGNESIUM_SHARE = row_of("population_intakes.csv", nutrient_id="magnesium")
POTASSIUM_MEAN = row_of("population_intakes.csv", nutrient_id="potassium")
SODIUM_SHARE = row_of("population_intakes.csv", measure="share_above_cdrr")
UPPER_LIMITS_ROWS = len((DATA_DIR / "upper_limits.csv").read_text().splitlines()) - 1

CONTROL = "expected text without control characters (NUL, escape, tab, line break and the like)"
RULE_SAYS = "as the documented rule of cramplab.diets decides"
MANUAL = "where the rule is wrong, write decided_by manual and the reason"
BAD_INPUT = {
    # Files, headers, rows and cells.
    "missing file": (
        lambda folder: (folder / "symptoms.csv").unlink(),
        "symptoms.csv: expected the file to exist",
    ),
    "empty file": (
        rewrite("foods.csv", lambda text: ""),
        "foods.csv: expected a header row and data rows, found an empty file",
    ),
    "missing column": (
        replace("nutrients.csv", "nutrient_id,name,unit,", "nutrient_id,name,units,"),
        "nutrients.csv, column 'unit': expected a column named 'unit' in the header",
    ),
    "extra column": (
        rewrite("symptoms.csv", lambda text: text.replace("\n", ",x\n")),
        "symptoms.csv, column 'x': expected only the columns datapackage.json lists, found an "
        "extra column",
    ),
    "ragged row": (
        rewrite(
            "cramp_factors.csv",
            lambda text: "\n".join(
                line + ",surplus" if number == 1 else line
                for number, line in enumerate(text.split("\n"))
            ),
        ),
        "cramp_factors.csv, row 1: expected 12 comma-separated fields, found 13",
    ),
    "non-numeric amount": (
        set_cell("food_nutrients.csv", 5, "amount", "12mg"),
        "food_nutrients.csv, row 5, column 'amount': expected a number, found '12mg'",
    ),
    "negative amount": (
        set_cell("food_nutrients.csv", 3, "amount", "-4"),
        "food_nutrients.csv, row 3, column 'amount': expected a number no less than 0, found '-4'",
    ),
    "a required cell left empty": (
        set_cell("foods.csv", 2, "serving_g", ""),
        "foods.csv, row 2, column 'serving_g': expected a value (this column is required), "
        "found an empty cell",
    ),
    "unknown unit": (
        set_cell("nutrients.csv", 1, "unit", "mcg"),
        "nutrients.csv, row 1, column 'unit': expected one of 'g', 'mg', 'µg', 'kcal', "
        "found 'mcg'",
    ),
    "unknown food id": (
        set_cell("food_nutrients.csv", 2, "food_id", "unicorn_steak"),
        "food_nutrients.csv, row 2, column 'food_id': expected an id listed in foods.csv "
        "(food_id), found 'unicorn_steak'",
    ),
    "unknown nutrient id": (
        set_cell("nutrient_symptoms.csv", 1, "nutrient_id", "magnesiun"),
        "nutrient_symptoms.csv, row 1, column 'nutrient_id': expected an id listed in "
        "nutrients.csv (nutrient_id), found 'magnesiun'",
    ),
    "duplicate key": (
        rewrite("foods.csv", lambda text: text + text.splitlines()[1] + "\n"),
        f"foods.csv, row {FOODS_ROWS + 1}, column 'food_id': expected a unique key (food_id), "
        "found the key of row 1 again (spinach_raw)",
    ),
    "wrong delimiter": (
        rewrite("symptoms.csv", lambda text: text.replace(",", ";")),
        "symptoms.csv: expected comma-separated values, found a header split by semicolons",
    ),
    "wrong encoding": (
        lambda folder: (folder / "nutrients.csv").write_bytes(
            (DATA_DIR / "nutrients.csv").read_text(encoding="utf-8").encode("latin-1")
        ),
        f"nutrients.csv, row {first_non_ascii_row('nutrients.csv')}: expected UTF-8 text, found "
        "b'\\xb5'",
    ),
    # Control characters: none belongs in a cell (issue #21).
    "a NUL byte inside a symptom name": (
        set_cell("symptoms.csv", 2, "name", "Night-time\x00 leg cramps"),
        f"symptoms.csv, row 2, column 'name': {CONTROL}, found a NUL byte (U+0000) at "
        "character 11",
    ),
    "a NUL byte inside a reference amount's note": (
        set_cell("reference_amounts.csv", 3, "note", "Seen in a transcription.\x00"),
        f"reference_amounts.csv, row 3, column 'note': {CONTROL}, found a NUL byte (U+0000) at "
        "character 25",
    ),
    "an escape sequence inside a study's finding": (
        set_cell("claim_studies.csv", 2, "finding", "Pooled trials: \x1b[31mno benefit\x1b[0m."),
        f"claim_studies.csv, row 2, column 'finding': {CONTROL}, found an escape character "
        "(U+001B) at character 16",
    ),
    "a line break inside a quoted cell": (
        set_cell("cramp_factors.csv", 3, "finding", "First line.\nSecond line."),
        f"cramp_factors.csv, row 3, column 'finding': {CONTROL}, found a line break (U+000A) at "
        "character 12",
    ),
    "a C1 control character in a food's name": (
        set_cell("foods.csv", 4, "name", "Kale\x85 cooked"),
        f"foods.csv, row 4, column 'name': {CONTROL}, found a control character (U+0085) at "
        "character 5",
    ),
    # Numbers that parse but measure nothing, and amounts no food can hold.
    "infinite amount": (
        set_cell("food_nutrients.csv", 5, "amount", "inf"),
        "food_nutrients.csv, row 5, column 'amount': expected a finite number, found 'inf'",
    ),
    "amount that overflows to infinity": (
        set_cell("food_nutrients.csv", 5, "amount", "1e400"),
        "food_nutrients.csv, row 5, column 'amount': expected a finite number, found '1e400'",
    ),
    "Infinity spelt out": (
        set_cell("food_nutrients.csv", 5, "amount", "Infinity"),
        "food_nutrients.csv, row 5, column 'amount': expected a finite number, found 'Infinity'",
    ),
    "not a number": (
        set_cell("food_nutrients.csv", 5, "amount", "nan"),
        "food_nutrients.csv, row 5, column 'amount': expected a number, found 'nan'",
    ),
    "infinite serving (any number field)": (
        set_cell("foods.csv", 2, "serving_g", "-inf"),
        "foods.csv, row 2, column 'serving_g': expected a finite number, found '-inf'",
    ),
    "a limit that is not finite": (
        set_cell("nutrients.csv", 3, "max_per_100g", "Infinity"),
        "nutrients.csv, row 3, column 'max_per_100g': expected a finite number, found 'Infinity'",
    ),
    "above the schema's maximum": (
        set_amount("kale_raw", "sodium", "39000.5"),
        f"food_nutrients.csv, row {amount_row('kale_raw', 'sodium')}, column 'amount': expected "
        "at most 39000 mg of sodium per 100 g of food (the highest in SR28, 38758 mg in table "
        "salt, rounded up), found '39000.5'",
    ),
    "table without data rows": (
        rewrite("symptoms.csv", lambda text: text.splitlines(True)[0]),
        "symptoms.csv: expected a header row and data rows, found a header and no data rows",
    ),
    # The descriptor itself.
    "descriptor not an object": (
        rewrite("datapackage.json", lambda text: "[" + text + "]"),
        "datapackage.json: expected a JSON object describing the package, found a list",
    ),
    "descriptor without resources": (
        edit_descriptor(lambda package: {k: v for k, v in package.items() if k != "resources"}),
        'datapackage.json: expected a list of tables under "resources", found nothing',
    ),
    "resource that is not an object": (
        edit_descriptor(lambda package: {**package, "resources": ["foods.csv"]}),
        'datapackage.json, resources[0]: expected an object with a "name" for each table, '
        "found text",
    ),
    "resource without a schema": (
        resource("foods", lambda r: r.pop("schema")),
        "datapackage.json, resource 'foods': expected a \"schema\" object, found nothing",
    ),
    "schema without fields": (
        resource("symptoms", lambda r: r["schema"].pop("fields")),
        "datapackage.json, resource 'symptoms': expected a list of \"fields\" in its schema, "
        "found nothing",
    ),
    "mistyped field type": (
        resource("food_nutrients", lambda r: r["schema"]["fields"][2].update(type="numbr")),
        "datapackage.json, resource 'food_nutrients', field 'amount': expected a field type the "
        "loader reads (string, number, integer, boolean), found 'numbr'",
    ),
    "constraint the loader would ignore": (
        resource("foods", lambda r: r["schema"]["fields"][1]["constraints"].update(maxLength=9)),
        "datapackage.json, resource 'foods', field 'name': expected a constraint the loader "
        "checks (required, unique, minimum, maximum, enum, pattern), found 'maxLength'",
    ),
    "foreign key to an unknown resource": (
        resource(
            "food_nutrients",
            lambda r: r["schema"]["foreignKeys"][0]["reference"].update(resource="food"),
        ),
        "datapackage.json, resource 'food_nutrients', foreign key on food_id: expected a "
        "resource named in datapackage.json, found 'food'",
    ),
    "absolute resource path": (
        resource("foods", lambda r: r.update(path="/etc/passwd")),
        "datapackage.json, resource 'foods': expected a \"path\": a relative path to a CSV file "
        "inside data/, found '/etc/passwd'",
    ),
    "resource path out of data/": (
        resource("foods", lambda r: r.update(path="../README.md")),
        "datapackage.json, resource 'foods': expected a \"path\": a relative path to a CSV file "
        "inside data/, found '../README.md'",
    ),
    "resource path naming a folder": (
        resource("foods", lambda r: r.update(path=".")),
        "datapackage.json, resource 'foods': expected a \"path\": a relative path to a CSV file "
        "inside data/, found '.', a folder",
    ),
}

# What each table means (cramplab.data_rules): one case or more for every rule.
UL_ROW = first_row("dri_references.csv", "kind", "UL")
UNIT_RULE = ("the unit its food group is counted in: cup_eq (fruits, vegetables, dairy), oz_eq "
             "(grains, protein foods), g (oils)")  # fmt: skip
BROKEN_RULES = {
    # food_groups, food_patterns, dri_references
    "a vegetable in a fruit subgroup": (
        set_cell("food_groups.csv", 1, "subgroup", "whole_fruit"),
        "food_groups.csv, row 1, column 'subgroup': expected a subgroup of its food group "
        "(vegetables), found 'whole_fruit'",
    ),
    "a vegetable counted in ounces": (
        set_cell("food_groups.csv", 1, "unit", "oz_eq"),
        f"food_groups.csv, row 1, column 'unit': expected {UNIT_RULE}; empty for none, "
        "found 'oz_eq'",
    ),
    "a vegetable without equivalents": (
        set_cell("food_groups.csv", 1, "equivalents", ""),
        "food_groups.csv, row 1, column 'equivalents': expected equivalents for a food in a "
        "group (empty for none), found an empty cell",
    ),
    "a vegetable without the grams of its measure": (
        set_cell("food_groups.csv", 1, "grams", ""),
        "food_groups.csv, row 1, column 'grams': expected the measure's grams for a food in a "
        "group (empty for none), found an empty cell",
    ),
    "a fat level for spinach": (
        set_cell("food_groups.csv", 1, "dairy_fat", "whole"),
        "food_groups.csv, row 1, column 'dairy_fat': expected a fat level for dairy, and empty "
        "for other foods, found 'whole'",
    ),
    "fruit in ounces in the pattern": (
        set_cell("food_patterns.csv", 1, "unit", "oz_eq"),
        f"food_patterns.csv, row 1, column 'unit': expected {UNIT_RULE}, found 'oz_eq'",
    ),
    "protein in milligrams": (
        set_cell("dri_references.csv", 1, "unit", "mg"),
        "dri_references.csv, row 1, column 'unit': expected % of energy for an AMDR or a "
        "Dietary Guidelines limit, else the nutrient's unit in dri_nutrients.csv (g), found 'mg'",
    ),
    "an RDA without an amount": (
        set_cell("dri_references.csv", 1, "amount", ""),
        "dri_references.csv, row 1, column 'amount': expected an amount for an RDA, an AI or "
        "an AMDR, found an empty cell",
    ),
    "a UL without a limit": (
        set_cell("dri_references.csv", UL_ROW, "limit", ""),
        f"dri_references.csv, row {UL_ROW}, column 'limit': expected a limit for a UL, an AMDR "
        "or a Dietary Guidelines limit, found an empty cell",
    ),
    # nutrients
    "a Daily Value of 0": (
        set_cell("nutrients.csv", 1, "daily_value", "0"),
        "nutrients.csv, row 1, column 'daily_value': expected a Daily Value above 0, found '0'",
    ),
    "a limit of 0 per 100 g": (
        set_cell("nutrients.csv", 2, "max_per_100g", "0"),
        "nutrients.csv, row 2, column 'max_per_100g': expected a limit above 0, found '0'",
    ),
    "more water than 100 g can hold": (
        set_cell(
            "nutrients.csv",
            first_row("nutrients.csv", "nutrient_id", "water"),
            "max_per_100g",
            "150",
        ),
        f"nutrients.csv, row {first_row('nutrients.csv', 'nutrient_id', 'water')}, column "
        "'max_per_100g': expected at most what 100 g of food can hold: 100 g of a nutrient in "
        "g, mg or µg, 902 kcal of energy (pure fat), found '150'",
    ),
    "a deficiency state for energy": (
        set_cell(
            "nutrients.csv",
            first_row("nutrients.csv", "nutrient_id", "energy"),
            "deficiency_state",
            "starvation",
        ),
        f"nutrients.csv, row {first_row('nutrients.csv', 'nutrient_id', 'energy')}, column "
        "'deficiency_state': expected an empty cell for a nutrient of kind context (energy, "
        "water, retinol), found 'starvation'",
    ),
    # intake_references
    "a group its life stage does not name": (
        set_cell("intake_references.csv", MAGNESIUM_CHILD, "group", "males"),
        f"intake_references.csv, row {MAGNESIUM_CHILD}, column 'group': expected the group its "
        "life stage names (children, for child_1_3), found 'males'",
    ),
    "age band upside down (age_min changed)": (
        set_cell("intake_references.csv", MAGNESIUM_MALE_9, "age_min", "14"),
        f"intake_references.csv, row {MAGNESIUM_MALE_9}, column 'age_min': expected the "
        "youngest age its life stage names (9, for male_9_13), found '14'",
    ),
    "an oldest age its life stage does not name": (
        set_cell("intake_references.csv", MAGNESIUM_MALE_9, "age_max", "14"),
        f"intake_references.csv, row {MAGNESIUM_MALE_9}, column 'age_max': expected the oldest "
        "age its life stage names (13, for male_9_13), found '14'",
    ),
    "an oldest age for the open band 71+": (
        set_cell("intake_references.csv", MAGNESIUM_MALE_71, "age_max", "120"),
        f"intake_references.csv, row {MAGNESIUM_MALE_71}, column 'age_max': expected an "
        "empty cell: male_71_plus is an open band, found '120'",
    ),
    "age band upside down in a life stage without ages in its name": (
        set_cells(
            "intake_references.csv",
            MAGNESIUM_MALE_9,
            life_stage="male_teen",
            age_min="14",
            age_max="13",
        ),
        f"intake_references.csv, row {MAGNESIUM_MALE_9}, column 'age_max': expected no lower "
        "than age_min (14), found '13'",
    ),
    "unit differs from the nutrient's": (
        set_cell("intake_references.csv", 1, "unit", "µg"),
        "intake_references.csv, row 1, column 'unit': expected the nutrient's unit in "
        "nutrients.csv (mg), found 'µg'",
    ),
    "an RDA of 0": (
        set_cell("intake_references.csv", 2, "amount", "0"),
        "intake_references.csv, row 2, column 'amount': expected an amount above 0, found '0'",
    ),
    "an RDA of 1300 kg": (
        set_cell("intake_references.csv", CALCIUM_CHILD, "amount", "1300000000"),
        f"intake_references.csv, row {CALCIUM_CHILD}, column 'amount': expected at most 1000 g "
        "a day once converted from mg (this is 1300000 g), found '1300000000'",
    ),
    "a UL of 2.5 kg": (
        set_cell("intake_references.csv", CALCIUM_CHILD, "ul", "2500000"),
        f"intake_references.csv, row {CALCIUM_CHILD}, column 'ul': expected at most 1000 g a day "
        "once converted from mg (this is 2500 g), found '2500000'",
    ),
    "a UL of 0": (
        set_cell("intake_references.csv", CALCIUM_CHILD, "ul", "0"),
        f"intake_references.csv, row {CALCIUM_CHILD}, column 'ul': expected a UL above 0, "
        "found '0'",
    ),
    "a UL said to apply but missing": (
        set_cell("intake_references.csv", CALCIUM_CHILD, "ul", ""),
        f"intake_references.csv, row {CALCIUM_CHILD}, column 'ul': expected a UL: ul_scope "
        "(total intake) says one is established, found an empty cell",
    ),
    "a UL where none is established": (
        set_cell("intake_references.csv", POTASSIUM_CHILD, "ul", "3000"),
        f"intake_references.csv, row {POTASSIUM_CHILD}, column 'ul': expected an empty cell: "
        "ul_scope (none established) says no UL is established, found '3000'",
    ),
    "a total-intake UL below the RDA": (
        set_cell("intake_references.csv", CALCIUM_CHILD, "ul", "600"),
        f"intake_references.csv, row {CALCIUM_CHILD}, column 'ul': expected no lower than the "
        "RDA of the same row (amount 700): the UL applies to total intake, found '600'",
    ),
    "an RDA beside an AI": (
        set_cell("intake_references.csv", SODIUM_CDRR, "reference_type", "RDA"),
        f"intake_references.csv, row {SODIUM_CDRR}, column 'reference_type': expected an RDA "
        "or an AI for a nutrient and life stage, not both (row "
        f"{row_of('intake_references.csv', nutrient_id='sodium', life_stage=cell('intake_references.csv', SODIUM_CDRR, 'life_stage'), reference_type='AI')} "
        "gives the AI), found 'RDA'",
    ),
    # foods
    "a serving of 0 g": (
        set_cell("foods.csv", 2, "serving_g", "0"),
        "foods.csv, row 2, column 'serving_g': expected a serving above 0 g and at most 1000 g "
        "(one eating occasion), found '0'",
    ),
    "a serving of 5 kg": (
        set_cell("foods.csv", 2, "serving_g", "5000"),
        "foods.csv, row 2, column 'serving_g': expected a serving above 0 g and at most 1000 g "
        "(one eating occasion), found '5000'",
    ),
    "a cup of raw kale weighing half a gram": (
        set_cell("foods.csv", KALE_RAW, "serving_g", "0.5"),
        f"foods.csv, row {KALE_RAW}, column 'serving_g': expected grams that give a density of "
        '0.01-2 g per mL to its volume (1 cup 1" pieces, loosely packed: 0.002 g per mL; '
        "freeze-dried chives 0.014, honey 1.42), found '0.5'",
    ),
    "a food the guide names without the guide's word": (
        set_cell("foods.csv", 1, "guide_term", ""),
        "foods.csv, row 1, column 'guide_term': expected the guide's own word for the food, "
        "since guide_named is true, found an empty cell",
    ),
    "the guide's word for a food it does not name": (
        set_cell("foods.csv", first_row("foods.csv", "guide_named", "false"), "guide_term", "x"),
        f"foods.csv, row {first_row('foods.csv', 'guide_named', 'false')}, column "
        "'guide_term': expected an empty cell, since guide_named is false, found 'x'",
    ),
    "an unknown nutrient among the leaders": (
        set_cell("foods.csv", 2, "leader_for", "magnesium;magnesum"),
        "foods.csv, row 2, column 'leader_for': expected ids listed in nutrients.csv "
        "(nutrient_id), separated by ';', found 'magnesum'",
    ),
    "gram RACC that is not the category's amount": (
        set_cell("foods.csv", BANANA, "racc_g", "126"),
        f"foods.csv, row {BANANA}, column 'racc_g': expected the category's amount in grams "
        "(reference_amounts.amount, unit g: 140), found '126'",
    ),
    "unknown RACC category": (
        set_cell("foods.csv", BANANA, "racc_category", "bananas"),
        f"foods.csv, row {BANANA}, column 'racc_category': expected an id listed in "
        "reference_amounts.csv (racc_category), found 'bananas'",
    ),
    "a measure for a RACC in grams": (
        set_cell("foods.csv", BANANA, "racc_weight_seq", "5"),
        f"foods.csv, row {BANANA}, column 'racc_weight_seq': expected no household measure for "
        "a reference amount given in grams, found '5'",
    ),
    "volume RACC measured but not weighed": (
        set_cell("foods.csv", MILK, "racc_g", ""),
        f"foods.csv, row {MILK}, column 'racc_g': expected the reference amount in grams, "
        "converted with the racc_weight_seq measure, found an empty cell",
    ),
    "volume RACC without the measure that converts it": (
        set_cell("foods.csv", MILK, "racc_weight_seq", ""),
        f"foods.csv, row {MILK}, column 'racc_weight_seq': expected the SR28 measure that "
        "converts the reference amount's volume to grams (racc_g is 247.52), found an empty "
        "cell",
    ),
    "a reference amount of 0 g of milk": (
        set_cell("foods.csv", MILK, "racc_g", "0"),
        f"foods.csv, row {MILK}, column 'racc_g': expected a reference amount above 0 g and at "
        "most 1000 g, found '0'",
    ),
    "240 mL of milk weighing a gram": (
        set_cell("foods.csv", MILK, "racc_g", "1"),
        f"foods.csv, row {MILK}, column 'racc_g': expected 240 mL weighed as the serving weighs "
        "(1 cup = 244 g): 247.52 g, found '1'",
    ),
    "240 mL of milkshake weighing 2 g": (
        set_cell("foods.csv", MILKSHAKE, "racc_g", "2"),
        f"foods.csv, row {MILKSHAKE}, column 'racc_g': expected grams that put 240 mL at "
        "0.01-2 g per mL (this is 0.0083 g per mL; freeze-dried chives 0.014, honey 1.42), "
        "found '2'",
    ),
    "360 mL of sports drink weighing 3 g": (
        set_cell("foods.csv", SPORTS_DRINK, "racc_g", "3"),
        f"foods.csv, row {SPORTS_DRINK}, column 'racc_g': expected 360 mL weighed as the "
        "serving weighs (8 fl oz = 244 g): 371.28 g, found '3'",
    ),
    "a RACC that cannot be weighed, without the reason": (
        set_cell("foods.csv", POT_PIE, "racc_note", ""),
        f"foods.csv, row {POT_PIE}, column 'racc_note': expected why the reference amount "
        "cannot be weighed, since racc_g is empty, found an empty cell",
    ),
    "a label serving of 0 g": (
        set_cell("foods.csv", BANANA, "label_serving_g", "0"),
        f"foods.csv, row {BANANA}, column 'label_serving_g': expected a label serving above 0 g "
        "and at most 1000 g, found '0'",
    ),
    # food_nutrients
    "a billion mg of magnesium per 100 g": (
        set_amount("spinach_raw", "magnesium", "1000000000"),
        f"food_nutrients.csv, row {amount_row('spinach_raw', 'magnesium')}, column 'amount': "
        "expected at most 790 mg of magnesium per 100 g of food (the highest in SR28, 781 mg in "
        "crude rice bran, rounded up), found '1000000000'",
    ),
    "150 g of water per 100 g": (
        set_amount("kale_raw", "water", "150"),
        f"food_nutrients.csv, row {amount_row('kale_raw', 'water')}, column 'amount': expected "
        "at most 100 g of water per 100 g of food (no food holds more than its own weight of "
        "water), found '150'",
    ),
    "more energy than pure fat": (
        set_amount("spinach_raw", "energy", "903"),
        f"food_nutrients.csv, row {amount_row('spinach_raw', 'energy')}, column 'amount': "
        "expected at most 902 kcal of energy per 100 g of food (the highest in SR28, 902 kcal "
        "in beef tallow: pure fat, the most energy-dense food), found '903'",
    ),
    "more energy than the food's dry matter can give": (
        set_amount("spinach_raw", "energy", "500"),
        f"food_nutrients.csv, row {amount_row('spinach_raw', 'energy')}, column 'amount': "
        "expected energy of at most 9.02 kcal for each gram that is not water (water 91.4 g in "
        f"row {amount_row('spinach_raw', 'water')}: at most 79 kcal; pure fat gives 9.02 kcal a "
        "gram), found '500'",
    ),
    "food without a row for a nutrient": (
        drop_rows("food_nutrients.csv", "kale_raw,sodium,"),
        "food_nutrients.csv, column 'amount': expected a row for every food of foods.csv and "
        "every nutrient of nutrients.csv (an empty amount says SR28 has no value), found no "
        "row for food kale_raw, nutrient sodium",
    ),
    # reference_amounts
    "a reference amount of 0 mL": (
        set_cells("reference_amounts.csv", JUICES, reference_amount="0 mL", amount="0"),
        f"reference_amounts.csv, row {JUICES}, column 'amount': expected a reference amount "
        "above 0, found '0'",
    ),
    "a reference amount of 10 kg": (
        set_cells("reference_amounts.csv", FRUITS, reference_amount="10000 g", amount="10000"),
        f"reference_amounts.csv, row {FRUITS}, column 'amount': expected at most 500 g or mL, "
        "one eating occasion (this is 10000 g), found '10000'",
    ),
    "a unit changed so that a cup of milk weighs a gram": (
        set_cell("reference_amounts.csv", MILK_DRINKS, "unit", "cup"),
        f"reference_amounts.csv, row {MILK_DRINKS}, column 'unit': expected the unit "
        "reference_amount states (240 mL), found 'cup'",
    ),
    "240 cups of milk, the regulation's words changed too": (
        set_cells("reference_amounts.csv", MILK_DRINKS, reference_amount="240 cup", unit="cup"),
        f"reference_amounts.csv, row {MILK_DRINKS}, column 'amount': expected at most 500 g or "
        "mL, one eating occasion (this is 56781.2 mL), found '240'",
    ),
    "a cup of milk as the reference amount, its grams not updated": (
        set_cells(
            "reference_amounts.csv", MILK_DRINKS, reference_amount="1 cup", amount="1", unit="cup"
        ),
        f"foods.csv, row {MILK}, column 'racc_g': expected 236.59 mL weighed as the serving "
        "weighs (1 cup = 244 g): 244 g, found '247.52'",
    ),
    "an amount the regulation's words do not state": (
        set_cell("reference_amounts.csv", JUICES, "amount", "24"),
        f"reference_amounts.csv, row {JUICES}, column 'amount': expected the amount "
        "reference_amount states (240 mL): 240, found '24'",
    ),
    "a reference amount without its amount": (
        set_cell("reference_amounts.csv", JUICES, "reference_amount", "a glass"),
        f"reference_amounts.csv, row {JUICES}, column 'reference_amount': expected the "
        "regulation's words, opening with the amount and its unit (240 mL, 1/4 tsp), found "
        "'a glass'",
    ),
    "a reference amount without its regulation": (
        set_cell("reference_amounts.csv", JUICES, "source", "FDA"),
        f"reference_amounts.csv, row {JUICES}, column 'source': expected the regulation (21 CFR "
        "101.12, 9 CFR 317.312 or 9 CFR 381.412) and its table, found 'FDA'",
    ),
    # calcium_absorption
    "absorption given as a percentage": (
        set_cell("calcium_absorption.csv", KALE, "fraction", "49.3"),
        f"calcium_absorption.csv, row {KALE}, column 'fraction': expected a fraction above 0 "
        "and no more than 1 (30% is 0.3), found '49.3'",
    ),
    "milk absorbing nothing": (
        set_cell("calcium_absorption.csv", KALE, "milk_fraction", "0"),
        f"calcium_absorption.csv, row {KALE}, column 'milk_fraction': expected a fraction above "
        "0 and no more than 1 (30% is 0.3), found '0'",
    ),
    "a calcium load of 0 mg": (
        set_cell("calcium_absorption.csv", KALE, "calcium_load_mg", "0"),
        f"calcium_absorption.csv, row {KALE}, column 'calcium_load_mg': expected a calcium load "
        "above 0, found '0'",
    ),
    "absorption from a food without calcium": (
        set_amount("kale_cooked", "calcium", "0"),
        f"calcium_absorption.csv, row {KALE}, column 'food_id': expected a food with calcium "
        "(food_nutrients.csv gives it 0 mg per 100 g), found 'kale_cooked'",
    ),
    "absorption for a food not in foods.csv": (
        set_cell("calcium_absorption.csv", KALE, "food_id", "kale_chips"),
        f"calcium_absorption.csv, row {KALE}, column 'food_id': expected an id listed in "
        "foods.csv (food_id), found 'kale_chips'",
    ),
    # guide_claims
    "unknown id in a list": (
        replace("guide_claims.csv", "spinach_raw;", "spinach_rare;"),
        f"guide_claims.csv, row {row_of_text('guide_claims.csv', 'spinach_raw;')}, column "
        "'foods': expected ids listed in foods.csv (food_id), separated by ';', found "
        "'spinach_rare'",
    ),
    "unknown nutrient in a claim's list": (
        set_cell("guide_claims.csv", CLAIM, "nutrients", "calcium;calcum"),
        f"guide_claims.csv, row {CLAIM}, column 'nutrients': expected ids listed in "
        "nutrients.csv (nutrient_id), separated by ';', found 'calcum'",
    ),
    "a data claim without its nutrients": (
        set_cell("guide_claims.csv", CLAIM, "nutrients", ""),
        f"guide_claims.csv, row {CLAIM}, column 'nutrients': expected the nutrients the claim "
        "names, since check_against is data, found an empty cell",
    ),
    "a data claim without its foods": (
        set_cell("guide_claims.csv", CLAIM, "foods", ""),
        f"guide_claims.csv, row {CLAIM}, column 'foods': expected the foods the claim names, "
        "since check_against is data, found an empty cell",
    ),
    # claim_parts
    "a claim without parts": (
        drop_rows("claim_parts.csv", "C01,"),
        "claim_parts.csv, column 'claim_id': expected a row for every claim of guide_claims.csv "
        "(a claim holds when all its parts do), found no row for C01",
    ),
    **{
        f"a grade part without its {element}": (
            set_cell("claim_parts.csv", GRADE_PART, element, ""),
            f"claim_parts.csv, row {GRADE_PART}, column '{element}': expected the question's "
            f"{element} (PICO), since basis is grade, found an empty cell",
        )
        for element in ("population", "intervention", "comparator", "outcome")
    },
    "a food part without its claim word": (
        set_cell("claim_parts.csv", FOOD_PART, "claim_word", ""),
        f"claim_parts.csv, row {FOOD_PART}, column 'claim_word': expected the FDA claim word "
        "the claim uses (rich, high, excellent source or good source), since basis is "
        "food_words, found an empty cell",
    ),
    "a claim word for a grade part": (
        set_cell("claim_parts.csv", GRADE_PART, "claim_word", "rich"),
        f"claim_parts.csv, row {GRADE_PART}, column 'claim_word': expected an empty cell, since "
        "basis is grade (only a food_words part names a claim word), found 'rich'",
    ),
    "a diet part for a claim checked against evidence": (
        set_cell("claim_parts.csv", GRADE_PART, "basis", "diet_planner"),
        f"claim_parts.csv, row {GRADE_PART}, column 'basis': expected a basis the evidence "
        f"decides, since guide_claims.csv checks {cell('claim_parts.csv', GRADE_PART, 'claim_id')} "
        "against evidence (food_words and diet_planner parts only for a claim checked against "
        "data), found 'diet_planner'",
    ),
    "a data claim without a food or diet part": (
        set_cell("claim_parts.csv", DIET_PART, "basis", "not_assessed"),
        "claim_parts.csv, column 'basis': expected a food_words or diet_planner part for every "
        "claim that guide_claims.csv checks against data, found none for "
        f"{cell('claim_parts.csv', DIET_PART, 'claim_id')}, a claim checked against data",
    ),
    "a search no one recorded": (
        set_cell("claim_parts.csv", GRADE_PART, "searches", "S03;S99"),
        f"claim_parts.csv, row {GRADE_PART}, column 'searches': expected ids listed in "
        "evidence_searches.csv (search_id), separated by ';', found 'S99'",
    ),
    # claim_studies
    "a study of a part that does not exist": (
        set_cell("claim_studies.csv", 1, "part", "z"),
        "claim_studies.csv, row 1, column 'part': expected a part that claim_parts.csv lists "
        "(C01 has no part z there), found 'z'",
    ),
    "a study for a food claim": (
        set_cell("claim_studies.csv", 1, "claim_id", "C23"),
        "claim_studies.csv, row 1, column 'part': expected a part the evidence decides "
        "(claim_parts.csv gives C23 part a the basis food_words; food_words, diet_planner and "
        "not_assessed parts cite no studies), found 'a'",
    ),
    "an indirect study without the PICO element that differs": (
        set_cell("claim_studies.csv", INDIRECT_STUDY, "indirect_on", ""),
        f"claim_studies.csv, row {INDIRECT_STUDY}, column 'indirect_on': expected the PICO "
        "element that differs, since directness is indirect, found an empty cell",
    ),
    "a direct study with a PICO element that differs": (
        set_cell("claim_studies.csv", DIRECT_STUDY, "indirect_on", "population"),
        f"claim_studies.csv, row {DIRECT_STUDY}, column 'indirect_on': expected an empty cell, "
        "since directness is direct, found 'population'",
    ),
    "an indirect study differing in something PICO does not name": (
        set_cell("claim_studies.csv", INDIRECT_STUDY, "indirect_on", "population;dose"),
        f"claim_studies.csv, row {INDIRECT_STUDY}, column 'indirect_on': expected PICO elements "
        "(population, intervention, comparator, outcome), separated by ';', found 'dose'",
    ),
    "an indirect study that does not say how": (
        set_cell("claim_studies.csv", INDIRECT_STUDY, "how_indirect", ""),
        f"claim_studies.csv, row {INDIRECT_STUDY}, column 'how_indirect': expected how the "
        "study differs from the part's question, in one sentence, since directness is "
        "indirect, found an empty cell",
    ),
    **{
        f"an effect without its {column}": (
            set_cell("claim_studies.csv", STUDY, column, ""),
            f"claim_studies.csv, row {STUDY}, column '{column}': expected a value, since the row "
            "gives part of its effect (a measure, an estimate and both ends of its interval, or "
            "none of them), found an empty cell",
        )
        for column in ("measure", "estimate", "ci_low", "ci_high")
    },
    "a risk ratio of 0": (
        set_cells("claim_studies.csv", STUDY, estimate="0", ci_low="0"),
        f"claim_studies.csv, row {STUDY}, column 'estimate': expected a ratio above 0 (measure "
        "risk ratio), found '0'",
    ),
    "an interval from a ratio of 0": (
        set_cell("claim_studies.csv", STUDY, "ci_low", "0"),
        f"claim_studies.csv, row {STUDY}, column 'ci_low': expected a ratio above 0 (measure "
        "risk ratio), found '0'",
    ),
    "an estimate above its interval": (
        set_cell("claim_studies.csv", STUDY, "estimate", "2.5"),
        f"claim_studies.csv, row {STUDY}, column 'estimate': expected no higher than ci_high "
        f"({cell('claim_studies.csv', STUDY, 'ci_high')}), found '2.5'",
    ),
    "an estimate below its interval": (
        set_cell("claim_studies.csv", STUDY, "estimate", "0.5"),
        f"claim_studies.csv, row {STUDY}, column 'estimate': expected no lower than ci_low "
        f"({cell('claim_studies.csv', STUDY, 'ci_low')}), found '0.5'",
    ),
    "an interval without the effect worth having": (
        set_cell("claim_studies.csv", STUDY, "worthwhile_effect", ""),
        f"claim_studies.csv, row {STUDY}, column 'worthwhile_effect': expected the smallest "
        "effect worth having, in risk ratio, since the row gives an interval "
        f"({cell('claim_studies.csv', STUDY, 'ci_low')} to "
        f"{cell('claim_studies.csv', STUDY, 'ci_high')}), found an empty cell",
    ),
    "an effect worth having without an interval": (
        set_cell("claim_studies.csv", INDIRECT_STUDY, "worthwhile_effect", "0.8"),
        f"claim_studies.csv, row {INDIRECT_STUDY}, column 'worthwhile_effect': expected an "
        "empty cell, since the row gives no interval, found '0.8'",
    ),
    "a direction its interval does not read": (
        set_cell("claim_studies.csv", KONA, "direction", "against"),
        f"claim_studies.csv, row {KONA}, column 'direction': expected the direction its "
        f"interval reads, for ({cell('claim_studies.csv', KONA, 'ci_low')} to "
        f"{cell('claim_studies.csv', KONA, 'ci_high')}, worthwhile effect "
        f"{cell('claim_studies.csv', KONA, 'worthwhile_effect')}; for: it excludes no effect on "
        "the claimed side; against: it excludes the worthwhile effect; neither: it takes in "
        "both), found 'against'",
    ),
    "a null without an interval counted against": (
        set_cell("claim_studies.csv", COHORT_NULL, "direction", "against"),
        f"claim_studies.csv, row {COHORT_NULL}, column 'direction': expected for or neither, "
        "since the row gives no interval: a cohort counts against only with an interval that "
        "excludes a worthwhile effect (an imprecise null never does), found 'against'",
    ),
    # claim_grades
    "a judgement of a part that does not exist": (
        set_cell("claim_grades.csv", 1, "part", "z"),
        "claim_grades.csv, row 1, column 'part': expected a part that claim_parts.csv lists "
        "(C02 has no part z there), found 'z'",
    ),
    "a judgement of a part that GRADE does not rate": (
        set_cell("claim_grades.csv", 1, "part", "a"),
        "claim_grades.csv, row 1, column 'part': expected a grade part (claim_parts.csv gives "
        "C02 part a the basis clinical_reference; only grade parts are rated with GRADE), "
        "found 'a'",
    ),
    "a judgement of the wrong kind": (
        set_cell("claim_grades.csv", UPGRADE_ROW, "judgement", "serious"),
        f"claim_grades.csv, row {UPGRADE_ROW}, column 'judgement': expected a judgement of the "
        "kind domain large_effect takes (none, large or very_large), found 'serious'",
    ),
    "a part judged on seven domains": (
        drop_rows("claim_grades.csv", "C02,b,dose_response,"),
        "claim_grades.csv, row 1, column 'domain': expected a judgement for each of the 8 GRADE "
        "domains of C02 part b (missing: dose_response), found 7 domains",
    ),
    "rating up a body rated down": (
        set_cell("claim_grades.csv", UPGRADE_ROW, "judgement", "large"),
        f"claim_grades.csv, row {UPGRADE_ROW}, column 'judgement': expected none, since "
        f"{cell('claim_grades.csv', UPGRADE_ROW, 'claim_id')} part "
        f"{cell('claim_grades.csv', UPGRADE_ROW, 'part')} is rated down ({UPGRADE_DOWN}): GRADE "
        "rates up only a body rated down for nothing (GRADE 9), found 'large'",
    ),
    # nutrient_symptoms and cramp_factors
    "a contradicted link without a study against": (
        set_cell("nutrient_symptoms.csv", 1, "evidence_grade", "contradicted"),
        "nutrient_symptoms.csv, row 1, column 'evidence_against': expected the study against "
        "the claim (its DOI or PMID), since evidence_grade is contradicted, found an empty cell",
    ),
    "a study against for an established link": (
        set_cell("nutrient_symptoms.csv", 1, "evidence_against", "PMID 22963024"),
        "nutrient_symptoms.csv, row 1, column 'evidence_against': expected an empty cell, since "
        "evidence_grade is established (only contradicted, mixed, very_uncertain or "
        "indirect_against cite a study against), found 'PMID 22963024'",
    ),
    "a link's study against named in words": (
        set_cell("nutrient_symptoms.csv", UNCERTAIN_LINK, "evidence_against", "Cochrane"),
        f"nutrient_symptoms.csv, row {UNCERTAIN_LINK}, column 'evidence_against': expected "
        "DOIs (doi:10...) or PubMed ids (PMID nnn), separated by ';', each also named in "
        "source, found 'Cochrane'",
    ),
    "a link to a part that does not exist": (
        set_cell("nutrient_symptoms.csv", 1, "part", "z"),
        "nutrient_symptoms.csv, row 1, column 'part': expected a part that claim_parts.csv "
        f"lists for {cell('nutrient_symptoms.csv', 1, 'claim_id')}, the claim the row links "
        "to, found 'z'",
    ),
    "a link to a part of no claim": (
        set_cell("nutrient_symptoms.csv", 1, "claim_id", ""),
        "nutrient_symptoms.csv, row 1, column 'claim_id': expected the claim that part "
        f"{cell('nutrient_symptoms.csv', 1, 'part')} belongs to, found an empty cell",
    ),
    "a link's search no one recorded": (
        set_cell("nutrient_symptoms.csv", UNSEARCHED_LINK, "searches", "S99"),
        f"nutrient_symptoms.csv, row {UNSEARCHED_LINK}, column 'searches': expected ids listed "
        "in evidence_searches.csv (search_id), separated by ';', found 'S99'",
    ),
    "no evidence found for a link, and no search": (
        set_cell("nutrient_symptoms.csv", UNSEARCHED_LINK, "searches", ""),
        f"nutrient_symptoms.csv, row {UNSEARCHED_LINK}, column 'searches': expected a recorded "
        "search (evidence_searches.csv), since evidence_grade is no_evidence_found and the row "
        "links to no claim part, found an empty cell",
    ),
    "a study against for an established cause": (
        set_cell("cramp_factors.csv", ESTABLISHED_FACTOR, "evidence_against", "PMID 22963024"),
        f"cramp_factors.csv, row {ESTABLISHED_FACTOR}, column 'evidence_against': expected an "
        "empty cell, since evidence_grade is established (only contradicted, mixed, "
        "very_uncertain or indirect_against cite a study against), found 'PMID 22963024'",
    ),
    "a cause's study against that its source does not cite": (
        set_cell("cramp_factors.csv", UNCERTAIN_FACTOR, "evidence_against", "PMID 12345"),
        f"cramp_factors.csv, row {UNCERTAIN_FACTOR}, column 'evidence_against': expected DOIs "
        "(doi:10...) or PubMed ids (PMID nnn), separated by ';', each also named in source, "
        "found 'PMID 12345'",
    ),
    "mixed grade without a study against": (
        set_cell("cramp_factors.csv", ESTABLISHED_FACTOR, "evidence_grade", "mixed"),
        f"cramp_factors.csv, row {ESTABLISHED_FACTOR}, column 'evidence_against': expected the "
        "study against the claim (its DOI or PMID), since evidence_grade is mixed, found an "
        "empty cell",
    ),
    "an unknown evidence grade": (
        set_cell("cramp_factors.csv", UNCERTAIN_FACTOR, "evidence_grade", "unsupported"),
        f"cramp_factors.csv, row {UNCERTAIN_FACTOR}, column 'evidence_grade': expected one of "
        "'established', 'limited', 'mixed', 'very_uncertain', 'indirect_against', "
        "'inconclusive', 'contradicted', 'no_evidence_found', found 'unsupported'",
    ),
    "a cause linked to a part that does not exist": (
        set_cell("cramp_factors.csv", 1, "part", "z"),
        "cramp_factors.csv, row 1, column 'part': expected a part that claim_parts.csv lists "
        f"for {cell('cramp_factors.csv', 1, 'claim_id')}, the claim the row links to, found 'z'",
    ),
    "a cause linked to a part of no claim": (
        set_cell("cramp_factors.csv", 1, "claim_id", ""),
        "cramp_factors.csv, row 1, column 'claim_id': expected the claim that part "
        f"{cell('cramp_factors.csv', 1, 'part')} belongs to, found an empty cell",
    ),
    "a cause's search no one recorded": (
        set_cell("cramp_factors.csv", 1, "searches", "S99"),
        "cramp_factors.csv, row 1, column 'searches': expected ids listed in "
        "evidence_searches.csv (search_id), separated by ';', found 'S99'",
    ),
    "no evidence found for a cause, and no search": (
        set_cell("cramp_factors.csv", UNLINKED_FACTOR, "evidence_grade", "no_evidence_found"),
        f"cramp_factors.csv, row {UNLINKED_FACTOR}, column 'searches': expected a recorded "
        "search (evidence_searches.csv), since evidence_grade is no_evidence_found and the row "
        "links to no claim part, found an empty cell",
    ),
    # food_attributes
    "an animal food marked as not animal, decided by the rule": (
        set_cell("food_attributes.csv", ATTRIBUTES_MILK, "dairy", "false"),
        f"food_attributes.csv, row {ATTRIBUTES_MILK}, column 'dairy': expected true, {RULE_SAYS} "
        f"(SR28 dairy and egg group), since decided_by is rule; {MANUAL}, found 'false'",
    ),
    "an egg marked as no egg": (
        set_cell("food_attributes.csv", EGG, "egg", "false"),
        f"food_attributes.csv, row {EGG}, column 'egg': expected true, {RULE_SAYS} (egg item of "
        f"the dairy and egg group), since decided_by is rule; {MANUAL}, found 'false'",
    ),
    "salmon marked as no fish": (
        set_cells(
            "food_attributes.csv", ATTRIBUTES_SALMON, fish_shellfish="false", fish_advice=""
        ),
        f"food_attributes.csv, row {ATTRIBUTES_SALMON}, column 'fish_shellfish': expected true, "
        f"{RULE_SAYS} (SR28 finfish and shellfish group), since decided_by is rule; {MANUAL}, "
        "found 'false'",
    ),
    "beef marked as no meat": (
        set_cell("food_attributes.csv", BEEF, "meat_poultry", "false"),
        f"food_attributes.csv, row {BEEF}, column 'meat_poultry': expected true, {RULE_SAYS} "
        f"(SR28 meat or poultry group), since decided_by is rule; {MANUAL}, found 'false'",
    ),
    "honey marked as vegan": (
        set_cell("food_attributes.csv", HONEY, "other_animal", "false"),
        f"food_attributes.csv, row {HONEY}, column 'other_animal': expected true, {RULE_SAYS} "
        f"(animal product 'honey'), since decided_by is rule; {MANUAL}, found 'false'",
    ),
    "a fish category the rule does not give": (
        set_cell("food_attributes.csv", ATTRIBUTES_SALMON, "fish_advice", "good_choice"),
        f"food_attributes.csv, row {ATTRIBUTES_SALMON}, column 'fish_advice': expected "
        f"best_choice, {RULE_SAYS} (SR28 finfish and shellfish group), since decided_by is "
        f"rule; {MANUAL}, found 'good_choice'",
    ),
    "a reason the rule does not give": (
        set_cell("food_attributes.csv", ATTRIBUTES_MILK, "reason", "it is milk"),
        f"food_attributes.csv, row {ATTRIBUTES_MILK}, column 'reason': expected the documented "
        f"rule's own reason (SR28 dairy and egg group), since decided_by is rule; {MANUAL}, "
        "found 'it is milk'",
    ),
    "a manual decision without its reason": (
        set_cell("food_attributes.csv", ATTRIBUTES_CHOCOLATE, "reason", "cholesterol"),
        f"food_attributes.csv, row {ATTRIBUTES_CHOCOLATE}, column 'reason': expected the "
        "curator's reason, starting 'manual:', since decided_by is manual, found 'cholesterol'",
    ),
    "fish advice for a food without fish": (
        set_cell("food_attributes.csv", ATTRIBUTES_MILK, "fish_advice", "best_choice"),
        f"food_attributes.csv, row {ATTRIBUTES_MILK}, column 'fish_advice': expected no fish "
        "advice for a food without fish (fish_shellfish false), found 'best_choice'",
    ),
    "a food without attributes": (
        drop_rows("food_attributes.csv", "almonds,"),
        "food_attributes.csv, column 'food_id': expected a row for every food of foods.csv, "
        "found no row for almonds",
    ),
    # portion_categories and portion_caps
    "an SR28 group in two categories": (
        set_cell(
            "portion_categories.csv", CATEGORY_SPICE, "sr28_groups", "Spices and Herbs;Sweets"
        ),
        f"portion_categories.csv, row {first_row('portion_categories.csv', 'category', 'sweet')}, "
        f"column 'sr28_groups': expected each SR28 food group in one category only (row "
        f"{CATEGORY_SPICE} names it too), found 'Sweets'",
    ),
    "SR28 groups without their grams": (
        set_cell("portion_categories.csv", CATEGORY_SPICE, "max_g", ""),
        f"portion_categories.csv, row {CATEGORY_SPICE}, column 'max_g': expected the most grams "
        "a day for foods of the SR28 groups in sr28_groups, found an empty cell",
    ),
    "grams without SR28 groups": (
        set_cell("portion_categories.csv", CATEGORY_LEAFY, "max_g", "300"),
        f"portion_categories.csv, row {CATEGORY_LEAFY}, column 'max_g': expected an empty "
        "cell, since sr28_groups names no SR28 group, found '300'",
    ),
    "6 kg of spices a day": (
        set_cell("portion_categories.csv", CATEGORY_SPICE, "max_g", "6000"),
        f"portion_categories.csv, row {CATEGORY_SPICE}, column 'max_g': expected at most 5000 g "
        "a day (0 leaves the groups out), found '6000'",
    ),
    "a food without a portion cap": (
        drop_rows("portion_caps.csv", "almonds,"),
        "portion_caps.csv, column 'food_id': expected a row for every food of foods.csv, found "
        "no row for almonds",
    ),
    "a portion of 0 g": (
        set_cell("portion_caps.csv", 1, "portion_g", "0"),
        "portion_caps.csv, row 1, column 'portion_g': expected a portion above 0 g and at most "
        "1000 g, found '0'",
    ),
    "a third of a portion": (
        set_cell("portion_caps.csv", 1, "max_portions", "0.3"),
        "portion_caps.csv, row 1, column 'max_portions': expected a whole or half number of "
        "portions, at least a half (the planner counts half portions), found '0.3'",
    ),
    "30 glasses of water a day": (
        set_cell("portion_caps.csv", CAPS_WATER, "max_portions", "30"),
        f"portion_caps.csv, row {CAPS_WATER}, column 'max_portions': expected a cap of at most "
        "5000 g a day (this is 7110 g at portion_g 237.0), found '30'",
    ),
    # energy_bands
    "an energy band upside down (kcal_low changed)": (
        set_cell("energy_bands.csv", BAND_CHILD, "kcal_low", "1600"),
        f"energy_bands.csv, row {BAND_CHILD}, column 'kcal_low': expected no more than "
        "kcal_high (1400), found '1600'",
    ),
    "an energy need of 100 kcal": (
        set_cells("energy_bands.csv", BAND_CHILD, kcal_low="100"),
        f"energy_bands.csv, row {BAND_CHILD}, column 'kcal_low': expected kcal a day between "
        "500 and 5000, found '100'",
    ),
    "an energy need of 14000 kcal": (
        set_cell("energy_bands.csv", BAND_CHILD, "kcal_high", "14000"),
        f"energy_bands.csv, row {BAND_CHILD}, column 'kcal_high': expected kcal a day between "
        "500 and 5000, found '14000'",
    ),
    "an energy band for an unknown life stage": (
        set_cell("energy_bands.csv", BAND_CHILD, "life_stage", "toddler"),
        f"energy_bands.csv, row {BAND_CHILD}, column 'life_stage': expected a life stage of "
        "intake_references.csv, or daily_values for the FDA Daily Values, found 'toddler'",
    ),
    "a life stage without an energy band": (
        drop_rows("energy_bands.csv", "child_1_3,"),
        "energy_bands.csv, column 'life_stage': expected an energy band for every life stage of "
        "intake_references.csv, found none for child_1_3",
    ),
    "a child eating one and a half adult portions": (
        set_cell("energy_bands.csv", BAND_CHILD, "portion_scale", "1.5"),
        f"energy_bands.csv, row {BAND_CHILD}, column 'portion_scale': expected a share of the "
        "adult portion caps above 0 and at most 1, found '1.5'",
    ),
    # fish_advice
    "a fish serving of 0 oz": (
        set_cell("fish_advice.csv", FISH_ADULT, "serving_oz", "0"),
        f"fish_advice.csv, row {FISH_ADULT}, column 'serving_oz': expected a serving above 0 oz "
        "and at most 8 oz, found '0'",
    ),
    "no servings of the Best Choices": (
        set_cell("fish_advice.csv", FISH_ADULT, "best_choice_servings", "0"),
        f"fish_advice.csv, row {FISH_ADULT}, column 'best_choice_servings': expected servings a "
        "week above 0 and at most 14, found '0'",
    ),
    "fifteen servings of the Good Choices a week": (
        set_cell("fish_advice.csv", FISH_ADULT, "good_choice_servings", "15"),
        f"fish_advice.csv, row {FISH_ADULT}, column 'good_choice_servings': expected servings a "
        "week above 0 and at most 14, found '15'",
    ),
    "more Good Choices than Best Choices": (
        set_cell("fish_advice.csv", FISH_ADULT, "good_choice_servings", "4"),
        f"fish_advice.csv, row {FISH_ADULT}, column 'good_choice_servings': expected no more "
        "than best_choice_servings (3): Good Choices are to be eaten less often than Best "
        "Choices, found '4'",
    ),
    "fish advice for an unknown life stage": (
        set_cell("fish_advice.csv", FISH_ADULT, "life_stage", "adults"),
        f"fish_advice.csv, row {FISH_ADULT}, column 'life_stage': expected a life stage of "
        "intake_references.csv, or daily_values for the FDA Daily Values, found 'adults'",
    ),
    # upper_limits
    "an upper limit in the wrong unit": (
        set_cell("upper_limits.csv", RETINOL_CHILD, "unit", "mg"),
        f"upper_limits.csv, row {RETINOL_CHILD}, column 'unit': expected the nutrient's unit in "
        "nutrients.csv (µg), found 'mg'",
    ),
    "an upper limit of 3 kg of retinol": (
        set_cell("upper_limits.csv", RETINOL_CHILD, "ul", "3000000000"),
        f"upper_limits.csv, row {RETINOL_CHILD}, column 'ul': expected at most 1000 g a day once "
        "converted from µg (this is 3000 g), found '3000000000'",
    ),
    "an upper limit of 0": (
        set_cell("upper_limits.csv", RETINOL_CHILD, "ul", "0"),
        f"upper_limits.csv, row {RETINOL_CHILD}, column 'ul': expected a UL above 0, found '0'",
    ),
    "an upper limit for an unknown life stage": (
        set_cell("upper_limits.csv", RETINOL_CHILD, "life_stage", "toddler"),
        f"upper_limits.csv, row {RETINOL_CHILD}, column 'life_stage': expected a life stage of "
        "intake_references.csv, or daily_values for the FDA Daily Values, found 'toddler'",
    ),
    "a total-intake upper limit below the RDA": (
        add_row("upper_limits.csv", "calcium,female_19_30,500,mg,total intake,,IOM 2011"),
        f"upper_limits.csv, row {UPPER_LIMITS_ROWS + 1}, column 'ul': expected no lower than "
        "the RDA in intake_references.csv for the same nutrient and life stage (1000): the UL "
        "applies to total intake, found '500'",
    ),
    # population_intakes
    "a share of people below the EAR of 140%": (
        set_cell("population_intakes.csv", MAGNESIUM_SHARE, "value", "140"),
        f"population_intakes.csv, row {MAGNESIUM_SHARE}, column 'value': expected a share "
        "between 0 and 100, since unit is %, found '140'",
    ),
    "a share in mg": (
        set_cell("population_intakes.csv", MAGNESIUM_SHARE, "unit", "mg"),
        f"population_intakes.csv, row {MAGNESIUM_SHARE}, column 'unit': expected %, since "
        "measure is share_below_ear (% for a share, the nutrient's unit in nutrients.csv for a "
        "mean), found 'mg'",
    ),
    "a mean intake of 0": (
        set_cell("population_intakes.csv", POTASSIUM_MEAN, "value", "0"),
        f"population_intakes.csv, row {POTASSIUM_MEAN}, column 'value': expected a mean intake "
        "above 0, found '0'",
    ),
    "a mean intake of ten Daily Values": (
        set_cell("population_intakes.csv", POTASSIUM_MEAN, "value", "47000"),
        f"population_intakes.csv, row {POTASSIUM_MEAN}, column 'value': expected a mean intake "
        "below 10 times the nutrient's Daily Value (nutrients.csv: 4700 mg), found '47000'",
    ),
    "a share below the EAR of a nutrient with only an AI": (
        set_cells(
            "population_intakes.csv",
            POTASSIUM_MEAN,
            measure="share_below_ear",
            unit="%",
            value="50",
        ),
        f"population_intakes.csv, row {POTASSIUM_MEAN}, column 'measure': expected a measure "
        "the nutrient has: share_below_ear needs an EAR, which only a nutrient with an RDA in "
        "intake_references.csv has (an AI has none), found 'share_below_ear'",
    ),
    "a share above a CDRR the nutrient does not have": (
        set_cell("population_intakes.csv", MAGNESIUM_SHARE, "measure", "share_above_cdrr"),
        f"population_intakes.csv, row {MAGNESIUM_SHARE}, column 'measure': expected a measure "
        "the nutrient has: share_above_cdrr needs a CDRR in intake_references.csv, found "
        "'share_above_cdrr'",
    ),
    # Every table: sources and notes a reader can look up.
    "a source naming a project file": (
        set_cell("symptoms.csv", 2, "source", "facts.md section 4"),
        "symptoms.csv, row 2, column 'source': expected a citation a reader can look up, not a "
        "project file, found 'facts.md section 4'",
    ),
    "a note pointing at the course's reference list": (
        set_cell("intake_references.csv", 3, "note", "not in the course's reference list"),
        "intake_references.csv, row 3, column 'note': expected a citation a reader can look up, "
        'not a project file, found "not in the course\'s reference list"',
    ),
    "a planner table's source naming a project file": (
        set_cell("fish_advice.csv", FISH_ADULT, "source", "see data/README.md"),
        f"fish_advice.csv, row {FISH_ADULT}, column 'source': expected a citation a reader can "
        "look up, not a project file, found 'see data/README.md'",
    ),
}


def contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


ALL_BAD_INPUT = {**BAD_INPUT, **BROKEN_RULES}


@pytest.mark.parametrize(
    ("breakage", "expected"), ALL_BAD_INPUT.values(), ids=ALL_BAD_INPUT.keys()
)
def test_bad_input_is_refused_with_one_exact_line(tmp_path, breakage, expected):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    breakage(folder)
    broken = contents(folder)
    with pytest.raises(DataError) as raised:
        load(folder)
    assert str(raised.value) == f"{folder}{os.sep}{expected}"
    assert "\n" not in str(raised.value)
    assert contents(folder) == broken, "loading changed data/"


def test_every_rule_has_a_case_that_breaks_it():
    """Each rule of cramplab.data_rules is shown refusing bad data above, by its message."""
    package = read_datapackage()
    paths = {r["name"]: r["path"] for r in package["resources"]}
    messages = [expected for _, expected in BROKEN_RULES.values()]
    untested = []
    for name, rules in data_rules.RULES.items():
        for rule in rules:
            start = rule.expected.split("{")[0]
            prefix = f"column '{rule.column}': expected {start}"
            if not any(m.startswith(f"{paths[name]}, ") and prefix in m for m in messages):
                untested.append(f"{name}.{rule.column}: {rule.expected}")
    assert not untested, "rules without a bad-input case:\n" + "\n".join(untested)


def test_every_table_states_its_rules():
    """A new table of datapackage.json says what it means: its entry in data_rules.RULES."""
    names = [r["name"] for r in read_datapackage()["resources"]]
    assert sorted(names) == sorted(data_rules.RULES)
    assert sorted(names) == sorted(CourseData.table_names())


@pytest.mark.parametrize(
    ("found", "shown"),
    [
        ("12mg", "found '12mg'"),  # a cell's text, quoted
        ("", "found an empty cell"),
        (np.float64(1.95), "found 1.95"),
        (np.nan, "found an empty cell"),
        (pd.NA, "found an empty cell"),
        (10, "found 10"),
        (b"\xb5", "found b'\\xb5'"),
        (Said("a header split by tabs"), "found a header split by tabs"),  # said in words
    ],
)
def test_messages_show_what_they_found_plainly(found, shown):
    message = str(DataError("foods.csv", "a number", row=2, column="serving_g", found=found))
    assert message == f"foods.csv, row 2, column 'serving_g': expected a number, {shown}"


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


def test_load_refuses_an_interrupted_rebuild_and_the_rebuilds_recover_finishes_it(tmp_path):
    """A rebuild killed after its commit marker left foods.csv new and food_nutrients.csv old:
    load reads only, so it refuses the folder (naming the command) and writes nothing; the
    rebuild's own `recover` installs the committed rest and drops the uncommitted folder."""
    from cramplab_tools import atomic, usda

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
    before = snapshot(folder)
    with pytest.raises(DataError, match=r"python -m cramplab_tools.usda recover --data "):
        load(folder)
    assert snapshot(folder) == before
    assert len(usda.recover(folder)) == 2
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
