"""Reading the clerk's file: workbook bytes -> sheets -> header row -> data rows.

.xlsx/.xls/.ods go through python-calamine (one pass in Rust, ten times openpyxl's speed) in a
child process with hard limits on memory, CPU time and output (sandbox.py, parse_child.py).
Before calamine loads a sheet the child measures the zip parts and pre-scans the XML with a
streaming parser (declared ranges, the real extent of the cells that hold values, string
lengths, style counts), so a zip bomb or a sheet claiming 2^20 x 2^14 cells is refused
instead of filling memory; anything the pre-scan misses meets the child's limits.
.csv may be UTF-8 with or without BOM, or UTF-16 as Excel's "Unicode text" writes it.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ntm_site.text import fold, fold_compact

from . import limits
from .errors import WorkbookError
from .workbooks import unescape_text

HEADER_SEARCH_ROWS = 30
MSG_CORRUPT_ZIP = _("Tệp bảng tính bị hỏng (không giải nén được). Hãy mở và lưu lại bằng Excel.")
MSG_ENCRYPTED = _("Tệp được đặt mật khẩu. Hãy gỡ mật khẩu trong Excel (Tệp > Thông tin) rồi tải lên lại.")
FORMATS = ("xlsx", "xls", "ods", "csv")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TOTAL_WORDS = {"tong cong", "cong", "tong", "tong so", "cong chung", "tong cong chung"}
_PARENS = re.compile(r"\(.*?\)|\[.*?\]")
_NUMBERING = re.compile(r"^\(?(\d{1,3})\)?$")


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_upload_bytes() -> int:
    return limit("NTM_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)


def size_in_mb(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:.0f}" if mb >= 10 or mb.is_integer() else f"{mb:.1f}".replace(".", ",")


def check_upload_size(size: int) -> None:
    cap = max_upload_bytes()
    if size > cap:
        raise WorkbookError(
            _("Tệp nặng {size} MB, vượt giới hạn {limit} MB cho mỗi lần nhập. Hãy chia tệp thành nhiều phần.").format(
                size=size_in_mb(size), limit=size_in_mb(cap)
            )
        )


def detect_format(data: bytes, file_name: str = "") -> str:
    """The format from the file's own bytes (the extension only breaks ties)."""
    ext = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if not data or not data.strip():
        raise WorkbookError(_("Tệp rỗng: không có dữ liệu nào để nhập."))
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                if "mimetype" in names and zf.getinfo("mimetype").file_size < 256:
                    is_ods = b"opendocument.spreadsheet" in zf.read("mimetype")
                else:
                    is_ods = False
                if is_ods:
                    return "ods"
                if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
                    return "xlsx"
        except zipfile.BadZipFile:
            raise WorkbookError(MSG_CORRUPT_ZIP) from None
        raise WorkbookError(_("Tệp nén này không phải bảng tính Excel (.xlsx) hay LibreOffice (.ods)."))
    if data[:8] == _OLE_MAGIC:
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise WorkbookError(MSG_ENCRYPTED)
        return "xls"
    if ext in ("xlsx", "xls", "ods", "xlsm") and not _looks_like_text(data):
        raise WorkbookError(_("Tệp có đuôi .{ext} nhưng nội dung không đọc được: tệp bị hỏng.").format(ext=ext))
    if _looks_like_text(data):
        return "csv"
    raise WorkbookError(_("Tệp này không phải bảng tính. Hãy tải lên tệp .xlsx, .xls, .ods hoặc .csv."))


def _utf16_without_bom(head: bytes) -> bool:
    # Every other byte is zero for Latin text.
    return head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return True
    if b"\x00" in head:
        if _utf16_without_bom(head):
            return True
        # A few stray NULs in UTF-8 text (the engine then names their row and column); a binary file has many.
        if head.count(0) > 16:
            return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        # A multi-byte character cut at the end of the sample is fine; text in a legacy code page
        # (no control bytes) is still text, and decode_text() says how to save it as UTF-8.
        if e.start < len(head) - 4:
            controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
            return controls == 0
    return True


