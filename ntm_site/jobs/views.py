"""The pages of background jobs, inside the admin: one job's progress, its JSON for the page's script, its file,
"Chạy lại", and the list of the reader's own jobs. Each job is its owner's (a superuser sees them all)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ntm_site import jobs

LIST_ROWS = 50


def _job_of(request, pk: int):
    from ntm_site.models import Job

    job = get_object_or_404(Job, pk=pk)
    if not (request.user.is_superuser or (job.user_id and job.user_id == request.user.pk)):
        raise PermissionDenied
    jobs.reap([job])
    return job


def job_page(request, pk: int):
    job = _job_of(request, pk)
    context = {
        **admin.site.each_context(request),
        "title": job.label,
        "job": job,
        "status": jobs.status(job),
        "jobs_url": _list_url(),
    }
    return TemplateResponse(request, "admin/ntm_site/jobs/job.html", context)


@never_cache
def job_status(request, pk: int):
    return JsonResponse(jobs.status(_job_of(request, pk)))


def job_download(request, pk: int):
    job = _job_of(request, pk)
    if not job.result_file:
        raise Http404(_("Tệp kết quả không còn (đã quá hạn lưu); hãy chạy lại việc này."))
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Tệp kết quả không còn (đã quá hạn lưu); hãy chạy lại việc này.")) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.result_name or "ket_qua",
        content_type=job.result_type or "application/octet-stream",
    )


@require_POST
def job_rerun(request, pk: int):
    job = _job_of(request, pk)
    if jobs.rerun(job):
        messages.success(request, _("Đã đưa việc “{label}” vào hàng đợi lần nữa.").format(label=job.label))
    else:
        messages.error(request, _("Việc này không chạy lại được (chỉ chạy lại việc bị dừng giữa chừng)."))
    return HttpResponseRedirect(jobs.page_url(job))


def job_list(request):
    from ntm_site.models import Job

    mine = Job.objects.select_related("user")
    if not request.user.is_superuser:
        mine = mine.filter(user=request.user)
    rows = list(mine[:LIST_ROWS])
    jobs.reap(rows)
    context = {
        **admin.site.each_context(request),
        "title": _("Công việc chạy nền"),
        "rows": [(job, jobs.status(job)) for job in rows],
        "limit": LIST_ROWS,
    }
    return TemplateResponse(request, "admin/ntm_site/jobs/list.html", context)


def _list_url():
    from django.urls import reverse

    return reverse("admin:ntm_site_job_list")


def urls(site):
    """Mounted by the admin site under admin/jobs/ (login and staff required, as every admin page)."""
    return [
        path("jobs/", site.admin_view(job_list), name="ntm_site_job_list"),
        path("jobs/<int:pk>/", site.admin_view(job_page), name="ntm_site_job_page"),
        path("jobs/<int:pk>/status/", site.admin_view(job_status), name="ntm_site_job_status"),
        path("jobs/<int:pk>/download/", site.admin_view(job_download), name="ntm_site_job_download"),
        path("jobs/<int:pk>/rerun/", site.admin_view(job_rerun), name="ntm_site_job_rerun"),
    ]
