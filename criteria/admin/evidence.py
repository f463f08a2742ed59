"""Evidence (minh chứng) of a commune-year's criteria: an inline on the commune-year page, a list, downloads.

Files are checked by content and size (criteria.evidence) and downloaded only through
`<id>/download/`, which goes through the admin's scope like every other page.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from criteria.evidence import stamp_upload
from criteria.models import Criterion, Evidence
from ntm_site.admin import TrackedAdmin


class KeptFile:
    """The file an evidence row keeps, as the file widget shows it: the clerk's own file name, linked to the
    download view (the stored name means nothing to them, and media files are not served directly)."""

    def __init__(self, obj):
        self.url = reverse("admin:criteria_evidence_download", args=[obj.pk])
        self.name = obj.file_name or obj.file.name

    def __str__(self):
        return self.name


class EvidenceFileInput(forms.ClearableFileInput):
    def __init__(self, kept=None, attrs=None):
        super().__init__(attrs)
        self.kept = kept

    def format_value(self, value):
        value = super().format_value(value)
        return self.kept if value is not None and self.kept is not None else value


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["commune_year", "criterion", "file", "note"]
        # A line of the commune-year page: a short note keeps the evidence table inside the page.
        widgets = {"note": forms.Textarea(attrs={"rows": 2, "cols": 20})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields and self.instance.pk and self.instance.file:
            self.fields["file"].widget = EvidenceFileInput(kept=KeptFile(self.instance))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the file already kept
            stamp_upload(self.instance, upload)
        return upload


def download_link(obj):
    if not obj or not obj.pk or not obj.file:
        return "—"
    url = reverse("admin:criteria_evidence_download", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj.file_name or _("tải về"))


def _file_column(fields, editable):
    """One column for the file: the file input (which names the kept file, see EvidenceFileInput) where it
    may change, else "tệp đã lưu"; never the stored name linked to a media address that is not served."""
    return [f for f in fields if f != ("download" if editable else "file")]


class EvidenceInline(admin.TabularInline):
    """Evidence on the commune-year page: criterion, file or note; who attached it is filled in."""

    model = Evidence
    form = EvidenceForm
    fields = ["criterion", "file", "note", "download", "attached_by", "attached_at"]
    readonly_fields = ["download", "attached_by", "attached_at"]
    extra = 0
    verbose_name = _("minh chứng")
    verbose_name_plural = _("minh chứng theo tiêu chí")

    @admin.display(description=_("tệp đã lưu"))
    def download(self, obj):
        return download_link(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion", "attached_by")

    def get_fields(self, request, obj=None):
        return _file_column(super().get_fields(request, obj), self.has_change_permission(request, obj))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and "criterion" in formset.form.base_fields:
            formset.form.base_fields["criterion"].queryset = Criterion.objects.filter(
                criteria_set_id=obj.criteria_set_id
            ).order_by("number")
        return formset


@admin.register(Evidence)
class EvidenceAdmin(TrackedAdmin):
    form = EvidenceForm
    list_display = ["commune_year", "criterion", "file_name", "note", "attached_by", "attached_at"]
    list_select_related = ["commune_year__commune", "criterion", "attached_by"]
    search_fields = ["commune_year__commune__search_key", "file_name", "note"]
    autocomplete_fields = ["commune_year", "criterion"]
    fields = ["commune_year", "criterion", "file", "note", "download", "attached_by", "attached_at"]
    readonly_fields = ["download", "attached_by", "attached_at"]
    ordering = ["-attached_at"]

    @admin.display(description=_("tệp đã lưu"))
    def download(self, obj):
        return download_link(obj)

    def get_fields(self, request, obj=None):
        return _file_column(super().get_fields(request, obj), self.has_change_permission(request, obj))

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.attached_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        view = self.admin_site.admin_view(self.download_view)
        return [path("<path:object_id>/download/", view, name="criteria_evidence_download"), *super().get_urls()]

    def download_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not obj.file:
            raise Http404(_("Không có tệp minh chứng này."))
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        content_type = obj.content_type or "application/octet-stream"
        return FileResponse(
            obj.file.open("rb"), as_attachment=True, filename=obj.file_name or "minh-chung", content_type=content_type
        )
