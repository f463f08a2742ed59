"""Errors a clerk can act on: sheet, Excel row, column, value found, what was expected."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CellError(ValueError):
    """A widget could not read a cell; the message says what was expected (in Vietnamese)."""

    def __init__(self, expected):
        super().__init__(str(expected))
        self.expected = expected


class WorkbookError(Exception):
    """The file as a whole cannot be imported (not a spreadsheet, no header, too big...)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message

    def __str__(self):
        return str(self.message)


def show_value(value) -> str:
    """A cell value as the clerk would recognise it in an error message."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Control characters shown as escapes: a message (and the failed batch's summary) must hold no NUL.
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    return text if len(text) <= 60 else text[:57] + "…"


@dataclass(slots=True)
class RowError:
    """One problem in one row (and, when known, one column) of the clerk's file."""

    row_number: int  # as Excel shows it (1-based); 0 when the problem is not tied to a row
    message: str
    column: str = ""  # the header as written in the template
    value: object = None
    sheet: str = ""
    column_index: int | None = None  # 0-based index in the sheet, for the error workbook

    def __str__(self):
        parts = []
        if self.sheet:
            parts.append(_gettext("Trang “{sheet}”").format(sheet=self.sheet))
        if self.row_number:
            parts.append(_gettext("dòng {row}").format(row=self.row_number))
        if self.column:
            parts.append(_gettext("cột “{column}”").format(column=self.column))
        where = ", ".join(parts)
        text = str(self.message)
        if self.column and self.value not in (None, ""):
            text = _gettext("giá trị “{value}”: {message}").format(value=show_value(self.value), message=text)
        elif self.column:
            text = _gettext("ô trống: {message}").format(message=text)
        return f"{where}: {text}" if where else text

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row_number,
            "column": str(self.column),
            "value": show_value(self.value),
            "message": str(self.message),
            "text": str(self),
        }


MSG_REQUIRED = _("cần có giá trị.")
