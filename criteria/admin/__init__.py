"""Admin of criteria sets, commune-year sheets, results, targets, recognitions and locked years.

The clerk's main page is the commune-year sheet: search a commune without diacritics
("ky tien"), open its year, tick the result of a criterion, save.
"""

import datetime
import io
import re

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from criteria import services
from criteria.admin.evidence import EvidenceInline
from criteria.admin.filters import (
    AssessmentSetFilter,
    CriteriaSetFilter,
    CriterionNumberFilter,
    DistrictFilter,
    ProvinceFilter,
    ReachedFilter,
    YearFilter,
)
from criteria.admin.forms import (
    AssessmentForm,
    AssessmentLineForm,
    AssessmentLineFormSet,
    CommuneYearForm,
    IndicatorResultLineForm,
    IndicatorResultLineFormSet,
)
from criteria.choices import TargetBasis
from criteria.indicator_resources import (
    CommuneClassificationResource,
    CriteriaSetWorkbookResource,
    IndicatorResultLongResource,
    IndicatorResultWideResource,
)
from criteria.models import (
    Assessment,
    CommuneClassification,
    CommuneYear,
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorResult,
    IndicatorTarget,
    PeriodLock,
    Recognition,
    Target,
)
from criteria.resources import AssessmentResource, AssessmentWideResource
from divisions.choices import UnitLevel
from divisions.dossier import CommuneFilter
from divisions.models import AdministrativeUnit
from ntm_site.admin import FoldedSearchMixin, TrackedAdmin
from ntm_site.spreadsheets.admin import WorkbookImportExportMixin
from ntm_site.spreadsheets.workbooks import XLSX_CONTENT_TYPE, template_workbook

SEARCH_HELP = _("Gõ tên xã có dấu hoặc không dấu (ví dụ “ky tien”), hoặc mã xã.")


def _lock_of(obj):
    """The active lock over a commune-year or result, looked up once per object."""
    if obj is None or not obj.pk:
        return None
    if not hasattr(obj, "_ntm_lock"):
        obj._ntm_lock = services.lock_for(commune=obj.commune, year=obj.year)
    return obj._ntm_lock


def district_name(commune):
    """The commune's district, or none (shown "-") for a commune of the 2025 map, whose parent is its province."""
    parent = commune.parent if commune.parent_id else None
    return parent.name if parent is not None and parent.level == UnitLevel.DISTRICT else None


class LockAwareMixin:
    """Locked years are read-only: the change page says why, deleting is refused with the reason."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _lock_of(obj) is None

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _lock_of(obj) is None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        lock = _lock_of(obj)
        if lock is not None and request.method == "GET":
            self.message_user(request, lock.refusal(), messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        lock = _lock_of(obj)
        if lock is not None:
            self.message_user(request, lock.refusal(), messages.ERROR)
            return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]))
        return super().delete_view(request, object_id, extra_context)

    @admin.action(permissions=["delete"], description=_("Xóa các mục đã chọn"))
    def delete_unlocked(self, request, queryset):
        """Django's bulk delete, refused as a whole when any chosen row is in a locked year."""
        pairs = set(queryset.values_list("commune__province_id", "year").distinct())
        locks = PeriodLock.objects.locked_pairs(province_ids={p for p, _ in pairs}, years={y for _, y in pairs})
        if locks:
            for lock in locks.values():
                self.message_user(request, lock.refusal(), messages.ERROR)
            return None
        return delete_selected(self, request, queryset)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


def _template_province(request):
    """The province named by ?province= (GSO code, name or id) in ?year= (default this year), or None."""
    value = (request.GET.get("province") or "").strip()
    if not value:
        return None, None
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else datetime.date.today().year
    provinces = AdministrativeUnit.objects.provinces().valid_in_year(year)
    found = provinces.filter(code=value.zfill(2)) if value.isdigit() else provinces.search(value)
    if value.isdigit() and not found.exists():
        found = provinces.filter(pk=int(value))
    # Both editions exist in 2025: take the one in force at the end of the year.
    found = list(found.order_by("-valid_from"))
    return (found[0] if found else None), year


