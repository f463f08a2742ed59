"""Area parameters: find a unit from what a clerk types, and the communes an area covers.

A report's area is given as a GSO code ("42", or "42@2025" to name the edition), or a
name with or without its kind ("Huyện Kỳ Anh", "huyen ky anh", "Kỳ Anh"), optionally
followed by the names of units above it after commas ("Kỳ Tân, Kỳ Anh"). A name that
fits several units is an error that lists them; the only choice made silently is between
two editions of the same name (Tỉnh Hà Tĩnh before and after 01/07/2025): the one that
existed on the report's date wins.

The communes of an area are those inside it in its own edition plus, following the
lineage backwards, every older commune whose main successor is one of them: a 2025
province or commune therefore reads legacy (and hand-added older) data on today's map,
and a legacy district reads the legacy communes it had.
"""

from __future__ import annotations

import datetime
import re
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from divisions.choices import Edition, UnitLevel
from divisions.models import AdministrativeUnit, UnitSuccession
from ntm_site.admin import folded_search
from ntm_site.text import fold, nfc

# How unit names begin, folded ("Thị xã Kỳ Anh" -> "thi xa"): a name may be typed without it.
KIND_PREFIXES = ("tinh", "thanh pho", "huyen", "quan", "thi xa", "xa", "phuong", "thi tran", "dac khu")
_CODE = re.compile(r"^(?P<code>\d{2,8})(?:@(?P<edition>legacy|2025|manual))?$")
MAX_CANDIDATES_LISTED = 8


class AreaLookupError(ValueError):
    """No unit, or several units, fit what was typed; the message says which."""


def unit_label(unit: AdministrativeUnit) -> str:
    """How a unit is named in a list of candidates: name, parents, and the token that selects it."""
    parents = []
    parent = unit.parent
    while parent is not None:
        parents.append(parent.name)
        parent = parent.parent
    place = ", ".join([unit.name, *parents])
    return f"{place} ({unit.code}@{unit.edition})"


def find_units(text: str, levels: tuple[int, ...] = ()) -> list[AdministrativeUnit]:
    """Every unit that `text` names exactly (by code, or by full name with or without its kind)."""
    text = nfc(text or "")
    qs = AdministrativeUnit.objects.select_related("parent__parent")
    if levels:
        qs = qs.filter(level__in=levels)
    match = _CODE.match(text)
    if match:
        qs = qs.filter(code=match["code"])
        if match["edition"]:
            qs = qs.filter(edition=match["edition"])
        return list(qs.order_by("level", "valid_from"))
    name, *context = [part.strip() for part in text.split(",") if part.strip()] or [""]
    folded = fold(name)
    if not folded:
        return []
    # The stored key starts with the folded name: a cheap prefilter, refined exactly below.
    starts = [f" {folded} ", *(f" {prefix} {folded} " for prefix in KIND_PREFIXES)]
    qs = qs.filter(reduce(or_, (Q(search_key__startswith=s) for s in starts)))
    for part in context:
        qs = folded_search(qs, part)
    units = list(qs.order_by("level", "code", "valid_from"))
    exact = [u for u in units if fold(u.name) == folded]
    if exact:
        return exact
    return [u for u in units if any(fold(u.name) == f"{p} {folded}" for p in KIND_PREFIXES)]


def valid_on(unit: AdministrativeUnit, day: datetime.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= day) and (unit.valid_to is None or unit.valid_to >= day)


def pick_unit(text: str, candidates: list[AdministrativeUnit], on_date: datetime.date) -> AdministrativeUnit:
    """The one unit meant, or AreaLookupError listing the candidates."""
    if not candidates:
        raise AreaLookupError(_("Không tìm thấy đơn vị hành chính “{text}”.").format(text=text))
    if len(candidates) == 1:
        return candidates[0]
    if len({fold(u.name) for u in candidates}) == 1:
        existing = [u for u in candidates if valid_on(u, on_date)]
        if len(existing) == 1:
            return existing[0]
    listed = "; ".join(unit_label(u) for u in candidates[:MAX_CANDIDATES_LISTED])
    more = len(candidates) - MAX_CANDIDATES_LISTED
    if more > 0:
        listed += _("; và {n} đơn vị khác").format(n=more)
    raise AreaLookupError(
        _(
            "“{text}” khớp với nhiều đơn vị: {listed}. Hãy gõ tên đầy đủ, thêm tên đơn vị cấp trên sau dấu phẩy "
            "(ví dụ “Kỳ Tân, Kỳ Anh”) hoặc gõ mã (ví dụ 42@2025)."
        ).format(text=text, listed=listed)
    )


def communes_in_area(unit: AdministrativeUnit) -> list[int]:
    """Ids of the communes of `unit` in its edition and of every older commune that became one of them."""
    ids = set(AdministrativeUnit.objects.within(unit).filter(level=UnitLevel.COMMUNE).values_list("pk", flat=True))
    frontier = ids
    # One query per step back in time (2025 -> legacy -> hand-added older communes); lineage has no cycles,
    # and the `- ids` guard ends the walk even if bad data made one.
    while frontier:
        older = (
            set(
                UnitSuccession.objects.filter(successor_id__in=frontier, is_main=True).values_list(
                    "predecessor_id", flat=True
                )
            )
            - ids
        )
        ids |= older
        frontier = older
    return sorted(ids)


EDITION_LABELS = dict(Edition.choices)
