"""A test admin site: plain TrackedAdmins over the criteria and sponsorship models.

The scope is enforced by TrackedAdmin itself, so these admins declare nothing about it; the
apps' real admins (once merged) are checked the same way by test_every_admin.py.
"""

from django.contrib import admin
from django.urls import path

from criteria.models import Assessment, Criterion
from divisions.admin import AdministrativeUnitAdmin
from divisions.models import AdministrativeUnit
from ntm_site.admin import FoldedSearchMixin, TrackedAdmin
from sponsorship.models import Activity, Assignment, Decision, Organisation, Proposal, SupportCategory, SupportRecord

site = admin.AdminSite(name="scopetest")
site.register(AdministrativeUnit, AdministrativeUnitAdmin)


@admin.register(Criterion, site=site)
class CriterionAdmin(TrackedAdmin):
    search_fields = ["name"]


@admin.register(SupportCategory, site=site)
class SupportCategoryAdmin(TrackedAdmin):
    search_fields = ["name"]


@admin.register(Organisation, site=site)
class OrganisationAdmin(FoldedSearchMixin, TrackedAdmin):
    search_fields = ["search_key"]
    fields = ["name", "short_name", "kind", "home_unit"]
    autocomplete_fields = ["home_unit"]


@admin.register(Decision, site=site)
class DecisionAdmin(TrackedAdmin):
    search_fields = ["symbol"]
    exclude = ["file"]


@admin.register(Assignment, site=site)
class AssignmentAdmin(TrackedAdmin):
    search_fields = ["organisation__name", "commune__search_key"]
    autocomplete_fields = ["decision", "organisation", "commune"]
    list_display = ["__str__", "role"]


@admin.register(SupportRecord, site=site)
class SupportRecordAdmin(TrackedAdmin):
    list_display = ["__str__", "value_vnd"]
    list_editable = ["value_vnd"]
    autocomplete_fields = ["assignment", "category", "criterion"]
    fields = ["assignment", "date", "category", "quantity", "unit", "value_vnd", "description"]


class ProposalInline(admin.TabularInline):
    model = Proposal
    fields = ["text", "addressee", "resolved"]
    extra = 0


@admin.register(Activity, site=site)
class ActivityAdmin(TrackedAdmin):
    fields = ["assignment", "kind", "date", "summary"]
    inlines = [ProposalInline]


@admin.register(Assessment, site=site)
class AssessmentAdmin(TrackedAdmin):
    list_display = ["__str__", "status"]
    autocomplete_fields = ["commune", "criterion"]
    fields = ["commune", "criterion", "year", "status", "note"]


urlpatterns = [path("admin/", site.urls)]
