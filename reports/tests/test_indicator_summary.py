"""indicator-summary: each indicator of a set in a year, communes assessed, met and rate, per commune group.

World2026 (conftest.py) plus four indicators of qd-51-2025-xa written here (illustrative codes, not the
official wording) and the communes' groups as the results record them:

    commune  group   1.1   1.2               2.1
    P        nhóm 1  đạt   đạt               đạt
    Q        nhóm 1  đạt   không áp dụng     chưa đạt
    R        nhóm 2  đạt   chưa đạt          đạt
    S        nhóm 3  đạt   chưa đạt          chưa đạt
    T        nhóm 3  đạt   đạt               chưa đạt

and 2.2 with no result yet. Weakest first: 2.1 (2/5, 40%), 1.2 (3/5, 60%), 1.1 (100%), then 2.2.
"""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from criteria.choices import ApprovalStatus, AssessmentStatus, CommuneGroup
from criteria.models import CommuneYear, CriteriaSet, Indicator, IndicatorResult
from divisions.choices import Edition
from divisions.models import AdministrativeUnit
from ntm_site.accounts.choices import Role
from ntm_site.accounts.services import user_scope_set
from reports import registry
from reports.documents.testing import ReadDocument
from reports.registry import ReportParamsError

pytestmark = pytest.mark.django_db

MET, NOT_MET, NA = AssessmentStatus.MET, AssessmentStatus.NOT_MET, AssessmentStatus.NOT_APPLICABLE
G1, G2, G3 = CommuneGroup.GROUP_1, CommuneGroup.GROUP_2, CommuneGroup.GROUP_3
HA_TINH_2025 = "42@2025"
PARAMS = {"province": HA_TINH_2025, "year": "2026", "approved_only": "no"}
GROUPS = [G1, G1, G2, G3, G3]
STATUSES = {
    "1.1": [MET] * 5,
    "1.2": [MET, NA, NOT_MET, NOT_MET, MET],
    "2.1": [MET, NOT_MET, MET, NOT_MET, NOT_MET],
}


@pytest.fixture
def indicators(world_2026):
    criteria = world_2026.criteria
    made = {
        code: Indicator.objects.create(
            criterion=criteria[int(code[0])], code=code, text=f"Chỉ tiêu minh họa {code}", unit="%", position=position
        )
        for position, code in enumerate(["1.1", "1.2", "2.1", "2.2"])
    }
    for code, statuses in STATUSES.items():
        for commune, group, status in zip(world_2026.communes, GROUPS, statuses, strict=True):
            IndicatorResult.objects.create(
                commune_year=commune.ntm_commune_years.get(year=2026),
                indicator=made[code],
                commune_group=group,
                status=status,
            )
    return made


def run(**params):
    return registry.get("indicator-summary").run(params)


def page_url():
    return reverse("reports:report", args=["indicator-summary"])


def export_url(fmt):
    return reverse("reports:export", args=["indicator-summary", fmt])


def figures(row):
    return tuple(row[k] for k in ("code", "assessed", "met", "rate"))


# --- the figures -------------------------------------------------------------------------------------


def test_each_indicator_weakest_first_with_communes_assessed_met_and_rate(indicators):
    result = run(**PARAMS)
    assert [figures(r) for r in result.rows] == [
        ("2.1", 5, 2, 40.0),
        ("1.2", 5, 3, 60.0),  # Q's "không áp dụng" counts as met
        ("1.1", 5, 5, 100.0),
        ("2.2", 0, 0, None),  # no result yet: listed last, no rate
    ]
    assert (result.rows[0]["criterion"], result.rows[0]["indicator"], result.rows[0]["unit"]) == (
        2,
        "Chỉ tiêu minh họa 2.1",
        "%",
    )


def test_each_indicator_per_commune_group(indicators):
    rows = {r["code"]: r for r in run(**PARAMS).rows}
    per_group = {
        code: [(rows[code][f"assessed_{g}"], rows[code][f"met_{g}"], rows[code][f"rate_{g}"]) for g in (G1, G2, G3)]
        for code in ("1.2", "2.1", "2.2")
    }
    assert per_group == {
        "1.2": [(2, 2, 100.0), (1, 0, 0.0), (2, 1, 50.0)],
        "2.1": [(2, 1, 50.0), (1, 1, 100.0), (2, 0, 0.0)],
        "2.2": [(0, 0, None), (0, 0, None), (0, 0, None)],
    }


def test_totals_count_communes_per_group_and_results(indicators):
    assert run(**PARAMS).totals == {
        "communes": 5,
        "groups": {G1: 2, G2: 1, G3: 2},
        "indicators": 4,
        "results": 15,
        "met": 10,
        "rate": 66.7,
    }


