"""Database failures that are no row's fault: one message for the whole file, never a list of rows.

A lost connection (PostgreSQL `pg_terminate_backend`, a failover, a network cut), a deadlock or
a write conflict, a full disk: when one of these happens halfway through an import, every later
statement fails too, and retrying the rows one by one (what the engine does to find the rows
the database refused) would blame each of them. `classify()` tells these failures apart from
the refusals that belong to a row (a unique key, a value too long, a check constraint), by the
database's own code: SQLSTATE on PostgreSQL, the SQLite result code on SQLite.
"""

from __future__ import annotations

from django.db import DatabaseError, InterfaceError
from django.utils.translation import gettext_lazy as _

from .errors import WorkbookError, show_value

CONNECTION = "connection"
CONFLICT = "conflict"
FULL = "full"
OTHER = "other"

MESSAGES = {
    CONNECTION: _("Mất kết nối cơ sở dữ liệu khi đang nhập; chưa có dòng nào được ghi; hãy nhập lại."),
    CONFLICT: _(
        "Cơ sở dữ liệu phải dừng lần nhập vì tranh chấp khóa với một thao tác khác đang ghi cùng lúc; "
        "chưa có dòng nào được ghi; hãy nhập lại."
    ),
    FULL: _(
        "Cơ sở dữ liệu hết chỗ lưu trữ khi đang nhập; chưa có dòng nào được ghi. "
        "Hãy báo quản trị hệ thống giải phóng dung lượng rồi nhập lại."
    ),
}
MSG_OTHER = _("Cơ sở dữ liệu gặp sự cố khi đang nhập ({reason}); chưa có dòng nào được ghi; hãy nhập lại.")

# PostgreSQL SQLSTATEs (Appendix A of its manual) that say nothing about the row being written.
_PG_CONNECTION = {"57P01", "57P02", "57P03", "57P05"}  # admin/crash shutdown, cannot connect now, idle session
_PG_CONFLICT = {"40P01", "40001", "55P03"}  # deadlock, serialization failure, lock not available
_PG_FULL = {"53100"}  # disk_full
_PG_OTHER_CLASSES = ("53", "58", "XX")  # insufficient resources, system error (I/O), internal error
_PG_OTHER = {"57014", "25006", "57000"}  # query cancelled (statement_timeout), read-only transaction
# SQLite primary result codes (https://sqlite.org/rescode.html).
_SQLITE = {
    5: CONFLICT,  # SQLITE_BUSY: another connection holds the write lock (or the snapshot is stale)
    6: CONFLICT,  # SQLITE_LOCKED
    7: OTHER,  # SQLITE_NOMEM
    8: OTHER,  # SQLITE_READONLY
    9: OTHER,  # SQLITE_INTERRUPT
    10: OTHER,  # SQLITE_IOERR
    11: OTHER,  # SQLITE_CORRUPT
    13: FULL,  # SQLITE_FULL: the disk, or the database's max_page_count
    14: OTHER,  # SQLITE_CANTOPEN
    15: OTHER,  # SQLITE_PROTOCOL
    26: OTHER,  # SQLITE_NOTADB
}


class DatabaseFailure(WorkbookError):
    """The database failed under the import (not because of a row): nothing was written."""

    def __init__(self, kind: str, error: BaseException):
        self.kind = kind
        if kind in MESSAGES:
            message = MESSAGES[kind]
        else:
            message = MSG_OTHER.format(reason=show_value(str(error).strip().splitlines()[0] if str(error) else kind))
        super().__init__(message)


def classify(error: BaseException) -> str | None:
    """CONNECTION, CONFLICT, FULL or OTHER for a failure of the database itself; None for a row's refusal."""
    cause = error.__cause__ if error.__cause__ is not None else error
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate:
        if sqlstate.startswith("08") or sqlstate in _PG_CONNECTION:
            return CONNECTION
        if sqlstate in _PG_CONFLICT:
            return CONFLICT
        if sqlstate in _PG_FULL:
            return FULL
        if sqlstate.startswith(_PG_OTHER_CLASSES) or sqlstate in _PG_OTHER:
            return OTHER
        return None
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        return _SQLITE.get(code & 0xFF)
    module = type(cause).__module__ or ""
    if isinstance(error, InterfaceError) or (module.startswith("psycopg") and type(cause).__name__ in _PSYCOPG_LOST):
        # psycopg without a SQLSTATE: the server went away ("consuming input failed", "the connection is closed").
        return CONNECTION
    if module.startswith("sqlite3") and "closed database" in str(cause):
        return CONNECTION
    return None


_PSYCOPG_LOST = {"OperationalError", "InterfaceError"}


def failure_of(error: DatabaseError) -> DatabaseFailure | None:
    kind = classify(error)
    return DatabaseFailure(kind, error) if kind else None
