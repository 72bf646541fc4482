"""Step 3 of tools/move.sh: rewrite every reference to the moved modules (tools/MOVE_PLAN.md).

Idempotent: each rule matches only the old names, so a second run changes nothing. Run from the
top of the clone: python tools/move_rewrite.py
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

MOVED = ("atomic", "usda", "course")  # names that leave the cramplab package
# Never rewritten: the move's own files (they name the old places on purpose), the pins, data.
SKIP = ("tools/move.sh", "tools/move_rewrite.py", "tools/MOVE_PLAN.md", "requirements.lock",
        "constraints.txt", "LICENSE")  # fmt: skip
SKIP_DIRS = ("data/", "figures/")
TEXT_SUFFIXES = {".py", ".md", ".toml", ".cfg", ".ipynb", ".json", ".yaml", ".yml", ".sh",
                 ".service", ".txt", ".html", ""}  # fmt: skip

RULES = [
    # files named by path
    (r"src/cramplab/course/", "tools/cramplab_tools/"),
    (r"src/cramplab/course\b", "tools/cramplab_tools"),
    (r"src/cramplab/(usda|atomic)\.py", r"tools/cramplab_tools/\1.py"),
    (r"tests/course/", "tests/tools/"),
    (r"tests/course\b", "tests/tools"),
    (r"tests/test_(usda|atomic)\.py", r"tests/tools/test_\1.py"),
    # modules named by dotted name (imports, python -m, prose)
    (r"\bcramplab\.course\b", "cramplab_tools"),
    (r"\bcramplab\.(usda|atomic)\b", r"cramplab_tools.\1"),
]


def split_from_imports(text: str) -> str:
    """`from cramplab import atomic, diets` -> `from cramplab import diets` and
    `from cramplab_tools import atomic` (a name that moved goes to the tools' import)."""

    def split(match: re.Match) -> str:
        indent, names = match["indent"], match["names"]
        parts = [
            n.strip() for n in names.replace("(", "").replace(")", "").split(",") if n.strip()
        ]
        moved = [p for p in parts if p.split(" as ")[0] in MOVED]
        if not moved:
            return match[0]
        kept = [p for p in parts if p not in moved]
        moved = ["facts" if p == "course" else p for p in moved]  # course itself: rare
        lines = []
        if kept:
            lines.append(f"{indent}from cramplab import {', '.join(kept)}")
        lines.append(f"{indent}from cramplab_tools import {', '.join(moved)}")
        return "\n".join(lines)

    pattern = r"^(?P<indent>[ \t]*)from cramplab import (?P<names>\([^)]*\)|[^\n]+)"
    return re.sub(pattern, split, text, flags=re.M)


def rewrite(text: str, is_python: bool) -> str:
    if is_python:
        text = split_from_imports(text)
    for old, new in RULES:
        text = re.sub(old, new, text)
    return text


def tracked_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], capture_output=True, check=True).stdout
    return [Path(p) for p in out.decode().split("\0") if p]


def main() -> int:
    changed = []
    for path in tracked_files():
        name = path.as_posix()
        if name in SKIP or name.startswith(SKIP_DIRS) or not path.is_file():
            continue
        if path.suffix not in TEXT_SUFFIXES and path.name not in ("Makefile", "postBuild", "run"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        # notebooks' cells are JSON strings: the dotted-name rules reach them, which is enough
        # (no notebook imports a moved module with `from cramplab import ...`)
        updated = rewrite(text, path.suffix == ".py")
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            changed.append(name)
    print(f"rewrote references in {len(changed)} files")
    for name in changed:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
