"""Minutes and conclusion notices of a meeting: chairs, participants, speeches in order, conclusions, tasks."""

from types import SimpleNamespace

import pytest

from reports.documents import HeaderStyle, meeting_document
from reports.documents.meetings import person_words
from reports.documents.samples import sample_meeting
from reports.documents.testing import ReadDocument


def read(which, meeting=None, **kwargs) -> ReadDocument:
    return ReadDocument.from_bytes(meeting_document(meeting or sample_meeting(), which, **kwargs).content)


def test_a_participant_is_named_with_the_post_held_that_day():
    meeting = sample_meeting()
    dung, _vinh, _long, delegates, hanh, _tuan, thao, _hoan = meeting.participations
    assert person_words(dung) == "đồng chí Trần Thế Dũng, TUV, Bí thư Đảng ủy Khối"
    # The organisation is added only when the position does not already name it.
    assert person_words(thao) == "đồng chí Nguyễn Văn Thảo, Sở Nội vụ"
    assert person_words(hanh) == "đồng chí Nguyễn Văn Hạnh, Phó Bí thư Đảng bộ, Phó Giám đốc Sở VHTTDL"
    assert person_words(delegates).startswith("đại diện lãnh đạo cấp ủy")


def test_the_blocs_notice_is_in_the_party_style():
    document = read("conclusions")
    assert document.header_left == [
        "ĐẢNG BỘ TỈNH HÀ TĨNH",
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
        "*",
        document.header_left[3],
    ]
    assert document.header_left[3].startswith("Số") and document.header_left[3].endswith("-TB/ĐUK")
    assert document.header_right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert document.header_right[1].startswith("Hà Tĩnh, ngày") and document.header_right[1].endswith("năm 2016")
    assert "THÔNG BÁO" in document.paragraphs
    assert "Kết luận của đồng chí Trần Thế Dũng, TUV, Bí thư Đảng ủy Khối" in document.paragraphs


def test_notice_names_the_chairs_the_speakers_and_every_conclusion():
    document = read("conclusions")
    text = document.text
    assert "Ngày 15/08/2016, Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh tổ chức hội nghị giao ban" in text
    assert (
        "Đồng chí Trần Thế Dũng, TUV, Bí thư Đảng ủy Khối và đồng chí Lê Văn Vinh, "
        "Phó Bí thư Thường trực Đảng ủy Khối chủ trì hội nghị." in text
    )
    assert "đồng chí Ngô Đình Long, Phó Chánh Văn phòng Điều phối" in text
    assert "báo cáo đề dẫn do đồng chí Lê Văn Vinh" in text
    assert "Nguyễn Văn Hạnh, Trần Quang Tuấn, Nguyễn Văn Thảo, Nguyễn Thế Hoàn và Ngô Đình Long" in text
    for number, conclusion in enumerate(sample_meeting().conclusions, start=1):
        assert f"{number}. {conclusion.text}" in document.paragraphs


def test_notice_lists_each_task_with_its_owner_and_deadline():
    document = read("conclusions")
    table = next(t for t in document.document.tables if t.rows[0].cells[1].text == "Nội dung nhiệm vụ")
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert rows[0][1:4] == [
        "Kiện toàn Tổ giúp việc xây dựng nông thôn mới",
        "Các đảng bộ, chi bộ trực thuộc Đảng bộ Khối",
        "30/09/2016",
    ]
    assert rows[1][3:] == ["31/10/2016", "tiêu chí 17"]
    recipients = [p.text for p in document.document.tables[-1].rows[0].cells[0].paragraphs]
    assert recipients == [
        "Nơi nhận:",
        "- Các đảng bộ, chi bộ trực thuộc Đảng bộ Khối;",
        "- Các đồng chí dự hội nghị;",
        "- Lưu VT.",
    ]
    signature = [p.text for p in document.document.tables[-1].rows[0].cells[1].paragraphs if p.text]
    assert signature == ["T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"]


