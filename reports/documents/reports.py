"""Draft reports (báo cáo) from the results of the reports app.

Each generator takes a report result, the same dict `export_report … --format json` prints::

    {"report": "decision-review", "params": {…}, "totals": {…}, "rows": [{…}, …]}

and returns an `OfficialDocument`: the header of the issuing body, the title, an introduction
naming the decision or area and the period, the figures as sentences where the sources write
them so and as a table where there are many, then "Nơi nhận" and the signature block. Every
figure of the result appears in the document; a total this module has no sentence for is
still printed, in a table of other figures, so nothing the records hold is lost.

Records the result only names (a decision by its symbol, an area by its code) are looked up
for the words around the figures: the decision's date, issuer and title, the area's name.
"""

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ntm_site.text import fold
from reports.documents.builder import Column, DocumentFile, Issuer, OfficialDocument, bold_cell
from reports.documents.formats import (
    as_date,
    join_vi,
    lower_first,
    vn_date,
    vn_decimal,
    vn_int,
    vn_percent,
    vn_quantity,
    vnd_amount,
    vnd_phrase,
)
from reports.documents.issuers import (
    LAST_DAY_WITH_DISTRICTS,
    has_ended,
    issuer_for_organisation,
    issuer_from_text,
    place_name,
    province_of,
    unit_on,
)
from reports.documents.phrases import SupportItem, support_sentence
from reports.filters import review_day_basis, review_day_note

PLACEHOLDER = "……………………………………"

# How the sentences name the organisations of each role.
ROLE_NOUNS = {
    "phu_trach": _lazy("cơ quan, đơn vị phụ trách"),
    "do_dau": _lazy("cơ quan, đơn vị đỡ đầu"),
    "ket_nghia": _lazy("đơn vị kết nghĩa"),
    "giup_do": _lazy("cơ quan, đơn vị giúp đỡ"),
}

_ROLE_ORDER = {role: index for index, role in enumerate(ROLE_NOUNS)}

# Labels of totals printed in the "other figures" table, when a report adds some.
TOTAL_LABELS = {
    "organisations": _lazy("Số cơ quan, đơn vị"),
    "organisations_total": _lazy("Tổng số cơ quan, đơn vị"),
    "support_records": _lazy("Số lượt hỗ trợ"),
    "communes": _lazy("Số xã"),
    "communes_reached": _lazy("Số xã đạt chuẩn nông thôn mới"),
    "support_value_vnd": _lazy("Tổng giá trị hỗ trợ (đồng)"),
    "initiatives": _lazy("Số mô hình, việc làm đăng ký"),
    "average_met": _lazy("Bình quân số tiêu chí đạt/xã"),
    "reached": _lazy("Số xã đạt chuẩn nông thôn mới"),
    "bands": _lazy("Số xã theo số tiêu chí đạt"),
}


def _recipients() -> list[str]:
    """Who receives the report is the clerk's choice: one line to fill in, then the office's file copy."""
    return [PLACEHOLDER + ";"]


def _title_of(slug: str) -> str:
    """The report's Vietnamese title for the file name (a slug is a code, not a name)."""
    from reports import registry

    try:
        return str(registry.get(slug).title)
    except KeyError:
        return slug


def _filename(*parts) -> str:
    return "-".join(slugify(fold(str(p).replace("/", "-"))) for p in parts if p) + ".docx"


def _other_totals(doc: OfficialDocument, result: dict, used: set[str]):
    """Totals the sentences did not use, in a small table: the document never drops a figure."""
    totals = result.get("totals", {})
    rest = {key: value for key, value in totals.items() if key not in used}
    if not rest:
        return
    labels = {**TOTAL_LABELS, **result.get("total_labels", {})}
    rows = []
    for key, value in rest.items():
        label = str(labels.get(key, key))
        if isinstance(value, dict):
            for sub_key, sub_value in value.items():
                rows.append([f"{label}: {sub_key}", _figure(sub_value)])
        else:
            rows.append([label, _figure(value)])
    numbered = [[vn_int(i), *row] for i, row in enumerate(rows, start=1)]
    doc.table(
        [Column(_("STT"), 0.9, centered=True), Column(_("Chỉ tiêu"), 5), Column(_("Số liệu"), 2, numeric=True)],
        numbered,
        caption=_("Số liệu khác"),
    )


def _figure(value) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else (_("Có") if value else _("Không"))
    if isinstance(value, int):
        return vn_int(value)
    if isinstance(value, float | Decimal):
        return vn_decimal(value, 1)
    return str(value)


# -- decision-review ------------------------------------------------------------------------------


def _decision(symbol):
    from sponsorship.models import Decision

    if not symbol:
        return None
    return Decision.objects.select_related("province").filter(symbol=symbol).first()


def _role_noun(role: str, decision) -> str:
    noun = ROLE_NOUNS.get(role)
    if noun is None:
        return lower_first(str(role))
    if role == "ket_nghia" and decision is not None and _all_enterprises(decision, role):
        return _("doanh nghiệp kết nghĩa")
    return str(noun)


