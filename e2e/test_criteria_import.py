"""A coordinator imports a year of criteria results from the wide workbook, errors and all."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from e2e import a11y
from e2e.conftest import follow, login

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PASS, FAIL = "Đạt", "Chưa đạt"
# Three Kỳ Anh communes of Hà Tĩnh (legacy codes), as in the demo workbook.
COMMUNES = [("18757", "Xã Kỳ Xuân"), ("18760", "Xã Kỳ Bắc"), ("18763", "Xã Kỳ Phú")]


def _download(page, click):
    with page.expect_download() as info:
        click()
    download = info.value
    return download.suggested_filename, download.path().read_bytes()


def _filled(template: bytes, rows) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            ws.cell(row=5 + offset, column=column, value=value)  # under title, blank, header, hint
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(page, name, content):
    page.get_by_label("Tệp cần nhập").set_input_files({"name": name, "mimeType": XLSX, "buffer": content})
    follow(page, page.get_by_role("button", name="Kiểm tra tệp"))


def test_coordinator_imports_results_fixing_two_bad_rows(page, load_data, make_user):
    """Template -> upload with two bad rows -> both errors named -> error file -> fixed file -> confirm."""
    from criteria.models import Assessment

    load_data(provinces=["Hà Tĩnh"])
    make_user("dieuphoi", superuser=True)
    login(page, "dieuphoi")

    page.goto("/admin/criteria/communeyear/")
    a11y.check(page)
    name, template = _download(page, page.get_by_role("link", name="Tải biểu mẫu").click)
    assert name.endswith(".xlsx")
    header = [c.value for c in load_workbook(io.BytesIO(template)).worksheets[0][3]]
    assert header[:4] == ["Mã xã (*)", "Tên xã", "Năm (*)", "TC1"] and "TC19" in header

    good = [[code, name, 2017, *([PASS, FAIL] * 10)[:19]] for code, name in COMMUNES]
    bad = [
        ["99999", "Xã Không Có", 2017, *[PASS] * 19],  # no such commune
        [COMMUNES[2][0], COMMUNES[2][1], 2017, *[PASS] * 4, "Có lẽ", *[PASS] * 14],  # TC5 not a result
    ]
    follow(page, page.get_by_role("link", name="Nhập từ Excel"))
    a11y.check(page)
    _upload(page, "ket_qua_2017.xlsx", _filled(template, [*good[:2], *bad]))

    errors = page.locator("table.ntm-errors tbody tr")
    expect(errors).to_have_count(2)
    assert "99999" in errors.nth(0).inner_text()
    assert "TC5" in errors.nth(1).inner_text() and "Có lẽ" in errors.nth(1).inner_text()
    assert page.get_by_text("chưa ghi gì vào hệ thống").is_visible()
    assert page.get_by_role("button", name="Xác nhận nhập").count() == 0
    page.shot("preview-with-errors", gallery="criteria-import-errors")
    a11y.check(page)

    _, marked = _download(page, page.get_by_role("link", name="Tải tệp của bạn có đánh dấu các ô lỗi").click)
    ws = load_workbook(io.BytesIO(marked)).worksheets[0]
    error_column = [c.value for c in ws[3]].index("Lỗi") + 1
    assert "không có đơn vị hành chính" in ws.cell(row=7, column=error_column).value  # third data row
    assert "TC5" in ws.cell(row=8, column=error_column).value  # fourth
    assert ws.cell(row=5, column=error_column).value in (None, "")
    assert Assessment.objects.count() == 0

    _upload(page, "ket_qua_2017_da_sua.xlsx", _filled(template, good))
    expect(page.locator(".ntm-action-new strong")).to_have_text(str(3 * 19))
    expect(page.locator("table.ntm-errors")).to_have_count(0)
    page.shot("preview-ready")
    a11y.check(page)
    follow(page, page.get_by_role("button", name="Xác nhận nhập"))
    expect(page.locator(".messagelist .success")).to_contain_text("Đã nhập xong tệp")
    page.shot("imported")
    a11y.check(page)
    assert Assessment.objects.count() == 3 * 19
