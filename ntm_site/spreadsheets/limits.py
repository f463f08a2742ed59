"""How far a workbook's cells reach, measured on the compressed file before any reader loads it.

calamine builds each sheet as a dense rectangle (rows x columns), so what costs memory is the
extent of the cells that hold values, not the size of the upload. A 2 KB file can claim a value
in XFD1048576, a sheet can omit the cell references (every cell then takes the next column),
and an OpenDocument cell can repeat itself 16,384 times across 1,048,576 rows. These scans read
the sheet XML as a stream, follow positions the way the readers do, and stop at the first cell
that goes past a limit, so a hostile file is refused in milliseconds whatever it unpacks to.

Limits (settings, with defaults): NTM_MAX_SHEET_CELLS (6,000,000 cells in a sheet's rectangle),
NTM_MAX_SHEET_COLUMNS (1,024 columns), NTM_MAX_SHARED_STRINGS_BYTES (64 MB of shared strings).
"""

from __future__ import annotations

import re
import zipfile

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .errors import WorkbookError

CHUNK = 4 * 1024 * 1024
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_XLSX_TAG = re.compile(rb"<" + _PREFIX + rb"(row|c)\b([^>]*)>")
_XLSX_ROW_REF = re.compile(rb'\br="([0-9]{1,9})"')
_XLSX_CELL_REF = re.compile(rb'\br="([A-Za-z]{1,4})([0-9]{1,9})"')
_ODS_TAG = re.compile(rb"<(/?)" + _PREFIX + rb"(table-row|table-cell|covered-table-cell|table)\b([^>]*)>")
_ODS_ROWS = re.compile(rb"\b" + _PREFIX + rb'number-rows-repeated="([0-9]{1,9})"')
_ODS_COLS = re.compile(rb"\b" + _PREFIX + rb'number-columns-repeated="([0-9]{1,9})"')
_ODS_VALUED = re.compile(rb"\b" + _PREFIX + rb"value-type=")


def _limit(name, default):
    return int(getattr(settings, name, default))


def max_cells() -> int:
    return _limit("NTM_MAX_SHEET_CELLS", 6_000_000)


def max_columns() -> int:
    return _limit("NTM_MAX_SHEET_COLUMNS", 1024)


def max_shared_strings() -> int:
    return _limit("NTM_MAX_SHARED_STRINGS_BYTES", 64 * 1024 * 1024)


def _dot(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class Extent:
    """The rectangle of cells holding values, refused as soon as it passes a limit."""

    def __init__(self, sheet: str, *, cells: bool = True):
        self.sheet = sheet
        self.rows = 0
        self.cols = 0
        # A CSV is held row by row, not as a rectangle: only its width is capped (its rows are counted elsewhere).
        self.cell_cap = max_cells() if cells else float("inf")
        self.col_cap = max_columns()

    def add(self, row: int, col: int) -> None:
        if col > self.cols:
            self.cols = col
            if col > self.col_cap:
                raise WorkbookError(
                    _(
                        "Trang “{sheet}” có dữ liệu ở ô {cell} (cột thứ {col}), vượt giới hạn {limit} cột. "
                        "Hãy xóa các cột thừa bên phải rồi lưu lại."
                    ).format(sheet=self.sheet, cell=cell_name(row, col), col=_dot(col), limit=_dot(self.col_cap))
                )
        if row > self.rows:
            self.rows = row
        if self.rows * self.cols > self.cell_cap:
            raise WorkbookError(
                _(
                    "Trang “{sheet}” có dữ liệu trải tới dòng {rows} và cột {cols}: vượt giới hạn {limit} ô. "
                    "Hãy xóa các dòng, cột thừa ở cuối trang rồi lưu lại."
                ).format(sheet=self.sheet, rows=_dot(self.rows), cols=_dot(self.cols), limit=_dot(self.cell_cap))
            )


def cell_name(row: int, col: int) -> str:
    """Excel's name of a cell: (1048576, 16384) -> "XFD1048576"."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def _tags(part, pattern):
    """Matches of `pattern` in a zip member read as a stream (a tag cut by a chunk boundary is kept whole)."""
    carry = b""
    while True:
        chunk = part.read(CHUNK)
        if not chunk:
            break
        block = carry + chunk
        cut = block.rfind(b"<")
        if cut <= 0:
            carry = block
            continue
        yield from pattern.finditer(block, 0, cut)
        carry = block[cut:]
    if carry:
        yield from pattern.finditer(carry)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n


def check_xlsx(zf: zipfile.ZipFile) -> None:
    """Refuse a workbook whose shared strings or sheet extents are past the limits."""
    for info in zf.infolist():
        if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > max_shared_strings():
            raise WorkbookError(
                _("Bảng chuỗi dùng chung của tệp nặng {size} MB khi giải nén, vượt giới hạn {limit} MB.").format(
                    size=info.file_size // (1024 * 1024), limit=max_shared_strings() // (1024 * 1024)
                )
            )
    for info in zf.infolist():
        name = info.filename
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        extent = Extent(name.rsplit("/", 1)[-1][:-4])
        row = col = 0
        with zf.open(info) as part:
            for m in _tags(part, _XLSX_TAG):
                attrs = m.group(2)
                if m.group(1) == b"row":
                    ref = _XLSX_ROW_REF.search(attrs)
                    row = int(ref.group(1)) if ref else row + 1
                    col = 0
                    continue
                ref = _XLSX_CELL_REF.search(attrs)
                if ref:
                    col = _column_number(ref.group(1))
                    row = int(ref.group(2))
                else:
                    col += 1  # a cell without a reference takes the next column
                if not attrs.endswith(b"/"):
                    extent.add(max(row, 1), col)


def check_ods(zf: zipfile.ZipFile) -> None:
    """Refuse an OpenDocument sheet whose repeated rows and cells would unfold past the limits."""
    try:
        info = zf.getinfo("content.xml")
    except KeyError:
        return
    extent = Extent("content.xml")
    row = col = 0
    repeat_rows = 1
    with zf.open(info) as part:
        for m in _tags(part, _ODS_TAG):
            closing, tag, attrs = m.group(1), m.group(2), m.group(3)
            if tag == b"table":
                if not closing:
                    extent = Extent(_sheet_name(attrs))
                    row = 0
                continue
            if tag == b"table-row":
                if closing:
                    row += repeat_rows
                    continue
                found = _ODS_ROWS.search(attrs)
                repeat_rows = int(found.group(1)) if found else 1
                col = 0
                if attrs.endswith(b"/"):
                    row += repeat_rows
                continue
            if closing:
                continue
            found = _ODS_COLS.search(attrs)
            col += int(found.group(1)) if found else 1
            if _ODS_VALUED.search(attrs):
                extent.add(row + repeat_rows, col)


def _sheet_name(attrs: bytes) -> str:
    m = re.search(rb"\b" + _PREFIX + rb'name="([^"]*)"', attrs)
    return m.group(1).decode("utf-8", "replace") if m else "?"


def check_dense(sheet: str, height: int, width: int) -> None:
    """After a reader built the sheet: refuse before turning a huge rectangle into Python rows (.xls)."""
    extent = Extent(sheet)
    extent.add(height, width)
