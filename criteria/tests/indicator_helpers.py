"""Workbooks for the indicator tests: the demo's illustrative QĐ 51 set, groups, and small sheets of our own."""

import io
from pathlib import Path

from openpyxl import Workbook

from criteria.models import CommuneClassification
from divisions.models import AdministrativeUnit
from ntm_site.spreadsheets.registry import get_resource
from ntm_site.spreadsheets.services import workbook_import

DATA = Path(__file__).resolve().parents[2] / "seeds" / "data"
# Hà Tĩnh on the 2025 map: two rural communes and a ward.
THACH_HA = "Xã Thạch Hà"


def xlsx(headers, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def load(slug, data, **kwargs):
    return workbook_import(resource_class=get_resource(slug), file=data, **kwargs)


def load_demo_set():
    report = load("criteria-sets", DATA / "31_criteria-sets.xlsx")
    assert report.ok, report.error_lines()
    return report


def commune_2025(index=0, kind="xa") -> AdministrativeUnit:
    """A unit of Hà Tĩnh on the 2025 map (in force in 2026)."""
    units = AdministrativeUnit.objects.filter(
        edition="2025", province__code="42", kind=kind, valid_to__isnull=True
    ).order_by("code")
    return units[index]


def classify(commune, group="nhom_2", start=2026):
    return CommuneClassification.objects.create(commune=commune, group=group, valid_from_year=start)
