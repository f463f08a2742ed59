"""Importing the clerks' workbooks: good files land, bad ones say where and why, and write nothing."""

import datetime
import io

import openpyxl
import pytest

from criteria.models import Recognition
from ntm_site.spreadsheets.services import workbook_import
from ntm_site.tests.workbooks import xlsx
from sponsorship.models import Activity, Assignment, Decision, Initiative, Organisation, SupportRecord
from sponsorship.resources import (
    ActivityResource,
    AssignmentResource,
    DecisionResource,
    InitiativeResource,
    OrganisationResource,
    ProposalResource,
    RecognitionResource,
    SupportRecordResource,
)
from sponsorship.tests.factories import AssignmentFactory, DecisionFactory, commune

D = datetime.date
THIS_YEAR = datetime.date.today().year
TITLE = [["ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"], ["BIỂU TỔNG HỢP KẾT QUẢ ĐỠ ĐẦU XÃ"], []]

ASSIGNMENT_HEADER = ["STT", "Số văn bản", "Cơ quan, đơn vị", "Mã xã", "Tên xã", "Hình thức", "Từ ngày", "Đến ngày"]
SUPPORT_HEADER = [
    "STT",
    "Số văn bản",
    "Cơ quan, đơn vị",
    "Mã xã",
    "Tên xã",
    "Ngày hỗ trợ",
    "Loại hỗ trợ",
    "Số lượng",
    "ĐVT",
    "Giá trị (đồng)",
    "Tiêu chí",
    "Nội dung",
    "Lý do ngoài thời hạn",
]


def run(resource, rows, *, header, user=None, title=TITLE):
    data = xlsx([header, *rows, ["Tổng cộng"]], title_rows=title, merged=["A1:F1"])
    return workbook_import(resource_class=resource, file=data, user=user, file_name="tep.xlsx")


def errors_of(report) -> str:
    return "\n".join(report.error_lines())


@pytest.fixture
def treasury(db):
    return Organisation.objects.create(
        name="Đảng bộ Kho bạc Nhà nước Hà Tĩnh", short_name="Kho bạc Nhà nước Hà Tĩnh", kind="to_chuc_dang"
    )


@pytest.fixture
def decision_2021(db):
    return DecisionFactory(symbol="MH-HT-2021/QĐ-UBND", issued_on=D(2021, 3, 1), term_from_year=2021, term_to_year=2025)


@pytest.fixture
def huong_lien_assignment(treasury, decision_2021):
    return AssignmentFactory(decision=decision_2021, organisation=treasury, commune=commune("18559"))


# --- organisations and decisions -------------------------------------------------------


@pytest.mark.django_db
def test_organisations_with_their_bloc_listed_in_the_same_file(superuser):
    header = ["STT", "Tên cơ quan, đơn vị", "Tên viết tắt", "Loại", "Trực thuộc", "Địa bàn"]
    rows = [
        [
            1,
            "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh",
            "Đảng ủy Khối CCQ&DN tỉnh",
            "Cơ quan Đảng",
            "",
            "42",
        ],
        [
            2,
            "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Tĩnh",
            "Đảng bộ Sở NN&PTNT",
            "Đảng bộ, chi bộ",
            "dang uy khoi ccq&dn tinh",
            "Hà Tĩnh",
        ],
    ]
    report = run(OrganisationResource, rows, header=header, user=superuser)
    assert report.ok, errors_of(report)
    member = Organisation.objects.get(short_name="Đảng bộ Sở NN&PTNT")
    assert member.parent.name.startswith("Đảng ủy Khối")
    assert " so nn&ptnt" in member.search_key
    again = run(OrganisationResource, rows, header=header, user=superuser)
    assert again.ok and again.unchanged == 2 and again.created == 0


