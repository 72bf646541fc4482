"""Load and validate the curated data package in data/.

The rules come from data/datapackage.json (the same file frictionless validates), so the
schema is written once. Validation here is plain pandas, fast enough to run on every load,
and every problem is reported as one DataError naming file, row, column and expectation.

Row numbers count data rows from 1 (the header is not a row), so row 7 is line 8 of the file.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, fields
from pathlib import Path, PurePosixPath, PureWindowsPath

import numpy as np
import pandas as pd

from cramplab import atomic, paths

LIST_SEPARATOR = ";"  # guide_claims.nutrients, guide_claims.foods, foods.leader_for
# The life stage of the planner's tables that stands for the FDA Daily Values (adults).
DAILY_VALUES_STAGE = "daily_values"


class DataError(ValueError):
    """A problem in the data package, located as precisely as possible.

    file, then where in it: a data row (CSV) or a line (SR28 text), a column or field, or for
    datapackage.json the place in the descriptor (``location``, such as "resource 'foods'").
    """

    def __init__(
        self, file, expected, *, row=None, line=None, column=None, location=None, found=None,
        hint=None,
    ):  # fmt: skip
        self.file, self.row, self.line, self.column = str(file), row, line, column
        self.location, self.expected, self.found, self.hint = location, expected, found, hint
        where = [self.file]
        if location is not None:
            where.append(location)
        if row is not None:
            where.append(f"row {row}")
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column '{column}'")
        message = f"{', '.join(where)}: expected {expected}"
        if found is not None:
            message += f", found {found!r}"
        if hint is not None:
            message += f". {hint}"
        super().__init__(message)

    def moved_to(self, file) -> DataError:
        """The same error about another path (a staged copy's error, told about the original)."""
        return DataError(
            file, self.expected, row=self.row, line=self.line, column=self.column,
            location=self.location, found=self.found, hint=self.hint,
        )  # fmt: skip


@dataclass(frozen=True)
class CourseData:
    """The course's tables, typed. Attribute names are the resource names in datapackage.json."""

    nutrients: pd.DataFrame
    intake_references: pd.DataFrame
    foods: pd.DataFrame
    food_nutrients: pd.DataFrame
    reference_amounts: pd.DataFrame
    calcium_absorption: pd.DataFrame
    symptoms: pd.DataFrame
    nutrient_symptoms: pd.DataFrame
    guide_claims: pd.DataFrame
    claim_parts: pd.DataFrame
    claim_studies: pd.DataFrame
    claim_grades: pd.DataFrame
    evidence_searches: pd.DataFrame
    cramp_factors: pd.DataFrame
    supplement_cautions: pd.DataFrame
    # The planner's tables (notebook 07): what a food is, how much of it a day holds, and the
    # limits of a life stage beyond the intake references.
    food_attributes: pd.DataFrame
    portion_categories: pd.DataFrame
    portion_caps: pd.DataFrame
    energy_bands: pd.DataFrame
    fish_advice: pd.DataFrame
    upper_limits: pd.DataFrame
    population_intakes: pd.DataFrame

    @classmethod
    def table_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def read_datapackage(data_dir: Path | str | None = None) -> dict:
    """The descriptor, checked for every part the loader relies on (check_descriptor)."""
    path = paths.data_dir(data_dir) / "datapackage.json"
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(path, "the data package descriptor (datapackage.json)") from None
    except UnicodeDecodeError as error:
        found = error.object[error.start : error.start + 1]
        raise DataError(path, "UTF-8 text", found=found) from None
    except json.JSONDecodeError as error:
        raise DataError(path, f"valid JSON ({error.msg} at line {error.lineno})") from None
    check_descriptor(package, path)
    return package


# The Table Schema types and constraints the loader enforces. Anything else would be ignored
# silently (a mistyped "numbr" would read a numeric column as text), so it is an error.
FIELD_TYPES = ("string", "number", "integer", "boolean")
CONSTRAINTS = {
    "required": (bool, "true or false"),
    "unique": (bool, "true or false"),
    "minimum": ((int, float), "a number"),
    "maximum": ((int, float), "a number"),
    "enum": (list, "a list of allowed values"),
    "pattern": (str, "a regular expression"),
}


def _kind(value) -> str:
    """How a JSON value reads in a message: 'a list', 'text', 'nothing' ..."""
    if value is None:
        return "nothing"
    kinds = {bool: "true/false", dict: "an object", list: "a list", str: "text"}
    return kinds.get(type(value), "a number")


def check_descriptor(package, path: Path) -> None:
    """Raise one DataError naming the first part of datapackage.json the loader cannot use."""

    def fail(expected, location=None, found=None):
        raise DataError(path, expected, location=location, found=found)

    if not isinstance(package, dict):
        fail("a JSON object describing the package", found=_kind(package))
    resources = package.get("resources")
    if not isinstance(resources, list) or not resources:
        fail('a list of tables under "resources"', found=_kind(resources))
    fields_of: dict[str, list[str]] = {}
    for index, resource in enumerate(resources):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            fail('an object with a "name" for each table', f"resources[{index}]", _kind(resource))
        name = resource["name"]
        where = f"resource '{name}'"
        if name in fields_of:
            fail("each resource name once", where, "a second resource of that name")
        _check_resource_path(path, resource.get("path"), where)
        schema = resource.get("schema")
        if not isinstance(schema, dict):
            fail('a "schema" object', where, _kind(schema))
        fields = schema.get("fields")
        if not isinstance(fields, list) or not fields:
            fail('a list of "fields" in its schema', where, _kind(fields))
        fields_of[name] = []
        for number, field in enumerate(fields):
            fields_of[name].append(_check_field(field, f"{where}, fields[{number}]", fail))
        key = schema.get("primaryKey", [])
        if not isinstance(key, list) or not set(key) <= set(fields_of[name]):
            fail('a "primaryKey" listing fields of its schema', where, key)
    for resource in resources:
        foreign_keys = resource["schema"].get("foreignKeys", [])
        if not isinstance(foreign_keys, list):
            fail('a list of "foreignKeys"', f"resource '{resource['name']}'", _kind(foreign_keys))
        for key in foreign_keys:
            _check_foreign_key(key, resource["name"], fields_of, fail)


def _check_resource_path(descriptor: Path, value, where: str) -> None:
    data_dir = descriptor.parent
    inside = f"a relative path to a CSV file inside {data_dir.name}/"
    if not isinstance(value, str) or not value.strip():
        raise DataError(descriptor, f'a "path": {inside}', location=where, found=_kind(value))
    relative, windows = PurePosixPath(value), PureWindowsPath(value)
    leaves = relative.is_absolute() or windows.is_absolute() or windows.drive
    if leaves or ".." in relative.parts or "\\" in value or "://" in value:
        raise DataError(descriptor, f'a "path": {inside}', location=where, found=value)
    full = data_dir / relative
    if full.is_dir():
        raise DataError(
            descriptor, f'a "path": {inside}', location=where, found=f"{value} (a folder)"
        )
    if not full.resolve().is_relative_to(data_dir.resolve()):  # a symbolic link out of data/
        raise DataError(descriptor, f'a "path": {inside}', location=where, found=value)


def _check_field(field, where: str, fail) -> str:
    if not isinstance(field, dict) or not isinstance(field.get("name"), str):
        fail('a field object with a "name"', where, _kind(field))
    where = where.rsplit(", ", 1)[0] + f", field '{field['name']}'"
    kind = field.get("type", "string")  # Table Schema: no type means string
    if kind not in FIELD_TYPES:
        fail("a field type the loader reads (" + ", ".join(FIELD_TYPES) + ")", where, kind)
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict):
        fail('an object of "constraints"', where, _kind(constraints))
    for name, value in constraints.items():
        if name not in CONSTRAINTS:
            fail("a constraint the loader checks (" + ", ".join(CONSTRAINTS) + ")", where, name)
        types, wanted = CONSTRAINTS[name]
        flag = isinstance(value, bool)  # JSON true is a bool, and Python's bool is an int
        if not isinstance(value, types) or (flag and types is not bool):
            fail(f'{wanted} for the constraint "{name}"', where, value)
        if isinstance(value, float) and not math.isfinite(value):  # JSON allows NaN, Infinity
            fail(f'a finite number for the constraint "{name}"', where, value)
    if "pattern" in constraints:
        try:
            re.compile(constraints["pattern"])
        except re.error as error:
            fail(f"a valid regular expression ({error})", where, constraints["pattern"])
    return field["name"]


