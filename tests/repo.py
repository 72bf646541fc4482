"""The clone these tests belong to: the committed files they check live here."""

import shutil
import subprocess
from pathlib import Path

import pytest

from cramplab.paths import Clone

CLONE = Clone(Path(__file__).resolve().parents[1])


def copy_clone(destination: Path) -> Clone:
    """A copy of what a fresh clone holds (git's tracked and unignored files), for commands
    that write into a clone: they find it from their working directory."""
    if shutil.which("git") is None or not (CLONE.root / ".git").exists():
        pytest.skip("needs git and a git checkout to know which files a fresh clone holds")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=CLONE.root, capture_output=True, check=True,
    ).stdout  # fmt: skip
    for name in listed.decode().split("\0"):
        if name and (CLONE.root / name).is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(CLONE.root / name, destination / name)
    return Clone(destination)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder, hidden ones included, with its bytes."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
