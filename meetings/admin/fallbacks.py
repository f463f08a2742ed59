"""Stop-gap admins for the models other apps own, so this app's autocompletes work on their own.

Each is registered only if the owning app has not registered an admin already (apps
load in INSTALLED_APPS order: sponsorship and criteria before meetings). Once those
apps ship their own admins with search_fields, nothing here is registered.
"""

from django.contrib import admin

from criteria.models import Criterion
from ntm_site.admin import FoldedSearchMixin, TrackedAdmin
from sponsorship.models import Decision, Organisation


class _OrganisationAdmin(FoldedSearchMixin, TrackedAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_select_related = ["parent"]
    search_fields = ["search_key"]
    autocomplete_fields = ["parent", "home_unit"]


class _DecisionAdmin(TrackedAdmin):
    list_display = ["symbol", "document_type", "issuer", "issued_on", "title"]
    search_fields = ["symbol", "title", "issuer"]
    autocomplete_fields = ["province", "amends"]


class _CriterionAdmin(TrackedAdmin):
    list_display = ["number", "name", "criteria_set"]
    list_select_related = ["criteria_set"]
    list_filter = ["criteria_set"]
    search_fields = ["name", "=number", "criteria_set__code"]


_FALLBACKS = ((Organisation, _OrganisationAdmin), (Decision, _DecisionAdmin), (Criterion, _CriterionAdmin))
for _model, _admin_class in _FALLBACKS:
    if not admin.site.is_registered(_model):
        admin.site.register(_model, _admin_class)