def _check_foreign_key(key, name: str, fields_of: dict, fail) -> None:
    where = f"resource '{name}', foreign key"
    if not isinstance(key, dict) or not isinstance(key.get("reference"), dict):
        fail('an object with "fields" and a "reference"', where, _kind(key))
    columns, reference = key.get("fields"), key["reference"]
    if not (isinstance(columns, list) and len(columns) == 1 and columns[0] in fields_of[name]):
        fail("one field of this resource (a list of one name)", where, columns)
    where += f" on {columns[0]}"
    target = reference.get("resource")
    if target not in fields_of:
        fail("a resource named in datapackage.json", where, target)
    target_columns = reference.get("fields")
    if not (isinstance(target_columns, list) and len(target_columns) == 1
            and target_columns[0] in fields_of[target]):  # fmt: skip
        fail(f"one field of resource '{target}' (a list of one name)", where, target_columns)


def load(data_dir: Path | str | None = None) -> CourseData:
    """Read every table of the package, check it against its schema, return typed tables.

    data_dir: a folder holding datapackage.json and its CSVs; by default $CRAMPLAB_DATA if set,
    else the data that ships with the package.
    """
    data_dir = paths.data_dir(data_dir)
    _finish_interrupted_rebuild(data_dir)
    package = read_datapackage(data_dir)
    resources = {r["name"]: r for r in package["resources"]}
    tables = {}
    for name in CourseData.table_names():
        if name not in resources:
            raise DataError(data_dir / "datapackage.json", f"a resource named '{name}'")
        resource = resources[name]
        tables[name] = read_table(data_dir / resource["path"], resource["schema"], maxima=False)
    for name in CourseData.table_names():
        _check_foreign_keys(data_dir, resources[name], tables, resources)
    _check_cross_table_rules(data_dir, resources, tables)
    for name in CourseData.table_names():
        _check_maxima(data_dir / resources[name]["path"], resources[name]["schema"], tables[name])
    return CourseData(**tables)


def _finish_interrupted_rebuild(data_dir: Path) -> None:
    """An SR28 rebuild killed while it replaced foods.csv and food_nutrients.csv leaves its
    staging folder in data/: finish installing it (or drop it if it was not committed) so
    the two tables are never read out of step."""
    leftovers = sorted(data_dir.glob(f"{atomic.STAGING_PREFIX}*"))
    if not leftovers:
        return
    try:
        atomic.recover(data_dir)
    except OSError as error:
        raise DataError(
            leftovers[0],
            "to finish the SR28 rebuild that was interrupted here",
            found=f"{type(error).__name__}: {error}",
            hint="Run `python -m cramplab.usda rebuild` again",
        ) from None


