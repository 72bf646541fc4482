"""Facts about the course's length (cramplab_tools.timing), stated in the notebooks' headers
and the README: computed from the notebooks, not from data/."""

from cramplab_tools import timing
from cramplab_tools.facts import FACTS, Context


def _register_notebook_times() -> None:
    for number in ("00", "01", "02", "03", "04", "05", "06", "07"):

        @FACTS.value(f"time_{number}", f"minutes notebook {number} takes a class (timing.py)")
        def _(c: Context, number=number):
            return timing.course_minutes()[number]


_register_notebook_times()


@FACTS.value("time_total", "minutes the whole module takes a class (timing.py)")
def _(c: Context):
    return sum(timing.course_minutes().values())


@FACTS.value("time_total_hours", "hours the whole module takes a class (timing.py)", ".1f")
def _(c: Context):
    return sum(timing.course_minutes().values()) / 60


@FACTS.value("time_one_class", "minutes of the one-class path (timing.ONE_CLASS)")
def _(c: Context):
    return sum(timing.one_class_minutes().values())
