"""Report downloads built by a background worker (ntm_site.jobs): the .xlsx of a report and its draft .docx,
when the result holds more than NTM_BACKGROUND_ROWS rows. The job keeps the page's parameters and the reader;
the worker binds the report again for that reader, so the file has exactly the figures of their scope."""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from ntm_site import jobs
from ntm_site.jobs.sizes import over_threshold, threshold
from reports import exports, registry

HANDLER = "reports.download"
KINDS = ("xlsx", "docx")


def result_rows(result) -> int:
    """Rows of every table of a result (the main one and the secondary ones), counted in full."""
    return result.total_rows + sum(table.total_rows for table in result.tables)


def sized_result(report, filterset):
    """The full result when it is small enough to build in the request, else None (start a job instead).

    The first pass stops each long table at NTM_BACKGROUND_ROWS rows (as the page stops at its page size) and
    says how many there are; a result that was not cut is already the whole one.
    """
    first = report.result(filterset, row_limit=threshold() + 1)
    if over_threshold(result_rows(first)):
        return None
    # A table that says it has more rows than it holds was cut: only then is the whole result built again.
    cut = any(table.total_rows > len(table.rows) for table in (first, *first.tables))
    return report.result(filterset) if cut else first


def queue_download(request, report, *, kind: str, query: QueryDict, style: str | None = None):
    from ntm_site.models import Job

    if kind == "xlsx":
        label = _("Bảng Excel của báo cáo “{title}”").format(title=report.title)
    else:
        label = _("Bản dự thảo (.docx) của báo cáo “{title}”").format(title=report.title)
    return jobs.start(
        kind=Job.Kind.DOWNLOAD,
        handler=HANDLER,
        label=label,
        user=request.user,
        params={"slug": report.slug, "kind": kind, "query": query.urlencode(), "style": style},
        back_url=f"{reverse('reports:report', args=[report.slug])}?{query.urlencode()}",
    )


@jobs.handler(HANDLER)
def build_download(job, run) -> jobs.Outcome:
    from reports.documents.reports import report_document

    report = registry.get(job.params["slug"])
    if job.user is None or not report.has_permission(job.user):
        return jobs.Outcome(ok=False, message=_("Bạn không còn quyền xem báo cáo này."))
    filterset = report.bind(QueryDict(job.params.get("query", "")), user=job.user)
    if not filterset.is_valid():
        return jobs.Outcome(ok=False, message=_("Tham số báo cáo không còn hợp lệ."))
    result = report.result(filterset)
    rows = result_rows(result)
    run.progress(total=rows, read=rows)
    if job.params["kind"] == "docx":
        document = report_document(result, style=job.params.get("style"))
        content, filename, content_type = document.content, document.filename, document.content_type
    else:
        content_type, render = exports.FORMATS["xlsx"]
        content, filename = render(result), exports.filename(result, "xlsx")
    return jobs.Outcome(
        message=_("Đã tạo tệp “{name}” ({n} dòng).").format(name=filename, n=rows),
        content=content,
        filename=filename,
        content_type=content_type,
        total=rows,
        read=rows,
        written=rows,
    )
