"""The hub section of `make bench`: a class of 8, 16 and 32 students on a real JupyterHub.

For each class size, a fresh hub (cramplab_tools.classhub: the hub test's set-up) lets every
student log in, start their server, pull the course with nbgitpuller and run the student
edition's notebook 03 in their own kernel, all at once. Measured per class:

* time until every student's server is ready (from the moment all of them asked for it);
* time until every student's notebook 03 has run (from the moment all of them started it);
* per student, after the notebook: RSS and PSS of their server and of their kernel, read from
  /proc/PID/smaps_rollup (PSS splits shared pages between the processes sharing them, so the
  sum over processes is the memory actually used), and the CPU seconds both used for the run
  (the kernel's start-up included);
* the hub's and the proxy's PSS.

Before each class it checks the memory the machine has available (MemAvailable) against what
the class would need (the previous class's largest RSS per student, or a first guess, x 1.5,
plus 2 GiB left over for everything else), and stops there rather than push the machine into
swapping or its out-of-memory killer; the results say where and why it stopped.

The sizing table (cramplab_tools.hubsizing) is derived from the largest class measured, and
printed with the measurements. Results go to bench/hub.json: deploy/ and the README's table take
their numbers from it, and tests/test_deploy.py checks that they agree.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cramplab.paths import CloneRequired, find_clone
from cramplab_tools.classhub import (
    NOTEBOOK,
    ClassHub,
    all_at_once,
    course_repository,
    cpu_seconds,
    memory_kib,
    missing_hub,
)
from cramplab_tools.hubsizing import CLASS_ROWS, machine_for, quantity, size_class

RESULTS_FILE = "hub.json"  # in the clone's bench/
CLASS_SIZES = (8, 16, 32)
FIRST_GUESS_MIB = 400  # per student, before any class has been measured (RSS, server + kernel)
MEMORY_SAFETY = 1.5
MEMORY_LEFT_MIB = 2048
ABOUT = (
    "cramplab hub capacity (python -m cramplab_tools.hubbench): a class on a real JupyterHub, "
    f"every student running {NOTEBOOK} at once; memory in KiB, times in seconds"
)


def progress(message: str) -> None:
    print(f"  bench hub: {message}", file=sys.stderr, flush=True)


def memory_available_mib() -> int:
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    raise RuntimeError("/proc/meminfo has no MemAvailable line")


def memory_needed_mib(students: int, previous: dict | None) -> int:
    """What a class of `students` would take, with the safety margin and what must stay free."""
    if previous:
        per_student = max(
            s["server_rss_kib"] + s["kernel_rss_kib"] for s in previous["per_student"]
        )
        per_student_mib = per_student / 1024
    else:
        per_student_mib = FIRST_GUESS_MIB
    return int(students * per_student_mib * MEMORY_SAFETY + MEMORY_LEFT_MIB)


def timed(action, student) -> float:
    """How long after the class started this student's step was done."""
    action(student)
    return time.perf_counter()


