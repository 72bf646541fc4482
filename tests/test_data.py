"""The loader: typed tables from the real package, and one clear error per kind of bad input.

Each bad-input test breaks a copy of data/ in a temporary directory.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cramplab
from cramplab.data import (
    DICTIONARY_MARKER,
    CourseData,
    DataError,
    data_dictionary,
    load,
    read_datapackage,
)
from cramplab.paths import DATA_DIR


@pytest.fixture(scope="module")
def data() -> CourseData:
    return load()


@pytest.fixture
def broken(tmp_path):
    """A copy of the package, and a helper that edits one of its files."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)

    def edit(name, old, new, count=1):
        path = copy / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"test setup: {old!r} not in {name}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")
        return copy

    return copy, edit


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
    assert 25 <= len(data.guide_claims) <= 45
    assert len(data.food_nutrients) == len(data.foods) * len(data.nutrients)


def test_empty_usda_fields_load_as_missing_not_zero(data):
    raw = pd.read_csv(DATA_DIR / "food_nutrients.csv", dtype=str, keep_default_na=False)
    empty = raw["amount"] == ""
    assert empty.any(), "SR28 leaves some fields empty; the package should keep a few"
    assert data.food_nutrients.loc[empty.to_numpy(), "amount"].isna().all()
    assert (data.food_nutrients.loc[~empty.to_numpy(), "amount"].notna()).all()


def test_missing_file(broken):
    copy, _ = broken
    (copy / "symptoms.csv").unlink()
    with pytest.raises(DataError, match=r"symptoms\.csv: expected the file to exist"):
        load(copy)


def test_empty_file(broken):
    copy, _ = broken
    (copy / "foods.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match=r"foods\.csv: expected a header row.*empty file"):
        load(copy)


def test_missing_column(broken):
    copy, edit = broken
    edit("nutrients.csv", "nutrient_id,name,unit,", "nutrient_id,name,units,")
    with pytest.raises(DataError, match=r"nutrients\.csv, column 'unit': expected a column named"):
        load(copy)


def test_extra_column(broken):
    copy, _ = broken
    path = copy / "symptoms.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line + ",x" for line in lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"symptoms\.csv, column 'x': expected only the columns"):
        load(copy)


def test_non_numeric_amount_names_the_row(broken):
    copy, _ = broken
    path = copy / "food_nutrients.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    food, nutrient, _ = lines[5].split(",")
    lines[5] = f"{food},{nutrient},12mg"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = (
        r"food_nutrients\.csv, row 5, column 'amount': "
        r"expected a number, found '12mg'"
    )
    with pytest.raises(DataError, match=expected):
        load(copy)


def test_negative_amount(broken):
    copy, _ = broken
    path = copy / "food_nutrients.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    food, nutrient, _ = lines[3].split(",")
    lines[3] = f"{food},{nutrient},-4"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = (
        r"row 3, column 'amount': expected a number no less "
        r"than 0, found '-4'"
    )
    with pytest.raises(DataError, match=expected):
        load(copy)


def test_unknown_unit(broken):
    copy, edit = broken
    edit("nutrients.csv", "magnesium,Magnesium,mg,", "magnesium,Magnesium,mcg,")
    expected = (
        r"nutrients\.csv, row 1, column 'unit': expected one of "
        r"'g', 'mg', 'µg', 'kcal', found 'mcg'"
    )
    with pytest.raises(DataError, match=expected):
        load(copy)


def test_unit_must_match_the_nutrient(broken):
    copy, edit = broken
    edit("intake_references.csv", "magnesium,child_1_3,children,1,3,RDA,80,mg,",
         "magnesium,child_1_3,children,1,3,RDA,80,µg,")  # fmt: skip
    expected = (
        r"intake_references\.csv, row 1, column 'unit': "
        r"expected the nutrient's unit from nutrients\.csv \(mg\)"
    )
    with pytest.raises(DataError, match=expected):
        load(copy)


def test_unknown_food_id(broken):
    copy, _ = broken
    path = copy / "food_nutrients.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    _, nutrient, amount = lines[2].split(",")
    lines[2] = f"unicorn_steak,{nutrient},{amount}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = (
        r"food_nutrients\.csv, row 2, column 'food_id': expected "
        r"an id listed in foods\.csv \(food_id\), found 'unicorn_steak'"
    )
    with pytest.raises(DataError, match=expected):
        load(copy)


def test_unknown_nutrient_id(broken):
    copy, edit = broken
    edit("nutrient_symptoms.csv", "\nmagnesium,", "\nmagnesiun,")
    expected = (
        r"nutrient_symptoms\.csv, row 1, column 'nutrient_id'.*"
        r"found 'magnesiun'"
    )
    with pytest.raises(DataError, match=expected):
        load(copy)


def test_unknown_id_in_a_list_column(broken):
    copy, edit = broken
    edit("guide_claims.csv", "spinach_raw;", "spinach_rare;")
    expected = (
        r"guide_claims\.csv, row \d+, column 'foods'.*"
        r"found 'spinach_rare'"
    )
    with pytest.raises(DataError, match=expected):
        load(copy)


def test_duplicate_key(broken):
    copy, _ = broken
    path = copy / "foods.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(lines[1])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    row = len(lines) - 1
    expected = (
        rf"foods\.csv, row {row}, column 'food_id': expected a "
        r"unique key \(food_id\), found 'a duplicate of"
    )
    with pytest.raises(DataError, match=expected):
        load(copy)


def test_wrong_delimiter(broken):
    copy, _ = broken
    path = copy / "symptoms.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    expected = (
        r"symptoms\.csv: expected comma-separated values, "
        r"found 'a header split by semicolons'"
    )
    with pytest.raises(DataError, match=expected):
        load(copy)


def test_wrong_encoding(broken):
    copy, _ = broken
    path = copy / "nutrients.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(DataError, match=r"nutrients\.csv, row \d+: expected UTF-8 text"):
        load(copy)


def test_ragged_row(broken):
    copy, _ = broken
    path = copy / "cramp_factors.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2] + ",surplus"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"cramp_factors\.csv, row 2: expected 8 comma-separated"):
        load(copy)


def test_claim_checked_against_data_cannot_carry_a_typed_verdict(broken):
    copy, _ = broken
    claims = pd.read_csv(copy / "guide_claims.csv", dtype=str, keep_default_na=False)
    row = int(np.flatnonzero(claims["check_against"] == "data")[0])
    claims.loc[row, "evidence_verdict"] = "supported"
    claims.to_csv(copy / "guide_claims.csv", index=False, lineterminator="\n")
    expected = (
        rf"guide_claims\.csv, row {row + 1}, column "
        r"'evidence_verdict': expected no typed verdict"
    )
    with pytest.raises(DataError, match=expected):
        load(copy)


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


def test_claim_checked_against_data_needs_its_claimed_level(broken):
    copy, _ = broken
    claims = pd.read_csv(copy / "guide_claims.csv", dtype=str, keep_default_na=False)
    row = int(np.flatnonzero(claims["check_against"] == "data")[0])
    claims.loc[row, "claimed_level"] = ""
    claims.to_csv(copy / "guide_claims.csv", index=False, lineterminator="\n")
    expected = rf"guide_claims\.csv, row {row + 1}, column 'claimed_level': expected the level"
    with pytest.raises(DataError, match=expected):
        load(copy)
