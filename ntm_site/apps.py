from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class NtmAdminConfig(AdminConfig):
    """The project's admin site replaces Django's default one."""

    default_site = "ntm_site.admin_site.NtmAdminSite"


class NtmSiteConfig(AppConfig):
    """Shared machinery: base models, the spreadsheet engine, import batches."""

    name = "ntm_site"
    label = "ntm_site"
    verbose_name = _("Hệ thống")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The platform's background jobs: a confirmed import, a large export of an admin list.
        import ntm_site.jobs.admin_export  # noqa: F401
        import ntm_site.spreadsheets.jobs  # noqa: F401
        from ntm_site.jobs.admin_export import hide_task_rows

        hide_task_rows()
        from ntm_site.signals import name_permissions_in_vietnamese

        def rename(**kwargs):
            with translation.override("vi"):
                name_permissions_in_vietnamese(**kwargs)

        post_migrate.connect(rename, dispatch_uid="ntm_site.vietnamese_permission_names")
