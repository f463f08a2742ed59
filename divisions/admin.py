import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from divisions import dossier, moves
from divisions.choices import Edition, UnitLevel
from divisions.models import AdministrativeUnit, UnitSuccession
from divisions.resources import AdministrativeUnitResource
from ntm_site.accounts import scope
from ntm_site.accounts.choices import Role
from ntm_site.admin import FoldedSearchMixin, TrackedAdmin
from ntm_site.spreadsheets.admin import WorkbookImportExportMixin


class ProvinceFilter(admin.SimpleListFilter):
    """Provinces of the edition chosen in the edition filter (else of today's map): 34, not 97 at once."""

    title = _("tỉnh/thành phố")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        edition = request.GET.get("edition__exact") or Edition.REFORM_2025
        qs = AdministrativeUnit.objects.provinces().filter(edition=edition).order_by("name", "valid_from")
        return [(u.pk, u.validity_label()) for u in qs]

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


class LineageCommuneFilter(dossier.CommuneFilter):
    """The lineage lines of one commune, either side (the dossier's link)."""

    def filter_commune(self, queryset, pk):
        return queryset.filter(Q(predecessor=pk) | Q(successor=pk))


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(WorkbookImportExportMixin, FoldedSearchMixin, TrackedAdmin):
    resource_classes = [AdministrativeUnitResource]
    list_display = ["code", "name", "kind", "parent", "province", "edition", "valid_from", "valid_to"]
    list_display_links = ["code", "name"]
    # The edition first: the province filter lists the provinces of the chosen edition (today's by default).
    list_filter = ["edition", ProvinceFilter, DistrictFilter, "level", "kind", ValidOnFilter]
    list_select_related = ["parent__parent", "province"]
    search_fields = ["search_key"]
    search_help_text = _("Gõ tên có dấu hoặc không dấu (ví dụ “huong lien”), hoặc mã đơn vị.")
    autocomplete_fields = ["parent"]
    # The search key is machinery (what the search box reads): no clerk needs to see it.
    readonly_fields = ["province"]
    fields = ["code", "name", "kind", "level", "parent", "province", "edition", "valid_from", "valid_to"]
    inlines = [ChildrenInline, PredecessorInline, SuccessorInline]
    ordering = ["code", "valid_from"]

    def get_queryset(self, request):
        # A unit's name shows its parent's (str): autocompletes pointing here read both in one query. (The
        # changelist skips list_select_related when the queryset selects related rows already: same list.)
        return super().get_queryset(request).select_related(*self.list_select_related)

    def get_search_results(self, request, queryset, search_term):
        # Every picker of a unit (autocompletes, the list) offers the units in force today first, edition by
        # edition: an autocomplete lists them under their edition's heading (autocomplete_group).
        qs, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return qs.by_edition(None, *qs.query.order_by), may_have_duplicates

    def autocomplete_label(self, obj) -> str:
        return obj.validity_label()

    def autocomplete_group(self, obj) -> str:
        return obj.edition_heading()

    def get_urls(self):
        opts = self.model._meta
        view = self.admin_site.admin_view(self.move_user_scopes_view)
        return [
            path("move-user-scopes/", view, name=f"{opts.app_label}_{opts.model_name}_move_scopes"),
            *super().get_urls(),
        ]

    def move_user_scopes_view(self, request):
        """Preview, then move, the scopes of users tied to ended units (divisions.moves)."""
        if not may_move_scopes(request.user):
            raise PermissionDenied(_("Chỉ văn phòng điều phối tỉnh chuyển phạm vi người dùng sang đơn vị mới."))
        plan = moves.user_scope_moves(scopes=movable_scopes(request.user))
        if request.method == "POST":
            choices = {
                move.scope.pk: int(request.POST[f"unit_{move.scope.pk}"])
                for move in plan
                if request.POST.get(f"unit_{move.scope.pk}", "").isdigit()
            }
            done, refused = moves.user_scopes_move(moves=plan, choices=choices, by=request.user)
            for line in done:
                self.message_user(request, _("Đã chuyển {line}").format(line=line), messages.SUCCESS)
            for line in refused:
                self.message_user(request, line, messages.WARNING)
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Chuyển người dùng sang đơn vị mới"),
            "opts": self.model._meta,
            "moves": plan,
            "movable": [m for m in plan if not m.refusal],
            "changelist_url": reverse("admin:divisions_administrativeunit_changelist"),
        }
        return TemplateResponse(request, "admin/divisions/move_user_scopes.html", context)

    def get_inlines(self, request, obj):
        # A new unit has nothing to show yet. A commune has no children, and its lineage is a section of its
        # dossier, whose link opens the lineage lines to edit (Kế thừa đơn vị, filtered to the commune).
        if obj is None or obj.level == UnitLevel.COMMUNE:
            return []
        return self.inlines

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A commune's page is its dossier: sponsors, support, yearly sheets, recognitions, meetings, lineage
        # (divisions.dossier; each app registers its sections).
        if obj is not None and obj.pk is not None:
            context["dossier"] = dossier.build(request, obj)
            context["dossier_day"] = dossier.reference_day(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(TrackedAdmin):
    list_display = ["predecessor", "successor", "effective_date", "is_main"]
    list_select_related = ["predecessor__parent", "successor__parent"]
    list_filter = ["is_main", "effective_date", LineageCommuneFilter]
    autocomplete_fields = ["predecessor", "successor"]
    search_fields = ["predecessor__search_key", "successor__search_key"]


def may_move_scopes(user) -> bool:
    return user.is_active and (user.is_superuser or scope.get_scope(user).role == Role.PROVINCE_COORDINATOR)


def movable_scopes(user):
    """Ended-unit scopes the user may move: a coordinator's province (both editions), all for a superuser."""
    scopes = moves.ended_scopes()
    if user.is_superuser:
        return scopes
    provinces = scope.readable_places(user, UnitLevel.PROVINCE).values("pk")
    return scopes.filter(Q(unit__in=provinces) | Q(unit__province__in=provinces))
