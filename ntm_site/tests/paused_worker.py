"""`manage.py db_worker` that stops for good halfway through writing a job's result file, to be killed there.

    python -m ntm_site.tests.paused_worker [db_worker arguments]

A real worker in every other respect (test_killed_jobs.py): when it stores a result under jobs/out/ it
writes the first half of the bytes to the file, prints "HALFWAY <name>" and sleeps until the test sends
SIGKILL, as a worker whose machine goes down in the middle of the write would leave it.
"""

from __future__ import annotations

import os
import sys
import time


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from django.core.files.storage import FileSystemStorage
    from django.core.management import call_command

    original = FileSystemStorage._save

    def half_then_stop(self, name, content):
        if not name.startswith("jobs/out/"):
            return original(self, name, content)
        data = content.read()
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data[: len(data) // 2])
            fh.flush()
            os.fsync(fh.fileno())
        print(f"HALFWAY {name}", flush=True)
        time.sleep(3600)  # killed here
        raise SystemExit(1)

    FileSystemStorage._save = half_then_stop
    call_command("db_worker", *argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
