"""The database fails under an import: one message for the file, nothing written, the batch says failed.

The failures are real, each on a database of its own (import_scenarios.py runs them in processes
of their own, on PostgreSQL and on SQLite whichever the suite runs on): the importing connection
killed by pg_terminate_backend from a second connection, a deadlock with a second connection, a
full database, another writer holding SQLite's lock, and the importing process killed with
SIGKILL halfway through the admin's confirm.
"""

import pytest
from django.urls import reverse

from divisions.models import AdministrativeUnit
from divisions.resources import AdministrativeUnitResource
from ntm_site.models import ImportBatch, ImportFile
from ntm_site.spreadsheets import batches, engine, failures
from ntm_site.spreadsheets.storage import DatabaseStorage

from .bad_inputs import DATABASE_CASES, record
from .import_scenarios import SCENARIOS, scenario
from .workbooks import xlsx

KINDS = {"terminate": "connection", "deadlock": "conflict", "conflict": "conflict", "full": "full"}
CASES = [(backend, name) for backend, names in SCENARIOS.items() for name in names if name != "sigkill"]
TABLE_KEYS = {(c.backend, c.scenario): c.key for c in DATABASE_CASES}


def _mib(kib) -> str:
    return f"{kib / 1024:,.0f} MiB"


@pytest.mark.parametrize(("backend", "name"), CASES, ids=[f"{b}-{n}" for b, n in CASES])
def test_a_database_failure_halfway_is_one_message_for_the_file(scenario_databases, backend, name):
    result = scenario(scenario_databases, backend, name)
    record(
        TABLE_KEYS[(backend, name)],
        message=result["fatal"],
        rows_written=result["written"],
        seconds=result["seconds"],
        peak=f"importer {_mib(result['peak_kib'])}",
    )
    message = str(failures.MESSAGES[KINDS[name]])
    assert result["fatal"] == message
    assert result["errors"] == []  # never a list of rows, however many were read
    assert result["created"] == 0
    assert result["written"] == 0
    # The batch was written before the import's transaction: it outlives the rollback and says why.
    assert result["batch"] == {"status": "failed", "errors": 1, "error_summary": message}
    assert result["next_ok"]  # the same process imports the next file


@pytest.mark.parametrize("backend", list(SCENARIOS))
def test_an_import_killed_halfway_leaves_nothing_and_its_batch_says_failed_when_looked_at(scenario_databases, backend):
    result = scenario(scenario_databases, backend, "sigkill")
    record(
        TABLE_KEYS[(backend, "sigkill")],
        message=result["after"][-1]["error_summary"],
        rows_written=result["written_before"],
        seconds=result["seconds"],
        peak=f"next process {_mib(result['peak_kib'])}",
    )
    assert result["killed"]
    halfway = result["halfway"]
    # While it ran, someone looking at the batches left it running.
    assert halfway["batch"]["status"] == "running"
    assert (halfway["peek"]["settled"], halfway["peek"]["statuses"]) == (0, ["done", "done", "running"])
    # After the kill: nothing written, the upload still stored, the batch still "running" until looked at.
    assert result["written_before"] == 0 and result["file_kept"]
    assert [b["status"] for b in result["before"]][-1] == "running"
    assert result["settled"] == 1
    killed = result["after"][-1]
    assert killed["pk"] == halfway["batch"]["pk"]
    assert killed["status"] == "failed" and killed["error_summary"] == str(batches.MSG_ABANDONED)
    # The same confirm runs it again, once.
    assert result["again"] == {
        "ok": True,
        "created": 400,
        "batch": {"status": "done", "errors": 0, "error_summary": ""},
    }
    assert not result["third_found_file"]
    assert result["written"] == 400


# --- the admin's confirm on the suite's own database -------------------------------------------------

HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ"]
ROWS = [HEADER] + [[f"{99000 + i}", f"Xã Thử {i}", "Xã", "444", "01/01/2016"] for i in range(1, 301)]


class FullHalfway:
    """The database is full from the second chunk of the import on (SQLite: max_page_count; PostgreSQL: 53100,
    from a trigger on `table`)."""

    def __init__(self, monkeypatch, table="divisions_administrativeunit"):
        from django.db import connection

        self.connection = connection
        self.table = table
        self.armed = True
        monkeypatch.setattr(engine, "CHUNK_RECORDS", 100)
        original = engine.ImportEngine._flush

        def flush(engine_self, items):
            original(engine_self, items)
            if self.armed:
                self.armed = False
                self.fill()

        monkeypatch.setattr(engine.ImportEngine, "_flush", flush)

    def fill(self):
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute(
                    "CREATE FUNCTION ntm_test_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    "RAISE EXCEPTION 'No space left on device' USING ERRCODE = 'disk_full'; END $$"
                )
                cursor.execute(
                    f"CREATE TRIGGER ntm_test_full BEFORE INSERT ON {self.table} "
                    "FOR EACH ROW EXECUTE FUNCTION ntm_test_full()"
                )
            else:
                cursor.execute("PRAGMA page_count")
                cursor.execute(f"PRAGMA max_page_count = {cursor.fetchone()[0]}")

    def free(self):
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # (Gone already when the failed import's rollback took it: PostgreSQL's DDL is transactional.)
                cursor.execute(f"DROP TRIGGER IF EXISTS ntm_test_full ON {self.table}")
                cursor.execute("DROP FUNCTION IF EXISTS ntm_test_full()")
            else:
                cursor.execute("PRAGMA max_page_count = 1073741823")


