"""Bulk writes with history: what `bulk_create_with_history` / `bulk_update_with_history` do, faster.

django-simple-history's helpers build one historical model instance per row and save
them through the ORM, whose bulk SQL compiler prepares every value of every row one
call at a time. Here each row's values are converted once (plain ints and strings go to
the driver as they are; dates, JSON and decimals through the field's own
`get_db_prep_save`, memoised because imports repeat the same few values), then:

- new rows: multi-row `INSERT … RETURNING pk` (primary keys come back, as bulk_create's do);
- changed rows: `UPDATE … SET … WHERE pk = %s` with executemany;
- history: one `INSERT` executemany per batch with every tracked field, history_date,
  history_type "+" or "~", history_user and history_change_reason.

On PostgreSQL (psycopg 3) new rows go out with `COPY … FROM STDIN` instead: the primary keys
of new rows are drawn from the table's sequence first (one `nextval` query per batch, the
values the column's default would have given), then the rows are one COPY. COPY is parsed by
the server as rows, not as one array per column, and psycopg writes its rows in C: measured
on the import benchmark's 95,000 rows it takes less than half the time of the
`INSERT … SELECT FROM UNNEST` it replaced (benchmarks/README.md). Changed rows go out as
`UPDATE … FROM UNNEST` (two arrays, the cost is the server's). The history rows do not travel
at all when the history tracks columns of the table (simple-history's own tables do): the
server copies them from the rows as stored, `INSERT INTO history SELECT … FROM table WHERE id
= ANY(…)` after the COPY, and `WITH changed AS (UPDATE … RETURNING …) INSERT INTO history
SELECT … FROM changed` for an update (95,000 history rows of the benchmark's update: 1.1 s as a
COPY built in Python, about 0.4 s so). Otherwise they are one COPY too. SQLite keeps the
multi-row INSERTs.

The rows written are exactly those simple-history would write. Models that this fast
path does not fit (no RETURNING, a primary key set by hand) go through the ORM's
bulk_create, still with history written here.
"""

from __future__ import annotations

import json
from operator import itemgetter

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router
from django.db.models import JSONField
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

from ntm_site.value_lists import array_param

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
_MEMO_LIMIT = 50_000
UNNEST_BATCH = 10_000  # rows per UPDATE … FROM UNNEST on PostgreSQL


def _converter(field, connection, copy=False):
    """None when the driver takes the value as it is, else a function value -> database value.

    `copy`: for a row of COPY (PostgreSQL): JSON goes as its text, dumped once per value here
    (psycopg would dump the adapter Django gives for every row).
    """
    target = field.target_field if field.is_relation else field
    if target.get_internal_type() in _PLAIN_TYPES:
        return None
    memo = {}

    if copy and isinstance(field, JSONField):
        empty = {}

        def json_text(value):
            if value == empty and not value:
                if "{}" not in memo:
                    memo["{}"] = _json_text(field.get_db_prep_save({}, connection))
                return memo["{}"]
            return _json_text(field.get_db_prep_save(value, connection))

        return json_text

    if isinstance(field, JSONField):
        empty = {}

        def convert_json(value):
            if value == empty and not value:
                if "{}" not in memo:
                    memo["{}"] = field.get_db_prep_save({}, connection)
                return memo["{}"]
            return field.get_db_prep_save(value, connection)

        return convert_json

    def convert(value):
        try:
            return memo[value]
        except KeyError:
            prepared = field.get_db_prep_save(value, connection)
            if len(memo) < _MEMO_LIMIT:
                memo[value] = prepared
            return prepared
        except TypeError:  # unhashable
            return field.get_db_prep_save(value, connection)

    return convert


def _json_text(prepared):
    """The text psycopg would send for Django's JSON adapter (Jsonb(value, dumps=…)), or the value itself."""
    obj = getattr(prepared, "obj", _NOTHING)
    if obj is _NOTHING:
        return prepared
    if obj is None:
        return None
    dumps = getattr(prepared, "dumps", None) or json.dumps
    return dumps(obj)


_NOTHING = object()
_SEQUENCES: dict[tuple, str | None] = {}  # (database, table, column) -> the sequence of its primary key


