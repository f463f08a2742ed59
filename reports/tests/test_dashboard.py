"""The admin index for the current year (04/12/2026): a work list first, then the figures, per role.

A demo-like Hà Tĩnh on the 2025 map: the 2025 commune that Xã Kỳ Bắc became (S, merged from several
legacy communes, every one of them recognised before 01/07/2025), Xã Kỳ Anh (K, which Kỳ Tiến and
Kỳ Giang became: only Kỳ Tiến recognised), and a 2026 season: S draft and returned, K submitted,
a third commune approved with every criterion met.
"""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse

from criteria.choices import ApprovalStatus, RecognitionAction
from criteria.models import CommuneYear, Recognition
from criteria.tests.factories import KY_BAC, criteria_set, sheet, unit
from divisions.models import AdministrativeUnit, UnitSuccession
from ntm_site import dashboard
from ntm_site.accounts.choices import Role
from ntm_site.accounts.services import user_scope_set
from ntm_site.models import ImportBatch

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 12, 4)
TEN = "1" * 10
AT = datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.UTC)


def recognise(commune, day, set_code="qd-1980-xa", action=RecognitionAction.RECOGNISE, number=None):
    return Recognition.objects.create(
        commune=commune,
        criteria_set=criteria_set(set_code),
        action=action,
        decision_number=number or f"{commune.code}/{day:%Y%m%d}",
        decision_date=day,
        year=day.year,
    )


def predecessors(successor):
    return [s.predecessor for s in UnitSuccession.objects.filter(successor=successor, is_main=True)]


@pytest.fixture
def season(db):
    ha_tinh = AdministrativeUnit.objects.get(code="42", edition="2025")
    s = UnitSuccession.objects.get(predecessor=unit(KY_BAC), is_main=True).successor
    k = AdministrativeUnit.objects.get(name="Xã Kỳ Anh", edition="2025", province=ha_tinh)
    third = AdministrativeUnit.objects.within(ha_tinh).filter(level=3).exclude(pk__in=[s.pk, k.pk]).first()
    for p in predecessors(s):
        recognise(p, D(2019, 1, 15))
    recognise(unit("18769"), D(2018, 1, 15))  # Kỳ Tiến, of K; Kỳ Giang never
    draft = sheet(s, 2026, "1" * 9 + "0", "qd-51-2025-xa")
    CommuneYear.objects.filter(pk=draft.pk).update(returned_reason="Thiếu minh chứng tiêu chí 10")
    sheet(k, 2026, TEN, "qd-51-2025-xa")
    CommuneYear.objects.filter(commune=k).update(approval_status=ApprovalStatus.SUBMITTED)
    sheet(third, 2026, TEN, "qd-51-2025-xa", approved=True)
    recognise(third, D(2026, 11, 20), "qd-51-2025-xa", number="QĐ-2026")
    return {"province": ha_tinh, "s": s, "k": k, "third": third}


def person(django_user_model, name, role=None, **place):
    user = django_user_model.objects.create_user(name, password="x", is_staff=True)
    if role:
        user_scope_set(user=user, role=role, **place)
    return django_user_model.objects.get(pk=user.pk)  # fresh permission caches