@pytest.mark.django_db
def test_the_admin_confirm_after_a_full_database_fails_its_job_keeps_the_file_and_runs_again(admin_client, monkeypatch):
    """The confirm runs as a background job (here the suite's immediate backend): the job page says the disk is full,
    blames no row, writes nothing and offers "Chạy lại"; with room again that runs the same file once."""
    from ntm_site.models import Job

    storage = DatabaseStorage(read_mode="rb")
    storage.save(xlsx(ROWS))
    post = {"import_file_name": storage.name, "original_file_name": "day.xlsx", "resource": 0}
    url = "/admin/divisions/administrativeunit/process_import/"
    disk = FullHalfway(monkeypatch)
    try:
        page = admin_client.post(url, post, follow=True).content.decode()
    finally:
        disk.free()
    message = str(failures.MESSAGES["full"])
    assert message in page
    assert "dòng 2" not in page  # no row is blamed
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and job.retryable
    assert reverse("admin:ntm_site_job_rerun", args=[job.pk]) in page  # "Chạy lại" is offered
    assert not AdministrativeUnit.objects.filter(code__startswith="99", name__startswith="Xã Thử").exists()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED and batch.error_summary == message
    # With room again, "Chạy lại" imports the file the job kept (the preview's upload was taken by the confirm).
    assert not ImportFile.objects.filter(name=storage.name).exists()
    admin_client.post(reverse("admin:ntm_site_job_rerun", args=[job.pk]))
    job.refresh_from_db()
    assert (job.state, job.attempt) == (Job.State.DONE, 2)
    assert AdministrativeUnit.objects.filter(code__startswith="99", name__startswith="Xã Thử").count() == 300
    batch.refresh_from_db()
    assert (batch.status, batch.created) == (ImportBatch.Status.DONE, 300)


@pytest.mark.django_db
def test_a_row_the_database_refuses_is_still_named_by_row():
    """Only the database's own failures become one message: a row its CHECK constraint refuses stays a row error."""
    from ntm_site.spreadsheets.services import workbook_import

    rows = [
        [*HEADER, "Hiệu lực đến"],
        ["99001", "Xã Đúng", "Xã", "444", "01/01/2016", ""],
        ["99002", "Xã Ngược", "Xã", "444", "01/01/2016", "01/01/2015"],
    ]
    report = workbook_import(resource_class=AdministrativeUnitResource, file=xlsx(rows), file_name="nguoc.xlsx")
    assert not report.ok and not report.database_failure and report.fatal == ""
    assert [(e.row_number, str(e.message)) for e in report.errors] == [
        (3, "Ngày hết hiệu lực không được trước ngày có hiệu lực.")
    ]
    assert not AdministrativeUnit.objects.filter(code__in=["99001", "99002"]).exists()


@pytest.mark.django_db
def test_an_abandoned_batch_says_failed_on_the_dashboard_and_in_the_batch_list(admin_client, superuser):
    """A batch left "running" by a process that is gone (here: a pid no process has) is failed when looked at."""
    import socket

    batch = ImportBatch.objects.create(
        template="units",
        file_name="bi_ngat.xlsx",
        user=superuser,
        status=ImportBatch.Status.RUNNING,
        worker=f"{socket.gethostname()}:999999999:1",
    )
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "1 lần có lỗi, không ghi gì" in page
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and batch.error_summary == str(batches.MSG_ABANDONED)
    page = admin_client.get(reverse("admin:ntm_site_importbatch_change", args=[batch.pk])).content.decode()
    assert str(batches.MSG_ABANDONED) in page


@pytest.mark.django_db
def test_the_batch_list_gives_its_times_as_the_history_does_date_first(admin_client, superuser):
    """Every time on a page reads dd/mm/yyyy HH:MM in local time: a list does not put the hour first."""
    from django.utils import timezone

    batch = ImportBatch.objects.create(template="units", file_name="ngay_gio.xlsx", user=superuser)
    page = admin_client.get(reverse("admin:ntm_site_importbatch_changelist")).content.decode()
    local = timezone.localtime(batch.started_at)
    assert local.strftime("%d/%m/%Y %H:%M") in page
    assert local.strftime("%H:%M %d/%m/%Y") not in page
