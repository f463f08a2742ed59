from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SponsorshipConfig(AppConfig):
    name = "sponsorship"
    verbose_name = _("Phụ trách, đỡ đầu xã")
