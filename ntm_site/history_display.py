"""History pages in words: what a clerk reads in the "Thay đổi" column of a record's history.

django-simple-history prints raw values (`draft → submitted`, `None → 2026-12-04 20:05:25+00:00`,
"Deleted user (pk=None)"). ntm_site.admin.TrackedAdmin hands every history page this helper:
choice fields show their labels, times are local dd/mm/yyyy HH:MM, dates dd/mm/yyyy, numbers
10.000.000 and 7,5, yes/no in words, an empty value "(trống)" and a deleted related row says so.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from ntm_site.fields import YearField
from ntm_site.forms import vn_number


def empty_text() -> str:
    return _("(trống)")


def deleted_user_text() -> str:
    return _("(người dùng đã xóa)")


def local_datetime_text(value: datetime.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y %H:%M")


def value_in_words(field, value) -> str:
    """One value of `field` as a clerk reads it."""
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return empty_text()
        if value.model is get_user_model():
            return deleted_user_text()
        return _("({what} đã xóa)").format(what=value.model._meta.verbose_name)
    if value is None or value == "" or value == []:
        return empty_text()
    if isinstance(value, list):
        return ", ".join(value_in_words(field, item) for item in value)
    if getattr(field, "choices", None) and not isinstance(field, YearField):
        labels = dict(field.flatchoices)
        if value in labels:
            return str(labels[value])
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.datetime):
        return local_datetime_text(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(field, YearField) or isinstance(value, str):
        return str(value)
    if isinstance(value, Decimal | int) and isinstance(field, models.DecimalField | models.IntegerField):
        return vn_number(value, getattr(field, "decimal_places", 0) or 0)
    return str(value)


class WordsHistoryHelper(HistoricalRecordContextHelper):
    """simple-history's helper with every value in words (see the module docstring)."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            value = super().prepare_delta_change_value(change, value)
        return value_in_words(field, value)
