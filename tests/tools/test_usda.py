"""The SR28 reader on a tiny fixture written here, the rebuild on a release written from the
package itself, and both on the real release when it is there."""

import csv
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from repo import CLONE, snapshot

from cramplab.data import DataError, load, number_text
from cramplab.paths import sr28_dir
from cramplab.sr28 import (
    ABBREV_COLUMN_FOR,
    ABBREV_COLUMNS,
    FOOD_DES_COLUMNS,
    Release,
    describe_measure,
    read_release,
)
from cramplab_tools import usda
from cramplab_tools.usda import rebuild, rebuilt_tables

DATA_DIR = CLONE.data

SR28 = sr28_dir()
needs_sr28 = pytest.mark.skipif(
    not (SR28 / "ABBREV.txt").exists(),
    reason=f"the USDA SR28 release is not at {SR28} (set CRAMPLAB_SR28 to its directory)",
)


class Number(str):
    """A number already written as text ('0.00'): sr28_line leaves it bare, as SR28 does."""


def sr28_line(*fields) -> str:
    """One SR28 record: text in ~, numbers bare, fields joined by ^."""
    return "^".join(
        f"~{f}~"
        if isinstance(f, str) and not isinstance(f, Number)
        else ("" if f is None else f"{f}")
        for f in fields
    )


def abbrev_row(ndb, desc, **values):
    row = {column: None for column in ABBREV_COLUMNS}
    row.update({"NDB_No": ndb, "Shrt_Desc": desc, **values})
    return sr28_line(*row.values())


@pytest.fixture
def tiny_sr28(tmp_path):
    """Three foods in SR28's own format (cp1252, CRLF, ^ and ~), one of each awkward case."""
    directory = tmp_path / "sr28"
    directory.mkdir()
    files = {
        "ABBREV.txt": [
            # Banana: the README's example row (selected columns); vitamin D left empty.
            abbrev_row(
                "09040",
                "BANANAS,RAW",
                **{
                    "Water_(g)": "74.91",
                    "Energ_Kcal": "89",
                    "Calcium_(mg)": "5",
                    "Magnesium_(mg)": "27",
                    "Potassium_(mg)": "358",
                    "Sodium_(mg)": "1",
                    "Thiamin_(mg)": "0.031",
                    "Vit_B6_(mg)": "0.367",
                    "Vit_B12_(µg)": "0.00",
                },
            ),
            abbrev_row(
                "02001", "ALLSPICE,GROUND", **{"Energ_Kcal": "263", "Magnesium_(mg)": "135"}
            ),
            abbrev_row("99999", "MYSTERY FOOD", **{"Energ_Kcal": "10"}),
        ],
        "FOOD_DES.txt": [
            sr28_line(
                "09040",
                "0900",
                "Bananas, raw",
                "BANANAS,RAW",
                "",
                "",
                "Y",
                "",
                "36",
                "",
                "6.25",
                "3.47",
                "8.37",
                "3.6",
            ),
            sr28_line(
                "02001",
                "0200",
                "Spices, allspice, ground",
                "ALLSPICE,GROUND",
                "",
                "",
                "Y",
                "",
                "0",
                "",
                "6.25",
                "",
                "",
                "",
            ),
        ],
        "WEIGHT.txt": [
            sr28_line("09040", 1, 1, "cup, mashed", 225, None, None),
            sr28_line("09040", 5, 1, 'medium (7" to 7-7/8" long)', 118, None, None),
            sr28_line("02001", 1, 1, "tsp", 1.9, None, None),
            sr28_line("02001", 2, ".5", "tbsp", 3, None, None),
        ],
        "FD_GROUP.txt": [
            sr28_line("0200", "Spices and Herbs"),
            sr28_line("0900", "Fruits and Fruit Juices"),
        ],
    }
    for name, lines in files.items():
        (directory / name).write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return directory


@pytest.fixture
def tiny_package(tmp_path):
    """A data directory with the real descriptor and nutrients, and two foods."""
    directory = tmp_path / "data"
    directory.mkdir()
    for name in ("datapackage.json", "nutrients.csv", "dri_nutrients.csv"):
        shutil.copy(DATA_DIR / name, directory / name)
    header = (DATA_DIR / "foods.csv").read_text(encoding="utf-8").splitlines()[0]
    (directory / "foods.csv").write_text(
        header + "\nbanana,Banana,09040,,,5,,,true,bananas,false,,fruits_other,,140,,126\n"
        "allspice,Allspice,02001,,,2,,,false,,false,magnesium,spices_herbs,2,0.35,,\n",
        encoding="utf-8",
    )
    return directory


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


