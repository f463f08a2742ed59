"""Who a document is issued by: the header block, the symbol code and the signer's authority.

An Organisation of kind "Cơ quan Đảng" or "Đảng bộ, chi bộ" writes in the Party style
(Hướng dẫn 36-HD/VPTW); every other kind in the state style (Nghị định 30/2020/NĐ-CP).
A decision records its issuer as text ("Ban Thường vụ Tỉnh ủy Ninh Bình"): the same
rules read it when no organisation of that name is on file.

The two lines of the issuing body follow the examples of both rules: a Tỉnh ủy writes
"ĐẢNG BỘ TỈNH NINH BÌNH" over "TỈNH ỦY"; a Huyện ủy "ĐẢNG BỘ TỈNH HÀ TĨNH" over "HUYỆN ỦY
KỲ ANH"; an organ of the Tỉnh ủy "TỈNH ỦY NINH BÌNH" over "BAN TỔ CHỨC"; a chi bộ names
its Đảng bộ above it; a provincial department writes "UBND TỈNH HÀ TĨNH" over its name;
the People's Committee writes its own name alone.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ntm_site.text import fold
from reports.documents.builder import HeaderStyle, Issuer, Signature

PARTY_KINDS = {"co_quan_dang", "to_chuc_dang"}

# Province and district names in a unit's full name start with the kind of unit.
_UNIT_PREFIXES = ("Thành phố ", "Tỉnh ", "Huyện ", "Thị xã ", "Quận ", "Xã ", "Phường ", "Thị trấn ", "Đặc khu ")

# (folded start of the body's name, the issuer's part of the symbol); first match wins.
_PARTY_CODES = (
    ("tinh uy", "TU"),
    ("thanh uy", "TU"),
    ("huyen uy", "HU"),
    ("thi uy", "TU"),
    ("quan uy", "QU"),
    ("dang uy khoi", "ĐUK"),
    ("dang uy", "ĐU"),
    ("dang bo", "ĐU"),
    ("chi bo", "CB"),
    ("van phong", "VPTU"),
    ("ban to chuc", "BTCTU"),
    ("ban tuyen giao", "BTGTU"),
    ("ban dan van", "BDVTU"),
    ("ban noi chinh", "BNCTU"),
    ("uy ban kiem tra", "UBKTTU"),
    ("ban chi dao", "BCĐ"),
)
_STATE_CODES = (
    ("uy ban nhan dan", "UBND"),
    ("ubnd", "UBND"),
    ("hoi dong nhan dan", "HĐND"),
    ("van phong dieu phoi", "VPĐP"),
    ("ban chi dao", "BCĐ"),
    ("uy ban mat tran to quoc", "MTTQ"),
)
# Organs of a Party committee: they write the committee above their own name.
_PARTY_ORGANS = ("ban ", "van phong", "uy ban kiem tra")
_COMMITTEES = ("tinh uy", "thanh uy", "huyen uy", "thi uy", "quan uy")


# Two levels of local government from 01/07/2025: no district body issues anything after this day.
LAST_DAY_WITH_DISTRICTS = datetime.date(2025, 6, 30)


def has_ended(unit, day: datetime.date) -> bool:
    return unit is not None and unit.valid_to is not None and unit.valid_to < day


def unit_on(unit, day: datetime.date):
    """The unit that stands for `unit` on `day`: itself while it exists, else its main successor (lineage), else,
    for a district that ended with no successor, the province above it (in force on `day`)."""
    from divisions.models import UnitSuccession

    seen = set()
    while has_ended(unit, day) and unit.pk not in seen:
        seen.add(unit.pk)
        succession = (
            UnitSuccession.objects.filter(predecessor=unit, is_main=True, effective_date__lte=day)
            .select_related("successor__province", "successor__parent")
            .order_by("-effective_date")
            .first()
        )
        if succession is not None:
            unit = succession.successor
            continue
        above = getattr(unit, "province", None) or unit.parent
        if above is None:
            break
        unit = above
    return unit


@dataclass(frozen=True)
class _Where:
    place: str  # the date line's place: where the body sits ("Kỳ Anh" for a Huyện ủy)
    province: str  # the province it belongs to ("Hà Tĩnh")


def strip_unit_kind(name: str) -> str:
    """ "Tỉnh Hà Tĩnh" -> "Hà Tĩnh", "Huyện Kỳ Anh" -> "Kỳ Anh"."""
    for prefix in _UNIT_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def province_of(unit):
    if unit is None:
        return None
    province = getattr(unit, "province", None) or unit
    while getattr(province, "parent", None) is not None:
        province = province.parent
    return province


def place_name(unit) -> str:
    """The province of `unit` without its kind: what the sentences call "tỉnh Hà Tĩnh"."""
    province = province_of(unit)
    return strip_unit_kind(province.name) if province is not None else ""


def _where(unit, name: str, on: datetime.date | None = None) -> _Where:
    if on is not None:
        unit = unit_on(unit, on)
    if unit is None:
        guessed = _place_in(name)
        return _Where(guessed, guessed)
    province = place_name(unit)
    # A provincial body dates its documents from the province; a district's or commune's body from itself.
    return _Where(strip_unit_kind(unit.name), province)


def style_for_kind(kind: str) -> str:
    return HeaderStyle.PARTY if kind in PARTY_KINDS else HeaderStyle.STATE


def issuer_for_organisation(organisation, *, style: str | None = None, on: datetime.date | None = None) -> Issuer:
    """The header of documents issued by `organisation` (an Organisation row) on `on`: the place line is its home
    unit as it stands that day (a district ended on 30/06/2025 gives way to its province)."""
    name = organisation.name
    style = HeaderStyle(style or style_for_kind(organisation.kind))
    where = _where(getattr(organisation, "home_unit", None), name, on)
    parent = organisation.parent.name if getattr(organisation, "parent_id", None) else ""
    return _issuer(name, style=style, where=where, parent=parent, short_name=organisation.short_name)


def issuer_from_text(
    text: str, *, province=None, place: str = "", style: str | None = None, on: datetime.date | None = None
) -> Issuer:
    """The header for an issuer known only by its name, e.g. a decision's "Ban Thường vụ Tỉnh ủy Ninh Bình".

    An organisation of that name on file wins (its kind decides the style); `place` overrides the
    place of the date line."""
    from sponsorship.models import Organisation

    organisation = Organisation.objects.filter(name__iexact=text.strip()).select_related("parent", "home_unit").first()
    if organisation is not None and not place:
        return issuer_for_organisation(organisation, style=style, on=on)
    guessed = HeaderStyle.PARTY if _looks_party(fold(_without_standing_committee(text))) else HeaderStyle.STATE
    where = _where(province, text, on)
    if place:
        where = _Where(place, where.province or place)
    return _issuer(text, style=HeaderStyle(style or guessed), where=where, parent="", short_name="")


def _looks_party(folded: str) -> bool:
    """A Party committee, a Party organisation, or an organ naming its committee ("Ban Tổ chức Tỉnh ủy …")."""
    if folded.startswith((*_COMMITTEES, "dang uy", "dang bo", "chi bo")):
        return True
    return any(f" {committee}" in folded for committee in _COMMITTEES)


def _issuer(name: str, *, style: str, where: _Where, parent: str, short_name: str) -> Issuer:
    name = _without_standing_committee(name)
    folded = fold(name)
    if style == HeaderStyle.PARTY:
        body, parent_line = _party_lines(name, folded, where=where, parent=parent)
        code = _code(folded, _PARTY_CODES) or _code_from(short_name) or _initials(body)
        signature = _party_signature(folded)
    else:
        body, parent_line = _state_lines(name, folded, where=where, parent=parent)
        code = _code(folded, _STATE_CODES) or _code_from(short_name) or _initials(body)
        signature = _state_signature(folded)
    return Issuer(name=body, parent=parent_line, style=style, code=code, place=where.place, signature=signature)


def _without_standing_committee(name: str) -> str:
    """The Ban Thường vụ acts for its committee: "Ban Thường vụ Tỉnh ủy Ninh Bình" issues as the Tỉnh ủy."""
    return re.sub(r"^Ban Thường vụ\s+", "", name.strip(), flags=re.IGNORECASE)


def _party_lines(name: str, folded: str, *, where: _Where, parent: str) -> tuple[str, str]:
    province = where.province
    province_party = _("Đảng bộ tỉnh {province}").format(province=province) if province else ""
    if folded.startswith("tinh uy"):
        return _("Tỉnh ủy"), province_party
    if folded.startswith("thanh uy") and province:
        return _("Thành ủy"), _("Đảng bộ thành phố {province}").format(province=province)
    if folded.startswith(("huyen uy", "thi uy", "quan uy")):
        return name, province_party
    if folded.startswith(_PARTY_ORGANS):
        committee = re.search(r"\s((?:Tỉnh|Thành|Huyện|Thị|Quận) ủy(?:\s.*)?)$", name)
        if committee:
            return name[: committee.start()].strip(), _committee_line(committee.group(1), province)
        if province:
            return _without_place(name, province), _("Tỉnh ủy {province}").format(province=province)
    if parent:
        return _without_place(name, province, keep_kind=True), _without_place(
            _party_parent(parent), province, keep_kind=True
        )
    return _without_place(name, province, keep_kind=True), province_party


def _committee_line(committee: str, province: str) -> str:
    """ "Tỉnh ủy" alone gets its province: "Tỉnh ủy Ninh Bình"."""
    if fold(committee) in _COMMITTEES and province:
        return f"{committee} {province}"
    return committee


def _party_parent(parent: str) -> str:
    """A chi bộ inside the bloc names "ĐẢNG BỘ KHỐI …" above itself: the Đảng ủy's Đảng bộ."""
    return re.sub(r"^Đảng ủy", "Đảng bộ", parent, flags=re.IGNORECASE)


