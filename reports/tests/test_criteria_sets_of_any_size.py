"""criteria-summary and criteria-matrix read the set they report on: 10 criteria for QĐ 51/2025 (2026–2030),
19 before, with bands of criteria met cut for that size; a year no set covers says so instead of zeros.

World2026 (conftest.py): five communes of Tỉnh Hà Tĩnh on the 2025 map in 2026, meeting 10, 9 (one criterion
not applicable), 6, 3 and 2 of the 10 criteria.
"""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from reports import registry
from reports.documents.testing import ReadDocument
from reports.tests.conftest import MET, NOT_MET, assess_2026

pytestmark = pytest.mark.django_db

HA_TINH_2025 = "42@2025"
TEN_BANDS = {"10": 1, "8-9": 1, "5-7": 1, "3-4": 1, "0-2": 1}


def run(slug, **params):
    return registry.get(slug).run(params)


def sheet_text(content: bytes) -> list[str]:
    ws = load_workbook(io.BytesIO(content)).active
    return [str(cell) for row in ws.iter_rows(values_only=True) for cell in row if cell is not None]


# --- the figures ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("sheets_2026_approved")
def test_summary_of_a_ten_criterion_set_cuts_its_bands_for_ten(world_2026):
    result = run("criteria-summary", province=HA_TINH_2025, year="2026")
    assert result.totals == {"communes": 5, "average_met": 6.0, "reached": 1, "all_met": 1, "bands": TEN_BANDS}
    labels = [str(c.label) for c in result.total_columns]
    assert labels[3:] == [
        "Đạt 10 tiêu chí",
        "Từ 8 đến 9 tiêu chí",
        "Từ 5 đến 7 tiêu chí",
        "Từ 3 đến 4 tiêu chí",
        "Dưới 3 tiêu chí",
    ]


def test_summary_of_a_ten_criterion_set_rates_its_ten_criteria_weakest_first(world_2026):
    rows = run("criteria-summary", province=HA_TINH_2025, year="2026").rows
    assert [(r["number"], r["met"], r["rate"]) for r in rows] == [
        (10, 1, 20.0),
        (7, 2, 40.0),
        (8, 2, 40.0),
        (9, 2, 40.0),
        (4, 3, 60.0),
        (5, 3, 60.0),
        (6, 3, 60.0),
        (3, 4, 80.0),  # Q's "not applicable" counts as met
        (1, 5, 100.0),
        (2, 5, 100.0),
    ]
    assert {r["assessed"] for r in rows} == {5}
    assert rows[0]["name"] == "Tiếp cận pháp luật và an ninh, quốc phòng"


def test_summary_of_a_nineteen_criterion_set_keeps_its_bands(world, world_2026):
    """The 2016–2020 figures of the same database still print 19 / 15–18 / 10–14 / 5–9 / under 5."""
    result = run("criteria-summary", district="huyen ky anh", year="2017")
    assert result.totals["bands"] == {"19": 1, "15-18": 1, "10-14": 1, "5-9": 1, "0-4": 0}
    assert [str(c.label) for c in result.total_columns][3] == "Đạt 19 tiêu chí"


def test_summary_bands_follow_a_chosen_set(world_2026):
    result = run("criteria-summary", province=HA_TINH_2025, year="2026", criteria_set="qd-51-2025-xa")
    assert result.totals["bands"] == TEN_BANDS


@pytest.mark.usefixtures("sheets_2026_approved")
def test_matrix_of_a_ten_criterion_set_has_ten_criterion_columns(world_2026):
    result = run("criteria-matrix", province=HA_TINH_2025, year="2026")
    keys = [c.key for c in result.columns]
    assert keys == ["code", "commune", "district", *(f"tc{n}" for n in range(1, 11)), "met", "target_year", "reached"]
    # No district on the 2025 map: the third column is the province.
    assert str(result.columns[2].label) == "Tỉnh/thành phố"
    by_code = {r["code"]: r for r in result.rows}
    q = by_code[world_2026.communes[1].code]
    assert (q["tc3"], q["tc10"], q["met"], q["reached"]) == ("khong_ap_dung", "chua_dat", 9, False)
    assert by_code[world_2026.communes[0].code]["reached"] is True
    assert result.totals == {"communes": 5, "average_met": 6.0, "reached": 1}


