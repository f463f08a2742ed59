"""A confirmed import, run by a background worker (ntm_site.jobs): the admin's "Xác nhận nhập" queues it.

The confirm takes the previewed upload (DatabaseStorage.take(), the row locked), stores its bytes with the
job under NTM_PRIVATE_ROOT and records the ImportBatch as "Đang chờ", all in one transaction, with the
job keyed on the upload: a second confirm of the same preview finds the upload gone and the job there, and
is refused. The worker runs the import as the admin did (one transaction: all or nothing) and fills in the
same batch; a worker killed midway leaves nothing written, and the batch and the job say so.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ntm_site import jobs

from .batches import worker_id
from .registry import get_resource
from .services import workbook_import
from .workbooks import XLSX_CONTENT_TYPE, error_workbook

HANDLER = "spreadsheets.import"


def confirm_key(upload_name: str) -> str:
    """The one job a previewed upload may give (Job.key is unique)."""
    return f"import:{upload_name}"[:100]


def queue_import(*, resource_class, data: bytes, upload_name: str, file_name: str, user, model, back_url: str):
    """Record the batch and the job of a confirmed import (call inside the confirm's transaction)."""
    template = resource_class.get_template_slug()
    return queue_confirmed(
        handler=HANDLER,
        template=template,
        model=model,
        label=_("Nhập tệp “{file}” vào {what}").format(file=file_name, what=model._meta.verbose_name_plural),
        params={"template": template, "file_name": file_name},
        data=data,
        upload_name=upload_name,
        file_name=file_name,
        user=user,
        back_url=back_url,
    )


def queue_confirmed(*, handler, template, model, label, params, data, upload_name, file_name, user, back_url):
    """The job of a confirmed upload, keyed on it (a second confirm is refused), and its batch "Đang chờ":
    (job, batch). Any import confirm that runs in the background (the engine's, the minutes workbook's)."""
    from django.contrib.contenttypes.models import ContentType

    from ntm_site.models import ImportBatch, Job

    batches = []

    def record_batch(job):
        batches.append(
            ImportBatch.objects.create(
                template=template,
                content_type=ContentType.objects.get_for_model(model),
                file_name=file_name[:255],
                user=job.user,
                status=ImportBatch.Status.QUEUED,
                job=job,
            )
        )

    job = jobs.start(
        kind=Job.Kind.IMPORT,
        handler=handler,
        label=label,
        user=user,
        key=confirm_key(upload_name),
        params=params,
        back_url=back_url,
        input_content=data,
        input_name=upload_name + ".bin",
        prepare=record_batch,
    )
    return job, batches[0]


def running_batch(job):
    """The job's batch, now running in this worker, and the file the confirm kept: (batch, bytes)."""
    from ntm_site.models import ImportBatch

    batch = ImportBatch.objects.get(job=job)
    # The batch names its worker process, as one the admin runs itself does (batches.settle_abandoned).
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, worker=worker_id())
    with job.input_file.open("rb") as handle:
        return batch, handle.read()


@jobs.handler(HANDLER)
def run_import(job, run) -> jobs.Outcome:
    batch, data = running_batch(job)
    report = workbook_import(
        resource_class=get_resource(job.params["template"]),
        file=data,
        user=job.user,
        file_name=job.params.get("file_name") or "",
        progress=run.import_progress,
        batch=batch,
    )
    return import_outcome(report, data, batch, done=_("Đã nhập xong tệp “{file}” (lô #{batch}). {summary}"))


def import_outcome(report, data: bytes, batch, *, done: str) -> jobs.Outcome:
    """A background import's outcome from its report (the engine's, or the minutes workbook's alike): `done`
    (with its file, batch and summary) when it went in; else why not, the clerk's file with its errors marked,
    and "Chạy lại" when the database, not the file, was at fault."""
    counts = {"total": report.rows, "read": report.rows}
    if report.ok:
        message = done.format(file=report.file_name, batch=batch.pk, summary=report.summary())
        return jobs.Outcome(message=message, written=report.rows - report.skipped, **counts)
    lines = report.error_lines(20)
    more = len(report.error_lines()) - len(lines)
    message = "\n".join(
        [_("Không ghi gì: {summary}").format(summary=report.summary()), *lines]
        + ([_("… và {n} lỗi nữa.").format(n=more)] if more > 0 else [])
    )
    content = None
    if report.errors:
        try:
            content = error_workbook(data, report.file_format, report)
        except Exception:  # the errors are listed on the job all the same; the marked file is a convenience
            content = None
    return jobs.Outcome(
        ok=False,
        message=message,
        content=content,
        filename="tep_bao_loi.xlsx" if content else "",
        content_type=XLSX_CONTENT_TYPE if content else "",
        # Another import held the table too long, or the database failed under it (connection lost, deadlock,
        # disk full): nothing was written and the same file will go in once that is over.
        retryable=bool(report.busy or report.database_failure),
        written=0,
        **counts,
    )


@jobs.on_fail(HANDLER)
def batch_failed(job, message: str) -> None:
    """The worker died or the job could not be queued: the batch says so too (nothing was written)."""
    from django.utils import timezone

    from ntm_site.models import ImportBatch

    ImportBatch.objects.filter(job=job, status__in=[ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING]).update(
        status=ImportBatch.Status.FAILED, error_summary=message, finished_at=timezone.now(), errors=1
    )


@jobs.on_rerun(HANDLER)
def batch_queued_again(job) -> None:
    from ntm_site.models import ImportBatch

    ImportBatch.objects.filter(job=job).update(
        status=ImportBatch.Status.QUEUED, error_summary="", errors=0, finished_at=None, rows=0
    )
