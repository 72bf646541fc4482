"""Deferred signals, staging folders and folder swaps: the pieces every command builds on."""

import os
import shutil
import signal
import subprocess

import pytest
from repo import CLONE

from cramplab_tools import atomic


def fill(folder, files: dict[str, str]):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def read(folder) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def ctrl_c_raises():
    """Ctrl-C raises KeyboardInterrupt, as in a command (xdist's workers ignore it)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_signals_are_held_until_the_block_ends(ctrl_c_raises):
    done = []
    with pytest.raises(KeyboardInterrupt):
        with atomic.signals_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            done.append("after the signal")
    assert done == ["after the signal"]


def test_sigterm_raises_like_ctrl_c_with_its_own_exit_code():
    with pytest.raises(atomic.Interrupted) as raised:
        with atomic.interrupts_raise():
            os.kill(os.getpid(), signal.SIGTERM)
            signal.sigtimedwait([], 0)  # give the handler a chance to run
    assert atomic.exit_code(raised.value) == 143
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the old handler is back


def test_commit_installs_and_removes_in_one_step(tmp_path):
    target = fill(tmp_path / "figures", {"old.png": "old", "kept.png": "kept", "a.png": "a0"})
    with atomic.Staging(target) as staging:
        fill(staging.path, {"a.png": "a1", "b.png": "b1", "scratch.txt": "not installed"})
        staging.commit(install=["a.png", "b.png"], remove=["old.png"])
    assert read(target) == {"a.png": "a1", "b.png": "b1", "kept.png": "kept"}


def test_an_interrupt_during_the_commit_waits_for_it(tmp_path, monkeypatch, ctrl_c_raises):
    target = fill(tmp_path / "data", {"foods.csv": "old", "food_nutrients.csv": "old"})
    replace = os.replace

    def interrupted_replace(source, destination):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C between the two files
        replace(source, destination)

    with atomic.Staging(target) as staging:
        fill(staging.path, {"foods.csv": "new", "food_nutrients.csv": "new"})
        monkeypatch.setattr(os, "replace", interrupted_replace)
        with pytest.raises(KeyboardInterrupt) as raised:
            staging.commit(install=["foods.csv", "food_nutrients.csv"])
        monkeypatch.undo()
    assert raised.value.committed
    assert read(target) == {"foods.csv": "new", "food_nutrients.csv": "new"}


def test_staging_folders_left_by_a_killed_run_are_finished_or_removed(tmp_path):
    target = fill(tmp_path / "figures", {"a.png": "a0", "stale.png": "s"})
    committed = atomic.Staging(target)
    fill(committed.path, {"a.png": "a1"})
    atomic._write_marker(committed.path, {"install": ["a.png"], "remove": ["stale.png"]})
    committed.release()  # its process died: the lock went with it
    uncommitted = atomic.Staging(target)
    fill(uncommitted.path, {"a.png": "half"})
    uncommitted.release()
    live = atomic.Staging(target)  # another run, still working
    try:
        handled = atomic.recover(target)
        assert sorted(handled) == sorted([committed.path, uncommitted.path])
        assert live.path.is_dir(), "a folder its owner still holds is left alone"
        assert sorted(p.name for p in target.iterdir()) == sorted(["a.png", live.path.name])
        assert (target / "a.png").read_text(encoding="utf-8") == "a1"
    finally:
        live.discard()


def test_replace_folder_swaps_in_one_step(tmp_path):
    target = fill(tmp_path / "student", {"old.ipynb": "old"})
    new = fill(tmp_path / ".student.new-x", {"new.ipynb": "new"})
    atomic.replace_folder(new, target)
    assert read(target) == {"new.ipynb": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["student"]


def test_without_an_atomic_swap_a_kill_between_renames_is_undone(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_exchange", lambda first, second: False)
    target = fill(tmp_path / "student", {"old.ipynb": "old"})
    atomic.replace_folder(fill(tmp_path / ".student.new-a", {"n.ipynb": "n"}), target)
    assert read(target) == {"n.ipynb": "n"}
    # A kill between the two renames: the old edition parked, the new one not yet in place.
    parked = tmp_path / ".student.old-b" / "student"
    target.rename(fill(parked.parent, {}) / "student")
    fill(tmp_path / ".student.new-c", {"n2.ipynb": "n2"})
    atomic.recover_folder(target)
    assert read(target) == {"n.ipynb": "n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["student"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_temporary_files_and_staging_folders_are_ignored_by_git():
    names = [
        "data/.staging-abc123/foods.csv",
        "data/.foods.csv.tmp4242",
        "figures/.staging-abc123/02_x.png",
        "figures/.handout.pdf.tmp77",
        ".student.new-abc123/00_start_here.ipynb",
        ".student.old-abc123/student/00_start_here.ipynb",
    ]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *names],
        cwd=CLONE.root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.stdout.split() == names
