"""The one django-tasks task every background job runs through (the backend is settings.TASKS)."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def run_job(job_id: int, attempt: int) -> str:
    """Run attempt `attempt` of job `job_id` with its registered handler; record the outcome on the job.

    A job already taken (a duplicate delivery, a job queued again meanwhile) is left alone. Whatever the
    handler raises fails the job with the reason and leaves it to be run again; the worker carries on.
    """
    from ntm_site import jobs
    from ntm_site.models import Job

    from . import progress

    claimed = Job.objects.filter(pk=job_id, attempt=attempt, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now(), worker=jobs.worker_name()
    )
    if not claimed:
        return "skipped"
    job = Job.objects.get(pk=job_id)
    with translation.override(job.params.get("language")):
        run = progress.Run(job)
        try:
            # The beat goes on until the outcome is recorded: a worker still storing its file (or waiting for the
            # job's row) is alive, and only one that stopped beating is taken for dead.
            with run:
                outcome = jobs.get_handler(job.handler)(job, run)
                record(job, attempt, run, outcome)
        except Exception as e:
            logger.exception("Job %s (%s) failed", job.pk, job.handler)
            jobs.fail(
                job,
                _("Có lỗi khi chạy ({error}); bấm “Chạy lại” để thử lại.").format(
                    error=f"{type(e).__name__}: {str(e)[:300]}"
                ),
                retryable=True,
            )
            progress.remove(job)
            return "failed"
        progress.remove(job)
        if outcome.ok or not outcome.retryable:
            job.refresh_from_db()
            jobs.remove_files(job, input_file=True)
    return "done" if outcome.ok else "failed"


def record(job, attempt: int, run, outcome) -> None:
    """Store the outcome's file in the attempt's own folder and then the outcome on the job's row.

    Until the row names it, the file is nobody's: a worker killed while writing it, or before the row says
    so, leaves it in jobs/out/<job>-<attempt>/, which failing the attempt clears (jobs.fail), so no half-written
    file is kept or offered.
    """
    from ntm_site.models import Job

    counts = {**run.values}
    for key in ("total", "read", "written"):
        value = getattr(outcome, key)
        if value is not None:
            counts[key] = value
    if outcome.content is not None:
        # Under the field's upload_to (jobs/out/): jobs.attempt_folder(job).
        name = f"{job.pk}-{attempt}/{outcome.filename or 'ket_qua.bin'}"
        job.result_file.save(name, ContentFile(outcome.content), save=False)
    # The worker's word is final for its own attempt, even if a reader thought it dead meanwhile.
    Job.objects.filter(pk=job.pk, attempt=attempt).update(
        state=Job.State.DONE if outcome.ok else Job.State.FAILED,
        message=outcome.message,
        retryable=outcome.retryable and not outcome.ok,
        finished_at=timezone.now(),
        result_file=job.result_file.name or "",
        result_name=outcome.filename[:255],
        result_type=outcome.content_type[:120],
        **counts,
    )
