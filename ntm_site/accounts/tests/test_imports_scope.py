"""Imports stay inside the importing user's scope: a row for another district's commune is refused, nothing written."""

import pytest
from import_export import fields

from criteria.models import Assessment, Criterion
from divisions.choices import UnitLevel
from divisions.models import AdministrativeUnit
from divisions.resources import AdministrativeUnitResource
from divisions.widgets import UnitWidget
from ntm_site.spreadsheets.resources import NtmResource
from ntm_site.spreadsheets.services import workbook_import
from ntm_site.spreadsheets.widgets import ChoiceWidget, VNIntegerWidget
from ntm_site.tests.workbooks import xlsx

pytestmark = pytest.mark.django_db

HEADER = ["Mã xã", "Tiêu chí", "Năm", "Kết quả"]


class AssessmentListResource(NtmResource):
    """The long list of results (one row per commune, criterion and year), enough for these tests."""

    commune = fields.Field(attribute="commune", column_name="Mã xã", widget=UnitWidget(level=UnitLevel.COMMUNE))
    criterion = fields.Field(attribute="criterion", column_name="Tiêu chí", widget=VNIntegerWidget())
    year = fields.Field(attribute="year", column_name="Năm", widget=VNIntegerWidget())
    status = fields.Field(
        attribute="status", column_name="Kết quả", widget=ChoiceWidget(Assessment._meta.get_field("status").choices)
    )

    class Meta:
        model = Assessment
        import_id_fields = ("commune", "criterion", "year")
        fields = ("commune", "criterion", "year", "status")
        template_slug = "test-assessment-list"

    def import_records(self, row):
        (record,) = super().import_records(row)
        if record.get("criterion") is not None:
            record["criterion"] = Criterion.objects.get(criteria_set__code="qd-1980-xa", number=record["criterion"])
        return [record]

    def prepare_instance(self, instance, record, *, is_new):
        if is_new and any(f.name == "commune_year" for f in Assessment._meta.fields):
            from criteria.models import CommuneYear

            instance.commune_year, _ = CommuneYear.objects.get_or_create(
                commune_id=instance.commune_id, year=instance.year, criteria_set_id=instance.criterion.criteria_set_id
            )


def run(user, rows, **kwargs):
    return workbook_import(
        resource_class=AssessmentListResource, file=xlsx([HEADER, *rows]), user=user, file_name="ket_qua.xlsx", **kwargs
    )


def test_district_clerk_imports_their_own_communes(people, records, place):
    report = run(people.huong_khe_clerk, [["18559", 2, 2019, "Đạt"]])
    assert report.ok, report.error_lines()
    assert Assessment.objects.filter(commune=place.huong_lien, criterion=records.c2, year=2019).exists()


def test_another_districts_commune_fails_its_row_and_column_and_nothing_is_written(people, records, place):
    before = Assessment.objects.count()
    report = run(people.huong_khe_clerk, [["18559", 2, 2019, "Đạt"], ["18763", 2, 2019, "Đạt"]])
    assert not report.ok
    assert Assessment.objects.count() == before
    (error,) = report.errors
    assert error.row_number == 3
    assert error.column == "Mã xã"
    assert "ngoài phạm vi" in error.message and "Huyện Hương Khê" in error.message


def test_an_existing_row_of_another_district_is_not_overwritten(people, records, place):
    report = run(people.huong_khe_clerk, [["18763", 1, 2019, "Chưa đạt"]])
    assert not report.ok
    records.as_phu.refresh_from_db()
    assert records.as_phu.status == "dat"


def test_coordinator_imports_any_commune_of_the_province_but_not_of_another(people, records):
    assert run(people.coordinator, [["18559", 2, 2019, "Đạt"], ["18763", 2, 2019, "Đạt"]]).ok
    report = run(people.coordinator, [["17932", 2, 2019, "Đạt"]])
    assert not report.ok and "ngoài phạm vi" in report.errors[0].message


def test_commune_clerk_imports_only_their_commune(people, records):
    assert run(people.commune_clerk, [["18559", 3, 2019, "Đạt"]]).ok
    assert not run(people.commune_clerk, [["18499", 3, 2019, "Đạt"]]).ok  # Xã Điền Mỹ, same district


def test_viewer_and_sponsor_import_nothing(people, records):
    for user in (people.viewer, people.sponsor_clerk, people.stranger):
        report = run(user, [["18559", 2, 2019, "Đạt"]])
        assert not report.ok
        assert "không có quyền ghi" in report.errors[0].message
    assert not Assessment.objects.filter(criterion=records.c2).exists()


def test_the_preview_refuses_the_same_rows(people, records):
    report = run(people.huong_khe_clerk, [["18763", 2, 2019, "Đạt"]], dry_run=True)
    assert not report.ok and report.errors[0].column == "Mã xã"


def test_command_line_imports_have_no_user_and_no_scope(records):
    assert run(None, [["17932", 2, 2019, "Đạt"]]).ok


def test_a_unit_added_by_import_must_lie_in_the_importers_province(people, place):
    rows = [
        ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ"],
        ["99901", "Xã Thử Nghiệm", "Xã", "444", "01/01/2016"],
    ]
    other = [rows[0], ["99902", "Xã Ngoài Tỉnh", "Xã", "430", "01/01/2016"]]
    data, data_other = xlsx(rows), xlsx(other)
    report = workbook_import(resource_class=AdministrativeUnitResource, file=data_other, user=people.coordinator)
    assert not report.ok and "ngoài phạm vi" in report.error_lines()[0]
    assert not AdministrativeUnit.objects.filter(code="99902").exists()
    assert workbook_import(resource_class=AdministrativeUnitResource, file=data, user=people.coordinator).ok
