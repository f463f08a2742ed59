"""Every report's figures on the hand-made world of conftest.py, computed by hand."""

import datetime
from decimal import Decimal

import pytest

from reports import registry
from reports.registry import ReportParamsError

D = datetime.date
pytestmark = pytest.mark.django_db


def run(slug, **params):
    return registry.get(slug).run(params)


def by(rows, key):
    return {row[key]: row for row in rows}


# --- decision-review ---------------------------------------------------------------------------


def test_decision_review_counts_organisations_per_role_and_communes_on_the_review_date(world):
    result = run("decision-review", decision="140-QĐ/TU", as_of="2019-05-22")
    totals = result.totals
    # In force on 22/05/2019: SNN (A), Tỉnh đoàn (B), the bloc (C), Kho bạc (D, added by the amending 15-QĐ/TU)
    # in charge; the enterprise twinned with A and B. SNN's assignment to C ended in 2017.
    assert totals["organisations"] == {"phu_trach": 4, "ket_nghia": 1}
    assert list(totals["organisations"]) == ["phu_trach", "ket_nghia"]  # in the roles' order
    assert totals["organisations_total"] == 5
    assert totals["communes"] == 4
    # A: recognised 15/01/2018. C: recognised only in 12/2019. D: recognised, then revoked 01/03/2019.
    assert totals["communes_reached"] == 1


def test_decision_review_sums_support_per_category_up_to_the_review_date(world):
    result = run("decision-review", decision="140-qđ/tu", as_of="2019-05-22")
    rows = by(result.rows, "category_code")
    assert set(rows) == {
        "tien-mat",
        "xi-mang",
        "nha-tinh-nghia",
        "nha-dai-doan-ket",
    }  # 3 t of cement in 12/2019 left out
    assert rows["xi-mang"]["quantity"] == Decimal("7") and rows["xi-mang"]["unit"] == "tấn"
    assert rows["xi-mang"]["value_vnd"] == 10_000_000
    # A record with no unit takes its category's default unit.
    assert rows["nha-tinh-nghia"]["unit"] == world.categories["charity_house"].default_unit
    assert rows["nha-tinh-nghia"]["quantity"] == 2
    assert rows["tien-mat"]["value_vnd"] == 20_000_000  # from SNN's assignment to C, ended since: still a result
    assert result.totals["support_value_vnd"] == 180_000_000
    assert result.totals["support_records"] == 4
    groups = {row["group"]: row for row in result.tables[0].rows}
    assert result.tables[0].key == "support_groups"
    assert (groups["Nhà ở"]["quantity"], groups["Nhà ở"]["value_vnd"]) == (Decimal("3"), 150_000_000)
    assert set(groups) == {"Tiền mặt", "Xi măng", "Nhà ở"}


def test_decision_review_lists_initiatives_by_field_and_status(world):
    result = run("decision-review", decision="140-QĐ/TU", as_of="2019-05-22")
    initiatives = result.tables[-1]
    assert {(r["field"], r["status"], r["initiatives"]) for r in initiatives.rows} == {
        ("Xây dựng nông thôn mới, kết cấu hạ tầng", "dang_ky", 1),
        ("Xây dựng nông thôn mới, kết cấu hạ tầng", "hoan_thanh", 1),
        ("Môi trường, cảnh quan nông thôn", "dang_thuc_hien", 1),
    }
    assert result.totals["initiatives"] == 3  # Kho bạc's came in 08/2019


@pytest.mark.usefixtures("sheets_approved")
def test_decision_review_before_the_amendment_leaves_its_communes_out(world):
    totals = run("decision-review", decision="140-QĐ/TU", as_of="2017-06-30").totals
    assert totals["organisations"] == {"phu_trach": 2, "ket_nghia": 1}  # SNN (A and C) and Tỉnh đoàn
    assert totals["communes"] == 3
    # A met every criterion in 2017, its latest assessed year up to then (the recognition came in 2018).
    assert totals["communes_reached"] == 1
    assert totals["support_value_vnd"] == 130_000_000


def test_decision_review_needs_a_known_decision(world):
    with pytest.raises(ReportParamsError) as error:
        run("decision-review", decision="141-QĐ/TU")
    assert "141-QĐ/TU" in str(error.value)
    with pytest.raises(ReportParamsError) as error:
        run("decision-review")
    assert "decision" in error.value.errors


