import json

import pytest
from django.urls import reverse

from divisions.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("huong lien", "Xã Hương Liên"), ("dong ha", "Thành phố Đông Hà"), ("ĐÔNG HÀ", "Thành phố Đông Hà")],
)
def test_search_without_diacritics_finds_the_unit_first(typed, expected):
    assert AdministrativeUnit.objects.search(typed).first().name == expected


def test_word_starts_only_phuong_is_not_huong():
    names = set(AdministrativeUnit.objects.search("huong lien").values_list("name", flat=True))
    assert not any(name.startswith("Phường") and "Hương" not in name for name in names)


def test_changelist_search_box(admin_client):
    url = reverse("admin:divisions_administrativeunit_changelist")
    page = admin_client.get(url, {"q": "huong lien"}).content.decode()
    assert "Xã Hương Liên" in page


def test_autocomplete_endpoint_finds_units_without_diacritics(admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "huong lien",
            "app_label": "divisions",
            "model_name": "unitsuccession",
            "field_name": "predecessor",
        },
    )
    assert response.status_code == 200
    results = json.loads(response.content)["results"]
    assert results[0]["text"].startswith("Xã Hương Liên")


def test_unit_change_page_shows_children_and_lineage(admin_client):
    district = AdministrativeUnit.objects.get(name="Huyện Hương Khê", edition="legacy")
    page = admin_client.get(reverse("admin:divisions_administrativeunit_change", args=[district.pk])).content.decode()
    assert "Xã Hương Liên" in page
    commune = AdministrativeUnit.objects.get(name="Xã Hương Liên", parent=district)
    page = admin_client.get(reverse("admin:divisions_administrativeunit_change", args=[commune.pk])).content.decode()
    assert "trở thành các đơn vị" in page.lower() or "Trở thành các đơn vị" in page


def test_changelist_filters_by_province_and_validity(admin_client):
    province = AdministrativeUnit.objects.get(name="Tỉnh Hà Tĩnh", edition="legacy")
    url = reverse("admin:divisions_administrativeunit_changelist")
    response = admin_client.get(url, {"province": province.pk, "level__exact": 2, "valid_on": "2019-05-22"})
    page = response.content.decode()
    assert "Huyện Kỳ Anh" in page and "Thị xã Kỳ Anh" in page
    assert "Huyện Can Lộc" in page
