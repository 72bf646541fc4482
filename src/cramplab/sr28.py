"""Read the USDA SR28 release into the package's table shapes: all of SR28 for the lessons.

The raw release never enters the repository; it is read from a directory the user names.
``read_release`` gives every SR28 food as a CourseData, so the same analysis and planner code
runs on all 8,790 foods. SR28 gives no "typical serving", so the rule is explicit: the serving
is the food's first household measure in WEIGHT.txt (lowest Seq, the one ABBREV.txt repeats as
GmWt_1); a food with no household measure gets 100 g. Rebuilding the package's own food tables
from the release is course tooling: ``python -m cramplab_tools.usda rebuild`` (cramplab_tools.usda).

Format (sr28_doc.pdf): fields separated by ^, text wrapped in ~, Windows-1252 text,
CRLF line ends. An empty numeric field means "not analysed": it stays missing, never 0.
"""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from cramplab import diets
from cramplab.data import (
    CourseData,
    DataError,
    load,
)

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
    418: "Vit_B12_(µg)", 328: "Vit_D_(µg)", 324: "Vit_D_IU", 319: "Retinol_(µg)",
    # the other nutrients with a DRI (dri_nutrients.csv) and the macronutrients behind limits
    203: "Protein_(g)", 204: "Lipid_Tot_(g)", 205: "Carbohydrt_(g)", 291: "Fiber_TD_(g)",
    606: "FA_Sat_(g)", 303: "Iron_(mg)", 305: "Phosphorus_(mg)", 309: "Zinc_(mg)",
    312: "Copper_(mg)", 315: "Manganese_(mg)", 317: "Selenium_(µg)", 401: "Vit_C_(mg)",
    405: "Riboflavin_(mg)", 406: "Niacin_(mg)", 410: "Panto_Acid_(mg)", 431: "Folic_Acid_(µg)",
    435: "Folate_DFE_(µg)", 421: "Choline_Tot_(mg)", 320: "Vit_A_RAE", 323: "Vit_E_(mg)",
    430: "Vit_K_(µg)",
}  # fmt: skip
DERIVED_FOOD_COLUMNS = ["usda_description", "food_group", "serving_g", "serving_desc"]
DEFAULT_SERVING_G = 100.0
RELEASE_FILES = ("ABBREV.txt", "FOOD_DES.txt", "WEIGHT.txt", "FD_GROUP.txt")
RELEASE_COLUMNS = (ABBREV_COLUMNS, FOOD_DES_COLUMNS, WEIGHT_COLUMNS, FD_GROUP_COLUMNS)


# Which columns hold text (in ~) and which hold numbers (bare; empty means "not analysed"),
# and what identifies a record in each file: the same key twice is an error, not a choice.
TEXT_COLUMNS = {
    "ABBREV.txt": {"NDB_No", "Shrt_Desc", "GmWt_Desc1", "GmWt_Desc2"},
    "FOOD_DES.txt": {"NDB_No", "FdGrp_Cd", "Long_Desc", "Shrt_Desc", "ComName", "ManufacName",
                     "Survey", "Ref_desc", "SciName"},
    "WEIGHT.txt": {"NDB_No", "Msre_Desc"},
    "FD_GROUP.txt": {"FdGrp_Cd", "FdGrp_Desc"},
}  # fmt: skip
KEYS = {
    "ABBREV.txt": ["NDB_No"],
    "FOOD_DES.txt": ["NDB_No"],
    "WEIGHT.txt": ["NDB_No", "Seq"],
    "FD_GROUP.txt": ["FdGrp_Cd"],
}
# Possessive quantifiers (*+, ++): a field never needs to give characters back, and not
# backtracking halves the time to check the 8,790 x 53 fields of ABBREV.txt.
_TEXT = r"(?:~[^~^]*+~|[^~^]*+)"
_NUMBER = r"(?:\d++(?:\.\d*+)?|\.\d++)"
_NUMBER_FIELD = rf"(?:{_NUMBER}|~{_NUMBER}~|~~)?+"  # a number may come in ~, as text does