@pytest.mark.django_db
def test_decision_amending_another_in_the_same_file(superuser):
    header = [
        "Số, ký hiệu",
        "Loại văn bản",
        "Cơ quan ban hành",
        "Ngày ban hành",
        "Giai đoạn từ năm",
        "Giai đoạn đến năm",
        "Trích yếu",
        "Tỉnh",
        "Sửa đổi, bổ sung văn bản",
    ]
    rows = [
        ["140-QĐ/TU", "Quyết định", "Ban Thường vụ Tỉnh ủy Ninh Bình", "01/03/2016", 2016, 2020, "Phân công", "37", ""],
        [
            "BS/140-QĐ/TU",
            "quyet dinh",
            "Ban Thường vụ Tỉnh ủy Ninh Bình",
            "10/01/2017",
            2017,
            2020,
            "Bổ sung",
            "37",
            "140-QĐ/TU",
        ],
    ]
    report = run(DecisionResource, rows, header=header, user=superuser)
    assert report.ok, errors_of(report)
    amendment = Decision.objects.get(symbol="BS/140-QĐ/TU")
    assert amendment.amends.symbol == "140-QĐ/TU"
    assert amendment.province.name == "Tỉnh Ninh Bình" and amendment.province.edition == "legacy"
    assert Decision.objects.get(symbol="140-QĐ/TU").history.count() == 1
    rows[0][6] = "Phân công cơ quan, đơn vị phụ trách và doanh nghiệp kết nghĩa với xã đặc thù"
    changed = run(DecisionResource, rows, header=header, user=superuser)
    assert changed.ok and changed.updated == 1 and changed.unchanged == 1, errors_of(changed)
    decision = Decision.objects.get(symbol="140-QĐ/TU")
    assert decision.history.count() == 2 and " doanh nghiep ket nghia" in decision.search_key


# --- assignments ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_fifty_assignments_of_a_new_decision_then_found_without_diacritics(superuser, treasury):
    DecisionFactory(symbol="15/QĐ-UBND", issued_on=D(2026, 2, 1), term_from_year=2026, term_to_year=THIS_YEAR + 5)
    from divisions.models import AdministrativeUnit

    communes = list(
        AdministrativeUnit.objects.filter(province__code="42", edition="2025", kind="xa").order_by("code")[:50]
    )
    rows = [
        [i, "15/QĐ-UBND", "Kho bạc Nhà nước Hà Tĩnh", c.code, "", "Đỡ đầu", "", ""] for i, c in enumerate(communes, 1)
    ]
    report = run(AssignmentResource, rows, header=ASSIGNMENT_HEADER, user=superuser)
    assert report.ok, errors_of(report)
    assert report.created == 50
    assert Assignment.objects.filter(decision__symbol="15/QĐ-UBND").count() == 50
    target = communes[7]
    from ntm_site.admin import folded_search
    from ntm_site.text import fold

    found = folded_search(Assignment.objects.all(), fold(target.name))
    assert target.pk in set(found.values_list("commune", flat=True))


@pytest.mark.django_db
def test_commune_by_name_without_diacritics_and_district(superuser, treasury, decision_2021):
    rows = [
        [1, "MH-HT-2021/QĐ-UBND", "kho bac nha nuoc ha tinh", "", "huong lien, huong khe", "do dau", "1/3/2021", ""]
    ]
    report = run(AssignmentResource, rows, header=ASSIGNMENT_HEADER, user=superuser)
    assert report.ok, errors_of(report)
    assignment = Assignment.objects.get()
    assert assignment.commune.code == "18559" and assignment.commune.edition == "legacy"
    assert assignment.role == "do_dau"


