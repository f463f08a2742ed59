"""Scale benchmark: the whole country's data in PostgreSQL, then every admin page and report timed.

    make bench-scale
    python benchmarks/scale_bench.py [--repeat 5] [--regenerate] [--verbose] [--only WORD] [--memory]

The benchmark works in `<name>_bench` on the server of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/ntm_scale_bench), never in the app's own database; it is
created if missing, migrated, and filled once with the national data set
(benchmarks/scale_data.py: ≈ 2.9 million assessments, 100,000 support records, 5,000 meetings
…). A later run reuses it; --regenerate drops and rebuilds it.

Then, through Django's test client, logged in as a superuser and as a district clerk of Hà Tĩnh,
one warm-up and --repeat timed requests of: the admin index, every admin changelist (first page,
a filtered page, a search "ky anh", a page deep in the list), the change page of records with
many children, every autocomplete, every report page (one province and the whole country) and
its .xlsx download. It prints request, SQL queries, median and p95 ms, target, OK/FAIL, and
exits 1 when a target is missed. --verbose adds EXPLAIN ANALYZE of the slowest queries.

Not a unit test: a benchmark (timings depend on the machine and its load).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ntm_scale_bench"
PROVINCE = "Tỉnh Hà Tĩnh"
DISTRICT = "Huyện Kỳ Anh"
SEARCH = "ky anh"
DEEP_PAGE = 500

# Targets (issue 9): ms of the median, SQL queries. Issue 20: the dashboard, the country's report
# pages and downloads are judged on their p95.
PAGE_MS, PAGE_QUERIES = 300, 15
REPORT_PROVINCE_MS, XLSX_MS = 300, 3000
DASHBOARD_P95_MS, REPORT_COUNTRY_P95_MS, XLSX_COUNTRY_P95_MS = 300, 500, 2000
SMOKE_FRACTION = 0.03  # ≈ 300 legacy communes (and the clerk's district): CI's smoke run


@dataclass
class Probe:
    name: str
    url: str
    user: str  # "admin" or "clerk"
    target_ms: int | None
    max_queries: int | None = None
    statistic: str = "median"  # what target_ms bounds: "median" or "p95"
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # this process (Django and the client), not the server's
    queries: list = field(default_factory=list)
    status: int = 0
    peak_mib: float | None = None  # --memory: Python's peak allocation during one more request (tracemalloc)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def judged(self) -> float:
        return self.p95 if self.statistic == "p95" else self.median

    @property
    def ok(self) -> bool:
        good_queries = self.max_queries is None or len(self.queries) <= self.max_queries
        if self.target_ms is None or SMOKE:
            return self.status == 200
        return self.status == 200 and self.judged <= self.target_ms and good_queries


SMOKE = False  # a smoke run judges only that every request answers 200 (and the row counts)


# --- the database ------------------------------------------------------------------------


def bench_url(url: str, variant: str = "") -> str:
    """The benchmark's own database on the server of DATABASE_URL: `<name>_bench` (never the app's own data).

    A smaller data set (`variant` "smoke", "f25" …) lives in `<name>_<variant>_bench`, so it never
    replaces the national one.
    """
    if not url.startswith(("postgres://", "postgresql://")):
        url = DEFAULT_URL
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "ntm_scale"
    name = name.removesuffix("_bench")
    if variant:
        name += f"_{variant}"
    return parts._replace(path=f"/{name}_bench").geturl()


def ensure_database(url: str, regenerate: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and regenerate:
            print(f"dropping {name} …")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            print(f"creating {name} …")
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_site.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the clerk's 403s are expected
    from django.conf import settings

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.append("testserver")
    # The downloads are timed as they are built, in the request: a deployment hands those of more than
    # NTM_BACKGROUND_ROWS rows to a background worker (ntm_site.jobs), which builds the same file the same way.
    settings.NTM_BACKGROUND_ROWS = 10**9


def prepare(size=None) -> list[str]:
    """Migrate and fill the database once; returns what is wrong with its row counts (nothing, normally)."""
    import scale_data
    from django.core.management import call_command

    size = size or scale_data.FULL
    call_command("migrate", verbosity=0)
    if scale_data.data_ready():
        print("data set already there (--regenerate to rebuild it)")
        scale_data.add_year_2026(lambda line: print(line, flush=True), size)  # a set built before issue 16
        return check_counts(size)
    counts = scale_data.generate(lambda line: print(line, flush=True), size=size)
    print("rows:", scale_data.as_json(counts))
    return check_counts(size, counts)


def check_counts(size, written=None) -> list[str]:
    """The tables hold what the generator says it wrote, and the criteria tables what the units and sets imply."""
    import scale_data

    have = scale_data.table_counts()
    problems = []
    for name, want in scale_data.expected_counts(size).items():
        if have[name] != want:
            problems.append(f"{name}: {have[name]:,} rows, {want:,} expected")
    for name, want in (written or {}).items():
        if name in have and have[name] != want:
            problems.append(f"{name}: {have[name]:,} rows, the generator wrote {want:,}")
    empty = [name for name, n in have.items() if not n]
    problems += [f"{name}: no rows" for name in empty]
    print("row counts:", "right" if not problems else "WRONG", scale_data.as_json(have), flush=True)
    return problems


def bench_users():
    from django.contrib.auth import get_user_model

    from divisions.models import AdministrativeUnit
    from ntm_site.accounts.choices import Role
    from ntm_site.accounts.services import user_scope_set

    User = get_user_model()
    admin, _ = User.objects.get_or_create(
        username="scale-admin", defaults={"is_staff": True, "is_superuser": True, "email": "a@example.invalid"}
    )
    clerk, created = User.objects.get_or_create(username="scale-clerk", defaults={"is_staff": True})
    if created or not hasattr(clerk, "ntm_scope"):
        district = AdministrativeUnit.objects.get(name=DISTRICT, level=2, edition="legacy", province__name=PROVINCE)
        user_scope_set(user=clerk, role=Role.DISTRICT_CLERK, unit=district)
    return {"admin": admin, "clerk": clerk}


# --- what to request ------------------------------------------------------------------------


def dashboard_probes() -> list[Probe]:
    """The admin index (the dashboard every user lands on), for the superuser and the clerk: p95 ≤ 300 ms."""
    from django.urls import reverse

    url = reverse("admin:index")
    return [
        Probe("admin index", url, who, DASHBOARD_P95_MS, PAGE_QUERIES, statistic="p95") for who in ("admin", "clerk")
    ]


def admin_probes(client_for) -> list[Probe]:
    from django.contrib import admin
    from django.urls import reverse

    probes = dashboard_probes()
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda kv: kv[0]._meta.label):
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        label = f"{opts.app_label}.{opts.model_name}"
        for who in ("admin", "clerk"):
            client = client_for(who)
            first = client.get(url)
            if first.status_code != 200:
                continue  # the clerk has no such page
            probes.append(Probe(f"{label} list", url, who, PAGE_MS, PAGE_QUERIES))
            query = _filtered_query(first)
            if query:
                probes.append(Probe(f"{label} list filtered", url + query, who, PAGE_MS, PAGE_QUERIES))
            if model_admin.search_fields:
                q = "?" + urlencode({"q": SEARCH})
                probes.append(Probe(f"{label} search", url + q, who, PAGE_MS, PAGE_QUERIES))
            cl = first.context_data["cl"]
            pages = -(-model_admin.get_queryset(_request(who)).count() // cl.list_per_page) if who == "admin" else 0
            if pages > 2:
                deep = min(DEEP_PAGE, pages - 1)
                probes.append(Probe(f"{label} list p={deep}", f"{url}?p={deep}", who, PAGE_MS, PAGE_QUERIES))
    return probes


_users = {}


def _request(who):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = _users[who]
    return request


def _filtered_query(response) -> str:
    """A filter choice of the changelist: Hà Tĩnh when a filter offers it, else the first choice of the first filter."""
    cl = response.context_data["cl"]
    fallback = ""
    for spec in cl.filter_specs:
        for choice in spec.choices(cl):
            if choice.get("selected") or not choice.get("query_string"):
                continue
            if PROVINCE in str(choice.get("display", "")):
                return choice["query_string"]
            if not fallback and choice["query_string"] not in ("?", ""):
                fallback = choice["query_string"]
    return fallback


def change_probes() -> list[Probe]:
    from django.db.models import Count
    from django.urls import reverse

    from criteria.models import CommuneYear
    from divisions.models import AdministrativeUnit
    from meetings.models import Meeting, Person
    from sponsorship.models import Assignment, Decision, Organisation

    def url(obj):
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])

    district = AdministrativeUnit.objects.get(name=DISTRICT, level=2, edition="legacy", province__name=PROVINCE)
    records = {
        "decision (assignments)": Decision.objects.filter(province__name=PROVINCE)
        .annotate(n=Count("assignments"))
        .order_by("-n")
        .first(),
        "commune-year (19 assessments)": CommuneYear.objects.filter(
            commune__parent=district, year=2019, approval_status="draft"
        ).first()
        or CommuneYear.objects.filter(commune__parent=district, year=2019).first(),
        "assignment (support records)": Assignment.objects.filter(commune__parent=district).first(),
        "organisation (assignments)": Organisation.objects.filter(home_unit__name=PROVINCE).first(),
        "meeting (minutes)": Meeting.objects.filter(organiser__home_unit__name=PROVINCE).order_by("-start").first(),
        "person": Person.objects.first(),
        "district (communes)": district,
        # A commune's dossier (divisions.dossier): one query per section, whatever its records.
        "commune (dossier)": AdministrativeUnit.objects.filter(
            pk__in=CommuneYear.objects.filter(commune__parent=district).values("commune")
        ).first(),
    }
    probes = []
    for name, obj in records.items():
        if obj is None:  # a small data set (--smoke, --fraction) may lack one
            print(f"  (no record for change {name})")
            continue
        for who in ("admin", "clerk"):
            probes.append(Probe(f"change {name}", url(obj), who, PAGE_MS, PAGE_QUERIES))
    return probes


def autocomplete_probes() -> list[Probe]:
    from django.contrib import admin
    from django.urls import reverse

    clerk = _users["clerk"]
    seen = set()
    probes = []
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda kv: kv[0]._meta.label):
        owners = [(model, model_admin.autocomplete_fields)]
        owners += [(inline.model, inline.autocomplete_fields) for inline in model_admin.inlines]
        for owner, fields in owners:
            for name in fields:
                key = (owner._meta.label, name)
                if key in seen:
                    continue
                seen.add(key)
                params = {
                    "app_label": owner._meta.app_label,
                    "model_name": owner._meta.model_name,
                    "field_name": name,
                    "term": SEARCH,
                }
                url = reverse("admin:autocomplete") + "?" + urlencode(params)
                label = f"autocomplete {owner._meta.model_name}.{name}"
                probes.append(Probe(label, url, "admin", PAGE_MS, PAGE_QUERIES))
                # An autocomplete answers those who may fill its form; the clerk is refused the others (403).
                opts = owner._meta
                if any(clerk.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in ("add", "change")):
                    probes.append(Probe(label, url, "clerk", PAGE_MS, PAGE_QUERIES))
    return probes


def report_probes() -> list[Probe]:
    from django.urls import reverse

    from reports import registry
    from sponsorship.models import Decision

    decision = Decision.objects.filter(province__name=PROVINCE).order_by("symbol").first()
    required = {"decision-review": {"decision": decision.symbol}, **REPORT_YEARS}
    probes = []
    for report in registry.all_reports():
        extra = required.get(report.slug, {})
        areas = {"country": {}, "province": {"province": PROVINCE}}
        for area, params in areas.items():
            query = "?" + urlencode({**params, **extra}) if (params or extra) else ""
            page = reverse("reports:report", args=[report.slug]) + query
            xlsx = reverse("reports:export", args=[report.slug, "xlsx"]) + query
            if area == "country":
                page_probe = Probe(f"report {report.slug} ({area})", page, "admin", REPORT_COUNTRY_P95_MS, None, "p95")
                xlsx_probe = Probe(
                    f"report {report.slug} .xlsx ({area})", xlsx, "admin", XLSX_COUNTRY_P95_MS, None, "p95"
                )
            else:
                page_probe = Probe(f"report {report.slug} ({area})", page, "admin", REPORT_PROVINCE_MS)
                xlsx_probe = Probe(f"report {report.slug} .xlsx ({area})", xlsx, "admin", XLSX_MS)
            probes += [page_probe, xlsx_probe]
            if area == "province":
                probes.append(Probe(f"report {report.slug} ({area})", page, "clerk", REPORT_PROVINCE_MS))
    return probes


# Reports that default to the latest year assessed are asked for a year: the criteria reports keep measuring 2025
# (the heaviest year, both maps: the year issue 20's targets were set on) now that 2026 is there too; the
# indicator summary is a 2026 report (no earlier set has indicators).
REPORT_YEARS = {
    "criteria-summary": {"year": 2025},
    "criteria-matrix": {"year": 2025},
    "indicator-summary": {"year": 2026},
}


def year_2026_probes(client_for) -> list[Probe]:
    """Issue 16: the 2026 sheet (47 indicators) of a 2025-map commune of Hà Tĩnh, the criteria reports of 2026.

    The indicator-results and commune-groups changelists and the indicator summary (REPORT_YEARS) are in
    admin_probes and report_probes already. Same targets as the pages and reports they stand beside.
    """
    from django.urls import reverse

    from criteria.models import CommuneYear
    from divisions.models import UnitSuccession

    successors = UnitSuccession.objects.filter(
        predecessor__parent__name=DISTRICT, predecessor__province__name=PROVINCE
    ).values("successor")
    sheet = (
        CommuneYear.objects.filter(year=2026, commune__in=successors).order_by("commune__code").first()
        or CommuneYear.objects.filter(year=2026, commune__province__name=PROVINCE).order_by("commune__code").first()
    )
    probes = []
    if sheet is None:
        print("  (no 2026 sheet in Hà Tĩnh)")
    else:
        url = reverse("admin:criteria_communeyear_change", args=[sheet.pk])
        for who in ("admin", "clerk"):
            if who == "admin" or client_for(who).get(url).status_code == 200:
                probes.append(Probe("change commune-year 2026 (47 indicators)", url, who, PAGE_MS, PAGE_QUERIES))
    for slug in ("criteria-summary", "criteria-matrix"):
        for area, params in {"country": {}, "province": {"province": PROVINCE}}.items():
            query = "?" + urlencode({**params, "year": 2026})
            page = reverse("reports:report", args=[slug]) + query
            xlsx = reverse("reports:export", args=[slug, "xlsx"]) + query
            name = f"report {slug} 2026"
            if area == "country":
                probes.append(Probe(f"{name} ({area})", page, "admin", REPORT_COUNTRY_P95_MS, None, "p95"))
                probes.append(Probe(f"{name} .xlsx ({area})", xlsx, "admin", XLSX_COUNTRY_P95_MS, None, "p95"))
            else:
                probes.append(Probe(f"{name} ({area})", page, "admin", REPORT_PROVINCE_MS))
                probes.append(Probe(f"{name} .xlsx ({area})", xlsx, "admin", XLSX_MS))
                probes.append(Probe(f"{name} ({area})", page, "clerk", REPORT_PROVINCE_MS))
    return probes


# --- measuring ------------------------------------------------------------------------------


def measure(probes: list[Probe], client_for, repeat: int, memory: bool = False) -> None:
    import tracemalloc

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n, probe in enumerate(probes, start=1):
        client = client_for(probe.user)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(probe.url)  # warm-up, and the queries one request makes
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        probe.status = response.status_code
        probe.queries = list(ctx.captured_queries)
        for _i in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            response = client.get(probe.url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            probe.times.append((time.perf_counter() - t) * 1000)
            probe.cpu.append((time.process_time() - c) * 1000)
        if memory:  # untimed: tracemalloc slows every allocation
            tracemalloc.start()
            response = client.get(probe.url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            probe.peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        mark = "OK" if probe.ok else "FAIL"
        line = f"{probe.user:5} {probe.name}: {probe.median:.0f} ms, {len(probe.queries)} q {mark}"
        print(f"  [{n}/{len(probes)}] {line}", flush=True)


def print_table(probes: list[Probe]) -> None:
    memory = any(p.peak_mib is not None for p in probes)
    print()
    print(
        "| request | user | queries | median ms | p95 ms | app CPU ms |"
        + (" peak MiB |" if memory else "")
        + " target | result |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: |" + (" ---: |" if memory else "") + " --- | --- |")
    for p in probes:
        target = f"≤ {p.target_ms} ms" if p.target_ms is not None else "(not a target)"
        target += " p95" if p.target_ms is not None and p.statistic == "p95" else ""
        target += f", ≤ {p.max_queries} q" if p.max_queries is not None else ""
        status = "" if p.status == 200 else f" (HTTP {p.status})"
        result = ("OK" if p.ok else "**FAIL**") + status
        cpu = statistics.median(p.cpu)
        figures = f"{len(p.queries)} | {p.median:.0f} | {p.p95:.0f} | {cpu:.0f}"
        if memory:
            figures += f" | {p.peak_mib:.1f}" if p.peak_mib is not None else " | "
        print(f"| {p.name} | {p.user} | {figures} | {target} | {result} |")


def explain(probes: list[Probe], top: int = 8) -> None:
    from django.db import connection

    slow = []
    for p in probes:
        for q in p.queries:
            slow.append((float(q["time"]), p, q["sql"]))
    slow.sort(key=lambda item: -item[0])
    print("\nSlowest queries (EXPLAIN ANALYZE):")
    done = set()
    for seconds, probe, sql in slow:
        if sql in done or not sql.lstrip().upper().startswith("SELECT"):
            continue
        done.add(sql)
        print(f"\n--- {seconds * 1000:.0f} ms in {probe.user} {probe.name}\n{sql[:1500]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            for (line,) in cursor.fetchall():
                print("   ", line)
        if len(done) >= top:
            break


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page after the warm-up")
    parser.add_argument("--regenerate", action="store_true", help="drop the database and rebuild the data set")
    parser.add_argument("--verbose", action="store_true", help="EXPLAIN ANALYZE of the slowest queries")
    parser.add_argument("--only", default="", help="measure only requests whose name contains this")
    parser.add_argument(
        "--memory", action="store_true", help="one more request each under tracemalloc: Python's peak MiB"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"CI: {SMOKE_FRACTION:g} of the country in its own database, one request each, "
        "checks row counts and HTTP 200, not timings",
    )
    parser.add_argument(
        "--fraction",
        type=float,
        default=1.0,
        help="this share of the country (0.25, 0.5) in a database of its own (<name>_f25_bench …)",
    )
    args = parser.parse_args(argv)
    global SMOKE
    if args.smoke:
        SMOKE, args.fraction, args.repeat = True, SMOKE_FRACTION, 1
    variant = "smoke" if args.smoke else ("" if args.fraction >= 1 else f"f{round(args.fraction * 100)}")

    url = bench_url(os.environ.get("DATABASE_URL", ""), variant)
    ensure_database(url, args.regenerate)
    setup_django(url)
    import scale_data

    t0 = time.perf_counter()
    problems = prepare(scale_data.Size(min(1.0, args.fraction)))
    print(f"data ready in {time.perf_counter() - t0:.0f} s")
    if problems:
        print("the data set's row counts are wrong:\n  " + "\n  ".join(problems))
        return 1

    from django.test import Client

    _users.update(bench_users())
    clients = {}

    def client_for(who):
        if who not in clients:
            clients[who] = Client()
            clients[who].force_login(_users[who])
        return clients[who]

    probes = admin_probes(client_for) + change_probes() + autocomplete_probes() + report_probes()
    probes += year_2026_probes(client_for)
    if args.only:
        probes = [p for p in probes if args.only in p.name]
    print(f"measuring {len(probes)} requests (1 warm-up + {args.repeat} each); load average {_load()}")
    measure(probes, client_for, args.repeat, memory=args.memory)
    print_table(probes)
    if args.verbose:
        explain(probes)
    failed = [p for p in probes if not p.ok]
    print(f"\nload average at the end: {_load()}")
    if failed:
        print(f"{len(failed)} of {len(probes)} requests miss their target:")
        for p in failed:
            print(f"  {p.user} {p.name}: {p.statistic} {p.judged:.0f} ms, {len(p.queries)} queries, HTTP {p.status}")
        return 1
    print(f"all {len(probes)} requests meet their targets")
    return 0


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
