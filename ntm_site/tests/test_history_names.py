"""History models read "lịch sử <tên>" ("history of <name>" in English), never simple-history's "historical …".

Every tracked model has a history model; its name shows where permissions are chosen (the user and group
pages list "Có thể xem lịch sử đơn vị hành chính") and wherever a content type is named.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from divisions.models import AdministrativeUnit
from sponsorship.models import SupportRecord

pytestmark = pytest.mark.django_db


def test_a_history_model_is_named_lich_su_and_follows_the_language():
    history = AdministrativeUnit.history.model._meta
    with translation.override("vi"):
        assert (str(history.verbose_name), str(history.verbose_name_plural)) == (
            "lịch sử đơn vị hành chính",
            "lịch sử đơn vị hành chính",
        )
        assert str(SupportRecord.history.model._meta.verbose_name) == "lịch sử kết quả hỗ trợ"
    with translation.override("en"):
        assert str(history.verbose_name) == "history of administrative unit"


def test_permissions_of_history_models_are_named_in_vietnamese():
    perm = Permission.objects.get(codename="view_historicaladministrativeunit")
    assert perm.name == "Có thể xem lịch sử đơn vị hành chính"
    perm = Permission.objects.get(codename="change_historicalsupportrecord")
    assert perm.name == "Có thể sửa lịch sử kết quả hỗ trợ"
    assert not Permission.objects.filter(name__icontains="historical").exists()


def test_the_group_page_lists_history_permissions_as_lich_su(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        page = admin_client.get(reverse("admin:auth_group_add"))
    html = page.content.decode()
    assert "Đơn vị hành chính | lịch sử đơn vị hành chính | Có thể xem lịch sử đơn vị hành chính" in html
    assert "historical" not in html.lower()


def test_the_group_page_in_english_names_history_models_history_of(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override(settings.LANGUAGE_CODE):  # the middleware leaves English active: not for later tests
        html = admin_client.get(reverse("admin:auth_group_add")).content.decode()
    assert "| history of administrative unit |" in html
    assert "historical" not in html.lower()