def test_columns_name_the_three_groups(indicators):
    labels = [str(c.label) for c in run(**PARAMS).columns]
    assert labels[:7] == [
        "Mã chỉ tiêu",
        "Tiêu chí số",
        "Nội dung chỉ tiêu",
        "Đơn vị tính",
        "Số xã được đánh giá",
        "Số xã đạt",
        "Tỷ lệ đạt (%)",
    ]
    assert labels[7:10] == ["Xã nhóm 1: số xã được đánh giá", "Xã nhóm 1: số xã đạt", "Xã nhóm 1: tỷ lệ đạt (%)"]
    assert len(labels) == 16


def test_year_default_is_the_latest_assessed_year(indicators):
    result = run(province=HA_TINH_2025, approved_only="no")
    assert result.params["year"] == 2026 and result.totals["results"] == 15


def test_area_narrows_to_one_commune(indicators, world_2026):
    q = world_2026.communes[1]
    result = run(commune=f"{q.code}@2025", year="2026")
    assert [figures(r) for r in result.rows][:3] == [("2.1", 1, 0, 0.0), ("1.1", 1, 1, 100.0), ("1.2", 1, 1, 100.0)]
    assert result.totals["groups"] == {G1: 1, G2: 0, G3: 0}


def test_approved_only_counts_the_approved_sheets(indicators, world_2026):
    CommuneYear.objects.filter(commune=world_2026.communes[2], year=2026).update(
        approval_status=ApprovalStatus.APPROVED
    )
    result = run(**{**PARAMS, "approved_only": "yes"})
    assert result.totals["communes"] == 1 and result.totals["groups"] == {G1: 0, G2: 1, G3: 0}
    assert [figures(r) for r in result.rows][:3] == [("1.2", 1, 0, 0.0), ("1.1", 1, 1, 100.0), ("2.1", 1, 1, 100.0)]


def test_a_region_set_has_a_single_column_of_figures(world):
    """qd-1980-xa sets its targets per region: no group columns, one figure per indicator."""
    cset = CriteriaSet.objects.get(code="qd-1980-xa")
    indicator = Indicator.objects.create(criterion=world.criteria[2], code="2.1", text="Đường xã", position=1)
    for commune, status in ((world.a, MET), (world.b, NOT_MET)):
        IndicatorResult.objects.create(
            commune_year=commune.ntm_commune_years.get(year=2017), indicator=indicator, status=status
        )
    result = run(district="Huyện Kỳ Anh", year="2017", criteria_set=cset.code)
    assert [figures(r) for r in result.rows] == [("2.1", 2, 1, 50.0)]
    assert [c.key for c in result.columns] == ["code", "criterion", "indicator", "unit", "assessed", "met", "rate"]
    assert "groups" not in result.totals


# --- every way out ---------------------------------------------------------------------------------------


def test_page_shows_the_table_and_the_chart_in_a_bounded_number_of_queries(
    admin_client, indicators, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        response = admin_client.get(page_url(), PARAMS)
    page = response.content.decode()
    assert response.status_code == 200 and 'id="report-rows"' in page
    assert "Chỉ tiêu minh họa 2.1" in page and "Xã nhóm 3: tỷ lệ đạt (%)" in page
    assert "66,7%" in page and 'class="report-chart"' in page
    assert "Tải bản dự thảo (.docx)" in page


def test_print_view_holds_every_indicator(admin_client, indicators):
    page = admin_client.get(page_url(), {**PARAMS, "print": "1"}).content.decode()
    assert all(f"Chỉ tiêu minh họa {code}" in page for code in ("1.1", "1.2", "2.1", "2.2"))


def test_xlsx_csv_and_json_hold_the_same_figures(admin_client, indicators):
    xlsx = admin_client.get(export_url("xlsx"), PARAMS)
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    table = [row for row in ws.iter_rows(values_only=True) if row and row[0] in ("Mã chỉ tiêu", "2.1")]
    assert table[0][7] == "Xã nhóm 1: số xã được đánh giá"
    assert table[1][:10] == ("2.1", 2, "Chỉ tiêu minh họa 2.1", "%", 5, 2, 40, 2, 1, 50)

    text = admin_client.get(export_url("csv"), PARAMS).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:7] == ["2.1", "2", "Chỉ tiêu minh họa 2.1", "%", "5", "2", "40.0"]
    assert rows[4][0] == "2.2" and rows[4][6] == ""

    data = json.loads(admin_client.get(export_url("json"), PARAMS).content)
    assert data["report"] == "indicator-summary" and data["totals"]["rate"] == 66.7
    assert data["rows"][0]["rate_nhom_3"] == 0.0


