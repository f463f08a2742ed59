"""A clerk types a meeting's minutes (people, two speeches, a task) and prints them."""

import pytest
from playwright.sync_api import expect

from e2e import a11y
from e2e.conftest import choose_autocomplete, follow, login

pytestmark = pytest.mark.e2e


def _choose_option(page, select_id, contains):
    value = page.locator(f"#{select_id} option", has_text=contains).first.get_attribute("value")
    page.locator(f"#{select_id}").select_option(value)


def test_clerk_enters_minutes_with_two_speeches_and_a_task_and_prints_them(page, load_data, make_user):
    """People first (the speakers are chosen among them), then speeches, conclusion and task; the print view has all."""
    from meetings.models import Meeting

    load_data(provinces=["Ninh Bình", "Hà Tĩnh"], demo={10})
    from divisions.models import AdministrativeUnit
    from ntm_site.accounts.choices import Role

    province = AdministrativeUnit.objects.provinces().filter(name__contains="Ninh Bình").order_by("valid_from").first()
    make_user("thuky", role=Role.PROVINCE_COORDINATOR, unit=province)
    login(page, "thuky")

    page.goto("/admin/meetings/meeting/add/")
    a11y.check(page)
    page.get_by_label("Tên hội nghị").fill("Hội nghị sơ kết 5 năm thực hiện Quyết định 140-QĐ/TU")
    page.get_by_label("Loại hội nghị").select_option(label="Sơ kết nhiều năm")
    page.locator("#id_start_0").fill("20/12/2020")
    page.locator("#id_start_1").fill("08:00")
    page.get_by_label("Địa điểm").fill("Hội trường Tỉnh ủy")
    choose_autocomplete(page, "organiser", "van phong tinh uy", "Văn phòng Tỉnh ủy Ninh Bình")
    for row, (role, position) in enumerate([("Chủ trì", "Bí thư Tỉnh ủy"), ("Báo cáo", "Chánh Văn phòng Tỉnh ủy")]):
        page.locator(f"#id_participations-{row}-role").select_option(label=role)
        page.locator(f"#id_participations-{row}-position").fill(position)
    follow(page, page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa"))
    expect(page.locator(".messagelist .success")).to_be_visible()

    speeches = [
        ("Báo cáo đề dẫn", "Chánh Văn phòng", "Kết quả 5 năm thực hiện Quyết định 140-QĐ/TU"),
        ("Phát biểu", "Bí thư", "Chỉ đạo: tập trung các xã còn thiếu tiêu chí giao thông"),
    ]
    for row, (kind, speaker, summary) in enumerate(speeches):
        page.locator(f"#id_speeches-{row}-kind").select_option(label=kind)
        _choose_option(page, f"id_speeches-{row}-speaker", speaker)
        page.locator(f"#id_speeches-{row}-summary").fill(summary)
    page.locator("#id_conclusions-0-text").fill("Hoàn thành tiêu chí giao thông ở các xã được phân công.")
    page.locator("#id_tasks-0-text").fill("Rà soát tiêu chí giao thông của các xã được phân công")
    choose_autocomplete(page, "tasks-0-owner", "ban to chuc", "Ban Tổ chức Tỉnh ủy Ninh Bình")
    page.locator("#id_tasks-0-due_date").fill("31/03/2021")
    page.shot("minutes-form", gallery="meeting-minutes")
    follow(page, page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa"))
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".errornote")).to_have_count(0)
    a11y.check(page)

    meeting = Meeting.objects.get()
    assert meeting.speeches.count() == 2 and meeting.tasks.get().owner.name == "Ban Tổ chức Tỉnh ủy Ninh Bình"

    page.goto("/admin/meetings/meeting/")
    with page.expect_popup() as popup_info:
        page.locator("#result_list").get_by_role("link", name="In").click()
    printed = popup_info.value
    printed.wait_for_load_state()
    body = printed.locator("body")
    for text in [
        "Hội nghị sơ kết 5 năm",
        "Bí thư Tỉnh ủy",
        speeches[0][2],
        speeches[1][2],
        "Rà soát tiêu chí giao thông",
    ]:
        expect(body).to_contain_text(text)
    page.shot("minutes-print", of=printed, gallery="meeting-minutes-print")
    a11y.check(printed)