@pytest.mark.django_db
def test_commune_code_and_name_that_disagree_are_refused(superuser, treasury, decision_2021):
    rows = [[1, "MH-HT-2021/QĐ-UBND", "Kho bạc Nhà nước Hà Tĩnh", "18559", "Xã Hà Linh", "Đỡ đầu", "01/03/2021", ""]]
    report = run(AssignmentResource, rows, header=ASSIGNMENT_HEADER, user=superuser)
    assert not report.ok
    assert "dòng 5" in errors_of(report) and "Tên xã" in errors_of(report) and "18559" in errors_of(report)
    assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_assignment_to_a_decision_whose_term_has_ended_is_refused(superuser, treasury):
    DecisionFactory(symbol="140-QĐ/TU", issued_on=D(2016, 3, 1), term_from_year=2016, term_to_year=2020)
    rows = [
        [1, "140-QĐ/TU", "Kho bạc Nhà nước Hà Tĩnh", "18559", "", "Phụ trách", "01/03/2016", ""],  # a past one: fine
        [2, "140-QĐ/TU", "Kho bạc Nhà nước Hà Tĩnh", "18502", "", "Phụ trách", "", ""],
        [3, "140-QĐ/TU", "Kho bạc Nhà nước Hà Tĩnh", "18505", "", "Phụ trách", "15/02/2021", ""],
    ]
    report = run(AssignmentResource, rows, header=ASSIGNMENT_HEADER, user=superuser)
    text = errors_of(report)
    assert not report.ok and report.error_count == 2, text
    assert "dòng 6, cột “Số văn bản”" in text and "đã hết thời hạn (2016–2020)" in text
    assert "dòng 7, cột “Từ ngày”" in text
    assert not Assignment.objects.exists()  # all or nothing: the good first row is not written either


@pytest.mark.django_db
def test_organisation_name_matching_two_organisations_is_refused(superuser, decision_2021):
    Organisation.objects.create(
        name="Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Tĩnh", short_name="Sở NN&PTNT", kind="so_nganh"
    )
    Organisation.objects.create(
        name="Sở Nông nghiệp và Phát triển nông thôn tỉnh Ninh Bình", short_name="Sở NN&PTNT", kind="so_nganh"
    )
    rows = [[1, "MH-HT-2021/QĐ-UBND", "So NN&PTNT", "18559", "", "Đỡ đầu", "01/03/2021", ""]]
    report = run(AssignmentResource, rows, header=ASSIGNMENT_HEADER, user=superuser)
    text = errors_of(report)
    assert not report.ok
    assert "dòng 5, cột “Cơ quan, đơn vị”" in text and "có 2 cơ quan, đơn vị khớp" in text
    assert "tỉnh Ninh Bình" in text and "tỉnh Hà Tĩnh" in text
    assert not Assignment.objects.exists()
    # The full name is never ambiguous.
    rows[0][2] = "Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Tĩnh"
    assert run(AssignmentResource, rows, header=ASSIGNMENT_HEADER, user=superuser).ok


@pytest.mark.django_db
def test_assignment_to_a_commune_not_valid_on_its_start_is_refused(superuser, treasury):
    DecisionFactory(symbol="15/QĐ-UBND", issued_on=D(2026, 2, 1), term_from_year=2026, term_to_year=THIS_YEAR + 5)
    rows = [[1, "15/QĐ-UBND", "Kho bạc Nhà nước Hà Tĩnh", "", "Xã Hương Liên, Huyện Hương Khê", "Đỡ đầu", "", ""]]
    report = run(AssignmentResource, rows, header=ASSIGNMENT_HEADER, user=superuser)
    assert not report.ok
    assert "dòng 5, cột “Tên xã”" in errors_of(report) and "hiệu lực vào ngày 01/02/2026" in errors_of(report)


# --- support records -------------------------------------------------------------------------


def cement_row(**changes):
    row = {
        "stt": 1,
        "symbol": "MH-HT-2021/QĐ-UBND",
        "organisation": "Kho bạc Nhà nước Hà Tĩnh",
        "code": "18559",
        "name": "Xã Hương Liên",
        "date": "20/12/2021",
        "category": "Xi măng",
        "quantity": "7",
        "unit": "",
        "value": "10.000.000",
        "criterion": 2,
        "description": "Hỗ trợ xi măng làm đường giao thông nông thôn",
        "reason": "",
    }
    row.update(changes)
    return list(row.values())


@pytest.mark.django_db
def test_support_record_imported_with_the_catalogues_unit_and_criterion(
    superuser, huong_lien_assignment, national_sets
):
    report = run(SupportRecordResource, [cement_row()], header=SUPPORT_HEADER, user=superuser)
    assert report.ok, errors_of(report)
    record = SupportRecord.objects.get()
    assert record.assignment == huong_lien_assignment
    assert (record.quantity, record.unit, record.value_vnd) == (7, "tấn", 10_000_000)
    assert record.criterion.criteria_set.code == "qd-318-xa" and record.criterion.number == 2
    again = run(SupportRecordResource, [cement_row()], header=SUPPORT_HEADER, user=superuser)
    assert again.ok and again.unchanged == 1