def test_minutes_record_the_meeting_in_order_and_are_signed_by_secretary_and_chair():
    document = read("minutes")
    assert "BIÊN BẢN" in document.paragraphs
    assert document.header_right[1] == "Hà Tĩnh, ngày 15 tháng 8 năm 2016"
    text = document.text
    assert "Hôm nay, vào hồi 14 giờ 00 ngày 15/08/2016, tại Hội trường Đảng ủy Khối" in text
    assert "- Đồng chí Trần Thế Dũng, TUV, Bí thư Đảng ủy Khối;" in document.paragraphs
    assert "- Đồng chí Nguyễn Thế Hoàn, TUV, Bí thư Đảng bộ, Bí thư Tỉnh đoàn." in document.paragraphs
    speeches = [p for p in document.paragraphs if p[:2] in {f"{n}." for n in range(1, 8)} and "Đồng chí" in p]
    assert speeches[0].startswith("1. Đồng chí Lê Văn Vinh") and "trình bày báo cáo đề dẫn" in speeches[0]
    assert speeches[4].startswith("5. Đồng chí Nguyễn Thế Hoàn") and "238 đường điện" in speeches[4]
    assert "phát biểu (tiêu chí 18)" in speeches[3]
    assert speeches[6].startswith("7. Đồng chí Trần Thế Dũng") and "kết luận hội nghị" in speeches[6]
    signatures = document.document.tables[-1].rows[0].cells
    assert signatures[0].paragraphs[0].text == "THƯ KÝ"
    assert signatures[1].paragraphs[0].text == "CHỦ TRÌ HỘI NGHỊ"
    assert signatures[1].paragraphs[-1].text == "Trần Thế Dũng"


def test_an_online_meeting_names_its_bridge_points():
    meeting = sample_meeting()
    meeting.is_online = True
    meeting.bridge_point_count = 11
    meeting.bridge_units = [SimpleNamespace(name="Huyện Đồng Văn"), SimpleNamespace(name="Thành phố Hà Giang")]
    text = read("minutes", meeting).text
    assert "trực tuyến với 11 điểm cầu (Huyện Đồng Văn và Thành phố Hà Giang)" in text


def test_a_state_organiser_writes_the_notice_in_the_state_style():
    meeting = sample_meeting()
    meeting.organiser = SimpleNamespace(
        name="Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Tĩnh",
        short_name="SNN",
        kind="so_nganh",
        parent_id=None,
        parent=None,
        home_unit=None,
    )
    document = read("conclusions", meeting)
    assert document.header_left[:2] == ["UBND TỈNH HÀ TĨNH", "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"]
    assert document.header_left[-1].endswith("/TB-SNN")
    assert document.header_right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    signature = [p.text for p in document.document.tables[-1].rows[0].cells[1].paragraphs if p.text]
    assert signature == ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"]


@pytest.mark.parametrize("which", ["minutes", "conclusions"])
def test_meeting_documents_are_a4_times_new_roman(which):
    document = read(which, style=HeaderStyle.PARTY)
    section = document.document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.run_fonts() == {"Times New Roman"}


def test_file_names_say_what_and_when():
    assert meeting_document(sample_meeting(), "conclusions").filename.startswith("thong-bao-ket-luan-2016-08-15-")
    assert meeting_document(sample_meeting(), "minutes").filename.startswith("bien-ban-2016-08-15-hoi-nghi-giao-ban")


@pytest.mark.parametrize("which", ["minutes", "conclusions"])
def test_stored_text_of_any_kind_never_fails_a_meeting_document(which):
    """A speech typed with control characters (SQLite even keeps NUL), a lone surrogate built in code,
    a very long summary: the document is written, the text as it can be shown."""
    meeting = sample_meeting()
    meeting.title = "Giao ban\x00 tháng\x0b 8"
    for speech in meeting.speeches:
        speech.summary = "Ý kiến\x01\x1f về \ud800tiêu chí 17\ufffe. " + "Nội dung dài. " * 3000
    text = read(which, meeting).text
    assert "giao ban tháng" in text
    if which == "minutes":  # the notice gives the conclusions, the minutes every speech
        assert "Ý kiến về \ufffdtiêu chí 17." in text
    assert "\x00" not in text and "\x01" not in text and "\ufffe" not in text
