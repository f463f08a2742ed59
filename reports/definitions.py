"""The eight reports. Each one: its parameters (a FilterSet), its columns, and compute() from SQL aggregations.

The figures come from the owning apps' querysets (criteria, sponsorship, meetings) where they
exist, and from reports.queries for what is specific to one report.
"""

from __future__ import annotations

import datetime

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from criteria import selectors
from criteria.choices import CommuneGroup, TargetBasis
from criteria.models import CriteriaSet, Indicator, IndicatorResult
from criteria.querysets import bands_for
from divisions.choices import UnitLevel
from meetings.choices import TaskStatus
from ntm_site.spreadsheets.registry import template_label
from ntm_site.value_lists import in_values
from reports import charts, queries
from reports.filters import (
    CriteriaMatrixFilterSet,
    CriteriaSummaryFilterSet,
    DecisionReviewFilterSet,
    SponsorActivityFilterSet,
    SponsorScorecardFilterSet,
    SupportLedgerFilterSet,
    TasksFilterSet,
    review_day_basis,
    review_day_note,
)
from reports.formatting import round_half_up
from reports.registry import Column, ColumnKind, Report, Table, register
from sponsorship.choices import AssignmentRole, InitiativeStatus, OrganisationKind
from sponsorship.models import Assignment, Organisation, SupportRecord

K = ColumnKind
ROLE_LABELS = dict(AssignmentRole.choices)
COMMUNE_GROUPS = dict(CommuneGroup.choices)
SPONSOR_PERMS = ("sponsorship.view_assignment", "sponsorship.view_supportrecord")
CRITERIA_PERMS = ("criteria.view_assessment",)


def _one_decimal(value):
    return None if value is None else float(value)


def _money_chart(title, labels, values, *, horizontal=True):
    return charts.bar_chart(
        title,
        labels,
        [(_("Giá trị"), charts.in_millions(values))],
        horizontal=horizontal,
        formatter=charts.million_formatter,
    )


# --- 1. decision-review ------------------------------------------------------------------------


