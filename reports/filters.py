"""The parameters of every report, as django-filter FilterSets.

Each FilterSet filters the report's base rows (assignments, assessments, support
records …) with the parameters that are plain filters; parameters that shape the
computation instead (as-of date, grouping) are validated here and read by the report.
The same FilterSet serves the page's form, the downloads and `export_report`.

Scope: a FilterSet bound for a user (`user=`, or the request's user) starts from the rows that
user may read (ntm_site.accounts.scope.restrict), and so does every other queryset a report
starts from (`filterset.in_scope(qs)`). An area, decision or organisation named in the
parameters that lies outside the reader's scope is refused with a message. Without a user
(`export_report` on the command line, the tests of figures) nothing is restricted.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import django_filters
from django import forms
from django.db.models import Max, Model, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from criteria.models import CommuneYear, CriteriaSet
from divisions.choices import UnitLevel
from divisions.models import AdministrativeUnit
from meetings.choices import TaskStatus
from meetings.models import FollowUpTask
from ntm_site.accounts import approval, scope
from reports.areas import AreaLookupError, communes_in_area, pick_unit
from reports.fields import DecisionField, ListField, OrganisationField, UnitCandidates, UnitField
from reports.formatting import display_value
from sponsorship.choices import AssignmentRole, OrganisationKind
from sponsorship.models import Assignment, Decision, InitiativeField, Organisation, SupportCategory, SupportRecord


def today() -> datetime.date:
    return timezone.localdate()


class DateInput(forms.DateInput):
    """A date typed dd/mm/yyyy (ISO also accepted), whatever the browser's own language."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "size": 10, **(attrs or {})}, format="%d/%m/%Y")


# Every parameter taking several values is a list of checkboxes: a multiple select needs Ctrl-click, which few
# clerks know (issue 19).
CHECKBOXES = forms.CheckboxSelectMultiple


# --- filters -----------------------------------------------------------------------------------


class ParamFilter(django_filters.Filter):
    """A parameter the report reads itself; it does not narrow the base rows."""

    def __init__(self, *args, field_class=None, **kwargs):
        if field_class is not None:
            self.field_class = field_class
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs


class AreaFilter(django_filters.Filter):
    """Rows whose commune (at `field_name`) lies in the area, through the lineage of both editions.

    With `many=True` (a many-to-many path such as a task's communes) the rows are matched through a
    subquery, so that a row naming two communes of the area is still counted once.
    """

    field_class = UnitField

    def __init__(self, *args, many: bool = False, **kwargs):
        self.many = many
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if not hasattr(value, "_area_ids"):
            value._area_ids = communes_in_area(value)
        condition = {f"{self.field_name}__in": value._area_ids}
        if self.many:
            return qs.filter(pk__in=qs.model.objects.filter(**condition).values("pk"))
        return qs.filter(**condition)


class DecisionFilter(django_filters.Filter):
    """Rows of the decision or of a decision amending it."""

    field_class = DecisionField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": Decision.objects.with_amendments(value).values("pk")})


class DecisionCommunesFilter(django_filters.Filter):
    """Rows whose commune (at `field_name`) was assigned under the decision or its amendments."""

    field_class = DecisionField

    def filter(self, qs, value):
        if not value:
            return qs
        communes = Assignment.objects.for_decision(value).values("commune")
        return qs.filter(**{f"{self.field_name}__in": communes})


class OrganisationFilter(django_filters.Filter):
    """Rows of one organisation, or with `subtree=True`, of it and every organisation under it."""

    field_class = OrganisationField

    def __init__(self, *args, subtree: bool = False, **kwargs):
        self.subtree = subtree
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if self.subtree:
            return qs.filter(**{f"{self.field_name}__in": Organisation.objects.within(value).values("pk")})
        return qs.filter(**{self.field_name: value})


class ListParamFilter(ParamFilter):
    field_class = ListField


YES, NO = "yes", "no"


