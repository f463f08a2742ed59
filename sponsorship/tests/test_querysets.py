"""The report questions, answered in SQL by the sponsorship querysets."""

import datetime

import pytest
from django.db.models import Q

from criteria.models import Recognition
from divisions.models import AdministrativeUnit
from sponsorship.models import Assignment, Organisation, SupportRecord
from sponsorship.tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    DecisionFactory,
    InitiativeFactory,
    OrganisationFactory,
    SupportRecordFactory,
    category,
    commune,
)

D = datetime.date


def recognise(unit, day, criteria_set, *, action="cong_nhan", number=None):
    return Recognition.objects.create(
        commune=unit,
        criteria_set=criteria_set,
        action=action,
        decision_number=number or f"{day:%Y%m%d}/QĐ-UBND",
        decision_date=day,
        year=day.year,
    )


@pytest.mark.django_db
def test_as_of_uses_own_dates_or_the_decision_term():
    decision = DecisionFactory(issued_on=D(2016, 3, 1), term_from_year=2016, term_to_year=2020)
    whole = AssignmentFactory(decision=decision)
    short = AssignmentFactory(
        decision=decision, commune=commune("18502"), start_date=D(2017, 1, 10), end_date=D(2018, 6, 30)
    )
    active = Assignment.objects.as_of
    assert set(active(D(2016, 3, 1))) == {whole}
    assert set(active(D(2017, 6, 1))) == {whole, short}
    assert set(active(D(2020, 12, 31))) == {whole}
    assert not active(D(2021, 1, 1)).exists()
    assert set(Assignment.objects.active_in_year(2018)) == {whole, short}
    assert set(Assignment.objects.started_by(D(2016, 12, 31))) == {whole}
    assert set(Assignment.objects.started_by(D(2022, 1, 1), since=D(2017, 1, 1))) == {short}


@pytest.mark.django_db
def test_for_decision_includes_its_amendments():
    original = DecisionFactory(symbol="140-QĐ/TU")
    amendment = DecisionFactory(symbol="BS/140-QĐ/TU", amends=original, issued_on=D(2017, 1, 10))
    second = DecisionFactory(symbol="BS2/140-QĐ/TU", amends=amendment, issued_on=D(2018, 1, 10))
    other = DecisionFactory(symbol="1/QĐ-UBND")
    a = AssignmentFactory(decision=original)
    b = AssignmentFactory(decision=amendment, commune=commune("18502"))
    c = AssignmentFactory(decision=second, commune=commune("18505"))
    AssignmentFactory(decision=other)
    assert set(Assignment.objects.for_decision(original)) == {a, b, c}
    assert set(Assignment.objects.for_decision(original, include_amendments=False)) == {a}


@pytest.mark.django_db
def test_organisations_per_role_and_role_counts():
    decision = DecisionFactory()
    agency, enterprise, second_enterprise = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    for code in ("18559", "18502"):
        AssignmentFactory(decision=decision, organisation=agency, commune=commune(code), role="phu_trach")
        AssignmentFactory(decision=decision, organisation=enterprise, commune=commune(code), role="ket_nghia")
    AssignmentFactory(decision=decision, organisation=second_enterprise, commune=commune("18559"), role="ket_nghia")
    qs = Assignment.objects.for_decision(decision)
    assert qs.organisations_per_role() == {"phu_trach": 1, "ket_nghia": 2}
    rows = {r["role"]: r for r in qs.role_counts()}
    assert rows["ket_nghia"]["assignments"] == 3 and rows["ket_nghia"]["communes"] == 2
    assert [r["role"] for r in qs.role_counts()] == ["phu_trach", "ket_nghia"]
    assert qs.communes().count() == 2


@pytest.mark.django_db
def test_support_totals_by_category_keep_units_apart_and_groups_add_up():
    assignment = AssignmentFactory()
    SupportRecordFactory(assignment=assignment, category=category("xi-mang"), quantity=7, value_vnd=10_000_000)
    SupportRecordFactory(
        assignment=assignment,
        category=category("xi-mang"),
        date=D(2017, 6, 1),
        quantity=40,
        unit="bao",
        value_vnd=3_000_000,
    )
    SupportRecordFactory(assignment=assignment, category=category("nha-tinh-nghia"), quantity=2, value_vnd=100_000_000)
    SupportRecordFactory(assignment=assignment, category=category("nha-dai-doan-ket"), quantity=1, value_vnd=40_000_000)
    rows = {(r["category_code"], r["unit"]): r for r in SupportRecord.objects.totals_by_category()}
    assert rows[("xi-mang", "tấn")]["quantity"] == 7 and rows[("xi-mang", "tấn")]["value_vnd"] == 10_000_000
    assert rows[("xi-mang", "bao")]["quantity"] == 40
    groups = {r["group"]: r for r in SupportRecord.objects.totals_by_group()}
    assert groups["Nhà ở"]["quantity"] == 3 and groups["Nhà ở"]["value_vnd"] == 140_000_000
    assert SupportRecord.objects.total_value() == 153_000_000
    assert SupportRecord.objects.between(D(2017, 5, 11), None).total_value() == 3_000_000
    assert SupportRecord.objects.none().total_value() == 0