def test_matrix_columns_are_the_sets_criteria_even_where_none_was_assessed(world_2026):
    """A commune scored on criterion 1 only still gets the ten columns of its set (empty cells)."""
    commune = world_2026.communes[0]
    sheet = commune.ntm_commune_years.get(year=2026)
    sheet.assessments.exclude(criterion__number=1).delete()
    result = run("criteria-matrix", commune=f"{commune.code}@2025", year="2026")
    assert [c.key for c in result.columns][3:13] == [f"tc{n}" for n in range(1, 11)]
    assert (result.rows[0]["tc1"], result.rows[0]["tc2"], result.rows[0]["met"]) == (MET, None, 1)


def test_year_default_reaches_the_current_year(world, world_2026):
    assert run("criteria-summary", province=HA_TINH_2025).params["year"] == 2026


# --- every way out ---------------------------------------------------------------------------------


def test_summary_of_ten_criteria_through_page_downloads_and_draft(admin_client, world_2026):
    params = {"province": HA_TINH_2025, "year": "2026"}
    page = admin_client.get(reverse("reports:report", args=["criteria-summary"]), params).content.decode()
    assert "Từ 8 đến 9 tiêu chí" in page and "19 tiêu chí" not in page
    printed = admin_client.get(reverse("reports:report", args=["criteria-summary"]), {**params, "print": "1"})
    assert "Dưới 3 tiêu chí" in printed.content.decode()

    export = reverse("reports:export", args=["criteria-summary", "json"])
    assert json.loads(admin_client.get(export, params).content)["totals"]["bands"] == TEN_BANDS
    xlsx = admin_client.get(reverse("reports:export", args=["criteria-summary", "xlsx"]), params).content
    assert {"Đạt 10 tiêu chí", "Từ 5 đến 7 tiêu chí", "Tiếp cận pháp luật và an ninh, quốc phòng"} <= set(
        sheet_text(xlsx)
    )
    csv_text = admin_client.get(reverse("reports:export", args=["criteria-summary", "csv"]), params).content
    rows = list(csv.reader(io.StringIO(csv_text.decode("utf-8-sig"))))
    assert len(rows) == 11 and rows[1][:5] == ["10", "Tiếp cận pháp luật và an ninh, quốc phòng", "5", "1", "20.0"]

    draft = admin_client.get(reverse("reports:document", args=["criteria-summary"]), params)
    text = " ".join(ReadDocument.from_bytes(draft.content).paragraphs)
    assert "bình quân đạt 6 tiêu chí/xã" in text or "bình quân đạt 6,0 tiêu chí/xã" in text
    assert "1 xã đạt từ 8 đến 9 tiêu chí" in text and "1 xã đạt dưới 3 tiêu chí" in text


def test_matrix_of_ten_criteria_through_page_and_downloads(admin_client, world_2026):
    params = {"province": HA_TINH_2025, "year": "2026"}
    page = admin_client.get(reverse("reports:report", args=["criteria-matrix"]), params).content.decode()
    assert ">TC10<" in page and ">TC11<" not in page
    csv_text = admin_client.get(reverse("reports:export", args=["criteria-matrix", "csv"]), params).content
    header = next(csv.reader(io.StringIO(csv_text.decode("utf-8-sig"))))
    assert header[3:13] == [f"TC{n}" for n in range(1, 11)] and header[13] == "Số TC đạt"
    xlsx = admin_client.get(reverse("reports:export", args=["criteria-matrix", "xlsx"]), params).content
    assert "TC10" in sheet_text(xlsx) and "TC11" not in sheet_text(xlsx)


