"""Django's ModelBackend with a user's permissions read in one query instead of two."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Q


class OneQueryModelBackend(ModelBackend):
    """ModelBackend reads the user's own permissions and their groups' permissions in two queries on every
    request of a clerk; this reads both at once (the same set, cached on the user object the same way).
    Everything else (login, active users only, superusers hold every permission) is ModelBackend's."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                perms = Permission.objects.all()
            else:
                own = User.user_permissions.through.objects.filter(user=user_obj).values("permission")
                of_groups = Group.permissions.through.objects.filter(group__user=user_obj).values("permission")
                perms = Permission.objects.filter(Q(pk__in=own) | Q(pk__in=of_groups))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in perms.values_list("content_type__app_label", "codename").order_by()
            }
        return user_obj._perm_cache
