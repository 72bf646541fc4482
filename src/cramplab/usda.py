"""Read the USDA SR28 release and rebuild the package's food figures from it.

The raw release never enters the repository. This module reads it from a directory the user
names and turns it into the package's own table shapes, two ways:

* ``rebuild``: for the foods listed in data/foods.csv, rewrite food_nutrients.csv and the
  columns of foods.csv that come from SR28 (description, group, serving). Curated columns
  stay as they are. Run ``python -m cramplab.usda rebuild --sr28 DIR``.
* ``read_release``: every SR28 food as a CourseData, so the same analysis and planner code
  runs on all 8,790 foods. SR28 gives no "typical serving", so the rule is explicit:
  the serving is the food's first household measure in WEIGHT.txt (lowest Seq, the one
  ABBREV.txt repeats as GmWt_1); a food with no household measure gets 100 g.

Format (sr28_doc.pdf): fields separated by ^, text wrapped in ~, Windows-1252 text,
CRLF line ends. An empty numeric field means "not analysed": it stays missing, never 0.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from cramplab.data import CourseData, DataError, load, read_datapackage
from cramplab.paths import CloneRequired, find_clone, sr28_dir

ABBREV_COLUMNS = [
    "NDB_No", "Shrt_Desc", "Water_(g)", "Energ_Kcal", "Protein_(g)", "Lipid_Tot_(g)", "Ash_(g)",
    "Carbohydrt_(g)", "Fiber_TD_(g)", "Sugar_Tot_(g)", "Calcium_(mg)", "Iron_(mg)",
    "Magnesium_(mg)", "Phosphorus_(mg)", "Potassium_(mg)", "Sodium_(mg)", "Zinc_(mg)",
    "Copper_(mg)", "Manganese_(mg)", "Selenium_(µg)", "Vit_C_(mg)", "Thiamin_(mg)",
    "Riboflavin_(mg)", "Niacin_(mg)", "Panto_Acid_(mg)", "Vit_B6_(mg)", "Folate_Tot_(µg)",
    "Folic_Acid_(µg)", "Food_Folate_(µg)", "Folate_DFE_(µg)", "Choline_Tot_(mg)",
    "Vit_B12_(µg)", "Vit_A_IU", "Vit_A_RAE", "Retinol_(µg)", "Alpha_Carot_(µg)",
    "Beta_Carot_(µg)", "Beta_Crypt_(µg)", "Lycopene_(µg)", "Lut+Zea_(µg)", "Vit_E_(mg)",
    "Vit_D_(µg)", "Vit_D_IU", "Vit_K_(µg)", "FA_Sat_(g)", "FA_Mono_(g)", "FA_Poly_(g)",
    "Cholestrl_(mg)", "GmWt_1", "GmWt_Desc1", "GmWt_2", "GmWt_Desc2", "Refuse_Pct",
]  # fmt: skip
FOOD_DES_COLUMNS = [
    "NDB_No", "FdGrp_Cd", "Long_Desc", "Shrt_Desc", "ComName", "ManufacName", "Survey",
    "Ref_desc", "Refuse", "SciName", "N_Factor", "Pro_Factor", "Fat_Factor", "CHO_Factor",
]  # fmt: skip
WEIGHT_COLUMNS = ["NDB_No", "Seq", "Amount", "Msre_Desc", "Gm_Wgt", "Num_Data_Pts", "Std_Dev"]
FD_GROUP_COLUMNS = ["FdGrp_Cd", "FdGrp_Desc"]

# SR nutrient number -> ABBREV.txt column (the README of the release lists both).
ABBREV_COLUMN_FOR = {
    208: "Energ_Kcal", 255: "Water_(g)", 301: "Calcium_(mg)", 304: "Magnesium_(mg)",
    306: "Potassium_(mg)", 307: "Sodium_(mg)", 404: "Thiamin_(mg)", 415: "Vit_B6_(mg)",
    418: "Vit_B12_(µg)", 328: "Vit_D_(µg)", 324: "Vit_D_IU",
}  # fmt: skip
DERIVED_FOOD_COLUMNS = ["usda_description", "food_group", "serving_g", "serving_desc"]
DEFAULT_SERVING_G = 100.0
RELEASE_FILES = ("ABBREV.txt", "FOOD_DES.txt", "WEIGHT.txt", "FD_GROUP.txt")


def read_sr28_file(path: Path | str, columns: list[str]) -> pd.DataFrame:
    """One SR28 file as text columns, exactly as written (empty stays '')."""
    path = Path(path)
    if not path.exists():
        raise DataError(path, f"the SR28 file {path.name} (is this an SR28 release directory?)")
    table = pd.read_csv(
        path,
        sep="^",
        quotechar="~",
        header=None,
        names=columns,
        dtype=str,
        keep_default_na=False,
        encoding="cp1252",
        skip_blank_lines=True,
    )
    return table


class Release:
    """The four SR28 files the project uses, read once."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        missing = [name for name in RELEASE_FILES if not (self.directory / name).exists()]
        if missing:
            raise DataError(
                self.directory / missing[0],
                "an SR28 release directory holding " + ", ".join(RELEASE_FILES),
            )
        self.abbrev = read_sr28_file(self.directory / "ABBREV.txt", ABBREV_COLUMNS)
        self.food_des = read_sr28_file(self.directory / "FOOD_DES.txt", FOOD_DES_COLUMNS)
        self.weight = read_sr28_file(self.directory / "WEIGHT.txt", WEIGHT_COLUMNS)
        self.fd_group = read_sr28_file(self.directory / "FD_GROUP.txt", FD_GROUP_COLUMNS)

    def descriptions(self) -> pd.DataFrame:
        """NDB_No -> long description and food-group name, for every ABBREV food.

        A food missing from FOOD_DES.txt keeps its ABBREV short description and no group.
        """
        groups = self.fd_group.set_index("FdGrp_Cd")["FdGrp_Desc"]
        described = self.food_des.set_index("NDB_No")
        table = pd.DataFrame({"NDB_No": self.abbrev["NDB_No"]}).set_index("NDB_No")
        table["usda_description"] = described["Long_Desc"].reindex(table.index)
        table["usda_description"] = table["usda_description"].fillna(
            self.abbrev.set_index("NDB_No")["Shrt_Desc"]
        )
        table["food_group"] = described["FdGrp_Cd"].reindex(table.index).map(groups)
        return table


