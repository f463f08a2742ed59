import json

import pytest
from django.urls import reverse

from divisions.models import AdministrativeUnit
from ntm_site.tests.autocomplete import headings, options

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
    texts = [r["text"] for r in options(response)]
    # Units in force today first (Hương Liên merged on 01/07/2025), then the ended ones, phrase matches first.
    in_force = [t for t in texts if "(từ 01/07/2025)" in t]
    assert texts[: len(in_force)] == in_force and in_force
    assert texts[len(in_force)] == "Xã Hương Liên, Huyện Hương Khê (đến 30/06/2025)"


def test_a_picker_offers_the_2025_unit_before_the_ended_one_with_its_edition(admin_client):
    """Typing "ky xuan" and Enter takes today's Xã Kỳ Xuân, not the one of Huyện Kỳ Anh that ended."""
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "ky xuan", "app_label": "criteria", "model_name": "communeyear", "field_name": "commune"},
    )
    texts = [r["text"] for r in options(response)]
    assert texts[0] == "Xã Kỳ Xuân, Tỉnh Hà Tĩnh (từ 01/07/2025)"
    assert "Xã Kỳ Xuân, Huyện Kỳ Anh (đến 30/06/2025)" in texts[1:]


def test_the_units_list_offers_the_provinces_of_one_edition_at_a_time(admin_client):
    url = reverse("admin:divisions_administrativeunit_changelist")
    spec = {f.title: f for f in admin_client.get(url).context["cl"].filter_specs}
    provinces = [label for _value, label in spec["tỉnh/thành phố"].lookup_choices]
    assert len(provinces) == 34 and "Tỉnh Hà Tĩnh (từ 01/07/2025)" in provinces
    spec = {f.title: f for f in admin_client.get(url, {"edition__exact": "legacy"}).context["cl"].filter_specs}
    provinces = [label for _value, label in spec["tỉnh/thành phố"].lookup_choices]
    assert len(provinces) == 63 and "Tỉnh Hà Tĩnh (đến 30/06/2025)" in provinces


def test_unit_change_page_shows_children_and_lineage(admin_client):
    district = AdministrativeUnit.objects.get(name="Huyện Hương Khê", edition="legacy")
    page = admin_client.get(reverse("admin:divisions_administrativeunit_change", args=[district.pk])).content.decode()
    assert "Xã Hương Liên" in page
    commune = AdministrativeUnit.objects.get(name="Xã Hương Liên", parent=district)
    page = admin_client.get(reverse("admin:divisions_administrativeunit_change", args=[commune.pk])).content.decode()
    # A commune's lineage is a section of its dossier (divisions.dossier), whose link opens the lines to edit.
    assert 'id="dossier-lineage"' in page and "Trở thành" in page
    assert reverse("admin:divisions_unitsuccession_changelist") + f"?commune={commune.pk}" in page


def test_changelist_filters_by_province_and_validity(admin_client):
    province = AdministrativeUnit.objects.get(name="Tỉnh Hà Tĩnh", edition="legacy")
    url = reverse("admin:divisions_administrativeunit_changelist")
    response = admin_client.get(url, {"province": province.pk, "level__exact": 2, "valid_on": "2019-05-22"})
    page = response.content.decode()
    assert "Huyện Kỳ Anh" in page and "Thị xã Kỳ Anh" in page
    assert "Huyện Can Lộc" in page


def test_a_unit_picker_lists_the_units_under_their_edition(admin_client):
    """Two "Xã Kỳ Xuân" in a row told apart only by a date in brackets: each map gets its own heading."""
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "ky xuan", "app_label": "sponsorship", "model_name": "assignment", "field_name": "commune"},
    )
    assert headings(response) == ["Bản đồ hành chính từ 01/07/2025", "Bản đồ hành chính trước 01/07/2025"]
    groups = {g["text"]: [o["text"] for o in g["children"]] for g in json.loads(response.content)["results"]}
    assert groups["Bản đồ hành chính từ 01/07/2025"][0] == "Xã Kỳ Xuân, Tỉnh Hà Tĩnh (từ 01/07/2025)"
    assert "Xã Kỳ Xuân, Huyện Kỳ Anh (đến 30/06/2025)" in groups["Bản đồ hành chính trước 01/07/2025"]


def test_units_added_by_hand_have_their_own_heading_and_an_ended_one_says_so():
    import datetime

    from divisions.choices import Edition

    province = AdministrativeUnit.objects.get(code="42", edition=Edition.LEGACY)
    AdministrativeUnit.objects.create(
        code="99901", name="Xã Thử Nghiệm", kind="xa", parent=province, valid_from=datetime.date(2016, 1, 1),
        valid_to=datetime.date(2019, 12, 31),
    )  # fmt: skip
    (heading, units), *others = AdministrativeUnit.objects.filter(search_key__contains="thu nghiem").edition_choices()
    assert heading == "Đơn vị bổ sung thủ công (đã hết hiệu lực)" and not others
    assert [label for _pk, label in units] == ["Xã Thử Nghiệm, Tỉnh Hà Tĩnh (đến 31/12/2019)"]
    both = AdministrativeUnit.objects.filter(name="Tỉnh Hà Tĩnh").edition_choices("name")
    assert [heading for heading, _units in both] == [
        "Bản đồ hành chính từ 01/07/2025",
        "Bản đồ hành chính trước 01/07/2025",
    ]
