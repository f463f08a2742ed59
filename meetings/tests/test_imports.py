"""The minutes workbook and its per-sheet templates, through the spreadsheet engine."""

import datetime
import io

import openpyxl
import pytest
from django.utils import translation

from meetings.choices import ParticipationRole, SpeechKind, TaskStatus
from meetings.models import Conclusion, FollowUpTask, Meeting, Participation, Person, Speech
from meetings.resources import FollowUpTaskResource, TimeWidget, minutes_template
from meetings.services import minutes_workbook_import
from meetings.tests.factories import TaskFactory
from meetings.tests.workbooks import HT, meeting_row, minutes_file
from ntm_site.models import ImportBatch
from ntm_site.spreadsheets.errors import CellError
from ntm_site.spreadsheets.registry import get_resource
from ntm_site.spreadsheets.services import workbook_import
from seeds import build_meetings_demo as demo

pytestmark = pytest.mark.django_db

ALL_MODELS = (Meeting, Participation, Speech, Conclusion, FollowUpTask)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def nothing_written():
    return all(not model.objects.exists() for model in ALL_MODELS) and not Person.objects.exists()


def import_minutes(data, **kwargs):
    return minutes_workbook_import(file=data, file_name="bien_ban.xlsx", **kwargs)


# --- the six meetings of the demo -------------------------------------------------------------


def test_the_minutes_workbook_imports_with_the_admin_in_english(references, superuser):
    """Its sheets are named in Vietnamese ("Hội nghị", "Thành phần"…): found whatever the admin's language."""
    with translation.override("en"):
        report = import_minutes(demo.minutes_workbook(), user=superuser, dry_run=True)
        assert report.ok, report.fatal or report.error_lines()
        assert [s.report.created for s in report.sheets] == [6, 24, 17, 32, 19]


def test_the_six_meetings_import_from_one_minutes_workbook(references, superuser):
    report = import_minutes(demo.minutes_workbook(), user=superuser)
    assert report.ok, report.error_lines()
    assert Meeting.objects.count() == 6
    assert [s.report.created for s in report.sheets] == [6, 24, 17, 32, 19]

    giao_ban = Meeting.objects.get(code=HT)
    assert giao_ban.local_date == datetime.date(2016, 8, 15)
    assert giao_ban.organiser.name == giao_ban.organiser_label == "Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh"
    assert Meeting.objects.get(code="NB-2019-140QD").organiser_label == "Ban Thường vụ Tỉnh ủy Ninh Bình"
    assert list(giao_ban.decisions.values_list("symbol", flat=True)) == ["11-KH/ĐUK"]
    chairs = giao_ban.participations.filter(role=ParticipationRole.CHAIR)
    assert [p.person.name for p in chairs] == ["Trần Thế Dũng", "Lê Văn Vinh"]
    assert chairs[0].position == "TUV, Bí thư Đảng ủy Khối"
    delegation = giao_ban.participations.get(person=None, organisation_name__contains="13 đơn vị")
    assert delegation.position.startswith("Đại diện lãnh đạo cấp ủy")

    opening = giao_ban.speeches.get(order=1)
    assert opening.kind == SpeechKind.OPENING_REPORT
    assert opening.speaker.person.name == "Lê Văn Vinh"
    assert "51 đảng bộ, chi bộ trực thuộc đỡ đầu, giúp đỡ 73 xã" in opening.summary
    assert sorted(opening.criteria.values_list("number", flat=True)) == [2, 5, 6, 10, 11, 16, 17]
    assert giao_ban.speeches.get(order=7).speaker.person.name == "Trần Thế Dũng"
    assert "Kế hoạch 11" in giao_ban.conclusions.get(order=1).text

    online = Meeting.objects.get(code="HG-20170420-BCD")
    assert online.is_online and online.bridge_point_count == 11
    assert online.bridge_units.count() == 11
    assert {p.person.name for p in online.participations.filter(role="chu_tri")} == {
        "Thào Hồng Sơn",
        "Nguyễn Trung Tài",
    }

    school = FollowUpTask.objects.get(meeting__code="HT-KA-2017-Q1", owner__name="Hội Khuyến học huyện Kỳ Anh")
    assert sorted(school.communes.values_list("name", flat=True)) == [
        "Xã Kỳ Châu",
        "Xã Kỳ Lạc",
        "Xã Kỳ Tiến",
        "Xã Kỳ Văn",
        "Xã Kỳ Xuân",
    ]
    assert school.conclusion.order == 1
    assert list(Meeting.objects.get(code="NB-2019-140QD").decisions.values_list("symbol", flat=True)) == ["140-QĐ/TU"]

    # Each sheet is one import batch, with the clerk as its author.
    assert ImportBatch.objects.filter(user=superuser).count() == 5