class CriteriaWorkbookMixin(WorkbookImportExportMixin):
    """Import/export of results in both layouts; the template can come pre-filled with a province's
    rural communes: "Tải biểu mẫu" with ?province=42&year=2017 (the changelist's province filter
    adds it to the link)."""

    def has_import_permission(self, request):
        # Imports write results: the clerk needs to import, add and change them, whatever page they start from.
        return request.user.has_perms(
            ["criteria.import_assessment", "criteria.add_assessment", "criteria.change_assessment"]
        )

    def template_view(self, request):
        province, year = _template_province(request)
        if not request.GET.get("province"):
            return super().template_view(request)
        if not (self.has_import_permission(request) or self.has_view_permission(request)):
            raise PermissionDenied
        if province is None:
            self.message_user(
                request, _("Không tìm thấy tỉnh “{name}”.").format(name=request.GET["province"]), messages.ERROR
            )
            return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        resource_classes = self.get_import_resource_classes(request)
        index = request.GET.get("resource", "0")
        resource_class = resource_classes[int(index) if index.isdigit() and int(index) < len(resource_classes) else 0]
        communes = AdministrativeUnit.objects.within(province).communes().rural_communes().valid_in_year(year)
        rows = resource_class().template_rows(communes, year=year if request.GET.get("year") else None)
        response = HttpResponse(_prefilled(template_workbook(resource_class), rows), content_type=XLSX_CONTENT_TYPE)
        name = f"bieu_mau_{resource_class.get_file_stem()}_{province.code}_{year}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        province_id = request.GET.get("province", "")
        context = getattr(response, "context_data", None)
        if context is not None and province_id.isdigit() and context.get("import_template_url"):
            province = AdministrativeUnit.objects.filter(pk=int(province_id)).first()
            if province is not None:
                query = {"province": province.code}
                year = request.GET.get("year", "")
                if year.isdigit():
                    query["year"] = year
                elif province.valid_to:
                    query["year"] = province.valid_to.year
                context["import_template_url"] += "?" + urlencode(query)
        return response