def test_command_line_prints_the_figures(indicators):
    out = io.StringIO()
    call_command("export_report", "indicator-summary", "-p", "year=2026", stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert data["params"]["year"] == 2026
    assert [(r["code"], r["met"], r["rate"]) for r in data["rows"]] == [
        ("2.1", 2, 40.0),
        ("1.2", 3, 60.0),
        ("1.1", 5, 100.0),
        ("2.2", 0, None),
    ]
    out = io.StringIO()
    call_command("export_report", "indicator-summary", "-p", "year=2026", "-f", "csv", stdout=out)
    assert out.getvalue().splitlines()[1].startswith("2.1,2,Chỉ tiêu minh họa 2.1,%,5,2,40.0,2,1,50.0")


def test_draft_document_reads_the_figures(admin_client, indicators):
    response = admin_client.get(reverse("reports:document", args=["indicator-summary"]), PARAMS)
    assert response.status_code == 200
    read = ReadDocument.from_bytes(response.content)
    text = " ".join(read.paragraphs)
    assert "Kết quả thực hiện các chỉ tiêu của Bộ tiêu chí quốc gia về xã nông thôn mới năm 2026" in text
    assert "(Số liệu năm 2026)" in text  # every draft states the year it covers
    assert "có 5 xã được đánh giá theo 4 chỉ tiêu (trong đó xã nhóm 1: 2 xã, xã nhóm 2: 1 xã và xã nhóm 3: 2 xã)" in (
        text
    )
    assert "10/15 kết quả chỉ tiêu đạt (66,7%)" in text
    assert "chỉ tiêu 2.1 (chỉ tiêu minh họa 2.1): 2/5 xã đạt, 40%" in text
    # The table lists the indicators in the set's order, with the rate of each group.
    cells = read.table_cells
    first = cells.index("1.1")
    assert cells[first : first + 8] == ["1.1", "Chỉ tiêu minh họa 1.1", "5", "5", "100%", "100%", "100%", "100%"]
    assert cells.index("1.2") < cells.index("2.1") < cells.index("2.2")


# --- scope ---------------------------------------------------------------------------------------------------


def reader(django_user_model, username, role, unit):
    user = django_user_model.objects.create_user(username, password=None, is_staff=True)
    user_scope_set(user=user, role=role, unit=unit)
    return django_user_model.objects.get(pk=user.pk)


def test_a_reader_outside_the_province_sees_nothing(client, indicators, django_user_model):
    nghe_an = AdministrativeUnit.objects.get(code="40", edition=Edition.REFORM_2025)
    outsider = reader(django_user_model, "xemnghean", Role.VIEWER, nghe_an)
    client.force_login(outsider)
    data = json.loads(client.get(export_url("json"), {"year": "2026", "approved_only": "no"}).content)
    assert data["totals"]["communes"] == 0 and data["totals"]["results"] == 0
    assert [r["assessed"] for r in data["rows"]] == [0, 0, 0, 0]
    # Naming the province is refused with a message, not answered with its figures.
    with pytest.raises(ReportParamsError) as error:
        registry.get("indicator-summary").run(PARAMS, user=outsider)
    assert "nằm ngoài phạm vi được giao cho bạn" in " ".join(error.value.errors["province"])
    draft = client.get(reverse("reports:document", args=["indicator-summary"]), {"year": "2026", "approved_only": "no"})
    text = " ".join(ReadDocument.from_bytes(draft.content).paragraphs)
    assert "chưa có xã nào toàn địa bàn có kết quả theo chỉ tiêu" in text and "kết quả chỉ tiêu đạt" not in text


def test_a_reader_of_the_province_sees_its_figures(client, indicators, django_user_model):
    ha_tinh = AdministrativeUnit.objects.get(code="42", edition=Edition.REFORM_2025)
    coordinator = reader(django_user_model, "dieuphoi", Role.PROVINCE_COORDINATOR, ha_tinh)
    result = registry.get("indicator-summary").run({"year": "2026", "approved_only": "no"}, user=coordinator)
    assert result.totals["communes"] == 5 and result.rows[0]["code"] == "2.1"


# --- empty states --------------------------------------------------------------------------------------------


def test_a_set_without_indicators_says_so_and_where_to_load_them(world_2026):
    result = run(**PARAMS)
    assert result.rows == [] and result.totals == {}
    assert "Bộ tiêu chí “QĐ 51/2025/QĐ-TTg” chưa có chỉ tiêu nào" in result.empty
    assert "“Bộ tiêu chí, chỉ tiêu và mức chỉ tiêu”" in result.empty and "criteria-sets" not in result.empty


def test_a_year_no_set_covers_says_so(indicators):
    result = run(year="2031")
    assert result.rows == [] and "năm 2031" in result.empty


def test_empty_state_on_the_page_and_the_draft(admin_client, world_2026):
    page = admin_client.get(page_url(), PARAMS).content.decode()
    assert 'id="report-empty"' in page and "chưa có chỉ tiêu nào" in page
    assert 'class="report-totals"' not in page and "Không có dòng nào khớp với bộ lọc" not in page
    draft = admin_client.get(reverse("reports:document", args=["indicator-summary"]), PARAMS)
    assert any("chưa có chỉ tiêu nào" in line for line in ReadDocument.from_bytes(draft.content).paragraphs)
