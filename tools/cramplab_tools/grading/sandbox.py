"""Containment for a student's kernel, applied by the kernel process to itself before it runs
any student code (kernel.py), and the grader-side clean-up of what a kernel started.

What is contained, by platform (``describe()`` says it in words, and the grader prints it):

* every platform: a temporary copy of the submission as working folder (HOME, TMPDIR too),
  limits on address space (RLIMIT_AS), processes (RLIMIT_NPROC), file size (RLIMIT_FSIZE),
  CPU seconds, a per-cell and per-notebook time limit the grader enforces by killing the
  kernel's processes (by pid: its session and every process carrying the run's token);
* Linux as root: a network namespace (no network), a mount namespace in which /tmp, /dev/shm,
  the submissions, the grade output and the other kernels' folders are hidden behind empty
  read-only tmpfs and the clone is read-only, and a uid of its own per kernel (so RLIMIT_NPROC
  counts only its processes, and it can neither read nor write the other kernels' folders);
* Linux as another user: the same namespaces inside a user namespace when the kernel allows
  unprivileged ones (kernel.unprivileged_userns_clone / max_user_namespaces), but no uid of
  its own: RLIMIT_NPROC counts the user's other processes too (the limit is set above them);
* elsewhere (macOS, Windows, Linux without user namespaces): only the limits of the first
  point; the network and the user's own files are NOT protected, which describe() says.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET = 0x00020000, 0x10000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND = 1, 2, 4, 32, 4096
MS_REC, MS_PRIVATE = 16384, 1 << 18
KERNEL_UID_BASE = 61000  # root: kernel slot k runs as uid/gid KERNEL_UID_BASE + k
TOKEN_ENV = "CRAMPLAB_GRADE_RUN"


@dataclass
class Limits:
    cell_s: float = 120.0
    notebook_s: float = 600.0
    memory_bytes: int = 4 * 1024**3
    processes: int = 64  # beyond the kernel's own threads
    file_bytes: int = 256 * 1024**2


@dataclass
class Plan:
    """What the kernel does to itself (sent to it in its job file)."""

    workdir: str
    hidden: list[str] = field(default_factory=list)  # folders to hide behind empty tmpfs
    read_only: list[str] = field(default_factory=list)  # folders to make read-only
    uid: int | None = None  # root only
    limits: Limits = field(default_factory=Limits)


def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _mount(libc, source, target, fstype, flags, data=None) -> None:
    enc = lambda s: None if s is None else str(s).encode()  # noqa: E731
    _check(libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)), f"mount {target}")


def user_namespaces_possible() -> bool:
    """True when this (non-root) user can make a user namespace here."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        if Path("/proc/sys/kernel/unprivileged_userns_clone").read_text().strip() == "0":
            return False
        return int(Path("/proc/sys/user/max_user_namespaces").read_text()) > 0
    except (OSError, ValueError):
        return Path("/proc/self/ns/user").exists()


def describe() -> str:
    """What the grader can contain on this machine, as the user running it."""
    base = (
        "temporary copy, time limits per cell and notebook, memory, process and file-size limits"
    )
    if not sys.platform.startswith("linux"):
        return (
            f"{base}; NOT contained here ({sys.platform}): network, the submissions folder and "
            "your own files are reachable by a submission (grade on Linux for that)"
        )
    if is_root():
        return (
            f"{base}; as root: a uid of its own per kernel, no network (network namespace), "
            "submissions, gradebook, /tmp and other kernels hidden, the clone read-only "
            "(mount namespace)"
        )
    if user_namespaces_possible():
        return (
            f"{base}; as {os.getuid()} with a user namespace: no network, submissions, gradebook "
            "and /tmp hidden, the clone and your home read-only; NOT contained: the process limit "
            "counts your other processes too (no uid of its own without root)"
        )
    return (
        f"{base}; NOT contained (no root, no user namespaces): network, the submissions folder "
        "and your own files are reachable by a submission"
    )


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


def _own_processes() -> int:
    uid, count = os.getuid(), 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                count += (
                    len(os.listdir(f"/proc/{entry.name}/task"))
                    if entry.stat().st_uid == uid
                    else 0
                )
            except OSError:
                pass
    return count


