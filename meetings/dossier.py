"""The meetings app's sections of a commune's dossier: the meetings and the follow-up tasks that name it.

A meeting names a commune when the commune was one of its bridge points or one of its tasks concerns
the commune (MeetingQuerySet.naming). Registered in MeetingsConfig.ready() (divisions.dossier); read
in the reader's scope.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from divisions import dossier
from meetings.models import FollowUpTask, Meeting


@dossier.section("meetings", order=50)
def meetings(request, unit, day):
    return dossier.listing(
        request,
        unit,
        Meeting.objects.naming(unit).select_related("organiser").with_bridge_at(unit).order_by("-start", "pk"),
        title=_("Hội nghị, cuộc họp nhắc đến xã"),
        columns=[_("Ngày họp"), _("Hội nghị"), _("Loại hội nghị"), _("Cơ quan tổ chức"), _("Liên quan đến xã")],
        row=lambda meeting: [
            dossier.Cell(dossier.day_text(meeting.local_date)),
            dossier.Cell(meeting.title, dossier.change_url(meeting)),
            dossier.Cell(meeting.get_kind_display()),
            dossier.Cell(meeting.organiser_label),
            dossier.Cell(str(_("có điểm cầu tại xã") if meeting.is_bridge else _("giao nhiệm vụ liên quan"))),
        ],
        empty=_("Chưa có hội nghị nào nhắc đến xã (điểm cầu hay nhiệm vụ liên quan)."),
    )


def _task_state(task) -> str:
    if task.is_overdue:
        return str(_("{status}, quá hạn").format(status=task.get_status_display()))
    return task.get_status_display()


@dossier.section("meetings-tasks", order=60)
def tasks(request, unit, day):
    return dossier.listing(
        request,
        unit,
        FollowUpTask.objects.for_commune(unit)
        .select_related("owner")
        .with_overdue()
        .order_by("-is_overdue", "-meeting_date", "order", "pk"),
        title=_("Nhiệm vụ sau hội nghị liên quan đến xã"),
        columns=[_("Nhiệm vụ"), _("Đơn vị thực hiện"), _("Ngày giao"), _("Hạn hoàn thành"), _("Tình trạng")],
        row=lambda task: [
            dossier.Cell(str(task), dossier.change_url(task)),
            dossier.Cell(task.owner.label),
            dossier.Cell(dossier.day_text(task.meeting_date)),
            dossier.Cell(dossier.day_text(task.due_date)),
            dossier.Cell(_task_state(task)),
        ],
        empty=_("Chưa có nhiệm vụ sau hội nghị nào liên quan đến xã."),
    )
