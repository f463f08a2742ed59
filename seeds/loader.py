"""The demo data set: workbooks in the project's own import templates, loaded in order.

Each app's issue adds its workbooks to STEPS; `seed_demo` imports them through the
same engine a clerk uses, so the demo data also exercises the importers.
"""

from collections.abc import Iterator

# (template slug, workbook file name under seeds/data/), in dependency order.
STEPS: list[tuple[str, str]] = []


def seed_demo() -> Iterator[str]:
    if not STEPS:
        yield "Chưa có dữ liệu mẫu nào để nạp."
        return
