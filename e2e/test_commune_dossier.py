"""A district clerk opens a commune's page: its dossier leads to each of its records (divisions.dossier)."""

import pytest
from playwright.sync_api import expect

from e2e import a11y
from e2e.conftest import follow, login

pytestmark = pytest.mark.e2e
# The demo's Hà Tĩnh: sponsors, recognitions, the Kỳ Anh 2017 sheets and the meetings of the bloc.
DEMO = {10, 11, 12, 20, 30, 50, 51, 52, 53, 54, 55, 56}


def test_district_clerk_follows_a_communes_dossier_to_its_records(page, load_data, make_user):
    import datetime

    from divisions.models import AdministrativeUnit
    from ntm_site.accounts.choices import Role
    from seeds.loader import approve_published_years
    from sponsorship.models import Assignment, SupportCategory, SupportRecord

    load_data(provinces=["Ninh Bình", "Hà Tĩnh", "Hà Giang"], demo=DEMO)
    list(approve_published_years())
    ky_tien = AdministrativeUnit.objects.get(code="18769", edition="legacy")
    # Seven tonnes of cement from its sponsor in 2021, as the clerk would have recorded them.
    SupportRecord.objects.create(
        assignment=Assignment.objects.get(commune=ky_tien),
        date=datetime.date(2021, 12, 15),
        category=SupportCategory.objects.get(code="xi-mang"),
        quantity=7,
        value_vnd=10_000_000,
    )
    make_user("huyenkyanh", role=Role.DISTRICT_CLERK, unit=AdministrativeUnit.objects.get(code="447", level=2))
    login(page, "huyenkyanh")

    page.goto("/admin/divisions/administrativeunit/?q=ky+tien")
    follow(page, page.locator("#result_list tr", has_text="Huyện Kỳ Anh").get_by_role("link", name="Xã Kỳ Tiến"))
    dossier = page.locator("#ntm-dossier")
    expect(dossier.get_by_role("heading", name="Hồ sơ của Xã Kỳ Tiến")).to_be_visible()
    # The search key is machinery: not on the clerk's page.
    expect(page.get_by_text("Khóa tìm kiếm")).to_have_count(0)

    sponsors = page.locator("#dossier-sponsorship-assignments")
    expect(sponsors.locator("tbody tr")).to_have_count(1)
    expect(sponsors.locator("tbody tr").first).to_contain_text("đang hiệu lực")
    support = page.locator("#dossier-sponsorship-support")
    expect(support.locator("tbody tr").first.locator("td")).to_have_text(["2021", "1", "10.000.000"])
    expect(support).to_contain_text("Tổng cộng: 10.000.000 đồng.")
    sheets = page.locator("#dossier-criteria-sheets")
    expect(sheets.locator("tbody tr").first).to_contain_text("Tỉnh đã phê duyệt")
    expect(page.locator("#dossier-criteria-recognitions")).to_contain_text("Công nhận đạt chuẩn")
    expect(page.locator("#dossier-meetings")).to_contain_text("giao nhiệm vụ liên quan")
    expect(page.locator("#dossier-meetings-tasks")).to_contain_text("Tiếng trống khuyến học")
    expect(page.locator("#dossier-lineage")).to_contain_text("Trở thành")
    a11y.check(page)
    page.shot("dossier", gallery="commune-dossier", at=dossier)

    # The year's line opens that year's support records only.
    follow(page, support.get_by_role("link", name="2021"))
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#changelist-filter")).to_contain_text("Xã Kỳ Tiến, Huyện Kỳ Anh")
    page.go_back()

    # The sheet's line opens the sheet, approved by the province.
    follow(page, sheets.get_by_role("link", name="2017"))
    expect(page.locator("#ntm-approval")).to_contain_text("Tỉnh đã phê duyệt")
    page.go_back()

    # The commune it became, on the 2025 map, names the communes it was formed from.
    follow(page, page.locator("#dossier-lineage tbody").get_by_role("link", name="Xã Kỳ Anh, Tỉnh Hà Tĩnh"))
    expect(page.locator("#ntm-dossier h2")).to_have_text("Hồ sơ của Xã Kỳ Anh")
    came_from = page.locator("#dossier-lineage tbody tr", has_text="Hình thành từ")
    expect(came_from.filter(has_text="Xã Kỳ Tiến")).to_have_count(1)
    assert came_from.count() >= 2
    page.shot("dossier-2025")
