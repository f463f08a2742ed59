"""The clerks' pages: the commune-year sheet, the results list and its filters, locked years."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from criteria.choices import AssessmentStatus
from criteria.models import Assessment, CommuneYear, PeriodLock
from criteria.tests.factories import HUYEN_KY_ANH, KY_BAC, KY_LOI, KY_PHU, KY_TIEN, KY_XUAN, sheet, unit
from ntm_site.accounts.choices import Role
from ntm_site.accounts.models import UserScope
from ntm_site.accounts.versions import VERSION_FIELD

SHEETS = reverse("admin:criteria_communeyear_changelist")
RESULTS = reverse("admin:criteria_assessment_changelist")


def sheet_url(commune_year):
    return reverse("admin:criteria_communeyear_change", args=[commune_year.pk])


def formset_data(response):
    """The POST a browser sends back for the sheet page as shown (every line as pre-filled)."""
    context = response.context
    form = context["adminform"].form
    data = {name: ("" if value is None else getattr(value, "pk", value)) for name, value in form.initial.items()}
    if VERSION_FIELD in form.fields:
        data[VERSION_FIELD] = form.fields[VERSION_FIELD].initial
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for line in formset.forms:
            if line.instance.pk is not None and hasattr(formset, "_versions"):
                data[line.add_prefix(VERSION_FIELD)] = formset._versions()[line.instance.pk]
            for name, field in line.fields.items():
                value = line.initial.get(name, field.initial)
                data[f"{line.prefix}-{name}"] = "" if value is None else getattr(value, "pk", value)
    return data


@pytest.fixture
def ky_anh(db):
    return [
        sheet(KY_TIEN, 2017, "1111111111111111101"),
        sheet(KY_XUAN, 2017, "111111-111111111011"),
        sheet(KY_PHU, 2017, "1111000000........."),
        sheet(KY_LOI, 2017, "1" * 19),
        sheet(KY_TIEN, 2016, "0" * 19),
    ]


@pytest.mark.django_db
def test_fix_one_criterion_in_three_clicks_after_searching_without_diacritics(admin_client, ky_anh):
    # Typed search: "ky tien" finds Xã Kỳ Tiến's sheets, newest year first.
    listing = admin_client.get(SHEETS, {"q": "ky tien"})
    rows = list(listing.context["cl"].result_list)
    assert [(r.commune.code, r.year) for r in rows] == [(KY_TIEN, 2017), (KY_TIEN, 2016)]
    assert sheet_url(rows[0]) in listing.content.decode()
    # The set is named as clerks call it, by its decision, in the column and in the filter.
    assert listing.content.decode().count("QĐ 1980/QĐ-TTg") >= 2 and "qd-1980-xa" not in listing.content.decode()
    # Click 1: the 2017 sheet, all 19 criteria on one page.
    page = admin_client.get(sheet_url(rows[0]))
    lines = page.context["inline_admin_formsets"][0].formset.forms
    assert len(lines) == 19
    assert 'type="radio"' in page.content.decode()
    # Click 2: "Đạt" on criterion 18. Click 3: save.
    data = formset_data(page)
    line = next(f for f in lines if f.instance.criterion.number == 18)
    data[f"{line.prefix}-status"] = AssessmentStatus.MET
    saved = admin_client.post(sheet_url(rows[0]), data)
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    result = Assessment.objects.get(commune__code=KY_TIEN, year=2017, criterion__number=18)
    assert result.status == AssessmentStatus.MET
    assert result.assessed_by is not None
    # Only the changed line was written.
    assert Assessment.history.filter(history_type="~").count() == 1


@pytest.mark.django_db
def test_sheet_lists_every_criterion_even_those_not_yet_scored(admin_client, ky_anh):
    phu = ky_anh[2]
    page = admin_client.get(sheet_url(phu))
    lines = page.context["inline_admin_formsets"][0].formset.forms
    assert len(lines) == 19
    shown = [str(line["criterion"]) for line in lines]
    assert "17. Môi trường và an toàn thực phẩm" in page.content.decode()
    assert len(shown) == 19
    data = formset_data(page)
    blank = next(f for f in lines if f.instance.pk is None and f.initial["criterion"] == _criterion_pk(phu, 15))
    data[f"{blank.prefix}-status"] = AssessmentStatus.NOT_APPLICABLE
    assert admin_client.post(sheet_url(phu), data).status_code == 302
    assert phu.assessments.count() == 11  # ten before, criterion 15 added, the other blank lines left alone


def _criterion_pk(commune_year, number):
    return commune_year.criteria_set.criteria.get(number=number).pk


@pytest.mark.django_db
def test_adding_a_sheet_opens_it_with_the_national_set_of_its_year(admin_client):
    response = admin_client.post(
        reverse("admin:criteria_communeyear_add"), {"commune": unit(KY_BAC).pk, "year": 2018, "note": ""}
    )
    commune_year = CommuneYear.objects.get(commune=unit(KY_BAC), year=2018)
    assert commune_year.criteria_set.code == "qd-1980-xa"
    assert response.url == sheet_url(commune_year)
    page = admin_client.get(response.url)
    assert len(page.context["inline_admin_formsets"][0].formset.forms) == 19


@pytest.mark.django_db
def test_adding_a_sheet_for_a_year_the_set_does_not_cover_is_refused(admin_client, ky_anh):
    response = admin_client.post(
        reverse("admin:criteria_communeyear_add"),
        {"commune": unit(KY_BAC).pk, "year": 2023, "criteria_set": ky_anh[0].criteria_set.pk, "note": ""},
    )
    assert response.status_code == 200
    assert "chỉ áp dụng 2016–2020" in str(response.context["adminform"].form.errors["criteria_set"])


@pytest.mark.django_db
def test_locked_year_is_read_only_and_says_why(admin_client, ky_anh):
    PeriodLock.objects.create(province=unit("42"), year=2017, reason="Đã phê duyệt")
    tien = ky_anh[0]
    page = admin_client.get(sheet_url(tien))
    text = page.content.decode()
    assert "Số liệu năm 2017 của Tỉnh Hà Tĩnh đã khóa" in text
    assert 'name="_save"' not in text
    # Saving anyway (a page opened before the lock) is refused, nothing changes.
    assert admin_client.post(sheet_url(tien), {"commune": tien.commune_id, "year": 2017}).status_code == 403
    # Deleting is refused with the reason.
    refused = admin_client.post(reverse("admin:criteria_communeyear_delete", args=[tien.pk]), {"post": "yes"})
    assert refused.status_code == 302
    assert CommuneYear.objects.filter(pk=tien.pk).exists()
    bulk = admin_client.post(
        SHEETS, {"action": "delete_unlocked", "_selected_action": [tien.pk, ky_anh[4].pk], "post": "yes"}, follow=True
    )
    assert "đã khóa" in bulk.content.decode()
    assert CommuneYear.objects.count() == 5
    # Another year of the same commune is open.
    assert 'name="_save"' in admin_client.get(sheet_url(ky_anh[4])).content.decode()


@pytest.mark.django_db
def test_locked_year_refuses_a_new_single_result(admin_client, ky_anh):
    PeriodLock.objects.create(province=unit("42"), year=2017)
    response = admin_client.post(
        reverse("admin:criteria_assessment_add"),
        {
            "commune": unit(KY_BAC).pk,
            "year": 2017,
            "criterion": _criterion_pk(ky_anh[0], 1),
            "status": AssessmentStatus.MET,
            "indicator_values": "{}",
        },
    )
    assert response.status_code == 200
    assert "đã khóa" in str(response.context["adminform"].form.errors)
    assert not Assessment.objects.filter(commune__code=KY_BAC).exists()


@pytest.mark.django_db
def test_single_result_is_filed_under_its_commune_year(admin_client, ky_anh):
    response = admin_client.post(
        reverse("admin:criteria_assessment_add"),
        {
            "commune": unit(KY_BAC).pk,
            "year": 2017,
            "criterion": _criterion_pk(ky_anh[0], 4),
            "status": AssessmentStatus.MET,
            "indicator_values": "{}",
        },
    )
    assert response.status_code == 302
    result = Assessment.objects.get(commune__code=KY_BAC)
    assert (result.commune_year.commune.code, result.commune_year.year) == (KY_BAC, 2017)


def _changelist(model, params, user):
    request = RequestFactory().get("/", params)
    request.user = user
    model_admin = admin.site._registry[model]
    return model_admin.get_changelist_instance(request)


@pytest.mark.django_db
def test_results_filter_by_province_district_year_criterion_status_and_set(superuser, ky_anh):
    def count(**params):
        return _changelist(Assessment, params, superuser).queryset.count()

    total = 19 + 19 + 10 + 19 + 19
    assert count() == total
    assert count(province=unit("42").pk) == total
    assert count(province=unit("42").pk, district=unit(HUYEN_KY_ANH).pk) == total - 19
    assert count(year=2016) == 19
    assert count(year=2017, criterion=17) == 3  # Kỳ Phú has no result for it
    assert count(year=2017, criterion=17, status=AssessmentStatus.NOT_MET) == 1
    assert count(status=AssessmentStatus.NOT_APPLICABLE) == 1
    assert count(criteria_set=ky_anh[0].criteria_set_id) == total
    assert count(criteria_set=ky_anh[0].criteria_set_id + 1000) == 0
    assert count(q="ky xuan") == 19


@pytest.mark.django_db
def test_sheets_list_criteria_met_and_filter_on_it(superuser, ky_anh):
    changelist = _changelist(CommuneYear, {"year": 2017}, superuser)
    met = {cy.commune.code: (cy.met, cy.set_size) for cy in changelist.queryset}
    assert met == {KY_TIEN: (18, 19), KY_XUAN: (18, 19), KY_PHU: (4, 19), KY_LOI: (19, 19)}
    complete = _changelist(CommuneYear, {"year": 2017, "meets_all": "1"}, superuser).queryset
    assert [cy.commune.code for cy in complete] == [KY_LOI]


@pytest.mark.django_db
def test_filters_never_scan_the_results_table_for_their_choices(admin_client, ky_anh):
    page = admin_client.get(RESULTS, {"province": unit("42").pk})
    filters = {str(spec.title): spec for spec in page.context["cl"].filter_specs}
    assert set(filters) == {"tỉnh/thành phố", "quận/huyện", "năm", "tiêu chí", "kết quả", "bộ tiêu chí"}
    assert all(isinstance(spec, admin.SimpleListFilter) or spec.field.choices for spec in filters.values())


def _page_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [RESULTS, SHEETS])
def test_list_pages_do_not_query_per_row(admin_client, url, django_assert_max_num_queries):
    sheet(KY_TIEN, 2017, "1" * 19)
    few = _page_queries(admin_client, url)
    for code in ("18757", "18760", "18763", "18766", "18772", "18778", "18784", "18787", "18790"):
        sheet(code, 2017, "10" * 9 + "1")
    with django_assert_max_num_queries(few):
        admin_client.get(url)


@pytest.mark.django_db
def test_sheet_page_does_not_query_per_line(admin_client, ky_anh, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        admin_client.get(sheet_url(ky_anh[0]))


@pytest.mark.django_db
def test_unlocking_is_a_separate_permission(client, django_user_model, ky_anh):
    lock = PeriodLock.objects.create(province=unit("42"), year=2017)
    clerk = django_user_model.objects.create_user("vanthu", password="x", is_staff=True)
    UserScope.objects.create(user=clerk, role=Role.PROVINCE_COORDINATOR, unit=unit("42"))  # rows of Hà Tĩnh
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_periodlock", "change_periodlock", "add_periodlock"])
    )
    client.force_login(clerk)
    url = reverse("admin:criteria_periodlock_changelist")
    page = client.get(url)
    assert "unlock" not in dict(page.context["action_form"].fields["action"].choices)
    change = client.get(reverse("admin:criteria_periodlock_change", args=[lock.pk]))
    assert "is_locked" not in change.context["adminform"].form.fields  # shown read-only
    client.post(url, {"action": "unlock", "_selected_action": [lock.pk]})
    lock.refresh_from_db()
    assert lock.is_locked

    clerk.user_permissions.add(Permission.objects.get(codename="unlock_periodlock"))
    clerk = django_user_model.objects.get(pk=clerk.pk)
    client.force_login(clerk)
    client.post(url, {"action": "unlock", "_selected_action": [lock.pk]})
    lock.refresh_from_db()
    assert not lock.is_locked
    assert lock.history.first().history_user == clerk


def test_a_2025_commune_shows_no_district_rather_than_its_province(admin_client):
    """The list's "Quận/huyện" column read "Tỉnh Hà Tĩnh" for every commune of the 2025 map, which has no district."""
    import re

    from divisions.models import AdministrativeUnit

    sheet(KY_TIEN, 2017, "1" * 19)
    ky_xuan_2025 = AdministrativeUnit.objects.get(edition="2025", name="Xã Kỳ Xuân")
    sheet(ky_xuan_2025, 2026, "1111111110", set_code="qd-51-2025-xa")
    page = admin_client.get(reverse("admin:criteria_communeyear_changelist")).content.decode()
    cells = re.findall(r'<th class="field-commune[^"]*">(.*?)</th><td class="field-district">(.*?)</td>', page)
    rows = {re.sub(r"<[^>]+>", "", name): re.sub(r"<[^>]+>", "", district).strip() for name, district in cells}
    assert rows == {"Xã Kỳ Tiến, Huyện Kỳ Anh": "Huyện Kỳ Anh", "Xã Kỳ Xuân, Tỉnh Hà Tĩnh": "-"}, rows
    page = admin_client.get(reverse("admin:criteria_assessment_changelist"), {"year": 2026}).content.decode()
    assert '<td class="field-district">-</td>' in page and '<td class="field-district">Tỉnh Hà Tĩnh</td>' not in page


@pytest.mark.django_db
def test_the_commune_group_list_costs_the_same_queries_for_one_commune_or_many(admin_client):
    """Each commune is named with its parent: read with the list's rows, not once per row (2,621 rows nationally)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from criteria.choices import CommuneGroup
    from criteria.models import CommuneClassification

    url = reverse("admin:criteria_communeclassification_changelist")
    counts = []
    for code in (KY_TIEN, KY_PHU, KY_XUAN, KY_BAC):
        CommuneClassification.objects.create(commune=unit(code), group=CommuneGroup.GROUP_2, valid_from_year=2026)
        with CaptureQueriesContext(connection) as queries:
            page = admin_client.get(url)
        assert page.status_code == 200 and unit(code).parent.name in page.content.decode()
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts
