"""The demo's 2026 season on the 2025 map: Hà Tĩnh's communes scoring QĐ 51/2025/QĐ-TTg, in progress.

A step of its own, after the published data (seeds.loader.seed_demo): six communes of the 2025 map
(no district above them), each at a different point of the commune → province path, so the demo
shows every state: a full draft the commune clerk `xa.kyxuan` can send, a half-filled draft, a sheet
waiting for the province, one sent back with a reason, and two approved.

The sheets are scored at criterion level (one Assessment per criterion). When the set gains
indicators, this is the one place that builds these sheets and can score them by indicator instead.
The states are written with the labels and reasons of the workflow (criteria.approval) but by the
loader, so their history rows carry no user ("do hệ thống ghi"). Running it again changes nothing.
"""

from collections.abc import Iterator

SEASON_YEAR = 2026
SET_CODE = "qd-51-2025-xa"
PROVINCE_CODE = "42"

# (commune code in the 2025 edition, results one character per criterion: 1 met, 0 not met, . none,
#  state, reason). Criteria 1–10 of QĐ 51/2025/QĐ-TTg.
SHEETS = (
    ("18766", "1111111110", "draft", ""),  # Xã Kỳ Xuân: ready to send (demo login xa.kyxuan)
    ("18229", "111011....", "draft", ""),  # Xã Đức Thọ: half filled
    ("18775", "1111111111", "submitted", ""),  # Xã Kỳ Anh: waiting for the province
    ("18790", "1111101111", "returned", "Tiêu chí 6 (Y tế) chưa có biên bản kiểm tra của Sở Y tế."),  # Kỳ Khang
    ("18496", "1111111111", "approved", ""),  # Xã Hương Khê
    ("18406", "1111111011", "approved", ""),  # Xã Can Lộc
)


def seed_season_2026() -> Iterator[str]:
    from django.db import transaction
    from django.utils import timezone

    from criteria import approval
    from criteria.choices import AssessmentStatus
    from criteria.models import Assessment, CommuneYear, CriteriaSet
    from divisions.choices import Edition
    from divisions.models import AdministrativeUnit

    criteria_set = CriteriaSet.objects.filter(code=SET_CODE).first()
    if criteria_set is None:
        yield f"Mùa chấm {SEASON_YEAR}: chưa có bộ tiêu chí {SET_CODE} (load_reference_data), bỏ qua."
        return
    criteria = {c.number: c for c in criteria_set.criteria.all()}
    communes = {
        u.code: u
        for u in AdministrativeUnit.objects.filter(
            edition=Edition.REFORM_2025, province__code=PROVINCE_CODE, code__in=[s[0] for s in SHEETS]
        )
    }
    steps = approval.transitions(approval.TWO_LEVEL)
    made = 0
    with transaction.atomic():
        for code, results, state, reason in SHEETS:
            commune = communes.get(code)
            if commune is None or CommuneYear.objects.filter(commune=commune, year=SEASON_YEAR).exists():
                continue
            sheet = CommuneYear.objects.create(commune=commune, year=SEASON_YEAR, criteria_set=criteria_set)
            marks = {"1": AssessmentStatus.MET, "0": AssessmentStatus.NOT_MET}
            for number, mark in enumerate(results, start=1):
                if mark in marks:
                    Assessment.objects.create(
                        commune_year=sheet,
                        commune=commune,
                        year=SEASON_YEAR,
                        criterion=criteria[number],
                        status=marks[mark],
                    )
            path = {
                "draft": [],
                "submitted": ["submit"],
                "returned": ["submit", "send_back"],
                "approved": ["submit", "approve"],
            }[state]
            for action in path:
                step = steps[action]
                sheet.approval_status = step.target
                sheet.approval_changed_at = timezone.now()
                sheet.returned_reason = reason if step.needs_reason else ""
                sheet._change_reason = f"{step.label}: {reason}" if step.needs_reason else str(step.label)
                sheet.save(update_fields=list(approval.APPROVAL_FIELDS))
            made += 1
    if made:
        counts = {s: sum(1 for x in SHEETS if x[2] == s) for s in ("draft", "submitted", "returned", "approved")}
        yield (
            f"Mùa chấm {SEASON_YEAR} (bản đồ 2025, Hà Tĩnh): {made} bảng chấm — {counts['draft']} đang nhập, "
            f"{counts['submitted']} chờ tỉnh phê duyệt, {counts['returned']} bị trả lại, "
            f"{counts['approved']} đã phê duyệt."
        )
