from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "criteria"
    verbose_name = _("Bộ tiêu chí và đánh giá")

    def ready(self):
        # The commune-year's approval path is criteria's own; the platform reaches it through its hooks.
        from criteria import approval

        approval.register()

        # The admin index's panels of this app (ntm_site.dashboard) and its sections of a commune's dossier
        # (divisions.dossier).
        from criteria import dashboard, dossier  # noqa: F401
