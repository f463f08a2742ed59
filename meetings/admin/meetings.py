from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from meetings.admin.filters import MeetingCommuneFilter, MeetingYearFilter, OrganiserFilter
from meetings.admin.forms import MeetingForm
from meetings.admin.inlines import (
    AttachmentInline,
    ConclusionInline,
    ParticipationInline,
    SpeechInline,
    TaskInline,
)
from meetings.admin.widgets import CachedAutocompleteMixin
from meetings.choices import CHAIR_ROLES, ParticipationRole
from meetings.jobs import queue_minutes_import
from meetings.models import Meeting
from meetings.querysets import units_with_parents
from meetings.resources import MINUTES_SHEETS, MeetingResource, minutes_template
from meetings.services import meeting_sync_task_dates, minutes_workbook_import
from ntm_site import jobs
from ntm_site.admin import FoldedSearchMixin, TrackedAdmin
from ntm_site.spreadsheets.admin import (
    ERRORS_ON_PAGE,
    WorkbookConfirmForm,
    WorkbookImportExportMixin,
    WorkbookUploadForm,
)
from ntm_site.spreadsheets.storage import DatabaseStorage
from ntm_site.spreadsheets.workbooks import XLSX_CONTENT_TYPE
from sponsorship.choices import OrganisationKind

# Party bodies head their minutes "ĐẢNG CỘNG SẢN VIỆT NAM"; everyone else the national motto.
PARTY_KINDS = {OrganisationKind.PARTY_BODY, OrganisationKind.PARTY_ORGANISATION}
ATTENDING_ROLES = (ParticipationRole.ATTENDEE, ParticipationRole.REPORTER)


