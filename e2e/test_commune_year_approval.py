"""A commune's year from the commune clerk's sheet to the province's approval, each step by the role that takes it."""

import re

import pytest
from playwright.sync_api import expect

from e2e import a11y
from e2e.conftest import choose_autocomplete, follow, login

pytestmark = pytest.mark.e2e

# The last year of the 2021–2025 national set (QĐ 318) in which districts still exist: no national set
# covers 2026 yet and the 2025 reform abolished districts, so there is nobody to verify a 2026 sheet.
YEAR = 2025
COMMUNE = "Xã Kỳ Tiến"
# Results of criteria 1–19 as the clerk ticks them: all reached but 10 (income) and 17 (environment).
NOT_REACHED = {10, 17}
PASS, FAIL = "Đạt", "Chưa đạt"


def _png() -> bytes:
    """A small valid PNG (a 2×2 grey picture), the photo of a signed minute."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80\x80\x80" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.fixture
def hatinh(load_data, make_user, settings, tmp_path):
    """Hà Tĩnh's units and the criteria sets; a clerk for Xã Kỳ Tiến, one for its district, the province's office."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_data(provinces=["Hà Tĩnh"])
    from divisions.models import AdministrativeUnit
    from ntm_site.accounts.choices import Role

    commune = AdministrativeUnit.objects.communes().valid_in_year(YEAR).get(name=COMMUNE, edition="legacy")
    district, province = commune.parent, commune.parent.parent
    return {
        "commune": commune,
        "district": district,
        "xa": make_user("canboxa", role=Role.COMMUNE_CLERK, unit=commune),
        "huyen": make_user("canbohuyen", role=Role.DISTRICT_CLERK, unit=district),
        "tinh": make_user("dieuphoi", role=Role.PROVINCE_COORDINATOR, unit=province),
    }


def _line(page, number):
    """The row of criterion `number` on the sheet."""
    return page.locator("#assessments-group tbody tr.form-row:not(.empty-form)").filter(
        has=page.locator("td.field-criterion strong", has_text=re.compile(rf"^{number}\. "))
    )


