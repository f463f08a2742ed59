"""Numbers, money and dates written the way Vietnamese official documents write them.

Everything here returns plain text: "1.234.567", "9,8", "hơn 50 tỷ đồng", "15/08/2016",
"Hà Tĩnh, ngày 05 tháng 02 năm 2019". No locale machinery is involved, so a document
reads the same whatever language the clerk's browser asks for.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

# What the clerk fills in by hand: the number and the day of signing.
BLANK_DAY = "\u00a0" * 4
BLANK_NUMBER = "\u00a0" * 8


def vn_int(value) -> str:
    """A whole number with dots between thousands: 1234567 -> "1.234.567"."""
    number = int(Decimal(str(value)).to_integral_value(rounding=ROUND_HALF_UP))
    sign = "-" if number < 0 else ""
    return sign + f"{abs(number):,}".replace(",", ".")


def vn_decimal(value, places: int = 1) -> str:
    """A decimal with a comma: 9.8 -> "9,8"; whole values lose their decimals: 7.00 -> "7"."""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if number == number.to_integral_value():
        return vn_int(number)
    whole, _dot, fraction = f"{abs(number):f}".partition(".")
    sign = "-" if number < 0 else ""
    return f"{sign}{vn_int(whole)},{fraction}"


def vn_quantity(value) -> str:
    """A quantity as recorded (Decimal with two places): whole numbers plainly, else up to two decimals."""
    if value is None:
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return vn_int(number)
    return vn_decimal(number.normalize(), places=min(2, -number.normalize().as_tuple().exponent))


def vn_percent(value, places: int = 1) -> str:
    """A rate given as a percentage (82.14) -> "82,1%"."""
    return f"{vn_decimal(value, places)}%"


def vn_date(value: datetime.date | None) -> str:
    """dd/mm/yyyy, as the sources write dates in running text."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def as_date(value) -> datetime.date | None:
    """A date from a date, a datetime or an ISO string (the report params are strings)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def vnd_amount(value) -> str:
    """Exact money for tables: "50.123.456.789"."""
    return vn_int(value or 0)


def vnd_phrase(value) -> str:
    """Money in running text, rounded down the way reports say it.

    50_000_000_000 -> "50 tỷ đồng"; 50_123_456_789 -> "hơn 50 tỷ đồng";
    10_000_000 -> "10 triệu đồng"; 2_500_000 -> "hơn 2 triệu đồng"; 500_000 -> "500.000 đồng".
    """
    value = int(value or 0)
    for unit, word in ((10**9, _("tỷ đồng")), (10**6, _("triệu đồng"))):
        if value >= unit:
            whole, rest = divmod(value, unit)
            text = f"{vn_int(whole)} {word}"
            return _("hơn {amount}").format(amount=text) if rest else text
    return _("{amount} đồng").format(amount=vn_int(value))


def padded_day(day: int) -> str:
    """Nghị định 30/2020 and Hướng dẫn 36: days below 10 take a leading zero."""
    return f"{day:02d}"


def padded_month(month: int) -> str:
    """Months 1 and 2 take a leading zero (so "tháng 02" is not misread as "tháng 12"); the rest do not."""
    return f"{month:02d}" if month <= 2 else str(month)


def place_date_line(place: str, *, date: datetime.date | None = None, year: int | None = None) -> str:
    """ "Hà Tĩnh, ngày 05 tháng 02 năm 2019"; without a date, the day and month are left blank to sign."""
    place = place or "…………"
    if date is not None:
        return _("{place}, ngày {day} tháng {month} năm {year}").format(
            place=place, day=padded_day(date.day), month=padded_month(date.month), year=date.year
        )
    return _("{place}, ngày {day} tháng {month} năm {year}").format(
        place=place, day=BLANK_DAY, month=BLANK_DAY, year=year if year else BLANK_DAY
    )


def join_vi(items, *, last: str | None = None) -> str:
    """ "a, b và c" (or with another last word, e.g. "hoặc")."""
    items = [str(item) for item in items if item]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    last = last or _("và")
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def lower_first(text: str) -> str:
    """ "Nhà tình nghĩa" -> "nhà tình nghĩa", leaving an acronym ("UBND …") alone."""
    if not text:
        return text
    first_word = text.split(" ", 1)[0]
    if len(first_word) > 1 and first_word.isupper():
        return text
    return text[0].lower() + text[1:]
