"""Base admin classes: history everywhere, diacritics-free search."""

from django.contrib.admin import ShowFacets
from django.db.models import Case, IntegerField, Value, When
from simple_history.admin import SimpleHistoryAdmin

from ntm_site.accounts.admin_mixins import GuardedAdminMixin
from ntm_site.forms import VIETNAMESE_NUMBERS, grouped_choices
from ntm_site.history_display import WordsHistoryHelper
from ntm_site.pagination import EstimatedCountPaginator
from ntm_site.text import search_words


class TrackedAdmin(GuardedAdminMixin, SimpleHistoryAdmin):
    """Admin of a TrackedModel: a history button on every change page.

    GuardedAdminMixin (ntm_site.accounts) keeps every admin inside the user's scope, makes
    approved commune-years read-only, refuses a save over someone else's newer save, explains
    protected deletes and lets a coordinator restore deleted rows.
    """

    list_per_page = 50
    # National tables hold millions of rows: no second count of the whole table, no exact count past
    # 10,000 rows (ntm_site.pagination), no per-choice counts of the filters (facets).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    show_facets = ShowFacets.NEVER
    # Money and quantities typed and shown as 10.000.000 and 7,5 (ntm_site.forms), in this admin and its inlines.
    formfield_overrides = VIETNAMESE_NUMBERS

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Criteria of several sets listed under their set (ntm_site.forms.grouped_choices).
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is None or db_field.name in self.get_autocomplete_fields(request):
            return formfield
        return grouped_choices(formfield)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is None or db_field.name in self.get_autocomplete_fields(request):
            return formfield
        return grouped_choices(formfield)

    def get_historical_record_context_helper(self, request, historical_record):
        # History pages in words: labels of choices, local times, "(trống)" (ntm_site.history_display).
        return WordsHistoryHelper(self.model, historical_record)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            for db_field, overrides in VIETNAMESE_NUMBERS.items():
                inline.formfield_overrides.setdefault(db_field, {}).update(overrides)
        return inlines


def folded_search(queryset, term: str, field: str = "search_key"):
    """Rows whose folded search column holds every word of `term` at a word start.

    Rows holding the whole phrase in order rank first (annotation `search_rank`),
    so "dong ha" lists "Thành phố Đông Hà" before "Phường Đồng Xuân, … Hà Nội".
    """
    words = search_words(term)
    if not words:
        return queryset
    for word in words:
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset.annotate(
        search_rank=Case(
            When(**{f"{field}__contains": "".join(words)}, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


class FoldedSearchMixin:
    """Search a stored diacritics-free column (see ntm_site.text.search_key).

    Used by the changelist search box and by every autocomplete pointing here.
    """

    folded_search_field = "search_key"

    def get_search_results(self, request, queryset, search_term):
        qs = folded_search(queryset, search_term, self.folded_search_field)
        if search_words(search_term):
            # The changelist and the autocomplete have ordered the rows already: phrase matches go first.
            qs = qs.order_by("-search_rank", *(queryset.query.order_by or self.get_ordering(request) or ["pk"]))
        elif not qs.ordered:
            # A count annotation drops Meta.ordering: an autocomplete pages through the rows, so give it back.
            qs = qs.order_by(*(self.get_ordering(request) or self.model._meta.ordering or ()), "pk")
        return qs, False


def _register_import_batches():
    """The spreadsheet engine's log of imports (ntm_site.ImportBatch), read-only."""
    from django.contrib import admin

    from ntm_site.models import ImportBatch
    from ntm_site.spreadsheets.admin import ImportBatchAdmin

    admin.site.register(ImportBatch, ImportBatchAdmin)


_register_import_batches()
