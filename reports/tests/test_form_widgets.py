"""The report forms as a clerk fills them in (issue 19, point 6): ticks instead of Ctrl-click, examples that fit."""

import re

import pytest
from django.urls import reverse

from reports import registry

pytestmark = pytest.mark.django_db


def form_of(admin_client, slug, **params) -> str:
    page = admin_client.get(reverse("reports:report", args=[slug]), params).content.decode()
    return page[page.index('class="report-filters"') : page.index("</form>", page.index('class="report-filters"'))]


@pytest.mark.parametrize("slug", registry.slugs())
def test_no_report_parameter_needs_ctrl_click(admin_client, slug):
    """A multiple select ("Hình thức phân công") picks several values only with Ctrl held down."""
    form = form_of(admin_client, slug)
    assert not re.search(r"<select[^>]*\bmultiple\b", form)


def test_the_assignment_forms_are_ticked_and_stay_ticked(admin_client):
    form = form_of(admin_client, "sponsor-scorecard", role=["phu_trach", "do_dau"])
    boxes = dict(re.findall(r'<input type="checkbox" name="role" value="(\w+)"[^>]*?( checked)?>', form))
    assert set(boxes) == {"phu_trach", "do_dau", "ket_nghia", "giup_do"}
    assert {value for value, checked in boxes.items() if checked} == {"phu_trach", "do_dau"}
    assert "Hình thức phân công" in form


def placeholders(form) -> dict[str, str]:
    found = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name, placeholder = re.search(r'name="(\w+)"', tag), re.search(r'placeholder="([^"]*)"', tag)
        if name and placeholder:
            found[name.group(1)] = placeholder.group(1)
    return found


@pytest.mark.parametrize("slug", registry.slugs())
def test_each_place_field_gives_an_example_of_its_own_level(admin_client, slug):
    """Not "ví dụ Huyện Kỳ Anh" in a commune or province field."""
    shown = placeholders(form_of(admin_client, slug))
    expected = {"province": "Tỉnh ", "district": "Huyện ", "commune": "Xã "}
    for name, level_word in expected.items():
        if name in shown:
            assert level_word in shown[name], (name, shown[name])
            assert all(other not in shown[name] for other in expected.values() if other != level_word), shown[name]
    if "area" in shown:
        assert "ví dụ Huyện" not in shown["area"]


def test_a_saved_filter_is_shared_by_ticking_groups(admin_client):
    from django.contrib.auth.models import Group

    office = Group.objects.create(name="Văn phòng thử")
    page = admin_client.get(reverse("admin:reports_savedfilter_add")).content.decode()
    assert f'<input type="checkbox" name="shared_with" value="{office.pk}"' in page
    assert "Control" not in page  # Django's "Giữ phím “Control”…" comes with a multiple select
