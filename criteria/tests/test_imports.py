"""Criteria workbooks through the engine: both layouts, the set chooser, every refusal named by row and column."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from criteria.choices import AssessmentStatus
from criteria.models import Assessment, CommuneYear, CriteriaSet, Criterion, PeriodLock
from criteria.resources import AssessmentResource, AssessmentWideResource
from criteria.tests.factories import HUYEN_KY_ANH, KY_BAC, KY_TIEN, KY_XUAN, sheet, unit
from divisions.models import AdministrativeUnit
from ntm_site.spreadsheets.services import workbook_import
from ntm_site.tests.workbooks import xlsx

WIDE = ["Mã xã", "Tên xã", "Năm", *[f"TC{n}" for n in range(1, 20)], "Ghi chú"]
LONG = ["Mã xã", "Tên xã", "Năm", "Tiêu chí", "Kết quả", "Ghi chú"]
TITLE = [["UBND HUYỆN KỲ ANH"], ["BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ NTM NĂM 2017"], []]
ALL_MET = ["Đạt"] * 19
SEED = Path(__file__).resolve().parents[2] / "seeds" / "data" / "30_assessments-wide.xlsx"


def wide(*rows, header=WIDE):
    return xlsx([header, *rows], title_rows=TITLE)


def run(resource, data, **kwargs):
    return workbook_import(resource_class=resource, file=data, **kwargs)


def errors_at(report):
    """(row, column) of every error, for asserting where the clerk is sent."""
    return [(e.row_number, str(e.column)) for e in report.errors]


@pytest.mark.django_db
def test_wide_row_gives_one_sheet_and_its_results(superuser):
    cells = ["Đạt", "x", "1", "dat", "Chưa đạt", "0", "-", "chua dat", "Không áp dụng", "KAD", *["Đạt"] * 9]
    report = run(AssessmentWideResource, wide(["18769", "Kỳ Tiến", 2017, *cells, "Đã rà soát"]), user=superuser)
    assert report.ok, report.error_lines()
    assert report.created == 19
    commune_year = CommuneYear.objects.get(commune__code="18769", year=2017)
    assert commune_year.criteria_set.code == "qd-1980-xa"  # the national set of 2017, by default
    assert commune_year.note == "Đã rà soát"
    statuses = dict(commune_year.assessments.values_list("criterion__number", "status"))
    assert [statuses[n] for n in (1, 2, 3, 4)] == [AssessmentStatus.MET] * 4
    assert [statuses[n] for n in (5, 6, 7, 8)] == [AssessmentStatus.NOT_MET] * 4
    assert [statuses[n] for n in (9, 10)] == [AssessmentStatus.NOT_APPLICABLE] * 2
    assert commune_year.assessments.filter(assessed_by=superuser).count() == 19


@pytest.mark.django_db
def test_blank_cell_leaves_the_criterion_as_it_was(superuser):
    sheet(KY_TIEN, 2017, "0" * 19)
    cells = ["Đạt", None, *[None] * 16, "Đạt"]
    report = run(AssessmentWideResource, wide(["18769", "Xã Kỳ Tiến", 2017, *cells]), user=superuser)
    assert report.ok, report.error_lines()
    assert (report.created, report.updated) == (0, 2)
    statuses = dict(
        Assessment.objects.filter(commune__code=KY_TIEN, year=2017).values_list("criterion__number", "status")
    )
    assert statuses[1] == statuses[19] == AssessmentStatus.MET
    assert statuses[2] == AssessmentStatus.NOT_MET


@pytest.mark.django_db
def test_importing_the_same_workbook_again_changes_nothing(superuser):
    data = wide(["18769", "Kỳ Tiến", 2017, *ALL_MET], ["18757", "Kỳ Xuân", 2017, *["Chưa đạt"] * 19])
    assert run(AssessmentWideResource, data, user=superuser).created == 38
    again = run(AssessmentWideResource, data, user=superuser)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 38)


@pytest.mark.django_db
def test_long_layout_writes_one_result_per_row_with_its_note(superuser):
    rows = [
        ["18769", "Kỳ Tiến", 2017, 1, "Đạt", ""],
        ["18769", "Kỳ Tiến", 2017, 17, "Chưa đạt", "Chưa có bãi rác tập trung"],
        ["18757", "Kỳ Xuân", 2017, 7, "Không áp dụng", ""],
    ]
    report = run(AssessmentResource, xlsx([LONG, *rows], title_rows=TITLE), user=superuser)
    assert report.ok, report.error_lines()
    assert report.created == 3
    seventeen = Assessment.objects.get(commune__code=KY_TIEN, year=2017, criterion__number=17)
    assert seventeen.note == "Chưa có bãi rác tập trung"
    assert seventeen.commune_year.criteria_set.code == "qd-1980-xa"
    assert CommuneYear.objects.filter(year=2017).count() == 2


@pytest.mark.django_db
def test_a_named_set_is_used_instead_of_the_national_one(superuser):
    advanced = CriteriaSet.objects.create(
        code="ht-nang-cao-2018", name="Bộ tiêu chí xã NTM nâng cao Hà Tĩnh", level="xa_nang_cao",
        valid_from_year=2018, valid_to_year=2020, is_national=False,
    )  # fmt: skip
    Criterion.objects.bulk_create(Criterion(criteria_set=advanced, number=n, name=f"TC {n}") for n in range(1, 20))
    header = [*WIDE, "Bộ tiêu chí"]
    report = run(
        AssessmentWideResource,
        wide(["18769", "", 2019, *ALL_MET, "", "ht-nang-cao-2018"], header=header),
        user=superuser,
    )
    assert report.ok, report.error_lines()
    assert CommuneYear.objects.get(commune__code=KY_TIEN, year=2019).criteria_set == advanced
    # Or for the whole workbook, as the import is started.
    report = run(
        AssessmentWideResource, wide(["18757", "", 2019, *ALL_MET]), user=superuser, criteria_set=advanced.code
    )
    assert report.ok, report.error_lines()
    assert CommuneYear.objects.get(commune__code=KY_XUAN, year=2019).criteria_set == advanced


# --- bad input: each refused with its row and column, nothing written ----------------------


def _nothing_written():
    return not Assessment.objects.exists() and not CommuneYear.objects.exists()


@pytest.mark.django_db
def test_unknown_status_word_is_refused_at_its_cell(superuser):
    cells = [*ALL_MET[:16], "Tốt", *ALL_MET[17:]]
    report = run(AssessmentWideResource, wide(["18769", "Kỳ Tiến", 2017, *cells]), user=superuser)
    assert errors_at(report) == [(5, "TC17")]  # title block 3 rows, header on row 4
    assert "Đạt" in str(report.errors[0])
    assert _nothing_written()


@pytest.mark.django_db
def test_criterion_number_outside_the_set_is_refused(superuser):
    report = run(AssessmentResource, xlsx([LONG, ["18769", "Kỳ Tiến", 2017, 20, "Đạt", ""]]), user=superuser)
    assert errors_at(report) == [(2, "Tiêu chí")]
    assert "không có tiêu chí số 20" in str(report.errors[0])
    small = CriteriaSet.objects.create(code="tinh-15", name="Bộ 15 tiêu chí", valid_from_year=2016, is_national=False)
    Criterion.objects.bulk_create(Criterion(criteria_set=small, number=n, name=f"TC {n}") for n in range(1, 16))
    report = run(AssessmentWideResource, wide(["18769", "", 2017, *ALL_MET]), user=superuser, criteria_set="tinh-15")
    assert errors_at(report) == [(5, f"TC{n}") for n in range(16, 20)]
    assert _nothing_written()


@pytest.mark.django_db
def test_year_outside_the_sets_validity_is_refused(superuser):
    header = [*WIDE, "Bộ tiêu chí"]
    report = run(AssessmentWideResource, wide(["18769", "", 2022, *ALL_MET, "", "qd-1980-xa"], header=header))
    assert errors_at(report) == [(5, "Bộ tiêu chí")]
    assert "2016–2020" in str(report.errors[0])
    report = run(AssessmentWideResource, wide(["18769", "", 2009, *ALL_MET]), user=superuser)
    assert errors_at(report) == [(5, "Năm")]
    assert _nothing_written()


@pytest.mark.django_db
def test_duplicate_commune_row_is_refused(superuser):
    rows = [["18769", "Kỳ Tiến", 2017, *ALL_MET], ["18757", "Kỳ Xuân", 2017, *ALL_MET], ["18769", "", 2017, *ALL_MET]]
    report = run(AssessmentWideResource, wide(*rows), user=superuser)
    assert errors_at(report) == [(7, "Mã xã")]
    assert "dòng 5" in str(report.errors[0])
    assert _nothing_written()


@pytest.mark.django_db
def test_locked_year_refuses_import(superuser):
    PeriodLock.objects.create(province=unit("42"), year=2017, reason="Đã phê duyệt")
    rows = [["18769", "Kỳ Tiến", 2017, *ALL_MET], ["18769", "Kỳ Tiến", 2016, *ALL_MET]]
    report = run(AssessmentWideResource, wide(*rows), user=superuser)
    assert errors_at(report) == [(5, "Năm")]
    assert "đã khóa" in str(report.errors[0]) and "Hà Tĩnh" in str(report.errors[0])
    assert _nothing_written()  # the 2016 row is right, but imports are all-or-nothing


@pytest.mark.django_db
def test_unlocked_year_imports_again(superuser):
    PeriodLock.objects.create(province=unit("42"), year=2017, is_locked=False)
    assert run(AssessmentWideResource, wide(["18769", "Kỳ Tiến", 2017, *ALL_MET]), user=superuser).ok


@pytest.mark.django_db
def test_commune_that_did_not_exist_that_year_is_refused(superuser):
    # A commune set up in 2020 (entered by hand) did not exist in 2017; 99999 exists in no year.
    new_commune = AdministrativeUnit.objects.create(
        code="99001", name="Xã Kỳ Mới", kind="xa", parent=unit(HUYEN_KY_ANH), edition="manual",
        valid_from=datetime.date(2020, 1, 1),
    )  # fmt: skip
    rows = [[new_commune.code, "", 2017, *ALL_MET], ["99999", "", 2017, *ALL_MET]]
    report = run(AssessmentWideResource, wide(*rows), user=superuser)
    assert errors_at(report) == [(5, "Mã xã"), (6, "Mã xã")]
    assert "hiệu lực" in str(report.errors[0]) and new_commune.name in str(report.errors[0])
    assert _nothing_written()


@pytest.mark.django_db
def test_name_that_does_not_match_the_code_is_refused(superuser):
    report = run(AssessmentWideResource, wide(["18769", "Kỳ Bắc", 2017, *ALL_MET]), user=superuser)
    assert errors_at(report) == [(5, "Tên xã")]


# --- export and templates -----------------------------------------------------------------


def _sheet_rows(content):
    ws = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_wide_export_imports_back_unchanged(superuser):
    sheet(KY_TIEN, 2017, "1111111111111111110")
    sheet(KY_BAC, 2017, "111111-1111111....0")
    dataset = AssessmentWideResource().export(CommuneYear.objects.all())
    assert dataset.headers[:4] == ["Mã xã", "Tên xã", "Năm", "TC1"]
    assert dataset.headers[-2:] == ["Ghi chú", "Bộ tiêu chí"]
    rows = {r[0]: r for r in dataset}
    assert rows[KY_BAC][3 + 6] == "Không áp dụng" and rows[KY_BAC][3 + 14] == ""
    report = run(AssessmentWideResource, xlsx([dataset.headers, *dataset]), user=superuser)
    assert report.ok, report.error_lines()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 34)


@pytest.mark.django_db
def test_long_export_lists_one_row_per_result(superuser):
    sheet(KY_TIEN, 2017, "10" + "." * 17)
    dataset = AssessmentResource().export(Assessment.objects.all())
    assert list(dataset) == [
        ("18769", "Xã Kỳ Tiến", 2017, 1, "Đạt", "", "qd-1980-xa"),
        ("18769", "Xã Kỳ Tiến", 2017, 2, "Chưa đạt", "", "qd-1980-xa"),
    ]


@pytest.mark.django_db
def test_template_prefilled_with_a_provinces_rural_communes(admin_client):
    response = admin_client.get("/admin/criteria/communeyear/template/?province=42&year=2017")
    assert response.status_code == 200
    rows = _sheet_rows(response.content)
    assert rows[2][:4] == ["Mã xã (*)", "Tên xã", "Năm (*)", "TC1"]
    data = [r for r in rows[4:] if r[0]]
    codes = {r[0] for r in data}
    assert {KY_TIEN, KY_XUAN} <= codes
    assert "18796" in codes  # Kỳ Lợi, a xã of Thị xã Kỳ Anh
    assert "18775" not in codes  # Thị trấn Kỳ Đồng is not a rural commune
    assert all(r[2] == 2017 for r in data)
    assert len(data) == AdministrativeUnit.objects.within(unit("42")).rural_communes().valid_in_year(2017).count()


@pytest.mark.django_db
def test_prefilled_template_imports_once_filled_in(admin_client, superuser):
    content = admin_client.get("/admin/criteria/communeyear/template/?province=42&year=2017").content
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=5):
        if row[0].value == KY_TIEN:
            for cell in row[3:22]:
                cell.value = "Đạt"
    out = io.BytesIO()
    wb.save(out)
    report = run(AssessmentWideResource, out.getvalue(), user=superuser)
    assert report.ok, report.error_lines()
    assert report.created == 19  # the other communes' rows have no result: skipped


# --- the Kỳ Anh demo workbook -----------------------------------------------------------


@pytest.mark.django_db
def test_ky_anh_demo_workbook_gives_the_published_average(superuser):
    """Huyện ủy Kỳ Anh, Q1 2017 review: "bình quân đạt 9,8 tiêu chí/xã"."""
    report = run(AssessmentWideResource, SEED, user=superuser)
    assert report.ok, report.error_lines()
    summary = Assessment.objects.for_area(unit(HUYEN_KY_ANH)).in_year(2017).national().area_summary()
    assert summary["average_met"] == Decimal("9.8")
    rural = unit(HUYEN_KY_ANH).children.filter(kind="xa").count()
    assert summary["communes"] == rural == 19


@pytest.mark.django_db
def test_admin_preview_then_confirm_from_the_sheets_page(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = wide(["18769", "Kỳ Tiến", 2017, *ALL_MET])
    upload = SimpleUploadedFile("tong_hop_2017.xlsx", data)
    page = admin_client.post(reverse("admin:criteria_communeyear_import"), {"import_file": upload, "resource": 0})
    assert page.context["report"].ok and page.context["report"].created == 19
    assert not Assessment.objects.exists()  # the preview writes nothing
    done = admin_client.post(reverse("admin:criteria_communeyear_process_import"), page.context["confirm_form"].initial)
    assert done.status_code == 302
    assert Assessment.objects.filter(commune__code=KY_TIEN, year=2017).count() == 19


@pytest.mark.django_db
def test_admin_import_into_a_locked_year_shows_why(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    PeriodLock.objects.create(province=unit("42"), year=2017)
    upload = SimpleUploadedFile("tong_hop_2017.xlsx", wide(["18769", "Kỳ Tiến", 2017, *ALL_MET]))
    page = admin_client.post(reverse("admin:criteria_communeyear_import"), {"import_file": upload, "resource": 0})
    assert "confirm_form" not in page.context
    text = page.content.decode()
    errors = [str(e) for e in page.context["errors"]]
    assert len(errors) == 1 and "dòng 5" in errors[0] and "“Năm”" in errors[0] and "đã khóa" in errors[0], errors
    assert "đã khóa" in text


# --- the bulk writer under the engine (COPY on PostgreSQL, multi-row INSERT on SQLite) ------------


def _tracked(row, fields=("id", "commune_year_id", "commune_id", "criterion_id", "year", "status", "note")):
    return {f: getattr(row, f) for f in (*fields, "indicator_values")}


@pytest.mark.django_db
def test_bulk_written_results_and_their_history_rows_hold_the_same_values(superuser):
    """Every result written in bulk has a "+" history row equal to it, and a "~" one after a change, whatever
    its text holds (tabs, line breaks, backslashes, quotes) and whatever its JSON."""
    from ntm_site.spreadsheets.history import BulkWriter

    commune, cset = unit(KY_TIEN), CriteriaSet.objects.get(code="qd-1980-xa")
    sheet_ = CommuneYear.objects.create(commune=commune, year=2017, criteria_set=cset)
    notes = ["tab\there", "dòng 1\ndòng 2", "C:\\thư mục\\tệp", 'nói "Đạt"', "", "\\N"]
    objs = [
        Assessment(
            commune_year=sheet_,
            commune=commune,
            year=2017,
            criterion=criterion,
            status=AssessmentStatus.MET,
            note=notes[i % len(notes)],
            indicator_values={"2.1": {"giá trị": 1.5, "đạt": True}} if i % 2 else {},
        )
        for i, criterion in enumerate(cset.criteria.order_by("number"))
    ]
    writer = BulkWriter(Assessment, user=superuser, reason="lô thử")
    writer.create(objs)
    assert all(obj.pk is not None and not obj._state.adding for obj in objs)
    stored = {a.pk: a for a in Assessment.objects.filter(commune_year=sheet_)}
    assert [stored[o.pk].note for o in objs] == [o.note for o in objs]
    assert [stored[o.pk].indicator_values for o in objs] == [o.indicator_values for o in objs]
    history = {h.id: h for h in Assessment.history.filter(commune_year_id=sheet_.pk)}
    assert len(history) == 19
    for pk, row in stored.items():
        assert _tracked(history[pk]) == _tracked(row)
        assert (history[pk].history_type, history[pk].history_user_id) == ("+", superuser.pk)
        assert history[pk].history_change_reason == "lô thử"

    for obj in objs:
        obj.status = AssessmentStatus.NOT_MET
    writer.update(objs, ["status"])
    assert set(Assessment.objects.filter(commune_year=sheet_).values_list("status", flat=True)) == {"chua_dat"}
    changed = Assessment.history.filter(commune_year_id=sheet_.pk, history_type="~")
    assert sorted((h.id, h.status, h.note) for h in changed) == sorted((o.pk, "chua_dat", o.note) for o in objs)


@pytest.mark.django_db
def test_rows_the_database_refuses_write_nothing_and_can_be_written_once_fixed(superuser):
    """A batch with a row the database refuses (here a result that already exists) writes no row and no history,
    and its rows are new again, so that the engine can retry them one by one."""
    from django.db import IntegrityError, transaction

    from ntm_site.spreadsheets.history import BulkWriter

    existing = sheet(KY_TIEN, 2017, "1" + "." * 18)
    first = Criterion.objects.get(criteria_set=existing.criteria_set, number=1)
    second = Criterion.objects.get(criteria_set=existing.criteria_set, number=2)
    commune = existing.commune

    def result(criterion):
        return Assessment(
            commune_year=existing, commune=commune, year=2017, criterion=criterion, status=AssessmentStatus.MET
        )

    good, duplicate = result(second), result(first)
    writer = BulkWriter(Assessment, user=superuser, reason="lô thử")
    with pytest.raises(IntegrityError), transaction.atomic():
        writer.create([good, duplicate])
    assert good.pk is None and duplicate.pk is None and good._state.adding
    assert Assessment.objects.filter(commune_year=existing).count() == 1
    assert not Assessment.history.filter(commune_year_id=existing.pk).exists()

    writer.create([good])
    assert Assessment.objects.filter(commune_year=existing).count() == 2
    assert list(Assessment.history.filter(commune_year_id=existing.pk).values_list("id", "history_type")) == [
        (good.pk, "+")
    ]
