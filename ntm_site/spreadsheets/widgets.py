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

from django.db.models import Model
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


def _code_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


class _LookupWidget(widgets.ForeignKeyWidget):
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


class NaturalKeyWidget(_LookupWidget):
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
                    bucket = index[fold(_code_text(key))]
                    if obj not in bucket:
                        bucket.append(obj)
        self._cache = dict(index)
        return self._cache

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        index = self._cache if self._cache is not None else self._load()
        found = index.get(fold(_code_text(value)))
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


# Unit names start with their kind; clerks often leave it out ("Hương Liên" for "Xã Hương Liên").
_UNIT_PREFIXES = (
    "thanh pho truc thuoc trung uong",
    "thanh pho",
    "thi tran",
    "thi xa",
    "dac khu",
    "phuong",
    "huyen",
    "quan",
    "tinh",
    "xa",
    "tp",
)
_CODE_WIDTH = {1: 2, 2: 3, 3: 5}


def unit_name_keys(name: str) -> set[str]:
    """Folded forms a clerk may use for a unit name: with and without its kind word."""
    key = fold(name)
    keys = {key}
    for prefix in _UNIT_PREFIXES:
        if key.startswith(prefix + " ") and len(key) > len(prefix) + 1:
            keys.add(key[len(prefix) + 1 :].strip(" .,"))
            break
    return keys


class UnitWidget(_LookupWidget):
    """An administrative unit by its GSO code, by name, or by "name, parent name".

    Diacritics, case and the kind word are optional ("huong lien, huong khe"). When codes
    or names are shared across editions the unit valid on `valid_on` is taken: the
    resource may set `widget.valid_on` for each row (e.g. from the row's year), or pass
    `valid_on=` to clean(). Several candidates left is an error listing them.
    """

    def __init__(self, level=None, kinds=None, valid_on=None, **kwargs):
        from divisions.models import AdministrativeUnit

        self.level = level
        self.kinds = tuple(kinds) if kinds else None
        self.valid_on = valid_on
        super().__init__(AdministrativeUnit, field="code", **kwargs)

    def get_queryset(self, value=None, row=None, *args, **kwargs):
        qs = self.model._default_manager.all()
        if self.level:
            qs = qs.filter(level=self.level)
        if self.kinds:
            qs = qs.filter(kind__in=self.kinds)
        return qs

    _fields = ("id", "code", "name", "kind", "level", "parent_id", "province_id", "valid_from", "valid_to")

    def _load(self):
        # Plain tuples for the whole country (~15,000 units); instances only for units that are used.
        by_code = defaultdict(list)
        by_name = defaultdict(list)
        info = {}
        for values in self.get_queryset().values_list(*self._fields):
            pk, code, name = values[0], values[1], values[2]
            info[pk] = values
            by_code[code].append(pk)
            for key in unit_name_keys(name):
                by_name[key].append(pk)
        parent_ids = {v[5] for v in info.values() if v[5]}
        parents = dict(self.model._default_manager.filter(pk__in=parent_ids - info.keys()).values_list("pk", "name"))
        parents.update((pk, v[2]) for pk, v in info.items() if pk in parent_ids)
        self._cache = {"by_code": by_code, "by_name": by_name, "info": info, "parents": parents, "objects": {}}
        return self._cache

    def _valid(self, pks, day):
        info = self._cache["info"]
        if day is None:
            if len(pks) <= 1:
                return pks
            current = [pk for pk in pks if info[pk][8] is None]
            return current or pks
        return [
            pk
            for pk in pks
            if (info[pk][7] is None or info[pk][7] <= day) and (info[pk][8] is None or info[pk][8] >= day)
        ]

    def _describe(self, pk):
        _pk, code, name, _kind, _level, parent_id, _province, valid_from, valid_to = self._cache["info"][pk]
        parent = self._cache["parents"].get(parent_id, "")
        text = f"{name}, {parent}" if parent else name
        span = ""
        if valid_from or valid_to:
            span = " {}–{}".format(
                valid_from.strftime("%d/%m/%Y") if valid_from else "", valid_to.strftime("%d/%m/%Y") if valid_to else ""
            )
        return f"{text} ({code}{span})"

    def _instance(self, pk):
        # Built from the values already read (no query); other fields load lazily if ever used.
        objects = self._cache["objects"]
        obj = objects.get(pk)
        if obj is None:
            obj = self.model.from_db(self.model._default_manager.db, self._fields, self._cache["info"][pk])
            objects[pk] = obj
        return obj

    def lookup(self, value, valid_on=None):
        """The pk of the unit `value` names, or CellError."""
        cache = self._cache if self._cache is not None else self._load()
        day = valid_on if valid_on is not None else self.valid_on
        days = list(day) if isinstance(day, list | tuple) else [day]
        days = [d.date() if isinstance(d, datetime.datetime) else d for d in days]
        text = _code_text(value)
        candidates = None
        if text.isdigit():
            widths = [_CODE_WIDTH[self.level]] if self.level else [5, 3, 2]
            for width in [None, *widths]:
                code = text if width is None else text.zfill(width)
                if code in cache["by_code"]:
                    candidates = cache["by_code"][code]
                    break
            if candidates is None:
                raise CellError(_("không có đơn vị hành chính mang mã này."))
        else:
            name, _sep, parent = text.partition(",")
            candidates = cache["by_name"].get(fold(name).strip(), [])
            if parent.strip():
                parent_keys = unit_name_keys(parent.split(",")[0])
                parents = cache["parents"]
                candidates = [
                    pk for pk in candidates if unit_name_keys(parents.get(cache["info"][pk][5], "")) & parent_keys
                ]
            if not candidates:
                raise CellError(_("không tìm thấy đơn vị hành chính tên này (ghi “tên, tên đơn vị cấp trên” hoặc mã)."))
        for day in days:
            valid = self._valid(candidates, day)
            if valid:
                break
        if not valid:
            raise CellError(
                _("đơn vị chưa có hoặc đã hết hiệu lực vào ngày {day} ({units}).").format(
                    day=day.strftime("%d/%m/%Y"), units="; ".join(self._describe(pk) for pk in candidates[:5])
                )
            )
        if len(valid) > 1:
            raise CellError(
                _("có {n} đơn vị khớp: {units}. Hãy ghi mã hoặc “tên, tên đơn vị cấp trên”.").format(
                    n=len(valid), units="; ".join(self._describe(pk) for pk in valid[:5])
                )
            )
        return valid[0]

    def clean(self, value, row=None, valid_on=None, **kwargs):
        if is_blank(value):
            return None
        return self._instance(self.lookup(value, valid_on=valid_on))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.code if isinstance(value, Model) else str(value)


__all__ = [
    "ChoiceWidget",
    "CodeWidget",
    "MoneyWidget",
    "NaturalKeyWidget",
    "TextWidget",
    "UnitWidget",
    "VNBooleanWidget",
    "VNDateWidget",
    "VNDecimalWidget",
    "VNIntegerWidget",
    "is_blank",
    "parse_number",
]
