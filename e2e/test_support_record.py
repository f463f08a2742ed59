"""A sponsor clerk records what their organisation gave its commune."""

import pytest
from playwright.sync_api import expect

from e2e import a11y
from e2e.conftest import choose_autocomplete, follow, login

pytestmark = pytest.mark.e2e


def test_sponsor_clerk_records_seven_tonnes_of_cement(page, load_data, make_user):
    """The assignment is found by typing the commune without diacritics; the list shows the gift in Vietnamese."""
    from sponsorship.models import SupportRecord

    load_data(provinces=["Ninh Bình", "Hà Tĩnh"], demo={10, 11, 12})
    from ntm_site.accounts.choices import Role
    from sponsorship.models import Organisation

    office = Organisation.objects.get(name="Văn phòng Tỉnh ủy Ninh Bình")
    make_user("dodau", role=Role.SPONSOR_CLERK, organisation=office)
    login(page, "dodau")

    page.goto("/admin/sponsorship/supportrecord/add/")
    a11y.check(page)
    choose_autocomplete(page, "assignment", "xich tho", "Văn phòng Tỉnh ủy Ninh Bình")
    page.get_by_label("Ngày hỗ trợ").fill("15/03/2018")
    page.get_by_label("Loại hỗ trợ").select_option(label="Xi măng")
    page.get_by_label("Số lượng").fill("7")
    # Ten million as Vietnamese write it: the form once saved this as 10 đồng.
    page.get_by_label("Giá trị (đồng)").fill("10.000.000")
    page.get_by_label("Nội dung").fill("Xi măng làm đường giao thông nội đồng")
    page.shot("support-form", gallery="support-record")
    follow(page, page.get_by_role("button", name="Lưu lại", exact=True))

    expect(page.locator(".messagelist .success")).to_be_visible()
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("Xã Xích Thổ")
    expect(row).to_contain_text("7 tấn")
    expect(row).to_contain_text("10.000.000")
    page.shot("support-list")
    a11y.check(page)

    record = SupportRecord.objects.get()
    assert (record.quantity, record.value_vnd, record.category.code) == (7, 10_000_000, "xi-mang")

    # The record's page shows the sum and the quantity as they were typed: 10.000.000 and 7, not 7.00.
    page.goto(f"/admin/sponsorship/supportrecord/{record.pk}/change/")
    expect(page.get_by_label("Giá trị (đồng)")).to_have_value("10.000.000")
    expect(page.get_by_label("Số lượng")).to_have_value("7")
    page.shot("support-money", gallery="support-money")
    assert record.assignment.commune.name == "Xã Xích Thổ"