def test_command_line_prints_the_ten_criterion_figures(world_2026):
    out = io.StringIO()
    call_command("export_report", "criteria-summary", "-p", "year=2026", stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert data["totals"]["bands"] == TEN_BANDS and len(data["rows"]) == 10


def test_summary_page_of_2026_runs_a_bounded_number_of_queries(admin_client, world_2026, django_assert_max_num_queries):
    with django_assert_max_num_queries(22):
        response = admin_client.get(
            reverse("reports:report", args=["criteria-summary"]), {"province": HA_TINH_2025, "year": "2026"}
        )
    assert response.status_code == 200


# --- empty states ------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["criteria-summary", "criteria-matrix"])
def test_a_year_no_set_covers_says_so_and_where_to_load_one(world_2026, slug):
    result = run(slug, year="2031")
    assert result.rows == [] and result.totals == {} and result.total_columns == []
    assert "Chưa có bộ tiêu chí quốc gia về xã nông thôn mới nào áp dụng cho năm 2031" in result.empty
    assert "Bộ tiêu chí và đánh giá › Bộ tiêu chí" in result.empty
    assert "“Bộ tiêu chí, chỉ tiêu và mức chỉ tiêu”" in result.empty and "criteria-sets" not in result.empty
    assert result.as_json()["empty"] == result.empty


def test_a_chosen_set_outside_its_years_says_which_years_it_covers(world_2026):
    result = run("criteria-summary", year="2020", criteria_set="qd-51-2025-xa")
    assert result.rows == [] and result.totals == {}
    assert "áp dụng từ năm 2026 đến năm 2030, không áp dụng cho năm 2020" in result.empty


def test_empty_state_on_the_page_print_view_downloads_and_draft(admin_client, world_2026):
    params = {"year": "2031"}
    page = admin_client.get(reverse("reports:report", args=["criteria-summary"]), params).content.decode()
    assert 'id="report-empty"' in page and "năm 2031" in page
    assert reverse("admin:criteria_criteriaset_changelist") in page
    # No totals of zeros, no chart: the table holds the message in place of its rows.
    assert 'class="report-totals"' not in page and 'class="report-chart"' not in page
    assert "Không có dòng nào khớp với bộ lọc" not in page
    printed = admin_client.get(reverse("reports:report", args=["criteria-summary"]), {**params, "print": "1"})
    assert "năm 2031" in printed.content.decode()
    xlsx = admin_client.get(reverse("reports:export", args=["criteria-matrix", "xlsx"]), params).content
    assert any("năm 2031" in text for text in sheet_text(xlsx))
    data = json.loads(admin_client.get(reverse("reports:export", args=["criteria-summary", "json"]), params).content)
    assert data["rows"] == [] and "năm 2031" in data["empty"]
    draft = admin_client.get(reverse("reports:document", args=["criteria-summary"]), params)
    assert any("năm 2031" in line for line in ReadDocument.from_bytes(draft.content).paragraphs)


def test_command_line_says_why_a_year_has_no_figures(world_2026):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_report", "criteria-summary", "-p", "year=2031", stdout=out, stderr=err)
    assert "năm 2031" in err.getvalue() and "năm 2031" in json.loads(out.getvalue())["empty"]


def test_a_covered_year_without_sheets_is_zero_not_empty(world_2026):
    """2027 is in force under QĐ 51/2025 but nobody has scored it yet: zeros, the set's bands, no message."""
    result = run("criteria-summary", year="2027")
    assert result.empty is None
    assert result.totals["communes"] == 0 and set(result.totals["bands"]) == set(TEN_BANDS)


def test_a_not_met_criterion_moves_a_commune_down_a_band(world_2026):
    """Band edges for ten: 8 met is in "8-9", 7 met in "5-7"."""
    p = world_2026.communes[0]
    p.ntm_commune_years.get(year=2026).delete()
    assess_2026(p, world_2026.criteria, [MET] * 7 + [NOT_MET] * 3)
    bands = run("criteria-summary", province=HA_TINH_2025, year="2026").totals["bands"]
    assert bands == {"10": 0, "8-9": 1, "5-7": 2, "3-4": 1, "0-2": 1}
