"""Rules that must hold on sponsorship records, in the database and in clean()."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ntm_site.text import search_key
from sponsorship.models import Assignment, SupportCategory
from sponsorship.tests.factories import (
    AssignmentFactory,
    DecisionFactory,
    OrganisationFactory,
    SupportRecordFactory,
    category,
    commune,
)

D = datetime.date
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.mark.django_db
def test_one_assignment_per_decision_organisation_commune_and_role():
    first = AssignmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            decision=first.decision, organisation=first.organisation, commune=first.commune, role=first.role
        )
    # The same organisation may twin with the commune as well: another role is another assignment.
    Assignment.objects.create(
        decision=first.decision, organisation=first.organisation, commune=first.commune, role="ket_nghia"
    )


@pytest.mark.django_db
def test_assignment_end_before_start_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(start_date=D(2017, 1, 1), end_date=D(2016, 1, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("field, value", [("value_vnd", -1), ("quantity", -1)])
def test_support_cannot_be_negative(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportRecordFactory(**{field: value})


@pytest.mark.django_db
def test_one_support_record_per_assignment_day_and_category():
    record = SupportRecordFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportRecordFactory(assignment=record.assignment, date=record.date, category=record.category)


@pytest.mark.django_db
def test_assignment_runs_for_its_decisions_term_unless_it_has_dates():
    decision = DecisionFactory(issued_on=D(2016, 3, 1), term_from_year=2016, term_to_year=2020)
    assignment = AssignmentFactory(decision=decision)
    assert assignment.effective_start == D(2016, 3, 1)
    assert assignment.effective_end == D(2020, 12, 31)
    assert assignment.covers(D(2020, 12, 31)) and not assignment.covers(D(2021, 1, 1))
    assert not assignment.covers(D(2016, 2, 29))
    # A decision issued late in the year before its term starts on 1 January of the term.
    early = DecisionFactory(issued_on=D(2015, 12, 20), term_from_year=2016, term_to_year=2020)
    assert early.term_start == D(2016, 1, 1)


@pytest.mark.django_db
def test_support_outside_the_term_needs_a_reason():
    record = SupportRecordFactory.build(
        assignment=AssignmentFactory(end_date=D(2018, 12, 31)), date=D(2021, 12, 20), category=category()
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "outside_term_reason" in error.value.message_dict
    assert "ngoài thời hạn phân công" in error.value.message_dict["outside_term_reason"][0]
    record.outside_term_reason = "Hỗ trợ sau khi xã đã đạt chuẩn, theo đề nghị của huyện"
    record.full_clean()


@pytest.mark.django_db
def test_new_assignment_under_an_ended_decision_needs_its_dates():
    decision = DecisionFactory(term_from_year=2016, term_to_year=2020)
    assignment = Assignment(decision=decision, organisation=OrganisationFactory(), commune=commune(), role="do_dau")
    with pytest.raises(ValidationError) as error:
        assignment.full_clean()
    assert "hết thời hạn" in error.value.message_dict["decision"][0]
    assignment.start_date = D(2016, 3, 1)
    assignment.full_clean()
    assignment.start_date = D(2021, 3, 1)
    with pytest.raises(ValidationError):
        assignment.full_clean()


@pytest.mark.django_db
def test_assignment_to_a_commune_no_longer_valid_is_refused():
    decision = DecisionFactory(issued_on=D(2025, 8, 1), term_from_year=2025, term_to_year=2030)
    legacy = commune("18559")  # valid until 30/06/2025
    assignment = Assignment(decision=decision, organisation=OrganisationFactory(), commune=legacy, role="do_dau")
    with pytest.raises(ValidationError) as error:
        assignment.full_clean()
    assert "không còn hiệu lực" in error.value.message_dict["commune"][0]


@pytest.mark.django_db
def test_assignment_search_key_follows_renamed_organisation():
    assignment = AssignmentFactory()
    assert " huong lien" in assignment.search_key and " huong khe" in assignment.search_key
    organisation = assignment.organisation
    organisation.short_name = "Kho bạc Nhà nước Hà Tĩnh"
    organisation.save()
    assignment.refresh_from_db()
    assert " kho bac" in assignment.search_key
    decision = assignment.decision
    decision.symbol = "999-QĐ/UBND"
    decision.save()
    assignment.refresh_from_db()
    assert " 999-qd/ubnd" in assignment.search_key


@pytest.mark.django_db
def test_support_record_takes_its_categorys_default_unit():
    record = SupportRecordFactory(unit="")
    assert record.unit == "tấn"


@pytest.mark.django_db
def test_decision_cannot_amend_itself():
    decision = DecisionFactory()
    decision.amends = decision
    with pytest.raises(IntegrityError), transaction.atomic():
        decision.save()


def test_catalogue_fixtures_use_natural_keys_and_their_search_keys():
    """The fixtures load without database ids and their stored search keys match the names."""
    for name in ("20_support_categories.json", "21_initiative_fields.json"):
        rows = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
        for row in rows:
            assert "pk" not in row
            fields = row["fields"]
            extra = (fields.get("group", ""), fields["code"].replace("-", " ")) if "default_unit" in fields else ()
            assert fields["search_key"] == search_key(fields["name"], *extra), fields["code"]


@pytest.mark.django_db
def test_catalogue_has_every_category_the_sources_name():
    names = dict(SupportCategory.objects.values_list("code", "default_unit"))
    expected = {
        "tien-mat": "đồng",
        "xi-mang": "tấn",
        "nha-tinh-nghia": "căn",
        "nha-dai-doan-ket": "căn",
        "nha-mai-am-tinh-thuong": "căn",
        "nha-mai-am-cong-doan": "căn",
        "nha-khan-quang-do": "căn",
        "nha-van-hoa-thon": "nhà",
        "truong-hoc": "trường",
        "tram-y-te": "trạm",
        "may-vi-tinh": "bộ",
        "may-in": "chiếc",
        "suat-qua": "suất",
        "hoc-bong": "suất",
        "kham-suc-khoe": "lượt người",
        "ngay-cong": "ngày công",
        "duong-giao-thong": "km",
        "dien-chieu-sang": "tuyến",
    }
    assert {code: names.get(code) for code in expected} == expected
    houses = SupportCategory.objects.filter(group="Nhà ở").count()
    assert houses == 5


@pytest.mark.django_db
def test_loading_reference_data_twice_changes_nothing():
    from django.core.management import call_command

    before = SupportCategory.objects.count()
    call_command("load_reference_data", verbosity=0)
    assert SupportCategory.objects.count() == before


def test_initiative_field_migration_knows_the_fixtures_codes():
    """Free-text fields converted by migration 0003 land on the codes the fixture loads afterwards."""
    import importlib

    migration = importlib.import_module("sponsorship.migrations.0003_initiative_fields")
    rows = json.loads((FIXTURES / "21_initiative_fields.json").read_text(encoding="utf-8"))
    assert {r["fields"]["name"]: r["fields"]["code"] for r in rows} == migration.CATALOGUE
