from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo")

    def ready(self):
        # The reports' own background downloads (large .xlsx and .docx), run by ntm_site.jobs.
        import reports.jobs  # noqa: F401