class ApprovedOnlyFilter(django_filters.Filter):
    """ "Approved data only": commune-years the province has approved (ntm_site.accounts.approval).

    Left blank it takes the reader's default: on for viewers, off for the clerks entering the data.
    """

    field_class = forms.ChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("", "---------"), (YES, _("Có")), (NO, _("Không"))])
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return approval.approved_only(qs) if value == YES else qs


# --- the form and the base FilterSet -------------------------------------------------------------


class ReportForm(forms.Form):
    """Resolves area names against the report's date and fills in defaults."""

    param_defaults: dict[str, Callable] = {}
    # The reader whose scope the parameters must stay in (None: nobody to restrict).
    report_user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if hasattr(field, "user"):
                field.user = self.report_user

    def reference_date(self, cleaned: dict) -> datetime.date:
        """The date whose map the area names are read on: as-of date, end of period, end of year, or today."""
        for name in ("as_of", "date_to"):
            if isinstance(cleaned.get(name), datetime.date):
                return cleaned[name]
        if cleaned.get("year"):
            return datetime.date(int(cleaned["year"]), 12, 31)
        return today()

    def clean(self):
        cleaned = super().clean()
        for name, default in self.param_defaults.items():
            if name in cleaned and cleaned[name] in (None, "", []):
                cleaned[name] = default(cleaned)
        day = self.reference_date(cleaned)
        for name, value in list(cleaned.items()):
            if isinstance(value, UnitCandidates):
                try:
                    cleaned[name] = pick_unit(value.text, value.units, day)
                except AreaLookupError as error:
                    self.add_error(name, str(error))
                    continue
                refusal = area_refusal(self.report_user, cleaned[name])
                if refusal:
                    self.add_error(name, refusal)
        return cleaned


def area_refusal(user, unit) -> str | None:
    """A message when no commune of `unit` lies in what `user` may read (None: some do, or no user)."""
    if user is None:
        return None
    reader = scope.get_scope(user)
    if reader.unrestricted:
        return None
    area = reader.area(scope.READ)
    if not AdministrativeUnit.objects.filter(pk__in=communes_in_area(unit)).filter(area.q("")).exists():
        return str(
            _("“{unit}” nằm ngoài phạm vi được giao cho bạn ({scope}): không có số liệu để xem.").format(
                unit=unit, scope=reader.describe()
            )
        )
    return None


class ReportFilterSet(django_filters.FilterSet):
    """Base of every report's parameters: defaults, and the parameters as JSON and as text."""

    # Parameter name -> callable(cleaned_data) giving its value when left blank.
    defaults: dict[str, Callable] = {}
    # Parameter name -> callable(user) giving its value when left blank (depends on who reads).
    user_defaults: dict[str, Callable] = {}

    class Meta:
        form = ReportForm
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user if user is not None else getattr(request, "user", None)
        self.queryset = self.in_scope(self.queryset)

    def in_scope(self, queryset):
        """`queryset` cut to the rows the reader may read: every report starts from here."""
        if self.user is None:
            return queryset
        return scope.restrict(queryset, self.user, scope.READ)

    def scope_note(self) -> str | None:
        """What the figures are limited to, for a reader who does not see everything."""
        reader = scope.get_scope(self.user) if self.user is not None else None
        if reader is None or reader.unrestricted:
            return None
        return str(_("Số liệu chỉ gồm phạm vi được giao cho bạn ({scope}).").format(scope=reader.describe()))

    def get_form_class(self):
        form_class = super().get_form_class()
        user = self.user
        form_class.param_defaults = {
            **self.defaults,
            **{name: (lambda cleaned, f=f: f(user)) for name, f in self.user_defaults.items()},
        }
        form_class.report_user = user
        return form_class

    @property
    def params(self) -> dict:
        return self.form.cleaned_data

    def given(self) -> dict:
        """The parameters that have a value (an empty multiple choice is a queryset of nothing)."""
        return {k: v for k, v in self.form.cleaned_data.items() if not _is_empty(v)}

    def json_params(self) -> dict:
        return {name: _json_param(value) for name, value in self.given().items()}

    def display_params(self) -> list[tuple[str, str]]:
        shown = []
        for name, value in self.given().items():
            field = self.form.fields[name]
            choices = dict(getattr(field, "choices", ())) if not hasattr(field, "queryset") else {}
            if choices:
                values = value if isinstance(value, list | tuple) else [value]
                text = ", ".join(str(choices.get(v, v)) for v in values)
            elif name == "year" or name.endswith("_year"):
                text = str(value)  # a year is never grouped: 2017, not 2.017
            else:
                text = _display_param(value)
            shown.append((str(field.label), text))
        return shown


