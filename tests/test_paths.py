"""Where cramplab finds its data (argument, environment, package) and the clone its tooling writes into."""

import shutil
import subprocess
import sys

import pytest
from repo import CLONE

from cramplab import paths
from cramplab_tools import prose, usda
from cramplab_tools.__main__ import COMMANDS as COURSE_COMMANDS
from cramplab_tools.__main__ import main as course_main


def test_the_editable_install_reads_data_in_place():
    assert paths.source_tree() == CLONE.root
    assert paths.packaged_data_dir() == CLONE.data


def test_a_data_folder_can_be_named(tmp_path, monkeypatch):
    copy = tmp_path / "my_data"
    shutil.copytree(CLONE.data, copy)
    monkeypatch.setenv(paths.DATA_ENV, str(copy))
    assert paths.data_dir() == copy
    assert paths.data_dir(CLONE.data) == CLONE.data  # an explicit folder wins


def test_commands_that_write_into_a_clone_say_they_need_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(paths.CloneRequired, match="make figures writes into a clone"):
        paths.find_clone(command="make figures")
    assert paths.find_clone(CLONE.root).root == CLONE.root  # the clone's top folder
    assert paths.find_clone(CLONE.notebooks).root == CLONE.root  # or any folder inside


def test_the_editable_install_is_not_a_clone_to_write_into(tmp_path, monkeypatch):
    """This test run's cramplab is an editable install of CLONE; outside it, no command may
    fall back to it (the rule in cramplab.paths)."""
    assert paths.source_tree() == CLONE.root
    monkeypatch.chdir(tmp_path)
    with pytest.raises(paths.CloneRequired, match=f"{tmp_path} is not inside one"):
        paths.find_clone()


WRITING_COMMANDS = [
    # mermaid writes into the venv; hub-link only prints a link
    *(["course", name] for name in COURSE_COMMANDS if name not in {"mermaid", "hub-link"}),
    ["usda", "rebuild", "--sr28", "SR28"],
    ["prose"],
]


@pytest.mark.parametrize("command", WRITING_COMMANDS, ids=" ".join)
def test_every_course_command_stops_outside_a_clone(tmp_path, monkeypatch, capsys, command):
    monkeypatch.chdir(tmp_path)
    entry = {"course": course_main, "usda": usda.main, "prose": prose.main}[command[0]]
    assert entry(command[1:]) != 0
    error = capsys.readouterr().err
    assert error.startswith("error: ") and f"{tmp_path} is not inside one" in error, error
    assert error.count("\n") == 1, error


def test_started_with_the_venv_python_from_elsewhere_it_stops(tmp_path):
    """The report that led to the rule: `cd /tmp && .venv/bin/python -m cramplab_tools
    figures` rebuilt the figures of the clone the venv was installed from."""
    before = {p.name: p.stat().st_mtime_ns for p in CLONE.figures.iterdir()}
    run = subprocess.run(
        [sys.executable, "-m", "cramplab_tools", "figures"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode != 0
    assert run.stderr.startswith("error: make figures writes into a clone"), run.stderr
    assert {p.name: p.stat().st_mtime_ns for p in CLONE.figures.iterdir()} == before