def read_table(path: Path, schema: dict, *, maxima: bool = True) -> pd.DataFrame:
    """Read one CSV and enforce its Table Schema: header, types, constraints, primary key.

    maxima=False leaves the "maximum" constraints to the caller (load checks them last, after
    the per-nutrient limits, whose message says more).
    """
    rows = read_rows(path)
    header, body = rows[0], rows[1:]
    check_header(path, header, [f["name"] for f in schema["fields"]])
    if not body:
        raise DataError(path, "a header row and data rows", found="a header and no data rows")
    for number, row in enumerate(body, start=1):
        if len(row) != len(header):
            raise DataError(
                path, f"{len(header)} comma-separated fields", row=number, found=len(row)
            )
    raw = pd.DataFrame(body, columns=header, dtype=object)
    table = pd.DataFrame(index=raw.index)
    for field in schema["fields"]:
        table[field["name"]] = _typed_column(path, field, raw[field["name"]])
    _check_primary_key(path, schema, table)
    if maxima:
        _check_maxima(path, schema, table)
    table.attrs["path"] = str(path)
    return table


def _check_maxima(path: Path, schema: dict, table: pd.DataFrame) -> None:
    for field in schema["fields"]:
        if "maximum" in field.get("constraints", {}):
            maximum = field["constraints"]["maximum"]
            high = table[field["name"]] > maximum
            if high.any():
                row = _first_row(high.fillna(False))
                raise DataError(
                    path,
                    f"a number no more than {maximum:g}",
                    row=row,
                    column=field["name"],
                    found=number_text(table[field["name"]].iloc[row - 1]),
                )


def read_rows(path: Path) -> list[list[str]]:
    """A CSV file's non-empty rows, header first, as text."""
    try:
        payload = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, "the file to exist") from None
    except IsADirectoryError:
        raise DataError(path, "a CSV file", found="a folder") from None
    if not payload.strip():
        raise DataError(path, "a header row and data rows", found="an empty file")
    try:
        # utf-8-sig: a byte-order mark, as spreadsheet programs write it, is harmless.
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = payload[: error.start].count(b"\n") + 1
        raise DataError(
            path,
            "UTF-8 text",
            row=line - 1 if line > 1 else None,
            found=payload[error.start : error.start + 1],
        ) from None
    rows = _csv_rows(path, text)
    if len(rows[0]) == 1:
        for delimiter, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if delimiter in rows[0][0]:
                raise DataError(
                    path, "comma-separated values", row=None, found=f"a header split by {label}"
                )
    return rows


def _csv_rows(path: Path, text: str) -> list[list[str]]:
    # The csv module refuses fields over 131072 characters by default; no field can be longer
    # than its file, so that is the limit while this file is read (then the old one is back).
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text)))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return [row for row in reader if row]
    except csv.Error as error:  # a NUL byte, say
        row = reader.line_num - 1
        raise DataError(path, "CSV text", row=row or None, found=str(error)) from None
    finally:
        csv.field_size_limit(limit)


def check_header(path: Path, header: list[str], expected: list[str]) -> None:
    """Every column of the schema, no other, each once."""
    missing = [name for name in expected if name not in header]
    if missing:
        raise DataError(path, f"a column named '{missing[0]}' in the header", column=missing[0])
    extra = [name for name in header if name not in expected]
    if extra:
        raise DataError(
            path,
            "only the columns datapackage.json lists",
            column=extra[0],
            found="an extra column",
        )
    duplicated = [name for name in header if header.count(name) > 1]
    if duplicated:
        raise DataError(path, "each column once", column=duplicated[0], found="a repeated column")


def _first_row(mask: pd.Series) -> int:
    """1-based data-row number of the first True in mask."""
    return int(np.flatnonzero(mask.to_numpy())[0]) + 1


def number_text(value: float) -> str:
    """A number as a person would type it: 150, 0.5, 1000000000."""
    return np.format_float_positional(value, trim="-")


def _typed_column(path: Path, field: dict, raw: pd.Series) -> pd.Series:
    name, kind = field["name"], field.get("type", "string")
    constraints = field.get("constraints", {})
    blank = raw.str.strip().eq("")

    def fail(mask, expected):
        row = _first_row(mask)
        raise DataError(path, expected, row=row, column=name, found=raw.iloc[row - 1])

    if constraints.get("required") and blank.any():
        fail(blank, "a value (this column is required)")
    present = ~blank
    if kind in ("number", "integer"):
        values = pd.to_numeric(raw.where(present), errors="coerce").astype("float64")
        bad = present & values.isna()
        if bad.any():
            fail(bad, "a number" if kind == "number" else "a whole number")
        # inf, -inf, 1e400 and Infinity parse as numbers but measure nothing.
        infinite = present & ~np.isfinite(values)
        if infinite.any():
            fail(infinite, "a finite number")
        if kind == "integer":
            fractional = present & (values.fillna(0) % 1 != 0)
            if fractional.any():
                fail(fractional, "a whole number")
        if "minimum" in constraints:
            low = present & (values < constraints["minimum"])
            if low.any():
                fail(low, f"a number no less than {constraints['minimum']:g}")
        if kind == "integer":
            dtype = "int64" if constraints.get("required") else "Int64"
            return values.astype(dtype)
        return values
    if kind == "boolean":
        lowered = raw.str.strip().str.lower()
        bad = present & ~lowered.isin(["true", "false"])
        if bad.any():
            fail(bad, "true or false")
        if constraints.get("required"):
            return lowered.eq("true")
        return lowered.map({"true": True, "false": False}).astype("boolean")
    # Strings: constraints first, then empty means missing.
    if "enum" in constraints:
        bad = present & ~raw.isin(constraints["enum"])
        if bad.any():
            fail(bad, "one of " + ", ".join(repr(v) for v in constraints["enum"]))
    if "pattern" in constraints:
        pattern = re.compile(constraints["pattern"])
        bad = present & ~raw.map(lambda value: bool(pattern.fullmatch(value)))
        if bad.any():
            fail(bad, f"text matching the pattern {constraints['pattern']}")
    return raw.where(present).astype("str")


