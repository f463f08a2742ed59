"""The sponsorship app's sections of a commune's dossier: who sponsors it, and what they gave by year.

Registered in SponsorshipConfig.ready() (divisions.dossier); read in the reader's scope (a sponsor
clerk reads their own organisation's assignments and support).
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from divisions import dossier
from sponsorship.models import Assignment, SupportRecord


def _state(assignment, day) -> str:
    if assignment.in_force:
        return str(_("đang hiệu lực"))
    if assignment.effective_start > day:
        return str(_("chưa bắt đầu"))
    return str(_("đã kết thúc"))


@dossier.section("sponsorship-assignments", order=10)
def sponsors(request, unit, day):
    """The commune's assignments, those in force on the dossier's day first."""
    return dossier.listing(
        request,
        unit,
        Assignment.objects.filter(commune=unit)
        .select_related("organisation", "decision")
        .with_in_force(day)
        .order_by("-in_force", "-decision__issued_on", "organisation__name", "pk"),
        title=_("Cơ quan, đơn vị phụ trách, đỡ đầu"),
        columns=[_("Cơ quan, đơn vị"), _("Hình thức"), _("Văn bản"), _("Thời hạn"), _("Tình trạng")],
        row=lambda assignment: [
            dossier.Cell(assignment.organisation.name, dossier.change_url(assignment)),
            dossier.Cell(assignment.get_role_display()),
            dossier.Cell(assignment.decision.symbol),
            dossier.Cell(assignment.term_display),
            dossier.Cell(_state(assignment, day)),
        ],
        empty=_("Chưa có cơ quan, đơn vị nào được phân công phụ trách, đỡ đầu xã."),
    )


@dossier.section("sponsorship-support", order=20)
def support_by_year(request, unit, day):
    """Support the commune received, summed per year (each year opens that year's records)."""
    rows = dossier.readable(request, SupportRecord.objects.filter(assignment__commune=unit))
    if rows is None:
        return None
    years = rows.totals_by_year()
    total = sum(year["value_vnd"] for year in years)
    return dossier.Section(
        title=_("Kết quả hỗ trợ theo năm"),
        columns=[_("Năm"), _("Số lần hỗ trợ"), _("Giá trị (đồng)")],
        rows=[
            [
                dossier.Cell(str(year["year"]), dossier.list_url(SupportRecord, commune=unit.pk, year=year["year"])),
                dossier.Cell(number_format(year["records"], force_grouping=True), numeric=True),
                dossier.Cell(number_format(year["value_vnd"], force_grouping=True), numeric=True),
            ]
            for year in years
        ],
        empty=_("Chưa có kết quả hỗ trợ nào cho xã."),
        note=_("Tổng cộng: {amount} đồng.").format(amount=number_format(total, force_grouping=True)) if years else "",
        more_url=dossier.list_url(SupportRecord, commune=unit.pk),
    )
