"""Spreadsheet widgets that know administrative units: a unit cell read by code or name, on a date.

Built on the platform's lookup machinery (ntm_site.spreadsheets.widgets), which knows no unit.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from divisions.models import AdministrativeUnit
from ntm_site.spreadsheets.errors import CellError
from ntm_site.spreadsheets.widgets import LookupWidget, code_text, is_blank
from ntm_site.text import fold

# Unit names start with their kind; clerks often leave it out ("Hương Liên" for "Xã Hương Liên").
_UNIT_PREFIXES = (
    "thanh pho truc thuoc trung uong",
    "thanh pho",
    "thi tran",
    "thi xa",
    "dac khu",
    "phuong",
    "huyen",
    "quan",
    "tinh",
    "xa",
    "tp",
)
_CODE_WIDTH = {1: 2, 2: 3, 3: 5}


def unit_name_keys(name: str) -> set[str]:
    """Folded forms a clerk may use for a unit name: with and without its kind word."""
    key = fold(name)
    keys = {key}
    for prefix in _UNIT_PREFIXES:
        if key.startswith(prefix + " ") and len(key) > len(prefix) + 1:
            keys.add(key[len(prefix) + 1 :].strip(" .,"))
            break
    return keys


class UnitWidget(LookupWidget):
    """An administrative unit by its GSO code, by name, or by "name, parent name".

    Diacritics, case and the kind word are optional ("huong lien, huong khe"). When codes
    or names are shared across editions the unit valid on `valid_on` is taken: the
    resource may set `widget.valid_on` for each row (e.g. from the row's year), or pass
    `valid_on=` to clean(). Several candidates left is an error listing them.
    """

    def __init__(self, level=None, kinds=None, valid_on=None, **kwargs):
        self.level = level
        self.kinds = tuple(kinds) if kinds else None
        self.valid_on = valid_on
        super().__init__(AdministrativeUnit, field="code", **kwargs)

    def get_queryset(self, value=None, row=None, *args, **kwargs):
        qs = self.model._default_manager.all()
        if self.level:
            qs = qs.filter(level=self.level)
        if self.kinds:
            qs = qs.filter(kind__in=self.kinds)
        return qs

    _fields = ("id", "code", "name", "kind", "level", "parent_id", "province_id", "valid_from", "valid_to")

    def _load(self):
        # Plain tuples for the whole country (~15,000 units); instances only for units that are used.
        by_code = defaultdict(list)
        by_name = defaultdict(list)
        info = {}
        for values in self.get_queryset().values_list(*self._fields):
            pk, code, name = values[0], values[1], values[2]
            info[pk] = values
            by_code[code].append(pk)
            for key in unit_name_keys(name):
                by_name[key].append(pk)
        parent_ids = {v[5] for v in info.values() if v[5]}
        parents = dict(self.model._default_manager.filter(pk__in=parent_ids - info.keys()).values_list("pk", "name"))
        parents.update((pk, v[2]) for pk, v in info.items() if pk in parent_ids)
        self._cache = {"by_code": by_code, "by_name": by_name, "info": info, "parents": parents, "objects": {}}
        return self._cache

    def _valid(self, pks, day):
        info = self._cache["info"]
        if day is None:
            if len(pks) <= 1:
                return pks
            current = [pk for pk in pks if info[pk][8] is None]
            return current or pks
        return [
            pk
            for pk in pks
            if (info[pk][7] is None or info[pk][7] <= day) and (info[pk][8] is None or info[pk][8] >= day)
        ]

    def _describe(self, pk):
        _pk, code, name, _kind, _level, parent_id, _province, valid_from, valid_to = self._cache["info"][pk]
        parent = self._cache["parents"].get(parent_id, "")
        text = f"{name}, {parent}" if parent else name
        span = ""
        if valid_from or valid_to:
            span = " {}–{}".format(
                valid_from.strftime("%d/%m/%Y") if valid_from else "", valid_to.strftime("%d/%m/%Y") if valid_to else ""
            )
        return f"{text} ({code}{span})"

    def _instance(self, pk):
        # Built from the values already read (no query); other fields load lazily if ever used.
        objects = self._cache["objects"]
        obj = objects.get(pk)
        if obj is None:
            obj = self.model.from_db(self.model._default_manager.db, self._fields, self._cache["info"][pk])
            objects[pk] = obj
        return obj

    def lookup(self, value, valid_on=None):
        """The pk of the unit `value` names, or CellError."""
        cache = self._cache if self._cache is not None else self._load()
        day = valid_on if valid_on is not None else self.valid_on
        days = list(day) if isinstance(day, list | tuple) else [day]
        days = [d.date() if isinstance(d, datetime.datetime) else d for d in days]
        text = code_text(value)
        candidates = None
        if text.isdigit():
            widths = [_CODE_WIDTH[self.level]] if self.level else [5, 3, 2]
            for width in [None, *widths]:
                code = text if width is None else text.zfill(width)
                if code in cache["by_code"]:
                    candidates = cache["by_code"][code]
                    break
            if candidates is None:
                raise CellError(_("không có đơn vị hành chính mang mã này."))
        else:
            name, _sep, parent = text.partition(",")
            candidates = cache["by_name"].get(fold(name).strip(), [])
            if parent.strip():
                parent_keys = unit_name_keys(parent.split(",")[0])
                parents = cache["parents"]
                candidates = [
                    pk for pk in candidates if unit_name_keys(parents.get(cache["info"][pk][5], "")) & parent_keys
                ]
            if not candidates:
                raise CellError(_("không tìm thấy đơn vị hành chính tên này (ghi “tên, tên đơn vị cấp trên” hoặc mã)."))
        for day in days:
            valid = self._valid(candidates, day)
            if valid:
                break
        if not valid:
            raise CellError(
                _("đơn vị chưa có hoặc đã hết hiệu lực vào ngày {day} ({units}).").format(
                    day=day.strftime("%d/%m/%Y"), units="; ".join(self._describe(pk) for pk in candidates[:5])
                )
            )
        if len(valid) > 1:
            raise CellError(
                _("có {n} đơn vị khớp: {units}. Hãy ghi mã hoặc “tên, tên đơn vị cấp trên”.").format(
                    n=len(valid), units="; ".join(self._describe(pk) for pk in valid[:5])
                )
            )
        return valid[0]

    def clean(self, value, row=None, valid_on=None, **kwargs):
        if is_blank(value):
            return None
        return self._instance(self.lookup(value, valid_on=valid_on))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.code if isinstance(value, Model) else str(value)
