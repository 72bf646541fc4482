"""cramplab.sr28, the SR28 reader: on a tiny release written here (tests/sr28_release.py),
and on the real release when it is there. The rebuild that writes data/ from it is the
tooling's (tests/tools/test_usda.py)."""

import shutil

import numpy as np
import pytest
from sr28_release import SR28, needs_sr28

from cramplab.data import DataError, load
from cramplab.sr28 import Release, describe_measure, read_release


def test_release_reads_sr28_format(tiny_sr28):
    release = Release(tiny_sr28)
    assert len(release.abbrev) == 3
    assert release.abbrev.loc[0, "Vit_D_(µg)"] == ""  # empty stays empty
    assert release.weight.loc[1, "Msre_Desc"] == 'medium (7" to 7-7/8" long)'


def test_release_names_a_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"ABBREV\.txt: expected an SR28 release directory"):
        Release(tmp_path)


def test_describe_measure_reads_like_a_recipe():
    assert describe_measure("1", "cup") == "1 cup"
    assert describe_measure(".5", "cup") == "1/2 cup"
    assert describe_measure("1.5", "tbsp") == "1 1/2 tbsp"
    assert describe_measure("0.333", "cup") == "0.333 cup"


def test_read_release_gives_the_package_shapes(tiny_sr28):
    data = read_release(tiny_sr28)
    foods = data.foods.set_index("food_id")
    assert list(foods.index) == ["ndb_09040", "ndb_02001", "ndb_99999"]
    # Serving rule: the lowest Seq, else 100 g.
    assert foods.loc["ndb_09040", "serving_g"] == 225
    assert foods.loc["ndb_99999", "serving_g"] == 100
    assert foods.loc["ndb_99999", "usda_description"] == "MYSTERY FOOD"  # not in FOOD_DES
    assert foods.loc["ndb_02001", "food_group"] == "Spices and Herbs"
    amounts = data.food_nutrients.set_index(["food_id", "nutrient_id"])["amount"]
    assert amounts["ndb_09040", "potassium"] == 358
    assert np.isnan(amounts["ndb_09040", "vitamin_d"])
    assert list(data.foods.columns) == list(load().foods.columns)


@needs_sr28
def test_read_release_covers_all_of_sr28():
    data = read_release(SR28)
    assert len(data.foods) == 8790
    assert data.foods["food_id"].is_unique


@needs_sr28
def test_the_same_analysis_and_planner_run_on_all_of_sr28():
    from cramplab import analysis, plan

    data = read_release(SR28)
    top = analysis.rank_foods(data, "potassium", "serving")
    assert len(top) == 10 and top["amount"].is_monotonic_decreasing
    covered = analysis.coverage(data, basis="serving")  # SR28 has no reference amounts
    assert covered.shape == (8790, 8)
    menu = plan.plan_menu(data)
    targeted = menu.totals.dropna(subset=["target"])
    met = targeted["total"] >= targeted["target"] - 1e-9
    assert met.all(), menu.totals
    limited = menu.totals.dropna(subset=["limit"])
    assert (limited["total"] <= limited["limit"] + 1e-6).all(), menu.totals
    assert menu.totals.at["sodium", "total"] <= 2300 + 1e-9


# --- broken releases: every error names the SR28 file and its line --------------------------


def edit(name, change):
    def breakage(directory):
        path = directory / name
        path.write_bytes(change(path.read_bytes()))

    return breakage


def edit_line(name, number, change):
    def change_file(payload):
        lines = payload.split(b"\r\n")
        lines[number - 1] = change(lines[number - 1])
        return b"\r\n".join(lines)

    return edit(name, change_file)


def repeat_line(name, number):
    return edit(name, lambda payload: payload + payload.split(b"\r\n")[number - 1] + b"\r\n")


