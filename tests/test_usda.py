"""The SR28 reader on a tiny fixture written here, and the rebuild on the real release."""

import shutil

import numpy as np
import pandas as pd
import pytest
from repo import CLONE

from cramplab.data import DataError, load
from cramplab.paths import sr28_dir
from cramplab.usda import (
    ABBREV_COLUMNS,
    Release,
    describe_measure,
    read_release,
    rebuild,
    rebuilt_tables,
)

DATA_DIR = CLONE.data

SR28 = sr28_dir()
needs_sr28 = pytest.mark.skipif(
    not (SR28 / "ABBREV.txt").exists(),
    reason=f"the USDA SR28 release is not at {SR28} (set CRAMPLAB_SR28 to its directory)",
)


def sr28_line(*fields) -> str:
    """One SR28 record: text in ~, numbers bare, fields joined by ^."""
    return "^".join(
        f"~{f}~" if isinstance(f, str) else ("" if f is None else f"{f}") for f in fields
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
    for name in ("datapackage.json", "nutrients.csv"):
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
            f"{name} differs from a rebuild: run `python -m cramplab.usda rebuild`"
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
    met = menu.totals["total"] >= menu.totals["target"] - 1e-9
    assert met.all(), menu.totals
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