def _check_primary_key(path: Path, schema: dict, table: pd.DataFrame) -> None:
    keys = schema.get("primaryKey", [])
    unique = [f["name"] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
    for columns in [keys, *([name] for name in unique if [name] != keys)]:
        if not columns:
            continue
        repeated = table.duplicated(subset=columns, keep="first")
        if repeated.any():
            row = _first_row(repeated)
            found = ", ".join(str(table.iloc[row - 1][c]) for c in columns)
            raise DataError(
                path,
                f"a unique key ({', '.join(columns)})",
                row=row,
                column=columns[0],
                found=f"a duplicate of {found}",
            )


def _check_foreign_keys(data_dir: Path, resource: dict, tables: dict, resources: dict) -> None:
    table = tables[resource["name"]]
    for key in resource["schema"].get("foreignKeys", []):
        (column,) = key["fields"]
        target = key["reference"]["resource"]
        (target_column,) = key["reference"]["fields"]
        if target not in tables:  # a table the course does not use: read it for the check
            other = resources[target]
            tables = {**tables, target: read_table(data_dir / other["path"], other["schema"])}
        known = set(tables[target][target_column])
        unknown = table[column].notna() & ~table[column].isin(known)
        expected = f"an id listed in {target}.csv ({target_column})"
        _fail_first(data_dir / resource["path"], unknown, column, expected, table[column])


def split_list(value) -> list[str]:
    """'a;b' -> ['a', 'b']; missing -> []."""
    if not isinstance(value, str):
        return []
    return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]


def _check_cross_table_rules(data_dir: Path, resources: dict, tables: dict) -> None:
    """Rules a Table Schema cannot express: id lists, matching units, verdict presence."""
    nutrient_ids = set(tables["nutrients"]["nutrient_id"])
    food_ids = set(tables["foods"]["food_id"])
    list_columns = [
        ("foods", "leader_for", nutrient_ids, "nutrients.csv"),
        ("guide_claims", "nutrients", nutrient_ids, "nutrients.csv"),
        ("guide_claims", "foods", food_ids, "foods.csv"),
    ]
    for name, column, known, where in list_columns:
        for row, value in enumerate(tables[name][column], start=1):
            for item in split_list(value):
                if item not in known:
                    raise DataError(
                        data_dir / resources[name]["path"],
                        f"ids listed in {where}, separated by '{LIST_SEPARATOR}'",
                        row=row,
                        column=column,
                        found=item,
                    )
    intakes = tables["intake_references"]
    units = intakes["nutrient_id"].map(tables["nutrients"].set_index("nutrient_id")["unit"])
    mismatch = intakes["unit"] != units
    if mismatch.any():
        row = _first_row(mismatch)
        raise DataError(
            data_dir / resources["intake_references"]["path"],
            f"the nutrient's unit from nutrients.csv ({units.iloc[row - 1]})",
            row=row,
            column="unit",
            found=intakes["unit"].iloc[row - 1],
        )
    servings = tables["foods"]["serving_g"]
    foods_path = data_dir / resources["foods"]["path"]
    _fail_first(foods_path, servings <= 0, "serving_g", "a serving of more than 0 g", servings)
    _check_planner_tables(data_dir, resources, tables)
    _check_reference_amounts(data_dir, resources, tables)
    _check_calcium_absorption(data_dir, resources, tables)

    intakes_path = data_dir / resources["intake_references"]["path"]
    inverted = intakes["age_min"] > intakes["age_max"]  # an open band (71+) has no maximum
    if inverted.fillna(False).any():
        row = _first_row(inverted.fillna(False))
        raise DataError(
            intakes_path,
            f"an age_max no lower than the band's age_min ({intakes['age_min'].iloc[row - 1]})",
            row=row,
            column="age_max",
            found=number_text(intakes["age_max"].iloc[row - 1]),
        )
    _check_amounts(data_dir / resources["food_nutrients"]["path"], tables)
    claims = tables["guide_claims"]
    by_data = claims["check_against"] == "data"
    _fail_first(data_dir / resources["guide_claims"]["path"],
                by_data & (claims["foods"].isna() | claims["nutrients"].isna()), "foods",
                "foods and nutrients for a claim checked against data", claims["foods"])  # fmt: skip
    _check_evidence_rules(data_dir, resources, tables)
    check_claim_evidence(data_dir, resources, tables)


# --- evidence tables: guide_claims, nutrient_symptoms, cramp_factors, claim_studies ----------

