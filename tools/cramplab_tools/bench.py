"""`make bench`: how fast the course runs, and how its cost grows with the data.

A class waits on `make figures`, `make test` and every notebook's first run, so those are
measured against the floor they cannot beat, measured in the same run on the same machine:

* floor: start a bare kernel (as cramplab.notebooks.execute does: jupyter_client, IPC sockets
  in a temporary directory), run `import pandas, matplotlib, seaborn`, stop the kernel. Every
  notebook pays at least this much.
* notebooks: each numbered notebook executed from a fresh kernel with figures off, and its
  ratio to the floor (how much of its time is the lesson rather than start-up). The planning
  notebook (07), which solves a dozen menus, has its own target: at most 1.5 x the floor.
* nbval: the notebook half of `make test` (pytest on notebooks/, two workers, strict nbval),
  as a subprocess from the repository root, with its ratio to (notebooks x floor).
* make figures: everything `make figures` does (execute the notebooks, catalogue, handout),
  in-process and into a temporary directory so the working tree is left alone, with the same
  ratio. Python start-up and imports are not in this figure; they are in nbval's.
* Ctrl-C on make figures: `python -m cramplab_tools figures` on a scratch copy of the course,
  interrupted (SIGINT to its process group, as a terminal sends it) once two kernels run; the
  seconds until it and its kernels are gone, against the README's two seconds. The tests check
  what an interrupt leaves behind (tests/tools/test_interrupts.py), this how fast it stops.
* make site: the course website built into a temporary directory, wall and CPU seconds.
* browser tests: the part of `make test` that drives Chromium (tests/browser: JupyterLab and
  the site, which they build), as a subprocess with two workers, against the issue's limit of
  90 s. CPU seconds (user + sys of the run and every process it waited for: workers, Chromium,
  JupyterLab and its kernels) are reported too: on a shared machine they vary far less than
  wall time.
* scale: read the whole SR28 release (cramplab.sr28.read_release, which also labels every
  food's diet attributes and portion cap), then ranking (all eight cramp nutrients), the
  coverage table and the planner (its default: the smallest menu for the Daily Values) over
  every food; then the same steps on the foods replicated 2x, 4x and 8x. The slope of log(time) against log(foods) says
  whether a step grows linearly or better (slope <= 1.15) or faster.
* hub capacity: its own section, cramplab_tools.hubbench (a class of 8, 16 and 32 students on
  a real JupyterHub, and the sizing table derived from it), printed last and written to
  bench/hub.json. `--hub-only` runs it alone; `--skip-hub` leaves it out.
* grading: its own section too, cramplab_tools.gradebench (30 students x the whole course
  graded by `make grade`, against 2x running the notebooks once per submission), written to
  bench/grade.json. `--grade-only` runs it alone, `--skip-grade` leaves it out.

Other work shares the two cores, so every figure is the median of --repeats runs, with min
and max to show the noise. Nothing here is a test: a missed target prints MISS, and the exit
status stays 0. It says first how long it will take (about 9 minutes with the default three
runs). The table goes to stdout, progress to stderr, results to build/bench/results.json; the
committed record, bench/results.json, is rewritten only when asked (--record, `make bench
RECORD=1`), after a change that should move the numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from jupyter_client.manager import KernelManager

from cramplab.analysis import coverage, cramp_nutrients, rank_foods
from cramplab.data import CourseData
from cramplab.paths import CloneRequired, find_clone, sr28_dir
from cramplab.plan import plan_menu
from cramplab.sr28 import read_release
from cramplab_tools.notebooks import TIMEOUT_S, course_notebooks, execute

RESULTS_FILE = "results.json"  # in build/bench/, or (--record) the clone's bench/
SCRATCH_RESULTS = Path("build") / "bench"  # in the clone, ignored by git
# Wall minutes per run of everything (floor, notebooks, nbval, make figures, site, browser
# tests, SR28 at scale) on an idle 2-core machine: the record of November 2026 took 8.7 min
# with three runs (its duration_s). The SR28 part alone takes about half a minute a run.
MINUTES_PER_REPEAT = 3.0
SCALE_MINUTES_PER_REPEAT = 0.5
ABOUT = (
    "cramplab benchmark (python -m cramplab_tools.bench): seconds, median/min/max of repeated runs"
)
FLOOR_CODE = "import pandas, matplotlib, seaborn"
NBVAL_COMMAND = ["-m", "pytest", "notebooks", "-n", "2", "--dist", "loadfile", "-q"]
NBVAL_COMMAND += ["-p", "no:cacheprovider"]
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")  # pytest colours its summary line
SCALE_FACTORS = (1, 2, 4, 8)
LINEAR_SLOPE_LIMIT = 1.15  # a little above 1: timings this short carry noise
SLOW_RUN_S = 60.0  # a scale step slower than this once is not repeated (keeps the bench bounded)
NOTEBOOK_LIMIT_X = 1.5  # nbval and make figures: at most 1.5 x (notebooks x floor)
# One notebook against the floor (issue 15: the planner's notebook, once 2.7 x the floor).
PLANNING_NOTEBOOK = "07_planning_a_day"
PLANNING_NOTEBOOK_LIMIT_X = 1.5
BROWSER_COMMAND = ["-m", "pytest", "tests/browser", "-n", "2", "--dist", "loadfile", "-q"]
BROWSER_COMMAND += ["-p", "no:cacheprovider"]
BROWSER_LIMIT_S = 90.0  # issue 17: the browser tests add at most 90 s to make test
SITE_COMMAND = ["-m", "cramplab_tools", "site"]
FIGURES_COMMAND = ["-m", "cramplab_tools", "figures"]
STOP_LIMIT_S = 2.0  # README: Ctrl-C stops make figures within two seconds, kernels included

# Scale steps, timed on each replicated data set, in table order.
STEP_RANKING = "ranking, 8 nutrients"
STEP_COVERAGE = "coverage table"
# On all of SR28 the planner applies every DRI target and limit (SR28 has no food-pattern
# equivalents). The smallest menu (the default objective) then takes about a minute to prove
# optimal with 25 targets; the least-energy menu, as exact, about a second: it is timed here.
STEP_PLANNER = "planner (least energy, every DRI)"

Samples = list[float]


@dataclass
class Measured:
    """Raw timings in seconds. A section that did not run is named in skipped, with why."""

    repeats: int
    floor: Samples = field(default_factory=list)
    notebooks: dict[str, Samples] = field(default_factory=dict)
    nbval: Samples = field(default_factory=list)
    nbval_outcome: str = ""  # pytest's summary line of the last run
    nbval_notebooks: int = 0  # notebooks nbval found (the course can change during a bench)
    figures: Samples = field(default_factory=list)
    figures_notebooks: int = 0
    ctrl_c: Samples = field(default_factory=list)  # signal to command and kernels gone
    site: Samples = field(default_factory=list)
    site_cpu: Samples = field(default_factory=list)  # user + sys, the process and its children
    browser: Samples = field(default_factory=list)
    browser_cpu: Samples = field(default_factory=list)
    browser_outcome: str = ""  # pytest's summary line of the last run
    sr28_dir: str = ""
    sr28_load: Samples = field(default_factory=list)
    scale_foods: list[int] = field(default_factory=list)  # foods at each factor
    scale_steps: dict[str, list[Samples]] = field(default_factory=dict)  # one list per factor
    skipped: dict[str, str] = field(default_factory=dict)
    load_average: list[float] = field(default_factory=list)  # 1-minute, at start and end


# --- statistics -----------------------------------------------------------------------------


def summarize(samples: Samples) -> dict:
    """Median, min and max of repeated timings (the runs are kept, so nothing is hidden)."""
    if not samples:
        raise ValueError("no timings to summarize")
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "runs": list(samples),
    }


def growth_slope(foods: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) against log(foods): 1 is linear, 2 quadratic."""
    if len(foods) != len(seconds) or len(foods) < 2:
        raise ValueError("need one time per data size, and at least two sizes")
    if min(seconds) <= 0:
        raise ValueError("timings must be positive to take their logarithm")
    fit = statistics.linear_regression(
        [math.log(n) for n in foods], [math.log(s) for s in seconds]
    )
    return fit.slope


