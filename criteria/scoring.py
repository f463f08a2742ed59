"""Indicator-level scoring (QĐ 51/2025 and any set with indicators): reading values, judging them, deriving criteria.

A value is read as clerks type it (`85%`, `85`, `85,5`, `Đạt`, `x`, `Không áp dụng`), judged
against the target of the commune's group (or region) in that period, and every criterion of
the sheet is derived from its indicators: met when all count as met (đạt or không áp dụng),
not applicable when all are not applicable. The Assessment rows (one per criterion) stay what
every report reads. Sets without indicators are not touched here: their criteria are scored
by hand, as before.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from criteria.choices import COUNTS_AS_MET, AssessmentStatus, Comparison, ValueType
from ntm_site.spreadsheets.errors import CellError
from ntm_site.spreadsheets.widgets import NO_WORDS, YES_WORDS, is_blank, parse_number
from ntm_site.text import fold

NOT_APPLICABLE_WORDS = {"khong ap dung", "kad", "n/a", "na", "kap"}
_YES = set(YES_WORDS)
_NO = set(NO_WORDS)
_HUNDRED = Decimal(100)


def indicator_value_read(indicator, raw) -> dict:
    """The value of one indicator as typed, as the fields of an IndicatorResult; raise CellError when it cannot be read.

    {"value_number", "value_bool", "value_text", "not_applicable"}; a blank cell gives all empty.
    """
    out = {"value_number": None, "value_bool": None, "value_text": "", "not_applicable": False}
    if is_blank(raw):
        return out
    text = raw.strip() if isinstance(raw, str) else raw
    folded = fold(str(text)) if isinstance(text, str) else None
    if folded in NOT_APPLICABLE_WORDS:
        out["not_applicable"] = True
        return out
    kind = indicator.value_type
    if kind == ValueType.BOOLEAN:
        if isinstance(text, bool):
            out["value_bool"] = text
        elif isinstance(text, int | float) and text in (0, 1):
            out["value_bool"] = bool(text)
        elif folded in _YES:
            out["value_bool"] = True
        elif folded in _NO:
            out["value_bool"] = False
        else:
            raise CellError(_("chỉ tiêu {code} cần “Đạt” hoặc “Chưa đạt” (hoặc x / -).").format(code=indicator.code))
        return out
    if kind == ValueType.TEXT:
        out["value_text"] = str(text)
        return out
    is_percent = kind == ValueType.PERCENT
    number_text = text
    if isinstance(text, str) and text.endswith("%"):
        number_text = text[:-1].strip()
    try:
        number = parse_number(number_text)
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise CellError(
            _("chỉ tiêu {code} cần một số (ví dụ 85 hoặc 85,5{percent}).").format(
                code=indicator.code, percent=", 85%" if is_percent else ""
            )
        ) from None
    # Excel stores a cell formatted as 85 % as 0.85: a fraction of one in a percent column is read so.
    if is_percent and not isinstance(text, str) and isinstance(text, float) and 0 < number < 1:
        number *= _HUNDRED
    if is_percent and not (0 <= number <= _HUNDRED):
        raise CellError(_("chỉ tiêu {code} là tỷ lệ phần trăm: cần từ 0 đến 100.").format(code=indicator.code))
    if abs(number) >= Decimal("1e12"):
        raise CellError(_("số quá lớn."))
    out["value_number"] = number.quantize(Decimal("0.01"))
    return out


def indicator_result_judge(
    *,
    indicator,
    target,
    value_number=None,
    value_bool=None,
    value_text="",
    not_applicable=False,
    current=None,
) -> str:
    """The status (AssessmentStatus value) one value earns against `target` (an IndicatorTarget or None).

    Pure: no query. A yes/no indicator is met by "đạt"; ≥ / ≤ / = compare the number with the
    target's value (a value exactly at a ≥ target meets it); a text rule is judged by hand, so
    `current` (the status recorded) is kept. No value, or no target to compare with, is not met.
    """
    if not_applicable:
        return AssessmentStatus.NOT_APPLICABLE
    comparison = indicator.comparison
    if comparison == Comparison.TEXT:
        return current or AssessmentStatus.NOT_MET
    if comparison == Comparison.YES_NO:
        return AssessmentStatus.MET if value_bool else AssessmentStatus.NOT_MET
    if value_number is None or target is None or target.value is None:
        return AssessmentStatus.NOT_MET
    number, goal = Decimal(value_number), Decimal(target.value)
    met = {
        Comparison.AT_LEAST: number >= goal,
        Comparison.AT_MOST: number <= goal,
        Comparison.EQUALS: number == goal,
    }.get(comparison, False)
    return AssessmentStatus.MET if met else AssessmentStatus.NOT_MET


def criterion_status(statuses: list[str], size: int) -> str | None:
    """A criterion's status from its indicators' statuses (`size` indicators in the set); None when none is recorded."""
    if not statuses:
        return None
    if len(statuses) == size and all(s == AssessmentStatus.NOT_APPLICABLE for s in statuses):
        return AssessmentStatus.NOT_APPLICABLE
    if len(statuses) == size and all(s in COUNTS_AS_MET for s in statuses):
        return AssessmentStatus.MET
    return AssessmentStatus.NOT_MET
