"""Bulk writes with history: what `bulk_create_with_history` / `bulk_update_with_history` do, faster.

django-simple-history's helpers build one historical model instance per row and save
them through the ORM. Here the historical rows are written with one `executemany` per
batch from the values already in memory, and updates go out as `UPDATE … WHERE pk = %s`
executemany (Django's `bulk_update` builds CASE WHEN statements, slow on big batches).
The rows are the same: every tracked field, history_date, history_type "+" or "~",
history_user and history_change_reason.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router
from django.utils import timezone

# Values of these field types reach the driver as they are; others go through get_db_prep_save.
_PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
    "URLField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "BooleanField",
}
_HISTORY_OWN = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}


def _converter(field, connection):
    target = field.target_field if field.is_relation else field
    if target.get_internal_type() in _PLAIN_TYPES:
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def history_model_of(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


class BulkWriter:
    """Creates and updates rows of one model in bulk, each with its historical row."""

    def __init__(self, model, *, user=None, reason: str = "", history: bool = True, batch_size: int = 2000):
        self.model = model
        self.using = router.db_for_write(model)
        self.connection = connections[self.using]
        self.batch_size = batch_size
        self.user_id = getattr(user, "pk", None)
        self.reason = reason
        self.history_date = timezone.now()
        self.history_model = history_model_of(model) if history else None
        if self.history_model is not None:
            self._prepare_history()

    def _prepare_history(self):
        hmodel = self.history_model
        qn = self.connection.ops.quote_name
        tracked, columns = [], []
        own = {}
        for f in hmodel._meta.concrete_fields:
            if f.name in _HISTORY_OWN:
                if f.name != "history_id":
                    own[f.name] = f
                continue
            tracked.append((f.attname, _converter(f, self.connection)))
            columns.append(f.column)
        extra = []
        for name in ("history_date", "history_change_reason", "history_type", "history_user"):
            if name in own:
                columns.append(own[name].column)
                extra.append(name)
        self._tracked = tracked
        self._extra_names = extra
        self._history_sql = "INSERT INTO {} ({}) VALUES ({})".format(
            qn(hmodel._meta.db_table), ", ".join(qn(c) for c in columns), ", ".join(["%s"] * len(columns))
        )
        date_field = own.get("history_date")
        self._history_date_value = (
            date_field.get_db_prep_save(self.history_date, self.connection) if date_field else None
        )

    def _history_rows(self, objs, history_type):
        extra_values = {
            "history_date": self._history_date_value,
            "history_change_reason": self.reason or None,
            "history_type": history_type,
            "history_user": self.user_id,
        }
        tail = tuple(extra_values[n] for n in self._extra_names)
        tracked = self._tracked
        rows = []
        for obj in objs:
            d = obj.__dict__
            values = []
            for attname, convert in tracked:
                value = d.get(attname) if attname in d else getattr(obj, attname)
                values.append(value if convert is None or value is None else convert(value))
            rows.append((*values, *tail))
        return rows

    def write_history(self, objs, history_type):
        if self.history_model is None or not objs:
            return
        with self.connection.cursor() as cursor:
            for start in range(0, len(objs), self.batch_size):
                cursor.executemany(
                    self._history_sql, self._history_rows(objs[start : start + self.batch_size], history_type)
                )

    def create(self, objs: list) -> list:
        """INSERT the objects (primary keys come back) and their "+" history rows."""
        if not objs:
            return objs
        created = self.model._default_manager.using(self.using).bulk_create(objs, batch_size=self.batch_size)
        self.write_history(created, "+")
        return created

    def update(self, objs: list, attnames: list[str]) -> None:
        """UPDATE the given columns of the objects by primary key, and their "~" history rows."""
        if not objs:
            return
        opts = self.model._meta
        qn = self.connection.ops.quote_name
        fields_ = [_by_attname(opts, a) for a in attnames]
        auto_now = [f for f in opts.concrete_fields if getattr(f, "auto_now", False) and f not in fields_]
        for f in auto_now:
            for obj in objs:
                f.pre_save(obj, add=False)
        fields_ += auto_now
        sql = "UPDATE {} SET {} WHERE {} = %s".format(
            qn(opts.db_table), ", ".join(f"{qn(f.column)} = %s" for f in fields_), qn(opts.pk.column)
        )
        converters = [(f.attname, _converter(f, self.connection)) for f in fields_]
        pk_attname = opts.pk.attname
        with self.connection.cursor() as cursor:
            for start in range(0, len(objs), self.batch_size):
                rows = []
                for obj in objs[start : start + self.batch_size]:
                    d = obj.__dict__
                    values = [d[a] if c is None or d[a] is None else c(d[a]) for a, c in converters]
                    values.append(d[pk_attname])
                    rows.append(values)
                cursor.executemany(sql, rows)
        self.write_history(objs, "~")


def _by_attname(opts, attname):
    for f in opts.concrete_fields:
        if f.attname == attname:
            return f
    raise FieldDoesNotExist(attname)
