"""A commune's page is its dossier (divisions.dossier): sponsors, support by year, yearly sheets, recognitions,
meetings and tasks that name it, and its lineage, each line linking to its record, in the reader's scope.

Xã Hương Liên (Hương Khê, Hà Tĩnh; legacy map, ended 30/06/2025) with two sponsors (one under a 2016–2020
decision, one under a 2021–2025 one, in force on its last day), three gifts in two years, two sheets (2017
approved, 2018 a draft), one recognition, a meeting with a bridge point there and another whose task names it.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from criteria.choices import RecognitionAction
from criteria.models import Recognition
from criteria.tests.factories import criteria_set, sheet
from divisions import dossier
from divisions.models import AdministrativeUnit, UnitSuccession
from meetings.models import FollowUpTask, Meeting
from meetings.tests.factories import MeetingFactory, TaskFactory, at
from ntm_site.accounts.choices import Role
from ntm_site.accounts.services import user_scope_set
from sponsorship.models import SupportRecord
from sponsorship.tests.factories import (
    AssignmentFactory,
    DecisionFactory,
    OrganisationFactory,
    SupportRecordFactory,
    category,
    legacy_unit,
)

pytestmark = pytest.mark.django_db
D = datetime.date
HUONG_LIEN, HA_LINH, KY_TIEN = "18559", "18571", "18769"


def page_of(client, unit) -> str:
    response = client.get(reverse("admin:divisions_administrativeunit_change", args=[unit.pk]))
    assert response.status_code == 200
    return response.content.decode()


def page_as(client, user, unit) -> str:
    client.force_login(user)
    return page_of(client, unit)


def section_html(page: str, key: str) -> str:
    """The HTML of one dossier section (empty when the page has no such section)."""
    match = re.search(rf'<section class="dossier-section" id="dossier-{key}">(.*?)</section>', page, re.S)
    return match[1] if match else ""


def person(django_user_model, name, role, **place):
    user = django_user_model.objects.create_user(name, password="x", is_staff=True)
    user_scope_set(user=user, role=role, **place)
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def huong_lien(db):
    commune = legacy_unit(HUONG_LIEN)
    treasury = OrganisationFactory(name="Kho bạc Nhà nước Hà Tĩnh", home_unit=legacy_unit("42"))
    youth = OrganisationFactory(name="Tỉnh đoàn Hà Tĩnh", home_unit=legacy_unit("42"))
    ended = AssignmentFactory(commune=commune, organisation=youth, decision=DecisionFactory(symbol="15/2016/QĐ-UBND"))
    current = AssignmentFactory(
        commune=commune,
        organisation=treasury,
        decision=DecisionFactory(
            symbol="22/2021/QĐ-UBND", issued_on=D(2021, 3, 1), term_from_year=2021, term_to_year=2025
        ),
    )
    SupportRecordFactory(assignment=ended, date=D(2017, 5, 10), value_vnd=10_000_000)
    SupportRecordFactory(assignment=ended, date=D(2017, 9, 2), category=category("tien-mat"), value_vnd=2_500_000)
    SupportRecordFactory(assignment=current, date=D(2021, 12, 15), value_vnd=10_000_000)
    approved = sheet(commune, 2017, "1" * 19, approved=True)
    draft = sheet(commune, 2018, "1" * 18 + "0")
    recognition = Recognition.objects.create(
        commune=commune,
        criteria_set=criteria_set("qd-1980-xa"),
        action=RecognitionAction.RECOGNISE,
        decision_number="1234/QĐ-UBND",
        decision_date=D(2017, 12, 20),
        year=2017,
    )
    online = MeetingFactory(title="Giao ban trực tuyến quý I", start=at("20/04/2017"), is_online=True)
    online.bridge_units.add(commune)
    review = MeetingFactory(title="Sơ kết 6 tháng", start=at("15/08/2016"))
    task = TaskFactory(meeting=review, text="Hoàn thiện hồ sơ tiêu chí 17 của xã")
    task.communes.add(commune)
    return {
        "commune": commune,
        "assignments": (current, ended),
        "sheets": (approved, draft),
        "recognition": recognition,
        "meetings": (online, review),
        "task": task,
    }


def test_a_communes_page_leads_to_each_of_its_records(admin_client, huong_lien):
    page = page_of(admin_client, huong_lien["commune"])
    assert "Hồ sơ của Xã Hương Liên" in page

    current, ended = huong_lien["assignments"]
    sponsors = section_html(page, "sponsorship-assignments")
    # In force on the commune's last day (30/06/2025) first, with the decision and the term.
    assert sponsors.index("Kho bạc Nhà nước Hà Tĩnh") < sponsors.index("Tỉnh đoàn Hà Tĩnh")
    assert reverse("admin:sponsorship_assignment_change", args=[current.pk]) in sponsors
    assert reverse("admin:sponsorship_assignment_change", args=[ended.pk]) in sponsors
    assert "đang hiệu lực" in sponsors and "đã kết thúc" in sponsors and "22/2021/QĐ-UBND" in sponsors

    support = section_html(page, "sponsorship-support")
    assert re.search(r">2021</a></td>\s*<td class=\"num\">1</td>\s*<td class=\"num\">10\.000\.000</td>", support)
    assert re.search(r">2017</a></td>\s*<td class=\"num\">2</td>\s*<td class=\"num\">12\.500\.000</td>", support)
    assert "Tổng cộng: 22.500.000 đồng." in support
    year_list = reverse("admin:sponsorship_supportrecord_changelist")
    year_list += f"?commune={huong_lien['commune'].pk}&amp;year=2017"
    assert year_list in support

    sheets = section_html(page, "criteria-sheets")
    approved, draft = huong_lien["sheets"]
    assert sheets.index(">2018<") < sheets.index(">2017<")
    assert reverse("admin:criteria_communeyear_change", args=[approved.pk]) in sheets
    assert "19/19" in sheets and "18/19" in sheets and "Tỉnh đã phê duyệt" in sheets and "Đang nhập" in sheets

    recognitions = section_html(page, "criteria-recognitions")
    assert reverse("admin:criteria_recognition_change", args=[huong_lien["recognition"].pk]) in recognitions
    assert "1234/QĐ-UBND" in recognitions and "20/12/2017" in recognitions and "Công nhận đạt chuẩn" in recognitions

    meetings = section_html(page, "meetings")
    online, review = huong_lien["meetings"]
    assert reverse("admin:meetings_meeting_change", args=[online.pk]) in meetings
    assert reverse("admin:meetings_meeting_change", args=[review.pk]) in meetings
    assert "có điểm cầu tại xã" in meetings and "giao nhiệm vụ liên quan" in meetings

    tasks = section_html(page, "meetings-tasks")
    assert reverse("admin:meetings_followuptask_change", args=[huong_lien["task"].pk]) in tasks
    assert "Hoàn thiện hồ sơ tiêu chí 17 của xã" in tasks

    lineage = section_html(page, "lineage")
    successor = UnitSuccession.objects.get(predecessor=huong_lien["commune"], is_main=True).successor
    assert "Trở thành" in lineage and successor.name in lineage
    assert reverse("admin:divisions_administrativeunit_change", args=[successor.pk]) in lineage


def test_the_map_data_shows_no_internal_search_key(admin_client, huong_lien):
    page = page_of(admin_client, huong_lien["commune"])
    assert "Khóa tìm kiếm" not in page and "khóa tìm kiếm" not in page
    assert huong_lien["commune"].search_key not in page


def test_a_commune_with_no_records_says_so_in_each_section(admin_client):
    page = page_of(admin_client, legacy_unit(HA_LINH))
    for key, words in [
        ("sponsorship-assignments", "Chưa có cơ quan, đơn vị nào được phân công phụ trách, đỡ đầu xã."),
        ("sponsorship-support", "Chưa có kết quả hỗ trợ nào cho xã."),
        ("criteria-sheets", "Chưa có bảng chấm tiêu chí nào của xã."),
        ("criteria-recognitions", "Chưa có quyết định công nhận đạt chuẩn nào của xã."),
        ("meetings", "Chưa có hội nghị nào nhắc đến xã"),
        ("meetings-tasks", "Chưa có nhiệm vụ sau hội nghị nào liên quan đến xã."),
    ]:
        assert words in section_html(page, key), key


def test_a_2025_commune_names_the_communes_it_was_merged_from(admin_client):
    ky_tien = legacy_unit(KY_TIEN)
    successor = UnitSuccession.objects.get(predecessor=ky_tien, is_main=True).successor
    lineage = section_html(page_of(admin_client, successor), "lineage")
    came_from = UnitSuccession.objects.filter(successor=successor)
    assert came_from.count() >= 2
    for line in came_from:
        assert reverse("admin:divisions_administrativeunit_change", args=[line.predecessor_id]) in lineage
    assert lineage.count("Hình thành từ") == came_from.count()


def test_provinces_and_districts_have_no_dossier(admin_client):
    page = page_of(admin_client, legacy_unit("444"))
    assert 'id="ntm-dossier"' not in page


def test_a_sponsor_clerk_reads_only_their_own_organisations_part(client, django_user_model, huong_lien):
    current, ended = huong_lien["assignments"]
    clerk = person(django_user_model, "kho.bac", Role.SPONSOR_CLERK, organisation=current.organisation)
    page = page_as(client, clerk, huong_lien["commune"])
    sponsors = section_html(page, "sponsorship-assignments")
    assert "Kho bạc Nhà nước Hà Tĩnh" in sponsors and "Tỉnh đoàn Hà Tĩnh" not in sponsors
    support = section_html(page, "sponsorship-support")
    assert ">2021<" in support and ">2017<" not in support and "Tổng cộng: 10.000.000 đồng." in support
    # Their role reads the sheets and recognitions of the communes they sponsor, no minutes at all.
    assert "19/19" in section_html(page, "criteria-sheets")
    assert 'id="dossier-meetings"' not in page and 'id="dossier-meetings-tasks"' not in page


def test_a_coordinator_of_another_province_reads_none_of_the_communes_records(client, django_user_model, huong_lien):
    """Units are reference data every role reads; the records on the page stay in the reader's scope."""
    nghe_an = person(django_user_model, "dieuphoi.nghean", Role.PROVINCE_COORDINATOR, unit=legacy_unit("40"))
    page = page_as(client, nghe_an, huong_lien["commune"])
    assert "Chưa có bảng chấm tiêu chí nào của xã." in section_html(page, "criteria-sheets")
    assert "Chưa có cơ quan, đơn vị nào" in section_html(page, "sponsorship-assignments")
    assert "Chưa có kết quả hỗ trợ nào cho xã." in section_html(page, "sponsorship-support")
    assert "Chưa có quyết định công nhận" in section_html(page, "criteria-recognitions")
    # Meetings of an organiser of no province are read in every province (ntm_site.accounts.scope).
    assert "Giao ban trực tuyến quý I" in section_html(page, "meetings")


