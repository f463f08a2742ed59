"""A coordinator confirms a long import and watches it run in the background: waiting, a moving bar, done.

The worker is real (the loop of `manage.py db_worker`, in a thread beside the live server, over the same
database); each chunk of records the import writes is followed by a short pause, so that the bar can be
seen part way (an honest file of this size takes about a second on this machine).
"""

import re
import time

import pytest
from playwright.sync_api import expect

from e2e import a11y
from e2e.conftest import follow, login
from ntm_site.tests.workbooks import xlsx

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YEARS = (2016, 2017, 2018)
PAUSE = 1.5  # seconds after each chunk the import writes (see the docstring)


def _sheet(codes):
    header = ["Mã xã", "Tên xã", "Năm", *(f"TC{n}" for n in range(1, 20)), "Ghi chú"]
    rows = [[code, None, year, *(["Đạt", "Chưa đạt"] * 10)[:19], ""] for year in YEARS for code in codes]
    return xlsx([header, *rows])


def test_a_long_import_runs_in_the_background_with_its_progress(page, load_data, make_user, worker, monkeypatch):
    from criteria.models import Assessment
    from divisions.models import AdministrativeUnit
    from ntm_site.models import ImportBatch, Job
    from ntm_site.spreadsheets.engine import ImportEngine

    load_data(provinces=["Hà Tĩnh"])
    codes = sorted(
        set(
            AdministrativeUnit.objects.communes()
            .rural_communes()
            .filter(edition="legacy", province__code="42")
            .valid_in_year(2016)
            .values_list("code", flat=True)
        )
        & set(AdministrativeUnit.objects.communes().valid_in_year(2018).values_list("code", flat=True))
    )
    assert len(codes) > 150  # three years of them: two chunks of records to write
    flush = ImportEngine._flush

    def paced(engine, items):
        flush(engine, items)
        time.sleep(PAUSE)

    monkeypatch.setattr(ImportEngine, "_flush", paced)
    make_user("dieuphoi", superuser=True)
    login(page, "dieuphoi")
    page.goto("/admin/criteria/communeyear/import/")
    page.get_by_label("Tệp cần nhập").set_input_files(
        {"name": "ket_qua_3_nam.xlsx", "mimeType": XLSX, "buffer": _sheet(codes)}
    )
    follow(page, page.get_by_role("button", name="Kiểm tra tệp"))
    expect(page.locator(".ntm-action-new strong")).to_have_text(re.compile(r"^[\d.]+$"))
    follow(page, page.get_by_role("button", name="Xác nhận nhập"))

    # No worker yet: the job waits, and says so.
    expect(page).to_have_url(re.compile(r"/admin/jobs/\d+/$"))
    expect(page.locator(".ntm-job-badge")).to_have_text("Đang chờ")
    a11y.check(page)
    page.shot("queued")

    worker.start()
    bar = page.locator(".ntm-job-bar")
    expect(page.locator(".ntm-job-badge")).to_have_text("Đang chạy")
    # The bar moves while the page stays open (job-progress.js asks the status every second).
    expect(page.locator('[data-job-field="written"]')).not_to_have_text("0", timeout=60_000)
    value = bar.evaluate("b => b.value")
    assert 0 < value < 100, value
    assert Assessment.objects.count() == 0  # one transaction: nothing is there until the whole file is in
    page.shot("running", gallery="background-import-progress")

    # Done: the page reloads itself and offers the way back; the counts are the file's.
    expect(page.locator(".ntm-job-badge")).to_have_text("Xong", timeout=120_000)
    expect(page.locator(".ntm-job-message")).to_contain_text("Đã nhập xong tệp “ket_qua_3_nam.xlsx”")
    rows = len(codes) * len(YEARS)
    expect(page.locator('[data-job-field="total"]')).to_have_text(f"{rows:,}".replace(",", "."))
    a11y.check(page)
    page.shot("done", gallery="background-import-done")
    assert Assessment.objects.count() == rows * 19
    job = Job.objects.get()
    assert job.state == Job.State.DONE and job.written == rows

    # Coming back later: Hệ thống › Lô nhập dữ liệu lists the batch with its state.
    page.goto("/admin/ntm_site/importbatch/")
    expect(page.locator("#result_list")).to_contain_text("ket_qua_3_nam.xlsx")
    expect(page.locator("#result_list .ntm-job-badge")).to_have_text("Xong")
    a11y.check(page)
    page.shot("batches")
    assert ImportBatch.objects.get().status == ImportBatch.Status.DONE