def test_commune_clerk_fills_in_the_year_attaches_evidence_and_submits(page, hatinh):
    """Typing "ky tien" finds the commune; 19 results on one page, a photo as evidence of criterion 17; submitted."""
    from criteria.choices import ApprovalStatus
    from criteria.models import CommuneYear

    login(page, "canboxa")
    page.goto("/admin/criteria/communeyear/")
    a11y.check(page)
    page.locator("#searchbar").fill("ky tien")
    follow(page, page.get_by_role("button", name="Tìm kiếm"))
    expect(page.locator("#changelist")).to_contain_text("0 kết quả")
    follow(page, page.get_by_role("link", name="Thêm kết quả chấm tiêu chí của xã trong năm"))
    a11y.check(page)
    expect(page.locator(".field-criteria_set")).to_contain_text("Để trống: bộ tiêu chí quốc gia")
    choose_autocomplete(page, "commune", "ky tien", COMMUNE)
    page.get_by_label("Năm").fill(str(YEAR))
    page.shot("new-sheet")
    follow(page, page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa"))
    expect(page.locator(".messagelist .success")).to_be_visible()

    # One page: the 19 criteria of the 2021–2025 set, each with its result to tick.
    expect(page.locator("#ntm-approval h2")).to_have_text("Tình trạng phê duyệt: Đang nhập")
    lines = page.locator("#assessments-group tbody tr.form-row:not(.empty-form)")
    expect(lines).to_have_count(19)
    # The set is fixed now: no "leave empty" beside it.
    expect(page.locator(".field-criteria_set")).to_contain_text("QĐ 318/QĐ-TTg")
    expect(page.locator(".field-criteria_set")).not_to_contain_text("Để trống")
    a11y.check(page)
    for number in range(1, 20):
        _line(page, number).get_by_label(FAIL if number in NOT_REACHED else PASS, exact=True).check()
    _line(page, 17).get_by_role("textbox").fill("Chưa có điểm thu gom rác thải tập trung")

    page.locator("#evidence-group .add-row a", has_text="Thêm một Minh chứng").click()
    evidence = page.locator("#evidence-group tbody tr.form-row.dynamic-evidence").last
    evidence.locator("select").select_option(label="17. Môi trường và an toàn thực phẩm")
    evidence.locator("input[type=file]").set_input_files(
        {"name": "bien-ban-kiem-tra-moi-truong.png", "mimeType": "image/png", "buffer": _png()}
    )
    evidence.locator("textarea").fill("Ảnh biên bản kiểm tra môi trường")
    page.shot("sheet-filled", gallery="commune-year-sheet", at=page.locator("#assessments-group"))
    follow(page, page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa"))
    expect(page.locator(".errornote")).to_have_count(0)
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator("#evidence-group")).to_contain_text("bien-ban-kiem-tra-moi-truong.png")
    a11y.check(page)

    follow(page, page.get_by_role("button", name="Gửi huyện xác nhận"))
    expect(page.locator(".messagelist .success")).to_have_text("Đã gửi lên huyện.")
    expect(page.locator("#ntm-approval h2")).to_have_text("Tình trạng phê duyệt: Xã đã gửi, chờ huyện xác nhận")
    expect(page.locator(".messagelist .warning")).to_contain_text("đang chờ xác nhận")
    page.shot("submitted")
    a11y.check(page)

    sheet = CommuneYear.objects.get()
    assert (sheet.commune, sheet.year, sheet.approval_status) == (hatinh["commune"], YEAR, ApprovalStatus.SUBMITTED)
    assert sheet.criteria_set.code == "qd-318-xa"
    results = dict(sheet.assessments.values_list("criterion__number", "status"))
    assert sorted(results) == list(range(1, 20))
    assert {n for n, status in results.items() if status != "dat"} == NOT_REACHED
    evidence = sheet.evidence.get()
    assert (evidence.criterion.number, evidence.file_name, evidence.content_type) == (
        17,
        "bien-ban-kiem-tra-moi-truong.png",
        "image/png",
    )
    assert evidence.attached_by == hatinh["xa"]


def _submitted_sheet(hatinh):
    """Xã Kỳ Tiến's year as its clerk left it: 19 results, a PDF of evidence, sent to the district."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from criteria import approval
    from criteria.evidence import stamp_upload
    from criteria.models import Assessment, CommuneYear, Criterion, Evidence
    from criteria.services import assessment_stamp

    sheet = CommuneYear.objects.create(commune=hatinh["commune"], year=YEAR)
    criteria = Criterion.objects.filter(criteria_set=sheet.criteria_set).order_by("number")
    for criterion in criteria:
        status = "chua_dat" if criterion.number in NOT_REACHED else "dat"
        line = Assessment(commune_year=sheet, criterion=criterion, status=status)
        assessment_stamp(line, user=hatinh["xa"])
        line.save()
    upload = SimpleUploadedFile("bien-ban-tham-dinh.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    evidence = Evidence(commune_year=sheet, criterion=criteria.get(number=2), attached_by=hatinh["xa"])
    stamp_upload(evidence, upload)
    evidence.file = upload
    evidence.save()
    return approval.commune_year_submit(commune_year=sheet, user=hatinh["xa"])


def _open_sheet(page, typed):
    """From the list of sheets: search the commune without diacritics, open its year."""
    page.goto("/admin/criteria/communeyear/")
    page.locator("#searchbar").fill(typed)
    follow(page, page.get_by_role("button", name="Tìm kiếm"))
    a11y.check(page)
    follow(page, page.locator("#result_list").get_by_role("link", name=COMMUNE))


def test_district_verifies_province_approves_and_the_commune_can_no_longer_edit(page, hatinh):
    """Each logs in as themself; after the approval the clerk's page is read-only, and a save is refused."""
    from criteria.choices import ApprovalStatus

    sheet = _submitted_sheet(hatinh)

    login(page, "canbohuyen")
    _open_sheet(page, "ky tien")
    expect(page.locator("#ntm-approval h2")).to_have_text("Tình trạng phê duyệt: Xã đã gửi, chờ huyện xác nhận")
    expect(page.locator("#evidence-group")).to_contain_text("bien-ban-tham-dinh.pdf")
    page.shot("district-opens", gallery="commune-year-verify")
    a11y.check(page)
    follow(page, page.get_by_role("button", name="Xác nhận", exact=True))
    expect(page.locator(".messagelist .success")).to_have_text("Đã xác nhận, chờ tỉnh phê duyệt.")
    expect(page.locator("#ntm-approval h2")).to_have_text("Tình trạng phê duyệt: Huyện đã xác nhận, chờ tỉnh phê duyệt")
    page.context.clear_cookies()

    login(page, "dieuphoi")
    _open_sheet(page, "ky tien")
    expect(page.locator("#ntm-approval")).to_contain_text("bởi canbohuyen")
    follow(page, page.get_by_role("button", name="Phê duyệt", exact=True))
    expect(page.locator(".messagelist .success")).to_have_text("Đã phê duyệt; số liệu chỉ còn đọc.")
    expect(page.locator("#ntm-approval h2")).to_have_text("Tình trạng phê duyệt: Tỉnh đã phê duyệt")
    # Only reopening (with a reason) is left to the province.
    expect(page.locator("#ntm-approval input[type=submit]")).to_have_count(1)
    expect(page.get_by_role("button", name="Mở lại để sửa")).to_be_visible()
    page.shot("province-approves", gallery="commune-year-approved")
    a11y.check(page)
    page.context.clear_cookies()

    login(page, "canboxa")
    _open_sheet(page, "ky tien")
    expect(page.locator(".messagelist .warning")).to_contain_text("đã được tỉnh phê duyệt nên chỉ còn đọc")
    expect(page.locator("h1")).to_have_text("Xem kết quả chấm tiêu chí của xã trong năm")
    lines = page.locator("#assessments-group tbody tr.form-row")
    expect(lines).to_have_count(19)
    expect(page.locator("#assessments-group").locator("input:not([type=hidden]), select, textarea")).to_have_count(0)
    expect(page.locator("#evidence-group").locator("input:not([type=hidden]), select, textarea")).to_have_count(0)
    expect(page.locator("#evidence-group").get_by_role("link", name="bien-ban-tham-dinh.pdf")).to_be_visible()
    expect(page.get_by_role("button", name="Lưu lại")).to_have_count(0)
    expect(page.locator("#ntm-approval input[type=submit]")).to_have_count(0)
    page.shot("clerk-read-only", gallery="commune-year-read-only")
    a11y.check(page)

    # A save sent anyway (an old tab, a script) is refused, and nothing changes.
    change_url = page.url
    csrf = page.locator("#communeyear_form input[name=csrfmiddlewaretoken]").input_value()
    response = page.request.post(
        change_url,
        form={"csrfmiddlewaretoken": csrf, "note": "sửa sau khi duyệt"},
        headers={"Referer": change_url},
    )
    assert response.status == 403 and "CSRF" not in response.text()  # refused for what it is, not for the token
    sheet.refresh_from_db()
    assert sheet.approval_status == ApprovalStatus.APPROVED and sheet.note == ""
    steps = [(h.history_user.username if h.history_user else None, h.approval_status) for h in sheet.history.all()]
    assert steps[:3] == [
        ("dieuphoi", ApprovalStatus.APPROVED),
        ("canbohuyen", ApprovalStatus.VERIFIED),
        ("canboxa", ApprovalStatus.SUBMITTED),
    ], steps
