"""Load and validate the curated data package in data/.

Two layers, each written once: the schema of each table comes from data/datapackage.json (the
same file frictionless validates), and what the tables mean (amounts a food can hold, a UL no
lower than the RDA ...) from cramplab.data_rules. Validation is plain pandas, fast enough to
run on every load, and the first problem is reported as one DataError naming the file, the
row, the column to fix, what was expected (with the cells it was compared with) and what was
found: a cell's text quoted, an empty cell said in words.

Row numbers count data rows from 1 (the header is not a row), so row 7 is line 8 of the file.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass, fields
from pathlib import Path, PurePosixPath, PureWindowsPath

import numpy as np
import pandas as pd

from cramplab import paths
from cramplab.data_rules import (
    CONTROL_CHARACTERS,
    CONTROL_EXPECTED,
    DAILY_VALUES_STAGE,
    EMPTY,
    EVERY_TABLE_TEXT,
    LIST_SEPARATOR,
    RULES,
    check_order,
    control_character,
    first_broken,
    is_missing,
    number_text,
    plain,
    rules_for,
    split_list,
)

__all__ = [
    "DAILY_VALUES_STAGE", "LIST_SEPARATOR", "CourseData", "DataError", "Said", "load",
    "number_text", "read_table", "split_list",
]  # fmt: skip


class Said(str):
    """What a message found, said in words rather than quoted from a cell: 'an empty file'."""


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
            message += f", found {_shown(found)}"
        if hint is not None:
            message += f". {hint}"
        super().__init__(message)

    def moved_to(self, file) -> DataError:
        """The same error about another path (a staged copy's error, told about the original)."""
        return DataError(
            file, self.expected, row=self.row, line=self.line, column=self.column,
            location=self.location, found=self.found, hint=self.hint,
        )  # fmt: skip


def _shown(found) -> str:
    """How a message shows what it found: a cell's text quoted ('12mg'), a number as typed
    (10), an empty cell in words, and a description (Said) as it is."""
    if isinstance(found, Said):
        return str(found)
    if isinstance(found, str):
        return repr(found) if found.strip() else EMPTY
    if isinstance(found, bytes):
        return repr(found)
    if is_missing(found):
        return EMPTY
    return plain(found)


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
    # A complete day (notebook 07): the Dietary Guidelines' food groups and pattern, and every
    # other nutrient with a DRI, with its content of the foods.
    food_groups: pd.DataFrame
    food_patterns: pd.DataFrame
    dri_nutrients: pd.DataFrame
    dri_references: pd.DataFrame
    dri_food_nutrients: pd.DataFrame

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


def _kind(value) -> Said:
    """How a JSON value reads in a message: a list, text, nothing ..."""
    if value is None:
        return Said("nothing")
    kinds = {bool: "true/false", dict: "an object", list: "a list", str: "text"}
    return Said(kinds.get(type(value), "a number"))


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
            fail("each resource name once", where, Said("a second resource of that name"))
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
            descriptor, f'a "path": {inside}', location=where, found=Said(f"{value!r}, a folder")
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
    """Read every table of the package, check it, return typed tables.

    In order, stopping at the first problem: each table against its schema (datapackage.json:
    columns, types, constraints, keys), the foreign keys, then each table's rules
    (cramplab.data_rules: what the table means), then the schema's maxima.

    data_dir: a folder holding datapackage.json and its CSVs; by default $CRAMPLAB_DATA if set,
    else the data that ships with the package.

    >>> from cramplab import load
    >>> data = load()
    >>> data.foods[["food_id", "name", "serving_g"]].head(3)
              food_id                      name  serving_g
    0     spinach_raw              Spinach, raw       30.0
    1  spinach_cooked  Spinach, boiled, drained      180.0
    2        kale_raw                 Kale, raw       16.0
    """
    data_dir = paths.data_dir(data_dir)
    _refuse_an_interrupted_rebuild(data_dir)
    # The same files read and checked before (byte for byte) are not checked again; every
    # caller gets tables of its own to change.
    stamp = _files_stamp(data_dir)
    if stamp in _LOADED:
        return copy.deepcopy(_LOADED[stamp])
    data = _read_and_check(data_dir)
    _LOADED.clear()  # one data folder at a time: a notebook's, or a test's hand-made one
    _LOADED[stamp] = data
    return copy.deepcopy(data)


_LOADED: dict[tuple, CourseData] = {}


def _files_stamp(data_dir: Path) -> tuple:
    """The folder and a digest of every file's name and bytes (a timestamp can miss an edit
    made within its resolution)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in data_dir.iterdir() if p.is_file()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return str(data_dir.resolve()), digest.hexdigest()


def _read_and_check(data_dir: Path) -> CourseData:
    package = read_datapackage(data_dir)
    resources = {r["name"]: r for r in package["resources"]}
    tables, raw = {}, {}
    for name in CourseData.table_names():
        if name not in resources:
            raise DataError(data_dir / "datapackage.json", f"a resource named '{name}'")
        resource = resources[name]
        tables[name], raw[name] = _read_table(data_dir / resource["path"], resource["schema"])
    for name in CourseData.table_names():
        _check_foreign_keys(data_dir, resources[name], tables, resources)
    for name in check_order(CourseData.table_names()):
        broken = first_broken(name, rules_for(name), tables, raw[name])
        if broken is not None:
            raise DataError(
                data_dir / resources[name]["path"],
                broken.expected,
                row=broken.row,
                column=broken.column,
                found=Said(broken.found),
            )
    for name in CourseData.table_names():
        path = data_dir / resources[name]["path"]
        _check_maxima(path, resources[name]["schema"], tables[name], raw[name])
    return CourseData(**tables)


# What the SR28 rebuild's atomic install (cramplab_tools.atomic.STAGING_PREFIX) leaves in a data
# folder when it is killed: load() only looks for it, it never writes (tests/tools/test_usda.py checks
# that the two prefixes agree).
REBUILD_STAGING_PREFIX = ".staging-"


def _refuse_an_interrupted_rebuild(data_dir: Path) -> None:
    """An SR28 rebuild killed while it replaced foods.csv and food_nutrients.csv leaves its
    staging folder in the data folder, and the two tables may be out of step: refuse to read
    them, and name the command that finishes (or drops) that install. Loading reads only."""
    leftovers = sorted(data_dir.glob(f"{REBUILD_STAGING_PREFIX}*"))
    if leftovers:
        raise DataError(
            leftovers[0],
            "no SR28 rebuild left half-installed in the data folder",
            found=Said("a rebuild's staging folder"),
            hint=f"Run `python -m cramplab_tools.usda recover --data {data_dir}` to finish it",
        )


def read_table(path: Path, schema: dict, *, maxima: bool = True) -> pd.DataFrame:
    """Read one CSV and enforce its Table Schema: header, types, constraints, primary key.

    maxima=False leaves the "maximum" constraints to the caller (load checks them last, after
    the per-nutrient limits, whose message says more).

    >>> import tempfile
    >>> schema = {"fields": [{"name": "food_id", "type": "string"},
    ...                      {"name": "grams", "type": "number", "constraints": {"minimum": 0}}]}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "servings.csv"
    ...     _ = path.write_text("food_id,grams\\nbanana,118\\nalmonds,-28\\n", encoding="utf-8")
    ...     try:
    ...         read_table(path, schema)
    ...     except DataError as error:
    ...         print(f"row {error.row}, {error.column}: expected {error.expected}")
    row 2, grams: expected a number no less than 0
    """
    table, raw = _read_table(path, schema)
    if maxima:
        _check_maxima(path, schema, table, raw)
    return table


def _read_table(path: Path, schema: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The typed table (its maxima unchecked), and the same cells as written."""
    rows = read_rows(path)
    header, body = rows[0], rows[1:]
    check_header(path, header, [f["name"] for f in schema["fields"]])
    if not body:
        raise DataError(
            path, "a header row and data rows", found=Said("a header and no data rows")
        )
    for number, row in enumerate(body, start=1):
        if len(row) != len(header):
            raise DataError(
                path, f"{len(header)} comma-separated fields", row=number, found=len(row)
            )
    raw = pd.DataFrame(body, columns=header, dtype=object)
    _check_control_characters(path, raw)
    table = pd.DataFrame(index=raw.index)
    for field in schema["fields"]:
        table[field["name"]] = _typed_column(path, field, raw[field["name"]])
    _check_primary_key(path, schema, table)
    table.attrs["path"] = str(path)
    return table, raw


def _check_control_characters(path: Path, raw: pd.DataFrame) -> None:
    """No cell holds a control character (NUL, escape, tab, a line break inside quotes ...):
    none belongs in a name, a number or a sentence, and some break what shows them."""
    for column in raw.columns:
        if not CONTROL_CHARACTERS.search("".join(raw[column])):
            continue
        flagged = raw[column].map(CONTROL_CHARACTERS.search).notna()
        if flagged.any():
            row = _first_row(flagged)
            found = control_character(raw[column].iloc[row - 1])
            raise DataError(path, CONTROL_EXPECTED, row=row, column=column, found=Said(found))


def _check_maxima(path: Path, schema: dict, table: pd.DataFrame, raw: pd.DataFrame) -> None:
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
                    found=raw[field["name"]].iloc[row - 1],
                )