@pytest.mark.django_db
def test_negative_support_value_is_refused(superuser, huong_lien_assignment, national_sets):
    rows = [cement_row(), cement_row(stt=2, date="21/12/2021", value="-5.000.000")]
    report = run(SupportRecordResource, rows, header=SUPPORT_HEADER, user=superuser)
    text = errors_of(report)
    assert not report.ok and report.error_count == 1
    assert "dòng 6, cột “Giá trị (đồng)”" in text and "không được âm" in text
    assert not SupportRecord.objects.exists()


@pytest.mark.django_db
def test_category_unknown_to_the_catalogue_is_refused(superuser, huong_lien_assignment, national_sets):
    report = run(SupportRecordResource, [cement_row(category="Xi măng trắng")], header=SUPPORT_HEADER, user=superuser)
    text = errors_of(report)
    assert not report.ok
    assert "dòng 5, cột “Loại hỗ trợ”" in text and "không có trong danh mục loại hỗ trợ" in text
    assert not SupportRecord.objects.exists()


@pytest.mark.django_db
def test_support_to_a_commune_not_valid_on_the_records_date_is_refused(superuser, treasury):
    decision = DecisionFactory(symbol="20/QĐ-UBND", issued_on=D(2024, 1, 5), term_from_year=2024, term_to_year=2030)
    AssignmentFactory(decision=decision, organisation=treasury, commune=commune("18559"))
    row = cement_row(symbol="20/QĐ-UBND", date="15/08/2025", name="Hương Liên, Hương Khê", code="", criterion="")
    report = run(SupportRecordResource, [row], header=SUPPORT_HEADER, user=superuser)
    text = errors_of(report)
    assert not report.ok
    assert "dòng 5, cột “Tên xã”" in text and "hiệu lực vào ngày 15/08/2025" in text
    assert not SupportRecord.objects.exists()


@pytest.mark.django_db
def test_support_outside_the_assignment_term_needs_a_reason(superuser, treasury):
    decision = DecisionFactory(symbol="MH-HT-2016/QĐ-UBND")
    AssignmentFactory(decision=decision, organisation=treasury, commune=commune("18559"), start_date=D(2016, 1, 15))
    row = cement_row(symbol="MH-HT-2016/QĐ-UBND", criterion="")
    report = run(SupportRecordResource, [row], header=SUPPORT_HEADER, user=superuser)
    assert not report.ok
    assert "cột “Ngày hỗ trợ”" in errors_of(
        report
    ) and "ngoài thời hạn phân công (15/01/2016 – 31/12/2020)" in errors_of(report)
    row[-1] = "Hỗ trợ tiếp sau khi hết giai đoạn, theo đề nghị của huyện"
    report = run(SupportRecordResource, [row], header=SUPPORT_HEADER, user=superuser)
    assert report.ok, errors_of(report)
    assert SupportRecord.objects.get().outside_term_reason.startswith("Hỗ trợ tiếp")


@pytest.mark.django_db
def test_support_without_an_assignment_names_what_is_missing(superuser, treasury, decision_2021):
    report = run(SupportRecordResource, [cement_row(criterion="")], header=SUPPORT_HEADER, user=superuser)
    assert not report.ok
    assert "không có phân công nào của “Kho bạc Nhà nước Hà Tĩnh” với Xã Hương Liên" in errors_of(report)


@pytest.mark.django_db
def test_support_records_export_then_import_unchanged(superuser, huong_lien_assignment, national_sets):
    run(SupportRecordResource, [cement_row()], header=SUPPORT_HEADER, user=superuser)
    dataset = SupportRecordResource().export(SupportRecord.objects.all())
    assert dataset.headers[:5] == ["Số văn bản", "Cơ quan, đơn vị", "Mã xã", "Tên xã", "Hình thức"]
    assert dataset[0][3] == "Xã Hương Liên, Huyện Hương Khê"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(dataset.headers)
    for row in dataset:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    report = workbook_import(resource_class=SupportRecordResource, file=buf.getvalue(), user=superuser)
    assert report.ok and report.unchanged == 1, errors_of(report)