BROKEN_RELEASE = {
    "short row": (
        edit_line("ABBREV.txt", 2, lambda line: line.rsplit(b"^", 1)[0]),
        r"ABBREV\.txt, line 2: expected 53 fields separated by '\^', found 52",
    ),
    "long row": (
        edit_line("WEIGHT.txt", 3, lambda line: line + b"^7"),
        r"WEIGHT\.txt, line 3: expected 7 fields separated by '\^', found 8",
    ),
    "unterminated ~": (
        edit_line(
            "FOOD_DES.txt", 1, lambda line: line.replace(b"~Bananas, raw~", b"~Bananas, raw")
        ),
        r"FOOD_DES\.txt, line 1, column 'Long_Desc': expected text closed by '~', "
        r"found '~Bananas, raw'",
    ),
    "non-number": (
        edit_line("WEIGHT.txt", 3, lambda line: line.replace(b"^1.9^", b"^1,9^")),
        r"WEIGHT\.txt, line 3, column 'Gm_Wgt': expected a number \(or nothing: not analysed\), "
        r"found '1,9'",
    ),
    "infinity in a number field": (
        edit_line("ABBREV.txt", 1, lambda line: line.replace(b"~358~", b"Infinity")),
        r"ABBREV\.txt, line 1, column 'Potassium_\(mg\)': expected a number",
    ),
    "repeated NDB number in ABBREV": (
        repeat_line("ABBREV.txt", 1),
        r"ABBREV\.txt, line 4, column 'NDB_No': expected each NDB_No once, "
        r"found '09040 again \(first on line 1\)'",
    ),
    "repeated NDB number in FOOD_DES": (
        repeat_line("FOOD_DES.txt", 2),
        r"FOOD_DES\.txt, line 3, column 'NDB_No': expected each NDB_No once, found '02001 again",
    ),
    "repeated measure in WEIGHT": (
        repeat_line("WEIGHT.txt", 2),
        r"WEIGHT\.txt, line 5, column 'NDB_No': expected each NDB_No, Seq once, "
        r"found '09040, 5 again \(first on line 2\)'",
    ),
    "repeated food group": (
        repeat_line("FD_GROUP.txt", 1),
        r"FD_GROUP\.txt, line 3, column 'FdGrp_Cd': expected each FdGrp_Cd once",
    ),
    "undecodable byte": (
        edit_line("FD_GROUP.txt", 2, lambda line: line.replace(b"Fruits", b"Fr\x81its")),
        r"FD_GROUP\.txt, line 2: expected Windows-1252 text, as SR28 is written, found b'\\x81'",
    ),
    "empty file": (
        edit("WEIGHT.txt", lambda payload: b""),
        r"WEIGHT\.txt: expected SR28 records, one per line, found 'an empty file'",
    ),
    "truncated download": (
        edit("ABBREV.txt", lambda payload: payload[: payload.rindex(b"^") - 3]),
        r"ABBREV\.txt, line 3: expected a line break after the last record, found 'the end of "
        r"the file inside a record \(a truncated download\?\)'",
    ),
    "last value cut short": (  # every field is there, but the record ends early
        edit("FD_GROUP.txt", lambda payload: payload[:-4]),
        r"FD_GROUP\.txt, line 2: expected a line break after the last record",
    ),
}


@pytest.mark.parametrize(
    ("breakage", "expected"), BROKEN_RELEASE.values(), ids=BROKEN_RELEASE.keys()
)
def test_a_broken_release_is_refused_naming_file_and_line(tiny_sr28, breakage, expected):
    breakage(tiny_sr28)
    with pytest.raises(DataError, match=expected) as raised:
        Release(tiny_sr28)
    assert str(raised.value).startswith(str(tiny_sr28)), "the message names the SR28 file"


@needs_sr28
def test_a_short_row_of_the_real_release_is_an_error_not_blanks(tmp_path):
    copy = tmp_path / "sr28"
    shutil.copytree(SR28, copy)
    edit_line("ABBREV.txt", 6333, lambda line: line.rsplit(b"^", 1)[0])(copy)
    with pytest.raises(DataError) as raised:
        Release(copy)
    assert str(raised.value) == (
        f"{copy / 'ABBREV.txt'}, line 6333: expected 53 fields separated by '^', found 52"
    )
