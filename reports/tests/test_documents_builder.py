"""The page and header of official documents: A4, margins, Times New Roman, both header styles."""

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from divisions.models import AdministrativeUnit
from reports.documents import Column, HeaderStyle, Issuer, OfficialDocument, Signature, issuer_for_organisation
from reports.documents.formats import BLANK_NUMBER
from reports.documents.issuers import issuer_from_text
from reports.documents.testing import ReadDocument
from sponsorship.models import Organisation

STATE = Issuer(
    name="Sở Nông nghiệp và Phát triển nông thôn",
    parent="UBND tỉnh Hà Tĩnh",
    style=HeaderStyle.STATE,
    code="SNN",
    place="Hà Tĩnh",
)
PARTY = Issuer(name="Tỉnh ủy", parent="Đảng bộ tỉnh Ninh Bình", style=HeaderStyle.PARTY, code="TU", place="Ninh Bình")


def build(issuer, **kwargs) -> ReadDocument:
    doc = OfficialDocument(
        issuer=issuer, type_code="BC", type_name="Báo cáo", title="Kết quả hỗ trợ các xã", year=2019, **kwargs
    )
    doc.paragraph("Nội dung báo cáo.")
    doc.table(
        [Column("STT", 1, centered=True), Column("Nội dung", 5), Column("Số lượng", 2, numeric=True)],
        [["1", "Nhà tình nghĩa", "24"]],
        total=["", "Tổng cộng", "24"],
    )
    doc.closing(recipients=["Thường trực Tỉnh ủy;"], signature=Signature(lines=("T/M Ban Thường vụ",)))
    return ReadDocument.from_bytes(doc.to_bytes())


@pytest.mark.parametrize("issuer", [STATE, PARTY], ids=["state", "party"])
def test_page_is_a4_portrait_with_the_prescribed_margins(issuer):
    section = build(issuer).document.sections[0]
    # Word stores lengths in twentieths of a point: compare in whole millimetres.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20


@pytest.mark.parametrize("issuer", [STATE, PARTY], ids=["state", "party"])
def test_every_run_is_times_new_roman_in_every_script_slot(issuer):
    read = build(issuer)
    assert read.run_fonts() == {"Times New Roman"}
    normal = read.document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert Pt(13) <= normal.font.size <= Pt(14)


def test_state_header_has_the_national_name_motto_and_issuing_body():
    read = build(STATE)
    assert read.header_left == [
        "UBND TỈNH HÀ TĨNH",
        "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
        f"Số: {BLANK_NUMBER}/BC-SNN",
    ]
    assert read.header_right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert read.header_right[2].startswith("Hà Tĩnh, ngày")
    assert read.header_right[2].endswith("năm 2019")

    parent = read.run_with_text("UBND TỈNH HÀ TĨNH")
    body = read.run_with_text("SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN")
    nation = read.run_with_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    motto = read.run_with_text("Độc lập - Tự do - Hạnh phúc")
    date = read.run_with_text(read.header_right[2])
    assert not parent.bold and body.bold
    assert Pt(12) <= body.font.size <= Pt(13)
    assert nation.bold and Pt(12) <= nation.font.size <= Pt(13)
    assert motto.bold and motto.underline and Pt(13) <= motto.font.size <= Pt(14)
    assert date.italic


def test_state_header_draws_a_short_rule_under_the_issuing_body():
    read = build(STATE)
    left = read.document.tables[0].rows[0].cells[0]
    rule = left.paragraphs[-1]
    assert rule.text == ""
    assert rule._p.pPr.find(qn("w:pBdr")) is not None
    assert rule.paragraph_format.left_indent > 0


def test_party_header_has_the_party_title_the_star_and_the_dash_symbol():
    read = build(PARTY)
    assert read.header_left == ["ĐẢNG BỘ TỈNH NINH BÌNH", "TỈNH ỦY", "*", f"Số {BLANK_NUMBER}-BC/TU"]
    assert read.header_right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert read.header_right[1].startswith("Ninh Bình, ngày")
    title = read.run_with_text("ĐẢNG CỘNG SẢN VIỆT NAM")
    assert title.bold and title.underline and title.font.size == Pt(15)
    assert read.run_with_text("TỈNH ỦY").bold
    assert not read.run_with_text("ĐẢNG BỘ TỈNH NINH BÌNH").bold


