"""The headline figures of the admin index: each one a database aggregation over what the reader may read.

Every figure starts from `_readable(queryset, user)` (ntm_site.accounts.scope.restrict): a commune
clerk's dashboard counts their commune, a sponsor clerk's their organisation's support. Without a
user (tests of the figures) nothing is restricted.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone

from criteria.models import Assessment, Recognition
from divisions.models import AdministrativeUnit
from meetings.models import FollowUpTask
from ntm_site.accounts import scope
from reports import registry
from reports.models import SavedFilter
from sponsorship.models import SupportRecord
from sponsorship.querysets import commune_reached_standard


def _readable(queryset, user):
    return queryset if user is None else scope.restrict(queryset, user, scope.READ)


def communes_reached(on: datetime.date, user=None) -> int:
    """Communes that had reached NTM standard on `on` (only communes with any result the reader may read)."""
    # EXISTS per commune (an index probe), not IN over the millions of assessments (a subplan too big to hash).
    with_results = Q(Exists(_readable(Recognition.objects.all(), user).filter(commune=OuterRef("pk")))) | Q(
        Exists(_readable(Assessment.objects.all(), user).filter(commune=OuterRef("pk")))
    )
    return AdministrativeUnit.objects.filter(with_results).filter(commune_reached_standard(on)).count()


def support_in_years(this_year: int, user=None) -> dict:
    """Support value and records of this year and last year, in one query."""
    records = _readable(SupportRecord.objects.all(), user)
    figures = records.filter(date__year__in=(this_year - 1, this_year)).aggregate(
        value_this=Sum("value_vnd", filter=Q(date__year=this_year), default=0),
        records_this=Count("pk", filter=Q(date__year=this_year)),
        value_last=Sum("value_vnd", filter=Q(date__year=this_year - 1), default=0),
    )
    return figures


def overdue_tasks(today: datetime.date, user=None) -> int:
    """Follow-up tasks of the meetings still open after their due date."""
    return _readable(FollowUpTask.objects.all(), user).overdue(today).count()


def headline_figures(today: datetime.date | None = None, user=None) -> dict:
    today = today or timezone.localdate()
    last_year_end = datetime.date(today.year - 1, 12, 31)
    return {
        "year": today.year,
        "last_year": today.year - 1,
        "reached_now": communes_reached(today, user),
        "reached_last_year": communes_reached(last_year_end, user),
        "support": support_in_years(today.year, user),
        # Only for readers of the meetings' tasks (a commune clerk's role has none).
        "overdue_tasks": (
            overdue_tasks(today, user) if user is None or user.has_perm("meetings.view_followuptask") else None
        ),
    }


def dashboard_context(request) -> dict:
    user = request.user
    reports = [r for r in registry.all_reports() if r.has_permission(user)]
    titles = {r.slug: r.title for r in reports}
    saved = [s for s in SavedFilter.objects.visible_to(user).select_related("owner")[:20] if s.report in titles]
    for s in saved:
        s.report_title = titles[s.report]
    figures = headline_figures(user=user) if reports else None
    return {
        "request": request,
        "figures": figures,
        "reports": reports,
        "saved_filters": saved,
        "tasks_url": reverse("reports:report", args=["tasks"]) if "tasks" in titles else None,
    }
