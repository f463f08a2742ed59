"""Two app processes over one PostgreSQL, as a deployment with several workers runs.

The test builds its own database on the PostgreSQL server (NTM_MP_DATABASE_URL, else the
server of DATABASE_URL when that is PostgreSQL, else postgres://postgres@127.0.0.1:5432),
migrates it, loads Hà Tĩnh's legacy units and the reference data, starts two gunicorn
processes on two loopback ports and drives them over HTTP like a clerk's browser: log in,
upload a workbook, read the preview page, post its confirm form.

It checks what a clerk would notice when the load balancer sends the two steps to different
processes: the preview made by one process is confirmed by the other and imported once; a
second confirm of the same preview (on either process, even at the same moment) is refused;
two clerks importing overlapping communes of the same year at the same moment both finish,
with every row there and the later import's values kept. The confirms are run by two
background workers (`manage.py db_worker`, ntm_site.jobs); one of them killed with SIGKILL in
the middle of an import leaves nothing written, the job is shown failed, and "Chạy lại" imports it.
It always runs on PostgreSQL (also in the SQLite run of `make test`): several processes over one
SQLite file is not a deployment.
"""

from __future__ import annotations

import html
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import closing, suppress
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest

from criteria.models import Assessment
from ntm_site.spreadsheets.engine import import_lock
from ntm_site.tests.postgres import server_url, with_database
from ntm_site.tests.workbooks import xlsx

BASE_DIR = Path(__file__).resolve().parents[2]
READY_SECONDS = 90  # a loaded 2-core machine boots Django slowly
REQUEST_SECONDS = 120
PASSWORD = "mat-khau-dai-123"
YEAR = 2017
IMPORT_URL = "/admin/criteria/communeyear/import/"
CONFIRM_URL = "/admin/criteria/communeyear/process_import/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SETUP_SCRIPT = """
import json, django
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
from divisions.models import AdministrativeUnit
call_command("migrate", verbosity=0, interactive=False)
call_command("load_divisions", edition="legacy", province=["Hà Tĩnh"], verbosity=0)
call_command("load_reference_data", verbosity=0)
get_user_model().objects.create_superuser("quantri", "quantri@example.vn", %(password)r)
province = AdministrativeUnit.objects.get(code="42", edition="legacy")
communes = AdministrativeUnit.objects.within(province).communes().rural_communes().valid_in_year(%(year)d)
print(json.dumps(list(communes.order_by("code").values_list("code", flat=True))))
"""


class Browser:
    """A clerk's browser: cookies, the CSRF token, forms; redirects are returned, not followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self):
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect())

    def request(self, url, data=None, content_type=None):
        headers = {"Accept-Language": "vi"}
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
        try:
            with self.opener.open(req, timeout=REQUEST_SECONDS) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode("utf-8", "replace")

    def csrf(self):
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def post(self, url, fields, files=()):
        fields = {"csrfmiddlewaretoken": self.csrf(), **fields}
        boundary = uuid.uuid4().hex
        body = bytearray()
        for name, value in fields.items():
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, (filename, content) in files:
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
            ).encode()
            body += content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        return self.request(url, bytes(body), f"multipart/form-data; boundary={boundary}")

    def login(self, base):
        status, _headers, page = self.request(base + "/admin/login/")
        assert status == 200, page[:500]
        status, headers, page = self.post(
            base + "/admin/login/", {"username": "quantri", "password": PASSWORD, "next": "/admin/"}
        )
        assert status == 302, f"đăng nhập không thành công ({status}): {page[:500]}"


def hidden_inputs(page: str) -> dict:
    found = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        if attrs.get("type") == "hidden" and "name" in attrs:
            found[attrs["name"]] = html.unescape(attrs.get("value", ""))
    return found


def explain(status, page) -> str:
    """What went wrong, short: the exception of Django's debug page, else the start of the page."""
    text = html.unescape(page)
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    value = re.search(r'<pre class="exception_value">(.*?)</pre>', text, re.S)
    if value:
        return f"{status}: {title.group(1).strip() if title else ''} {value.group(1).strip()}"[:3000]
    return f"{status}: {text[:3000]}"


def messages_of(browser, base, location) -> str:
    """The page a redirect leads to (its messages are what the clerk reads)."""
    status, _headers, page = browser.request(urllib.parse.urljoin(base, location))
    assert status == 200, page[:500]
    return html.unescape(page)


