"""No stored text makes a download fail, and none runs as a formula: every writer, read back from its file.

The texts a database may hold (or code may build): NUL and other control characters (SQLite keeps NUL,
PostgreSQL refuses it; both keep the others), the non-characters U+FFFE/U+FFFF, a lone surrogate
(which no database stores, but a value built in code may hold), text longer than an Excel cell, and
text that starts like a formula (=, +, -, @, tab, carriage return).
"""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from divisions.models import AdministrativeUnit
from ntm_site.spreadsheets.workbooks import EXCEL_CELL_CHARS, error_workbook, export_csv, export_xlsx

HOSTILE = {
    "nul": ("Xã\x00 Một", "Xã Một"),
    "controls": ("Xã\x01\x08\x0b\x0c\x1f Hai", "Xã Hai"),
    "non-characters": ("Xã\ufffe Ba\uffff", "Xã Ba"),
    "lone surrogate": ("Xã \ud800Bốn", "Xã \ufffdBốn"),
    "line breaks and tab kept": ("Dòng 1\nDòng 2\tcột", "Dòng 1\nDòng 2\tcột"),
}
FORMULAS = ['=HYPERLINK("http://x","bấm")', "+84 912 345 678", "-5 hộ", "@SUM(A1:A9)", "=1+1\x00"]


def sheet_of(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_xlsx_export_holds_any_stored_text_as_text():
    rows = [[text, "bình thường"] for text, _shown in HOSTILE.values()]
    rows.append(["x" * 40_000, ""])
    ws = sheet_of(export_xlsx(["Tên", "Ghi chú"], rows))
    shown = [ws.cell(row=i, column=1).value for i in range(2, 2 + len(HOSTILE))]
    assert shown == [expected for _text, expected in HOSTILE.values()]
    long_text = ws.cell(row=2 + len(HOSTILE), column=1).value
    # Cut at what an Excel cell holds (Excel refuses to open a longer one), ending so the reader sees it.
    assert len(long_text) == EXCEL_CELL_CHARS and long_text.endswith("…")
    assert all(ws.cell(row=i, column=1).data_type == "s" for i in range(2, 3 + len(HOSTILE)))


def test_xlsx_export_writes_formula_like_text_with_the_quote_prefix_not_an_apostrophe():
    ws = sheet_of(export_xlsx(["Nội dung"], [[text] for text in [*FORMULAS, "Đạt"]]))
    cells = [ws.cell(row=i, column=1) for i in range(2, 3 + len(FORMULAS))]
    assert [c.value for c in cells] == [*FORMULAS[:-1], "=1+1", "Đạt"]
    assert all(c.data_type == "s" for c in cells)  # text, never a formula
    assert [c.quotePrefix for c in cells] == [True] * len(FORMULAS) + [False]


def test_csv_export_holds_any_stored_text_and_escapes_formulas_with_an_apostrophe():
    rows = [[text] for text, _shown in HOSTILE.values()] + [[text] for text in FORMULAS]
    data = export_csv(["Tên"], rows)
    text = data.decode("utf-8-sig")  # always valid UTF-8
    values = [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:]
    # CSV has no styles: the usual defence, a leading apostrophe (our reader takes it off on import).
    assert values[len(HOSTILE) :] == ["'" + f for f in FORMULAS]
    assert values[0] == "Xã\x00 Một"  # a CSV may hold a NUL; only what cannot be encoded is replaced
    assert values[3] == "Xã \ufffdBốn"


@pytest.mark.django_db
def test_the_admin_list_export_holds_stored_control_characters_and_formula_text(admin_client):
    name = '=HYPERLINK("http://x")\x01\x1f Xã Lạ'
    unit = AdministrativeUnit.objects.get(code="18559", valid_to__isnull=False)
    AdministrativeUnit.objects.filter(pk=unit.pk).update(name=name)
    export_url = reverse("admin:divisions_administrativeunit_export") + "?q=18559"
    form = admin_client.get(export_url).context["form"]
    fields = {f"{name}": "on" for name in form.fields if name.startswith("administrativeunitresource_")}
    for fmt in ("0", "1"):
        response = admin_client.post(export_url, {"format": fmt, "resource": "0"} | fields)
        assert response.status_code == 200
        if fmt == "0":
            ws = sheet_of(response.content)
            cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "Xã Lạ" in c.value)
            assert cell.value == '=HYPERLINK("http://x") Xã Lạ' and cell.data_type == "s" and cell.quotePrefix
        else:
            assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


def test_the_error_workbook_of_a_csv_holding_nul_and_formulas_opens_and_keeps_them_as_text():
    from ntm_site.spreadsheets.engine import ImportReport
    from ntm_site.spreadsheets.errors import RowError
    from ntm_site.spreadsheets.reader import read_sheets

    data = "Mã,Tên\n1,=1+1\n2,Xã\x00 Nul\n".encode()
    report = ImportReport(template="units", file_name="loi.csv", file_format="csv", sheet="loi.csv", header_row=1)
    report.errors = [RowError(3, "ô chứa ký tự điều khiển \x00", column="Tên", value="Xã\x00 Nul", column_index=1)]
    _fmt, sheets = read_sheets(data, "loi.csv")
    ws = sheet_of(error_workbook(data, "csv", report, sheets))
    assert ws["B2"].value == "=1+1" and ws["B2"].data_type == "s" and ws["B2"].quotePrefix
    assert ws["B3"].value == "Xã Nul"
    assert "ô chứa ký tự điều khiển" in ws["C3"].value


@pytest.mark.django_db
def test_a_prefilled_criteria_template_holds_stored_names_as_text(admin_client):
    from criteria.admin import _prefilled
    from criteria.resources import AssessmentWideResource
    from ntm_site.spreadsheets.workbooks import template_workbook

    data = _prefilled(template_workbook(AssessmentWideResource), [["18559", "=Xã\x01 Lạ", 2019]])
    ws = sheet_of(data)
    assert ws["B5"].value == "=Xã Lạ" and ws["B5"].data_type == "s" and ws["B5"].quotePrefix
    assert ws["C5"].value == 2019