@pytest.mark.django_db
def test_scorecard_counts_communes_reached_support_and_initiatives(national_sets):
    bloc = OrganisationFactory(name="Đảng ủy Khối thử nghiệm")
    member = OrganisationFactory(parent=bloc)
    outsider = OrganisationFactory()
    decision = DecisionFactory(issued_on=D(2016, 1, 15))
    a = AssignmentFactory(decision=decision, organisation=member, commune=commune("18559"))
    AssignmentFactory(decision=decision, organisation=member, commune=commune("18502"))
    AssignmentFactory(decision=decision, organisation=outsider, commune=commune("18505"))
    recognise(commune("18559"), D(2018, 12, 1), national_sets["qd-1980-xa"])
    SupportRecordFactory(assignment=a, value_vnd=10_000_000)
    SupportRecordFactory(assignment=a, date=D(2019, 6, 1), value_vnd=5_000_000)
    InitiativeFactory(assignment=a)
    ActivityFactory(assignment=a, date=D(2018, 3, 1))
    card = {o.pk: o for o in Organisation.objects.within(bloc).scorecard(as_of=D(2019, 1, 1))}
    assert set(card) == {member.pk}  # the bloc itself sponsors nothing here
    row = card[member.pk]
    assert (row.communes_sponsored, row.communes_reached) == (2, 1)
    assert row.support_value_vnd == 10_000_000  # the June 2019 support comes after the as-of day
    assert row.initiative_count == 1 and row.last_activity_on == D(2018, 3, 1)
    assert Organisation.objects.within(bloc).count() == 2


@pytest.mark.django_db
def test_coverage_counts_distinct_organisations_communes_and_reached(national_sets):
    decision = DecisionFactory()
    AssignmentFactory(decision=decision, commune=commune("18559"))
    AssignmentFactory(decision=decision, commune=commune("18559"))
    AssignmentFactory(decision=decision, commune=commune("18502"))
    recognise(commune("18502"), D(2017, 5, 1), national_sets["qd-1980-xa"])
    cover = Assignment.objects.for_decision(decision).coverage(as_of=D(2019, 5, 22))
    assert cover == {"organisations": 3, "communes": 2, "communes_reached": 1}
    annotated = {a.commune.code: a.commune_reached for a in Assignment.objects.with_commune_reached(D(2019, 5, 22))}
    assert annotated == {"18559": False, "18502": True}


@pytest.mark.django_db
def test_activity_recency_finds_sponsors_that_stopped_visiting():
    visiting, quiet, never = AssignmentFactory(), AssignmentFactory(), AssignmentFactory()
    ActivityFactory(assignment=visiting, date=D(2019, 2, 15))
    ActivityFactory(assignment=quiet, date=D(2017, 5, 15))
    rows = {a.pk: a for a in Assignment.objects.with_last_activity()}
    assert rows[visiting.pk].last_activity_on == D(2019, 2, 15) and rows[visiting.pk].activity_count == 1
    assert rows[never.pk].last_activity_on is None and rows[never.pk].activity_count == 0
    stale = Assignment.objects.without_activity_since(D(2018, 1, 1))
    assert set(stale) == {quiet, never}


@pytest.mark.django_db
def test_within_a_province_or_district():
    in_huong_khe = AssignmentFactory(commune=commune("18559"))
    in_ky_anh = AssignmentFactory(commune=commune("18757"))
    ha_tinh = AdministrativeUnit.objects.get(code="42", edition="legacy")
    huong_khe = AdministrativeUnit.objects.get(code="444", edition="legacy")
    assert set(Assignment.objects.within(ha_tinh)) == {in_huong_khe, in_ky_anh}
    assert set(Assignment.objects.within(huong_khe)) == {in_huong_khe}
    assert SupportRecord.objects.within(huong_khe).count() == 0
    assert Assignment.objects.filter(Q(commune__province=ha_tinh)).count() == 2
