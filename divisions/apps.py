from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DivisionsConfig(AppConfig):
    name = "divisions"
    verbose_name = _("Đơn vị hành chính")

    def ready(self):
        # The dossier of a commune's page, and its own section (the lineage); later apps add theirs.
        from divisions import dossier  # noqa: F401
