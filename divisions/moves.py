"""Users move with the map: the scopes of users tied to ended units go to those units' successors.

`user_scope_moves` is the preview (who moves where; which units have several successors to choose
between; who cannot move and why); `user_scopes_move` applies the chosen moves, one history row per
user. The lineage is UnitSuccession: a unit's main successor is proposed, a chain of successors is
followed to the unit in force, and a unit with no successor of its level (a legacy district: the
2025 map has none) leaves its user where they are, refused by name, so nobody is left without a unit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from divisions.models import AdministrativeUnit, UnitSuccession
from ntm_site.accounts.models import UserScope
from ntm_site.accounts.services import user_role_group_sync


@dataclass
class ScopeMove:
    """One user whose scope unit has ended: where they would go, or why they cannot."""

    scope: UserScope
    unit: AdministrativeUnit
    successors: list[AdministrativeUnit] = field(default_factory=list)  # main first
    refusal: str = ""

    @property
    def proposed(self):
        return self.successors[0] if self.successors else None

    @property
    def has_choice(self) -> bool:
        return len(self.successors) > 1


def successors_in_force(unit, day: datetime.date) -> list[AdministrativeUnit]:
    """The units of the same level that took over `unit`, in force on `day`, main successor first.

    A successor that has ended in its turn is followed to its own successors (a chain of reforms).
    """
    found, seen, queue = [], {unit.pk}, [unit]
    while queue:
        current = queue.pop(0)
        lines = (
            UnitSuccession.objects.filter(predecessor=current, successor__level=unit.level)
            .select_related("successor__parent")
            .order_by("-is_main", "successor__code")
        )
        for line in lines:
            successor = line.successor
            if successor.pk in seen:
                continue
            seen.add(successor.pk)
            if successor.valid_to is None or successor.valid_to >= day:
                found.append(successor)
            else:
                queue.append(successor)
    return found


def ended_scopes(day: datetime.date | None = None):
    """Scopes whose unit had ended by `day` (today by default)."""
    day = day or timezone.localdate()
    return (
        UserScope.objects.filter(unit__valid_to__lt=day).select_related("user", "unit__parent").order_by("unit__code")
    )


def user_scope_moves(*, scopes, day: datetime.date | None = None) -> list[ScopeMove]:
    day = day or timezone.localdate()
    moves, successors = [], {}  # several users of one ended unit: its lineage is read once
    for record in scopes:
        if record.unit_id not in successors:
            successors[record.unit_id] = successors_in_force(record.unit, day)
        move = ScopeMove(scope=record, unit=record.unit, successors=successors[record.unit_id])
        if not move.successors:
            move.refusal = str(
                _(
                    "{user}: {unit} đã hết hiệu lực ngày {end} và không có đơn vị kế thừa cùng cấp trên bản đồ "
                    "hiện hành; chuyển thì người dùng không còn địa bàn nào, nên không chuyển. Hãy giao phạm vi "
                    "mới bằng tay (vai trò cán bộ cấp huyện giữ cho dữ liệu cũ)."
                ).format(
                    user=record.user.get_username(), unit=record.unit, end=record.unit.valid_to.strftime("%d/%m/%Y")
                )
            )
        moves.append(move)
    return moves


@transaction.atomic
def user_scopes_move(
    *, moves: list[ScopeMove], choices: dict[int, int] | None = None, by=None
) -> tuple[list[str], list[str]]:
    """Move each movable user to their chosen successor (`choices`: scope id → unit id, else the main one).

    Returns (a line per user moved, a line per user refused). A user with no successor, or a choice
    that is not one of the unit's successors (a crafted form), is refused by name and left as they were.
    """
    choices = choices or {}
    done, refused = [], []
    for move in moves:
        record = move.scope
        if move.refusal:
            refused.append(move.refusal)
            continue
        wanted = choices.get(record.pk)
        target = next((u for u in move.successors if u.pk == wanted), None) if wanted else move.proposed
        if target is None:
            refused.append(
                str(
                    _("{user}: đơn vị đã chọn không phải đơn vị kế thừa của {unit}; không chuyển.").format(
                        user=record.user.get_username(), unit=move.unit
                    )
                )
            )
            continue
        record.unit = target
        record.full_clean()
        record._change_reason = str(_("Chuyển theo bản đồ mới: {old} → {new}").format(old=move.unit, new=target))
        record._history_user = by
        record.save()
        user_role_group_sync(user=record.user)
        done.append(str(_("{user}: {old} → {new}").format(user=record.user.get_username(), old=move.unit, new=target)))
    return done, refused