def measure_class(size: int, clone_root: Path) -> dict:
    """One class of `size` students on a fresh hub, everything measured (see the module)."""
    with tempfile.TemporaryDirectory(prefix="cramplab-bench-hub-") as work:
        work = Path(work)
        hub = ClassHub(work / "hub", course_repository(clone_root, work / "course.git"))
        with hub:
            students = [hub.student(f"student{n:02d}") for n in range(1, size + 1)]
            all_at_once(hub.login, students)
            start = time.perf_counter()
            ready = [
                t - start for t in all_at_once(lambda s: timed(hub.start_server, s), students)
            ]
            progress(f"{size} students: every server ready after {max(ready):.1f} s")
            all_at_once(hub.pull_course, students)
            servers = hub.processes()
            cpu_before = {name: cpu_seconds(server) for name, (server, _) in servers.items()}
            start = time.perf_counter()
            runs, done = [], []

            def run(student):
                runs.append(hub.run_notebook(student))
                done.append(time.perf_counter() - start)

            all_at_once(run, students)
            progress(f"{size} students: every notebook done after {max(done):.1f} s")
            per_student = []
            for name, (server, kernels) in sorted(hub.processes().items()):
                if len(kernels) != 1:
                    raise RuntimeError(f"{name} has {len(kernels)} kernels, not 1")
                server_rss, server_pss = memory_kib(server.pid)
                kernel_rss, kernel_pss = memory_kib(kernels[0].pid)
                cpu = cpu_seconds(server) - cpu_before[name] + cpu_seconds(kernels[0])
                per_student.append(
                    {
                        "student": name,
                        "server_rss_kib": server_rss,
                        "server_pss_kib": server_pss,
                        "kernel_rss_kib": kernel_rss,
                        "kernel_pss_kib": kernel_pss,
                        "cpu_seconds": round(cpu, 3),
                    }
                )
            hub_rss, hub_pss = memory_kib(hub.process.pid)
            proxy_rss, proxy_pss = memory_kib(hub.proxy_process().pid)
            problems = [f"{r.student}: {p}" for r in runs for p in r.problems]
            ended = hub.stop()
    return {
        "students": size,
        "ready_seconds": summary(ready),
        "run_seconds": summary(done),
        "per_student": per_student,
        "hub": {"rss_kib": hub_rss, "pss_kib": hub_pss},
        "proxy": {"rss_kib": proxy_rss, "pss_kib": proxy_pss},
        "problems": problems,
        "ended_after_shutdown": ended,
    }


def summary(values: list[float]) -> dict:
    return {
        "first": round(min(values), 2),
        "median": round(statistics.median(values), 2),
        "last": round(max(values), 2),
    }


def measure(clone_root: Path, sizes: tuple[int, ...] = CLASS_SIZES) -> dict:
    """Every class size in turn, until done or the machine's memory says stop."""
    results = {
        "about": ABOUT,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "memory_available_mib_at_start": memory_available_mib(),
            "load_average_1min_start_end": [os.getloadavg()[0]],
        },
        "notebook": NOTEBOOK,
        "classes": [],
        "stopped": None,
    }
    for size in sizes:
        previous = results["classes"][-1] if results["classes"] else None
        needed, available = memory_needed_mib(size, previous), memory_available_mib()
        if needed > available:
            results["stopped"] = (
                f"stopped before {size} students: they would need about {needed} MiB "
                f"(x{MEMORY_SAFETY:g}, with {MEMORY_LEFT_MIB} MiB left free), "
                f"{available} MiB available"
            )
            progress(results["stopped"])
            break
        progress(f"{size} students: starting ({available} MiB available, ~{needed} needed)")
        results["classes"].append(measure_class(size, clone_root))
    results["machine"]["load_average_1min_start_end"].append(os.getloadavg()[0])
    if results["classes"]:
        results["sizing"] = size_class(results["classes"][-1]).as_dict()
    return results


# --- the printed report ---------------------------------------------------------------------


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f}"


