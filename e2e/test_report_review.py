"""A coordinator reviews decision 140-QĐ/TU: filter, saved filter, Excel file, print view."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from e2e import a11y
from e2e.conftest import follow, login

pytestmark = pytest.mark.e2e


def test_coordinator_reviews_decision_140_and_saves_the_filter(page, load_data, make_user):
    """The symbol typed without diacritics finds 140-QĐ/TU; the saved filter, xlsx and print view carry it."""
    from django.contrib.auth.models import Group

    from reports.models import SavedFilter

    load_data(provinces=["Ninh Bình", "Hà Tĩnh"], demo={10, 11, 12, 13, 14, 20})
    coordinator = make_user("dieuphoi", superuser=True)
    coordinator.groups.add(Group.objects.create(name="Văn phòng điều phối"))
    login(page, "dieuphoi")

    page.goto("/admin/reports/")
    a11y.check(page)
    follow(page, page.get_by_role("link", name="Sơ kết, tổng kết thực hiện văn bản phân công").first)
    a11y.check(page)
    page.locator("#id_decision").fill("140-QD/TU")
    page.locator("#id_as_of").fill("31/12/2020")
    follow(page, page.get_by_role("button", name="Xem báo cáo"))
    result = page.locator("#content-main table").first
    expect(result).to_be_visible()
    expect(page.locator("#content-main")).to_contain_text("50.820.000.000")  # support value by 31/12/2020
    page.shot("decision-review", gallery="report-decision-review")
    a11y.check(page)

    page.get_by_label("Tên bộ lọc").fill("140-QĐ/TU đến hết 2020")
    page.get_by_label("Văn phòng điều phối").check()
    follow(page, page.get_by_role("button", name="Lưu bộ lọc"))
    expect(page.locator(".messagelist")).to_be_visible()
    expect(page.locator(".report-saved").get_by_role("link", name="140-QĐ/TU đến hết 2020")).to_be_visible()
    a11y.check(page)
    saved = SavedFilter.objects.get()
    assert saved.report == "decision-review" and saved.shared_with.filter(name="Văn phòng điều phối").exists()

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải Excel (.xlsx)").click()
    workbook = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    text = " ".join(str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "140-QĐ/TU" in text and "Sửa chữa, nâng cấp trường học" in text

    with page.expect_popup() as popup_info:
        page.get_by_role("link", name="Bản in").click()
    printed = popup_info.value
    printed.wait_for_load_state()
    expect(printed.locator("body")).to_contain_text("140-QĐ/TU")
    expect(printed.locator("body")).to_contain_text("Sửa chữa, nâng cấp trường học")
    page.shot("print-view", of=printed, gallery="report-print")
    a11y.check(printed)