# --- initiatives, activities, recognitions --------------------------------------------------------


@pytest.mark.django_db
def test_initiatives_and_activities_hang_from_their_assignment(superuser, huong_lien_assignment):
    lookup = ["Số văn bản", "Cơ quan, đơn vị", "Mã xã", "Tên xã"]
    first = ["MH-HT-2021/QĐ-UBND", "Kho bạc Nhà nước Hà Tĩnh", "18559", ""]
    report = run(
        InitiativeResource,
        [
            [
                *first,
                "Phát triển kinh tế, chuyển dịch cơ cấu, mô hình sản xuất",
                "Mô hình trồng cam hữu cơ",
                "15/07/2021",
                "",
            ]
        ],
        header=[*lookup, "Lĩnh vực", "Tên mô hình, việc làm", "Ngày đăng ký", "Tình trạng"],
        user=superuser,
    )
    assert report.ok, errors_of(report)
    initiative = Initiative.objects.get()
    assert initiative.field.code == "phat-trien-kinh-te" and initiative.status == "dang_ky"
    report = run(
        ActivityResource,
        [
            [*first, "20/12/2021", "Làm việc với xã", "Giám đốc Kho bạc", "Trao xi măng"],
            [*first, "20/12/2020", "Làm việc với xã", "", ""],
        ],
        header=[*lookup, "Ngày", "Hình thức hoạt động", "Thành phần đi", "Nội dung làm việc"],
        user=superuser,
    )
    assert not report.ok and "dòng 6, cột “Ngày”" in errors_of(report)
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_recognitions_take_the_national_set_of_their_year(superuser, national_sets):
    header = ["Mã xã", "Tên xã", "Bộ tiêu chí", "Nội dung", "Số quyết định", "Ngày quyết định", "Cơ quan ban hành"]
    rows = [
        ["18502", "", "", "Công nhận đạt chuẩn", "100/QĐ-UBND", "20/12/2015", "UBND tỉnh Hà Tĩnh"],
        ["18502", "", "", "Thu hồi công nhận", "200/QĐ-UBND", "01/06/2017", "UBND tỉnh Hà Tĩnh"],
    ]
    report = run(RecognitionResource, rows, header=header, user=superuser)
    assert report.ok, errors_of(report)
    sets = dict(Recognition.objects.values_list("decision_number", "criteria_set__code"))
    assert sets == {"100/QĐ-UBND": "qd-491-xa", "200/QĐ-UBND": "qd-1980-xa"}
    assert Recognition.objects.get(decision_number="100/QĐ-UBND").year == 2015


@pytest.mark.django_db
def test_admin_import_preview_then_confirm(admin_client, treasury, decision_2021):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    rows = [[1, "MH-HT-2021/QĐ-UBND", "Kho bạc Nhà nước Hà Tĩnh", "18559", "", "Đỡ đầu", "01/03/2021", ""]]
    data = xlsx([ASSIGNMENT_HEADER, *rows], title_rows=TITLE)
    page = admin_client.post(
        reverse("admin:sponsorship_assignment_import"), {"import_file": SimpleUploadedFile("phan_cong.xlsx", data)}
    )
    assert page.status_code == 200 and "confirm_form" in page.context, page.content.decode()[:2000]
    assert not Assignment.objects.exists()
    done = admin_client.post(
        reverse("admin:sponsorship_assignment_process_import"), page.context["confirm_form"].initial
    )
    assert done.status_code == 302
    assert Assignment.objects.get().history.first().history_user.username == "quantri"


@pytest.mark.django_db
def test_every_template_downloads_with_its_headers(admin_client):
    from django.urls import reverse

    for model in ("organisation", "decision", "assignment", "supportrecord", "initiative", "activity", "proposal"):
        response = admin_client.get(reverse(f"admin:sponsorship_{model}_import_template"))
        assert response.status_code == 200
        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        headers = [c.value for c in wb.worksheets[0][3] if c.value]
        assert headers, model