@admin.register(Meeting)
class MeetingAdmin(WorkbookImportExportMixin, CachedAutocompleteMixin, FoldedSearchMixin, TrackedAdmin):
    """The minutes page; its import reads the whole minutes workbook (every sheet), its export lists meetings."""

    form = MeetingForm
    resource_classes = [MeetingResource]
    list_display = [
        "day",
        "title",
        "kind",
        "organiser",
        "is_online",
        "participant_count",
        "speech_count",
        "open_tasks",
        "print_link",
    ]
    list_display_links = ["day", "title"]
    list_filter = ["kind", "is_online", MeetingYearFilter, OrganiserFilter, MeetingCommuneFilter]
    list_select_related = ["organiser"]
    search_fields = ["search_key"]
    search_help_text = _("Tìm theo tên hội nghị, địa điểm hoặc mã (có dấu hoặc không dấu).")
    autocomplete_fields = ["organiser", "decisions", "bridge_units"]
    fieldsets = [
        (None, {"fields": ["title", ("kind", "code"), ("start", "place"), ("organiser", "organiser_name")]}),
        (_("Hình thức trực tuyến"), {"fields": [("is_online", "bridge_point_count"), "bridge_units"]}),
        (_("Văn bản và kỳ đánh giá"), {"fields": ["decisions", ("period_from", "period_to")]}),
        (_("Tóm tắt"), {"fields": ["summary"]}),
    ]
    inlines = [ParticipationInline, SpeechInline, ConclusionInline, TaskInline, AttachmentInline]
    ordering = ["-start"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # The change page labels the organiser, decisions and bridge units: fetch them once.
            units = Prefetch("bridge_units", queryset=units_with_parents())
            prefetch_related_objects([obj], "organiser", "decisions", units)
        return obj

    @admin.display(description=_("ngày họp"), ordering="start")
    def day(self, obj):
        return obj.local_date.strftime("%d/%m/%Y")

    @admin.display(description=_("số người dự"), ordering="participant_count")
    def participant_count(self, obj):
        return obj.participant_count

    @admin.display(description=_("số ý kiến"), ordering="speech_count")
    def speech_count(self, obj):
        return obj.speech_count

    @admin.display(description=_("nhiệm vụ chưa xong"), ordering="open_task_count")
    def open_tasks(self, obj):
        return f"{obj.open_task_count}/{obj.task_count}"

    @admin.display(description=_("biên bản"))
    def print_link(self, obj):
        return format_html(
            '<a href="{}" target="_blank">{}</a>', reverse("admin:meetings_meeting_print", args=[obj.pk]), _("In")
        )

    # --- saving ------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        # The tasks are saved (and checked against the new date) with the inlines; the
        # meeting's day is copied onto them once they are all in (save_related).
        obj.save(sync_tasks=False)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        meeting_sync_task_dates(meeting=form.instance)

    # --- the printable minutes ---------------------------------------------------------

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/print/",
                self.admin_site.admin_view(self.print_view),
                name="meetings_meeting_print",
            ),
        ]
        return urls + super().get_urls()

    def print_view(self, request, object_id):
        """The minutes of one meeting on A4, without the admin's chrome, ready for the browser's Print."""
        meeting = Meeting.objects.for_minutes().filter(pk=object_id).first() if str(object_id).isdigit() else None
        if meeting is None:
            raise Http404(_("Không có hội nghị này."))
        if not self.has_view_permission(request, meeting):
            raise PermissionDenied
        participations = list(meeting.participations.all())
        context = {
            "meeting": meeting,
            "chairs": [p for p in participations if p.role in CHAIR_ROLES],
            "attendees": [p for p in participations if p.role in ATTENDING_ROLES],
            "secretaries": [p for p in participations if p.role == ParticipationRole.SECRETARY],
            "is_party_body": meeting.organiser.kind in PARTY_KINDS,
            "speeches": list(meeting.speeches.all()),
            "conclusions": list(meeting.conclusions.all()),
            "tasks": list(meeting.tasks.all()),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "meetings/minutes_print.html", context)

    # --- the minutes workbook: every sheet in one import ---------------------------------
    # The engine's mixin imports one sheet through one resource; these three views run
    # the minutes service instead, on the engine's own forms, storage and templates.

    import_template_name = "admin/meetings/meeting/minutes_import.html"

    def template_view(self, request):
        if not (self.has_import_permission(request) or self.has_view_permission(request)):
            raise PermissionDenied
        response = HttpResponse(minutes_template(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="bieu_mau_bien_ban_hoi_nghi.xlsx"'
        return response

    def _minutes_context(self, request, **extra):
        context = self._context(request, fields_list=self._resource_columns(MINUTES_SHEETS), **extra)
        context["title"] = _("Nhập biên bản hội nghị từ Excel")
        report = extra.get("report")
        if report is not None:
            context["errors"] = report.errors[:ERRORS_ON_PAGE]
            context["sheet_results"] = report.sheets
        return context

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = WorkbookUploadForm(request.POST or None, request.FILES or None, resources=self.resource_classes)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            data = b"".join(upload.chunks())
            report = minutes_workbook_import(file=data, user=request.user, dry_run=True, file_name=upload.name)
            context = self._minutes_context(request, form=form, report=report)
            if report.ok:
                storage = DatabaseStorage(read_mode="rb")
                storage.save(data)
                context["confirm_form"] = WorkbookConfirmForm(
                    initial={"import_file_name": storage.name, "original_file_name": upload.name, "resource": 0}
                )
            elif report.errors:
                context["error_file_url"] = self._store_error_workbook(data, report)
        else:
            context = self._minutes_context(request, form=form)
        return TemplateResponse(request, [self.import_template_name], context)

    def _process_import(self, request, **kwargs):
        """The confirm: the previewed workbook becomes a background job (meetings.jobs), imported once."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = WorkbookConfirmForm(request.POST)
        import_url = reverse("admin:meetings_meeting_import")
        if not form.is_valid():
            return HttpResponseRedirect(import_url)
        name = form.cleaned_data["import_file_name"]
        # The upload taken and the job recorded in one transaction: a second confirm of the same preview waits
        # for this one, then finds the job (WorkbookImportExportMixin._already_confirmed).
        with transaction.atomic(using=router.db_for_write(self.model)):
            data = DatabaseStorage(name=name, read_mode="rb").take()
            if data is not None:
                job = queue_minutes_import(
                    data=data,
                    upload_name=name,
                    file_name=form.cleaned_data.get("original_file_name") or "",
                    user=request.user,
                    back_url=reverse("admin:meetings_meeting_changelist"),
                )
        if data is None:
            return self._already_confirmed(request, name, import_url)
        return HttpResponseRedirect(jobs.page_url(job))