def entries(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    panels = dashboard.build(request, TODAY)
    return {
        section: {e.key: (e.value, e.total) if e.total is not None else e.value for p in ps for e in p.entries}
        for section, ps in panels.items()
    }


def test_the_province_coordinator_sees_69_communes_and_what_waits_for_the_province(season, django_user_model):
    coordinator = person(django_user_model, "dieuphoi", Role.PROVINCE_COORDINATOR, unit=season["province"])
    seen = entries(coordinator)
    # S carried (every commune merged into it was recognised); the third by its approved sheet; K not.
    assert seen["figures"]["reached"] == (2, 69)
    assert seen["figures"]["sheets-draft"] == 1 and seen["figures"]["sheets-submitted"] == 1
    assert seen["figures"]["sheets-approved"] == 1 and "sheets-verified" not in seen["figures"]
    assert seen["figures"]["recognitions"] == 1
    # The 2025 map has no district: the submitted sheet of K waits for the province.
    assert seen["work"]["to-approve"] == 1 and seen["work"]["returned"] == 1


def test_the_old_maps_figure_is_labelled_as_such(season, django_user_model):
    coordinator = person(django_user_model, "dieuphoi", Role.PROVINCE_COORDINATOR, unit=season["province"])
    legacy_units = AdministrativeUnit.objects.filter(province__code="42", edition="legacy", level=3).count()
    reached, total = entries(coordinator)["figures"]["reached-legacy"]
    assert (reached, total) == (len(predecessors(season["s"])) + 1, legacy_units)
    request = RequestFactory().get("/admin/")
    request.user = coordinator
    panel = next(p for p in dashboard.build(request, TODAY)["figures"] if p.key == "criteria-figures")
    note = next(e.note for e in panel.entries if e.key == "reached-legacy")
    assert f"{reached} trong {total} đơn vị cấp xã của bản đồ cũ, ngày 30/06/2025" == str(note)


def test_a_commune_clerk_sees_their_commune_and_their_returned_sheet(season, django_user_model):
    clerk = person(django_user_model, "xa", Role.COMMUNE_CLERK, unit=season["s"])
    seen = entries(clerk)
    assert seen["figures"]["reached"] == (1, 1)
    assert seen["work"]["to-submit"] == 1 and seen["work"]["returned"] == 1
    assert "to-approve" not in seen["work"] and "overdue-tasks" not in seen["work"]
    assert seen["figures"]["sheets-submitted"] == 0  # K is not theirs


def test_a_user_without_scope_sees_nothing_and_a_superuser_sees_the_country(season, django_user_model, superuser):
    stranger = person(django_user_model, "la")
    assert entries(stranger)["figures"].get("reached", (0, 0)) == (0, 0)
    everything = entries(superuser)["figures"]
    assert everything["reached"] == (2, 3321)


def test_my_imports_are_listed_for_me_only(season, django_user_model):
    clerk = person(django_user_model, "xa", Role.COMMUNE_CLERK, unit=season["s"])
    other = person(django_user_model, "xa2", Role.COMMUNE_CLERK, unit=season["k"])
    ImportBatch.objects.create(template="assessments-wide", user=clerk, started_at=AT)
    ImportBatch.objects.create(template="assessments-wide", user=clerk, status=ImportBatch.Status.FAILED, started_at=AT)
    assert entries(clerk)["work"]["my-imports"] == 2
    assert "my-imports" not in entries(other)["work"]


def test_my_background_jobs_are_counted_for_me_only(season, django_user_model):
    from ntm_site.models import Job

    clerk = person(django_user_model, "xa", Role.COMMUNE_CLERK, unit=season["s"])
    other = person(django_user_model, "xa2", Role.COMMUNE_CLERK, unit=season["k"])
    Job.objects.create(kind=Job.Kind.IMPORT, handler="spreadsheets.import", label="a", user=clerk)
    Job.objects.create(
        kind=Job.Kind.DOWNLOAD,
        handler="reports.download",
        label="b",
        user=clerk,
        state=Job.State.DONE,
        result_file="jobs/out/b.xlsx",
    )
    Job.objects.create(kind=Job.Kind.IMPORT, handler="spreadsheets.import", label="c", user=clerk, state="failed")
    mine = entries(clerk)["work"]
    assert (mine["jobs-waiting"], mine["jobs-ready"], mine["jobs-failed"]) == (1, 1, 1)
    assert "jobs-waiting" not in entries(other)["work"]


def test_every_entry_links_to_a_list_that_opens(season, client, django_user_model):
    coordinator = person(django_user_model, "dieuphoi", Role.PROVINCE_COORDINATOR, unit=season["province"])
    client.force_login(coordinator)
    request = RequestFactory().get("/admin/")
    request.user = coordinator
    for panels in dashboard.build(request, TODAY).values():
        for panel in panels:
            for entry in panel.entries:
                assert entry.url, entry.key
                assert client.get(entry.url).status_code == 200, entry.url


def test_the_submitted_link_lists_the_sheets_it_counts(season, admin_client):
    url = reverse("admin:criteria_communeyear_changelist")
    page = admin_client.get(url, {"year": 2026, "approval_status__exact": "submitted"}).content.decode()
    assert season["k"].name in page and season["third"].name not in page


def test_the_admin_index_puts_the_work_list_before_the_figures(season, client, django_user_model):
    coordinator = person(django_user_model, "dieuphoi", Role.PROVINCE_COORDINATOR, unit=season["province"])
    client.force_login(coordinator)
    page = client.get(reverse("admin:index")).content.decode()
    assert 0 < page.index('id="ntm-work"') < page.index('id="ntm-figures"') < page.index('id="ntm-reports"')
    assert 'id="figure-reached"' in page and 'id="figure-to-approve"' in page


def test_the_platform_leaves_a_slot_for_notices_above_the_work_list(season, client, django_user_model):
    coordinator = person(django_user_model, "dieuphoi", Role.PROVINCE_COORDINATOR, unit=season["province"])

    def notice(request, today):
        return dashboard.Panel(title="Đơn vị của bạn đã kết thúc", entries=[dashboard.Entry("ended", "Xã Kỳ Bắc")])

    dashboard.panel("test-notice", section=dashboard.NOTICES)(notice)
    try:
        client.force_login(coordinator)
        page = client.get(reverse("admin:index")).content.decode()
        assert 0 < page.index("Đơn vị của bạn đã kết thúc") < page.index('id="ntm-work"')
    finally:
        dashboard._PANELS.pop("test-notice")


@pytest.mark.parametrize("who", ["superuser", "coordinator", "clerk"])
def test_the_admin_index_runs_at_most_15_queries(
    season, client, django_user_model, superuser, who, django_assert_max_num_queries
):
    users = {
        "superuser": lambda: superuser,
        "coordinator": lambda: person(django_user_model, "dp", Role.PROVINCE_COORDINATOR, unit=season["province"]),
        "clerk": lambda: person(django_user_model, "xa", Role.COMMUNE_CLERK, unit=season["s"]),
    }
    client.force_login(users[who]())
    with django_assert_max_num_queries(15):
        assert client.get(reverse("admin:index")).status_code == 200
