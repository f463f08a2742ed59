"""What a workbook may hold, and what the clerk is told when a file goes past it.

The measuring is done by `parse_child.py` inside the limited child process (sandbox.py): zip
parts, declared ranges, the extent of the cells that hold values (calamine builds each sheet
as a dense rectangle, so a 2 KB file that claims a value in XFD1048576 would cost gigabytes),
OpenDocument repeats, shared and inline string lengths, style counts. The child answers with a
code and figures; `refusal_message()` turns them into the Vietnamese message here, in the
worker, in the clerk's language. CSV files are read in the worker (pure Python, line by line)
and use the same `Extent`.

Limits (settings, with defaults): NTM_MAX_SHEET_CELLS (6,000,000 cells in a sheet's rectangle),
NTM_MAX_SHEET_COLUMNS (1,024 columns), NTM_MAX_SHARED_STRINGS_BYTES (64 MB of shared strings),
NTM_MAX_STRING_CHARS (32,767 characters in one string, Excel's own cap), NTM_MAX_STYLES
(100,000 formats, fonts, fills and borders), NTM_MAX_MERGED_RANGES (100,000 merged ranges in a
sheet; together they may cover at most NTM_MAX_SHEET_CELLS cells of it), and the child's
NTM_PARSE_* limits (sandbox.py).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import parse_child
from .errors import WorkbookError
from .sandbox import job_limits

cell_name = parse_child.cell_name


def _dot(n) -> str:
    return f"{int(n):,}".replace(",", ".")


def _mb(n) -> str:
    from .reader import size_in_mb

    return size_in_mb(int(n))


_MESSAGES = {
    "unzipped": lambda p: _("Tệp giải nén ra quá lớn (trên {limit} MB): không nhập được.").format(
        limit=_mb(p["limit"])
    ),
    "shared_strings_bytes": lambda p: _(
        "Bảng chuỗi dùng chung của tệp nặng {size} MB khi giải nén, vượt giới hạn {limit} MB."
    ).format(size=int(p["size"]) // (1024 * 1024), limit=int(p["limit"]) // (1024 * 1024)),
    "shared_strings_count": lambda p: _("Tệp có hơn {limit} chuỗi dùng chung, vượt giới hạn: không nhập được.").format(
        limit=_dot(p["limit"])
    ),
    "columns": lambda p: _(
        "Trang “{sheet}” có dữ liệu ở ô {cell} (cột thứ {col}), vượt giới hạn {limit} cột. "
        "Hãy xóa các cột thừa bên phải rồi lưu lại."
    ).format(sheet=p["sheet"], cell=p["cell"], col=_dot(p["col"]), limit=_dot(p["limit"])),
    "cells": lambda p: _(
        "Trang “{sheet}” có dữ liệu trải tới dòng {rows} và cột {cols}: vượt giới hạn {limit} ô. "
        "Hãy xóa các dòng, cột thừa ở cuối trang rồi lưu lại."
    ).format(sheet=p["sheet"], rows=_dot(p["rows"]), cols=_dot(p["cols"]), limit=_dot(p["limit"])),
    "rows": lambda p: _("Trang “{sheet}” có {rows} dòng, vượt giới hạn {limit} dòng cho mỗi lần nhập.").format(
        sheet=p["sheet"], rows=p["rows"], limit=p["limit"]
    ),
    "string": lambda p: _(
        "Tệp có một chuỗi ký tự dài {chars} ký tự (ô {where}), vượt giới hạn {limit} ký tự của một ô Excel."
    ).format(chars=_dot(p["chars"]), where=p["where"], limit=_dot(p["limit"])),
    "styles": lambda p: _(
        "Tệp khai báo hơn {limit} định dạng ô, vượt giới hạn. Hãy chép dữ liệu sang một tệp Excel mới rồi tải lên."
    ).format(limit=_dot(p["limit"])),
    "merged_count": lambda p: _(
        "Trang “{sheet}” có hơn {limit} vùng ô gộp, vượt giới hạn. Hãy bỏ gộp ô (Merge & Center) rồi lưu lại."
    ).format(sheet=p["sheet"], limit=_dot(p["limit"])),
    "merged": lambda p: _(
        "Các vùng ô gộp của trang “{sheet}” phủ hơn {limit} ô, vượt giới hạn. "
        "Hãy bỏ gộp ô (Merge & Center) rồi lưu lại."
    ).format(sheet=p["sheet"], limit=_dot(p["limit"])),
    "xml_limit": lambda p: _(
        "Tệp vượt giới hạn cấu trúc của bảng tính (phần “{part}” lồng quá sâu hoặc có đoạn văn bản quá dài)."
    ).format(part=p["part"]),
    "doctype": lambda p: _("Tệp không đọc được: phần “{part}” có khai báo DOCTYPE, bảng tính thật không có.").format(
        part=p["part"]
    ),
    "corrupt_zip": lambda p: _("Tệp bảng tính bị hỏng (không giải nén được). Hãy mở và lưu lại bằng Excel."),
    "encrypted": lambda p: _("Tệp được đặt mật khẩu. Hãy gỡ mật khẩu trong Excel (Tệp > Thông tin) rồi tải lên lại."),
    "corrupt": lambda p: _("Tệp bảng tính bị hỏng hoặc không đúng định dạng: không đọc được."),
    "sheet_corrupt": lambda p: _("Trang “{sheet}” bị hỏng hoặc không đúng định dạng: không đọc được.").format(
        sheet=p["sheet"]
    ),
}
# Limits of the child process itself: the message names the file.
_CHILD_MESSAGES = {
    "memory": lambda p, f: _(
        "Tệp “{file}” vượt giới hạn bộ nhớ khi đọc ({limit} MB): không nhập được. "
        "Hãy xóa các dòng, cột thừa hoặc chia tệp thành nhiều phần."
    ).format(file=f, limit=_dot(p.get("limit", 0))),
    "cpu": lambda p, f: _(
        "Tệp “{file}” vượt giới hạn thời gian đọc ({limit} giây): không nhập được. Hãy chia tệp thành nhiều phần."
    ).format(file=f, limit=p.get("limit", 0)),
    "time": lambda p, f: _(
        "Tệp “{file}” vượt giới hạn thời gian đọc ({limit} giây): không nhập được. Hãy chia tệp thành nhiều phần."
    ).format(file=f, limit=p.get("limit", 0)),
    "output": lambda p, f: _(
        "Tệp “{file}” vượt giới hạn dữ liệu đọc ra ({limit} MB): không nhập được. Hãy chia tệp thành nhiều phần."
    ).format(file=f, limit=int(p.get("limit", 0)) // (1024 * 1024)),
    "crash": lambda p, f: _(
        "Tệp “{file}” không đọc được: bảng tính bị hỏng hoặc cố ý làm sai cấu trúc. "
        "Hãy mở và lưu lại bằng Excel rồi tải lên lại."
    ).format(file=f),
}


def refusal_message(code: str, params: dict, file_name: str = "") -> str:
    """The clerk's message for a refusal the child (or the CSV reader) reported."""
    file_name = (file_name or "").rsplit("/", 1)[-1] or _("tải lên")
    if code in _CHILD_MESSAGES:
        return str(_CHILD_MESSAGES[code](params, file_name))
    make = _MESSAGES.get(code)
    if make is None:
        return str(_CHILD_MESSAGES["crash"]({}, file_name))
    return str(make(params))


def max_cells() -> int:
    return job_limits()["max_cells"]


def max_columns() -> int:
    return job_limits()["max_columns"]


class Extent(parse_child.Extent):
    """The child's extent, in the worker (CSV): a refusal is a WorkbookError with its message."""

    def __init__(self, sheet: str, *, cells: bool = True):
        super().__init__(sheet, job_limits(), cells=cells)

    def add(self, row: int, col: int, code: str = "") -> None:
        try:
            super().add(row, col, code)
        except parse_child.Refusal as e:
            raise WorkbookError(refusal_message(e.code, e.params)) from None
