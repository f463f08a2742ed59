"""Small builders of sponsorship records on the real units the test database holds."""

import datetime

import factory

from divisions.models import AdministrativeUnit
from sponsorship.choices import AssignmentRole, DocumentType, OrganisationKind
from sponsorship.models import (
    Activity,
    Assignment,
    Decision,
    Initiative,
    InitiativeField,
    Organisation,
    SupportCategory,
    SupportRecord,
)


def legacy_unit(code: str) -> AdministrativeUnit:
    """A unit of the official list as it stood before 1 July 2025 (e.g. "18559" Xã Hương Liên)."""
    return AdministrativeUnit.objects.get(code=code, edition="legacy")


def commune(code: str = "18559") -> AdministrativeUnit:
    return legacy_unit(code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Sở Thử nghiệm số {n} tỉnh Hà Tĩnh")
    kind = OrganisationKind.DEPARTMENT


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    symbol = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    document_type = DocumentType.DECISION
    issuer = "UBND tỉnh Hà Tĩnh"
    issued_on = datetime.date(2016, 3, 1)
    term_from_year = 2016
    term_to_year = 2020
    title = "Phân công đỡ đầu xã xây dựng nông thôn mới"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    decision = factory.SubFactory(DecisionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    commune = factory.LazyFunction(commune)
    role = AssignmentRole.SPONSOR


def category(code: str = "xi-mang") -> SupportCategory:
    return SupportCategory.objects.get(code=code)


def initiative_field(code: str = "phat-trien-kinh-te") -> InitiativeField:
    return InitiativeField.objects.get(code=code)


class SupportRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportRecord

    assignment = factory.SubFactory(AssignmentFactory)
    date = datetime.date(2017, 5, 10)
    category = factory.LazyFunction(category)
    quantity = 7
    value_vnd = 10_000_000


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    assignment = factory.SubFactory(AssignmentFactory)
    field = factory.LazyFunction(initiative_field)
    title = factory.Sequence(lambda n: f"Mô hình số {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    assignment = factory.SubFactory(AssignmentFactory)
    kind = "lam_viec"
    date = factory.Sequence(lambda n: datetime.date(2017, 1, 1) + datetime.timedelta(days=n))
