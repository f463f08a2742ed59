"""Widgets that read cells the way Vietnamese clerks type them, and write them back.

Every `clean()` raises CellError with what was expected, in Vietnamese; the engine adds
the sheet, row, column and value. Widgets that look rows up in the database load what
they need once per import (`prepare()` is called by the engine before the first row),
never one query per row.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from import_export import widgets

from ntm_site.text import fold, nfc

from .errors import CellError

EXCEL_EPOCH = datetime.date(1899, 12, 30)
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f']")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")
_CURRENCY = re.compile(r"(vnd|vnđ|đồng|dong|đ|d)\.?$", re.IGNORECASE)
_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_DATE_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[ T]00:00(?::00)?)?$")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_number(value, *, integer: bool = False) -> Decimal:
    """A number as clerks write it: 10.000.000 / 10,5 / 1.234,5 / 10 000 / real Excel numbers.

    In Vietnamese the dot groups thousands and the comma marks decimals; a value with a
    single dot that does not look like thousands ("2.5") is read as a decimal point, and
    for whole-number columns "10,000,000" is read as thousands too.
    """
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = _NUMBER_SPACES.sub("", str(value))
    text = _CURRENCY.sub("", text)
    if not text:
        raise InvalidOperation
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    elif "." in text:
        if _THOUSANDS_DOT.match(text):
            text = text.replace(".", "")
    elif "," in text:
        if text.count(",") > 1 or (integer and _THOUSANDS_COMMA.match(text)):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    return Decimal(text)


class VNIntegerWidget(widgets.IntegerWidget):
    """A whole number, optionally within [min_value, max_value]."""

    expected = _("một số nguyên")

    def __init__(self, min_value=None, max_value=None, **kwargs):
        self.min_value = min_value
        self.max_value = max_value
        super().__init__(**kwargs)

    def _range_message(self):
        if self.min_value is not None and self.max_value is not None:
            return _("một số nguyên từ {low} đến {high}").format(low=self.min_value, high=self.max_value)
        if self.min_value is not None:
            return _("một số nguyên không nhỏ hơn {low}").format(low=self.min_value)
        if self.max_value is not None:
            return _("một số nguyên không lớn hơn {high}").format(high=self.max_value)
        return self.expected

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        try:
            number = parse_number(value, integer=True)
        except (InvalidOperation, ValueError):
            raise CellError(_("cần {what}.").format(what=self._range_message())) from None
        if number != number.to_integral_value():
            raise CellError(_("cần {what}, không có phần thập phân.").format(what=self._range_message()))
        number = int(number)
        if (self.min_value is not None and number < self.min_value) or (
            self.max_value is not None and number > self.max_value
        ):
            raise CellError(_("ngoài phạm vi: cần {what}.").format(what=self._range_message()))
        return number


class VNDecimalWidget(widgets.DecimalWidget):
    """A decimal number ("10,5", "1.234,5"), optionally bounded, rounded to `decimal_places`."""

    def __init__(self, min_value=None, max_value=None, decimal_places=None, **kwargs):
        self.min_value = min_value
        self.max_value = max_value
        self.decimal_places = decimal_places
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        try:
            number = parse_number(value)
        except (InvalidOperation, ValueError):
            raise CellError(_("cần một số (ví dụ 10,5 hoặc 1.234,5).")) from None
        if not number.is_finite():
            raise CellError(_("cần một số (ví dụ 10,5 hoặc 1.234,5)."))
        if (self.min_value is not None and number < self.min_value) or (
            self.max_value is not None and number > self.max_value
        ):
            raise CellError(
                _("ngoài phạm vi: cần một số từ {low} đến {high}.").format(
                    low=self.min_value if self.min_value is not None else "…",
                    high=self.max_value if self.max_value is not None else "…",
                )
            )
        if self.decimal_places is not None:
            try:
                number = number.quantize(Decimal(1).scaleb(-self.decimal_places))
            except InvalidOperation:  # "1e308": more digits than any column holds
                raise CellError(_("số quá lớn.")) from None
        return number


class MoneyWidget(VNIntegerWidget):
    """Whole VND: "10.000.000", "10.000.000 đ", 10000000 -> 10000000 (never a float)."""

    expected = _("số tiền bằng đồng, không có phần lẻ (ví dụ 10.000.000)")
    number_format = "#,##0"

    def __init__(self, min_value=0, max_value=10**15, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def _range_message(self):
        return self.expected

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        return int(value) if kwargs.get("force_native_type") else str(int(value))


class VNDateWidget(widgets.DateWidget):
    """A date as "15/08/2016", "15-8-2016", "15.08.2016", "2016-08-15", an Excel serial or a date cell."""

    expected = _("một ngày dạng ngày/tháng/năm, ví dụ 15/08/2016")

    def __init__(self, min_year=1900, max_year=2100, **kwargs):
        self.min_year = min_year
        self.max_year = max_year
        super().__init__(format="%d/%m/%Y", **kwargs)

    def _check(self, day):
        if not (self.min_year <= day.year <= self.max_year):
            raise CellError(
                _("ngoài phạm vi: cần một ngày trong các năm {low}–{high}.").format(
                    low=self.min_year, high=self.max_year
                )
            )
        return day

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return self._check(value.date())
        if isinstance(value, datetime.date):
            return self._check(value)
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            if 1 <= value < 2958466 and float(value).is_integer():
                return self._check(EXCEL_EPOCH + datetime.timedelta(days=int(value)))
            raise CellError(_("cần {what}.").format(what=self.expected))
        text = str(value).strip()
        if text.isdigit():
            return self.clean(int(text))
        match = _DATE_DMY.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            if year < 100:
                year += 2000 if year < 70 else 1900
        else:
            match = _DATE_YMD.match(text)
            if not match:
                raise CellError(_("cần {what}.").format(what=self.expected))
            year, month, day = (int(g) for g in match.groups())
        try:
            found = datetime.date(year, month, day)
        except ValueError:
            raise CellError(_("ngày không có thật: cần {what}.").format(what=self.expected)) from None
        return self._check(found)

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value
        return value.strftime("%d/%m/%Y") if value else ""


YES_WORDS = ("co", "x", "1", "dat", "yes", "y", "true", "dung", "v", "✓", "✔", "☑")
NO_WORDS = ("khong", "0", "-", "chua dat", "chua", "no", "n", "false", "sai", "khong dat", "✗", "☐")


class VNBooleanWidget(widgets.BooleanWidget):
    """Yes/no in Vietnamese: Có / x / 1 / Đạt … Không / 0 / - / Chưa đạt; blank is None."""

    def __init__(self, true_label=None, false_label=None, **kwargs):
        self.true_label = true_label or _("Có")
        self.false_label = false_label or _("Không")
        self._words = dict.fromkeys(YES_WORDS, True) | dict.fromkeys(NO_WORDS, False)
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            if value in (0, 1):
                return bool(value)
        else:
            found = self._words.get(fold(str(value)))
            if found is not None:
                return found
        raise CellError(
            _("cần “{yes}” hoặc “{no}” (hoặc x, 1 / 0, -).").format(yes=self.true_label, no=self.false_label)
        )

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(self.true_label if value else self.false_label)


class ChoiceWidget(widgets.Widget):
    """One of a fixed set (a TextChoices or a list of pairs): the code or the label, folded.

    `aliases` maps extra spellings to a code, e.g. {"x": "dat"}.
    """

    def __init__(self, choices, aliases=None, **kwargs):
        self.choices = list(getattr(choices, "choices", choices))
        self.aliases = aliases or {}
        self._index = None
        self._seen = {}  # raw cell -> code: a sheet repeats the same few words thousands of times
        super().__init__(**kwargs)

    @property
    def labels(self) -> list[str]:
        return [str(label) for _code, label in self.choices]

    def _build(self):
        index = {}
        for code, label in self.choices:
            index[fold(str(code))] = code
            index[fold(str(label))] = code
        for alias, code in self.aliases.items():
            index[fold(str(alias))] = code
        self._index = index
        return index

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        try:
            return self._seen[value]
        except (KeyError, TypeError):
            pass
        index = self._index or self._build()
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        found = index.get(fold(str(value)))
        if found is None:
            raise CellError(_("cần một trong các giá trị: {choices}.").format(choices=", ".join(self.labels)))
        if len(self._seen) < 1000:
            self._seen[value] = found
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None or value == "":
            return ""
        for code, label in self.choices:
            if code == value:
                return str(label)
        return str(value)


class TextWidget(widgets.CharWidget):
    """Text trimmed and NFC-normalised, optionally limited to max_length characters."""

    def __init__(self, max_length=None, **kwargs):
        self.max_length = max_length
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = nfc(str(value))
        if self.max_length and len(text) > self.max_length:
            raise CellError(_("dài quá {n} ký tự.").format(n=self.max_length))
        return text


class CodeWidget(TextWidget):
    """A code typed as text or stored by Excel as a number: 18271.0 -> "18271", 4 -> "00004" with zfill."""

    def __init__(self, zfill=None, pattern=None, pattern_message=None, **kwargs):
        self.zfill = zfill
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_message = pattern_message
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs)
        if text and self.zfill and text.isdigit():
            text = text.zfill(self.zfill)
        if text and self.pattern and not self.pattern.match(text):
            raise CellError(self.pattern_message or _("mã không đúng dạng."))
        return text


def code_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


class LookupWidget(widgets.ForeignKeyWidget):
    """Common base: a cached index built on first use, reset for every import."""

    def __init__(self, model, **kwargs):
        super().__init__(model, **kwargs)
        self._cache = None

    def prepare(self, resource=None):
        """Forget what an earlier import loaded (the engine calls this once per import)."""
        self._cache = None

    def __deepcopy__(self, memo):
        # Resources deep-copy their fields per instance; a copy starts with an empty cache.
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__.update(self.__dict__)
        clone._cache = None
        return clone


class NaturalKeyWidget(LookupWidget):
    """A foreign key by one of several text keys (name, short name, symbol…), folded.

    The whole related table is read once per import (these are small reference tables);
    a value matching several rows is an error that names them.
    """

    def __init__(self, model, lookup_fields=("name", "short_name"), queryset=None, label=None, **kwargs):
        self.lookup_fields = tuple(lookup_fields)
        self.queryset = queryset
        self.label = label
        super().__init__(model, field=self.lookup_fields[0], **kwargs)

    def get_queryset(self, value=None, row=None, *args, **kwargs):
        qs = self.queryset if self.queryset is not None else self.model._default_manager.all()
        return qs.all()

    def _load(self):
        index = defaultdict(list)
        for obj in self.get_queryset():
            for name in self.lookup_fields:
                key = getattr(obj, name, None)
                if key not in (None, ""):
                    bucket = index[fold(code_text(key))]
                    if obj not in bucket:
                        bucket.append(obj)
        self._cache = dict(index)
        return self._cache

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        index = self._cache if self._cache is not None else self._load()
        found = index.get(fold(code_text(value)))
        what = self.label or self.model._meta.verbose_name
        if not found:
            raise CellError(_("không tìm thấy {what} này.").format(what=what))
        if len(found) > 1:
            raise CellError(
                _("có {n} {what} khớp ({names}); hãy ghi rõ hơn.").format(
                    n=len(found), what=what, names="; ".join(str(o) for o in found[:5])
                )
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(getattr(value, self.lookup_fields[0], value))


__all__ = [
    "ChoiceWidget",
    "CodeWidget",
    "LookupWidget",
    "MoneyWidget",
    "NaturalKeyWidget",
    "TextWidget",
    "VNBooleanWidget",
    "VNDateWidget",
    "VNDecimalWidget",
    "VNIntegerWidget",
    "code_text",
    "is_blank",
    "parse_number",
]
