"""Template helpers of the report pages and the dashboard."""

from django import template
from django.utils.html import format_html

from reports.registry import ColumnKind

register = template.Library()


@register.simple_tag
def report_cell(row, column):
    """One table cell, formatted the Vietnamese way, classed for alignment and matrix colours."""
    value = row.get(column.key)
    classes = []
    if column.numeric or column.kind in (ColumnKind.DAYS, ColumnKind.DATE, ColumnKind.MONTH):
        classes.append("num")
    if column.kind == ColumnKind.STATUS:
        classes.append("status")
        if value:
            classes.append(f"st-{value}")
    return format_html('<td class="{}">{}</td>', " ".join(classes), column.display(value))


@register.inclusion_tag("reports/dashboard.html", takes_context=True)
def ntm_dashboard(context):
    """The headline figures and report links above the admin index's list of apps."""
    from reports.dashboard import dashboard_context

    return dashboard_context(context["request"])