# A source cell must name something a reader can look up, never this project's working files.
PROJECT_MATERIAL = re.compile(
    r"facts\.md|\.md\b|\.csv\b|\.ipynb\b|\bdata/|\bnotes/|reference list|UNCONFIRMED",
    re.IGNORECASE,
)
# How evidence_against names a study: a DOI or a PubMed id, also written in the row's source.
STUDY_ID = re.compile(r"doi:10\.\d{4,9}/\S+|PMID \d+")
# Grades that need, allow or forbid a cited study against (guide_claims types no verdict:
# cramplab.claims computes it, and check_claim_evidence checks its inputs).
NEEDS_STUDY_AGAINST = {"contradicted", "mixed"}
MAY_CITE_STUDY_AGAINST = {"very_uncertain", "indirect_against"}
EVIDENCE_TABLES = {
    "nutrient_symptoms": "evidence_grade",
    "cramp_factors": "evidence_grade",
}
SOURCE_TABLES = [
    "intake_references", "symptoms", "nutrient_symptoms", "guide_claims", "claim_studies",
    "cramp_factors", "supplement_cautions", "claim_parts",
]  # fmt: skip


def _check_evidence_rules(data_dir: Path, resources: dict, tables: dict) -> None:
    """The evidence scale's rules: a verdict against a claim cites the study against it, a
    certainty goes with the verdicts that have one, and sources name real publications."""

    def fail(name, mask, column, expected):
        path = data_dir / resources[name]["path"]
        _fail_first(path, mask, column, expected, tables[name][column])

    for name in SOURCE_TABLES:
        for column in ("source", "note"):
            if column not in tables[name]:
                continue
            cited = tables[name][column].fillna("")
            project = cited.str.contains(PROJECT_MATERIAL)
            if project.any():
                fail(name, project, column, "a citation a reader can look up, not a project file")
    for name, column in EVIDENCE_TABLES.items():
        table = tables[name]
        verdict = table[column]
        against = table["evidence_against"]
        cited = [
            bool(ids) and all(STUDY_ID.fullmatch(i) and i in source for i in ids)
            for ids, source in zip(against.map(split_list), table["source"], strict=True)
        ]
        needs = verdict.isin(NEEDS_STUDY_AGAINST)
        allowed = needs | verdict.isin(MAY_CITE_STUDY_AGAINST)
        if (needs & against.isna()).any():
            fail(name, needs & against.isna(), "evidence_against",
                 f"the study against the claim for a {column} of contradicted or mixed")  # fmt: skip
        if (~allowed & against.notna()).any():
            fail(name, ~allowed & against.notna(), "evidence_against",
                 f"no study against for this {column} (only contradicted, mixed, very_uncertain "
                 "or indirect_against cite one)")  # fmt: skip
        unnamed = against.notna() & ~pd.Series(cited, index=table.index)
        if unnamed.any():
            fail(name, unnamed, "evidence_against",
                 "DOIs (doi:10...) or PubMed ids (PMID nnn), separated by ';', each also "
                 "named in source")  # fmt: skip
    studies = tables["claim_studies"]
    numbers = studies[["estimate", "ci_low", "ci_high"]]
    partial = numbers.notna().any(axis=1) & (
        numbers.isna().any(axis=1) | studies["measure"].isna()
    )
    if partial.any():
        fail("claim_studies", partial, "estimate",
             "a measure, an estimate and both ends of its interval, or none of them")  # fmt: skip
    outside = (studies["ci_low"] > studies["estimate"]) | (
        studies["estimate"] > studies["ci_high"]
    )
    if outside.any():
        fail("claim_studies", outside, "estimate",
             "an estimate inside its interval (ci_low <= estimate <= ci_high)")  # fmt: skip


# --- the inputs of the computed verdicts: claim_parts, claim_studies, claim_grades ------------

PICO_ELEMENTS = ("population", "intervention", "comparator", "outcome")
DATA_BASES = {"food_words", "diet_planner"}
# Designs whose "against" needs an interval: a trial or observational null counts against a
# claim only when its interval excludes a worthwhile effect (cramplab.claims.interval_reading).
NEEDS_INTERVAL_AGAINST = {
    "systematic_review", "randomised_trial", "nonrandomised_trial", "cohort", "self_controlled",
    "case_control", "cross_sectional", "case_series", "physiology",
}  # fmt: skip
DOWN_JUDGEMENTS = {"not_serious", "serious", "very_serious"}
UP_JUDGEMENTS = {"large_effect": {"none", "large", "very_large"},
                 "dose_response": {"none", "present"}, "plausible_confounding": {"none", "present"}}  # fmt: skip
GRADE_DOMAINS = (
    "risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias",
    "large_effect", "dose_response", "plausible_confounding",
)  # fmt: skip


