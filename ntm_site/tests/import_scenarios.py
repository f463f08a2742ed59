"""Imports that the database fails under halfway, each run in a process of its own.

    DATABASE_URL=… python -m ntm_site.tests.import_scenarios SCENARIO

The tests (test_import_failures.py) and the reliability table (reliability_table.py) start this
module on a database of its own (`Databases`: a PostgreSQL database and an SQLite file, migrated
once for the apps an import of units needs, then copied for each scenario), so that what a
scenario does to its connection, its locks or its process touches nothing else. It prints one
line, "RESULT {json}": the clerk's message, the per-row errors, the batch as the database
holds it, the rows written, and whether the next import in the same process went through.

Scenarios (each imports 400 communes, 100 records a chunk, so that the failure comes after the
first chunk has been written inside the import's transaction):

- terminate (PostgreSQL): a second connection ends the importing connection with
  pg_terminate_backend;
- deadlock (PostgreSQL): a second connection locks a row of the second chunk, then waits for a
  row of the first; the database breaks the deadlock by failing the import;
- conflict (SQLite): another connection holds the write lock for longer than the import waits
  for it (the busy timeout, lowered to 300 ms), so SQLite answers "database is locked";
- full: the database runs out of room (SQLite: a real SQLITE_FULL, max_page_count lowered to the
  pages in use; PostgreSQL: a trigger raising SQLSTATE 53100, as a full disk does);
- sigkill: the admin's confirm of a stored upload, stopped after the first chunk and killed by
  the caller with SIGKILL. Before the kill `peek` looks (the batch of the running import stays
  "running"); after it `look` is the next process: it settles the batches, imports the same
  stored file again and tries a third confirm.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from ntm_site.tests.postgres import server_url, with_database

BASE_DIR = Path(__file__).resolve().parents[2]
ROWS = 400
CHUNK = 100
PROVINCE, DISTRICT = "97", "997"
HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ"]
STORED_NAME = "kill-test"
SCENARIOS = {
    "postgresql": ("terminate", "deadlock", "full", "sigkill"),
    "sqlite": ("conflict", "full", "sigkill"),
}
CHILD_SECONDS = 180


def communes(first: int = 1, count: int = ROWS, name: str = "Xã Thử {n}") -> list[list]:
    return [HEADER] + [
        [f"97{n:03d}", name.format(n=n), "Xã", DISTRICT, "01/01/2016"] for n in range(first, first + count)
    ]


# --- the databases (in the test process) -----------------------------------------------------


def child_env(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PYTEST_CURRENT_TEST")}
    env.update({"DJANGO_SETTINGS_MODULE": "ntm_site.settings", "DEBUG": "1", "DATABASE_URL": url})
    return env


def start(url: str, scenario: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ntm_site.tests.import_scenarios", scenario],
        cwd=BASE_DIR,
        env=child_env(url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def result_of(proc: subprocess.Popen, out: str, err: str) -> dict:
    for line in out.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise AssertionError(f"no result (exit {proc.returncode}):\n{out}\n{err[-4000:]}")


def run(url: str, scenario: str) -> dict:
    proc = start(url, scenario)
    out, err = proc.communicate(timeout=CHILD_SECONDS)
    return result_of(proc, out, err)


class Databases:
    """A migrated PostgreSQL database and SQLite file (the province and district the rows hang from), copied per use."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.token = uuid.uuid4().hex[:8]
        self.server = server_url()
        self.pg_names: list[str] = []
        self.base = {}

    def _admin(self):
        import psycopg

        return psycopg.connect(with_database(self.server, "postgres"), autocommit=True)

    def prepare(self) -> None:
        name = f"ntm_rel_{self.token}_base"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.pg_names.append(name)
        self.base["postgresql"] = name
        sqlite_path = self.folder / "base.sqlite3"
        self.base["sqlite"] = sqlite_path
        procs = [
            start(with_database(self.server, name), "setup"),
            start(f"sqlite:///{sqlite_path}", "setup"),
        ]
        for proc in procs:
            out, err = proc.communicate(timeout=CHILD_SECONDS)
            assert result_of(proc, out, err)["ok"], err[-4000:]

    def fresh(self, backend: str) -> str:
        """The URL of a new copy of the base database."""
        n = len(self.pg_names) if backend == "postgresql" else len(list(self.folder.glob("copy*.sqlite3")))
        if backend == "postgresql":
            name = f"ntm_rel_{self.token}_{n}"
            with self._admin() as conn:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.base["postgresql"]}"')
            self.pg_names.append(name)
            return with_database(self.server, name)
        path = self.folder / f"copy{n}.sqlite3"
        shutil.copyfile(self.base["sqlite"], path)
        return f"sqlite:///{path}"

    def drop(self) -> None:
        with self._admin() as conn:
            for name in reversed(self.pg_names):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.pg_names = []