def test_importing_the_same_workbook_again_changes_nothing(references):
    assert import_minutes(demo.minutes_workbook()).ok
    again = import_minutes(demo.minutes_workbook())
    assert again.ok
    assert again.created == 0 and again.updated == 0
    assert again.unchanged == 6 + 24 + 17 + 32 + 19
    assert Person.objects.filter(name="Trần Thế Dũng").count() == 1


def test_preview_writes_nothing(references):
    report = import_minutes(demo.minutes_workbook(), dry_run=True)
    assert report.ok
    assert report.created == 98
    assert nothing_written()
    assert not ImportBatch.objects.exists()


def test_each_sheet_imports_alone_through_its_own_template(references):
    for name, _sheet, _title, _rows in demo.MINUTES_BOOKS:
        slug = name.split("_", 1)[1].removesuffix(".xlsx")
        book = demo.workbook_bytes([entry for entry in demo.MINUTES_BOOKS if entry[0] == name])
        report = workbook_import(resource_class=get_resource(slug), file=book, file_name=name)
        assert report.ok, (name, report.error_lines())
    assert FollowUpTask.objects.count() == 19
    assert Speech.objects.filter(speaker__isnull=False).count() == 13


def test_the_demo_workbooks_are_up_to_date():
    for name, data in demo.build().items():
        assert (demo.DATA_DIR / name).read_bytes() == data, f"run seeds/build_meetings_demo.py ({name})"


# --- bad input: a clear message, nothing written ----------------------------------------------


def test_participation_with_neither_name_nor_post_is_refused(references):
    data = minutes_file(
        meetings=[meeting_row()],
        participants=[
            [HT, 1, "Trần Thế Dũng", "", "TUV", "", "", "Chủ trì"],
            [HT, 2, "", "", "", "Sở Nội vụ", "", "Dự"],
        ],
    )
    report = import_minutes(data)
    assert not report.ok
    assert [str(e) for e in report.errors] == [
        "Trang “Thành phần”, dòng 4, cột “Họ và tên”: ô trống: Thành phần dự họp cần có họ tên hoặc chức vụ."
    ]
    assert report.sheets[0].report.ok and report.sheets[1].report.error_rows == {4}
    assert nothing_written()


def test_repeated_speech_order_in_one_meeting_is_refused(references):
    data = minutes_file(
        meetings=[meeting_row()],
        speeches=[
            [HT, 1, "Phát biểu", "", "", "Ý kiến thứ nhất", ""],
            [HT, 1, "Phát biểu", "", "", "Ý kiến thứ hai", ""],
        ],
    )
    report = import_minutes(data)
    assert not report.ok
    (error,) = report.errors
    assert error.sheet == "Phát biểu" and error.row_number == 4
    assert "trùng với dòng 3" in str(error)
    assert nothing_written()


def test_speech_order_taken_in_the_database_is_updated_not_duplicated(references):
    assert import_minutes(minutes_file(meetings=[meeting_row()], speeches=[[HT, 1, "", "", "", "Bản đầu", ""]])).ok
    assert import_minutes(minutes_file(speeches=[[HT, 1, "", "", "", "Bản sửa", ""]])).ok
    assert list(Speech.objects.values_list("order", "summary")) == [(1, "Bản sửa")]


def test_task_due_before_its_meeting_is_refused(references):
    data = minutes_file(
        meetings=[meeting_row()],
        tasks=[
            [HT, 1, "Kiện toàn Tổ giúp việc", "", "Đảng bộ Sở Nội vụ tỉnh Hà Tĩnh", "", "", "14/08/2016", "", "", ""]
        ],
    )
    report = import_minutes(data)
    assert [str(e) for e in report.errors] == [
        "Trang “Nhiệm vụ”, dòng 3, cột “Hạn hoàn thành”: giá trị “14/08/2016”: "
        "Hạn hoàn thành không được trước ngày họp (15/08/2016)."
    ]
    assert nothing_written()


