from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "criteria"
    verbose_name = _("Bộ tiêu chí và đánh giá")

    def ready(self):
        # The commune-year's approval path is criteria's own; the platform reaches it through its hooks.
        from criteria import approval

        approval.register()

        # The admin index's panels of this app (ntm_site.dashboard), its sections of a commune's dossier
        # (divisions.dossier), and the triggers that keep CommuneYearSummary, there after every migrate
        # (criteria.summary).
        from criteria import (
            dashboard,  # noqa: F401
            dossier,  # noqa: F401
            summary,
        )

        post_migrate.connect(summary.ensure_after_migrate, sender=self, dispatch_uid="criteria_summary_triggers")
