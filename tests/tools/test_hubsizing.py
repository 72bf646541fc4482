"""The sizing rule (cramplab_tools.hubsizing), recomputed by hand on a made-up class."""

import pytest

from cramplab_tools import hubsizing

MIB = 1024  # KiB


def student(server_pss_mib, kernel_pss_mib, cpu_seconds):
    return {
        "server_pss_kib": server_pss_mib * MIB,
        "kernel_pss_kib": kernel_pss_mib * MIB,
        "server_rss_kib": 2 * server_pss_mib * MIB,  # not used by the rule
        "kernel_rss_kib": 2 * kernel_pss_mib * MIB,
        "cpu_seconds": cpu_seconds,
    }


CLASS = {
    "per_student": [student(100, 150, 4.0), student(110, 160, 5.0), student(90, 140, 3.0)],
    "hub": {"pss_kib": 100 * MIB},
    "proxy": {"pss_kib": 50 * MIB},
}


@pytest.fixture
def sizing():
    return hubsizing.size_class(CLASS)


def test_memory_per_student_is_the_largest_server_plus_kernel(sizing):
    assert sizing.students_measured == 3
    assert sizing.student_pss_mib == 270  # 110 + 160
    assert sizing.kernel_pss_mib == 160
    assert sizing.memory_guarantee_mib == 320  # 270 up to 64 MiB steps
    assert sizing.memory_limit_mib == 640  # 1.4 x (270 + 160) = 602, up to 640
    assert sizing.students_per_gib == 1.6  # 1024 / 640


def test_cpu_is_sized_for_everyones_run_all_within_a_minute(sizing):
    assert sizing.cpu_seconds_per_student == 5.0  # the most demanding student
    assert sizing.students_per_core == 12  # floor(60 / 5)
    assert sizing.cpu_guarantee == 0.1  # 1 / 12 = 0.083, up to 0.05 steps
    assert sizing.cpu_limit == 1.0


def test_the_hub_and_proxy_overhead_is_measured(sizing):
    assert sizing.hub_and_proxy_pss_mib == 150
    assert sizing.overhead_mib == 192


def test_one_machine_holds_a_class_of_30(sizing):
    machine = hubsizing.machine_for(sizing, 30)
    assert machine.memory_gib == 19  # (192 + 30 x 640) / 1024 = 18.94, up to 0.5 GiB
    assert machine.typical_memory_gib == 10  # (192 + 30 x 320) / 1024 = 9.56
    assert machine.cores == 3  # 30 / 12, up
    assert machine.where.startswith("one machine")


def test_300_students_need_kubernetes_nodes_for_memory_or_cpu(sizing):
    machine = hubsizing.machine_for(sizing, 300)
    assert machine.memory_gib == 188  # (192 + 300 x 640) / 1024 = 187.7
    assert machine.cores == 25
    # max(188 / (32 - 2) -> 7, 25 / 8 -> 4)
    assert machine.where == "Zero to JupyterHub: 7 nodes of 8 cores, 32 GiB"


def test_values_on_a_step_stay_where_they_are():
    assert hubsizing.round_up(576, 64) == 576
    assert hubsizing.round_up(576.01, 64) == 640
    assert hubsizing.round_up(0.15, 0.05) == 0.15
    assert hubsizing.round_up(1 / 12, 0.05) == 0.1


def test_a_slow_student_still_gets_a_core():
    heavy = {**CLASS, "per_student": [student(100, 150, 90.0)]}
    assert hubsizing.size_class(heavy).students_per_core == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"per_student": []}, "at least one measured student"),
        ({"per_student": [student(100, 150, 0.0)]}, "CPU seconds must be positive"),
    ],
)
def test_a_class_that_cannot_be_sized_says_why(change, message):
    with pytest.raises(ValueError, match=message):
        hubsizing.size_class({**CLASS, **change})


def test_the_readme_table_has_a_row_per_class_size_and_the_two_recommendations(sizing):
    text = hubsizing.markdown(sizing)
    assert "| memory limit (both set-ups) | 640M |" in text
    assert "| 30 | 19 GiB | 10 GiB | 3 | one machine" in text
    assert "A class of 30 working at once: one machine with 19 GiB" in text
    assert "(a 32 GiB server;" in text
    assert "A class of 300 working at once: 7 nodes of 8 cores, 32 GiB on Zero to" in text
