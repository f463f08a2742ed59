"""One definition per report, shared by the admin page, the downloads and `export_report`.

A report is a FilterSet (its parameters, validated by the FilterSet's form) and a
`compute()` that turns the validated filters into totals and rows with database
aggregations. Everything else (HTML table, chart, .xlsx, .csv, JSON) renders a
`ReportResult` and never queries on its own.

    report = registry.get("criteria-summary")
    result = report.run({"province": "Tỉnh Hà Tĩnh", "year": "2017"})   # ReportParamsError if invalid
    result.totals, result.rows, result.as_json()

Scope: run(..., user=u) or bind(..., request=r) starts every report from the rows the reader may
read (reports.filters.ReportFilterSet.in_scope, ntm_site.accounts.scope.restrict); the pages,
downloads, draft documents and dashboard always pass the reader. Without a user (the
`export_report` command, run by whoever holds the server) nothing is restricted.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.formatting import display_value, json_value


class ColumnKind(models.TextChoices):
    TEXT = "text", _("Chữ")
    INT = "int", _("Số nguyên")
    VND = "vnd", _("Tiền (đồng)")
    DECIMAL = "decimal", _("Số thập phân")
    PERCENT = "percent", _("Tỷ lệ (%)")
    DATE = "date", _("Ngày")
    MONTH = "month", _("Tháng")
    YEAR = "year", _("Năm")
    DAYS = "days", _("Số ngày")
    STATUS = "status", _("Kết quả tiêu chí")


@dataclass(frozen=True)
class Column:
    """One column of a report table: its JSON key, its Vietnamese heading and how to show it."""

    key: str
    label: Any
    kind: str = ColumnKind.TEXT
    width: int | None = None
    # Stored code -> label, for columns holding a choice (organisation kind, task status …).
    choices: Mapping | None = None

    def display(self, value) -> str:
        if self.choices is not None and value in self.choices:
            return str(self.choices[value])
        return display_value(value, self.kind)

    @property
    def numeric(self) -> bool:
        return self.kind in (ColumnKind.INT, ColumnKind.VND, ColumnKind.DECIMAL, ColumnKind.PERCENT)


@dataclass
class Table:
    """A secondary table of a report (e.g. the initiatives of a decision review)."""

    key: str
    title: Any
    columns: list[Column]
    rows: list[dict]
    # How many rows there are when `rows` holds only the first ones (a page); None: all of them.
    row_count: int | None = None

    @property
    def total_rows(self) -> int:
        return len(self.rows) if self.row_count is None else self.row_count


@dataclass
class ReportResult:
    report: Report
    params: dict
    filters: list[tuple[str, str]]
    totals: dict
    total_columns: list[Column]
    columns: list[Column]
    rows: list[dict]
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # What compute() hands to chart() and nobody else (e.g. the ledger's chart series).
    extra: dict = field(default_factory=dict)
    generated_at: datetime.datetime = field(default_factory=timezone.localtime)
    # How many rows there are when `rows` holds only the first ones (a page); None: all of them.
    row_count: int | None = None
    # Why there are no figures at all (e.g. no criteria set covers the year), said instead of a table of zeros.
    empty: str | None = None

    @property
    def total_rows(self) -> int:
        return len(self.rows) if self.row_count is None else self.row_count

    @property
    def title(self):
        return self.report.title

    def total_items(self):
        """(label, value as shown, column) of every scalar total, for the page and the title blocks."""
        items = []
        for column in self.total_columns:
            value = self.totals
            for part in column.key.split("."):
                value = value.get(part) if isinstance(value, Mapping) else None
            if isinstance(value, Mapping) or (value is None and "." in column.key):
                continue
            items.append((column.label, column.display(value), column))
        return items

    def as_json(self) -> dict:
        data = {
            "report": self.report.slug,
            "params": self.params,
            "totals": json_value(self.totals),
            "rows": [json_value(row) for row in self.rows],
        }
        if self.tables:
            data["tables"] = {t.key: [json_value(row) for row in t.rows] for t in self.tables}
        if self.empty:
            data["empty"] = self.empty
        return data


class ReportParamsError(ValueError):
    """The parameters did not validate; `errors` maps a parameter name to its messages."""

    def __init__(self, errors: Mapping[str, list[str]]):
        self.errors = {name: [str(m) for m in messages] for name, messages in errors.items()}
        lines = [f"{name}: {' '.join(messages)}" for name, messages in self.errors.items()]
        super().__init__("\n".join(lines))


class Report:
    """Subclass, set the class attributes, implement compute(), and decorate with @register."""

    slug: ClassVar[str]
    title: ClassVar[Any]
    description: ClassVar[Any] = ""
    filterset_class: ClassVar[type]
    columns: ClassVar[list[Column]]
    total_columns: ClassVar[list[Column]] = []
    # The admin permissions a user needs to read the records behind the report.
    permissions: ClassVar[tuple[str, ...]] = ()
    # A wide table (the criteria matrix): printed landscape, its first three columns frozen in Excel.
    landscape: ClassVar[bool] = False

    def bind(self, data: Mapping | None, *, request=None, user=None):
        """The report's FilterSet bound to `data` (a QueryDict or a plain dict of strings/lists),
        limited to what `user` (or the request's user) may read."""
        return self.filterset_class(to_querydict(data) if data is not None else None, request=request, user=user)

    def run(self, data: Mapping | None = None, *, request=None, user=None) -> ReportResult:
        filterset = self.bind(data or {}, request=request, user=user)
        if not filterset.is_valid():
            raise ReportParamsError(filterset.form.errors)
        return self.result(filterset)

    def result(self, filterset, *, row_limit: int | None = None) -> ReportResult:
        """The report's result; with `row_limit` (the page) the long tables may hold only their first rows
        (`total_rows` says how many there are; totals are always over every row)."""
        computed = self.compute(filterset, row_limit=row_limit)
        notes = list(computed.get("notes", []))
        if filterset.params.get("approved_only") == "yes":
            notes.insert(0, str(_("Chỉ gồm số liệu của các xã, năm đã được tỉnh phê duyệt.")))
        scope_note = filterset.scope_note()
        if scope_note:
            notes.insert(0, scope_note)
        return ReportResult(
            report=self,
            params=filterset.json_params(),
            filters=filterset.display_params(),
            totals=computed["totals"],
            total_columns=[] if computed.get("empty") else self.get_total_columns(filterset),
            columns=computed.get("columns") or self.get_columns(filterset),
            rows=computed["rows"],
            tables=computed.get("tables", []),
            notes=notes,
            extra=computed.get("extra", {}),
            row_count=computed.get("row_count"),
            empty=computed.get("empty"),
        )

    def get_columns(self, filterset) -> list[Column]:
        return self.columns

    def get_total_columns(self, filterset) -> list[Column]:
        return self.total_columns

    def compute(self, filterset, row_limit: int | None = None) -> dict:
        """{"totals": {...}, "rows": [...], optional "tables", "columns", "notes", "extra", "empty"}; a report whose
        rows can run into the thousands may stop at `row_limit` rows and say how many there are ("row_count",
        Table.row_count). Totals are over every row. "empty" (a sentence) says why there are no figures at all and
        where to fix it: the page, the downloads and the drafts say it instead of printing zeros."""
        raise NotImplementedError

    def chart(self, result: ReportResult) -> str | None:
        """Inline SVG of the result, or None when a picture would not say it faster."""
        return None

    def has_permission(self, user) -> bool:
        return bool(user and user.is_active and user.is_staff and user.has_perms(self.permissions))


_REGISTRY: dict[str, Report] = {}


def register(cls: type[Report]) -> type[Report]:
    if cls.slug in _REGISTRY:
        raise ValueError(f"Report {cls.slug!r} is registered twice.")
    _REGISTRY[cls.slug] = cls()
    return cls


def get(slug: str) -> Report:
    _load()
    return _REGISTRY[slug]


def all_reports() -> list[Report]:
    _load()
    return list(_REGISTRY.values())


def slugs() -> list[str]:
    return [r.slug for r in all_reports()]


def _load():
    # The definitions register themselves on import; importing here keeps callers free of import order.
    import reports.definitions  # noqa: F401


def to_querydict(data: Mapping) -> QueryDict:
    if isinstance(data, QueryDict):
        return data
    qd = QueryDict(mutable=True)
    for key, value in data.items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            qd.appendlist(key, _as_text(item))
    return qd


def _as_text(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | int | float):
        return str(value)
    return str(value)