def test_decision_symbol_may_be_typed_without_diacritics(world):
    assert run("decision-review", decision="140-QD/TU", as_of="2019-05-22").totals["communes"] == 4


# --- sponsor-scorecard --------------------------------------------------------------------------


def test_scorecard_one_row_per_organisation(world):
    result = run("sponsor-scorecard", as_of="2019-05-22")
    assert result.totals == {
        "organisations": 5,
        "communes": 4,
        "communes_reached": 1,
        "support_value_vnd": 185_000_000,
        "initiatives": 4,
    }
    rows = by(result.rows, "short_name")
    assert [r["short_name"] for r in result.rows[:2]] == ["Sở NN&PTNT", ""]
    snn = rows["Sở NN&PTNT"]
    assert (snn["communes"], snn["communes_reached"], snn["support_value_vnd"], snn["initiatives"]) == (
        3,
        1,
        35_000_000,
        2,
    )
    enterprise = by(result.rows, "organisation")["Công ty TNHH Thử Nghiệm"]
    assert (enterprise["communes"], enterprise["communes_reached"], enterprise["support_value_vnd"]) == (
        2,
        1,
        100_000_000,
    )
    assert rows["KBNN"]["support_value_vnd"] == 0  # its cement came after the date
    assert rows["Sở NN&PTNT"]["last_activity"] == D(2019, 3, 1)
    assert rows["Tỉnh đoàn"]["kind"] == "to_chuc_dang"


def test_scorecard_of_a_party_bloc_includes_the_bloc_and_its_member_organisations(world):
    result = run("sponsor-scorecard", parent="Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh", as_of="2019-05-22")
    assert {r["short_name"] for r in result.rows} == {"ĐUK CCQ&DN", "Sở NN&PTNT", "Tỉnh đoàn"}
    assert (result.totals["organisations"], result.totals["communes"], result.totals["communes_reached"]) == (3, 4, 1)


def test_scorecard_since_year_drops_earlier_assignments_and_support(world):
    result = run("sponsor-scorecard", since_year="2016", as_of="2019-05-22")
    snn = by(result.rows, "short_name")["Sở NN&PTNT"]
    assert (snn["communes"], snn["support_value_vnd"]) == (2, 30_000_000)


def test_scorecard_reached_counts_move_with_the_date(world):
    result = run("sponsor-scorecard", as_of="2020-01-01")
    assert result.totals["communes_reached"] == 2  # A, and C recognised 20/12/2019
    assert by(result.rows, "short_name")["ĐUK CCQ&DN"]["communes_reached"] == 1


def test_scorecard_filters_by_kind_and_decision(world):
    result = run("sponsor-scorecard", kind="doanh_nghiep", as_of="2019-05-22")
    assert [r["organisation"] for r in result.rows] == ["Công ty TNHH Thử Nghiệm"]
    result = run("sponsor-scorecard", decision="99/QĐ-UBND", as_of="2019-05-22")
    assert [(r["short_name"], r["communes"]) for r in result.rows] == [("Sở NN&PTNT", 1)]


def test_scorecard_province_of_the_2025_map_covers_the_legacy_communes(world):
    legacy = run("sponsor-scorecard", province="Tỉnh Hà Tĩnh", as_of="2019-05-22").totals
    reform = run("sponsor-scorecard", province="42@2025", as_of="2019-05-22").totals
    assert legacy == reform
    assert legacy["communes"] == 4


# --- criteria-summary ---------------------------------------------------------------------------


@pytest.mark.usefixtures("sheets_approved")
def test_criteria_summary_of_a_legacy_district(world):
    result = run("criteria-summary", district="huyen ky anh", year="2017")
    # A 19, B 18 (criterion 7 not applicable counts as met), C 10, E 7 (hand-added commune of the district).
    assert result.totals == {
        "communes": 4,
        "average_met": 13.5,
        "reached": 1,
        "all_met": 1,
        "bands": {"19": 1, "15-18": 1, "10-14": 1, "5-9": 1, "0-4": 0},
    }


