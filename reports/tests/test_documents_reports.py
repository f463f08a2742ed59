"""Draft reports from report results: header of the issuer, title, sentences, and every figure of the result."""

import copy
import datetime
import re

import pytest

from divisions.models import AdministrativeUnit
from reports.documents import HeaderStyle, report_document
from reports.documents.builder import DOCX_CONTENT_TYPE
from reports.documents.samples import CRITERIA_SUMMARY, DECISION_REVIEW, SPONSOR_SCORECARD
from reports.documents.testing import ReadDocument, figures_of, make_decision_140
from sponsorship.models import Organisation

pytestmark = pytest.mark.django_db


def has_figure(text: str, figure: str) -> bool:
    """`figure` printed as a number of its own: "55" is in "55 cơ quan" but not in "1.550" or "155"."""
    return re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d]|[.,]\d)", text) is not None


def assert_every_figure(read: ReadDocument, result: dict):
    missing = [figure for figure in figures_of(result) if not has_figure(read.text, figure)]
    assert not missing, f"figures missing from the document: {missing}"


def unit(code: str, level: int):
    return AdministrativeUnit.objects.filter(code=code, level=level).order_by("valid_from").first()


@pytest.fixture
def decision_140(db):
    return make_decision_140()


def test_decision_review_is_issued_by_the_provincial_party_committee(decision_140):
    file = report_document(DECISION_REVIEW)
    read = ReadDocument.from_bytes(file.content)
    assert read.header_left[:3] == ["ĐẢNG BỘ TỈNH NINH BÌNH", "TỈNH ỦY", "*"]
    assert read.header_left[3].endswith("-BC/TU")
    assert read.header_right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert read.header_right[1].startswith("Ninh Bình, ngày") and read.header_right[1].endswith("năm 2019")
    assert "BÁO CÁO" in read.paragraphs
    assert (
        "Sơ kết 3 năm thực hiện Quyết định số 140-QĐ/TU ngày 01/03/2016 của Ban Thường vụ Tỉnh ủy Ninh Bình"
        in read.paragraphs
    )
    assert file.filename == "bao-cao-so-ket-tong-ket-thuc-hien-van-ban-phan-cong-140-qd-tu.docx"
    assert file.content_type == DOCX_CONTENT_TYPE


def test_decision_review_writes_the_figures_as_the_source_does(decision_140):
    read = ReadDocument.from_bytes(report_document(DECISION_REVIEW).content)
    text = read.text
    assert "ban hành Quyết định số 140-QĐ/TU phân công cơ quan" in text
    assert "thời gian thực hiện từ năm 2016 đến năm 2020" in text
    assert "55 cơ quan, đơn vị phụ trách và 56 doanh nghiệp kết nghĩa được phân công giúp đỡ 56 xã đặc thù" in text
    assert "đã hỗ trợ xây dựng 33 ngôi nhà, trong đó 24 nhà tình nghĩa, 6 nhà đại đoàn kết" in text
    assert "xây dựng 15 nhà văn hóa" in text
    assert "sửa chữa, nâng cấp 9 trường học, 4 trạm y tế" in text
    assert "tặng 107 bộ máy vi tính" in text and "7.120 suất quà, 180 suất học bổng" in text
    assert "tổng giá trị hơn 50 tỷ đồng" in text
    assert "đã có 23/56 xã đặc thù đạt chuẩn nông thôn mới" in text


def test_decision_review_holds_every_figure_and_category_of_the_result(decision_140):
    read = ReadDocument.from_bytes(report_document(DECISION_REVIEW).content)
    assert_every_figure(read, DECISION_REVIEW)
    for row in DECISION_REVIEW["rows"]:
        assert row["category"] in read.table_cells or f"- {row['category']}" in read.table_cells
    assert "50.312.400.000" in read.table_cells


