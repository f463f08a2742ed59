"""The bad-input suite: crafted workbooks are refused quickly, before any of them fills memory.

For every registered import template: malformed files and hostile cell values are reported,
never raised, and write nothing.
"""

import time

import pytest
from django.test import override_settings

from ntm_site.spreadsheets import registry
from ntm_site.spreadsheets.errors import WorkbookError
from ntm_site.spreadsheets.reader import read_sheets
from ntm_site.spreadsheets.services import workbook_import

from . import hostile
from .workbooks import csv_bytes, xlsx


def refused_quickly(data, name, *, seconds=3.0):
    started = time.monotonic()
    with pytest.raises(WorkbookError) as error:
        read_sheets(data, name)
    assert time.monotonic() - started < seconds
    return str(error.value)


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    assert "giải nén ra quá lớn" in refused_quickly(hostile.zip_bomb(), "bom.xlsx")


def test_a_value_in_the_last_cell_excel_has_is_refused():
    message = refused_quickly(hostile.far_corner(), "goc.xlsx")
    assert "16.384" in message


def test_a_million_cells_without_references_are_refused_at_the_first_row():
    data = hostile.million_columns_without_references()
    assert len(data) < 2_000_000
    assert "vượt giới hạn 1.024 cột" in refused_quickly(data, "rong.xlsx", seconds=1.0)


def test_prefixed_element_names_do_not_hide_a_wide_sheet():
    assert "vượt giới hạn" in refused_quickly(hostile.prefixed_wide_sheet(), "x.xlsx")


def test_a_huge_shared_strings_table_is_refused():
    assert "chuỗi dùng chung" in refused_quickly(hostile.huge_shared_strings(), "chuoi.xlsx")


@pytest.mark.parametrize(("rows", "cols"), [(100_000, 100), (3_000, 3_000), (1_048_576, 16_384)])
def test_repeated_cells_of_an_ods_sheet_are_refused(rows, cols):
    assert "vượt giới hạn" in refused_quickly(hostile.ods_repeated(rows, cols), "lap.ods")


def test_a_csv_line_of_a_million_commas_is_refused():
    assert "vượt giới hạn 1.024 cột" in refused_quickly(b"a" + b"," * 1_000_000 + b"\n", "phay.csv")


def test_a_csv_of_five_million_short_lines_is_refused():
    assert "vượt giới hạn" in refused_quickly(b"1\n" * 5_000_000, "dai.csv", seconds=10)


def test_an_upload_over_the_size_limit_is_refused_without_reading_it():
    with override_settings(NTM_MAX_UPLOAD_BYTES=1024):
        assert "MB" in refused_quickly(b"x" * 2048, "to.csv")


def test_a_real_sized_workbook_passes_the_limits_quickly():
    rows = [["Mã xã", "Tên xã", "Năm", *[f"TC{i}" for i in range(1, 20)], "Ghi chú"]]
    rows += [[f"{18000 + i}", f"Xã số {i}", 2019, *(["Đạt"] * 19), ""] for i in range(5000)]
    data = xlsx(rows)
    started = time.monotonic()
    fmt, sheets = read_sheets(data, "tinh.xlsx")
    assert fmt == "xlsx" and len(sheets[0].rows) == 5001
    assert time.monotonic() - started < 10


# --- every import template --------------------------------------------------------------------

TEMPLATES = sorted(registry.all_resources().items())
MALFORMED = {
    "empty": b"",
    "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    "broken zip": b"PK\x03\x04" + b"\x00" * 200,
    "html": b"<html><body><table><tr><td>1</td></tr></table></body></html>",
    "zip bomb": None,
}
HOSTILE_VALUES = [
    '=HYPERLINK("http://example.com","x")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "x" * 6000,
    "\x00\x01\x02",
    "1e308",
    "-99999999999999999999",
    "31/02/2019",
    "'; DROP TABLE divisions_administrativeunit; --",
    "<script>alert(1)</script>",
    "😀" * 10,
]


def _headers(resource_class):
    return [c.name for c in resource_class().get_import_columns()]


def _count(resource_class):
    return resource_class._meta.model._default_manager.count()


@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "resource_class"), TEMPLATES, ids=[slug for slug, _ in TEMPLATES])
@pytest.mark.parametrize("kind", list(MALFORMED))
def test_every_template_reports_a_malformed_file_and_writes_nothing(slug, resource_class, kind, superuser):
    data = MALFORMED[kind] if MALFORMED[kind] is not None else hostile.zip_bomb()
    before = _count(resource_class)
    report = workbook_import(resource_class=resource_class, file=data, user=superuser, file_name=f"{kind}.xlsx")
    assert not report.ok and report.fatal
    assert _count(resource_class) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "resource_class"), TEMPLATES, ids=[slug for slug, _ in TEMPLATES])
def test_every_template_answers_hostile_cell_values_with_a_report(slug, resource_class, superuser):
    """One row per hostile value, in every column: the import reports (row, column) problems or stores text."""
    headers = _headers(resource_class)
    rows = [[value] * len(headers) for value in HOSTILE_VALUES]
    printable = [row for row in rows if not any(ord(ch) < 32 for ch in row[0])]  # openpyxl refuses control chars
    before = _count(resource_class)
    for data, name in ((csv_bytes([headers, *rows]), "x.csv"), (xlsx([headers, *printable]), "x.xlsx")):
        report = workbook_import(resource_class=resource_class, file=data, user=superuser, file_name=name, dry_run=True)
        assert report.ok or report.errors or report.fatal
        for error in report.errors:
            assert error.row_number >= 2
    assert _count(resource_class) == before
