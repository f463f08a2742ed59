import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal

from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from ntm_site.text import fold, nfc, search_key


def render(template: str, **context) -> str:
    with translation.override("vi"):
        return Template("{% load l10n humanize %}" + template).render(Context(context))


def test_numbers_are_grouped_the_vietnamese_way():
    assert render("{{ n }}", n=1234567) == "1.234.567"
    assert render("{{ n }}", n=Decimal("1234567.5")) == "1.234.567,5"


def test_dates_are_day_month_year():
    assert render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=datetime.date(2016, 3, 1)) == "01/03/2016"


def test_a_time_in_a_form_reads_hours_and_minutes():
    from django.contrib.admin.widgets import AdminTimeWidget

    with translation.override("vi"):
        html = AdminTimeWidget().render("start", datetime.time(8, 0))
    assert 'value="08:00"' in html


def test_fold_removes_diacritics_including_d_with_stroke():
    assert fold("Đông Hà") == "dong ha"
    assert fold("  Hương   Liên ") == "huong lien"


def test_decomposed_and_composed_text_fold_alike():
    decomposed = "Vie\u0323\u0302t"  # "Việt" typed as NFD
    assert nfc(decomposed) == "Việt"
    assert fold(decomposed) == fold("Việt") == "viet"


def test_search_key_marks_word_starts():
    assert search_key("Xã Hương Liên", "Huyện Hương Khê") == " xa huong lien huyen huong khe"


def test_default_permissions_are_named_in_vietnamese(db):
    from django.contrib.auth.models import Permission

    perm = Permission.objects.get(codename="change_administrativeunit")
    assert perm.name == "Có thể sửa đơn vị hành chính"


def test_a_year_is_shown_without_a_thousands_separator():
    from django.contrib.admin.utils import display_for_field

    from criteria.models import CommuneYear

    field = CommuneYear._meta.get_field("year")
    with translation.override("vi"):
        assert display_for_field(2017, field, "-") == "2017"


def test_a_managed_postgresql_is_configured_from_the_environment():
    """What docs/deployment.md promises: TLS in the URL, kept and checked connections, PgBouncer's mode."""
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://ntm:mat-khau@db.example.gov.vn:6432/ntm?sslmode=require",
        "CONN_MAX_AGE": "60",
        "CONN_HEALTH_CHECKS": "1",
        "DISABLE_SERVER_SIDE_CURSORS": "1",
    }
    script = "from django.conf import settings; import json; print(json.dumps(settings.DATABASES['default']))"
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "ntm_site.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    db = json.loads(done.stdout.strip().splitlines()[-1])
    assert (db["HOST"], db["PORT"], db["NAME"], db["OPTIONS"]) == (
        "db.example.gov.vn",
        6432,
        "ntm",
        {"sslmode": "require", "options": "-c jit=off -c random_page_cost=1.1"},  # benchmarks/README.md
    )
    assert (db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"], db["DISABLE_SERVER_SIDE_CURSORS"]) == (60, True, True)
