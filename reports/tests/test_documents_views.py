"""The draft documents from the admin (report pages, the meeting page) and from export_report."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from meetings.choices import ParticipationRole, SpeechKind
from meetings.models import FollowUpTask
from meetings.tests.factories import ConclusionFactory, MeetingFactory, ParticipationFactory, SpeechFactory
from reports.documents import DOCX_CONTENT_TYPE
from reports.documents.testing import ReadDocument, make_decision_140
from sponsorship.models import Organisation

DOCUMENT_PARAMS = {
    "decision-review": {"decision": "140-QĐ/TU", "as_of": "2019-05-22"},
    "sponsor-scorecard": {"as_of": "2019-05-22"},
    "criteria-summary": {"district": "Huyện Kỳ Anh", "year": "2017"},
}


@pytest.fixture
def decision_140(db):
    return make_decision_140()


@pytest.mark.parametrize("slug", list(DOCUMENT_PARAMS))
def test_report_page_offers_the_draft_with_its_own_filters(admin_client, decision_140, slug):
    page = admin_client.get(reverse("reports:report", args=[slug]), DOCUMENT_PARAMS[slug]).content.decode()
    assert "Tải bản dự thảo (.docx)" in page
    assert reverse("reports:document", args=[slug]) + "?" in page


def test_reports_without_a_document_offer_no_draft(admin_client, decision_140):
    page = admin_client.get(reverse("reports:report", args=["support-ledger"]), {"group_by": "category"})
    assert "Tải bản dự thảo" not in page.content.decode()


@pytest.mark.parametrize("slug", list(DOCUMENT_PARAMS))
def test_draft_download_is_a_word_file_of_the_same_result(admin_client, decision_140, slug):
    response = admin_client.get(reverse("reports:document", args=[slug]), DOCUMENT_PARAMS[slug])
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="bao-cao-')
    read = ReadDocument.from_bytes(response.content)
    assert "BÁO CÁO" in read.paragraphs
    assert read.table_cells[-2].startswith("Nơi nhận:")


def test_decision_review_draft_reads_the_decisions_figures(admin_client, decision_140):
    response = admin_client.get(
        reverse("reports:document", args=["decision-review"]), DOCUMENT_PARAMS["decision-review"]
    )
    read = ReadDocument.from_bytes(response.content)
    assert any(line.startswith("Sơ kết 3 năm thực hiện Quyết định số 140-QĐ/TU") for line in read.paragraphs)


def test_draft_header_style_can_be_chosen(admin_client, decision_140):
    params = {**DOCUMENT_PARAMS["criteria-summary"], "style": "party"}
    read = ReadDocument.from_bytes(
        admin_client.get(reverse("reports:document", args=["criteria-summary"]), params).content
    )
    assert read.header_right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"


def test_invalid_parameters_go_back_to_the_report_page(admin_client, decision_140):
    response = admin_client.get(reverse("reports:document", args=["decision-review"]), {"decision": "không-có"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reports:report", args=["decision-review"]))


def test_drafts_need_the_reports_permissions(client, decision_140, django_user_model):
    clerk = django_user_model.objects.create_user("vanthu", password=None, is_staff=True)
    client.force_login(clerk)
    url = reverse("reports:document", args=["decision-review"])
    assert client.get(url, DOCUMENT_PARAMS["decision-review"]).status_code == 403


@pytest.fixture
def meeting(db):
    bloc = Organisation.objects.create(name="Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh", kind="co_quan_dang")
    department = Organisation.objects.create(name="Sở Nội vụ tỉnh Hà Tĩnh", kind="so_nganh")
    meeting = MeetingFactory(organiser=bloc)
    chair = ParticipationFactory(
        meeting=meeting, role=ParticipationRole.CHAIR, position="TUV, Bí thư Đảng ủy Khối", person__name="Trần Thế Dũng"
    )
    ParticipationFactory(meeting=meeting, position="", organisation=department, person__name="Nguyễn Văn Thảo")
    SpeechFactory(meeting=meeting, order=1, kind=SpeechKind.CONCLUDING, speaker=chair, summary="Kết luận hội nghị.")
    conclusion = ConclusionFactory(meeting=meeting, order=1, text="Kiện toàn Tổ giúp việc xây dựng nông thôn mới.")
    FollowUpTask.objects.create(
        meeting=meeting,
        conclusion=conclusion,
        order=1,
        text="Rà soát cán bộ các đoàn thể ở xã",
        owner=department,
        due_date=datetime.date(2016, 10, 31),
    )
    return meeting


def test_meeting_page_links_its_minutes_and_notice(admin_client, meeting):
    page = admin_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).content.decode()
    assert reverse("reports:meeting-document", args=[meeting.pk, "minutes"]) in page
    assert reverse("reports:meeting-document", args=[meeting.pk, "conclusions"]) in page
    assert "Thông báo kết luận (.docx)" in page


def test_meeting_notice_download_holds_chair_conclusion_and_task(admin_client, meeting):
    response = admin_client.get(reverse("reports:meeting-document", args=[meeting.pk, "conclusions"]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    read = ReadDocument.from_bytes(response.content)
    assert read.header_left[:2] == ["ĐẢNG BỘ TỈNH HÀ TĨNH", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH"]
    assert "Kết luận của đồng chí Trần Thế Dũng, TUV, Bí thư Đảng ủy Khối" in read.paragraphs
    assert "1. Kiện toàn Tổ giúp việc xây dựng nông thôn mới." in read.paragraphs
    assert "đồng chí Nguyễn Văn Thảo, Sở Nội vụ tỉnh Hà Tĩnh" in read.text
    task_table = next(t for t in read.document.tables if t.rows[0].cells[1].text == "Nội dung nhiệm vụ")
    assert [c.text for c in task_table.rows[1].cells[1:4]] == [
        "Rà soát cán bộ các đoàn thể ở xã",
        "Sở Nội vụ tỉnh Hà Tĩnh",
        "31/10/2016",
    ]


def test_meeting_minutes_download_and_its_permission(client, superuser, meeting, django_user_model):
    url = reverse("reports:meeting-document", args=[meeting.pk, "minutes"])
    client.force_login(superuser)
    assert "BIÊN BẢN" in ReadDocument.from_bytes(client.get(url).content).paragraphs
    assert client.get(reverse("reports:meeting-document", args=[meeting.pk + 1000, "minutes"])).status_code == 404
    client.force_login(django_user_model.objects.create_user("vanthu", password=None, is_staff=True))
    assert client.get(url).status_code == 403


def test_export_report_writes_the_draft(decision_140, tmp_path):
    target = tmp_path / "so-ket.docx"
    call_command(
        "export_report", "decision-review", "--param", "decision=140-QĐ/TU", "--param", "as_of=2019-05-22",
        "--format", "docx", "-o", str(target),
    )  # fmt: skip
    read = ReadDocument.from_bytes(target.read_bytes())
    assert "BÁO CÁO" in read.paragraphs


def test_export_report_docx_needs_a_report_with_a_document_and_a_file(decision_140, tmp_path):
    with pytest.raises(CommandError, match="chưa có mẫu văn bản"):
        call_command("export_report", "support-ledger", "--format", "docx", "-o", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="cần --output"):
        call_command("export_report", "criteria-summary", "--param", "year=2017", "--format", "docx")
