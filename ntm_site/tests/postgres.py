"""The PostgreSQL server the tests that always need one build their databases on (test_multiprocess.py,
import_scenarios.py): NTM_MP_DATABASE_URL, else the server of a PostgreSQL DATABASE_URL, else the local one."""

import os
import urllib.parse


def server_url() -> str:
    """The PostgreSQL server to create the test database on (no database name)."""
    url = os.environ.get("NTM_MP_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432"
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", parts.query, ""))


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))
