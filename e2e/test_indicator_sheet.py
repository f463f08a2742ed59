"""A commune clerk fills in a 2026 sheet (QĐ 51/2025) indicator by indicator; "met" shows as they type."""

import re

import pytest
from playwright.sync_api import expect

from e2e import a11y
from e2e.conftest import follow, login

pytestmark = pytest.mark.e2e


@pytest.fixture
def sheet_2026(load_data, make_user):
    """Hà Tĩnh, the demo's illustrative QĐ 51 indicators and commune groups, a 2026 sheet and its commune's clerk."""
    load_data(provinces=["Hà Tĩnh"], demo=(31, 32))
    from criteria.models import CommuneYear
    from divisions.models import AdministrativeUnit
    from ntm_site.accounts.choices import Role

    commune = (
        AdministrativeUnit.objects.filter(edition="2025", kind="xa", valid_to__isnull=True, province__code="42")
        .order_by("code")
        .first()
    )
    make_user("canboxa2026", role=Role.COMMUNE_CLERK, unit=commune)
    return CommuneYear.objects.create(commune=commune, year=2026)


def test_commune_clerk_fills_in_a_2026_sheet_indicator_by_indicator(page, sheet_2026):
    from criteria.choices import AssessmentStatus
    from criteria.models import IndicatorResult

    login(page, "canboxa2026")
    page.goto(f"/admin/criteria/communeyear/{sheet_2026.pk}/change/")
    a11y.check(page)
    lines = page.locator("#indicator_results-group")
    expect(lines).to_contain_text("1. Quy hoạch")
    expect(lines).to_contain_text("Mức chỉ tiêu của Xã nhóm")
    percent = lines.locator("input[data-indicator='1.3']")
    row = lines.locator("tr.indicator-line").filter(has=page.locator("input[data-indicator='1.3']"))
    target = row.locator("td.field-target")
    expect(target).to_contain_text(re.compile(r"≥ \d+ %"))
    percent.fill("100%")
    expect(row.locator("output.indicator-met")).to_have_text("Đạt")
    percent.fill("150%")
    expect(row.locator("output.indicator-met")).to_have_text("Giá trị không đọc được")
    percent.fill("5")
    expect(row.locator("output.indicator-met")).to_have_text("Chưa đạt")
    percent.fill("100%")
    yes_no = lines.locator("select[data-indicator='1.2']")
    yes_no.select_option("Đạt")
    yes_no_row = lines.locator("tr.indicator-line").filter(has=page.locator("select[data-indicator='1.2']"))
    expect(yes_no_row.locator("output.indicator-met")).to_have_text("Đạt")
    page.shot("typing", gallery="indicator-sheet-2026", at=lines)
    follow(page, page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa"))
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.shot("saved")
    result = IndicatorResult.objects.get(commune_year=sheet_2026, indicator__code="1.3")
    assert (result.value_number, result.status) == (100, AssessmentStatus.MET)
    assert IndicatorResult.objects.get(commune_year=sheet_2026, indicator__code="1.2").status == AssessmentStatus.MET


def test_a_long_indicator_text_wraps_in_its_line_and_the_sheet_keeps_the_page_width(page, sheet_2026):
    from criteria.models import Indicator

    # An official Annex I wording runs to several lines: here one of 60 words, none of them long.
    long = " ".join(["Tỷ lệ hộ gia đình được sử dụng nước sạch theo quy chuẩn"] * 6)
    Indicator.objects.filter(criterion__criteria_set__code="qd-51-2025-xa", code="1.1").update(text=long)
    login(page, "canboxa2026")
    page.goto(f"/admin/criteria/communeyear/{sheet_2026.pk}/change/")
    lines = page.locator("#indicator_results-group")
    expect(lines).to_contain_text(long[:60])
    # Nothing sticks out sideways: the page scrolls only down.
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    cell = lines.locator("tr.indicator-line td.field-indicator").first
    box, value = cell.bounding_box(), lines.locator("tr.indicator-line td.field-value").first.bounding_box()
    assert box["height"] > 3 * 16 and box["width"] < 0.5 * 1280, box  # wrapped on several lines, not one long one
    assert value["x"] + value["width"] <= 1280, value  # the value box of that line is on screen
    page.shot("long-indicator-text", at=lines)
