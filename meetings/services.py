"""Writes that span several rows or models of the minutes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.choices import TaskStatus
from meetings.models import FollowUpTask, Meeting


@transaction.atomic
def meeting_sync_task_dates(*, meeting: Meeting) -> int:
    """Copy the meeting's day onto its tasks (after the date changed); returns the number of tasks updated."""
    return meeting.tasks.exclude(meeting_date=meeting.local_date).update(meeting_date=meeting.local_date)


@transaction.atomic
def task_mark_done(
    *, task: FollowUpTask, done_on: datetime.date | None = None, result: str = "", user=None
) -> FollowUpTask:
    """Mark one task done on `done_on` (default today), appending `result` to what it records."""
    done_on = done_on or timezone.localdate()
    if done_on < task.meeting_date:
        raise ValidationError(
            _("Ngày hoàn thành không được trước ngày họp ({date}).").format(date=task.meeting_date.strftime("%d/%m/%Y"))
        )
    task.status = TaskStatus.DONE
    task.done_on = done_on
    if result:
        task.result = f"{task.result}\n{result}".strip()
    task.save()
    return task
