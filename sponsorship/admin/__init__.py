"""The clerks' pages for decisions, assignments, support, initiatives and activities."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from divisions.dossier import CommuneFilter
from ntm_site.admin import FoldedSearchMixin, TrackedAdmin
from ntm_site.spreadsheets.admin import WorkbookImportExportMixin
from sponsorship.admin.filters import (
    ActiveInYearFilter,
    CategoryFilter,
    DecisionFilter,
    DistrictFilter,
    InitiativeFieldFilter,
    OrganisationProvinceFilter,
    ProvinceFilter,
    TermStateFilter,
    YearFilter,
)
from sponsorship.admin.inlines import (
    ActivityInline,
    DecisionAssignmentInline,
    InitiativeInline,
    OrganisationAssignmentInline,
    ProposalInline,
    SupportRecordInline,
)
from sponsorship.models import (
    Activity,
    Assignment,
    Decision,
    Initiative,
    InitiativeField,
    Organisation,
    Proposal,
    SupportCategory,
    SupportRecord,
)
from sponsorship.resources import (
    ActivityResource,
    AssignmentResource,
    DecisionResource,
    InitiativeFieldResource,
    InitiativeResource,
    OrganisationResource,
    ProposalResource,
    SupportCategoryResource,
    SupportRecordResource,
)


def money(value) -> str:
    return _("{amount} đồng").format(amount=number_format(value or 0, force_grouping=True))


def quantity_text(quantity, unit) -> str:
    if quantity is None:
        return "—"
    number = number_format(quantity.normalize() if hasattr(quantity, "normalize") else quantity, force_grouping=True)
    return f"{number} {unit}".strip()


def totals_table(rows) -> str:
    """An HTML table of SupportRecordQuerySet.totals_by_category() rows."""
    if not rows:
        return _("Chưa có kết quả hỗ trợ nào.")
    body = format_html_join(
        "",
        "<tr><td>{}</td><td style='text-align:right'>{}</td><td style='text-align:right'>{}</td>"
        "<td style='text-align:right'>{}</td></tr>",
        (
            (row["category_name"], quantity_text(row["quantity"], row["unit"]), money(row["value_vnd"]), row["records"])
            for row in rows
        ),
    )
    total = sum(row["value_vnd"] or 0 for row in rows)
    return format_html(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody>"
        "<tfoot><tr><th>{}</th><th></th><th style='text-align:right'>{}</th><th></th></tr></tfoot></table>",
        _("Loại hỗ trợ"),
        _("Số lượng"),
        _("Giá trị"),
        _("Số lần"),
        body,
        _("Tổng cộng"),
        money(total),
    )


def changelist_link(model, label, **params) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(params), label)


class WarnOutsideTermMixin:
    """After saving support dated outside its assignment's term (the reason was required), say so."""

    def warn_outside_term(self, request, records):
        for record in records:
            if record.is_outside_term:
                messages.warning(
                    request,
                    _("{problem} Đã lưu với lý do: {reason}").format(
                        problem=record.outside_term_message(), reason=record.outside_term_reason
                    ),
                )


