"""Templates to fill in and formatted exports."""

import datetime
import io

import openpyxl
import pytest

from divisions.resources import AdministrativeUnitResource
from ntm_site.spreadsheets.services import workbook_import
from ntm_site.spreadsheets.workbooks import export_csv, export_xlsx, template_workbook


def test_template_has_title_vietnamese_headers_hints_dropdowns_and_widths():
    ws = openpyxl.load_workbook(io.BytesIO(template_workbook(AdministrativeUnitResource))).active
    assert ws["A1"].value == "DANH MỤC ĐƠN VỊ HÀNH CHÍNH"
    headers = [c.value for c in ws[3]]
    assert headers == ["Mã đơn vị (*)", "Tên đơn vị (*)", "Loại (*)", "Mã đơn vị cấp trên", "Hiệu lực từ (*)"] + [
        "Hiệu lực đến"
    ]
    assert ws["A4"].value.startswith("Mã TCTK") and ws["A4"].font.i
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    kind = validations["C5:C5004"]
    assert kind.type == "list" and "Thị trấn" in kind.formula1
    assert ws.column_dimensions["D"].width > 15
    assert ws["E5"].number_format == "dd/mm/yyyy"
    assert ws.freeze_panes == "A5"


@pytest.mark.django_db
def test_a_filled_in_template_imports_as_it_is():
    wb = openpyxl.load_workbook(io.BytesIO(template_workbook(AdministrativeUnitResource)))
    ws = wb.active
    ws.append(["99801", "Xã Theo Mẫu", "Xã", "444", datetime.date(2016, 1, 1), None])
    buf = io.BytesIO()
    wb.save(buf)
    report = workbook_import(resource_class=AdministrativeUnitResource, file=buf.getvalue(), dry_run=True)
    assert report.ok, report.error_lines()
    assert (report.header_row, report.rows, report.created) == (3, 1, 1)


def test_xlsx_export_keeps_dates_numbers_and_money_and_escapes_formulas():
    headers = ["Tên", "Ngày", "Số tiền (đồng)", "Số lượng", "Ghi chú"]
    rows = [
        ['=HYPERLINK("http://x")', datetime.date(2016, 8, 15), 10_000_000, -5, "+84 912"],
        ["@SUM(A1)", datetime.date(2017, 1, 2), 250_000, 3, "\tthụt"],
        ["-thiếu", None, None, None, "bình thường"],
    ]
    data = export_xlsx(headers, rows, title="BÁO CÁO", number_formats={"Số tiền (đồng)": "#,##0"})
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "BÁO CÁO" and [c.value for c in ws[3]] == headers
    # Formula-like text stays the clerk's text: Excel's quote prefix (a style), no visible apostrophe.
    assert ws["A4"].value == '=HYPERLINK("http://x")' and ws["A4"].data_type == "s" and ws["A4"].quotePrefix
    assert ws["A5"].value == "@SUM(A1)" and ws["A6"].value == "-thiếu" and ws["A6"].quotePrefix
    assert ws["E4"].value == "+84 912" and ws["E5"].value == "\tthụt" and ws["E6"].value == "bình thường"
    assert ws["E4"].quotePrefix and not ws["E6"].quotePrefix
    assert ws["B4"].value == datetime.datetime(2016, 8, 15) and ws["B4"].number_format == "dd/mm/yyyy"
    assert ws["C4"].value == 10_000_000 and ws["C4"].data_type == "n" and ws["C4"].number_format == "#,##0"
    assert ws["D4"].value == -5 and ws["D4"].data_type == "n"


def test_csv_export_has_a_bom_escapes_text_and_leaves_numbers():
    data = export_csv(
        ["Tên", "Số tiền", "Ngày"], [["=1+1", -10_000_000, datetime.date(2016, 8, 15)], ["Xã A", 5, None]]
    )
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[1] == "'=1+1,-10000000,15/08/2016"
    assert lines[2] == "Xã A,5,"


@pytest.mark.django_db
def test_exported_units_import_back_unchanged():
    from divisions.models import AdministrativeUnit

    resource = AdministrativeUnitResource()
    queryset = AdministrativeUnit.objects.filter(parent__code="444", edition="legacy")[:5]
    dataset = resource.export(queryset)
    data = export_xlsx(dataset.headers, dataset, title=dataset.ntm_title, number_formats=dataset.ntm_number_formats)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "DANH MỤC ĐƠN VỊ HÀNH CHÍNH"
    assert [c.value for c in ws[3]][:3] == ["Mã đơn vị", "Tên đơn vị", "Loại"]
    assert ws["C4"].value in {"Xã", "Thị trấn"}  # the label, not the code
    assert ws["F4"].value == datetime.datetime(2025, 6, 30) and ws["F4"].number_format == "dd/mm/yyyy"
