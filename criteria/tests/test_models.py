"""The criteria sets as loaded, and the rules for recording a commune's results."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from criteria import services
from criteria.choices import AssessmentStatus
from criteria.models import Assessment, CommuneYear, CriteriaSet, Criterion, PeriodLock
from criteria.tests.factories import HUYEN_KY_ANH, KY_TIEN, criteria_set, sheet, unit
from divisions.models import AdministrativeUnit


@pytest.mark.django_db
def test_three_national_commune_sets_of_nineteen_criteria_then_qd_51_of_ten_are_loaded():
    sets = CriteriaSet.objects.national_commune().order_by("valid_from_year")
    assert [(s.code, s.valid_from_year, s.valid_to_year) for s in sets] == [
        ("qd-491-xa", 2010, 2015),
        ("qd-1980-xa", 2016, 2020),
        ("qd-318-xa", 2021, 2025),
        ("qd-51-2025-xa", 2026, 2030),
    ]
    qd51 = sets[3]
    assert list(qd51.criteria.values_list("number", flat=True)) == list(range(1, 11))
    assert (qd51.legal_number, qd51.signed_on, qd51.in_force_on, qd51.target_basis) == (
        "51/2025/QĐ-TTg",
        datetime.date(2025, 12, 29),
        datetime.date(2026, 2, 15),
        "group",
    )
    assert qd51.short_label == "QĐ 51/2025/QĐ-TTg"
    for s in sets[:3]:
        assert s.target_basis == "region"
        assert list(s.criteria.values_list("number", flat=True)) == list(range(1, 20))
    names = dict(criteria_set("qd-1980-xa").criteria.values_list("number", "name"))
    assert names[17] == "Môi trường và an toàn thực phẩm"
    assert names[18] == "Hệ thống chính trị và tiếp cận pháp luật"
    assert Criterion.objects.get_by_natural_key("qd-491-xa", 7).name == "Chợ nông thôn"
    assert Criterion.objects.get_by_natural_key("qd-318-xa", 11).name == "Nghèo đa chiều"


@pytest.mark.django_db
def test_the_2026_set_is_qd_51_with_its_ten_criteria():
    qd51 = CriteriaSet.objects.default_for_year(2026)
    assert qd51.code == "qd-51-2025-xa"
    assert qd51.short_label == "QĐ 51/2025/QĐ-TTg"
    names = dict(qd51.criteria.values_list("number", "name"))
    assert list(names) == list(range(1, 11))
    assert names[2] == "Hạ tầng kinh tế - xã hội"
    assert names[10] == "Tiếp cận pháp luật và an ninh, quốc phòng"


@pytest.mark.django_db
def test_criteria_are_grouped_as_the_decisions_group_them():
    groups = dict(criteria_set("qd-1980-xa").criteria.values_list("number", "group"))
    assert groups[1] == "I. Quy hoạch"
    assert {groups[n] for n in range(2, 10)} == {"II. Hạ tầng kinh tế - xã hội"}
    assert {groups[n] for n in range(10, 14)} == {"III. Kinh tế và tổ chức sản xuất"}
    assert {groups[n] for n in range(14, 18)} == {"IV. Văn hóa - xã hội - môi trường"}
    assert {groups[n] for n in (18, 19)} == {"V. Hệ thống chính trị"}


@pytest.mark.django_db
def test_loading_the_fixtures_again_creates_nothing_new():
    before = (CriteriaSet.objects.count(), Criterion.objects.count())
    call_command("load_reference_data", verbosity=0)
    assert (CriteriaSet.objects.count(), Criterion.objects.count()) == before == (4, 67)


@pytest.mark.django_db
def test_a_new_sheet_takes_the_national_set_of_its_year():
    assert CommuneYear.objects.create(commune=unit(KY_TIEN), year=2014).criteria_set.code == "qd-491-xa"
    assert CommuneYear.objects.create(commune=unit(KY_TIEN), year=2017).criteria_set.code == "qd-1980-xa"


@pytest.mark.django_db
def test_a_result_follows_its_commune_year():
    commune_year = CommuneYear.objects.create(commune=unit(KY_TIEN), year=2017)
    result = Assessment(
        commune_year=commune_year, criterion=criteria_set().criteria.get(number=2), status=AssessmentStatus.MET
    )
    result.save()
    assert (result.commune, result.year) == (unit(KY_TIEN), 2017)


@pytest.mark.django_db
def test_one_result_per_commune_criterion_and_year():
    sheet(KY_TIEN, 2017, "1")
    commune_year = CommuneYear.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            commune_year=commune_year, criterion=criteria_set().criteria.get(number=1), status=AssessmentStatus.NOT_MET
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CommuneYear.objects.create(commune=unit(KY_TIEN), year=2017, criteria_set=criteria_set())


@pytest.mark.django_db
def test_commune_that_did_not_exist_that_year_cannot_be_assessed():
    later = AdministrativeUnit.objects.create(
        code="99002", name="Xã Lập Mới", kind="xa", parent=unit(HUYEN_KY_ANH), valid_from=datetime.date(2020, 1, 1)
    )
    problems = services.commune_year_problems(commune=later, year=2017, criteria_set=criteria_set())
    assert "không tồn tại trong năm 2017" in str(problems["commune"])
    assert services.commune_year_problems(commune=later, year=2020, criteria_set=criteria_set()) == {}
    district = services.commune_year_problems(commune=unit(HUYEN_KY_ANH), year=2017, criteria_set=criteria_set())
    assert "không phải đơn vị cấp xã" in str(district["commune"])


@pytest.mark.django_db
def test_year_outside_the_sets_validity_is_refused():
    problems = services.commune_year_problems(commune=unit(KY_TIEN), year=2022, criteria_set=criteria_set())
    assert "2016–2020" in str(problems["criteria_set"])
    problems = services.commune_year_problems(commune=unit(KY_TIEN), year=2009, criteria_set=None)
    assert "năm 2009" in str(problems["criteria_set"])


@pytest.mark.django_db
def test_locked_year_refuses_new_results_and_says_why():
    PeriodLock.objects.create(province=unit("42"), year=2017, reason="Đã phê duyệt")
    with pytest.raises(ValidationError) as refused:
        services.commune_year_get_or_create(commune=unit(KY_TIEN), year=2017)
    assert "Số liệu năm 2017 của Tỉnh Hà Tĩnh đã khóa" in str(refused.value)
    assert services.commune_year_get_or_create(commune=unit(KY_TIEN), year=2016).year == 2016


@pytest.mark.django_db
def test_unlocking_needs_its_own_permission_and_is_kept_in_history(django_user_model):
    lock = services.period_lock_lock(province=unit("42"), year=2017, user=None, reason="Đã phê duyệt")
    clerk = django_user_model.objects.create_user("canbo", password="x", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="change_periodlock"))
    with pytest.raises(PermissionDenied):
        services.period_lock_unlock(lock=lock, user=clerk)
    chief = django_user_model.objects.create_user("truongphong", password="x", is_staff=True)
    chief.user_permissions.add(Permission.objects.get(codename="unlock_periodlock"))
    services.period_lock_unlock(lock=lock, user=chief, reason="Sửa số liệu xã Kỳ Tiến")
    lock.refresh_from_db()
    assert not lock.is_locked
    latest = lock.history.first()
    assert latest.history_user == chief
    assert latest.history_change_reason == "Mở khóa số liệu năm: Sửa số liệu xã Kỳ Tiến"
    assert [h.is_locked for h in lock.history.all()] == [False, True]
    assert services.lock_for(commune=unit(KY_TIEN), year=2017) is None


@pytest.mark.django_db
def test_lock_again_after_an_unlock():
    lock = services.period_lock_lock(province=unit("42"), year=2017, user=None)
    lock.is_locked = False
    lock.save()
    again = services.period_lock_lock(province=unit("42"), year=2017, user=None)
    assert again.pk == lock.pk and again.is_locked
    assert PeriodLock.objects.count() == 1


@pytest.mark.django_db
def test_a_recognition_dated_before_its_commune_existed_is_refused():
    """Xã Kỳ Xuân of the 2025 map exists from 01/07/2025: a 2024 decision cannot recognise it."""
    from django.core.exceptions import ValidationError

    from criteria.models import CriteriaSet, Recognition
    from divisions.models import AdministrativeUnit

    ky_xuan = AdministrativeUnit.objects.get(edition="2025", name="Xã Kỳ Xuân")
    recognition = Recognition(
        commune=ky_xuan,
        criteria_set=CriteriaSet.objects.get(code="qd-318-xa"),
        decision_number="12/QĐ-UBND",
        decision_date=datetime.date(2024, 12, 20),
        year=2024,
    )
    with pytest.raises(ValidationError) as refused:
        recognition.full_clean()
    assert "Xã Kỳ Xuân, Tỉnh Hà Tĩnh có từ ngày 01/07/2025" in refused.value.message_dict["decision_date"][0]
    recognition.decision_date = datetime.date(2025, 12, 20)
    recognition.year = 2025
    recognition.full_clean()