def test_done_date_on_an_open_task_is_refused(references):
    data = minutes_file(
        meetings=[meeting_row()],
        tasks=[
            [
                HT,
                1,
                "Kiện toàn Tổ giúp việc",
                "",
                "Đảng bộ Sở Nội vụ tỉnh Hà Tĩnh",
                "",
                "",
                "",
                "Đang thực hiện",
                "01/09/2016",
                "",
            ]
        ],
    )
    report = import_minutes(data)
    (error,) = report.errors
    assert error.column == "Ngày hoàn thành"
    assert "Chỉ nhiệm vụ đã hoàn thành mới có ngày hoàn thành." in str(error)
    assert nothing_written()


def test_an_error_in_a_later_sheet_rolls_back_the_earlier_ones(references):
    data = minutes_file(
        meetings=[meeting_row()],
        participants=[[HT, 1, "Trần Thế Dũng", "", "TUV", "", "", "Chủ trì"]],
        tasks=[[HT, 1, "Việc", "", "Không có đơn vị này", "", "", "", "", "", ""]],
    )
    report = import_minutes(data)
    (error,) = report.errors
    assert error.sheet == "Nhiệm vụ" and error.column == "Đơn vị thực hiện"
    assert "không tìm thấy cơ quan, đơn vị này" in str(error)
    assert nothing_written()
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED


def test_a_sheet_after_a_failing_one_is_not_checked(references):
    data = minutes_file(meetings=[meeting_row(**{"Ngày họp": "không rõ"})], speeches=[[HT, 1, "", "", "", "x", ""]])
    report = import_minutes(data)
    assert not report.ok
    assert [s.checked for s in report.sheets] == [True, False, False, False, False]
    assert "chưa kiểm tra" in report.sheets[2].status


def test_speaker_must_be_in_the_meetings_participants(references):
    data = minutes_file(
        meetings=[meeting_row()],
        participants=[[HT, 1, "Trần Thế Dũng", "", "TUV", "", "", "Chủ trì"]],
        speeches=[[HT, 1, "Phát biểu", "Nguyễn Văn A", "", "Ý kiến", ""], [HT, 2, "Kết luận", 1, "", "Kết luận", ""]],
    )
    report = import_minutes(data)
    (error,) = report.errors
    assert error.row_number == 3 and "không có người này trong trang “Thành phần”" in str(error)


def test_speaker_by_participant_number_or_name_without_diacritics(references):
    data = minutes_file(
        meetings=[meeting_row()],
        participants=[
            [HT, 1, "Trần Thế Dũng", "", "TUV", "", "", "Chủ trì"],
            [HT, 2, "", "", "Thư ký hội nghị", "", "", "Thư ký"],
        ],
        speeches=[[HT, 1, "Kết luận", "tran the dung", "", "Kết luận", "17; TC2"], [HT, 2, "", 2, "", "Ghi chép", ""]],
    )
    report = import_minutes(data)
    assert report.ok, report.error_lines()
    first, second = Speech.objects.order_by("order")
    assert first.speaker.person.name == "Trần Thế Dũng"
    assert sorted(first.criteria.values_list("number", flat=True)) == [2, 17]
    assert second.speaker.position == "Thư ký hội nghị" and second.kind == SpeechKind.REMARKS


def test_bridge_points_on_a_meeting_that_is_not_online_are_refused(references):
    report = import_minutes(minutes_file(meetings=[meeting_row(**{"Số điểm cầu": 5})]))
    (error,) = report.errors
    assert error.column == "Số điểm cầu" and "Chỉ hội nghị trực tuyến mới có điểm cầu." in str(error)


def test_unknown_decision_names_the_symbol(references):
    report = import_minutes(minutes_file(meetings=[meeting_row(**{"Văn bản được sơ kết": "999-QĐ/TU"})]))
    (error,) = report.errors
    assert "“999-QĐ/TU”" in str(error)


def test_moving_a_meeting_after_a_tasks_due_date_is_refused(references):
    meeting_file = minutes_file(meetings=[meeting_row()])
    assert import_minutes(meeting_file).ok
    TaskFactory(meeting=Meeting.objects.get(), order=1, due_date=datetime.date(2016, 8, 20))
    report = import_minutes(minutes_file(meetings=[meeting_row(**{"Ngày họp": datetime.date(2016, 8, 25)})]))
    (error,) = report.errors
    assert "sau hạn của nhiệm vụ số 1 (20/08/2016)" in str(error)
    assert Meeting.objects.get().local_date == datetime.date(2016, 8, 15)


