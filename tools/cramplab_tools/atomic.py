"""Replace files and folders in one step, with Ctrl-C held back while it happens.

Commands that write into a clone (`make figures`, `make student`, the SR28 rebuild) build their
result in a hidden staging folder beside the target, then install it in one short step during
which SIGINT and SIGTERM are deferred: an interrupt leaves either the old files or the new ones.

Only SIGKILL (or a power cut) can stop a process inside that step. For that case the staging
folder is locked (flock) by the process that made it and holds a commit marker once the install
has begun: a later run finishes installing a committed folder nobody holds, and removes an
uncommitted one (``recover``).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock, so any staging folder found counts as abandoned
    fcntl = None

STAGING_PREFIX = ".staging-"
COMMIT_MARKER = ".commit.json"
HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM reached a command; exit_code is the shell's 128 + signal number."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def exit_code(interrupt: BaseException) -> int:
    """130 for Ctrl-C, 143 for SIGTERM, as a shell reports a command stopped by the signal."""
    return 128 + getattr(interrupt, "signum", signal.SIGINT)


def _in_main_thread() -> bool:
    # Python runs signal handlers in the main thread only, and only it may install them.
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def interrupts_raise() -> Iterator[None]:
    """Make SIGTERM raise like Ctrl-C (as Interrupted), so one clean-up path serves both.

    Without it SIGTERM ends the process on the spot: no kernel stopped, no staging removed.
    """
    if not _in_main_thread():
        yield
        return

    def handler(signum, frame):
        raise Interrupted(signum)

    previous = {signum: signal.signal(signum, handler) for signum in HANDLED_SIGNALS}
    try:
        yield
    finally:
        for signum, action in previous.items():
            signal.signal(signum, signal.SIG_DFL if action is None else action)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back until the block has finished, then deliver the first."""
    if not _in_main_thread():
        yield
        return
    received: list[int] = []
    previous = {
        signum: signal.signal(signum, lambda signum, frame: received.append(signum))
        for signum in HANDLED_SIGNALS
    }
    try:
        yield
    finally:
        for signum, action in previous.items():
            signal.signal(signum, signal.SIG_DFL if action is None else action)
        if received:
            signal.raise_signal(received[0])


# --- locked folders ------------------------------------------------------------------------

BUSY = -1  # _hold's answer when another live process holds the folder


def _hold(folder: Path) -> int | None:
    """Lock folder for as long as the returned descriptor stays open.

    The lock dies with its process, however it ends, so a folder nobody holds was abandoned.
    Returns BUSY when another process holds it, None where flock does not exist.
    """
    if fcntl is None:
        return None
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return BUSY
    return descriptor


def _release(descriptor: int | None) -> None:
    if descriptor is not None and descriptor != BUSY:
        os.close(descriptor)


class Staging:
    """A hidden folder inside ``parent`` (by default beside the files it will replace),
    locked by this process while it exists. Leaving the ``with`` block removes it unless
    it was committed."""

    def __init__(self, parent: Path, prefix: str = STAGING_PREFIX):
        self.target = Path(parent)
        self.path, self._lock = None, None
        try:  # an interrupt must not fall between making the folder and owning it
            with signals_deferred():
                self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=self.target))
                self._lock = _hold(self.path)
        except BaseException:
            if self.path is not None:
                self.discard()
            raise

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc_info) -> None:
        self.discard()

    def discard(self) -> None:
        """Remove the folder and whatever is in it (nothing is installed)."""
        with signals_deferred():
            shutil.rmtree(self.path, ignore_errors=True)
            self.release()

    def release(self) -> None:
        _release(self._lock)
        self._lock = None

    def commit(self, install: Iterable[str], remove: Iterable[str] = ()) -> None:
        """Move the files named in ``install`` from the folder into the target and delete the
        target's files named in ``remove``, in one step that SIGINT and SIGTERM wait for.

        An interrupt that arrived meanwhile is raised afterwards, marked ``committed``.
        """
        install, remove = list(install), list(remove)
        for name in install:  # on disk before the marker says they are ready
            _sync(self.path / name)
        try:
            with signals_deferred():
                _write_marker(self.path, {"install": install, "remove": remove})
                _roll_forward(self.path, self.target)
                self.release()
        except KeyboardInterrupt as interrupt:
            interrupt.committed = True
            raise


def _sync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_marker(folder: Path, plan: dict) -> None:
    # Written whole or not at all: a half-written marker must not read as a commit.
    temporary = folder / f"{COMMIT_MARKER}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(plan, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, folder / COMMIT_MARKER)


def _roll_forward(folder: Path, target: Path) -> None:
    """Finish a committed install; safe to repeat after it was cut short at any point."""
    plan = json.loads((folder / COMMIT_MARKER).read_text(encoding="utf-8"))
    for name in plan["install"]:
        with contextlib.suppress(FileNotFoundError):  # moved before the cut
            os.replace(folder / name, target / name)
    for name in plan["remove"]:
        (target / name).unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)


def recover(parent: Path, prefix: str = STAGING_PREFIX) -> list[Path]:
    """Deal with the staging folders a killed run left in parent: finish installing those that
    were committed, remove the others. Folders another live process holds are left alone.
    Returns the folders dealt with."""
    handled = []
    for folder in sorted(Path(parent).glob(f"{prefix}*")):
        if not folder.is_dir():
            continue
        try:
            lock = _hold(folder)
        except OSError:  # gone meanwhile, or not ours to open
            continue
        if lock == BUSY:
            continue
        try:
            with signals_deferred():
                if (folder / COMMIT_MARKER).is_file():
                    _roll_forward(folder, Path(parent))
                else:
                    shutil.rmtree(folder, ignore_errors=True)
        finally:
            _release(lock)
        handled.append(folder)
    return handled


# --- whole folders -------------------------------------------------------------------------


def replace_folder(new: Path, target: Path) -> None:
    """Put the folder ``new`` where ``target`` is, in one step; the old target is deleted.

    On Linux the two are swapped by one atomic rename (renameat2 RENAME_EXCHANGE), so there is
    no moment without a complete target. Elsewhere the old folder is moved aside first; a kill
    between the two renames leaves it beside the target, and ``recover_folder`` puts it back.
    """
    try:
        with signals_deferred():
            if not target.exists():
                os.rename(new, target)
            elif _exchange(new, target):
                shutil.rmtree(new, ignore_errors=True)  # it now holds the old folder
            else:
                parked = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
                os.rename(target, parked / target.name)
                os.rename(new, target)
                shutil.rmtree(parked, ignore_errors=True)
    except KeyboardInterrupt as interrupt:  # it arrived during the swap, which went through
        interrupt.committed = True
        raise


def recover_folder(target: Path) -> list[Path]:
    """Clear what a killed ``replace_folder`` run left beside target: the new folder it was
    writing (see staging_prefix) and, if the kill fell between its two renames, the old folder
    it had moved aside, which goes back in place."""
    parked = sorted(target.parent.glob(f".{target.name}.old-*/{target.name}"))
    if parked and not target.exists():
        os.rename(parked[-1], target)  # the kill fell between the two renames
    handled = recover(target.parent, f".{target.name}.old-")
    return handled + recover(target.parent, staging_prefix(target))


def staging_prefix(target: Path) -> str:
    """Name prefix of the sibling folders in which a new ``target`` folder is written."""
    return f".{target.name}.new-"


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without renameat2 (glibc < 2.28, musl)
        return False
    at_cwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    first_b, second_b = os.fsencode(first), os.fsencode(second)
    if renameat2(at_cwd, first_b, at_cwd, second_b, rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # a file system without exchange
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))
