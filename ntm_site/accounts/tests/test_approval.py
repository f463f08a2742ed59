"""Approval of a commune-year in the admin: submit, verify, approve, send back with a reason, reopen; evidence."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from criteria import approval
from criteria.choices import ApprovalStatus
from criteria.models import Assessment, CommuneYear, Evidence
from criteria.tests.factories import sheet

from .test_admin_scope import as_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_sheet(place, records):
    """Xã Hương Liên's 2018 sheet, every criterion scored."""
    return sheet(place.huong_lien, 2018, "1" * 18 + "0")


def act(client, commune_year, action, reason=None):
    data = {"reason": reason} if reason is not None else {}
    return client.post(reverse("admin:criteria_communeyear_approval", args=[commune_year.pk, action]), data)


def status(commune_year):
    return CommuneYear.objects.get(pk=commune_year.pk).approval_status


def change_page(client, commune_year):
    return client.get(reverse("admin:criteria_communeyear_change", args=[commune_year.pk]))


def texts(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def line_form(commune_year, **changes):
    """The commune-year page's POST: its note and every line as it is, with `changes` on the first line."""
    lines = list(commune_year.assessments.order_by("criterion__number"))
    data = {
        "commune": commune_year.commune_id,
        "year": commune_year.year,
        "note": "",
        "assessments-TOTAL_FORMS": len(lines),
        "assessments-INITIAL_FORMS": len(lines),
        "assessments-MIN_NUM_FORMS": 0,
        "assessments-MAX_NUM_FORMS": 1000,
        "evidence-TOTAL_FORMS": 0,
        "evidence-INITIAL_FORMS": 0,
        "evidence-MIN_NUM_FORMS": 0,
        "evidence-MAX_NUM_FORMS": 1000,
    }
    for i, line in enumerate(lines):
        data.update(
            {
                f"assessments-{i}-id": line.pk,
                f"assessments-{i}-commune_year": commune_year.pk,
                f"assessments-{i}-criterion": line.criterion_id,
                f"assessments-{i}-status": line.status,
                f"assessments-{i}-note": line.note,
            }
        )
    data.update(changes)
    return data


def test_the_whole_way_from_draft_to_approved(client, people, year_sheet):
    clerk = as_user(client, people.commune_clerk)
    assert [a["name"] for a in change_page(clerk, year_sheet).context["ntm_approval"]["actions"]] == ["submit"]
    act(clerk, year_sheet, "submit")
    assert status(year_sheet) == ApprovalStatus.SUBMITTED

    district = as_user(client, people.huong_khe_clerk)
    names = [a["name"] for a in change_page(district, year_sheet).context["ntm_approval"]["actions"]]
    assert names == ["verify", "send_back"]
    act(district, year_sheet, "verify")
    assert status(year_sheet) == ApprovalStatus.VERIFIED
    assert act(district, year_sheet, "approve").status_code == 403  # the district does not approve

    coordinator = as_user(client, people.coordinator)
    act(coordinator, year_sheet, "approve")
    assert status(year_sheet) == ApprovalStatus.APPROVED
    rows = year_sheet.history.order_by("history_id")[1:]  # after the sheet's creation
    history = [(h.approval_status, h.history_user.username) for h in rows]
    assert history == [("submitted", "huonglien"), ("verified", "huonghke"), ("approved", "dieuphoi")]


def test_submitting_needs_every_criterion_scored(client, people, place, records):
    partial = sheet(place.huong_lien, 2017, "1" * 10 + "." * 9)
    response = act(as_user(client, people.commune_clerk), partial, "submit")
    assert "còn thiếu kết quả tiêu chí 11, 12" in texts(response)
    assert status(partial) == ApprovalStatus.DRAFT


def test_another_district_cannot_verify(client, people, year_sheet):
    approval.commune_year_submit(commune_year=year_sheet, user=people.commune_clerk)
    response = act(as_user(client, people.ky_anh_clerk), year_sheet, "verify")
    assert response.status_code in (302, 403)
    assert status(year_sheet) == ApprovalStatus.SUBMITTED


def test_a_submitted_sheet_is_read_only_for_the_commune_until_sent_back(client, people, year_sheet):
    approval.commune_year_submit(commune_year=year_sheet, user=people.commune_clerk)
    clerk = as_user(client, people.commune_clerk)
    page = change_page(clerk, year_sheet)
    assert page.context["has_change_permission"] is False
    assert "đang chờ xác nhận" in texts(page)
    url = reverse("admin:criteria_communeyear_change", args=[year_sheet.pk])
    first = year_sheet.assessments.order_by("criterion__number").first()
    assert clerk.post(url, line_form(year_sheet, **{"assessments-0-status": "chua_dat"})).status_code == 403
    first.refresh_from_db()
    assert first.status == "dat"

    district = as_user(client, people.huong_khe_clerk)
    assert "Cần ghi lý do" in texts(act(district, year_sheet, "send_back", reason=""))
    assert status(year_sheet) == ApprovalStatus.SUBMITTED
    act(district, year_sheet, "send_back", reason="Tiêu chí 19 thiếu biên bản kiểm tra.")
    assert status(year_sheet) == ApprovalStatus.DRAFT

    clerk = as_user(client, people.commune_clerk)
    page = change_page(clerk, year_sheet)
    assert page.context["has_change_permission"] is True
    assert "Tiêu chí 19 thiếu biên bản kiểm tra." in page.content.decode()


def test_approved_data_is_read_only_for_everyone_until_the_province_reopens_it(client, people, year_sheet, superuser):
    for action, user in (("submit", people.commune_clerk), ("verify", people.huong_khe_clerk)):
        approval.commune_year_transition(commune_year=year_sheet, action=action, user=user)
    approval.commune_year_approve(commune_year=year_sheet, user=people.coordinator)
    line = year_sheet.assessments.first()
    for user in (people.commune_clerk, people.huong_khe_clerk, people.coordinator, superuser):
        admin = as_user(client, user)
        page = admin.get(reverse("admin:criteria_assessment_change", args=[line.pk]))
        assert page.status_code == 200 and page.context["has_change_permission"] is False, user
        assert "đã được tỉnh phê duyệt" in texts(page)
        assert change_page(admin, year_sheet).context["has_change_permission"] is False
    assert "reopen" not in [
        a["name"]
        for a in change_page(as_user(client, people.huong_khe_clerk), year_sheet).context["ntm_approval"]["actions"]
    ]
    coordinator = as_user(client, people.coordinator)
    act(coordinator, year_sheet, "reopen", reason="Sai số liệu tiêu chí 19, xã xin sửa.")
    assert status(year_sheet) == ApprovalStatus.DRAFT
    last = year_sheet.history.order_by("-history_id").first()
    assert last.history_change_reason == "Mở lại để sửa: Sai số liệu tiêu chí 19, xã xin sửa."
    assert last.history_user == people.coordinator
    assert change_page(as_user(client, people.commune_clerk), year_sheet).context["has_change_permission"] is True


def test_an_import_into_an_approved_year_is_refused(people, year_sheet):
    from .test_imports_scope import run

    approval.commune_year_transition(commune_year=year_sheet, action="submit", user=people.commune_clerk)
    approval.commune_year_transition(commune_year=year_sheet, action="verify", user=people.huong_khe_clerk)
    approval.commune_year_transition(commune_year=year_sheet, action="approve", user=people.coordinator)
    report = run(people.coordinator, [["18559", 19, 2018, "Đạt"]])
    assert not report.ok and "đã được tỉnh phê duyệt" in report.errors[0].message
    assert Assessment.objects.get(commune_year=year_sheet, criterion__number=19).status == "chua_dat"
    # Not from the command line either.
    assert not run(None, [["18559", 19, 2018, "Đạt"]]).ok


def test_bulk_verify_from_the_list_touches_only_the_district(client, people, place, year_sheet):
    other = sheet(place.ky_phu, 2018, "1" * 19)
    for commune_year in (year_sheet, other):
        approval.commune_year_transition(commune_year=commune_year, action="submit", user=people.coordinator)
    client = as_user(client, people.huong_khe_clerk)
    client.post(
        reverse("admin:criteria_communeyear_changelist"),
        {"action": "approval_verify", "_selected_action": [year_sheet.pk, other.pk]},
    )
    assert status(year_sheet) == ApprovalStatus.VERIFIED
    assert status(other) == ApprovalStatus.SUBMITTED


def test_the_changelist_shows_and_filters_the_approval_status(admin_client, year_sheet):
    page = admin_client.get(reverse("admin:criteria_communeyear_changelist") + "?approval_status__exact=draft")
    assert page.status_code == 200
    assert year_sheet in page.context["cl"].result_list
    assert "approval_status" in page.context["cl"].list_display


# --- evidence ---------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload_evidence(client, commune_year, content, name, criterion_number=19, note=""):
    criterion = commune_year.criteria_set.criteria.get(number=criterion_number)
    data = {"commune_year": commune_year.pk, "criterion": criterion.pk, "note": note}
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content)
    return client.post(reverse("admin:criteria_evidence_add"), data)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_clerk_attaches_a_pdf_and_the_district_downloads_it(client, people, year_sheet, media):
    response = upload_evidence(as_user(client, people.commune_clerk), year_sheet, PDF, "bien-ban.PDF")
    assert response.status_code == 302
    evidence = Evidence.objects.get(commune_year=year_sheet)
    assert evidence.attached_by == people.commune_clerk
    assert evidence.file_name == "bien-ban.PDF" and evidence.content_type == "application/pdf"
    assert evidence.file.name.startswith("evidence/2018/") and evidence.file.name.endswith(".pdf")
    assert "bien-ban" not in evidence.file.name  # stored under a name of ours
    download = as_user(client, people.huong_khe_clerk).get(
        reverse("admin:criteria_evidence_download", args=[evidence.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    outsider = as_user(client, people.nghe_an_coordinator)
    response = outsider.get(reverse("admin:criteria_evidence_download", args=[evidence.pk]))
    assert response.status_code in (302, 403, 404)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "bien-ban.pdf"),  # a web page named .pdf
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "anh.png"),
        (b"MZ\x90\x00" + b"\x00" * 200, "tai-lieu.docx"),  # a Windows program
        (b"", "rong.pdf"),
    ],
)
def test_files_are_judged_by_their_content(client, people, year_sheet, media, content, name):
    response = upload_evidence(as_user(client, people.commune_clerk), year_sheet, content, name)
    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert not Evidence.objects.exists()


