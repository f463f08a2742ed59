"""Changelist filters of the criteria admins.

The assessment table is the biggest of the project (every commune × 19 criteria × every
year), so no filter here runs SELECT DISTINCT over it: the choices come from small tables
(provinces, districts of one province, criteria sets, criterion numbers) or are fixed; the
provinces and districts are those the user may read (ntm_site.accounts.scope.readable_places).
Each filter names the path from the listed model to the commune and to the set.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from criteria.models import CriteriaSet, Criterion
from divisions.choices import UnitLevel
from ntm_site.accounts.scope import readable_places
from ntm_site.admin import GroupedListFilter


def _int(value):
    return int(value) if value and str(value).isdigit() else None


class _PathFilter(admin.SimpleListFilter):
    commune_path = "commune"
    set_path = "criteria_set"


class ProvinceFilter(GroupedListFilter, _PathFilter):
    """Provinces the user may read, under their edition (today's 34, then the 63 of the legacy map)."""

    title = _("tỉnh/thành phố")
    parameter_name = "province"

    def grouped_lookups(self, request, model_admin):
        return readable_places(request.user, UnitLevel.PROVINCE).edition_choices("name", "valid_from")

    def queryset(self, request, queryset):
        value = _int(self.value())
        return queryset.filter(**{f"{self.commune_path}__province_id": value}) if value else queryset


class DistrictFilter(_PathFilter):
    """Districts of the chosen province (offered once a province is chosen)."""

    title = _("quận/huyện")
    parameter_name = "district"

    def lookups(self, request, model_admin):
        province = _int(request.GET.get("province"))
        if not province:
            return []
        qs = readable_places(request.user, UnitLevel.DISTRICT).filter(province_id=province).order_by("name")
        return [(u.pk, u.name) for u in qs]

    def queryset(self, request, queryset):
        value = _int(self.value())
        return queryset.filter(**{f"{self.commune_path}__parent_id": value}) if value else queryset


class YearFilter(_PathFilter):
    """The years the criteria sets cover (a small table), latest first."""

    title = _("năm")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        spans = CriteriaSet.objects.values_list("valid_from_year", "valid_to_year")
        this_year = timezone.localdate().year
        years = {y for start, end in spans for y in range(start, (end or this_year) + 1)}
        return [(y, str(y)) for y in sorted(years, reverse=True)]

    def queryset(self, request, queryset):
        value = _int(self.value())
        return queryset.filter(year=value) if value else queryset


class CriteriaSetFilter(_PathFilter):
    title = _("bộ tiêu chí")
    parameter_name = "criteria_set"

    def lookups(self, request, model_admin):
        return [(s.pk, s.short_label) for s in CriteriaSet.objects.order_by("-valid_from_year", "code")]

    def queryset(self, request, queryset):
        value = _int(self.value())
        return queryset.filter(**{f"{self.set_path}_id": value}) if value else queryset


class CriterionNumberFilter(_PathFilter):
    """Criterion by its number (the same number across sets: "tiêu chí 17")."""

    title = _("tiêu chí")
    parameter_name = "criterion"

    def lookups(self, request, model_admin):
        numbers = Criterion.objects.order_by("number").values_list("number", flat=True).distinct()
        return [(n, _("Tiêu chí {number}").format(number=n)) for n in numbers]

    def queryset(self, request, queryset):
        value = _int(self.value())
        return queryset.filter(criterion__number=value) if value else queryset


class AssessmentSetFilter(CriteriaSetFilter):
    set_path = "criterion__criteria_set"


class ReachedFilter(admin.SimpleListFilter):
    """Commune-years that met every criterion of their set, or not (uses the annotation `meets_all`)."""

    title = _("đạt đủ tiêu chí")
    parameter_name = "meets_all"

    def lookups(self, request, model_admin):
        return [("1", _("Đạt đủ tiêu chí")), ("0", _("Chưa đạt đủ"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(meets_all=self.value() == "1")
        return queryset