def format_report(results: dict) -> str:
    lines = [
        f"hub capacity: {results['notebook']} for a whole class at once, "
        f"{results['machine']['cpus']} CPUs",
        "",
        f"{'students':>8} {'ready: first':>13} {'median':>7} {'last':>7} "
        f"{'run: first':>11} {'median':>7} {'last':>7}  per student after the notebook, "
        "MiB (median / max)",
        "-" * 96,
    ]
    for measured in results["classes"]:
        students = measured["per_student"]
        pss = [(s["server_pss_kib"] + s["kernel_pss_kib"]) for s in students]
        rss = [(s["server_rss_kib"] + s["kernel_rss_kib"]) for s in students]
        kernel = [s["kernel_pss_kib"] for s in students]
        cpu = [s["cpu_seconds"] for s in students]
        ready, run = measured["ready_seconds"], measured["run_seconds"]
        lines.append(
            f"{measured['students']:>8} {ready['first']:>13.1f} {ready['median']:>7.1f} "
            f"{ready['last']:>7.1f} {run['first']:>11.1f} {run['median']:>7.1f} "
            f"{run['last']:>7.1f}  PSS {mib(statistics.median(pss))} / {mib(max(pss))}, "
            f"RSS {mib(statistics.median(rss))} / {mib(max(rss))}, "
            f"kernel PSS {mib(max(kernel))}, CPU {statistics.median(cpu):.1f} / {max(cpu):.1f} s"
        )
        lines.append(
            f"{'':>8} hub PSS {mib(measured['hub']['pss_kib'])} MiB, proxy PSS "
            f"{mib(measured['proxy']['pss_kib'])} MiB; "
            + (
                f"{len(measured['problems'])} problems: {measured['problems'][:3]}"
                if measured["problems"]
                else "every cell of every notebook ran without an error"
            )
        )
    if results["stopped"]:
        lines.append(f"  {results['stopped']}")
    if "sizing" not in results:
        return "\n".join(lines) + "\n"
    sizing = size_class(results["classes"][-1])
    lines += [
        "",
        f"sizing (cramplab_tools.hubsizing, from the class of {sizing.students_measured}):",
        f"  memory per student {sizing.student_pss_mib:g} MiB (kernel {sizing.kernel_pss_mib:g})"
        f" -> guarantee {quantity(sizing.memory_guarantee_mib)}, limit "
        f"{quantity(sizing.memory_limit_mib)}, {sizing.students_per_gib:g} students per GiB",
        f"  CPU {sizing.cpu_seconds_per_student:g} s per student -> "
        f"{sizing.students_per_core} students per core (Run All within a minute), guarantee "
        f"{sizing.cpu_guarantee:g}, limit {sizing.cpu_limit:g}",
        f"  hub + proxy {sizing.hub_and_proxy_pss_mib:g} MiB -> {sizing.overhead_mib} MiB",
        "",
        f"  {'students at once':>16} {'memory':>10} {'(typical)':>10} {'cores':>6}  where",
    ]
    for students in CLASS_ROWS:
        machine = machine_for(sizing, students)
        lines.append(
            f"  {students:>16} {machine.memory_gib:>6g} GiB {machine.typical_memory_gib:>6g} GiB"
            f" {machine.cores:>6}  {machine.where}"
        )
    return "\n".join(lines) + "\n"


def write_results(results: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return path


def report(clone, sizes: tuple[int, ...] = CLASS_SIZES, record: bool = False) -> int:
    """Measure, print the report, write build/bench/hub.json (record: the committed
    bench/hub.json that deploy/ and the README follow). A hub that cannot run here is said in
    one line (the rest of the bench is not affected)."""
    if problem := missing_hub():
        print(f"hub capacity: not measured: {problem}")
        return 0
    try:
        results = measure(clone.root, sizes)
    except Exception as error:  # a benchmark reports what broke
        print(f"hub capacity: failed: {type(error).__name__}: {error}")
        return 1
    print(format_report(results), end="")
    target = clone.bench if record else clone.root / "build" / "bench"
    path = write_results(results, target / RESULTS_FILE)
    print(f"\nwrote {path.relative_to(clone.root)}")
    return 0


def parse_sizes(text: str) -> tuple[int, ...]:
    sizes = tuple(int(part) for part in text.split(",") if part.strip())
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"class sizes must be positive numbers, not {text!r}")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cramplab_tools.hubbench",
        description="A class on a real JupyterHub: memory, CPU and times; the sizing table.",
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=CLASS_SIZES,
        help="class sizes, in order (default: %(default)s)",
    )
    parser.add_argument(
        "--record",
        action="store_true",
        help="rewrite the committed bench/hub.json (default: build/bench/hub.json)",
    )
    args = parser.parse_args(argv)
    try:
        clone = find_clone(command="make bench")
    except CloneRequired as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return report(clone, args.sizes, record=args.record)


if __name__ == "__main__":
    sys.exit(main())