def check_claim_evidence(data_dir: Path, resources: dict, tables: dict) -> None:
    """The rules the verdict computation relies on: every claim split into parts, each part with
    what its basis needs, each study placed and read consistently, GRADE judged in full."""
    from cramplab.claims import interval_reading, no_effect  # the reading rule, written once

    def fail(name, mask, column, expected):
        path = data_dir / resources[name]["path"]
        mask = pd.Series(np.asarray(mask, dtype=bool), index=tables[name].index)
        _fail_first(path, mask, column, expected, tables[name][column])

    claims, parts = tables["guide_claims"], tables["claim_parts"]
    studies, grades = tables["claim_studies"], tables["claim_grades"]
    keys = pd.MultiIndex.from_frame(parts[["claim_id", "part"]])
    fail("guide_claims", ~claims["claim_id"].isin(parts["claim_id"]), "claim_id",
         "a claim with at least one row in claim_parts.csv")  # fmt: skip
    check = parts["claim_id"].map(claims.set_index("claim_id")["check_against"])
    basis = parts["basis"]
    grade = basis == "grade"
    for column in PICO_ELEMENTS:
        fail("claim_parts", grade & parts[column].isna(), column,
             f"the question's {column} (PICO) for a grade part")  # fmt: skip
    fail("claim_parts", (basis == "food_words") & parts["claim_word"].isna(), "claim_word",
         "the FDA claim word the claim uses, for a food_words part")  # fmt: skip
    fail("claim_parts", (basis != "food_words") & parts["claim_word"].notna(), "claim_word",
         "no claim word except for a food_words part")  # fmt: skip
    fail("claim_parts", basis.isin(DATA_BASES) & (check != "data"), "basis",
         "a food_words or diet_planner part only for a claim checked against data")  # fmt: skip
    data_claims = set(parts.loc[basis.isin(DATA_BASES), "claim_id"])
    fail("guide_claims", (claims["check_against"] == "data") & ~claims["claim_id"].isin(data_claims),
         "check_against", "a food_words or diet_planner part in claim_parts.csv for a data claim")  # fmt: skip

    placed = pd.MultiIndex.from_frame(studies[["claim_id", "part"]])
    fail("claim_studies", ~placed.isin(keys), "part", "a part listed in claim_parts.csv")
    part_basis = pd.Series(basis.to_numpy(), index=keys).reindex(placed).to_numpy()
    fail("claim_studies", pd.Series(part_basis, index=studies.index).isin(
        [*DATA_BASES, "not_assessed"]), "part",
        "a part decided by evidence (not food_words, diet_planner or not_assessed)")  # fmt: skip
    indirect = studies["directness"] == "indirect"
    fail("claim_studies", indirect & studies["indirect_on"].isna(), "indirect_on",
         "the PICO element that differs, for an indirect study")  # fmt: skip
    fail("claim_studies", ~indirect & studies["indirect_on"].notna(), "indirect_on",
         "no PICO element for a direct study")  # fmt: skip
    odd = studies["indirect_on"].map(lambda v: bool(set(split_list(v)) - set(PICO_ELEMENTS)))
    fail("claim_studies", odd, "indirect_on",
         "PICO elements (population, intervention, comparator, outcome) separated by ';'")  # fmt: skip
    fail("claim_studies", indirect & studies["how_indirect"].isna(), "how_indirect",
         "how an indirect study differs, in one sentence")  # fmt: skip
    interval = studies[["ci_low", "ci_high"]].notna().all(axis=1)
    fail("claim_studies", interval & studies["worthwhile_effect"].isna(), "worthwhile_effect",
         "the smallest worthwhile effect, for a study with an interval")  # fmt: skip
    fail("claim_studies", ~interval & studies["worthwhile_effect"].notna(), "worthwhile_effect",
         "no worthwhile effect without an interval")  # fmt: skip
    reading = [
        interval_reading(row.ci_low, row.ci_high, row.worthwhile_effect, no_effect(row.measure))
        if ok and pd.notna(row.worthwhile_effect) else row.direction
        for row, ok in zip(studies.itertuples(), interval, strict=True)
    ]  # fmt: skip
    differs = studies["direction"] != pd.Series(reading, index=studies.index)
    fail("claim_studies", differs, "direction",
         "the direction its interval reads (for: it excludes no effect on the claimed side; "
         "against: it excludes the worthwhile effect; neither: it takes in both)")  # fmt: skip
    bare = (
        ~interval
        & (studies["direction"] == "against")
        & studies["design"].isin(NEEDS_INTERVAL_AGAINST)
    )
    fail("claim_studies", bare, "direction",
         "an interval that excludes a worthwhile effect before a study counts against "
         "(an imprecise null never does)")  # fmt: skip

    judged = pd.MultiIndex.from_frame(grades[["claim_id", "part"]])
    graded_parts = set(keys[grade.to_numpy()])
    fail(
        "claim_grades", ~judged.isin(list(graded_parts)), "part", "a grade part of claim_parts.csv"
    )
    up = grades["domain"].map(UP_JUDGEMENTS)
    allowed = [j in (u if isinstance(u, set) else DOWN_JUDGEMENTS)
               for j, u in zip(grades["judgement"], up, strict=True)]  # fmt: skip
    fail("claim_grades", ~pd.Series(allowed, index=grades.index), "judgement",
         "a judgement of the domain's kind (not_serious, serious or very_serious for a reason to "
         "rate down; none, large or very_large for a large effect; none or present otherwise)")  # fmt: skip
    counts = grades.groupby(["claim_id", "part"])["domain"].nunique()
    short = counts[counts < len(GRADE_DOMAINS)]
    if len(short):
        claim_id, part = short.index[0]
        row = _first_row((grades["claim_id"] == claim_id) & (grades["part"] == part))
        raise DataError(data_dir / resources["claim_grades"]["path"],
                        f"a judgement for each of the {len(GRADE_DOMAINS)} GRADE domains of "
                        f"{claim_id} part {part}", row=row, column="domain",
                        found=f"{short.iloc[0]} domains")  # fmt: skip
    rated_down = grades["domain"].isin(GRADE_DOMAINS[:5]) & (grades["judgement"] != "not_serious")
    down_parts = set(judged[rated_down.to_numpy()])
    up_row = grades["domain"].isin(UP_JUDGEMENTS) & (grades["judgement"] != "none")
    illegal = up_row & pd.Series(judged.isin(list(down_parts)), index=grades.index)
    fail("claim_grades", illegal, "judgement",
         "no rating up for a body rated down for anything (GRADE 9)")  # fmt: skip

    known = set(tables["evidence_searches"]["search_id"])
    for name in ("claim_parts", "nutrient_symptoms", "cramp_factors"):
        unknown = tables[name]["searches"].map(lambda v: bool(set(split_list(v)) - known))
        fail(name, unknown, "searches", "search ids of evidence_searches.csv, separated by ';'")
    for name in ("nutrient_symptoms", "cramp_factors"):
        table = tables[name]
        linked = pd.MultiIndex.from_frame(table[["claim_id", "part"]].fillna(""))
        fail(name, table["claim_id"].notna() & ~linked.isin(keys), "part",
             "a part of claim_parts.csv for the claim the row links to")  # fmt: skip
        fail(name, table["claim_id"].isna() & table["part"].notna(), "claim_id",
             "the claim the part belongs to")  # fmt: skip
        unsearched = (table["evidence_grade"] == "no_evidence_found") & table["claim_id"].isna()
        fail(name, unsearched & table["searches"].isna(), "searches",
             "a recorded search for a no_evidence_found grade not linked to a claim part")  # fmt: skip


