"""Report figures against hand-computed ones on a handful of Hà Tĩnh communes.

Huyện Kỳ Anh, 2017, QĐ 1980 (19 criteria):
  Kỳ Tiến   all 19 đạt                                   -> met 19, meets all
  Kỳ Xuân   7 không áp dụng, 17 chưa đạt, rest đạt        -> met 18 (band 15–18)
  Kỳ Bắc    7 không áp dụng, rest đạt                     -> met 19, meets all (KAD counts as met)
  Kỳ Phú    only 1–10 recorded: 1–4 đạt, 5–10 chưa đạt    -> met 4 (band under 5), recognised in 2016
  => 4 communes, (19 + 18 + 19 + 4) / 4 = 15.0
Thị xã Kỳ Anh, 2017: Kỳ Lợi 11 đạt, 8 chưa đạt -> met 11; province: 71 / 5 = 14.2
Huyện Kỳ Anh, 2016: Kỳ Tiến 9 đạt (another year, never mixed in).
"""

from decimal import Decimal

import pytest

from criteria.choices import RecognitionAction
from criteria.models import Assessment, CommuneYear, CriteriaSet, Recognition
from criteria.querysets import annotate_standard
from criteria.tests.factories import (
    HA_TINH,
    HUYEN_KY_ANH,
    KY_BAC,
    KY_LOI,
    KY_PHU,
    KY_TIEN,
    KY_XUAN,
    THI_XA_KY_ANH,
    criteria_set,
    sheet,
    unit,
)
from divisions.models import AdministrativeUnit

ALL = "1" * 19
KY_XUAN_2017 = "111111-111111111011"
KY_BAC_2017 = "111111-111111111111"
KY_PHU_2017 = "1111000000........."
KY_LOI_2017 = "1111111111100000000"


def _recognise(code, year, set_code="qd-1980-xa", action=RecognitionAction.RECOGNISE, number="1/QĐ-UBND"):
    return Recognition.objects.create(
        commune=unit(code),
        criteria_set=criteria_set(set_code),
        action=action,
        decision_number=number,
        decision_date=f"{year + 1}-01-15",
        year=year,
        issuer="UBND tỉnh Hà Tĩnh",
    )


@pytest.fixture
def ky_anh(db):
    sheet(KY_TIEN, 2017, ALL)
    sheet(KY_XUAN, 2017, KY_XUAN_2017)
    sheet(KY_BAC, 2017, KY_BAC_2017)
    sheet(KY_PHU, 2017, KY_PHU_2017)
    sheet(KY_LOI, 2017, KY_LOI_2017)
    sheet(KY_TIEN, 2016, "1111111110000000000")
    _recognise(KY_PHU, 2016)
    _recognise(KY_XUAN, 2014, set_code="qd-491-xa", number="2/QĐ-UBND")
    _recognise(KY_XUAN, 2016, action=RecognitionAction.REVOKE, number="3/QĐ-UBND")


def test_met_counts_give_one_row_per_commune_year(ky_anh):
    rows = {r["commune"]: r for r in Assessment.objects.for_area(unit(HUYEN_KY_ANH)).in_year(2017).met_counts()}
    assert {unit(c).pk: (rows[unit(c).pk]["met"]) for c in (KY_TIEN, KY_XUAN, KY_BAC, KY_PHU)} == {
        unit(KY_TIEN).pk: 19,
        unit(KY_XUAN).pk: 18,
        unit(KY_BAC).pk: 19,
        unit(KY_PHU).pk: 4,
    }
    xuan = rows[unit(KY_XUAN).pk]
    assert (xuan["not_met"], xuan["not_applicable"], xuan["assessed"], xuan["set_size"]) == (1, 1, 19, 19)
    assert [r["meets_all"] for r in (rows[unit(KY_TIEN).pk], xuan, rows[unit(KY_BAC).pk], rows[unit(KY_PHU).pk])] == [
        True,
        False,
        True,
        False,
    ]
    assert len(rows) == 4


def test_district_summary_matches_hand_computed_figures(ky_anh):
    summary = Assessment.objects.for_area(unit(HUYEN_KY_ANH)).in_year(2017).national().area_summary()
    assert summary == {
        "communes": 4,
        "average_met": Decimal("15.0"),
        "all_met": 2,
        "band_19": 2,
        "band_15_18": 1,
        "band_10_14": 0,
        "band_5_9": 0,
        "band_under_5": 1,
    }


def test_province_summary_takes_in_every_district(ky_anh):
    summary = Assessment.objects.for_area(unit(HA_TINH)).in_year(2017).area_summary()
    assert summary["communes"] == 5
    assert summary["average_met"] == Decimal("14.2")
    assert summary["band_10_14"] == 1


def test_town_of_the_same_name_is_a_different_area(ky_anh):
    summary = Assessment.objects.for_area(unit(THI_XA_KY_ANH)).in_year(2017).area_summary()
    assert (summary["communes"], summary["average_met"]) == (1, Decimal("11.0"))


