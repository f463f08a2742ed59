from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SponsorshipConfig(AppConfig):
    name = "sponsorship"
    verbose_name = _("Phụ trách, đỡ đầu xã")

    def ready(self):
        # The admin index's panels of this app (ntm_site.dashboard).
        from sponsorship import dashboard  # noqa: F401