def read_rows(path: Path) -> list[list[str]]:
    """A CSV file's non-empty rows, header first, as text."""
    try:
        payload = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, "the file to exist") from None
    except IsADirectoryError:
        raise DataError(path, "a CSV file", found=Said("a folder")) from None
    if not payload.strip():
        raise DataError(path, "a header row and data rows", found=Said("an empty file"))
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
                    path,
                    "comma-separated values",
                    found=Said(f"a header split by {label}"),
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
        raise DataError(path, "CSV text", row=row or None, found=Said(str(error))) from None
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
            found=Said("an extra column"),
        )
    duplicated = [name for name in header if header.count(name) > 1]
    if duplicated:
        raise DataError(
            path, "each column once", column=duplicated[0], found=Said("a repeated column")
        )


def _first_row(mask: pd.Series) -> int:
    """1-based data-row number of the first True in mask."""
    return int(np.flatnonzero(mask.to_numpy())[0]) + 1


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
            key = table[columns].iloc[row - 1]
            first = _first_row((table[columns] == key).all(axis=1))
            shown = ", ".join(plain(value) for value in key)
            raise DataError(
                path,
                f"a unique key ({', '.join(columns)})",
                row=row,
                column=columns[0],
                found=Said(f"the key of row {first} again ({shown})"),
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
        if unknown.any():
            row = _first_row(unknown)
            raise DataError(
                data_dir / resource["path"],
                f"an id listed in {resources[target]['path']} ({target_column})",
                row=row,
                column=column,
                found=table[column].iloc[row - 1],
            )


DICTIONARY_MARKER = (
    "<!-- Everything below is generated from datapackage.json and cramplab/data_rules.py by "
    "`python -m cramplab.data readme`; edit those, not this text. -->"
)


def data_dictionary(package: dict) -> str:
    """The per-table reference for data/README.md: what each table means (the descriptor's
    description), the rules the loader enforces on it (cramplab.data_rules), its fields."""
    lines = [DICTIONARY_MARKER, "", "## Tables", ""]
    lines += [
        "Each table below says what it means, then the rules the loader enforces on it beyond "
        "each field's type and constraints (the field table): a row that breaks one is "
        "refused with a message naming the file, the row, the column to fix and the cells it "
        "was compared with. For every table:",
        "",
        *[f"- {text}" for text in EVERY_TABLE_TEXT],
        "",
    ]
    for resource in package["resources"]:
        schema = resource["schema"]
        heading = f"### `{resource['path']}` — {resource['title']}"
        lines += [heading, "", resource["description"], ""]
        own = _rule_lines(RULES.get(resource["name"], []))
        if own:
            lines += ["Rules:", "", *own]
        else:
            lines += ["Rules: none beyond the field table and those for every table."]
        lines.append("")
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


def _rule_lines(rules) -> list[str]:
    """One bullet per rule, the columns of rules that read alike on one bullet."""
    columns: dict[str, list[str]] = {}
    for rule in rules:
        columns.setdefault(rule.readme_text, []).append(f"`{rule.column}`")
    return [f"- {', '.join(names)}: {text}." for text, names in columns.items()]


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
