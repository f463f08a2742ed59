"""The bad-input suite against the child process: crafted workbooks meet its limits, not the worker.

Every case is built here, in code. For each: a Vietnamese message, zero rows written, the
worker's own Python allocations far under 300 MiB (tracemalloc), the child's peak memory under
its RLIMIT_AS and its CPU time under its RLIMIT_CPU (os.wait4 of that child), and the next
import of an honest file in the same process works.
"""

import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.test import override_settings

from divisions.models import AdministrativeUnit
from divisions.resources import AdministrativeUnitResource
from ntm_site.spreadsheets import sandbox
from ntm_site.spreadsheets.services import workbook_import
from ntm_site.spreadsheets.workbooks import export_csv, export_xlsx

from . import hostile
from .workbooks import xlsx

MAIN = hostile._MAIN
HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ"]
HONEST = [HEADER, ["99951", "Xã Thử Một", "Xã", "444", "01/01/2016"]]
WEB_PEAK_BYTES = 300 * 1024 * 1024


def sheet_xlsx(sheet_xml: bytes, styles: bytes | None = None, shared: bytes | None = None) -> bytes:
    """A real workbook (openpyxl) whose sheet1 (and styles, shared strings) are replaced by crafted XML."""
    base = zipfile.ZipFile(io.BytesIO(xlsx(HONEST)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in base.infolist():
            body = base.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = sheet_xml
            elif info.filename == "xl/styles.xml" and styles is not None:
                body = styles
            elif info.filename == "xl/sharedStrings.xml" and shared is not None:
                body = shared
            z.writestr(info.filename, body)
    return out.getvalue()


def worksheet(rows: bytes, head: bytes = b"") -> bytes:
    return b"<worksheet " + MAIN + b">" + head + b"<sheetData>" + rows + b"</sheetData></worksheet>"


FAR_CELL = {
    "double quotes": b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    "single quotes": b"<row r='1'><c r='A1'><v>1</v></c></row><row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    "spaces around =": b'<row r = "1"><c r = "A1"><v>1</v></c></row>'
    b'<row r =\n"1048576"><c r\t= "XFD1048576"><v>1</v></c></row>',
    "entities": b'<row r="1"><c r="&#65;1"><v>1</v></c></row>'
    b'<row r="1048576"><c r="&#x58;FD1048576"><v>1</v></c></row>',
}


def import_units(data, name):
    return workbook_import(resource_class=AdministrativeUnitResource, file=data, file_name=name)


def refused(data, name, *needles):
    """Imported for real (not a preview): refused with a Vietnamese message, nothing written, limits held."""
    before = AdministrativeUnit.objects.count()
    tracemalloc.start()
    try:
        report = import_units(data, name)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not report.ok and report.fatal
    for needle in needles:
        assert needle in report.fatal, report.fatal
    assert AdministrativeUnit.objects.count() == before
    assert peak < WEB_PEAK_BYTES
    # The child's own limits held it (ru_maxrss of a forked child starts from the parent's, so memory is
    # bounded by its RLIMIT_AS, which the memory test below shows acting).
    assert sandbox.last_run().cpu_seconds < sandbox.cpu_limit_seconds()
    # The worker is alive and the next file imports.
    assert import_units(xlsx(HONEST), "tiep.xlsx").ok
    AdministrativeUnit.objects.filter(code="99951").delete()
    return report.fatal


@pytest.mark.django_db
@pytest.mark.parametrize("syntax", list(FAR_CELL))
def test_a_value_in_the_last_cell_is_refused_in_every_attribute_syntax(syntax):
    refused(sheet_xlsx(worksheet(FAR_CELL[syntax])), "goc.xlsx", "vượt giới hạn", "16.384")


@pytest.mark.django_db
@pytest.mark.parametrize("ref", [b'ref="A1:XFD1048576"', b"ref='A1:XFD1048576'", b'ref = "A1:&#88;FD1048576"'])
def test_a_declared_range_alone_costs_nothing_and_the_file_imports(ref):
    """LibreOffice declares whole columns: calamine sizes the sheet by its cells, so the file is honest."""
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>M\xc3\xa3 \xc4\x91\xc6\xa1n v\xe1\xbb\x8b</t></is></c></row>'
    report = workbook_import(
        resource_class=AdministrativeUnitResource,
        file=sheet_xlsx(worksheet(rows, b"<dimension " + ref + b"/>")),
        file_name="khai_bao.xlsx",
        dry_run=True,
    )
    # Read (the header then lacks columns) or, for an entity calamine does not expand, refused as unreadable:
    # never a limit, never a crash, and no memory spent on the declared 17 billion cells.
    assert "vượt giới hạn" not in report.fatal
    assert sandbox.last_run().exit_status == 0


@pytest.mark.django_db
def test_a_huge_shared_string_under_the_part_limit_is_refused():
    rows = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    data = hostile.xlsx_parts([rows], [b"<si><t>" + b"x" * 5_000_000 + b"</t></si>"])
    assert len(data) < 100_000
    refused(data, "chuoi.xlsx", "5.000.000 ký tự", "32.767")


@pytest.mark.django_db
def test_a_huge_inline_string_is_refused():
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"y" * 5_000_000 + b"</t></is></c></row>"
    refused(sheet_xlsx(worksheet(rows)), "noi_tuyen.xlsx", "vượt giới hạn", "A1")


@pytest.mark.django_db
def test_a_text_node_over_the_parser_cap_is_refused():
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"z" * 30_000_000 + b"</t></is></c></row>"
    refused(sheet_xlsx(worksheet(rows)), "rat_dai.xlsx", "vượt giới hạn")


@pytest.mark.django_db
def test_deeply_nested_xml_is_refused():
    deep = b"<extLst>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</extLst>"
    data = sheet_xlsx(worksheet(b'<row r="1"><c r="A1"><v>1</v></c></row>', deep))
    refused(data, "sau.xlsx", "vượt giới hạn", "lồng quá sâu")


@pytest.mark.django_db
def test_millions_of_styles_are_refused():
    styles = (
        b"<styleSheet "
        + MAIN
        + b'><cellXfs count="2000000">'
        + b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * 2_000_000
        + b"</cellXfs></styleSheet>"
    )
    refused(
        sheet_xlsx(worksheet(b'<row r="1"><c r="A1"><v>1</v></c></row>'), styles=styles), "kieu.xlsx", "định dạng ô"
    )


@pytest.mark.django_db
def test_a_part_with_a_doctype_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<worksheet " + MAIN + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    refused(sheet_xlsx(bomb), "dtd.xlsx", "DOCTYPE")


@pytest.mark.django_db
@pytest.mark.parametrize(("rows", "cols"), [(1_048_576, 16_384), (3_000, 3_000)])
def test_an_ods_repeated_columns_bomb_is_refused(rows, cols):
    refused(hostile.ods_repeated(rows, cols), "lap.ods", "vượt giới hạn")


@pytest.mark.django_db
def test_an_encrypted_workbook_is_refused(settings):
    from pathlib import Path

    data = (Path(__file__).parent / "files" / "mat_khau.xlsx").read_bytes()
    refused(data, "mat_khau.xlsx", "mật khẩu")


@pytest.mark.django_db
def test_an_xls_claiming_absurd_dimensions_is_refused():
    """The committed .xls whose DIMENSIONS record claims 65,536 rows x 256 columns: harmless, nothing written."""
    import struct
    from pathlib import Path

    data = bytearray((Path(__file__).parent / "files" / "don_vi.xls").read_bytes())
    at = data.find(b"\x00\x02\x0e\x00")  # DIMENSIONS: rwMic, rwMac (4 bytes each), colMic, colMac
    assert at > 0
    data[at + 4 : at + 16] = struct.pack("<IIHH", 0, 65536, 0, 256)
    before = AdministrativeUnit.objects.count()
    report = workbook_import(
        resource_class=AdministrativeUnitResource, file=bytes(data), file_name="to.xls", dry_run=True
    )
    assert AdministrativeUnit.objects.count() == before
    assert sandbox.last_run().exit_status == 0
    assert report.ok or report.fatal or report.errors


@pytest.mark.django_db
def test_the_memory_limit_of_the_child_ends_the_read_with_one_message():
    rows = [HEADER] + [[f"{90000 + i}", f"Xã số {i}", "Xã", "444", "01/01/2016"] for i in range(20_000)]
    data = xlsx(rows)
    with override_settings(NTM_PARSE_MEMORY_MB=30):
        message = refused(data, "lon.xlsx", "“lon.xlsx” vượt giới hạn bộ nhớ", "30 MB")
    assert "Traceback" not in message
    assert import_units(data, "lon.xlsx").fatal == ""  # with the default limit the same file reads


@pytest.mark.django_db
def test_nul_and_control_characters_are_refused_with_row_and_column():
    rows = (
        b'<row r="1">'
        + b"".join(
            b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (col.encode(), h.encode())
            for col, h in zip("ABCDE", HEADER, strict=True)
        )
        + b"</row>"
    )
    rows += (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>99952</t></is></c>'
        b'<c r="B2" t="inlineStr"><is><t>X\xc3\xa3 _x0000_ Nul</t></is></c>'
        b'<c r="C2" t="inlineStr"><is><t>X\xc3\xa3</t></is></c><c r="D2" t="inlineStr"><is><t>444</t></is></c>'
        b'<c r="E2" t="inlineStr"><is><t>01/01/2016</t></is></c></row>'
    )
    report = import_units(sheet_xlsx(worksheet(rows)), "nul.xlsx")
    assert not report.ok
    (error,) = report.errors
    assert (error.row_number, str(error.column)) == (2, "Tên đơn vị")
    assert "ký tự điều khiển" in str(error) and "U+0000" in str(error)
    assert not AdministrativeUnit.objects.filter(code="99952").exists()


def test_every_export_survives_stored_control_characters_and_keeps_formula_text_as_text():
    rows = [["Xã\x00 Nul\x01\x1f", "=1+1", "-5 hộ", 7]]
    ws = openpyxl.load_workbook(io.BytesIO(export_xlsx(["Tên", "Công thức", "Ghi chú", "Số"], rows))).active
    assert [c.value for c in ws[2]] == ["Xã Nul", "=1+1", "-5 hộ", 7]
    assert ws["B2"].data_type == "s" and ws["B2"].quotePrefix and not ws["A2"].quotePrefix
    assert "Xã\x00 Nul" in export_csv(["Tên"], [["Xã\x00 Nul"]]).decode("utf-8-sig")