def test_a_district_clerk_reads_the_communes_of_the_province(client, django_user_model, huong_lien):
    clerk = person(django_user_model, "huyen.kyanh", Role.DISTRICT_CLERK, unit=legacy_unit("447"))
    page = page_as(client, clerk, huong_lien["commune"])
    assert "19/19" in section_html(page, "criteria-sheets")
    assert "Trở thành" in section_html(page, "lineage")


def test_the_lineage_is_read_once_and_edited_from_its_list(admin_client, huong_lien):
    """The commune's page lists its lineage in the dossier, not again in editable inlines; its link opens them."""
    page = page_of(admin_client, huong_lien["commune"])
    assert "predecessions-group" not in page and "successions-group" not in page
    assert "Mở danh sách kế thừa đơn vị của xã (để sửa)" in section_html(page, "lineage")


def test_the_whole_list_links_open_the_communes_rows_only(admin_client, huong_lien):
    commune = huong_lien["commune"]
    other = AssignmentFactory(commune=legacy_unit(HA_LINH))
    SupportRecordFactory(assignment=other)
    other_task = TaskFactory()
    other_task.communes.add(other.commune)
    cases = [
        ("sponsorship_assignment", 2),
        ("sponsorship_supportrecord", 3),
        ("criteria_communeyear", 2),
        ("criteria_recognition", 1),
        ("meetings_meeting", 2),
        ("meetings_followuptask", 1),
        ("divisions_unitsuccession", UnitSuccession.objects.filter(predecessor=commune).count()),
    ]
    for name, rows in cases:
        response = admin_client.get(reverse(f"admin:{name}_changelist"), {"commune": commune.pk})
        assert response.status_code == 200, name
        assert response.context["cl"].result_count == rows, name
        # The filter names the commune, with "Tất cả" to drop it.
        assert commune.validity_label() in response.content.decode(), name
    assert Meeting.objects.count() == 3 and FollowUpTask.objects.count() == 2 and SupportRecord.objects.count() == 4


