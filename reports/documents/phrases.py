"""Figures written as the sources write them.

The three-year review of 140-QĐ/TU says: "Đã hỗ trợ kinh phí xây dựng 33 ngôi nhà (24 nhà tình
nghĩa, 06 nhà đại đoàn kết, …); xây dựng 15 nhà văn hóa thôn, xóm; sửa chữa, nâng cấp 09 trường
học, 04 trạm y tế; tặng 107 bộ máy vi tính, 07 máy in, 7.120 suất quà, 180 suất học bổng, tư vấn
sức khỏe, cấp phát thuốc miễn phí cho trên 2.700 người". `support_clauses` turns the report's
rows (category, unit, quantity, value) into clauses of that shape: categories that share a group
are summed first ("33 ngôi nhà, trong đó …"), building works take "xây dựng", repairs keep their
own verb, goods take "tặng", services for people read "… cho 2.700 người".
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ntm_site.text import fold
from reports.documents.formats import join_vi, lower_first, vn_quantity, vnd_phrase

# The kind of a category (SupportKind codes) when the catalogue is not at hand.
WORKS, GOODS, SERVICE, MONEY = "cong_trinh", "hien_vat", "dich_vu", "tien"

# Leading verbs a category name may carry: "Sửa chữa trường học" is "sửa chữa, nâng cấp" + "trường học".
_ACTIONS = (
    ("sua chua, nang cap ", "sửa chữa, nâng cấp"),
    ("sua chua ", "sửa chữa, nâng cấp"),
    ("nang cap ", "sửa chữa, nâng cấp"),
    ("xay dung ", "xây dựng"),
    ("xay moi ", "xây dựng"),
    ("tang ", "tặng"),
    ("ho tro ", "hỗ trợ"),
)
# Units that name a count of people: "khám, tư vấn sức khỏe cho 2.700 người".
_PEOPLE_UNITS = {"nguoi", "luot nguoi", "luot", "nguoi benh", "hoc sinh"}
# Units that mean money rather than a count.
_MONEY_UNITS = {"dong", "vnd", "trieu dong", "ty dong"}
# Classifiers the sources leave out before a noun that counts itself: "24 nhà tình nghĩa", "07 máy in"
# (a measure such as "bộ", "tấn" or "suất" stays: "107 bộ máy vi tính").
_CLASSIFIERS = {"can", "chiec", "cai", "ngoi", "con"}
# A group of houses reads "ngôi nhà" in the sources, whatever each kind's unit.
_HOUSE_UNITS = {"nha", "can", "ngoi", "ngoi nha", "can nha"}


@dataclass
class SupportItem:
    """One row of a support summary: a category with its total quantity, unit and value."""

    category: str
    unit: str = ""
    quantity: Decimal | None = None
    value_vnd: int = 0
    kind: str = ""
    group: str = ""

    @property
    def noun(self) -> str:
        return _split_action(self.category)[1]

    @property
    def action(self) -> str:
        return _split_action(self.category)[0]

    def counted(self) -> str:
        """ "24 nhà tình nghĩa", "107 bộ máy vi tính", "7 tấn xi măng", "9 trường học"."""
        return counted(self.quantity, self.unit, self.noun)


@dataclass
class _Clause:
    verb: str
    items: list[str] = field(default_factory=list)
    # A group's clause ("33 ngôi nhà, trong đó …") takes no more items after it.
    closed: bool = False


def counted(quantity, unit: str, noun: str) -> str:
    """A quantity with its unit before the noun, unless the noun already starts with the unit."""
    number = vn_quantity(quantity)
    unit = (unit or "").strip()
    folded_noun, folded_unit = fold(noun), fold(unit)
    if not unit or folded_unit in _CLASSIFIERS:
        return f"{number} {noun}"
    if folded_noun == folded_unit or folded_noun.startswith(folded_unit + " "):
        return f"{number} {noun}"
    if folded_unit.startswith(folded_noun.split(" ")[0] + " ") or folded_unit == folded_noun.split(" ")[0]:
        # The unit repeats the noun's first word ("trường" for "trường học"): one is enough.
        return f"{number} {noun}"
    return f"{number} {unit} {noun}"


def _split_action(category: str) -> tuple[str, str]:
    name = lower_first((category or "").strip())
    folded = fold(name)
    for prefix, verb in _ACTIONS:
        if folded.startswith(prefix):
            return verb, name[len(prefix) :].strip()
    return "", name


def _kind_of(item: SupportItem) -> str:
    unit, noun = fold(item.unit), fold(item.noun)
    if item.kind == MONEY and item.quantity and unit not in _MONEY_UNITS:
        # Money handed out by the piece ("180 suất học bổng") is counted like goods.
        return GOODS
    if item.kind:
        return item.kind
    if unit in _MONEY_UNITS or noun.startswith("tien"):
        return MONEY
    if unit in _PEOPLE_UNITS or unit == "ngay cong":
        return SERVICE
    if item.action in {"xây dựng", "sửa chữa, nâng cấp"} or noun.startswith(("nha ", "cong trinh", "duong ")):
        return WORKS
    return GOODS


def _group_total(members: list[SupportItem], total=None) -> str:
    """ "33 ngôi nhà": the group's quantity as the report summed it, or (for a plain list) their sum."""
    if total is None:
        total = sum((Decimal(str(m.quantity or 0)) for m in members), Decimal(0))
    units = {fold(m.unit) for m in members}
    if units <= _HOUSE_UNITS:
        houses = _("ngôi nhà")  # outside the f-string, where makemessages finds it
        return f"{vn_quantity(total)} {houses}"
    unit = members[0].unit if len(units) == 1 else ""
    return f"{vn_quantity(total)} {unit or lower_first(members[0].group)}".strip()


