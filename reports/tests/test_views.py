"""The report pages in the admin: filters, table, chart, downloads, print layout, saved filters."""

import io
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from openpyxl import load_workbook

from ntm_site.accounts.choices import Role
from ntm_site.accounts.services import user_scope_set
from reports import registry
from reports.models import SavedFilter

pytestmark = pytest.mark.django_db

REPORT_PARAMS = {
    "decision-review": {"decision": "140-QĐ/TU", "as_of": "2019-05-22"},
    "sponsor-scorecard": {"as_of": "2019-05-22", "province": "Tỉnh Hà Tĩnh"},
    "criteria-summary": {"district": "Huyện Kỳ Anh", "year": "2017"},
    "criteria-matrix": {"district": "Huyện Kỳ Anh", "year": "2017"},
    "support-ledger": {"group_by": ["category", "year"], "district": "Huyện Kỳ Anh"},
    "tasks": {"as_of": "2019-05-22", "province": "Tỉnh Hà Tĩnh"},
    "sponsor-activity": {"as_of": "2019-05-22"},
}


def url(slug, **params):
    return reverse("reports:report", args=[slug]), params


@pytest.mark.parametrize("slug", list(REPORT_PARAMS))
def test_report_page_renders_in_the_admin_with_a_bounded_number_of_queries(
    admin_client, world, slug, django_assert_max_num_queries
):
    with django_assert_max_num_queries(22):
        response = admin_client.get(reverse("reports:report", args=[slug]), REPORT_PARAMS[slug])
    assert response.status_code == 200
    page = response.content.decode()
    assert str(registry.get(slug).title) in page
    assert 'id="report-rows"' in page
    assert "Hồ sơ Nông thôn mới" in page  # the admin's header: same look
    for fmt in ("xlsx", "csv", "json"):
        assert reverse("reports:export", args=[slug, fmt]) in page


def test_criteria_summary_page_shows_figures_the_vietnamese_way_and_a_chart(admin_client, world):
    page = admin_client.get(*url("criteria-summary", province="Tỉnh Hà Tĩnh", year="2017")).content.decode()
    assert "11,6" in page  # average criteria met, decimal comma
    assert "20,0%" in page  # criterion 17
    assert "<svg" in page and "Môi trường và an toàn thực phẩm" in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "<script" not in svg and "http://kozea" not in svg and "https://" not in svg


def test_scorecard_page_groups_thousands_with_dots(admin_client, world):
    page = admin_client.get(*url("sponsor-scorecard", as_of="2019-05-22")).content.decode()
    assert "185.000.000" in page
    assert "35.000.000" in page


def test_matrix_page_colours_cells_by_status(admin_client, world):
    page = admin_client.get(*url("criteria-matrix", district="Huyện Kỳ Anh", year="2017")).content.decode()
    assert 'class="status st-chua_dat">CĐ<' in page
    assert 'class="status st-khong_ap_dung">KAD<' in page


def test_ambiguous_area_name_shows_the_candidates_on_the_page(admin_client, world):
    page = admin_client.get(*url("criteria-summary", district="Kỳ Anh", year="2017")).content.decode()
    assert "Huyện Kỳ Anh" in page and "Thị xã Kỳ Anh" in page and "errorlist" in page
    assert 'id="report-rows"' not in page