def _page_queries(client, unit) -> int:
    with CaptureQueriesContext(connection) as run:
        page_of(client, unit)
    return len(run.captured_queries)


@pytest.mark.parametrize("reader", ["district_clerk", "superuser"])
def test_the_page_reads_the_same_number_of_queries_however_many_records(
    client, django_user_model, huong_lien, django_assert_max_num_queries, superuser, reader
):
    """One query per section, whatever the records: 30 more of each kind cost nothing more."""
    commune = huong_lien["commune"]
    if reader == "superuser":
        client.force_login(superuser)
    else:
        client.force_login(person(django_user_model, "huyen.huongkhe", Role.DISTRICT_CLERK, unit=legacy_unit("444")))
    page_of(client, commune)  # the session and the permission caches settle
    before = _page_queries(client, commune)

    sheet(commune, 2019, "1" * 19)
    sheet(commune, 2020, "0" * 19)
    for n in range(30):
        assignment = AssignmentFactory(commune=commune)
        SupportRecordFactory(assignment=assignment, date=D(2010 + n % 11, 3, 1), value_vnd=1_000_000)
        Recognition.objects.create(
            commune=commune,
            criteria_set=criteria_set("qd-1980-xa"),
            decision_number=f"{n}/QĐ-UBND",
            decision_date=D(2018, 1, 1) + datetime.timedelta(days=n),
            year=2018,
        )
        meeting = MeetingFactory(start=at("01/06/2018") + datetime.timedelta(days=n), is_online=True)
        meeting.bridge_units.add(commune)
        TaskFactory(meeting=meeting).communes.add(commune)
    with django_assert_max_num_queries(before):
        page = page_of(client, commune)
    # The session, the user, their scope and permissions, the unit, then one query per section: within the
    # ≤ 15 queries of a change page at national scale (benchmarks/scale_bench.py).
    assert before <= 15, before
    # The sections list the first 20 and say how many there are.
    assert "Đang hiện 20 trong 32 dòng" in section_html(page, "sponsorship-assignments")
    assert "Đang hiện 20 trong 32 dòng" in section_html(page, "meetings")
    assert "Đang hiện 20 trong 31 dòng" in section_html(page, "meetings-tasks")


