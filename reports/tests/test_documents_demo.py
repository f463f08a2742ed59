"""The demo data set's documents print the published figures (FACTS.md) and the 15/08/2016 conclusions."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import transaction

from meetings.models import Meeting
from reports import registry
from reports.documents import meeting_document, report_document
from reports.documents.testing import ReadDocument


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data loaded once for this module, inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def review(demo, db) -> ReadDocument:
    result = registry.get("decision-review").run({"decision": "140-QĐ/TU", "as_of": "2019-05-22"})
    return ReadDocument.from_bytes(report_document(result).content)


def test_three_year_review_is_a_party_report_of_the_provincial_committee(review):
    assert review.header_left[:3] == ["ĐẢNG BỘ TỈNH NINH BÌNH", "TỈNH ỦY", "*"]
    assert review.header_left[3].endswith("-BC/TU")
    assert review.header_right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert review.header_right[1].startswith("Ninh Bình, ngày") and review.header_right[1].endswith("năm 2019")
    assert (
        "Sơ kết 3 năm thực hiện Quyết định số 140-QĐ/TU ngày 01/03/2016 của Ban Thường vụ Tỉnh ủy Ninh Bình"
        in review.paragraphs
    )
    assert "thời gian thực hiện từ năm 2016 đến năm 2020" in review.text


def test_three_year_review_prints_the_published_figures(review):
    text = review.text
    # FACTS.md: 55 agencies in charge and 56 twinned enterprises; 23 of the 56 special communes reached.
    assert "55 cơ quan, đơn vị phụ trách và 56 doanh nghiệp kết nghĩa" in text
    assert "đã có 23/56 xã đặc thù đạt chuẩn nông thôn mới" in text
    # 33 houses = 24 + 6 + 1 + 1 + 1; 15 cultural houses; 9 schools and 4 health stations; the gifts.
    assert (
        "xây dựng 33 ngôi nhà, trong đó 24 nhà tình nghĩa, 6 nhà đại đoàn kết, 1 nhà mái ấm tình thương, "
        "1 nhà mái ấm công đoàn và 1 nhà khăn quàng đỏ" in text
    )
    assert "xây dựng 15 nhà văn hóa thôn, xóm" in text
    assert "sửa chữa, nâng cấp 9 trường học, 4 trạm y tế" in text
    assert "tặng 107 bộ máy vi tính, 7 máy in, 7.120 suất quà, 180 suất học bổng" in text
    # Free health checks for more than 2,700 people; more than 50 billion đồng in all.
    people = re.search(r"khám, tư vấn sức khỏe, cấp thuốc miễn phí cho ([\d.]+) lượt người", text)
    assert people and int(people.group(1).replace(".", "")) > 2700
    assert "tổng giá trị hơn 50 tỷ đồng" in text
    total = next(row for row in review.document.tables if row.rows[0].cells[1].text == "Nội dung hỗ trợ").rows[-1]
    assert total.cells[1].text == "Tổng cộng"
    assert int(total.cells[4].text.replace(".", "")) > 50_000_000_000


def test_the_fifteenth_of_august_notice_has_chairs_conclusions_and_tasks(demo, db):
    meeting = Meeting.objects.for_minutes().get(start__date="2016-08-15")
    read = ReadDocument.from_bytes(meeting_document(meeting, "conclusions").content)
    # The bloc (a Party body) issues it in the Party style, under its name on file.
    assert read.header_left[0] == "ĐẢNG BỘ TỈNH HÀ TĨNH"
    assert read.header_left[1].startswith("ĐẢNG ỦY KHỐI CÁC CƠ QUAN")
    assert read.header_left[-1].endswith("-TB/ĐUK")
    assert read.header_right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert "THÔNG BÁO" in read.paragraphs
    assert any(p.startswith("Kết luận của đồng chí Trần Thế Dũng, TUV, Bí thư Đảng ủy Khối") for p in read.paragraphs)
    text = read.text
    assert "Đồng chí Trần Thế Dũng" in text and "đồng chí Lê Văn Vinh" in text and "chủ trì hội nghị" in text
    assert "đồng chí Ngô Đình Long" in text
    for number, conclusion in enumerate(meeting.conclusions.all(), start=1):
        assert f"{number}. {conclusion.text}" in read.paragraphs
    tasks = list(meeting.tasks.all())
    assert tasks
    table = next(t for t in read.document.tables if t.rows[0].cells[1].text == "Nội dung nhiệm vụ")
    lines = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert [line[1:3] for line in lines] == [[task.text, task.owner.name] for task in tasks]
    assert [line[3] for line in lines] == [task.due_date.strftime("%d/%m/%Y") for task in tasks]


def test_ky_anh_criteria_report_prints_the_average_of_the_q1_2017_review(demo, db):
    result = registry.get("criteria-summary").run({"district": "Huyện Kỳ Anh", "year": "2017"})
    # Dated on the review's day the district's committee issues it; undated (today, 2026) the province does.
    read = ReadDocument.from_bytes(report_document(result, date=datetime.date(2017, 4, 14)).content)
    assert read.header_left[0] == "ỦY BAN NHÂN DÂN HUYỆN KỲ ANH"
    today = ReadDocument.from_bytes(report_document(result).content)
    assert today.header_left[0] == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
    assert read.header_right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    # FACTS.md: Huyện ủy Kỳ Anh, Q1 2017: 9.8 criteria per commune on average.
    assert "bình quân đạt 9,8 tiêu chí/xã" in read.text


def test_bloc_scorecard_prints_the_published_sponsorship_figures(demo, db):
    params = {
        "parent": "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh",
        "since_year": "2012",
        "as_of": "2022-03-31",
    }
    read = ReadDocument.from_bytes(report_document(registry.get("sponsor-scorecard").run(params)).content)
    assert read.header_left[:2] == ["ĐẢNG BỘ TỈNH HÀ TĨNH", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH"]
    # FACTS.md (source 004): 75 units sponsored 169 communes, 157 of which reached standard.
    assert "75 cơ quan, đơn vị đã đỡ đầu, giúp đỡ 169 xã, trong đó 157 xã đã đạt chuẩn nông thôn mới" in read.text
    assert "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Tĩnh đỡ đầu 12 xã (10 xã đạt chuẩn)" in read.text
