from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SponsorshipConfig(AppConfig):
    name = "sponsorship"
    verbose_name = _("Phụ trách, đỡ đầu xã")

    def ready(self):
        # The admin index's panels of this app (ntm_site.dashboard) and its sections of a commune's dossier
        # (divisions.dossier).
        from sponsorship import dashboard, dossier  # noqa: F401
