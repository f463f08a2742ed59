"""Every autocomplete of the real admin, for every role, from both sides of the boundary.

The fields are discovered from the admin registry (ModelAdmins and their inlines), so a new
autocomplete field without a case below fails `test_every_autocomplete_field_has_a_scope_case`.

A case says, per role, what a search must offer (inside) and must never offer (outside); a
role missing from a case cannot write the form's model and gets 403. The people are those of
conftest.py: the coordinator of Hà Tĩnh, the clerk of Huyện Kỳ Anh, the clerk of Xã Hương Liên
(Huyện Hương Khê), the focal point of the Sở Nông nghiệp (which sponsors Hương Liên) and a viewer.
"""

import datetime
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from criteria.models import CriteriaSet, Criterion
from divisions.models import AdministrativeUnit
from meetings.models import Meeting, Person
from ntm_site.accounts.roles import PROJECT_APPS
from ntm_site.tests.autocomplete import options
from sponsorship.models import Activity

pytestmark = pytest.mark.django_db

COORDINATOR, DISTRICT, COMMUNE, SPONSOR, VIEWER = (
    "coordinator",
    "ky_anh_clerk",
    "commune_clerk",
    "sponsor_clerk",
    "viewer",
)
ROLES = (COORDINATOR, DISTRICT, COMMUNE, SPONSOR, VIEWER)


def autocomplete_fields():
    """{(source model label, field name)} of every autocomplete field of the admin site, inlines included."""
    found = set()
    for model, model_admin in admin.site._registry.items():
        sources = [(model, model_admin.autocomplete_fields)]
        sources += [(inline.model, inline.autocomplete_fields) for inline in model_admin.inlines]
        for source, names in sources:
            if source._meta.app_label in PROJECT_APPS:
                found.update((source._meta.label_lower, name) for name in names)
    return found


def case(**by_role):
    """{role: (inside names, outside names)}; a name is an attribute of the `targets` fixture."""
    return {role: (tuple(inside.split()), tuple(outside.split())) for role, (inside, outside) in by_role.items()}


# Units of the commune records: the commune must be the user's to write (the clerk's district, their commune).
COMMUNE_OF_A_RECORD = case(
    coordinator=("ky_phu huong_lien", "nam_hung"),
    ky_anh_clerk=("ky_phu", "huong_lien nam_hung"),
    commune_clerk=("huong_lien", "ky_phu nam_hung"),
)
COMMUNE_OF_A_PLAN = case(coordinator=("ky_phu huong_lien", "nam_hung"), ky_anh_clerk=("ky_phu", "huong_lien nam_hung"))
# A coordinator's province in both editions, never another province.
PROVINCE = case(coordinator=("ha_tinh ha_tinh_2025", "nghe_an"))
# Organisations a Hà Tĩnh coordinator reads (picked on records whose scope is decided elsewhere).
ORGANISATION = case(coordinator=("agri bank", "vinh"))
DECISION = case(coordinator=("decision", "decision_na"))
SUPERUSER_ONLY = {}

CASES = {
    # Divisions and user scopes are reference data and people: superusers only.
    ("divisions.administrativeunit", "parent"): SUPERUSER_ONLY,
    ("divisions.unitsuccession", "predecessor"): SUPERUSER_ONLY,
    ("divisions.unitsuccession", "successor"): SUPERUSER_ONLY,
    ("accounts.userscope", "unit"): SUPERUSER_ONLY,
    # Criteria: national sets are the superuser's; a province writes its own.
    ("criteria.criteriaset", "province"): PROVINCE,
    ("criteria.indicator", "criterion"): case(coordinator=("ht_criterion", "c1 na_criterion")),
    ("criteria.periodlock", "province"): PROVINCE,
    ("criteria.communeyear", "commune"): COMMUNE_OF_A_RECORD,
    ("criteria.assessment", "commune"): COMMUNE_OF_A_RECORD,
    ("criteria.target", "commune"): COMMUNE_OF_A_PLAN,
    ("criteria.recognition", "commune"): case(coordinator=("ky_phu huong_lien", "nam_hung")),
    ("criteria.communeclassification", "commune"): case(coordinator=("ky_phu huong_lien", "nam_hung")),
    ("criteria.evidence", "commune_year"): case(
        coordinator=("cy_lien cy_phu", "cy_nam"),
        ky_anh_clerk=("cy_phu", "cy_lien cy_nam"),
        commune_clerk=("cy_lien", "cy_phu cy_nam"),
    ),
    # The criterion of a piece of evidence is reference data: the commune-year decides the scope.
    ("criteria.evidence", "criterion"): case(coordinator=("c1", ""), ky_anh_clerk=("c1", ""), commune_clerk=("c1", "")),
    # Sponsorship: the province's coordinator manages decisions, organisations and assignments.
    ("sponsorship.organisation", "parent"): ORGANISATION,
    ("sponsorship.organisation", "home_unit"): PROVINCE,
    ("sponsorship.decision", "province"): PROVINCE,
    ("sponsorship.decision", "amends"): DECISION,
    ("sponsorship.assignment", "decision"): DECISION,
    ("sponsorship.assignment", "organisation"): ORGANISATION,
    ("sponsorship.assignment", "commune"): case(coordinator=("ky_phu huong_lien", "nam_hung")),
    # Support of a sponsor: the assignment must be in the district, or the sponsor's own.
    ("sponsorship.supportrecord", "assignment"): case(
        coordinator=("a_lien a_phu", "a_nam"),
        ky_anh_clerk=("a_phu", "a_lien a_nam"),
        sponsor_clerk=("a_lien", "a_phu a_nam"),
    ),
    ("sponsorship.initiative", "assignment"): case(
        coordinator=("a_lien a_phu", "a_nam"), sponsor_clerk=("a_lien", "a_phu a_nam")
    ),
    ("sponsorship.activity", "assignment"): case(
        coordinator=("a_lien a_phu", "a_nam"), sponsor_clerk=("a_lien", "a_phu a_nam")
    ),
    ("sponsorship.proposal", "activity"): case(
        coordinator=("act_lien act_phu", "act_nam"), sponsor_clerk=("act_lien", "act_phu act_nam")
    ),
    # A sponsor proposes to organisations it can read: its own (the others of the province are not its business).
    ("sponsorship.proposal", "addressee"): case(coordinator=("agri bank", "vinh"), sponsor_clerk=("agri", "bank vinh")),
    # Meetings belong to their organiser's province; the coordinator keeps the minutes.
    ("meetings.meeting", "organiser"): ORGANISATION,
    ("meetings.meeting", "decisions"): DECISION,
    ("meetings.meeting", "bridge_units"): case(coordinator=("ky_phu", "")),
    ("meetings.participation", "person"): case(coordinator=("person", "")),
    ("meetings.participation", "organisation"): ORGANISATION,
    ("meetings.speech", "criteria"): case(coordinator=("c1", "")),
    ("meetings.followuptask", "meeting"): case(coordinator=("meeting_ht", "meeting_na")),
    ("meetings.followuptask", "owner"): ORGANISATION,
    ("meetings.followuptask", "communes"): case(coordinator=("ky_phu", "")),
    ("meetings.followuptask", "criteria"): case(coordinator=("c1", "")),
}


