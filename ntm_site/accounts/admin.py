"""Users with their scope: set by a superuser on the user's page."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from ntm_site.accounts.models import UserScope
from ntm_site.accounts.services import user_role_group_sync

User = get_user_model()


class UserScopeInline(admin.StackedInline):
    model = UserScope
    fields = ["role", "unit", "organisation"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["organisation"]
    can_delete = True
    extra = 0
    max_num = 1


class ScopedUserAdmin(UserAdmin):
    """Django's user page with the user's role and place; saving it puts the user in the role's group."""

    inlines = [UserScopeInline]
    list_display = [*UserAdmin.list_display, "scope_role", "scope_place"]
    list_select_related = ["ntm_scope__unit__parent", "ntm_scope__organisation"]  # a unit is named with its parent

    @admin.display(description=UserScope._meta.get_field("role").verbose_name)
    def scope_role(self, user):
        record = getattr(user, "ntm_scope", None)
        return record.get_role_display() if record else "—"

    @admin.display(description=UserScope._meta.get_field("unit").verbose_name)
    def scope_place(self, user):
        record = getattr(user, "ntm_scope", None)
        return record.place if record else "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_role_group_sync(user=form.instance)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, ScopedUserAdmin)
