"""make lab's command, written once in cramplab_tools.lab (the browser tests start it too)."""

import os
import sys

import pytest
from repo import CLONE

from cramplab_tools import lab


def test_the_command_serves_one_folder_to_this_machine_only(tmp_path):
    words = lab.command(tmp_path)
    assert words[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--notebook-dir={tmp_path}" in words
    assert "--ServerApp.ip=127.0.0.1" in words and "--no-browser" in words
    assert ("--allow-root" in words) == (os.geteuid() == 0)


@pytest.mark.parametrize(
    ("args", "folder", "edition"),
    [([], "student", "student"), (["instructor"], "notebooks", "instructor")],
)
def test_main_opens_the_edition_asked_for(monkeypatch, capsys, args, folder, edition):
    started = []
    monkeypatch.chdir(CLONE.root)
    monkeypatch.setattr(lab, "run", started.append)
    lab.main(args)
    assert started == [lab.command(CLONE.root / folder)]
    assert capsys.readouterr().out == (
        f"JupyterLab on {folder}/ (the {edition} edition); start with 00_start_here.ipynb\n"
    )


def test_an_unknown_edition_is_one_line(monkeypatch, capsys):
    monkeypatch.setattr(lab, "run", lambda words: pytest.fail("started"))
    assert lab.main(["teacher"]) == 2
    assert capsys.readouterr().err == (
        "error: the edition must be student or instructor (make lab EDITION=instructor), "
        "not 'teacher'\n"
    )
