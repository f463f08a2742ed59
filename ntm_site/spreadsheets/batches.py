"""The life of an import batch: "running" before the import's transaction, "done" or "failed" after.

The batch row is written (and committed) before the transaction that writes the rows, so it
outlives whatever ends that transaction: a row error, a lost database connection, a process
killed with SIGKILL. The import's transaction marks it done as its last statement, so "done"
commits with the rows or not at all; any other end leaves it "running" until the engine (or,
for a process that no longer exists, the next person to look) marks it failed:

- on PostgreSQL the import's transaction holds the batch's row lock (its first statement updates
  the row; a transaction-level lock, fine behind PgBouncer) until it ends. A batch
  that is "running" and whose row nobody holds was abandoned: the server ends a dead client's
  transaction and releases its locks, whichever machine that client ran on;
- on SQLite (one machine) the batch names its process (host, pid and the process's start time,
  so a reused pid is not taken for the importer); a batch whose process is gone was abandoned.

`settle_abandoned()` runs where batches are shown (Hệ thống › Lô nhập dữ liệu, the dashboard).
"""

from __future__ import annotations

import os
import socket

from django.db import DatabaseError, connections, router, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MSG_ABANDONED = _(
    "Lần nhập bị dừng giữa chừng (tiến trình nhập đã dừng hoặc mất kết nối cơ sở dữ liệu); "
    "chưa có dòng nào được ghi; hãy nhập lại."
)


def _model():
    from ntm_site.models import ImportBatch

    return ImportBatch


def _start_ticks(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), to tell a reused pid from the importer."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return ""
    # The command name (field 2) may hold spaces and parentheses: count from the last ")".
    fields = stat[stat.rfind(b")") + 2 :].split()
    return fields[19].decode() if len(fields) > 19 else ""


def worker_id() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid)}"[:120]


def worker_alive(worker: str) -> bool:
    """Whether the process a batch names still runs; a process on another machine is assumed to."""
    parts = worker.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return True
    host, pid, ticks = parts[0], int(parts[1]), parts[2]
    if host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process with that pid: alive, and not ours to judge by its start time
    return not ticks or _start_ticks(pid) in ("", ticks)


def start_batch(*, model, template: str, file_name: str = "", user=None):
    """A "running" batch, written before the import's transaction (committed unless the caller is in one)."""
    from django.contrib.contenttypes.models import ContentType

    ImportBatch = _model()
    return ImportBatch.objects.create(
        template=template,
        content_type=ContentType.objects.get_for_model(model),
        file_name=(file_name or "")[:255],
        user=user if getattr(user, "pk", None) else None,
        status=ImportBatch.Status.RUNNING,
        worker=worker_id(),
    )


def hold_batch(batch) -> None:
    """The first statement of the import's transaction: its row lock says, to anyone looking, that it runs.

    An UPDATE, not a SELECT … FOR UPDATE: on SQLite it also takes the write lock from the start (waiting,
    up to the busy timeout, for another writer to finish), so that no other connection can commit between
    the import's first read and its first write (which SQLite would refuse, in WAL mode, with "database is
    locked").
    """
    ImportBatch = _model()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)


def finish_batch(batch, report) -> None:
    """Mark a batch done with a report's counts: the last statement of the import's transaction, so "done"
    commits with the rows or not at all."""
    batch.status = batch.Status.DONE
    batch.rows, batch.created, batch.updated = report.rows, report.created, report.updated
    batch.unchanged, batch.skipped, batch.errors = report.unchanged, report.skipped, 0
    batch.error_summary = ""
    batch.finished_at = timezone.now()
    batch.save()


def fail_batch(batch, *, template: str, model, file_name: str, user, rows: int, errors: int, summary: str):
    """Mark a batch failed (writing a new one when the batch went with a rolled-back transaction).

    Returns the batch, or None when the connection cannot write now (it was lost inside a caller's
    transaction): the batch then stays "running" until the caller, or the next look, settles it.
    """
    ImportBatch = _model()
    fields = {
        "status": ImportBatch.Status.FAILED,
        "rows": rows,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "errors": errors,
        "error_summary": summary,
        "finished_at": timezone.now(),
    }
    try:
        if batch is not None and ImportBatch.objects.filter(pk=batch.pk).update(**fields):
            for name, value in fields.items():
                setattr(batch, name, value)
            return batch
        fresh = start_batch(model=model, template=template, file_name=file_name, user=user)
        ImportBatch.objects.filter(pk=fresh.pk).update(**fields, worker="")
        fresh.refresh_from_db()
        return fresh
    except (DatabaseError, TransactionManagementError):
        return None


def settle_abandoned(using: str | None = None) -> int:
    """Mark failed every "running" batch whose import no longer runs; how many were marked."""
    ImportBatch = _model()
    using = using or router.db_for_write(ImportBatch)
    connection = connections[using]
    running = list(
        ImportBatch.objects.using(using).filter(status=ImportBatch.Status.RUNNING).values_list("pk", "worker")
    )
    if not running:
        return 0
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            # Rows an import's transaction holds are skipped: what is left has no live importer.
            abandoned = list(
                ImportBatch.objects.using(using)
                .select_for_update(skip_locked=True)
                .filter(pk__in=[pk for pk, _worker in running], status=ImportBatch.Status.RUNNING)
                .values_list("pk", flat=True)
            )
            return _mark(ImportBatch, using, abandoned)
    return _mark(ImportBatch, using, [pk for pk, worker in running if not worker_alive(worker)])


def _mark(ImportBatch, using, pks) -> int:
    if not pks:
        return 0
    return (
        ImportBatch.objects.using(using)
        .filter(pk__in=pks, status=ImportBatch.Status.RUNNING)
        .update(
            status=ImportBatch.Status.FAILED,
            finished_at=timezone.now(),
            errors=1,
            error_summary=str(MSG_ABANDONED),
        )
    )