def _is_empty(value) -> bool:
    if isinstance(value, QuerySet):
        return not value  # evaluates (and caches) the few rows chosen
    return value in (None, "", [], ())


def _json_param(value):
    if isinstance(value, AdministrativeUnit):
        return {"code": value.code, "name": value.name, "edition": value.edition}
    if isinstance(value, Decision):
        return value.symbol
    if isinstance(value, Organisation):
        return value.name
    if isinstance(value, CriteriaSet | SupportCategory | InitiativeField):
        return value.code
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple) or hasattr(value, "model"):
        return [_json_param(v) for v in value]
    return value


def _display_param(value) -> str:
    if isinstance(value, AdministrativeUnit):
        return str(value)
    if isinstance(value, list | tuple) or hasattr(value, "model"):
        return ", ".join(_display_param(v) for v in value)
    if isinstance(value, Model):
        return str(value)
    return display_value(value)


# Labels shared by several reports.
L_PROVINCE = _("Tỉnh/thành phố")
L_DISTRICT = _("Quận/huyện/thị xã")
L_COMMUNE = _("Xã")
L_AREA = _("Địa bàn (đơn vị bất kỳ)")
L_DECISION = _("Văn bản phân công (số, ký hiệu)")
L_AS_OF = _("Tính đến ngày")
L_YEAR = _("Năm đánh giá")
L_KIND = _("Loại cơ quan, đơn vị")
L_PARENT = _("Thuộc (cơ quan cấp trên, ví dụ Đảng bộ Khối)")
L_ORGANISATION = _("Cơ quan, đơn vị")
L_ROLE = _("Hình thức phân công")
APPROVED_ONLY = _("Chỉ số liệu đã phê duyệt")


def area_params(path: str, many: bool = False) -> type[ReportFilterSet]:
    """A base FilterSet with the four area parameters applied to the commune(s) at `path`."""
    filters = {
        "province": AreaFilter(field_name=path, label=L_PROVINCE, levels=(UnitLevel.PROVINCE,), many=many),
        "district": AreaFilter(field_name=path, label=L_DISTRICT, levels=(UnitLevel.DISTRICT,), many=many),
        "commune": AreaFilter(field_name=path, label=L_COMMUNE, levels=(UnitLevel.COMMUNE,), many=many),
        "area": AreaFilter(field_name=path, label=L_AREA, many=many),
    }
    return type("AreaParams", (ReportFilterSet,), filters)


def _default_today(cleaned):
    return today()


def decision_review_day(decision, day: datetime.date | None = None) -> datetime.date:
    """The date a decision's review is taken on: the end of its term when that has passed, else today."""
    day = day or today()
    end = decision.term_end if decision is not None else None
    return end if end is not None and end < day else day


def review_day_basis(decision, as_of: datetime.date) -> str:
    """Why the review is taken on `as_of`: "term_end" (the term has ended), "today", or "chosen" by the reader."""
    if decision.term_end is not None and as_of == decision.term_end and as_of < today():
        return "term_end"
    return "today" if as_of == today() else "chosen"


def review_day_note(decision, as_of: datetime.date, basis: str) -> str:
    """The sentence saying which date a decision review used, on the page and in the .docx."""
    day = date_format(as_of, "d/m/Y")
    if basis == "term_end":
        return str(
            _("Số liệu tính đến ngày {day}, ngày kết thúc thời gian thực hiện của văn bản ({term}).").format(
                day=day, term=decision.term_label
            )
        )
    if basis == "today":
        return str(_("Số liệu tính đến hôm nay, ngày {day}.").format(day=day))
    return str(_("Số liệu tính đến ngày {day} đã chọn.").format(day=day))


