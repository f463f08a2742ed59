from axes.apps import AppConfig as AxesAppConfig
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


class NtmAxesConfig(AxesAppConfig):
    """django-axes (failed logins and lockouts) under a Vietnamese heading, its records named in Vietnamese.

    The app has no verbose name of its own (the admin shows "Axes") and its models print themselves in English
    ("Access Log for admin @ 2026-12-06 00:27:48.975161+00:00"), in the breadcrumbs and the page titles.
    """

    verbose_name = _("Bảo vệ đăng nhập")

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        from ntm_site.history_display import local_datetime_text

        def local_time(value):
            return local_datetime_text(value) if value else "—"

        def attempt(obj):
            return _("Lần thử đăng nhập của “{user}” lúc {time}").format(
                user=obj.username, time=local_time(obj.attempt_time)
            )

        def failure(obj):
            text = _("Đăng nhập sai của “{user}” lúc {time}, từ {address}").format(
                user=obj.username, time=local_time(obj.attempt_time), address=obj.ip_address
            )
            locked = _("(đã khóa)")
            return f"{text} {locked}" if obj.locked_out else str(text)

        def log(obj):
            return _("Đăng nhập của “{user}” lúc {time}").format(user=obj.username, time=local_time(obj.attempt_time))

        AccessAttempt.__str__ = lambda obj: str(attempt(obj))
        AccessFailureLog.__str__ = failure
        AccessLog.__str__ = lambda obj: str(log(obj))
