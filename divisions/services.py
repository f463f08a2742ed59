"""Loading the official unit lists shipped by the `vietnamadminunits` package."""

import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources as importlib_resources

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history
from vietnamadminunits.database import query

from divisions.choices import Edition, UnitKind, UnitLevel
from divisions.models import AdministrativeUnit, UnitSuccession
from ntm_site.text import fold_compact, nfc, search_key

LEGACY_END = datetime.date(2025, 6, 30)
REFORM_START = datetime.date(2025, 7, 1)
EDITIONS = ("legacy", "2025", "all")

_DISTRICT_KIND = {
    "Quận": UnitKind.URBAN_DISTRICT,
    "Huyện": UnitKind.RURAL_DISTRICT,
    "Thị xã": UnitKind.TOWN,
    "Thành phố": UnitKind.PROVINCIAL_CITY,
}
_COMMUNE_KIND = {
    "Xã": UnitKind.COMMUNE,
    "Phường": UnitKind.WARD,
    "Thị trấn": UnitKind.TOWNLET,
    "Đặc khu": UnitKind.SPECIAL_ZONE,
}


@dataclass
class _Row:
    code: str
    name: str
    kind: str
    level: int
    edition: str
    parent_code: str | None = None
    province_code: str | None = None
    parent_names: list[str] = field(default_factory=list)

    @property
    def valid_from(self):
        return REFORM_START if self.edition == Edition.REFORM_2025 else None

    @property
    def valid_to(self):
        return LEGACY_END if self.edition == Edition.LEGACY else None


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    successions_created: int = 0
    counts: dict = field(default_factory=dict)


def _province_kind(name: str) -> str:
    return UnitKind.CENTRAL_CITY if name.startswith("Thành phố") else UnitKind.PROVINCE


def _wanted(province_name: str, wanted: set[str] | None) -> bool:
    if not wanted:
        return True
    key = fold_compact(province_name)
    return any(w == key or key.endswith(w) for w in wanted)


