"""Workbooks we write: templates to fill in, formatted exports, and the clerk's file with its errors.

Text that a spreadsheet would run as a formula (a leading =, +, -, @, tab or carriage return)
is written as a text cell with Excel's quote prefix in .xlsx (a style: the clerk sees the text
as stored, no apostrophe, and editing the cell does not turn it into a formula), and with a
leading apostrophe in .csv, which has no styles (the reader takes it off again on import);
numbers and dates stay real numbers and dates. Whatever text is stored, no export fails on it
(xlsx_text): characters an xlsx cannot hold are dropped (NUL and other control characters,
U+FFFE/U+FFFF), a lone surrogate becomes U+FFFD, and text longer than an Excel cell holds
(32,767 characters) is cut, ending with "…".
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

from django.utils.translation import gettext as _gettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ntm_site.text import encodable, xml_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_CHARS = 32_767  # the most characters an Excel cell holds
TEMPLATE_ROWS = 5000  # rows below the header that get the dropdowns
TITLE_FONT = Font(bold=True, size=13)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F5C99")
HINT_FONT = Font(italic=True, color="666666", size=9)
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_FONT = Font(color="9C0006", bold=True)
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_text(value):
    """For .csv: text that would start a formula gets a leading apostrophe; other values are unchanged.

    The usual defence for files without styles (OWASP's advice for CSV injection): a spreadsheet shows the
    apostrophe, and our reader takes it off again (unescape_text). Lone surrogates become U+FFFD, so the file
    always encodes as UTF-8.
    """
    if isinstance(value, str):
        value = encodable(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def xlsx_text(value: str) -> str:
    """Stored text as an xlsx cell can hold it (see the module's docstring): never a reason for an export to fail.

    Characters are refused at import (the engine names the row and column), but text stored before, typed
    in a form or built in code must never make an export fail.
    """
    value = xml_text(value)
    if len(value) > EXCEL_CELL_CHARS:
        value = value[: EXCEL_CELL_CHARS - 1] + "…"
    return value


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def text_cell(ws, value: str, font=None):
    """A text cell that stays text: formula-like text gets Excel's quote prefix (a style, no visible apostrophe)."""
    value = xlsx_text(value)
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # never a formula, whatever the text
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def put_value(ws, row: int, column: int, value):
    """A value into an ordinary (not write-only) sheet as exports write it: text stays text, never a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = xlsx_text(value)
        cell.value = value
        cell.data_type = "s"  # openpyxl would take "=…" for a formula
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def unescape_text(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def _width(*texts, minimum=10, maximum=48) -> float:
    longest = max((len(str(t)) for t in texts if t not in (None, "")), default=0)
    return max(minimum, min(maximum, longest * 1.15 + 2))


def template_workbook(resource_class) -> bytes:
    """The empty template of a resource: title, Vietnamese headers, a hint row, dropdowns, widths."""
    resource = resource_class()
    columns = resource.get_import_columns()
    wb = Workbook()
    ws = wb.active
    ws.title = _gettext("Nhập liệu")[:31]
    put_value(ws, 1, 1, str(resource.get_template_title()))
    ws["A1"].font = TITLE_FONT
    if len(columns) > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    header_row, hint_row = 3, 4
    for i, column in enumerate(columns, start=1):
        put_value(ws, header_row, i, str(column.name) + (" (*)" if column.required else ""))
        put_value(ws, hint_row, i, str(column.hint or ""))
    lists = None
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        head = ws.cell(row=header_row, column=i)
        head.font, head.fill, head.border = HEADER_FONT, HEADER_FILL, BORDER
        head.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        hint = ws.cell(row=hint_row, column=i)
        hint.font, hint.alignment = HINT_FONT, Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = column.width or _width(column.name, *(column.choices or [])[:20])
        data_range = f"{letter}{hint_row + 1}:{letter}{hint_row + TEMPLATE_ROWS}"
        if column.number_format:
            for row in range(hint_row + 1, hint_row + 201):
                ws.cell(row=row, column=i).number_format = column.number_format
        if column.choices:
            choices = [xlsx_text(str(c)) for c in column.choices]
            formula = '"' + ",".join(c.replace('"', "'") for c in choices) + '"'
            if len(formula) > 250 or any("," in c for c in choices):
                # Long lists live on a hidden sheet (Excel caps inline lists at 255 characters).
                if lists is None:
                    lists = wb.create_sheet(_gettext("Danh mục")[:31])
                    lists.sheet_state = "hidden"
                col = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
                for r, choice in enumerate(choices, start=1):
                    put_value(lists, r, col, choice)
                ref = get_column_letter(col)
                formula = f"='{lists.title}'!${ref}$1:${ref}${len(choices)}"
            dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
            dv.errorTitle = _gettext("Giá trị không hợp lệ")
            dv.error = _gettext("Hãy chọn một giá trị trong danh sách.")
            ws.add_data_validation(dv)
            dv.add(data_range)
    ws.row_dimensions[header_row].height = 32
    ws.freeze_panes = ws.cell(row=hint_row + 1, column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _export_cell(ws, value, number_format=None):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "dd/mm/yyyy hh:mm"
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "dd/mm/yyyy"
        return cell
    if isinstance(value, bool):
        return WriteOnlyCell(ws, value=_gettext("Có") if value else _gettext("Không"))
    if isinstance(value, int | float | Decimal):
        cell = WriteOnlyCell(ws, value=value)
        if number_format:
            cell.number_format = number_format
        elif isinstance(value, int) and abs(value) >= 10000:
            cell.number_format = "#,##0"
        return cell
    if value is None:
        return WriteOnlyCell(ws, value=None)
    return text_cell(ws, str(value))


def export_xlsx(headers, rows, *, title="", number_formats=None, sheet_title=None) -> bytes:
    """A formatted export: title, bold header, typed cells, widths, frozen header (streamed)."""
    number_formats = number_formats or {}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet((sheet_title or _gettext("Dữ liệu"))[:31])
    widths = [_width(h) for h in headers]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    if title:
        ws.append([text_cell(ws, title, TITLE_FONT)])
        ws.append([])
    head = []
    for h in headers:
        cell = text_cell(ws, str(h), HEADER_FONT)
        cell.fill, cell.border = HEADER_FILL, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        head.append(cell)
    ws.freeze_panes = f"A{4 if title else 2}"
    ws.append(head)
    formats = [number_formats.get(str(h)) for h in headers]
    for row in rows:
        ws.append([_export_cell(ws, v, f) for v, f in zip(row, formats, strict=False)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _gettext("Có") if value else _gettext("Không")
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if value.tzinfo is not None:
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float | Decimal):
        return str(value)
    return escape_text(str(value))


def export_csv(headers, rows) -> bytes:
    """UTF-8 with a BOM (so Excel shows Vietnamese correctly), escaped text, plain numbers."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([escape_text(str(h)) for h in headers])  # (escape_text also replaces lone surrogates)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


# --- the error workbook ----------------------------------------------------------------


def _error_texts(report):
    by_row = {}
    cells = set()
    for error in report.errors:
        if not error.row_number:
            continue
        text = f"{error.column}: {error.message}" if error.column else str(error.message)
        by_row.setdefault(error.row_number, []).append(text)
        if error.column_index is not None:
            cells.add((error.row_number, error.column_index))
    return by_row, cells


def error_workbook(data: bytes, file_format: str, report, sheets=None) -> bytes:
    """The clerk's own file with a "Lỗi" column and the failing cells highlighted.

    An .xlsx comes back as itself (formatting kept); .xls, .ods and .csv come back as
    an .xlsx of their values, laid out exactly as they were.
    """
    by_row, cells = _error_texts(report)
    label = _gettext("Lỗi")
    if file_format == "xlsx":
        wb = load_workbook(io.BytesIO(data))
        ws = wb[report.sheet] if report.sheet in wb.sheetnames else wb.worksheets[0]
        error_col = ws.max_column + 1
    else:
        from .reader import read_sheets

        if sheets is None:
            _fmt, sheets = read_sheets(data, report.file_name)
        sheet = next((s for s in sheets if s.name == report.sheet), sheets[0])
        wb = Workbook()
        ws = wb.active
        ws.title = sheet.name[:31]
        for number, cells_ in sheet.numbered_rows(0):
            for j, value in enumerate(cells_):
                if value is not None:
                    put_value(ws, number, j + 1, value)
        error_col = ws.max_column + 1
    head = ws.cell(row=report.header_row or 1, column=error_col, value=label)
    head.font, head.fill = ERROR_FONT, ERROR_FILL
    ws.column_dimensions[get_column_letter(error_col)].width = 60
    for number, texts in by_row.items():
        cell = put_value(ws, number, error_col, "; ".join(texts))
        cell.font = ERROR_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    messages = {}
    for error in report.errors:
        if error.row_number and error.column_index is not None:
            messages.setdefault((error.row_number, error.column_index), []).append(str(error.message))
    for number, index in cells:
        cell = ws.cell(row=number, column=index + 1)
        cell.fill = ERROR_FILL
        if len(cells) <= 2000:
            cell.comment = Comment(xml_text("\n".join(messages.get((number, index), []))), "NTM")
    if ws.max_row and report.header_row:
        ws.freeze_panes = ws.cell(row=report.header_row + 1, column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