@register
class DecisionReview(Report):
    slug = "decision-review"
    title = _("Sơ kết, tổng kết thực hiện văn bản phân công")
    description = _(
        "Kết quả của một văn bản phân công (kể cả văn bản sửa đổi, bổ sung) tính đến một ngày: số cơ quan, đơn vị "
        "theo hình thức phân công, số xã được phân công, số xã đã đạt chuẩn, kết quả hỗ trợ theo loại, mô hình "
        "đăng ký theo lĩnh vực."
    )
    filterset_class = DecisionReviewFilterSet
    permissions = SPONSOR_PERMS
    columns = [
        Column("category", _("Loại hỗ trợ"), width=34),
        Column("group", _("Nhóm"), width=14),
        Column("unit", _("Đơn vị tính"), width=12),
        Column("quantity", _("Số lượng"), K.DECIMAL, width=12),
        Column("value_vnd", _("Giá trị (đồng)"), K.VND, width=20),
        Column("records", _("Số lần hỗ trợ"), K.INT, width=12),
    ]
    group_columns = [
        Column("group", _("Loại (gộp theo nhóm)"), width=30),
        Column("unit", _("Đơn vị tính"), width=12),
        Column("quantity", _("Số lượng"), K.DECIMAL, width=12),
        Column("value_vnd", _("Giá trị (đồng)"), K.VND, width=20),
    ]
    initiative_columns = [
        Column("field", _("Lĩnh vực"), width=44),
        Column("status", _("Tình trạng"), choices=dict(InitiativeStatus.choices), width=18),
        Column("initiatives", _("Số mô hình, việc làm"), K.INT, width=14),
    ]

    def get_total_columns(self, filterset):
        return [
            *(
                Column(f"organisations.{role}", _("Số cơ quan, đơn vị – {role}").format(role=label), K.INT)
                for role, label in AssignmentRole.choices
            ),
            Column("organisations_total", _("Tổng số cơ quan, đơn vị"), K.INT),
            Column("communes", _("Số xã được phân công"), K.INT),
            Column("communes_reached", _("Số xã đã đạt chuẩn NTM"), K.INT),
            Column("support_value_vnd", _("Tổng giá trị hỗ trợ (đồng)"), K.VND),
            Column("support_records", _("Số lần hỗ trợ"), K.INT),
            Column("initiatives", _("Số mô hình, việc làm đăng ký"), K.INT),
        ]

    def compute(self, filterset, row_limit=None):
        decision, as_of = filterset.params["decision"], filterset.params["as_of"]
        assignments = filterset.in_scope(Assignment.objects.for_decision(decision))
        current = assignments.as_of(as_of)
        coverage = current.coverage(as_of=as_of)
        by_role = current.organisations_per_role()
        support = filterset.in_scope(SupportRecord.objects.for_decision(decision)).between(None, as_of)
        rows = [
            {
                "category": r["category_name"],
                "category_code": r["category_code"],
                "group": r["group"],
                "unit": r["unit"],
                "quantity": r["quantity"],
                "value_vnd": r["value_vnd"],
                "records": r["records"],
            }
            for r in support.totals_by_category()
        ]
        groups = [{k: r[k] for k in ("group", "unit", "quantity", "value_vnd")} for r in support.totals_by_group()]
        initiatives = queries.registered_by(as_of).filter(assignment__in=assignments.values("pk"))
        totals = {
            # In the order of the roles (phụ trách before kết nghĩa), as the review documents list them.
            "organisations": {role: by_role[role] for role in AssignmentRole.values if role in by_role},
            "organisations_total": coverage["organisations"],
            "communes": coverage["communes"],
            "communes_reached": coverage["communes_reached"],
            "support_value_vnd": support.total_value(),
            "support_records": support.count(),
            "initiatives": initiatives.count(),
            "as_of_basis": review_day_basis(decision, as_of),
        }
        tables = [
            Table("support_groups", _("Hỗ trợ gộp theo nhóm (ví dụ các loại nhà)"), self.group_columns, groups),
            Table(
                "initiatives",
                _("Mô hình, việc làm đăng ký theo lĩnh vực"),
                self.initiative_columns,
                queries.initiatives_by_field_and_status(initiatives),
            ),
        ]
        note = review_day_note(decision, as_of, totals["as_of_basis"])
        return {"totals": totals, "rows": rows, "tables": tables, "notes": [note]}

    def chart(self, result):
        rows = [r for r in result.rows if r["value_vnd"]]
        return _money_chart(
            _("Giá trị hỗ trợ theo loại (triệu đồng)"), [r["category"] for r in rows], [r["value_vnd"] for r in rows]
        )


# --- 2. sponsor-scorecard ------------------------------------------------------------------------


@register
class SponsorScorecard(Report):
    slug = "sponsor-scorecard"
    title = _("Kết quả phụ trách, đỡ đầu theo cơ quan, đơn vị")
    description = _(
        "Mỗi cơ quan, đơn vị một dòng: số xã được phân công (bắt đầu từ năm … đến ngày …), số xã đã đạt chuẩn, "
        "giá trị hỗ trợ, số mô hình đăng ký. Lọc theo tỉnh, loại cơ quan, cơ quan cấp trên (ví dụ một Đảng bộ "
        "Khối), văn bản phân công."
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
        Column("last_activity", _("Hoạt động gần nhất"), K.DATE, width=12),
    ]
    total_columns = [
        Column("organisations", _("Số cơ quan, đơn vị"), K.INT),
        Column("communes", _("Số xã được phụ trách, đỡ đầu"), K.INT),
        Column("communes_reached", _("Số xã đã đạt chuẩn NTM"), K.INT),
        Column("support_value_vnd", _("Tổng giá trị hỗ trợ (đồng)"), K.VND),
        Column("initiatives", _("Số mô hình, việc làm"), K.INT),
    ]

    def compute(self, filterset, row_limit=None):
        as_of, since_year = filterset.params["as_of"], filterset.params.get("since_year")
        since = datetime.date(since_year, 1, 1) if since_year else None
        scope = filterset.qs
        started = scope.started_by(as_of, since=since)
        # Each commune's standard is judged once, for the rows and the totals alike.
        reached = started.reached_commune_ids(as_of)
        figures = Organisation.objects.scorecard_figures(as_of=as_of, since=since, assignments=scope, reached=reached)
        organisations = Organisation.objects.filter(in_values(Organisation, "id", figures)).values(
            "pk", "name", "short_name", "kind"
        )
        rows = [
            {
                "organisation_id": o["pk"],
                "organisation": o["name"],
                "short_name": o["short_name"],
                "kind": o["kind"],
                "communes": figures[o["pk"]]["communes_sponsored"],
                "communes_reached": figures[o["pk"]]["communes_reached"],
                "support_value_vnd": figures[o["pk"]]["support_value_vnd"],
                "initiatives": figures[o["pk"]]["initiative_count"],
                "last_activity": figures[o["pk"]]["last_activity_on"],
            }
            for o in organisations
        ]
        rows.sort(key=lambda r: (-r["communes"], -r["communes_reached"], r["organisation"]))
        totals = started.coverage(as_of=as_of, reached=reached)
        # The figures hold every organisation with an assignment in scope: their sums are the totals.
        totals["support_value_vnd"] = sum(f["support_value_vnd"] for f in figures.values())
        totals["initiatives"] = sum(f["initiative_count"] for f in figures.values())
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


