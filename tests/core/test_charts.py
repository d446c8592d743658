"""Server-side SVG charts: valid SVG, escaped labels, accessible title and description, deterministic output."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from core.charts import bar_chart, horizontal_bar_chart

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [("Янв", 0), ("Фев", 3), ("Мар", 12), ("Апр", 4), ("Май", 0), ("Июн", 7)]
CATEGORIES = [("Экология", 60), ("Жилищные кооперативы (КСК) и многоквартирные дома", 21), ("Другое", 43)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


@pytest.mark.parametrize("draw, data", [(bar_chart, MONTHS), (horizontal_bar_chart, CATEGORIES)])
def test_a_chart_is_svg_with_a_title_and_a_description_listing_the_figures(draw, data):
    root = parse(draw(data, title="Обращения по месяцам", desc="Число обращений"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Обращения по месяцам"
    assert desc.text.startswith("Число обращений.")
    for label, value in data:
        assert f"{label}: {value}" in desc.text
    # aria-labelledby points at the title and the description.
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert "<script" not in draw(data, title="x") and "javascript:" not in draw(data, title="x")


def test_a_bar_chart_draws_one_bar_per_label_scaled_to_the_largest():
    root = parse(bar_chart(MONTHS, title="t", height=220))
    bars = root.findall(f"{SVG}g/{SVG}rect")
    assert len(bars) == len(MONTHS)
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[0] == 0
    assert heights[2] == max(heights)  # 12, the largest
    assert heights[2] == pytest.approx(heights[1] * 4, rel=0.02)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Апр" in texts and "12" in texts


def test_a_horizontal_chart_shows_each_share_and_wraps_long_labels():
    svg = horizontal_bar_chart(CATEGORIES, title="t", width=400)
    root = parse(svg)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "60 (48%)" in texts and "21 (17%)" in texts and "43 (35%)" in texts
    wrapped = [t for t in root.iter(f"{SVG}text") if len(t.findall(f"{SVG}tspan")) == 2]
    assert wrapped, "the long label should wrap onto two lines"


def test_labels_and_titles_are_escaped():
    evil = '<script>alert("x")</script> & "quotes"'
    for draw in (bar_chart, horizontal_bar_chart):
        svg = draw([(evil, 1)], title=evil, desc=evil)
        assert "<script>" not in svg
        root = parse(svg)  # still well-formed
        assert root.find(f"{SVG}title").text == evil


def test_the_same_data_gives_the_same_svg_and_different_charts_different_ids():
    assert bar_chart(MONTHS, title="t") == bar_chart(MONTHS, title="t")
    first = parse(bar_chart(MONTHS, title="a")).find(f"{SVG}title").get("id")
    second = parse(bar_chart(MONTHS, title="b")).find(f"{SVG}title").get("id")
    assert first != second


def test_empty_and_zero_data_still_draw():
    for draw in (bar_chart, horizontal_bar_chart):
        parse(draw([], title="empty"))
        parse(draw([("a", 0), ("b", 0)], title="zeros"))


def test_cyrillic_and_kazakh_labels_pass_through():
    svg = horizontal_bar_chart([("Қоғамдық бақылау әкімдікте", 5)], title="Өңір")
    assert "Қоғамдық" in svg and "Өңір" in svg


# The recommendation statuses in Kazakh: the longest labels the portal draws (the tracker's chart).
KAZAKH_OUTCOMES = [
    ("Жіберілді", 4),
    ("Қаралуда", 2),
    ("Орындалуда және қоғамдық бақылауда", 18),
    ("Жауап алынды", 5),
    ("Орындалды", 8),
    ("Қабылданбады", 0),
]


@pytest.mark.parametrize("data", [CATEGORIES, KAZAKH_OUTCOMES])
def test_no_label_of_a_horizontal_chart_runs_off_its_left_edge(data):
    """Measured with the real font (DejaVu Sans, which the PDF embeds and Debian's browsers fall back to)."""
    from PIL import ImageFont

    from core.pdf import font_dir

    font_size = 9
    font = ImageFont.truetype(str(font_dir() / "DejaVuSans.ttf"), 100)
    root = parse(horizontal_bar_chart(data, title="Рекомендации", font_size=font_size))
    lines = root.iter(f"{SVG}tspan")
    for tspan in lines:
        right_edge = float(tspan.get("x"))  # text-anchor="end"
        width = font.getlength(tspan.text) * font_size / 100
        assert right_edge - width >= 0, tspan.text


@pytest.mark.parametrize("top", [1, 3, 7, 12, 13, 37, 99, 120, 764, 1001])
def test_the_axis_reaches_the_tallest_bar(top):
    from core.charts import _nice_max

    axis_top, step = _nice_max(top)
    assert axis_top >= top and step > 0