def test_an_evidence_file_over_the_size_limit_is_refused(client, people, year_sheet, media, settings):
    settings.NTM_MAX_EVIDENCE_BYTES = 1024
    response = upload_evidence(as_user(client, people.commune_clerk), year_sheet, PDF + b"0" * 2048, "to.pdf")
    assert "vượt giới hạn" in str(response.context["adminform"].form.errors["file"])
    assert not Evidence.objects.exists()


def test_evidence_of_another_commune_cannot_be_attached(client, people, place, year_sheet, media):
    other = sheet(place.ky_phu, 2018, "1" * 19)
    response = upload_evidence(as_user(client, people.commune_clerk), other, PDF, "x.pdf")
    assert response.status_code == 200 and "commune_year" in response.context["adminform"].form.errors
    assert not Evidence.objects.exists()


def test_evidence_of_an_approved_year_cannot_be_added(client, people, year_sheet, media):
    for action, user in (
        ("submit", people.commune_clerk),
        ("verify", people.huong_khe_clerk),
        ("approve", people.coordinator),
    ):
        approval.commune_year_transition(commune_year=year_sheet, action=action, user=user)
    response = upload_evidence(as_user(client, people.coordinator), year_sheet, PDF, "x.pdf", note="muộn")
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_a_note_alone_is_evidence_too_but_nothing_at_all_is_not(client, people, year_sheet):
    clerk = as_user(client, people.commune_clerk)
    assert upload_evidence(clerk, year_sheet, None, "", note="Đã kiểm tra thực địa ngày 12/10/2018").status_code == 302
    assert Evidence.objects.get().attached_by == people.commune_clerk
    response = upload_evidence(clerk, year_sheet, None, "", note="")
    assert response.status_code == 200 and "Minh chứng cần có tệp hoặc ghi chú." in response.content.decode()


