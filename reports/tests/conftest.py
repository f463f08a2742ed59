"""A small hand-made world whose figures are computed by hand in the tests.

Communes (real legacy units of Hà Tĩnh): A = Xã Kỳ Tiến and B = Xã Kỳ Giang (both became
Xã Kỳ Anh in 2025), C = Xã Kỳ Phong (became Xã Kỳ Xuân), D = Xã Hương Liên (Hương Khê),
and E = "Xã Thử Nghiệm", a hand-added commune of Huyện Kỳ Anh merged into C in 2020.

2017 assessments (19 criteria): A meets all 19; B 17 + criterion 7 not applicable (18),
criterion 17 not met; C meets 1–10; E meets 1–7; D meets 1–4.

A giao ban of 10/04/2019 set five tasks: SNN's first overdue by 22/05/2019 and its second
still open, Tỉnh đoàn's done late, Kho bạc's one undated (naming communes A and B) and one
cancelled.
"""

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

import pytest

from criteria.choices import ApprovalStatus, AssessmentStatus, RecognitionAction
from criteria.models import Assessment, CommuneYear, CriteriaSet, Recognition, Target
from divisions.choices import Edition, UnitKind, UnitLevel
from divisions.models import AdministrativeUnit, UnitSuccession
from meetings.choices import MeetingKind, TaskStatus
from meetings.models import FollowUpTask, Meeting
from sponsorship.choices import (
    ActivityKind,
    AssignmentRole,
    DocumentType,
    InitiativeStatus,
    OrganisationKind,
)
from sponsorship.models import (
    Activity,
    Assignment,
    Decision,
    Initiative,
    InitiativeField,
    Organisation,
    Proposal,
    SupportCategory,
    SupportRecord,
)

D = datetime.date
MET, NOT_MET, NA = AssessmentStatus.MET, AssessmentStatus.NOT_MET, AssessmentStatus.NOT_APPLICABLE


@dataclass
class World:
    criteria_set: CriteriaSet
    criteria: dict
    a: AdministrativeUnit
    b: AdministrativeUnit
    c: AdministrativeUnit
    d: AdministrativeUnit
    e: AdministrativeUnit
    orgs: dict
    decisions: dict
    assignments: dict
    categories: dict


def legacy(name, district):
    return AdministrativeUnit.objects.get(name=name, parent__name=district, edition=Edition.LEGACY)


def assess(commune, criteria, year, statuses):
    sheet = CommuneYear.objects.create(commune=commune, year=year, criteria_set=criteria[1].criteria_set)
    Assessment.objects.bulk_create(
        Assessment(commune_year=sheet, commune=commune, criterion=criteria[n], year=year, status=statuses[n - 1])
        for n in range(1, 20)
    )


def met_first(n):
    return [MET] * n + [NOT_MET] * (19 - n)


