"""List filters of the meetings admin: fixed choices or small tables, never a DISTINCT over a big one.

Organisations are those the user may read (ntm_site.accounts.scope).
"""

import datetime

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from divisions.dossier import CommuneFilter
from meetings.choices import OPEN_STATUSES
from meetings.models import FollowUpTask, Meeting
from ntm_site.accounts.scope import restrict
from sponsorship.models import Organisation

# A sidebar of thousands of organisations (the whole country's) is neither readable nor cheap to render:
# past this many the filter is left out and the search box (organisation names) does the job.
FEW = 200


def few_choices(pairs) -> list[tuple[str, str]]:
    """(pk, label) choices of a filter, or none when there are more than FEW."""
    rows = list(pairs[: FEW + 1])
    return [] if len(rows) > FEW else [(str(pk), label) for pk, label in rows]


class TaskOwnerFilter(admin.SimpleListFilter):
    """Organisations that own at least one task (an EXISTS per organisation, not a scan of tasks)."""

    title = _("đơn vị thực hiện")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        owners = Organisation.objects.filter(Exists(FollowUpTask.objects.filter(owner=OuterRef("pk"))))
        return few_choices(restrict(owners, request.user).order_by("name").values_list("pk", "name"))

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.for_owner(int(value))
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    """Overdue as of today: computed in the query, never stored."""

    title = _("quá hạn")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Quá hạn (chưa xong, đã qua hạn)")), ("no", _("Không quá hạn"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.not_overdue()
        return queryset


class OpenFilter(admin.SimpleListFilter):
    title = _("còn phải làm")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("Chưa xong")), ("no", _("Đã xong hoặc không thực hiện"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.open()
        if self.value() == "no":
            return queryset.exclude(status__in=OPEN_STATUSES)
        return queryset


class DueMonthFilter(admin.SimpleListFilter):
    """The months tasks fall due in (the task table is small: hundreds of rows a year).

    Any month works in the URL as ?due_month=2016-09.
    """

    title = _("hạn hoàn thành (tháng)")
    parameter_name = "due_month"
    NONE = "none"

    def lookups(self, request, model_admin):
        months = FollowUpTask.objects.filter(due_date__isnull=False).dates("due_date", "month", order="DESC")
        choices = [(f"{m:%Y-%m}", f"{m:%m/%Y}") for m in months]
        return [*choices, (self.NONE, _("Không có hạn (thường xuyên)"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.NONE:
            return queryset.filter(due_date__isnull=True)
        if value:
            try:
                month = datetime.datetime.strptime(value, "%Y-%m").date()
            except ValueError:
                return queryset.none()
            return queryset.due_in_month(month.year, month.month)
        return queryset


class MeetingYearFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Meeting.objects.dates("start", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.in_year(int(value))
        return queryset


class OrganiserFilter(admin.SimpleListFilter):
    title = _("cơ quan tổ chức")
    parameter_name = "organiser"

    def lookups(self, request, model_admin):
        organisers = Organisation.objects.filter(Exists(Meeting.objects.filter(organiser=OuterRef("pk"))))
        return few_choices(restrict(organisers, request.user).order_by("name").values_list("pk", "name"))

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(organiser_id=int(value))
        return queryset


class MeetingCommuneFilter(CommuneFilter):
    """The meetings that name one commune (its dossier's link): a bridge point there, or a task concerning it."""

    def filter_commune(self, queryset, pk):
        return queryset.naming(pk)
