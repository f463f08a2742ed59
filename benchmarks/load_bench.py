"""Load test: 50 clerks at once on the national data set, gunicorn with 4 workers on 127.0.0.1.

    make bench-load                               # 5 minutes, 50 users (48 clerks + 2 importers)
    make bench-load LOAD_ARGS="-t 60s -u 12"      # a short run while building it

Uses the scale benchmark's database (benchmarks/scale_bench.py builds it if missing). Then:

1. accounts: in 12 provinces a coordinator, a district clerk, a commune clerk and a viewer
   (48 clerks of four roles), each with the draft sheets (2023–2025) they may write and their
   province's reports; two importers of the national office, each with a 5,000-row criteria
   workbook (draft commune-years of other provinces) and the same workbook with every status
   flipped;
2. the row counts of the criteria tables;
3. gunicorn (4 workers, production settings but plain HTTP: benchmarks/load_settings.py) on
   127.0.0.1:PORT, and Locust headless (benchmarks/locustfile.py) for the given time;
4. the table per kind of request (count, errors, p50/p95/p99, throughput), the targets, and the
   row counts again: the saves and imports change statuses only, so every count must be the
   same and no (commune, criterion, year) twice.

Bounded: at most --users users for --time, traffic only to the server it starts on 127.0.0.1;
both processes are stopped at the end. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

PROVINCES = 12
ROLES = ("province_coordinator", "district_clerk", "commune_clerk", "viewer")
IMPORT_ROWS = 5000
DRAFT_YEARS = (2023, 2024, 2025)
PASSWORD = "load-test-only-password-7f3a"  # accounts of the benchmark database only
PAGE_P95_MS, REPORT_P95_MS, IMPORT_MAX_MS = 500, 1000, 60_000
KINDS = {"page": PAGE_P95_MS, "save": PAGE_P95_MS, "report": REPORT_P95_MS, "xlsx": REPORT_P95_MS}
LIST_MODELS = ("criteria.communeyear", "criteria.assessment", "sponsorship.assignment", "sponsorship.supportrecord")
REPORTS = ("criteria-summary", "sponsor-scorecard", "criteria-matrix", "support-ledger", "tasks")
DOWNLOADS = ("criteria-summary", "criteria-matrix", "sponsor-scorecard")


# --- the accounts and what each does ---------------------------------------------------------


def _user(username, **extra):
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True, **extra})
    user.set_password(PASSWORD)
    user.save()
    return user


def clerk_provinces(n):
    """The n legacy provinces with most rural communes, after the two the importers leave alone."""
    from django.db.models import Count

    from divisions.models import AdministrativeUnit

    rows = (
        AdministrativeUnit.objects.filter(level=3, kind="xa", edition="legacy")
        .values("province_id")
        .annotate(n=Count("id"))
        .order_by("-n", "province_id")[:n]
    )
    return list(AdministrativeUnit.objects.filter(pk__in=[r["province_id"] for r in rows]).order_by("code"))


def writable_sheets(user, limit=20):
    """Draft commune-years the user may write (ids), at most `limit`."""
    from criteria.models import CommuneYear
    from ntm_site.accounts import scope

    qs = scope.restrict(CommuneYear.objects.filter(year__in=DRAFT_YEARS, approval_status="draft"), user, scope.WRITE)
    return list(qs.order_by("pk").values_list("pk", flat=True)[:limit])


def clerk_account(user, province, client):
    """What a clerk opens: their lists, sheets and province reports, each URL checked to answer 200 once."""
    from django.urls import reverse

    def answers(url):
        return client.get(url).status_code == 200

    client.force_login(user)
    lists = [reverse(f"admin:{m.replace('.', '_')}_changelist") for m in LIST_MODELS]
    query = "?" + urllib.parse.urlencode({"province": province.name})
    reports = [reverse("reports:report", args=[slug]) + query for slug in REPORTS]
    downloads = [reverse("reports:export", args=[slug, "xlsx"]) + query for slug in DOWNLOADS]
    sheets = writable_sheets(user)
    sheet_url = reverse("admin:criteria_communeyear_change", args=[0]).replace("/0/", "/{pk}/")
    return {
        "username": user.username,
        "password": PASSWORD,
        "province": province.name,
        "lists": [u for u in lists if answers(u)],
        "reports": [u for u in reports if answers(u)],
        "downloads": [u for u in downloads if answers(u)],
        "sheets": sheets,
        "sheet_url": sheet_url,
    }


def plan(workdir: Path) -> dict:
    import import_bench
    from django.test import Client
    from django.urls import reverse

    from divisions.models import AdministrativeUnit
    from ntm_site.accounts.services import user_scope_set

    rng = random.Random(20)
    provinces = clerk_provinces(PROVINCES)
    clerks = []
    for province in provinces:
        district = AdministrativeUnit.objects.filter(parent=province, level=2).order_by("code").first() or province
        commune = AdministrativeUnit.objects.filter(province=province, level=3, kind="xa").order_by("code").first()
        places = {"province_coordinator": province, "district_clerk": district, "commune_clerk": commune}
        places["viewer"] = province
        for role in ROLES:
            user = _user(f"load-{role}-{province.code}")
            user_scope_set(user=user, role=role, unit=places[role])
            clerks.append(clerk_account(user, province, Client()))
    rng.shuffle(clerks)  # the roles arrive mixed

    # The importers: national office, 5,000 draft commune-years each of provinces no clerk works in.
    from criteria.models import CommuneYear

    sheets = list(
        CommuneYear.objects.filter(year__in=DRAFT_YEARS, commune__edition="legacy", commune__kind="xa")
        .exclude(commune__province__in=provinces)
        .order_by("commune__code", "year")
        .values_list("commune__code", "commune__name", "year")[: 2 * IMPORT_ROWS]
    )
    if len(sheets) < 2 * IMPORT_ROWS:  # each importer's workbook holds IMPORT_ROWS rows, as the checks expect
        raise SystemExit(f"only {len(sheets)} draft commune-years outside the clerks' provinces for the importers")
    import_url = reverse("admin:criteria_communeyear_import")
    importers = []
    for n in (1, 2):
        user = _user(f"load-importer-{n}", is_superuser=True)
        folder = workdir / f"importer{n}"
        folder.mkdir()
        files = import_bench.write_workbooks(sheets[(n - 1) * IMPORT_ROWS : n * IMPORT_ROWS], folder)
        importers.append(
            {
                "username": user.username,
                "password": PASSWORD,
                "import_url": import_url,
                "files": [files["wide"], files["wide_update"]],
                "offset": (n - 1) / 2,  # the second starts half a period later
            }
        )
    return {"clerks": clerks, "importers": importers}


# --- counts ----------------------------------------------------------------------------------


def criteria_counts() -> dict:
    from django.db.models import Count

    from criteria.models import Assessment, CommuneYear

    twice = (
        Assessment.objects.values("commune_id", "criterion_id", "year").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    return {
        "assessments": Assessment.objects.count(),
        "commune-years": CommuneYear.objects.count(),
        "results twice": twice,
    }


def finished_imports(since) -> int:
    from ntm_site.models import ImportBatch

    return ImportBatch.objects.filter(started_at__gte=since, rows=IMPORT_ROWS, status=ImportBatch.Status.DONE).count()


# --- the servers -----------------------------------------------------------------------------


def server_env(url, static_root):
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "PYTHONPATH": f"{BENCH}:{ROOT}",
        "DEBUG": "0",
        "SECRET_KEY": "load-test-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(static_root),
        "NTM_PRIVATE_ROOT": str(Path(static_root).parent / "private"),
        "NTM_TASKS_BACKEND": "database",
        "LOG_LEVEL": "WARNING",
    }


def start_worker(url, static_root, log):
    """The background worker the confirmed imports run on (ntm_site.jobs), as a deployment runs one."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
        env=server_env(url, static_root),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def start_gunicorn(url, port, static_root, log):
    env = server_env(url, static_root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"], env=env, cwd=ROOT, check=True
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "ntm_site.wsgi", "-w", "4", "-b", f"127.0.0.1:{port}", "--timeout", "120"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=5)
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn stopped (exit {proc.returncode}); see {log.name}") from None
            time.sleep(1)
    raise SystemExit("gunicorn did not answer in 120 s")


