"""Who a document is issued by: the header block, the symbol code and the signer's authority.

An Organisation of kind "Cơ quan Đảng" or "Đảng bộ, chi bộ" writes in the Party style
(Hướng dẫn 36-HD/VPTW); every other kind in the state style (Nghị định 30/2020/NĐ-CP).
A decision records its issuer as text ("Ban Thường vụ Tỉnh ủy Ninh Bình"): the same
rules read it when no organisation of that name is on file.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

from ntm_site.text import fold
from reports.documents.builder import HeaderStyle, Issuer, Signature

PARTY_KINDS = {"co_quan_dang", "to_chuc_dang"}

# Province and district names in a unit's full name start with the kind of unit.
_UNIT_PREFIXES = ("Thành phố ", "Tỉnh ", "Huyện ", "Thị xã ", "Quận ", "Xã ", "Phường ", "Thị trấn ")

# (folded prefix of the body's name, the issuer code in the symbol); first match wins.
_PARTY_CODES = (
    ("ban thuong vu tinh uy", "TU"),
    ("tinh uy", "TU"),
    ("ban thuong vu thanh uy", "TU"),
    ("thanh uy", "TU"),
    ("ban thuong vu huyen uy", "HU"),
    ("huyen uy", "HU"),
    ("thi uy", "TU"),
    ("quan uy", "QU"),
    ("dang uy khoi", "ĐUK"),
    ("ban thuong vu dang uy khoi", "ĐUK"),
    ("dang uy", "ĐU"),
    ("dang bo", "ĐU"),
    ("chi bo", "CB"),
    ("van phong tinh uy", "VPTU"),
    ("ban tuyen giao", "BTGTU"),
    ("ban to chuc", "BTCTU"),
    ("ban dan van", "BDVTU"),
    ("uy ban kiem tra", "UBKTTU"),
)
_STATE_CODES = (
    ("uy ban nhan dan", "UBND"),
    ("ubnd", "UBND"),
    ("hoi dong nhan dan", "HĐND"),
    ("van phong dieu phoi", "VPĐP"),
    ("ban chi dao", "BCĐ"),
    ("uy ban mat tran to quoc", "MTTQ"),
)


def place_name(unit) -> str:
    """ "Tỉnh Hà Tĩnh" -> "Hà Tĩnh" (the date line names the place without its kind)."""
    if unit is None:
        return ""
    province = getattr(unit, "province", None) or unit
    while getattr(province, "parent", None) is not None:
        province = province.parent
    return strip_unit_kind(province.name)


def strip_unit_kind(name: str) -> str:
    for prefix in _UNIT_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def style_for_kind(kind: str) -> str:
    return HeaderStyle.PARTY if kind in PARTY_KINDS else HeaderStyle.STATE


def issuer_for_organisation(organisation, *, style: str | None = None) -> Issuer:
    """The header of documents issued by `organisation` (an Organisation row)."""
    name = organisation.name
    style = HeaderStyle(style or style_for_kind(organisation.kind))
    place = place_name(getattr(organisation, "home_unit", None)) or _place_in(name)
    parent = organisation.parent.name if getattr(organisation, "parent_id", None) else ""
    return _issuer(name, style=style, place=place, parent=parent, short_name=organisation.short_name)


def issuer_from_text(text: str, *, province=None, place: str = "", style: str | None = None) -> Issuer:
    """The header for an issuer known only by its name, e.g. a decision's "Ban Thường vụ Tỉnh ủy Ninh Bình".

    An organisation of that name on file wins (its kind decides the style)."""
    from sponsorship.models import Organisation

    organisation = Organisation.objects.filter(name__iexact=text.strip()).select_related("parent", "home_unit").first()
    if organisation is not None:
        return issuer_for_organisation(organisation, style=style)
    folded = fold(text)
    guessed = HeaderStyle.PARTY if _party_code(folded) else HeaderStyle.STATE
    place = place or place_name(province) or _place_in(text)
    return _issuer(text, style=HeaderStyle(style or guessed), place=place, parent="", short_name="")


def _issuer(name: str, *, style: str, place: str, parent: str, short_name: str) -> Issuer:
    folded = fold(name)
    if style == HeaderStyle.PARTY:
        body, parent_line = _party_lines(name, folded, place=place, parent=parent)
        code = _party_code(folded) or _code_from(short_name) or _initials(name)
        signature = _party_signature(folded)
    else:
        body, parent_line = _state_lines(name, folded, place=place, parent=parent)
        code = _state_code(folded) or _code_from(short_name) or _initials(name)
        signature = _state_signature(folded)
    return Issuer(name=body, parent=parent_line, style=style, code=code, place=place, signature=signature)


def _party_lines(name: str, folded: str, *, place: str, parent: str) -> tuple[str, str]:
    """Hướng dẫn 36: a Tỉnh ủy writes "ĐẢNG BỘ TỈNH NINH BÌNH" over "TỈNH ỦY"; a bloc's Đảng ủy writes
    "ĐẢNG BỘ TỈNH HÀ TĨNH" over "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH"; a chi bộ names its Đảng bộ above it."""
    province_party = _("Đảng bộ tỉnh {place}").format(place=place) if place else ""
    name = re.sub(r"^Ban Thường vụ\s+", "", name, flags=re.IGNORECASE)
    folded = re.sub(r"^ban thuong vu\s+", "", folded)
    if folded.startswith("tinh uy"):
        return _("Tỉnh ủy"), province_party
    if folded.startswith("thanh uy") and place:
        return _("Thành ủy"), _("Đảng bộ thành phố {place}").format(place=place)
    if folded.startswith(("huyen uy", "thi uy", "quan uy")):
        return name, province_party
    if parent:
        return _without_place(name, place, keep_kind=True), _without_place(_party_parent(parent), place, keep_kind=True)
    return _without_place(name, place, keep_kind=True), province_party


def _party_parent(parent: str) -> str:
    """A chi bộ inside the bloc names "ĐẢNG BỘ KHỐI …" above itself: the Đảng ủy's Đảng bộ."""
    return re.sub(r"^Đảng ủy", "Đảng bộ", parent, flags=re.IGNORECASE)