def _state_lines(name: str, folded: str, *, where: _Where, parent: str) -> tuple[str, str]:
    if folded.startswith(("uy ban nhan dan", "ubnd")):
        # The committee itself writes its name in full: "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH".
        return re.sub(r"^UBND", "Ủy ban nhân dân", name, flags=re.IGNORECASE), ""
    if parent:
        return name, parent
    province = where.province
    if province and folded.startswith(("so ", "van phong dieu phoi", "ban chi dao", "ban quan ly", "chi cuc")):
        return _without_place(name, province), _("UBND tỉnh {province}").format(province=province)
    return name, ""


def _without_place(name: str, place: str, *, keep_kind: bool = False) -> str:
    """ "Sở Tài chính tỉnh Ninh Bình" under "UBND TỈNH NINH BÌNH" drops the repeated province; a Party
    body keeps the word "tỉnh" ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH" under "ĐẢNG BỘ TỈNH HÀ TĨNH")."""
    if not place:
        return name
    pattern = rf"(\s+(?:tỉnh|thành phố))?\s+{re.escape(place)}$"
    stripped = re.sub(pattern, (lambda m: m.group(1) or "") if keep_kind else "", name, flags=re.IGNORECASE)
    return stripped or name


def _place_in(name: str) -> str:
    match = re.search(r"(?:tỉnh|thành phố)\s+(.+)$", name, flags=re.IGNORECASE)
    return match.group(1).strip() if match else ""


