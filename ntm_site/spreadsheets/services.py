"""workbook_import(): the one way in for the admin, `import_workbook` and the demo seeds."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError, router, transaction

from . import batches
from .engine import ImportEngine, ImportReport
from .errors import WorkbookError
from .failures import OTHER, DatabaseFailure, failure_of
from .reader import check_upload_size
from .storage import DatabaseStorage


def read_upload(file) -> tuple[bytes, str]:
    """The bytes and the name of a path, an UploadedFile, a file object or bytes (size checked first)."""
    if isinstance(file, bytes | bytearray | memoryview):
        return bytes(file), ""
    if isinstance(file, str) or hasattr(file, "__fspath__"):
        import os

        check_upload_size(os.path.getsize(file))
        with open(file, "rb") as fh:
            return fh.read(), os.path.basename(str(file))
    size = getattr(file, "size", None)
    if size is not None:
        check_upload_size(size)
    name = getattr(file, "name", "") or ""
    data = b"".join(file.chunks()) if hasattr(file, "chunks") else file.read()
    return data, str(name).rsplit("/", 1)[-1]


def workbook_import(
    *,
    resource_class,
    file,
    user=None,
    dry_run: bool = False,
    file_name: str | None = None,
    progress: Callable[[int, int, int], None] | None = None,
    batch=None,
    **resource_kwargs,
) -> ImportReport:
    """Import one workbook (path, upload, file object or bytes) through `resource_class`.

    All-or-nothing: the report lists every error and nothing is written if there is one.
    `dry_run=True` does everything, then rolls back (the admin's preview). `progress(read, total, written)` is
    called every 1,000 rows; `batch`: an ImportBatch recorded beforehand (a queued confirm) to fill in.
    """
    resource = resource_class(**resource_kwargs)
    engine = ImportEngine(
        resource, dry_run=dry_run, user=user, file_name=file_name or "", progress=progress, batch=batch
    )
    try:
        data, name = read_upload(file)
    except WorkbookError as e:
        engine.report.fatal = str(e)
        engine.report.file_name = file_name or getattr(file, "name", "") or ""
        return engine.report
    engine.file_name = engine.report.file_name = file_name or name
    return engine.run(data)


def stored_file_import(
    *, name: str, resource_class, user=None, file_name: str = "", **resource_kwargs
) -> tuple[ImportReport | None, bytes | None]:
    """The confirm of a preview: the upload stored under `name` taken and imported in one transaction.

    (None, None) when the file is gone (imported by an earlier confirm, or expired). The batch is
    written "running" before the transaction, so that a process killed halfway leaves it behind to
    be marked failed (batches.settle_abandoned) while the rolled-back transaction leaves the file
    in place: the same confirm imports it again. When another import held the table too long, or
    the database failed under the import (a lost connection, a deadlock, a full disk), the file
    stays too and the batch says why.
    """
    resource = resource_class(**resource_kwargs)
    model = resource._meta.model
    using = router.db_for_write(model)
    storage = DatabaseStorage(name=name, read_mode="rb")
    batch = batches.start_batch(model=model, template=resource.get_template_slug(), file_name=file_name, user=user)
    engine = ImportEngine(resource, user=user, file_name=file_name, batch=batch)
    data = None
    try:
        # Of two confirms of one preview (a double click, two workers) the second waits on the file's row, then
        # finds nothing.
        with transaction.atomic(using=using):
            batches.hold_batch(batch)
            data = storage.take()
            if data is not None:
                report = engine.run(data)
                if report.busy or report.database_failure:
                    transaction.set_rollback(True, using=using)  # the file stays: the clerk confirms again
    except DatabaseError as e:  # the connection went before the import began (or while it ended)
        engine.fail(failure_of(e) or DatabaseFailure(OTHER, e))
        data = data if data is not None else b""
    if data is None or engine.report.busy:
        # Nothing was imported (no file), or nothing started (another import held the table): no batch.
        with transaction.atomic(using=using):
            type(batch).objects.filter(pk=batch.pk).delete()
        if data is None:
            return None, None
        engine.report.batch_id = None
        return engine.report, data
    if not engine.report.ok:
        engine._log_failure()  # again, now outside the rolled-back transaction
    return engine.report, data