def _state_lines(name: str, folded: str, *, place: str, parent: str) -> tuple[str, str]:
    """Nghị định 30: an agency under the province writes "UBND TỈNH HÀ TĨNH" over its own name;
    the provincial People's Committee writes its name alone."""
    if folded.startswith(("uy ban nhan dan", "ubnd")):
        # The committee itself writes its name in full: "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH".
        return re.sub(r"^UBND", "Ủy ban nhân dân", name, flags=re.IGNORECASE), ""
    if parent:
        return name, parent
    if place and folded.startswith(("so ", "van phong dieu phoi", "ban chi dao", "ban quan ly", "chi cuc")):
        return _without_place(name, place), _("UBND tỉnh {place}").format(place=place)
    return name, ""


def _without_place(name: str, place: str, *, keep_kind: bool = False) -> str:
    """ "Sở Tài chính tỉnh Ninh Bình" under "UBND TỈNH NINH BÌNH" drops the repeated province; a Party
    body keeps the word "tỉnh" ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH" under "ĐẢNG BỘ TỈNH HÀ TĨNH")."""
    if not place:
        return name
    pattern = rf"(\s+(?:tỉnh|thành phố))\s+{re.escape(place)}$"
    return re.sub(pattern, r"\1" if keep_kind else "", name, flags=re.IGNORECASE) or name


def _place_in(name: str) -> str:
    match = re.search(r"(?:tỉnh|thành phố)\s+(.+)$", name, flags=re.IGNORECASE)
    return match.group(1).strip() if match else ""


def _party_code(folded: str) -> str:
    for prefix, code in _PARTY_CODES:
        if folded.startswith(prefix):
            return code
    return ""


def _state_code(folded: str) -> str:
    for prefix, code in _STATE_CODES:
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
    words = [w for w in re.split(r"[\s,\-–&]+", name) if w and fold(w) not in {"va", "tinh", "cac"}]
    letters = []
    for word in words:
        first = word[0]
        if first == "Đ" or first == "đ":
            letters.append("Đ")
        else:
            letters.append(unicodedata.normalize("NFD", first)[0].upper())
    return "".join(letters)[:10]


def _party_signature(folded: str) -> Signature:
    folded = re.sub(r"^ban thuong vu\s+", "", folded)
    if folded.startswith("chi bo"):
        return Signature(lines=(_("T/M Chi bộ"), _("Bí thư")))
    if folded.startswith(("tinh uy", "thanh uy", "huyen uy", "thi uy", "quan uy", "dang uy")):
        return Signature(lines=(_("T/M Ban Thường vụ"),))
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
