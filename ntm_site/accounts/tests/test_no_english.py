"""No code or English word in the Vietnamese admin (issue 19, point 7).

Every admin page of the site (the index, each app's page, each changelist, add page and a change page where there
is a row, and a mistyped address) is opened in Vietnamese by the superuser and by each role, and must hold none of
the English words that used to show (django-axes' heading, models, fields and record names, simple-history's
"None", Django's technical 404) and no template code shown as text.
"""

import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags

from ntm_site.models import ImportBatch
from ntm_site.spreadsheets.registry import all_resources

pytestmark = pytest.mark.django_db

ENGLISH = [
    "Access attempts",
    "Access failures",
    "Access logs",
    "Access Attempt",
    "Attempt Time",
    "Attempt Remaining",
    "IP Address",
    "User Agent",
    "Failed Logins",
    "Logout Time",
    "Expires At",
    "Not set",
    "Deleted ",
    "pk=None",
    "Change History",
    "Django administration",
    "Select all",
    "Access Log for",
    "Attempted Access",
    "Failed access",
    "Ntm version",
    "Page not found",
    "URLconf",
]
# Words that are English only as whole words ("Axes", django-axes' app heading; "Quản lý Axes" on its page).
ENGLISH_WORDS = ["Axes"]


def visible_text(html: str) -> str:
    body = html[html.find("<body") :]
    body = re.sub(r"<(script|style|option)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", strip_tags(body))


def pages():
    yield reverse("admin:index")
    yield "/admin/khong-co-trang-nay/"  # a mistyped address: the site's 404 (DEBUG on, see the test)
    for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
        yield reverse("admin:app_list", args=[app_label])
    for model in admin.site._registry:
        opts = model._meta
        try:
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            continue
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        row = model._default_manager.first()
        if row is not None:
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])


def english_on(client) -> dict[str, list[str]]:
    slugs = [slug for slug in all_resources() if "-" in slug]
    found = {}
    for url in pages():
        response = client.get(url, follow=True)
        if response.status_code not in (200, 404):
            continue
        text = visible_text(response.content.decode())
        words = [w for w in ENGLISH if w in text]
        words += [w for w in ENGLISH_WORDS if re.search(rf"\b{w}\b", text)]
        words += [s for s in slugs if re.search(rf"(?<![\w/-]){re.escape(s)}(?![\w/-])", text)]
        if words:
            found[url] = words
    return found


def test_no_english_or_template_code_on_any_admin_page_of_any_role(client, superuser, people, settings):
    settings.DEBUG = True  # as `make run` serves the demo: Django would show its technical 404 in English
    ImportBatch.objects.create(template="assessments-wide", file_name="ky-anh.xlsx", user=superuser)
    ImportBatch.objects.create(template="meeting-tasks", file_name="nhiem-vu.xlsx", user=superuser)
    from axes.models import AccessAttempt, AccessLog

    AccessAttempt.objects.create(
        username="ai-do", ip_address="127.0.0.1", user_agent="x", path_info="/admin/login/", failures_since_start=1
    )
    AccessLog.objects.create(username="ai-do", ip_address="127.0.0.1", user_agent="x", path_info="/admin/login/")
    from axes.models import AccessFailureLog

    AccessFailureLog.objects.create(
        username="ai-do", ip_address="127.0.0.1", user_agent="x", path_info="/admin/login/", locked_out=True
    )
    for user in [
        superuser,
        people.coordinator,
        people.huong_khe_clerk,
        people.commune_clerk,
        people.sponsor_clerk,
        people.viewer,
    ]:
        client.force_login(user)
        assert english_on(client) == {}, user.username


def test_the_favicon_is_served_by_the_site(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'rel="icon"' in page
    from django.contrib.staticfiles import finders

    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and icon["Location"].endswith("ntm_site/favicon.svg")
    assert finders.find("ntm_site/favicon.svg")


def test_a_server_error_page_has_the_sites_look_in_vietnamese(rf):
    from ntm_site.errors import server_error

    response = server_error(rf.get("/admin/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Lỗi hệ thống" in html and "Hồ sơ Nông thôn mới" in html and "Server Error" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/khong-co-trang-nay/",  # the admin's catch-all
        "/admin/criteria/khong-co/",
        "/admin/reports/khong-co-bao-cao/",  # a view that raises Http404
        "/khong-co-trang-nay/",  # no URL pattern at all
    ],
)
def test_a_mistyped_address_is_the_sites_vietnamese_404_also_with_debug_on(client, superuser, settings, url):
    """`make run` serves with DEBUG on: a mistyped address showed Django's "Page not found (404)" and its URLs."""
    settings.DEBUG = True
    client.force_login(superuser)
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html and "Hồ sơ Nông thôn mới" in html  # in the site's look
    assert "Page not found" not in html and "URLconf" not in html


def test_a_mistyped_address_without_a_slash_is_still_sent_to_the_one_with_it(client, superuser, settings):
    settings.DEBUG = True
    client.force_login(superuser)
    response = client.get("/admin/criteria/communeyear")
    assert response.status_code == 301 and response["Location"].endswith("/admin/criteria/communeyear/")


def test_login_records_read_in_vietnamese(superuser):
    import datetime

    from axes.models import AccessFailureLog, AccessLog
    from django.utils import timezone

    when = timezone.make_aware(datetime.datetime(2026, 12, 6, 7, 27))
    log = AccessLog(username="admin", attempt_time=when)
    assert str(log) == "Đăng nhập của “admin” lúc 06/12/2026 07:27"
    failure = AccessFailureLog(username="ai-do", attempt_time=when, ip_address="127.0.0.1", locked_out=True)
    assert str(failure) == "Đăng nhập sai của “ai-do” lúc 06/12/2026 07:27, từ 127.0.0.1 (đã khóa)"
    assert str(admin.site._registry[AccessLog].model._meta.app_config.verbose_name) == "Bảo vệ đăng nhập"
