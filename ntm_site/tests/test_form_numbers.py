"""One number widget for every decimal and money field of the admin (issue 19, point 1)."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.test import RequestFactory

from ntm_site.forms import VNNumberField, VNNumberInput, vn_number


def _number_fields(model):
    return [f for f in model._meta.get_fields() if isinstance(f, models.DecimalField | models.BigIntegerField)]


def _admins_and_inlines(superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        yield model, model_admin, request
        for inline in model_admin.get_inline_instances(request):
            yield inline.model, inline, request


@pytest.mark.django_db
def test_every_decimal_and_money_field_of_the_admin_reads_vietnamese_numbers(superuser):
    checked = []
    for model, model_admin, request in _admins_and_inlines(superuser):
        for db_field in _number_fields(model):
            if not db_field.editable or db_field.primary_key:
                continue
            formfield = model_admin.formfield_for_dbfield(db_field, request)
            if formfield is None:
                continue
            checked.append(f"{model.__name__}.{db_field.name}")
            assert isinstance(formfield, VNNumberField), checked[-1]
            assert isinstance(formfield.widget, VNNumberInput), checked[-1]
            assert formfield.widget.input_type == "text", checked[-1]
    # The support record's money and quantity, on its own page and inside the assignment's page.
    assert {"SupportRecord.value_vnd", "SupportRecord.quantity", "IndicatorTarget.value"} <= set(checked)


@pytest.mark.parametrize(
    ("typed", "places", "value"),
    [
        ("10.000.000", 0, 10_000_000),
        ("10.000.000 đ", 0, 10_000_000),
        ("7", 2, Decimal("7.00")),
        ("7,5", 2, Decimal("7.50")),
        ("1.234,5", 2, Decimal("1234.50")),
        ("", 2, None),
    ],
)
def test_typed_numbers_are_read_as_written(typed, places, value):
    assert VNNumberField(decimal_places=places, required=False).clean(typed) == value


@pytest.mark.parametrize("typed", ["10.000.00", "7,5,5", "abc", "1e5x"])
def test_unreadable_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        VNNumberField(decimal_places=2).clean(typed)


def test_more_decimals_than_the_column_keeps_are_refused_not_rounded():
    with pytest.raises(ValidationError, match="không tự làm tròn"):
        VNNumberField(decimal_places=2).clean("7,555")


def test_numbers_are_shown_without_trailing_zeros():
    assert vn_number(Decimal("7.00"), 2) == "7"
    assert vn_number(Decimal("7.50"), 2) == "7,5"
    assert vn_number(10_000_000) == "10.000.000"
    assert vn_number(Decimal("1500.00"), 2) == "1.500"
