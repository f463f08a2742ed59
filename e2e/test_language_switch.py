"""A reader who prefers English switches the admin to English from the header, and back to Vietnamese."""

import re

import pytest
from playwright.sync_api import expect

from e2e import a11y
from e2e.conftest import follow, login

pytestmark = pytest.mark.e2e


def test_the_header_switches_to_english_and_back(page, load_data, make_user):
    load_data(provinces=["Hà Tĩnh"])
    make_user("quantri", superuser=True)
    login(page, "quantri")
    expect(page.locator("#site-name")).to_have_text("Hồ sơ Nông thôn mới")

    page.goto("/admin/reports/")
    follow(page, page.get_by_role("button", name="English"))
    expect(page).to_have_url(re.compile(r"/admin/reports/$"))  # the same page, now in English
    expect(page.locator("#site-name")).to_have_text("New Rural Development records")
    expect(page.locator("#content-main")).to_contain_text("Summary of criteria results")
    expect(page.locator("#user-tools")).to_contain_text("Log out")
    page.shot("english")
    a11y.check(page)

    follow(page, page.get_by_role("link", name="Summary of criteria results"))
    expect(page.get_by_role("button", name="View report")).to_be_visible()

    follow(page, page.get_by_role("button", name="Tiếng Việt"))
    expect(page.locator("#site-name")).to_have_text("Hồ sơ Nông thôn mới")
    expect(page.get_by_role("button", name="Xem báo cáo")).to_be_visible()
    a11y.check(page)