def _commune_years(filterset):
    """The filtered commune-year sheets that have results, of the national commune set unless one is chosen."""
    sheets = filterset.qs
    if not filterset.params.get("criteria_set"):
        sheets = sheets.national()
    return sheets.with_results()


def _with_standard(sheets, filterset):
    """The sheets annotated with the standard of their commune on the report's day (criteria.selectors):
    31/12 of the year, or today for the running year."""
    params = filterset.params
    on = selectors.day_for_year(int(params["year"]))
    return sheets.with_figures(on, selectors.standard_set(params.get("criteria_set")))


def _report_year(filterset) -> int | None:
    year = filterset.params.get("year")
    return int(year) if year not in (None, "") else None


def report_set(filterset) -> CriteriaSet | None:
    """The criteria set the criteria reports read, with its `size` (number of criteria): the set chosen, else the
    national commune set in force in the report's year. None when no set covers the year. One query, kept on the
    filterset for the columns and the figures."""
    if not hasattr(filterset, "_report_set"):
        chosen, year = filterset.params.get("criteria_set"), _report_year(filterset)
        sets = CriteriaSet.objects.with_size()
        if chosen is not None:
            found = sets.filter(pk=chosen.pk).first()
        else:
            found = sets.national_commune().covering(year).order_by("-valid_from_year").first() if year else None
        filterset._report_set = found
    return filterset._report_set


def _where_to_load() -> str:
    """Where a criteria set is loaded, named as the admin menu names it."""
    meta = CriteriaSet._meta
    return str(
        _("{app} › {model} (nhập tệp Excel theo biểu mẫu “{template}”)").format(
            app=meta.app_config.verbose_name,
            model=str(meta.verbose_name_plural).capitalize(),
            template=template_label("criteria-sets"),
        )
    )


def no_set_message(filterset) -> str | None:
    """Why a criteria report has no figures at all, or None: no set covers the year, or the chosen set is not
    in force in it. The reader is told where to load a set instead of reading a page of zeros."""
    year, chosen = _report_year(filterset), filterset.params.get("criteria_set")
    if year is None:
        return None
    if chosen is not None and not chosen.covers_year(year):
        return str(
            _(
                "Bộ tiêu chí “{set}” áp dụng từ năm {first} đến năm {last}, không áp dụng cho năm {year}: chọn bộ "
                "tiêu chí của năm {year}, hoặc nạp bộ tiêu chí ở {where}."
            ).format(
                set=chosen.short_label,
                first=chosen.valid_from_year,
                last=chosen.valid_to_year or "…",
                year=year,
                where=_where_to_load(),
            )
        )
    if report_set(filterset) is None:
        return str(
            _(
                "Chưa có bộ tiêu chí quốc gia về xã nông thôn mới nào áp dụng cho năm {year}, nên chưa có số liệu để "
                "tổng hợp. Nạp bộ tiêu chí của năm này ở {where}, rồi xem lại báo cáo."
            ).format(year=year, where=_where_to_load())
        )
    return None