def stop(proc):
    if proc and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def run_locust(port, users, duration, plan_file, out_prefix, import_every):
    locust = Path(sys.executable).with_name("locust")
    env = {**os.environ, "LOAD_PLAN": str(plan_file), "LOAD_IMPORT_EVERY": str(import_every)}
    cmd = [str(locust), "-f", str(BENCH / "locustfile.py"), "--headless", "-u", str(users), "-r", "5"]
    cmd += ["-t", duration, "--stop-timeout", "90", "--host", f"http://127.0.0.1:{port}", "--csv", str(out_prefix)]
    # The figures are of the clerks at work: the statistics start again once every user has logged in (50
    # password checks in 10 s are the ramp-up's, not the workload's).
    cmd += ["--only-summary", "--exit-code-on-error", "0", "--reset-stats"]
    subprocess.run(cmd, env=env, cwd=ROOT, check=True)


# --- the table -------------------------------------------------------------------------------


def read_stats(prefix) -> list[dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def report(stats, seconds) -> list[str]:
    misses = []
    print("\n| kind | requests | errors | p50 ms | p95 ms | p99 ms | max ms | req/s | target | result |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for row in stats:
        name = row["Name"]
        count, fails = int(row["Request Count"]), int(row["Failure Count"])
        p50, p95, p99 = (float(row[k] or 0) for k in ("50%", "95%", "99%"))
        top = float(row["Max Response Time"] or 0)
        if name == "import":
            target, ok = f"each ≤ {IMPORT_MAX_MS // 1000} s", top <= IMPORT_MAX_MS and fails == 0
        elif name in KINDS:
            target, ok = f"p95 ≤ {KINDS[name]} ms", p95 <= KINDS[name] and fails == 0
        else:
            target, ok = "0 errors", fails == 0
        if not ok:
            misses.append(f"{name}: {fails} errors, p95 {p95:.0f} ms, max {top:.0f} ms ({target})")
        rate = count / seconds if seconds else 0
        result = "OK" if ok else "**MISS**"
        figures = f"{p50:.0f} | {p95:.0f} | {p99:.0f} | {top:.0f} | {rate:.2f}"
        print(f"| {name} | {count} | {fails} | {figures} | {target} | {result} |")
    return misses


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-t", "--time", default="5m", help="how long Locust runs (5m, 60s)")
    parser.add_argument("-u", "--users", type=int, default=50, help="simulated users, the 2 importers included")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 8105)))
    parser.add_argument("--import-every", type=float, default=60, help="seconds between one importer's imports")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (plan, workbooks, CSV, logs)")
    args = parser.parse_args(argv)
    if args.users < 3:
        raise SystemExit("at least 3 users: the 2 importers and a clerk")

    import scale_bench

    url = scale_bench.bench_url(os.environ.get("DATABASE_URL", ""))
    scale_bench.ensure_database(url, regenerate=False)
    scale_bench.setup_django(url)
    if scale_bench.prepare():
        raise SystemExit("the national data set's row counts are wrong")
    from django.utils import timezone

    workdir = Path(tempfile.mkdtemp(prefix="ntm_load_"))
    gunicorn = worker = None
    try:
        print("accounts, sheets and workbooks …", flush=True)
        plan_file = workdir / "plan.json"
        plan_file.write_text(json.dumps(plan(workdir), ensure_ascii=False), encoding="utf-8")
        before = criteria_counts()
        print("before:", before, flush=True)
        log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 (closed with the work directory)
        gunicorn = start_gunicorn(url, args.port, workdir / "static", log)
        worker = start_worker(url, workdir / "static", log)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"Locust: {args.users} users for {args.time} on 127.0.0.1:{args.port}; load average {load}", flush=True)
        started, t0 = timezone.now(), time.perf_counter()
        run_locust(args.port, args.users, args.time, plan_file, workdir / "load", args.import_every)
        seconds = time.perf_counter() - t0
        stop(gunicorn)
        stop(worker)
        gunicorn = worker = None
        stats = read_stats(workdir / "load")
        misses = report([r for r in stats if r["Name"] != "Aggregated"], seconds)
        total = next((r for r in stats if r["Name"] == "Aggregated"), None)
        if total:
            print(f"\nall requests: {total['Request Count']} in {seconds:.0f} s, {total['Failure Count']} errors")
        after = criteria_counts()
        imports = next((int(r["Request Count"]) for r in stats if r["Name"] == "import"), 0)
        done = finished_imports(started)
        print(f"after: {after}; imports reported {imports}, batches of {IMPORT_ROWS} rows recorded {done}")
        if after != before:
            misses.append(f"row counts changed: {before} → {after}")
        if after["results twice"]:
            misses.append(f"{after['results twice']} results stored twice")
        if done != imports:
            misses.append(f"{imports} imports ran, {done} finished batches recorded")
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if misses:
            print("MISSED:\n  " + "\n  ".join(misses))
            return 1
        print("all load targets met")
        return 0
    finally:
        stop(gunicorn)
        stop(worker)
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