def test_moving_a_meeting_moves_its_tasks_day(references):
    assert import_minutes(minutes_file(meetings=[meeting_row()])).ok
    task = TaskFactory(meeting=Meeting.objects.get(), order=1, due_date=datetime.date(2016, 12, 31))
    assert import_minutes(minutes_file(meetings=[meeting_row(**{"Ngày họp": datetime.date(2016, 8, 25)})])).ok
    task.refresh_from_db()
    assert task.meeting_date == datetime.date(2016, 8, 25)


def test_a_workbook_without_any_minutes_sheet_is_refused():
    report = import_minutes(openpyxl_bytes([["Mã xã", "Năm"], ["18559", 2016]]))
    assert "Không thấy trang nào của biểu mẫu biên bản" in report.fatal


def openpyxl_bytes(rows):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("14:00", datetime.time(14, 0)),
        ("8h30", datetime.time(8, 30)),
        ("14 giờ 30", datetime.time(14, 30)),
        ("14 gio", datetime.time(14, 0)),
        (0.5, datetime.time(12, 0)),
        (datetime.time(7, 45), datetime.time(7, 45)),
        (9, datetime.time(9, 0)),
    ],
)
def test_meeting_hour_as_clerks_write_it(cell, expected):
    assert TimeWidget().clean(cell) == expected


def test_a_hour_that_is_not_one_is_an_error():
    with pytest.raises(CellError):
        TimeWidget().clean("chiều")


# --- templates and exports -------------------------------------------------------------------


def test_minutes_template_has_a_sheet_per_part_with_hints_and_dropdowns():
    wb = openpyxl.load_workbook(io.BytesIO(minutes_template()))
    assert wb.sheetnames[:5] == ["Hội nghị", "Thành phần", "Phát biểu", "Kết luận", "Nhiệm vụ"]
    header = [c.value for c in wb["Nhiệm vụ"][3]]
    assert header[:3] == ["Mã hội nghị (*)", "STT nhiệm vụ (*)", "Nội dung nhiệm vụ (*)"]
    kinds = next(v for v in wb["Hội nghị"].data_validations.dataValidation if "Danh mục" in v.formula1)
    column = kinds.formula1.split("$")[1]
    lists = wb[wb.sheetnames[-1]]
    assert lists.sheet_state == "hidden"
    assert "Kiểm tra, giám sát" in [lists[f"{column}{r}"].value for r in range(1, 9)]


def test_the_empty_template_imports_as_nothing_to_do(references):
    report = import_minutes(minutes_template())
    assert report.ok and report.rows == 0


def test_task_list_exports_with_meeting_day_and_overdue(references):
    assert import_minutes(demo.minutes_workbook()).ok
    queryset = FollowUpTask.objects.filter(meeting__code=HT).order_by("order")
    dataset = FollowUpTaskResource().export(queryset)
    rows = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    assert len(rows) == 5
    assert rows[0]["Mã hội nghị"] == HT and rows[0]["Đơn vị thực hiện"] == demo.BLOC_2016
    assert rows[0]["Tình trạng"] == "Đã hoàn thành" and rows[0]["Quá hạn"] == ""
    assert rows[3]["Quá hạn"] == "Quá hạn"  # not started, due 30/11/2016
    assert rows[1]["Tiêu chí liên quan"] == "6; 16"


def test_exported_task_list_imports_back_unchanged(references):
    assert import_minutes(demo.minutes_workbook()).ok
    from ntm_site.spreadsheets.workbooks import export_xlsx

    dataset = FollowUpTaskResource().export(FollowUpTask.objects.all())
    data = export_xlsx(dataset.headers, list(dataset), title="NHIỆM VỤ")
    report = workbook_import(resource_class=FollowUpTaskResource, file=data, file_name="tasks.xlsx")
    assert report.ok, report.error_lines()
    assert report.unchanged == 19 and report.created == 0


def test_task_status_and_done_date_import(references):
    data = minutes_file(
        meetings=[meeting_row()],
        tasks=[
            [
                HT,
                1,
                "Việc đã xong",
                "",
                "Đảng bộ Sở Nội vụ tỉnh Hà Tĩnh",
                "",
                "",
                "30/09/2016",
                "Đã hoàn thành",
                "20/09/2016",
                "Xong",
            ]
        ],
    )
    assert import_minutes(data).ok
    task = FollowUpTask.objects.get()
    assert task.status == TaskStatus.DONE and task.done_on == datetime.date(2016, 9, 20)
    assert task.meeting_date == datetime.date(2016, 8, 15)