def describe_measure(amount: str, measure: str) -> str:
    """WEIGHT.txt's Amount and Msre_Desc as a reader would say it: '.5', 'cup' -> '1/2 cup'."""
    value = Fraction(amount).limit_denominator(8)
    if abs(float(value) - float(amount)) > 1e-9:
        return f"{float(amount):g} {measure}"
    whole, part = divmod(value, 1)
    words = [str(whole)] if whole else []
    if part:
        words.append(f"{part.numerator}/{part.denominator}")
    return f"{' '.join(words) or '0'} {measure}"


def _nutrient_columns(nutrients: pd.DataFrame) -> dict[str, str]:
    return {
        row.nutrient_id: ABBREV_COLUMN_FOR[int(row.usda_nutr_no)] for row in nutrients.itertuples()
    }


def rebuilt_tables(release: Release, data_dir: Path | str) -> dict[str, str]:
    """The text of foods.csv and food_nutrients.csv as rebuilt from SR28."""
    data_dir = Path(data_dir)
    package = read_datapackage(data_dir)
    schema = {r["name"]: r for r in package["resources"]}
    foods_path = data_dir / schema["foods"]["path"]
    with foods_path.open(encoding="utf-8", newline="") as handle:
        foods = list(csv.DictReader(handle))
    header = [f["name"] for f in schema["foods"]["schema"]["fields"]]
    nutrients = pd.read_csv(data_dir / schema["nutrients"]["path"], dtype=str)
    columns = _nutrient_columns(nutrients)

    described = release.descriptions()
    abbrev = release.abbrev.set_index("NDB_No")
    weights = release.weight.set_index(["NDB_No", "Seq"])
    long_rows = []
    for number, food in enumerate(foods, start=1):
        ndb = food["ndb_no"]
        if ndb not in abbrev.index:
            raise DataError(
                foods_path,
                "an NDB number present in SR28 ABBREV.txt",
                row=number,
                column="ndb_no",
                found=ndb,
            )
        key = (ndb, food["weight_seq"])
        if key not in weights.index:
            raise DataError(
                foods_path,
                f"a Seq that WEIGHT.txt lists for NDB {ndb}",
                row=number,
                column="weight_seq",
                found=food["weight_seq"],
            )
        measure = weights.loc[key]
        food["usda_description"] = described.at[ndb, "usda_description"]
        food["food_group"] = described.at[ndb, "food_group"]
        food["serving_g"] = measure["Gm_Wgt"]
        food["serving_desc"] = describe_measure(measure["Amount"], measure["Msre_Desc"])
        for nutrient_id, column in columns.items():
            long_rows.append([food["food_id"], nutrient_id, abbrev.at[ndb, column]])
    return {
        schema["foods"]["path"]: _csv_text([header] + [[f[c] for c in header] for f in foods]),
        schema["food_nutrients"]["path"]: _csv_text(
            [["food_id", "nutrient_id", "amount"], *long_rows]
        ),
    }


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def rebuild(sr28: Path | str, data_dir: Path | str | None = None) -> list[Path]:
    """Rewrite the SR28-derived files in data_dir (default: data/ of the clone you are in);
    validate before anything is replaced."""
    data_dir = find_clone(command="rebuild").data if data_dir is None else Path(data_dir)
    texts = rebuilt_tables(Release(sr28), data_dir)
    with tempfile.TemporaryDirectory(prefix="cramplab-rebuild-") as staging:
        staging = Path(staging)
        for item in os.listdir(data_dir):
            if item.endswith((".csv", ".json")):
                (staging / item).write_bytes((data_dir / item).read_bytes())
        for name, text in texts.items():
            (staging / name).write_text(text, encoding="utf-8", newline="")
        load(staging)  # a rebuild that breaks the package replaces nothing
        written = []
        for name, text in texts.items():
            target = data_dir / name
            temporary = target.with_name(f".{target.name}.tmp")
            temporary.write_text(text, encoding="utf-8", newline="")
            os.replace(temporary, target)
            written.append(target)
    return written


