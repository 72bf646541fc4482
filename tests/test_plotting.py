"""The figure helper: reproducible bytes, metadata, atomic writes, and the check mode."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from PIL import Image

from cramplab.plotting import (
    FigureOutOfDate,
    add_source,
    figure_metadata,
    render,
    save_figure,
    use_course_style,
)

META = {"title": "A finding", "caption": "One sentence.", "alt": "Bars: a then b."}


@pytest.fixture
def figure():
    use_course_style()
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    ax.set_title("Vitamin D, µg")
    add_source(fig)
    yield fig
    plt.close(fig)


@pytest.fixture
def write_to(tmp_path, monkeypatch):
    monkeypatch.setenv("CRAMPLAB_FIGURES_MODE", "write")
    monkeypatch.setenv("CRAMPLAB_FIGURES_DIR", str(tmp_path))
    return tmp_path


def test_rendering_twice_gives_identical_bytes(figure):
    metadata = {"Title": "t", "Description": "d", "Alt": "a", "Notebook": "00", "Source": "s"}
    assert render(figure, metadata) == render(figure, metadata)


def test_files_carry_no_dates_or_versions(figure, write_to):
    png, svg = save_figure(figure, "00_demo", **META)
    text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in text and "Matplotlib v" not in text
    assert b"Software" not in png.read_bytes()


def test_metadata_round_trips_through_the_png(figure, write_to):
    png, _ = save_figure(figure, "00_demo", **META, source="USDA SR28")
    meta = figure_metadata(png)
    assert meta["Title"] == "A finding" and meta["Description"] == "One sentence."
    assert meta["Alt"] == "Bars: a then b." and meta["Notebook"] == "00"
    assert meta["Source"] == "USDA SR28"


def test_writes_leave_no_temporary_files(figure, write_to):
    save_figure(figure, "00_demo", **META)
    assert sorted(p.name for p in write_to.iterdir()) == ["00_demo.png", "00_demo.svg"]


def test_names_must_start_with_the_notebook_number(figure, write_to):
    with pytest.raises(ValueError, match="NN_short_name"):
        save_figure(figure, "demo", **META)


def test_check_mode_passes_on_current_files_and_fails_on_stale_ones(figure, write_to, monkeypatch):
    png, _ = save_figure(figure, "00_demo", **META)
    monkeypatch.setenv("CRAMPLAB_FIGURES_MODE", "check")
    save_figure(figure, "00_demo", **META)  # current: no error
    png.write_bytes(b"stale")
    with pytest.raises(FigureOutOfDate, match=r"00_demo\.png differs .* run `make figures`"):
        save_figure(figure, "00_demo", **META)
    with pytest.raises(FigureOutOfDate, match=r"00_other\.png is missing"):
        save_figure(figure, "00_other", **META)


def test_off_mode_writes_nothing(figure, write_to, monkeypatch):
    monkeypatch.setenv("CRAMPLAB_FIGURES_MODE", "off")
    assert save_figure(figure, "00_demo", **META) == []
    assert not list(write_to.iterdir())


def test_the_drawn_title_is_left_out_of_the_files_and_kept_on_screen(write_to):
    use_course_style()
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    title = fig.suptitle("A finding\nover two lines")
    titled, _ = save_figure(fig, "00_other_title", **{**META, "title": "Another finding"})
    untitled, _ = save_figure(fig, "00_title", **{**META, "title": "A finding over two lines"})
    assert title.get_visible(), "the notebook still shows its title"
    with Image.open(titled) as kept, Image.open(untitled) as left_out:
        assert left_out.size[1] < kept.size[1]  # the title's band is gone
    assert figure_metadata(untitled)["Title"] == "A finding over two lines"
    plt.close(fig)
