"""Changelist filters offer only the provinces and districts the user may read (superusers: every one).

People and places are those of conftest.py: the clerk of Xã Hương Liên (Huyện Hương Khê, Hà Tĩnh),
the clerk of Huyện Kỳ Anh, the Sở Nông nghiệp's focal point (it sponsors Hương Liên) and the
coordinator of Nghệ An.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from divisions.models import AdministrativeUnit
from meetings.models import FollowUpTask, Meeting
from ntm_site.accounts.scope import readable_places

pytestmark = pytest.mark.django_db

COMMUNE_YEARS = "admin:criteria_communeyear_changelist"
SUPPORT = "admin:sponsorship_supportrecord_changelist"


def filter_choices(client, url_name, parameter, **query):
    """{pk} the filter `parameter` of a changelist offers."""
    response = client.get(reverse(url_name), query)
    assert response.status_code == 200
    # A filter with nothing to offer is left off the page.
    specs = [s for s in response.context["cl"].filter_specs if getattr(s, "parameter_name", "") == parameter]
    return {int(pk) for spec in specs for pk, _label in spec.lookup_choices}


def as_user(client, user):
    client.force_login(user)
    return client


def test_a_commune_clerk_is_offered_their_province_in_both_editions_and_their_district(client, people, place):
    clerk = as_user(client, people.commune_clerk)
    assert filter_choices(clerk, COMMUNE_YEARS, "province") == {place.ha_tinh.pk, place.ha_tinh_2025.pk}
    districts = filter_choices(clerk, COMMUNE_YEARS, "district", province=place.ha_tinh.pk)
    assert districts == {place.huong_khe.pk}


def test_a_district_clerk_is_offered_every_district_of_the_province_they_read(client, people, place):
    clerk = as_user(client, people.ky_anh_clerk)
    assert filter_choices(clerk, COMMUNE_YEARS, "province") == {place.ha_tinh.pk, place.ha_tinh_2025.pk}
    districts = filter_choices(clerk, COMMUNE_YEARS, "district", province=place.ha_tinh.pk)
    assert {place.huong_khe.pk, place.ky_anh.pk} <= districts
    assert districts == set(
        AdministrativeUnit.objects.districts().filter(parent=place.ha_tinh).values_list("pk", flat=True)
    )
    # Another province's districts are not offered, even when its id is put in the URL.
    assert filter_choices(clerk, COMMUNE_YEARS, "district", province=place.nghe_an.pk) == set()


def test_a_sponsor_clerk_is_offered_the_provinces_of_the_communes_it_sponsors(client, people, place):
    clerk = as_user(client, people.sponsor_clerk)
    assert filter_choices(clerk, SUPPORT, "province") == {place.ha_tinh.pk, place.ha_tinh_2025.pk}
    assert filter_choices(clerk, SUPPORT, "district", province=place.ha_tinh.pk) == {place.huong_khe.pk}


def test_another_provinces_coordinator_is_offered_only_their_own(client, people, place):
    nghe_an_2025 = AdministrativeUnit.objects.get(code=place.nghe_an.code, edition="2025")
    coordinator = as_user(client, people.nghe_an_coordinator)
    assert filter_choices(coordinator, SUPPORT, "province") == {place.nghe_an.pk, nghe_an_2025.pk}


def test_a_superuser_is_offered_every_province(admin_client):
    every = set(AdministrativeUnit.objects.provinces().values_list("pk", flat=True))
    assert len(every) > 90  # both editions of the whole country
    assert filter_choices(admin_client, COMMUNE_YEARS, "province") == every


def test_a_user_without_scope_reads_no_place(people):
    assert not readable_places(people.stranger, 1).exists()
    assert not readable_places(people.stranger, 2).exists()


def unit_queries(client, url_name, query):
    """The queries of one changelist page, and those of them that read the unit table (the place filters)."""
    with CaptureQueriesContext(connection) as run:
        assert client.get(reverse(url_name), query).status_code == 200
    units = [q["sql"] for q in run.captured_queries if 'FROM "divisions_administrativeunit"' in q["sql"]]
    return len(run.captured_queries), units


@pytest.mark.parametrize("url_name", [COMMUNE_YEARS, SUPPORT])
def test_the_place_filters_of_a_clerk_cost_what_a_superusers_do(client, superuser, people, place, url_name):
    query = {"province": place.ha_tinh.pk}
    client.force_login(superuser)
    client.get(reverse(url_name), query)
    _total, superuser_units = unit_queries(client, url_name, query)
    clerk = people.commune_clerk if url_name == COMMUNE_YEARS else people.sponsor_clerk
    client.force_login(clerk)
    client.get(reverse(url_name), query)
    total, clerk_units = unit_queries(client, url_name, query)
    # One query per place filter, whoever reads the page (the scope's own queries are the scope's).
    assert len(clerk_units) == len(superuser_units), clerk_units
    assert total <= 20  # the budget of the sponsorship changelists (sponsorship/tests/test_admin.py)


def test_the_decision_filter_offers_only_the_decisions_the_user_reads(client, people, records):
    url = "admin:sponsorship_assignment_changelist"
    coordinator = as_user(client, people.nghe_an_coordinator)
    assert filter_choices(coordinator, url, "decision") == {records.decision_na.pk}
    client.force_login(people.coordinator)
    assert filter_choices(client, url, "decision") == {records.decision.pk}


def test_the_organiser_and_task_owner_filters_offer_only_organisations_the_user_reads(client, people, records):
    for organiser in (records.agri, records.vinh):
        meeting = Meeting.objects.create(
            title=f"Giao ban {organiser}", kind="giao_ban", start=timezone.now(), organiser=organiser
        )
        FollowUpTask.objects.create(meeting=meeting, order=1, text="Rà soát tiêu chí giao thông", owner=organiser)
    coordinator = as_user(client, people.nghe_an_coordinator)
    assert filter_choices(coordinator, "admin:meetings_meeting_changelist", "organiser") == {records.vinh.pk}
    assert filter_choices(coordinator, "admin:meetings_followuptask_changelist", "owner") == {records.vinh.pk}
    client.force_login(people.coordinator)
    assert filter_choices(client, "admin:meetings_meeting_changelist", "organiser") == {records.agri.pk}


@pytest.mark.parametrize("url_name", [COMMUNE_YEARS, SUPPORT, "admin:sponsorship_assignment_changelist"])
def test_the_provinces_of_both_maps_are_listed_under_their_edition(client, people, place, url_name):
    """Tỉnh Hà Tĩnh twice in a row, told apart by a date in brackets: each map gets its heading, today's first."""
    import re

    page = as_user(client, people.commune_clerk).get(reverse(url_name)).content.decode()
    block = page[page.index('data-filter-title="tỉnh/thành phố"') :]
    block = block[: block.index("</details>")]
    items = re.findall(r'<li class="ntm-filter-heading"[^>]*>([^<]+)</li>|<a href="\?province=(\d+)"', block)
    assert items == [
        ("Bản đồ hành chính từ 01/07/2025", ""),
        ("", str(place.ha_tinh_2025.pk)),
        ("Bản đồ hành chính trước 01/07/2025", ""),
        ("", str(place.ha_tinh.pk)),
    ]