def growth_verdict(slope: float) -> str:
    # Judged at the two decimals the table shows, so a printed 1.15 never reads "superlinear".
    if round(slope, 2) <= LINEAR_SLOPE_LIMIT:
        return "linear or better"
    return f"superlinear (slope {slope:.2f})"


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


# --- timing ---------------------------------------------------------------------------------


def seconds_taken(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def repeated(action: Callable[[], object], repeats: int, label: str) -> Samples:
    samples = []
    for run in range(1, repeats + 1):
        samples.append(seconds_taken(action))
        progress(f"{label}: run {run}/{repeats} {samples[-1]:.3f} s")
        if samples[-1] > SLOW_RUN_S:
            progress(f"{label}: slower than {SLOW_RUN_S:g} s, not repeated")
            break
    return samples


def children_cpu_seconds() -> float:
    """User + sys seconds of every child process this one has waited for, so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_with_cpu(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run `python command...` from the clone's root; its wall and CPU seconds, and result."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "0"}  # as the Makefile
    cpu_before, start = children_cpu_seconds(), time.perf_counter()
    result = subprocess.run(
        [sys.executable, *command],
        cwd=find_clone().root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - start, children_cpu_seconds() - cpu_before, result


def progress(message: str) -> None:
    print(f"  bench: {message}", file=sys.stderr, flush=True)


# --- kernels: floor, notebooks, nbval, make figures ------------------------------------------


def start_kernel_and_import_libraries() -> None:
    """The floor: what every notebook pays before its first line of lesson runs."""
    socket_dir = tempfile.mkdtemp(prefix="cramplab-bench-")
    # Same kernel set-up as cramplab.notebooks.execute (nbclient passes env and cwd).
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=f"{socket_dir}/ipc")
    client = None
    try:
        manager.start_kernel(
            env={**os.environ, "CRAMPLAB_FIGURES_MODE": "off"}, cwd=str(find_clone().notebooks)
        )
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=TIMEOUT_S)
        reply = client.execute_interactive(
            FLOOR_CODE, timeout=TIMEOUT_S, output_hook=lambda message: None
        )
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the floor cell failed: {reply['content'].get('evalue')}")
    finally:
        if client is not None:
            client.stop_channels()
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
        shutil.rmtree(socket_dir, ignore_errors=True)


def execute_notebook(path: Path) -> None:
    execute(path, env={"CRAMPLAB_FIGURES_MODE": "off"})


def measure_kernels(notebooks: list[Path], repeats: int, measured: Measured) -> None:
    """Floor and notebooks, round-robin: a burst of load elsewhere hits all of them alike."""
    measured.notebooks = {path.stem: [] for path in notebooks}
    for run in range(1, repeats + 1):
        measured.floor.append(seconds_taken(start_kernel_and_import_libraries))
        progress(f"floor: run {run}/{repeats} {measured.floor[-1]:.2f} s")
        for path in notebooks:
            measured.notebooks[path.stem].append(seconds_taken(lambda p=path: execute_notebook(p)))
            progress(f"{path.stem}: run {run}/{repeats} {measured.notebooks[path.stem][-1]:.2f} s")


def run_nbval() -> str:
    """The notebook half of `make test`; returns pytest's summary line ('12 passed in ...').

    pyproject's addopts add --nbval in strict mode. Failing cells (exit 1) are reported, not
    raised: the run still took its time. Any other non-zero exit means it did not really run.
    """
    _, _, result = run_with_cpu(NBVAL_COMMAND)  # timed by the caller, as every figure is
    if result.returncode not in (0, 1):
        tail = ANSI_ESCAPE.sub("", result.stdout + result.stderr).strip().splitlines()[-3:]
        raise RuntimeError(f"pytest exit {result.returncode}: {' / '.join(tail)}")
    return pytest_summary(result.stdout)


def pytest_summary(output: str) -> str:
    """pytest's closing line ('3 failed, 80 passed in 9.1s'), without colours or '=' rules."""
    lines = [line for line in ANSI_ESCAPE.sub("", output).splitlines() if line.strip()]
    return lines[-1].strip("= ") if lines else "no output"


def measure_nbval(repeats: int, measured: Measured) -> None:
    outcomes = []
    measured.nbval_notebooks = len(course_notebooks())  # pytest collects whatever is there
    measured.nbval = repeated(lambda: outcomes.append(run_nbval()), repeats, "nbval")
    measured.nbval_outcome = outcomes[-1]


def measure_make_figures(notebooks: list[Path], repeats: int, measured: Measured) -> None:
    measured.figures_notebooks = len(notebooks)
    measured.figures = repeated(
        lambda: run_make_figures_into_temporary_directory(notebooks), repeats, "make figures"
    )


def run_make_figures_into_temporary_directory(notebooks: list[Path]) -> None:
    """What `make figures` does, written to a temporary directory instead of figures/."""
    # Imported here: only this part needs matplotlib in the bench's own process.
    from cramplab_tools.figures import regenerate

    with tempfile.TemporaryDirectory(prefix="cramplab-bench-figures-") as target:
        target = Path(target)
        with contextlib.redirect_stdout(
            io.StringIO()
        ):  # its per-notebook lines would break the table
            regenerate(target, notebooks)  # the catalogue and the handout too


def measure_ctrl_c(repeats: int, measured: Measured) -> None:
    if os.name != "posix":
        measured.skipped["ctrl_c"] = "skipped: needs POSIX process groups"
        return
    with tempfile.TemporaryDirectory(prefix="cramplab-bench-ctrl-c-") as folder:
        root = scratch_clone(Path(folder))
        for run in range(1, repeats + 1):
            measured.ctrl_c.append(seconds_to_stop_after_ctrl_c(root))
            progress(f"Ctrl-C on make figures: run {run}/{repeats} {measured.ctrl_c[-1]:.2f} s")


def scratch_clone(folder: Path) -> Path:
    """A clone for make figures to be interrupted in: the course's notebooks and data and an
    empty figures/, so that nothing of the real clone is touched whatever happens."""
    clone, root = find_clone(), folder / "clone"
    (root / "figures").mkdir(parents=True)
    shutil.copy2(clone.root / "pyproject.toml", root / "pyproject.toml")
    for name in ("notebooks", "data"):
        shutil.copytree(clone.root / name, root / name, ignore=shutil.ignore_patterns(".*"))
    return root


def seconds_to_stop_after_ctrl_c(root: Path) -> float:
    """Start make figures's command in root in a process group of its own, wait until two of
    its kernels run, send SIGINT to the group; seconds until it and its kernels are gone."""
    import psutil  # with jupyter's packages; only this part needs it

    env = {**os.environ, "PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "0"}  # as the Makefile
    process = subprocess.Popen(
        [sys.executable, *FIGURES_COMMAND], cwd=root, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        kernels = running_kernels(psutil.Process(process.pid), process)
        sent = time.perf_counter()
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=TIMEOUT_S)
        alive = psutil.wait_procs(kernels, timeout=TIMEOUT_S)[1]
        if alive:
            raise RuntimeError(f"kernels outlived the interrupted command: {alive}")
        return time.perf_counter() - sent
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def running_kernels(parent, process: subprocess.Popen, wanted: int = 2) -> list:
    """The kernels parent started, once wanted of them run with their connection files."""
    import psutil

    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"make figures ended (status {process.returncode}) first")
        kernels, ready = [], 0
        for child in parent.children(recursive=True):
            try:
                words = child.cmdline()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            if any("ipykernel" in word for word in words):
                kernels.append(child)
                if "-f" in words and Path(words[words.index("-f") + 1]).exists():
                    ready += 1
        if ready >= wanted:
            return kernels
        time.sleep(0.05)
    raise RuntimeError(f"no {wanted} running kernels within {TIMEOUT_S} s")


# --- make site and the browser tests --------------------------------------------------------


def measure_site(repeats: int, measured: Measured) -> None:
    with tempfile.TemporaryDirectory(prefix="cramplab-bench-site-") as folder:
        for run in range(1, repeats + 1):
            wall, cpu, result = run_with_cpu([*SITE_COMMAND, str(Path(folder) / "site")])
            if result.returncode != 0:
                raise RuntimeError(f"make site failed: {result.stderr.strip()[-300:]}")
            measured.site.append(wall)
            measured.site_cpu.append(cpu)
            progress(f"make site: run {run}/{repeats} {wall:.2f} s, {cpu:.2f} s CPU")


def measure_browser_tests(repeats: int, measured: Measured) -> None:
    """pytest on tests/browser; failing tests (exit 1) still took their time and are reported."""
    for run in range(1, repeats + 1):
        wall, cpu, result = run_with_cpu(BROWSER_COMMAND)
        if result.returncode not in (0, 1):
            tail = ANSI_ESCAPE.sub("", result.stdout + result.stderr).strip().splitlines()[-3:]
            raise RuntimeError(f"pytest exit {result.returncode}: {' / '.join(tail)}")
        measured.browser.append(wall)
        measured.browser_cpu.append(cpu)
        measured.browser_outcome = pytest_summary(result.stdout)
        progress(f"browser tests: run {run}/{repeats} {wall:.2f} s, {cpu:.2f} s CPU")


def browser_tests_ran(outcome: str) -> bool:
    """Did pytest run the browser tests, rather than skip them (no Chromium here)?"""
    return "passed" in outcome and "skipped" not in outcome


def timed_with_cpu(wall: Samples, cpu: Samples, **extra: str) -> dict | None:
    if not wall:
        return None
    return {**summarize(wall), "cpu": summarize(cpu), **extra}


# --- scale ----------------------------------------------------------------------------------


def replicate_foods(data: CourseData, copies: int) -> CourseData:
    """The foods `copies` times over: copy k > 0 has food ids suffixed '_r{k}'.

    Each copy brings its own rows of every per-food table (food_nutrients, the planner's
    food_attributes and portion_caps ...), so every food keeps its amounts, attributes and
    cap; the reference tables (nutrients, intakes, ...) stay as they are.
    """
    if copies < 1:
        raise ValueError(f"copies must be at least 1, not {copies}")

    def copy_of(table: pd.DataFrame, k: int) -> pd.DataFrame:
        return table if k == 0 else table.assign(food_id=table["food_id"] + f"_r{k}")

    per_food = {
        name: pd.concat([copy_of(table, k) for k in range(copies)], ignore_index=True)
        for name in data.table_names()
        if "food_id" in (table := getattr(data, name)).columns
    }
    return replace(data, **per_food)


def rank_every_cramp_nutrient(data: CourseData) -> None:
    for nutrient_id in cramp_nutrients(data):
        rank_foods(data, nutrient_id, "serving", top=None)


def least_energy_menu(data: CourseData) -> object:
    return plan_menu(data, objective="calories")


def coverage_per_serving(data: CourseData) -> object:
    """All of SR28 has no reference amounts, so its coverage is timed per household serving."""
    return coverage(data, basis="serving")


SCALE_STEPS: dict[str, Callable[[CourseData], object]] = {
    STEP_RANKING: rank_every_cramp_nutrient,
    STEP_COVERAGE: coverage_per_serving,
    STEP_PLANNER: least_energy_menu,
}


def measure_scale(directory: Path, repeats: int, measured: Measured) -> None:
    measured.sr28_dir = str(directory)
    measured.sr28_load = repeated(lambda: read_release(directory), repeats, "SR28 load")
    release = read_release(directory)
    measured.scale_steps = {step: [] for step in SCALE_STEPS}
    for factor in SCALE_FACTORS:
        data = replicate_foods(release, factor)
        measured.scale_foods.append(len(data.foods))
        for step, action in SCALE_STEPS.items():
            samples = repeated(lambda a=action, d=data: a(d), repeats, f"{step} at {factor}x")
            measured.scale_steps[step].append(samples)


# --- results --------------------------------------------------------------------------------


def median_of(summary: dict | None) -> float | None:
    return None if summary is None else summary["median"]


def whole_run(
    samples: Samples, notebooks: int, floor_median: float | None, **extra: str
) -> dict | None:
    """nbval or make figures: summary and ratio to (notebooks x floor), or None if not run.

    notebooks is the count that run itself saw, so a notebook added mid-bench cannot make
    the ratio look worse than it is.
    """
    if not samples:
        return None
    summary = summarize(samples)
    budget = None if floor_median is None else notebooks * floor_median
    return {
        **summary,
        "notebooks": notebooks,
        "notebooks_x_floor": budget,
        "ratio_to_notebooks_x_floor": ratio(summary["median"], budget),
        **extra,
    }


def build_results(measured: Measured) -> dict:
    """Everything measured, summarized, with the targets judged; this is results.json."""
    floor = summarize(measured.floor) if measured.floor else None
    floor_median = median_of(floor)
    notebooks = {}
    for name, samples in measured.notebooks.items():
        if not samples:  # the kernels part failed before this notebook ran
            continue
        summary = summarize(samples)
        notebooks[name] = {**summary, "ratio_to_floor": ratio(summary["median"], floor_median)}
    results = {
        "about": ABOUT,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_1min_start_end": measured.load_average,
        },
        "repeats": measured.repeats,
        "floor": floor if floor is None else {**floor, "code": FLOOR_CODE},
        "notebooks": notebooks,
        "nbval": whole_run(
            measured.nbval,
            measured.nbval_notebooks,
            floor_median,
            outcome=measured.nbval_outcome,
        ),
        "make_figures": whole_run(measured.figures, measured.figures_notebooks, floor_median),
        "ctrl_c": summarize(measured.ctrl_c) if measured.ctrl_c else None,
        "site": timed_with_cpu(measured.site, measured.site_cpu),
        "browser_tests": timed_with_cpu(
            measured.browser, measured.browser_cpu, outcome=measured.browser_outcome
        ),
        "scale": scale_results(measured),
        "skipped": dict(measured.skipped),
    }
    results["targets"] = judge_targets(results)
    return results


