"""A report result as a formatted .xlsx, a .csv or JSON: the same result the page shows.

No stored text makes a download fail, and none runs as a formula: in .xlsx, text goes through the
engine's xlsx_text (characters an xlsx cannot hold dropped, lone surrogates replaced, cut at an Excel
cell's 32,767 characters) and formula-like text (=, +, -, @ first) is a text cell with Excel's quote
prefix (a style: no visible apostrophe); the .csv keeps the leading apostrophe (escape_text).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
import os
import shutil
import tempfile
from copy import copy
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from criteria.choices import AssessmentStatus
from ntm_site.spreadsheets.workbooks import escape_text, is_formula_like, xlsx_text
from ntm_site.text import encodable
from reports.formatting import json_value
from reports.registry import Column, ColumnKind, ReportResult

K = ColumnKind
HEADER_FILL = PatternFill("solid", fgColor="DDE6ED")
STATUS_FILLS = {
    AssessmentStatus.MET: PatternFill("solid", fgColor="C6EFCE"),
    AssessmentStatus.NOT_MET: PatternFill("solid", fgColor="FFC7CE"),
    AssessmentStatus.NOT_APPLICABLE: PatternFill("solid", fgColor="E7E6E6"),
}
THIN = Side(style="thin", color="A0A0A0")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NUMBER_FORMATS = {
    K.INT: "#,##0",
    K.VND: "#,##0",
    K.DAYS: "#,##0",
    K.PERCENT: "0.0",
    K.DATE: "dd/mm/yyyy",
    K.MONTH: "mm/yyyy",
    K.YEAR: "0",
}


def filename(result: ReportResult, extension: str) -> str:
    """The report's Vietnamese name without diacritics: "bao-cao-ket-qua-tieu-chi-20261204-2210.xlsx"."""
    return f"{file_stem(result.report.title)}-{result.generated_at:%Y%m%d-%H%M}.{extension}"


def file_stem(title) -> str:
    from django.utils.text import slugify

    from ntm_site.text import fold

    return slugify(fold(str(title)))[:70].strip("-") or "bao-cao"


def filters_line(result: ReportResult) -> str:
    if not result.filters:
        return _("Bộ lọc: không có")
    return _("Bộ lọc: {filters}").format(filters="; ".join(f"{label}: {value}" for label, value in result.filters))


def generated_line(result: ReportResult) -> str:
    return _("Ngày lập: {when}").format(when=result.generated_at.strftime("%d/%m/%Y %H:%M"))


# --- cells ------------------------------------------------------------------------------------


def cell_value(column: Column, value):
    """The value a spreadsheet cell holds: numbers and dates stay numbers and dates."""
    if value is None:
        return None
    if column.choices is not None or column.kind == K.STATUS:
        return column.display(value)
    if isinstance(value, bool):
        return column.display(value)
    if isinstance(value, datetime.timedelta):
        return value.days
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _number_format(column: Column, value) -> str | None:
    if column.kind == K.DECIMAL and isinstance(value, int | float):
        return "#,##0" if float(value).is_integer() else "#,##0.00"
    return NUMBER_FORMATS.get(column.kind)


class _CellRows(WriteOnlyWorksheet):
    """A write-only worksheet whose rows are appended as ready cells: openpyxl's own append tries each
    value as a plain value first (and fails, for a cell) before taking the cell, a third of a big sheet.
    Each cell gets its row and column as it is written, so one cell object may be written many times.

    A table's rows (`_Sheet.rows`) are not cells at all: they go out as XML text into a temporary file of
    their own, and join the sheet's data when openpyxl closes the sheet (`close`), with the style indexes
    openpyxl gave their styles. openpyxl spends about 40 µs per cell (a national criteria matrix is 334,000
    cells); the text costs about 1 µs."""

    _table_rows = None  # a temporary file of <row> elements, or None

    def _values_to_row(self, values, row_idx):
        for col_idx, cell in enumerate(values, 1):
            cell.row, cell.column = row_idx, col_idx
            yield cell

    def close(self):
        super().close()
        if self._table_rows is None:
            return
        path = self._writer.out
        with open(path, "rb") as f:
            xml = f.read()
        if b"</sheetData>" not in xml:  # no row went through openpyxl: <sheetData/>
            xml = xml.replace(b"<sheetData/>", b"<sheetData></sheetData>", 1)
        end = xml.index(b"</sheetData>")
        with open(path + ".rows", "wb") as out:
            out.write(xml[:end])
            self._table_rows.seek(0)
            shutil.copyfileobj(self._table_rows, out)
            out.write(xml[end:])
        os.replace(path + ".rows", path)
        self._table_rows.close()
        self._table_rows = None