def _legacy_rows(wanted):
    rows, keys = [], {}
    seen_p, seen_d = set(), set()
    for r in query("SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"):
        if not _wanted(r["province"], wanted):
            continue
        p, d = r["provinceCode"], r["districtCode"]
        if p not in seen_p:
            seen_p.add(p)
            rows.append(_Row(p, nfc(r["province"]), _province_kind(r["province"]), UnitLevel.PROVINCE, Edition.LEGACY))
            keys[r["provinceKey"]] = p
        if d not in seen_d:
            seen_d.add(d)
            rows.append(
                _Row(
                    d,
                    nfc(r["district"]),
                    _DISTRICT_KIND[r["districtType"]],
                    UnitLevel.DISTRICT,
                    Edition.LEGACY,
                    parent_code=p,
                    province_code=p,
                    parent_names=[r["province"]],
                )
            )
        # Five island districts (e.g. Huyện Côn Đảo) have no commune level: their row has no ward.
        if r["wardCode"]:
            rows.append(
                _Row(
                    r["wardCode"],
                    nfc(r["ward"]),
                    _COMMUNE_KIND[r["wardType"]],
                    UnitLevel.COMMUNE,
                    Edition.LEGACY,
                    parent_code=d,
                    province_code=p,
                    parent_names=[r["district"], r["province"]],
                )
            )
            keys[f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"] = r["wardCode"]
    return rows, keys


def _reform_rows(wanted):
    rows, keys = [], {}
    seen_p = set()
    for r in query("SELECT * FROM admin_units ORDER BY provinceCode, wardCode"):
        if not _wanted(r["province"], wanted):
            continue
        p = r["provinceCode"]
        if p not in seen_p:
            seen_p.add(p)
            rows.append(
                _Row(p, nfc(r["province"]), _province_kind(r["province"]), UnitLevel.PROVINCE, Edition.REFORM_2025)
            )
            keys[r["provinceKey"]] = p
        rows.append(
            _Row(
                r["wardCode"],
                nfc(r["ward"]),
                _COMMUNE_KIND[r["wardType"]],
                UnitLevel.COMMUNE,
                Edition.REFORM_2025,
                parent_code=p,
                province_code=p,
                parent_names=[r["province"]],
            )
        )
        keys[(r["provinceKey"], r["wardKey"])] = r["wardCode"]
    return rows, keys


def _converter_map() -> dict:
    path = importlib_resources.files("vietnamadminunits") / "data" / "converter_2025.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _lineage(legacy_keys, reform_keys):
    """(legacy code, level, 2025 code, is_main) for every line of the converter map."""
    data = _converter_map()
    for new_p, old_ps in data["DICT_PROVINCE"].items():
        for old_p in old_ps:
            if old_p in legacy_keys and new_p in reform_keys:
                yield legacy_keys[old_p], UnitLevel.PROVINCE, reform_keys[new_p], True
    for new_p, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_w, olds in wards.items():
            new_code = reform_keys.get((new_p, new_w))
            for old in olds:
                if new_code and old in legacy_keys:
                    yield legacy_keys[old], UnitLevel.COMMUNE, new_code, True
    for new_p, olds in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            for part in parts:
                new_code = reform_keys.get((new_p, part["newWardKey"]))
                if new_code and old in legacy_keys:
                    yield legacy_keys[old], UnitLevel.COMMUNE, new_code, bool(part["isDefaultNewWard"])


def _key(level, code, edition):
    return (int(level), code, edition)


@transaction.atomic
def divisions_load(
    *,
    edition: str = "all",
    provinces: Iterable[str] = (),
    progress: Callable[[str, int], None] | None = None,
) -> LoadResult:
    """Create or update the official units; a second run changes nothing."""
    if edition not in EDITIONS:
        raise ValueError(edition)
    wanted = {fold_compact(p) for p in provinces} or None
    step = progress or (lambda label, n: None)
    result = LoadResult()

    rows, legacy_keys, reform_keys = [], {}, {}
    if edition in ("legacy", "all"):
        legacy_rows, legacy_keys = _legacy_rows(wanted)
        rows += legacy_rows
    if edition in ("2025", "all"):
        reform_rows, reform_keys = _reform_rows(wanted)
        rows += reform_rows
    step("read", len(rows))

    existing = {
        _key(u.level, u.code, u.edition): u
        for u in AdministrativeUnit.objects.filter(edition__in=[Edition.LEGACY, Edition.REFORM_2025])
    }
    to_create, to_update = [], []
    # Parents first: provinces, then districts, then communes, so ids exist when children need them.
    for level in (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        batch_create = []
        for row in (r for r in rows if r.level == level):
            parent = (
                existing.get(
                    _key(
                        level - 1 if row.edition == Edition.LEGACY else UnitLevel.PROVINCE, row.parent_code, row.edition
                    )
                )
                if row.parent_code
                else None
            )
            province = (
                existing.get(_key(UnitLevel.PROVINCE, row.province_code, row.edition)) if row.province_code else None
            )
            key = search_key(row.name, *row.parent_names, row.code)
            values = {
                "name": row.name,
                "kind": row.kind,
                "level": row.level,
                "parent_id": parent.pk if parent else None,
                "province_id": province.pk if province else None,
                "valid_from": row.valid_from,
                "valid_to": row.valid_to,
                "search_key": key,
            }
            unit = existing.get(_key(row.level, row.code, row.edition))
            if unit is None:
                unit = AdministrativeUnit(code=row.code, edition=row.edition, **values)
                batch_create.append(unit)
            elif any(getattr(unit, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(unit, k, v)
                to_update.append(unit)
            else:
                result.unchanged += 1
        if batch_create:
            created = bulk_create_with_history(batch_create, AdministrativeUnit, batch_size=2000)
            # SQLite and PostgreSQL both return primary keys from bulk_create.
            for unit in created:
                existing[_key(unit.level, unit.code, unit.edition)] = unit
            result.created += len(created)
            to_create += created
        step(f"level {int(level)}", len(batch_create))
    if to_update:
        bulk_update_with_history(
            to_update,
            AdministrativeUnit,
            ["name", "kind", "level", "parent", "province", "valid_from", "valid_to", "search_key"],
            batch_size=2000,
        )
        result.updated = len(to_update)

    if legacy_keys and reform_keys:
        have = set(UnitSuccession.objects.values_list("predecessor_id", "successor_id"))
        new_lines = []
        for old_code, level, new_code, is_main in _lineage(legacy_keys, reform_keys):
            old = existing.get(_key(level, old_code, Edition.LEGACY))
            new = existing.get(_key(level, new_code, Edition.REFORM_2025))
            if old and new and (old.pk, new.pk) not in have:
                have.add((old.pk, new.pk))
                new_lines.append(
                    UnitSuccession(predecessor=old, successor=new, effective_date=REFORM_START, is_main=is_main)
                )
        if new_lines:
            bulk_create_with_history(new_lines, UnitSuccession, batch_size=2000)
        result.successions_created = len(new_lines)
        step("lineage", len(new_lines))

    for ed in (Edition.LEGACY, Edition.REFORM_2025):
        for level in UnitLevel:
            result.counts[(ed.value, int(level))] = sum(1 for k in existing if k[2] == ed and k[0] == level)
    return result
