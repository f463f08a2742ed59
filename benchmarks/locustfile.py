"""The simulated users of `make bench-load` (benchmarks/load_bench.py starts the servers and Locust).

Every user logs in through the admin login form (session cookie and CSRF token, as a browser
does) with an account of LOAD_PLAN (a JSON file written by load_bench.py: accounts by role and
province, the sheets each may write, the URLs of their province's reports). Request names are
the kind of request, so Locust's table gives p50/p95/p99 per kind:

    page     changelists, a commune-year sheet opened
    save     a sheet saved with one result changed (the change form posted back, as the browser)
    report   a report page of the clerk's province
    xlsx     a report downloaded as .xlsx
    import   upload + preview + confirm of a 5,000-row criteria workbook (the two importers)

Not run by itself: `make bench-load` (LOAD_ARGS="-t 60s -u 10" for a short run).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, constant, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
_clerks = itertools.cycle(PLAN["clerks"])
_importers = itertools.cycle(PLAN["importers"])
IMPORT_EVERY_S = float(os.environ.get("LOAD_IMPORT_EVERY", 60))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class FormFields(HTMLParser):
    """The fields of the form whose id is `form_id` (or whose action contains `action`), as a browser posts them.

    `selects`: the choices of every select and radio group (a result's status is a radio group).
    """

    def __init__(self, form_id=None, action=None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.action = form_id, action
        self.inside = False
        self.fields = []  # (name, value)
        self.selects = {}  # name -> [option values]
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (
            (self.form_id and a.get("id") == self.form_id) or (self.action and self.action in a.get("action", ""))
        ):
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type", "text") not in ("submit", "button", "file", "image"):
            if a.get("type") == "radio":
                self.selects.setdefault(name, []).append(a.get("value", ""))
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
            self.selects[name] = []
            self._chosen = None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self.selects[self._select].append(value)
            if "selected" in a:
                self._chosen = value
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "select" and self._select:
            options = self.selects[self._select]
            chosen = self._chosen if self._chosen is not None else (options[0] if options else "")
            self.fields.append((self._select, chosen))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "form":
            self.inside = False


def login(client, username, password):
    page = client.get("/admin/login/", name="login")
    token = CSRF.search(page.text).group(1)
    with client.post(
        "/admin/login/?next=/admin/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"},
        name="login",
        catch_response=True,
    ) as response:
        if "/admin/login/" in response.url:
            response.failure(f"login of {username} refused")


class Clerk(HttpUser):
    """A clerk of one province: lists, sheets, saves, the province's reports and downloads."""

    weight = 48
    wait_time = between(2, 8)

    def on_start(self):
        self.account = next(_clerks)
        login(self.client, self.account["username"], self.account["password"])

    @task(6)
    def browse(self):
        self.client.get(random.choice(self.account["lists"]), name="page")

    @task(4)
    def open_sheet(self):
        if self.account["sheets"]:
            self.client.get(self.account["sheet_url"].format(pk=random.choice(self.account["sheets"])), name="page")

    @task(2)
    def save_sheet(self):
        if not self.account["sheets"]:
            return
        url = self.account["sheet_url"].format(pk=random.choice(self.account["sheets"]))
        page = self.client.get(url, name="page")
        form = FormFields("communeyear_form")
        form.feed(page.text)
        statuses = [n for n, opts in form.selects.items() if n.endswith("-status") and "dat" in opts]
        if not statuses:
            return  # a sheet the clerk may only read (approved meanwhile): nothing to save
        flip = random.choice(statuses)
        now = dict(form.fields).get(flip)
        data = [(n, v) for n, v in form.fields if n != flip]
        data.append((flip, "chua_dat" if now == "dat" else "dat"))
        data.append(("_continue", "1"))
        with self.client.post(url, data=data, name="save", catch_response=True, allow_redirects=False) as r:
            if r.status_code != 302:
                said = re.search(r'<ul class="errorlist[^"]*">(.*?)</ul>', r.text or "", re.S)
                reason = re.sub(r"<[^>]+>", " ", said.group(1)).split() if said else []
                r.failure(f"sheet not saved (HTTP {r.status_code}): {' '.join(reason)[:160]}")

    @task(2)
    def report(self):
        self.client.get(random.choice(self.account["reports"]), name="report")

    @task(1)
    def download(self):
        with self.client.get(random.choice(self.account["downloads"]), name="xlsx", catch_response=True) as r:
            if not r.content.startswith(b"PK"):
                r.failure("not an xlsx file")


class Importer(HttpUser):
    """Imports its 5,000-row criteria workbook every minute (every status flipped each time)."""

    fixed_count = 2
    wait_time = constant(0)

    def on_start(self):
        self.account = next(_importers)
        login(self.client, self.account["username"], self.account["password"])
        self.files = itertools.cycle(self.account["files"])
        self.next_at = time.monotonic() + self.account["offset"] * IMPORT_EVERY_S  # the two take turns

    def wait_for_job(self, job_id, seconds=120):
        """Polls the job's status as its page does, until it is done; returns why it failed, or None."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status = self.client.get(f"/admin/jobs/{job_id}/status/", name="import status").json()
            if status["finished"]:
                return None if status["state"] == "done" else f"the import failed: {status['message'][:200]}"
            time.sleep(0.5)
        return f"the import was not done after {seconds} s"

    @task
    def import_workbook(self):
        delay = self.next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self.next_at = time.monotonic() + IMPORT_EVERY_S
        path = next(self.files)
        url = self.account["import_url"]
        started = time.perf_counter()
        failure = None
        page = self.client.get(url, name="import page")
        token = CSRF.search(page.text).group(1)
        with open(path, "rb") as fh:
            preview = self.client.post(
                url,
                data={"csrfmiddlewaretoken": token, "resource": "0"},
                files={"import_file": (os.path.basename(path), fh)},
                name="import preview",
            )
        form = FormFields(action="process_import")
        form.feed(preview.text)
        fields = dict(form.fields)
        if "import_file_name" not in fields:
            failure = "the preview offered no confirmation"
        else:
            done = self.client.post(url.replace("/import/", "/process_import/"), data=fields, name="import confirm")
            job = re.search(r"/admin/jobs/(\d+)/$", done.url or "")
            if job is None:
                failure = "the confirmation did not lead to the import's background job"
            else:
                # The confirm queues the import; a worker runs it (ntm_site.jobs). The clerk's page polls its status.
                failure = self.wait_for_job(job.group(1))
        events.request.fire(
            request_type="IMPORT",
            name="import",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=Exception(failure) if failure else None,
            context={},
        )