# Text in a cell: what lxml escapes when openpyxl writes it (quotes need no escaping in element text).
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# Excel's limit for the text of one cell.
MAX_CELL_TEXT = 32767


def _cell_xml(value, style: int, epoch) -> str:
    """What follows `<c r="A1"` for a cell holding `value` with style index `style`, as openpyxl writes it
    (inline strings, numbers as %.16g, dates as serial numbers)."""
    if value is None:
        return f' s="{style}"/>'
    if isinstance(value, str):
        if not value:
            return f' s="{style}" t="inlineStr"/>'
        text = xlsx_text(value)[:MAX_CELL_TEXT]
        stripped = text.strip()
        space = ' xml:space="preserve"' if stripped and stripped != text else ""
        return f' s="{style}" t="inlineStr"><is><t{space}>{text.translate(_XML_TEXT)}</t></is></c>'
    if isinstance(value, bool):
        return f' s="{style}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime.datetime):
        value = to_excel(value.replace(tzinfo=None), epoch)
    elif isinstance(value, datetime.date):
        value = to_excel(value, epoch)
    if isinstance(value, int | float):
        finite = not isinstance(value, float) or math.isfinite(value)
        return f' s="{style}" t="n"><v>{f"{value:.16g}" if finite else ""}</v></c>'
    return _cell_xml(str(value), style, epoch)


