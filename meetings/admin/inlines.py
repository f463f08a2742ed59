"""The inlines that make the meeting page read as the minutes."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from criteria.models import Criterion
from meetings.admin.forms import (
    ConclusionFormSet,
    MinutesFormSet,
    ParticipationFormSet,
    SpeechFormSet,
    TaskFormSet,
)
from meetings.admin.widgets import CachedAutocompleteMixin
from meetings.models import Conclusion, FollowUpTask, MeetingAttachment, Participation, Speech
from meetings.querysets import units_with_parents

# The criteria a speech or task names, with the set their label prints: one query, not two.
CRITERIA_WITH_SETS = Criterion.objects.select_related("criteria_set")
SHORT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}}


class ParticipationInline(CachedAutocompleteMixin, admin.TabularInline):
    model = Participation
    formset = ParticipationFormSet
    fields = ["order", "role", "person", "position", "organisation", "organisation_name"]
    autocomplete_fields = ["person", "organisation"]
    extra = 3
    verbose_name = _("người dự")
    verbose_name_plural = _("I. Thành phần dự họp")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "organisation")


class SpeechInline(CachedAutocompleteMixin, admin.TabularInline):
    model = Speech
    formset = SpeechFormSet
    fields = ["order", "kind", "speaker", "topic", "summary", "criteria"]
    autocomplete_fields = ["criteria"]
    formfield_overrides = SHORT_TEXT
    extra = 2
    verbose_name = _("ý kiến")
    verbose_name_plural = _("II. Diễn biến: báo cáo, tham luận, phát biểu (theo thứ tự)")

    def get_queryset(self, request):
        # A reader without the right to change sees each speaker as text (name – position, organisation).
        return (
            super()
            .get_queryset(request)
            .select_related("speaker__person", "speaker__organisation")
            .prefetch_related(models.Prefetch("criteria", queryset=CRITERIA_WITH_SETS))
        )


class ConclusionInline(admin.TabularInline):
    model = Conclusion
    formset = ConclusionFormSet
    fields = ["order", "text"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 110})}}
    extra = 1
    verbose_name = _("điểm kết luận")
    verbose_name_plural = _("III. Kết luận")


class TaskInline(CachedAutocompleteMixin, admin.StackedInline):
    model = FollowUpTask
    formset = TaskFormSet
    fields = [
        ("order", "conclusion"),
        "text",
        ("owner", "due_date"),
        ("communes", "criteria"),
        ("status", "done_on"),
        "result",
    ]
    autocomplete_fields = ["owner", "communes", "criteria"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 90})}}
    extra = 1
    verbose_name = _("nhiệm vụ")
    verbose_name_plural = _("IV. Nhiệm vụ giao sau hội nghị")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("owner", "conclusion")
            .prefetch_related(
                models.Prefetch("communes", queryset=units_with_parents()),
                models.Prefetch("criteria", queryset=CRITERIA_WITH_SETS),
            )
        )


class AttachmentInline(admin.TabularInline):
    model = MeetingAttachment
    formset = MinutesFormSet
    fields = ["title", "file"]
    extra = 0
    verbose_name_plural = _("V. Tài liệu kèm theo")
