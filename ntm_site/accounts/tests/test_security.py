"""Logins are rate limited, sessions expire, every page carries a CSP, production settings pass check --deploy."""

import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.cache.backends import locmem
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("admin:login")


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_five_wrong_passwords_lock_the_account_out_from_that_address(client, people):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "dieuphoi", "sai-mat-khau").status_code == 200
    locked = login(client, "dieuphoi", "sai-mat-khau")
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    # Even the right password is refused while locked out.
    assert login(client, "dieuphoi", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # Another clerk at the same office still gets in.
    assert login(Client(), "xem", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_failed_count(client, people):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "dieuphoi", "sai-mat-khau")
    assert login(client, "dieuphoi", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "dieuphoi", "sai-mat-khau").status_code == 200


def test_the_session_ends_after_an_hour_without_requests(client, people):
    assert settings.SESSION_COOKIE_AGE <= 3600 and settings.SESSION_SAVE_EVERY_REQUEST
    assert login(client, "xem", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.session.get_expiry_age() <= 3600
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now())
    response = client.get("/admin/")
    assert response.status_code == 302 and LOGIN in response["Location"]


def _session_writes(client, url="/admin/"):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]


def test_pages_within_five_minutes_leave_the_session_row_alone_and_later_ones_restart_the_hour(
    client, people, monkeypatch
):
    assert login(client, "xem", PASSWORD).status_code == 302
    key = client.session.session_key
    row = Session.objects.get(session_key=key)
    assert _session_writes(client) == []
    assert Session.objects.get(session_key=key).expire_date == row.expire_date

    # Six minutes later (the cache's clock): the next page writes the row and the hour starts again.
    six_minutes_later = time.time() + 360
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: six_minutes_later))
    assert len(_session_writes(client)) == 1
    assert Session.objects.get(session_key=key).expire_date > row.expire_date


def test_a_logout_ends_the_session_at_once_even_within_the_five_minutes(client, people):
    assert login(client, "xem", PASSWORD).status_code == 302
    stolen = Client()
    stolen.cookies = client.cookies.__class__(client.cookies)
    assert stolen.get("/admin/").status_code == 200
    client.post(reverse("admin:logout"))
    response = stolen.get("/admin/")
    assert response.status_code == 302 and LOGIN in response["Location"]


def test_login_needs_the_csrf_token(people):
    client = Client(enforce_csrf_checks=True)
    assert login(client, "xem", PASSWORD).status_code == 403


def test_weak_passwords_are_refused():
    for weak in ("12345678901", "matkhau", "password123"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Ha-Tinh-ve-dich-2019")


def test_every_page_has_a_content_security_policy_without_inline_scripts(admin_client):
    response = admin_client.get("/admin/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "http" not in policy  # no CDN anywhere
    login_page = Client().get(LOGIN)
    assert "Content-Security-Policy" in login_page


def test_admin_pages_hold_no_inline_script(admin_client):
    """Scripts inline in a page would be blocked by the policy: the admin pages we serve have none."""
    import re

    pages = ["/admin/", reverse("admin:divisions_administrativeunit_changelist"), reverse("admin:auth_user_add")]
    for page in pages:
        html = admin_client.get(page).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (page, tag)
        assert not re.search(r"\son(click|load|change|submit)=", html), page


def test_django_refuses_database_calls_from_async_code_in_this_run():
    """The browser tests allow them for themselves only (e2e/conftest.py), not for the rest of the suite."""
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ


def test_check_deploy_passes_with_production_settings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "test-" + "k" * 60,
        "ALLOWED_HOSTS": "ntm.example.gov.vn",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    root = Path(settings.BASE_DIR)
    result = subprocess.run(
        [sys.executable, str(root / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,  # a loaded CI machine takes a while to import everything
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _unconfigured_env() -> dict:
    """A machine that sets nothing: no DEBUG, no SECRET_KEY, not under pytest."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "PYTEST_VERSION")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def test_with_nothing_set_the_site_refuses_to_serve_without_a_secret_key():
    root = Path(settings.BASE_DIR)
    result = subprocess.run(
        [sys.executable, "-c", "import ntm_site.wsgi"],
        env=_unconfigured_env(),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_with_nothing_set_commands_that_serve_no_one_still_run():
    """makemigrations --check, as a developer or a checker types it, needs neither DEBUG nor SECRET_KEY."""
    root = Path(settings.BASE_DIR)
    result = subprocess.run(
        [sys.executable, str(root / "manage.py"), "makemigrations", "--check", "--dry-run"],
        env=_unconfigured_env(),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