def _code(folded: str, codes) -> str:
    for prefix, code in codes:
        if folded.startswith(prefix):
            return code
    return ""


def _code_from(short_name: str) -> str:
    """A short name that is already a code ("SNN", "KBNN") is the symbol's issuer part."""
    short_name = (short_name or "").strip()
    if short_name and " " not in short_name and len(short_name) <= 10 and short_name.upper() == short_name:
        return short_name.replace("&", "")
    return ""


def _initials(name: str) -> str:
    """The initials of the words of a name: "Sở Nông nghiệp và Phát triển nông thôn" -> "SNNPTNT"."""
    words = [w for w in re.split(r"[\s,\-–&]+", name) if w and fold(w) not in {"va", "cac"}]
    letters = []
    for word in words:
        first = word[0]
        letters.append("Đ" if first in "Đđ" else unicodedata.normalize("NFD", first)[0].upper())
    return "".join(letters)[:10]


def _party_signature(folded: str) -> Signature:
    if folded.startswith("chi bo"):
        return Signature(lines=(_("T/M Chi bộ"), _("Bí thư")))
    if folded.startswith(("tinh uy", "thanh uy", "huyen uy", "thi uy", "quan uy", "dang uy")):
        return Signature(lines=(_("T/M Ban Thường vụ"),))
    if folded.startswith("ban chi dao"):
        return Signature(lines=(_("T/M Ban Chỉ đạo"), _("Trưởng ban")))
    if folded.startswith("van phong"):
        return Signature(lines=(_("Chánh Văn phòng"),))
    if folded.startswith("uy ban kiem tra"):
        return Signature(lines=(_("T/M Ủy ban Kiểm tra"), _("Chủ nhiệm")))
    if folded.startswith("ban "):
        return Signature(lines=(_("Trưởng ban"),))
    return Signature(lines=(_("T/M Đảng ủy"),))


def _state_signature(folded: str) -> Signature:
    if folded.startswith(("uy ban nhan dan", "ubnd")):
        return Signature(lines=(_("TM. Ủy ban nhân dân"), _("Chủ tịch")))
    if folded.startswith("so "):
        return Signature(lines=(_("Giám đốc"),))
    if folded.startswith("van phong"):
        return Signature(lines=(_("Chánh Văn phòng"),))
    if folded.startswith("ban chi dao"):
        return Signature(lines=(_("TM. Ban Chỉ đạo"), _("Trưởng ban")))
    return Signature(lines=(_("Thủ trưởng cơ quan"),))