def test_the_sheet_shows_evidence_by_its_own_name_linked_to_the_download_never_the_stored_name(
    client, people, year_sheet, media
):
    clerk = as_user(client, people.commune_clerk)
    upload_evidence(clerk, year_sheet, PDF, "bien-ban.pdf")
    evidence = Evidence.objects.get()
    download = reverse("admin:criteria_evidence_download", args=[evidence.pk])
    editable = change_page(clerk, year_sheet).content.decode()  # the draft: a file input naming the kept file
    for action, user in (
        ("submit", people.commune_clerk),
        ("verify", people.huong_khe_clerk),
        ("approve", people.coordinator),
    ):
        approval.commune_year_transition(commune_year=year_sheet, action=action, user=user)
    read_only = change_page(clerk, year_sheet).content.decode()
    for html in (editable, read_only):
        assert f'<a href="{download}">bien-ban.pdf</a>' in html
        assert evidence.file.name not in html and "/media/" not in html
    assert 'type="file"' in editable and 'type="file"' not in read_only


def test_a_step_recorded_by_a_command_names_no_empty_user(client, people, year_sheet):
    """The demo data approves its published sheets without a user: the panel says so, not "bởi ."."""
    from django.utils import timezone

    year_sheet.approval_status = ApprovalStatus.APPROVED
    year_sheet.approval_changed_at = timezone.now()
    year_sheet.save()
    page = change_page(as_user(client, people.commune_clerk), year_sheet).content.decode()
    assert "do hệ thống ghi" in page
    assert "bởi ." not in page
