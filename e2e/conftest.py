"""Browser tests: Playwright drives the system's Chromium against pytest-django's live server.

Run with `make test-e2e` (or `pytest -m e2e e2e/`); the default `make test` leaves them out,
because a live server needs a transactional database that is flushed after every test.
So these tests do not use the country the root conftest loads: each loads only the
provinces and reference data it needs (`load_data`), a few seconds per test.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django.fixtures import django_db_setup as _plain_django_db_setup

from e2e import a11y

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# `make screenshots` sets E2E_GALLERY=docs/screenshots: the key screens are also saved there, as
# what the window shows (not the whole page), to keep the committed PNGs small.
GALLERY = os.environ.get("E2E_GALLERY")
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", Path(__file__).resolve().parent.parent / "screenshots"))
PASSWORD = "mat-khau-dai-123"

# The empty test database, without the whole country the root conftest loads for the other suites:
# the first transactional test would flush it anyway.
django_db_setup = _plain_django_db_setup


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the browser tests' database is a file, as a clerk's laptop has it (not Django's in-memory test
    database, which the live server shares with the test's thread as one connection): the live server, the
    test and a background worker (`worker` below) each read and write it over a connection of their own."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("e2e-database") / "test.sqlite3")


@pytest.fixture
def worker(transactional_db, settings):
    """A real background worker (django-tasks' database backend, the loop of `manage.py db_worker`) in a thread
    beside the live server, over the same database; `worker.start()` when the test wants it running."""
    import threading

    from django.db import connections
    from django_tasks_db.management.commands.db_worker import Worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.NTM_JOB_HEARTBEAT_SECONDS = 0.2
    loop = Worker(
        queue_names=["default"],
        interval=0.2,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="e2e-worker",
    )

    def run():
        try:
            loop.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="e2e-db-worker", daemon=True)
    loop.start = thread.start
    yield loop
    loop.running = False
    if thread.is_alive():
        thread.join(timeout=30)


@pytest.fixture(scope="package", autouse=True)
def async_unsafe_allowed():
    """Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
    with a running loop unless told the caller knows what it is doing. Told for these tests only: the
    flag is set when the first browser test starts and taken away after the last (a run that deselects
    them never sets it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def browser(async_unsafe_allowed):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def load_data(transactional_db):
    """Load what a workflow needs into the (flushed) test database."""

    def load(*, provinces=(), reference=True, demo=()):
        """`demo`: the NN numbers of the demo workbooks to import, or True for the whole demo as `seed_demo`
        loads it (its published years approved, the 2026 season)."""
        if provinces:
            call_command("load_divisions", *[f"--province={p}" for p in provinces], verbosity=0)
        if reference:
            call_command("load_reference_data", verbosity=0)
        if demo is True:
            from seeds.loader import seed_demo

            for _line in seed_demo():
                pass
        elif demo:
            _seed_demo_workbooks(demo)

    return load


def _seed_demo_workbooks(numbers):
    """Import the demo workbooks whose NN prefix is in `numbers`, in order (seeds/README.md)."""
    from ntm_site.spreadsheets.registry import get_resource
    from ntm_site.spreadsheets.services import workbook_import
    from seeds.loader import demo_workbooks

    for slug, path in demo_workbooks():
        if int(path.name.split("_", 1)[0]) not in numbers:
            continue
        with path.open("rb") as handle:
            report = workbook_import(resource_class=get_resource(slug), file=handle, file_name=path.name)
        assert report.ok, "\n".join([f"{path.name}: {report.summary()}", *report.error_lines(10)])


@pytest.fixture
def make_user(transactional_db, django_user_model):
    def make(username, *, superuser=False, role=None, unit=None, organisation=None, permissions=(), groups=()):
        """A user who logs in with PASSWORD; `role` gives them a scope (ntm_site.accounts) as in life."""
        from django.contrib.auth.models import Group, Permission

        from ntm_site.accounts.services import user_scope_set

        if superuser:
            return django_user_model.objects.create_superuser(username, f"{username}@example.vn", PASSWORD)
        user = django_user_model.objects.create_user(username, f"{username}@example.vn", PASSWORD, is_staff=True)
        if role:
            user_scope_set(user=user, role=role, unit=unit, organisation=organisation)
        for codename in permissions:
            app_label, code = codename.split(".")
            user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=code))
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        return user

    return make


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.shot = _shooter(page, request.node.name)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        page.shot("FAILED")
    context.close()


def _shooter(page, test_name):
    folder = SCREENSHOTS / re.sub(r"^test_", "", test_name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    counter = iter(range(1, 100))

    def shot(name, of=None, gallery=None, at=None):
        """A full-page screenshot of the page (or of `of`, another tab) named in test order;
        `gallery` names its copy in the README's gallery: the top of the page, or from `at` (a locator) down."""
        target = of or page
        path = folder / f"{next(counter):02d}-{name}.png"
        target.screenshot(path=str(path), full_page=True, animations="disabled")
        if gallery and GALLERY:
            Path(GALLERY).mkdir(parents=True, exist_ok=True)
            if at is None:
                target.evaluate("window.scrollTo(0, 0)")
            else:
                at.evaluate("element => element.scrollIntoView({block: 'start'})")
            target.evaluate("document.activeElement && document.activeElement.blur()")
            target.screenshot(path=str(Path(GALLERY) / f"{gallery}.png"), animations="disabled")
        return path

    return shot


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


def login(page, username):
    page.goto("/admin/login/")
    a11y.check(page)
    page.get_by_label(re.compile("Tên đăng nhập|Username", re.I)).fill(username)
    page.get_by_label(re.compile("Mật khẩu|Password", re.I)).fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def follow(page, locator):
    """Click a link or button that loads a new page, and wait for that page (not the old one)."""
    with page.expect_navigation():
        locator.click()


def choose_autocomplete(page, field, typed, option):
    """Pick `option` (text it contains) in the select2 autocomplete of the form field `field` after typing `typed`."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(typed)
    # role=option: not the heading of a group of options (units are listed under their map's edition)
    page.locator(".select2-results__option[role=option]:not(.loading-results)", has_text=option).first.click()
