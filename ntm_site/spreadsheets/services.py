"""workbook_import(): the one way in for the admin, `import_workbook` and the demo seeds."""

from __future__ import annotations

from collections.abc import Callable

from .engine import ImportEngine, ImportReport
from .errors import WorkbookError
from .reader import check_upload_size


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
