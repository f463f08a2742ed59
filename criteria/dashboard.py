"""The criteria app's dashboard panels: sheets waiting for the reader, this year's sheets, the standard.

Registered in CriteriaConfig.ready() (ntm_site.dashboard). Each panel counts in SQL what the
reader may read (ntm_site.accounts.scope); each entry links to the filtered list.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from criteria import selectors
from criteria.choices import ApprovalStatus, RecognitionAction
from criteria.models import CommuneYear, Recognition
from divisions.choices import UnitLevel
from divisions.models import AdministrativeUnit
from ntm_site import dashboard
from ntm_site.accounts import scope
from ntm_site.value_lists import in_values

S = ApprovalStatus
SUBMIT, VERIFY, APPROVE = "criteria.submit_communeyear", "criteria.verify_communeyear", "criteria.approve_communeyear"
# A sheet of a commune with no district above it (the 2025 map) goes from the commune to the province.
NO_DISTRICT = Q(commune__parent__level=UnitLevel.PROVINCE)


def _link(model: str, **params) -> str:
    url = reverse(f"admin:{model}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _sheets_link(year: int, *statuses, **params) -> str:
    if len(statuses) == 1:
        params["approval_status__exact"] = statuses[0]
    elif statuses:
        params["approval_status__in"] = ",".join(statuses)
    return _link("criteria_communeyear", year=year, **params)


def _sheet_counts(request, year: int) -> dict:
    """Counts of `year`'s sheets the reader may read, by state, and of those they may write, what waits for
    whom: one query per request, shared by the work list and the figures."""
    cached = getattr(request, "_ntm_sheet_counts", None)
    if cached is not None and cached[0] == year:
        return cached[1]
    user = request.user
    mine = scope.get_scope(user).q(CommuneYear, scope.WRITE)
    mine = Q() if mine is None else mine
    counts = (
        scope.restrict(CommuneYear.objects.all(), user)
        .filter(year=year)
        .aggregate(
            total=Count("pk"),
            draft=Count("pk", filter=Q(approval_status=S.DRAFT)),
            submitted=Count("pk", filter=Q(approval_status=S.SUBMITTED)),
            verified=Count("pk", filter=Q(approval_status=S.VERIFIED)),
            approved=Count("pk", filter=Q(approval_status=S.APPROVED)),
            my_draft=Count("pk", filter=mine & Q(approval_status=S.DRAFT)),
            my_returned=Count("pk", filter=mine & Q(approval_status=S.DRAFT) & ~Q(returned_reason="")),
            my_to_verify=Count("pk", filter=mine & Q(approval_status=S.SUBMITTED) & ~NO_DISTRICT),
            my_to_approve=Count(
                "pk",
                filter=mine & (Q(approval_status=S.VERIFIED) | (Q(approval_status=S.SUBMITTED) & NO_DISTRICT)),
            ),
        )
    )
    request._ntm_sheet_counts = (year, counts)
    return counts


@dashboard.panel("criteria-waiting", section=dashboard.WORK, order=10)
def sheets_waiting(request, today: datetime.date):
    """This year's sheets that wait for the reader: to submit, returned, to verify, to approve."""
    user = request.user
    may = {perm: user.has_perm(perm) for perm in (SUBMIT, VERIFY, APPROVE)}
    if not any(may.values()):
        return None
    year = today.year
    counts = _sheet_counts(request, year)
    entries = []
    if may[SUBMIT]:
        entries += [
            dashboard.Entry(
                "to-submit", _("bảng chấm đang nhập, chờ gửi"), counts["my_draft"], _sheets_link(year, S.DRAFT)
            ),
            dashboard.Entry(
                "returned",
                _("bảng chấm bị trả lại để sửa"),
                counts["my_returned"],
                _sheets_link(year, S.DRAFT, returned_reason__gt=""),
                alert=bool(counts["my_returned"]),
            ),
        ]
    if may[VERIFY] and not may[APPROVE]:
        entries.append(
            dashboard.Entry(
                "to-verify",
                _("bảng chấm xã đã gửi, chờ xác nhận"),
                counts["my_to_verify"],
                _sheets_link(year, S.SUBMITTED),
            )
        )
    if may[APPROVE]:
        entries.append(
            dashboard.Entry(
                "to-approve",
                _("bảng chấm chờ tỉnh phê duyệt"),
                counts["my_to_approve"],
                _sheets_link(year, S.SUBMITTED, S.VERIFIED),
            )
        )
    return dashboard.Panel(
        title=_("Bảng chấm tiêu chí chờ tôi (năm {year})").format(year=year),
        entries=entries,
    )


def reader_units(user):
    """The units whose records `user` may read (their area, with its lineage), as a queryset."""
    units = AdministrativeUnit.objects.all()
    reader = scope.get_scope(user)
    if reader.unrestricted:
        return units
    if reader.role is None:
        return units.none()
    return units.filter(reader.area(scope.READ).q(""))


