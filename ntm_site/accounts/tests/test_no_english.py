"""No code or English word in the Vietnamese admin (issue 19, point 7).

Every admin page of the site (each changelist, an add page and a change page where there is a row) is opened
in Vietnamese by the superuser and by each role, and must hold none of the English words that used to show
(django-axes' models and fields, simple-history's "None") and no template code shown as text.
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
]


def visible_text(html: str) -> str:
    body = html[html.find("<body") :]
    body = re.sub(r"<(script|style|option)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", strip_tags(body))


def pages():
    for model in admin.site._registry:
        opts = model._meta
        try:
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            continue
        row = model._default_manager.first()
        if row is not None:
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])


def english_on(client) -> dict[str, list[str]]:
    slugs = [slug for slug in all_resources() if "-" in slug]
    found = {}
    for url in pages():
        response = client.get(url, follow=True)
        if response.status_code != 200:
            continue
        text = visible_text(response.content.decode())
        words = [w for w in ENGLISH if w in text]
        words += [s for s in slugs if re.search(rf"(?<![\w/-]){re.escape(s)}(?![\w/-])", text)]
        if words:
            found[url] = words
    return found


def test_no_english_or_template_code_on_any_admin_page_of_any_role(client, superuser, people):
    ImportBatch.objects.create(template="assessments-wide", file_name="ky-anh.xlsx", user=superuser)
    ImportBatch.objects.create(template="meeting-tasks", file_name="nhiem-vu.xlsx", user=superuser)
    from axes.models import AccessAttempt, AccessLog

    AccessAttempt.objects.create(
        username="ai-do", ip_address="127.0.0.1", user_agent="x", path_info="/admin/login/", failures_since_start=1
    )
    AccessLog.objects.create(username="ai-do", ip_address="127.0.0.1", user_agent="x", path_info="/admin/login/")
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