def scale_results(measured: Measured) -> dict | None:
    if not measured.sr28_load:
        return None
    steps = {}
    for step, per_factor in measured.scale_steps.items():
        summaries = [summarize(samples) for samples in per_factor]
        medians = [s["median"] for s in summaries]
        if len(medians) >= 2:
            slope = growth_slope(measured.scale_foods[: len(medians)], medians)
            growth = growth_verdict(slope)
        else:  # the scale part failed before this step ran at two sizes
            slope, growth = None, "not enough sizes measured"
        steps[step] = {"by_factor": summaries, "slope": slope, "growth": growth}
    return {
        "sr28_dir": measured.sr28_dir,
        "sr28_load": summarize(measured.sr28_load),
        "factors": list(SCALE_FACTORS[: len(measured.scale_foods)]),
        "foods": list(measured.scale_foods),
        "steps": steps,
    }


def judge_targets(results: dict) -> list[dict]:
    """The issue's targets: measured median against the limit, PASS, MISS or n/a."""
    scale = results["scale"]

    def at_full_sr28(step: str) -> float | None:
        if scale is None or not scale["steps"].get(step, {}).get("by_factor"):
            return None
        return scale["steps"][step]["by_factor"][0]["median"]

    checks = [
        ("nbval", "nbval within 1.5x (notebooks x floor)", NOTEBOOK_LIMIT_X, "x"),
        ("make_figures", "make figures within 1.5x (notebooks x floor)", NOTEBOOK_LIMIT_X, "x"),
        (
            PLANNING_NOTEBOOK,
            f"notebook {PLANNING_NOTEBOOK[:2]} within {PLANNING_NOTEBOOK_LIMIT_X:g}x floor",
            PLANNING_NOTEBOOK_LIMIT_X,
            "x",
        ),
        ("ctrl_c", f"Ctrl-C stops make figures within {STOP_LIMIT_S:g} s", STOP_LIMIT_S, "s"),
        ("browser_tests", f"browser tests within {BROWSER_LIMIT_S:g} s", BROWSER_LIMIT_S, "s"),
        ("sr28_load", "SR28 load under 0.5 s", 0.5, "s"),
        (STEP_RANKING, "ranking over all SR28 under 0.2 s", 0.2, "s"),
        (STEP_COVERAGE, "coverage over all SR28 under 0.2 s", 0.2, "s"),
        (STEP_PLANNER, "planner over all SR28 under 2 s", 2.0, "s"),
    ]
    measured = {
        "nbval": (results["nbval"] or {}).get("ratio_to_notebooks_x_floor"),
        "make_figures": (results["make_figures"] or {}).get("ratio_to_notebooks_x_floor"),
        PLANNING_NOTEBOOK: (results["notebooks"].get(PLANNING_NOTEBOOK) or {}).get(
            "ratio_to_floor"
        ),
        "ctrl_c": (results.get("ctrl_c") or {}).get("median"),
        "browser_tests": browser_median(results["browser_tests"]),
        "sr28_load": None if scale is None else scale["sr28_load"]["median"],
        **{step: at_full_sr28(step) for step in SCALE_STEPS},
    }
    judged = []
    for key, target, limit, unit in checks:
        value = measured[key]
        if value is None:
            status = "n/a"
        else:
            status = "PASS" if value <= limit else "MISS"
        judged.append(
            {
                "key": key,
                "target": target,
                "measured": value,
                "limit": limit,
                "unit": unit,
                "status": status,
            }
        )
    return judged