def test_decision_review_table_heads_the_houses_with_their_subtotal(decision_140):
    read = ReadDocument.from_bytes(report_document(DECISION_REVIEW).content)
    table = next(t for t in read.document.tables if t.rows[0].cells[1].text == "Nội dung hỗ trợ")
    lines = [[cell.text for cell in row.cells] for row in table.rows]
    assert lines[1] == ["", "Nhà ở", "", "33", "1.670.000.000", ""]
    assert lines[2] == ["1", "- Nhà tình nghĩa", "căn", "24", "1.200.000.000", "24"]
    assert lines[-1] == ["", "Tổng cộng", "", "", "50.312.400.000", "1.286"]
    initiatives = next(t for t in read.document.tables if t.rows[0].cells[1].text == "Lĩnh vực")
    assert [c.text for c in initiatives.rows[1].cells] == ["1", "Kinh tế", "Đang thực hiện", "61"]


def test_decision_review_of_an_unrecorded_decision_names_it_by_its_symbol():
    read = ReadDocument.from_bytes(report_document(DECISION_REVIEW).content)
    assert "Kết quả thực hiện Văn bản số 140-QĐ/TU" in read.paragraphs
    assert_every_figure(read, DECISION_REVIEW)


def test_roles_are_named_in_the_decisions_order_whatever_the_results_order(decision_140):
    result = copy.deepcopy(DECISION_REVIEW)
    result["totals"]["organisations"] = {"ket_nghia": 56, "phu_trach": 55}
    text = ReadDocument.from_bytes(report_document(result).content).text
    assert "55 cơ quan, đơn vị phụ trách và 56 doanh nghiệp kết nghĩa được phân công" in text


def test_a_total_without_a_sentence_is_still_printed(decision_140):
    result = copy.deepcopy(DECISION_REVIEW)
    result["totals"]["province_communes_reached"] = 90
    read = ReadDocument.from_bytes(report_document(result).content)
    assert "Số liệu khác" in read.paragraphs
    assert "90" in read.table_cells