def read_release(sr28: Path | str | Release, base: CourseData | None = None) -> CourseData:
    """Every SR28 food in the package's table shapes (food ids are 'ndb_' + NDB number).

    Reference tables (nutrients, intakes, symptoms, claims, factors) come from ``base``,
    the curated package by default, so analysis code sees the same columns either way.
    """
    release = sr28 if isinstance(sr28, Release) else Release(sr28)
    base = base if base is not None else load()
    abbrev = release.abbrev
    described = release.descriptions()

    # Serving rule: the lowest-Seq household measure, else 100 g.
    weight = release.weight.assign(seq=pd.to_numeric(release.weight["Seq"]))
    first = weight.sort_values(["NDB_No", "seq"]).drop_duplicates("NDB_No").set_index("NDB_No")
    ndb = abbrev["NDB_No"]
    nlea = weight[weight["Msre_Desc"].str.contains("NLEA serving")].drop_duplicates("NDB_No")
    nlea = nlea.set_index("NDB_No")
    serving_g = pd.to_numeric(first["Gm_Wgt"].reindex(ndb)).to_numpy()
    has_measure = ~np.isnan(serving_g)
    serving_desc = np.where(
        has_measure,
        first["Amount"].reindex(ndb).fillna("") + " " + first["Msre_Desc"].reindex(ndb).fillna(""),
        "100 g (SR28 lists no household measure)",
    )
    foods = pd.DataFrame(
        {
            "food_id": ("ndb_" + ndb).to_numpy(),
            "name": abbrev["Shrt_Desc"].to_numpy(),
            "ndb_no": ndb.to_numpy(),
            "usda_description": described["usda_description"].to_numpy(),
            "food_group": described["food_group"].to_numpy(),
            "weight_seq": pd.array(first["seq"].reindex(ndb).to_numpy(), dtype="Int64"),
            "serving_g": np.where(has_measure, serving_g, DEFAULT_SERVING_G),
            "serving_desc": serving_desc,
            "guide_named": False,
            "guide_term": np.nan,
            "fortified": abbrev["Shrt_Desc"].str.contains(r"\bFORT|\bENR", regex=True).to_numpy(),
            "leader_for": np.nan,
            # SR28 has no reference amounts (foods.csv curates them); its NLEA servings it has.
            "racc_category": np.nan,
            "racc_weight_seq": pd.array([pd.NA] * len(ndb), dtype="Int64"),
            "racc_g": np.nan,
            "racc_note": np.nan,
            "label_serving_g": pd.to_numeric(nlea["Gm_Wgt"].reindex(ndb)).to_numpy(),
        }
    )
    for column in (
        "food_id",
        "name",
        "ndb_no",
        "usda_description",
        "food_group",
        "serving_desc",
        "guide_term",
        "leader_for",
        "racc_category",
        "racc_note",
    ):
        foods[column] = foods[column].astype("str")

    columns = _nutrient_columns(base.nutrients)
    wide = pd.DataFrame(
        {nid: pd.to_numeric(abbrev[col].replace("", np.nan)) for nid, col in columns.items()}
    )
    food_nutrients = pd.DataFrame(
        {
            "food_id": np.repeat(foods["food_id"].to_numpy(), len(columns)),
            "nutrient_id": np.tile(np.array(list(columns)), len(foods)),
            "amount": wide.to_numpy().ravel(),
        }
    )
    food_nutrients["food_id"] = food_nutrients["food_id"].astype("str")
    food_nutrients["nutrient_id"] = food_nutrients["nutrient_id"].astype("str")
    return replace(base, foods=foods, food_nutrients=food_nutrients)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cramplab.usda", description="Rebuild the food tables from USDA SR28."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    rebuild_parser = commands.add_parser(
        "rebuild", help="rewrite food_nutrients.csv and foods.csv's SR28 columns"
    )
    rebuild_parser.add_argument(
        "--sr28",
        type=Path,
        default=sr28_dir(),
        help="SR28 release directory (default: %(default)s)",
    )
    rebuild_parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="data package directory (default: data/ of this clone)",
    )
    args = parser.parse_args(argv)
    try:
        written = rebuild(args.sr28, args.data)
    except (DataError, CloneRequired) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
