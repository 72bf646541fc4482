"""Self-checks for the notebooks' exercises: `from cramplab import checks`, then
`checks.<name>(answer)` in the cell under an exercise.

Every check prints one short line and never raises, so Run All always reaches the end:
"Not answered yet: ..." while the answer is still `...`, "Not quite: ..." (what to look at)
for a wrong answer, "Expected ..." for the wrong kind of value, and "Correct! ..." with why
the answer is right. Each recomputes its expected answer from the data.

One module per notebook (n00_start_here, n01_the_data, ...) holds that notebook's checks;
core holds the machinery and the small API for writing a check (see cramplab.checks.core).
"""

from cramplab.checks import (
    n00_start_here,
    n01_the_data,
    n02_nutrients_and_symptoms,
    n03_food_sources,
    n04_coverage,
    n05_grading_evidence,
    n06_checking_the_guide,
    n07_planning_a_day,
)
from cramplab.checks.n00_start_here import *  # noqa: F403
from cramplab.checks.n01_the_data import *  # noqa: F403
from cramplab.checks.n02_nutrients_and_symptoms import *  # noqa: F403
from cramplab.checks.n03_food_sources import *  # noqa: F403
from cramplab.checks.n04_coverage import *  # noqa: F403
from cramplab.checks.n05_grading_evidence import *  # noqa: F403
from cramplab.checks.n06_checking_the_guide import *  # noqa: F403
from cramplab.checks.n07_planning_a_day import *  # noqa: F403

NOTEBOOK_MODULES = (
    n00_start_here,
    n01_the_data,
    n02_nutrients_and_symptoms,
    n03_food_sources,
    n04_coverage,
    n05_grading_evidence,
    n06_checking_the_guide,
    n07_planning_a_day,
)
__all__ = [name for module in NOTEBOOK_MODULES for name in module.__all__]