def _check_planner_tables(data_dir: Path, resources: dict, tables: dict) -> None:
    """The planner's tables cover every food and life stage, and agree on units."""

    def fail(name, mask, column, expected):
        path = data_dir / resources[name]["path"]
        _fail_first(path, mask, column, expected, tables[name][column])

    foods = tables["foods"]["food_id"]
    for name in ("food_attributes", "portion_caps"):
        missing = ~foods.isin(tables[name]["food_id"])
        expected = f"a row in {resources[name]['path']} for every food"
        _fail_first(data_dir / resources["foods"]["path"], missing, "food_id", expected, foods)
    caps = tables["portion_caps"]
    if (caps["portion_g"] <= 0).any():
        fail("portion_caps", caps["portion_g"] <= 0, "portion_g", "a portion of more than 0 g")
    attributes = tables["food_attributes"]
    stray = attributes["fish_advice"].notna() & ~attributes["fish_shellfish"]
    if stray.any():
        fail("food_attributes", stray, "fish_advice", "no fish advice for a food without fish")
    groups = tables["portion_categories"]["sr28_groups"].map(split_list)
    seen: set[str] = set()
    for row, listed in enumerate(groups, start=1):
        for group in listed:
            if group in seen:
                raise DataError(
                    data_dir / resources["portion_categories"]["path"],
                    "each SR28 food group in one category only",
                    row=row,
                    column="sr28_groups",
                    found=group,
                )
            seen.add(group)
    stages = set(tables["intake_references"]["life_stage"])
    bands = tables["energy_bands"]
    for name in ("energy_bands", "fish_advice", "upper_limits"):
        unknown = ~tables[name]["life_stage"].isin(stages | {DAILY_VALUES_STAGE})
        if unknown.any():
            fail(
                name,
                unknown,
                "life_stage",
                f"a life stage of intake_references.csv or {DAILY_VALUES_STAGE}",
            )
    uncovered = [s for s in sorted(stages) if s not in set(bands["life_stage"])]
    if uncovered:
        raise DataError(
            data_dir / resources["energy_bands"]["path"],
            "an energy band for every life stage of intake_references.csv",
            column="life_stage",
            found=f"none for {uncovered[0]}",
        )
    inverted = bands["kcal_low"] > bands["kcal_high"]
    if inverted.any():
        fail("energy_bands", inverted, "kcal_high", "kcal_high no less than kcal_low")
    units = tables["nutrients"].set_index("nutrient_id")["unit"]
    limits = tables["upper_limits"]
    wrong = limits["unit"] != limits["nutrient_id"].map(units)
    if wrong.any():
        fail("upper_limits", wrong, "unit", "the nutrient's unit from nutrients.csv")
    intakes = tables["population_intakes"]
    means = intakes["measure"] == "mean_intake"
    wrong = (means & (intakes["unit"] != intakes["nutrient_id"].map(units))) | (
        ~means & (intakes["unit"] != "%")
    )
    if wrong.any():
        fail("population_intakes", wrong, "unit", "% for a share, the nutrient's unit for a mean")


def _fail_first(path, mask: pd.Series, column: str, expected: str, values: pd.Series) -> None:
    """Raise a DataError at the first row where mask is True (missing counts as False)."""
    mask = mask.fillna(False).astype(bool)
    if mask.any():
        row = _first_row(mask)
        raise DataError(path, expected, row=row, column=column, found=values.iloc[row - 1])


def _check_reference_amounts(data_dir: Path, resources: dict, tables: dict) -> None:
    """foods.racc_g follows its category: grams as written, volumes through an SR28 measure."""
    path = data_dir / resources["foods"]["path"]
    foods = tables["foods"]
    categories = tables["reference_amounts"].set_index("racc_category")
    unit = foods["racc_category"].map(categories["unit"])
    amount = foods["racc_category"].map(categories["amount"])
    by_weight = unit == "g"
    seq, racc_g = foods["racc_weight_seq"], foods["racc_g"]
    rules = [
        ("racc_g", by_weight & (racc_g != amount),
         "the category's amount in grams (reference_amounts.amount, unit g)", racc_g),
        ("racc_weight_seq", by_weight & seq.notna(),
         "no household measure for a reference amount given in grams", seq),
        ("racc_g", ~by_weight & seq.notna() & racc_g.isna(),
         "the reference amount in grams, converted with the racc_weight_seq measure", racc_g),
        ("racc_g", ~by_weight & seq.isna() & racc_g.notna(),
         "a racc_weight_seq saying which SR28 measure converts the volume to grams", racc_g),
        ("racc_g", racc_g <= 0, "a reference amount of more than 0 g", racc_g),
        ("label_serving_g", foods["label_serving_g"] <= 0, "a label serving of more than 0 g",
         foods["label_serving_g"]),
    ]  # fmt: skip
    for column, mask, expected, values in rules:
        _fail_first(path, mask, column, expected, values)