# --- the admin's confirm: a background job (meetings.jobs) ------------------------------------


def confirm_minutes(client, data):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    upload = SimpleUploadedFile("bb.xlsx", data)
    preview = client.post(reverse("admin:meetings_meeting_import"), {"import_file": upload})
    assert preview.context["report"].ok, preview.context["report"].error_lines(5)
    return preview.context["confirm_form"].initial


def test_a_full_database_under_the_minutes_job_writes_nothing_and_chay_lai_imports_the_kept_file(
    admin_client, references, monkeypatch
):
    """The disk fills after the first chunk (the meetings sheet's): the job says so in one message, writes
    nothing (the meetings neither) and offers "Chạy lại"; with room again that imports the same workbook, once."""
    from django.urls import reverse

    from ntm_site.models import Job
    from ntm_site.spreadsheets import failures
    from ntm_site.tests.test_import_failures import FullHalfway

    # Enough participants that SQLite needs new pages for them.
    participants = [[HT, n, f"Người dự số {n} có tên dài", "", "Cán bộ", "Sở Nội vụ", "", "Dự"] for n in range(1, 401)]
    confirm = confirm_minutes(admin_client, minutes_file(meetings=[meeting_row()], participants=participants))
    disk = FullHalfway(monkeypatch, table="meetings_participation")
    try:
        response = admin_client.post(reverse("admin:meetings_meeting_process_import"), confirm, follow=True)
    finally:
        disk.free()
    job = Job.objects.get()
    assert response.redirect_chain[-1][0] == reverse("admin:ntm_site_job_page", args=[job.pk])
    page = response.content.decode()
    assert str(failures.MESSAGES["full"]) in page and "dòng 3" not in page  # one message, no row blamed
    assert job.state == Job.State.FAILED and job.retryable
    assert reverse("admin:ntm_site_job_rerun", args=[job.pk]) in page  # "Chạy lại"
    assert nothing_written()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED and str(failures.MESSAGES["full"]) in batch.error_summary

    admin_client.post(reverse("admin:ntm_site_job_rerun", args=[job.pk]))
    job.refresh_from_db()
    assert (job.state, job.attempt) == (Job.State.DONE, 2), job.message
    assert Meeting.objects.count() == 1 and Participation.objects.count() == 400
    batch.refresh_from_db()
    assert (batch.status, batch.created) == (ImportBatch.Status.DONE, 401)


@pytest.mark.django_db(transaction=True)
def test_the_minutes_confirm_waits_for_a_real_worker_then_writes_the_meetings(request, admin_client, settings):
    """With django-tasks' database backend the confirm only queues: "Đang chờ", nothing written; `db_worker` runs
    it, and the job page says done with the meetings there."""
    from django.core.management import call_command
    from django.urls import reverse

    # A transactional test may follow another that emptied the database: the units and criteria sets the
    # minutes refer to are loaded again (idempotent) before the organisations and decisions.
    call_command("load_divisions", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    request.getfixturevalue("references")

    from ntm_site.models import Job
    from ntm_site.tests.test_background_jobs import DATABASE_TASKS, run_worker_once

    settings.TASKS = DATABASE_TASKS
    confirm = confirm_minutes(admin_client, demo.minutes_workbook())
    queued = admin_client.post(reverse("admin:meetings_meeting_process_import"), confirm)
    job = Job.objects.get()
    assert queued["Location"] == reverse("admin:ntm_site_job_page", args=[job.pk])
    assert job.state == Job.State.QUEUED and ImportBatch.objects.get().status == ImportBatch.Status.QUEUED
    assert "Đang chờ" in admin_client.get(queued["Location"]).content.decode()
    assert nothing_written()

    run_worker_once()

    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.message
    assert (job.total, job.written) == (6 + 24 + 17 + 32 + 19,) * 2
    assert Meeting.objects.count() == 6 and Speech.objects.count() == 17
    assert "Đã nhập xong biên bản" in admin_client.get(queued["Location"]).content.decode()
    assert ImportBatch.objects.get().status == ImportBatch.Status.DONE
