"""A tiny SR28 release written in SR28's own format, and the marker for tests that need the
real one (../shared/reference/usda-sr28, or $CRAMPLAB_SR28): shared by tests/test_sr28.py (the
reader, in the package) and tests/tools/test_usda.py (the rebuild, in the tooling)."""

import pytest

from cramplab.paths import sr28_dir
from cramplab.sr28 import ABBREV_COLUMNS

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


def write_tiny_release(tmp_path):
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
