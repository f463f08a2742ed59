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
        if not report.ok:
            raise RuntimeError("\n".join([f"{path.name}: {report.summary()}", *report.error_lines(20)]))
        yield f"{path.name}: {report.summary()}"
    yield from approve_published_years()
    from seeds.season_2026 import seed_season_2026

    yield from seed_season_2026()


# The demo's criteria sheets are published figures (Kỳ Anh 2017 and the like): what a province
# has already recognised, not work in progress. They enter the demo approved, so that a viewer,
# who reads approved data only, sees them; new years start as drafts like in real use.
PUBLISHED_REASON = "Số liệu đã công bố (dữ liệu mẫu)"


def approve_published_years() -> Iterator[str]:
    """Mark the demo's complete draft commune-years as approved, one history row each."""
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from criteria.approval import APPROVAL_FIELDS
    from criteria.choices import ApprovalStatus
    from criteria.models import CommuneYear, Criterion

    sizes = dict(
        Criterion.objects.values_list("criteria_set_id").annotate(n=Count("pk")).values_list("criteria_set_id", "n")
    )
    from seeds.season_2026 import SEASON_YEAR

    # The season in progress (seeds.season_2026) keeps its drafts.
    drafts = CommuneYear.objects.filter(approval_status=ApprovalStatus.DRAFT, year__lt=SEASON_YEAR).annotate(
        assessed=Count("assessments")
    )
    approved = 0
    with transaction.atomic():
        for commune_year in drafts:
            if not commune_year.assessed or commune_year.assessed < sizes.get(commune_year.criteria_set_id, 0):
                continue
            commune_year.approval_status = ApprovalStatus.APPROVED
            commune_year.approval_changed_at = timezone.now()
            commune_year._change_reason = PUBLISHED_REASON
            commune_year.save(update_fields=list(APPROVAL_FIELDS))
            approved += 1
    if approved:
        yield f"{approved} bảng chấm tiêu chí của dữ liệu mẫu (số liệu đã công bố) được đánh dấu đã phê duyệt."
