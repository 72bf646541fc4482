"""Where things live. Every path the package uses is defined here, once."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
FIGURES_DIR = REPO_ROOT / "figures"


def sr28_dir() -> Path:
    """The USDA SR28 release: $CRAMPLAB_SR28 if set, else ../shared/reference/usda-sr28.

    The raw release is never part of the repository; code that needs it takes a directory.
    """
    configured = os.environ.get("CRAMPLAB_SR28")
    if configured:
        return Path(configured)
    return REPO_ROOT.parent / "shared" / "reference" / "usda-sr28"