def standard_figures(user, today: datetime.date) -> dict:
    """In one query over the units the reader may read: on `today`, the units of the map in force, those that
    had reached standard, those with a sheet this year and those recognised (or revoked) this year; on the last
    day of the previous map, its units and those that had reached standard then.

    {"now": {"units", "reached", "with_sheet", "recognised", "revoked"}, "legacy": {"units", "reached"} or None,
    "legacy_day": date or None}
    """
    year = today.year
    sizes, dates = selectors.standard_inputs(today)
    legacy_day = selectors.previous_map_end(today, dates)
    readable = reader_units(user)
    reached_before = {}
    if legacy_day is not None:
        # The old map's units with their own standard on its last day, read once: the old map's figure and the
        # carry of the new map's units both use them.
        own = selectors.units_in_force(readable, legacy_day).filter(selectors.own_standard(legacy_day, sizes=sizes))
        reached_before[legacy_day + datetime.timedelta(days=1)] = list(own.values_list("pk", flat=True))
    now_q = selectors.in_force_q(today)
    reached = selectors.reached_standard_on(today, sizes=sizes, dates=dates, reached_before=reached_before)
    this_year = Recognition.objects.filter(commune=OuterRef("pk"), decision_date__year=year)
    figures = {
        "units": Count("pk", filter=now_q),
        "reached": Count("pk", filter=now_q & reached),
        "with_sheet": Count(
            "pk", filter=now_q & Q(Exists(CommuneYear.objects.filter(commune=OuterRef("pk"), year=year)))
        ),
        "recognised": Count("pk", filter=now_q & Q(Exists(this_year.filter(action=RecognitionAction.RECOGNISE)))),
        "revoked": Count("pk", filter=now_q & Q(Exists(this_year.filter(action=RecognitionAction.REVOKE)))),
    }
    units = readable.filter(now_q | selectors.in_force_q(legacy_day) if legacy_day else now_q)
    if legacy_day is not None:
        old_q = selectors.in_force_q(legacy_day)
        own_ids = reached_before[legacy_day + datetime.timedelta(days=1)]
        old_reached = in_values(AdministrativeUnit, "id", own_ids)
        carried = selectors.carried_through_lineage(legacy_day, dates=dates, sizes=sizes)
        if carried:
            old_reached |= carried
        figures["old_units"] = Count("pk", filter=old_q)
        figures["old_reached"] = Count("pk", filter=old_q & old_reached)
    counts = units.aggregate(**figures)
    legacy = {"units": counts.pop("old_units", 0), "reached": counts.pop("old_reached", 0)}
    return {"now": counts, "legacy": legacy if legacy["units"] else None, "legacy_day": legacy_day}


@dashboard.panel("criteria-figures", section=dashboard.FIGURES, order=10)
def criteria_figures(request, today: datetime.date):
    """This year's sheets by state, the standard on today's map (and the old map's), recognitions this year."""
    user = request.user
    if not user.has_perm("criteria.view_communeyear"):
        return None
    year = today.year
    counts = _sheet_counts(request, year)
    standard = standard_figures(user, today)
    now, legacy = standard["now"], standard["legacy"]
    entries = [
        dashboard.Entry(
            "reached",
            _("xã, phường đạt chuẩn NTM"),
            now["reached"],
            reverse("reports:report", args=["criteria-matrix"]) + "?" + urlencode({"year": year, "reached": "yes"}),
            total=now["units"],
            note=_(
                "trên {total} xã, phường của bản đồ hành chính hiện hành; {sheets} xã có bảng chấm năm {year}"
            ).format(total=number_format(now["units"], force_grouping=True), sheets=now["with_sheet"], year=year),
        ),
    ]
    if legacy:
        entries.append(
            dashboard.Entry(
                "reached-legacy",
                _("xã đạt chuẩn NTM theo bản đồ cũ"),
                legacy["reached"],
                _link("divisions_administrativeunit", valid_to=standard["legacy_day"].isoformat()),
                total=legacy["units"],
                note=_("{n} trong {total} đơn vị cấp xã của bản đồ cũ, ngày {day}").format(
                    n=number_format(legacy["reached"], force_grouping=True),
                    total=number_format(legacy["units"], force_grouping=True),
                    day=date_format(standard["legacy_day"], "d/m/Y"),
                ),
            )
        )
    entries += [
        dashboard.Entry(f"sheets-{status}", label, counts[status], _sheets_link(year, value))
        for status, value, label in (
            ("draft", S.DRAFT, _("bảng chấm đang nhập")),
            ("submitted", S.SUBMITTED, _("bảng chấm xã đã gửi")),
            ("verified", S.VERIFIED, _("bảng chấm huyện đã xác nhận")),
            ("approved", S.APPROVED, _("bảng chấm tỉnh đã phê duyệt")),
        )
        if status != "verified" or counts[status]
    ]
    entries.append(
        dashboard.Entry(
            "recognitions",
            _("xã, phường được công nhận đạt chuẩn trong năm"),
            now["recognised"],
            _link("criteria_recognition", decision_date__year=year, action__exact=RecognitionAction.RECOGNISE),
            note=_("{n} xã bị thu hồi công nhận").format(n=now["revoked"]) if now["revoked"] else "",
        )
    )
    return dashboard.Panel(
        title=_("Tiêu chí và đạt chuẩn năm {year}").format(year=year),
        entries=entries,
        note=_(
            "Đạt chuẩn: có quyết định công nhận còn hiệu lực, hoặc đạt đủ tiêu chí trong năm gần nhất đã được "
            "tỉnh phê duyệt (cách tính trong README)."
        ),
    )
