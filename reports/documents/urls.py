"""The draft documents' URLs, included in reports/urls.py (namespace "reports")."""

from django.contrib import admin
from django.urls import re_path

from reports.documents.reports import REPORT_DOCUMENTS
from reports.documents.views import MEETING_DOCUMENTS, meeting_document_view, report_document_view


def document_urlpatterns():
    slugs = "|".join(REPORT_DOCUMENTS)
    which = "|".join(MEETING_DOCUMENTS)
    return [
        re_path(
            rf"^(?P<slug>{slugs})/document/$",
            admin.site.admin_view(report_document_view),
            name="document",
        ),
        re_path(
            rf"^meetings/(?P<pk>\d+)/(?P<which>{which})/$",
            admin.site.admin_view(meeting_document_view),
            name="meeting-document",
        ),
    ]
