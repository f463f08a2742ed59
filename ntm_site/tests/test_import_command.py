"""python manage.py import_workbook TEMPLATE FILE [--dry-run] [--user USERNAME]"""

import pytest
from django.core.management import CommandError, call_command

from divisions.models import AdministrativeUnit
from ntm_site.models import ImportBatch
from ntm_site.tests.workbooks import xlsx

HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến"]


@pytest.fixture
def workbook(tmp_path):
    def write(*rows):
        path = tmp_path / "don_vi.xlsx"
        path.write_bytes(xlsx([HEADER, *rows]))
        return str(path)

    return write


@pytest.mark.django_db
def test_import_prints_counts_and_records_the_user(workbook, superuser, capsys):
    call_command(
        "import_workbook", "units", workbook(["99701", "Xã Lệnh", "Xã", "444", "01/01/2016", ""]), user="quantri"
    )
    out = capsys.readouterr().out
    assert "1 thêm mới" in out and "Đã ghi" in out
    assert ImportBatch.objects.get().user == superuser
    assert AdministrativeUnit.objects.filter(code="99701").exists()


@pytest.mark.django_db
def test_dry_run_writes_nothing(workbook, capsys):
    call_command("import_workbook", "units", workbook(["99702", "Xã Thử", "Xã", "444", "", ""]), dry_run=True)
    assert "chưa ghi gì" in capsys.readouterr().out
    assert not AdministrativeUnit.objects.filter(code="99702").exists()


@pytest.mark.django_db
def test_errors_are_printed_and_the_command_fails(workbook, capsys):
    path = workbook(["99703", "Xã A", "làng", "444", "", ""], ["99704", "Xã B", "Xã", "99999", "", ""])
    with pytest.raises(CommandError, match="2 lỗi"):
        call_command("import_workbook", "units", path)
    err = capsys.readouterr().err
    assert "dòng 2" in err and "dòng 3" in err and "Loại" in err
    assert not AdministrativeUnit.objects.filter(code__in=["99703", "99704"]).exists()


@pytest.mark.django_db
def test_unknown_template_lists_the_known_ones(workbook):
    with pytest.raises(CommandError, match="units"):
        call_command("import_workbook", "khong-co", workbook())


def test_exit_status_is_non_zero_on_errors(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "rac.xlsx"
    path.write_bytes(b"not a workbook at all")
    done = subprocess.run(
        [sys.executable, "manage.py", "import_workbook", "units", str(path), "--dry-run"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3")},
    )
    assert done.returncode != 0
