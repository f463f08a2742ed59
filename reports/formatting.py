"""How report values read: 1.234.567 and 01/03/2016 on pages and in CSV, plain types in JSON."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from criteria.choices import AssessmentStatus

STATUS_SHORT = {
    AssessmentStatus.MET: _("Đ"),
    AssessmentStatus.NOT_MET: _("CĐ"),
    AssessmentStatus.NOT_APPLICABLE: _("KAD"),
}


def round_half_up(value, places: int = 1) -> Decimal | None:
    """9.75 -> 9.8, as people round (Python's round() would give 9.8 or 9.7 depending on the float)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def grouped(value, decimal_pos: int | None = None) -> str:
    return number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)


def display_value(value, kind: str = "text") -> str:
    """A value as a clerk reads it in the active language (Vietnamese by default)."""
    if value is None or value == "":
        return ""
    if kind == "status":
        return str(STATUS_SHORT.get(value, value))
    if kind == "year":
        return str(value)
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%m/%Y") if kind == "month" else value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.timedelta):
        return grouped(value.days)
    if isinstance(value, list | tuple):
        return ", ".join(display_value(v) for v in value)
    if kind == "percent":
        return grouped(round_half_up(value, 1), 1) + "%"
    if kind == "decimal":
        number = Decimal(str(value))
        return grouped(number, 1 if number != number.to_integral_value() else 0)
    if isinstance(value, int | Decimal | float) and kind in ("int", "vnd", "text"):
        number = Decimal(str(value))
        if number == number.to_integral_value():
            return grouped(int(number))
        return grouped(number.normalize())
    return str(value)


def json_value(value):
    """Plain JSON types: whole Decimals become int, dates ISO, lazy strings text."""
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.days
    if isinstance(value, Promise):
        return str(value)
    return value