def band_labels(size: int) -> list[tuple[str, str, object]]:
    """(criteria.querysets key, JSON key, Vietnamese label) of each band of criteria met for a set of `size`
    criteria: for 19, "19", "15-18", "10-14", "5-9", "0-4" as the reports have always printed them."""
    labelled = []
    for key, low, high in bands_for(size):
        if high is None:
            labelled.append((key, str(low), _("Đạt {n} tiêu chí").format(n=low)))
        elif low is None:
            labelled.append((key, f"0-{high}", _("Dưới {n} tiêu chí").format(n=high + 1)))
        elif low == high:
            labelled.append((key, str(low), _("Đạt {n} tiêu chí").format(n=low)))
        else:
            labelled.append((key, f"{low}-{high}", _("Từ {low} đến {high} tiêu chí").format(low=low, high=high)))
    return labelled


def _set_size(filterset) -> int:
    found = report_set(filterset)
    return found.size if found is not None else 0


@register
class CriteriaSummary(Report):
    slug = "criteria-summary"
    title = _("Tổng hợp kết quả thực hiện bộ tiêu chí")
    description = _(
        "Một địa bàn (tỉnh, huyện, hoặc các xã của một văn bản phân công) trong một năm: số xã được đánh giá, "
        "bình quân số tiêu chí đạt/xã, số xã đạt chuẩn, số xã theo nhóm số tiêu chí đạt, và tỷ lệ đạt của từng "
        "tiêu chí (tiêu chí yếu nhất trước). Tiêu chí “không áp dụng” được tính là đạt."
    )
    filterset_class = CriteriaSummaryFilterSet
    permissions = CRITERIA_PERMS
    columns = [
        Column("number", _("Tiêu chí số"), K.INT, width=10),
        Column("name", _("Tên tiêu chí"), width=44),
        Column("assessed", _("Số xã được đánh giá"), K.INT, width=12),
        Column("met", _("Số xã đạt"), K.INT, width=11),
        Column("rate", _("Tỷ lệ đạt (%)"), K.PERCENT, width=12),
    ]

    def get_total_columns(self, filterset):
        return [
            Column("communes", _("Số xã được đánh giá"), K.INT),
            Column("average_met", _("Bình quân số tiêu chí đạt/xã"), K.DECIMAL),
            Column("reached", _("Số xã đạt chuẩn"), K.INT),
            *(Column(f"bands.{key}", label, K.INT) for _band, key, label in band_labels(_set_size(filterset))),
        ]

    def compute(self, filterset, row_limit=None):
        empty = no_set_message(filterset)
        if empty:
            return {"totals": {}, "rows": [], "empty": empty}
        sheets = _commune_years(filterset)
        bands = band_labels(_set_size(filterset))
        summary = sheets.area_summary(bands=bands_for(_set_size(filterset)))
        totals = {
            "communes": summary["communes"],
            # Floats with one decimal: JSON prints 9.8, not "9.8".
            "average_met": _one_decimal(summary["average_met"]),
            "reached": _with_standard(sheets, filterset).filter(reached=True).count(),
            "all_met": summary["all_met"],
            "bands": {key: summary[band] for band, key, _label in bands},
        }
        rows = [
            {**{k: r[k] for k in ("number", "name", "assessed", "met")}, "rate": _one_decimal(r["rate"])}
            for r in sheets.criterion_rates()
        ]
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
        "Mỗi xã một dòng, mỗi tiêu chí một cột (Đ: đạt, CĐ: chưa đạt, KAD: không áp dụng), số tiêu chí đạt, năm "
        "đăng ký về đích và đạt chuẩn hay chưa. Lọc theo địa bàn, năm, năm về đích, đã đạt chuẩn hay chưa."
    )
    filterset_class = CriteriaMatrixFilterSet
    permissions = CRITERIA_PERMS
    landscape = True
    total_columns = [
        Column("communes", _("Số xã"), K.INT),
        Column("average_met", _("Bình quân số tiêu chí đạt/xã"), K.DECIMAL),
        Column("reached", _("Số xã đạt chuẩn"), K.INT),
    ]

    def compute(self, filterset, row_limit=None):
        empty = no_set_message(filterset)
        if empty:
            return {"totals": {}, "rows": [], "columns": self.base_columns(), "empty": empty}
        params = filterset.params
        sheets = _commune_years(filterset)
        rows_qs = queries.with_target_year(_with_standard(sheets, filterset))
        narrowed = bool(params.get("target_year")) or params.get("reached") in ("yes", "no")
        if params.get("target_year"):
            rows_qs = rows_qs.filter(target_year=params["target_year"])
        if params.get("reached") in ("yes", "no"):
            rows_qs = rows_qs.filter(reached=params["reached"] == "yes")
        figures = queries.matrix_totals(rows_qs)
        totals = {
            "communes": figures["communes"],
            "average_met": _one_decimal(round_half_up(figures["average_met"], 1)),
            "reached": figures["reached_count"],
        }
        listed = rows_qs.values(
            "pk",
            "commune__code",
            "commune__name",
            "commune__parent__name",
            "commune__parent__level",
            "met",
            "target_year",
            "reached",
        ).order_by("commune__parent__name", "commune__name", "commune__code")
        # The columns are the criteria of the set (tc1 … tc10 for QĐ 51/2025, tc1 … tc19 before).
        numbers = queries.set_numbers(report_set(filterset))
        if row_limit:
            # A page: the statuses of the rows it shows.
            listed = list(listed[:row_limit])
            cells = queries.matrix_cells([r["pk"] for r in listed])
        else:
            # A download: every status of the area in one query.
            listed = list(listed)
            cells = queries.matrix_cells(rows_qs if narrowed else sheets)
        no_cells = dict.fromkeys(numbers)
        rows = [
            {
                "code": r["commune__code"],
                "commune": r["commune__name"],
                "district": r["commune__parent__name"],
                **{f"tc{n}": status for n, status in (no_cells | cells.get(r["pk"], {})).items()},
                "met": r["met"],
                "target_year": r["target_year"],
                "reached": r["reached"],
            }
            for r in listed
        ]
        # On the 2025 map a commune sits directly under its province: the column says so.
        under_district = not listed or any(r["commune__parent__level"] == UnitLevel.DISTRICT for r in listed)
        columns = [
            *self.base_columns(under_district),
            *(Column(f"tc{n}", _("TC{n}").format(n=n), K.STATUS, width=5) for n in numbers),
            Column("met", _("Số TC đạt"), K.INT, width=8),
            Column("target_year", _("Năm về đích"), K.YEAR, width=9),
            Column("reached", _("Đạt chuẩn"), K.TEXT, width=9),
        ]
        return {"totals": totals, "rows": rows, "columns": columns, "row_count": figures["communes"]}

    @staticmethod
    def base_columns(under_district: bool = True) -> list[Column]:
        return [
            Column("code", _("Mã xã"), width=8),
            Column("commune", _("Tên xã"), width=24),
            Column("district", _("Huyện") if under_district else _("Tỉnh/thành phố"), width=18),
        ]

    def get_columns(self, filterset):
        return []