def _check_calcium_absorption(data_dir: Path, resources: dict, tables: dict) -> None:
    """Fractions are fractions (0 to 1); a food absorbs calcium only if it has some."""
    path = data_dir / resources["calcium_absorption"]["path"]
    table = tables["calcium_absorption"]
    for column in ("fraction", "milk_fraction"):
        _fail_first(path, (table[column] <= 0) | (table[column] > 1), column,
                    "a fraction above 0 and no more than 1 (30% is 0.3)", table[column])  # fmt: skip


def _check_amounts(path: Path, tables: dict) -> None:
    """Every food has a row for every nutrient, and no amount exceeds what 100 g can hold."""
    amounts, nutrients = tables["food_nutrients"], tables["nutrients"]
    limits = nutrients.set_index("nutrient_id")
    ceiling = amounts["nutrient_id"].map(limits["max_per_100g"])
    over = amounts["amount"] > ceiling
    if over.any():
        row = _first_row(over)
        nutrient = limits.loc[amounts["nutrient_id"].iloc[row - 1]]
        name = nutrient["name"][:1].lower() + nutrient["name"][1:]
        raise DataError(
            path,
            f"at most {number_text(ceiling.iloc[row - 1])} {nutrient['unit']} of {name} per "
            f"100 g of food ({nutrient['max_basis']})",
            row=row,
            column="amount",
            found=number_text(amounts["amount"].iloc[row - 1]),
        )
    # A blank amount means "not analysed"; a missing row would drop the food from rankings
    # and coverage without a word.
    expected = pd.MultiIndex.from_product([tables["foods"]["food_id"], nutrients["nutrient_id"]])
    present = pd.MultiIndex.from_frame(amounts[["food_id", "nutrient_id"]])
    missing = ~expected.isin(present)
    if missing.any():
        food, nutrient_id = expected[missing][0]
        raise DataError(
            path,
            "a row for every food of foods.csv and every nutrient of nutrients.csv (an empty "
            "amount says SR28 has no value)",
            found=f"no row for food {food}, nutrient {nutrient_id}",
        )


DICTIONARY_MARKER = (
    "<!-- Everything below is generated from datapackage.json by "
    "`python -m cramplab.data readme`; edit the descriptor, not this text. -->"
)


def data_dictionary(package: dict) -> str:
    """The per-table field reference for data/README.md, written from the descriptor."""
    lines = [DICTIONARY_MARKER, "", "## Tables", ""]
    for resource in package["resources"]:
        schema = resource["schema"]
        heading = f"### `{resource['path']}` — {resource['title']}"
        lines += [heading, "", resource["description"], ""]
        key = ", ".join(schema.get("primaryKey", []))
        lines += [f"Primary key: {key}.", ""]
        for foreign in schema.get("foreignKeys", []):
            target = foreign["reference"]
            lines += [
                f"Foreign key: {', '.join(foreign['fields'])} → "
                f"{target['resource']}.{', '.join(target['fields'])}.",
                "",
            ]
        lines += ["| field | type | rules | description |", "| --- | --- | --- | --- |"]
        for field in schema["fields"]:
            cells = [f"`{field['name']}`", field["type"], _rules(field), field["description"]]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def _rules(field: dict) -> str:
    constraints = field.get("constraints", {})
    rules = []
    if constraints.get("required"):
        rules.append("required")
    if constraints.get("unique"):
        rules.append("unique")
    if "minimum" in constraints:
        rules.append(f"≥ {constraints['minimum']}")
    if "maximum" in constraints:
        rules.append(f"≤ {constraints['maximum']}")
    if "enum" in constraints:
        rules.append("one of " + ", ".join(f"`{v}`" for v in constraints["enum"]))
    if "pattern" in constraints:
        rules.append(f"matches `{constraints['pattern']}`")
    return "; ".join(rules) or "optional"


def write_readme(data_dir: Path | str | None = None) -> Path:
    """Regenerate the generated half of data/README.md; the hand-written half stays."""
    data_dir = paths.find_clone(command="the data README").data if data_dir is None else data_dir
    path = Path(data_dir) / "README.md"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    intro = text.split(DICTIONARY_MARKER)[0].rstrip() + "\n\n"
    path.write_text(intro + data_dictionary(read_datapackage(data_dir)), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    import sys

    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "validate"
    if command == "readme":
        try:
            print(f"wrote {write_readme()}")
        except paths.CloneRequired as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        except DataError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        return 0
    if command == "validate" and len(args) <= 2:
        try:
            data = load(args[1] if len(args) > 1 else None)
        except DataError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        counts = ", ".join(f"{name} {len(getattr(data, name))}" for name in data.table_names())
        print(f"data package is valid: {counts} rows")
        return 0
    print("usage: python -m cramplab.data [validate [DATA_DIR] | readme]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
