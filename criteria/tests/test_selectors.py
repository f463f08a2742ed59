"""The one meaning of "reached standard" on a date (criteria.selectors), on real Hà Tĩnh communes."""

import datetime

import pytest

from criteria.choices import ApprovalStatus, RecognitionAction
from criteria.models import CommuneYear, Recognition
from criteria.selectors import day_for_year, reached_standard_on, units_in_force
from criteria.tests.factories import HA_TINH, KY_BAC, KY_PHU, KY_TIEN, criteria_set, sheet, unit
from divisions.models import AdministrativeUnit, UnitSuccession

pytestmark = pytest.mark.django_db
D = datetime.date
ALL = "1" * 19


def recognise(commune, day, set_code="qd-1980-xa", *, action=RecognitionAction.RECOGNISE, number=None):
    return Recognition.objects.create(
        commune=commune if isinstance(commune, AdministrativeUnit) else unit(commune),
        criteria_set=criteria_set(set_code),
        action=action,
        decision_number=number or f"{day:%Y%m%d}/QĐ-UBND",
        decision_date=day,
        year=day.year,
    )


def reached(commune, day):
    commune = commune if isinstance(commune, AdministrativeUnit) else unit(commune)
    return AdministrativeUnit.objects.filter(pk=commune.pk).filter(reached_standard_on(day)).exists()


def test_a_recognition_counts_from_its_date_until_a_revocation():
    recognise(KY_TIEN, D(2018, 6, 1))
    assert not reached(KY_TIEN, D(2018, 5, 31))
    assert reached(KY_TIEN, D(2018, 6, 1))
    recognise(KY_TIEN, D(2019, 9, 1), action=RecognitionAction.REVOKE, number="thu-hoi")
    assert reached(KY_TIEN, D(2019, 8, 31))
    assert not reached(KY_TIEN, D(2019, 9, 1))
    recognise(KY_TIEN, D(2020, 4, 1), number="lai")
    assert reached(KY_TIEN, D(2020, 4, 1))


def test_a_revocation_of_the_basic_standard_undoes_a_recognition_under_an_older_set():
    recognise(KY_TIEN, D(2015, 1, 15), "qd-491-xa")
    recognise(KY_TIEN, D(2017, 1, 15), action=RecognitionAction.REVOKE, number="thu-hoi")
    assert reached(KY_TIEN, D(2016, 12, 31)) and not reached(KY_TIEN, D(2017, 1, 15))


def test_every_criterion_met_in_the_latest_approved_year_counts():
    sheet(KY_TIEN, 2017, ALL, approved=True)
    sheet(KY_TIEN, 2018, "1" * 17 + "00", approved=True)
    assert not reached(KY_TIEN, D(2016, 12, 31))
    assert reached(KY_TIEN, D(2017, 12, 31))
    assert not reached(KY_TIEN, D(2018, 12, 31))  # the latest approved year decides: 2018 fell short


def test_unapproved_years_are_ignored():
    sheet(KY_TIEN, 2017, ALL, approved=True)
    draft = sheet(KY_TIEN, 2018, "1" * 17 + "00")
    assert reached(KY_TIEN, D(2018, 12, 31))  # 2018 is a draft: 2017 still decides
    for status in (ApprovalStatus.SUBMITTED, ApprovalStatus.VERIFIED):
        CommuneYear.objects.filter(pk=draft.pk).update(approval_status=status)
        assert reached(KY_TIEN, D(2018, 12, 31))
    CommuneYear.objects.filter(pk=draft.pk).update(approval_status=ApprovalStatus.APPROVED)
    assert not reached(KY_TIEN, D(2018, 12, 31))
    sheet(KY_PHU, 2019, ALL)
    assert not reached(KY_PHU, D(2019, 12, 31))  # all met but never approved


def test_not_applicable_counts_as_met_and_a_partly_assessed_year_does_not_reach():
    sheet(KY_TIEN, 2019, "1" * 18 + "-", approved=True)
    sheet(KY_PHU, 2019, "1" * 10 + "." * 9, approved=True)
    assert reached(KY_TIEN, D(2019, 12, 31)) and not reached(KY_PHU, D(2019, 12, 31))


def test_a_revocation_undoes_the_approved_sheets_of_its_year_and_before():
    sheet(KY_TIEN, 2019, ALL, approved=True)
    recognise(KY_TIEN, D(2020, 3, 1), action=RecognitionAction.REVOKE, number="thu-hoi")
    assert reached(KY_TIEN, D(2020, 2, 28)) and not reached(KY_TIEN, D(2020, 3, 1))


def _merged_from_ky_bac():
    """The 2025 commune Kỳ Bắc became (its main successor) and every legacy commune merged into it."""
    successor = UnitSuccession.objects.get(predecessor=unit(KY_BAC), is_main=True).successor
    predecessors = [s.predecessor for s in UnitSuccession.objects.filter(successor=successor, is_main=True)]
    return successor, predecessors


def test_a_2025_commune_carries_the_standard_when_every_commune_merged_into_it_had_reached_it():
    successor, predecessors = _merged_from_ky_bac()
    assert len(predecessors) > 1 and successor.valid_from == D(2025, 7, 1)
    for p in predecessors[1:]:
        recognise(p, D(2020, 1, 15))
    assert not reached(successor, D(2026, 12, 4))  # one of them had not
    sheet(predecessors[0], 2024, ALL, "qd-318-xa", approved=True)
    assert reached(successor, D(2026, 12, 4))
    assert not reached(successor, D(2025, 6, 30))  # before the map it belongs to
    recognise(successor, D(2026, 3, 1), "qd-51-2025-xa", action=RecognitionAction.REVOKE, number="thu-hoi")
    assert reached(successor, D(2026, 2, 28)) and not reached(successor, D(2026, 3, 1))


def test_a_2025_commune_reaches_the_standard_by_its_own_approved_sheet():
    successor, _ = _merged_from_ky_bac()
    sheet(successor, 2026, "1" * 10, "qd-51-2025-xa")
    assert not reached(successor, D(2026, 12, 4))
    CommuneYear.objects.filter(commune=successor).update(approval_status=ApprovalStatus.APPROVED)
    assert reached(successor, D(2026, 12, 4))


def test_figures_on_a_date_count_the_units_of_the_map_in_force():
    ha_tinh_2025 = AdministrativeUnit.objects.get(code=HA_TINH, edition="2025")
    ha_tinh_legacy = unit(HA_TINH)
    on_2026 = units_in_force(AdministrativeUnit.objects.within(ha_tinh_2025), D(2026, 12, 4))
    assert on_2026.count() == 69
    assert not units_in_force(AdministrativeUnit.objects.within(ha_tinh_legacy), D(2026, 12, 4)).exists()
    assert units_in_force(AdministrativeUnit.objects.within(ha_tinh_legacy), D(2022, 3, 31)).count() > 69


def test_a_yearly_figure_is_taken_at_the_end_of_the_year_or_today():
    assert day_for_year(2017, D(2026, 12, 4)) == D(2017, 12, 31)
    assert day_for_year(2026, D(2026, 12, 4)) == D(2026, 12, 4)
