from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class NtmAdminSite(admin.AdminSite):
    """The clerks' main screen."""

    site_header = _("Hồ sơ Nông thôn mới")
    site_title = _("Hồ sơ NTM")
    index_title = _("Bảng điều khiển")
    # Headline figures and report links above the list of apps (reports/templates/admin/ntm_index.html).
    index_template = "admin/ntm_index.html"

    def get_urls(self):
        # Background jobs' pages (ntm_site.jobs): admin/jobs/, admin/jobs/<id>/ …
        from ntm_site.jobs.views import urls as job_urls

        return job_urls(self) + super().get_urls()

    def autocomplete_view(self, request):
        # Only for users who may write the form's model (ntm_site.accounts.admin_mixins).
        from ntm_site.accounts.admin_mixins import ScopedAutocompleteJsonView

        return ScopedAutocompleteJsonView.as_view(admin_site=self)(request)