def scenario(databases: Databases, backend: str, name: str) -> dict:
    """One scenario on a fresh copy; for sigkill, the killed process and the one that looks next."""
    url = databases.fresh(backend)
    if name != "sigkill":
        return run(url, name)
    proc = start(url, "sigkill")
    try:
        for line in proc.stdout:
            if line.startswith("HALFWAY"):
                break
        else:
            raise AssertionError(f"the importer never got halfway:\n{proc.stderr.read()[-4000:]}")
        killed = json.loads(line[len("HALFWAY ") :])
        # Someone looks while the import runs: it is left running.
        killed["peek"] = run(url, "peek")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=CHILD_SECONDS)
    result = run(url, "look")
    result.update(killed=-proc.returncode == signal.SIGKILL, halfway=killed)
    return result


# --- inside the child -------------------------------------------------------------------------


def _peak_kib() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _import(rows, name="thu.xlsx", **kwargs):
    from divisions.resources import AdministrativeUnitResource
    from ntm_site.spreadsheets.services import workbook_import
    from ntm_site.tests.workbooks import xlsx

    return workbook_import(resource_class=AdministrativeUnitResource, file=xlsx(rows), file_name=name, **kwargs)


def _written() -> int:
    from divisions.models import AdministrativeUnit

    return AdministrativeUnit.objects.filter(code__startswith="97", level=3).exclude(code="97999").count()


def _after_first_chunk(hook):
    """Run `hook()` once, right after the first chunk has been written inside the import's transaction."""
    from ntm_site.spreadsheets import engine

    engine.CHUNK_RECORDS = CHUNK
    original = engine.ImportEngine._flush
    state = {"done": False}

    def flush(self, items):
        original(self, items)
        if not state["done"]:
            state["done"] = True
            hook()

    engine.ImportEngine._flush = flush


def _batch(pk):
    from ntm_site.models import ImportBatch

    if pk is None:
        return None
    batch = ImportBatch.objects.filter(pk=pk).values("status", "errors", "error_summary").first()
    return batch


def _report(report, started, **extra) -> dict:
    return {
        "fatal": report.fatal,
        "database_failure": report.database_failure,
        "errors": [str(e) for e in report.errors],
        "created": report.created,
        "batch": _batch(report.batch_id),
        "written": _written(),
        "seconds": round(time.monotonic() - started, 3),
        **extra,
    }


def _next_import_works() -> bool:
    """The same process serves the next clerk: a small honest file imports."""
    from divisions.models import AdministrativeUnit

    report = _import([HEADER, ["97999", "Xã Tiếp Theo", "Xã", DISTRICT, "01/01/2016"]], name="tiep.xlsx")
    return report.ok and AdministrativeUnit.objects.filter(code="97999").exists()


def setup() -> dict:
    from django.core.management import call_command

    call_command("migrate", "divisions", verbosity=0)
    call_command("migrate", "ntm_site", verbosity=0)
    province = _import([HEADER, [PROVINCE, "Tỉnh Thử", "Tỉnh", "", "01/01/2016"]], name="tinh.xlsx")
    district = _import([HEADER, [DISTRICT, "Huyện Thử", "Huyện", PROVINCE, "01/01/2016"]], name="huyen.xlsx")
    return {"ok": province.ok and district.ok, "errors": province.error_lines(5) + district.error_lines(5)}


def terminate() -> dict:
    import psycopg
    from django.conf import settings
    from django.db import connection

    def kill():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as other:
            # Waits (5 s at most) until the backend has gone: the import's next statement meets a dead connection.
            other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])

    assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    _after_first_chunk(kill)
    started = time.monotonic()
    report = _import(communes())
    return _report(report, started, next_ok=_next_import_works())


def deadlock() -> dict:
    import psycopg
    from django.db import connection

    assert _import(communes(), name="truoc.xlsx").ok  # the rows the import then renames
    url = os.environ["DATABASE_URL"]
    locked = threading.Event()
    box = {}

    def other_session():
        # Slow to give up: of the two sessions in the deadlock, the import (100 ms) is the one the database fails.
        with psycopg.connect(url) as other:
            other.execute("SET deadlock_timeout = '20s'")
            box["pid"] = other.execute("SELECT pg_backend_pid()").fetchone()[0]
            other.execute("UPDATE divisions_administrativeunit SET name = name WHERE code = '97150'")
            locked.set()
            other.execute("UPDATE divisions_administrativeunit SET name = name WHERE code = '97001'")
            other.rollback()

    thread = threading.Thread(target=other_session)

    def lock_cross():
        thread.start()
        locked.wait(30)
        with psycopg.connect(url, autocommit=True) as watcher:
            for _ in range(3000):  # until the other session waits on the row the import holds
                row = watcher.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [box["pid"]])
                if (row.fetchone() or [None])[0] == "Lock":
                    break
                time.sleep(0.01)

    with connection.cursor() as cursor:
        cursor.execute("SET deadlock_timeout = '100ms'")
    _after_first_chunk(lock_cross)
    started = time.monotonic()
    report = _import(communes(name="Xã Đổi Tên {n}"), name="doi_ten.xlsx")
    thread.join(60)
    from divisions.models import AdministrativeUnit

    renamed = AdministrativeUnit.objects.filter(code__startswith="97", name__startswith="Xã Đổi Tên").count()
    # The rows this import would have written are its renames (the 400 communes were there before).
    return {**_report(report, started, next_ok=_next_import_works()), "written": renamed}