# --- the registry ------------------------------------------------------------------------------


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test (the apps' sections come back afterwards)."""
    monkeypatch.setattr(dossier, "_SECTIONS", {})
    return dossier


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_sections_render_in_their_order_and_a_builder_may_leave_its_section_out(registry, superuser):
    seen = []

    @registry.section("b", order=20)
    def second(request, unit, day):
        seen.append(day)
        return registry.Section(title="B", columns=["x"])

    @registry.section("a", order=10)
    def first(request, unit, day):
        return registry.Section(title="A", columns=["x"])

    @registry.section("hidden", order=5)
    def hidden(request, unit, day):
        return None

    commune = legacy_unit(HUONG_LIEN)
    built = registry.build(_request(superuser), commune, today=D(2026, 1, 5))
    assert [(s.key, s.title) for s in built] == [("a", "A"), ("b", "B")]
    # A commune that ended is spoken of on its last day.
    assert seen == [D(2025, 6, 30)]
    assert registry.registered() == ["hidden", "a", "b"]

    @registry.section("a", order=30)
    def replaced(request, unit, day):
        return registry.Section(title="A2", columns=["x"])

    assert [s.title for s in registry.build(_request(superuser), commune)] == ["B", "A2"]


def test_only_communes_have_a_dossier(registry, superuser):
    registry.section("any")(lambda request, unit, day: registry.Section(title="X", columns=[]))
    district = legacy_unit("444")
    assert registry.build(_request(superuser), district) == []
    ky_xuan_2025 = AdministrativeUnit.objects.get(code="18766", edition="2025")
    assert registry.reference_day(ky_xuan_2025, D(2026, 12, 4)) == D(2026, 12, 4)


def test_first_rows_reads_a_page_and_the_count_in_one_query(django_assert_num_queries):
    units = AdministrativeUnit.objects.filter(province__code="42", edition="legacy", level=3).order_by("code")
    with django_assert_num_queries(1):
        shown, total = dossier.first_rows(units, limit=5)
    assert len(shown) == 5 and total == units.count() > 5
    assert [u.pk for u in shown] == list(units.values_list("pk", flat=True)[:5])
    with django_assert_num_queries(1):
        assert dossier.first_rows(units.filter(pk=-1)) == ([], 0)


def test_readable_is_none_without_the_view_permission(django_user_model):
    nobody = django_user_model.objects.create_user("khong.quyen", password="x", is_staff=True)
    assert dossier.readable(_request(nobody), UnitSuccession.objects.all()) is None
