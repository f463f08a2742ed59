"""An admin list's export (Xuất Excel/CSV) of more than NTM_BACKGROUND_ROWS rows, built by a worker.

The export form's POST, the list's filters (the query string) and the user are kept with the job; the
worker asks the same model admin for the same queryset and file, with a request rebuilt from them, so the
file holds exactly what the clerk's list held (scope, filters, search, chosen columns).
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from ntm_site import jobs

HANDLER = "admin.export"


def hide_task_rows():
    """django-tasks-db's own list of task rows is English and of use to nobody here: a job's page says it all.
    (Called from NtmSiteConfig.ready(), after the admin has read every app's admin module.)"""
    from django_tasks_db.models import DBTaskResult

    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)


def replayed_request(*, user, method: str, path: str, get: str, post: str) -> HttpRequest:
    """A request carrying what the admin's export reads: the user, the list's filters and the form."""
    request = HttpRequest()
    request.method = method
    request.path = request.path_info = path
    request.GET = QueryDict(get)
    request.POST = QueryDict(post)
    request.user = user
    request.META = {"SERVER_NAME": "worker", "SERVER_PORT": "80", "REQUEST_METHOD": method}
    return request


def queue_export(model_admin, request, *, label):
    from ntm_site.models import Job

    opts = model_admin.model._meta
    from django.urls import reverse

    return jobs.start(
        kind=Job.Kind.DOWNLOAD,
        handler=HANDLER,
        label=label,
        user=request.user,
        params={
            "model": opts.label,
            "method": request.method,
            "path": request.path,
            "get": request.GET.urlencode(),
            "post": _without_token(request.POST).urlencode(),
        },
        back_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
    )


def _without_token(post: QueryDict) -> QueryDict:
    kept = post.copy()
    kept.pop("csrfmiddlewaretoken", None)
    return kept


@jobs.handler(HANDLER)
def run_admin_export(job, run) -> jobs.Outcome:
    model = apps.get_model(job.params["model"])
    model_admin = admin.site._registry[model]
    if job.user is None:
        return jobs.Outcome(ok=False, message=_("Người yêu cầu không còn trong hệ thống; không xuất được."))
    request = replayed_request(
        user=job.user,
        method=job.params.get("method", "POST"),
        path=job.params.get("path", "/"),
        get=job.params.get("get", ""),
        post=job.params.get("post", ""),
    )
    return model_admin.background_export(request, run)