# --- 4b. indicator-summary ------------------------------------------------------------------------


def no_indicators_message(criteria_set) -> str:
    return str(
        _(
            "Bộ tiêu chí “{set}” chưa có chỉ tiêu nào, nên chưa có kết quả theo chỉ tiêu để tổng hợp. Nạp các chỉ "
            "tiêu và mức chỉ tiêu của bộ ở {where}, rồi xem lại báo cáo."
        ).format(set=criteria_set.short_label, where=_where_to_load())
    )


def _group_columns(groups) -> list[Column]:
    columns = []
    for group in groups:
        label = COMMUNE_GROUPS[group]
        columns += [
            Column(f"assessed_{group}", _("{group}: số xã được đánh giá").format(group=label), K.INT, width=11),
            Column(f"met_{group}", _("{group}: số xã đạt").format(group=label), K.INT, width=10),
            Column(f"rate_{group}", _("{group}: tỷ lệ đạt (%)").format(group=label), K.PERCENT, width=10),
        ]
    return columns


def _report_groups(filterset) -> tuple[str, ...]:
    """The commune groups a set's targets are set for (nhóm 1/2/3 of QĐ 51/2025); none for a region set."""
    found = report_set(filterset)
    return tuple(COMMUNE_GROUPS) if found is not None and found.target_basis == TargetBasis.GROUP else ()


