"""Uploads wait between preview and confirm in the database, shared by every process."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from ntm_site.models import ImportFile
from ntm_site.spreadsheets.storage import DatabaseStorage


@pytest.mark.django_db
def test_a_file_saved_by_one_storage_is_read_by_another():
    first = DatabaseStorage(read_mode="rb")
    first.save(b"PK\x03\x04 workbook bytes")
    # A different process only knows the name carried by the confirm form.
    second = DatabaseStorage(name=first.name, read_mode="rb")
    assert second.read() == b"PK\x03\x04 workbook bytes"
    second.remove()
    assert DatabaseStorage(name=first.name, read_mode="rb").read() is None


@pytest.mark.django_db
def test_abandoned_uploads_are_removed_when_new_ones_arrive():
    old = ImportFile.objects.create(name="cu", data=b"x", created_at=timezone.now() - datetime.timedelta(days=2))
    DatabaseStorage(read_mode="rb").save(b"new")
    assert not ImportFile.objects.filter(pk=old.pk).exists()


def test_settings_point_django_import_export_at_the_database_storage():
    from django.conf import settings

    assert settings.IMPORT_EXPORT_TMP_STORAGE_CLASS == "ntm_site.spreadsheets.storage.DatabaseStorage"


@pytest.mark.django_db
@override_settings(IMPORT_EXPORT_TMP_STORAGE_CLASS="ntm_site.spreadsheets.storage.DatabaseStorage")
def test_text_mode_reads_decode():
    storage = DatabaseStorage(read_mode="r", encoding="utf-8")
    storage.save("Mã xã,Năm\n")
    assert DatabaseStorage(name=storage.name, read_mode="r", encoding="utf-8").read() == "Mã xã,Năm\n"


def test_registry_finds_resources_by_template_slug():
    from divisions.resources import AdministrativeUnitResource
    from ntm_site.spreadsheets.registry import all_resources, get_resource

    assert get_resource("units") is AdministrativeUnitResource
    assert "units" in all_resources()
    with pytest.raises(KeyError, match="units"):
        get_resource("khong-co")


@pytest.mark.django_db
def test_import_data_with_a_tablib_dataset_goes_through_the_engine():
    import tablib

    from divisions.models import AdministrativeUnit
    from divisions.resources import AdministrativeUnitResource

    dataset = tablib.Dataset(headers=["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ"])
    dataset.append(["99601", "Xã Tablib", "Xã", "444", "01/01/2016"])
    result = AdministrativeUnitResource().import_data(dataset)
    assert not result.has_errors() and result.totals["new"] == 1
    assert AdministrativeUnit.objects.get(code="99601").name == "Xã Tablib"
