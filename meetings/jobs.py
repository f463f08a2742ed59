"""The minutes workbook's confirm, run by a background worker (ntm_site.jobs), as the engine's import confirm is.

The confirm (admin/meetings.py) takes the previewed upload and, in the same transaction, records the job, keyed
on the upload (a second confirm finds the upload gone and the job there), and one ImportBatch "Đang chờ" for
the whole workbook. The worker runs `minutes_workbook_import` (one transaction: every sheet or nothing) under
that batch; a database failure leaves nothing written and the job offers "Chạy lại".
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ntm_site import jobs
from ntm_site.spreadsheets.jobs import batch_failed, batch_queued_again, import_outcome, queue_confirmed, running_batch

HANDLER = "meetings.minutes_import"


def queue_minutes_import(*, data: bytes, upload_name: str, file_name: str, user, back_url: str):
    """Record the job and its batch of a confirmed minutes import (call inside the confirm's transaction)."""
    from meetings.models import Meeting
    from meetings.services import MINUTES_SLUG

    job, _batch = queue_confirmed(
        handler=HANDLER,
        template=MINUTES_SLUG,
        model=Meeting,
        label=_("Nhập biên bản hội nghị từ tệp “{file}”").format(file=file_name),
        params={"file_name": file_name},
        data=data,
        upload_name=upload_name,
        file_name=file_name,
        user=user,
        back_url=back_url,
    )
    return job


@jobs.handler(HANDLER)
def run_minutes_import(job, run) -> jobs.Outcome:
    from meetings.services import minutes_workbook_import

    batch, data = running_batch(job)
    name, progress = job.params.get("file_name") or "", run.import_progress
    report = minutes_workbook_import(file=data, user=job.user, file_name=name, progress=progress, batch=batch)
    return import_outcome(report, data, batch, done=_("Đã nhập xong biên bản từ tệp “{file}” (lô #{batch}). {summary}"))


# A worker that died, a queue that could not be reached, a rerun: the batch follows the job, as the engine's does.
jobs.on_fail(HANDLER)(batch_failed)
jobs.on_rerun(HANDLER)(batch_queued_again)
