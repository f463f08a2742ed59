"""The admin's import (upload, preview, confirm), export, template and error workbook."""

import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from divisions.models import AdministrativeUnit
from ntm_site.models import ImportBatch, ImportFile
from ntm_site.spreadsheets.errors import WorkbookError
from ntm_site.tests.workbooks import xlsx

HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến"]
IMPORT = reverse("admin:divisions_administrativeunit_import")
CONFIRM = reverse("admin:divisions_administrativeunit_process_import")
CHANGELIST = reverse("admin:divisions_administrativeunit_changelist")


def upload(client, rows, name="don_vi.xlsx"):
    return client.post(IMPORT, {"import_file": SimpleUploadedFile(name, xlsx([HEADER, *rows]))})


def checked(form):
    """Every column ticked, as the export form starts."""
    from django import forms

    return {name: "on" for name, field in form.fields.items() if isinstance(field, forms.BooleanField)}


def unit(code, name="Xã Mới", kind="Xã"):
    return [code, name, kind, "444", "01/01/2016", "31/12/2019"]


@pytest.mark.django_db
def test_changelist_offers_import_export_and_template(admin_client):
    page = admin_client.get(CHANGELIST).content.decode()
    assert "Nhập từ Excel" in page and "Xuất Excel/CSV" in page and "Tải biểu mẫu" in page


