"""The admin index as the reader's dashboard for the current year: notices, a work list, then the figures.

The panels come from the apps that own the records (ntm_site.dashboard: each app registers its own
in AppConfig.ready(); the platform imports none of them); this module adds the reports and the saved
filters and hands everything to reports/templates/reports/dashboard.html. Every count is the
reader's scope (ntm_site.accounts.scope) and links to the filtered list it counts.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from ntm_site import dashboard
from reports import registry
from reports.models import SavedFilter


def dashboard_context(request, today: datetime.date | None = None) -> dict:
    user = request.user
    today = today or timezone.localdate()
    reports = [r for r in registry.all_reports() if r.has_permission(user)]
    titles = {r.slug: r.title for r in reports}
    saved = [s for s in SavedFilter.objects.visible_to(user).select_related("owner")[:20] if s.report in titles]
    for s in saved:
        s.report_title = titles[s.report]
    # A reader without any scope sees no figure (scope.restrict gives them nothing anyway).
    panels = dashboard.build(request, today) if reports else {section: [] for section in dashboard.SECTIONS}
    return {
        "request": request,
        "year": today.year,
        "notices": panels[dashboard.NOTICES],
        "work": panels[dashboard.WORK],
        "figures": panels[dashboard.FIGURES],
        "reports": reports,
        "saved_filters": saved,
    }