def test_sponsor_scorecard_of_a_party_bloc_is_issued_by_the_bloc():
    ha_tinh = unit("42", 1)
    Organisation.objects.create(
        name="Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh", kind="to_chuc_dang", home_unit=ha_tinh
    )
    result = copy.deepcopy(SPONSOR_SCORECARD)
    result["params"]["as_of"] = "2022-01-15"
    read = ReadDocument.from_bytes(report_document(result).content)
    assert read.header_left[:2] == ["ĐẢNG BỘ TỈNH HÀ TĨNH", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH"]
    assert read.header_left[-1].endswith("-BC/ĐUK")
    assert read.header_right[1].startswith("Hà Tĩnh, ngày") and read.header_right[1].endswith("năm 2022")
    text = read.text
    assert "Từ năm 2012 đến ngày 15/01/2022, 75 cơ quan, đơn vị đã đỡ đầu, giúp đỡ 169 xã" in text
    assert "trong đó 157 xã đã đạt chuẩn nông thôn mới" in text
    assert "Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Tĩnh đỡ đầu 12 xã (10 xã đạt chuẩn)" in text
    assert_every_figure(read, result)
    for row in result["rows"]:
        assert row["organisation"] in read.table_cells


def test_sponsor_scorecard_without_a_bloc_is_issued_by_the_coordination_office():
    result = copy.deepcopy(SPONSOR_SCORECARD)
    del result["params"]["parent"]
    read = ReadDocument.from_bytes(report_document(result, style=None).content)
    assert read.header_left[:2] == ["UBND TỈNH HÀ TĨNH", "VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI"]
    assert read.header_right[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert_every_figure(read, result)


def test_criteria_summary_of_a_district_is_issued_by_its_peoples_committee():
    """Dated while the district existed (the 2017 report of 10/01/2018), the district's committee issues it."""
    read = ReadDocument.from_bytes(report_document(CRITERIA_SUMMARY, date=datetime.date(2018, 1, 10)).content)
    assert read.header_left[0] == "ỦY BAN NHÂN DÂN HUYỆN KỲ ANH"
    assert read.header_left[-1].endswith("/BC-UBND")
    assert read.header_right[2].startswith("Kỳ Anh, ngày")
    assert (
        "Kết quả thực hiện Bộ tiêu chí quốc gia về xã nông thôn mới năm 2017 trên địa bàn huyện Kỳ Anh"
        in read.paragraphs
    )
    text = read.text
    assert "Năm 2017, toàn huyện Kỳ Anh có 20 xã được đánh giá; bình quân đạt 9,8 tiêu chí/xã" in text
    assert "1 xã đạt 19 tiêu chí; 2 xã đạt từ 15 đến 18 tiêu chí" in text
    assert "2 xã đạt dưới 5 tiêu chí" in text
    assert "(Số liệu năm 2017)" in read.paragraphs
    weakest = next(p for p in read.paragraphs if p.startswith("Các tiêu chí có tỷ lệ xã đạt thấp nhất"))
    assert weakest.index("Tiêu chí 17") < weakest.index("Tiêu chí 2 ") < weakest.index("Tiêu chí 6")
    assert_every_figure(read, CRITERIA_SUMMARY)


def test_criteria_table_lists_the_criteria_in_number_order():
    read = ReadDocument.from_bytes(report_document(CRITERIA_SUMMARY).content)
    table = next(t for t in read.document.tables if t.rows[0].cells[0].text == "Tiêu chí số")
    assert [row.cells[0].text for row in table.rows[1:]] == [str(n) for n in range(1, 20)]
    assert table.rows[17].cells[1].text == "Môi trường và an toàn thực phẩm"
    assert [cell.text for cell in table.rows[17].cells[2:]] == ["20", "3", "15%"]


@pytest.mark.parametrize("result", [DECISION_REVIEW, SPONSOR_SCORECARD, CRITERIA_SUMMARY], ids=lambda r: r["report"])
def test_every_draft_ends_with_recipients_and_a_signature_block(result):
    read = ReadDocument.from_bytes(report_document(result, style=HeaderStyle.STATE).content)
    left, right = read.document.tables[-1].rows[0].cells
    assert left.paragraphs[0].text == "Nơi nhận:"
    assert left.paragraphs[-1].text == "- Lưu: VT."
    authority = [p for p in right.paragraphs if p.text.strip()]
    assert authority and all(p.text == p.text.upper() and p.runs[0].bold for p in authority)


@pytest.mark.parametrize("date", [None, datetime.date(2025, 7, 1), datetime.date(2026, 3, 2)])
def test_no_district_body_issues_a_draft_after_30_06_2025(date):
    """A draft issued from 01/07/2025 (undated: today, December 2026) comes from the province, dated there."""
    result = copy.deepcopy(CRITERIA_SUMMARY)
    result["params"]["year"] = 2026
    read = ReadDocument.from_bytes(report_document(result, date=date).content)
    assert read.header_left[0] == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
    assert "HUYỆN" not in " ".join(read.header_left)
    assert read.header_right[2].startswith("Hà Tĩnh, ngày")
    assert "(Số liệu năm 2026)" in read.paragraphs


def test_a_2026_criteria_summary_of_a_2025_commune_is_issued_by_the_province():
    result = copy.deepcopy(CRITERIA_SUMMARY)
    result["params"] = {"commune": "Xã Kỳ Xuân", "year": 2026}
    read = ReadDocument.from_bytes(report_document(result).content)
    assert read.header_left[0] == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
    assert read.header_right[2].startswith("Hà Tĩnh, ngày")


def test_the_scorecards_place_line_follows_the_map_of_its_date():
    bloc = Organisation.objects.create(
        name="Đảng ủy Khối thử nghiệm",
        kind="co_quan_dang",
        home_unit=AdministrativeUnit.objects.get(name="Huyện Kỳ Anh", edition="legacy"),
    )
    result = copy.deepcopy(SPONSOR_SCORECARD)
    result["params"]["parent"] = bloc.name
    old = ReadDocument.from_bytes(report_document(result, date=datetime.date(2022, 3, 31)).content)
    new = ReadDocument.from_bytes(report_document(result, date=datetime.date(2026, 3, 2)).content)
    assert old.header_right[-1].startswith("Kỳ Anh, ngày")
    assert new.header_right[-1].startswith("Hà Tĩnh, ngày")
    assert any(p.startswith("(Số liệu năm ") for p in new.paragraphs)