def test_rebuilt_tables_copy_sr28_exactly(tiny_sr28, tiny_package):
    texts = rebuilt_tables(Release(tiny_sr28), tiny_package)
    foods = texts["foods.csv"].splitlines()
    assert foods[1] == (
        'banana,Banana,09040,"Bananas, raw",Fruits and Fruit Juices,5,118,'
        '"1 medium (7"" to 7-7/8"" long)",true,bananas,false,,fruits_other,,140,,126'
    )  # curated columns (the reference amount, the label serving) are copied as they are
    assert foods[2].startswith(
        'allspice,Allspice,02001,"Spices, allspice, ground",Spices and Herbs,2,3,1/2 tbsp,'
    )
    amounts = dict(
        (line.rsplit(",", 2)[1], line.rsplit(",", 1)[1])
        for line in texts["food_nutrients.csv"].splitlines()[1:]
        if line.startswith("banana,")
    )
    assert amounts["potassium"] == "358"  # as written in SR28
    assert amounts["vitamin_b12"] == "0.00"  # zero is zero ...
    assert amounts["vitamin_d"] == ""  # ... and empty stays empty
    other = [line.split(",") for line in texts["dri_food_nutrients.csv"].splitlines()[1:]]
    tracked = pd.read_csv(DATA_DIR / "dri_nutrients.csv")["usda_nutr_no"].notna().sum()
    assert len(other) == 2 * tracked  # every food, every DRI nutrient SR28 gives