def _all_enterprises(decision, role) -> bool:
    """The sources call twinned partners "doanh nghiệp kết nghĩa" when every one of them is an enterprise."""
    from sponsorship.models import Organisation

    partners = Organisation.objects.filter(assignments__decision=decision, assignments__role=role)
    return partners.exists() and not partners.exclude(kind="doanh_nghiep").exists()


def _commune_noun(decision) -> str:
    if decision is not None and "dac thu" in fold(decision.title):
        return _("xã đặc thù")
    return _("xã")


def _decision_label(decision, symbol) -> str:
    if decision is None:
        return _("Văn bản số {symbol}").format(symbol=symbol)
    return _("{type} số {symbol}").format(type=decision.get_document_type_display(), symbol=decision.symbol)


def _years_between(start: datetime.date, end: datetime.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def decision_review_document(
    result: dict,
    *,
    decision=None,
    issuer: Issuer | None = None,
    style: str | None = None,
    date: datetime.date | None = None,
) -> OfficialDocument:
    """The review report of one decision's programme, like the three-year review of 140-QĐ/TU."""
    with translation.override("vi"):
        return _decision_review(result, decision=decision, issuer=issuer, style=style, date=date)


def _decision_review(result, *, decision, issuer, style, date):
    params, totals, rows = result.get("params", {}), result.get("totals", {}), result.get("rows", [])
    tables = result.get("tables", {})
    symbol = params.get("decision") or getattr(decision, "symbol", "")
    decision = decision if decision is not None else _decision(symbol)
    as_of = as_date(params.get("as_of")) or date or timezone.localdate()
    if issuer is None:
        if decision is not None:
            issuer = issuer_from_text(decision.issuer, province=decision.province, style=style, on=_issued_on(date))
        else:
            issuer = _coordination_office(None, style=style)
    label = _decision_label(decision, symbol)

    years = _years_between(decision.issued_on, as_of) if decision is not None else 0
    if decision is not None:
        base = _("{label} ngày {date} của {issuer}").format(
            label=label, date=vn_date(decision.issued_on), issuer=decision.issuer
        )
    else:
        base = label
    if years >= 1:
        title = _("Sơ kết {years} năm thực hiện {base}").format(years=years, base=base)
    else:
        title = _("Kết quả thực hiện {base}").format(base=base)
    doc = _report_document(issuer=issuer, title=title, date=date, style=style, year=as_of.year, as_of=as_of)

    communes = totals.get("communes")
    reached = totals.get("communes_reached")
    # Roles in the order the decisions list them (phụ trách, đỡ đầu, kết nghĩa, giúp đỡ), whatever the result's order.
    by_role = dict(
        sorted((totals.get("organisations") or {}).items(), key=lambda item: _ROLE_ORDER.get(item[0], len(_ROLE_ORDER)))
    )
    commune_noun = _commune_noun(decision)
    used = {"communes", "communes_reached", "organisations", "organisations_total", "support_value_vnd"}
    used |= {"support_records", "initiatives"}

    # Introduction: which decision, what it assigned, which period.
    if decision is not None:
        term = ""
        if decision.term_from_year and decision.term_to_year:
            term = _(", thời gian thực hiện từ năm {start} đến năm {end}").format(
                start=decision.term_from_year, end=decision.term_to_year
            )
        doc.paragraph(
            _("Ngày {date}, {issuer} ban hành {label} {title}{term}.").format(
                date=vn_date(decision.issued_on),
                issuer=decision.issuer,
                label=label,
                title=lower_first(decision.title),
                term=term,
            )
        )
        period = _("từ ngày {start} đến ngày {end}").format(start=vn_date(decision.issued_on), end=vn_date(as_of))
    else:
        period = _("đến ngày {end}").format(end=vn_date(as_of))
    doc.paragraph(
        _(
            "Báo cáo này tổng hợp kết quả thực hiện {label} {period}, theo số liệu trên Hệ thống hồ sơ nông thôn mới."
        ).format(label=label, period=period)
    )
    if decision is not None:
        basis = totals.get("as_of_basis") or review_day_basis(decision, as_of)
        doc.paragraph(review_day_note(decision, as_of, basis))

    doc.heading(_("I. CÔNG TÁC PHÂN CÔNG, TRIỂN KHAI THỰC HIỆN"))
    nouns = {role: _role_noun(role, decision) for role in by_role}
    roles = join_vi(f"{vn_int(count)} {nouns[role]}" for role, count in by_role.items() if count)
    if roles or communes is not None:
        sentence = _("Theo {label}, {roles} được phân công giúp đỡ {communes} {noun}").format(
            label=label, roles=roles or _("các cơ quan, đơn vị"), communes=vn_int(communes or 0), noun=commune_noun
        )
        total = totals.get("organisations_total")
        if total is not None and len([c for c in by_role.values() if c]) > 1:
            sentence += _("; tổng cộng {total} cơ quan, đơn vị tham gia").format(total=vn_int(total))
        doc.paragraph(sentence + ".")
    initiatives = totals.get("initiatives")
    if initiatives:
        doc.paragraph(
            _("Các cơ quan, đơn vị đã đăng ký {count} mô hình, việc làm cụ thể giúp xã.").format(
                count=vn_int(initiatives)
            )
        )
    elif initiatives is not None:
        doc.paragraph(
            _("Đến ngày {date}, chưa có mô hình, việc làm cụ thể nào được đăng ký.").format(date=vn_date(as_of))
        )
    _initiatives_table(doc, tables.get("initiatives") or [])

    doc.heading(_("II. KẾT QUẢ GIÚP ĐỠ, HỖ TRỢ CÁC XÃ"))
    items = _support_items(rows)
    subject = _("Các {roles}").format(roles=join_vi(nouns.values())) if nouns else ""
    sentence = support_sentence(
        items,
        subject=subject or _("Các cơ quan, đơn vị"),
        total_vnd=totals.get("support_value_vnd"),
        group_totals={g.get("group"): g.get("quantity") for g in tables.get("support_groups") or []},
    )
    if totals.get("support_records"):
        sentence = sentence[:-1] + _(", qua {count} lượt hỗ trợ.").format(count=vn_int(totals["support_records"]))
    doc.paragraph(sentence)
    if rows:
        _support_table(doc, rows, items, totals, tables.get("support_groups") or [])

    doc.heading(_("III. KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI Ở CÁC XÃ ĐƯỢC PHÂN CÔNG"))
    if communes is not None and reached is not None:
        doc.paragraph(
            _("Đến ngày {date}, đã có {reached}/{communes} {noun} đạt chuẩn nông thôn mới.").format(
                date=vn_date(as_of), reached=vn_int(reached), communes=vn_int(communes), noun=commune_noun
            )
        )
    _other_totals(doc, result, used)

    doc.heading(_("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"))
    doc.paragraph(PLACEHOLDER)
    doc.closing(recipients=_recipients())
    return doc


def _support_table(doc, rows, items, totals, groups):
    """One line per category; a group's subtotal (all kinds of house: "Nhà ở") in bold above its members."""
    has_records = any("records" in row for row in rows)
    group_rows = {g.get("group"): g for g in groups}
    lines, shown_groups = [], set()
    for number, (row, item) in enumerate(zip(rows, items, strict=True), start=1):
        group = row.get("group") or ""
        if group in group_rows and group not in shown_groups:
            shown_groups.add(group)
            subtotal = group_rows[group]
            quantity, value = vn_quantity(subtotal.get("quantity")), vnd_amount(subtotal.get("value_vnd"))
            line = ["", bold_cell(group), "", bold_cell(quantity), bold_cell(value)]
            lines.append(line + ([""] if has_records else []))
        name = f"- {item.category}" if group in group_rows else item.category
        line = [vn_int(number), name, item.unit, vn_quantity(item.quantity), vnd_amount(item.value_vnd)]
        lines.append(line + ([vn_int(row.get("records") or 0)] if has_records else []))
    columns = [
        Column(_("STT"), 0.9, centered=True),
        Column(_("Nội dung hỗ trợ"), 4),
        Column(_("Đơn vị tính"), 1.3),
        Column(_("Số lượng"), 1.3, numeric=True),
        Column(_("Giá trị (đồng)"), 2.3, numeric=True),
    ]
    total = ["", _("Tổng cộng"), "", "", vnd_amount(totals.get("support_value_vnd") or 0)]
    if has_records:
        columns.append(Column(_("Số lượt hỗ trợ"), 1.2, numeric=True))
        total.append(_figure(totals.get("support_records")) if totals.get("support_records") is not None else "")
    doc.table(columns, lines, total=total, caption=_("Biểu tổng hợp kết quả hỗ trợ theo loại"))


def _initiatives_table(doc, rows):
    if not rows:
        return
    from sponsorship.choices import InitiativeStatus

    statuses = dict(InitiativeStatus.choices)
    doc.table(
        [
            Column(_("STT"), 0.9, centered=True),
            Column(_("Lĩnh vực"), 4.5),
            Column(_("Tình trạng"), 2.5),
            Column(_("Số mô hình, việc làm"), 2, numeric=True),
        ],
        [
            [
                vn_int(i),
                row.get("field", ""),
                str(statuses.get(row.get("status"), row.get("status") or "")),
                vn_int(row.get("initiatives") or 0),
            ]
            for i, row in enumerate(rows, start=1)
        ],  # fmt: skip
        caption=_("Mô hình, việc làm đăng ký theo lĩnh vực"),
    )


def _support_items(rows: list[dict]) -> list[SupportItem]:
    catalogue = _catalogue(rows)
    items = []
    for row in rows:
        code, name = row.get("category_code"), row.get("category", "")
        kind, group = catalogue.get(code) or catalogue.get(name) or ("", "")
        items.append(
            SupportItem(
                category=name,
                unit=row.get("unit", "") or "",
                quantity=row.get("quantity"),
                value_vnd=row.get("value_vnd") or 0,
                kind=row.get("kind") or kind,
                group=row.get("group") or group,
            )
        )
    return items


def _catalogue(rows) -> dict:
    """Kind and group of the rows' categories from the catalogue, by code and by name (one query)."""
    from sponsorship.models import SupportCategory

    codes = [row["category_code"] for row in rows if row.get("category_code")]
    names = [row["category"] for row in rows if row.get("category")]
    found = {}
    for code, name, kind, group in SupportCategory.objects.filter(Q(code__in=codes) | Q(name__in=names)).values_list(
        "code", "name", "kind", "group"
    ):
        found[code] = found[name] = (kind, group)
    return found


# -- sponsor-scorecard ----------------------------------------------------------------------------


def _organisation(value):
    from sponsorship.models import Organisation

    if not value:
        return None
    queryset = Organisation.objects.select_related("parent", "home_unit")
    if str(value).isdigit():
        return queryset.filter(pk=int(value)).first()
    return queryset.filter(name__iexact=str(value).strip()).first() or queryset.filter(short_name=value).first()


def _unit(value):
    """A unit named by a report parameter: {"code", "name", "edition"} as the reports print it, a code, or a name."""
    from divisions.models import AdministrativeUnit

    if not value:
        return None
    queryset = AdministrativeUnit.objects.select_related("parent", "province")
    if isinstance(value, dict):
        found = queryset.filter(code=value.get("code"))
        if value.get("edition"):
            found = found.filter(edition=value["edition"])
        return found.order_by("-valid_from").first() or _unit(value.get("name"))
    if str(value).isdigit():
        return queryset.filter(code=str(value)).order_by("-valid_from").first()
    from ntm_site.text import search_key

    return queryset.filter(search_key__startswith=search_key(str(value))).order_by("-valid_from").first()


def _issued_on(date) -> datetime.date:
    """The day a draft is issued: its date, or today for a draft left to date at signing."""
    return date or timezone.localdate()


def covers_line(year: int, as_of: datetime.date | None = None) -> str:
    """The line under the title saying which year the draft covers (and the day its figures are taken on)."""
    if as_of is not None:
        return _("(Số liệu năm {year}, tính đến ngày {day})").format(year=year, day=vn_date(as_of))
    return _("(Số liệu năm {year})").format(year=year)


def _report_document(*, issuer, title, date, style, year: int | None, as_of: datetime.date | None = None):
    """A draft report (Báo cáo) that states, under its title, the year its figures cover."""
    return OfficialDocument(
        issuer=issuer,
        type_code="BC",
        type_name=_("Báo cáo"),
        title=title,
        date=date,
        year=year,
        style=style,
        subtitle_lines=[covers_line(year, as_of)] if year else [],
    )


def _coordination_office(unit, *, style=None, on=None) -> Issuer:
    """Whoever is not told otherwise issues as the coordination office of the province (state style)."""
    if on is not None and unit is not None:
        unit = unit_on(province_of(unit), on)
    place = place_name(unit)
    name = (
        _("Văn phòng Điều phối nông thôn mới tỉnh {place}").format(place=place)
        if place
        else _("Văn phòng Điều phối nông thôn mới")
    )
    return issuer_from_text(name, province=unit, style=style, on=on)


def sponsor_scorecard_document(
    result: dict, *, issuer: Issuer | None = None, style: str | None = None, date: datetime.date | None = None
) -> OfficialDocument:
    """The sponsors' scorecard: how many communes each sponsored, how many reached standard, what they gave."""
    with translation.override("vi"):
        return _sponsor_scorecard(result, issuer=issuer, style=style, date=date)


def _sponsor_scorecard(result, *, issuer, style, date):
    params, totals, rows = result.get("params", {}), result.get("totals", {}), result.get("rows", [])
    as_of = as_date(params.get("as_of")) or date or timezone.localdate()
    parent = _organisation(params.get("parent"))
    decision = _decision(params.get("decision"))
    province = _area(params)[0]
    if issuer is None:
        if parent is not None:
            issuer = issuer_for_organisation(parent, style=style, on=_issued_on(date))
        elif decision is not None:
            issuer = issuer_from_text(decision.issuer, province=decision.province, style=style, on=_issued_on(date))
        else:
            issuer = _coordination_office(province, style=style, on=_issued_on(date))

    whose = ""
    if parent is not None:
        whose = _(" của các cơ quan, đơn vị thuộc {parent}").format(parent=parent.name)
    elif decision is not None:
        whose = _(" theo {label}").format(label=_decision_label(decision, decision.symbol))
    elif province is not None:
        whose = _(" trên địa bàn {area}").format(area=lower_first(province.name))
    title = _("Kết quả công tác đỡ đầu, giúp đỡ các xã xây dựng nông thôn mới{whose}").format(whose=whose)
    doc = _report_document(issuer=issuer, title=title, date=date, style=style, year=as_of.year, as_of=as_of)
    since = params.get("since_year") or params.get("since")
    period = (
        _("từ năm {since} đến ngày {end}").format(since=since, end=vn_date(as_of))
        if since
        else _("đến ngày {end}").format(end=vn_date(as_of))
    )
    scope = []
    if params.get("kind"):
        scope.append(_("loại đơn vị: {kind}").format(kind=_kind_label(params["kind"])))
    intro = _("Báo cáo tổng hợp kết quả công tác đỡ đầu, giúp đỡ các xã xây dựng nông thôn mới{whose} {period}").format(
        whose=whose, period=period
    )
    if scope:
        intro += " (" + "; ".join(scope) + ")"
    doc.paragraph(intro + _(", theo số liệu trên Hệ thống hồ sơ nông thôn mới."))

    doc.heading(_("I. KẾT QUẢ CHUNG"))
    organisations = totals.get("organisations")
    communes, reached = totals.get("communes"), totals.get("communes_reached")
    used = {"organisations", "communes", "communes_reached"}
    if organisations is not None and communes is not None:
        sentence = _("{Period}, {organisations} cơ quan, đơn vị đã đỡ đầu, giúp đỡ {communes} xã").format(
            Period=period[0].upper() + period[1:], organisations=vn_int(organisations), communes=vn_int(communes)
        )
        if reached is not None:
            sentence += _(", trong đó {reached} xã đã đạt chuẩn nông thôn mới").format(reached=vn_int(reached))
        doc.paragraph(sentence + ".")
    used.add("support_value_vnd")
    if totals.get("support_value_vnd"):
        amount = vnd_phrase(totals["support_value_vnd"])
        doc.paragraph(_("Các đơn vị đã hỗ trợ các xã với tổng giá trị {amount}.").format(amount=amount))
    used.add("initiatives")
    if totals.get("initiatives"):
        doc.paragraph(
            _("Các đơn vị đã đăng ký {count} mô hình, việc làm cụ thể giúp xã.").format(
                count=vn_int(totals["initiatives"])
            )
        )
    leaders = [row for row in rows if row.get("communes")][:7]
    if leaders:
        doc.paragraph(
            _("Nhiều đơn vị đỡ đầu nhiều xã và giúp xã về đích sớm, tiêu biểu là: {list}.").format(
                list="; ".join(
                    _("{name} đỡ đầu {communes} xã ({reached} xã đạt chuẩn)").format(
                        name=row.get("organisation") or row.get("short_name"),
                        communes=vn_int(row["communes"]),
                        reached=vn_int(row.get("communes_reached") or 0),
                    )
                    for row in leaders
                )
            )
        )
    _other_totals(doc, result, used)

    doc.heading(_("II. KẾT QUẢ CỦA TỪNG CƠ QUAN, ĐƠN VỊ"))
    table_rows = [
        [
            vn_int(i),
            row.get("organisation") or row.get("short_name") or "",
            vn_int(row.get("communes") or 0),
            vn_int(row.get("communes_reached") or 0),
            vnd_amount(row.get("support_value_vnd") or 0),
            vn_int(row.get("initiatives") or 0),
        ]
        for i, row in enumerate(rows, start=1)
    ]
    total = [
        "",
        _("Tổng cộng"),
        _figure(communes) if communes is not None else "",
        _figure(reached) if reached is not None else "",
        vnd_amount(totals["support_value_vnd"]) if totals.get("support_value_vnd") is not None else "",
        _figure(totals["initiatives"]) if totals.get("initiatives") is not None else "",
    ]
    doc.table(
        [
            Column(_("STT"), 0.9, centered=True),
            Column(_("Cơ quan, đơn vị"), 4.2),
            Column(_("Số xã đỡ đầu"), 1.3, numeric=True),
            Column(_("Số xã đạt chuẩn"), 1.3, numeric=True),
            Column(_("Giá trị hỗ trợ (đồng)"), 2.2, numeric=True),
            Column(_("Số mô hình đăng ký"), 1.3, numeric=True),
        ],
        table_rows,
        total=total,
        size=12,
    )
    doc.heading(_("III. NHẬN XÉT, ĐỀ XUẤT"))
    doc.paragraph(PLACEHOLDER)
    doc.closing(recipients=_recipients())
    return doc


def _kind_label(kind: str) -> str:
    from sponsorship.choices import OrganisationKind

    try:
        return str(OrganisationKind(kind).label)
    except ValueError:
        return kind


# -- criteria-summary -----------------------------------------------------------------------------


def _area(params):
    for key in ("commune", "district", "area", "province"):
        value = params.get(key)
        if value:
            unit = _unit(value)
            name = unit.name if unit is not None else (value.get("name") if isinstance(value, dict) else str(value))
            return unit, name
    return None, ""


def _rate(value) -> Decimal:
    """Rates come as percentages (0-100)."""
    return Decimal(str(value or 0))


def criteria_summary_document(
    result: dict, *, issuer: Issuer | None = None, style: str | None = None, date: datetime.date | None = None
) -> OfficialDocument:
    """An area's yearly criteria results: communes assessed, average met, reached, bands, the weakest criteria."""
    with translation.override("vi"):
        return _criteria_summary(result, issuer=issuer, style=style, date=date)


def _criteria_summary(result, *, issuer, style, date):
    params, totals, rows = result.get("params", {}), result.get("totals", {}), result.get("rows", [])
    year = params.get("year")
    unit, area_name = _area(params)
    decision = _decision(params.get("decision"))
    if issuer is None:
        issuer = _area_issuer(unit, style=style, on=_issued_on(date))
    area = lower_first(area_name) if area_name else ""
    if decision is not None and not area:
        area = _("các xã theo {label}").format(label=_decision_label(decision, decision.symbol))
    title = _("Kết quả thực hiện Bộ tiêu chí quốc gia về xã nông thôn mới{year}{area}").format(
        year=_(" năm {year}").format(year=year) if year else "",
        area=_(" trên địa bàn {area}").format(area=area) if area_name else (f" ({area})" if area else ""),
    )
    doc = _report_document(issuer=issuer, title=title, date=date, style=style, year=int(year) if year else None)
    communes, average, reached = totals.get("communes"), totals.get("average_met"), totals.get("reached")
    bands = totals.get("bands") or {}
    used = {"communes", "average_met", "reached", "all_met", "bands"}
    where = _("toàn {area}").format(area=area) if area_name else _("toàn địa bàn")
    doc.paragraph(
        _(
            "Báo cáo tổng hợp kết quả đánh giá các xã theo Bộ tiêu chí quốc gia về xã nông thôn mới{year} {where}, "
            "theo số liệu trên Hệ thống hồ sơ nông thôn mới."
        ).format(year=_(" năm {year}").format(year=year) if year else "", where=where)
    )
    doc.heading(_("I. KẾT QUẢ CHUNG"))
    sentence = []
    if result.get("empty"):
        # No set covers the year: the draft says why there are no figures, as the page does.
        doc.paragraph(result["empty"])
    if communes == 0:
        doc.paragraph(
            _("{When}chưa có xã nào {where} được đánh giá trên hệ thống (0 xã).").format(
                When=_("Năm {year}, ").format(year=year) if year else "", where=lower_first(where)
            )
        )
        communes, reached, bands = None, None, {}
    if communes is not None:
        sentence.append(
            _("{When}{where} có {communes} xã được đánh giá").format(
                When=_("Năm {year}, ").format(year=year) if year else "", where=where, communes=vn_int(communes)
            )
        )
    if average is not None:
        sentence.append(_("bình quân đạt {average} tiêu chí/xã").format(average=vn_decimal(average, 1)))
    if reached is not None:
        sentence.append(
            _("có {reached} xã đạt chuẩn nông thôn mới").format(reached=vn_int(reached))
            if reached
            else _("chưa có xã nào đạt chuẩn nông thôn mới")
        )
    all_met = totals.get("all_met")
    if all_met is not None and communes is not None:
        sentence.append(
            _("{count} xã đạt đủ các tiêu chí của bộ tiêu chí").format(count=vn_int(all_met))
            if all_met
            else _("chưa có xã nào đạt đủ các tiêu chí của bộ tiêu chí")
        )
    if sentence:
        doc.paragraph("; ".join(sentence) + ".")
    if bands:
        doc.paragraph(_bands_sentence(bands))
    # The report lists the weakest criterion first; the five weakest not met everywhere are named.
    weakest = [row for row in rows if row.get("rate") is not None and _rate(row["rate"]) < 100][:5]
    if weakest:
        doc.paragraph(
            _("Các tiêu chí có tỷ lệ xã đạt thấp nhất: {list}.").format(
                list="; ".join(
                    _("Tiêu chí {number} ({name}): {met}").format(
                        number=row.get("number"),
                        name=lower_first(row.get("name", "")),
                        met=_("{met} xã đạt, {rate}").format(
                            met=vn_int(row["met"]), rate=vn_percent(_rate(row.get("rate")))
                        )
                        if row.get("met")
                        else _("chưa có xã nào đạt"),
                    )
                    for row in weakest
                )
            )
        )
    _other_totals(doc, result, used)

    if rows:
        _criteria_table(doc, rows)
        doc.heading(_("III. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI"))
    else:
        doc.heading(_("II. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI"))
    doc.paragraph(PLACEHOLDER)
    doc.closing(recipients=_recipients())
    return doc


def _area_issuer(unit, *, style=None, on) -> Issuer:
    """Who reports on an area's criteria on the day `on`: the district's People's Committee while the district
    exists; after 30/06/2025 the province's People's Committee for a part of it; else the coordination office."""
    if unit is not None and unit.level == 2 and not has_ended(unit, on):
        committee = _("Ủy ban nhân dân {district}").format(district=lower_first(unit.name))
        return issuer_from_text(committee, province=unit, style=style, on=on)
    if unit is not None and unit.level > 1 and on > LAST_DAY_WITH_DISTRICTS:
        # No district after 30/06/2025: the province's People's Committee reports on a part of it.
        province = unit_on(province_of(unit), on)
        committee = _("Ủy ban nhân dân {province}").format(province=lower_first(province.name))
        return issuer_from_text(committee, province=province, style=style, on=on)
    return _coordination_office(unit, style=style, on=on)


def _criteria_table(doc, rows):
    doc.heading(_("II. KẾT QUẢ THEO TỪNG TIÊU CHÍ"))
    by_number = sorted(rows, key=lambda row: int(row.get("number") or 0))
    counts = [
        (key, title)
        for key, title in (
            ("assessed", _("Số xã được đánh giá")),
            ("met", _("Số xã đạt")),
            ("not_met", _("Số xã chưa đạt")),
            ("not_applicable", _("Không áp dụng")),
        )
        if any(key in row for row in rows)
    ]
    doc.table(
        [
            Column(_("Tiêu chí số"), 1, centered=True),
            Column(_("Tên tiêu chí"), 5),
            *(Column(title, 1.3, numeric=True) for _key, title in counts),
            Column(_("Tỷ lệ đạt"), 1.3, numeric=True),
        ],
        [
            [
                str(row.get("number")),
                row.get("name", ""),
                *(vn_int(row.get(key) or 0) for key, _title in counts),
                vn_percent(row["rate"]) if row.get("rate") is not None else "",
            ]
            for row in by_number
        ],
        caption=_("Biểu tổng hợp tỷ lệ xã đạt từng tiêu chí"),
    )


def _bands_sentence(bands: dict) -> str:
    """ "Theo số tiêu chí đạt: 10 xã đạt từ 10 đến 14 tiêu chí; 9 xã đạt từ 5 đến 9 tiêu chí; không có xã nào
    đạt 19 tiêu chí, từ 15 đến 18 tiêu chí hoặc dưới 5 tiêu chí." """
    present = [
        _("{count} xã đạt {band} tiêu chí").format(count=vn_int(count), band=_band_words(band))
        for band, count in bands.items()
        if count
    ]
    absent = [_("{band} tiêu chí").format(band=_band_words(band)) for band, count in bands.items() if not count]
    if absent:
        present.append(_("không có xã nào đạt {bands}").format(bands=join_vi(absent, last=_("hoặc"))))
    return _("Theo số tiêu chí đạt: {bands}.").format(bands="; ".join(present))


def _band_words(band: str) -> str:
    """ "15-18" -> "từ 15 đến 18"; "0-4" -> "dưới 5"; "19" -> "19"; "dưới 5" stays."""
    text = str(band).strip()
    folded = fold(text)
    for dash in ("–", "-", "—"):
        if dash in text:
            low, high = (part.strip() for part in text.split(dash, 1))
            if low == "0" and high.isdigit():
                return _("dưới {n}").format(n=int(high) + 1)
            return _("từ {low} đến {high}").format(low=low, high=high)
    if folded.startswith(("duoi", "under", "<")):
        return _("dưới {n}").format(n="".join(ch for ch in text if ch.isdigit()))
    return text


# -- indicator-summary ----------------------------------------------------------------------------


def _group_name(group: str) -> str:
    """ "nhom_1" -> "xã nhóm 1", from the choice's own label."""
    from criteria.choices import CommuneGroup

    try:
        return lower_first(str(CommuneGroup(group).label))
    except ValueError:
        return group


def indicator_summary_document(
    result: dict, *, issuer: Issuer | None = None, style: str | None = None, date: datetime.date | None = None
) -> OfficialDocument:
    """An area's yearly results per indicator: communes assessed per group, results met, the weakest indicators,
    and the table of every indicator with its rate overall and per commune group."""
    with translation.override("vi"):
        return _indicator_summary(result, issuer=issuer, style=style, date=date)


def _indicator_summary(result, *, issuer, style, date):
    params, totals, rows = result.get("params", {}), result.get("totals", {}), result.get("rows", [])
    year = params.get("year")
    unit, area_name = _area(params)
    if issuer is None:
        issuer = _area_issuer(unit, style=style, on=_issued_on(date))
    in_year = _(" năm {year}").format(year=year) if year else ""
    title = _("Kết quả thực hiện các chỉ tiêu của Bộ tiêu chí quốc gia về xã nông thôn mới{year}{area}").format(
        year=in_year, area=_(" trên địa bàn {area}").format(area=lower_first(area_name)) if area_name else ""
    )
    doc = _report_document(issuer=issuer, title=title, date=date, style=style, year=int(year) if year else None)
    where = _("toàn {area}").format(area=lower_first(area_name)) if area_name else _("toàn địa bàn")
    doc.paragraph(
        _(
            "Báo cáo tổng hợp kết quả đánh giá từng chỉ tiêu của Bộ tiêu chí quốc gia về xã nông thôn mới{year} "
            "{where}, theo số liệu trên Hệ thống hồ sơ nông thôn mới."
        ).format(year=in_year, where=where)
    )
    doc.heading(_("I. KẾT QUẢ CHUNG"))
    if result.get("empty"):
        doc.paragraph(result["empty"])
    communes, groups = totals.get("communes"), totals.get("groups") or {}
    used = {"communes", "groups", "indicators", "results", "met", "rate"}
    when = _("Năm {year}, ").format(year=year) if year else ""
    if communes == 0:
        doc.paragraph(
            _("{When}chưa có xã nào {where} có kết quả theo chỉ tiêu trên hệ thống (0 xã).").format(
                When=when, where=lower_first(where)
            )
        )
    elif communes:
        sentence = _("{When}{where} có {communes} xã được đánh giá theo {indicators} chỉ tiêu").format(
            When=when, where=where, communes=vn_int(communes), indicators=vn_int(totals.get("indicators") or 0)
        )
        if groups:
            sentence += _(" (trong đó {groups})").format(
                groups=join_vi(
                    [_("{group}: {count} xã").format(group=_group_name(g), count=vn_int(n)) for g, n in groups.items()]
                )
            )
        if totals.get("rate") is not None:
            sentence += _("; {met}/{results} kết quả chỉ tiêu đạt ({rate})").format(
                met=vn_int(totals.get("met") or 0),
                results=vn_int(totals.get("results") or 0),
                rate=vn_percent(_rate(totals["rate"])),
            )
        doc.paragraph(sentence + ".")
        weakest = [row for row in rows if row.get("rate") is not None and _rate(row["rate"]) < 100][:5]
        if weakest:
            doc.paragraph(
                _("Các chỉ tiêu có tỷ lệ xã đạt thấp nhất: {list}.").format(
                    list="; ".join(
                        _("chỉ tiêu {code} ({text}): {met}/{assessed} xã đạt, {rate}").format(
                            code=row.get("code"),
                            text=lower_first(row.get("indicator", "")),
                            met=vn_int(row.get("met") or 0),
                            assessed=vn_int(row.get("assessed") or 0),
                            rate=vn_percent(_rate(row["rate"])),
                        )
                        for row in weakest
                    )
                )
            )
    _other_totals(doc, result, used)
    if rows:
        _indicator_table(doc, rows, list(groups))
        doc.heading(_("III. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI"))
    else:
        doc.heading(_("II. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI"))
    doc.paragraph(PLACEHOLDER)
    doc.closing(recipients=_recipients())
    return doc


def _indicator_table(doc, rows, groups):
    """Every indicator in the set's order, with its rate overall and per commune group."""
    doc.heading(_("II. KẾT QUẢ THEO TỪNG CHỈ TIÊU"))

    def percent(value):
        return vn_percent(_rate(value)) if value is not None else ""

    in_order = sorted(rows, key=lambda row: (int(row.get("criterion") or 0), _code_key(row.get("code"))))
    doc.table(
        [
            Column(_("Mã chỉ tiêu"), 1, centered=True),
            Column(_("Nội dung chỉ tiêu"), 4.5),
            Column(_("Số xã được đánh giá"), 1.2, numeric=True),
            Column(_("Số xã đạt"), 1.1, numeric=True),
            Column(_("Tỷ lệ đạt"), 1.2, numeric=True),
            *(Column(_("Tỷ lệ đạt – {group}").format(group=_group_name(g)), 1.2, numeric=True) for g in groups),
        ],
        [
            [
                str(row.get("code", "")),
                row.get("indicator", ""),
                vn_int(row.get("assessed") or 0),
                vn_int(row.get("met") or 0),
                percent(row.get("rate")),
                *(percent(row.get(f"rate_{g}")) for g in groups),
            ]
            for row in in_order
        ],
        caption=_("Biểu tổng hợp tỷ lệ xã đạt từng chỉ tiêu"),
    )


def _code_key(code) -> tuple:
    """ "2.10" after "2.9": the parts of an indicator code as numbers where they are numbers."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in str(code or "").split("."))


# -- dispatch -------------------------------------------------------------------------------------

REPORT_DOCUMENTS = {
    "decision-review": decision_review_document,
    "sponsor-scorecard": sponsor_scorecard_document,
    "criteria-summary": criteria_summary_document,
    "indicator-summary": indicator_summary_document,
}


def report_document(result, *, style: str | None = None, date: datetime.date | None = None) -> DocumentFile:
    """The draft of a report result as a .docx file.

    `result` is a `reports.registry.ReportResult` or the dict its `as_json()` gives (what
    `export_report --format json` prints). KeyError for a report that has no document."""
    if hasattr(result, "as_json"):
        labels = {column.key: str(column.label) for column in result.total_columns}
        result = {**result.as_json(), "total_labels": labels}
    slug = result["report"]
    generator = REPORT_DOCUMENTS[slug]
    doc = generator(result, style=style, date=date)
    params = result.get("params", {})
    keys = ("decision", "parent", "commune", "district", "area", "province")
    key = next((params[k] for k in keys if params.get(k)), "")
    if isinstance(key, dict):
        key = key.get("name", "")
    return DocumentFile(content=doc.to_bytes(), filename=_filename("bao-cao", _title_of(slug), key, params.get("year")))
