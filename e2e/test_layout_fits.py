"""Every admin list and a record's page of every model fit a 1,366 × 768 screen, for a superuser and a clerk.

A page fails when it scrolls sideways (document.documentElement.scrollWidth > clientWidth), and a list
fails when its table is wider than its box (the last columns hidden behind the box's own scroll bar, as
the commune-year list's "Tình trạng phê duyệt" once was). A tabular inline may scroll inside its own box
(a meeting's speeches): the page around it must not. The pages are those of the admin site's registry, on
the whole demo data set.
"""

import re

import pytest

from e2e.conftest import PASSWORD

pytestmark = pytest.mark.e2e
SCREEN = {"width": 1366, "height": 768}
OVERFLOW = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) problems.push(`page ${root.scrollWidth}px wide`);
  const list = document.querySelector('#changelist .results');
  if (list && list.scrollWidth > list.clientWidth) {
    problems.push(`list table ${list.scrollWidth}px wide in ${list.clientWidth}px`);
  }
  return problems;
}"""


def admin_pages(user):
    """(name, url) of the index, every changelist the user may open and the newest record's page of each."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import reverse

    from divisions.models import AdministrativeUnit
    from meetings.models import Meeting

    request = RequestFactory().get("/admin/")
    request.user = user
    pages = [("dashboard", reverse("admin:index"))]
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        if not model_admin.has_view_or_change_permission(request):
            continue
        info = model._meta.app_label, model._meta.model_name
        pages.append((f"{model._meta.label} list", reverse("admin:{}_{}_changelist".format(*info))))
        newest = model_admin.get_queryset(request).order_by("-pk").first()
        if newest is not None:
            url = reverse("admin:{}_{}_change".format(*info), args=[newest.pk])
            pages.append((f"{model._meta.label} {newest.pk}", url))
    # The pages clerks named: the meeting with the most speeches they may read, and a commune's dossier.
    meeting = admin.site._registry[Meeting].get_queryset(request).order_by("-speech_count", "pk").first()
    pages.append(("meeting with most speeches", reverse("admin:meetings_meeting_change", args=[meeting.pk])))
    ky_tien = AdministrativeUnit.objects.get(code="18769", edition="legacy")
    pages.append(("dossier of Xã Kỳ Tiến", reverse("admin:divisions_administrativeunit_change", args=[ky_tien.pk])))
    return pages


def overflowing_pages(browser, base_url, user) -> list[str]:
    context = browser.new_context(base_url=base_url, locale="vi-VN", viewport=SCREEN)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    failures, visited = [], 0
    for name, url in admin_pages(user):
        response = page.goto(url)
        assert response.status == 200, f"{user.username}: {name} ({url}) answered {response.status}"
        visited += 1
        problems = page.evaluate(OVERFLOW)
        if problems:
            failures.append(f"{user.username}: {name} ({url}): {', '.join(problems)}")
    context.close()
    assert visited > 20, f"{user.username} visited only {visited} pages"
    return failures


def test_every_admin_page_of_the_demo_fits_1366_pixels(browser, live_server, load_data, make_user):
    from divisions.models import AdministrativeUnit
    from ntm_site.accounts.choices import Role

    load_data(provinces=["Ninh Bình", "Hà Tĩnh", "Hà Giang"], demo=True)
    readers = [
        make_user("quantri", superuser=True),
        make_user("huyenkyanh", role=Role.DISTRICT_CLERK, unit=AdministrativeUnit.objects.get(code="447", level=2)),
    ]
    failures = [line for reader in readers for line in overflowing_pages(browser, live_server.url, reader)]
    assert failures == [], "Pages wider than 1,366 px:\n" + "\n".join(failures)
