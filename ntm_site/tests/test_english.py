"""Vietnamese first, English available: with the English language chosen, our own strings read in English too.

The project's msgids are Vietnamese; ntm_site/locale/en translates them. These tests look at pages with and
without the language cookie, and check that the English catalogue covers every string the code marks for
translation (read from the sources here, without gettext's tools), completely and with the same placeholders.
"""

import ast
import gettext
import io
import re
import tokenize
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation.template import templatize

from ntm_site.tests.test_locale import VisibleText, read_po

BASE_DIR = Path(settings.BASE_DIR)
EN_DIR = BASE_DIR / "ntm_site" / "locale" / "en" / "LC_MESSAGES"
PROJECT_DIRS = ["criteria", "divisions", "meetings", "ntm_site", "reports", "seeds", "sponsorship"]

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def catalogue() -> dict[tuple[str | None, str], dict]:
    return {(e["msgctxt"], e["msgid"]): e for e in read_po(EN_DIR / "django.po")[1:]}


def _normal(text: str) -> str:
    """Django capitalises verbose names and adds a colon to labels: "Tỉnh/thành phố:" is msgid "tỉnh/thành phố"."""
    text = text.strip().rstrip(":").strip()
    return text[:1].lower() + text[1:]


def vietnamese_on(page: str) -> list[str]:
    """Visible strings that are one of our msgids whose English differs: a translation the page did not get."""
    ours = {_normal(msgid) for (_ctx, msgid), e in catalogue().items() if e["msgstr"][0] != msgid}
    return [s for s in VisibleText.strings_of(page) if _normal(s) in ours]


PAGES = {
    "admin index": (reverse("admin:index"), {}),
    "criteria changelist": (reverse("admin:criteria_communeyear_changelist"), {}),
    "reports index": (reverse("reports:index"), {}),
    "criteria summary report": (
        reverse("reports:report", args=["criteria-summary"]),
        {"district": "Huyện Kỳ Anh", "year": "2017"},
    ),
}

# The dashboard is the current year's.
THIS_YEAR = timezone.localdate().year

# Headings a user reads on each page: (Vietnamese, English).
HEADINGS = {
    "admin index": [
        ("Hồ sơ Nông thôn mới", "New Rural Development records"),
        ("Bộ tiêu chí và đánh giá", "Criteria and assessment"),
        (f"Việc của tôi năm {THIS_YEAR}", f"My work in {THIS_YEAR}"),
        (f"Số liệu năm {THIS_YEAR}", f"Figures for {THIS_YEAR}"),
    ],
    "criteria changelist": [
        ("Kết quả chấm tiêu chí theo xã, năm", "Criteria results by commune and year"),
        ("Nhập từ Excel", "Import from Excel"),
        ("Tỉnh đã phê duyệt", "Approved by the province"),
    ],
    "reports index": [
        ("Sơ kết, tổng kết thực hiện văn bản phân công", "Review of the implementation of an assignment document"),
        ("Theo dõi nhiệm vụ sau hội nghị", "Follow-up of tasks after meetings"),
    ],
    "criteria summary report": [
        ("Tổng hợp kết quả thực hiện bộ tiêu chí", "Summary of criteria results"),
        ("Tỷ lệ đạt (%)", "Pass rate (%)"),
        ("Năm đánh giá", "Assessment year"),
        ("Xem báo cáo", "View report"),
    ],
}


@pytest.mark.parametrize("name", PAGES)
def test_with_the_english_cookie_our_strings_read_in_english(admin_client, name):
    url, params = PAGES[name]
    response = english(admin_client).get(url, params)
    assert response.status_code == 200
    strings = [s.rstrip(":") for s in VisibleText.strings_of(response.content.decode())]
    for vietnamese, english_text in HEADINGS[name]:
        assert english_text in strings
        assert vietnamese not in strings
    assert vietnamese_on(response.content.decode()) == []


@pytest.mark.parametrize("name", PAGES)
def test_without_the_cookie_the_same_pages_stay_vietnamese(admin_client, name):
    url, params = PAGES[name]
    strings = [s.rstrip(":") for s in VisibleText.strings_of(admin_client.get(url, params).content.decode())]
    for vietnamese, english_text in HEADINGS[name]:
        assert vietnamese in strings
        assert english_text not in strings


