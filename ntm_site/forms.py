"""Form fields shared by every admin: numbers typed and shown as Vietnamese clerks write them.

Browsers' `<input type=number>` reads "10.000.000" (ten million in Vietnamese) as 10, and Django's
number fields show a quantity as "7.00". `VNNumberField` is a text input that reads the same text
the Excel import reads (ntm_site.spreadsheets.widgets.parse_number: "10.000.000", "7", "7,5",
"1.234,5", "10.000.000 đ") and shows 10.000.000, 7 and 7,5. A value it cannot read, or one with
more decimals than the column keeps, is refused with a message; nothing is rounded or rescaled.

`VIETNAMESE_NUMBERS` is the `formfield_overrides` of ntm_site.admin.TrackedAdmin and of every
inline it shows, so each decimal and money field of the admin gets it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ntm_site.spreadsheets.widgets import parse_number

# What a typed number may look like once spaces and "đ" are gone: Vietnamese 1.234.567,5 or 1234567,5, or the
# English 1,234,567.5 / 7.5. Anything else ("10.000.00", "7,5,5") is refused rather than guessed at.
_SPACES_AND_CURRENCY = re.compile(r"[\s\u00a0\u202f]|(vnd|vnđ|đồng|dong|đ)\.?$", re.IGNORECASE)
_TYPED_NUMBER = re.compile(r"^[+-]?(?:(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?|(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)$")


def vn_number(value, decimal_places: int = 0) -> str:
    """10000000 -> "10.000.000", Decimal("7.00") -> "7", Decimal("7.50") -> "7,5" (in Vietnamese)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return number_format(int(number), use_l10n=True, force_grouping=True)
    number = number.normalize()
    places = min(-number.as_tuple().exponent, decimal_places or 28)
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


class VNNumberInput(forms.TextInput):
    """A text box for a number (the phone keyboard offers digits) that shows 10.000.000 and 7,5."""

    input_type = "text"

    def __init__(self, attrs=None, decimal_places: int = 0):
        self.decimal_places = decimal_places
        base = {"inputmode": "decimal" if decimal_places else "numeric", "class": "vn-number", "size": 16}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, str):
            return value  # what the clerk typed, shown back as typed when the form is refused
        return vn_number(value, self.decimal_places) or None


class VNNumberField(forms.Field):
    """A number typed as "10.000.000", "7" or "7,5"; whole numbers when `decimal_places` is 0."""

    default_error_messages = {
        "invalid": _(
            "Không đọc được số “{value}”. Gõ số như 10.000.000 hoặc 7,5 "
            "(dấu chấm ngăn hàng nghìn, dấu phẩy trước phần lẻ)."
        ),
        "whole": _("“{value}” có phần lẻ; ô này chỉ nhận số nguyên, ví dụ 10.000.000."),
        "places": _("“{value}” có quá {places} chữ số sau dấu phẩy; hệ thống không tự làm tròn."),
        "min_value": _("Cần một số không nhỏ hơn {limit}."),
        "max_value": _("Cần một số không lớn hơn {limit}."),
        "too_large": _("“{value}” quá lớn cho ô này."),
    }

    def __init__(
        self,
        *,
        decimal_places: int | None = 0,
        max_digits: int | None = None,
        min_value=None,
        max_value=None,
        **kwargs,
    ):
        for unused in ("step_size", "localize", "max_length", "empty_value"):
            kwargs.pop(unused, None)
        self.decimal_places = decimal_places or 0
        self.max_digits = max_digits
        self.min_value = min_value
        self.max_value = max_value
        kwargs.setdefault("widget", VNNumberInput)
        super().__init__(**kwargs)
        if isinstance(self.widget, VNNumberInput):
            self.widget.decimal_places = self.decimal_places
            self.widget.attrs["inputmode"] = "decimal" if self.decimal_places else "numeric"

    def _error(self, code, **params):
        return ValidationError(self.error_messages[code].format(**params), code=code)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip()
        if isinstance(value, str) and not _TYPED_NUMBER.match(_SPACES_AND_CURRENCY.sub("", text)):
            raise self._error("invalid", value=text)
        try:
            number = parse_number(text if isinstance(value, str) else value, integer=not self.decimal_places)
        except (InvalidOperation, ValueError):
            raise self._error("invalid", value=text) from None
        if not number.is_finite():
            raise self._error("invalid", value=text)
        exponent = number.normalize().as_tuple().exponent
        if not self.decimal_places and exponent < 0:
            raise self._error("whole", value=text)
        if exponent < -self.decimal_places:
            raise self._error("places", value=text, places=self.decimal_places)
        if self.max_digits is not None:
            whole_digits = len(str(abs(int(number)))) if int(number) else 0
            if whole_digits > self.max_digits - self.decimal_places:
                raise self._error("too_large", value=text)
        return int(number) if not self.decimal_places else number.quantize(Decimal(1).scaleb(-self.decimal_places))

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise self._error("min_value", limit=vn_number(self.min_value, self.decimal_places))
        if self.max_value is not None and value > self.max_value:
            raise self._error("max_value", limit=vn_number(self.max_value, self.decimal_places))

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (None if initial in (None, "") else self.to_python(initial))
        except ValidationError:
            return True


# The widget too: Django's admin defaults give BigIntegerField an <input type=number>.
VIETNAMESE_NUMBERS = {
    models.DecimalField: {"form_class": VNNumberField, "widget": VNNumberInput},
    models.BigIntegerField: {"form_class": VNNumberField, "widget": VNNumberInput},
}


def grouped_choices(formfield):
    """A select of rows from several sets shown under their set's name ("1. Quy hoạch" under each decision).

    A model names the relation its rows are grouped by with a class attribute `choice_group` (Criterion:
    "criteria_set"); the field's queryset (already limited to the user's scope) decides what is offered and what
    a posted value may be, so only the labels change. Selects of models without it are left as they are.
    """
    queryset = getattr(formfield, "queryset", None)
    group_by = getattr(getattr(queryset, "model", None), "choice_group", None)
    if group_by is None:
        return formfield
    groups: dict = {}
    for row in queryset.select_related(group_by):
        groups.setdefault(getattr(row, group_by), []).append((row.pk, formfield.label_from_instance(row)))
    empty = [("", formfield.empty_label)] if getattr(formfield, "empty_label", None) is not None else []
    formfield.choices = empty + [(str(group), options) for group, options in groups.items()]
    return formfield
