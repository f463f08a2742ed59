"""The 2025 map's path in a browser: the commune clerk of Xã Kỳ Xuân sends to the province, which approves."""

import pytest
from playwright.sync_api import expect

from e2e import a11y
from e2e.conftest import follow, login

pytestmark = pytest.mark.e2e

YEAR = 2026
COMMUNE = "Xã Kỳ Xuân"


@pytest.fixture
def hatinh_2025(load_data, make_user):
    """Hà Tĩnh's units (both maps) and the sets; a sheet of Xã Kỳ Xuân (2025 map) with its 10 results."""
    load_data(provinces=["Hà Tĩnh"])
    from criteria.tests.factories import sheet
    from divisions.models import AdministrativeUnit
    from ntm_site.accounts.choices import Role

    commune = AdministrativeUnit.objects.get(name=COMMUNE, edition="2025")
    return {
        "sheet": sheet(commune, YEAR, "1111111110", set_code="qd-51-2025-xa"),
        "xa": make_user("xa.kyxuan", role=Role.COMMUNE_CLERK, unit=commune),
        "tinh": make_user("dieuphoi.hatinh2025", role=Role.PROVINCE_COORDINATOR, unit=commune.parent),
    }


def _open_sheet(page):
    page.goto("/admin/criteria/communeyear/")
    page.locator("#searchbar").fill("ky xuan")
    follow(page, page.get_by_role("button", name="Tìm kiếm"))
    follow(page, page.locator("#result_list").get_by_role("link", name=COMMUNE))


def test_commune_sends_to_the_province_and_the_province_approves(page, hatinh_2025):
    from criteria.choices import ApprovalStatus

    login(page, "xa.kyxuan")
    _open_sheet(page)
    expect(page.locator("#ntm-approval")).to_contain_text("không có cấp huyện")
    expect(page.get_by_role("button", name="Gửi huyện xác nhận")).to_have_count(0)
    follow(page, page.get_by_role("button", name="Gửi tỉnh phê duyệt"))
    expect(page.locator(".messagelist .success")).to_have_text("Đã gửi lên tỉnh, chờ tỉnh phê duyệt.")
    expect(page.locator("#ntm-approval h2")).to_have_text("Tình trạng phê duyệt: Xã đã gửi, chờ tỉnh phê duyệt")
    page.shot("2025-commune-sent", gallery="commune-year-2025-sent")
    a11y.check(page)
    page.context.clear_cookies()

    login(page, "dieuphoi.hatinh2025")
    _open_sheet(page)
    expect(page.get_by_role("button", name="Xác nhận", exact=True)).to_have_count(0)
    follow(page, page.get_by_role("button", name="Phê duyệt", exact=True))
    expect(page.locator(".messagelist .success")).to_have_text("Tỉnh đã phê duyệt; số liệu chỉ còn đọc.")
    expect(page.locator("#ntm-approval h2")).to_have_text("Tình trạng phê duyệt: Tỉnh đã phê duyệt")
    page.shot("2025-province-approved", gallery="commune-year-2025-approved")
    a11y.check(page)

    sheet = hatinh_2025["sheet"]
    sheet.refresh_from_db()
    steps = [(h.history_user.username if h.history_user else None, h.approval_status) for h in sheet.history.all()]
    assert steps[:2] == [
        ("dieuphoi.hatinh2025", ApprovalStatus.APPROVED),
        ("xa.kyxuan", ApprovalStatus.SUBMITTED),
    ], steps
