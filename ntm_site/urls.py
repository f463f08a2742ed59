from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


def favicon(request):
    # Resolved per request: with DEBUG off the static name comes from the manifest collectstatic writes.
    return HttpResponsePermanentRedirect(static("ntm_site/favicon.svg"))


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers ask for /favicon.ico whatever the page links: the site's own icon, served with the static files.
    path("favicon.ico", favicon),
    # The reports' pages live inside the admin (same login and look); before admin.site.urls so that
    # admin/reports/ is the reports' index rather than the admin's list of the app's models.
    path("admin/reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

# Refusals and missing pages in the admin's look and in Vietnamese, not Django's bare English pages.
handler403 = "ntm_site.errors.permission_denied"
handler404 = "ntm_site.errors.page_not_found"
handler500 = "ntm_site.errors.server_error"
