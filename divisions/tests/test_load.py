"""The official lists load completely, once, with their lineage.

The session's test database already holds the whole country (conftest.py), loaded
by the same service these tests call again.
"""

import datetime

import pytest
from django.core.management import call_command

from divisions.choices import Edition, UnitLevel
from divisions.models import AdministrativeUnit, UnitSuccession

pytestmark = pytest.mark.django_db


def count(edition, level):
    return AdministrativeUnit.objects.filter(edition=edition, level=level).count()


def test_legacy_edition_counts():
    assert count(Edition.LEGACY, UnitLevel.PROVINCE) == 63
    assert count(Edition.LEGACY, UnitLevel.DISTRICT) == 696
    # The package lists 10,040 rows: 10,035 communes plus five island districts
    # (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) that have no commune level.
    assert count(Edition.LEGACY, UnitLevel.COMMUNE) == 10035


def test_2025_edition_counts():
    assert count(Edition.REFORM_2025, UnitLevel.PROVINCE) == 34
    assert count(Edition.REFORM_2025, UnitLevel.DISTRICT) == 0
    assert count(Edition.REFORM_2025, UnitLevel.COMMUNE) == 3321


def test_validity_of_each_edition():
    legacy = AdministrativeUnit.objects.get(code="42", edition=Edition.LEGACY)
    assert legacy.valid_from is None and legacy.valid_to == datetime.date(2025, 6, 30)
    new = AdministrativeUnit.objects.get(code="42", edition=Edition.REFORM_2025)
    assert new.valid_from == datetime.date(2025, 7, 1) and new.valid_to is None
    assert list(AdministrativeUnit.objects.filter(code="42").valid_on(datetime.date(2019, 5, 22))) == [legacy]


def test_second_load_changes_nothing():
    before = (AdministrativeUnit.objects.count(), UnitSuccession.objects.count())
    history_before = AdministrativeUnit.history.count()
    call_command("load_divisions", verbosity=0)
    assert (AdministrativeUnit.objects.count(), UnitSuccession.objects.count()) == before
    assert AdministrativeUnit.history.count() == history_before


def test_merged_province_lineage():
    """Hà Nam, Nam Định and Ninh Bình merged into the new Ninh Bình."""
    new = AdministrativeUnit.objects.get(edition=Edition.REFORM_2025, name="Tỉnh Ninh Bình")
    olds = set(new.predecessions.values_list("predecessor__name", flat=True))
    assert olds == {"Tỉnh Hà Nam", "Tỉnh Nam Định", "Tỉnh Ninh Bình"}


def test_merged_commune_lineage_has_one_main_successor_each():
    huong_lien = AdministrativeUnit.objects.get(
        edition=Edition.LEGACY, name="Xã Hương Liên", parent__name="Huyện Hương Khê"
    )
    lines = list(huong_lien.successions.select_related("successor"))
    assert len(lines) == 1 and lines[0].is_main
    assert lines[0].successor.edition == Edition.REFORM_2025
    assert lines[0].successor.province.name == "Tỉnh Hà Tĩnh"


def test_split_commune_has_several_successors_one_main():
    split = UnitSuccession.objects.filter(is_main=False).values_list("predecessor_id", flat=True).first()
    lines = UnitSuccession.objects.filter(predecessor_id=split)
    assert lines.count() >= 2
    assert lines.filter(is_main=True).count() == 1


def test_province_option_loads_only_that_province():
    legacy = AdministrativeUnit.objects.filter(edition=Edition.LEGACY)
    ha_giang = legacy.filter(name="Tỉnh Hà Giang")
    in_ha_giang = legacy.filter(province__in=ha_giang)
    expected = ha_giang.count() + in_ha_giang.count()
    UnitSuccession.objects.filter(predecessor__in=in_ha_giang).delete()
    for level in (UnitLevel.COMMUNE, UnitLevel.DISTRICT):
        in_ha_giang.filter(level=level).delete()
    ha_giang.delete()
    others = AdministrativeUnit.objects.count()

    call_command("load_divisions", "--edition", "legacy", "--province", "ha giang", verbosity=0)

    assert AdministrativeUnit.objects.count() - others == expected
    assert legacy.filter(name="Xã Lũng Cú", parent__name="Huyện Đồng Văn").exists()
