import datetime

from django.contrib import admin
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from divisions.choices import UnitLevel
from divisions.models import AdministrativeUnit, UnitSuccession
from divisions.resources import AdministrativeUnitResource
from ntm_site.admin import FoldedSearchMixin, TrackedAdmin
from ntm_site.spreadsheets.admin import WorkbookImportExportMixin


class ProvinceFilter(admin.SimpleListFilter):
    """Provinces of both editions: a small table, never a DISTINCT over units."""

    title = _("tỉnh/thành phố")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        qs = AdministrativeUnit.objects.provinces().order_by("name", "valid_from")
        return [(u.pk, f"{u.name} ({u.get_edition_display()})") for u in qs]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(province_id=self.value())
        return queryset


class DistrictFilter(admin.SimpleListFilter):
    """Districts of the chosen province (shown once a province is chosen)."""

    title = _("quận/huyện")
    parameter_name = "district"

    def lookups(self, request, model_admin):
        province = request.GET.get("province")
        if not province or not province.isdigit():
            return []
        qs = AdministrativeUnit.objects.districts().filter(province_id=province).order_by("name")
        return [(u.pk, u.name) for u in qs]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(parent_id=self.value())
        return queryset


class ValidOnFilter(admin.SimpleListFilter):
    """Units that existed on a date; the common dates are offered, any ISO date works in the URL."""

    title = _("còn hiệu lực vào ngày")
    parameter_name = "valid_on"

    def lookups(self, request, model_admin):
        today = datetime.date.today()
        days = [today, datetime.date(2025, 6, 30), datetime.date(2020, 1, 1), datetime.date(2016, 1, 1)]
        return [(d.isoformat(), date_format(d, "SHORT_DATE_FORMAT")) for d in days]

    def queryset(self, request, queryset):
        day = parse_date(self.value() or "")
        if day:
            return queryset.valid_on(day)
        return queryset


class ChildrenInline(admin.TabularInline):
    model = AdministrativeUnit
    fk_name = "parent"
    fields = ["code", "name", "kind", "valid_from", "valid_to"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("đơn vị trực thuộc")
    verbose_name_plural = _("đơn vị trực thuộc")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Each row's name prints its parent (the page's unit): joined, not fetched once per row.
        return super().get_queryset(request).select_related("parent")


class PredecessorInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "successor"
    fields = ["predecessor", "effective_date", "is_main"]
    autocomplete_fields = ["predecessor"]
    extra = 0
    verbose_name = _("hình thành từ đơn vị")
    verbose_name_plural = _("hình thành từ các đơn vị")


class SuccessorInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "predecessor"
    fields = ["successor", "effective_date", "is_main"]
    autocomplete_fields = ["successor"]
    extra = 0
    verbose_name = _("trở thành đơn vị")
    verbose_name_plural = _("trở thành các đơn vị")


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(WorkbookImportExportMixin, FoldedSearchMixin, TrackedAdmin):
    resource_classes = [AdministrativeUnitResource]
    list_display = ["code", "name", "kind", "parent", "province", "edition", "valid_from", "valid_to"]
    list_display_links = ["code", "name"]
    list_filter = [ProvinceFilter, DistrictFilter, "level", "kind", "edition", ValidOnFilter]
    list_select_related = ["parent__parent", "province"]
    search_fields = ["search_key"]
    search_help_text = _("Gõ tên có dấu hoặc không dấu (ví dụ “huong lien”), hoặc mã đơn vị.")
    autocomplete_fields = ["parent"]
    readonly_fields = ["province", "search_key"]
    fields = ["code", "name", "kind", "level", "parent", "province", "edition", "valid_from", "valid_to", "search_key"]
    inlines = [ChildrenInline, PredecessorInline, SuccessorInline]
    ordering = ["code", "valid_from"]

    def get_queryset(self, request):
        # A unit's name shows its parent's (str): autocompletes pointing here read both in one query. (The
        # changelist skips list_select_related when the queryset selects related rows already: same list.)
        return super().get_queryset(request).select_related(*self.list_select_related)

    def get_inlines(self, request, obj):
        # Communes have no children; a new unit has nothing to show yet.
        if obj is None:
            return []
        if obj.level == UnitLevel.COMMUNE:
            return [PredecessorInline, SuccessorInline]
        return self.inlines


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(TrackedAdmin):
    list_display = ["predecessor", "successor", "effective_date", "is_main"]
    list_select_related = ["predecessor__parent", "successor__parent"]
    list_filter = ["is_main", "effective_date"]
    autocomplete_fields = ["predecessor", "successor"]
    search_fields = ["predecessor__search_key", "successor__search_key"]
