from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from divisions.dossier import CommuneFilter
from meetings.admin.filters import DueMonthFilter, OpenFilter, OverdueFilter, TaskOwnerFilter
from meetings.admin.widgets import CachedAutocompleteMixin
from meetings.models import FollowUpTask
from meetings.resources import FollowUpTaskResource
from meetings.services import task_mark_done
from ntm_site.admin import TrackedAdmin
from ntm_site.spreadsheets.admin import WorkbookImportExportMixin


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(WorkbookImportExportMixin, CachedAutocompleteMixin, TrackedAdmin):
    """Every follow-up task; filter by owner, status, overdue, due month; export the list to Excel."""

    resource_classes = [FollowUpTaskResource]
    list_display = ["short_text", "owner", "meeting_day", "due_date", "status", "overdue", "done_on", "meeting"]
    list_display_links = ["short_text"]
    list_filter = [TaskOwnerFilter, "status", OpenFilter, OverdueFilter, DueMonthFilter, CommuneFilter.on("communes")]
    list_select_related = ["owner", "meeting"]
    search_fields = ["text", "owner__name", "owner__short_name", "meeting__code"]
    autocomplete_fields = ["meeting", "owner", "communes", "criteria"]
    fields = [
        "meeting",
        ("order", "conclusion"),
        "text",
        ("owner", "due_date"),
        ("communes", "criteria"),
        ("status", "done_on"),
        "result",
    ]
    actions = ["mark_done_today"]
    ordering = ["due_date", "meeting_date", "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_overdue()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            from django.db.models import prefetch_related_objects

            prefetch_related_objects([obj], "meeting", "owner", "communes__parent", "criteria")
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "conclusion":
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            queryset = db_field.remote_field.model.objects.none()
            if object_id and str(object_id).isdigit():
                queryset = db_field.remote_field.model.objects.filter(meeting__tasks__pk=object_id)
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("nội dung nhiệm vụ"), ordering="text")
    def short_text(self, obj):
        return str(obj)

    @admin.display(description=_("ngày giao"), ordering="meeting_date")
    def meeting_day(self, obj):
        return obj.meeting_date.strftime("%d/%m/%Y")

    @admin.display(description=_("quá hạn"), boolean=True, ordering="is_overdue")
    def overdue(self, obj):
        return obj.is_overdue

    @admin.action(description=_("Đánh dấu đã hoàn thành hôm nay"), permissions=["change"])
    def mark_done_today(self, request, queryset):
        done, refused = 0, []
        for task in queryset.open():
            try:
                task_mark_done(task=task, user=request.user)
                done += 1
            except ValidationError as e:
                refused.append(f"{task}: {' '.join(e.messages)}")
        if done:
            self.message_user(
                request,
                ngettext("Đã đánh dấu %(n)d nhiệm vụ hoàn thành.", "Đã đánh dấu %(n)d nhiệm vụ hoàn thành.", done)
                % {"n": done},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, line, messages.ERROR)
