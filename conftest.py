"""Project-wide test setup.

The official unit lists are reference data every app needs: the test database is
created once per run with the whole country loaded (both editions and lineage),
so tests work with real communes such as Xã Hương Liên instead of invented ones.
"""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_divisions", verbosity=0)
        call_command("load_reference_data", verbosity=0)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture(autouse=True)
def _language_reset():
    """A request with the English cookie activates English in this thread; the next test starts in Vietnamese."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _background_jobs_run_at_once(settings, tmp_path):
    """Background jobs (ntm_site.jobs) run inside the request that starts them, with their files in the test's
    own folder. The tests of the workers themselves (ntm_site/jobs/tests) put the database or RQ backend back
    and run a real worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
    settings.NTM_PRIVATE_ROOT = tmp_path / "private"