@register
class IndicatorSummary(Report):
    slug = "indicator-summary"
    title = _("Tổng hợp kết quả thực hiện các chỉ tiêu")
    description = _(
        "Một địa bàn trong một năm: mỗi chỉ tiêu của bộ tiêu chí một dòng, với số xã được đánh giá, số xã đạt và "
        "tỷ lệ đạt, chung và theo từng nhóm xã (nhóm 1, 2, 3 của Quyết định 51/2025/QĐ-TTg), chỉ tiêu yếu nhất "
        "trước. Chỉ tiêu “không áp dụng” được tính là đạt."
    )
    filterset_class = CriteriaSummaryFilterSet
    permissions = CRITERIA_PERMS

    def get_columns(self, filterset):
        return [
            Column("code", _("Mã chỉ tiêu"), width=9),
            Column("criterion", _("Tiêu chí số"), K.INT, width=8),
            Column("indicator", _("Nội dung chỉ tiêu"), width=50),
            Column("unit", _("Đơn vị tính"), width=10),
            Column("assessed", _("Số xã được đánh giá"), K.INT, width=11),
            Column("met", _("Số xã đạt"), K.INT, width=10),
            Column("rate", _("Tỷ lệ đạt (%)"), K.PERCENT, width=10),
            *_group_columns(_report_groups(filterset)),
        ]

    def get_total_columns(self, filterset):
        return [
            Column("communes", _("Số xã được đánh giá"), K.INT),
            *(
                Column(f"groups.{group}", _("Số xã được đánh giá – {group}").format(group=COMMUNE_GROUPS[group]), K.INT)
                for group in _report_groups(filterset)
            ),
            Column("indicators", _("Số chỉ tiêu của bộ tiêu chí"), K.INT),
            Column("results", _("Số kết quả chỉ tiêu"), K.INT),
            Column("met", _("Số kết quả đạt"), K.INT),
            Column("rate", _("Tỷ lệ kết quả đạt (%)"), K.PERCENT),
        ]

    def compute(self, filterset, row_limit=None):
        empty = no_set_message(filterset)
        if empty:
            return {"totals": {}, "rows": [], "empty": empty}
        criteria_set = report_set(filterset)
        indicators = {
            i["pk"]: i
            for i in Indicator.objects.filter(criterion__criteria_set=criteria_set).values(
                "pk", "code", "text", "unit", "criterion__number"
            )
        }
        if not indicators:
            return {"totals": {}, "rows": [], "empty": no_indicators_message(criteria_set)}
        sheets = filterset.qs if filterset.params.get("criteria_set") else filterset.qs.national()
        results = IndicatorResult.objects.filter(commune_year__in=sheets.values("pk"), indicator__in=list(indicators))
        groups = _report_groups(filterset)
        figures = queries.indicator_totals(results, groups)
        rows, assessed = [], set()
        for r in queries.indicator_rates(results, groups):
            assessed.add(r["indicator"])
            rows.append(self._row(indicators[r["indicator"]], r, groups))
        # Indicators nobody has a result for yet come last, with no rate.
        rows += [self._row(i, {}, groups) for pk, i in indicators.items() if pk not in assessed]
        totals = {
            "communes": figures["communes"],
            "groups": {group: figures[f"communes_{group}"] for group in groups},
            "indicators": len(indicators),
            "results": figures["results"],
            "met": figures["met"],
            "rate": _one_decimal(round_half_up(figures["met"] * 100 / figures["results"], 1))
            if figures["results"]
            else None,
        }
        if not groups:
            del totals["groups"]
        return {"totals": totals, "rows": rows}

    @staticmethod
    def _row(indicator, figures, groups) -> dict:
        row = {
            "code": indicator["code"],
            "criterion": indicator["criterion__number"],
            "indicator": indicator["text"],
            "unit": indicator["unit"],
            "assessed": figures.get("assessed", 0),
            "met": figures.get("met", 0),
            "rate": _one_decimal(figures.get("rate")),
        }
        for group in groups:
            for measure in ("assessed", "met"):
                row[f"{measure}_{group}"] = figures.get(f"{measure}_{group}", 0)
            row[f"rate_{group}"] = _one_decimal(figures.get(f"rate_{group}"))
        return row

    def chart(self, result):
        rows = [r for r in result.rows if r["rate"] is not None][:20]
        if not rows:
            return None
        return charts.bar_chart(
            _("Tỷ lệ xã đạt từng chỉ tiêu (%), 20 chỉ tiêu yếu nhất"),
            [_("{code}. {text}").format(code=r["code"], text=r["indicator"]) for r in rows],
            [(_("Tỷ lệ đạt"), [r["rate"] for r in rows])],
            formatter=charts.percent_formatter,
            max_value=100,
        )