def read_sr28_file(
    path: Path | str, columns: list[str], *, text: set[str] | None = None, key=None
) -> pd.DataFrame:
    """One SR28 file as text columns, exactly as written (empty stays '', the ~ go).

    Every record must have every field: a short or long row, a ~ left open, a non-number in
    a numeric column (those not in ``text``), a repeated ``key``, an undecodable byte or a
    file cut short is a DataError naming the file and its line, never a guess.

    A two-line FD_GROUP.txt in SR28's format (^ between fields, text in ~, CRLF), then the
    same file with a ~ left open:

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "FD_GROUP.txt"
    ...     _ = path.write_bytes(b"~0900~^~Fruits and Fruit Juices~\\r\\n~0200~^~Spices~\\r\\n")
    ...     print(read_sr28_file(path, FD_GROUP_COLUMNS))
    ...     _ = path.write_bytes(b"~0900~^~Fruits\\r\\n")
    ...     try:
    ...         read_sr28_file(path, FD_GROUP_COLUMNS)
    ...     except DataError as error:
    ...         print(f"line {error.line}, {error.column}: expected {error.expected}")
      FdGrp_Cd               FdGrp_Desc
    0     0900  Fruits and Fruit Juices
    1     0200                   Spices
    line 1, FdGrp_Desc: expected text closed by '~'
    """
    return _read_records(Path(path), columns, text, key)[0]


def _read_records(path: Path, columns: list[str], text: set[str] | None, key: list[str] | None):
    if not path.exists():
        raise DataError(path, f"the SR28 file {path.name} (is this an SR28 release directory?)")
    payload = path.read_bytes()
    if not payload.strip():
        raise DataError(path, "SR28 records, one per line", found="an empty file")
    try:
        content = payload.decode("cp1252")
    except UnicodeDecodeError as error:
        raise DataError(
            path,
            "Windows-1252 text, as SR28 is written",
            line=payload[: error.start].count(b"\n") + 1,
            found=payload[error.start : error.start + 1],
        ) from None
    lines = content.split("\n")
    if lines[-1].strip("\r\x1a"):  # SR28 ends every record, the last one too, with CRLF
        raise DataError(
            path,
            "a line break after the last record",
            line=len(lines),
            found="the end of the file inside a record (a truncated download?)",
        )
    text = set(columns) if text is None else text
    record = re.compile(r"\^".join(_TEXT if c in text else _NUMBER_FIELD for c in columns))
    records, numbers = [], []
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        if not line.strip("\x1a"):  # blank lines (ABBREV.txt has one after every record)
            continue
        if record.fullmatch(line) is None:
            _diagnose(path, number, line, columns, text)
        records.append(line.replace("~", "").split("^"))
        numbers.append(number)
    if not records:
        raise DataError(path, "SR28 records, one per line", found="only blank lines")
    table = pd.DataFrame(records, columns=columns, dtype=str)
    if key:
        repeated = table.duplicated(subset=key, keep="first").to_numpy()
        if repeated.any():
            index = int(np.flatnonzero(repeated)[0])
            same = (table[key] == table.loc[index, key]).all(axis=1).to_numpy()
            first = int(np.flatnonzero(same)[0])
            value = ", ".join(table.loc[index, key])
            raise DataError(
                path,
                f"each {', '.join(key)} once",
                line=numbers[index],
                column=key[0],
                found=f"{value} again (first on line {numbers[first]})",
            )
    return table, numbers


def _diagnose(path: Path, number: int, line: str, columns: list[str], text: set[str]):
    """Raise the DataError that says why a line is not a record."""
    fields = line.split("^")
    if len(fields) != len(columns):
        raise DataError(
            path, f"{len(columns)} fields separated by '^'", line=number, found=len(fields)
        )
    for column, field in zip(columns, fields, strict=True):
        shown = field if len(field) <= 60 else field[:57] + "..."
        if field.startswith("~") and (len(field) == 1 or not field.endswith("~")):
            raise DataError(path, "text closed by '~'", line=number, column=column, found=shown)
        if (field.endswith("~") and not field.startswith("~")) or "~" in field[1:-1]:
            raise DataError(
                path, "text in '~' at both ends, none inside", line=number, column=column,
                found=shown,
            )  # fmt: skip
        if column not in text and not re.fullmatch(_NUMBER_FIELD, field):
            raise DataError(
                path,
                "a number (or nothing: not analysed)",
                line=number,
                column=column,
                found=shown,
            )
    raise DataError(path, "an SR28 record", line=number, found=line)  # not reached


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
        self.abbrev, self.food_des, self.weight, self.fd_group = (
            read_sr28_file(self.directory / name, columns, text=TEXT_COLUMNS[name], key=KEYS[name])
            for name, columns in zip(RELEASE_FILES, RELEASE_COLUMNS, strict=True)
        )

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
    """WEIGHT.txt's Amount and Msre_Desc as a reader would say it: '.5', 'cup' -> '1/2 cup'.

    >>> describe_measure(".5", "cup"), describe_measure("1.5", "tbsp")
    ('1/2 cup', '1 1/2 tbsp')
    >>> describe_measure("0.333", "cup")  # not a fraction in eighths: left as written
    '0.333 cup'
    """
    value = Fraction(amount).limit_denominator(8)
    if abs(float(value) - float(amount)) > 1e-9:
        return f"{float(amount):g} {measure}"
    whole, part = divmod(value, 1)
    words = [str(whole)] if whole else []
    if part:
        words.append(f"{part.numerator}/{part.denominator}")
    return f"{' '.join(words) or '0'} {measure}"


