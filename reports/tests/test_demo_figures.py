"""The published figures of ../shared/FACTS.md, printed by the reports on the demo data (`seed_demo`).

The demo is loaded once for this module inside a transaction that is rolled back at the end,
so the other tests of the run still start from an empty database.
"""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction

from reports import registry

D = datetime.date
BLOC = "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh"


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                call_command("seed_demo", verbosity=0)
                yield
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def data(demo, db):
    """Each test runs in a savepoint inside the module's transaction."""


def run(slug, **params):
    return registry.get(slug).run(params)


def test_140_qd_tu_three_year_review(data):
    """Sơ kết 3 năm (22/05/2019): 55 agencies in charge, 56 twinned enterprises, 23 of 56 special communes."""
    result = run("decision-review", decision="140-QĐ/TU", as_of="2019-05-22")
    totals = result.totals
    assert totals["organisations"] == {"phu_trach": 55, "ket_nghia": 56}
    assert totals["communes"] == 56
    assert totals["communes_reached"] == 23
    assert totals["support_value_vnd"] > 50_000_000_000


def test_140_qd_tu_support_by_category(data):
    rows = {r["category_code"]: r for r in run("decision-review", decision="140-QĐ/TU", as_of="2019-05-22").rows}
    published = {
        "nha-tinh-nghia": 24,
        "nha-dai-doan-ket": 6,
        "nha-mai-am-tinh-thuong": 1,
        "nha-mai-am-cong-doan": 1,
        "nha-khan-quang-do": 1,
        "nha-van-hoa-thon": 15,
        "truong-hoc": 9,
        "tram-y-te": 4,
        "may-vi-tinh": 107,
        "may-in": 7,
        "suat-qua": 7120,
        "hoc-bong": 180,
    }
    assert {code: rows[code]["quantity"] for code in published} == published
    assert rows["kham-suc-khoe"]["quantity"] > 2700  # "trên 2.700 người"


def test_140_qd_tu_houses_add_up_to_33(data):
    result = run("decision-review", decision="140-QĐ/TU", as_of="2019-05-22")
    groups = {r["group"]: r for r in result.tables[0].rows}
    assert groups["Nhà ở"]["quantity"] == 33


def test_140_qd_tu_at_issue_covered_55_communes(data):
    totals = run("decision-review", decision="140-QĐ/TU", as_of="2016-03-01").totals
    assert totals["communes"] == 55
    assert totals["organisations"]["phu_trach"] == 55


def test_ha_tinh_bloc_scorecard(data):
    """Early 2022 (source 004): 75 units of the bloc sponsored 169 communes since 2012, 157 reached standard."""
    result = run("sponsor-scorecard", parent=BLOC, since_year="2012", as_of="2022-03-31")
    assert (result.totals["organisations"], result.totals["communes"], result.totals["communes_reached"]) == (
        75,
        169,
        157,
    )
    rows = {r["short_name"]: (r["communes"], r["communes_reached"]) for r in result.rows}
    assert rows["Đảng bộ Sở NN&PTNT"] == (12, 10)
    assert rows["Đảng ủy Khối CCQ&DN tỉnh"] == (9, 9)
    assert rows["Đảng bộ VP Đoàn ĐBQH, HĐND, UBND tỉnh"] == (9, 9)
    assert rows["Chi bộ Cơ quan UB MTTQ tỉnh"] == (7, 7)
    assert rows["Đảng bộ Cơ quan Tỉnh đoàn"] == (7, 6)
    assert rows["Đảng bộ Sở KH&CN"] == (7, 6)
    assert rows["Đảng bộ Sở TN&MT"] == (6, 6)
    assert result.rows[0]["short_name"] == "Đảng bộ Sở NN&PTNT"


def test_ha_tinh_treasury_cement_for_huong_lien(data):
    """12/2021: Kho bạc Nhà nước Hà Tĩnh gave 7 tonnes of cement worth 10.000.000 đồng to xã Hương Liên."""
    rows = run(
        "support-ledger",
        organisation="Kho bạc Nhà nước Hà Tĩnh",
        group_by=["commune", "category", "month"],
        date_from="2021-12-01",
        date_to="2021-12-31",
    ).rows
    assert [(r["commune"], r["category_code"], r["quantity"], r["unit"], r["value_vnd"]) for r in rows] == [
        ("Xã Hương Liên", "xi-mang", 7, "tấn", 10_000_000)
    ]


def test_ky_anh_average_of_9_8_criteria_in_2017(data):
    """Huyện ủy Kỳ Anh, Q1 2017 review: 9.8 criteria per commune on average."""
    out = io.StringIO()
    call_command(
        "export_report", "criteria-summary", "--param", "district=huyen ky anh", "--param", "year=2017", stdout=out
    )
    report = json.loads(out.getvalue())
    assert report["report"] == "criteria-summary"
    assert report["params"]["district"]["name"] == "Huyện Kỳ Anh"
    assert report["totals"]["average_met"] == 9.8
    assert set(report["rows"][0]) >= {"number", "name", "met", "rate"}


def test_every_report_page_opens_on_the_demo(data, admin_client, django_assert_max_num_queries):
    from django.urls import reverse

    params = {
        "decision-review": {"decision": "140-QĐ/TU", "as_of": "22/05/2019"},
        "sponsor-scorecard": {"parent": BLOC, "since_year": "2012", "as_of": "31/03/2022"},
        "criteria-summary": {"district": "Huyện Kỳ Anh", "year": "2017"},
        "criteria-matrix": {"district": "Huyện Kỳ Anh", "year": "2017"},
        "indicator-summary": {"year": "2026"},
        "support-ledger": {"group_by": ["category", "year"]},
        "tasks": {"as_of": "31/12/2017"},
        "sponsor-activity": {"as_of": "31/03/2022", "parent": BLOC},
    }
    for report in registry.all_reports():
        with django_assert_max_num_queries(22):
            response = admin_client.get(reverse("reports:report", args=[report.slug]), params[report.slug])
        assert response.status_code == 200, report.slug
        assert 'id="report-rows"' in response.content.decode(), report.slug


def test_demo_criteria_sheets_enter_approved_with_a_history_reason(data):
    """The demo's Kỳ Anh 2017 sheets are published figures: approved, so viewers (approved data only) see them."""
    from criteria.choices import ApprovalStatus
    from criteria.models import CommuneYear
    from seeds.loader import PUBLISHED_REASON

    sheets = CommuneYear.objects.filter(commune__parent__name="Huyện Kỳ Anh", year=2017)
    assert sheets.count() == 19
    assert set(sheets.values_list("approval_status", flat=True)) == {ApprovalStatus.APPROVED}
    reasons = {h.history_change_reason for h in CommuneYear.history.filter(id__in=sheets.values("pk"))}
    assert PUBLISHED_REASON in reasons


def test_demo_accounts_see_their_own_part(data, client):
    """`create_demo_users`: the Kỳ Bắc clerk lists only Kỳ Bắc's sheets; the Kỳ Anh clerk all 19 of the district."""
    call_command("create_demo_users", verbosity=0)
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    client.force_login(users.get(username="xa.kybac"))
    page = client.get("/admin/criteria/communeyear/", {"year": "2017"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    assert "Xã Kỳ Bắc" in page.content.decode()

    client.force_login(users.get(username="huyen.kyanh"))
    page = client.get("/admin/criteria/communeyear/", {"year": "2017"})
    assert page.context["cl"].result_count == 19

    client.force_login(users.get(username="xem.ninhbinh"))
    assert client.get("/admin/criteria/communeyear/add/").status_code == 403
