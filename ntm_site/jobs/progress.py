"""A running job's live progress and heartbeat, written by its worker beside the job's files.

Not in the job's row: an import writes everything in one transaction, and while it is open SQLite lets no
other connection write (and PostgreSQL would show nobody the progress until it commits). A small JSON file
under NTM_PRIVATE_ROOT/jobs/progress/ is written by a thread of the worker every NTM_JOB_HEARTBEAT_SECONDS,
replaced whole each time (written aside, then renamed), so a reader never sees half of it. The job's row gets
the final counts when it ends.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import threading
from pathlib import Path

from django.conf import settings
from django.utils import timezone


def path_of(job) -> Path:
    return Path(settings.NTM_PRIVATE_ROOT) / "jobs" / "progress" / f"{job.pk}.json"


def read(job) -> dict | None:
    try:
        data = json.loads(path_of(job).read_text())
    except (OSError, ValueError):
        return None
    return data if data.get("attempt") == job.attempt else None


def last_beat(job) -> datetime.datetime | None:
    data = read(job)
    if not data:
        return None
    try:
        return datetime.datetime.fromisoformat(data["beat"])
    except (KeyError, ValueError):
        return None


def remove(job) -> None:
    path_of(job).unlink(missing_ok=True)


class Run:
    """The progress of one attempt of a job, kept by its worker: `progress()` from the work, a beat from a thread."""

    def __init__(self, job):
        self.job = job
        self.values = {"total": job.total, "read": 0, "written": 0}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None
        self.path = path_of(job)

    def progress(self, *, total=None, read=None, written=None) -> None:
        with self._lock:
            for key, value in (("total", total), ("read", read), ("written", written)):
                if value is not None:
                    self.values[key] = int(value)

    def import_progress(self, read: int, total: int, written: int | None = None) -> None:
        """The import engine's callback: rows read of the sheet's total, rows written so far."""
        self.progress(total=total, read=read, written=written)

    def write(self) -> None:
        with self._lock:
            data = {**self.values, "attempt": self.job.attempt, "beat": timezone.now().isoformat()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        aside = self.path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        aside.write_text(json.dumps(data))
        os.replace(aside, self.path)

    def _beat(self) -> None:
        interval = max(0.2, float(settings.NTM_JOB_HEARTBEAT_SECONDS))
        while not self._stop.wait(interval):
            # A full disk must not stop the work (the job may then look stale).
            with contextlib.suppress(OSError):
                self.write()

    def __enter__(self):
        self.write()
        self._thread = threading.Thread(target=self._beat, name=f"job-{self.job.pk}-heartbeat", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        return False