def conflict() -> dict:
    import sqlite3

    from django.conf import settings
    from django.db import connection

    from ntm_site.spreadsheets import batches

    other = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
    hold, fail = batches.hold_batch, batches.fail_batch

    def hold_while_another_writes(batch):
        # Another process is writing (a clerk's upload) when the import begins, and does not finish in time.
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO ntm_site_importfile (name, data, size, created_at) VALUES ('khac', x'00', 1, '')")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 300")  # instead of 20 s
        hold(batch)

    def fail_once_it_has_finished(*args, **kwargs):
        if other.in_transaction:
            other.execute("COMMIT")
        return fail(*args, **kwargs)

    batches.hold_batch, batches.fail_batch = hold_while_another_writes, fail_once_it_has_finished
    started = time.monotonic()
    report = _import(communes())
    batches.hold_batch, batches.fail_batch = hold, fail
    other.close()
    return _report(report, started, next_ok=_next_import_works())


def full() -> dict:
    from django.db import connection

    def fill():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA page_count")
            (pages,) = cursor.fetchone()
            cursor.execute(f"PRAGMA max_page_count = {pages}")

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What the server answers when it cannot extend a table's file: SQLSTATE 53100, from the second chunk on.
            cursor.execute(
                "CREATE FUNCTION ntm_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'could not extend file \"base/1/2\": No space left on device' USING ERRCODE = "
                "'disk_full'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER ntm_disk_full BEFORE INSERT ON divisions_administrativeunit FOR EACH ROW "
                "WHEN (NEW.code > '97100' AND NEW.code < '97999') EXECUTE FUNCTION ntm_disk_full()"
            )
    else:
        _after_first_chunk(fill)
    started = time.monotonic()
    report = _import(communes())
    result = _report(report, started)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER ntm_disk_full ON divisions_administrativeunit")
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 1073741823")
    result["next_ok"] = _next_import_works()
    return result


def sigkill() -> dict:
    from divisions.resources import AdministrativeUnitResource
    from ntm_site.models import ImportBatch
    from ntm_site.spreadsheets.services import stored_file_import
    from ntm_site.spreadsheets.storage import DatabaseStorage
    from ntm_site.tests.workbooks import xlsx

    DatabaseStorage(name=STORED_NAME).save(xlsx(communes()))  # the preview's upload, waiting for its confirm

    def stop():
        batch = ImportBatch.objects.order_by("-pk").values("pk", "status").first()
        print("HALFWAY " + json.dumps({"batch": batch, "pid": os.getpid()}), flush=True)
        time.sleep(CHILD_SECONDS)  # killed here by the caller

    _after_first_chunk(stop)
    stored_file_import(name=STORED_NAME, resource_class=AdministrativeUnitResource, file_name="thu.xlsx")
    return {"error": "not killed"}


def peek() -> dict:
    from ntm_site.models import ImportBatch
    from ntm_site.spreadsheets.batches import settle_abandoned

    settled = settle_abandoned()
    return {"settled": settled, "statuses": list(ImportBatch.objects.order_by("pk").values_list("status", flat=True))}


def look() -> dict:
    """The next process after the kill: what a clerk sees, then the same confirm again, then once more."""
    from divisions.resources import AdministrativeUnitResource
    from ntm_site.models import ImportBatch, ImportFile
    from ntm_site.spreadsheets.batches import settle_abandoned
    from ntm_site.spreadsheets.services import stored_file_import

    def batches():
        return list(ImportBatch.objects.order_by("pk").values("pk", "status", "error_summary"))

    before = batches()
    written_before = _written()
    file_kept = ImportFile.objects.filter(name=STORED_NAME).exists()
    started = time.monotonic()
    settled = settle_abandoned()
    seconds = round(time.monotonic() - started, 3)
    after = batches()
    again, _data = stored_file_import(name=STORED_NAME, resource_class=AdministrativeUnitResource, file_name="thu.xlsx")
    third, _data = stored_file_import(name=STORED_NAME, resource_class=AdministrativeUnitResource, file_name="thu.xlsx")
    return {
        "before": before,
        "written_before": written_before,
        "file_kept": file_kept,
        "settled": settled,
        "after": after,
        "again": {"ok": again.ok, "created": again.created, "batch": _batch(again.batch_id)},
        "third_found_file": third is not None,
        "written": _written(),
        "seconds": seconds,
    }


def main(argv) -> int:
    import django

    django.setup()
    name = argv[1]
    result = {
        "setup": setup,
        "terminate": terminate,
        "deadlock": deadlock,
        "conflict": conflict,
        "full": full,
        "sigkill": sigkill,
        "look": look,
        "peek": peek,
    }[name]()
    result["peak_kib"] = _peak_kib()
    print("RESULT " + json.dumps(result, ensure_ascii=False, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
