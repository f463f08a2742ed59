"""The sponsorship app's dashboard panels: sponsors with no activity in a year, support this year.

Registered in SponsorshipConfig.ready() (ntm_site.dashboard); counts are the reader's scope.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ntm_site import dashboard
from ntm_site.accounts import scope
from sponsorship.models import Assignment, SupportRecord


def _a_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29/02
        return day.replace(year=day.year - 1, day=28)


@dashboard.panel("sponsorship-idle", section=dashboard.WORK, order=40)
def idle_sponsors(request, today: datetime.date):
    """Organisations with an assignment in force and no visit, session or report on it for a year."""
    user = request.user
    if not user.has_perm("sponsorship.view_assignment"):
        return None
    since = _a_year_before(today)
    idle = (
        scope.restrict(Assignment.objects.all(), user)
        .as_of(today)
        .without_activity_since(since)
        .aggregate(organisations=Count("organisation", distinct=True), assignments=Count("pk"))
    )
    url = reverse("reports:report", args=["sponsor-activity"]) + "?" + urlencode({"as_of": today.isoformat()})
    return dashboard.Panel(
        title=_("Đơn vị đỡ đầu"),
        entries=[
            dashboard.Entry(
                "idle-sponsors",
                _("đơn vị phụ trách, đỡ đầu không có hoạt động nào trong một năm"),
                idle["organisations"],
                url,
                note=_("{n} lượt phân công đang hiệu lực").format(n=idle["assignments"]),
                alert=bool(idle["organisations"]),
            )
        ],
    )


@dashboard.panel("sponsorship-support", section=dashboard.FIGURES, order=30)
def support_this_year(request, today: datetime.date):
    """Support given this year (value and records), beside last year's total."""
    user = request.user
    if not user.has_perm("sponsorship.view_supportrecord"):
        return None
    year = today.year
    figures = (
        scope.restrict(SupportRecord.objects.all(), user)
        .filter(date__gte=datetime.date(year - 1, 1, 1), date__lte=datetime.date(year, 12, 31))
        .aggregate(
            value_this=Sum("value_vnd", filter=Q(date__year=year), default=0),
            records_this=Count("pk", filter=Q(date__year=year)),
            value_last=Sum("value_vnd", filter=Q(date__year=year - 1), default=0),
        )
    )
    url = reverse("admin:sponsorship_supportrecord_changelist") + "?" + urlencode({"date__year": year})
    return dashboard.Panel(
        title=_("Hỗ trợ các xã năm {year}").format(year=year),
        entries=[
            dashboard.Entry(
                "support",
                _("đồng hỗ trợ các xã"),
                figures["value_this"],
                url,
                note=_("{n} lần hỗ trợ; năm {year}: {value} đồng").format(
                    n=figures["records_this"], year=year - 1, value=dashboard.grouped(figures["value_last"])
                ),
            )
        ],
    )
