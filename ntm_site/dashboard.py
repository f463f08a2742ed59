"""The admin index's panels: a small registry the apps fill in, so the platform knows no domain app.

Each app registers the panels it owns in its AppConfig.ready()::

    from ntm_site import dashboard

    @dashboard.panel("criteria-work", section=dashboard.WORK, order=10)
    def sheets_waiting(request, today):
        return dashboard.Panel(title=_("Bảng chấm chờ tôi"), entries=[dashboard.Entry(...)])

A builder returns a Panel, or None when it has nothing for this reader (no permission, nothing in
scope). The sections render in order: NOTICES (messages about the reader's own account, e.g. a
scope unit that has ended and the unit that replaced it), WORK (what waits for the reader), FIGURES
(this year's figures). Every figure is the reader's scope (ntm_site.accounts.scope); every entry
links to the list it counts, filtered.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

NOTICES, WORK, FIGURES = "notices", "work", "figures"
SECTIONS = (NOTICES, WORK, FIGURES)


@dataclass
class Entry:
    """One line of a panel: a count (or a value) with what it counts and the list behind it."""

    key: str
    label: str
    value: object = None
    url: str | None = None
    total: int | None = None  # "value / total" (of the units counted)
    note: str = ""
    alert: bool = False


@dataclass
class Panel:
    title: str
    entries: list[Entry] = field(default_factory=list)
    note: str = ""
    key: str = ""
    section: str = FIGURES


@dataclass
class _Registration:
    key: str
    section: str
    order: int
    builder: Callable


_PANELS: dict[str, _Registration] = {}


def panel(key: str, *, section: str, order: int = 100):
    """Register `builder(request, today) -> Panel | None` under `key` (registering a key again replaces it)."""
    if section not in SECTIONS:
        raise ValueError(f"unknown dashboard section {section!r}")

    def decorator(builder):
        _PANELS[key] = _Registration(key, section, order, builder)
        return builder

    return decorator


def registered() -> list[str]:
    return [r.key for r in sorted(_PANELS.values(), key=lambda r: (SECTIONS.index(r.section), r.order, r.key))]


def build(request, today: datetime.date | None = None) -> dict[str, list[Panel]]:
    """{section: [Panel, …]} for the reader of `request`, in section and registration order."""
    today = today or timezone.localdate()
    out = {section: [] for section in SECTIONS}
    for key in registered():
        registration = _PANELS[key]
        built = registration.builder(request, today)
        if built is None:
            continue
        built.key, built.section = registration.key, registration.section
        out[registration.section].append(built)
    return out


def grouped(value) -> str:
    """A whole number as the dashboard prints it: 1.234.567 in Vietnamese (thousands always grouped)."""
    return number_format(value, force_grouping=True)


@panel("imports-mine", section=WORK, order=20)
def my_imports(request, today: datetime.date):
    """The reader's own imports this year (the platform's panel: import batches are the platform's)."""
    from ntm_site.spreadsheets.batches import settle_abandoned  # models load after the app registry

    user = request.user
    if not user.is_authenticated:
        return None
    mine = my_counts(request, today)
    if mine["running"] and settle_abandoned():
        request._ntm_my_counts = None
        mine = my_counts(request, today)  # an import killed halfway counts as failed
    if not mine["total"]:
        return None
    url = reverse("admin:ntm_site_importbatch_changelist") + "?" + urlencode({"user__id__exact": user.pk})
    return Panel(
        title=_("Dữ liệu tôi đã nhập năm {year}").format(year=today.year),
        entries=[
            Entry(
                "my-imports",
                _("lần nhập từ Excel"),
                mine["total"],
                url,
                note=_("{n} lần có lỗi, không ghi gì").format(n=mine["failed"]) if mine["failed"] else "",
                alert=bool(mine["failed"]),
            )
        ],
    )


@panel("jobs-mine", section=WORK, order=21)
def my_jobs(request, today: datetime.date):
    """The reader's background jobs (ntm_site.jobs): what still runs, and files ready to download."""
    user = request.user
    if not user.is_authenticated:
        return None
    counts = my_counts(request, today)
    mine = {key: counts[f"jobs_{key}"] for key in ("waiting", "ready", "failed")}
    if not any(mine.values()):
        return None
    url = reverse("admin:ntm_site_job_list")
    entries = [Entry("jobs-waiting", _("việc đang chờ hoặc đang chạy nền"), mine["waiting"], url)]
    if mine["ready"]:
        entries.append(Entry("jobs-ready", _("tệp đã tạo xong, sẵn sàng tải về"), mine["ready"], url))
    if mine["failed"]:
        entries.append(Entry("jobs-failed", _("việc bị lỗi"), mine["failed"], url, alert=True))
    return Panel(title=_("Công việc chạy nền của tôi (7 ngày qua)"), entries=entries)


def my_counts(request, today: datetime.date) -> dict:
    """The reader's imports this year and background jobs of the last 7 days, counted in one query (kept on the
    request: the two panels above share it)."""
    from django.contrib.auth import get_user_model
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from ntm_site.models import ImportBatch, Job

    cached = getattr(request, "_ntm_my_counts", None)
    if cached is not None:
        return cached

    def count(queryset):
        counted = queryset.filter(user=OuterRef("pk")).order_by().values("user").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    batches = ImportBatch.objects.filter(started_at__year=today.year)
    jobs = Job.objects.filter(created_at__gte=timezone.now() - datetime.timedelta(days=7))
    request._ntm_my_counts = (
        get_user_model()
        .objects.filter(pk=request.user.pk)
        .annotate(
            total=count(batches),
            failed=count(batches.filter(status=ImportBatch.Status.FAILED)),
            running=count(batches.filter(status=ImportBatch.Status.RUNNING)),
            jobs_waiting=count(jobs.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING])),
            jobs_ready=count(jobs.filter(state=Job.State.DONE, kind=Job.Kind.DOWNLOAD).exclude(result_file="")),
            jobs_failed=count(jobs.filter(state=Job.State.FAILED)),
        )
        .values("total", "failed", "running", "jobs_waiting", "jobs_ready", "jobs_failed")
        .get()
    )
    return request._ntm_my_counts
