"""Charts as inline SVG drawn on the server with pygal: nothing to load, nothing to run in the browser.

pygal always embeds a small configuration <script> for its optional tooltips; we remove it
(and ask for no external script), so the page carries a plain picture that also prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from reports.formatting import grouped

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#333",
    foreground_strong="#222",
    foreground_subtle="#888",
    font_family="'DejaVu Sans', Arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=11,
    title_font_size=15,
    legend_font_size=12,
    colors=("#417690", "#79aec8", "#e6a23c", "#5b8c5a", "#c0504d", "#8e6c8a"),
)

MAX_LABEL = 48


def short(label: str) -> str:
    label = str(label or "")
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def render(chart) -> SafeString:
    svg = chart.render(is_unicode=True)
    return mark_safe(_COMMENT.sub("", _SCRIPT.sub("", svg)))  # noqa: S308 - pygal escapes every text node


def _config(title: str, n_labels: int, horizontal: bool, formatter: Callable, legend: bool) -> dict:
    height = max(260, 34 * n_labels + 140) if horizontal else 420
    return {
        "title": str(title),
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": 900,
        "height": height,
        "show_legend": legend,
        "legend_at_bottom": True,
        "print_values": True,
        "value_formatter": formatter,
        "truncate_label": -1,
        "margin": 12,
    }


def integer_formatter(value) -> str:
    return "" if value is None else grouped(int(round(value)))


def million_formatter(value) -> str:
    """Millions of đồng: 100.000.000 reads 100, 4.500.000 reads 4,5."""
    if value is None:
        return ""
    return grouped(round(value, 1), 1 if round(value, 1) % 1 else 0)


def in_millions(values: Sequence) -> list:
    return [None if v is None else float(v) / 1_000_000 for v in values]


def percent_formatter(value) -> str:
    return "" if value is None else grouped(round(value, 1), 1) + "%"


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence]],
    *,
    horizontal: bool = True,
    formatter: Callable = integer_formatter,
    max_value: float | None = None,
) -> SafeString | None:
    """Bars for each label, one colour per series; None when there is nothing to draw."""
    if not labels or not series:
        return None
    chart_class = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = chart_class(**_config(title, len(labels), horizontal, formatter, legend=len(series) > 1))
    if max_value is not None:
        chart.range = (0, max_value)
    # A horizontal bar chart draws its first label at the bottom: reverse so the list reads top-down.
    ordered = list(reversed(labels)) if horizontal else list(labels)
    chart.x_labels = [short(label) for label in ordered]
    for name, values in series:
        values = list(reversed(values)) if horizontal else list(values)
        chart.add(str(name), [None if v is None else float(v) for v in values])
    return render(chart)