class App:
    """The database and the two gunicorn processes (PostgreSQL; `backend="sqlite"`: a file, as `make run` has)."""

    def __init__(self, tmp_path, backend="postgresql", env=None):
        self.workers = []
        self.backend = backend
        self.server = server_url()
        self.name = f"ntm_mp_{uuid.uuid4().hex[:10]}"
        if backend == "sqlite":
            self.url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
        else:
            self.url = with_database(self.server, self.name)
        self.extra_env = dict(env or {})
        self.tmp_path = tmp_path
        self.processes = []
        self.bases = []

    def sql(self, query, params=(), *, database=None):
        if self.backend == "sqlite" and database is None:
            import sqlite3

            with closing(sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=20)) as conn, conn:
                cursor = conn.execute(query.replace("%s", "?"), params)
                return cursor.fetchall() if cursor.description else None
        url = with_database(self.server, database or self.name)
        with psycopg.connect(url, autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else None

    def env(self):
        env = dict(os.environ)
        # Production never allows async-unsafe calls (the browser tests' conftest sets it for its own process).
        for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
            env.pop(name, None)
        env.update(
            DATABASE_URL=self.url,
            DJANGO_SETTINGS_MODULE="ntm_site.settings",
            # DEBUG on: plain-HTTP cookies (the production settings mark them Secure) and no collectstatic.
            DEBUG="1",
            ALLOWED_HOSTS="127.0.0.1",
            NTM_VAR_DIR=str(self.tmp_path / "var"),
            MEDIA_ROOT=str(self.tmp_path / "media"),
            NTM_PRIVATE_ROOT=str(self.tmp_path / "private"),
            NTM_TASKS_BACKEND="database",
            NTM_JOB_HEARTBEAT_SECONDS="0.5",
            NTM_JOB_STALE_SECONDS="5",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def create(self):
        if self.backend != "sqlite":  # SQLite: migrate makes the file
            try:
                self.sql(f'CREATE DATABASE "{self.name}"', database="postgres")
            except psycopg.OperationalError as e:
                pytest.fail(
                    f"Phép thử nhiều tiến trình cần PostgreSQL tại {self.server} (đặt NTM_MP_DATABASE_URL): {e}",
                    pytrace=False,
                )
        script = SETUP_SCRIPT % {"password": PASSWORD, "year": YEAR}
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=BASE_DIR,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def spawn(self, args, log_name):
        """A process of the app over this database, its output in `log_name` (closed in stop())."""
        log = open(self.tmp_path / log_name, "wb")  # noqa: SIM115 (closed in stop())
        process = subprocess.Popen(
            [sys.executable, *args], cwd=BASE_DIR, env=self.env(), stdout=log, stderr=subprocess.STDOUT
        )
        process.log = log
        return process

    def start(self, count=2):
        for i in range(count):
            port = free_port()
            gunicorn = ["-m", "gunicorn", "ntm_site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
            timeouts = ["--timeout", str(REQUEST_SECONDS), "--graceful-timeout", "5"]
            self.processes.append(self.spawn(gunicorn + timeouts, f"gunicorn-{i}.log"))
            self.bases.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + READY_SECONDS
        for process, base in zip(self.processes, self.bases, strict=True):
            while True:
                assert process.poll() is None, f"gunicorn {base} dừng: {self.log_of(process)}"
                with suppress(OSError), urllib.request.urlopen(base + "/admin/login/", timeout=10) as response:
                    if response.status == 200:
                        break
                assert time.monotonic() < deadline, f"gunicorn {base} chưa sẵn sàng: {self.log_of(process)}"
                time.sleep(0.5)

    def start_worker(self, program=("manage.py", "db_worker")):
        """A background worker (`manage.py db_worker`) over the same database, as a deployment runs them."""
        args = [*program, "--no-reload", "--no-startup-delay", "--interval", "0.2"]
        process = self.spawn(args, f"worker-{len(self.workers)}.log")
        self.workers.append(process)
        return process

    def wait_jobs(self, seconds=REQUEST_SECONDS):
        """Until no job waits or runs (the workers have done everything confirmed)."""
        deadline = time.monotonic() + seconds
        while self.sql("SELECT count(*) FROM ntm_site_job WHERE state IN ('queued', 'running')")[0][0]:
            assert time.monotonic() < deadline, "việc chạy nền chưa xong: " + " | ".join(
                self.log_of(w) for w in self.workers
            )
            time.sleep(0.2)

    def log_of(self, process):
        process.log.flush()
        return Path(process.log.name).read_text(errors="replace")[-3000:]

    def stop(self):
        for process in self.processes + self.workers:
            process.terminate()
        for process in self.processes + self.workers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.log.close()
        if self.backend != "sqlite":
            self.sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)', database="postgres")

    # --- what the clerk sees -----------------------------------------------------------

    def preview(self, browser, base, name, content):
        status, _headers, page = browser.post(
            base + IMPORT_URL, {"resource": "0"}, files=[("import_file", (name, content))]
        )
        assert status == 200, f"xem trước: {explain(status, page)}"
        fields = hidden_inputs(page)
        assert fields.get("import_file_name"), (
            f"không có nút xác nhận trên trang xem trước: {html.unescape(page)[:3000]}"
        )
        return {k: fields[k] for k in ("import_file_name", "original_file_name", "resource")}

    def confirm(self, browser, base, form):
        """Posts the confirm form; returns whether it queued the import (its job's page) and that page."""
        status, headers, page = browser.post(base + CONFIRM_URL, form)
        assert status == 302, f"xác nhận: {explain(status, page)}"
        location = headers["Location"]
        text = messages_of(browser, base, location)
        queued = re.search(r"/admin/jobs/\d+/$", location) is not None and "đã được xác nhận nhập rồi" not in text
        return queued, text

    # --- what the database holds ------------------------------------------------------

    def results(self, codes, year=YEAR):
        rows = self.sql(
            """SELECT u.code, c.number, a.status FROM criteria_assessment a
               JOIN divisions_administrativeunit u ON u.id = a.commune_id
               JOIN criteria_criterion c ON c.id = a.criterion_id
               WHERE a.year = %s AND u.code = ANY(%s)""",
            (year, list(codes)),
        )
        return {(code, number): status for code, number, status in rows}

    def sheets(self, codes):
        return self.sql(
            """SELECT count(*) FROM criteria_communeyear y JOIN divisions_administrativeunit u ON u.id = y.commune_id
               WHERE y.year = %s AND u.code = ANY(%s)""",
            (YEAR, list(codes)),
        )[0][0]

    def batches(self, file_name):
        return self.sql(
            "SELECT id, status, created, updated, finished_at FROM ntm_site_importbatch WHERE file_name = %s "
            "ORDER BY finished_at",
            (file_name,),
        )


def wide_sheet(codes, statuses, year=YEAR):
    """The clerks' wide sheet: one row per commune, TC1… as given (None leaves a criterion blank)."""
    return wide_years([(code, year) for code in codes], statuses)


def wide_years(pairs, statuses):
    """The wide sheet with a (commune, year) per row."""
    header = ["Mã xã", "Tên xã", "Năm", *(f"TC{n}" for n in range(1, 20)), "Ghi chú"]
    rows = [header]
    for code, year in pairs:
        rows.append([code, None, year, *(statuses.get(n) for n in range(1, 20)), ""])
    return xlsx(rows)


@pytest.fixture
def app(tmp_path):
    app = App(tmp_path)
    app.codes = app.create()
    try:
        app.start(2)
        app.start_worker()
        app.start_worker()
        yield app
    finally:
        app.stop()


def test_two_processes_share_previews_and_serialise_imports_of_one_year(app):
    codes = app.codes
    assert len(codes) >= 150, "Hà Tĩnh có hơn 150 xã nông thôn năm 2017"
    a, b = app.bases
    clerk = Browser()
    clerk.login(a)  # sessions live in the database: the same cookie is good on both processes

    # 1. Preview on A, confirm on B: imported once.
    first = codes[:20]
    form = app.preview(clerk, a, "ky-anh-2017.xlsx", wide_sheet(first, dict.fromkeys(range(1, 20), "Đạt")))
    assert app.results(first) == {}, "xem trước không ghi gì"
    done, page = app.confirm(clerk, b, form)
    assert done, page[:3000]
    assert "Đang chờ" in page or "Đang chạy" in page or "Xong" in page
    app.wait_jobs()
    (job_id,) = app.sql("SELECT id FROM ntm_site_job")[0]
    assert "Đã nhập xong tệp “ky-anh-2017.xlsx”" in messages_of(clerk, a, f"/admin/jobs/{job_id}/")
    assert len(app.results(first)) == 20 * 19
    assert [(status, created) for _id, status, created, _updated, _at in app.batches("ky-anh-2017.xlsx")] == [
        ("done", 20 * 19)
    ]

    # ... and the same confirm again (the back button, on the other process) is refused and changes nothing.
    done, page = app.confirm(clerk, a, form)
    assert not done
    assert "đã được xác nhận nhập rồi (Xong); không nhập lần nữa" in page
    assert len(app.batches("ky-anh-2017.xlsx")) == 1

    # 2. A double click: the same preview confirmed on both processes at the same moment goes in once.
    second = codes[20:40]
    form = app.preview(clerk, b, "cam-xuyen-2017.xlsx", wide_sheet(second, dict.fromkeys(range(1, 20), "Đạt")))
    outcomes = run_together([lambda base=base: app.confirm(Browser_of(clerk), base, form) for base in (a, b)])
    assert sorted(done for done, _page in outcomes) == [False, True], [p[:2000] for _d, p in outcomes]
    refused = next(page for done, page in outcomes if not done)
    assert "đã được xác nhận nhập rồi" in refused
    app.wait_jobs()
    assert len(app.batches("cam-xuyen-2017.xlsx")) == 1
    assert len(app.results(second)) == 20 * 19

    # 3. Two clerks import overlapping communes of the same year at the same moment, one on each process.
    # North: 60 communes, TC1–TC19 met; south: 60 communes (30 shared), TC1–TC10 not met, TC11–TC19 blank.
    north, south = codes[40:100], codes[70:130]
    met = dict.fromkeys(range(1, 20), "Đạt")
    not_met = dict.fromkeys(range(1, 11), "Chưa đạt")
    clerks = [Browser(), Browser()]
    for browser, base in zip(clerks, (a, b), strict=True):
        browser.login(base)
    forms = [
        app.preview(clerks[0], a, "bac-2017.xlsx", wide_sheet(north, met)),
        app.preview(clerks[1], b, "nam-2017.xlsx", wide_sheet(south, not_met)),
    ]
    started = time.monotonic()
    outcomes = run_together(
        [
            lambda: app.confirm(clerks[0], a, forms[0]),
            lambda: app.confirm(clerks[1], b, forms[1]),
        ]
    )
    assert [done for done, _page in outcomes] == [True, True], [p[:2000] for _d, p in outcomes]
    app.wait_jobs()  # the two workers run the two imports at the same moment; they take turns on the table
    seconds = time.monotonic() - started
    every = sorted(set(north) | set(south))
    results = app.results(every)
    shared = set(north) & set(south)
    # Nothing lost: 19 results for every commune of the north file, TC1–TC10 for the south-only ones.
    assert len(results) == 60 * 19 + 30 * 10
    assert app.sheets(every) == 90
    # The import that finished last holds the shared communes' TC1–TC10; TC11–TC19 stay as the north file set them.
    north_batch, south_batch = app.batches("bac-2017.xlsx"), app.batches("nam-2017.xlsx")
    assert len(north_batch) == len(south_batch) == 1
    south_last = south_batch[0][4] > north_batch[0][4]
    expected_shared = "chua_dat" if south_last else "dat"
    assert {results[(code, n)] for code in shared for n in range(1, 11)} == {expected_shared}
    assert {results[(code, n)] for code in shared for n in range(11, 20)} == {"dat"}
    # The second one found the first one's rows and updated them instead of inserting again.
    if south_last:
        assert (south_batch[0][2], south_batch[0][3]) == (30 * 10, 30 * 10)
    else:
        # New: all 19 of the north-only communes, TC11–TC19 of the shared ones; updated: their TC1–TC10.
        assert (north_batch[0][2], north_batch[0][3]) == (30 * 19 + 30 * 9, 30 * 10)
    print(
        f"hai lần nhập đồng thời: {seconds:.1f} s, {len(results)} kết quả, tệp {'nam' if south_last else 'bắc'} ghi sau"
    )

    # 4. An import that waits too long for another one gives up with a message and writes nothing.
    late = codes[130:140]
    path = app.tmp_path / "muon-2017.xlsx"
    path.write_bytes(wide_sheet(late, met))
    with psycopg.connect(app.url) as holder:  # another import into the results, still running
        holder.execute("SELECT pg_advisory_xact_lock(%s, %s)", import_lock(Assessment))
        done = subprocess.run(
            [sys.executable, "manage.py", "import_workbook", "assessments-wide", str(path), "--user", "quantri"],
            cwd=BASE_DIR,
            env={**app.env(), "NTM_IMPORT_LOCK_WAIT": "1"},
            capture_output=True,
            text=True,
            timeout=REQUEST_SECONDS,
        )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Một lần nhập khác vào kết quả đánh giá tiêu chí đang chạy và chưa xong sau 1 giây" in done.stderr
    assert app.results(late) == {}

    # 5. A worker killed (SIGKILL) in the middle of an import: nothing written, the job shown failed, run again.
    killed_worker_midway(app, clerk, a, b, codes)


def killed_worker_midway(app, clerk, a, b, codes):
    # Two years of every commune (two chunks of records), then one 2017 result that changes: the worker writes
    # the first chunk and then waits on that result's row, which another transaction holds, until it is killed.
    pairs = [(code, 2016) for code in codes] + [(code, 2018) for code in codes] + [(codes[0], YEAR)]
    changed = {1: "Chưa đạt"}
    statuses = dict.fromkeys(range(1, 20), "Đạt")
    form = app.preview(clerk, a, "hai-nam.xlsx", wide_years(pairs[:-1] + [(codes[0], YEAR)], statuses | changed))
    with psycopg.connect(app.url) as holder:
        holder.execute(
            """SELECT a.id FROM criteria_assessment a JOIN divisions_administrativeunit u ON u.id = a.commune_id
               JOIN criteria_criterion c ON c.id = a.criterion_id
               WHERE u.code = %s AND a.year = %s AND c.number = 1 FOR UPDATE""",
            (codes[0], YEAR),
        )
        queued, page = app.confirm(clerk, b, form)
        assert queued, page[:3000]
        (job_id,) = app.sql("SELECT id FROM ntm_site_job WHERE label LIKE %s", ("%hai-nam.xlsx%",))[0]
        status = wait_status(clerk, a, job_id, lambda s: s["state"] == "running" and s["written"] > 0)
        assert status["read"] >= status["written"] > 0 and status["total"] == len(pairs), status
        (worker,) = app.sql("SELECT worker FROM ntm_site_job WHERE id = %s", (job_id,))[0]
        pid = int(worker.rsplit(":", 1)[1])
        victim = next(w for w in app.workers if w.pid == pid)
        victim.kill()  # SIGKILL: no handler, no cleanup, the connection dropped
        victim.wait(timeout=30)
    assert app.results(codes, 2016) == {} and app.results(codes, 2018) == {}, "không ghi nửa chừng"
    assert app.results([codes[0]])[(codes[0], 1)] == "dat"
    # The clerk's page notices that the worker stopped beating (NTM_JOB_STALE_SECONDS=5 here) and says so.
    status = wait_status(clerk, a, job_id, lambda s: s["finished"])
    assert status["state"] == "failed" and "đã dừng giữa chừng" in status["message"], status
    assert [row[1] for row in app.batches("hai-nam.xlsx")] == ["failed"]
    page = messages_of(clerk, b, f"/admin/jobs/{job_id}/")
    assert "Chạy lại" in page
    status_code, headers, page = clerk.post(a + f"/admin/jobs/{job_id}/rerun/", {})
    assert status_code == 302, explain(status_code, page)
    app.wait_jobs()  # the other worker takes it
    assert len(app.results(codes, 2016)) == len(app.results(codes, 2018)) == len(codes) * 19
    assert app.results([codes[0]])[(codes[0], 1)] == "chua_dat"
    assert [row[1] for row in app.batches("hai-nam.xlsx")] == ["done"]
    assert app.sql("SELECT state, attempt FROM ntm_site_job WHERE id = %s", (job_id,)) == [("done", 2)]


def wait_status(browser, base, job_id, until, seconds=REQUEST_SECONDS):
    """The job's status as the page's script reads it (GET …/status/), polled until `until(status)`."""
    deadline = time.monotonic() + seconds
    while True:
        code, _headers, body = browser.request(base + f"/admin/jobs/{job_id}/status/")
        assert code == 200, body[:500]
        status = json.loads(body)
        if until(status):
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.3)


def Browser_of(clerk):  # noqa: N802 (reads as a constructor)
    """Another tab of the same clerk: the same session cookie."""
    tab = Browser()
    for cookie in clerk.cookies:
        tab.cookies.set_cookie(cookie)
    return tab


def run_together(calls):
    """Runs the calls in threads released at the same moment; returns their results in order (or raises)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except BaseException as e:  # noqa: BLE001 (re-raised below in the test's thread)
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=REQUEST_SECONDS * 2)
    assert not any(t.is_alive() for t in threads), "một yêu cầu không trả lời (khóa chết?)"
    if errors:
        raise errors[0]
    return results