@pytest.mark.parametrize(("issuer", "type_size"), [(STATE, 14), (PARTY, 16)], ids=["state", "party"])
def test_document_type_and_title_are_bold_and_centred(issuer, type_size):
    read = build(issuer)
    type_paragraph = next(p for p in read.document.paragraphs if p.text == "BÁO CÁO")
    title_paragraph = next(p for p in read.document.paragraphs if p.text == "Kết quả hỗ trợ các xã")
    assert type_paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert type_paragraph.runs[0].bold and type_paragraph.runs[0].font.size == Pt(type_size)
    assert title_paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER and title_paragraph.runs[0].bold


def test_recipients_and_signature_close_the_document():
    read = build(STATE)
    closing = read.document.tables[-1]
    left, right = closing.rows[0].cells
    lines = [p.text for p in left.paragraphs]
    assert lines == ["Nơi nhận:", "- Thường trực Tỉnh ủy;", "- Lưu: VT."]
    label = left.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size == Pt(12)
    assert left.paragraphs[1].runs[0].font.size == Pt(11)
    assert right.paragraphs[0].text == "T/M BAN THƯỜNG VỤ" and right.paragraphs[0].runs[0].bold


def test_party_recipients_label_is_underlined_and_files_to_vt():
    read = build(PARTY)
    left = read.document.tables[-1].rows[0].cells[0]
    assert left.paragraphs[0].runs[0].underline
    assert left.paragraphs[-1].text == "- Lưu VT."
    assert left.paragraphs[1].runs[0].font.size == Pt(12)


def test_tables_repeat_their_header_row_and_right_align_figures():
    read = build(STATE)
    table = read.document.tables[1]
    assert [c.text for c in table.rows[0].cells] == ["STT", "Nội dung", "Số lượng"]
    assert table.rows[0]._tr.trPr.xml.count("tblHeader")
    assert table.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[2].cells[1].paragraphs[0].runs[0].bold


def test_style_can_be_forced_whatever_the_issuer():
    read = build(STATE, style=HeaderStyle.PARTY)
    assert read.header_right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"


@pytest.mark.django_db
class TestIssuerOfAnOrganisation:
    def province(self, code):
        return AdministrativeUnit.objects.filter(code=code, level=1).order_by("valid_from").first()

    def test_party_bodies_and_organisations_write_in_the_party_style(self):
        bloc = Organisation.objects.create(
            name="Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh", kind="to_chuc_dang", home_unit=self.province("42")
        )
        issuer = issuer_for_organisation(bloc)
        assert issuer.style == HeaderStyle.PARTY
        assert (issuer.parent, issuer.name, issuer.code, issuer.place) == (
            "Đảng bộ tỉnh Hà Tĩnh",
            "Đảng ủy Khối các cơ quan tỉnh",
            "ĐUK",
            "Hà Tĩnh",
        )
        cell = Organisation.objects.create(
            name="Chi bộ Cơ quan Ủy ban MTTQ tỉnh Hà Tĩnh", kind="to_chuc_dang", parent=bloc
        )
        assert issuer_for_organisation(cell).parent == "Đảng bộ Khối các cơ quan tỉnh"

    def test_agencies_write_in_the_state_style_under_the_provincial_committee(self):
        department = Organisation.objects.create(
            name="Sở Tài chính tỉnh Ninh Bình", short_name="STC", kind="so_nganh", home_unit=self.province("37")
        )
        issuer = issuer_for_organisation(department)
        assert issuer.style == HeaderStyle.STATE
        assert (issuer.parent, issuer.name, issuer.code) == ("UBND tỉnh Ninh Bình", "Sở Tài chính", "STC")
        assert issuer_for_organisation(department, style=HeaderStyle.PARTY).style == HeaderStyle.PARTY

    def test_a_decision_issuer_known_only_by_name_is_read_from_its_words(self):
        issuer = issuer_from_text("Ban Thường vụ Tỉnh ủy Ninh Bình", province=self.province("37"))
        assert issuer.style == HeaderStyle.PARTY
        assert (issuer.parent, issuer.name, issuer.code) == ("Đảng bộ tỉnh Ninh Bình", "Tỉnh ủy", "TU")
        committee = issuer_from_text("UBND tỉnh Hà Tĩnh")
        assert committee.style == HeaderStyle.STATE
        assert (committee.name, committee.code, committee.place) == ("Ủy ban nhân dân tỉnh Hà Tĩnh", "UBND", "Hà Tĩnh")