def test_criteria_summary_rates_put_the_weakest_criterion_first(world):
    result = run("criteria-summary", province="Tỉnh Hà Tĩnh", year="2017")
    assert result.totals["communes"] == 5
    assert result.totals["average_met"] == 11.6  # 58 / 5
    first = result.rows[0]
    assert (first["number"], first["name"], first["assessed"], first["met"], first["rate"]) == (
        17,
        world.criteria[17].name,
        5,
        1,
        20.0,
    )
    rates = {r["number"]: r["rate"] for r in result.rows}
    assert rates[7] == 80.0  # B's "not applicable" counts as met
    assert rates[8] == 60.0
    assert rates[1] == 100.0
    assert [r["number"] for r in result.rows[-4:]] == [1, 2, 3, 4]


def test_criteria_summary_reads_2019_figures_on_the_2025_map(world):
    # Xã Kỳ Anh (2025) = Kỳ Tiến (A) + Kỳ Giang (B) + …: 19 and 18 criteria.
    totals = run("criteria-summary", commune="Xã Kỳ Anh", year="2017").totals
    assert (totals["communes"], totals["average_met"]) == (2, 18.5)
    # Xã Kỳ Xuân (2025) <- Kỳ Phong (C) <- the hand-added commune E: two steps of lineage.
    totals = run("criteria-summary", commune="18766@2025", year="2017").totals
    assert (totals["communes"], totals["average_met"]) == (2, 8.5)
    assert run("criteria-summary", province="42@2025", year="2017").totals["communes"] == 5


def test_criteria_summary_of_the_communes_of_a_decision(world):
    totals = run("criteria-summary", decision="140-QĐ/TU", year="2017").totals
    assert totals["communes"] == 4  # A, B, C and D (the amendment added D); not E


def test_criteria_summary_ambiguous_district_name_lists_the_candidates(world):
    with pytest.raises(ReportParamsError) as error:
        run("criteria-summary", district="Kỳ Anh", year="2017")
    message = " ".join(error.value.errors["district"])
    assert "Huyện Kỳ Anh" in message and "Thị xã Kỳ Anh" in message


def test_criteria_summary_year_defaults_to_the_latest_assessed(world):
    result = run("criteria-summary", district="Huyện Kỳ Anh")
    assert result.params["year"] == 2017


# --- criteria-matrix ------------------------------------------------------------------------------


@pytest.mark.usefixtures("sheets_approved")
def test_criteria_matrix_one_row_per_commune_with_every_criterion(world):
    result = run("criteria-matrix", district="Huyện Kỳ Anh", year="2017")
    assert [r["commune"] for r in result.rows] == ["Xã Kỳ Giang", "Xã Kỳ Phong", "Xã Kỳ Tiến", "Xã Thử Nghiệm"]
    b = result.rows[0]
    assert (b["tc7"], b["tc17"], b["tc1"], b["met"], b["target_year"], b["reached"]) == (
        "khong_ap_dung",
        "chua_dat",
        "dat",
        18,
        2019,
        False,
    )
    a = result.rows[2]
    assert (a["met"], a["target_year"], a["reached"]) == (19, 2017, True)
    assert [c.key for c in result.columns][3:6] == ["tc1", "tc2", "tc3"]
    assert result.totals == {"communes": 4, "average_met": 13.5, "reached": 1}


@pytest.mark.usefixtures("sheets_approved")
def test_criteria_matrix_filters_by_reached_and_target_year(world):
    rows = run("criteria-matrix", district="Huyện Kỳ Anh", year="2017", reached="no").rows
    assert [r["commune"] for r in rows] == ["Xã Kỳ Giang", "Xã Kỳ Phong", "Xã Thử Nghiệm"]
    rows = run("criteria-matrix", district="Huyện Kỳ Anh", year="2017", target_year="2019").rows
    assert [r["commune"] for r in rows] == ["Xã Kỳ Giang"]


def first_rows(slug, row_limit, **params):
    report = registry.get(slug)
    filterset = report.bind(params)
    assert filterset.is_valid()
    return report.result(filterset, row_limit=row_limit)


