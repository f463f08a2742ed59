"""The reports. Each one: its parameters (a FilterSet), its columns, and compute() in SQL aggregations."""

from __future__ import annotations

import datetime

from django.db.models import (
    Avg,
    BooleanField,
    CharField,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.db.models.functions import Coalesce, ExtractYear, NullIf, TruncMonth
from django.utils.translation import gettext_lazy as _

from criteria.choices import AssessmentStatus, SetLevel
from criteria.models import Target
from reports import charts
from reports.filters import (
    CriteriaMatrixFilterSet,
    CriteriaSummaryFilterSet,
    DecisionReviewFilterSet,
    SponsorActivityFilterSet,
    SponsorScorecardFilterSet,
    SupportLedgerFilterSet,
)
from reports.formatting import round_half_up
from reports.queries import (
    BANDS,
    COUNTED_AS_MET,
    active_between,
    commune_year_results,
    criteria_in_set,
    decision_family,
    in_force,
    rate,
    reached_standard,
)
from reports.registry import Column, ColumnKind, Report, Table, register
from sponsorship.choices import ActivityKind, AssignmentRole, InitiativeStatus, OrganisationKind
from sponsorship.models import Activity, Assignment, Initiative, Proposal, SupportRecord

K = ColumnKind
ROLE_LABELS = dict(AssignmentRole.choices)
BAND_LABELS = {
    "19": _("Đạt 19 tiêu chí"),
    "15-18": _("Từ 15 đến 18 tiêu chí"),
    "10-14": _("Từ 10 đến 14 tiêu chí"),
    "5-9": _("Từ 5 đến 9 tiêu chí"),
    "0-4": _("Dưới 5 tiêu chí"),
}
SPONSOR_PERMS = ("sponsorship.view_assignment", "sponsorship.view_supportrecord")
CRITERIA_PERMS = ("criteria.view_assessment",)


def _rows(queryset, rename: dict[str, str]) -> list[dict]:
    """Rows of a values() queryset with SQL aliases renamed to the report's keys."""
    return [{rename.get(k, k): v for k, v in row.items() if rename.get(k, k) is not None} for row in queryset]


def _zero(expression):
    return Coalesce(expression, Value(0))


def _count_subquery(queryset) -> Subquery:
    return _zero(
        Subquery(
            queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        )
    )


def _sum_subquery(queryset, field: str, output=IntegerField) -> Subquery:
    return _zero(
        Subquery(
            queryset.order_by().annotate(one=Value(1)).values("one").annotate(total=Sum(field)).values("total")[:1],
            output_field=output(),
        )
    )


# --- 1. decision-review ------------------------------------------------------------------------


@register
class DecisionReview(Report):
    slug = "decision-review"
    title = _("Sơ kết, tổng kết thực hiện văn bản phân công")
    description = _(
        "Kết quả của một văn bản phân công (kể cả văn bản sửa đổi) tính đến một ngày: số cơ quan, đơn vị theo hình "
        "thức phân công, số xã được phụ trách, số xã đã đạt chuẩn, kết quả hỗ trợ theo loại, mô hình đăng ký."
    )
    filterset_class = DecisionReviewFilterSet
    permissions = SPONSOR_PERMS
    columns = [
        Column("category", _("Loại hỗ trợ"), width=34),
        Column("group", _("Nhóm"), width=16),
        Column("unit", _("Đơn vị tính"), width=12),
        Column("quantity", _("Số lượng"), K.DECIMAL, width=12),
        Column("value_vnd", _("Giá trị (đồng)"), K.VND, width=20),
        Column("records", _("Số lần hỗ trợ"), K.INT, width=12),
    ]
    initiative_columns = [
        Column("field", _("Lĩnh vực"), width=30),
        Column("status", _("Tình trạng"), choices=dict(InitiativeStatus.choices), width=18),
        Column("initiatives", _("Số mô hình, việc làm"), K.INT, width=14),
    ]
    group_columns = [
        Column("group", _("Nhóm"), width=30),
        Column("quantity", _("Số lượng"), K.DECIMAL, width=12),
        Column("value_vnd", _("Giá trị (đồng)"), K.VND, width=20),
    ]

    def get_total_columns(self, filterset):
        roles = [
            Column(f"organisations.{role}", _("Số cơ quan, đơn vị – {role}").format(role=label), K.INT)
            for role, label in AssignmentRole.choices
        ]
        return [
            *roles,
            Column("organisations_total", _("Tổng số cơ quan, đơn vị"), K.INT),
            Column("communes", _("Số xã được phân công"), K.INT),
            Column("communes_reached", _("Số xã đã đạt chuẩn NTM"), K.INT),
            Column("support_value_vnd", _("Tổng giá trị hỗ trợ (đồng)"), K.VND),
            Column("support_records", _("Số lần hỗ trợ"), K.INT),
            Column("initiatives", _("Số mô hình, việc làm đăng ký"), K.INT),
        ]

    def compute(self, filterset):
        decision, as_of = filterset.params["decision"], filterset.params["as_of"]
        family = decision_family(decision, as_of)
        current = Assignment.objects.filter(decision__in=family).filter(in_force(on=as_of))
        by_role = dict(
            current.order_by()
            .values_list("role")
            .annotate(n=Count("organisation", distinct=True))
            .values_list("role", "n")
        )
        counts = current.aggregate(
            organisations_total=Count("organisation", distinct=True),
            communes=Count("commune", distinct=True),
            communes_reached=Count("commune", distinct=True, filter=reached_standard("commune", as_of)),
        )
        support = SupportRecord.objects.filter(assignment__decision__in=family, date__lte=as_of)
        support_totals = support.aggregate(support_value_vnd=Sum("value_vnd", default=0), support_records=Count("pk"))
        rows = _rows(
            support.annotate(shown_unit=Coalesce(NullIf("unit", Value("")), F("category__default_unit")))
            .order_by()
            .values("category__ordering", "category__name", "category__code", "category__group", "shown_unit")
            .annotate(quantity=Sum("quantity"), value_vnd=Sum("value_vnd"), records=Count("pk"))
            .order_by("category__ordering", "category__name", "shown_unit"),
            {
                "category__ordering": None,
                "category__name": "category",
                "category__code": "category_code",
                "category__group": "group",
                "shown_unit": "unit",
            },
        )
        groups = _rows(
            support.exclude(category__group="")
            .order_by()
            .values("category__group")
            .annotate(quantity=Sum("quantity"), value_vnd=Sum("value_vnd"), first=Min("category__ordering"))
            .order_by("first", "category__group"),
            {"category__group": "group", "first": None},
        )
        initiatives = Initiative.objects.filter(assignment__decision__in=family).filter(
            Q(registered_on__isnull=True) | Q(registered_on__lte=as_of)
        )
        initiative_rows = _rows(
            initiatives.order_by()
            .values("field", "status")
            .annotate(initiatives=Count("pk"))
            .order_by("field", "status"),
            {},
        )
        totals = {
            "organisations": {role: by_role[role] for role in AssignmentRole.values if role in by_role},
            **counts,
            **support_totals,
            "initiatives": initiatives.count(),
        }
        tables = [
            Table("initiatives", _("Mô hình, việc làm đăng ký theo lĩnh vực"), self.initiative_columns, initiative_rows)
        ]
        if groups:
            tables.insert(0, Table("support_groups", _("Hỗ trợ theo nhóm"), self.group_columns, groups))
        return {"totals": totals, "rows": rows, "tables": tables}

    def chart(self, result):
        rows = [r for r in result.rows if r["value_vnd"]]
        return charts.bar_chart(
            _("Giá trị hỗ trợ theo loại (đồng)"),
            [r["category"] for r in rows],
            [(_("Giá trị"), [r["value_vnd"] for r in rows])],
        )


# --- 2. sponsor-scorecard ------------------------------------------------------------------------


@register
class SponsorScorecard(Report):
    slug = "sponsor-scorecard"
    title = _("Kết quả phụ trách, đỡ đầu theo cơ quan, đơn vị")
    description = _(
        "Mỗi cơ quan, đơn vị một dòng: số xã được phân công (từ năm … đến ngày …), số xã đã đạt chuẩn, "
        "giá trị hỗ trợ, số mô hình đăng ký. Lọc theo tỉnh, loại cơ quan, cơ quan cấp trên (ví dụ một Đảng bộ Khối), "
        "văn bản phân công."
    )
    filterset_class = SponsorScorecardFilterSet
    permissions = SPONSOR_PERMS
    columns = [
        Column("organisation", _("Cơ quan, đơn vị"), width=44),
        Column("short_name", _("Tên viết tắt"), width=16),
        Column("kind", _("Loại"), choices=dict(OrganisationKind.choices), width=18),
        Column("communes", _("Số xã phụ trách"), K.INT, width=12),
        Column("communes_reached", _("Số xã đạt chuẩn"), K.INT, width=12),
        Column("support_value_vnd", _("Giá trị hỗ trợ (đồng)"), K.VND, width=20),
        Column("initiatives", _("Số mô hình, việc làm"), K.INT, width=12),
    ]
    total_columns = [
        Column("organisations", _("Số cơ quan, đơn vị"), K.INT),
        Column("communes", _("Số xã được phụ trách, đỡ đầu"), K.INT),
        Column("communes_reached", _("Số xã đã đạt chuẩn NTM"), K.INT),
        Column("support_value_vnd", _("Tổng giá trị hỗ trợ (đồng)"), K.VND),
        Column("initiatives", _("Số mô hình, việc làm"), K.INT),
    ]

    def compute(self, filterset):
        as_of, since_year = filterset.params["as_of"], filterset.params.get("since_year")
        start = datetime.date(since_year, 1, 1) if since_year else datetime.date(1900, 1, 1)
        assignments = filterset.qs.filter(active_between(start=start, end=as_of))
        ids = assignments.order_by().values("pk")
        reached = reached_standard("commune", as_of)
        support = SupportRecord.objects.filter(assignment__in=ids, date__gte=start, date__lte=as_of)
        initiatives = Initiative.objects.filter(assignment__in=ids).filter(
            Q(registered_on__isnull=True) | Q(registered_on__lte=as_of)
        )
        rows = _rows(
            assignments.order_by()
            .values("organisation", "organisation__name", "organisation__short_name", "organisation__kind")
            .annotate(
                communes=Count("commune", distinct=True),
                communes_reached=Count("commune", distinct=True, filter=reached),
                support_value_vnd=_sum_subquery(
                    support.filter(assignment__organisation=OuterRef("organisation")), "value_vnd"
                ),
                initiatives=_count_subquery(initiatives.filter(assignment__organisation=OuterRef("organisation"))),
            )
            .order_by("-communes", "-communes_reached", "organisation__name"),
            {
                "organisation": "organisation_id",
                "organisation__name": "organisation",
                "organisation__short_name": "short_name",
                "organisation__kind": "kind",
            },
        )
        totals = assignments.aggregate(
            organisations=Count("organisation", distinct=True),
            communes=Count("commune", distinct=True),
            communes_reached=Count("commune", distinct=True, filter=reached),
        )
        totals["support_value_vnd"] = support.aggregate(v=Sum("value_vnd", default=0))["v"]
        totals["initiatives"] = initiatives.count()
        return {"totals": totals, "rows": rows}

    def chart(self, result):
        rows = result.rows[:20]
        return charts.bar_chart(
            _("Số xã phụ trách và số xã đạt chuẩn (20 đơn vị đầu)"),
            [r["short_name"] or r["organisation"] for r in rows],
            [
                (_("Số xã phụ trách"), [r["communes"] for r in rows]),
                (_("Đạt chuẩn"), [r["communes_reached"] for r in rows]),
            ],
        )


# --- 3. criteria-summary -------------------------------------------------------------------------


def _assessments(filterset):
    qs = filterset.qs
    if not filterset.params.get("criteria_set"):
        qs = qs.filter(criterion__criteria_set__level=SetLevel.COMMUNE)
    return qs


def _met_summary(per_commune) -> dict:
    """Communes, average criteria met and reached standard over a commune-year results queryset."""
    bands = {
        f"band_{code}": Count("commune", filter=Q(met__gte=low, **({"met__lte": high} if high is not None else {})))
        for code, low, high in BANDS
    }
    figures = per_commune.aggregate(
        communes=Count("commune"),
        average_met=Avg("met"),
        reached_count=Count("commune", filter=Q(met__gte=F("size"))),
        **bands,
    )
    return {
        "communes": figures["communes"],
        "average_met": round_half_up(figures["average_met"], 1),
        "reached": figures["reached_count"],
        "bands": {code: figures[f"band_{code}"] for code, _low, _high in BANDS},
    }


@register
class CriteriaSummary(Report):
    slug = "criteria-summary"
    title = _("Tổng hợp kết quả thực hiện bộ tiêu chí")
    description = _(
        "Một địa bàn (tỉnh, huyện, hoặc các xã của một văn bản phân công) trong một năm: số xã được đánh giá, "
        "bình quân số tiêu chí đạt/xã, số xã đạt chuẩn, số xã theo nhóm số tiêu chí đạt, và tỷ lệ đạt của từng "
        "tiêu chí (tiêu chí yếu nhất trước)."
    )
    filterset_class = CriteriaSummaryFilterSet
    permissions = CRITERIA_PERMS
    columns = [
        Column("number", _("Tiêu chí số"), K.INT, width=10),
        Column("name", _("Tên tiêu chí"), width=44),
        Column("met", _("Số xã đạt"), K.INT, width=11),
        Column("not_met", _("Số xã chưa đạt"), K.INT, width=11),
        Column("not_applicable", _("Không áp dụng"), K.INT, width=11),
        Column("rate", _("Tỷ lệ đạt (%)"), K.PERCENT, width=12),
    ]

    def get_total_columns(self, filterset):
        return [
            Column("communes", _("Số xã được đánh giá"), K.INT),
            Column("average_met", _("Bình quân số tiêu chí đạt/xã"), K.DECIMAL),
            Column("reached", _("Số xã đạt chuẩn (đạt tất cả tiêu chí)"), K.INT),
            *(Column(f"bands.{code}", label, K.INT) for code, label in BAND_LABELS.items()),
        ]

    def compute(self, filterset):
        assessments = _assessments(filterset)
        totals = _met_summary(commune_year_results(assessments))
        rows = _rows(
            assessments.order_by()
            .values("criterion__number", "criterion__name")
            .annotate(
                met=Count("pk", filter=Q(status=AssessmentStatus.MET)),
                not_met=Count("pk", filter=Q(status=AssessmentStatus.NOT_MET)),
                not_applicable=Count("pk", filter=Q(status=AssessmentStatus.NOT_APPLICABLE)),
                assessed=Count("pk", filter=Q(status__in=(AssessmentStatus.MET, AssessmentStatus.NOT_MET))),
            )
            .annotate(rate=rate("met", "assessed"))
            .order_by(F("rate").asc(nulls_last=True), "criterion__number"),
            {"criterion__number": "number", "criterion__name": "name", "assessed": None},
        )
        for row in rows:
            row["rate"] = round_half_up(row["rate"], 1)
        return {"totals": totals, "rows": rows}

    def chart(self, result):
        rows = result.rows
        return charts.bar_chart(
            _("Tỷ lệ xã đạt từng tiêu chí (%), yếu nhất trước"),
            [_("TC {number}. {name}").format(number=r["number"], name=r["name"]) for r in rows],
            [(_("Tỷ lệ đạt"), [r["rate"] for r in rows])],
            formatter=charts.percent_formatter,
            max_value=100,
        )


# --- 4. criteria-matrix --------------------------------------------------------------------------


@register
class CriteriaMatrix(Report):
    slug = "criteria-matrix"
    title = _("Bảng kết quả tiêu chí theo xã")
    description = _(
        "Mỗi xã một dòng, mỗi tiêu chí một cột (Đ: đạt, CĐ: chưa đạt, KAD: không áp dụng), số tiêu chí đạt và năm "
        "đăng ký về đích. Lọc theo địa bàn, năm, năm về đích, đã đạt chuẩn hay chưa."
    )
    filterset_class = CriteriaMatrixFilterSet
    permissions = CRITERIA_PERMS
    landscape = True
    total_columns = [
        Column("communes", _("Số xã"), K.INT),
        Column("average_met", _("Bình quân số tiêu chí đạt/xã"), K.DECIMAL),
        Column("reached", _("Số xã đạt chuẩn"), K.INT),
    ]

    def compute(self, filterset):
        params = filterset.params
        assessments = _assessments(filterset)
        numbers = list(assessments.order_by("criterion__number").values_list("criterion__number", flat=True).distinct())
        same_set_target = Target.objects.filter(
            commune=OuterRef("commune"), criteria_set=OuterRef("criterion__criteria_set")
        ).values("target_year")[:1]
        any_target = (
            Target.objects.filter(commune=OuterRef("commune"), criteria_set__level=SetLevel.COMMUNE)
            .order_by("-target_year")
            .values("target_year")[:1]
        )
        per_commune = (
            assessments.order_by()
            .values("commune", "commune__code", "commune__name", "commune__parent__name", "criterion__criteria_set")
            .annotate(
                **{
                    f"tc{n}": Max(
                        SqlCase(When(criterion__number=n, then=F("status")), output_field=CharField()),
                    )
                    for n in numbers
                },
                met=Count("pk", filter=Q(status__in=COUNTED_AS_MET)),
                size=criteria_in_set(),
                target_year=Coalesce(Subquery(same_set_target), Subquery(any_target)),
            )
            .annotate(reached=ExpressionWrapper(Q(met__gte=F("size")), output_field=BooleanField()))
        )
        if params.get("target_year"):
            per_commune = per_commune.filter(target_year=params["target_year"])
        if params.get("reached") == "yes":
            per_commune = per_commune.filter(met__gte=F("size"))
        elif params.get("reached") == "no":
            per_commune = per_commune.filter(met__lt=F("size"))
        totals = _met_summary(per_commune)
        totals.pop("bands")
        rows = _rows(
            per_commune.order_by("commune__parent__name", "commune__name", "commune__code"),
            {
                "commune": None,
                "criterion__criteria_set": None,
                "size": None,
                "commune__code": "code",
                "commune__name": "commune",
                "commune__parent__name": "district",
            },
        )
        columns = [
            Column("code", _("Mã xã"), width=8),
            Column("commune", _("Tên xã"), width=24),
            Column("district", _("Huyện"), width=18),
            *(Column(f"tc{n}", _("TC{n}").format(n=n), K.STATUS, width=5) for n in numbers),
            Column("met", _("Số TC đạt"), K.INT, width=8),
            Column("target_year", _("Năm về đích"), K.TEXT, width=9),
            Column("reached", _("Đạt chuẩn"), K.TEXT, width=9),
        ]
        return {"totals": totals, "rows": rows, "columns": columns}

    def get_columns(self, filterset):
        return []


# --- 5. support-ledger -------------------------------------------------------------------------

# Group name -> (SQL alias -> expression, output key of each alias, ordering).
LEDGER_GROUPS = {
    "category": (
        {
            "g_category": F("category__name"),
            "g_category_code": F("category__code"),
            "g_unit": Coalesce(NullIf("unit", Value("")), F("category__default_unit")),
            "g_category_order": F("category__ordering"),
        },
        ["g_category_order", "g_category", "g_unit"],
    ),
    "sponsor": ({"g_sponsor": F("assignment__organisation__name")}, ["g_sponsor"]),
    "commune": (
        {"g_commune_code": F("assignment__commune__code"), "g_commune": F("assignment__commune__name")},
        ["g_commune", "g_commune_code"],
    ),
    "district": ({"g_district": F("assignment__commune__parent__name")}, ["g_district"]),
    "year": ({"g_year": ExtractYear("date")}, ["g_year"]),
    "month": ({"g_month": TruncMonth("date", output_field=DateField())}, ["g_month"]),
}
LEDGER_COLUMNS = {
    "category": [
        Column("category", _("Loại hỗ trợ"), width=30),
        Column("unit", _("Đơn vị tính"), width=12),
    ],
    "sponsor": [Column("sponsor", _("Đơn vị hỗ trợ"), width=40)],
    "commune": [Column("commune_code", _("Mã xã"), width=8), Column("commune", _("Xã"), width=24)],
    "district": [Column("district", _("Huyện"), width=22)],
    "year": [Column("year", _("Năm"), width=8)],
    "month": [Column("month", _("Tháng"), K.MONTH, width=10)],
}


@register
class SupportLedger(Report):
    slug = "support-ledger"
    title = _("Sổ tổng hợp kết quả hỗ trợ")
    description = _(
        "Tổng số lần, số lượng và giá trị hỗ trợ, cộng theo loại hỗ trợ, đơn vị hỗ trợ, xã, huyện, năm hoặc tháng "
        "(chọn một hay nhiều cách cộng)."
    )
    filterset_class = SupportLedgerFilterSet
    permissions = ("sponsorship.view_supportrecord",)
    total_columns = [
        Column("records", _("Số lần hỗ trợ"), K.INT),
        Column("value_vnd", _("Tổng giá trị (đồng)"), K.VND),
    ]

    def get_columns(self, filterset):
        groups = filterset.params["group_by"]
        columns = [c for g in LEDGER_GROUPS if g in groups for c in LEDGER_COLUMNS[g]]
        if "category" in groups:
            columns.append(Column("quantity", _("Số lượng"), K.DECIMAL, width=12))
        return [
            *columns,
            Column("records", _("Số lần"), K.INT, width=10),
            Column("value_vnd", _("Giá trị (đồng)"), K.VND, width=20),
        ]

    def compute(self, filterset):
        groups = [g for g in LEDGER_GROUPS if g in filterset.params["group_by"]]
        support = filterset.qs
        expressions, ordering = {}, []
        for group in groups:
            exprs, order = LEDGER_GROUPS[group]
            expressions.update(exprs)
            ordering += order
        measures = {"records": Count("pk"), "value_vnd": Sum("value_vnd")}
        if "category" in groups:
            measures["quantity"] = Sum("quantity")
        rows = _rows(
            support.order_by().annotate(**expressions).values(*expressions).annotate(**measures).order_by(*ordering),
            {alias: (None if alias == "g_category_order" else alias[2:]) for alias in expressions},
        )
        totals = support.aggregate(records=Count("pk"), value_vnd=Sum("value_vnd", default=0))
        by = filterset.params.get("chart") or "category"
        if by == "year":
            chart_rows = (
                support.order_by().values(label=ExtractYear("date")).annotate(value=Sum("value_vnd")).order_by("label")
            )
        else:
            chart_rows = (
                support.order_by()
                .values("category__ordering", label=F("category__name"))
                .annotate(value=Sum("value_vnd"))
                .order_by("category__ordering", "label")
            )
        chart_data = [(str(r["label"]), r["value"]) for r in chart_rows]
        return {"totals": totals, "rows": rows, "extra": {"chart": chart_data, "chart_by": by}}

    def chart(self, result):
        by_year = result.extra.get("chart_by") == "year"
        data = [(label, value) for label, value in result.extra.get("chart", []) if value]
        title = _("Giá trị hỗ trợ theo năm (đồng)") if by_year else _("Giá trị hỗ trợ theo loại (đồng)")
        return charts.bar_chart(
            title, [label for label, _v in data], [(_("Giá trị"), [v for _l, v in data])], horizontal=not by_year
        )


# --- 7. sponsor-activity -----------------------------------------------------------------------

VISIT_KINDS = (ActivityKind.VISIT, ActivityKind.WORKING_SESSION)


@register
class SponsorActivity(Report):
    slug = "sponsor-activity"
    title = _("Mức độ hoạt động của đơn vị phụ trách xã")
    description = _(
        "Mỗi phân công một dòng: lần gần nhất đi thực tế hoặc làm việc với xã, số lần trong kỳ, số kiến nghị của xã "
        "chưa giải quyết và đã chờ bao lâu, các lĩnh vực chưa đăng ký mô hình. Đơn vị ít hoạt động nhất đứng đầu."
    )
    filterset_class = SponsorActivityFilterSet
    permissions = SPONSOR_PERMS
    total_columns = [
        Column("assignments", _("Số phân công đang hiệu lực"), K.INT),
        Column("idle", _("Số phân công không có hoạt động trong kỳ"), K.INT),
        Column("open_proposals", _("Số kiến nghị chưa giải quyết"), K.INT),
        Column("missing_fields", _("Số phân công thiếu mô hình ở ít nhất một lĩnh vực"), K.INT),
    ]

    def get_columns(self, filterset):
        return [
            Column("organisation", _("Cơ quan, đơn vị"), width=36),
            Column("commune", _("Xã"), width=20),
            Column("district", _("Huyện"), width=18),
            Column("role", _("Hình thức"), choices=ROLE_LABELS, width=12),
            Column("decision", _("Văn bản"), width=14),
            Column("last_activity", _("Lần gần nhất đi xã, làm việc"), K.DATE, width=14),
            Column("activities_in_period", _("Số lần trong kỳ"), K.INT, width=10),
            Column("open_proposals", _("Kiến nghị chưa giải quyết"), K.INT, width=11),
            Column("oldest_open_days", _("Kiến nghị cũ nhất đã chờ (ngày)"), K.DAYS, width=12),
            Column("initiatives", _("Số mô hình"), K.INT, width=9),
            Column("missing_fields", _("Lĩnh vực chưa có mô hình"), width=36),
        ]

    def compute(self, filterset):
        params = filterset.params
        as_of, period_from = params["as_of"], params["period_from"]
        assignments = filterset.qs.filter(in_force(on=as_of))
        registered = Initiative.objects.filter(Q(registered_on__isnull=True) | Q(registered_on__lte=as_of))
        fields = params.get("initiative_fields") or list(
            registered.filter(assignment__decision__in=assignments.values("decision"))
            .order_by("field")
            .values_list("field", flat=True)
            .distinct()
        )
        visits = Activity.objects.filter(assignment=OuterRef("pk"), kind__in=VISIT_KINDS, date__lte=as_of)
        open_proposals = Proposal.objects.filter(activity__assignment=OuterRef("pk"), activity__date__lte=as_of).filter(
            Q(resolved=False) | Q(resolved_on__gt=as_of)
        )
        has_field = {
            f"has_field_{i}": Exists(registered.filter(assignment=OuterRef("pk"), field=f))
            for i, f in enumerate(fields)
        }
        missing = sum(
            (SqlCase(When(**{f"has_field_{i}": False}, then=Value(1)), default=Value(0)) for i in range(len(fields))),
            Value(0),
        )
        annotated = assignments.annotate(
            last_activity=Subquery(visits.order_by("-date").values("date")[:1], output_field=DateField()),
            activities_in_period=_count_subquery(visits.filter(date__gte=period_from)),
            open_count=_count_subquery(open_proposals),
            oldest_open=Subquery(
                open_proposals.order_by("activity__date").values("activity__date")[:1], output_field=DateField()
            ),
            initiative_count=_count_subquery(registered.filter(assignment=OuterRef("pk"))),
            **has_field,
        ).annotate(
            oldest_open_days=ExpressionWrapper(
                Value(as_of, output_field=DateField()) - F("oldest_open"), output_field=DurationField()
            ),
            fields_missing=ExpressionWrapper(missing, output_field=IntegerField()),
        )
        rows = []
        for a in annotated.select_related("organisation", "commune__parent", "decision").order_by(
            F("last_activity").asc(nulls_first=True), "activities_in_period", "organisation__name", "commune__name"
        ):
            rows.append(
                {
                    "assignment_id": a.pk,
                    "organisation": a.organisation.name,
                    "commune": a.commune.name,
                    "district": a.commune.parent.name if a.commune.parent_id else "",
                    "role": a.role,
                    "decision": a.decision.symbol,
                    "last_activity": a.last_activity,
                    "activities_in_period": a.activities_in_period,
                    "open_proposals": a.open_count,
                    "oldest_open_days": a.oldest_open_days,
                    "initiatives": a.initiative_count,
                    "missing_fields": [f for i, f in enumerate(fields) if not getattr(a, f"has_field_{i}")],
                }
            )
        # Aggregate aliases must differ from the annotations they read: a same-named one replaces it.
        totals = annotated.aggregate(
            assignments=Count("pk"),
            idle=Count("pk", filter=Q(activities_in_period=0)),
            open_proposals=Sum("open_count", default=0),
            missing_fields=Count("pk", filter=Q(fields_missing__gt=0)),
        )
        return {"totals": totals, "rows": rows}
