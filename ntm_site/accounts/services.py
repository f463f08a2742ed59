"""Giving a user their role and place."""

from django.contrib.auth.models import Group
from django.db import transaction

from ntm_site.accounts import scope
from ntm_site.accounts.choices import GROUP_NAMES, Role
from ntm_site.accounts.models import UserScope


@transaction.atomic
def user_scope_set(*, user, role: str, unit=None, organisation=None) -> UserScope:
    """Give `user` a role for a unit or an organisation: their scope, their group, access to the admin."""
    record = UserScope.objects.filter(user=user).first() or UserScope(user=user)
    record.role = role
    record.unit = unit if role != Role.SPONSOR_CLERK else None
    record.organisation = organisation if role == Role.SPONSOR_CLERK else None
    record.full_clean()
    record.save()
    user_role_group_sync(user=user)
    return record


@transaction.atomic
def user_role_group_sync(*, user) -> None:
    """Make the user a member of their role's group and of no other role's group."""
    record = UserScope.objects.filter(user=user).first()
    role_groups = Group.objects.filter(name__in=GROUP_NAMES.values())
    user.groups.remove(*role_groups)
    if record is not None:
        user.groups.add(*role_groups.filter(name=GROUP_NAMES[Role(record.role)]))
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    scope.forget(user)
    for attr in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)