def _expose(libc, folder: str) -> None:
    """Make folder (the Python installation) reachable by the kernel's own uid when a parent
    folder is private (pyenv in /root): an empty tmpfs over that parent, folder bound back."""
    parts = Path(folder).resolve().parts
    private = next(
        (
            str(Path(*parts[:n]))
            for n in range(2, len(parts) + 1)
            if not os.stat(Path(*parts[:n])).st_mode & 0o001
        ),
        None,
    )
    if private is None or private == str(Path(folder).resolve()):
        return
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    _mount(libc, "tmpfs", private, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    os.makedirs(folder, mode=0o755, exist_ok=True)
    _mount(libc, f"/proc/self/fd/{handle}", folder, None, MS_BIND | MS_REC)
    _mount(libc, None, folder, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID)
    os.close(handle)


def _empty_tmpfs(libc, folder: str) -> None:
    """Cover folder with an empty, small tmpfs (what the kernel sees there)."""
    _mount(libc, "tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777")


def _is_within(folder: str, parent: str) -> bool:
    resolved = Path(folder).resolve()
    return resolved == Path(parent).resolve() or Path(parent).resolve() in resolved.parents


def is_root() -> bool:
    return getattr(os, "geteuid", lambda: -1)() == 0


def apply(plan: Plan) -> list[str]:
    """Contain the calling process (the kernel, before student code); returns what failed."""
    missing: list[str] = []
    if os.name != "posix":
        os.chdir(plan.workdir)
        return ["memory, process and file-size limits, network, files (not on Windows)"]
    import resource

    limits = plan.limits
    if sys.platform.startswith("linux"):
        libc = _libc()
        root = is_root()
        flags = CLONE_NEWNS | CLONE_NEWNET | (0 if root else CLONE_NEWUSER)
        namespaces = root or user_namespaces_possible()
        if namespaces:
            uid, gid = os.getuid(), os.getgid()
            try:
                _check(libc.unshare(flags), "unshare")
                if not root:
                    _write("/proc/self/setgroups", "deny")
                    _write("/proc/self/uid_map", f"{uid} {uid} 1")
                    _write("/proc/self/gid_map", f"{gid} {gid} 1")
                _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
                work = os.open(plan.workdir, os.O_RDONLY | os.O_DIRECTORY)
                for folder in plan.read_only:
                    if os.path.isdir(folder):
                        _mount(libc, folder, folder, None, MS_BIND | MS_REC)
                        _mount(
                            libc, None, folder, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID
                        )
                # A clone (or venv) inside /tmp would vanish under the empty /tmp below:
                # hold it open now and bind it back, read-only, before hiding anything in it.
                temp_roots = ("/tmp", "/dev/shm", "/var/tmp")
                kept = [
                    (folder, os.open(folder, os.O_RDONLY | os.O_DIRECTORY))
                    for folder in plan.read_only
                    if os.path.isdir(folder)
                    and any(_is_within(folder, temp_root) for temp_root in temp_roots)
                ]
                for folder in temp_roots:
                    if os.path.isdir(folder):
                        _empty_tmpfs(libc, folder)
                for folder, handle in kept:
                    os.makedirs(folder, mode=0o755, exist_ok=True)
                    _mount(libc, f"/proc/self/fd/{handle}", folder, None, MS_BIND | MS_REC)
                    _mount(libc, None, folder, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID)
                    os.close(handle)
                for folder in plan.hidden:
                    if os.path.isdir(folder):
                        _empty_tmpfs(libc, folder)
                if root and plan.uid is not None:
                    _expose(libc, sys.base_prefix)
                os.makedirs("/tmp/work", exist_ok=True)
                _mount(libc, f"/proc/self/fd/{work}", "/tmp/work", None, MS_BIND)
                os.close(work)
                for folder in plan.hidden:  # empty and read-only
                    if os.path.isdir(folder):
                        _mount(
                            libc, None, folder, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV
                        )
                os.chdir("/tmp/work")
            except OSError as error:
                missing.append(f"namespaces ({error})")
                os.chdir(plan.workdir)
        else:
            missing.append("namespaces (no user namespaces for this user)")
            os.chdir(plan.workdir)
    else:
        os.chdir(plan.workdir)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    cpu = int(limits.notebook_s) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    if plan.uid is not None and is_root():
        nproc = limits.processes
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        os.setgroups([])
        os.setgid(plan.uid)
        os.setuid(plan.uid)
    elif sys.platform.startswith("linux"):
        nproc = _own_processes() + limits.processes
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    return missing


# --- the grader's side: stop every process a kernel started -------------------------------------


def _processes_of_run(token: str, uid: int | None) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            if uid is not None and entry.stat().st_uid == uid:
                found.append(pid)
                continue
            with open(f"/proc/{pid}/environ", "rb") as handle:
                if f"{TOKEN_ENV}={token}".encode() in handle.read():
                    found.append(pid)
        except OSError:
            pass
    return [pid for pid in found if pid != os.getpid()]


def stop_run(process, token: str, uid: int | None) -> None:
    """Kill the kernel (its session) and every process of this run, by pid, until none."""
    if os.name != "posix":
        process.kill()  # Windows: the kernel only (no sessions; see describe())
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if not sys.platform.startswith("linux"):
        return
    for _ in range(100):  # a fork bomb forks while it is killed: stop, then kill, then look again
        pids = _processes_of_run(token, uid)
        if not pids:
            return
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for other in pids:
                try:
                    os.kill(other, sig)
                except (ProcessLookupError, PermissionError):
                    pass
        time.sleep(0.02)