class _Sheet:
    """A write-only worksheet filled row by row: openpyxl streams the rows to the file instead of keeping
    a cell object per value (a national criteria matrix is 13,356 rows × 25 cells). Everything written
    before the rows (column widths, frozen panes, row heights) is set before the first row goes out."""

    def __init__(self, wb: Workbook, title: str):
        self.ws = _CellRows(parent=wb, title=_sheet_title(title))
        wb._add_sheet(self.ws)
        self.row = 0
        # openpyxl hashes every style object it is given (most of the time of a 300,000-cell sheet): each
        # combination is built once per workbook, then its style indexes are copied onto the next cells.
        self.styles = wb.__dict__.setdefault("_ntm_cell_styles", {})
        # (id(column), value, border) -> the cell of a status or choice column holding that value.
        self.labels = {}

    def append(self, cells=()) -> int:
        if self.ws._table_rows is not None:
            raise ValueError("A sheet's table rows come last: nothing is appended after them.")
        self.ws.append(list(cells))
        self.row += 1
        return self.row

    def text(self, value, **style) -> WriteOnlyCell:
        value = xlsx_text(str(value))
        cell = WriteOnlyCell(self.ws, value=value)
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
        for name, style_value in style.items():
            setattr(cell, name, style_value)
        return cell

    def _style_key(self, column: Column, raw, value, border: bool, quote: bool = False) -> tuple:
        number_format = _number_format(column, value)
        number_format = number_format if number_format and not isinstance(value, str) else None
        status = column.kind == K.STATUS
        fill = STATUS_FILLS.get(raw) if status else None
        # Long names wrap inside their column instead of running past the printed page's edge.
        wrap = column.kind == K.TEXT and not status
        return (number_format, status, raw if fill else None, border, wrap, quote)

    def _style(self, key: tuple):
        """The cell style (openpyxl's StyleArray) of a style key, built once per workbook."""
        found = self.styles.get(key)
        if found is None:
            number_format, status, fill_for, border, wrap, quote = key
            cell = WriteOnlyCell(self.ws)
            if number_format:
                cell.number_format = number_format
            if status:
                cell.alignment = Alignment(horizontal="center")
                if fill_for is not None:
                    cell.fill = STATUS_FILLS[fill_for]
            elif wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if border:
                cell.border = BORDER
            if quote:
                cell.quotePrefix = True
            found = self.styles[key] = copy(cell._style)
        return found

    def value(self, column: Column, raw, *, border=True) -> WriteOnlyCell:
        labelled = column.kind == K.STATUS or column.choices is not None
        if labelled:
            # A status or choice: one cell per column and value, written wherever it occurs (_CellRows gives
            # it its place just before it is written), instead of a cell object and a translation per cell.
            known = self.labels.get((id(column), raw, border))
            if known is not None:
                return known
        value = cell_value(column, raw)
        quote = False
        if isinstance(value, str):
            value = xlsx_text(value)
            # Text that would start a formula stays text, shown as stored: Excel's quote prefix, a style.
            quote = is_formula_like(value)
        cell = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        # Shared, not copied: a written cell is never styled again.
        cell._style = self._style(self._style_key(column, raw, value, border, quote))
        if labelled:
            self.labels[(id(column), raw, border)] = cell
        return cell

    def _renderer(self, column: Column):
        """raw value -> what follows `<c r="…"` for a table cell of `column` (_cell_xml). Text goes straight out;
        any other value (a number, a date, a status, a choice, yes/no) is rendered once per column and value."""
        labelled = column.kind == K.STATUS or column.choices is not None
        rendered: dict = {}
        style_ids: dict = {}
        epoch = self.ws.parent.epoch
        cell_styles = self.ws.parent._cell_styles

        def style_of(raw, value) -> int:
            # Text that would start a formula stays text, shown as stored: Excel's quote prefix, a style.
            quote = isinstance(value, str) and is_formula_like(value)
            key = self._style_key(column, raw, value, True, quote)
            style = style_ids.get(key)
            if style is None:
                # The index openpyxl gives the style, as it does for a cell it writes (StyleableObject.style_id).
                style = style_ids[key] = cell_styles.add(self._style(key))
            return style

        def render(raw):
            if raw.__class__ is str and not labelled:
                text = xlsx_text(raw)
                return _cell_xml(text, style_of(raw, text), epoch)
            try:
                return rendered[raw]
            except KeyError:
                value = cell_value(column, raw)
                xml = rendered[raw] = _cell_xml(value, style_of(raw, value), epoch)
                return xml
            except TypeError:  # a list (the activity report's missing fields)
                value = cell_value(column, raw)
                return _cell_xml(value, style_of(raw, value), epoch)

        return render

    def rows(self, columns: list[Column], rows: list[dict]) -> None:
        """Append `rows` as the sheet's last rows, one cell per column (None: an empty cell with its border),
        written as XML text (_CellRows); nothing may be appended after them."""
        if self.ws._table_rows is None:
            self.ws._table_rows = tempfile.TemporaryFile()  # noqa: SIM115 (closed by _CellRows.close)
        cells = [(get_column_letter(i), column.key, self._renderer(column)) for i, column in enumerate(columns, 1)]
        write = self.ws._table_rows.write
        number = self.row
        for row in rows:
            number += 1
            r = str(number)
            get = row.get
            xml = "".join([f'<c r="{letter}{r}"{render(get(key))}' for letter, key, render in cells])
            write(f'<row r="{r}">{xml}</row>'.encode())
        self.row = number


# --- xlsx ------------------------------------------------------------------------------------