@pytest.fixture
def world(db):
    cset = CriteriaSet.objects.get(code="qd-1980-xa")  # reference data, loaded for the whole test run
    criteria = {c.number: c for c in cset.criteria.all()}
    ky_anh = AdministrativeUnit.objects.get(name="Huyện Kỳ Anh", edition=Edition.LEGACY)
    a = legacy("Xã Kỳ Tiến", "Huyện Kỳ Anh")
    b = legacy("Xã Kỳ Giang", "Huyện Kỳ Anh")
    c = legacy("Xã Kỳ Phong", "Huyện Kỳ Anh")
    d = legacy("Xã Hương Liên", "Huyện Hương Khê")
    e = AdministrativeUnit.objects.create(
        code="99901",
        name="Xã Thử Nghiệm",
        kind=UnitKind.COMMUNE,
        level=UnitLevel.COMMUNE,
        parent=ky_anh,
        edition=Edition.MANUAL,
        valid_to=D(2019, 12, 31),
    )
    UnitSuccession.objects.create(predecessor=e, successor=c, effective_date=D(2020, 1, 1))

    b_statuses = [MET] * 19
    b_statuses[6], b_statuses[16] = NA, NOT_MET
    assess(a, criteria, 2017, [MET] * 19)
    assess(b, criteria, 2017, b_statuses)
    assess(c, criteria, 2017, met_first(10))
    assess(e, criteria, 2017, met_first(7))
    assess(d, criteria, 2017, met_first(4))
    assess(a, criteria, 2016, met_first(15))

    Target.objects.create(commune=a, criteria_set=cset, target_year=2017)
    Target.objects.create(commune=b, criteria_set=cset, target_year=2019)
    Target.objects.create(commune=c, criteria_set=cset, target_year=2020)
    recognise = RecognitionAction.RECOGNISE
    Recognition.objects.create(
        commune=a,
        criteria_set=cset,
        action=recognise,
        decision_number="1/QĐ-UBND",
        decision_date=D(2018, 1, 15),
        year=2017,
    )
    Recognition.objects.create(
        commune=c,
        criteria_set=cset,
        action=recognise,
        decision_number="9/QĐ-UBND",
        decision_date=D(2019, 12, 20),
        year=2019,
    )
    Recognition.objects.create(
        commune=d,
        criteria_set=cset,
        action=recognise,
        decision_number="5/QĐ-UBND",
        decision_date=D(2018, 6, 1),
        year=2018,
    )
    Recognition.objects.create(
        commune=d,
        criteria_set=cset,
        action=RecognitionAction.REVOKE,
        decision_number="7/QĐ-UBND",
        decision_date=D(2019, 3, 1),
        year=2018,
    )

    bloc = Organisation.objects.create(
        name="Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh", short_name="ĐUK CCQ&DN", kind=OrganisationKind.PARTY_BODY
    )
    orgs = {
        "bloc": bloc,
        "snn": Organisation.objects.create(
            name="Sở Nông nghiệp và Phát triển nông thôn",
            short_name="Sở NN&PTNT",
            kind=OrganisationKind.DEPARTMENT,
            parent=bloc,
        ),
        "td": Organisation.objects.create(
            name="Đảng bộ Cơ quan Tỉnh đoàn",
            short_name="Tỉnh đoàn",
            kind=OrganisationKind.PARTY_ORGANISATION,
            parent=bloc,
        ),
        "kb": Organisation.objects.create(
            name="Kho bạc Nhà nước Hà Tĩnh", short_name="KBNN", kind=OrganisationKind.DEPARTMENT
        ),
        "dn": Organisation.objects.create(
            name="Công ty TNHH Thử Nghiệm", short_name="", kind=OrganisationKind.ENTERPRISE
        ),
    }
    province = AdministrativeUnit.objects.get(name="Tỉnh Hà Tĩnh", edition=Edition.LEGACY)
    decisions = {
        "d1": Decision.objects.create(
            symbol="140-QĐ/TU",
            document_type=DocumentType.DECISION,
            issuer="Ban Thường vụ Tỉnh ủy",
            issued_on=D(2016, 3, 1),
            term_from_year=2016,
            term_to_year=2020,
            title="Phân công cơ quan phụ trách, doanh nghiệp kết nghĩa xã",
            province=province,
        ),
        "d3": Decision.objects.create(
            symbol="99/QĐ-UBND",
            document_type=DocumentType.DECISION,
            issuer="UBND tỉnh",
            issued_on=D(2012, 5, 1),
            title="Phân công đỡ đầu xã giai đoạn 2012–2015",
            province=province,
        ),
    }
    decisions["d2"] = Decision.objects.create(
        symbol="15-QĐ/TU",
        document_type=DocumentType.DECISION,
        issuer="Ban Thường vụ Tỉnh ủy",
        issued_on=D(2018, 1, 10),
        title="Bổ sung xã đặc thù",
        amends=decisions["d1"],
        province=province,
    )

    def assign(n, decision, org, commune, role, start, end=None):
        return n, Assignment.objects.create(
            decision=decisions[decision],
            organisation=orgs[org],
            commune=commune,
            role=role,
            start_date=start,
            end_date=end,
        )

    IN_CHARGE, TWINNED, SPONSOR = AssignmentRole.IN_CHARGE, AssignmentRole.TWINNED, AssignmentRole.SPONSOR
    assignments = dict(
        [
            assign(1, "d1", "snn", a, IN_CHARGE, D(2016, 3, 1)),
            assign(2, "d1", "dn", a, TWINNED, D(2016, 3, 1)),
            assign(3, "d1", "td", b, IN_CHARGE, D(2016, 3, 1)),
            assign(4, "d1", "dn", b, TWINNED, D(2016, 3, 1)),
            assign(5, "d1", "snn", c, IN_CHARGE, D(2016, 3, 1), D(2017, 12, 31)),
            assign(6, "d1", "bloc", c, IN_CHARGE, D(2018, 1, 1)),
            assign(7, "d2", "kb", d, IN_CHARGE, D(2018, 1, 10)),
            assign(8, "d3", "snn", d, SPONSOR, D(2012, 5, 1), D(2015, 12, 31)),
        ]
    )
    categories = {
        key: SupportCategory.objects.get(code=code)
        for key, code in [
            ("cash", "tien-mat"),
            ("cement", "xi-mang"),
            ("charity_house", "nha-tinh-nghia"),
            ("unity_house", "nha-dai-doan-ket"),
        ]
    }

    def support(n, when, cat, quantity, unit, value):
        SupportRecord.objects.create(
            assignment=assignments[n],
            date=when,
            category=categories[cat],
            quantity=None if quantity is None else Decimal(quantity),
            unit=unit,
            value_vnd=value,
        )

    support(1, D(2016, 8, 15), "cement", 7, "tấn", 10_000_000)
    support(2, D(2017, 2, 1), "charity_house", 2, "", 100_000_000)
    support(3, D(2018, 5, 5), "unity_house", 1, "", 50_000_000)
    support(7, D(2019, 12, 1), "cement", 3, "tấn", 4_500_000)
    support(5, D(2017, 3, 3), "cash", None, "", 20_000_000)
    support(8, D(2014, 6, 1), "cash", None, "", 5_000_000)

    def initiative(n, field, status, registered):
        Initiative.objects.create(
            assignment=assignments[n],
            field=InitiativeField.objects.get(code=field),
            title=f"Mô hình {n} {field}",
            status=status,
            registered_on=registered,
        )

    # Fields: nong-thon-moi "Xây dựng nông thôn mới, kết cấu hạ tầng", moi-truong "Môi trường, cảnh quan
    # nông thôn", van-hoa-xa-hoi "Văn hóa, giáo dục, y tế, an sinh xã hội".
    initiative(1, "nong-thon-moi", InitiativeStatus.DONE, D(2016, 5, 1))
    initiative(1, "moi-truong", InitiativeStatus.IN_PROGRESS, D(2016, 5, 1))
    initiative(3, "nong-thon-moi", InitiativeStatus.REGISTERED, D(2016, 6, 1))
    initiative(7, "van-hoa-xa-hoi", InitiativeStatus.REGISTERED, D(2019, 8, 1))

    def activity(n, kind, when):
        return Activity.objects.create(assignment=assignments[n], kind=kind, date=when)

    activity(1, ActivityKind.VISIT, D(2019, 3, 1))
    activity(1, ActivityKind.WORKING_SESSION, D(2018, 1, 5))
    activity(3, ActivityKind.MONTHLY_REPORT, D(2019, 4, 1))
    a4 = activity(7, ActivityKind.WORKING_SESSION, D(2018, 9, 9))
    a5 = activity(6, ActivityKind.VISIT, D(2017, 5, 5))
    Proposal.objects.create(activity=a4, text="Xin hỗ trợ xi măng làm đường")
    Proposal.objects.create(activity=a4, text="Xin máy tính", resolved=True, resolved_on=D(2018, 10, 1))
    Proposal.objects.create(activity=a5, text="Xin sửa nhà văn hóa", resolved=True, resolved_on=D(2019, 6, 1))

    meeting = Meeting.objects.create(
        title="Hội nghị giao ban quý I năm 2019",
        kind=MeetingKind.BRIEFING,
        start=datetime.datetime(2019, 4, 10, 8, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")),
        organiser=bloc,
    )

    def task(order, owner, due, status=TaskStatus.NOT_STARTED, done_on=None, communes=()):
        made = FollowUpTask.objects.create(
            meeting=meeting,
            order=order,
            text=f"Nhiệm vụ số {order}",
            owner=orgs[owner],
            due_date=due,
            status=status,
            done_on=done_on,
        )
        made.communes.set(communes)

    task(1, "snn", D(2019, 5, 1), communes=[a])
    task(2, "snn", D(2019, 6, 30), TaskStatus.IN_PROGRESS, communes=[d])
    task(3, "td", D(2019, 4, 30), TaskStatus.DONE, done_on=D(2019, 5, 5))
    task(4, "kb", None, communes=[a, b])
    task(5, "kb", D(2019, 5, 10), TaskStatus.CANCELLED)

    return World(cset, criteria, a, b, c, d, e, orgs, decisions, assignments, categories)


@pytest.fixture
def superuser(django_user_model):
    # No password: the tests log in with force_login, and hashing one costs a second per test.
    return django_user_model.objects.create_superuser("quantri", "quantri@example.vn", None)


# --- 2026: the QĐ 51/2025 set (10 criteria) on the 2025 map ---------------------------------------


@dataclass
class World2026:
    """Five communes of Tỉnh Hà Tĩnh (2025 map) scored in 2026 against qd-51-2025-xa, by code order:
    P meets all 10; Q 8 + criterion 3 not applicable (9), criterion 10 not met; R meets 1–6; S 1–3; T 1–2."""

    criteria_set: CriteriaSet
    criteria: dict
    communes: list


def met_of_ten(n):
    return [MET] * n + [NOT_MET] * (10 - n)


def assess_2026(commune, criteria, statuses, year=2026):
    sheet = CommuneYear.objects.create(commune=commune, year=year, criteria_set=criteria[1].criteria_set)
    Assessment.objects.bulk_create(
        Assessment(commune_year=sheet, commune=commune, criterion=criteria[n], year=year, status=statuses[n - 1])
        for n in range(1, len(criteria) + 1)
    )
    return sheet


@pytest.fixture
def world_2026(db):
    cset = CriteriaSet.objects.get(code="qd-51-2025-xa")  # reference data (fixtures/10_criteria_sets.json)
    criteria = {c.number: c for c in cset.criteria.all()}
    communes = list(
        AdministrativeUnit.objects.filter(
            parent__code="42", parent__edition=Edition.REFORM_2025, kind=UnitKind.COMMUNE
        ).order_by("code")[:5]
    )
    q = [MET] * 10
    q[2], q[9] = NA, NOT_MET
    for commune, statuses in zip(communes, [[MET] * 10, q, met_of_ten(6), met_of_ten(3), met_of_ten(2)], strict=True):
        assess_2026(commune, criteria, statuses)
    return World2026(criteria_set=cset, criteria=criteria, communes=communes)


@pytest.fixture
def sheets_approved(world):
    """The world's sheets approved by the province: "reached standard" counts approved years only."""
    CommuneYear.objects.update(approval_status=ApprovalStatus.APPROVED)
    return world


@pytest.fixture
def sheets_2026_approved(world_2026):
    """The 2026 sheets approved by the province, as a finished season's are."""
    CommuneYear.objects.filter(year=2026).update(approval_status=ApprovalStatus.APPROVED)
    return world_2026
