"""{% report_document_link %}: the "draft document" button of a report page, for the reports that have one."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from reports.documents.reports import REPORT_DOCUMENTS

register = template.Library()


@register.simple_tag(takes_context=True)
def report_document_link(context):
    """A button that downloads the page's result as a draft report (.docx), with the page's filters."""
    report = context.get("report")
    if report is None or report.slug not in REPORT_DOCUMENTS:
        return ""
    query = context.get("query") or ""
    url = reverse("reports:document", args=[report.slug]) + (f"?{query}" if query else "")
    return format_html('<a class="button" href="{}">{}</a>', url, _("Tải bản dự thảo (.docx)"))
