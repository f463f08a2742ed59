"""A commune's dossier: the sections its admin page shows, filled by the apps that own the records.

divisions comes first in the layers and imports no later app, so the sections are registered:
each app adds the ones it owns in its AppConfig.ready()::

    from divisions import dossier

    @dossier.section("criteria-sheets", order=30)
    def sheets(request, unit, day):
        rows = dossier.readable(request, CommuneYear.objects.filter(commune=unit))
        if rows is None:
            return None  # the reader may not view commune-years at all: no section
        shown, total = dossier.first_rows(rows.order_by("-year"))
        return dossier.Section(title=..., columns=[...], rows=[[dossier.Cell(...), ...] for ...], ...)

A builder gets the request, the commune and the day the dossier speaks of (today, or the commune's
last day when it has ended) and returns a Section, or None when the reader may not view that kind of
record. Rows are read in the reader's scope (ntm_site.accounts.scope) and each links to its record;
a section shows at most LIMIT rows, counted and read in one query, with a link to the whole list
filtered to the commune (CommuneFilter). The page's queries are so bounded by the number of
sections, whatever the number of records.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.db.models import Case, Count, Q, Value, When, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from divisions.choices import UnitLevel
from ntm_site.accounts import scope

LIMIT = 20  # rows a section lists; the rest are one click away, in the filtered list


@dataclass
class Cell:
    text: str
    url: str | None = None
    numeric: bool = False  # right-aligned (a count, a sum of money)


@dataclass
class Section:
    """One part of the dossier: a table of the commune's records of one kind, or a sentence saying there are none."""

    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    empty: str = ""  # what the reader reads when there are no rows ("Chưa có …")
    total: int | None = None  # rows in all, when more than the ones listed
    more_url: str | None = None  # the whole list, filtered to the commune
    more_label: str = ""  # the link's words (default: open the list to filter and export)
    note: str = ""
    key: str = ""


@dataclass
class _Registration:
    key: str
    order: int
    builder: Callable


_SECTIONS: dict[str, _Registration] = {}


def section(key: str, *, order: int = 100):
    """Register `builder(request, unit, day) -> Section | None` under `key` (registering a key again replaces it)."""

    def decorator(builder):
        _SECTIONS[key] = _Registration(key, order, builder)
        return builder

    return decorator


def registered() -> list[str]:
    return [r.key for r in sorted(_SECTIONS.values(), key=lambda r: (r.order, r.key))]


def reference_day(unit, today: datetime.date | None = None) -> datetime.date:
    """The day the dossier speaks of: today, or the unit's last day when it ended before today."""
    today = today or timezone.localdate()
    return min(today, unit.valid_to) if unit.valid_to else today


def build(request, unit, today: datetime.date | None = None) -> list[Section]:
    """The sections of `unit`'s dossier for the reader of `request`, in registration order (none for a
    province or district)."""
    if unit.level != UnitLevel.COMMUNE:
        return []
    day = reference_day(unit, today)
    out = []
    for key in registered():
        built = _SECTIONS[key].builder(request, unit, day)
        if built is not None:
            built.key = key
            out.append(built)
    return out


# --- helpers for the builders ------------------------------------------------------------------


def readable(request, queryset):
    """`queryset` cut to the rows the reader may read, or None when they may not view its model at all."""
    opts = queryset.model._meta
    user = request.user
    if not any(user.has_perm(f"{opts.app_label}.{get_permission_codename(a, opts)}") for a in ("view", "change")):
        return None
    return scope.restrict(queryset, user, scope.READ)


def first_rows(queryset, limit: int = LIMIT) -> tuple[list, int]:
    """The first `limit` rows of an ordered `queryset` and how many it holds in all: one query."""
    rows = list(queryset.annotate(dossier_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].dossier_total if rows else 0)


def listing(request, unit, queryset, *, title, columns, row: Callable, empty, more_label="") -> Section | None:
    """The usual section: the first rows of `queryset` (ordered) that the reader may read, each turned into
    cells by `row(obj)`, and a link to the whole list filtered to the commune; None when the reader may not
    view the model at all."""
    rows = readable(request, queryset)
    if rows is None:
        return None
    shown, total = first_rows(rows)
    return Section(
        title=title,
        columns=columns,
        rows=[row(obj) for obj in shown],
        empty=empty,
        total=total,
        more_url=list_url(queryset.model, commune=unit.pk),
        more_label=more_label,
    )


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def list_url(model, **params) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def day_text(day: datetime.date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else "—"


class CommuneFilter(admin.SimpleListFilter):
    """The rows of one commune (?commune=<id>): what the dossier's "whole list" links open.

    Shown only while it is set (the commune's name, and "Tất cả" to drop it): a sidebar of the
    country's communes would be no filter. `on(path)` names the path to the commune.
    """

    title = _("xã")
    parameter_name = "commune"
    field_path = "commune"

    @classmethod
    def on(cls, field_path: str):
        return type(cls.__name__, (cls,), {"field_path": field_path})

    def lookups(self, request, model_admin):
        from divisions.models import AdministrativeUnit

        value = self.value()
        if not (value and value.isdigit()):
            return []
        unit = AdministrativeUnit.objects.select_related("parent").filter(pk=value).first()
        return [(str(unit.pk), unit.validity_label())] if unit else []

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return self.filter_commune(queryset, int(value))
        return queryset

    def filter_commune(self, queryset, pk: int):
        return queryset.filter(**{self.field_path: pk})


# --- the divisions app's own section: the lineage of the 2025 reform ----------------------------


@section("lineage", order=90)
def lineage(request, unit, day):
    """The units the commune came from and the units it became."""
    from divisions.models import UnitSuccession

    lines = (
        UnitSuccession.objects.filter(Q(predecessor=unit) | Q(successor=unit))
        .select_related("predecessor__parent", "successor__parent")
        .annotate(came_from=Case(When(successor=unit, then=Value(True)), default=Value(False)))
        .order_by("-came_from", "effective_date", "predecessor__code", "successor__code")
    )

    def row(line):
        other = line.predecessor if line.came_from else line.successor
        return [
            Cell(str(_("Hình thành từ") if line.came_from else _("Trở thành"))),
            Cell(other.validity_label(), change_url(other)),
            Cell(day_text(line.effective_date)),
            Cell(str(_("kế thừa chính") if line.is_main else _("một phần"))),
        ]

    return listing(
        request,
        unit,
        lines,
        title=_("Sắp xếp đơn vị hành chính: hình thành từ, trở thành"),
        columns=[_("Quan hệ"), _("Đơn vị"), _("Ngày hiệu lực"), _("Kế thừa")],
        row=row,
        empty=_("Không có đơn vị nào sáp nhập vào hay kế thừa xã này."),
        more_label=_("Mở danh sách kế thừa đơn vị của xã (để sửa)"),
    )