def _decision_review_day(cleaned):
    decision = cleaned.get("decision")
    return decision_review_day(decision if isinstance(decision, Decision) else None)


def _latest_assessed_year(cleaned):
    return CommuneYear.objects.aggregate(year=Max("year"))["year"] or today().year


# --- the reports' FilterSets ------------------------------------------------------------------


class DecisionReviewFilterSet(ReportFilterSet):
    decision = DecisionFilter(field_name="decision", label=L_DECISION, required=True)
    as_of = ParamFilter(
        label=L_AS_OF,
        field_class=forms.DateField,
        widget=DateInput,
        help_text=_("Để trống: ngày kết thúc thời gian thực hiện của văn bản nếu đã hết, nếu chưa thì hôm nay."),
    )

    defaults = {"as_of": _decision_review_day}

    class Meta(ReportFilterSet.Meta):
        model = Assignment


class SponsorScorecardFilterSet(area_params("commune")):
    kind = django_filters.ChoiceFilter(field_name="organisation__kind", label=L_KIND, choices=OrganisationKind.choices)
    parent = OrganisationFilter(field_name="organisation", subtree=True, label=L_PARENT)
    decision = DecisionFilter(field_name="decision", label=L_DECISION)
    role = django_filters.MultipleChoiceFilter(
        field_name="role", label=L_ROLE, choices=AssignmentRole.choices, widget=CHECKBOXES
    )
    since_year = ParamFilter(
        label=_("Từ năm"), field_class=forms.IntegerField, min_value=1990, max_value=2100, help_text=""
    )
    as_of = ParamFilter(label=L_AS_OF, field_class=forms.DateField, widget=DateInput)

    defaults = {"as_of": _default_today}

    class Meta(ReportFilterSet.Meta):
        model = Assignment


class CriteriaSummaryFilterSet(area_params("commune")):
    decision = DecisionCommunesFilter(field_name="commune", label=_("Các xã của văn bản phân công"))
    year = django_filters.NumberFilter(field_name="year", label=L_YEAR, min_value=2000, max_value=2100)
    criteria_set = django_filters.ModelChoiceFilter(
        field_name="criteria_set",
        to_field_name="code",
        queryset=CriteriaSet.objects.all(),
        label=_("Bộ tiêu chí (để trống: bộ tiêu chí xã NTM)"),
    )
    approved_only = ApprovedOnlyFilter(label=APPROVED_ONLY)

    defaults = {"year": _latest_assessed_year}
    user_defaults = {"approved_only": lambda user: YES if user and approval.approved_only_by_default(user) else ""}

    class Meta(ReportFilterSet.Meta):
        model = CommuneYear


class CriteriaMatrixFilterSet(CriteriaSummaryFilterSet):
    target_year = ParamFilter(label=_("Năm đăng ký về đích"), field_class=forms.IntegerField)
    reached = ParamFilter(
        label=_("Đạt chuẩn"),
        field_class=forms.TypedChoiceField,
        choices=[("", "---------"), ("yes", _("Đã đạt chuẩn")), ("no", _("Chưa đạt chuẩn"))],
    )


