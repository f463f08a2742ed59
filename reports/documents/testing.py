"""Reading a generated document back, for the tests and for anyone checking a draft by script."""

import io
from dataclasses import dataclass
from decimal import Decimal

import docx
from docx.oxml.ns import qn

from reports.documents.formats import vn_decimal, vn_int, vn_quantity


@dataclass
class ReadDocument:
    """A .docx opened with python-docx, with its text split the way a reader sees it."""

    document: docx.document.Document

    @classmethod
    def from_bytes(cls, content: bytes) -> "ReadDocument":
        return cls(docx.Document(io.BytesIO(content)))

    @property
    def header_left(self) -> list[str]:
        """The lines of the header block's left column (issuing body, symbol)."""
        return self._column(0)

    @property
    def header_right(self) -> list[str]:
        """The lines of the header block's right column (motto or Party title, date line)."""
        return self._column(1)

    def _column(self, index: int) -> list[str]:
        table = self.document.tables[0]
        lines = []
        for row in table.rows:
            lines += [p.text for p in row.cells[index].paragraphs if p.text.strip()]
        return lines

    @property
    def paragraphs(self) -> list[str]:
        """The body paragraphs outside tables, in order."""
        return [p.text for p in self.document.paragraphs if p.text.strip()]

    @property
    def table_cells(self) -> list[str]:
        cells = []
        for table in self.document.tables:
            for row in table.rows:
                cells += [cell.text for cell in row.cells]
        return cells

    @property
    def text(self) -> str:
        """Everything a reader sees, paragraphs and tables, one line each."""
        return "\n".join(self.paragraphs + self.table_cells)

    def runs(self):
        """Every text run, in body paragraphs and in table cells."""
        for paragraph in self.document.paragraphs:
            yield from paragraph.runs
        for table in self.document.tables:
            for row in table.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        yield from paragraph.runs

    def run_with_text(self, text: str):
        """The first run whose text is exactly `text` (header lines are one run each)."""
        for run in self.runs():
            if run.text == text:
                return run
        raise AssertionError(f"no run reads {text!r}")

    def run_fonts(self) -> set[str]:
        """The font of every run in every script slot (ASCII, Vietnamese letters, complex, East Asian)."""
        fonts = set()
        for run in self.runs():
            r_fonts = run._element.rPr.find(qn("w:rFonts")) if run._element.rPr is not None else None
            if r_fonts is None:
                fonts.add("(inherited)")
                continue
            for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.add(r_fonts.get(qn(slot)))
        return fonts


def figures_of(result: dict) -> list[str]:
    """Every figure of a report result as a document should print it: integers as "1.234", decimals
    as "9,8", quantities as recorded. Strings (names, units) are left to the tests that need them."""
    found = []

    def visit(value):
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, dict):
            # Database ids are not figures a reader needs.
            for key, item in value.items():
                if not str(key).endswith("_id"):
                    visit(item)
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item)
        elif isinstance(value, int):
            found.append(vn_int(value))
        elif isinstance(value, float | Decimal):
            number = Decimal(str(value))
            found.append(vn_quantity(number) if number == number.to_integral_value() else vn_decimal(number, 1))

    visit(result.get("totals", {}))
    visit(result.get("rows", []))
    return found


def make_decision_140():
    """Quyết định 140-QĐ/TU of Ninh Bình with one agency in charge and one twinned enterprise, for tests."""
    import datetime

    from divisions.models import AdministrativeUnit
    from sponsorship.models import Assignment, Decision, Organisation

    ninh_binh = AdministrativeUnit.objects.filter(code="37", level=1).order_by("valid_from").first()
    decision = Decision.objects.create(
        symbol="140-QĐ/TU",
        document_type="quyet_dinh",
        issuer="Ban Thường vụ Tỉnh ủy Ninh Bình",
        issued_on=datetime.date(2016, 3, 1),
        term_from_year=2016,
        term_to_year=2020,
        title="Phân công cơ quan, đơn vị phụ trách và doanh nghiệp kết nghĩa với xã, phường, thị trấn đặc thù",
        province=ninh_binh,
    )
    commune = AdministrativeUnit.objects.filter(level=3, province=ninh_binh).order_by("code").first()
    enterprise = Organisation.objects.create(name="Công ty Xi măng Vissai Ninh Bình", kind="doanh_nghiep")
    agency = Organisation.objects.create(name="Sở Tài chính tỉnh Ninh Bình", kind="so_nganh")
    Assignment.objects.create(decision=decision, organisation=enterprise, commune=commune, role="ket_nghia")
    Assignment.objects.create(decision=decision, organisation=agency, commune=commune, role="phu_trach")
    return decision