def browser_median(summary: dict | None) -> float | None:
    """The browser tests' median wall time, unless they were skipped (then it says nothing)."""
    if summary is None or not browser_tests_ran(summary["outcome"]):
        return None
    return summary["median"]


def write_results(results: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return path


# --- table ----------------------------------------------------------------------------------

NAME_WIDTH = 46
GROWTH_NAME_WIDTH = 36
RULE = "-" * 96


def seconds_cell(value: float | None) -> str:
    return f"{value:8.3f}" if value is not None else f"{'-':>8}"


def ratio_cell(value: float | None) -> str:
    return f"{value:6.2f}x" if value is not None else f"{'':>7}"


def limit_text(target: dict) -> str:
    return f"{target['limit']:g}{'x' if target['unit'] == 'x' else ' s'}"


def timing_row(
    name: str, summary: dict, ratio_value: float | None = None, target: dict | None = None
) -> str:
    cells = "".join(seconds_cell(summary[k]) for k in ("median", "min", "max"))
    row = f"{name:<{NAME_WIDTH}}{cells} {ratio_cell(ratio_value)}"
    if target is not None:
        row += f"  <= {limit_text(target):<6} {target['status']}"
    return row.rstrip()


def skipped_row(name: str, reason: str) -> str:
    return f"{name:<{NAME_WIDTH}}{reason}"


def format_table(results: dict) -> str:
    """The printed report: fixed-width columns, the same layout every run."""
    targets = {t["key"]: t for t in results["targets"]}
    skipped = results["skipped"]
    machine = results["machine"]
    loads = " -> ".join(f"{x:.2f}" for x in machine["load_average_1min_start_end"])
    lines = [
        f"cramplab bench: {results['repeats']} run(s) per figure, {machine['cpus']} CPUs, "
        f"Python {machine['python']}, 1-min load average {loads}",
        "",
        f"{'seconds':<{NAME_WIDTH}}{'median':>8}{'min':>8}{'max':>8} {'ratio':>7}  target",
        RULE,
    ]
    if results["floor"] is not None:
        lines.append(timing_row("floor: kernel + import pandas, mpl, seaborn", results["floor"]))
        for name, summary in results["notebooks"].items():
            lines.append(timing_row(f"notebook {name}", summary, summary["ratio_to_floor"]))
    else:
        lines.append(skipped_row("floor and notebooks", skipped.get("kernels", "not run")))
    for key, label in (
        ("nbval", "nbval (pytest -n 2)"),
        ("make_figures", "make figures, temp dir"),
    ):
        summary = results[key]
        if summary is None:
            lines.append(skipped_row(label, skipped.get(key, "not run")))
            continue
        label = f"{label}, {summary['notebooks']} notebooks"
        ratio_value = summary["ratio_to_notebooks_x_floor"]
        lines.append(timing_row(label, summary, ratio_value, targets[key]))
        notes = []
        if summary["notebooks_x_floor"] is not None:
            notes.append(
                f"ratio to {summary['notebooks']} x floor = {summary['notebooks_x_floor']:.3f} s"
            )
        if "outcome" in summary:
            notes.append(f"pytest said: {summary['outcome']}")
        if notes:
            lines.append("  " + "; ".join(notes))
        if summary["notebooks"] != len(results["notebooks"]) and results["notebooks"]:
            lines.append(
                f"  note: {len(results['notebooks'])} notebooks were timed one by one; "
                "the course changed during the bench"
            )
    if results.get("ctrl_c") is None:
        lines.append(skipped_row("Ctrl-C on make figures", skipped.get("ctrl_c", "not run")))
    else:
        label = "Ctrl-C on make figures, until all stopped"
        lines.append(timing_row(label, results["ctrl_c"], None, targets["ctrl_c"]))
    lines += format_site_and_browser(results, targets)
    lines.append("")
    lines += format_scale(results["scale"], skipped.get("scale", "not run"), targets)
    lines += ["", "targets (medians against the limits in issues 8, 15 and 17)"]
    for target in results["targets"]:
        value = target["measured"]
        shown = "-" if value is None else f"{value:.3f}{'x' if target['unit'] == 'x' else ' s'}"
        lines.append(f"  {target['status']:<5} {target['target']:<{NAME_WIDTH}} {shown:>10}")
    return "\n".join(lines) + "\n"


def format_site_and_browser(results: dict, targets: dict) -> list[str]:
    """make site and the browser tests: wall seconds, with their CPU seconds below."""
    lines = []
    for key, label, target in (
        ("site", "make site, temp dir", None),
        ("browser_tests", "browser tests (pytest -n 2)", targets["browser_tests"]),
    ):
        summary = results[key]
        if summary is None:
            lines.append(skipped_row(label, results["skipped"].get(key, "not run")))
            continue
        lines.append(timing_row(label, summary, None, target))
        cpu = summary["cpu"]
        note = f"  CPU (user+sys) median {cpu['median']:.1f} s"
        note += f", min {cpu['min']:.1f}, max {cpu['max']:.1f}"
        if "outcome" in summary:
            note += f"; pytest said: {summary['outcome']}"
            if not browser_tests_ran(summary["outcome"]):
                note += " (skipped: not judged)"
        lines.append(note)
    return lines


def format_scale(scale: dict | None, reason: str, targets: dict) -> list[str]:
    if scale is None:
        return [skipped_row("scale (SR28)", reason)]
    foods = scale["foods"][0] if scale["foods"] else 0
    lines = [
        timing_row(
            f"SR28 load (read_release), {foods:,} foods",
            scale["sr28_load"],
            None,
            targets["sr28_load"],
        )
    ]
    for step, result in scale["steps"].items():
        if result["by_factor"]:
            lines.append(
                timing_row(f"{step}, all SR28", result["by_factor"][0], None, targets[step])
            )
    header = f"{'growth: medians, SR28 replicated':<{GROWTH_NAME_WIDTH}}"
    header += "".join(f"{f'{f}x':>10}" for f in scale["factors"]) + "   slope  growth"
    lines += ["", header, RULE]
    lines.append(f"{'foods':<{GROWTH_NAME_WIDTH}}" + "".join(f"{n:>10,}" for n in scale["foods"]))
    for step, result in scale["steps"].items():
        medians = "".join(f"{s['median']:>10.3f}" for s in result["by_factor"])
        slope = "-" if result["slope"] is None else f"{result['slope']:.2f}"
        lines.append(f"{step:<{GROWTH_NAME_WIDTH}}{medians}  {slope:>6}  {result['growth']}")
    if reason != "not run":  # the scale part broke half-way: say so under what it measured
        lines.append(f"  {reason}")
    return lines


# --- command line ---------------------------------------------------------------------------


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m cramplab_tools.bench",
        description="Time the course against the kernel-start floor, and SR28 at scale.",
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument("--quick", action="store_true", help="one run per figure")
    parser.add_argument(
        "--sr28",
        type=Path,
        default=sr28_dir(),
        help="SR28 release directory (default: %(default)s)",
    )
    parser.add_argument(
        "--record",
        action="store_true",
        help=f"rewrite the committed record, bench/{RESULTS_FILE} (default: "
        f"{SCRATCH_RESULTS / RESULTS_FILE}, not committed)",
    )
    parser.add_argument(
        "--skip-notebooks",
        action="store_true",
        help="only the scale part: start no kernels, build no site, open no browser",
    )
    parser.add_argument(
        "--hub-only", action="store_true", help="only the hub capacity section (hubbench)"
    )
    parser.add_argument("--skip-hub", action="store_true", help="leave the hub section out")
    parser.add_argument(
        "--grade-only", action="store_true", help="only the grading section (gradebench)"
    )
    parser.add_argument("--skip-grade", action="store_true", help="leave the grading section out")
    parser.add_argument(
        "--students", type=int, default=30, help="class size of the grading section (default 30)"
    )
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    args.repeats = 1 if args.quick else args.repeats
    return args


def expected_minutes(repeats: int, skip_notebooks: bool) -> float:
    """How long a run takes on an idle 2-core machine (longer on a busy one)."""
    return repeats * (SCALE_MINUTES_PER_REPEAT if skip_notebooks else MINUTES_PER_REPEAT)


def results_path(clone, record: bool) -> Path:
    return clone.bench / RESULTS_FILE if record else clone.root / SCRATCH_RESULTS / RESULTS_FILE


def run_section(name: str, measured: Measured, action: Callable[[], object]) -> None:
    """Run one part; a failure is reported in the table and JSON instead of ending the bench."""
    try:
        action()
    except Exception as error:  # a benchmark reports what broke and measures the rest
        measured.skipped[name] = f"failed: {type(error).__name__}: {error}"
        progress(f"{name} failed: {error}")


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        clone = find_clone(command="make bench")
    except CloneRequired as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.hub_only:
        from cramplab_tools import hubbench

        return hubbench.report(clone, record=args.record)
    if args.grade_only:
        from cramplab_tools import gradebench

        return gradebench.report(clone, record=args.record, students=args.students)
    started = time.perf_counter()
    target = results_path(clone, args.record)
    runs = "one run" if args.repeats == 1 else f"{args.repeats} runs"
    minutes = expected_minutes(args.repeats, args.skip_notebooks)
    duration = f"about {minutes:.0f} minutes" if minutes >= 1 else "under a minute"
    print(
        f"make bench: {duration} on an idle 2-core machine ({runs} of each measurement; longer on a busy one); "
        f"results to {target.relative_to(clone.root)}",
        flush=True,
    )
    measured = Measured(repeats=args.repeats, load_average=[os.getloadavg()[0]])
    if args.skip_notebooks:
        for name in ("kernels", "nbval", "make_figures", "ctrl_c", "site", "browser_tests"):
            measured.skipped[name] = "skipped: --skip-notebooks given"
    else:
        notebooks = course_notebooks()
        run_section(
            "kernels", measured, lambda: measure_kernels(notebooks, args.repeats, measured)
        )
        run_section("nbval", measured, lambda: measure_nbval(args.repeats, measured))
        run_section(
            "make_figures",
            measured,
            lambda: measure_make_figures(notebooks, args.repeats, measured),
        )
        run_section("ctrl_c", measured, lambda: measure_ctrl_c(args.repeats, measured))
        run_section("site", measured, lambda: measure_site(args.repeats, measured))
        run_section(
            "browser_tests", measured, lambda: measure_browser_tests(args.repeats, measured)
        )
    if not (args.sr28 / "ABBREV.txt").exists():
        measured.skipped["scale"] = (
            f"skipped: no SR28 release at {args.sr28} (name one with --sr28 DIR)"
        )
    else:
        run_section("scale", measured, lambda: measure_scale(args.sr28, args.repeats, measured))
    measured.load_average.append(os.getloadavg()[0])
    results = build_results(measured)
    results["duration_s"] = round(time.perf_counter() - started, 1)
    path = write_results(results, target)
    print(format_table(results), end="")
    minutes = results["duration_s"] / 60
    print(f"\nwrote {path.relative_to(clone.root)} ({minutes:.1f} minutes)")
    if not args.record:
        print("  to update the committed record: make bench RECORD=1 (bench/results.json)")
    if not (args.skip_notebooks or args.skip_hub):  # the hub section starts kernels too
        from cramplab_tools import hubbench

        print()
        hubbench.report(clone, record=args.record)
    if not (args.skip_notebooks or args.skip_grade):
        from cramplab_tools import gradebench

        print()
        gradebench.report(clone, record=args.record, students=args.students)
    return 0


if __name__ == "__main__":
    sys.exit(main())
