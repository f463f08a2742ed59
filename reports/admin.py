from django import forms
from django.contrib import admin
from django.db import models
from django.forms import CheckboxSelectMultiple
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ntm_site.admin import TrackedAdmin
from reports import registry
from reports.models import SavedFilter


@admin.register(SavedFilter)
class SavedFilterAdmin(TrackedAdmin):
    """Clerks save filters from the report pages; here they rename, share or delete them."""

    list_display = ["name", "report_title", "owner", "shared_groups", "open_link", "created_at"]
    list_filter = ["report"]
    list_select_related = ["owner"]
    search_fields = ["name"]
    fields = ["name", "report", "params", "shared_with", "owner", "created_at"]
    readonly_fields = ["owner", "created_at"]
    # A handful of groups: ticked, not picked with Ctrl-click.
    formfield_overrides = {
        **TrackedAdmin.formfield_overrides,
        models.ManyToManyField: {"widget": CheckboxSelectMultiple},
    }

    def get_queryset(self, request):
        qs = super().get_queryset(request).prefetch_related("shared_with")
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=SavedFilter.objects.visible_to(request.user).values("pk"))

    def has_change_permission(self, request, obj=None):
        # Shared filters are read-only for everyone but their owner.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.owner_id == request.user.pk or request.user.is_superuser)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.owner_id == request.user.pk or request.user.is_superuser)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "shared_with" in form.base_fields and not request.user.is_superuser:
            form.base_fields["shared_with"].queryset = request.user.groups.all()
        if "report" in form.base_fields:
            form.base_fields["report"] = forms.ChoiceField(
                label=SavedFilter._meta.get_field("report").verbose_name,
                choices=[(r.slug, r.title) for r in registry.all_reports()],
            )
        return form

    @admin.display(description=_("báo cáo"), ordering="report")
    def report_title(self, obj):
        try:
            return registry.get(obj.report).title
        except KeyError:
            return obj.report

    @admin.display(description=_("chia sẻ với nhóm"))
    def shared_groups(self, obj):
        return ", ".join(g.name for g in obj.shared_with.all())

    @admin.display(description=_("mở"))
    def open_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Mở báo cáo"))
