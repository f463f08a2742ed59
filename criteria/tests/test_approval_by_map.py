"""Approval by the map: a 2025-map commune goes commune → province; a legacy one keeps commune → district → province.

Every way in is checked for refusals: the buttons (their POST, also crafted), the list actions and
the command line (`approve_commune_years`).
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from criteria import approval
from criteria.choices import ApprovalStatus
from criteria.models import CommuneYear
from criteria.tests.factories import HUYEN_KY_ANH, KY_TIEN, sheet, unit
from divisions.models import AdministrativeUnit
from ntm_site.accounts.choices import Role
from ntm_site.accounts.services import user_scope_set

pytestmark = pytest.mark.django_db


def _user(username, role, unit_):
    user = get_user_model().objects.create_user(username, password="mat-khau-rat-dai-2026", is_staff=True)
    user_scope_set(user=user, role=role, unit=unit_)
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def ky_xuan():
    """Xã Kỳ Xuân of the 2025 map: its parent is Tỉnh Hà Tĩnh, no district."""
    return AdministrativeUnit.objects.get(edition="2025", name="Xã Kỳ Xuân")


@pytest.fixture
def people(ky_xuan):
    return {
        "xa": _user("xa.kyxuan", Role.COMMUNE_CLERK, ky_xuan),
        "tinh": _user("dieuphoi.hatinh2025", Role.PROVINCE_COORDINATOR, ky_xuan.parent),
        "huyen": _user("huyen.kyanh", Role.DISTRICT_CLERK, unit(HUYEN_KY_ANH)),
    }


@pytest.fixture
def sheet_2026(ky_xuan):
    return sheet(ky_xuan, 2026, "1111111110", set_code="qd-51-2025-xa")


def _client(client, user):
    client.force_login(user)
    return client


def _act(client, commune_year, action, reason=None):
    data = {"reason": reason} if reason is not None else {}
    return client.post(reverse("admin:criteria_communeyear_approval", args=[commune_year.pk, action]), data)


def _page(client, commune_year):
    return client.get(reverse("admin:criteria_communeyear_change", args=[commune_year.pk]))


def _messages(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _status(commune_year):
    return CommuneYear.objects.get(pk=commune_year.pk).approval_status


def test_a_2025_commune_submits_to_the_province_which_approves(client, people, sheet_2026):
    clerk = _client(client, people["xa"])
    panel = _page(clerk, sheet_2026).context["ntm_approval"]
    assert [str(a["label"]) for a in panel["actions"]] == ["Gửi tỉnh phê duyệt"]
    assert "không có cấp huyện" in str(panel["path"])
    response = _act(clerk, sheet_2026, "submit")
    assert "Đã gửi lên tỉnh, chờ tỉnh phê duyệt." in _messages(response)
    assert _status(sheet_2026) == ApprovalStatus.SUBMITTED
    page = _page(clerk, sheet_2026)
    assert str(page.context["ntm_approval"]["status"]) == "Xã đã gửi, chờ tỉnh phê duyệt"
    assert "đã gửi lên tỉnh và đang chờ phê duyệt" in _messages(page)
    panel_html = page.content.decode().split('id="ntm-approval"')[1].split("</div>")[0]
    assert "chờ huyện" not in panel_html and "Xác nhận" not in panel_html

    province = _client(client, people["tinh"])
    assert [a["name"] for a in _page(province, sheet_2026).context["ntm_approval"]["actions"]] == [
        "approve",
        "send_back",
    ]
    assert "Tỉnh đã phê duyệt" in _messages(_act(province, sheet_2026, "approve"))
    assert _status(sheet_2026) == ApprovalStatus.APPROVED
    rows = sheet_2026.history.order_by("history_id")[1:]  # after the sheet's creation
    assert [(h.approval_status, h.history_user.username, h.history_change_reason) for h in rows] == [
        ("submitted", "xa.kyxuan", "Gửi tỉnh phê duyệt"),
        ("approved", "dieuphoi.hatinh2025", "Phê duyệt"),
    ]


def test_sending_back_and_reopening_a_2025_sheet_keep_their_reasons(client, people, sheet_2026):
    approval.commune_year_submit(commune_year=sheet_2026, user=people["xa"])
    province = _client(client, people["tinh"])
    assert "Cần ghi lý do" in _messages(_act(province, sheet_2026, "send_back", reason=" "))
    _act(province, sheet_2026, "send_back", reason="Tiêu chí 10 thiếu biên bản.")
    assert _status(sheet_2026) == ApprovalStatus.DRAFT
    clerk = _client(client, people["xa"])
    page = _page(clerk, sheet_2026)
    assert page.context["has_change_permission"] is True
    assert "Tiêu chí 10 thiếu biên bản." in page.content.decode()

    approval.commune_year_submit(commune_year=sheet_2026, user=people["xa"])
    approval.commune_year_approve(commune_year=sheet_2026, user=people["tinh"])
    _act(_client(client, people["tinh"]), sheet_2026, "reopen", reason="Xã xin sửa tiêu chí 10.")
    last = sheet_2026.history.order_by("-history_id").first()
    assert (last.approval_status, last.history_change_reason) == ("draft", "Mở lại để sửa: Xã xin sửa tiêu chí 10.")


def test_a_crafted_verify_of_a_2025_sheet_is_refused_with_a_message(client, people, sheet_2026):
    """The province holds the verify permission too; a 2025 sheet has no verify step, whoever asks."""
    approval.commune_year_submit(commune_year=sheet_2026, user=people["xa"])
    response = _act(_client(client, people["tinh"]), sheet_2026, "verify")
    assert "không có cấp huyện" in _messages(response)
    assert _status(sheet_2026) == ApprovalStatus.SUBMITTED


def test_the_old_district_cannot_touch_a_2025_sheet(client, people, sheet_2026):
    approval.commune_year_submit(commune_year=sheet_2026, user=people["xa"])
    district = _client(client, people["huyen"])
    response = _act(district, sheet_2026, "approve")
    assert response.status_code in (302, 403)
    assert _status(sheet_2026) == ApprovalStatus.SUBMITTED


def test_approving_a_draft_is_refused_as_out_of_order(client, people, sheet_2026):
    response = _act(_client(client, people["tinh"]), sheet_2026, "approve")
    assert "đang ở tình trạng “Đang nhập”: không thể phê duyệt" in _messages(response)
    assert _status(sheet_2026) == ApprovalStatus.DRAFT


def test_a_legacy_sheet_keeps_three_steps_and_the_province_cannot_skip_the_district(client, people):
    legacy = sheet(KY_TIEN, 2019, "1" * 19)
    clerk = _user("xa.kytien", Role.COMMUNE_CLERK, legacy.commune)
    panel = _page(_client(client, clerk), legacy).context["ntm_approval"]
    assert [str(a["label"]) for a in panel["actions"]] == ["Gửi huyện xác nhận"]
    approval.commune_year_submit(commune_year=legacy, user=clerk)
    response = _act(_client(client, people["tinh"]), legacy, "approve")
    assert "chưa được huyện xác nhận" in _messages(response)
    assert _status(legacy) == ApprovalStatus.SUBMITTED
    approval.commune_year_verify(commune_year=legacy, user=people["huyen"])
    approval.commune_year_approve(commune_year=legacy, user=people["tinh"])
    assert _status(legacy) == ApprovalStatus.APPROVED


def test_list_actions_refuse_the_wrong_step_by_sheet(client, people, sheet_2026):
    legacy = sheet(KY_TIEN, 2019, "1" * 19)
    for commune_year in (sheet_2026, legacy):
        approval.commune_year_submit(commune_year=commune_year, user=people["tinh"])
    province = _client(client, people["tinh"])
    response = province.post(
        reverse("admin:criteria_communeyear_changelist"),
        {"action": "approval_approve", "_selected_action": [sheet_2026.pk, legacy.pk]},
        follow=True,
    )
    text = _messages(response)
    assert "chưa được huyện xác nhận" in text and "Phê duyệt: 1 bảng chấm." in text
    assert (_status(sheet_2026), _status(legacy)) == (ApprovalStatus.APPROVED, ApprovalStatus.SUBMITTED)
    response = province.post(
        reverse("admin:criteria_communeyear_changelist"),
        {"action": "approval_verify", "_selected_action": [sheet_2026.pk]},
        follow=True,
    )
    assert "không có bước huyện xác nhận" in _messages(response)


def test_the_command_line_takes_the_same_path_and_refuses_by_sheet(people, sheet_2026, capsys):
    with pytest.raises(CommandError, match="1 trong 1 bảng chấm bị từ chối"):
        call_command("approve_commune_years", "approve", "--user", "dieuphoi.hatinh2025", "--id", str(sheet_2026.pk))
    assert "không thể phê duyệt" in capsys.readouterr().err
    call_command("approve_commune_years", "submit", "--user", "xa.kyxuan", "--year", "2026", "--commune", "18766")
    with pytest.raises(CommandError):
        call_command("approve_commune_years", "verify", "--user", "dieuphoi.hatinh2025", "--id", str(sheet_2026.pk))
    assert "không có cấp huyện" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("approve_commune_years", "approve", "--user", "huyen.kyanh", "--id", str(sheet_2026.pk))
    assert "không có quyền" in capsys.readouterr().err
    call_command(
        "approve_commune_years", "approve", "--user", "dieuphoi.hatinh2025", "--province", "42", "--year", "2026"
    )
    assert _status(sheet_2026) == ApprovalStatus.APPROVED
    assert "Tỉnh đã phê duyệt" in capsys.readouterr().out
