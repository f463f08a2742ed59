"""Importing historical units through the spreadsheet engine."""

import datetime

import pytest

from divisions.models import AdministrativeUnit
from divisions.resources import AdministrativeUnitResource
from ntm_site.models import ImportBatch
from ntm_site.spreadsheets.services import workbook_import
from ntm_site.tests.workbooks import xlsx

HEADER = ["STT", "Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến"]


def units_file(*rows):
    return xlsx(
        [HEADER, *rows, ["Tổng cộng", None, len(rows)]],
        title_rows=[["ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"], ["DANH MỤC ĐƠN VỊ HÀNH CHÍNH"], []],
        merged=["A1:G1", "A2:G2"],
    )


@pytest.mark.django_db
def test_historical_commune_is_imported_under_its_district(superuser):
    data = units_file([1, "18999", "Xã Hương Cũ", "Xã", "444", "01/01/2016", "31/12/2019"])
    report = workbook_import(resource_class=AdministrativeUnitResource, file=data, user=superuser, file_name="u.xlsx")
    assert report.ok, report.error_lines()
    assert report.created == 1
    unit = AdministrativeUnit.objects.get(code="18999", valid_from=datetime.date(2016, 1, 1))
    assert unit.parent.name == "Huyện Hương Khê"
    assert unit.province.name == "Tỉnh Hà Tĩnh"
    assert unit.level == 3
    assert "huong cu" in unit.search_key
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert batch.created == 1 and batch.user == superuser
    history = list(batch.history_rows())
    assert len(history) == 1 and history[0].history_type == "+" and history[0].history_user == superuser


@pytest.mark.django_db
def test_second_import_of_same_file_changes_nothing(superuser):
    data = units_file([1, "18999", "Xã Hương Cũ", "Xã", "444", "01/01/2016", "31/12/2019"])
    workbook_import(resource_class=AdministrativeUnitResource, file=data, user=superuser)
    report = workbook_import(resource_class=AdministrativeUnitResource, file=data, user=superuser)
    assert report.ok and report.created == 0 and report.unchanged == 1


@pytest.mark.django_db
def test_admin_preview_then_confirm(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = units_file([1, "18998", "Xã Hương Xưa", "xa", "444", "01/01/2016", "31/12/2019"])
    upload = SimpleUploadedFile("don_vi.xlsx", data)
    page = admin_client.post(reverse("admin:divisions_administrativeunit_import"), {"import_file": upload})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Xác nhận nhập" in html, html[:3000]
    assert not AdministrativeUnit.objects.filter(code="18998").exists()
    form = page.context["confirm_form"]
    done = admin_client.post(reverse("admin:divisions_administrativeunit_process_import"), form.initial)
    assert done.status_code == 302
    assert AdministrativeUnit.objects.filter(code="18998").exists()
