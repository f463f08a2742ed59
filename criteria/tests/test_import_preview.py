"""The import preview shows every commune of a wide sheet and explains its counts (issue 19, point 3).

Before, the preview listed the first 10 records: on the wide criteria sheet those are 10 criteria of the first
commune, so of three communes two were never shown, and "3 dòng dữ liệu" stood beside "57 thêm mới" with
nothing saying why. Now each row of the sheet is listed under what the import does with it (new, changed,
unchanged, refused, skipped), the first rows of each kind, and a line says how rows become results.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from criteria.admin import CommuneYearAdmin
from criteria.models import Indicator
from criteria.tests.factories import KY_BAC, KY_PHU, KY_TIEN, KY_XUAN, sheet
from criteria.tests.indicator_helpers import classify, commune_2025, load_demo_set
from divisions.models import AdministrativeUnit
from ntm_site.spreadsheets.engine import CHUNK_RECORDS
from ntm_site.tests.workbooks import xlsx

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:criteria_communeyear_import")
WIDE = ["Mã xã", "Tên xã", "Năm", *[f"TC{n}" for n in range(1, 20)], "Ghi chú"]
MET, NOT_MET = ["Đạt"] * 19, ["Chưa đạt"] * 19


def template_index(slug):
    return [r.get_template_slug() for r in CommuneYearAdmin.resource_classes].index(slug)


def preview(client, slug, rows):
    response = client.post(
        IMPORT, {"import_file": SimpleUploadedFile("tong_hop.xlsx", xlsx(rows)), "resource": template_index(slug)}
    )
    assert response.status_code == 200
    return response, response.content.decode()


def table_of(html, kind) -> str:
    """The rows listed under one kind ("new", "updated", "unchanged", "refused", "skipped")."""
    start = html.index(f'<table class="ntm-preview-{kind}">')
    return re.sub(r"\s+", " ", html[start : html.index("</table>", start)])


def test_a_wide_sheet_lists_every_commune_and_explains_the_counts(admin_client):
    rows = [WIDE, [KY_TIEN, "Kỳ Tiến", 2017, *MET], [KY_XUAN, "Kỳ Xuân", 2017, *MET], [KY_BAC, "Kỳ Bắc", 2017, *MET]]
    response, html = preview(admin_client, "assessments-wide", rows)
    assert response.context["report"].created == 57
    assert "3 dòng = 3 xã × 19 tiêu chí = 57 kết quả." in html
    new = table_of(html, "new")
    for name, code in [("Xã Kỳ Tiến", KY_TIEN), ("Xã Kỳ Xuân", KY_XUAN), ("Xã Kỳ Bắc", KY_BAC)]:
        assert f"{name} ({code}), năm 2017</td><td>19</td><td>0</td><td>0</td>" in new


def test_the_preview_lists_the_rows_of_each_kind_and_counts_only_rows_without_errors(admin_client):
    sheet(KY_XUAN, 2017, "1" * 19)  # imported again as it is: unchanged
    sheet(KY_BAC, 2017, "0" * 19)  # now all met: changed
    rows = [
        WIDE,
        [KY_TIEN, "", 2017, *MET],  # new
        [KY_XUAN, "", 2017, *MET],
        [KY_BAC, "", 2017, *MET],
        [KY_PHU, "Kỳ Phú", 2017, *MET[:16], "Tốt", *MET[17:]],  # refused at TC17
        ["18766", "Kỳ Phong", 2017, *[None] * 19, ""],  # no criterion filled: skipped
    ]
    response, html = preview(admin_client, "assessments-wide", rows)
    report = response.context["report"]
    assert dict(report.preview.rows) == {"new": 1, "updated": 1, "unchanged": 1, "refused": 1, "skipped": 1}
    assert (report.created, report.updated, report.unchanged) == (19, 19, 19)
    assert "3 dòng = 3 xã × 19 tiêu chí = 57 kết quả; ngoài ra 1 dòng có lỗi, 1 dòng bỏ qua." in html
    assert "Xã Kỳ Tiến (18769), năm 2017" in table_of(html, "new")
    assert "Xã Kỳ Bắc (18760), năm 2017</td><td>0</td><td>19</td><td>0</td>" in table_of(html, "updated")
    assert "Xã Kỳ Xuân (18757), năm 2017</td><td>0</td><td>0</td><td>19</td>" in table_of(html, "unchanged")
    refused = table_of(html, "refused")
    assert "Kỳ Phú" in refused and "cột “TC17”" in refused
    assert "Kỳ Phong" in table_of(html, "skipped") and "không có ô tiêu chí nào được điền" in table_of(html, "skipped")


def test_only_the_first_rows_of_a_kind_are_listed_and_the_page_says_how_many_more(admin_client):
    communes = AdministrativeUnit.objects.filter(edition="legacy", kind="xa", province__code="42").order_by("code")
    rows = [WIDE, *([c.code, "", 2017, *MET] for c in communes[:25])]
    _response, html = preview(admin_client, "assessments-wide", rows)
    assert "25 dòng = 25 xã × 19 tiêu chí = 475 kết quả." in html
    assert table_of(html, "new").count("<tr class=") == 10
    assert "Thêm mới: 25 xã" in re.sub(r"\s+", " ", html) and "10 dòng đầu ở dưới" in html


def test_a_long_list_is_one_result_a_row(admin_client):
    rows = [["Mã xã", "Năm", "Tiêu chí", "Kết quả"]]
    rows += [[code, 2017, n, "Đạt"] for code in (KY_TIEN, KY_XUAN, KY_BAC) for n in range(1, 20)]
    _response, html = preview(admin_client, "assessments-long", rows)
    assert "57 dòng = 57 kết quả." in html
    assert "Xã Kỳ Tiến" in table_of(html, "new")


def test_a_2026_indicator_sheet_counts_the_indicator_results_of_each_commune(admin_client):
    load_demo_set()
    first, second = commune_2025(0), commune_2025(1)
    classify(first)
    classify(second)
    codes = list(
        Indicator.objects.filter(criterion__criteria_set__code="qd-51-2025-xa", value_type="bool")
        .order_by("criterion__number", "position")
        .values_list("code", flat=True)[:5]
    )
    rows = [["Mã xã", "Năm", *codes], [first.code, 2026, *["Đạt"] * 5], [second.code, 2026, *["x"] * 5]]
    _response, html = preview(admin_client, "indicator-results-wide", rows)
    assert "2 dòng = 2 xã × 5 chỉ tiêu = 10 kết quả chỉ tiêu." in html
    new = table_of(html, "new")
    assert f"{first.name} ({first.code}), năm 2026</td><td>5</td>" in new and f"{second.name} ({second.code})" in new


def test_the_preview_of_5000_communes_asks_no_query_per_row(admin_client):
    """A province's whole year in one sheet: the queries do not grow with the rows (a few per 5,000 results)."""
    communes = list(
        AdministrativeUnit.objects.valid_in_year(2017).filter(edition="legacy", kind="xa").order_by("code")[:5000]
    )
    assert len(communes) == 5000

    def queries(n):
        rows = [WIDE, *([c.code, "", 2017, *MET] for c in communes[:n])]
        with CaptureQueriesContext(connection) as ctx:
            _response, html = preview(admin_client, "assessments-wide", rows)
        return len(ctx.captured_queries), html

    few, _html = queries(50)
    many, html = queries(5000)
    assert "5.000 dòng = 5.000 xã × 19 tiêu chí = 95.000 kết quả." in html
    # 94,050 results more cost the queries of their chunks (5,000 results each: the sheets and results already
    # there, the bulk writes, savepoints), a dozen a chunk at most; one a row would be 4,950 more.
    chunks = 95_000 // CHUNK_RECORDS + 1
    assert many - few <= 12 * chunks, (few, many)