@pytest.mark.usefixtures("sheets_approved")
def test_criteria_matrix_page_holds_its_first_rows_and_the_totals_of_all(world):
    params = {"district": "Huyện Kỳ Anh", "year": "2017"}
    every = run("criteria-matrix", **params)
    page = first_rows("criteria-matrix", 2, **params)
    assert page.rows == every.rows[:2] and page.rows[0]["tc17"] == "chua_dat"
    assert (page.total_rows, every.total_rows) == (4, 4)
    assert page.totals == every.totals == {"communes": 4, "average_met": 13.5, "reached": 1}


# --- support-ledger --------------------------------------------------------------------------------


def test_support_ledger_by_category(world):
    result = run("support-ledger")
    assert result.totals == {"records": 6, "value_vnd": 189_500_000}
    rows = by(result.rows, "category_code")
    assert (rows["xi-mang"]["quantity"], rows["xi-mang"]["records"], rows["xi-mang"]["value_vnd"]) == (
        Decimal("10"),
        2,
        14_500_000,
    )
    assert rows["tien-mat"]["value_vnd"] == 25_000_000


def test_support_ledger_by_year_and_by_sponsor_and_year(world):
    rows = run("support-ledger", group_by="year").rows
    assert [(r["year"], r["value_vnd"]) for r in rows] == [
        (2014, 5_000_000),
        (2016, 10_000_000),
        (2017, 120_000_000),
        (2018, 50_000_000),
        (2019, 4_500_000),
    ]
    rows = run("support-ledger", group_by=["sponsor", "year"]).rows
    snn = [(r["year"], r["value_vnd"]) for r in rows if r["sponsor"] == "Sở Nông nghiệp và Phát triển nông thôn"]
    assert snn == [(2014, 5_000_000), (2016, 10_000_000), (2017, 20_000_000)]
    assert "quantity" not in rows[0]


def test_support_ledger_by_month_district_and_commune(world):
    rows = run("support-ledger", group_by="district,month", year="2017").rows
    assert [(r["district"], r["month"], r["value_vnd"]) for r in rows] == [
        ("Huyện Kỳ Anh", D(2017, 2, 1), 100_000_000),
        ("Huyện Kỳ Anh", D(2017, 3, 1), 20_000_000),
    ]
    rows = run("support-ledger", group_by="commune", district="Huyện Kỳ Anh").rows
    assert {r["commune"]: r["value_vnd"] for r in rows} == {
        "Xã Kỳ Tiến": 110_000_000,
        "Xã Kỳ Giang": 50_000_000,
        "Xã Kỳ Phong": 20_000_000,
    }


def test_support_ledger_filters_by_bloc_dates_and_category(world):
    assert run("support-ledger", parent="ĐUK CCQ&DN").totals["value_vnd"] == 85_000_000
    assert run("support-ledger", date_from="2017-01-01", date_to="2018-12-31").totals["value_vnd"] == 170_000_000
    assert run("support-ledger", category=["xi-mang", "tien-mat"]).totals["records"] == 4
    assert run("support-ledger", organisation="kbnn").totals["value_vnd"] == 4_500_000


def test_support_ledger_rejects_an_unknown_grouping(world):
    with pytest.raises(ReportParamsError):
        run("support-ledger", group_by="weekday")


# --- sponsor-activity ---------------------------------------------------------------------------


def test_sponsor_activity_puts_idle_assignments_first(world):
    result = run("sponsor-activity", as_of="2019-05-22")
    assert result.params["period_from"] == "2018-05-22"
    assert len(result.rows) == 6  # SNN's assignment to C ended in 2017, the 2012 one in 2015
    order = [(r["organisation"], r["commune"]) for r in result.rows]
    assert order[-3:] == [
        ("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh", "Xã Kỳ Phong"),
        ("Kho bạc Nhà nước Hà Tĩnh", "Xã Hương Liên"),
        ("Sở Nông nghiệp và Phát triển nông thôn", "Xã Kỳ Tiến"),
    ]
    assert all(r["last_activity"] is None for r in result.rows[:3])  # a monthly report is not a visit
    assert result.totals == {"assignments": 6, "idle": 4, "open_proposals": 2, "missing_fields": 5}


