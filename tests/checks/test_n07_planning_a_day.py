"""Self-checks of notebook 07: every case of every check (see cases.py).

Menus take seconds to solve, so each is solved once, when a test first needs it.
"""

import functools

from cramplab import checks, plan
from cramplab.data import load

from .cases import Case, Later, generated_tests

DATA = load()


@functools.cache
def menu(objective="foods", exclude=(), limits=()):
    return plan.plan_menu(DATA, objective=objective, exclude=list(exclude), limits=dict(limits))


WITHOUT_BEET = Later(lambda: menu(exclude=("beet_greens_cooked",)))
WITHIN_400 = Later(lambda: menu(limits=(("energy", 400),)))
DEFAULT = Later(lambda: menu())
FEWEST_CALORIES = Later(lambda: menu("calories"))

CASES = [
    Case(
        checks.menu_without,
        args=("beet_greens_cooked",),
        right=WITHOUT_BEET,
        equivalent=[WITHOUT_BEET],
        wrong=[DEFAULT, FEWEST_CALORIES],
        wrong_type=["beet_greens_cooked", 3, []],
    ),
    Case(checks.menu_without, args=("salmon_sockeye",), right=WITHIN_400),
    Case(
        checks.menu_within_calories,
        args=(400,),
        right=WITHIN_400,
        wrong=[DEFAULT],
        wrong_type=[Later(lambda: menu(limits=(("energy", 400),)).items), 400],
    ),
    Case(checks.menu_within_calories, args=(600,), right=DEFAULT, equivalent=[WITHIN_400]),
]

test_unanswered_prints_one_line_and_carries_on, test_each_answer_gets_its_own_feedback = (
    generated_tests(CASES)
)
