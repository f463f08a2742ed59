"""One builder for official documents in both Vietnamese header styles.

State documents follow Nghị định 30/2020/NĐ-CP (Phụ lục I); Party documents follow
Hướng dẫn 36-HD/VPTW (2018). Both use A4, Times New Roman and the same margins; they
differ in the header block, the number line, the font sizes of the header and title,
and the "Nơi nhận" label. Every size and emphasis lives in `LAYOUTS`, so a change of
rule is one edit there.

Typical use::

    issuer = Issuer(name="Tỉnh ủy", parent="Đảng bộ tỉnh Ninh Bình", style=HeaderStyle.PARTY,
                    code="TU", place="Ninh Bình")
    doc = OfficialDocument(issuer=issuer, type_code="BC", type_name="Báo cáo",
                           title="Sơ kết 3 năm thực hiện …", year=2019)
    doc.heading("I. KẾT QUẢ THỰC HIỆN")
    doc.paragraph("Các cơ quan, đơn vị đã hỗ trợ xây dựng 33 ngôi nhà, …")
    doc.table([Column("STT", 0.9, centered=True), Column("Nội dung", 5), Column("Số lượng", 2, numeric=True)],
              [["1", "Nhà tình nghĩa", "24"]])
    doc.closing(recipients=["Thường trực Tỉnh ủy;"], signature=Signature(lines=("T/M Ban Thường vụ",)))
    data = doc.to_bytes()   # or doc.save(path)

Every piece of text goes through `xml_text` on its way into the document: a stored value holding a
character XML cannot carry (NUL, other control characters, a lone surrogate) never makes a draft fail.
"""

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt

from ntm_site.text import xml_text
from reports.documents.formats import BLANK_NUMBER, place_date_line

FONT = "Times New Roman"
PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH = Emu(PAGE_WIDTH - MARGINS["left"] - MARGINS["right"])
FIRST_LINE_INDENT = Cm(1.27)
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class HeaderStyle(models.TextChoices):
    STATE = "state", gettext_lazy("Văn bản hành chính nhà nước (Nghị định 30/2020/NĐ-CP)")
    PARTY = "party", gettext_lazy("Văn bản của Đảng (Hướng dẫn 36-HD/VPTW)")


@dataclass(frozen=True)
class Layout:
    """Font sizes (pt) and wording that differ between the two styles."""

    motto_lines: tuple[str, ...]
    motto_sizes: tuple[int, ...]
    motto_bold: tuple[bool, ...]
    motto_underlined: tuple[bool, ...]
    body_name_size: int
    parent_name_size: int
    number_size: int
    date_size: int
    type_size: int
    title_size: int
    body_size: int
    recipients_label_size: int
    recipients_size: int
    signature_size: int
    left_width: Emu
    right_width: Emu


LAYOUTS = {
    # Nghị định 30/2020/NĐ-CP, Phụ lục I: Quốc hiệu 12-13 bold upper case, Tiêu ngữ 13-14 bold with
    # a line under it; issuing body 12-13 (parent regular, body bold) with a short rule; number 13;
    # date 13-14 italic; type 13-14 bold upper case; title 13-14 bold; "Nơi nhận" 12 bold italic,
    # its entries 11; body 13-14.
    HeaderStyle.STATE: Layout(
        motto_lines=("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"),
        motto_sizes=(12, 13),
        motto_bold=(True, True),
        motto_underlined=(False, True),
        body_name_size=13,
        parent_name_size=13,
        number_size=13,
        date_size=14,
        type_size=14,
        title_size=14,
        body_size=14,
        recipients_label_size=12,
        recipients_size=11,
        signature_size=14,
        left_width=Cm(6.3),
        right_width=Emu(TEXT_WIDTH - Cm(6.3)),
    ),
    # Hướng dẫn 36-HD/VPTW: "ĐẢNG CỘNG SẢN VIỆT NAM" 15 bold upper case with a line under it;
    # issuing body 14 (parent regular, body bold) with a star under it; "Số …" 14; date 14 italic;
    # type 15-16 bold; title 14 bold; "Nơi nhận" 14 underlined, its entries 12; body 14.
    HeaderStyle.PARTY: Layout(
        motto_lines=("ĐẢNG CỘNG SẢN VIỆT NAM",),
        motto_sizes=(15,),
        motto_bold=(True,),
        motto_underlined=(True,),
        body_name_size=14,
        parent_name_size=14,
        number_size=14,
        date_size=14,
        type_size=16,
        title_size=14,
        body_size=14,
        recipients_label_size=14,
        recipients_size=12,
        signature_size=14,
        left_width=Cm(7.5),
        right_width=Emu(TEXT_WIDTH - Cm(7.5)),
    ),
}