def nutrient_columns(nutrients: pd.DataFrame) -> dict[str, str]:
    """nutrient_id -> the ABBREV.txt column holding it, from nutrients.usda_nutr_no.

    >>> from cramplab import load
    >>> columns = nutrient_columns(load().nutrients)
    >>> columns["potassium"], columns["vitamin_d"]
    ('Potassium_(mg)', 'Vit_D_(µg)')
    """
    columns = {}
    for row, nutrient in enumerate(nutrients.itertuples(), start=1):
        number = int(nutrient.usda_nutr_no)
        if number not in ABBREV_COLUMN_FOR:
            raise DataError(
                nutrients.attrs.get("path", "nutrients.csv"),
                "an SR nutrient number found in ABBREV.txt ("
                + ", ".join(str(n) for n in sorted(ABBREV_COLUMN_FOR))
                + ")",
                row=row,
                column="usda_nutr_no",
                found=str(number),
            )
        columns[nutrient.nutrient_id] = ABBREV_COLUMN_FOR[number]
    return columns


def read_release(sr28: Path | str | Release, base: CourseData | None = None) -> CourseData:
    """Every SR28 food in the package's table shapes (food ids are 'ndb_' + NDB number).

    Reference tables (nutrients, intakes, symptoms, claims, factors) come from ``base``,
    the curated package by default, so analysis code sees the same columns either way.

    A release of one food (the banana), written in SR28's format into a temporary folder:

    >>> import tempfile
    >>> values = {"NDB_No": "~09040~", "Shrt_Desc": "~BANANAS,RAW~", "Potassium_(mg)": "358"}
    >>> files = {
    ...     "ABBREV.txt": "^".join(values.get(column, "") for column in ABBREV_COLUMNS),
    ...     "FOOD_DES.txt": "^".join(["~09040~", "~0900~", "~Bananas, raw~"] + [""] * 11),
    ...     "WEIGHT.txt": "~09040~^1^1^~medium~^118^^",
    ...     "FD_GROUP.txt": "~0900~^~Fruits and Fruit Juices~",
    ... }
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name, line in files.items():
    ...         _ = (Path(folder) / name).write_bytes((line + "\\r\\n").encode("cp1252"))
    ...     data = read_release(folder)
    >>> data.foods[["food_id", "name", "serving_g", "serving_desc"]]
         food_id         name  serving_g serving_desc
    0  ndb_09040  BANANAS,RAW      118.0     1 medium
    >>> amounts = data.food_nutrients.set_index("nutrient_id")["amount"]
    >>> amounts[["potassium", "vitamin_d"]].tolist()  # vitamin D not analysed: missing, not 0
    [358.0, nan]
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

    columns = nutrient_columns(base.nutrients)
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
    dri = base.dri_nutrients[base.dri_nutrients["usda_nutr_no"].notna()]
    dri_columns = nutrient_columns(dri)
    dri_wide = pd.DataFrame(
        {nid: pd.to_numeric(abbrev[col].replace("", np.nan)) for nid, col in dri_columns.items()}
    )
    dri_food_nutrients = pd.DataFrame(
        {
            "food_id": np.repeat(foods["food_id"].to_numpy(), len(dri_columns)),
            "nutrient_id": np.tile(np.array(list(dri_columns), dtype=object), len(foods)),
            "amount": dri_wide.to_numpy().ravel(),
        }
    ).astype({"food_id": "str", "nutrient_id": "str"})
    # SR28 has no food-pattern equivalents: no food is in a food group, so the planner applies
    # no food pattern on all of SR28 (and says so).
    food_groups = base.food_groups.iloc[0:0]
    # Diet attributes and portion caps by the documented rules of cramplab.diets.
    tables = diets.release_tables(release, foods, base)
    return replace(
        base,
        foods=foods,
        food_nutrients=food_nutrients,
        dri_food_nutrients=dri_food_nutrients,
        food_groups=food_groups,
        **tables,
    )
