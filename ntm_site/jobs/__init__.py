"""Long work in the background: imports and large downloads, run by a worker, with progress the user can watch.

The platform's machinery; apps register what they run (`@jobs.handler("reports.download")`) and start
jobs with `jobs.start(...)`. One django-tasks task (`ntm_site.jobs.tasks.run_job`) runs every job: the
backend is the database (`manage.py db_worker`) or RQ over Redis (settings.NTM_TASKS_BACKEND).

    @jobs.handler("reports.download")
    def build(job, run):              # run: the running job's progress and heartbeat (progress.Run)
        run.progress(total=len(rows))
        ...
        return jobs.Outcome(message=..., content=bytes, filename="x.xlsx", content_type=...)

    job = jobs.start(kind=Job.Kind.DOWNLOAD, handler="reports.download", label=..., user=request.user,
                     params={...}, back_url=...)
    return redirect(jobs.page_url(job))

A job's state (Đang chờ, Đang chạy, Xong, Lỗi) lives in its row; while it runs, the worker writes what it
has read and written, with a heartbeat, to a small file beside the job's files (progress.py: an import
holds one transaction, and SQLite lets no other connection write meanwhile). A running job whose heartbeat
stopped (its worker was killed) is shown as failed with the reason, and can be run again; the file it was
writing, in its attempt's own folder and not yet named by the row, is removed (remove_unrecorded_results).
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import progress

logger = logging.getLogger(__name__)

_handlers: dict[str, Callable] = {}


@dataclass
class Outcome:
    """What a handler returns: done (ok) or failed, a sentence for the user, and a file to download."""

    ok: bool = True
    message: str = ""
    content: bytes | None = None
    filename: str = ""
    content_type: str = ""
    retryable: bool = False
    total: int | None = None
    read: int | None = None
    written: int | None = None


def handler(name: str):
    """Register the function that does the work of jobs named `name` (an app's own, in its AppConfig.ready())."""

    def register(function):
        existing = _handlers.get(name)
        if existing is not None and existing.__qualname__ != function.__qualname__:
            raise ValueError(f"Job handler {name!r} is registered by {existing.__qualname__} already.")
        _handlers[name] = function
        return function

    return register


def get_handler(name: str) -> Callable:
    return _handlers[name]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def start(
    *,
    kind,
    handler,
    label,
    user=None,
    params=None,
    key=None,
    back_url="",
    input_content=None,
    input_name="",
    prepare: Callable | None = None,
):
    """Record a job (state Đang chờ) and queue it; `prepare(job)` records what goes with it first (a batch).

    With the database backend the task row is written in the caller's transaction, so a worker sees the
    job exactly when it commits; a broker (RQ) is told only after the commit.
    """
    from ntm_site.models import Job

    if handler not in _handlers:
        raise KeyError(f"No job handler {handler!r}: known are {', '.join(sorted(_handlers))}")
    prune()
    params = dict(params or {})
    params.setdefault("language", translation.get_language() or settings.LANGUAGE_CODE)
    job = Job(
        kind=kind,
        handler=handler,
        label=str(label)[:255],
        user=user if getattr(user, "pk", None) else None,
        params=params,
        key=key,
        back_url=back_url[:500],
    )
    if input_content is not None:
        job.input_file.save(input_name or "upload.bin", ContentFile(input_content), save=False)
    job.save()
    if prepare is not None:
        prepare(job)
    _queue_after_commit(job)
    return job


def _queue_after_commit(job) -> None:
    from django_tasks.backends.immediate import ImmediateBackend
    from django_tasks_db import DatabaseBackend

    if isinstance(_backend(), DatabaseBackend | ImmediateBackend):
        enqueue(job)
    else:
        transaction.on_commit(lambda: enqueue(job))


def _backend():
    from django_tasks import task_backends

    from .tasks import run_job

    return task_backends[run_job.backend]


def enqueue(job) -> None:
    """Hand the job to the task backend (django-tasks); an unreachable queue fails the job with the reason."""
    from ntm_site.models import Job

    from .tasks import run_job

    try:
        result = run_job.enqueue(job.pk, job.attempt)
    except Exception as e:  # Redis down, a database error: say so on the job instead of an error page
        logger.exception("Could not queue job %s", job.pk)
        fail(job, _("Không đưa được việc vào hàng đợi chạy nền ({error}).").format(error=str(e)[:200]), retryable=True)
        return
    Job.objects.filter(pk=job.pk, attempt=job.attempt, task_id="").update(task_id=str(result.id)[:64])


def rerun(job, *, prepare: Callable | None = None) -> bool:
    """Queue a failed job again (a new attempt); False when it is not failed or cannot be run again."""
    from ntm_site.models import Job

    with transaction.atomic():
        locked = Job.objects.select_for_update().filter(pk=job.pk).first()
        if locked is None or locked.state != Job.State.FAILED or not locked.retryable:
            return False
        locked.attempt += 1
        locked.state = Job.State.QUEUED
        locked.task_id = locked.worker = locked.message = ""
        locked.started_at = locked.finished_at = None
        locked.read = locked.written = 0
        locked.retryable = False
        locked.save()
        rerun_hook = _rerun_hooks.get(locked.handler)
        if rerun_hook is not None:
            rerun_hook(locked)
        _queue_after_commit(locked)
    job.refresh_from_db()
    return True


_rerun_hooks: dict[str, Callable] = {}
_fail_hooks: dict[str, Callable] = {}


def on_rerun(name: str):
    """Register what must be reset when a job of `name` is queued again (an import's batch goes back to Đang chờ)."""

    def register(function):
        _rerun_hooks[name] = function
        return function

    return register


def on_fail(name: str):
    """Register what else must say "failed" when a job of `name` fails outside its handler (a worker that died)."""

    def register(function):
        _fail_hooks[name] = function
        return function

    return register


def fail(job, message: str, *, retryable: bool) -> None:
    """Mark a job failed (for a reason the handler could not report itself) and tell its owner's records."""
    from ntm_site.models import Job

    changed = Job.objects.filter(pk=job.pk, attempt=job.attempt, state__in=[Job.State.QUEUED, Job.State.RUNNING])
    if changed.update(state=Job.State.FAILED, message=message, retryable=retryable, finished_at=timezone.now()):
        job.refresh_from_db()
        remove_unrecorded_results(job)
        hook = _fail_hooks.get(job.handler)
        if hook is not None:
            hook(job, message)


def reap(jobs) -> None:
    """Running jobs whose worker stopped beating (killed, machine gone) are marked failed, with when it last beat."""
    from ntm_site.models import Job

    stale = datetime.timedelta(seconds=settings.NTM_JOB_STALE_SECONDS)
    now = timezone.now()
    for job in jobs:
        if job.state != Job.State.RUNNING:
            continue
        beat = progress.last_beat(job) or job.started_at
        if beat is None or now - beat < stale:
            continue
        when = date_format(timezone.localtime(beat), "d/m/Y H:i:s")
        fail(
            job,
            _(
                "Tiến trình chạy nền ({worker}) đã dừng giữa chừng: không còn tín hiệu từ {when}. Chưa ghi gì; "
                "bấm “Chạy lại” để chạy lại."
            ).format(worker=job.worker or "?", when=when)
            if job.kind == Job.Kind.IMPORT
            else _(
                "Tiến trình chạy nền ({worker}) đã dừng giữa chừng: không còn tín hiệu từ {when}. "
                "Bấm “Chạy lại” để chạy lại."
            ).format(worker=job.worker or "?", when=when),
            retryable=True,
        )


def status(job) -> dict:
    """What the progress page shows (and its script polls): state, counts, message, where to go next."""
    live = progress.read(job) if job.state == job.State.RUNNING else None
    counts = {k: getattr(job, k) for k in ("total", "read", "written")}
    if live:
        counts.update({k: live[k] for k in counts if live.get(k) is not None})
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "finished": job.finished,
        **counts,
        "percent": percent(counts["read"] + counts["written"], 2 * counts["total"]) if counts["total"] else None,
        "message": job.message,
        # Queued for longer than a worker takes to notice: perhaps no worker runs (the page says whom to tell).
        "waiting_long": job.state == job.State.QUEUED
        and job.attempt == 1
        and (timezone.now() - job.created_at).total_seconds() > settings.NTM_JOB_STALE_SECONDS,
        "download_url": download_url(job) if job.state == job.State.DONE and job.result_file else None,
        "error_file_url": download_url(job) if job.state == job.State.FAILED and job.result_file else None,
    }


