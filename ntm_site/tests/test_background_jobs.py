"""Background jobs run by a real worker: django-tasks' database backend and `manage.py db_worker`, and RQ.

The rest of the suite runs jobs inside the request (the root conftest's ImmediateBackend); here the
confirm only queues the import, the page says "Đang chờ", and the worker (`db_worker --batch`: every task
waiting, then exit) does the work in one pass. These tests commit (a worker claims a task in a
transaction of its own), so each loads the units it needs into the flushed database.
"""

from __future__ import annotations

import datetime
import io
import json
import signal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from divisions.models import AdministrativeUnit
from ntm_site.models import ImportBatch, Job
from ntm_site.tests.workbooks import xlsx

HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến"]
IMPORT = reverse("admin:divisions_administrativeunit_import")
CONFIRM = reverse("admin:divisions_administrativeunit_process_import")
BATCHES = reverse("admin:ntm_site_importbatch_changelist")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker_once():
    """`manage.py db_worker --batch`: runs every task waiting, then exits (its signal handlers put back after)."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


@pytest.fixture
def district(transactional_db):
    call_command("load_divisions", "--edition=legacy", "--province=Hà Tĩnh", verbosity=0)
    return AdministrativeUnit.objects.filter(level=2, edition="legacy", parent__code="42").order_by("code").first()


@pytest.fixture
def clerk(client, django_user_model, transactional_db):
    user = django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def units(district, count, *, kind="Xã", start=1):
    return [[f"99{i:03d}", f"Xã Thử {i}", kind, district.code, "01/01/2016", ""] for i in range(start, start + count)]


def preview(client, rows, name="don_vi.xlsx"):
    page = client.post(IMPORT, {"import_file": SimpleUploadedFile(name, xlsx([HEADER, *rows]))})
    assert page.context["report"].ok, page.context["report"].error_lines(5)
    return page.context["confirm_form"].initial


def test_a_confirmed_import_waits_for_the_worker_and_shows_its_progress_then_its_result(
    clerk, district, database_tasks
):
    from django_tasks_db.models import DBTaskResult

    form = preview(clerk, units(district, 30))
    queued = clerk.post(CONFIRM, form)
    job = Job.objects.get()
    assert queued.status_code == 302 and queued["Location"] == reverse("admin:ntm_site_job_page", args=[job.pk])
    # Queued, not run: nothing written yet; the task waits in the database for a worker.
    assert (job.state, job.kind) == (Job.State.QUEUED, Job.Kind.IMPORT)
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert not AdministrativeUnit.objects.filter(code__startswith="99").exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.QUEUED
    page = clerk.get(queued["Location"]).content.decode()
    assert "Đang chờ" in page and "<progress" in page
    assert 'http-equiv="refresh"' in page  # without script the page refreshes itself
    assert reverse("admin:ntm_site_job_status", args=[job.pk]) in page  # ... with it, job-progress.js polls
    listed = clerk.get(BATCHES).content.decode()
    assert "Đang chờ" in listed and "Xem tiến độ" in listed

    run_worker_once()

    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.message
    assert (job.total, job.read, job.written) == (30, 30, 30)
    assert AdministrativeUnit.objects.filter(code__startswith="99").count() == 30
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.created, batch.job_id) == (ImportBatch.Status.DONE, 30, job.pk)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    status = json.loads(clerk.get(reverse("admin:ntm_site_job_status", args=[job.pk])).content)
    assert status["state"] == "done" and status["state_label"] == "Xong" and status["percent"] == 100
    page = clerk.get(reverse("admin:ntm_site_job_page", args=[job.pk])).content.decode()
    assert "Xong" in page and "Đã nhập xong tệp “don_vi.xlsx”" in page and 'http-equiv="refresh"' not in page
    assert "Xong" in clerk.get(BATCHES).content.decode()
    assert not job.input_file  # the upload is removed once imported


def test_an_import_confirmed_twice_is_imported_once(clerk, district, database_tasks):
    form = preview(clerk, units(district, 5))
    first = clerk.post(CONFIRM, form)
    second = clerk.post(CONFIRM, form, follow=True)  # the back button, a double click
    job = Job.objects.get()
    assert first["Location"] == second.redirect_chain[0][0] == reverse("admin:ntm_site_job_page", args=[job.pk])
    assert "đã được xác nhận nhập rồi (Đang chờ); không nhập lần nữa" in second.content.decode()
    run_worker_once()
    third = clerk.post(CONFIRM, form, follow=True)  # and once it is done
    assert "đã được xác nhận nhập rồi (Xong)" in third.content.decode()
    run_worker_once()
    assert Job.objects.count() == 1 and ImportBatch.objects.count() == 1
    assert AdministrativeUnit.objects.filter(code__startswith="99").count() == 5


def test_a_background_import_with_errors_writes_nothing_and_offers_the_marked_file(clerk, district, database_tasks):
    form = preview(clerk, units(district, 3))
    job_page = clerk.post(CONFIRM, form)["Location"]
    # Between the preview and the worker, the rows' parent stops being a district: the worker's run refuses
    # every row, so nothing of the file is written.
    AdministrativeUnit.objects.filter(code=district.code).update(level=3)
    run_worker_once()
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and not job.retryable
    assert "Không ghi gì" in job.message
    assert not AdministrativeUnit.objects.filter(code__startswith="99").exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED
    page = clerk.get(job_page).content.decode()
    assert "Lỗi" in page and "Tải tệp của bạn có đánh dấu các ô lỗi" in page and "Chạy lại" not in page
    marked = clerk.get(reverse("admin:ntm_site_job_download", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(marked.streaming_content))).active
    assert "Lỗi" in [c.value for c in sheet[1]]


def test_a_job_whose_worker_died_is_shown_failed_and_runs_again(clerk, district, database_tasks, settings):
    """A worker killed mid-import: its transaction is gone, the job stopped beating; the page says so."""
    from ntm_site.jobs import progress

    settings.NTM_JOB_STALE_SECONDS = 60
    form = preview(clerk, units(district, 4))
    clerk.post(CONFIRM, form)
    job = Job.objects.get()
    # What a worker leaves when it is killed after claiming the job: "running", a last heartbeat, no rows.
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, worker="may-chu:4242")
    ImportBatch.objects.update(status=ImportBatch.Status.RUNNING)
    run = progress.Run(job)
    run.progress(total=4, read=2)
    run.write()
    assert clerk.get(BATCHES).content.decode().count("Đang chạy") >= 1  # still beating: running
    stale = json.loads(progress.path_of(job).read_text())
    stale["beat"] = "2026-01-01T00:00:00+00:00"
    progress.path_of(job).write_text(json.dumps(stale))

    listed = clerk.get(BATCHES).content.decode()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.retryable
    assert "Tiến trình chạy nền (may-chu:4242) đã dừng giữa chừng" in job.message and "01/01/2026" in job.message
    assert "Lỗi" in listed and "Chạy lại" in listed
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED
    assert not AdministrativeUnit.objects.filter(code__startswith="99").exists()

    again = clerk.post(reverse("admin:ntm_site_job_rerun", args=[job.pk]), follow=True)
    assert "Đã đưa việc" in again.content.decode()
    job.refresh_from_db()
    assert (job.state, job.attempt) == (Job.State.QUEUED, 2)
    run_worker_once()
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert AdministrativeUnit.objects.filter(code__startswith="99").count() == 4
    assert ImportBatch.objects.get().status == ImportBatch.Status.DONE
    # Run again only what stopped midway: a finished job is refused.
    refused = clerk.post(reverse("admin:ntm_site_job_rerun", args=[job.pk]), follow=True)
    assert "không chạy lại được" in refused.content.decode()


def test_another_users_job_is_not_theirs_to_see(clerk, district, database_tasks, django_user_model):
    clerk.post(CONFIRM, preview(clerk, units(district, 1)))
    job = Job.objects.get()
    other = django_user_model.objects.create_user("nguoikhac", password="mat-khau-dai-123", is_staff=True)
    clerk.force_login(other)
    for name in ("page", "status", "download"):
        assert clerk.get(reverse(f"admin:ntm_site_job_{name}", args=[job.pk])).status_code == 403


def test_a_long_list_export_is_built_by_the_worker_and_downloaded_from_its_page(
    clerk, district, database_tasks, settings
):
    settings.NTM_BACKGROUND_ROWS = 10
    filters = f"?district={district.pk}&province={district.province_id}"
    export_url = reverse("admin:divisions_administrativeunit_export") + filters
    form = clerk.get(export_url).context["form"]
    ticked = {name: "on" for name, field in form.fields.items() if field.widget.input_type == "checkbox"}
    queued = clerk.post(export_url, {"format": "0", "resource": "0"} | ticked)
    job = Job.objects.get()
    assert queued["Location"] == reverse("admin:ntm_site_job_page", args=[job.pk])
    assert job.kind == Job.Kind.DOWNLOAD and job.state == Job.State.QUEUED
    run_worker_once()
    job.refresh_from_db()
    expected = set(AdministrativeUnit.objects.filter(parent=district).values_list("code", flat=True))
    assert job.state == Job.State.DONE and job.total == len(expected) > 10, job.message
    page = clerk.get(queued["Location"]).content.decode()
    assert "Xong" in page and f"Tải “{job.result_name}”" in page
    response = clerk.get(reverse("admin:ntm_site_job_download", args=[job.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    # The worker's file is the clerk's filtered list: that district's units, nothing else.
    assert {row[0].value for row in sheet.iter_rows(min_row=4)} == expected
    assert "Xong" in clerk.get(reverse("admin:ntm_site_job_list")).content.decode()


RQ_URL = "redis://127.0.0.1:6379/11"  # a Redis database of these tests' own


@pytest.fixture
def rq_tasks(settings):
    import django_rq

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": RQ_URL, "DEFAULT_TIMEOUT": 600}}
    connection = django_rq.get_connection("default")
    connection.flushdb()
    yield connection
    connection.flushdb()


def test_the_same_import_runs_through_redis_with_an_rq_worker(clerk, district, rq_tasks):
    """NTM_TASKS_BACKEND=rq: the confirm puts the job on Redis; an RQ worker (burst: what is queued, then exit)
    runs it."""
    import django_rq
    from django_tasks_rq import Job as TaskJob
    from rq import SimpleWorker

    clerk.post(CONFIRM, preview(clerk, units(district, 6)))
    job = Job.objects.get()
    queue = django_rq.get_queue("default", job_class=TaskJob)
    assert queue.count == 1 and job.state == Job.State.QUEUED and job.task_id
    assert not AdministrativeUnit.objects.filter(code__startswith="99").exists()
    # `manage.py rqworker --burst --job-class django_tasks_rq.Job`, in this process (no fork: the test database).
    SimpleWorker([queue], connection=rq_tasks, job_class=TaskJob).work(burst=True)
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.message
    assert AdministrativeUnit.objects.filter(code__startswith="99").count() == 6
    assert ImportBatch.objects.get().status == ImportBatch.Status.DONE
    assert queue.count == 0


def test_a_job_no_worker_takes_says_whom_to_tell(clerk, district, database_tasks, settings):
    settings.NTM_JOB_STALE_SECONDS = 60
    page_url = clerk.post(CONFIRM, preview(clerk, units(district, 1)))["Location"]
    assert "Chưa có tiến trình chạy nền nào nhận việc này" not in clerk.get(page_url).content.decode()
    Job.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    page = clerk.get(page_url).content.decode()
    assert "Đang chờ" in page and "Chưa có tiến trình chạy nền nào nhận việc này" in page and "db_worker" in page
