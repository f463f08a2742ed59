"""Mounted by ntm_site/urls.py at admin/reports/, before the admin's own URLs.

Only the reports' own slugs are matched here, so admin/reports/savedfilter/ (the admin's
changelist of saved filters) still reaches the admin.
"""

from django.urls import path, re_path

from reports import registry
from reports.documents.urls import document_urlpatterns
from reports.exports import FORMATS
from reports.views import admin_views

app_name = "reports"

_views = admin_views()
_slugs = "|".join(registry.slugs())
_formats = "|".join(FORMATS)

urlpatterns = [
    path("", _views["index"], name="index"),
    re_path(rf"^(?P<slug>{_slugs})/$", _views["report"], name="report"),
    re_path(rf"^(?P<slug>{_slugs})/export/(?P<fmt>{_formats})/$", _views["export"], name="export"),
    re_path(rf"^(?P<slug>{_slugs})/save/$", _views["save"], name="save"),
    # Draft documents (.docx) of three reports and of meetings: reports/documents/urls.py.
    *document_urlpatterns(),
]