def percent(part: int, whole: int) -> int:
    return max(0, min(100, round(100 * part / whole))) if whole else 0


def page_url(job) -> str:
    return reverse("admin:ntm_site_job_page", args=[job.pk])


def download_url(job) -> str:
    return reverse("admin:ntm_site_job_download", args=[job.pk])


def prune() -> None:
    """Finished jobs' files older than NTM_JOB_KEEP_DAYS go (the rows stay, as a record)."""
    from ntm_site.models import Job

    cutoff = timezone.now() - datetime.timedelta(days=settings.NTM_JOB_KEEP_DAYS)
    old = Job.objects.filter(created_at__lt=cutoff).exclude(input_file="", result_file="")
    for job in old.filter(state__in=[Job.State.DONE, Job.State.FAILED])[:50]:
        remove_files(job, input_file=True, result_file=True)


def attempt_folder(job, attempt: int | None = None) -> str:
    """Where an attempt's result file is written (in the storage of Job.result_file; tasks.record)."""
    return f"{job.result_file.field.upload_to}{job.pk}-{attempt or job.attempt}"


def remove_unrecorded_results(job) -> None:
    """Files in the attempt's folder that its row does not name: written (perhaps half) by a worker that died
    before it could record them. Nobody can download them; they go when the attempt is failed."""
    storage = job.result_file.storage
    folder = attempt_folder(job)
    try:
        _dirs, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        if f"{folder}/{name}" != job.result_file.name:
            storage.delete(f"{folder}/{name}")
    if not job.result_file.name.startswith(folder + "/"):
        with contextlib.suppress(OSError):
            os.rmdir(storage.path(folder))


def remove_files(job, *, input_file=False, result_file=False) -> None:
    from ntm_site.models import Job

    fields = {}
    if input_file and job.input_file:
        job.input_file.delete(save=False)
        fields["input_file"] = ""
    if result_file and job.result_file:
        job.result_file.delete(save=False)
        fields["result_file"] = ""
    if fields:
        Job.objects.filter(pk=job.pk).update(**fields)
