"""The demo workbooks in seeds/data, loaded through the import engine, reproduce the published figures.

FACTS.md lists them; seeds/README.md says which splits are illustrative. Every figure here
is read through the querysets the reports call.
"""

import datetime
from decimal import Decimal

import pytest

from seeds.build_sponsorship_demo import BLOC, DATA, HA_LINH, HT_NAMED, HUONG_LIEN, build, normalised_zip
from seeds.loader import demo_workbooks
from sponsorship.models import Assignment, Decision, Organisation, SupportRecord

D = datetime.date
SPONSORSHIP_BOOKS = {
    "organisations",
    "decisions",
    "assignments",
    "support-records",
    "initiatives",
    "activities",
    "proposals",
    "ntm-recognitions",
}


def load_demo():
    from ntm_site.spreadsheets.registry import get_resource
    from ntm_site.spreadsheets.services import workbook_import

    reports = {}
    for slug, path in demo_workbooks():
        if slug in SPONSORSHIP_BOOKS:
            report = workbook_import(resource_class=get_resource(slug), file=str(path))
            assert report.ok, (path.name, report.error_lines(10))
            reports[slug] = report
    return reports


@pytest.fixture
def demo(national_sets):
    return load_demo()


@pytest.mark.django_db
def test_ninh_binh_140_at_issue_and_at_the_three_year_review(demo):
    decision = Decision.objects.get(symbol="140-QĐ/TU")
    assert decision.issued_on == D(2016, 3, 1) and (decision.term_from_year, decision.term_to_year) == (2016, 2020)
    assert decision.issuer == "Ban Thường vụ Tỉnh ủy Ninh Bình"
    assert Decision.objects.get(symbol="141-QĐ/TU").get_document_type_display() == "Quy định"
    at_issue = Assignment.objects.for_decision(decision).as_of(D(2016, 3, 1))
    assert at_issue.organisations_per_role() == {"phu_trach": 55, "ket_nghia": 56}
    assert at_issue.communes().count() == 55
    at_review = Assignment.objects.for_decision(decision).as_of(D(2019, 5, 22))
    assert at_review.organisations_per_role() == {"phu_trach": 55, "ket_nghia": 56}
    assert at_review.coverage(as_of=D(2019, 5, 22))["communes"] == 56
    assert at_review.coverage(as_of=D(2019, 5, 22))["communes_reached"] == 23
    assert set(at_review.communes().values_list("kind", flat=True)) == {"xa"}


@pytest.mark.django_db
def test_ninh_binh_support_over_the_three_years(demo):
    decision = Decision.objects.get(symbol="140-QĐ/TU")
    support = SupportRecord.objects.for_decision(decision).between(D(2016, 3, 1), D(2019, 5, 22))
    by_category = {(r["category_code"], r["unit"]): r["quantity"] for r in support.totals_by_category()}
    expected = {
        ("nha-tinh-nghia", "căn"): 24,
        ("nha-dai-doan-ket", "căn"): 6,
        ("nha-mai-am-tinh-thuong", "căn"): 1,
        ("nha-mai-am-cong-doan", "căn"): 1,
        ("nha-khan-quang-do", "căn"): 1,
        ("nha-van-hoa-thon", "nhà"): 15,
        ("truong-hoc", "trường"): 9,
        ("tram-y-te", "trạm"): 4,
        ("may-vi-tinh", "bộ"): 107,
        ("may-in", "chiếc"): 7,
        ("suat-qua", "suất"): 7120,
        ("hoc-bong", "suất"): 180,
    }
    assert {key: by_category.get(key) for key in expected} == expected
    houses = {r["group"]: r["quantity"] for r in support.totals_by_group()}["Nhà ở"]
    assert houses == 33
    assert by_category[("kham-suc-khoe", "lượt người")] > 2700
    assert support.total_value() > 50_000_000_000
    # Support recorded after the review is not part of the review's figures.
    assert SupportRecord.objects.for_decision(decision).total_value() > support.total_value()


@pytest.mark.django_db
def test_ha_tinh_bloc_since_2012_and_per_sponsor(demo):
    bloc = Organisation.objects.get(name=BLOC)
    members = Organisation.objects.within(bloc)
    as_of = D(2022, 3, 31)
    since_2012 = Assignment.objects.for_organisations(members).started_by(as_of, since=D(2012, 1, 1))
    assert since_2012.coverage(as_of=as_of) == {"organisations": 75, "communes": 169, "communes_reached": 157}
    card = {o.name: (o.communes_sponsored, o.communes_reached) for o in members.scorecard(as_of=as_of)}
    for name, _short, communes, reached in HT_NAMED:
        assert card[name] == (communes, reached), name
    assert len(card) == 75


@pytest.mark.django_db
def test_ha_tinh_meeting_of_15_august_2016(demo):
    members = Organisation.objects.within(Organisation.objects.get(name=BLOC))
    active = Assignment.objects.for_organisations(members).as_of(D(2016, 8, 15))
    cover = active.coverage(as_of=D(2016, 8, 15))
    assert (cover["organisations"], cover["communes"]) == (51, 73)


@pytest.mark.django_db
def test_youth_union_sponsors_ha_linh_and_treasury_gave_cement_to_huong_lien(demo):
    youth = Organisation.objects.get(short_name="Đảng bộ Cơ quan Tỉnh đoàn")
    assert Assignment.objects.filter(organisation=youth, commune__code=HA_LINH).exists()
    cement = SupportRecord.objects.get(assignment__commune__code=HUONG_LIEN, category__code="xi-mang")
    assert cement.assignment.organisation.short_name == "Kho bạc Nhà nước Hà Tĩnh"
    assert (cement.quantity, cement.unit, cement.value_vnd) == (Decimal(7), "tấn", 10_000_000)
    assert (cement.date.year, cement.date.month) == (2021, 12)


@pytest.mark.django_db
def test_no_recognition_in_ky_anh_district_before_2018(demo):
    from criteria.models import Recognition

    early = Recognition.objects.filter(commune__parent__code="447", decision_date__lt=D(2018, 1, 1))
    assert not early.exists()


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing(demo):
    again = load_demo()
    for slug, report in again.items():
        assert report.created == 0 and report.updated == 0, slug


@pytest.mark.django_db
def test_inactive_sponsors_show_in_the_recency_list(demo):
    decision = Decision.objects.get(symbol="140-QĐ/TU")
    in_charge = Assignment.objects.for_decision(decision).with_role("phu_trach").as_of(D(2019, 5, 22))
    assert in_charge.without_activity_since(D(2018, 6, 1)).count() == 6


def test_the_committed_workbooks_are_what_the_script_builds():
    """seeds/build_sponsorship_demo.py is deterministic and the committed files are its output."""
    from seeds.build_sponsorship_demo import _labels, workbook_bytes

    built = {f"{n:02d}_{book.slug}.xlsx": book for n, book in _labels(build())}
    for name, book in built.items():
        assert (DATA / name).read_bytes() == workbook_bytes(book.slug, book.rows), name
    assert normalised_zip((DATA / "11_decisions.xlsx").read_bytes()) == (DATA / "11_decisions.xlsx").read_bytes()
