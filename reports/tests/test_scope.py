"""Reports from both sides of each role's boundary: pages, downloads, draft documents and the dashboard.

The hand-made world of conftest.py (Hà Tĩnh: communes A, B, C, E of Huyện Kỳ Anh, D = Xã Hương Liên
of Huyện Hương Khê) plus one commune of Nghệ An with its own sheet, sponsor, support and meeting.
Readers:

    coordinator   Văn phòng điều phối, Tỉnh Hà Tĩnh
    ky_anh        district clerk of Huyện Kỳ Anh (reads the province)
    huong_lien    commune clerk of Xã Hương Liên (D)
    snn           sponsor clerk of Sở NN&PTNT (assignments to A, C and D)
    viewer        viewer of Tỉnh Hà Tĩnh
    nghe_an       viewer of Tỉnh Nghệ An (wrong scope for every Hà Tĩnh figure)
    stranger      staff, no scope, no role
"""

import datetime
import io
import json
import zoneinfo
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from criteria.choices import ApprovalStatus
from criteria.models import CommuneYear
from divisions.choices import Edition
from divisions.models import AdministrativeUnit
from meetings.choices import MeetingKind
from meetings.models import FollowUpTask, Meeting
from ntm_site import dashboard
from ntm_site.accounts.choices import Role
from ntm_site.accounts.services import user_scope_set
from ntm_site.accounts.versions import VERSION_FIELD, history_token
from reports import registry
from reports.documents.reports import REPORT_DOCUMENTS
from reports.documents.testing import ReadDocument
from reports.models import SavedFilter
from reports.tests.conftest import assess
from sponsorship.choices import AssignmentRole, DocumentType, OrganisationKind
from sponsorship.models import Assignment, Decision, Organisation, SupportRecord

pytestmark = pytest.mark.django_db
D = datetime.date

# Parameters that give every report rows for the superuser (no area: each reader's scope decides).
PARAMS = {
    "decision-review": {"decision": "140-QĐ/TU", "as_of": "2019-05-22"},
    "sponsor-scorecard": {"as_of": "2019-05-22"},
    "criteria-summary": {"year": "2017", "approved_only": "no"},
    "criteria-matrix": {"year": "2017", "approved_only": "no"},
    "indicator-summary": {"year": "2017", "approved_only": "no"},
    "support-ledger": {"group_by": ["commune"]},
    "tasks": {"as_of": "2019-05-22"},
    "sponsor-activity": {"as_of": "2019-05-22"},
}
FORMATS = ("xlsx", "csv", "json")
# Names, and sums of support under 140-QĐ/TU (as shown and as stored: 180 million in all, 100 million of
# charity houses) that only Hà Tĩnh has.
HA_TINH_NAMES = (
    "Kỳ Tiến",
    "Kỳ Giang",
    "Kỳ Phong",
    "Hương Liên",
    "Sở Nông nghiệp",
    "Kho bạc",
    "Nhiệm vụ số 1",
    "180.000.000",
    "180000000",
    "100.000.000",
    "100000000",
)