# --- 5. support-ledger -------------------------------------------------------------------------

LEDGER_COLUMNS = {
    "category": [Column("category", _("Loại hỗ trợ"), width=30), Column("unit", _("Đơn vị tính"), width=12)],
    "sponsor": [Column("sponsor", _("Đơn vị hỗ trợ"), width=40)],
    "commune": [Column("commune_code", _("Mã xã"), width=8), Column("commune", _("Xã"), width=24)],
    "district": [Column("district", _("Huyện"), width=22)],
    "year": [Column("year", _("Năm"), K.YEAR, width=8)],
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
        columns = [c for g in queries.LEDGER_GROUPS if g in groups for c in LEDGER_COLUMNS[g]]
        if "category" in groups:
            columns.append(Column("quantity", _("Số lượng"), K.DECIMAL, width=12))
        return [
            *columns,
            Column("records", _("Số lần"), K.INT, width=10),
            Column("value_vnd", _("Giá trị (đồng)"), K.VND, width=20),
        ]

    def compute(self, filterset, row_limit=None):
        records = filterset.qs
        by = filterset.params.get("chart") or "category"
        totals = {"records": records.count(), "value_vnd": records.total_value()}
        return {
            "totals": totals,
            "rows": queries.ledger_rows(records, filterset.params["group_by"]),
            "extra": {"chart": queries.ledger_chart(records, by), "chart_by": by},
        }

    def chart(self, result):
        by_year = result.extra.get("chart_by") == "year"
        data = [(label, value) for label, value in result.extra.get("chart", []) if value]
        title = _("Giá trị hỗ trợ theo năm (triệu đồng)") if by_year else _("Giá trị hỗ trợ theo loại (triệu đồng)")
        return _money_chart(title, [label for label, _v in data], [v for _l, v in data], horizontal=not by_year)


# --- 6. tasks ------------------------------------------------------------------------------------


@register
class Tasks(Report):
    slug = "tasks"
    title = _("Theo dõi nhiệm vụ sau hội nghị")
    description = _(
        "Nhiệm vụ do các hội nghị giao, theo từng đơn vị thực hiện: đang mở, quá hạn, đã hoàn thành (có hoàn thành "
        "trễ hạn), hạn gần nhất và hạn quá lâu nhất; bên dưới là danh sách nhiệm vụ còn mở, quá hạn trước."
    )
    filterset_class = TasksFilterSet
    permissions = ("meetings.view_followuptask",)
    columns = [
        Column("owner", _("Đơn vị thực hiện"), width=44),
        Column("total", _("Tổng số"), K.INT, width=9),
        Column("open", _("Đang mở"), K.INT, width=9),
        Column("overdue", _("Quá hạn"), K.INT, width=9),
        Column("done", _("Đã hoàn thành"), K.INT, width=11),
        Column("done_late", _("Hoàn thành trễ hạn"), K.INT, width=11),
        Column("cancelled", _("Không thực hiện nữa"), K.INT, width=11),
        Column("next_due", _("Hạn gần nhất"), K.DATE, width=12),
        Column("oldest_overdue", _("Quá hạn từ"), K.DATE, width=12),
    ]
    total_columns = [
        Column("total", _("Tổng số nhiệm vụ"), K.INT),
        Column("open", _("Đang mở"), K.INT),
        Column("overdue", _("Quá hạn"), K.INT),
        Column("done", _("Đã hoàn thành"), K.INT),
        Column("cancelled", _("Không thực hiện nữa"), K.INT),
    ]
    task_columns = [
        Column("meeting", _("Hội nghị"), width=40),
        Column("meeting_date", _("Ngày họp"), K.DATE, width=12),
        Column("text", _("Nhiệm vụ"), width=60),
        Column("owner", _("Đơn vị thực hiện"), width=30),
        Column("due_date", _("Hạn"), K.DATE, width=12),
        Column("status", _("Tình trạng"), choices=dict(TaskStatus.choices), width=16),
        Column("overdue", _("Quá hạn"), width=8),
    ]

    def compute(self, filterset, row_limit=None):
        as_of = filterset.params["as_of"]
        tasks = filterset.qs
        rows = [
            {
                "owner_id": r["owner_id"],
                "owner": r["owner__name"],
                "short_name": r["owner__short_name"],
                **{k: r[k] for k in ("total", "open", "overdue", "done", "done_late", "cancelled")},
                "next_due": r["next_due"],
                "oldest_overdue": r["oldest_overdue"],
            }
            for r in tasks.summary_by_owner(on=as_of).order_by("-overdue", "-open", "owner__name")
        ]
        open_qs = (
            tasks.open()
            .with_overdue(as_of)
            .order_by("-is_overdue", "due_date", "meeting_date", "order")
            .values("meeting__title", "meeting_date", "text", "owner__name", "due_date", "status", "is_overdue")
        )
        open_tasks = [
            {
                "meeting": t["meeting__title"],
                "meeting_date": t["meeting_date"],
                "text": t["text"],
                "owner": t["owner__name"],
                "due_date": t["due_date"],
                "status": t["status"],
                "overdue": t["is_overdue"],
            }
            for t in (open_qs[:row_limit] if row_limit else open_qs)
        ]
        totals = tasks.totals(on=as_of)
        table = Table("open_tasks", _("Nhiệm vụ còn mở"), self.task_columns, open_tasks, row_count=totals["open"])
        return {"totals": totals, "rows": rows, "tables": [table]}

    def chart(self, result):
        rows = result.rows[:15]
        return charts.bar_chart(
            _("Nhiệm vụ theo đơn vị thực hiện"),
            [r["short_name"] or r["owner"] for r in rows],
            [
                (_("Quá hạn"), [r["overdue"] for r in rows]),
                (_("Đang mở"), [r["open"] for r in rows]),
                (_("Đã hoàn thành"), [r["done"] for r in rows]),
            ],
        )


# --- 7. sponsor-activity -----------------------------------------------------------------------


@register
class SponsorActivity(Report):
    slug = "sponsor-activity"
    title = _("Mức độ hoạt động của đơn vị phụ trách xã")
    description = _(
        "Mỗi phân công đang hiệu lực một dòng: lần gần nhất đi thực tế hoặc làm việc với xã, số lần trong kỳ, số "
        "kiến nghị của xã chưa giải quyết và kiến nghị cũ nhất đã chờ bao lâu, các lĩnh vực chưa đăng ký mô hình. "
        "Đơn vị ít hoạt động nhất đứng đầu."
    )
    filterset_class = SponsorActivityFilterSet
    permissions = SPONSOR_PERMS
    total_columns = [
        Column("assignments", _("Số phân công đang hiệu lực"), K.INT),
        Column("idle", _("Số phân công không đi xã, làm việc trong kỳ"), K.INT),
        Column("open_proposals", _("Số kiến nghị chưa giải quyết"), K.INT),
        Column("missing_fields", _("Số phân công thiếu mô hình ở ít nhất một lĩnh vực"), K.INT),
    ]
    columns = [
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
        Column("missing_fields", _("Lĩnh vực chưa có mô hình"), width=40),
    ]

    def compute(self, filterset, row_limit=None):
        params = filterset.params
        as_of = params["as_of"]
        assignments = filterset.qs.as_of(as_of)
        fields = list(params.get("initiative_fields") or queries.activity_fields(assignments, as_of))
        annotated = queries.with_activity(assignments, as_of=as_of, period_from=params["period_from"], fields=fields)
        rows = [
            {
                "assignment_id": a.pk,
                "organisation": a.organisation.name,
                "commune": a.commune.name,
                "district": a.commune.parent.name if a.commune.parent_id else "",
                "role": a.role,
                "decision": a.decision.symbol,
                "last_activity": a.last_visit,
                "activities_in_period": a.visits_in_period,
                "open_proposals": a.open_count,
                "oldest_open_days": a.oldest_open_days,
                "initiatives": a.initiative_count,
                "missing_fields": [f.name for i, f in enumerate(fields) if not getattr(a, f"has_field_{i}")],
            }
            for a in annotated.select_related("organisation", "commune__parent", "decision").order_by(
                F("last_visit").asc(nulls_first=True),
                "visits_in_period",
                "organisation__name",
                "commune__name",
            )
        ]
        return {"totals": queries.activity_totals(annotated), "rows": rows}
