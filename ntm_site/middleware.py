from django.conf import settings
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, and most office
    browsers say en-US: the clerk then gets Django's own strings in English around our
    Vietnamese ones, and numbers as 1,234,567. Only an explicit choice (the language
    cookie set by /i18n/setlang/) switches the interface away from LANGUAGE_CODE.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SiteNotFoundMiddleware:
    """A missing page is the site's own (404.html, in the admin's look and Vietnamese), DEBUG on or off.

    With DEBUG off Django already renders handler404 (ntm_site.errors). With DEBUG on, which `make run` sets,
    it shows its technical page in English instead ("Page not found (404)", the URL patterns): a clerk trying
    the demo who mistypes an address gets that. So both ways Django takes there are answered here: an address
    that matches no URL (the response comes back without a resolver match) and an Http404 a view raises
    (an unknown admin address goes to the admin's catch-all view, which raises it).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            from ntm_site.errors import page_not_found

            return page_not_found(request)
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            from ntm_site.errors import page_not_found

            return page_not_found(request, exception)
        return None
