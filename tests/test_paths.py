"""Where cramplab finds its data (argument, environment, package) and the clone its tooling writes into."""

import shutil

import pytest
from repo import CLONE

from cramplab import paths


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
    monkeypatch.setattr(paths, "source_tree", lambda: None)  # as in an installed package
    with pytest.raises(paths.CloneRequired, match="make figures writes into a clone"):
        paths.find_clone(command="make figures")
    assert paths.find_clone(CLONE.notebooks).root == CLONE.root  # found from inside
