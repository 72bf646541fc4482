"""Rebuild the package's food figures from the USDA SR28 release (course tooling).

For the foods listed in data/foods.csv, ``rebuild`` rewrites food_nutrients.csv,
dri_food_nutrients.csv and the columns of foods.csv that come from SR28 (description, group,
serving); curated columns stay as they are. Run ``python -m cramplab_tools.usda rebuild --sr28 DIR``.
A rebuild killed while it installed its files is finished (or dropped) by the next rebuild, or
by ``python -m cramplab_tools.usda recover``; until then ``cramplab.load()`` refuses that folder.
Reading the release itself is the lesson helper cramplab.sr28 (``read_release``).
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from cramplab.data import (
    CourseData,
    DataError,
    check_header,
    load,
    number_text,
    read_datapackage,
    read_rows,
    read_table,
)
from cramplab.paths import CloneRequired, find_clone, sr28_dir
from cramplab.sr28 import Release, describe_measure, nutrient_columns
from cramplab_tools import atomic


def _resources(data_dir: Path) -> dict[str, dict]:
    package = read_datapackage(data_dir)
    resources = {r["name"]: r for r in package["resources"]}
    for name in ("nutrients", "foods", "food_nutrients"):
        if name not in resources:
            raise DataError(data_dir / "datapackage.json", f"a resource named '{name}'")
    return resources


def rebuilt_tables(release: Release, data_dir: Path | str) -> dict[str, str]:
    """The text of foods.csv and food_nutrients.csv as rebuilt from SR28."""
    data_dir = Path(data_dir)
    schema = _resources(data_dir)
    foods_path = data_dir / schema["foods"]["path"]
    header = [f["name"] for f in schema["foods"]["schema"]["fields"]]
    rows = read_rows(foods_path)
    check_header(foods_path, rows[0], header)
    foods = []
    for number, row in enumerate(rows[1:], start=1):
        if len(row) != len(rows[0]):
            raise DataError(
                foods_path, f"{len(rows[0])} comma-separated fields", row=number, found=len(row)
            )
        foods.append(dict(zip(rows[0], row, strict=True)))
    nutrients_resource = schema["nutrients"]
    nutrients = read_table(data_dir / nutrients_resource["path"], nutrients_resource["schema"])
    columns = nutrient_columns(nutrients)

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
    texts = {
        schema["foods"]["path"]: _csv_text([header] + [[f[c] for c in header] for f in foods]),
        schema["food_nutrients"]["path"]: _csv_text(
            [["food_id", "nutrient_id", "amount"], *long_rows]
        ),
    }
    if "dri_food_nutrients" in schema:  # the other DRI nutrients, those SR28 gives
        other = schema["dri_nutrients"]
        dri = read_table(data_dir / other["path"], other["schema"])
        dri_columns = nutrient_columns(dri[dri["usda_nutr_no"].notna()])
        dri_rows = [
            [food["food_id"], nutrient_id, abbrev.at[food["ndb_no"], column]]
            for food in foods
            for nutrient_id, column in dri_columns.items()
        ]
        texts[schema["dri_food_nutrients"]["path"]] = _csv_text(
            [["food_id", "nutrient_id", "amount"], *dri_rows]
        )
    return texts


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


# A committed amount that a rebuild would multiply or divide by more than this, or blank, is
# more likely a misread release than a revision of SR28: the rebuild asks for --force.
PLAUSIBLE_FACTOR = 10


def rebuild(sr28: Path | str, data_dir: Path | str | None = None, *, force=False) -> list[Path]:
    """Rewrite the SR28-derived files in data_dir (default: data/ of the clone you are in).

    The new package is staged in a hidden folder of data_dir and validated there; then
    foods.csv and food_nutrients.csv replace the old ones together, or neither does.
    Unless force, a change by more than PLAUSIBLE_FACTOR or a measured value gone blank stops
    the rebuild before anything is replaced.
    """
    data_dir = (
        find_clone(command="python -m cramplab_tools.usda rebuild").data
        if data_dir is None
        else Path(data_dir)
    )
    recover(data_dir)  # a rebuild killed mid-install is finished (or dropped) first
    texts = rebuilt_tables(Release(sr28), data_dir)
    resources = _resources(data_dir)
    with atomic.Staging(data_dir) as staging:
        for name in ["datapackage.json", *(r["path"] for r in resources.values())]:
            copy = staging.path / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            if (data_dir / name).is_file():
                shutil.copyfile(data_dir / name, copy)
        for name, text in texts.items():
            (staging.path / name).write_text(text, encoding="utf-8", newline="")
        try:
            rebuilt = load(staging.path)  # a rebuild that breaks the package replaces nothing
        except DataError as error:  # about the staged copy, which is about to go: name data/
            staged = Path(error.file)
            if staged.is_relative_to(staging.path):
                raise error.moved_to(data_dir / staged.relative_to(staging.path)) from None
            raise
        if not force:
            amounts = resources["food_nutrients"]
            _refuse_implausible_changes(data_dir / amounts["path"], amounts["schema"], rebuilt)
        staging.commit(install=list(texts))
    return [data_dir / name for name in texts]


def recover(data_dir: Path | str | None = None) -> list[Path]:
    """Finish (or drop) the install of a rebuild that was killed in data_dir (default: data/ of
    the clone you are in): committed files are put in place, an uncommitted staging folder is
    removed. Returns the staging folders dealt with; none when nothing was interrupted."""
    data_dir = (
        find_clone(command="python -m cramplab_tools.usda recover").data
        if data_dir is None
        else Path(data_dir)
    )
    return atomic.recover(data_dir)


def _refuse_implausible_changes(path: Path, schema: dict, rebuilt: CourseData) -> None:
    try:
        committed = read_table(path, schema)
    except DataError:
        return  # nothing trustworthy to compare with: the rebuild is the repair
    committed = committed.assign(row=np.arange(1, len(committed) + 1))
    both = committed.merge(rebuilt.food_nutrients, on=["food_id", "nutrient_id"], how="inner")
    old, new = both["amount_x"], both["amount_y"]
    blanked = old.notna() & new.isna()
    ratio = new / old
    measured = (old > 0) & (new > 0)
    jumped = measured & ((ratio > PLAUSIBLE_FACTOR) | (ratio < 1 / PLAUSIBLE_FACTOR))
    suspicious = (blanked | jumped).to_numpy()
    if not suspicious.any():
        return
    first = both[suspicious].iloc[0]
    unit = rebuilt.nutrients.set_index("nutrient_id").at[first["nutrient_id"], "unit"]
    was = f"{number_text(first['amount_x'])} {unit}"
    what = f"{first['nutrient_id']} of {first['food_id']}"
    if pd.isna(first["amount_y"]):
        expected, found = f"the measured {what} ({was}) to stay measured", "no value in SR28"
    else:
        expected = f"{what} to change less than {PLAUSIBLE_FACTOR}-fold from {was}"
        found = f"{number_text(first['amount_y'])} {unit} in SR28"
    others = int(suspicious.sum()) - 1
    raise DataError(
        path,
        expected,
        row=int(first["row"]),
        column="amount",
        found=found,
        hint=(f"{others} more change(s) like it. " if others else "")
        + "Nothing was replaced: check the SR28 release, or rebuild with --force to accept",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cramplab_tools.usda", description="Rebuild the food tables from USDA SR28."
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
    rebuild_parser.add_argument(
        "--force",
        action="store_true",
        help=f"accept values that change more than {PLAUSIBLE_FACTOR}-fold or become blank",
    )
    recover_parser = commands.add_parser(
        "recover", help="finish (or drop) the install of a rebuild that was killed"
    )
    recover_parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="data package directory (default: data/ of this clone)",
    )
    args = parser.parse_args(argv)
    if args.command == "recover":
        try:
            with atomic.interrupts_raise():
                handled = recover(args.data)
        except CloneRequired as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        except KeyboardInterrupt as interrupt:
            print("interrupted: run the same command again", file=sys.stderr)
            return atomic.exit_code(interrupt)
        for folder in handled:
            print(f"recovered {folder}")
        if not handled:
            print("nothing to recover: no rebuild was interrupted there")
        return 0
    try:
        with atomic.interrupts_raise():
            written = rebuild(args.sr28, args.data, force=args.force)
    except (DataError, CloneRequired) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as interrupt:
        done = getattr(interrupt, "committed", False)
        print(
            "interrupted: " + ("the rebuilt files were already in place" if done
                               else "the data files were left unchanged"),
            file=sys.stderr,
        )  # fmt: skip
        return atomic.exit_code(interrupt)
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