def _layout(sheet: _Sheet, result: ReportResult, columns: list[Column], rows: list[dict], header_row: int) -> None:
    """What goes out before the rows: column widths, the title block's merges and height, frozen header."""
    ws = sheet.ws
    for col, column in enumerate(columns, start=1):
        width = column.width or _fit_width(column, rows)
        ws.column_dimensions[get_column_letter(col)].width = min(width, TEXT_WIDTH) if column.kind == K.TEXT else width
    width = max(len(columns), 4)
    for row in (1, 2, 3):
        ws.merged_cells.add(CellRange(min_row=row, min_col=1, max_row=row, max_col=width))
    # A merged cell does not grow with wrapped text: give the filters line room for its length.
    ws.row_dimensions[2].height = 15 * max(1, min(6, len(filters_line(result)) // 120 + 1))
    ws.row_dimensions[header_row].height = 32


def _title_block(sheet: _Sheet, result: ReportResult) -> None:
    """Report name, filters and date above the table (rows 1–3), then a blank row."""
    sheet.append([sheet.text(str(result.title), font=Font(bold=True, size=14))])
    sheet.append([sheet.text(filters_line(result), alignment=Alignment(wrap_text=True, vertical="top"))])
    sheet.append([sheet.text(generated_line(result), font=Font(italic=True))])
    sheet.append()


def _totals_block(sheet: _Sheet, result: ReportResult) -> None:
    items = result.total_items()
    for label, _shown, column in items:
        value = result.totals
        for part in column.key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        label_cell = sheet.text(str(label), font=Font(bold=True), alignment=Alignment(wrap_text=True, vertical="top"))
        sheet.append([label_cell, sheet.value(column, value, border=False)])
    if items:
        sheet.append()


def _table(sheet: _Sheet, columns: list[Column], rows: list[dict]) -> None:
    header_style = {
        "font": Font(bold=True),
        "fill": HEADER_FILL,
        "border": BORDER,
        "alignment": Alignment(wrap_text=True, vertical="center", horizontal="center"),
    }
    sheet.append(sheet.text(str(column.label), **header_style) for column in columns)
    sheet.rows(columns, rows)


# Text columns are at most this wide: longer names wrap, so a landscape A4 page holds the table at a readable size.
TEXT_WIDTH = 40


def _fit_width(column: Column, rows: list[dict]) -> int:
    longest = max(
        [len(str(column.label)) // 2, *(len(column.display(r.get(column.key))) for r in rows[:500])], default=8
    )
    return max(8, min(TEXT_WIDTH if column.kind == K.TEXT else 60, longest + 2))


def _sheet_title(text: str) -> str:
    cleaned = "".join(ch for ch in xlsx_text(str(text)) if ch not in "[]:*?/\\")
    return cleaned[:31] or "Sheet"


def to_xlsx(result: ReportResult) -> bytes:
    wb = Workbook(write_only=True)
    columns = result.columns
    main = _Sheet(wb, _("Báo cáo"))
    totals = len(result.total_items())
    header_row = 5 + (totals + 1 if totals else 0) + (2 if result.empty else 0)
    _layout(main, result, columns, result.rows, header_row)
    if result.empty:
        main.ws.merged_cells.add(CellRange(min_row=5, min_col=1, max_row=5, max_col=max(len(columns), 4)))
        main.ws.row_dimensions[5].height = 15 * max(2, min(6, len(result.empty) // 90 + 1))
    # Frozen header; the matrix also keeps the commune columns in view while scrolling right.
    frozen_columns = 3 if result.report.landscape else 0
    ws = main.ws
    ws.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape" if result.report.landscape or len(columns) > 6 else "portrait"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _title_block(main, result)
    if result.empty:
        # No figures at all: the reason and where to fix it, above an empty table.
        main.append([main.text(result.empty, font=Font(bold=True), alignment=Alignment(wrap_text=True))])
        main.append()
    _totals_block(main, result)
    _table(main, columns, result.rows)
    for table in result.tables:
        sheet = _Sheet(wb, table.title)
        # Title block, the table's title on row 5, its header on row 6.
        _layout(sheet, result, table.columns, table.rows, 6)
        sheet.ws.freeze_panes = "A7"
        _title_block(sheet, result)
        sheet.append([sheet.text(str(table.title), font=Font(bold=True, size=12))])
        _table(sheet, table.columns, table.rows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- csv and json ----------------------------------------------------------------------------


def csv_value(column: Column, value) -> str:
    value = cell_value(column, value)
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%m/%Y") if column.kind == K.MONTH else value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:.1f}" if column.kind == K.PERCENT else repr(value)
    if isinstance(value, str):
        return escape_text(value)
    return str(value)


def to_csv(result: ReportResult) -> str:
    """The main table, UTF-8 with a byte order mark so that Excel reads the Vietnamese right."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([escape_text(str(c.label)) for c in result.columns])
    for row in result.rows:
        writer.writerow([csv_value(c, row.get(c.key)) for c in result.columns])
    return buffer.getvalue()


def to_json(result: ReportResult) -> str:
    return encodable(json.dumps(json_value(result.as_json()), ensure_ascii=False, indent=2))


FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
    "csv": ("text/csv; charset=utf-8", to_csv),
    "json": ("application/json; charset=utf-8", to_json),
}
