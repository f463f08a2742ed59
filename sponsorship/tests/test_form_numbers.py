"""Money and quantities typed in the admin as Vietnamese clerks write them (issue 19, point 1)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sponsorship.models import SupportRecord
from sponsorship.tests.factories import AssignmentFactory
from sponsorship.tests.test_admin import support_form


@pytest.mark.django_db
def test_ten_million_typed_with_dots_is_saved_as_ten_million(admin_client):
    """A sponsor clerk typed "10.000.000" and the record was saved as 10 đồng."""
    assignment = AssignmentFactory()
    saved = admin_client.post(
        reverse("admin:sponsorship_supportrecord_add"),
        support_form(assignment, date="10/05/2017", value_vnd="10.000.000", quantity="7,5"),
    )
    assert saved.status_code == 302
    record = SupportRecord.objects.get()
    assert record.value_vnd == 10_000_000
    assert record.quantity == Decimal("7.5")


@pytest.mark.django_db
def test_the_form_shows_ten_million_and_seven_as_clerks_write_them(admin_client):
    assignment = AssignmentFactory()
    admin_client.post(
        reverse("admin:sponsorship_supportrecord_add"),
        support_form(assignment, date="10/05/2017", value_vnd="10000000", quantity="7"),
    )
    page = admin_client.get(reverse("admin:sponsorship_supportrecord_change", args=[SupportRecord.objects.get().pk]))
    html = page.content.decode()
    assert 'name="value_vnd" value="10.000.000"' in html
    assert 'name="quantity" value="7"' in html
    assert "7.00" not in html and "7,00" not in html
    assert 'type="number"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("value_vnd", "10.000.00", "Không đọc được số “10.000.00”"),
        ("value_vnd", "10,5", "chỉ nhận số nguyên"),
        ("value_vnd", "mười triệu", "Không đọc được số"),
        ("quantity", "7,555", "không tự làm tròn"),
    ],
)
def test_a_number_that_cannot_be_read_is_refused_with_a_message(admin_client, field, typed, message):
    assignment = AssignmentFactory()
    refused = admin_client.post(
        reverse("admin:sponsorship_supportrecord_add"), support_form(assignment, date="10/05/2017", **{field: typed})
    )
    assert refused.status_code == 200
    assert message in refused.context["adminform"].form.errors[field][0]
    assert f'value="{typed}"' in refused.content.decode()  # shown back as typed, to correct
    assert not SupportRecord.objects.exists()


@pytest.mark.django_db
def test_the_criteria_a_support_record_served_are_listed_under_their_set(admin_client, national_sets):
    """57 options in a row, "1. Quy hoạch" three times with nothing to tell the sets apart."""
    import re

    from criteria.models import CriteriaSet

    html = admin_client.get(reverse("admin:sponsorship_supportrecord_add")).content.decode()
    select = html[html.index('name="criterion"') : html.index("</select>", html.index('name="criterion"'))]
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    sets = CriteriaSet.objects.filter(criteria__isnull=False).distinct()
    assert sorted(groups) == sorted(str(s) for s in sets)
    assert len(groups) >= 3