class SupportLedgerFilterSet(area_params("assignment__commune")):
    GROUPS = [
        ("category", _("Loại hỗ trợ")),
        ("sponsor", _("Đơn vị hỗ trợ")),
        ("commune", _("Xã")),
        ("district", _("Huyện")),
        ("year", _("Năm")),
        ("month", _("Tháng")),
    ]
    CHARTS = [("category", _("Theo loại hỗ trợ")), ("year", _("Theo năm"))]

    group_by = ListParamFilter(label=_("Cộng theo"), choices=GROUPS, widget=CHECKBOXES, required=False)
    decision = DecisionFilter(field_name="assignment__decision", label=L_DECISION)
    organisation = OrganisationFilter(field_name="assignment__organisation", label=L_ORGANISATION)
    parent = OrganisationFilter(field_name="assignment__organisation", subtree=True, label=L_PARENT)
    kind = django_filters.ChoiceFilter(
        field_name="assignment__organisation__kind", label=L_KIND, choices=OrganisationKind.choices
    )
    role = django_filters.MultipleChoiceFilter(
        field_name="assignment__role", label=L_ROLE, choices=AssignmentRole.choices, widget=CHECKBOXES
    )
    category = django_filters.ModelMultipleChoiceFilter(
        field_name="category__code",
        to_field_name="code",
        queryset=SupportCategory.objects.all(),
        label=_("Loại hỗ trợ"),
        widget=CHECKBOXES,
    )
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Từ ngày"), widget=DateInput)
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Đến ngày"), widget=DateInput)
    year = django_filters.NumberFilter(field_name="date__year", label=_("Năm"), min_value=1990, max_value=2100)
    chart = ParamFilter(label=_("Biểu đồ"), field_class=forms.ChoiceField, choices=CHARTS, required=False)

    defaults = {"group_by": lambda cleaned: ["category"], "chart": lambda cleaned: "category"}

    class Meta(ReportFilterSet.Meta):
        model = SupportRecord


def _year_before(cleaned):
    as_of = cleaned.get("as_of") or today()
    return as_of - datetime.timedelta(days=365)


class SponsorActivityFilterSet(area_params("commune")):
    decision = DecisionFilter(field_name="decision", label=L_DECISION)
    organisation = OrganisationFilter(field_name="organisation", label=L_ORGANISATION)
    parent = OrganisationFilter(field_name="organisation", subtree=True, label=L_PARENT)
    kind = django_filters.ChoiceFilter(field_name="organisation__kind", label=L_KIND, choices=OrganisationKind.choices)
    role = django_filters.MultipleChoiceFilter(
        field_name="role", label=L_ROLE, choices=AssignmentRole.choices, widget=CHECKBOXES
    )
    as_of = ParamFilter(label=L_AS_OF, field_class=forms.DateField, widget=DateInput)
    period_from = ParamFilter(label=_("Đếm hoạt động từ ngày"), field_class=forms.DateField, widget=DateInput)
    initiative_fields = ParamFilter(
        label=_("Lĩnh vực phải có mô hình (để trống: các lĩnh vực đã đăng ký theo văn bản)"),
        field_class=forms.ModelMultipleChoiceField,
        queryset=InitiativeField.objects.all(),
        to_field_name="code",
        required=False,
        widget=CHECKBOXES,
    )

    # as_of first: the period's default start is counted back from it.
    defaults = {"as_of": _default_today, "period_from": _year_before}

    class Meta(ReportFilterSet.Meta):
        model = Assignment


class TasksFilterSet(area_params("communes", many=True)):
    owner = OrganisationFilter(field_name="owner", label=_("Đơn vị thực hiện"))
    parent = OrganisationFilter(field_name="owner", subtree=True, label=L_PARENT)
    status = django_filters.MultipleChoiceFilter(
        field_name="status", label=_("Tình trạng"), choices=TaskStatus.choices, widget=CHECKBOXES
    )
    meeting_from = django_filters.DateFilter(
        field_name="meeting_date", lookup_expr="gte", label=_("Hội nghị từ ngày"), widget=DateInput
    )
    meeting_to = django_filters.DateFilter(
        field_name="meeting_date", lookup_expr="lte", label=_("Hội nghị đến ngày"), widget=DateInput
    )
    due_from = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label=_("Hạn từ ngày"), widget=DateInput
    )
    due_to = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Hạn đến ngày"), widget=DateInput
    )
    as_of = ParamFilter(label=_("Tính quá hạn đến ngày"), field_class=forms.DateField, widget=DateInput)

    defaults = {"as_of": _default_today}

    class Meta(ReportFilterSet.Meta):
        model = FollowUpTask
