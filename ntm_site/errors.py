"""The pages a clerk sees when refused (403) or sent to a missing page (404): in the admin's look and language.

Django's own pages are bare English ("403 Forbidden"); these render 403.html and 404.html with the admin
site's context, so the header, the clerk's links and the way back to the dashboard stay in place.
"""

from django.contrib import admin
from django.template.response import TemplateResponse


def _page(request, template, status, title):
    context = {**admin.site.each_context(request), "title": title}
    return TemplateResponse(request, template, context, status=status).render()


def permission_denied(request, exception=None):
    from django.utils.translation import gettext as _

    return _page(request, "403.html", 403, _("Không có quyền truy cập"))


def page_not_found(request, exception=None):
    from django.utils.translation import gettext as _

    return _page(request, "404.html", 404, _("Không tìm thấy trang"))


def server_error(request):
    """A failure of ours, said plainly in the site's look; the page needs no database (it may be what failed)."""
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({"request": request}))