@admin.register(Organisation)
class OrganisationAdmin(WorkbookImportExportMixin, FoldedSearchMixin, TrackedAdmin):
    resource_classes = [OrganisationResource]
    list_display = ["name", "short_name", "kind", "parent", "home_unit", "assignment_count", "commune_count"]
    list_filter = ["kind", OrganisationProvinceFilter]
    list_select_related = ["parent", "home_unit"]
    search_fields = ["search_key"]
    search_help_text = _("Gõ tên hoặc tên viết tắt, có dấu hoặc không dấu (ví dụ “so nn”).")
    autocomplete_fields = ["parent", "home_unit"]
    fields = ["name", "short_name", "kind", "parent", "home_unit", "support_totals"]
    readonly_fields = ["support_totals"]
    inlines = [OrganisationAssignmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_assignment_counts()

    @admin.display(description=_("số phân công"), ordering="assignment_count")
    def assignment_count(self, obj):
        return obj.assignment_count

    @admin.display(description=_("số xã"), ordering="commune_count")
    def commune_count(self, obj):
        return obj.commune_count

    @admin.display(description=_("tổng hợp kết quả hỗ trợ"))
    def support_totals(self, obj):
        if obj.pk is None:
            return "—"
        return totals_table(SupportRecord.objects.for_organisations(obj).totals_by_category())


@admin.register(Decision)
class DecisionAdmin(WorkbookImportExportMixin, FoldedSearchMixin, TrackedAdmin):
    resource_classes = [DecisionResource]
    list_display = [
        "symbol",
        "document_type",
        "issued_on",
        "term",
        "issuer",
        "province",
        "assignment_count",
        "phu_trach_count",
        "do_dau_count",
        "ket_nghia_count",
        "giup_do_count",
    ]
    list_filter = [ProvinceFilter.on("province"), "document_type", TermStateFilter]
    list_select_related = ["province"]
    search_fields = ["search_key"]
    search_help_text = _("Gõ số, ký hiệu hoặc trích yếu, có dấu hoặc không dấu.")
    autocomplete_fields = ["province", "amends"]
    readonly_fields = ["assignment_overview"]
    fieldsets = [
        (None, {"fields": ["symbol", "document_type", "issuer", "issued_on", "province"]}),
        (_("Giai đoạn và nội dung"), {"fields": [("term_from_year", "term_to_year"), "title", "amends", "file"]}),
        (_("Phân công"), {"fields": ["assignment_overview"]}),
    ]
    inlines = [DecisionAssignmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_role_counts()

    @admin.display(description=_("giai đoạn"), ordering="term_from_year")
    def term(self, obj):
        return obj.term_label

    @admin.display(description=_("số phân công"), ordering="assignment_count")
    def assignment_count(self, obj):
        return obj.assignment_count

    @admin.display(description=_("phụ trách"), ordering="phu_trach_count")
    def phu_trach_count(self, obj):
        return obj.phu_trach_count

    @admin.display(description=_("đỡ đầu"), ordering="do_dau_count")
    def do_dau_count(self, obj):
        return obj.do_dau_count

    @admin.display(description=_("kết nghĩa"), ordering="ket_nghia_count")
    def ket_nghia_count(self, obj):
        return obj.ket_nghia_count

    @admin.display(description=_("giúp đỡ"), ordering="giup_do_count")
    def giup_do_count(self, obj):
        return obj.giup_do_count

    @admin.display(description=_("tổng hợp phân công"))
    def assignment_overview(self, obj):
        if obj.pk is None:
            return _("Lưu văn bản trước, rồi thêm phân công (hoặc nhập từ tệp Excel).")
        own = Assignment.objects.for_decision(obj, include_amendments=False)
        rows = own.role_counts()
        table = format_html_join(
            "",
            "<tr><td>{}</td><td style='text-align:right'>{}</td><td style='text-align:right'>{}</td>"
            "<td style='text-align:right'>{}</td></tr>",
            ((r["label"], r["assignments"], r["organisations"], r["communes"]) for r in rows),
        )
        total = sum(r["assignments"] for r in rows)
        per_page = DecisionAssignmentInline.per_page
        pages = ""
        if total > per_page:
            count = (total + per_page - 1) // per_page
            pages = format_html(
                "<p>{} {}</p>",
                _("Trang phân công:"),
                format_html_join(
                    " ",
                    '<a href="?{}">{}</a>',
                    ((urlencode({DecisionAssignmentInline.page_param: n}), n) for n in range(1, count + 1)),
                ),
            )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>"
            "{}<p>{}</p>",
            _("Hình thức"),
            _("Số phân công"),
            _("Số cơ quan, đơn vị"),
            _("Số xã"),
            table,
            pages,
            changelist_link(Assignment, _("Xem, lọc và xuất {n} phân công").format(n=total), decision=obj.pk),
        )


@admin.register(Assignment)
class AssignmentAdmin(WorkbookImportExportMixin, WarnOutsideTermMixin, FoldedSearchMixin, TrackedAdmin):
    resource_classes = [AssignmentResource]
    list_display = [
        "organisation",
        "commune",
        "role",
        "decision",
        "term",
        "support_value",
        "last_activity_on",
    ]
    list_filter = [
        ProvinceFilter,
        DistrictFilter,
        "role",
        DecisionFilter,
        ActiveInYearFilter,
        CommuneFilter,
    ]
    list_select_related = ["organisation", "commune__parent", "decision"]
    search_fields = ["search_key"]
    search_help_text = _("Gõ tên xã, huyện, cơ quan hoặc số văn bản, có dấu hoặc không dấu (ví dụ “huong lien”).")
    autocomplete_fields = ["decision", "organisation", "commune"]
    fields = ["decision", "organisation", "commune", "role", ("start_date", "end_date"), "contact_officer"]
    inlines = [SupportRecordInline, InitiativeInline, ActivityInline]

    def get_queryset(self, request):
        # The related rows also serve the autocompletes pointing here (their labels name both).
        qs = super().get_queryset(request).select_related("organisation", "commune__parent", "decision")
        return qs.with_support_totals().with_last_activity()

    @admin.display(description=_("thời hạn"))
    def term(self, obj):
        return obj.term_display

    @admin.display(description=_("giá trị hỗ trợ (đồng)"), ordering="support_value_vnd")
    def support_value(self, obj):
        return number_format(obj.support_value_vnd, force_grouping=True)

    @admin.display(description=_("hoạt động gần nhất"), ordering="last_activity_on", empty_value=_("chưa có"))
    def last_activity_on(self, obj):
        return obj.last_activity_on

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is SupportRecord:
            self.warn_outside_term(request, [f.instance for f in formset.forms if f.has_changed()])


@admin.register(SupportCategory)
class SupportCategoryAdmin(WorkbookImportExportMixin, FoldedSearchMixin, TrackedAdmin):
    resource_classes = [SupportCategoryResource]
    list_display = ["name", "code", "kind", "default_unit", "group", "ordering"]
    list_editable = ["ordering"]
    list_filter = ["kind"]
    search_fields = ["search_key"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(SupportRecord)
class SupportRecordAdmin(WorkbookImportExportMixin, WarnOutsideTermMixin, FoldedSearchMixin, TrackedAdmin):
    resource_classes = [SupportRecordResource]
    list_display = ["date", "commune", "organisation", "category", "quantity_display", "value_display", "decision"]
    list_filter = [
        ProvinceFilter.on("assignment__commune__province"),
        DistrictFilter.on("assignment__commune__parent"),
        DecisionFilter.on("assignment__decision"),
        CategoryFilter,
        YearFilter.on("date"),
        CommuneFilter.on("assignment__commune"),
    ]
    list_select_related = [
        "assignment__organisation",
        "assignment__commune__parent",
        "assignment__decision",
        "category",
    ]
    folded_search_field = "assignment__search_key"
    search_fields = ["assignment__search_key"]
    search_help_text = _("Gõ tên xã, huyện hoặc cơ quan, có dấu hoặc không dấu.")
    autocomplete_fields = ["assignment"]
    fields = [
        "assignment",
        "date",
        "category",
        ("quantity", "unit"),
        "value_vnd",
        "criterion",
        "description",
        "outside_term_reason",
    ]

    @admin.display(description=_("xã"), ordering="assignment__commune__name")
    def commune(self, obj):
        return obj.assignment.commune

    @admin.display(description=_("cơ quan, đơn vị"), ordering="assignment__organisation__name")
    def organisation(self, obj):
        return obj.assignment.organisation.label

    @admin.display(description=_("văn bản"), ordering="assignment__decision__symbol")
    def decision(self, obj):
        return obj.assignment.decision.symbol

    @admin.display(description=_("số lượng"), ordering="quantity")
    def quantity_display(self, obj):
        return quantity_text(obj.quantity, obj.unit)

    @admin.display(description=_("giá trị (đồng)"), ordering="value_vnd")
    def value_display(self, obj):
        return number_format(obj.value_vnd, force_grouping=True)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.warn_outside_term(request, [obj])


@admin.register(InitiativeField)
class InitiativeFieldAdmin(WorkbookImportExportMixin, FoldedSearchMixin, TrackedAdmin):
    resource_classes = [InitiativeFieldResource]
    list_display = ["name", "code", "ordering"]
    list_editable = ["ordering"]
    search_fields = ["search_key"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Initiative)
class InitiativeAdmin(WorkbookImportExportMixin, FoldedSearchMixin, TrackedAdmin):
    resource_classes = [InitiativeResource]
    list_display = ["title", "field", "commune", "organisation", "registered_on", "status"]
    list_filter = [
        ProvinceFilter.on("assignment__commune__province"),
        DistrictFilter.on("assignment__commune__parent"),
        DecisionFilter.on("assignment__decision"),
        InitiativeFieldFilter,
        "status",
        YearFilter.on("registered_on"),
    ]
    list_select_related = ["field", "assignment__organisation", "assignment__commune__parent"]
    folded_search_field = "assignment__search_key"
    search_fields = ["assignment__search_key"]
    search_help_text = _("Gõ tên xã, huyện hoặc cơ quan, có dấu hoặc không dấu.")
    autocomplete_fields = ["assignment"]

    @admin.display(description=_("xã"), ordering="assignment__commune__name")
    def commune(self, obj):
        return obj.assignment.commune

    @admin.display(description=_("cơ quan, đơn vị"), ordering="assignment__organisation__name")
    def organisation(self, obj):
        return obj.assignment.organisation.label


@admin.register(Activity)
class ActivityAdmin(WorkbookImportExportMixin, FoldedSearchMixin, TrackedAdmin):
    resource_classes = [ActivityResource]
    list_display = ["date", "kind", "commune", "organisation", "participants", "proposal_count"]
    list_filter = [
        ProvinceFilter.on("assignment__commune__province"),
        DistrictFilter.on("assignment__commune__parent"),
        DecisionFilter.on("assignment__decision"),
        "kind",
        YearFilter.on("date"),
    ]
    list_select_related = ["assignment__organisation", "assignment__commune__parent"]
    folded_search_field = "assignment__search_key"
    search_fields = ["assignment__search_key"]
    search_help_text = _("Gõ tên xã, huyện hoặc cơ quan, có dấu hoặc không dấu.")
    autocomplete_fields = ["assignment"]
    inlines = [ProposalInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(proposal_count=Count("proposals"))

    @admin.display(description=_("xã"), ordering="assignment__commune__name")
    def commune(self, obj):
        return obj.assignment.commune

    @admin.display(description=_("cơ quan, đơn vị"), ordering="assignment__organisation__name")
    def organisation(self, obj):
        return obj.assignment.organisation.label

    @admin.display(description=_("số kiến nghị"), ordering="proposal_count")
    def proposal_count(self, obj):
        return obj.proposal_count


@admin.register(Proposal)
class ProposalAdmin(WorkbookImportExportMixin, TrackedAdmin):
    """Every proposal the communes raised, to follow up the unresolved ones."""

    resource_classes = [ProposalResource]

    list_display = ["text_short", "commune", "addressee", "resolved", "resolved_on", "raised_on"]
    list_filter = [
        ProvinceFilter.on("activity__assignment__commune__province"),
        "resolved",
        YearFilter.on("activity__date"),
    ]
    list_select_related = ["activity__assignment__commune__parent", "addressee"]
    search_fields = ["activity__assignment__search_key"]
    autocomplete_fields = ["activity", "addressee"]
    exclude = ["raised_by"]

    def get_search_results(self, request, queryset, search_term):
        from ntm_site.admin import folded_search

        return folded_search(queryset, search_term, "activity__assignment__search_key"), False

    @admin.display(description=_("nội dung kiến nghị"))
    def text_short(self, obj):
        return str(obj)

    @admin.display(description=_("xã"), ordering="activity__assignment__commune__name")
    def commune(self, obj):
        return obj.activity.assignment.commune

    @admin.display(description=_("ngày nêu"), ordering="activity__date")
    def raised_on(self, obj):
        return obj.activity.date

    def save_model(self, request, obj, form, change):
        if obj.raised_by_id is None:
            obj.raised_by = request.user
        super().save_model(request, obj, form, change)
