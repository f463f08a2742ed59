"""The engine's import: forgiving reading, all-or-nothing writing, errors a clerk can act on."""

import datetime
import io
import time
import zipfile

import openpyxl
import pytest

from criteria.models import CriteriaSet, Criterion
from divisions.models import AdministrativeUnit
from divisions.resources import AdministrativeUnitResource
from ntm_site.models import ImportBatch
from ntm_site.spreadsheets.services import workbook_import
from ntm_site.spreadsheets.workbooks import error_workbook
from ntm_site.tests.resources import CriteriaNamesWideResource
from ntm_site.tests.workbooks import csv_bytes, xlsx

FILES = __import__("pathlib").Path(__file__).parent / "files"
UNITS_HEADER = ["STT", "Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến"]
TITLE = [["ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", None, None], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], []]


def unit_row(n, code, name="Xã Mới", kind="Xã", parent="444", start="01/01/2016", end="31/12/2019"):
    return [n, code, name, kind, parent, start, end]


def import_units(data, **kwargs):
    return workbook_import(resource_class=AdministrativeUnitResource, file=data, **kwargs)


# --- reading real workbooks ---------------------------------------------------------------


@pytest.mark.django_db
def test_title_block_numbering_blank_and_total_rows_are_ignored(superuser):
    data = xlsx(
        [
            UNITS_HEADER,
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
            unit_row(1, "99901"),
            [None] * 7,
            unit_row(2, "99902", name="Xã Mới Hai"),
            ["Tổng cộng", None, "2 xã"],
        ],
        title_rows=TITLE,
        merged=["A1:G1"],
    )
    report = import_units(data, user=superuser)
    assert report.ok, report.error_lines()
    assert (report.header_row, report.rows, report.created) == (4, 2, 2)


@pytest.mark.django_db
def test_header_matched_without_case_diacritics_and_with_aliases():
    header = ["  MA DVHC ", "ten don vi", "LOẠI", "Mã cấp trên", "Từ ngày (*)", "Đến ngày"]
    report = import_units(xlsx([header, unit_row(1, "99903")[1:]]), dry_run=True)
    assert report.ok, report.error_lines()
    assert report.created == 1


@pytest.mark.django_db
def test_header_beyond_row_30_is_not_found_and_the_message_names_the_columns():
    data = xlsx([UNITS_HEADER, unit_row(1, "99904")], title_rows=[["ghi chú"]] * 31)
    report = import_units(data, dry_run=True)
    assert not report.ok
    assert "30 dòng đầu" in report.fatal and "Mã đơn vị" in report.fatal


@pytest.mark.django_db
def test_missing_header_column_is_named():
    header = [h for h in UNITS_HEADER if h != "Loại"]
    report = import_units(xlsx([header, ["1", "99905", "Xã X", "444", "", ""]]), dry_run=True)
    assert "thiếu cột" in report.fatal and "“Loại”" in report.fatal


@pytest.mark.django_db
def test_decomposed_unicode_and_stray_spaces_are_normalised(superuser):
    decomposed = "  Xa\u0303  Hu\u031bo\u031bng Mo\u031b\u0301i  "
    report = import_units(xlsx([UNITS_HEADER, unit_row(1, "99906", name=decomposed, kind=" xa ")]), user=superuser)
    assert report.ok, report.error_lines()
    assert AdministrativeUnit.objects.get(code="99906").name == "Xã Hương Mới"


@pytest.mark.django_db
def test_vertically_merged_cells_fill_the_rows_they_cover(superuser):
    # The clerk merged "Loại" and the parent code down over three communes.
    rows = [UNITS_HEADER, unit_row(1, "99911"), unit_row(2, "99912", kind=None, parent=None)]
    rows.append(unit_row(3, "99913", kind=None, parent=None))
    report = import_units(xlsx(rows, merged=["D2:D4", "E2:E4"]), user=superuser)
    assert report.ok, report.error_lines()
    assert AdministrativeUnit.objects.filter(code__in=["99911", "99912", "99913"], parent__code="444").count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_csv_in_utf8_with_or_without_bom_and_utf16(encoding, superuser):
    delimiter = "\t" if encoding == "utf-16" else ","
    data = csv_bytes([UNITS_HEADER, unit_row(1, "99921", name="Xã Đồng Hương")], encoding=encoding, delimiter=delimiter)
    report = import_units(data, user=superuser, file_name="don_vi.csv")
    assert report.ok, report.error_lines()
    assert report.file_format == "csv"
    assert AdministrativeUnit.objects.get(code="99921").name == "Xã Đồng Hương"