def uses_copy(connection) -> bool:
    """Rows go out with COPY: PostgreSQL through psycopg 3 (psycopg2 and SQLite keep the INSERTs)."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3


def history_model_of(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


def _array_cursor(connection):
    """A cursor for the UNNEST statements.

    Django's psycopg 3 connections render every parameter into the SQL text on the client
    (ClientCursor), which for arrays of thousands of values costs more than the insert
    itself. A plain psycopg cursor on the same connection (so inside the same transaction)
    sends the arrays as bound parameters instead.
    """
    try:
        import psycopg
    except ImportError:  # psycopg2: Django's cursor already binds on the server
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection
    if isinstance(raw, psycopg.Connection):
        return _WrappedCursor(connection, psycopg.Cursor(raw))
    return connection.cursor()


class _WrappedCursor:
    """A driver cursor whose errors arrive as Django's (IntegrityError, DataError…), like a Django cursor's."""

    def __init__(self, connection, cursor):
        self.connection = connection
        self.cursor = cursor

    def execute(self, sql, params):
        with self.connection.wrap_database_errors:
            return self.cursor.execute(sql, params)

    def fetchall(self):
        with self.connection.wrap_database_errors:
            return self.cursor.fetchall()

    def copy_rows(self, sql, rows):
        """COPY … FROM STDIN of `rows` (tuples in the statement's column order)."""
        with self.connection.wrap_database_errors, self.cursor.copy(sql) as copy:
            write = copy.write_row
            for row in rows:
                write(row)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cursor.close()


def _unnest_args(fields_, connection) -> str:
    """ "(%s)::bigint[], (%s)::varchar[], …": one typed array parameter per column."""
    return ", ".join("(%s)::{}[]".format(f.db_type(connection).split("(")[0]) for f in fields_)


def _columns(rows) -> list:
    """Rows -> one parameter per column (the UNNEST arrays; integers as the array's text, value_lists.array_param)."""
    return [array_param(list(column)) for column in zip(*rows, strict=True)]


def _by_attname(opts, attname):
    for f in opts.concrete_fields:
        if f.attname == attname:
            return f
    raise FieldDoesNotExist(attname)


class InstanceFactory:
    """Builds unsaved model instances from attribute values, without Model.__init__'s per-field work.

    Same result as `Model(**values)`: every concrete field gets the given value or its
    default. Falls back to the real constructor if anything listens to pre/post_init.
    """

    def __init__(self, model):
        from django.db.models.base import ModelState

        self.model = model
        self.db = router.db_for_read(model)
        self.state_class = ModelState
        self.plain = not (pre_init.has_listeners(model) or post_init.has_listeners(model))
        static, dynamic = {}, []
        for f in model._meta.concrete_fields:
            if f.has_default() and callable(f.default):
                dynamic.append((f.attname, f.get_default))
            else:
                static[f.attname] = None if f.primary_key else f.get_default()
        self.static = static
        self.dynamic = dynamic

    def from_db(self, attnames, values):
        """An instance loaded from the database (as `Model.from_db` builds, minus __init__)."""
        if not self.plain:
            return self.model.from_db(self.db, attnames, values)
        obj = self.model.__new__(self.model)
        state = obj._state = self.state_class()
        state.adding = False
        state.db = self.db
        obj.__dict__.update(zip(attnames, values, strict=True))
        return obj

    def __call__(self, values: dict):
        if not self.plain:
            return self.model(**values)
        obj = self.model.__new__(self.model)
        obj._state = self.state_class()
        d = obj.__dict__
        d.update(self.static)
        for attname, default in self.dynamic:
            if attname not in values:
                d[attname] = default()
        d.update(values)
        return obj


class BulkWriter:
    """Creates and updates rows of one model in bulk, each with its historical row."""

    def __init__(self, model, *, user=None, reason: str = "", history: bool = True, batch_size: int = 2000):
        self.model = model
        self.opts = model._meta
        self.using = router.db_for_write(model)
        self.connection = connections[self.using]
        self.batch_size = batch_size
        self.user_id = getattr(user, "pk", None)
        self.reason = reason
        self.history_date = timezone.now()
        self.history_model = history_model_of(model) if history else None
        self.copy = uses_copy(self.connection)
        self._converters = {}
        self._copy_converters = {}
        self._history_returning = self._history_from_table = None
        self._prepare_insert()
        if self.history_model is not None:
            self._prepare_history()

    def converter(self, field):
        if field.attname not in self._converters:
            self._converters[field.attname] = _converter(field, self.connection)
        return self._converters[field.attname]

    def copy_converter(self, field):
        """The converter of a value for a COPY row (PostgreSQL)."""
        if field.attname not in self._copy_converters:
            self._copy_converters[field.attname] = _converter(field, self.connection, copy=True)
        return self._copy_converters[field.attname]

    # --- INSERT ----------------------------------------------------------------------

    def _prepare_insert(self):
        opts = self.opts
        conn = self.connection
        pk = opts.pk
        self.pk_attname = pk.attname
        self.fast_insert = (
            conn.features.can_return_rows_from_bulk_insert and pk.db_returning and not opts.parents and pk.auto_created
        )
        self.insert_fields = [f for f in opts.concrete_fields if not f.primary_key]
        self.pre_save_fields = [
            f for f in self.insert_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        self.insert_converters = [(f.attname, self.converter(f)) for f in self.insert_fields]
        if self.copy:
            # The primary key first (drawn from the sequence), then the inserted columns.
            self.copy_converters = [(f.attname, self.copy_converter(f)) for f in self.insert_fields]
        limit = getattr(conn.features, "max_query_params", None) or 65000
        if conn.vendor == "sqlite":
            try:
                import sqlite3

                conn.ensure_connection()
                limit = conn.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            except Exception:  # older Python or a wrapped connection: Django's own 999
                pass
        self._max_params = min(limit, 65000) - 1
        self.rows_per_insert = max(1, min(self.batch_size, self._max_params // max(1, len(self.insert_fields))))
        qn = conn.ops.quote_name
        self._insert_head = "INSERT INTO {} ({}) VALUES ".format(
            qn(opts.db_table), ", ".join(qn(f.column) for f in self.insert_fields)
        )
        self._row_placeholder = "(" + ", ".join(["%s"] * len(self.insert_fields)) + ")"
        # PostgreSQL: one array per column through UNNEST (as Django 5.2's bulk_create does), so a
        # batch is one short statement with a handful of parameters, whatever its number of rows.
        self.unnest = conn.vendor == "postgresql"
        if self.unnest:
            self._unnest_insert = "{}SELECT * FROM UNNEST({})".format(
                self._insert_head.replace(" VALUES ", " "), _unnest_args(self.insert_fields, conn)
            )
        self._returning = f" RETURNING {qn(pk.column)}"
        if self.copy:
            self._copy_insert = "COPY {} ({}) FROM STDIN".format(
                qn(opts.db_table), ", ".join(qn(f.column) for f in [pk, *self.insert_fields])
            )

    def _converted(self, obj, converters=None):
        d = obj.__dict__
        return [d[a] if c is None or d[a] is None else c(d[a]) for a, c in converters or self.insert_converters]

    def sequence(self):
        """The sequence of the primary key ("public.criteria_assessment_id_seq"), or None (PostgreSQL)."""
        key = (self.connection.settings_dict["NAME"], self.opts.db_table, self.opts.pk.column)
        if key not in _SEQUENCES:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)", [self.connection.ops.quote_name(key[1]), key[2]]
                )
                (_SEQUENCES[key],) = cursor.fetchone()
        return _SEQUENCES[key]

    def create(self, objs: list) -> list:
        """INSERT the objects (primary keys come back) and their "+" history rows."""
        if not objs:
            return objs
        for f in self.pre_save_fields:
            for obj in objs:
                setattr(obj, f.attname, f.pre_save(obj, add=True))
        if not self.fast_insert or any(obj.__dict__.get(self.pk_attname) is not None for obj in objs):
            created = self.model._default_manager.using(self.using).bulk_create(objs, batch_size=self.batch_size)
            self.write_history(created, "+")
            return created
        if self.copy and self.sequence() is not None:
            return self._create_by_copy(objs)
        rows = [self._converted(obj) for obj in objs]
        step = self.batch_size if self.unnest else self.rows_per_insert
        full_sql = None
        with _array_cursor(self.connection) if self.unnest else self.connection.cursor() as cursor:
            for start in range(0, len(objs), step):
                chunk = rows[start : start + step]
                if self.unnest:
                    cursor.execute(self._unnest_insert + self._returning, _columns(chunk))
                else:
                    if len(chunk) == step and full_sql is not None:
                        sql = full_sql
                    else:
                        sql = self._insert_head + ", ".join([self._row_placeholder] * len(chunk)) + self._returning
                        if len(chunk) == step:
                            full_sql = sql
                    cursor.execute(sql, [v for row in chunk for v in row])
                ids = cursor.fetchall()
                for obj, (pk,) in zip(objs[start : start + step], ids, strict=True):
                    obj.__dict__[self.pk_attname] = pk
                    obj._state.adding = False
                    obj._state.db = self.using
        self.write_history(objs, "+", converted=rows)
        return objs

    def _create_by_copy(self, objs):
        """PostgreSQL: primary keys from the sequence, then one COPY of the rows and one of their history."""
        pk_attname = self.pk_attname
        converters = self.copy_converters
        try:
            with _array_cursor(self.connection) as cursor:
                cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [self.sequence(), len(objs)])
                ids = cursor.fetchall()
                rows = []
                for obj, (pk,) in zip(objs, ids, strict=True):
                    d = obj.__dict__
                    d[pk_attname] = pk
                    rows.append((pk, *[d[a] if c is None or d[a] is None else c(d[a]) for a, c in converters]))
                cursor.copy_rows(self._copy_insert, rows)
        except BaseException:
            # Nothing was written (the caller's savepoint or transaction is rolled back): the objects are new again.
            for obj in objs:
                obj.__dict__[pk_attname] = None
            raise
        for obj in objs:
            obj._state.adding = False
            obj._state.db = self.using
        if self._history_from_table is not None:
            # The "+" rows copied by the server from the rows just written (no second COPY built in Python).
            pks = [row[0] for row in rows]
            with _array_cursor(self.connection) as cursor:
                cursor.execute(
                    self._history_from_table, [*self._history_tail("+"), min(pks), max(pks), array_param(pks)]
                )
        else:
            self.write_history(objs, "+", copied=rows)
        return objs

    # --- UPDATE ----------------------------------------------------------------------

    def update(self, objs: list, attnames: list[str]) -> None:
        """UPDATE the given columns of the objects by primary key, and their "~" history rows."""
        if not objs:
            return
        opts = self.opts
        fields_ = [_by_attname(opts, a) for a in attnames if a != self.pk_attname]
        auto_now = [f for f in opts.concrete_fields if getattr(f, "auto_now", False) and f not in fields_]
        for f in auto_now:
            for obj in objs:
                setattr(obj, f.attname, f.pre_save(obj, add=False))
        fields_ += auto_now
        if fields_ and self.connection.vendor == "postgresql":
            # The "~" rows are written by the UPDATE itself when the history table tracks columns of this table.
            if self._update_from_values(objs, fields_, with_history=self._history_returning is not None):
                return
        elif fields_:
            self._update_executemany(objs, fields_)
        self.write_history(objs, "~")

    def _update_rows(self, objs, fields_):
        converters = [(f.attname, self.converter(f)) for f in fields_]
        pk_attname = self.pk_attname
        rows = []
        for obj in objs:
            d = obj.__dict__
            values = [d[a] if c is None or d[a] is None else c(d[a]) for a, c in converters]
            values.append(d[pk_attname])
            rows.append(values)
        return rows

    def _update_executemany(self, objs, fields_):
        # SQLite runs a prepared UPDATE per row in-process: executemany is as fast as it gets.
        qn = self.connection.ops.quote_name
        sql = "UPDATE {} SET {} WHERE {} = %s".format(
            qn(self.opts.db_table), ", ".join(f"{qn(f.column)} = %s" for f in fields_), qn(self.opts.pk.column)
        )
        with self.connection.cursor() as cursor:
            for start in range(0, len(objs), self.batch_size):
                cursor.executemany(sql, self._update_rows(objs[start : start + self.batch_size], fields_))

    def _update_from_values(self, objs, fields_, with_history=False) -> bool:
        """PostgreSQL: one UPDATE … FROM UNNEST(arrays) per batch instead of a round trip per row.

        `with_history`: the same statement writes the "~" history rows, from the rows as updated (`WITH changed
        AS (UPDATE … RETURNING …) INSERT INTO history SELECT …`): the values the history would copy are those
        the table now holds, so they neither come back to Python nor go out again (95,000 updated results: no
        COPY of 95,000 history rows built in Python and parsed again by the server). Returns whether it did.
        """
        qn = self.connection.ops.quote_name
        conn = self.connection
        pk = self.opts.pk
        all_fields = [*fields_, pk]
        names = [f"c{i}" for i in range(len(all_fields))]
        # The BETWEEN is implied by the join; it lets the planner read only the batch's range of the primary
        # key (an import's rows are mostly consecutive) instead of hashing the whole table for every batch.
        sql = (
            "UPDATE {t} SET {sets} FROM UNNEST({arrays}) AS v({names}) "
            "WHERE {t}.{pk} = v.{last} AND {t}.{pk} BETWEEN %s AND %s{returning}"
        ).format(
            t=qn(self.opts.db_table),
            sets=", ".join(f"{qn(f.column)} = v.{n}" for f, n in zip(fields_, names, strict=False)),
            arrays=_unnest_args(all_fields, conn),
            names=", ".join(names),
            pk=qn(pk.column),
            last=names[-1],
            returning=" RETURNING " + self._history_returning if with_history else "",
        )
        tail = []
        if with_history:
            sql = f"WITH changed AS ({sql}) {self._history_insert_select}"
            tail = list(self._history_tail("~"))
        # Batches of UNNEST_BATCH rows, not batch_size: the arrays are two parameters however long, and each
        # statement fires the statement-level triggers once (the criteria summary's: an import's chunk of 5,000
        # results in one statement instead of three took 0.5 s off the 95,000 updates of the benchmark).
        step = max(self.batch_size, UNNEST_BATCH)
        with _array_cursor(conn) as cursor:
            for start in range(0, len(objs), step):
                rows = self._update_rows(objs[start : start + step], fields_)
                pks = [row[-1] for row in rows]
                cursor.execute(sql, [*_columns(rows), min(pks), max(pks), *tail])
        return with_history

    # --- history ---------------------------------------------------------------------

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
            tracked.append((f.attname, _converter(f, self.connection, copy=self.copy)))
            columns.append(f.column)
        extra = []
        for name in ("history_date", "history_change_reason", "history_type", "history_user"):
            if name in own:
                columns.append(own[name].column)
                extra.append(name)
        self._tracked = tracked
        self._extra_names = extra
        self._history_head = "INSERT INTO {} ({}) VALUES ".format(
            qn(hmodel._meta.db_table), ", ".join(qn(c) for c in columns)
        )
        self._history_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
        self._history_step = max(1, min(self.batch_size, self._max_params // len(columns)))
        if self.copy:
            self._history_copy = "COPY {} ({}) FROM STDIN".format(
                qn(hmodel._meta.db_table), ", ".join(qn(c) for c in columns)
            )
        elif self.unnest:
            by_column = {f.column: f for f in hmodel._meta.concrete_fields}
            self._history_unnest = "{}SELECT * FROM UNNEST({})".format(
                self._history_head.replace(" VALUES ", " "),
                _unnest_args([by_column[c] for c in columns], self.connection),
            )
        date_field = own.get("history_date")
        self._history_date_value = (
            date_field.get_db_prep_save(self.history_date, self.connection) if date_field else None
        )
        # PostgreSQL: when every column the history tracks is a column of this table, the server writes a history
        # row from its row as stored (new rows after their COPY, changed rows from the UPDATE's RETURNING).
        if self.connection.vendor == "postgresql":
            model_columns = {f.attname: f.column for f in self.opts.concrete_fields}
            tracked_names = [a for a, _c in tracked]
            if set(tracked_names) <= set(model_columns):
                table = qn(self.opts.db_table)
                self._history_returning = ", ".join(f"{table}.{qn(model_columns[a])}" for a in tracked_names)
                casts = ", ".join(
                    # No length: a reason too long for its column fails as it would in a COPY, not cut short.
                    "CAST(%s AS {})".format(own[name].db_type(self.connection).split("(")[0])
                    for name in self._extra_names
                )
                head = "INSERT INTO {} ({})".format(qn(hmodel._meta.db_table), ", ".join(qn(c) for c in columns))
                extras = ", " + casts if casts else ""
                self._history_insert_select = f"{head} SELECT changed.*{extras} FROM changed"
                # The rows of one COPY by their ids (the BETWEEN lets the planner read only their range).
                pk_column = f"{table}.{qn(self.opts.pk.column)}"
                self._history_from_table = (
                    f"{head} SELECT {self._history_returning}{extras} FROM {table} "
                    f"WHERE {pk_column} BETWEEN %s AND %s AND {pk_column} = ANY(%s::bigint[])"
                )
        # When the history table tracks only the primary key and inserted columns (in any order),
        # a new row's converted values are reused for its history row.
        inserted = [self.pk_attname] + [a for a, _c in self.insert_converters]
        tracked_names = [a for a, _c in tracked]
        self._history_positions = (
            [inserted.index(a) for a in tracked_names] if set(tracked_names) <= set(inserted) else None
        )

    def _history_tail(self, history_type):
        extra_values = {
            "history_date": self._history_date_value,
            "history_change_reason": self.reason or None,
            "history_type": history_type,
            "history_user": self.user_id,
        }
        return tuple(extra_values[n] for n in self._extra_names)

    def _history_rows(self, objs, history_type):
        tail = self._history_tail(history_type)
        names = [attname for attname, _convert in self._tracked]
        converted = [(i, convert) for i, (_attname, convert) in enumerate(self._tracked) if convert is not None]
        get = itemgetter(*names) if len(names) > 1 else (lambda d: (d[names[0]],))
        rows = []
        for obj in objs:
            d = obj.__dict__
            try:
                values = list(get(d))
            except KeyError:  # a deferred field: read through the model
                values = [d[a] if a in d else getattr(obj, a) for a in names]
            for i, convert in converted:
                value = values[i]
                if value is not None:
                    values[i] = convert(value)
            rows.append((*values, *tail))
        return rows

    def write_history(self, objs, history_type, converted=None, copied=None):
        """The history rows of `objs`; `converted` (values of the INSERT) or `copied` (rows of the COPY, pk first)."""
        if self.history_model is None or not objs:
            return
        positions = self._history_positions
        if converted is not None and positions is not None:
            pk = self.pk_attname
            copied = [(obj.__dict__[pk], *values) for obj, values in zip(objs, converted, strict=True)]
        if copied is not None and positions is not None:
            tail = self._history_tail(history_type)
            rows = [(*[row[i] for i in positions], *tail) for row in copied]
        else:
            rows = self._history_rows(objs, history_type)
        if self.copy:
            with _array_cursor(self.connection) as cursor:
                cursor.copy_rows(self._history_copy, rows)
            return
        # Multi-row INSERTs: one statement per batch on both backends (executemany on
        # PostgreSQL would be a statement per row).
        step = self.batch_size if self.unnest else self._history_step
        full_sql = None
        with _array_cursor(self.connection) if self.unnest else self.connection.cursor() as cursor:
            for start in range(0, len(rows), step):
                chunk = rows[start : start + step]
                if self.unnest:
                    cursor.execute(self._history_unnest, _columns(chunk))
                    continue
                if len(chunk) == step and full_sql is not None:
                    sql = full_sql
                else:
                    sql = self._history_head + ", ".join([self._history_row] * len(chunk))
                    if len(chunk) == step:
                        full_sql = sql
                cursor.execute(sql, [v for row in chunk for v in row])
