from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users' roles and scopes, the approval of commune-years, restoring deleted records."""

    name = "ntm_site.accounts"
    label = "accounts"
    verbose_name = _("Người dùng và phân quyền")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import roles

        # After every migrate: permissions of models that arrived since (new apps, new models) join the roles.
        post_migrate.connect(roles.sync_after_migrate, sender=self, dispatch_uid="ntm_accounts_sync_roles")
