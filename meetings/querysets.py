"""Reads over meetings, people and follow-up tasks, aggregated in SQL.

The reports app (and the admin) ask their questions here: which tasks of an
organisation are open, which are overdue on a given day, how many each owner has
done. "Overdue" is never stored: it depends on the day you ask, so every method
that needs it takes `on` (default: today in the project's time zone) and computes
it in the query.
"""

import calendar
import datetime

from django.db import models
from django.db.models import BooleanField, Case, Count, Exists, F, IntegerField, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from meetings.choices import OPEN_STATUSES, TaskStatus


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def _overdue_q(on: datetime.date) -> Q:
    return Q(status__in=OPEN_STATUSES, due_date__isnull=False, due_date__lt=on)


def _count_of(model, fk: str, **filters) -> Coalesce:
    """A correlated COUNT subquery: no join, so several counts never multiply each other."""
    counted = (
        model.objects.filter(**{fk: OuterRef("pk")}, **filters)
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class MeetingQuerySet(models.QuerySet):
    def in_year(self, year: int):
        """Meetings held in `year` (local time)."""
        return self.filter(start__year=year)

    def organised_by(self, organisation):
        return self.filter(organiser=organisation)

    def naming(self, commune):
        """Meetings that name `commune` (a unit or its id): a bridge point there, or a task concerning it."""
        from meetings.models import FollowUpTask

        pk = getattr(commune, "pk", commune)
        bridges = self.model.bridge_units.through.objects.filter(administrativeunit_id=pk).values("meeting_id")
        tasks = FollowUpTask.communes.through.objects.filter(administrativeunit_id=pk)
        tasks = tasks.values("followuptask__meeting_id")
        return self.filter(Q(pk__in=bridges) | Q(pk__in=tasks))

    def with_bridge_at(self, commune):
        """Annotate `is_bridge` (bool): `commune` was one of the meeting's bridge points."""
        pk = getattr(commune, "pk", commune)
        bridge = self.model.bridge_units.through.objects.filter(meeting_id=OuterRef("pk"), administrativeunit_id=pk)
        return self.annotate(is_bridge=Exists(bridge))

    def with_counts(self):
        """Annotate participant_count, speech_count, task_count and open_task_count (one query)."""
        from meetings.models import FollowUpTask, Participation, Speech

        return self.annotate(
            participant_count=_count_of(Participation, "meeting"),
            speech_count=_count_of(Speech, "meeting"),
            task_count=_count_of(FollowUpTask, "meeting"),
            open_task_count=_count_of(FollowUpTask, "meeting", status__in=OPEN_STATUSES),
        )

    def for_minutes(self):
        """Everything the minutes page and the print view show, fetched in a fixed number of queries."""
        from django.db.models import Prefetch

        from meetings.models import FollowUpTask, Participation, Speech

        return self.select_related("organiser").prefetch_related(
            "decisions",
            Prefetch("bridge_units", queryset=units_with_parents()),
            Prefetch("participations", queryset=Participation.objects.select_related("person", "organisation")),
            Prefetch(
                "speeches",
                queryset=Speech.objects.select_related("speaker__person", "speaker__organisation").prefetch_related(
                    "criteria"
                ),
            ),
            "conclusions",
            Prefetch(
                "tasks",
                queryset=FollowUpTask.objects.select_related("owner", "conclusion")
                .prefetch_related(Prefetch("communes", queryset=units_with_parents()), "criteria")
                .with_overdue(),
            ),
            "attachments",
        )


def units_with_parents():
    """Administrative units with their parent fetched: what str(unit) ("Xã X, Huyện Y") needs."""
    from divisions.models import AdministrativeUnit

    return AdministrativeUnit.objects.select_related("parent")


class PersonQuerySet(models.QuerySet):
    def with_meeting_count(self):
        """Annotate meeting_count: the meetings this person took part in."""
        from meetings.models import Participation

        return self.annotate(meeting_count=_count_of(Participation, "person"))


class FollowUpTaskQuerySet(models.QuerySet):
    """Questions about follow-up tasks; every method returns a queryset and can be chained.

    Example: every open task of one owner, the overdue ones flagged::

        FollowUpTask.objects.for_owner(org).open().with_overdue().order_by("due_date")
    """

    def open(self):
        """Tasks still to be done (status chưa thực hiện or đang thực hiện), overdue or not."""
        return self.filter(status__in=OPEN_STATUSES)

    def done(self):
        """Tasks marked done (đã hoàn thành)."""
        return self.filter(status=TaskStatus.DONE)

    def cancelled(self):
        return self.filter(status=TaskStatus.CANCELLED)

    def overdue(self, on: datetime.date | None = None):
        """Open tasks whose due date is before `on` (default today). Tasks without a due date never are."""
        return self.filter(_overdue_q(_today(on)))

    def not_overdue(self, on: datetime.date | None = None):
        """The complement of overdue(): done, cancelled, undated, or not yet due."""
        return self.exclude(_overdue_q(_today(on)))

    def with_overdue(self, on: datetime.date | None = None):
        """Annotate is_overdue (bool) as of `on` (default today), and done_late (done after the due date)."""
        return self.annotate(
            is_overdue=Case(
                When(_overdue_q(_today(on)), then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            done_late=Case(
                When(
                    status=TaskStatus.DONE,
                    done_on__isnull=False,
                    due_date__isnull=False,
                    done_on__gt=F("due_date"),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )

    def for_owner(self, organisation, *, include_children: bool = False):
        """Tasks owned by `organisation` (an Organisation or its id); with include_children, also by the
        organisations directly under it (e.g. the chi bộ of a Đảng bộ Khối)."""
        org_id = getattr(organisation, "pk", organisation)
        if include_children:
            return self.filter(Q(owner_id=org_id) | Q(owner__parent_id=org_id))
        return self.filter(owner_id=org_id)

    def for_commune(self, commune):
        """Tasks that name `commune` among their related communes."""
        return self.filter(communes=commune)

    def due_between(self, first: datetime.date, last: datetime.date):
        """Tasks due from `first` to `last`, both included."""
        return self.filter(due_date__gte=first, due_date__lte=last)

    def due_in_month(self, year: int, month: int):
        last_day = calendar.monthrange(year, month)[1]
        return self.due_between(datetime.date(year, month, 1), datetime.date(year, month, last_day))

    def set_at_meetings_between(self, first: datetime.date, last: datetime.date):
        """Tasks set by meetings held from `first` to `last` (by the meeting's local date)."""
        return self.filter(meeting_date__gte=first, meeting_date__lte=last)

    def summary_by_owner(self, on: datetime.date | None = None):
        """One row per owner organisation, as dicts, ordered by owner name::

            {"owner_id", "owner__name", "owner__short_name",
             "total", "open", "overdue", "done", "done_late", "cancelled",
             "next_due",      # earliest due date among its open tasks (None if none is dated)
             "oldest_overdue" # earliest due date among its overdue tasks (None if none)
            }

        Counts follow the queryset it is called on, so filter first:
        ``FollowUpTask.objects.set_at_meetings_between(d1, d2).summary_by_owner(on=d2)``.
        """
        today = _today(on)
        overdue = _overdue_q(today)
        done_late = Q(status=TaskStatus.DONE, done_on__isnull=False, due_date__isnull=False, done_on__gt=F("due_date"))
        return (
            self.order_by()
            .values("owner_id", "owner__name", "owner__short_name")
            .annotate(
                total=Count("pk"),
                open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
                overdue=Count("pk", filter=overdue),
                done=Count("pk", filter=Q(status=TaskStatus.DONE)),
                done_late=Count("pk", filter=done_late),
                cancelled=Count("pk", filter=Q(status=TaskStatus.CANCELLED)),
                next_due=Min("due_date", filter=Q(status__in=OPEN_STATUSES)),
                oldest_overdue=Min("due_date", filter=overdue),
            )
            .order_by("owner__name")
        )

    def totals(self, on: datetime.date | None = None) -> dict:
        """The same counts as summary_by_owner() for the whole queryset, as one dict."""
        today = _today(on)
        return self.aggregate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=_overdue_q(today)),
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
            cancelled=Count("pk", filter=Q(status=TaskStatus.CANCELLED)),
        )
