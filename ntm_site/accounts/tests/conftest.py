"""People and records of Hà Tĩnh (two districts) and one Nghệ An commune, for testing scopes from both sides.

coordinator      Văn phòng điều phối tỉnh Hà Tĩnh      province Hà Tĩnh (legacy edition)
huong_khe_clerk  Cán bộ cấp huyện                      Huyện Hương Khê
ky_anh_clerk     Cán bộ cấp huyện                      Huyện Kỳ Anh
commune_clerk    Cán bộ cấp xã                         Xã Hương Liên (Hương Khê)
sponsor_clerk    Đầu mối cơ quan đỡ đầu                Sở Nông nghiệp (sponsors Hương Liên)
viewer           Người xem báo cáo                     province Hà Tĩnh
nghe_an_coordinator                                    province Nghệ An
stranger         staff, no scope
"""

import datetime
import functools
from types import SimpleNamespace

import pytest

from criteria.models import Assessment, CriteriaSet, Criterion
from divisions.models import AdministrativeUnit
from ntm_site.accounts.choices import Role
from ntm_site.accounts.services import user_scope_set
from sponsorship.models import Assignment, Decision, Organisation, SupportCategory, SupportRecord

PASSWORD = "mat-khau-rat-dai-2016"


def legacy(code):
    return AdministrativeUnit.objects.get(code=code, edition="legacy")


def criteria_set():
    cs, _ = CriteriaSet.objects.get_or_create(
        code="qd-1980-xa",
        defaults={
            "name": "Bộ tiêu chí quốc gia về xã nông thôn mới (QĐ 1980/QĐ-TTg)",
            "valid_from_year": 2016,
            "valid_to_year": 2020,
        },
    )
    for number in (1, 2, 3):
        Criterion.objects.get_or_create(criteria_set=cs, number=number, defaults={"name": f"Tiêu chí {number}"})
    return cs


def make_assessment(commune, criterion, year=2019, status="dat", **extra):
    """An assessment, filed under its commune-year when the model has one."""
    fields = {f.name for f in Assessment._meta.get_fields()}
    if "commune_year" in fields:
        from criteria.models import CommuneYear

        cy, _ = CommuneYear.objects.get_or_create(commune=commune, year=year, criteria_set=criterion.criteria_set)
        extra["commune_year"] = cy
    return Assessment.objects.create(commune=commune, criterion=criterion, year=year, status=status, **extra)


@pytest.fixture
def place(db):
    ha_tinh = legacy("42")
    nghe_an = legacy("40")
    huong_khe = legacy("444")
    ky_anh = legacy("447")
    huong_lien = legacy("18559")
    ky_phu = legacy("18763")
    nam_hung = legacy("17932")
    return SimpleNamespace(
        ha_tinh=ha_tinh,
        nghe_an=nghe_an,
        huong_khe=huong_khe,
        ky_anh=ky_anh,
        huong_lien=huong_lien,
        ky_phu=ky_phu,
        nam_hung=nam_hung,
        ha_tinh_2025=AdministrativeUnit.objects.get(code="42", edition="2025"),
    )


@pytest.fixture
def records(place):
    cs = criteria_set()
    c1, c2 = Criterion.objects.get(criteria_set=cs, number=1), Criterion.objects.get(criteria_set=cs, number=2)
    agri = Organisation.objects.create(
        name="Sở Nông nghiệp và Phát triển nông thôn", kind="so_nganh", home_unit=place.ha_tinh
    )
    bank = Organisation.objects.create(
        name="Ngân hàng Nông nghiệp chi nhánh Hà Tĩnh", kind="doanh_nghiep", home_unit=place.ha_tinh
    )
    vinh = Organisation.objects.create(name="Công ty Nghệ An", kind="doanh_nghiep", home_unit=place.nghe_an)
    decision = Decision.objects.create(
        symbol="1234/QĐ-UBND",
        document_type="quyet_dinh",
        issuer="UBND tỉnh Hà Tĩnh",
        issued_on=datetime.date(2016, 3, 1),
        title="Phân công đỡ đầu",
        province=place.ha_tinh,
    )
    decision_na = Decision.objects.create(
        symbol="99/QĐ-UBND",
        document_type="quyet_dinh",
        issuer="UBND tỉnh Nghệ An",
        issued_on=datetime.date(2016, 3, 1),
        title="Phân công",
        province=place.nghe_an,
    )
    a_lien = Assignment.objects.create(decision=decision, organisation=agri, commune=place.huong_lien, role="do_dau")
    a_phu = Assignment.objects.create(decision=decision, organisation=bank, commune=place.ky_phu, role="do_dau")
    a_nam = Assignment.objects.create(decision=decision_na, organisation=vinh, commune=place.nam_hung, role="do_dau")
    cement, _ = SupportCategory.objects.get_or_create(
        code="xi-mang", defaults={"name": "Xi măng", "kind": "hien_vat", "default_unit": "tấn"}
    )
    day = datetime.date(2017, 5, 1)
    return SimpleNamespace(
        criteria_set=cs,
        c1=c1,
        c2=c2,
        agri=agri,
        bank=bank,
        vinh=vinh,
        decision=decision,
        decision_na=decision_na,
        a_lien=a_lien,
        a_phu=a_phu,
        a_nam=a_nam,
        cement=cement,
        s_lien=SupportRecord.objects.create(
            assignment=a_lien, date=day, category=cement, quantity=10, unit="tấn", value_vnd=15_000_000
        ),
        s_phu=SupportRecord.objects.create(
            assignment=a_phu, date=day, category=cement, quantity=5, unit="tấn", value_vnd=7_500_000
        ),
        s_nam=SupportRecord.objects.create(
            assignment=a_nam, date=day, category=cement, quantity=1, unit="tấn", value_vnd=1_500_000
        ),
        as_lien=make_assessment(place.huong_lien, c1),
        as_phu=make_assessment(place.ky_phu, c1),
        as_nam=make_assessment(place.nam_hung, c1),
    )


@functools.cache
def password_hash():
    """The hash of PASSWORD, computed once: hashing is slow on purpose, eight users per test need not pay it."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


def _user(django_user_model, username, role=None, **place):
    user = django_user_model.objects.create(
        username=username, email=f"{username}@example.vn", password=password_hash(), is_staff=True
    )
    if role is not None:
        user_scope_set(user=user, role=role, **place)
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def people(django_user_model, place, records):
    u = _user
    m = django_user_model
    return SimpleNamespace(
        coordinator=u(m, "dieuphoi", Role.PROVINCE_COORDINATOR, unit=place.ha_tinh),
        huong_khe_clerk=u(m, "huonghke", Role.DISTRICT_CLERK, unit=place.huong_khe),
        ky_anh_clerk=u(m, "kyanh", Role.DISTRICT_CLERK, unit=place.ky_anh),
        commune_clerk=u(m, "huonglien", Role.COMMUNE_CLERK, unit=place.huong_lien),
        sponsor_clerk=u(m, "sonongnghiep", Role.SPONSOR_CLERK, organisation=records.agri),
        viewer=u(m, "xem", Role.VIEWER, unit=place.ha_tinh),
        nghe_an_coordinator=u(m, "nghean", Role.PROVINCE_COORDINATOR, unit=place.nghe_an),
        stranger=u(m, "khach"),
    )