@pytest.mark.django_db
def test_csv_in_a_legacy_code_page_is_refused_with_advice():
    data = "Ma don vi,Ten don vi,Ghi chu\n99921,Xa Dong,Café crème\n".encode("cp1252")
    report = import_units(data, file_name="x.csv", dry_run=True)
    assert "UTF-8" in report.fatal


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["don_vi.ods", "don_vi.xls"])
def test_ods_and_xls_workbooks(name, superuser):
    report = import_units((FILES / name).read_bytes(), user=superuser, file_name=name)
    assert report.ok, report.error_lines()
    assert report.file_format == name.rsplit(".", 1)[1]
    assert report.created == 2
    assert AdministrativeUnit.objects.get(code="18931", edition="manual").valid_from == datetime.date(2016, 1, 1)


@pytest.mark.django_db
def test_used_range_of_a_million_rows_reads_in_the_time_of_its_real_rows():
    data = million_row_workbook([UNITS_HEADER, unit_row(1, "99941"), unit_row(2, "99942")])
    started = time.perf_counter()
    report = import_units(data, dry_run=True)
    assert report.ok, report.error_lines()
    assert report.rows == 2
    assert time.perf_counter() - started < 5


def million_row_workbook(rows):
    """An .xlsx as LibreOffice saves it after formatting whole columns: the used range claims 2^20 rows."""
    src = zipfile.ZipFile(io.BytesIO(xlsx(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index("<dimension")
                end = text.index("/>", start) + 2
                text = text[:start] + '<dimension ref="A1:AMJ1048576"/>' + text[end:]
                empty = "".join(f'<row r="{r}"><c r="A{r}" s="0"/></row>' for r in range(900, 1200))
                empty += '<row r="1048576"><c r="G1048576" s="0"/></row>'
                text = text.replace("</sheetData>", empty + "</sheetData>")
                data = text.encode()
            dst.writestr(item, data)
    return out.getvalue()


# --- bad input ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "anh.png", "không phải bảng tính"),
        (b"", "rong.xlsx", "Tệp rỗng"),
        (b"PK\x03\x04" + b"\x00" * 200, "hong.xlsx", "hỏng"),
    ],
)
def test_files_that_are_not_spreadsheets_get_a_clear_message(data, name, message):
    report = import_units(data, file_name=name, dry_run=True)
    assert message in report.fatal


@pytest.mark.django_db
def test_truncated_workbook_is_reported_corrupt():
    data = xlsx([UNITS_HEADER, unit_row(1, "99951")])
    report = import_units(data[: len(data) // 2], file_name="cut.xlsx", dry_run=True)
    assert "hỏng" in report.fatal


@pytest.mark.django_db
def test_encrypted_workbook_asks_for_the_password_to_be_removed():
    report = import_units((FILES / "mat_khau.xlsx").read_bytes(), file_name="mat_khau.xlsx", dry_run=True)
    assert "mật khẩu" in report.fatal


@pytest.mark.django_db
def test_empty_sheet():
    report = import_units(xlsx([]), dry_run=True)
    assert "trống" in report.fatal


@pytest.mark.django_db
def test_upload_over_the_limit_is_refused_stating_the_limit(settings):
    settings.NTM_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    report = import_units(b"x" * (50 * 1024 * 1024), file_name="lon.xlsx", dry_run=True)
    assert "50 MB" in report.fatal and "20 MB" in report.fatal


@pytest.mark.django_db
def test_sheet_whose_cells_reach_the_last_row_and_column_is_refused_before_loading():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(UNITS_HEADER)
    ws["XFD1048576"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    started = time.perf_counter()
    report = import_units(buf.getvalue(), dry_run=True)
    assert "vượt giới hạn" in report.fatal and "1048576" in report.fatal
    assert time.perf_counter() - started < 5


@pytest.mark.django_db
def test_overlong_cell_is_an_error_of_that_cell(settings):
    settings.NTM_MAX_CELL_CHARS = 100
    report = import_units(xlsx([UNITS_HEADER, unit_row(1, "99952", name="X" * 500)]), dry_run=True)
    assert [e.column for e in report.errors] == ["Tên đơn vị"]
    assert "500 ký tự" in str(report.errors[0])


# --- all-or-nothing and the errors ---------------------------------------------------------


@pytest.mark.django_db
def test_one_bad_row_writes_nothing_and_every_failing_row_is_listed(superuser):
    rows = [
        UNITS_HEADER,
        unit_row(1, "99961"),
        unit_row(2, "99962", kind="làng"),
        unit_row(3, "99963"),
        unit_row(4, "99964", start="31/02/2016"),
        unit_row(5, "99965", parent="99999"),
    ]
    report = import_units(xlsx(rows, title_rows=TITLE, sheet="Danh mục"), user=superuser, file_name="dv.xlsx")
    assert not report.ok
    assert not AdministrativeUnit.objects.filter(code__startswith="9996").exists()
    assert sorted(report.error_rows) == [6, 8, 9]
    by_row = {e.row_number: e for e in report.errors}
    kind_error = str(by_row[6])
    assert "Trang “Danh mục”" in kind_error and "dòng 6" in kind_error and "cột “Loại”" in kind_error
    assert "“làng”" in kind_error and "Thị trấn" in kind_error  # the value found and what was expected
    assert "ngày không có thật" in str(by_row[8])
    assert "không có đơn vị" in str(by_row[9]) and "Mã đơn vị cấp trên" in str(by_row[9])
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert batch.status == ImportBatch.Status.FAILED and batch.errors == 3 and batch.created == 0


@pytest.mark.django_db
def test_duplicate_key_inside_the_file_names_the_first_row():
    rows = [UNITS_HEADER, unit_row(1, "99971"), unit_row(2, "99972"), unit_row(3, "99971", name="Xã Khác")]
    report = import_units(xlsx(rows), dry_run=True)
    assert report.error_rows == {4}
    assert "trùng với dòng 2" in str(report.errors[0])


@pytest.mark.django_db
def test_value_out_of_range():
    report = import_units(xlsx([UNITS_HEADER, unit_row(1, "99973", start="01/01/1850")]), dry_run=True)
    assert "ngoài phạm vi" in str(report.errors[0]) and "Hiệu lực từ" in str(report.errors[0])


@pytest.mark.django_db
def test_database_refusal_is_tied_to_its_row():
    # valid_to before valid_from breaks a CheckConstraint the widgets do not know about.
    rows = [UNITS_HEADER, unit_row(1, "99974"), unit_row(2, "99975", start="01/01/2019", end="01/01/2016")]
    report = import_units(xlsx(rows), dry_run=True)
    assert report.error_rows == {3}
    assert "Ngày hết hiệu lực không được trước ngày có hiệu lực" in str(report.errors[0])


@pytest.mark.django_db
def test_official_units_are_not_changed_by_import():
    legacy = AdministrativeUnit.objects.get(code="18559", edition="legacy")
    rows = [UNITS_HEADER, unit_row(1, "18559", name="Xã Đổi Tên", start=None, end="30/06/2025")]
    report = import_units(xlsx(rows), dry_run=True)
    assert "danh mục chính thức" in str(report.errors[0])
    legacy.refresh_from_db()
    assert legacy.name == "Xã Hương Liên"


@pytest.mark.django_db
def test_dry_run_counts_but_writes_nothing():
    report = import_units(xlsx([UNITS_HEADER, unit_row(1, "99981"), unit_row(2, "99982")]), dry_run=True)
    assert report.ok and report.created == 2 and report.batch_id is None
    assert not AdministrativeUnit.objects.filter(code__in=["99981", "99982"]).exists()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_preview_keeps_only_the_first_rows_of_each_kind():
    rows = [UNITS_HEADER] + [unit_row(i, f"98{i:03d}") for i in range(1, 60)]
    report = import_units(xlsx(rows), dry_run=True)
    assert report.created == 59
    new = report.preview.shown["new"]
    assert len(new) == 10 and report.preview.rows["new"] == 59
    assert new[0].kind == "new" and new[0].values["Tên"] == "Xã Mới"
    assert report.preview.explanation() == "59 dòng = 59 đơn vị hành chính"


# --- history and batches --------------------------------------------------------------------


@pytest.mark.django_db
def test_history_is_written_in_bulk_and_linked_to_the_batch(superuser):
    first = import_units(xlsx([UNITS_HEADER, unit_row(1, "99991"), unit_row(2, "99992")]), user=superuser)
    second = import_units(
        xlsx([UNITS_HEADER, unit_row(1, "99991", name="Xã Mới Đổi"), unit_row(2, "99992")]),
        user=superuser,
        file_name="lan2.xlsx",
    )
    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    unit = AdministrativeUnit.objects.get(code="99991")
    history = list(unit.history.order_by("history_date", "history_id"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert [h.name for h in history] == ["Xã Mới", "Xã Mới Đổi"]
    assert history[1].history_user == superuser
    assert history[1].history_change_reason == f"Lô nhập #{second.batch_id}: lan2.xlsx"
    batch = ImportBatch.objects.get(pk=second.batch_id)
    assert (batch.updated, batch.unchanged, batch.template, batch.file_name) == (1, 1, "units", "lan2.xlsx")
    assert [h.code for h in batch.history_rows()] == ["99991"]
    assert ImportBatch.objects.get(pk=first.batch_id).history_rows().count() == 2


# --- rows holding several records ----------------------------------------------------------------


@pytest.mark.django_db
def test_wide_row_becomes_several_records_and_blank_cells_leave_records_alone():
    criteria_set = CriteriaSet.objects.create(code="wide-1", name="Bộ thử", valid_from_year=2016)
    Criterion.objects.create(criteria_set=criteria_set, number=2, name="Cũ")
    data = xlsx([["Bộ tiêu chí", "TC1", "Tiêu chí 2", "TC3", "TC4", "TC5"], ["wide-1", "Một", None, "Ba", "", "Năm"]])
    report = workbook_import(resource_class=CriteriaNamesWideResource, file=data)
    assert report.ok, report.error_lines()
    assert report.created == 3
    names = dict(criteria_set.criteria.values_list("number", "name"))
    assert names == {1: "Một", 2: "Cũ", 3: "Ba", 5: "Năm"}


@pytest.mark.django_db
def test_wide_row_errors_point_at_their_cells():
    CriteriaSet.objects.create(code="wide-2", name="Bộ thử 2", valid_from_year=2016)
    header = ["Bộ tiêu chí", "TC1", "TC2", "TC3", "TC4", "TC5"]
    report = workbook_import(
        resource_class=CriteriaNamesWideResource,
        file=xlsx([header, ["wide-2", "A" * 30, "Hai", "B" * 30, None, None], ["không-có", "X"]]),
    )
    assert [(e.row_number, e.column) for e in report.errors] == [(2, "TC1"), (2, "TC3"), (3, "Bộ tiêu chí")]
    assert report.errors[0].column_index == 1
    assert not Criterion.objects.filter(criteria_set__code="wide-2").exists()


# --- the error workbook ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_error_workbook_is_the_clerks_file_with_an_error_column_and_marked_cells():
    rows = [UNITS_HEADER, unit_row(1, "99961"), unit_row(2, "99962", kind="làng")]
    data = xlsx(rows, title_rows=TITLE)
    report = import_units(data, dry_run=True)
    book = openpyxl.load_workbook(io.BytesIO(error_workbook(data, report.file_format, report)))
    ws = book.active
    assert ws.cell(row=1, column=1).value == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"  # the clerk's own file
    assert ws.cell(row=4, column=8).value == "Lỗi"
    assert "Loại" in ws.cell(row=6, column=8).value
    assert ws.cell(row=6, column=4).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(row=5, column=8).value is None


@pytest.mark.django_db
def test_error_workbook_of_a_csv_is_an_xlsx_of_its_values():
    data = csv_bytes([UNITS_HEADER, unit_row(1, "99961", parent="99999")])
    report = import_units(data, file_name="dv.csv", dry_run=True)
    ws = openpyxl.load_workbook(io.BytesIO(error_workbook(data, report.file_format, report))).active
    assert ws.cell(row=2, column=2).value == 18961 or ws.cell(row=2, column=2).value == "99961"
    assert "Mã đơn vị cấp trên" in ws.cell(row=2, column=8).value
    assert ws.cell(row=2, column=5).fill.fgColor.rgb.endswith("FFC7CE")


@pytest.mark.django_db
def test_a_database_refusal_while_preparing_rows_fails_each_row_instead_of_the_page(superuser, monkeypatch):
    from django.db import connection

    def refused(resource, records, *, engine):  # as if a row these hang from had been written meanwhile
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM bang_khong_co")

    monkeypatch.setattr(AdministrativeUnitResource, "prepare_chunk", refused, raising=False)
    report = import_units(xlsx([UNITS_HEADER, unit_row(1, "97301"), unit_row(2, "97302")]), user=superuser)
    assert not report.ok
    assert [(e.row_number, "bang_khong_co" in e.message) for e in report.errors] == [(2, True), (3, True)]
    assert not AdministrativeUnit.objects.filter(code__in=["97301", "97302"]).exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED
