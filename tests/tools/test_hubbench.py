"""The hub section of make bench (cramplab_tools.hubbench), without a hub: the memory guard,
the order of the classes, the report, and the recorded results it prints.

The class itself (a real hub) is measured by `make bench`; tests/tools/test_classhub.py runs
the same steps on every `make test`.
"""

import json

import pytest
from repo import CLONE

from cramplab_tools import hubbench
from cramplab_tools.hubsizing import size_class

RECORDED = json.loads((CLONE.bench / "hub.json").read_text())


def made_up_class(size):
    per_student = [
        {
            "student": f"student{n:02d}",
            "server_rss_kib": 150 * 1024,
            "server_pss_kib": 110 * 1024,
            "kernel_rss_kib": 200 * 1024,
            "kernel_pss_kib": 160 * 1024,
            "cpu_seconds": 5.0,
        }
        for n in range(1, size + 1)
    ]
    seconds = {"first": 1.0, "median": 2.0, "last": 3.0}
    return {
        "students": size,
        "ready_seconds": seconds,
        "run_seconds": seconds,
        "per_student": per_student,
        "hub": {"rss_kib": 120 * 1024, "pss_kib": 100 * 1024},
        "proxy": {"rss_kib": 60 * 1024, "pss_kib": 50 * 1024},
        "problems": [],
        "ended_after_shutdown": [],
    }


def test_the_first_class_is_sized_by_a_first_guess_then_by_the_last_one_measured():
    first = hubbench.memory_needed_mib(8, None)
    assert first == int(8 * hubbench.FIRST_GUESS_MIB * 1.5 + hubbench.MEMORY_LEFT_MIB)
    # The previous class's largest RSS per student: 150 + 200 MiB.
    assert hubbench.memory_needed_mib(16, made_up_class(8)) == int(16 * 350 * 1.5 + 2048)


def test_the_classes_grow_in_order_and_the_sizing_comes_from_the_largest(monkeypatch):
    measured = []
    monkeypatch.setattr(hubbench, "memory_available_mib", lambda: 10**6)
    monkeypatch.setattr(
        hubbench, "measure_class", lambda size, root: measured.append(size) or made_up_class(size)
    )
    results = hubbench.measure(CLONE.root, (8, 16, 32))
    assert measured == [8, 16, 32]
    assert results["stopped"] is None
    assert results["sizing"] == size_class(made_up_class(32)).as_dict()


def test_it_stops_before_a_class_the_free_memory_would_not_hold(monkeypatch):
    monkeypatch.setattr(hubbench, "memory_available_mib", lambda: 12_000)
    monkeypatch.setattr(hubbench, "measure_class", lambda size, root: made_up_class(size))
    results = hubbench.measure(CLONE.root, (8, 16, 32))
    # 8 x 400 x 1.5 + 2048 = 6848 fits; 16 x 350 x 1.5 + 2048 = 10448 fits; 32: 18848 does not.
    assert [c["students"] for c in results["classes"]] == [8, 16]
    assert results["stopped"].startswith("stopped before 32 students: they would need about 18848")
    assert results["sizing"]["students_measured"] == 16


def test_nothing_is_measured_when_not_even_the_first_class_fits(monkeypatch):
    monkeypatch.setattr(hubbench, "memory_available_mib", lambda: 1000)
    monkeypatch.setattr(hubbench, "measure_class", pytest.fail)
    results = hubbench.measure(CLONE.root, (8,))
    assert results["classes"] == [] and "sizing" not in results
    assert "stopped before 8 students" in hubbench.format_report(results)


def test_the_report_shows_every_class_and_the_sizing_table():
    report = hubbench.format_report(RECORDED)
    for measured in RECORDED["classes"]:
        assert f"\n{measured['students']:>8} " in report
    assert "every cell of every notebook ran without an error" in report
    sizing = size_class(RECORDED["classes"][-1])
    assert f"limit {sizing.memory_limit_mib}M" in report
    assert f"{sizing.students_per_core} students per core" in report
    assert "Zero to JupyterHub" in report


def test_a_hub_that_cannot_run_here_is_said_in_one_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(hubbench, "missing_hub", lambda: "a hub needs JupyterHub's proxy")
    clone = type("FakeClone", (), {"root": tmp_path, "bench": tmp_path / "bench"})()
    assert hubbench.report(clone) == 0
    assert (
        capsys.readouterr().out == "hub capacity: not measured: a hub needs JupyterHub's proxy\n"
    )
    assert not (tmp_path / "bench").exists()


@pytest.mark.parametrize(("text", "sizes"), [("8,16,32", (8, 16, 32)), ("4", (4,))])
def test_class_sizes_are_read_from_the_command_line(text, sizes):
    assert hubbench.parse_sizes(text) == sizes


def test_a_class_size_must_be_positive():
    with pytest.raises(Exception, match="positive"):
        hubbench.parse_sizes("8,0")
