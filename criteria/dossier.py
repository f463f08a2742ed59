"""The criteria app's sections of a commune's dossier: its yearly sheets and its recognitions.

Registered in CriteriaConfig.ready() (divisions.dossier); read in the reader's scope.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from criteria import approval
from criteria.models import CommuneYear, Recognition
from divisions import dossier


@dossier.section("criteria-sheets", order=30)
def yearly_sheets(request, unit, day):
    """Each year's sheet (19 criteria, or the 2026 set scored indicator by indicator) and its approval state."""
    path = approval.path_of_parent_level(unit.parent.level if unit.parent_id else None)
    return dossier.listing(
        request,
        unit,
        CommuneYear.objects.filter(commune=unit).select_related("criteria_set").with_met().order_by("-year", "pk"),
        title=_("Bảng chấm tiêu chí hằng năm"),
        columns=[_("Năm"), _("Bộ tiêu chí"), _("Số tiêu chí đạt"), _("Tình trạng phê duyệt")],
        row=lambda sheet: [
            dossier.Cell(str(sheet.year), dossier.change_url(sheet)),
            dossier.Cell(sheet.criteria_set.short_label),
            dossier.Cell(f"{sheet.met}/{sheet.set_size}", numeric=True),
            dossier.Cell(str(approval.status_label(sheet.approval_status, path))),
        ],
        empty=_("Chưa có bảng chấm tiêu chí nào của xã."),
    )


@dossier.section("criteria-recognitions", order=40)
def recognitions(request, unit, day):
    """Decisions recognising the commune's standard (công nhận đạt chuẩn) or revoking it."""
    return dossier.listing(
        request,
        unit,
        Recognition.objects.filter(commune=unit).select_related("criteria_set").order_by("-decision_date", "pk"),
        title=_("Công nhận đạt chuẩn nông thôn mới"),
        columns=[_("Số quyết định"), _("Ngày quyết định"), _("Nội dung"), _("Bộ tiêu chí"), _("Năm hiệu lực")],
        row=lambda decision: [
            dossier.Cell(decision.decision_number, dossier.change_url(decision)),
            dossier.Cell(dossier.day_text(decision.decision_date)),
            dossier.Cell(decision.get_action_display()),
            dossier.Cell(decision.criteria_set.short_label),
            dossier.Cell(str(decision.year)),
        ],
        empty=_("Chưa có quyết định công nhận đạt chuẩn nào của xã."),
    )
