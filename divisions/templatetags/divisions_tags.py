"""Dashboard blocks of the divisions app: a user whose unit has ended is told what replaced it."""

from django import template
from django.urls import reverse
from django.utils import timezone

from divisions import moves
from divisions.models import AdministrativeUnit
from ntm_site.accounts import scope
from ntm_site.accounts.choices import Role
from ntm_site.accounts.models import UserScope

register = template.Library()


def ended_scope_notice(user) -> dict:
    """What the dashboard tells `user` about the map: {} when there is nothing to say.

    A user whose scope unit has ended reads which unit(s) replaced it and whom to ask (the province
    coordinators of the successor's province, by name and e-mail); a coordinator reads how many users
    of their province are still tied to ended units, with a link to move them.
    """
    if not user.is_authenticated:
        return {}
    from divisions.admin import may_move_scopes, movable_scopes

    today = timezone.localdate()
    out = {}
    own = scope.get_scope(user).unit
    if own is not None and own.valid_to is not None and own.valid_to < today:
        successors = moves.successors_in_force(own, today)
        provinces = {u.province_id or u.pk for u in successors} or {own.province_id or own.pk}
        area = AdministrativeUnit.objects.filter(pk__in=provinces)
        contacts = (
            UserScope.objects.filter(role=Role.PROVINCE_COORDINATOR, unit__in=area)
            .exclude(user=user)
            .filter(user__is_active=True)
            .select_related("user")
            .order_by("user__username")
        )
        out["ended"] = {
            "unit": own,
            "successors": successors,
            "contacts": [
                {"name": c.user.get_full_name() or c.user.get_username(), "email": c.user.email} for c in contacts[:3]
            ],
        }
    if may_move_scopes(user):
        waiting = movable_scopes(user).count()
        if waiting:
            out["to_move"] = {
                "count": waiting,
                "url": reverse("admin:divisions_administrativeunit_move_scopes"),
            }
    return out


@register.inclusion_tag("divisions/ended_scope_notice.html", takes_context=True)
def ntm_map_notice(context):
    request = context.get("request")
    return {"notice": ended_scope_notice(request.user) if request is not None else {}}
