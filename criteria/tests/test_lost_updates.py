"""The year's sheet never puts back what someone saved on another page since it was opened."""

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from criteria.choices import AssessmentStatus
from criteria.models import Assessment
from criteria.tests.factories import HUYEN_KY_ANH, KY_TIEN, sheet, unit
from ntm_site.accounts.choices import Role
from ntm_site.accounts.services import user_scope_set

pytestmark = pytest.mark.django_db


def clerk(django_user_model, username, role, code, full_name=""):
    # The whole name in first_name, as create_demo_users does (Vietnamese names read family name first).
    user = django_user_model.objects.create_user(username, password="mat-khau-rat-dai-2016", first_name=full_name)
    user_scope_set(user=user, role=role, unit=unit(code))
    return django_user_model.objects.get(pk=user.pk)


def page_form(page, form_id):
    (form,) = lxml.html.fromstring(page.content.decode()).xpath(f'//form[@id="{form_id}"]')
    data = {}
    for key, value in form.form_values():
        if "__prefix__" not in key:
            data.setdefault(key, []).append(value)
    return data


def line_field(data, assessment, name):
    (prefix,) = [k[: -len("-id")] for k, v in data.items() if k.endswith("-id") and v == [str(assessment.pk)]]
    return f"{prefix}-{name}"


@pytest.fixture
def scene(client, django_user_model):
    year = sheet(KY_TIEN, 2017, "1111111111111111101")
    commune = clerk(django_user_model, "xakytien", Role.COMMUNE_CLERK, KY_TIEN, "Nguyễn Thị Lan")
    district = clerk(django_user_model, "huyenkyanh", Role.DISTRICT_CLERK, HUYEN_KY_ANH, "Trần Văn Hùng")
    return year, commune, district


def test_a_district_change_made_while_the_sheet_is_open_is_not_put_back(client, scene):
    year, commune, district = scene
    sheet_url = reverse("admin:criteria_communeyear_change", args=[year.pk])
    result = Assessment.objects.get(commune_year=year, criterion__number=18)
    client.force_login(commune)
    data = page_form(client.get(sheet_url), "communeyear_form")
    data[line_field(data, result, "note")] = ["Xã tự chấm"]

    # Meanwhile the district clerk corrects criterion 18 on the result's own page.
    client.force_login(district)
    result_url = reverse("admin:criteria_assessment_change", args=[result.pk])
    own = page_form(client.get(result_url), "assessment_form")
    own.update(status=[AssessmentStatus.MET], note=["Huyện đã thẩm định lại"])
    assert client.post(result_url, own).status_code == 302

    client.force_login(commune)
    refused = client.post(sheet_url, data)
    assert refused.status_code == 200
    text = lxml.html.fromstring(refused.content.decode()).text_content()
    assert f"“{result}” đã lưu bởi Trần Văn Hùng lúc" in text
    assert "sau khi bạn mở trang" in text
    result.refresh_from_db()
    assert (result.status, result.note) == (AssessmentStatus.MET, "Huyện đã thẩm định lại")


def test_a_sheet_posted_without_the_versions_is_refused(client, scene):
    year, commune, _district = scene
    sheet_url = reverse("admin:criteria_communeyear_change", args=[year.pk])
    result = Assessment.objects.get(commune_year=year, criterion__number=18)
    client.force_login(commune)
    data = page_form(client.get(sheet_url), "communeyear_form")
    data[line_field(data, result, "status")] = [AssessmentStatus.MET]
    stripped = {k: v for k, v in data.items() if not k.endswith("ntm_version")}
    refused = client.post(sheet_url, stripped)
    assert refused.status_code == 200
    assert "không kèm phiên bản" in refused.content.decode()
    result.refresh_from_db()
    assert result.status == AssessmentStatus.NOT_MET
    # The page as the browser sends it saves.
    assert client.post(sheet_url, data).status_code == 302
    result.refresh_from_db()
    assert result.status == AssessmentStatus.MET


def test_the_refusal_gives_the_time_as_day_month_year_hour_minute(client, scene):
    year, commune, district = scene
    sheet_url = reverse("admin:criteria_communeyear_change", args=[year.pk])
    result = Assessment.objects.get(commune_year=year, criterion__number=1)
    client.force_login(commune)
    data = page_form(client.get(sheet_url), "communeyear_form")
    result._history_user = district
    result.save()
    when = result.history.latest("history_id").history_date

    text = client.post(sheet_url, data).content.decode()
    assert timezone.localtime(when).strftime("%d/%m/%Y %H:%M") in text
