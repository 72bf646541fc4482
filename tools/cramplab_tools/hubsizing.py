"""How big a hub a class needs for this course: the rule, written once, from a measured class.

The input is the largest class `make bench` ran on a real hub (cramplab_tools.hubbench): for each
student, the proportional set size (PSS: shared pages split between the processes that share
them) of their server and of the kernel that ran notebook 03, read after the notebook, and the
CPU seconds both used for it. The rule:

* memory per student (what one student with one notebook running holds):
  `student = max over students of (server PSS + kernel PSS)`;
* memory guarantee (Kubernetes `singleuser.memory.guarantee`): `student`, rounded up to 64 MiB;
* memory limit (Kubernetes `singleuser.memory.limit`, the one-machine `mem_limit`, and TLJH's
  "max memory per user"): `1.4 x (student + kernel)`, rounded up to 64 MiB, where `kernel` is the
  largest kernel's PSS: room for a second notebook's kernel (JupyterLab keeps a notebook's kernel
  running after its tab closes, until the idle-kernel culler ends it), plus The Littlest
  JupyterHub's advice of 20-40% headroom over the measured use, at its upper end;
* CPU: a class presses Run All together, so the machine is sized for everyone's notebook to be
  done within a minute: `students per core = floor(60 s / CPU seconds per student)`, with the
  CPU seconds of the most demanding student (kernel start-up, imports and notebook 03);
  `cpu guarantee = 1 / students per core` (rounded up to 0.05 core), `cpu limit = 1` core (a
  notebook runs on one core; the limit keeps one student from starving the rest);
* one machine for N students at once: `memory = hub + proxy + N x limit` (TLJH's formula, with
  the hub's and proxy's measured PSS for its 128 MB of overhead), rounded up to 0.5 GiB; shown
  beside it, what they hold with one notebook each (`hub + proxy + N x guarantee`); and
  `cores = ceil(N / students per core)`;
* Kubernetes: the same totals on nodes of 8 cores and 32 GiB (2 GiB of each kept for the
  system), as many as the larger of the two needs.

Where this departs from TLJH's guide: its CPU advice is a rule of thumb, not a formula; the
minute for Run All is this course's choice. Memory is sized for every student at their limit at
once, as in a lab session; TLJH suggests that 40-60% of a class is active at a time otherwise.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

MIB_PER_GIB = 1024
ROUND_MIB = 64
HEADROOM = 1.4  # TLJH: "add 20-40% headroom"; the upper end
OPEN_KERNELS = 2  # a student's server with two notebooks' kernels alive
RUN_ALL_S = 60.0  # everyone's Run All of the notebook done within a minute
CPU_STEP = 0.05  # Kubernetes CPU guarantee, rounded up to this
CPU_LIMIT = 1.0
NODE_CORES = 8
NODE_GIB = 32
NODE_RESERVED_GIB = 2  # the node's own system pods and kubelet
ONE_MACHINE_UP_TO = 100  # TLJH's documented range: up to about 100 users on one machine
CLASS_ROWS = (10, 30, 50, 100, 300)
RECOMMEND_FOR = (30, 300)  # the classes the README's recommendation names
SERVER_SIZES_GIB = (4, 8, 16, 32, 64, 128, 256, 512)  # common machine sizes


def round_up(value: float, step: float) -> float:
    """value rounded up to a whole number of steps (exact for the steps used here)."""
    steps = math.ceil(round(value / step, 9))
    return round(steps * step, 9)


@dataclass(frozen=True)
class Sizing:
    """The measured inputs and what the rule makes of them (MiB, cores, seconds)."""

    students_measured: int
    student_pss_mib: float
    kernel_pss_mib: float
    cpu_seconds_per_student: float
    hub_and_proxy_pss_mib: float
    memory_guarantee_mib: int
    memory_limit_mib: int
    cpu_guarantee: float
    cpu_limit: float
    students_per_core: int
    students_per_gib: float
    overhead_mib: int

    def as_dict(self) -> dict:
        return asdict(self)


def size_class(measured: dict) -> Sizing:
    """The rule above, applied to one measured class (hubbench's record of it)."""
    students = measured["per_student"]
    if not students:
        raise ValueError("a sizing needs at least one measured student")
    student = max(s["server_pss_kib"] + s["kernel_pss_kib"] for s in students) / 1024
    kernel = max(s["kernel_pss_kib"] for s in students) / 1024
    cpu = max(s["cpu_seconds"] for s in students)
    if cpu <= 0:
        raise ValueError("the students' CPU seconds must be positive")
    overhead = (measured["hub"]["pss_kib"] + measured["proxy"]["pss_kib"]) / 1024
    limit = int(round_up(HEADROOM * (student + (OPEN_KERNELS - 1) * kernel), ROUND_MIB))
    per_core = max(1, math.floor(RUN_ALL_S / cpu))
    return Sizing(
        students_measured=len(students),
        student_pss_mib=round(student, 1),
        kernel_pss_mib=round(kernel, 1),
        cpu_seconds_per_student=round(cpu, 2),
        hub_and_proxy_pss_mib=round(overhead, 1),
        memory_guarantee_mib=int(round_up(student, ROUND_MIB)),
        memory_limit_mib=limit,
        cpu_guarantee=round_up(1 / per_core, CPU_STEP),
        cpu_limit=CPU_LIMIT,
        students_per_core=per_core,
        students_per_gib=round(MIB_PER_GIB / limit, 1),
        overhead_mib=int(round_up(overhead, ROUND_MIB)),
    )


@dataclass(frozen=True)
class Machine:
    """What N students at once need, and where to run them."""

    students: int
    memory_gib: float  # everyone at their limit
    typical_memory_gib: float  # everyone with one notebook's kernel
    cores: int
    where: str


def machine_for(sizing: Sizing, students: int) -> Machine:
    memory_gib = round_up(
        (sizing.overhead_mib + students * sizing.memory_limit_mib) / MIB_PER_GIB, 0.5
    )
    typical_gib = round_up(
        (sizing.overhead_mib + students * sizing.memory_guarantee_mib) / MIB_PER_GIB, 0.5
    )
    cores = math.ceil(students / sizing.students_per_core)
    if students <= ONE_MACHINE_UP_TO:
        where = "one machine (The Littlest JupyterHub or deploy/one-machine)"
    else:
        nodes = max(
            math.ceil(memory_gib / (NODE_GIB - NODE_RESERVED_GIB)),
            math.ceil(cores / NODE_CORES),
        )
        where = f"Zero to JupyterHub: {nodes} nodes of {NODE_CORES} cores, {NODE_GIB} GiB"
    return Machine(students, memory_gib, typical_gib, cores, where)


def server_size_gib(memory_gib: float) -> int:
    """The smallest common machine size holding memory_gib."""
    return next(size for size in SERVER_SIZES_GIB if size >= memory_gib)


def recommendation(sizing: Sizing, students: int) -> str:
    """One sentence: what a class of `students` working at once needs, from the table's row."""
    machine = machine_for(sizing, students)
    if students <= ONE_MACHINE_UP_TO:
        return (
            f"A class of {students} working at once: one machine with {machine.memory_gib:g} GiB "
            f"of memory for everyone at their limit (a {server_size_gib(machine.memory_gib)} GiB "
            f"server; {machine.typical_memory_gib:g} GiB while each has one notebook open) and "
            f"{machine.cores} CPU cores."
        )
    return (
        f"A class of {students} working at once: {machine.where.split(': ', 1)[1]} on Zero to "
        f"JupyterHub ({machine.memory_gib:g} GiB of memory for everyone at their limit, "
        f"{machine.typical_memory_gib:g} GiB guaranteed, {machine.cores} CPU cores)."
    )


def quantity(mib: int) -> str:
    """Memory as Kubernetes and systemd write it (M: mebibytes for both)."""
    return f"{mib}M"


def markdown(sizing: Sizing) -> str:
    """The README's sizing table (between its hub-sizing markers), from the recorded bench."""
    lines = [
        f"Measured with {sizing.students_measured} students at once, after notebook 03: "
        f"{sizing.student_pss_mib:g} MiB per student (server + kernel, PSS), of which the "
        f"kernel {sizing.kernel_pss_mib:g} MiB; {sizing.cpu_seconds_per_student:g} CPU seconds "
        f"per student; hub and proxy {sizing.hub_and_proxy_pss_mib:g} MiB.",
        "",
        "| per student | value |",
        "| --- | --- |",
        f"| memory guarantee (Kubernetes) | {quantity(sizing.memory_guarantee_mib)} |",
        f"| memory limit (both set-ups) | {quantity(sizing.memory_limit_mib)} |",
        f"| CPU guarantee / limit (Kubernetes) | {sizing.cpu_guarantee:g} / {sizing.cpu_limit:g} |",
        f"| students per GiB of memory | {sizing.students_per_gib:g} |",
        f"| students per CPU core | {sizing.students_per_core} |",
        "",
        "| students at once | memory | (typical) | CPU cores | where |",
        "| ---: | ---: | ---: | ---: | --- |",
    ]
    for students in CLASS_ROWS:
        machine = machine_for(sizing, students)
        lines.append(
            f"| {students} | {machine.memory_gib:g} GiB | {machine.typical_memory_gib:g} GiB "
            f"| {machine.cores} | {machine.where} |"
        )
    lines += ["", *(recommendation(sizing, students) for students in RECOMMEND_FOR)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the README's sizing table from the clone's bench/hub.json (written by make bench)."""
    import json
    import sys

    from cramplab.paths import CloneRequired, find_clone

    try:
        results = find_clone(command="python -m cramplab_tools.hubsizing").bench / "hub.json"
    except CloneRequired as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not results.is_file():
        print(f"error: no {results.name} in bench/: run `make bench` first", file=sys.stderr)
        return 2
    print(markdown(size_class(json.loads(results.read_text())["classes"][-1])), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