def test_rebuild_stops_on_an_unknown_food_and_writes_nothing(tiny_sr28, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    before = {p.name: p.read_bytes() for p in copy.iterdir()}
    with pytest.raises(DataError, match=r"foods\.csv, row 1, column 'ndb_no': expected an NDB "):
        rebuild(tiny_sr28, copy)
    assert {p.name: p.read_bytes() for p in copy.iterdir()} == before


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
def test_rebuild_from_sr28_reproduces_the_committed_files(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    rebuild(SR28, copy)
    for name in ("foods.csv", "food_nutrients.csv"):
        assert (copy / name).read_bytes() == (DATA_DIR / name).read_bytes(), (
            f"{name} differs from a rebuild: run `python -m cramplab_tools.usda rebuild`"
        )


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


@needs_sr28
def test_reference_amounts_in_grams_follow_the_conversion_rule():
    """racc_g recomputed from the regulation's amount and the food's SR28 household measure."""
    from cramplab import units

    data = load(DATA_DIR)
    release = Release(SR28)
    weights = release.weight.set_index(["NDB_No", "Seq"])
    categories = data.reference_amounts.set_index("racc_category")
    for food in data.foods.itertuples():
        amount = categories.at[food.racc_category, "amount"]
        unit = categories.at[food.racc_category, "unit"]
        if unit == "g":
            expected = amount
        elif pd.isna(food.racc_weight_seq):
            expected = np.nan  # no volume measure in SR28: the RACC cannot be weighed
            measures = release.weight[release.weight["NDB_No"] == food.ndb_no]
            volumes = [units.measure_volume_ml(float(a), d) for a, d in
                       zip(measures["Amount"], measures["Msre_Desc"], strict=True)]  # fmt: skip
            assert all(v is None for v in volumes), f"{food.food_id} has a volume measure"
        else:
            measure = weights.loc[(food.ndb_no, str(food.racc_weight_seq))]
            volume = units.measure_volume_ml(float(measure["Amount"]), measure["Msre_Desc"])
            grams = units.grams_of_volume(
                units.volume_ml(amount, unit), float(measure["Gm_Wgt"]), volume
            )
            expected = round(grams, 2)
        assert food.racc_g == pytest.approx(expected, abs=1e-9, nan_ok=True), food.food_id


@needs_sr28
def test_label_servings_are_sr28s_nlea_servings():
    data = load(DATA_DIR)
    weight = Release(SR28).weight
    nlea = weight[weight["Msre_Desc"].str.contains("NLEA serving")]
    grams = pd.to_numeric(nlea.drop_duplicates("NDB_No").set_index("NDB_No")["Gm_Wgt"])
    expected = data.foods["ndb_no"].map(grams)
    assert np.allclose(data.foods["label_serving_g"], expected, equal_nan=True)
    assert data.foods.set_index("food_id").at["banana", "label_serving_g"] == 126


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


@needs_sr28
def test_each_nutrient_limit_is_the_highest_sr28_value_rounded_up():
    abbrev = Release(SR28).abbrev
    for nutrient in load().nutrients.itertuples():
        column = abbrev[ABBREV_COLUMN_FOR[nutrient.usda_nutr_no]]
        highest = pd.to_numeric(column.replace("", np.nan)).max()
        assert highest <= nutrient.max_per_100g <= highest * 1.1, nutrient.nutrient_id
        if nutrient.nutrient_id != "water":  # water's limit is physical: 100 g in 100 g
            assert f"{number_text(highest)} {nutrient.unit}" in nutrient.max_basis


# --- the rebuild: checked, staged, installed in one step --------------------------------------


def write_release(directory, data_dir=DATA_DIR, amounts=None):
    """An SR28 release holding exactly the package's foods and amounts (amounts overrides
    {(food_id, nutrient_id): text}), in SR28's own format."""
    directory.mkdir()
    data = load(data_dir)
    with (data_dir / "food_nutrients.csv").open(encoding="utf-8", newline="") as handle:
        written = {(r["food_id"], r["nutrient_id"]): r["amount"] for r in csv.DictReader(handle)}
    written.update(amounts or {})
    groups = {name: f"{n:02d}00" for n, name in enumerate(data.foods["food_group"].unique())}
    columns = {
        r.nutrient_id: ABBREV_COLUMN_FOR[r.usda_nutr_no] for r in data.nutrients.itertuples()
    }
    files = {"ABBREV.txt": [], "FOOD_DES.txt": [], "WEIGHT.txt": []}
    for food in data.foods.itertuples():
        row = dict.fromkeys(ABBREV_COLUMNS)
        row.update(NDB_No=food.ndb_no, Shrt_Desc=food.name.upper())
        for nutrient_id, column in columns.items():
            amount = written[food.food_id, nutrient_id]
            row[column] = Number(amount) if amount else None
        files["ABBREV.txt"].append(sr28_line(*row.values()))
        des = dict.fromkeys(FOOD_DES_COLUMNS, "")
        des.update(
            NDB_No=food.ndb_no, FdGrp_Cd=groups[food.food_group], Long_Desc=food.usda_description
        )
        des.update(Refuse=None, N_Factor=None, Pro_Factor=None, Fat_Factor=None, CHO_Factor=None)
        files["FOOD_DES.txt"].append(sr28_line(*des.values()))
        serving = Number(number_text(food.serving_g))
        measure = [food.ndb_no, food.weight_seq, 1, "serving", serving, None, None]
        files["WEIGHT.txt"].append(sr28_line(*measure))
    files["FD_GROUP.txt"] = [sr28_line(code, name) for name, code in groups.items()]
    for name, lines in files.items():
        (directory / name).write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return directory


@pytest.fixture
def package_copy(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def amount_row(food_id, nutrient_id):
    lines = (DATA_DIR / "food_nutrients.csv").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines) if line.startswith(f"{food_id},{nutrient_id},"))


def test_a_release_of_the_package_rebuilds_the_same_amounts(tmp_path, package_copy):
    rebuild(write_release(tmp_path / "sr28"), package_copy)
    rebuilt = (package_copy / "food_nutrients.csv").read_bytes()
    assert rebuilt == (DATA_DIR / "food_nutrients.csv").read_bytes()
    assert not list(package_copy.glob(".*")), "no staging folder is left"


def test_a_tenfold_change_stops_the_rebuild_unless_forced(tmp_path, package_copy):
    release = write_release(tmp_path / "sr28", amounts={("spinach_raw", "potassium"): "11160"})
    before = snapshot(package_copy)
    with pytest.raises(DataError) as raised:
        rebuild(release, package_copy)
    assert str(raised.value) == (
        f"{package_copy / 'food_nutrients.csv'}, row {amount_row('spinach_raw', 'potassium')}, "
        "column 'amount': expected potassium of spinach_raw to change less than 10-fold from "
        "558 mg, found '11160 mg in SR28'. Nothing was replaced: check the SR28 release, or "
        "rebuild with --force to accept"
    )
    assert snapshot(package_copy) == before
    rebuild(release, package_copy, force=True)
    amounts = load(package_copy).food_nutrients.set_index(["food_id", "nutrient_id"])["amount"]
    assert amounts["spinach_raw", "potassium"] == 11160


def test_a_measured_value_gone_blank_stops_the_rebuild(tmp_path, package_copy):
    changes = {("spinach_raw", "calcium"): "", ("kale_raw", "sodium"): "4000"}
    release = write_release(tmp_path / "sr28", amounts=changes)
    before = snapshot(package_copy)
    with pytest.raises(DataError) as raised:
        rebuild(release, package_copy)
    assert str(raised.value).startswith(
        f"{package_copy / 'food_nutrients.csv'}, row {amount_row('spinach_raw', 'calcium')}, "
        "column 'amount': expected the measured calcium of spinach_raw (99 mg) to stay "
        "measured, found 'no value in SR28'. 1 more change(s) like it. Nothing was replaced"
    )
    assert snapshot(package_copy) == before


def test_a_rebuild_that_breaks_the_package_names_the_data_file_not_its_staged_copy(
    tmp_path, package_copy
):
    release = write_release(tmp_path / "sr28", amounts={("spinach_raw", "potassium"): "20000"})
    before = snapshot(package_copy)
    with pytest.raises(DataError) as raised:
        rebuild(release, package_copy, force=True)
    assert str(raised.value).startswith(
        f"{package_copy / 'food_nutrients.csv'}, row {amount_row('spinach_raw', 'potassium')}, "
        "column 'amount': expected at most 17000 mg of potassium per 100 g of food"
    )
    assert snapshot(package_copy) == before, "nothing replaced, no staging folder left"


KILLED_REBUILD = """
import os, signal, sys
from pathlib import Path
from cramplab_tools import usda

release, data = Path(sys.argv[1]), Path(sys.argv[2])
replace = os.replace

def replace_then_die(source, target):
    replace(source, target)
    if Path(target).parent == data:  # the first data file is in place: kill -9
        os.kill(os.getpid(), signal.SIGKILL)

os.replace = replace_then_die
usda.rebuild(release, data)
"""


def test_a_rebuild_killed_between_the_two_files_is_refused_by_load_and_finished_by_recover(
    tmp_path, package_copy, capsys
):
    release = write_release(tmp_path / "sr28", amounts={("spinach_raw", "magnesium"): "80"})
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_REBUILD, str(release), str(package_copy)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert killed.returncode == -9, killed.stderr
    changed = [
        name
        for name in ("foods.csv", "food_nutrients.csv")
        if (package_copy / name).read_bytes() != (DATA_DIR / name).read_bytes()
    ]
    assert len(changed) == 1, "the kill fell between the two files"
    (staging,) = package_copy.glob(".staging-*")
    before = snapshot(package_copy)
    with pytest.raises(DataError) as refused:  # a student's load reads, never repairs
        load(package_copy)
    assert str(refused.value) == (
        f"{staging}: expected no SR28 rebuild left half-installed in the data folder, found a "
        "rebuild's staging folder. Run `python -m cramplab_tools.usda recover --data "
        f"{package_copy}` to finish it"
    )
    assert snapshot(package_copy) == before, "load wrote nothing"
    assert usda.main(["recover", "--data", str(package_copy)]) == 0
    assert capsys.readouterr().out == f"recovered {staging}\n"
    assert not staging.exists()
    data = load(package_copy)
    assert (
        data.food_nutrients.set_index(["food_id", "nutrient_id"])["amount"][
            "spinach_raw", "magnesium"
        ]
        == 80
    )
    assert data.foods.at[0, "serving_desc"] == "1 serving", "foods.csv is the rebuilt one too"
    assert usda.main(["recover", "--data", str(package_copy)]) == 0
    assert "nothing to recover" in capsys.readouterr().out


def test_load_looks_for_the_staging_folders_the_atomic_install_leaves():
    from cramplab import data
    from cramplab_tools import atomic

    assert data.REBUILD_STAGING_PREFIX == atomic.STAGING_PREFIX