@pytest.mark.django_db
def test_a_column_left_out_keeps_what_the_record_had(superuser, huong_lien_assignment, national_sets):
    run(SupportRecordResource, [cement_row(unit="bao")], header=SUPPORT_HEADER, user=superuser)
    header = ["Số văn bản", "Cơ quan, đơn vị", "Mã xã", "Ngày hỗ trợ", "Loại hỗ trợ", "Số lượng"]
    report = run(
        SupportRecordResource,
        [["MH-HT-2021/QĐ-UBND", "Kho bạc Nhà nước Hà Tĩnh", "18559", "20/12/2021", "xi mang", "8"]],
        header=header,
        user=superuser,
    )
    assert report.ok and report.updated == 1, errors_of(report)
    record = SupportRecord.objects.get()
    assert (record.quantity, record.unit, record.value_vnd) == (8, "bao", 10_000_000)
    assert record.criterion.number == 2


@pytest.mark.django_db
def test_proposals_hang_from_the_activity_of_that_day(superuser, huong_lien_assignment):
    from sponsorship.models import Activity, Proposal

    Activity.objects.create(assignment=huong_lien_assignment, date=D(2021, 12, 20), kind="lam_viec")
    header = [
        "Số văn bản",
        "Cơ quan, đơn vị",
        "Mã xã",
        "Ngày làm việc",
        "Hình thức hoạt động",
        "Nội dung kiến nghị",
        "Cơ quan trả lời",
        "Đã giải quyết",
        "Ngày giải quyết",
    ]
    first = ["MH-HT-2021/QĐ-UBND", "Kho bạc Nhà nước Hà Tĩnh", "18559"]
    rows = [
        [
            *first,
            "20/12/2021",
            "Làm việc với xã",
            "Hỗ trợ thêm xi măng làm kênh mương",
            "Kho bạc Nhà nước Hà Tĩnh",
            "x",
            "15/03/2022",
        ],
        [*first, "21/12/2021", "Làm việc với xã", "Hỗ trợ máy vi tính", "", "", ""],
        [*first, "20/12/2021", "Làm việc với xã", "Sửa trạm y tế", "", "Không", "15/03/2022"],
    ]
    report = run(ProposalResource, rows, header=header, user=superuser)
    text = errors_of(report)
    assert report.error_count == 2, text
    assert "dòng 6, cột “Ngày làm việc”" in text and "dòng 7, cột “Ngày giải quyết”" in text
    assert not Proposal.objects.exists()
    report = run(ProposalResource, rows[:1], header=header, user=superuser)
    assert report.ok, errors_of(report)
    proposal = Proposal.objects.get()
    assert proposal.resolved and proposal.addressee.short_name == "Kho bạc Nhà nước Hà Tĩnh"


@pytest.mark.django_db
def test_a_recognition_dated_before_the_2025_commune_existed_is_refused_by_row(superuser, national_sets):
    """Xã Kỳ Xuân directly under Tỉnh Hà Tĩnh is the 2025 commune (from 01/07/2025): not there in 2024."""
    header = ["Mã xã", "Tên xã", "Bộ tiêu chí", "Nội dung", "Số quyết định", "Ngày quyết định", "Cơ quan ban hành"]
    name = "Xã Kỳ Xuân, Tỉnh Hà Tĩnh"
    rows = [
        ["", name, "qd-318-xa", "Công nhận đạt chuẩn", "300/QĐ-UBND", "20/12/2025", "UBND tỉnh Hà Tĩnh"],
        ["", name, "qd-318-xa", "Công nhận đạt chuẩn", "301/QĐ-UBND", "20/12/2024", "UBND tỉnh Hà Tĩnh"],
    ]
    report = run(RecognitionResource, rows, header=header, user=superuser)
    assert not report.ok
    assert "dòng 6" in errors_of(report) and "chưa có hoặc đã hết hiệu lực vào ngày 20/12/2024" in errors_of(report)
    assert not Recognition.objects.exists()