def _prefilled(template: bytes, rows: list[list]) -> bytes:
    """The template with `rows` written under its hint row."""
    from openpyxl import load_workbook

    from ntm_site.spreadsheets.workbooks import put_value

    wb = load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    first = 5  # title, blank, header, hint (ntm_site.spreadsheets.workbooks.template_workbook)
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            if value not in (None, ""):
                put_value(ws, first + offset, column, value)  # stored names stay text, whatever they hold
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["number", "name", "group"]
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(WorkbookImportExportMixin, TrackedAdmin):
    resource_classes = [CriteriaSetWorkbookResource]
    list_display = ["code", "name", "level", "valid_from_year", "valid_to_year", "is_national", "size"]
    list_filter = ["level", "is_national"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["province"]
    inlines = [CriterionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_size()

    @admin.display(description=_("số tiêu chí"), ordering="size")
    def size(self, obj):
        return obj.size


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ["position", "code", "text", "unit", "value_type", "comparison"]
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(TrackedAdmin):
    list_display = ["number", "name", "group", "criteria_set"]
    list_display_links = ["number", "name"]
    list_filter = ["criteria_set"]  # the sets table is small
    list_select_related = ["criteria_set"]
    search_fields = ["name", "criteria_set__code"]
    ordering = ["criteria_set__valid_from_year", "number"]
    inlines = [IndicatorInline]


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    fields = ["commune_group", "region", "value", "text"]
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(TrackedAdmin):
    list_display = ["code", "text", "unit", "value_type", "comparison", "criterion"]
    list_select_related = ["criterion__criteria_set"]
    list_filter = [AssessmentSetFilter]
    search_fields = ["code", "text"]
    autocomplete_fields = ["criterion"]
    inlines = [IndicatorTargetInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A target changed: every sheet scored against it is scored again (history kept).
        services.indicator_targets_rescore(indicators=[form.instance], user=request.user)


class AssessmentLineInline(admin.TabularInline):
    """The sheet's lines, one per criterion of its set, the result as radio buttons (one click each)."""

    model = Assessment
    form = AssessmentLineForm
    formset = AssessmentLineFormSet
    template = "admin/criteria/communeyear/assessment_lines.html"
    fields = ["criterion", "status", "note", "assessed_on", "assessed_by"]
    readonly_fields = ["assessed_on", "assessed_by"]
    radio_fields = {"status": admin.HORIZONTAL}
    extra = 0
    verbose_name = _("tiêu chí")
    verbose_name_plural = _("kết quả từng tiêu chí")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion", "assessed_by").order_by("criterion__number")

    def get_max_num(self, request, obj=None, **kwargs):
        if obj is None or not obj.criteria_set_id:
            return 0
        return Criterion.objects.filter(criteria_set_id=obj.criteria_set_id).count()

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A set scored per indicator (QĐ 51/2025) whose indicators are not loaded: its criteria are scored by
        # hand meanwhile, and the page says where to load them.
        waiting = obj is not None and obj.criteria_set.target_basis == TargetBasis.GROUP and not _indicator_count(obj)
        formset.no_indicators_message = services.no_indicator_set_message(obj.year) if waiting else ""
        return formset

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _lock_of(obj) is None

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _lock_of(obj) is None

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _lock_of(obj) is None


def _indicator_count(sheet) -> int:
    """The indicators of a sheet's set (0: scored criterion by criterion), counted once per sheet and request."""
    if sheet is None or not sheet.criteria_set_id:
        return 0
    cached = getattr(sheet, "_ntm_indicator_count", None)
    if cached is None or cached[0] != sheet.criteria_set_id:
        count = Indicator.objects.filter(criterion__criteria_set_id=sheet.criteria_set_id).count()
        cached = sheet._ntm_indicator_count = (sheet.criteria_set_id, count)
    return cached[1]


class IndicatorResultInline(admin.TabularInline):
    """The sheet's indicators (a set with indicators, QĐ 51/2025), grouped under their criteria."""

    model = IndicatorResult
    form = IndicatorResultLineForm
    formset = IndicatorResultLineFormSet
    template = "admin/criteria/communeyear/indicator_lines.html"
    fields = ["indicator", "value", "not_applicable", "status", "status_overridden", "override_reason", "note"]
    extra = 0
    can_delete = False
    verbose_name = _("chỉ tiêu")
    verbose_name_plural = _("kết quả từng chỉ tiêu")

    def get_max_num(self, request, obj=None, **kwargs):
        return _indicator_count(obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _lock_of(obj) is None

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _lock_of(obj) is None


@admin.register(CommuneYear)
class CommuneYearAdmin(LockAwareMixin, CriteriaWorkbookMixin, FoldedSearchMixin, TrackedAdmin):
    form = CommuneYearForm
    resource_classes = [
        AssessmentWideResource,
        AssessmentResource,
        IndicatorResultWideResource,
        IndicatorResultLongResource,
    ]
    list_display = ["commune", "district", "year", "set_code", "criteria_met", "meets_all"]
    list_filter = [ProvinceFilter, DistrictFilter, YearFilter, CriteriaSetFilter, ReachedFilter, CommuneFilter]
    list_select_related = ["commune__parent", "criteria_set"]
    folded_search_field = "commune__search_key"
    search_fields = ["commune__search_key"]
    search_help_text = SEARCH_HELP
    autocomplete_fields = ["commune"]
    fields = ["commune", "year", "criteria_set", "note"]
    inlines = [AssessmentLineInline, EvidenceInline]
    actions = ["delete_unlocked"]
    ordering = ["-year", "commune__code"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("commune__parent", "criteria_set").with_met()

    def get_inlines(self, request, obj):
        # The lines follow from the set: they appear once commune, year and set are saved. A set with
        # indicators is scored indicator by indicator; its criteria are derived from them.
        if obj is None:
            return []
        if _indicator_count(obj):
            return [IndicatorResultInline, EvidenceInline]
        return self.inlines

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if _indicator_count(form.instance):
            try:
                services.commune_year_score(commune_year=form.instance, user=request.user)
            except ValidationError as e:
                self.message_user(request, " ".join(e.messages), messages.WARNING)

    def get_readonly_fields(self, request, obj=None):
        # A sheet's lines follow its commune, year and set: to change those, make a new sheet.
        return ["commune", "year", "criteria_set"] if obj is not None else []

    def response_add(self, request, obj, post_url_continue=None):
        # A new sheet is only useful with its lines: open it again to fill them in.
        if "_addanother" not in request.POST and IS_POPUP_VAR not in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_add(request, obj, post_url_continue)

    def save_formset(self, request, form, formset, change):
        for line_form in formset.forms:
            if line_form.has_changed() and not formset._should_delete_form(line_form):
                services.assessment_stamp(line_form.instance, user=request.user)
        super().save_formset(request, form, formset, change)

    @admin.display(description=_("quận/huyện"), ordering="commune__parent__name")
    def district(self, obj):
        return district_name(obj.commune)

    @admin.display(description=_("bộ tiêu chí"), ordering="criteria_set__code")
    def set_code(self, obj):
        return obj.criteria_set.short_label

    @admin.display(description=_("số tiêu chí đạt"), ordering="met")
    def criteria_met(self, obj):
        return f"{obj.met}/{obj.set_size}"

    @admin.display(description=_("đạt đủ tiêu chí"), boolean=True, ordering="meets_all")
    def meets_all(self, obj):
        return obj.meets_all


@admin.register(Assessment)
class AssessmentAdmin(LockAwareMixin, CriteriaWorkbookMixin, FoldedSearchMixin, TrackedAdmin):
    form = AssessmentForm
    resource_classes = [AssessmentResource, AssessmentWideResource]
    list_display = ["commune", "district", "year", "criterion_number", "status", "criteria_met"]
    list_display_links = ["commune"]
    list_filter = [
        ProvinceFilter,
        DistrictFilter,
        YearFilter,
        CriterionNumberFilter,
        "status",  # fixed choices: no query
        AssessmentSetFilter,
    ]
    list_select_related = ["commune__parent", "criterion"]
    folded_search_field = "commune__search_key"
    search_fields = ["commune__search_key"]
    search_help_text = SEARCH_HELP
    autocomplete_fields = ["commune"]
    readonly_fields = ["commune_year", "assessed_by", "assessed_on"]
    fields = ["commune", "year", "criterion", "status", "indicator_values", "note", *readonly_fields]
    actions = ["delete_unlocked"]
    # Latest year first, then sheet by sheet (commune-years in the order they were entered), criteria in order:
    # an index walk (assess_year_sheet_idx). Ordering by commune code would sort a whole year of the national
    # table (≈ 250,000 rows) for every page; the commune column still sorts by code on request.
    ordering = ["-year", "commune_year_id", "criterion__number"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_commune_year_met()

    def save_model(self, request, obj, form, change):
        services.assessment_save(assessment=obj, user=request.user)

    @admin.display(description=_("quận/huyện"), ordering="commune__parent__name")
    def district(self, obj):
        return district_name(obj.commune)

    @admin.display(description=_("tiêu chí"), ordering="criterion__number")
    def criterion_number(self, obj):
        return obj.criterion.number

    @admin.display(description=_("số tiêu chí đạt của xã trong năm"))
    def criteria_met(self, obj):
        return obj.commune_year_met


@admin.register(CommuneClassification)
class CommuneClassificationAdmin(WorkbookImportExportMixin, FoldedSearchMixin, TrackedAdmin):
    """Each commune's group (nhóm 1, 2, 3) for a period: what grouped sets judge its indicators against."""

    resource_classes = [CommuneClassificationResource]

    list_display = ["commune", "group", "valid_from_year", "valid_to_year", "basis"]
    list_filter = [ProvinceFilter, "group"]
    list_select_related = ["commune__parent"]  # a commune is named with its parent
    folded_search_field = "commune__search_key"
    search_fields = ["commune__search_key"]
    search_help_text = SEARCH_HELP
    autocomplete_fields = ["commune"]
    fields = ["commune", "group", "valid_from_year", "valid_to_year", "basis", "note"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.commune_classification_rescore(commune=obj.commune, user=request.user)


# An indicator code as clerks type it in a search: "2.3", or "2" for every indicator of criterion 2 (a commune's
# code has five digits).
_INDICATOR_CODE = re.compile(r"^\d{1,2}(\.\d+)*$")


@admin.register(IndicatorResult)
class IndicatorResultAdmin(FoldedSearchMixin, TrackedAdmin):
    """Indicator results, read here; they are written on the commune-year sheet or by import."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    list_display = ["commune_year", "indicator", "value_number", "value_bool", "not_applicable", "status"]
    list_select_related = ["commune_year__commune", "indicator"]
    list_filter = ["status"]
    folded_search_field = "commune_year__commune__search_key"
    search_fields = ["commune_year__commune__search_key", "indicator__code"]
    search_help_text = _("Gõ tên xã có dấu hoặc không dấu, mã xã, và/hoặc mã chỉ tiêu (ví dụ “ky anh 2.3”).")
    raw_id_fields = ["commune_year", "indicator"]

    def get_search_results(self, request, queryset, search_term):
        # The indicator codes of the term narrow the indicator (one index probe); the other words are the
        # commune's, searched in its folded name: no scan of every result for a word in either column.
        words = (search_term or "").split()
        codes = [w for w in words if _INDICATOR_CODE.match(w)]
        if codes:
            wanted = Q()
            for code in codes:
                wanted |= Q(indicator__code=code) | Q(indicator__code__startswith=f"{code}.")
            queryset = queryset.filter(wanted)
        rest = " ".join(w for w in words if not _INDICATOR_CODE.match(w))
        if not rest:
            return queryset, False
        return super().get_search_results(request, queryset, rest)


class _CommuneRecordAdmin(FoldedSearchMixin, TrackedAdmin):
    """Targets and recognitions: found by the commune's name typed without diacritics."""

    list_filter = [ProvinceFilter, DistrictFilter, CriteriaSetFilter]
    list_select_related = ["commune__parent", "criteria_set"]
    folded_search_field = "commune__search_key"
    search_fields = ["commune__search_key"]
    search_help_text = SEARCH_HELP
    autocomplete_fields = ["commune"]


@admin.register(Target)
class TargetAdmin(_CommuneRecordAdmin):
    list_display = ["commune", "target_year", "criteria_set", "plan", "registered_on"]


@admin.register(Recognition)
class RecognitionAdmin(_CommuneRecordAdmin):
    list_display = ["decision_number", "decision_date", "commune", "action", "year", "criteria_set", "issuer"]
    list_filter = [*_CommuneRecordAdmin.list_filter, "action", CommuneFilter]


@admin.register(PeriodLock)
class PeriodLockAdmin(TrackedAdmin):
    list_display = ["province", "year", "is_locked", "locked_at", "locked_by", "reason"]
    list_filter = ["is_locked", "year"]  # the locks table is small
    list_select_related = ["province", "locked_by"]
    autocomplete_fields = ["province"]
    fields = ["province", "year", "reason", "is_locked", "locked_at", "locked_by"]
    actions = ["unlock", "lock_again"]

    def _can_unlock(self, request):
        return request.user.has_perm(services.UNLOCK_PERMISSION)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["locked_at", "locked_by"]
        if obj is not None:
            readonly += ["province", "year"]
            if obj.is_locked and not self._can_unlock(request):
                readonly.append("is_locked")
        return readonly

    def has_delete_permission(self, request, obj=None):
        # Deleting a lock would unlock the year: only for those who may unlock, and history keeps it.
        return super().has_delete_permission(request, obj) and self._can_unlock(request)

    def has_unlock_permission(self, request):
        return self._can_unlock(request)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.locked_by = request.user
        elif "is_locked" in form.changed_data:
            if obj.is_locked:
                services.period_lock_lock(province=obj.province, year=obj.year, user=request.user, reason=obj.reason)
                return
            if not self._can_unlock(request):
                raise PermissionDenied
            obj.is_locked = True  # period_lock_unlock does the change and records why
            services.period_lock_unlock(lock=obj, user=request.user, reason=obj.reason)
            return
        super().save_model(request, obj, form, change)

    @admin.action(permissions=["unlock"], description=_("Mở khóa số liệu năm đã chọn"))
    def unlock(self, request, queryset):
        for lock in queryset.filter(is_locked=True):
            services.period_lock_unlock(lock=lock, user=request.user)
        self.message_user(request, _("Đã mở khóa."), messages.SUCCESS)

    @admin.action(permissions=["change"], description=_("Khóa lại số liệu năm đã chọn"))
    def lock_again(self, request, queryset):
        for lock in queryset.filter(is_locked=False):
            services.period_lock_lock(province=lock.province, year=lock.year, user=request.user, reason=lock.reason)
        self.message_user(request, _("Đã khóa lại."), messages.SUCCESS)
