"""Server-side SVG charts for reports and pages: pure functions that return an SVG string.

No JavaScript and no randomness: the same figures give the same bytes, so a PDF that embeds a chart stays
reproducible. Every label is escaped, and every chart carries a `<title>` and a `<desc>` (which also lists the
figures) so screen readers and text extraction get the data, not just the picture.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

# Fixed metrics for DejaVu Sans, the report font: the advance of a letter per em, on the wide side. Latin averages
# about 0.55, Russian 0.62 and Kazakh 0.64 (ә, қ, ғ, ң are wide): a label wrapped for 0.6 ran off the chart's edge.
_CHAR_EM = 0.65
FONT_FAMILY = "DejaVu Sans, sans-serif"
BAR_COLOUR = "#2f5d8a"
TEXT_COLOUR = "#1a1a1a"
GRID_COLOUR = "#d0d7de"

Series = Sequence[tuple[str, int | float]]


def _num(value: float) -> str:
    """A coordinate with at most one decimal and no trailing zeros: stable and short."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _figure(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _chart_id(kind: str, title: str, data: Series) -> str:
    """An id unique to the chart's content, so two charts in one document never share `aria` targets."""
    digest = hashlib.sha1(repr((kind, title, list(data))).encode(), usedforsecurity=False).hexdigest()
    return f"chart-{kind}-{digest[:10]}"


def _nice_max(value: float) -> tuple[float, float]:
    """The top of the axis and the grid step: a round number at or above the largest value."""
    if value <= 0:
        return 1.0, 1.0
    exponent = math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * 10 ** (exponent - 1)
        if value / step <= 5:
            break
    if step >= 1:
        step = float(round(step))
    # Counted after the rounding: 12 with a step of 2.5 rounded to 2 needs six steps, not five (a top of 10
    # drew the tallest bar out of the picture).
    ticks = math.ceil(value / step)
    return max(step * ticks, step), step


def _text_width(text: str, size: float) -> float:
    return len(text) * size * _CHAR_EM


