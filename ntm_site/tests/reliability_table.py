"""Refresh the table of docs/reliability.md: run the bad-input suite, measure, write the table and the date.

    .venv/bin/python -m ntm_site.tests.reliability_table [pytest arguments]

Runs test_bad_input.py, test_import_failures.py and test_killed_jobs.py (on the database of DATABASE_URL, SQLite by
default; the database cases always run on both, on databases of their own) with
NTM_RELIABILITY_JSON set, so that every case's message, rows written, time and peak memory are
recorded, then rewrites the table between its markers in docs/reliability.md. `make test` checks
the table's fixed columns (test_reliability_doc.py); the time and peak memory are this run's.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from .bad_inputs import TABLE_END, TABLE_START, render_table

BASE_DIR = Path(__file__).resolve().parents[2]
DOC = BASE_DIR / "docs" / "reliability.md"
TESTS = [
    "ntm_site/tests/test_bad_input.py",
    "ntm_site/tests/test_import_failures.py",
    "ntm_site/tests/test_killed_jobs.py",
]
MEASURED = re.compile(r"^Measured on \d{2}/\d{2}/\d{4}.*$", re.MULTILINE)


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "results.json"
        env = {**os.environ, "DEBUG": "1", "NTM_RELIABILITY_JSON": str(path)}
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS, *argv], env=env)
        if done.returncode != 0 or not path.exists():
            print("The suite failed: the table is left as it was.", file=sys.stderr)
            return done.returncode or 1
        results = json.loads(path.read_text(encoding="utf-8"))
    text = DOC.read_text(encoding="utf-8")
    before, rest = text.split(TABLE_START, 1)
    _old, after = rest.split(TABLE_END, 1)
    table = render_table(results)
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    stamp = (
        f"Measured on {datetime.date.today():%d/%m/%Y} with `python -m ntm_site.tests.reliability_table` "
        f"(suite database: {database}; {os.cpu_count()} cores, other work running alongside)."
    )
    before = MEASURED.sub(stamp, before) if MEASURED.search(before) else before + stamp + "\n\n"
    DOC.write_text(before + TABLE_START + "\n" + table + "\n" + TABLE_END + after, encoding="utf-8")
    print(f"{DOC.relative_to(BASE_DIR)}: {len(results)} cases written.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