def support_clauses(items: list[SupportItem], group_totals: dict | None = None) -> list[str]:
    """The clauses of the support sentence, in the order of the rows, groups where their first member was.

    `group_totals` maps a group to its quantity as the report computed it ("Nhà ở" -> 33). Money is
    left out (the total value is said separately)."""
    group_totals = group_totals or {}
    clauses: list[_Clause] = []
    done_groups: set[str] = set()
    counted_items = [i for i in items if i.quantity not in (None, 0) and _kind_of(i) != MONEY]
    for item in counted_items:
        kind = _kind_of(item)
        if item.group and item.group not in done_groups:
            members = [i for i in counted_items if i.group == item.group]
            if len(members) > 1:
                done_groups.add(item.group)
                detail = join_vi([m.counted() for m in members])
                verb = item.action or (_("xây dựng") if kind == WORKS else _("tặng"))
                text = _("{total}, trong đó {detail}").format(
                    total=_group_total(members, group_totals.get(item.group)), detail=detail
                )
                clauses.append(_Clause(verb=verb, items=[text], closed=True))
                continue
        elif item.group in done_groups:
            continue
        if kind == SERVICE and fold(item.unit) in _PEOPLE_UNITS:
            phrase = _("{service} cho {count}").format(
                service=item.noun, count=f"{vn_quantity(item.quantity)} {item.unit}".strip()
            )
            verb = ""
        else:
            phrase = item.counted()
            verb = item.action or {WORKS: _("xây dựng"), GOODS: _("tặng"), SERVICE: _("hỗ trợ")}.get(kind, "")
        if clauses and clauses[-1].verb == verb and not clauses[-1].closed:
            clauses[-1].items.append(phrase)
        else:
            clauses.append(_Clause(verb=verb, items=[phrase]))
    return [f"{c.verb} {', '.join(c.items)}".strip() for c in clauses]


def support_sentence(
    items: list[SupportItem], *, subject: str, total_vnd: int | None = None, group_totals: dict | None = None
) -> str:
    """ "{subject} đã hỗ trợ xây dựng 33 ngôi nhà, trong đó …; xây dựng 15 nhà văn hóa; … với tổng giá trị
    hơn 50 tỷ đồng." """
    clauses = support_clauses(items, group_totals)
    value = _("tổng giá trị {amount}").format(amount=vnd_phrase(total_vnd)) if total_vnd else ""
    if not clauses:
        if value:
            return _("{subject} đã hỗ trợ các xã với {value}.").format(subject=subject, value=value)
        return _("{subject} chưa ghi nhận kết quả hỗ trợ nào trong kỳ.").format(subject=subject)
    body = "; ".join(clauses)
    if value:
        return _("{subject} đã hỗ trợ {body}; {value}.").format(subject=subject, body=body, value=value)
    return _("{subject} đã hỗ trợ {body}.").format(subject=subject, body=body)