def _wrap(text: str, max_chars: int, max_lines: int = 2) -> list[str]:
    """Split a label into lines of at most max_chars, on spaces; an over-long last line ends with an ellipsis."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= max_chars or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(max_chars - 1, 1)].rstrip() + "…"
    return [line if len(line) <= max_chars else line[: max(max_chars - 1, 1)] + "…" for line in lines] or [""]


def _description(desc: str | None, data: Series) -> str:
    figures = "; ".join(f"{label}: {_figure(value)}" for label, value in data)
    return f"{desc}. {figures}" if desc else figures


def _open_svg(chart_id: str, width: float, height: float, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{_num(width)}" '
        f'height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family={quoteattr(FONT_FAMILY)}>',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def bar_chart(
    data: Series,
    *,
    title: str,
    desc: str | None = None,
    width: float = 480,
    height: float = 220,
    font_size: float = 9,
    colour: str = BAR_COLOUR,
) -> str:
    """Vertical bars, one per label (e.g. per month), with a value above each bar and a light grid."""
    chart_id = _chart_id("bar", title, data)
    pad_top, pad_bottom, pad_left, pad_right = font_size * 2.2, font_size * 2.6, font_size * 3.6, font_size
    plot_w = width - pad_left - pad_right
    plot_h = height - pad_top - pad_bottom
    top, step = _nice_max(max((float(v) for _, v in data), default=0))
    parts = _open_svg(chart_id, width, height, title, _description(desc, data))
    parts.append(f'<g font-size="{_num(font_size)}" fill="{TEXT_COLOUR}">')
    # Grid lines and axis figures.
    ticks = round(top / step)
    for i in range(ticks + 1):
        value = step * i
        y = pad_top + plot_h - plot_h * value / top
        parts.append(
            f'<line x1="{_num(pad_left)}" y1="{_num(y)}" x2="{_num(width - pad_right)}" y2="{_num(y)}" '
            f'stroke="{GRID_COLOUR}" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{_num(pad_left - font_size * 0.4)}" y="{_num(y + font_size * 0.35)}" '
            f'text-anchor="end">{_figure(value)}</text>'
        )
    n = max(len(data), 1)
    slot = plot_w / n
    bar_w = slot * 0.62
    label_chars = max(int(slot / (font_size * _CHAR_EM)), 1)
    for i, (label, value) in enumerate(data):
        x = pad_left + slot * i + (slot - bar_w) / 2
        h = plot_h * float(value) / top
        y = pad_top + plot_h - h
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(bar_w)}" height="{_num(h)}" fill="{colour}">'
            f"<title>{escape(label)}: {_figure(value)}</title></rect>"
        )
        cx = x + bar_w / 2
        if value:
            parts.append(
                f'<text x="{_num(cx)}" y="{_num(y - font_size * 0.35)}" text-anchor="middle" '
                f'font-weight="bold">{_figure(value)}</text>'
            )
        short = label if len(label) <= label_chars else label[: max(label_chars - 1, 1)] + "…"
        parts.append(
            f'<text x="{_num(cx)}" y="{_num(pad_top + plot_h + font_size * 1.4)}" '
            f'text-anchor="middle">{escape(short)}</text>'
        )
    parts.append(
        f'<line x1="{_num(pad_left)}" y1="{_num(pad_top + plot_h)}" x2="{_num(width - pad_right)}" '
        f'y2="{_num(pad_top + plot_h)}" stroke="{TEXT_COLOUR}" stroke-width="0.8"/>'
    )
    parts.append("</g></svg>")
    return "".join(parts)


def horizontal_bar_chart(
    data: Series,
    *,
    title: str,
    desc: str | None = None,
    width: float = 480,
    font_size: float = 9,
    row_height: float | None = None,
    colour: str = BAR_COLOUR,
    show_share: bool = True,
) -> str:
    """Horizontal bars, one row per label (a category, an outcome), each with its figure and share of the total.

    Long labels wrap onto two lines; the label column takes at most 40% of the width.
    """
    chart_id = _chart_id("hbar", title, data)
    row_h = row_height or font_size * 3
    pad = font_size * 0.6
    longest = max((_text_width(label, font_size) for label, _ in data), default=0)
    label_w = min(longest + pad, width * 0.4)
    label_chars = max(int((label_w - pad) / (font_size * _CHAR_EM)), 4)
    value_w = _text_width("0000 (100%)", font_size) + pad
    plot_w = max(width - label_w - value_w - pad, 10)
    height = row_h * max(len(data), 1) + pad * 2
    total = sum(float(v) for _, v in data)
    top = max((float(v) for _, v in data), default=0) or 1.0
    parts = _open_svg(chart_id, width, height, title, _description(desc, data))
    parts.append(f'<g font-size="{_num(font_size)}" fill="{TEXT_COLOUR}">')
    for i, (label, value) in enumerate(data):
        y0 = pad + row_h * i
        bar_h = row_h * 0.6
        bar_y = y0 + (row_h - bar_h) / 2
        lines = _wrap(label, label_chars)
        first_y = y0 + row_h / 2 - (len(lines) - 1) * font_size * 0.6 + font_size * 0.35
        tspans = "".join(
            f'<tspan x="{_num(label_w - pad)}" y="{_num(first_y + k * font_size * 1.2)}">{escape(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        parts.append(f'<text text-anchor="end">{tspans}</text>')
        w = plot_w * float(value) / top
        parts.append(
            f'<rect x="{_num(label_w)}" y="{_num(bar_y)}" width="{_num(w)}" height="{_num(bar_h)}" '
            f'fill="{colour}"><title>{escape(label)}: {_figure(value)}</title></rect>'
        )
        figure = _figure(value)
        if show_share and total:
            figure += f" ({round(100 * float(value) / total)}%)"
        parts.append(
            f'<text x="{_num(label_w + w + pad)}" y="{_num(y0 + row_h / 2 + font_size * 0.35)}">{escape(figure)}</text>'
        )
    parts.append(
        f'<line x1="{_num(label_w)}" y1="{_num(pad)}" x2="{_num(label_w)}" y2="{_num(height - pad)}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="0.8"/>'
    )
    parts.append("</g></svg>")
    return "".join(parts)


def svg_to_png(svg: str, *, scale: float = 2.0) -> bytes:
    """A chart drawn by this module as PNG, for documents that cannot hold SVG (Word's DOCX export).

    CairoSVG (Kozea's, WeasyPrint's makers) draws with Cairo, the library WeasyPrint's Pango already brings
    (Debian's libcairo2), so a fresh install needs nothing more; the text is set in the same DejaVu Sans through
    fontconfig. `scale` 2 gives 2 pixels per SVG unit, sharp when the picture is printed at the PDF's size. The
    same SVG gives the same bytes. Our own SVG only: CairoSVG parses it with defusedxml and `unsafe` off, so
    nothing outside it is read.
    """
    import cairosvg  # imported where used: only the DOCX renderer needs it

    png: bytes = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale)  # untyped library
    return png