def test_any_list_of_communes_is_an_area(ky_anh):
    communes = AdministrativeUnit.objects.filter(code__in=[KY_TIEN, KY_PHU], edition="legacy")
    assert Assessment.objects.for_area(communes).in_year(2017).area_summary()["average_met"] == Decimal("11.5")
    assert Assessment.objects.for_area([unit(KY_XUAN)]).in_year(2017).area_summary()["average_met"] == Decimal("18.0")


def test_empty_area_has_no_average(db):
    summary = Assessment.objects.for_area(unit(HUYEN_KY_ANH)).in_year(2030).area_summary()
    assert summary["communes"] == 0
    assert summary["average_met"] is None


def test_commune_year_summary_agrees_with_assessment_summary(ky_anh):
    by_sheet = CommuneYear.objects.for_area(unit(HA_TINH)).in_year(2017).in_set("qd-1980-xa").area_summary()
    by_result = Assessment.objects.for_area(unit(HA_TINH)).in_year(2017).in_set("qd-1980-xa").area_summary()
    assert by_sheet == by_result


def test_empty_sheet_is_not_counted_as_assessed(ky_anh):
    CommuneYear.objects.create(commune=unit("18772"), year=2017)  # Kỳ Giang, no result yet
    summary = CommuneYear.objects.for_area(unit(HUYEN_KY_ANH)).in_year(2017).area_summary()
    assert summary["communes"] == 4


def test_criterion_rates_list_the_weakest_first(ky_anh):
    rates = list(Assessment.objects.for_area(unit(HUYEN_KY_ANH)).in_year(2017).criterion_rates())
    assert [(r["number"], r["assessed"], r["met"], r["rate"]) for r in rates[:8]] == [
        (17, 3, 2, Decimal("66.7")),
        (5, 4, 3, Decimal("75.0")),
        (6, 4, 3, Decimal("75.0")),
        (7, 4, 3, Decimal("75.0")),  # two "không áp dụng" count as met, Kỳ Phú did not meet it
        (8, 4, 3, Decimal("75.0")),
        (9, 4, 3, Decimal("75.0")),
        (10, 4, 3, Decimal("75.0")),
        (1, 4, 4, Decimal("100.0")),
    ]
    assert rates[0]["name"] == "Môi trường và an toàn thực phẩm"
    assert len(rates) == 19


def test_reached_standard_by_meeting_all_or_by_recognition(ky_anh):
    sheets = CommuneYear.objects.for_area(unit(HUYEN_KY_ANH)).in_year(2017).with_figures()
    figures = {cy.commune.code: (cy.meets_all, cy.recognised, cy.reached) for cy in sheets.select_related("commune")}
    assert figures == {
        KY_TIEN: (True, False, True),
        KY_BAC: (True, False, True),
        KY_PHU: (False, True, True),  # recognised for 2016 and not revoked
        KY_XUAN: (False, False, False),  # its recognition was revoked in 2016
    }
    assert CommuneYear.objects.for_area(unit(HUYEN_KY_ANH)).in_year(2017).reached_standard().count() == 3


def test_recognitions_in_force_follow_the_latest_decision(ky_anh):
    assert set(Recognition.objects.in_force(2015).values_list("commune__code", flat=True)) == {KY_XUAN}
    assert set(Recognition.objects.in_force(2017).values_list("commune__code", flat=True)) == {KY_PHU}
    assert not Recognition.objects.in_force(2015, criteria_set="qd-1980-xa").exists()


def test_annotate_standard_counts_reached_communes_of_any_list(ky_anh):
    communes = AdministrativeUnit.objects.filter(parent=unit(HUYEN_KY_ANH), kind="xa")
    reached = annotate_standard(communes, year=2017).filter(ntm_reached=True)
    assert set(reached.values_list("code", flat=True)) == {KY_TIEN, KY_BAC, KY_PHU}
    assert annotate_standard(communes, year=2017, criteria_set="qd-1980-xa").filter(ntm_reached=True).count() == 3
    assert annotate_standard(communes, year=2016, criteria_set=criteria_set()).filter(ntm_reached=True).count() == 1


def test_sets_in_force_and_the_default_set_of_a_year(db):
    assert CriteriaSet.objects.default_for_year(2012).code == "qd-491-xa"
    assert CriteriaSet.objects.default_for_year(2016).code == "qd-1980-xa"
    assert CriteriaSet.objects.default_for_year(2025).code == "qd-318-xa"
    assert CriteriaSet.objects.default_for_year(2026).code == "qd-51-2025-xa"
    assert CriteriaSet.objects.default_for_year(2009) is None
    assert [s.size for s in CriteriaSet.objects.national_commune().with_size()] == [19, 19, 19, 10]


def test_summary_is_one_query(ky_anh, django_assert_num_queries):
    area = unit(HUYEN_KY_ANH)
    with django_assert_num_queries(1):
        Assessment.objects.for_area(area).in_year(2017).area_summary()
    with django_assert_num_queries(1):
        list(Assessment.objects.for_area(area).in_year(2017).criterion_rates())
