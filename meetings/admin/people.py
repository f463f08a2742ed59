from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from meetings.models import Participation, Person
from ntm_site.admin import FoldedSearchMixin, TrackedAdmin


class AttendedMeetingsInline(admin.TabularInline):
    """Every meeting the person attended, newest first, with the post they held at the time."""

    model = Participation
    fk_name = "person"
    fields = ["meeting_day", "meeting", "role", "position", "organisation_held"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("hội nghị đã dự")
    verbose_name_plural = _("Các hội nghị đã dự (chức vụ lúc dự họp)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("meeting", "organisation").order_by("-meeting__start", "order")
        )

    @admin.display(description=_("ngày họp"))
    def meeting_day(self, obj):
        return obj.meeting.local_date.strftime("%d/%m/%Y")

    @admin.display(description=_("cơ quan, đơn vị lúc đó"))
    def organisation_held(self, obj):
        return obj.organisation_label


@admin.register(Person)
class PersonAdmin(FoldedSearchMixin, TrackedAdmin):
    list_display = ["name", "note", "meeting_count"]
    search_fields = ["search_key"]
    search_help_text = _("Gõ họ tên có dấu hoặc không dấu.")
    fields = ["name", "note"]
    inlines = [AttendedMeetingsInline]
    ordering = ["name", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_meeting_count()

    @admin.display(description=_("số hội nghị đã dự"), ordering="meeting_count")
    def meeting_count(self, obj):
        return obj.meeting_count
