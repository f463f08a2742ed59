"""The meetings app's dashboard panel: follow-up tasks overdue (ntm_site.dashboard, MeetingsConfig.ready())."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.models import FollowUpTask
from ntm_site import dashboard
from ntm_site.accounts import scope


@dashboard.panel("meetings-overdue", section=dashboard.WORK, order=30)
def overdue_tasks(request, today: datetime.date):
    user = request.user
    if not user.has_perm("meetings.view_followuptask"):
        return None
    count = scope.restrict(FollowUpTask.objects.all(), user).overdue(today).count()
    return dashboard.Panel(
        title=_("Nhiệm vụ sau hội nghị"),
        entries=[
            dashboard.Entry(
                "overdue-tasks",
                _("nhiệm vụ sau hội nghị quá hạn"),
                count,
                reverse("admin:meetings_followuptask_changelist") + "?overdue=yes",
                alert=bool(count),
            )
        ],
    )