@dataclass(frozen=True)
class Issuer:
    """The body a document is issued in the name of, as its header block prints it.

    `name` is the issuing body ("SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "TỈNH ỦY"),
    `parent` the body above it ("UBND TỈNH HÀ TĨNH", "ĐẢNG BỘ TỈNH NINH BÌNH"), `code` the
    issuer's part of the symbol ("SNN" in "…/BC-SNN", "TU" in "…-BC/TU"), `place` the
    place name of the date line ("Hà Tĩnh").
    """

    name: str
    parent: str = ""
    style: str = HeaderStyle.STATE
    code: str = ""
    place: str = ""
    signature: "Signature | None" = None


@dataclass(frozen=True)
class Signature:
    """The signature block: authority lines in upper-case bold ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"),
    room for the signature and seal, then the signer's name (blank for the clerk when not known)."""

    lines: tuple[str, ...] = ()
    name: str = ""


@dataclass
class Column:
    """A table column: its heading, its share of the text width, and whether it holds figures."""

    title: str
    width: float = 1.0
    numeric: bool = False
    centered: bool = False


@dataclass
class _Cell:
    text: str
    bold: bool = False


@dataclass
class DocumentFile:
    """A generated document and the name to download it under."""

    content: bytes
    filename: str
    content_type: str = DOCX_CONTENT_TYPE


