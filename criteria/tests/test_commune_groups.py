"""Commune groups as data: imported (commune-groups), edited in the admin, periods never overlap."""

import pytest
from django.core.exceptions import ValidationError

from criteria.models import CommuneClassification
from criteria.querysets import group_for
from criteria.tests.indicator_helpers import DATA, classify, commune_2025, load, xlsx

pytestmark = pytest.mark.django_db
HEAD = ["Mã xã", "Nhóm xã", "Từ năm", "Đến năm", "Căn cứ phân nhóm"]


def test_the_demo_groups_every_rural_commune_of_ha_tinh():
    report = load("commune-groups", DATA / "32_commune-groups.xlsx")
    assert report.ok and report.created == 60, report.error_lines()
    assert group_for(commune_2025().pk, 2026) in {"nhom_1", "nhom_2", "nhom_3"}
    assert group_for(commune_2025().pk, 2025) is None
    assert load("commune-groups", DATA / "32_commune-groups.xlsx").unchanged == 60


def test_overlapping_periods_are_refused():
    commune = commune_2025()
    report = load(
        "commune-groups", xlsx(HEAD, [[commune.code, "1", 2026, 2028, "QĐ"], [commune.code, "2", 2027, "", "QĐ"]])
    )
    assert not report.ok and "trùng" in " ".join(report.error_lines())
    classify(commune, "nhom_2", 2026)
    later = CommuneClassification(commune=commune, group="nhom_3", valid_from_year=2028)
    with pytest.raises(ValidationError):
        later.clean()


def test_a_ward_gets_no_group():
    ward = commune_2025(kind="phuong")
    report = load("commune-groups", xlsx(HEAD, [[ward.code, "2", 2026, "", "QĐ"]]))
    assert not report.ok and "không phải xã" in " ".join(report.error_lines())
