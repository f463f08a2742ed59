"""List filters of the sponsorship admin.

Every lookup list comes from a small table (provinces, the districts of one province,
decisions, categories) or from fixed choices: none runs a DISTINCT over assignments or
support records, which grow to hundreds of thousands of rows.
"""

import datetime

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from divisions.choices import UnitLevel
from ntm_site.accounts.scope import readable_places, restrict
from ntm_site.admin import GroupedListFilter
from sponsorship.models import Decision, InitiativeField, SupportCategory

FIRST_YEAR = 2010  # the programme began in 2010 (QĐ 491/QĐ-TTg)


class PathFilter(admin.SimpleListFilter):
    """A filter on a foreign key reached through `field_path` (set by the subclass factory `on`)."""

    field_path = ""

    @classmethod
    def on(cls, field_path: str):
        return type(cls.__name__, (cls,), {"field_path": field_path})

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{self.field_path: value})
        return queryset


class ProvinceFilter(GroupedListFilter, PathFilter):
    """Provinces of both editions the user may read (under a hundred rows), under their edition."""

    title = _("tỉnh/thành phố")
    parameter_name = "province"
    field_path = "commune__province"

    def grouped_lookups(self, request, model_admin):
        return readable_places(request.user, UnitLevel.PROVINCE).edition_choices("name", "valid_from")


class OrganisationProvinceFilter(ProvinceFilter):
    """An organisation's home unit is its province itself or a district of it."""

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(Q(home_unit=value) | Q(home_unit__province=value))
        return queryset


class DistrictFilter(PathFilter):
    """Districts of the chosen province; offered once a province is chosen."""

    title = _("quận/huyện")
    parameter_name = "district"
    field_path = "commune__parent"

    def lookups(self, request, model_admin):
        province = request.GET.get(ProvinceFilter.parameter_name, "")
        if not province.isdigit():
            return []
        return [(u.pk, u.name) for u in readable_places(request.user, UnitLevel.DISTRICT).filter(parent_id=province)]


class DecisionFilter(PathFilter):
    title = _("văn bản phân công")
    parameter_name = "decision"
    field_path = "decision"

    def lookups(self, request, model_admin):
        decisions = restrict(Decision.objects.only("pk", "symbol"), request.user)
        return [(d.pk, d.symbol) for d in decisions.order_by("-issued_on", "symbol")]


class CategoryFilter(PathFilter):
    title = _("loại hỗ trợ")
    parameter_name = "category"
    field_path = "category"

    def lookups(self, request, model_admin):
        return [(c.pk, c.name) for c in SupportCategory.objects.only("pk", "name")]


class InitiativeFieldFilter(PathFilter):
    title = _("lĩnh vực")
    parameter_name = "field"
    field_path = "field"

    def lookups(self, request, model_admin):
        return [(f.pk, f.name) for f in InitiativeField.objects.only("pk", "name")]


class YearFilter(admin.SimpleListFilter):
    """Years from the start of the programme to this year; `date_field` names the date filtered on."""

    title = _("năm")
    parameter_name = "year"
    date_field = "date"

    @classmethod
    def on(cls, date_field: str):
        return type(cls.__name__, (cls,), {"date_field": date_field})

    def lookups(self, request, model_admin):
        return [(str(y), str(y)) for y in range(datetime.date.today().year, FIRST_YEAR - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return self.filter_year(queryset, int(value))
        return queryset

    def filter_year(self, queryset, year: int):
        return queryset.filter(**{f"{self.date_field}__year": year})


class ActiveInYearFilter(YearFilter):
    """Assignments running on at least one day of the year."""

    title = _("còn hiệu lực trong năm")

    def filter_year(self, queryset, year: int):
        return queryset.active_in_year(year)


class SupportActiveInYearFilter(YearFilter):
    title = _("năm hỗ trợ")


class TermStateFilter(admin.SimpleListFilter):
    """Decisions still in their term today, or ended."""

    title = _("thời hạn")
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [("current", _("Còn thời hạn")), ("ended", _("Đã hết thời hạn"))]

    def queryset(self, request, queryset):
        today = datetime.date.today()
        if self.value() == "ended":
            return queryset.ended_on(today)
        if self.value() == "current":
            return queryset.exclude(term_to_year__lt=today.year)
        return queryset
