"""The SR28 rebuild (cramplab_tools.usda): on the tiny release of tests/sr28_release.py, on a
release written from the package itself, and on the real release when it is there. The reader
it uses is tested in tests/test_sr28.py."""

import csv
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from repo import CLONE, snapshot
from sr28_release import SR28, Number, needs_sr28, sr28_line

from cramplab.data import DataError, load, number_text
from cramplab.sr28 import (
    ABBREV_COLUMN_FOR,
    ABBREV_COLUMNS,
    FOOD_DES_COLUMNS,
    Release,
)
from cramplab_tools import usda
from cramplab_tools.usda import rebuild, rebuilt_tables

DATA_DIR = CLONE.data


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