def test_the_language_switch_in_the_header_goes_to_english_and_back(admin_client):
    changelist = reverse("admin:criteria_communeyear_changelist")
    page = admin_client.get(changelist).content.decode()
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in page
    assert f'<input type="hidden" name="next" value="{changelist}">' in page

    response = admin_client.post(reverse("set_language"), {"language": "en", "next": changelist})
    assert response.status_code == 302 and response.url == changelist
    page = admin_client.get(changelist).content.decode()
    assert "Criteria results by commune and year" in VisibleText.strings_of(page)
    assert '<button type="submit" name="language" value="vi" lang="vi">Tiếng Việt</button>' in page

    admin_client.post(reverse("set_language"), {"language": "vi", "next": changelist})
    assert "Kết quả chấm tiêu chí theo xã, năm" in VisibleText.strings_of(admin_client.get(changelist).content.decode())


def test_a_meeting_participant_who_reports_is_not_the_reports_menu():
    """One Vietnamese word, two English ones: the role carries a context."""
    from django.utils import translation

    from meetings.choices import ParticipationRole

    with translation.override("en"):
        assert str(ParticipationRole.REPORTER.label) == "Presenter"
        assert translation.gettext("Báo cáo") == "Reports"
    with translation.override("vi"):
        assert str(ParticipationRole.REPORTER.label) == "Báo cáo"


# The code's msgids, read the way makemessages reads them (its gettext keywords), without needing xgettext.
KEYWORDS = {
    # name: positions of (context, singular, plural) among the call's arguments
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def _project_files(pattern: str):
    for top in PROJECT_DIRS:
        for path in sorted((BASE_DIR / top).rglob(pattern)):
            if "tests" not in path.relative_to(BASE_DIR).parts:
                yield path


def _python_msgids(source: str):
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in KEYWORDS:
            continue
        ctx_at, msgid_at, _plural_at = KEYWORDS[name]
        args = node.args
        if len(args) <= msgid_at or not all(
            isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args[: msgid_at + 1]
        ):
            continue  # a variable (e.g. gettext(label)): nothing to extract, as for xgettext
        yield (args[ctx_at].value if ctx_at is not None else None, args[msgid_at].value)


def _template_msgids(source: str):
    """Django's templatize turns {% translate %} and {% blocktranslate %} into gettext('...') calls."""
    for line in templatize(source).splitlines():
        if "gettext(" in line:  # each call is on one line, its strings written with repr()
            yield from _calls(list(tokenize.generate_tokens(io.StringIO(line.strip()).readline)))


def _calls(tokens):
    for i, token in enumerate(tokens):
        if token.type != tokenize.NAME or token.string not in KEYWORDS or tokens[i + 1].string != "(":
            continue
        args, j = [], i + 2
        while tokens[j].type == tokenize.STRING:
            args.append(ast.literal_eval(tokens[j].string))
            j += 2 if tokens[j + 1].string == "," else 1
        ctx_at, msgid_at, _plural_at = KEYWORDS[token.string]
        yield (args[ctx_at] if ctx_at is not None else None, args[msgid_at])


def code_msgids() -> set[tuple[str | None, str]]:
    found = set()
    for path in _project_files("*.py"):
        found.update(_python_msgids(path.read_text(encoding="utf-8")))
    for path in _project_files("*.html"):
        found.update(_template_msgids(path.read_text(encoding="utf-8")))
    return found


def test_every_string_of_the_code_is_in_the_english_catalogue():
    """A new _("…") in the code needs `make messages` and its English in ntm_site/locale/en (README, Languages)."""
    msgids = code_msgids()
    assert ("vai trò dự họp", "Báo cáo") in msgids and (None, "Thời gian:") in msgids  # reads .py and templates
    assert len(msgids) > 1000
    missing = sorted(f"{ctx}|{msgid}" if ctx else msgid for ctx, msgid in msgids - catalogue().keys())
    assert missing == []


PLACEHOLDER = re.compile(r"\{[A-Za-z_][^{}]*\}|%\([a-z_]+\)[sd]|%[sd]")


def test_every_english_entry_is_translated_with_the_same_placeholders():
    """An empty msgstr shows Vietnamese; a renamed {placeholder} makes .format() fail on the English page."""
    problems = []
    for (_ctx, msgid), e in catalogue().items():
        sources = [msgid, e["msgid_plural"]] if e["msgid_plural"] else [msgid]
        if e["fuzzy"] or len(e["msgstr"]) != len(sources) or not all(s.strip() for s in e["msgstr"]):
            problems.append(f"untranslated or fuzzy: {msgid}")
            continue
        for source, translated in zip(sources, e["msgstr"], strict=True):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translated)):
                problems.append(f"placeholders differ: {source!r} -> {translated!r}")
    assert problems == []


