"""Clerks never meet an English string in the Vietnamese admin.

Django, django-import-export, django-filter and django-simple-history ship incomplete (or no)
Vietnamese catalogues; ntm_site/locale/vi fills every gap. These tests read each package's own
msgids from its .po files and ask Django for the Vietnamese text of every one of them.
"""

import ast
import functools
import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import django_filters
import import_export
import pytest
import simple_history
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation
from django.views.i18n import JavaScriptCatalog

from divisions.models import AdministrativeUnit

DJANGO_DIR = Path(django.__file__).parent
LOCALE_DIR = Path(settings.BASE_DIR) / "ntm_site" / "locale" / "vi" / "LC_MESSAGES"


def _package_dir(module) -> Path:
    return Path(module.__file__).parent


# Each package's catalogue: Django's own `en` files list every msgid; the third-party packages ship
# no `en` file, so the union of their translations' msgids is taken.
CATALOGUES = {
    "django.contrib.admin": [DJANGO_DIR / "contrib/admin/locale/en/LC_MESSAGES/django.po"],
    "django.contrib.auth": [DJANGO_DIR / "contrib/auth/locale/en/LC_MESSAGES/django.po"],
    "django.contrib.contenttypes": [DJANGO_DIR / "contrib/contenttypes/locale/en/LC_MESSAGES/django.po"],
    "django.contrib.sessions": [DJANGO_DIR / "contrib/sessions/locale/en/LC_MESSAGES/django.po"],
    "django.contrib.humanize": [DJANGO_DIR / "contrib/humanize/locale/en/LC_MESSAGES/django.po"],
    "django (forms, validators, fields)": [DJANGO_DIR / "conf/locale/en/LC_MESSAGES/django.po"],
    "import_export": sorted(_package_dir(import_export).glob("locale/*/LC_MESSAGES/django.po")),
    "django_filters": sorted(_package_dir(django_filters).glob("locale/*/LC_MESSAGES/django.po")),
    "simple_history": sorted(_package_dir(simple_history).glob("locale/*/LC_MESSAGES/django.po")),
}
ADMIN_JS_CATALOGUE = [DJANGO_DIR / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po"]

# simple_history's catalogues are older than its templates: these msgids are used there but in none of them.
EXTRA_MSGIDS = {
    "simple_history": [(None, "entry", "entries"), (None, "View on site", None)],
}

# Strings that are the same in Vietnamese: gettext cannot tell them from a missing translation.
SAME_IN_VIETNAMESE = {
    "%(class_name)s %(instance)s",
    "%(truncated_text)s…",
    "%(size)d byte",
    "%s KB",
    "%s MB",
    "%s GB",
    "%s TB",
    "%s PB",
    "IPv4",
    "IPv6",
    "…",
    ":",
    ":?.!",
    ", ",
}


def _po_string(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list), fuzzy. Obsolete ones are left out."""
    entries, entry, field = [], None, None

    def finish():
        if entry and "msgid" in entry:
            entries.append(
                {
                    "msgctxt": _po_string(entry["msgctxt"]) if "msgctxt" in entry else None,
                    "msgid": _po_string(entry["msgid"]),
                    "msgid_plural": _po_string(entry["msgid_plural"]) if "msgid_plural" in entry else None,
                    "msgstr": [_po_string(v) for k, v in sorted(entry.items()) if k.startswith("msgstr")],
                    "fuzzy": entry["fuzzy"],
                }
            )

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line or line.startswith("#~"):
            if entry and "msgid" in entry:
                finish()
                entry = None
            continue
        if entry is None or ("msgid" in entry and line.startswith(("#", "msgctxt"))):
            finish()
            entry, field = {"fuzzy": False}, None
        if line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field].append(line)
        else:
            keyword, value = line.split(" ", 1)
            field = keyword
            entry[field] = [value]
    return entries


def msgids(paths: list[Path]) -> list[tuple[str | None, str, str | None]]:
    found = {}
    for path in paths:
        for e in read_po(path):
            if e["msgid"]:
                found.setdefault((e["msgctxt"], e["msgid"]), e["msgid_plural"])
    return [(ctx, msgid, plural) for (ctx, msgid), plural in found.items()]


def untranslated(catalogue, entries) -> list[str]:
    """The msgids that come back in English from `catalogue` (a gettext-like object or module)."""
    missing = []
    for ctx, msgid, plural in entries:
        if plural:
            if ctx:
                got = [catalogue.npgettext(ctx, msgid, plural, n) for n in (1, 5)]
            else:
                got = [catalogue.ngettext(msgid, plural, n) for n in (1, 5)]
            english = [msgid, plural]
        else:
            got = [catalogue.pgettext(ctx, msgid) if ctx else catalogue.gettext(msgid)]
            english = [msgid]
        if any(g == e and e not in SAME_IN_VIETNAMESE for g, e in zip(got, english, strict=True)) or not all(got):
            missing.append(f"{ctx}|{msgid}" if ctx else msgid)
    return missing


@pytest.mark.parametrize("package", CATALOGUES)
def test_every_msgid_of_the_package_reads_in_vietnamese(package):
    entries = msgids(CATALOGUES[package]) + EXTRA_MSGIDS.get(package, [])
    assert len(entries) > 5, "the package's catalogue was not found"
    with translation.override("vi"):
        assert untranslated(translation, entries) == []


def test_every_admin_javascript_msgid_reads_in_vietnamese():
    """The date widget's calendar and the selector boxes: the admin's jsi18n view builds this catalogue."""
    with translation.override("vi"):
        catalogue = DjangoTranslation(
            "vi", domain="djangojs", localedirs=JavaScriptCatalog().get_paths(["django.contrib.admin"])
        )
        assert catalogue.gettext("Monday") == "Thứ Hai"
        assert untranslated(catalogue, msgids(ADMIN_JS_CATALOGUE)) == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_committed_mo_matches_its_po_and_nothing_is_fuzzy(domain):
    """CI does not compile messages: a .po edited without recompiling would silently not apply."""
    po_entries = read_po(LOCALE_DIR / f"{domain}.po")
    assert [e["msgid"] for e in po_entries if e["fuzzy"]] == []
    with open(LOCALE_DIR / f"{domain}.mo", "rb") as mo_file:
        mo = gettext.GNUTranslations(mo_file)
    assert mo.info()["plural-forms"] == "nplurals=1; plural=0;"
    for e in po_entries[1:]:
        if e["msgid_plural"]:
            got = (
                mo.npgettext(e["msgctxt"], e["msgid"], e["msgid_plural"], 1)
                if e["msgctxt"]
                else (mo.ngettext(e["msgid"], e["msgid_plural"], 1))
            )
        else:
            got = mo.pgettext(e["msgctxt"], e["msgid"]) if e["msgctxt"] else mo.gettext(e["msgid"])
        assert got == e["msgstr"][0], e["msgid"]


class VisibleText(HTMLParser):
    """Text a person reads on a page: text outside scripts and styles, titles, labels, button captions.

    Icons' alt texts are left out: Django hard-codes some in English (the search icon's "Search", the
    boolean icons' "True"/"False"), out of reach of any catalogue. So is text marked as another language
    than the page's (`lang="en"`): the language switch names English in English.
    """

    ATTRIBUTES = {"title", "aria-label", "placeholder"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area", "base", "embed", "track"}

    def __init__(self):
        super().__init__()
        self.strings, self._skip, self._foreign, self._page_language = [], 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        attrs = dict(attrs)
        if tag == "html":
            self._page_language = attrs.get("lang")
        elif tag not in self.VOID and (self._foreign or attrs.get("lang", self._page_language) != self._page_language):
            self._foreign.append(tag)
            return
        for name, value in attrs.items():
            if value and (name in self.ATTRIBUTES or (name == "value" and attrs.get("type") in {"submit", "button"})):
                self.strings.append(value.strip())

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1
        if tag in self._foreign:  # closes whatever was left open inside it
            del self._foreign[len(self._foreign) - 1 - self._foreign[::-1].index(tag) :]

    def handle_data(self, data):
        if not self._skip and not self._foreign and data.strip():
            self.strings.append(" ".join(data.split()))

    @classmethod
    def strings_of(cls, page: str) -> list[str]:
        parser = cls()
        parser.feed(page)
        return parser.strings


# English that Django's own vi catalogues used to leave on these pages.
KNOWN_ENGLISH = [
    "Toggle theme",
    "Skip to main content",
    "Breadcrumbs",
    "Toggle navigation",
    "Sidebar",
    "Filter navigation items",
    "Show counts",
    "Hide counts",
    "Model name",
    "Add link",
    "Select all objects on this page",
    "Select this object for an action",
    "Click here",
    "Site administration",
]


@functools.cache
def english_msgids() -> frozenset[str]:
    return frozenset(
        text.strip()
        for paths in [*CATALOGUES.values(), ADMIN_JS_CATALOGUE]
        for _ctx, msgid, plural in msgids(paths)
        for text in (msgid, plural or "")
        if text.strip() not in SAME_IN_VIETNAMESE and re.search("[A-Za-z]{2}", text)
    )


def english_on(page: str) -> list[str]:
    strings = VisibleText.strings_of(page)
    found = [s for s in strings if s in english_msgids()]
    found += [phrase for phrase in KNOWN_ENGLISH if any(phrase in s for s in strings)]
    return found


@pytest.mark.django_db
def test_admin_index_shows_no_english(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Đổi giao diện" in page
    assert english_on(page) == []


@pytest.mark.django_db
def test_changelist_with_filters_and_actions_shows_no_english(admin_client):
    page = admin_client.get(reverse("admin:divisions_unitsuccession_changelist")).content.decode()
    assert "7 ngày qua" in page  # the date filter
    assert english_on(page) == []


@pytest.mark.django_db
def test_change_forms_show_no_english(admin_client, superuser):
    unit = AdministrativeUnit.objects.order_by("pk").first()
    for url in [
        reverse("admin:divisions_administrativeunit_change", args=[unit.pk]),
        reverse("admin:auth_user_change", args=[superuser.pk]),
        reverse("admin:auth_user_add"),
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert english_on(response.content.decode()) == [], url


@pytest.mark.django_db
def test_history_page_shows_no_english(admin_client):
    """simple-history printed Python's "None" for a change without a reason (our template override fixes it)."""
    unit = AdministrativeUnit.objects.order_by("pk").first()
    page = admin_client.get(reverse("admin:divisions_administrativeunit_history", args=[unit.pk])).content.decode()
    assert "Lý do thay đổi" in page
    assert english_on(page) == []
    assert "None" not in VisibleText.strings_of(page)