@pytest.fixture
def nghe_an(world):
    """Xã Nam Hưng (Nghệ An): 19 criteria met in 2017, 999 million of support, one overdue task.

    The Hà Tĩnh bloc, organiser of the world's giao ban, is given its home (a meeting of an organiser
    of no place is read by every province)."""
    province = AdministrativeUnit.objects.get(code="40", edition=Edition.LEGACY)
    world.orgs["bloc"].home_unit = AdministrativeUnit.objects.get(code="42", edition=Edition.LEGACY)
    world.orgs["bloc"].save()
    commune = AdministrativeUnit.objects.get(code="17932", edition=Edition.LEGACY)
    assess(commune, world.criteria, 2017, ["dat"] * 19)
    company = Organisation.objects.create(
        name="Công ty Cổ phần Nghệ An", kind=OrganisationKind.ENTERPRISE, home_unit=province
    )
    decision = Decision.objects.create(
        symbol="77/QĐ-UBND",
        document_type=DocumentType.DECISION,
        issuer="UBND tỉnh Nghệ An",
        issued_on=D(2016, 3, 1),
        title="Phân công doanh nghiệp đỡ đầu",
        province=province,
    )
    assignment = Assignment.objects.create(
        decision=decision, organisation=company, commune=commune, role=AssignmentRole.SPONSOR, start_date=D(2016, 3, 1)
    )
    SupportRecord.objects.create(
        assignment=assignment, date=D(2017, 6, 1), category=world.categories["cash"], value_vnd=999_000_000
    )
    meeting = Meeting.objects.create(
        title="Giao ban Nghệ An quý I năm 2019",
        kind=MeetingKind.BRIEFING,
        start=datetime.datetime(2019, 4, 12, 8, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")),
        organiser=company,
    )
    FollowUpTask.objects.create(
        meeting=meeting, order=1, text="Việc của Nghệ An", owner=company, due_date=D(2019, 5, 1)
    )
    return SimpleNamespace(province=province, commune=commune, company=company, decision=decision, meeting=meeting)


@pytest.fixture
def readers(world, nghe_an, django_user_model):
    ha_tinh = AdministrativeUnit.objects.get(code="42", edition=Edition.LEGACY)
    ky_anh = AdministrativeUnit.objects.get(name="Huyện Kỳ Anh", edition=Edition.LEGACY)

    def make(username, role=None, **place):
        user = django_user_model.objects.create_user(username, password=None, is_staff=True)
        if role is not None:
            user_scope_set(user=user, role=role, **place)
        return django_user_model.objects.get(pk=user.pk)

    return SimpleNamespace(
        coordinator=make("dieuphoi", Role.PROVINCE_COORDINATOR, unit=ha_tinh),
        ky_anh=make("kyanh", Role.DISTRICT_CLERK, unit=ky_anh),
        huong_lien=make("huonglien", Role.COMMUNE_CLERK, unit=world.d),
        snn=make("snn", Role.SPONSOR_CLERK, organisation=world.orgs["snn"]),
        viewer=make("xem", Role.VIEWER, unit=ha_tinh),
        nghe_an=make("xemnghean", Role.VIEWER, unit=nghe_an.province),
        stranger=make("khach"),
    )


def page_url(slug):
    return reverse("reports:report", args=[slug])


def export_url(slug, fmt):
    return reverse("reports:export", args=[slug, fmt])


def as_user(client, user):
    client.force_login(user)
    return client


def json_of(client, slug, **params):
    response = client.get(export_url(slug, "json"), {**PARAMS[slug], **params})
    assert response.status_code == 200, response
    return json.loads(response.content)


def every_url():
    """(method, url) of every report page, download, draft document, and the dashboard and index."""
    urls = [("get", reverse("admin:index")), ("get", reverse("reports:index"))]
    for slug in PARAMS:
        urls += [("get", page_url(slug)), *(("get", export_url(slug, fmt)) for fmt in FORMATS)]
        urls.append(("post", reverse("reports:save", args=[slug])))
    urls += [("get", reverse("reports:document", args=[slug])) for slug in REPORT_DOCUMENTS]
    return urls


# --- outside: anonymous and unscoped -----------------------------------------------------------


@pytest.mark.parametrize("method,url", every_url())
def test_anonymous_is_sent_to_the_login_page(client, world, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


REPORT_URLS = [(method, url) for method, url in every_url() if url.startswith(reverse("reports:index"))]
# The index and the dashboard open for a stranger, listing no report and no figure (tested below).
REPORT_URLS = [(method, url) for method, url in REPORT_URLS if url != reverse("reports:index")]


@pytest.mark.parametrize("method,url", REPORT_URLS)
def test_a_user_without_scope_or_role_is_refused(client, readers, method, url):
    assert getattr(as_user(client, readers.stranger), method)(url).status_code == 403


def test_a_user_without_scope_sees_no_figures_on_the_dashboard_and_no_report(client, readers):
    client = as_user(client, readers.stranger)
    assert 'id="ntm-dashboard"' not in client.get(reverse("admin:index")).content.decode()
    index = client.get(reverse("reports:index")).content.decode()
    assert not [slug for slug in PARAMS if page_url(slug) in index]


def test_commune_clerk_has_no_tasks_report(client, readers):
    client = as_user(client, readers.huong_lien)
    assert client.get(page_url("tasks")).status_code == 403
    assert client.get(export_url("tasks", "json")).status_code == 403
    assert client.get(export_url("criteria-summary", "json"), PARAMS["criteria-summary"]).status_code == 200


# --- inside: each role's figures -----------------------------------------------------------------


def test_criteria_summary_counts_the_communes_of_each_readers_scope(client, readers, superuser):
    def communes(user):
        return json_of(as_user(client, user), "criteria-summary")["totals"]["communes"]

    # A, B, C, E, D of Hà Tĩnh and Nam Hưng of Nghệ An.
    assert communes(superuser) == 6
    assert communes(readers.coordinator) == communes(readers.ky_anh) == communes(readers.viewer) == 5
    assert communes(readers.huong_lien) == 1
    assert communes(readers.snn) == 3  # A, C and D, the communes Sở NN&PTNT sponsors
    assert communes(readers.nghe_an) == 1
    clerk = json_of(as_user(client, readers.huong_lien), "criteria-summary")
    assert clerk["totals"]["average_met"] == 4.0  # D meets criteria 1-4


def test_support_ledger_sums_only_the_readers_support(client, readers, superuser):
    def totals(user):
        return json_of(as_user(client, user), "support-ledger")["totals"]

    assert totals(superuser) == {"records": 7, "value_vnd": 1_188_500_000}
    assert totals(readers.coordinator) == totals(readers.ky_anh) == {"records": 6, "value_vnd": 189_500_000}
    assert totals(readers.huong_lien) == {"records": 2, "value_vnd": 9_500_000}
    assert totals(readers.snn) == {"records": 3, "value_vnd": 35_000_000}
    assert totals(readers.nghe_an) == {"records": 1, "value_vnd": 999_000_000}
    communes = {r["commune"] for r in json_of(as_user(client, readers.huong_lien), "support-ledger")["rows"]}
    assert communes == {"Xã Hương Liên"}


def test_decision_review_of_a_sponsor_clerk_holds_their_own_assignments(client, readers, superuser):
    every = json_of(as_user(client, superuser), "decision-review")["totals"]
    own = json_of(as_user(client, readers.snn), "decision-review")["totals"]
    commune = json_of(as_user(client, readers.huong_lien), "decision-review")["totals"]
    assert (every["support_value_vnd"], every["organisations_total"]) == (180_000_000, 5)
    # Sở NN&PTNT: A (10 million, 2016) and C (20 million, 2017; assignment ended 31/12/2017).
    assert (own["support_value_vnd"], own["organisations_total"], own["communes"]) == (30_000_000, 1, 1)
    assert (commune["support_value_vnd"], commune["organisations_total"], commune["communes"]) == (0, 1, 1)


def test_scorecard_lists_only_organisations_at_work_in_the_readers_scope(client, readers, superuser):
    def names(user):
        return {r["organisation"] for r in json_of(as_user(client, user), "sponsor-scorecard")["rows"]}

    assert "Công ty Cổ phần Nghệ An" in names(superuser)
    assert "Công ty Cổ phần Nghệ An" not in names(readers.viewer)
    assert "Kho bạc Nhà nước Hà Tĩnh" in names(readers.viewer)
    assert names(readers.snn) == {"Sở Nông nghiệp và Phát triển nông thôn"}
    assert names(readers.nghe_an) == {"Công ty Cổ phần Nghệ An"}


def test_matrix_and_activity_rows_stay_in_scope(client, readers):
    matrix = json_of(as_user(client, readers.huong_lien), "criteria-matrix")["rows"]
    assert [r["commune"] for r in matrix] == ["Xã Hương Liên"]
    activity = json_of(as_user(client, readers.nghe_an), "sponsor-activity")["rows"]
    assert [(r["organisation"], r["commune"]) for r in activity] == [("Công ty Cổ phần Nghệ An", "Xã Nam Hưng")]
    ha_tinh = json_of(as_user(client, readers.viewer), "sponsor-activity")["rows"]
    assert ha_tinh and "Xã Nam Hưng" not in {r["commune"] for r in ha_tinh}


def test_tasks_of_another_provinces_meeting_are_not_counted(client, readers, superuser):
    assert json_of(as_user(client, superuser), "tasks")["totals"]["total"] == 6
    viewer = json_of(as_user(client, readers.viewer), "tasks")
    assert viewer["totals"]["total"] == 5
    assert "Công ty Cổ phần Nghệ An" not in {r["owner"] for r in viewer["rows"]}


@pytest.mark.parametrize("slug", list(PARAMS))
@pytest.mark.parametrize("fmt", ["page", *FORMATS])
def test_wrong_scope_reader_gets_none_of_ha_tinhs_names(client, readers, superuser, slug, fmt):
    """The Nghệ An viewer reads every report and download; no Hà Tĩnh commune, sponsor or task shows."""
    url = page_url(slug) if fmt == "page" else export_url(slug, fmt)
    params = PARAMS[slug]

    def text(user):
        response = as_user(client, user).get(url, params)
        if fmt == "xlsx" and response.status_code == 200:
            ws = load_workbook(io.BytesIO(response.content)).active
            return " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None)
        return response.content.decode("utf-8-sig")

    seen = text(superuser)
    # The summaries name no commune, sponsor or sum of support: nothing of Hà Tĩnh to look for.
    assert any(name in seen for name in HA_TINH_NAMES) or slug in ("criteria-summary", "indicator-summary")
    outside = text(readers.nghe_an)
    assert not [name for name in HA_TINH_NAMES if name in outside]


@pytest.mark.parametrize(
    "reader,slug", [("ky_anh", slug) for slug in PARAMS] + [("snn", slug) for slug in PARAMS if slug != "tasks"]
)
def test_a_scoped_report_page_keeps_a_bounded_number_of_queries(
    client, readers, slug, reader, django_assert_max_num_queries
):
    client = as_user(client, getattr(readers, reader))
    with django_assert_max_num_queries(30):  # 29 at most measured (decision-review: the decision looked up in scope)
        response = client.get(page_url(slug), PARAMS[slug])
    assert response.status_code == 200 and response.context["result"] is not None


# --- parameters naming a place outside the scope -------------------------------------------------


@pytest.mark.parametrize(
    "reader,params",
    [
        ("ky_anh", {"province": "Tỉnh Nghệ An"}),
        ("huong_lien", {"district": "Huyện Kỳ Anh"}),
        ("snn", {"commune": "Xã Kỳ Giang, Kỳ Anh"}),
        ("nghe_an", {"area": "Tỉnh Hà Tĩnh"}),
    ],
)
def test_an_area_outside_the_scope_is_refused_with_a_message(client, readers, reader, params):
    client = as_user(client, getattr(readers, reader))
    query = {**PARAMS["support-ledger"], **params}
    page = client.get(page_url("support-ledger"), query)
    assert page.status_code == 200 and page.context["result"] is None
    assert "nằm ngoài phạm vi được giao cho bạn" in page.content.decode()
    download = client.get(export_url("support-ledger", "json"), query)
    assert download.status_code == 302 and download["Location"].startswith(page_url("support-ledger"))


def test_a_decision_of_another_province_is_not_found(client, readers, nghe_an):
    client = as_user(client, readers.viewer)
    page = client.get(page_url("decision-review"), {"decision": "77/QĐ-UBND", "as_of": "2019-05-22"})
    assert page.context["result"] is None and "Không có văn bản số" in page.content.decode()
    own = as_user(client, readers.nghe_an).get(export_url("decision-review", "json"), {"decision": "77/QĐ-UBND"})
    assert json.loads(own.content)["totals"]["support_value_vnd"] == 999_000_000


def test_a_commune_clerk_names_the_decision_that_assigned_their_commune(client, readers):
    data = json_of(as_user(client, readers.huong_lien), "decision-review")
    assert data["params"]["decision"] == "140-QĐ/TU"


# --- draft documents, meeting documents and the dashboard -----------------------------------------


def test_draft_document_carries_the_readers_figures(client, readers, superuser):
    url = reverse("reports:document", args=["criteria-summary"])
    params = PARAMS["criteria-summary"]
    everything = ReadDocument.from_bytes(as_user(client, superuser).get(url, params).content).text
    mine = ReadDocument.from_bytes(as_user(client, readers.huong_lien).get(url, params).content).text
    assert "6 xã" in everything
    assert "1 xã" in mine and "6 xã" not in mine and "5 xã" not in mine
    refused = as_user(client, readers.ky_anh).get(url, {**params, "province": "Tỉnh Nghệ An"})
    assert refused.status_code == 302


def test_minutes_of_another_provinces_meeting_are_not_found(client, readers, nghe_an):
    url = reverse("reports:meeting-document", args=[nghe_an.meeting.pk, "minutes"])
    assert as_user(client, readers.viewer).get(url).status_code == 404
    assert as_user(client, readers.nghe_an).get(url).status_code == 200


def test_dashboard_figures_are_those_of_the_readers_scope(readers, superuser):
    day = D(2019, 12, 31)

    def figures(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        entries = {e.key: e for ps in dashboard.build(request, day).values() for p in ps for e in p.entries}
        overdue = entries["overdue-tasks"].value if "overdue-tasks" in entries else None
        return entries["reached"].value, entries["support"].value, overdue

    # On 31/12/2019: A (recognised 2018) and C (recognised 20/12/2019); the 2017 sheets are drafts, not counted.
    assert figures(superuser)[:2] == (2, 4_500_000)
    assert figures(readers.viewer)[:2] == (2, 4_500_000)
    assert figures(readers.huong_lien) == (0, 4_500_000, None)  # D revoked in 2019; no tasks to read


def test_dashboard_page_of_a_commune_clerk_shows_their_commune(client, readers):
    page = as_user(client, readers.huong_lien).get(reverse("admin:index")).content.decode()
    assert 'id="ntm-dashboard"' in page and 'id="figure-overdue"' not in page


# --- approved data only -------------------------------------------------------------------------------


def approve(commune, year=2017):
    CommuneYear.objects.filter(commune=commune, year=year).update(approval_status=ApprovalStatus.APPROVED)


def test_viewers_see_approved_data_only_unless_they_ask(client, readers, world):
    client = as_user(client, readers.viewer)
    data = json_of(client, "criteria-summary", approved_only="")
    assert data["params"]["approved_only"] == "yes" and data["totals"]["communes"] == 0
    approve(world.a)
    data = json_of(client, "criteria-summary", approved_only="")
    assert (data["totals"]["communes"], data["totals"]["average_met"]) == (1, 19.0)
    assert json_of(client, "criteria-summary")["totals"]["communes"] == 5  # approved_only=no: drafts too
    page = client.get(page_url("criteria-summary"), {"year": "2017"}).content.decode()
    assert "Chỉ số liệu đã phê duyệt" in page and "đã được tỉnh phê duyệt" in page
    ws = load_workbook(io.BytesIO(client.get(export_url("criteria-summary", "xlsx"), {"year": "2017"}).content)).active
    assert "Chỉ số liệu đã phê duyệt: Có" in ws["A2"].value


def test_clerks_see_drafts_by_default_and_may_ask_for_approved_only(client, readers, world):
    approve(world.a)
    client = as_user(client, readers.coordinator)
    assert json_of(client, "criteria-summary", approved_only="")["totals"]["communes"] == 5
    approved = json_of(client, "criteria-summary", approved_only="yes")
    assert approved["totals"]["communes"] == 1
    matrix = json_of(client, "criteria-matrix", approved_only="yes")["rows"]
    assert [r["commune"] for r in matrix] == ["Xã Kỳ Tiến"]


# --- the viewer -----------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", list(PARAMS))
def test_viewer_reads_and_downloads_every_province_report(client, readers, slug):
    client = as_user(client, readers.viewer)
    assert client.get(page_url(slug), PARAMS[slug]).status_code == 200
    download = client.get(export_url(slug, "xlsx"), PARAMS[slug])
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")


def test_viewer_exports_records_but_never_imports_or_changes_them(client, readers):
    client = as_user(client, readers.viewer)
    changelist = reverse("admin:sponsorship_supportrecord_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(reverse("admin:sponsorship_supportrecord_export")).status_code == 200
    assert client.get(reverse("admin:sponsorship_supportrecord_import")).status_code == 403
    assert client.get(reverse("admin:sponsorship_supportrecord_add")).status_code == 403
    record = SupportRecord.objects.get(value_vnd=100_000_000)  # a charity house for Xã Kỳ Tiến
    page = client.get(reverse("admin:sponsorship_supportrecord_change", args=[record.pk]))
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    deleted = client.post(reverse("admin:sponsorship_supportrecord_delete", args=[record.pk]), {"post": "yes"})
    assert deleted.status_code == 403 and SupportRecord.objects.filter(pk=record.pk).exists()


# --- saved filters ----------------------------------------------------------------------------------


def save(client, name, slug="criteria-summary", shared_with=(), **params):
    data = {"name": name, "shared_with": [g.pk for g in shared_with], **{f"p-{k}": v for k, v in params.items()}}
    return client.post(reverse("reports:save", args=[slug]), data)


def test_saved_filters_are_changed_and_deleted_by_their_owner_only(client, readers):
    office = Group.objects.create(name="Tổ báo cáo tỉnh")
    for user in (readers.ky_anh, readers.viewer, readers.nghe_an):
        user.groups.add(office)
    save(as_user(client, readers.ky_anh), "Kỳ Anh 2017", shared_with=[office], year="2017")
    saved = SavedFilter.objects.get()
    change = reverse("admin:reports_savedfilter_change", args=[saved.pk])
    delete = reverse("admin:reports_savedfilter_delete", args=[saved.pk])

    # Another reader of the province sees it, opens it, but changes or deletes nothing.
    client = as_user(client, readers.viewer)
    assert "Kỳ Anh 2017" in client.get(page_url("criteria-summary")).content.decode()
    page = client.get(change)
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    form = {"name": "Đổi tên", "report": "criteria-summary", "params": "{}", "shared_with": [office.pk]}
    assert client.post(change, form).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [saved.pk], "post": "yes"}
    client.post(reverse("admin:reports_savedfilter_changelist"), bulk)
    saved.refresh_from_db()
    assert saved.name == "Kỳ Anh 2017"

    # A reader of another province does not even see it, though it is shared with their group.
    assert not SavedFilter.objects.visible_to(readers.nghe_an).exists()
    outsider = as_user(client, readers.nghe_an)
    assert outsider.get(change).status_code == 302
    assert outsider.get(page_url("criteria-summary"), {"saved": saved.pk}).status_code == 404
    assert "Kỳ Anh 2017" not in outsider.get(reverse("reports:index")).content.decode()

    # The owner renames and deletes it.
    client = as_user(client, readers.ky_anh)
    version = {VERSION_FIELD: history_token(SavedFilter, saved.pk)}
    assert client.post(change, {**form, **version, "name": "Kỳ Anh năm 2017"}).status_code == 302
    saved.refresh_from_db()
    assert saved.name == "Kỳ Anh năm 2017"
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not SavedFilter.objects.exists()


def test_every_role_saves_its_own_filters_and_a_stranger_none(client, readers):
    for user in (readers.viewer, readers.huong_lien, readers.snn):
        response = save(as_user(client, user), f"Của {user.username}", year="2017")
        assert response.status_code == 302
    assert SavedFilter.objects.count() == 3
    assert save(as_user(client, readers.stranger), "Không được", year="2017").status_code == 403
    assert {s.owner for s in SavedFilter.objects.all()} == {readers.viewer, readers.huong_lien, readers.snn}


def test_export_report_on_the_command_line_is_not_restricted(readers, capsys):
    from django.core.management import call_command

    call_command("export_report", "support-ledger", "--format", "json")
    assert json.loads(capsys.readouterr().out)["totals"]["value_vnd"] == 1_188_500_000


def test_every_report_has_parameters_here():
    assert set(PARAMS) == set(registry.slugs())


# --- refused downloads say why (issue 19) ------------------------------------------------------


def refusal(response) -> str:
    assert response.status_code == 302
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_download_outside_the_scope_names_the_place_and_the_scope(client, readers):
    client = as_user(client, readers.ky_anh)
    message = refusal(
        client.get(export_url("support-ledger", "xlsx"), {**PARAMS["support-ledger"], "province": "Tỉnh Nghệ An"})
    )
    assert "Chưa tải được" in message
    assert "“Tỉnh Nghệ An” nằm ngoài phạm vi được giao cho bạn (Huyện Kỳ Anh" in message


def test_a_draft_document_outside_the_scope_names_the_place_and_the_scope(client, readers):
    client = as_user(client, readers.ky_anh)
    url = reverse("reports:document", args=["criteria-summary"])
    message = refusal(client.get(url, {**PARAMS["criteria-summary"], "province": "Tỉnh Nghệ An"}))
    assert "Chưa tạo được bản dự thảo" in message and "“Tỉnh Nghệ An” nằm ngoài phạm vi" in message