@dataclass
class OfficialDocument:
    """An A4 Word document with the header block of its issuer's style, filled in order."""

    issuer: Issuer
    type_code: str
    type_name: str
    title: str
    date: datetime.date | None = None
    year: int | None = None
    style: str | None = None
    subtitle_lines: Sequence[str] = field(default_factory=tuple)

    def __post_init__(self):
        self.style = HeaderStyle(self.style or self.issuer.style)
        self.layout = LAYOUTS[self.style]
        self.document = Document()
        self._set_up_page()
        self._set_up_styles()
        self._header_block()
        self._title_block()

    # -- page and styles -------------------------------------------------------------------------

    def _set_up_page(self):
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = PAGE_WIDTH
        section.page_height = PAGE_HEIGHT
        section.top_margin = MARGINS["top"]
        section.bottom_margin = MARGINS["bottom"]
        section.left_margin = MARGINS["left"]
        section.right_margin = MARGINS["right"]
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)

    def _set_up_styles(self):
        styles = self.document.styles
        # The defaults every style inherits: Times New Roman for every script (Vietnamese letters
        # with two diacritics fall in ranges Word assigns to the "complex" and "East Asian" fonts
        # when those are left to the theme), Vietnamese proofing.
        defaults = styles.element.find(qn("w:docDefaults"))
        r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(r_pr)
        lang = r_pr.find(qn("w:lang"))
        lang.set(qn("w:val"), "vi-VN")
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(self.layout.body_size)
        _set_fonts(normal.element.get_or_add_rPr())
        fmt = normal.paragraph_format
        fmt.space_before = Pt(6)
        fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
        fmt.line_spacing = 1.15
        fmt.widow_control = True
        core = self.document.core_properties
        core.title = xml_text(str(self.title))
        core.subject = xml_text(str(self.type_name))
        core.author = xml_text(str(self.issuer.name))
        core.language = "vi-VN"

    # -- header block ----------------------------------------------------------------------------

    def _header_block(self):
        layout, issuer = self.layout, self.issuer
        table = self._layout_table(2, (layout.left_width, layout.right_width))
        left, right = table.rows[0].cells
        if issuer.parent:
            self._cell_line(left, issuer.parent.upper(), size=layout.parent_name_size, first=True)
        self._cell_line(left, issuer.name.upper(), size=layout.body_name_size, bold=True, first=not issuer.parent)
        if self.style == HeaderStyle.PARTY:
            self._cell_line(left, "*", size=layout.body_name_size)
        else:
            _rule(left, width=_rule_width(issuer.name, layout.left_width, layout.body_name_size))
        for index, text in enumerate(layout.motto_lines):
            self._cell_line(
                right,
                text,
                size=layout.motto_sizes[index],
                bold=layout.motto_bold[index],
                underline=layout.motto_underlined[index],
                first=index == 0,
            )

        left, right = table.rows[1].cells
        number = self._cell_line(left, self.number_line(), size=layout.number_size, first=True)
        number.paragraph_format.space_before = Pt(6)
        date_line = place_date_line(issuer.place, date=self.date, year=self.year)
        if self.style == HeaderStyle.PARTY:
            # Hướng dẫn 36: the date sits right under the line of "ĐẢNG CỘNG SẢN VIỆT NAM".
            date = self._cell_line(table.rows[0].cells[1], date_line, size=layout.date_size, italic=True)
            date.paragraph_format.space_before = Pt(12)
        else:
            # Nghị định 30: the date is level with the number line, under the motto.
            date = self._cell_line(right, date_line, size=layout.date_size, italic=True, first=True)
            date.paragraph_format.space_before = Pt(6)
        for row in table.rows:
            for cell in row.cells:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP

    def number_line(self) -> str:
        """ "Số:        /BC-SNN" (state) or "Số        -BC/TU" (Party), the number left to the clerk."""
        code = self.issuer.code or "…"
        if self.style == HeaderStyle.PARTY:
            return _("Số {number}-{type}/{issuer}").format(number=BLANK_NUMBER, type=self.type_code, issuer=code)
        return _("Số: {number}/{type}-{issuer}").format(number=BLANK_NUMBER, type=self.type_code, issuer=code)

    def _title_block(self):
        layout = self.layout
        self._centered(self.type_name.upper(), size=layout.type_size, bold=True, space_before=18)
        for index, line in enumerate(self.title.split("\n")):
            self._centered(line, size=layout.title_size, bold=True, space_before=0 if index else 2)
        for line in self.subtitle_lines:
            self._centered(line, size=layout.title_size, italic=True, space_before=0)
        if self.style == HeaderStyle.PARTY:
            self._centered("-----", size=layout.title_size, space_before=0)
        else:
            paragraph = self.document.add_paragraph()
            _format_rule(paragraph, width=Cm(4), container_width=TEXT_WIDTH, space_before=8)
        # A blank line before the body.
        spacer = self.document.add_paragraph()
        spacer.paragraph_format.space_before = Pt(0)
        _font(spacer.add_run(""), size=6)

    # -- body ------------------------------------------------------------------------------------

    def heading(self, text: str, *, level: int = 1):
        """A section heading: "I. KẾT QUẢ" (level 1, bold) or "1. Về …" (level 2, bold) or italic level 3."""
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT
        paragraph.paragraph_format.keep_with_next = True
        _font(paragraph.add_run(xml_text(str(text))), size=self.layout.body_size, bold=level <= 2, italic=level >= 3)
        return paragraph

    def paragraph(self, *parts, indent: bool = True, align: str = "justify", size: int | None = None):
        """A body paragraph. Each part is text, or (text, {"bold": True, "italic": True}) for emphasis."""
        paragraph = self.document.add_paragraph()
        paragraph.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        if indent:
            paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT
        for part in parts:
            text, emphasis = (part, {}) if isinstance(part, str) else part
            _font(paragraph.add_run(xml_text(str(text))), size=size or self.layout.body_size, **emphasis)
        return paragraph

    def dash_list(self, items: Iterable[str]):
        """Items each on its own line, starting "- ", ending ";" and the last one ".", as the sources list them."""
        items = [item.rstrip(" ;.") for item in items]
        return [self.paragraph(f"- {item}{'.' if i == len(items) - 1 else ';'}") for i, item in enumerate(items)]

    def table(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence],
        *,
        total: Sequence | None = None,
        size: int = 13,
        caption: str = "",
    ):
        """A bordered table with a bold header row repeated on every page, figures right-aligned,
        and an optional bold total row. Cells are text already formatted by the caller."""
        if caption:
            self.paragraph((caption, {"bold": True}), indent=False, align="center")
        rows = [list(row) for row in rows]
        if total is not None:
            rows.append([_Cell(str(value), bold=True) for value in total])
        table = self.document.add_table(rows=1 + len(rows), cols=len(columns))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        share = sum(column.width for column in columns)
        widths = [Emu(int(TEXT_WIDTH * column.width / share)) for column in columns]
        _column_widths(table, widths)
        header = table.rows[0]
        _repeat_as_header(header)
        for cell, column in zip(header.cells, columns, strict=True):
            self._cell_text(cell, column.title, size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for row, values in zip(table.rows[1:], rows, strict=True):
            _keep_row_together(row)
            for cell, column, value in zip(row.cells, columns, values, strict=True):
                bold = isinstance(value, _Cell) and value.bold
                text = value.text if isinstance(value, _Cell) else str(value if value is not None else "")
                align = WD_ALIGN_PARAGRAPH.RIGHT if column.numeric else WD_ALIGN_PARAGRAPH.LEFT
                if column.centered:
                    align = WD_ALIGN_PARAGRAPH.CENTER
                self._cell_text(cell, text, size=size, bold=bold, align=align)
        # Space after the table, before the next paragraph.
        self.document.add_paragraph().paragraph_format.space_before = Pt(0)
        return table

    # -- the end ---------------------------------------------------------------------------------

    def filing_line(self) -> str:
        """The last recipient, the office's own file: "Lưu: VT." (Nghị định 30) or "Lưu VT." (Party)."""
        return _("Lưu VT.") if self.style == HeaderStyle.PARTY else _("Lưu: VT.")

    def closing(self, *, recipients: Sequence[str], signature: Signature | None = None):
        """ "Nơi nhận:" on the left (ending with the office's file copy), the signature block on the right."""
        signature = signature or self.issuer.signature or Signature()
        self._gap()
        table = self._layout_table(1, (Emu(int(TEXT_WIDTH * 0.45)), Emu(int(TEXT_WIDTH * 0.55))))
        left, right = table.rows[0].cells
        self._recipients(left, recipients)
        self._signature(right, signature)
        return table

    def signatures(self, blocks: Sequence[Signature]):
        """Several signature blocks side by side, as minutes are signed (secretary, chair)."""
        width = Emu(int(TEXT_WIDTH / len(blocks)))
        self._gap()
        table = self._layout_table(1, tuple(width for _block in blocks))
        for cell, block in zip(table.rows[0].cells, blocks, strict=True):
            self._signature(cell, block)
        return table

    def recipients(self, recipients: Sequence[str]):
        """The "Nơi nhận" block alone (under side-by-side signatures), ending with the file copy."""
        table = self._layout_table(1, (Emu(int(TEXT_WIDTH * 0.6)), Emu(int(TEXT_WIDTH * 0.4))))
        self._recipients(table.rows[0].cells[0], recipients)
        return table

    def _recipients(self, cell, recipients: Sequence[str]):
        layout = self.layout
        if self.style == HeaderStyle.PARTY:
            label = self._cell_line(cell, _("Nơi nhận:"), size=layout.recipients_label_size, underline=True, first=True)
        else:
            label = self._cell_line(
                cell, _("Nơi nhận:"), size=layout.recipients_label_size, bold=True, italic=True, first=True
            )
        label.alignment = WD_ALIGN_PARAGRAPH.LEFT
        for entry in [*recipients, self.filing_line()]:
            line = self._cell_line(cell, f"- {entry}", size=layout.recipients_size)
            line.alignment = WD_ALIGN_PARAGRAPH.LEFT

    def _signature(self, cell, signature: Signature):
        size = self.layout.signature_size
        lines = signature.lines or ("",)
        for index, line in enumerate(lines):
            self._cell_line(cell, line.upper(), size=size, bold=True, first=index == 0)
        # Room for the signature and the seal.
        for _index in range(4):
            self._cell_line(cell, "", size=size)
        self._cell_line(cell, signature.name, size=size, bold=True)

    # -- output ----------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def save(self, path) -> None:
        self.document.save(str(path))

    # -- helpers ---------------------------------------------------------------------------------

    def _gap(self):
        spacer = self.document.add_paragraph()
        spacer.paragraph_format.space_before = Pt(6)

    def _layout_table(self, rows: int, widths: Sequence[Emu]):
        table = self.document.add_table(rows=rows, cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _no_borders(table)
        _column_widths(table, widths)
        return table

    def _cell_line(self, cell, text, *, size, bold=False, italic=False, underline=False, first=False):
        paragraph = cell.paragraphs[0] if first and not cell.paragraphs[0].runs else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = paragraph.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0
        fmt.first_line_indent = Pt(0)
        _font(paragraph.add_run(xml_text(str(text))), size=size, bold=bold, italic=italic, underline=underline)
        return paragraph

    def _cell_text(self, cell, text, *, size, bold=False, align=WD_ALIGN_PARAGRAPH.LEFT):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.space_before = Pt(2)
        fmt.space_after = Pt(2)
        fmt.line_spacing = 1.0
        fmt.first_line_indent = Pt(0)
        _font(paragraph.add_run(xml_text(str(text))), size=size, bold=bold)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def _centered(self, text, *, size, bold=False, italic=False, space_before=0):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = paragraph.paragraph_format
        fmt.space_before = Pt(space_before)
        fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0
        fmt.keep_with_next = True
        _font(paragraph.add_run(xml_text(str(text))), size=size, bold=bold, italic=italic)
        return paragraph


def bold_cell(text) -> _Cell:
    """A table cell printed in bold (a group heading inside a table)."""
    return _Cell(str(text), bold=True)


# -- low-level XML helpers ------------------------------------------------------------------------


def _set_fonts(r_pr):
    """Times New Roman for every script slot, with the theme fonts (which would win) removed."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _font(run, *, size, bold=False, italic=False, underline=False):
    run.font.name = FONT
    _set_fonts(run._element.get_or_add_rPr())
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    return run


def _no_borders(table):
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def _column_widths(table, widths: Sequence[Emu]):
    # Word reads the cell widths, LibreOffice the grid: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _repeat_as_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _keep_row_together(row):
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    tr_pr.append(cant_split)


def _rule_width(text: str, cell_width: Emu, size: int) -> Emu:
    """Nghị định 30: the rule under the issuing body is a third to a half of the line above it."""
    # An upper-case bold Times character is about 0.7 em wide.
    line = min(Emu(int(len(text) * Pt(size) * 0.7)), cell_width)
    return Emu(max(Cm(1.5), min(int(line * 0.4), Cm(3.5))))


def _rule(cell, *, width: Emu):
    paragraph = cell.add_paragraph()
    _format_rule(paragraph, width=width, container_width=cell.width)


_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _format_rule(paragraph, *, width: Emu, container_width: Emu, space_before: int = 4):
    """A centred horizontal line `width` long: the top border of an empty paragraph indented on both sides.

    A paragraph border follows the paragraph's indents in Word and LibreOffice alike, so this
    draws a real line (not underscores) that stays centred however the text above is set."""
    side = Emu(max(0, int((container_width - width) / 2)))
    fmt = paragraph.paragraph_format
    fmt.left_indent = side
    fmt.right_indent = side
    fmt.first_line_indent = Pt(0)
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    top.set(qn("w:val"), "single")
    top.set(qn("w:sz"), "6")
    top.set(qn("w:space"), "1")
    top.set(qn("w:color"), "000000")
    borders.append(top)
    # Word refuses elements out of schema order: the border goes before shading, spacing and the rest.
    p_pr.insert_element_before(borders, *_AFTER_PBDR)
    _font(paragraph.add_run(""), size=4)