@pytest.fixture
def targets(place, records):
    """The records the cases name: Hà Tĩnh's (Hương Liên, Kỳ Phú) and Nghệ An's (Nam Hưng)."""

    def provincial_criterion(code, province):
        cs = CriteriaSet.objects.create(
            code=code, name=f"Bộ tiêu chí {province.name}", valid_from_year=2016, is_national=False, province=province
        )
        return Criterion.objects.create(criteria_set=cs, number=1, name=f"Giao thông {province.name}")

    def activity(assignment):
        return Activity.objects.create(assignment=assignment, kind="tham", date=datetime.date(2017, 6, 1))

    def meeting(code, organiser):
        return Meeting.objects.create(
            code=code, title=f"Giao ban {organiser}", kind="giao_ban", start=timezone.now(), organiser=organiser
        )

    return SimpleNamespace(
        **vars(place),
        **vars(records),
        cy_lien=records.as_lien.commune_year,
        cy_phu=records.as_phu.commune_year,
        cy_nam=records.as_nam.commune_year,
        ht_criterion=provincial_criterion("bo-ha-tinh", place.ha_tinh),
        na_criterion=provincial_criterion("bo-nghe-an", place.nghe_an),
        act_lien=activity(records.a_lien),
        act_phu=activity(records.a_phu),
        act_nam=activity(records.a_nam),
        meeting_ht=meeting("HN-HT", records.agri),
        meeting_na=meeting("HN-NA", records.vinh),
        person=Person.objects.create(name="Nguyễn Văn Đỡ Đầu"),
    )


def autocomplete_url(field, term=""):
    label, field_name = field
    app_label, model_name = label.split(".")
    query = {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term}
    return reverse("admin:autocomplete") + "?" + urlencode(query)


def search_term(obj):
    # Units, criteria, people and organisations are many or alike: search each by its name (and a unit's code).
    if isinstance(obj, AdministrativeUnit):
        return f"{obj.name} {obj.code}"
    return getattr(obj, "name", "")


def offered(client, field, obj):
    response = client.get(autocomplete_url(field, search_term(obj)))
    assert response.status_code == 200, (field, obj, response.status_code)
    return {int(r["id"]) for r in options(response)}


def test_every_autocomplete_field_has_a_scope_case():
    assert autocomplete_fields() == set(CASES), "add a case for each new autocomplete field (or drop the old one)"


@pytest.mark.parametrize("field", sorted(CASES), ids="{0[0]}.{0[1]}".format)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_offered_what_keeps_the_row_in_its_write_scope(client, people, targets, field, role):
    client.force_login(getattr(people, role))
    expected = CASES[field].get(role)
    if expected is None:
        # The role cannot write this model: no list, whatever it searches.
        assert client.get(autocomplete_url(field)).status_code == 403
        return
    inside, outside = expected
    for name in inside:
        obj = getattr(targets, name)
        assert obj.pk in offered(client, field, obj), f"{role} should be offered {name} for {field}"
    for name in outside:
        obj = getattr(targets, name)
        assert obj.pk not in offered(client, field, obj), f"{role} must not be offered {name} for {field}"


@pytest.mark.parametrize("field", sorted(CASES), ids="{0[0]}.{0[1]}".format)
def test_anonymous_visitors_get_no_autocomplete(client, field):
    response = client.get(autocomplete_url(field))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("field", sorted(CASES), ids="{0[0]}.{0[1]}".format)
def test_superusers_are_offered_what_any_role_is_offered_or_refused(admin_client, targets, field):
    # Nothing narrows a superuser's choices: what any role is offered or refused, and (superuser-only
    # fields, all pointing at units) a province.
    names = {name for inside, outside in CASES[field].values() for name in (*inside, *outside)} or {"ha_tinh"}
    for name in names:
        obj = getattr(targets, name)
        assert obj.pk in offered(admin_client, field, obj), f"a superuser should be offered {name} for {field}"