def decode_text(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    head = data[:4096]
    if b"\x00" in head and _utf16_without_bom(head):
        return data.decode("utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise WorkbookError(
            _("Tệp CSV không ở bảng mã UTF-8. Trong Excel hãy chọn Lưu thành > “CSV UTF-8 (Comma delimited)”.")
        ) from None


@dataclass
class Sheet:
    """One sheet: its name and its rows as lists of cleaned values, with Excel row numbers."""

    name: str
    rows: Sequence[list]  # the sheet's rows from `first_row` on (calamine range or CSV rows)
    first_row: int = 1  # Excel number of rows[0]
    first_col: int = 0  # 0-based column index of rows[i][0]
    merged: list = field(default_factory=list)  # ((r1, c1), (r2, c2)), 0-based, absolute

    def numbered_rows(self, start: int = 0) -> Iterator[tuple[int, list]]:
        """(Excel row number, cells) from index `start` on; cells are NFC-trimmed, 2019.0 -> 2019."""
        rows = self.rows
        number = self.first_row + start
        pad = [None] * self.first_col
        for i in range(start, len(rows)):
            raw = rows[i]
            cells = [clean_cell(v) for v in raw]
            if pad:
                cells = pad + cells
            yield number, cells
            number += 1


def clean_cell(value):
    if isinstance(value, str):
        if not value:
            return None
        value = unicodedata.normalize("NFC", value).strip()
        if value[:1] == "'":
            value = unescape_text(value)  # our own exports' formula escaping
        return value or None
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    return value


def read_sheets(data: bytes, file_name: str = "") -> tuple[str, list[Sheet]]:
    """(format, sheets) of a workbook or CSV file; raises WorkbookError for anything unreadable.

    Workbooks are measured and read in a child process with hard limits (sandbox.py): whatever a
    crafted file makes the parser do, the worker gets a message, not a crash.
    """
    check_upload_size(len(data))
    fmt = detect_format(data, file_name)
    if fmt == "csv":
        return fmt, [_read_csv(data, file_name)]
    from .sandbox import read_workbook

    return fmt, read_workbook(data, fmt, file_name)


def _read_csv(data: bytes, file_name: str) -> Sheet:
    text = decode_text(data)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    rows = []
    extent = limits.Extent(file_name.rsplit("/", 1)[-1] or "CSV", cells=False)
    max_rows = limit("NTM_MAX_IMPORT_ROWS", 500_000)
    for row in csv.reader(io.StringIO(text, newline=""), dialect):
        # Checked line by line: ten million blank lines or a line of a million commas are refused, not held.
        extent.add(len(rows) + 1, len(row))
        rows.append(row)
        if len(rows) > max_rows:
            raise WorkbookError(_("Tệp có hơn {limit} dòng, vượt giới hạn cho mỗi lần nhập.").format(limit=max_rows))
    name = file_name.rsplit("/", 1)[-1] or "CSV"
    return Sheet(name=name, rows=rows)


# --- header detection ---------------------------------------------------------------


def header_keys(text) -> set[str]:
    """Folded forms of a header cell: "Mã xã (*)" and "Mã xã" both give "maxa"."""
    if text is None:
        return set()
    raw = str(text)
    keys = {fold_compact(raw)}
    stripped = _PARENS.sub("", raw)
    if stripped != raw:
        keys.add(fold_compact(stripped))
    keys.discard("")
    return keys


@dataclass
class Header:
    sheet: Sheet
    index: int  # index in sheet.rows of the header row
    row_number: int  # as Excel shows it
    columns: dict  # column key -> 0-based absolute column index
    labels: dict  # column key -> header text as found


def find_header(sheets: list[Sheet], columns: list, required: list) -> Header:
    """The first row (within the first 30 of a sheet) holding every required column.

    `columns` is a list of objects with `.key` and `.match_keys` (folded header spellings).
    """
    lookup = {}
    for col in columns:
        for k in col.match_keys:
            lookup.setdefault(k, col.key)
    best = None  # (found count, sheet, row number, missing)
    for sheet in sheets:
        rows = sheet.rows
        previous = None
        for i in range(min(HEADER_SEARCH_ROWS, len(rows))):
            cells = list(rows[i])
            found, labels = {}, {}
            for j, cell in enumerate(cells):
                text = cell if cell not in (None, "") else None
                # A header merged down over two rows leaves its text in the row above.
                if text is None and previous is not None and j < len(previous):
                    text = previous[j] if previous[j] not in (None, "") else None
                if not isinstance(text, str | int):
                    continue
                for key in header_keys(text):
                    col = lookup.get(key)
                    if col is not None and col not in found:
                        found[col] = j + sheet.first_col
                        labels[col] = unicodedata.normalize("NFC", str(text)).strip()
                        break
            missing = [c for c in required if c not in found]
            if not missing and found:
                return Header(sheet, i, sheet.first_row + i, found, labels)
            if found and (best is None or len(found) > best[0]):
                best = (len(found), sheet, sheet.first_row + i, missing)
            previous = cells
    names = {c.key: c.name for c in columns}
    if best is not None:
        raise WorkbookError(
            _("Trang “{sheet}”, dòng {row} giống dòng tiêu đề nhưng thiếu cột: {missing}.").format(
                sheet=best[1].name, row=best[2], missing=", ".join(f"“{names[m]}”" for m in best[3])
            )
        )
    if not any(sheet.rows for sheet in sheets):
        raise WorkbookError(_("Bảng tính trống: không có dòng dữ liệu nào."))
    raise WorkbookError(
        _("Không tìm thấy dòng tiêu đề trong {n} dòng đầu của trang tính: cần các cột {required}.").format(
            n=HEADER_SEARCH_ROWS, required=", ".join(f"“{names[m]}”" for m in required)
        )
    )


def is_total_row(cells: list) -> bool:
    """A closing "Tổng cộng" / "Cộng" / "Tổng" row: its first filled cell is only that word."""
    for cell in cells:
        if cell is None:
            continue
        if not isinstance(cell, str):
            return False
        return fold(cell).strip(" :.") in _TOTAL_WORDS
    return False


def is_numbering_row(cells: list) -> bool:
    """The "(1) (2) (3) …" row that government forms put under the header."""
    numbers = []
    for cell in cells:
        if cell is None:
            continue
        m = _NUMBERING.match(str(cell))
        if not m:
            return False
        numbers.append(int(m.group(1)))
    return len(numbers) >= 2 and all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))


def fill_merged_down(sheet: Sheet, header: Header) -> dict:
    """Values of cells merged vertically below the header, keyed by (row index, column): residue filled."""
    fill = {}
    first_data = header.index + 1
    for (r1, c1), (r2, c2) in sheet.merged:
        i1 = r1 - (sheet.first_row - 1)
        i2 = r2 - (sheet.first_row - 1)
        if i2 <= i1 or i1 < first_data:
            continue
        row = sheet.rows[i1] if i1 < len(sheet.rows) else []
        for c in range(c1, c2 + 1):
            j = c - sheet.first_col
            value = row[j] if 0 <= j < len(row) else None
            if value in (None, ""):
                continue
            for i in range(i1 + 1, min(i2, len(sheet.rows) - 1) + 1):
                fill[(i, c)] = value
    return fill