def test_first_visit_of_a_report_with_required_parameters_shows_the_form_only(admin_client, world):
    response = admin_client.get(reverse("reports:report", args=["decision-review"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "errorlist" not in page and 'name="decision"' in page


def test_xlsx_download_has_title_block_frozen_bold_header_and_number_formats(admin_client, world):
    response = admin_client.get(
        reverse("reports:export", args=["sponsor-scorecard", "xlsx"]), {"as_of": "2019-05-22", "kind": "so_nganh"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="ket-qua-phu-trach-do-dau-theo-co-quan-don-vi-'
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "Kết quả phụ trách, đỡ đầu theo cơ quan, đơn vị"
    assert "Loại cơ quan, đơn vị: Sở, ban, ngành" in ws["A2"].value
    assert ws["A3"].value.startswith("Ngày lập: ")
    header_row = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Cơ quan, đơn vị")
    assert ws.cell(header_row, 1).font.bold
    assert ws.freeze_panes == f"A{header_row + 1}"
    first = [c.value for c in ws[header_row + 1]]
    assert first[0] == "Sở Nông nghiệp và Phát triển nông thôn"
    assert first[5] == 35_000_000
    assert ws.cell(header_row + 1, 6).number_format == "#,##0"
    assert ws.column_dimensions["A"].width >= 40
    totals = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(5, header_row)}
    assert totals["Số cơ quan, đơn vị"] == 2


def test_matrix_xlsx_keeps_the_matrix_with_coloured_cells(admin_client, world):
    response = admin_client.get(
        reverse("reports:export", args=["criteria-matrix", "xlsx"]), {"district": "Huyện Kỳ Anh", "year": "2017"}
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    header_row = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Mã xã")
    headers = [c.value for c in ws[header_row]]
    assert headers[3:6] == ["TC1", "TC2", "TC3"] and headers[-3:] == ["Số TC đạt", "Năm về đích", "Đạt chuẩn"]
    giang = header_row + 1
    assert ws.cell(giang, 2).value == "Xã Kỳ Giang"
    tc7, tc17 = ws.cell(giang, 4 + 6), ws.cell(giang, 4 + 16)
    assert (tc7.value, tc17.value) == ("KAD", "CĐ")
    assert tc17.fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(giang, 4).fill.fgColor.rgb.endswith("C6EFCE")
    assert ws.freeze_panes == f"D{header_row + 1}"
    assert ws.page_setup.orientation == "landscape"


def test_decision_review_xlsx_puts_initiatives_on_their_own_sheet(admin_client, world):
    response = admin_client.get(
        reverse("reports:export", args=["decision-review", "xlsx"]), {"decision": "140-QĐ/TU", "as_of": "2019-05-22"}
    )
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) == 3
    totals = {row[0].value: row[1].value for row in wb.active.iter_rows(min_row=5, max_row=15) if row[0].value}
    assert totals["Số cơ quan, đơn vị – Phụ trách"] == 4
    assert totals["Số cơ quan, đơn vị – Kết nghĩa"] == 1
    assert totals["Tổng giá trị hỗ trợ (đồng)"] == 180_000_000


def test_csv_download_has_vietnamese_headers_and_plain_numbers(admin_client, world):
    response = admin_client.get(reverse("reports:export", args=["support-ledger", "csv"]), {"group_by": "year"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffNăm,Số lần,Giá trị (đồng)")
    assert "2017,2,120000000" in text


def test_json_download_matches_the_command_line_shape(admin_client, world):
    response = admin_client.get(
        reverse("reports:export", args=["criteria-summary", "json"]), {"district": "huyen ky anh", "year": "2017"}
    )
    data = json.loads(response.content)
    assert data["report"] == "criteria-summary"
    assert data["params"]["district"] == {"code": "447", "name": "Huyện Kỳ Anh", "edition": "legacy"}
    assert data["totals"]["average_met"] == 13.5


def test_invalid_download_goes_back_to_the_page(admin_client, world):
    response = admin_client.get(reverse("reports:export", args=["decision-review", "csv"]), {"decision": "nope"})
    assert response.status_code == 302


def test_print_layout_is_a_plain_page_with_the_title_block(admin_client, world):
    page = admin_client.get(
        reverse("reports:report", args=["criteria-summary"]), {"district": "Huyện Kỳ Anh", "year": "2017", "print": 1}
    ).content.decode()
    assert "@page" in page and 'id="header"' not in page
    assert "Tổng hợp kết quả thực hiện bộ tiêu chí" in page
    assert "Quận/huyện/thị xã: Huyện Kỳ Anh, Tỉnh Hà Tĩnh" in page
    assert "Ngày lập" in page


def test_reports_need_login_and_the_permissions_of_their_records(client, world, django_user_model):
    target = reverse("reports:report", args=["criteria-summary"])
    assert client.get(target).status_code == 302  # to the admin login
    clerk = django_user_model.objects.create_user("thuky", password=None, is_staff=True)
    client.force_login(clerk)
    assert client.get(target).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_assessment"))
    assert client.get(target).status_code == 200
    index = client.get(reverse("reports:index")).content.decode()
    assert "Tổng hợp kết quả thực hiện bộ tiêu chí" in index
    assert "Sổ tổng hợp kết quả hỗ trợ" not in index


def test_admin_savedfilter_changelist_still_reaches_the_admin(admin_client):
    assert admin_client.get(reverse("admin:reports_savedfilter_changelist")).status_code == 200


# --- saved filters ---------------------------------------------------------------------------------


def test_save_a_filter_share_it_and_open_it_again(admin_client, superuser, world, django_user_model, client):
    group = Group.objects.create(name="Văn phòng Điều phối")
    superuser.groups.add(group)
    response = admin_client.post(
        reverse("reports:save", args=["criteria-summary"]),
        {"name": "Kỳ Anh 2017", "shared_with": [group.pk], "p-district": "Huyện Kỳ Anh", "p-year": "2017"},
    )
    saved = SavedFilter.objects.get()
    assert (saved.owner, saved.report, saved.params) == (
        superuser,
        "criteria-summary",
        {"district": "Huyện Kỳ Anh", "year": "2017"},
    )
    assert response.status_code == 302 and response["Location"] == saved.get_absolute_url()
    page = admin_client.get(saved.get_absolute_url()).content.decode()
    assert "13,5" in page and "Kỳ Anh 2017" in page

    colleague = django_user_model.objects.create_user("dongnghiep", password=None, is_staff=True)
    colleague.user_permissions.add(Permission.objects.get(codename="view_assessment"))
    colleague.groups.add(group)
    # A reader of no scope sees nothing (ntm_site.accounts.scope): the colleague reads the province.
    user_scope_set(user=colleague, role=Role.VIEWER, unit=world.a.province or world.a.parent.parent)
    outsider = django_user_model.objects.create_user("nguoingoai", password=None, is_staff=True)
    assert list(SavedFilter.objects.visible_to(colleague)) == [saved]
    assert list(SavedFilter.objects.visible_to(outsider)) == []
    client.force_login(colleague)
    opened = client.get(reverse("reports:report", args=["criteria-summary"]), {"saved": saved.pk})
    assert opened.status_code == 302 and opened["Location"] == saved.get_absolute_url()
    assert "Kỳ Anh 2017" in client.get(reverse("admin:index")).content.decode()


def test_saving_twice_under_one_name_is_refused_politely(admin_client, world):
    data = {"name": "Trùng tên", "p-year": "2017"}
    admin_client.post(reverse("reports:save", args=["criteria-summary"]), data)
    response = admin_client.post(reverse("reports:save", args=["criteria-summary"]), data, follow=True)
    assert SavedFilter.objects.count() == 1
    assert "Trùng tên" in response.content.decode()


# --- the dashboard ---------------------------------------------------------------------------------


def test_admin_index_is_a_dashboard_with_headline_figures_and_report_links(
    admin_client, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        page = admin_client.get(reverse("admin:index")).content.decode()
    assert 'id="ntm-dashboard"' in page
    for report in registry.all_reports():
        assert reverse("reports:report", args=[report.slug]) in page
    assert 'id="ntm-work"' in page and 'id="ntm-figures"' in page  # the work list, then the year's figures
    assert "Thoát" in page  # still the admin, in Vietnamese


def test_text_that_looks_like_a_formula_stays_text_in_downloads(admin_client, world):
    """Stored text of any kind: formula-like text stays text (Excel's quote prefix in .xlsx, no visible
    apostrophe; the apostrophe in .csv), and control characters an xlsx cannot hold never fail a download."""
    world.orgs["dn"].name = '=HYPERLINK("http://x")\x01\x02\ufffe'
    world.orgs["dn"].save()
    response = admin_client.get(reverse("reports:export", args=["sponsor-scorecard", "csv"]), {"as_of": "2019-05-22"})
    assert "'=HYPERLINK" in response.content.decode()
    response = admin_client.get(reverse("reports:export", args=["sponsor-scorecard", "xlsx"]), {"as_of": "2019-05-22"})
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    cell = cells['=HYPERLINK("http://x")']
    assert cell.data_type == "s" and cell.quotePrefix
    assert not any(v.startswith("'") for v in cells)
    assert not cells[str(world.orgs["snn"].name)].quotePrefix
    response = admin_client.get(reverse("reports:export", args=["sponsor-scorecard", "json"]), {"as_of": "2019-05-22"})
    assert '=HYPERLINK(\\"http://x\\")' in response.content.decode()
