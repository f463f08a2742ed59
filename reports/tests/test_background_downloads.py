"""A report's .xlsx and its draft .docx of more than NTM_BACKGROUND_ROWS rows are built by a worker (reports.jobs).

The root conftest runs jobs inside the request (ImmediateBackend); ntm_site/tests/test_background_jobs.py runs
them with real workers. Here: the download leads to the job's page, and the file there is the same report.
"""

import io

import openpyxl
from django.urls import reverse

from ntm_site.models import Job
from reports.documents import DOCX_CONTENT_TYPE
from reports.documents.testing import ReadDocument

# The criteria of 2017 in Hà Tĩnh (the reports' test world): one row per criterion, 19 rows.
PARAMS = {"province": "Tỉnh Hà Tĩnh", "year": "2017"}
SLUG = "criteria-summary"


def _file(client, job):
    response = client.get(reverse("admin:ntm_site_job_download", args=[job.pk]))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_a_small_report_downloads_at_once(admin_client, world, settings):
    settings.NTM_BACKGROUND_ROWS = 5000
    response = admin_client.get(reverse("reports:export", args=[SLUG, "xlsx"]), PARAMS)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Job.objects.exists()


def test_a_long_report_workbook_is_built_in_the_background(admin_client, world, settings, superuser):
    settings.NTM_BACKGROUND_ROWS = 10**6
    inline = admin_client.get(reverse("reports:export", args=[SLUG, "xlsx"]), PARAMS).content
    inline_rows = [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(inline)).active.iter_rows()]
    settings.NTM_BACKGROUND_ROWS = 3
    queued = admin_client.get(reverse("reports:export", args=[SLUG, "xlsx"]), PARAMS)
    job = Job.objects.get()
    assert queued.status_code == 302 and queued["Location"] == reverse("admin:ntm_site_job_page", args=[job.pk])
    assert (job.kind, job.state, job.user) == (Job.Kind.DOWNLOAD, Job.State.DONE, superuser)
    assert job.total > 3 and job.read == job.written == job.total
    page = admin_client.get(queued["Location"]).content.decode()
    assert "Bảng Excel của báo cáo" in page and "Xong" in page and f"Tải “{job.result_name}”" in page
    response, content = _file(admin_client, job)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows()]
    # The same workbook as the one built in the request, but for the moment it was made at.
    assert len(rows) == len(inline_rows) and rows[4:] == inline_rows[4:]


def test_a_long_draft_document_is_written_in_the_background(admin_client, world, settings):
    settings.NTM_BACKGROUND_ROWS = 3
    queued = admin_client.get(reverse("reports:document", args=[SLUG]), PARAMS)
    job = Job.objects.get()
    assert queued["Location"] == reverse("admin:ntm_site_job_page", args=[job.pk])
    assert job.state == Job.State.DONE and job.result_name.endswith(".docx")
    response, content = _file(admin_client, job)
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    read = ReadDocument.from_bytes(content)
    assert "BÁO CÁO" in read.paragraphs
    assert any("năm 2017 trên địa bàn tỉnh Hà Tĩnh" in line for line in read.paragraphs)
    assert any("bình quân đạt 11,6 tiêu chí/xã" in line for line in read.paragraphs)  # the reader's figures


def test_a_small_download_reads_the_figures_once(admin_client, world, settings):
    # A result under the threshold is built once: the first pass (stopped at the threshold) is the whole file
    # unless a table was really cut, so the download costs the page's queries, not twice as many.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.NTM_BACKGROUND_ROWS = 5000
    params = {"province": "Tỉnh Hà Tĩnh", "year": "2017"}
    with CaptureQueriesContext(connection) as page:
        assert admin_client.get(reverse("reports:report", args=["criteria-matrix"]), params).status_code == 200
    with CaptureQueriesContext(connection) as download:
        response = admin_client.get(reverse("reports:export", args=["criteria-matrix", "xlsx"]), params)
    assert response.status_code == 200 and not Job.objects.exists()
    assert len(download) <= len(page)