def test_sponsor_activity_counts_open_proposals_and_their_age(world):
    rows = {r["organisation"]: r for r in run("sponsor-activity", as_of="2019-05-22").rows}
    kb = rows["Kho bạc Nhà nước Hà Tĩnh"]
    assert (kb["last_activity"], kb["activities_in_period"], kb["open_proposals"]) == (D(2018, 9, 9), 1, 1)
    assert kb["oldest_open_days"] == datetime.timedelta(days=255)
    bloc = rows["Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh"]
    # Resolved on 01/06/2019: still open on 22/05/2019.
    assert (bloc["open_proposals"], bloc["oldest_open_days"].days) == (1, 747)


def test_sponsor_activity_names_the_fields_without_an_initiative(world):
    rows = {(r["organisation"], r["commune"]): r for r in run("sponsor-activity", as_of="2019-05-22").rows}
    # The fields are those registered under the same decisions by the date (văn hóa came in 08/2019).
    building, environment = "Xây dựng nông thôn mới, kết cấu hạ tầng", "Môi trường, cảnh quan nông thôn"
    assert rows[("Sở Nông nghiệp và Phát triển nông thôn", "Xã Kỳ Tiến")]["missing_fields"] == []
    assert rows[("Đảng bộ Cơ quan Tỉnh đoàn", "Xã Kỳ Giang")]["missing_fields"] == [environment]
    assert rows[("Kho bạc Nhà nước Hà Tĩnh", "Xã Hương Liên")]["missing_fields"] == [building, environment]
    chosen = run("sponsor-activity", as_of="2019-05-22", initiative_fields=["nong-thon-moi", "van-hoa-xa-hoi"]).rows
    culture = "Văn hóa, giáo dục, y tế, an sinh xã hội"
    assert {r["organisation"] for r in chosen if r["missing_fields"] == [culture]} == {
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Đảng bộ Cơ quan Tỉnh đoàn",
    }
    chosen = run("sponsor-activity", as_of="2019-05-22", initiative_fields="nong-thon-moi").rows
    assert {r["organisation"] for r in chosen if not r["missing_fields"]} == {
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Đảng bộ Cơ quan Tỉnh đoàn",
    }


# --- tasks ------------------------------------------------------------------------------------------


def test_tasks_per_owner_with_overdue_first(world):
    result = run("tasks", as_of="2019-05-22")
    assert result.totals == {"total": 5, "open": 3, "overdue": 1, "done": 1, "cancelled": 1}
    assert [r["short_name"] for r in result.rows] == ["Sở NN&PTNT", "KBNN", "Tỉnh đoàn"]
    snn, kb, td = result.rows
    assert (snn["open"], snn["overdue"], snn["next_due"], snn["oldest_overdue"]) == (2, 1, D(2019, 5, 1), D(2019, 5, 1))
    assert (kb["total"], kb["open"], kb["cancelled"], kb["next_due"]) == (2, 1, 1, None)
    assert (td["done"], td["done_late"]) == (1, 1)
    open_tasks = result.tables[0].rows
    assert [(t["text"], t["overdue"]) for t in open_tasks][0] == ("Nhiệm vụ số 1", True)
    assert len(open_tasks) == 3


def test_tasks_of_an_area_count_a_task_naming_two_of_its_communes_once(world):
    assert run("tasks", as_of="2019-05-22", district="Huyện Kỳ Anh").totals["total"] == 2
    assert run("tasks", as_of="2019-05-22", owner="KBNN").totals == {
        "total": 2,
        "open": 1,
        "overdue": 0,
        "done": 0,
        "cancelled": 1,
    }
    assert run("tasks", as_of="2019-07-01").totals["overdue"] == 2  # SNN's second is late too by then


def test_tasks_page_lists_the_first_open_tasks_and_counts_them_all(world):
    page = first_rows("tasks", 1, as_of="2019-05-22")
    table = page.tables[0]
    assert [(t["text"], t["overdue"]) for t in table.rows] == [("Nhiệm vụ số 1", True)]
    assert table.total_rows == 3 and page.totals["open"] == 3


# --- the registry --------------------------------------------------------------------------------


def test_every_report_runs_on_an_empty_database(db):
    for report in registry.all_reports():
        params = {"decision": "x"} if report.slug == "decision-review" else {}
        if report.slug == "decision-review":
            with pytest.raises(ReportParamsError):
                report.run(params)
            continue
        result = report.run(params)
        assert result.rows == []
        assert result.as_json()["report"] == report.slug