@pytest.mark.django_db
def test_template_download(admin_client):
    response = admin_client.get(reverse("admin:divisions_administrativeunit_import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="bieu_mau_danh_muc_don_vi_hanh_chinh.xlsx"'
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active["A3"].value == "Mã đơn vị (*)"


@pytest.mark.django_db
def test_preview_shows_counts_and_only_the_first_rows_then_confirm_writes(admin_client, superuser):
    page = upload(admin_client, [unit(f"97{i:03d}") for i in range(1, 41)])
    html = page.content.decode()
    report = page.context["report"]
    assert (report.created, report.rows) == (40, 40)
    assert html.count('class="ntm-action-new"><td>') == 10  # ten preview rows, not forty
    assert "97040" not in html
    codes = [f"97{i:03d}" for i in range(1, 41)]
    assert not AdministrativeUnit.objects.filter(code__in=codes).exists()
    stored = ImportFile.objects.get()  # the upload waits in the database, for whichever process confirms
    done = admin_client.post(CONFIRM, page.context["confirm_form"].initial)
    assert done.status_code == 302 and done["Location"] == CHANGELIST
    assert AdministrativeUnit.objects.filter(code__in=codes).count() == 40
    assert not ImportFile.objects.filter(pk=stored.pk).exists()
    batch = ImportBatch.objects.get()
    assert (batch.created, batch.user, batch.file_name) == (40, superuser, "don_vi.xlsx")


@pytest.mark.django_db
def test_confirm_of_an_expired_upload_asks_for_the_file_again(admin_client):
    response = admin_client.post(CONFIRM, {"import_file_name": "khong-co", "original_file_name": "x.xlsx"}, follow=True)
    assert "hết hạn" in response.content.decode()


@pytest.mark.django_db
def test_confirm_while_another_import_runs_too_long_keeps_the_file_to_run_again(admin_client, monkeypatch):
    from ntm_site.models import Job
    from ntm_site.spreadsheets.engine import ImportEngine

    page = upload(admin_client, [unit("97201")])
    form = page.context["confirm_form"].initial

    def busy(engine, using):  # what the PostgreSQL lock does after NTM_IMPORT_LOCK_WAIT seconds
        engine.report.busy = True
        raise WorkbookError("Một lần nhập khác vào đơn vị hành chính đang chạy; chưa ghi gì.")

    monkeypatch.setattr(ImportEngine, "_take_turn", busy)
    refused = admin_client.post(CONFIRM, form)
    job = Job.objects.get()
    assert refused.status_code == 302 and refused["Location"] == reverse("admin:ntm_site_job_page", args=[job.pk])
    html = admin_client.get(refused["Location"]).content.decode()
    assert "Một lần nhập khác vào đơn vị hành chính đang chạy" in html
    assert "Lỗi" in html and "Chạy lại" in html  # the file was kept: the same import, once more
    assert not AdministrativeUnit.objects.filter(code="97201").exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED
    monkeypatch.undo()
    again = admin_client.post(reverse("admin:ntm_site_job_rerun", args=[job.pk]))
    assert again.status_code == 302
    assert AdministrativeUnit.objects.filter(code="97201").exists()
    batch = ImportBatch.objects.get()  # the same batch, now written
    assert (batch.status, batch.created, batch.job_id) == (ImportBatch.Status.DONE, 1, job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempt, job.input_file.name) == (Job.State.DONE, 2, "")  # the upload is cleaned up


@pytest.mark.django_db
def test_failed_preview_lists_errors_and_offers_the_marked_file(admin_client):
    page = upload(admin_client, [unit("97101"), unit("97102", kind="làng")])
    html = page.content.decode()
    assert "Xác nhận nhập" not in html
    assert "làng" in html and "Thị trấn" in html
    assert not ImportFile.objects.filter(name__regex=r"^[0-9a-f]{32}$").exists()  # the upload itself is gone
    marked = admin_client.get(page.context["error_file_url"])
    ws = openpyxl.load_workbook(io.BytesIO(marked.content)).active
    assert ws.cell(row=1, column=7).value == "Lỗi" and "Loại" in ws.cell(row=3, column=7).value


@pytest.mark.django_db
def test_upload_over_the_limit_is_refused_with_the_limit_stated(admin_client, settings):
    settings.NTM_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    big = SimpleUploadedFile("lon.xlsx", b"0" * (50 * 1024 * 1024))
    page = admin_client.post(IMPORT, {"import_file": big})
    html = page.content.decode()
    assert "50 MB" in html and "20 MB" in html
    assert "report" not in page.context


@pytest.mark.django_db
def test_import_needs_the_import_permission_and_rows_to_add_and_change(client, django_user_model):
    from ntm_site.accounts.roles import ensure_import_export_permissions

    ensure_import_export_permissions()
    clerk = django_user_model.objects.create_user("canbo", password="mat-khau-dai-123", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_administrativeunit"))
    client.force_login(clerk)
    assert client.get(IMPORT).status_code == 403
    assert "Nhập từ Excel" not in client.get(CHANGELIST).content.decode()
    clerk.user_permissions.add(Permission.objects.get(codename="import_administrativeunit"))
    assert client.get(IMPORT).status_code == 403  # may import, but may not add or change units
    # (With add and change too, the user's write scope decides: ntm_site.accounts' tests cover that.)


@pytest.mark.django_db
def test_export_of_the_filtered_changelist(admin_client):
    district = AdministrativeUnit.objects.get(code="444", edition="legacy")
    export_url = (
        reverse("admin:divisions_administrativeunit_export")
        + f"?district={district.pk}&province={district.province_id}"
    )
    form = admin_client.get(export_url).context["form"]
    data = {"format": "0", "resource": "0"} | checked(form)
    response = admin_client.post(export_url, data)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    codes = [row[0].value for row in ws.iter_rows(min_row=4)]
    expected = set(AdministrativeUnit.objects.filter(parent=district).values_list("code", flat=True))
    assert set(codes) == expected and len(codes) == len(expected) > 5
    assert ws["A3"].value == "Mã đơn vị"


@pytest.mark.django_db
def test_export_to_csv(admin_client):
    export_url = reverse("admin:divisions_administrativeunit_export") + "?q=huong+lien"
    form = admin_client.get(export_url).context["form"]
    data = {"format": "1", "resource": "0"} | checked(form)
    response = admin_client.post(export_url, data)
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Mã đơn vị,Tên đơn vị")
    assert "Xã Hương Liên" in text


@pytest.mark.django_db
def test_import_batches_are_listed_read_only(admin_client, superuser):
    page = upload(admin_client, [unit("97201")])
    admin_client.post(CONFIRM, page.context["confirm_form"].initial)
    batch = ImportBatch.objects.get()
    listing = admin_client.get(reverse("admin:ntm_site_importbatch_changelist")).content.decode()
    assert "don_vi.xlsx" in listing
    detail = admin_client.get(reverse("admin:ntm_site_importbatch_change", args=[batch.pk])).content.decode()
    assert "<li>+ Xã Mới" in detail  # the row it wrote, marked as added
    assert admin_client.get(reverse("admin:ntm_site_importbatch_add")).status_code == 403


@pytest.mark.django_db
def test_every_template_downloads_under_its_vietnamese_name_never_its_code(admin_client):
    """Issue 19, point 7: a template was saved as "bieu_mau_assessments-wide.xlsx"."""
    from django.contrib import admin

    from ntm_site.spreadsheets.admin import WorkbookImportExportMixin
    from ntm_site.spreadsheets.registry import all_resources

    codes = {slug.replace("-", "_") for slug in all_resources() if "-" in slug}
    downloaded = {}
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, WorkbookImportExportMixin):
            continue
        info = model._meta.app_label, model._meta.model_name
        for index, resource_class in enumerate(model_admin.get_import_resource_classes(None)):
            response = admin_client.get(reverse("admin:{}_{}_import_template".format(*info)), {"resource": index})
            disposition = response["Content-Disposition"]
            name = re.fullmatch(r'attachment; filename="bieu_mau_([a-z0-9_]+)\.xlsx"', disposition)
            assert name, disposition
            downloaded[resource_class.get_template_slug()] = name[1]
    names = {slug: resource_class.get_file_stem() for slug, resource_class in all_resources().items()}
    assert len(downloaded) > 10  # the meetings' workbook is named for the minutes it holds: bien_ban_hoi_nghi
    for slug, name in [*names.items(), *downloaded.items()]:
        assert slug not in name and not any(code in name for code in codes), name
        assert len(name) <= 60 and not name.endswith("_"), name
    # Whole words, and a decision number keeps its parts.
    assert names["assessments-wide"] == "bang_tong_hop_ket_qua_thuc_hien_bo_tieu_chi_nong_thon_moi"
    assert names["commune-groups"] == "danh_sach_phan_nhom_xa_theo_quyet_dinh_51_2025_qd_ttg"
