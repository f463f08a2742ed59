"""Downloads of the drafts: a report's .docx with the page's own filters, and a meeting's minutes or notice.

Both are mounted under admin/reports/ (reports/urls.py) and wrapped by the admin site, so they
need the admin login; each checks the permissions of the records it prints.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ntm_site import jobs
from ntm_site.accounts import scope
from reports import registry
from reports.documents.builder import HeaderStyle
from reports.documents.meetings import meeting_document
from reports.documents.reports import REPORT_DOCUMENTS, report_document
from reports.jobs import queue_download, sized_result
from reports.views import refusal_message

# Query-string keys of the download that are not report parameters.
DOCUMENT_KEYS = {"style", "print", "saved"}
MEETING_DOCUMENTS = ("minutes", "conclusions")


def _style(request) -> str | None:
    style = request.GET.get("style")
    return style if style in HeaderStyle.values else None


def _attachment(file) -> HttpResponse:
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


def report_document_view(request, slug: str):
    """The draft report (.docx) of a report page, with the same filters as the page."""
    if slug not in REPORT_DOCUMENTS:
        raise Http404(slug)
    report = registry.get(slug)
    if not report.has_permission(request.user):
        raise PermissionDenied
    params = request.GET.copy()
    for key in DOCUMENT_KEYS:
        params.pop(key, None)
    filterset = report.bind(params, request=request)
    if not filterset.is_valid():
        lead = _("Chưa tạo được bản dự thảo: tham số báo cáo chưa hợp lệ.")
        messages.error(request, refusal_message(lead, filterset.form))
        return HttpResponseRedirect(f"{reverse('reports:report', args=[slug])}?{params.urlencode()}")
    # Bound with the request: the figures are those of the reader's scope, as on the page.
    result = sized_result(report, filterset)
    if result is None:  # too many rows for a web request: a worker writes the draft (reports.jobs)
        job = queue_download(request, report, kind="docx", query=params, style=_style(request))
        messages.info(request, _("Báo cáo dài: bản dự thảo đang được tạo chạy nền; tải về ở trang này khi xong."))
        return HttpResponseRedirect(jobs.page_url(job))
    return _attachment(report_document(result, style=_style(request)))


def meeting_document_view(request, pk: int, which: str):
    """The minutes (biên bản) or the conclusion notice (thông báo kết luận) of one meeting, as .docx."""
    from meetings.models import Meeting

    if which not in MEETING_DOCUMENTS:
        raise Http404(which)
    if not request.user.has_perm("meetings.view_meeting"):
        raise PermissionDenied
    meeting = scope.restrict(Meeting.objects.for_minutes().filter(pk=pk), request.user, scope.READ).first()
    if meeting is None:
        raise Http404(_("Không có hội nghị này."))
    return _attachment(meeting_document(meeting, which, style=_style(request)))
