from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Hội nghị, cuộc họp")

    def ready(self):
        # The admin index's panels of this app (ntm_site.dashboard) and its sections of a commune's dossier
        # (divisions.dossier); the handler of the minutes import's background job (ntm_site.jobs).
        from meetings import dashboard, dossier, jobs  # noqa: F401
