"""The demo data set: workbooks in the project's own import templates, loaded in order.

Every workbook in seeds/data/ is named `NN_<template-slug>.xlsx` (or .csv): NN gives the
order, the slug names the import template (see ntm_site.spreadsheets.registry). `seed_demo`
imports them through the same engine a clerk uses, so the demo also exercises the importers;
importing unchanged rows again changes nothing.
"""

import re
from collections.abc import Iterator
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
_NAME = re.compile(r"^(?P<order>\d+)_(?P<slug>[a-z0-9-]+)\.(xlsx|csv)$")


def demo_workbooks() -> list[tuple[str, Path]]:
    """(template slug, path) of every demo workbook, in load order."""
    found = []
    for path in sorted(DATA_DIR.glob("*")):
        match = _NAME.match(path.name)
        if match:
            found.append((int(match["order"]), match["slug"], path))
    return [(slug, path) for _, slug, path in sorted(found)]


def seed_demo() -> Iterator[str]:
    books = demo_workbooks()
    if not books:
        yield "Chưa có dữ liệu mẫu nào để nạp."
        return
    from ntm_site.spreadsheets.registry import get_resource
    from ntm_site.spreadsheets.services import workbook_import

    for slug, path in books:
        with path.open("rb") as handle:
            report = workbook_import(resource_class=get_resource(slug), file=handle, file_name=path.name)
        yield f"{path.name}: {report}"
