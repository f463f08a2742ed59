"""The minutes page, the person page, the task list and the printable minutes."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from divisions.models import AdministrativeUnit
from meetings.choices import ParticipationRole, SpeechKind, TaskStatus
from meetings.models import Conclusion, FollowUpTask, Meeting, Participation, Person, Speech
from meetings.services import minutes_workbook_import
from meetings.tests.factories import (
    ConclusionFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    SpeechFactory,
    TaskFactory,
    at,
    commune,
    criterion,
)
from meetings.tests.workbooks import HT
from ntm_site.accounts.choices import Role
from ntm_site.accounts.models import UserScope
from ntm_site.accounts.versions import VERSION_FIELD, history_token
from seeds import build_meetings_demo as demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def minutes(references):
    report = minutes_workbook_import(file=demo.minutes_workbook(), file_name="demo.xlsx")
    assert report.ok, report.error_lines()
    return Meeting.objects.get(code="HT-20160815-DUK")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def full_meeting(rows: int) -> Meeting:
    """A meeting with `rows` participants, speeches (with speakers and criteria), conclusions and tasks."""
    meeting = MeetingFactory(code="")
    owner = OrganisationFactory()
    units = [commune("Xã Hương Liên", "Huyện Hương Khê"), commune("Xã Hà Linh", "Huyện Hương Khê")]
    for n in range(1, rows + 1):
        participation = ParticipationFactory(meeting=meeting, order=n, organisation=owner)
        speech = SpeechFactory(meeting=meeting, order=n, speaker=participation)
        speech.criteria.set([criterion(2), criterion(17)])
        conclusion = ConclusionFactory(meeting=meeting, order=n)
        task = TaskFactory(meeting=meeting, order=n, owner=owner, conclusion=conclusion)
        task.communes.set(units)
        task.criteria.set([criterion(17)])
    meeting.decisions.clear()
    return meeting


# --- the minutes page ---------------------------------------------------------------------


def test_meeting_page_reads_as_the_minutes(admin_client, minutes):
    page = admin_client.get(change_url(minutes)).content.decode()
    sections = [
        "I. Thành phần dự họp",
        "II. Diễn biến: báo cáo, tham luận, phát biểu (theo thứ tự)",
        "III. Kết luận",
        "IV. Nhiệm vụ giao sau hội nghị",
    ]
    positions = [page.index(s) for s in sections]
    assert positions == sorted(positions)
    assert "Trần Thế Dũng" in page and "Lê Văn Vinh" in page
    assert reverse("admin:meetings_meeting_print", args=[minutes.pk]) in page
    # Speakers are chosen among this meeting's participants only.
    assert "Thào Hồng Sơn" not in page


def test_meeting_page_queries_do_not_grow_with_the_minutes(admin_client, references):
    small, large = full_meeting(2), full_meeting(12)
    assert count_queries(admin_client, change_url(small)) == count_queries(admin_client, change_url(large))


def test_meeting_page_query_count_is_bounded(admin_client, django_assert_max_num_queries, references):
    meeting = full_meeting(10)
    # Issue 9's target for a change page; participants and conclusions are read once for their inline and
    # for the speaker / conclusion choices of the next ones; the rows' versions come with the rows
    # (ntm_site.accounts.versions: a subquery column, no query of their own).
    with django_assert_max_num_queries(15):
        admin_client.get(change_url(meeting))


@pytest.mark.parametrize("model", [Meeting, FollowUpTask, Person])
def test_list_pages_run_a_fixed_number_of_queries(admin_client, references, model):
    url = reverse(f"admin:meetings_{model._meta.model_name}_changelist")
    full_meeting(2)
    few = count_queries(admin_client, url)
    full_meeting(15)
    assert count_queries(admin_client, url) == few


def test_meeting_list_shows_counts_and_print_link(admin_client, minutes):
    page = admin_client.get(reverse("admin:meetings_meeting_changelist")).content.decode()
    assert "15/08/2016" in page
    assert reverse("admin:meetings_meeting_print", args=[minutes.pk]) in page


# --- entering minutes in the admin ------------------------------------------------------------


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def meeting_post(organiser, **extra):
    data = {
        "title": "Giao ban công tác xây dựng nông thôn mới",
        "kind": "giao_ban",
        "code": "",
        "start_0": "15/08/2016",
        "start_1": "14:00",
        "place": "",
        "organiser": str(organiser.pk),
        "bridge_point_count": "",
        "period_from": "",
        "period_to": "",
        "summary": "",
        **management("participations", 0),
        **management("speeches", 0),
        **management("conclusions", 0),
        **management("tasks", 0),
        **management("attachments", 0),
    }
    data.update(extra)
    return data


def rows(prefix, *forms):
    data = management(prefix, len(forms))
    for i, form in enumerate(forms):
        for key, value in form.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def test_clerk_enters_minutes_with_every_part(admin_client, references):
    bloc = references[demo.BLOC_2016]
    person = Person.objects.create(name="Trần Thế Dũng")
    data = meeting_post(
        bloc,
        **rows(
            "participations",
            {"role": "chu_tri", "person": person.pk, "position": "TUV, Bí thư Đảng ủy Khối"},
            {"role": "du", "position": "Đại diện 13 đơn vị", "organisation_name": "Các sở, ngành"},
        ),
        **rows("speeches", {"order": "", "kind": "bao_cao_de_dan", "summary": "51 tổ chức đảng đỡ đầu 73 xã"}),
        **rows("conclusions", {"order": "", "text": "Bám sát Kế hoạch 11"}),
        **rows(
            "tasks",
            {
                "order": "",
                "text": "Kiện toàn Tổ giúp việc",
                "owner": bloc.pk,
                "due_date": "30/09/2016",
                "status": "chua_thuc_hien",
            },
        ),
    )
    response = admin_client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    meeting = Meeting.objects.get()
    assert meeting.code == "HN-20160815-1"
    assert [p.order for p in meeting.participations.all()] == [1, 2]
    assert meeting.speeches.get().order == 1
    task = meeting.tasks.get()
    assert task.order == 1 and task.meeting_date == datetime.date(2016, 8, 15)


def assert_refused(admin_client, data, message):
    before = {model: model.objects.count() for model in (Meeting, Participation, Speech, Conclusion, FollowUpTask)}
    response = admin_client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 200
    assert response.content.decode().count(message) == 1  # said once, where the clerk looks
    assert before == {model: model.objects.count() for model in before}


def test_admin_refuses_a_participant_without_name_or_post(admin_client, references):
    bloc = references[demo.BLOC_2016]
    data = meeting_post(bloc, **rows("participations", {"role": "du", "organisation_name": "Sở Nội vụ"}))
    assert_refused(admin_client, data, "Thành phần dự họp cần có họ tên hoặc chức vụ.")


def test_admin_refuses_a_repeated_speech_order(admin_client, references):
    bloc = references[demo.BLOC_2016]
    data = meeting_post(
        bloc,
        **rows(
            "speeches",
            {"order": "1", "kind": "phat_bieu", "summary": "Ý kiến một"},
            {"order": "1", "kind": "phat_bieu", "summary": "Ý kiến hai"},
        ),
    )
    assert_refused(admin_client, data, "Số thứ tự phát biểu bị trùng")


def test_admin_refuses_a_task_due_before_the_meeting(admin_client, references):
    bloc = references[demo.BLOC_2016]
    data = meeting_post(
        bloc,
        **rows("tasks", {"text": "Việc", "owner": bloc.pk, "due_date": "14/08/2016", "status": "chua_thuc_hien"}),
    )
    assert_refused(admin_client, data, "Hạn hoàn thành không được trước ngày họp (15/08/2016).")


def test_admin_refuses_a_done_date_on_an_open_task(admin_client, references):
    bloc = references[demo.BLOC_2016]
    data = meeting_post(
        bloc,
        **rows("tasks", {"text": "Việc", "owner": bloc.pk, "status": "dang_thuc_hien", "done_on": "01/09/2016"}),
    )
    assert_refused(admin_client, data, "Chỉ nhiệm vụ đã hoàn thành mới có ngày hoàn thành.")


def test_admin_refuses_the_same_person_twice(admin_client, references):
    bloc = references[demo.BLOC_2016]
    person = Person.objects.create(name="Lê Văn Vinh")
    data = meeting_post(
        bloc,
        **rows("participations", {"role": "chu_tri", "person": person.pk}, {"role": "du", "person": person.pk}),
    )
    assert_refused(admin_client, data, "Người này đã có ở dòng trên.")


def test_moving_the_meeting_and_its_task_together_in_the_admin(admin_client, references):
    task = TaskFactory(meeting=MeetingFactory(code="HN-1"), order=1, due_date=datetime.date(2016, 8, 20))
    meeting = task.meeting
    data = meeting_post(
        meeting.organiser,
        code="HN-1",
        start_0="25/08/2016",
        **rows(
            "tasks",
            {
                "id": task.pk,
                "meeting": meeting.pk,
                "order": "1",
                "text": task.text,
                "owner": task.owner_id,
                "due_date": "31/08/2016",
                "status": "chua_thuc_hien",
            },
        ),
    )
    data.update(management("tasks", 1, initial=1))
    # The versions the page carries (ntm_site.accounts.versions): the meeting's and its task's.
    data[VERSION_FIELD] = history_token(Meeting, meeting.pk)
    data[f"tasks-0-{VERSION_FIELD}"] = history_token(FollowUpTask, task.pk)
    response = admin_client.post(change_url(meeting), data)
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.meeting_date, task.due_date) == (datetime.date(2016, 8, 25), datetime.date(2016, 8, 31))


# --- the person page --------------------------------------------------------------------------


def test_person_page_lists_every_meeting_with_the_post_held_then(admin_client, references):
    person = Person.objects.create(name="Trần Thế Dũng")
    ParticipationFactory(
        meeting=MeetingFactory(start=at("15/08/2016")), person=person, order=1, position="TUV, Bí thư Đảng ủy Khối"
    )
    ParticipationFactory(
        meeting=MeetingFactory(start=at("10/01/2022"), title="Làm việc với Đảng ủy Khối CCQ&DN"),
        person=person,
        order=1,
        position="Phó Bí thư Thường trực Tỉnh ủy",
        role=ParticipationRole.CHAIR,
    )
    page = admin_client.get(change_url(person)).content.decode()
    assert "Các hội nghị đã dự (chức vụ lúc dự họp)" in page
    assert page.index("10/01/2022") < page.index("15/08/2016")  # newest first
    assert "Phó Bí thư Thường trực Tỉnh ủy" in page and "TUV, Bí thư Đảng ủy Khối" in page


def test_person_search_without_diacritics(admin_client, references):
    Person.objects.create(name="Ngô Đình Long")
    page = admin_client.get(reverse("admin:meetings_person_changelist"), {"q": "ngo dinh long"}).content.decode()
    assert "Ngô Đình Long" in page


# --- the task list ------------------------------------------------------------------------------


def task_list(superuser, **params):
    request = RequestFactory().get("/", params)
    request.user = superuser
    model_admin = admin.site._registry[FollowUpTask]
    changelist = model_admin.get_changelist_instance(request)
    return list(changelist.get_queryset(request))


def test_task_list_filters_by_owner_status_overdue_and_due_month(superuser, references):
    meeting = MeetingFactory()
    department, bloc = OrganisationFactory(name="Sở A"), OrganisationFactory(name="Sở B")
    late = TaskFactory(meeting=meeting, order=1, owner=department, due_date=datetime.date(2016, 9, 30))
    done = TaskFactory(
        meeting=meeting,
        order=2,
        owner=department,
        due_date=datetime.date(2016, 10, 31),
        status=TaskStatus.DONE,
        done_on=datetime.date(2016, 10, 1),
    )
    ongoing = TaskFactory(meeting=meeting, order=3, owner=bloc, due_date=None, status=TaskStatus.IN_PROGRESS)
    assert set(task_list(superuser, owner=department.pk)) == {late, done}
    assert task_list(superuser, status=TaskStatus.IN_PROGRESS) == [ongoing]
    assert task_list(superuser, overdue="yes") == [late]
    assert set(task_list(superuser, overdue="no")) == {done, ongoing}
    assert task_list(superuser, due_month="2016-10") == [done]
    assert task_list(superuser, due_month="none") == [ongoing]
    assert set(task_list(superuser, open="yes")) == {late, ongoing}


def test_task_list_filter_choices_come_from_small_tables(admin_client, references):
    TaskFactory(owner=OrganisationFactory(name="Sở Nội vụ thử"), due_date=datetime.date(2016, 9, 30))
    page = admin_client.get(reverse("admin:meetings_followuptask_changelist")).content.decode()
    assert "Sở Nội vụ thử" in page
    assert "09/2016" in page  # due month
    assert "Quá hạn (chưa xong, đã qua hạn)" in page


def test_task_list_marks_overdue_tasks(admin_client, references):
    TaskFactory(due_date=datetime.date(2016, 9, 30))
    page = admin_client.get(reverse("admin:meetings_followuptask_changelist"), {"overdue": "yes"}).content.decode()
    assert "icon-yes.svg" in page


def test_mark_done_action(admin_client, references):
    task = TaskFactory(due_date=datetime.date(2016, 9, 30))
    response = admin_client.post(
        reverse("admin:meetings_followuptask_changelist"),
        {"action": "mark_done_today", "_selected_action": [task.pk]},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_on is not None


def test_task_list_exports_to_excel(admin_client, minutes):
    from meetings.resources import FollowUpTaskResource

    fields = {f"followuptaskresource_{name}": "on" for name in FollowUpTaskResource().get_export_order()}
    response = admin_client.post(
        reverse("admin:meetings_followuptask_export") + "?overdue=yes", {"format": "0", "resource": "0", **fields}
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Lập chương trình, kế hoạch đỡ đầu cụ thể và ký kết với từng xã được UBND tỉnh giao." in texts
    assert "Quá hạn" in texts


def test_minutes_template_download(admin_client):
    response = admin_client.get(reverse("admin:meetings_meeting_import_template"))
    assert response.status_code == 200
    assert "bieu_mau_bien_ban_hoi_nghi.xlsx" in response["Content-Disposition"]


def preview_minutes(client, data, name="bien_ban.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = client.post(reverse("admin:meetings_meeting_import"), {"import_file": SimpleUploadedFile(name, data)})
    assert preview.status_code == 200
    assert preview.context["report"].ok, preview.context["report"].error_lines(5)
    return preview


def test_minutes_import_preview_then_confirm_runs_as_a_job(admin_client, references):
    from ntm_site.models import ImportBatch, Job

    preview = preview_minutes(admin_client, demo.minutes_workbook())
    page = preview.content.decode()
    assert "Các trang của sổ biên bản" in page and "Xác nhận nhập" in page
    assert not Meeting.objects.exists()
    confirm = preview.context["confirm_form"].initial
    response = admin_client.post(reverse("admin:meetings_meeting_process_import"), confirm)
    job = Job.objects.get()
    # The confirm hands the workbook to a background job and shows its page (the suite's backend runs it at once).
    assert response.status_code == 302 and response["Location"] == reverse("admin:ntm_site_job_page", args=[job.pk])
    page = admin_client.get(response["Location"]).content.decode()
    assert "Xong" in page and "Đã nhập xong biên bản từ tệp “bien_ban.xlsx”" in page
    assert (job.kind, job.handler) == (Job.Kind.IMPORT, "meetings.minutes_import")
    assert Meeting.objects.count() == 6 and Participation.objects.count() == 24 and FollowUpTask.objects.count() == 19
    # One batch for the whole workbook, done with every sheet's rows, and the history of each row names it.
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.created, batch.job_id) == (ImportBatch.Status.DONE, 6 + 24 + 17 + 32 + 19, job.pk)
    assert Meeting.objects.get(code=HT).history.get().history_change_reason == batch.change_reason
    assert not Job.objects.get().input_file  # the upload is removed once imported


def test_a_minutes_workbook_confirmed_twice_is_imported_once(admin_client, references):
    from ntm_site.models import ImportBatch, Job

    confirm = preview_minutes(admin_client, demo.minutes_workbook()).context["confirm_form"].initial
    first = admin_client.post(reverse("admin:meetings_meeting_process_import"), confirm)
    second = admin_client.post(reverse("admin:meetings_meeting_process_import"), confirm, follow=True)
    job = Job.objects.get()
    assert first["Location"] == second.redirect_chain[0][0] == reverse("admin:ntm_site_job_page", args=[job.pk])
    assert "đã được xác nhận nhập rồi (Xong); không nhập lần nữa" in second.content.decode()
    assert Job.objects.count() == 1 and ImportBatch.objects.count() == 1
    assert Meeting.objects.count() == 6 and Speech.objects.count() == 17


def test_a_minutes_workbook_refused_by_the_job_writes_nothing_and_says_why(admin_client, references):
    from ntm_site.models import ImportBatch, Job
    from sponsorship.models import Organisation

    confirm = preview_minutes(admin_client, demo.minutes_workbook()).context["confirm_form"].initial
    # Between the preview and the job, the organiser of the meetings is deleted: the job refuses them.
    organiser = Organisation.objects.get(name="Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh")
    organiser.delete()
    response = admin_client.post(reverse("admin:meetings_meeting_process_import"), confirm, follow=True)
    job = Job.objects.get()
    assert response.redirect_chain[-1][0] == reverse("admin:ntm_site_job_page", args=[job.pk])
    assert job.state == Job.State.FAILED and not job.retryable
    page = response.content.decode()
    assert "Lỗi" in page and "Không ghi gì" in page and "Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh" in page
    assert "Chạy lại" not in page
    assert not Meeting.objects.exists() and not Participation.objects.exists() and not Person.objects.exists()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED and "Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh" in batch.error_summary


def test_minutes_import_shows_errors_and_writes_nothing(admin_client, references):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.tests.workbooks import HT, meeting_row, minutes_file

    data = minutes_file(meetings=[meeting_row()], speeches=[[HT, 1, "", "", "", "a", ""], [HT, 1, "", "", "", "b", ""]])
    response = admin_client.post(
        reverse("admin:meetings_meeting_import"), {"import_file": SimpleUploadedFile("x.xlsx", data)}
    )
    page = response.content.decode()
    assert "trùng với dòng 3" in page
    assert "Xác nhận nhập" not in page
    assert not Meeting.objects.exists()


# --- the printable minutes ----------------------------------------------------------------------


def test_print_view_is_a_clean_a4_page_in_vietnamese(admin_client, minutes):
    response = admin_client.get(reverse("admin:meetings_meeting_print", args=[minutes.pk]))
    page = response.content.decode()
    assert "@page { size: A4" in page
    for heading in ("BIÊN BẢN HỘI NGHỊ", "I. Thời gian, địa điểm, hình thức", "II. Thành phần", "III. Nội dung"):
        assert heading in page
    assert "IV. Kết luận" in page and "V. Nhiệm vụ giao" in page
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in page  # a Party body's minutes
    assert "Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh" in page
    assert "14:00" in page and "15/08/2016" in page and "30/09/2016" in page
    assert "Đồng chí Trần Thế Dũng – TUV, Bí thư Đảng ủy Khối" in page
    assert "51 đảng bộ, chi bộ trực thuộc đỡ đầu, giúp đỡ 73 xã" in page
    # No admin chrome: no header, no breadcrumbs, no admin stylesheet.
    assert 'id="header"' not in page and "breadcrumbs" not in page and "admin/css" not in page


def test_print_view_lists_speeches_in_order(admin_client, minutes):
    page = admin_client.get(reverse("admin:meetings_meeting_print", args=[minutes.pk])).content.decode()
    speakers = ["Lê Văn Vinh", "Nguyễn Văn Hạnh", "Trần Quang Tuấn", "Nguyễn Văn Thảo", "Nguyễn Thế Hoàn"]
    content = page[page.index("III. Nội dung") :]
    positions = [content.index(name) for name in speakers]
    assert positions == sorted(positions)


def test_print_view_of_an_online_meeting_lists_bridge_points(admin_client, minutes):
    online = Meeting.objects.get(code="HG-20170420-BCD")
    page = admin_client.get(reverse("admin:meetings_meeting_print", args=[online.pk])).content.decode()
    assert "với 11 điểm cầu" in page and "Huyện Đồng Văn" in page


def test_print_view_queries_do_not_grow_with_the_minutes(admin_client, references):
    small, large = full_meeting(2), full_meeting(12)
    url = "admin:meetings_meeting_print"
    assert count_queries(admin_client, reverse(url, args=[small.pk])) == count_queries(
        admin_client, reverse(url, args=[large.pk])
    )


def test_print_view_is_for_staff_with_view_permission(client, django_user_model, references):
    meeting = MeetingFactory()
    url = reverse("admin:meetings_meeting_print", args=[meeting.pk])
    assert client.get(url).status_code == 302  # to the login page

    clerk = django_user_model.objects.create_user("thuky", password="mat-khau-dai-123")
    client.force_login(clerk)
    assert client.get(url).status_code == 302  # not staff: the admin login again

    clerk.is_staff = True
    clerk.save()
    UserScope.objects.create(user=clerk, role=Role.VIEWER, unit=AdministrativeUnit.objects.provinces().first())
    assert client.get(url).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    assert client.get(url).status_code == 200


def test_print_view_of_a_missing_meeting_is_404(admin_client):
    assert admin_client.get(reverse("admin:meetings_meeting_print", args=[999999])).status_code == 404


def test_concluding_speech_kind_is_printed(admin_client, minutes):
    page = admin_client.get(reverse("admin:meetings_meeting_print", args=[minutes.pk])).content.decode()
    assert f"7. {SpeechKind.CONCLUDING.label}" in page
