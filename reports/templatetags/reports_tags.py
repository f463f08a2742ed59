"""Template helpers of the report pages and the dashboard."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from reports.registry import ColumnKind

register = template.Library()


def _cell(column, value) -> str:
    """One table cell, formatted the Vietnamese way, classed for alignment and matrix colours."""
    classes = []
    if column.numeric or column.kind in (ColumnKind.DAYS, ColumnKind.DATE, ColumnKind.MONTH):
        classes.append("num")
    if column.kind == ColumnKind.STATUS:
        classes.append("status")
        if value:
            classes.append(f"st-{value}")
    return format_html('<td class="{}">{}</td>', " ".join(classes), column.display(value))


@register.simple_tag
def report_rows(rows, columns, shown: str = ":"):
    """The <tr> elements of `rows` (sliced by `shown`, ":1000" on the page, ":" to print), each cell as
    _cell renders it, built in one pass: each distinct value of a column is formatted once (a page of the
    national criteria matrix is 25,000 cells, half a second through a template tag per cell)."""
    limit = shown.lstrip(":")
    rows = rows[: int(limit)] if limit else rows
    cells = []
    for column in columns:
        rendered = {}

        def render(value, column=column, rendered=rendered):
            try:
                return rendered[value]
            except KeyError:
                html = rendered[value] = _cell(column, value)
                return html
            except TypeError:  # a list (the activity report's missing fields)
                return _cell(column, value)

        cells.append((column.key, render))
    return mark_safe("".join("<tr>" + "".join(render(row.get(key)) for key, render in cells) + "</tr>" for row in rows))


@register.inclusion_tag("reports/dashboard.html", takes_context=True)
def ntm_dashboard(context):
    """The headline figures and report links above the admin index's list of apps."""
    from reports.dashboard import dashboard_context

    return dashboard_context(context["request"])