def test_committed_english_mo_matches_its_po():
    """CI does not compile messages: a .po edited without `make messages` would silently not apply."""
    entries = catalogue().values()
    with open(EN_DIR / "django.mo", "rb") as mo_file:
        mo = gettext.GNUTranslations(mo_file)
    assert mo.info()["plural-forms"] == "nplurals=2; plural=(n != 1);"
    mismatched = []
    for e in entries:
        ctx, msgid, plural = e["msgctxt"], e["msgid"], e["msgid_plural"]
        if plural:
            got = [mo.npgettext(ctx, msgid, plural, n) if ctx else mo.ngettext(msgid, plural, n) for n in (1, 2)]
        else:
            got = [mo.pgettext(ctx, msgid) if ctx else mo.gettext(msgid)]
        if got != e["msgstr"]:
            mismatched.append(msgid)
    assert mismatched == []


# --- Excel in English -------------------------------------------------------------------------


def _demo_workbook(name):
    from seeds.loader import demo_workbooks

    return next((slug, path) for slug, path in demo_workbooks() if path.name == name)


def test_a_vietnamese_workbook_still_imports_with_the_admin_in_english():
    """The clerks' workbooks have Vietnamese headers and values ("Sở, ban, ngành") whatever the admin's language."""
    from django.utils import translation

    from ntm_site.spreadsheets.registry import get_resource
    from ntm_site.spreadsheets.services import workbook_import
    from sponsorship.models import Organisation

    slug, path = _demo_workbook("10_organisations.xlsx")
    with translation.override("en"), path.open("rb") as handle:
        report = workbook_import(resource_class=get_resource(slug), file=handle, file_name=path.name)
    assert report.ok, report.error_lines(5)
    assert report.created == 186
    assert Organisation.objects.filter(kind="so_nganh").exists()


def test_the_english_template_imports_in_english_with_english_choices_and_hints():
    from django.utils import translation
    from openpyxl import load_workbook

    from ntm_site.spreadsheets.registry import get_resource
    from ntm_site.spreadsheets.services import workbook_import
    from ntm_site.spreadsheets.workbooks import template_workbook
    from sponsorship.models import Organisation

    resource_class = get_resource("organisations")
    with translation.override("en"):
        template = load_workbook(io.BytesIO(template_workbook(resource_class)))
        sheet = template.active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        header = next(i for i, row in enumerate(rows) if "Abbreviation" in row)
        assert rows[header][:3] == ["Agency/unit name (*)", "Abbreviation", "Type (*)"]
        assert "Full name, unique; include the province name if needed to tell them apart" in rows[header + 1]
        sheet.append(["Công ty Thử nghiệm Hà Tĩnh", "CTTN", "Enterprise"])
        data = io.BytesIO()
        template.save(data)
        report = workbook_import(resource_class=resource_class, file=data.getvalue(), file_name="organisations.xlsx")
        assert report.ok, report.error_lines(5)
    assert Organisation.objects.get(short_name="CTTN").kind == "doanh_nghiep"


def test_an_english_error_stays_english_for_an_english_workbook():
    from django.utils import translation
    from openpyxl import Workbook

    from ntm_site.spreadsheets.registry import get_resource
    from ntm_site.spreadsheets.services import workbook_import

    book = Workbook()
    book.active.append(["Agency/unit name", "Abbreviation", "Type"])
    book.active.append(["Công ty Thử nghiệm Hà Tĩnh", "CTTN", "Company"])
    data = io.BytesIO()
    book.save(data)
    with translation.override("en"):
        report = workbook_import(
            resource_class=get_resource("organisations"), file=data.getvalue(), file_name="organisations.xlsx"
        )
        assert not report.ok
        assert "one of these values is required" in " ".join(report.error_lines(5))
