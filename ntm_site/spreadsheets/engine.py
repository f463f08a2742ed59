"""The import of one workbook into one resource: bulk, all-or-nothing, every error listed.

    read the sheets -> find the header row -> rows -> resource.import_records(row) -> records
    -> per chunk: one query for the existing rows by natural key -> new / changed / unchanged
    -> bulk INSERT / UPDATE with history rows (history.BulkWriter) -> next chunk

Everything runs in one transaction; if any row failed (or for a dry run) it is rolled back
at the end. Rows keep being read and written after the first error so that the clerk gets
every failing row at once, and rows that refer to rows earlier in the same file still work.
A database error in a batch is tracked down to its rows by retrying them one by one, unless
the database itself failed (a lost connection, a deadlock, a full disk: failures.py): then the
file gets one message, nothing is written, and the batch says failed.

The batch row is written before the import's transaction and marked done as that transaction's
last statement (batches.py), so a batch whose import ended any other way (an error, a process
killed halfway) is never left looking done, and its row survives the rollback.

On PostgreSQL, imports into one table take turns (a transaction-level advisory lock on the
model, `_take_turn()`), previews included: with several app processes, two clerks importing
the same communes and year at once would otherwise both insert the same new rows, and the
second would fail on the unique key (or deadlock) instead of updating what the first wrote.
The second waits for the first to commit, then reads its rows; after NTM_IMPORT_LOCK_WAIT
seconds of waiting it gives up with a message and writes nothing (`report.busy`).
"""

from __future__ import annotations

import datetime
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import compress
from operator import itemgetter, ne

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, OperationalError, connections, models, router, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ntm_site.fields import YearField
from ntm_site.text import fold
from ntm_site.value_lists import pks_of_keys

from . import batches
from .errors import WorkbookError, show_value
from .failures import OTHER, DatabaseFailure, classify, failure_of
from .history import BulkWriter, InstanceFactory
from .preview import REFUSED, SKIPPED, ImportPreview, PreviewRow, PreviewTerms, kind_of
from .reader import (
    Sheet,
    fill_merged_down,
    find_header,
    is_numbering_row,
    is_total_row,
    limit,
    read_sheets,
)
from .resources import ImportRow

PREVIEW_ROWS = 10  # rows shown of each kind (new, changed, unchanged, refused, skipped)
# What an xlsx cannot hold (tab, line feed and carriage return it can).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CHUNK_RECORDS = 5000
IN_BATCH = 900  # values per IN (...) list: under SQLite's historical 999-parameter limit
LOCK_NAMESPACE = 0x4E544D  # "NTM": the first key of the advisory locks of imports


@dataclass
class ImportReport:
    """What an import did or would do: counts, the rows by kind (`preview`), every error."""

    template: str
    model_label: str = ""
    file_name: str = ""
    dry_run: bool = False
    file_format: str = ""
    sheet: str = ""
    header_row: int = 0
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list = field(default_factory=list)
    error_rows: set = field(default_factory=set)
    fatal: str = ""
    busy: bool = False  # another import into the same table held it too long: nothing done, try again
    database_failure: str = ""  # the database failed under the import (failures.py): nothing written, try again
    preview: ImportPreview = field(default_factory=lambda: ImportPreview(PreviewTerms(record="")))
    batch_id: int | None = None
    seconds: float = 0.0
    header_labels: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.fatal

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def error_count(self) -> int:
        return len(self.errors)

    @property
    def counts(self) -> dict:
        return {
            "new": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": len(self.errors) + (1 if self.fatal else 0),
        }

    def summary(self) -> str:
        text = _(
            "{rows} dòng dữ liệu: {new} thêm mới, {updated} cập nhật, {unchanged} không đổi, {skipped} bỏ qua, "
            "{errors} lỗi."
        ).format(rows=self.rows, **self.counts)
        return str(text)

    def error_lines(self, limit_: int | None = None) -> list[str]:
        lines = [self.fatal] if self.fatal else []
        errors = self.errors if limit_ is None else self.errors[:limit_]
        return lines + [str(e) for e in errors]

    # django-import-export's Result vocabulary, for code written against it.
    def has_errors(self) -> bool:
        return not self.ok

    def has_validation_errors(self) -> bool:
        return False

    @property
    def totals(self) -> dict:
        return {
            "new": self.created,
            "update": self.updated,
            "skip": self.skipped + self.unchanged,
            "delete": 0,
            "error": len(self.errors),
            "invalid": 0,
        }


@dataclass(slots=True)
class _Item:
    record: dict
    key: tuple
    row: ImportRow
    action: str = ""  # "new", "updated" or "unchanged" once its chunk is written


def workbook_language(sheets: list[Sheet], resource) -> str | None:
    """The language the workbook's headers are written in: the reader's, else Vietnamese.

    Templates and exports follow the interface language, but the clerks' own workbooks are in
    Vietnamese: someone who switched the admin to English still imports them (headers, choices and
    the messages about their cells are then read in Vietnamese too).
    """
    current = translation.get_language()
    if not current or current == settings.LANGUAGE_CODE or _has_header(sheets, resource):
        return current
    with translation.override(settings.LANGUAGE_CODE):
        if _has_header(sheets, resource):
            return settings.LANGUAGE_CODE
    return current


def _has_header(sheets, resource) -> bool:
    columns = resource.get_import_columns()
    try:
        find_header(sheets, columns, [c.key for c in columns if c.required])
    except WorkbookError:
        return False
    return True


class ImportEngine:
    """Runs one import; use `workbook_import()` (services) rather than this class directly."""

    def __init__(
        self, resource, *, dry_run=False, user=None, file_name="", progress: Callable | None = None, batch=None
    ):
        self.resource = resource
        # The "running" batch a caller opened before its own transaction (the admin's confirm), else one of ours.
        self.batch = batch
        self.model = resource._meta.model
        self.opts = self.model._meta
        self.dry_run = dry_run
        self.user = user if getattr(user, "pk", None) else None
        self.file_name = file_name
        self.progress = progress
        self.report = ImportReport(
            template=resource.get_template_slug(),
            model_label=self.opts.label,
            file_name=file_name,
            dry_run=dry_run,
            preview=ImportPreview(resource.preview_terms(), limit=PREVIEW_ROWS),
        )
        self.key_attrs = list(resource.get_import_id_fields())
        self.fields_by_attr = {}
        for f in self.opts.concrete_fields:
            self.fields_by_attr[f.name] = f
            self.fields_by_attr[f.attname] = f
        self.key_fields = [self.fields_by_attr[a] for a in self.key_attrs]
        self.batch_size = resource.option("write_batch_size") or 2000
        self.seen = {}
        self.max_cell_chars = limit("NTM_MAX_CELL_CHARS", 5000)
        self._factory = InstanceFactory(self.model)

    # --- entry points ----------------------------------------------------------------

    def run(self, data: bytes) -> ImportReport:
        started = time.monotonic()
        try:
            fmt, sheets = read_sheets(data, self.file_name)
            self.report.file_format = fmt
            self.run_sheets(sheets)
        except WorkbookError as e:
            self.fail(e)
        self.report.seconds = time.monotonic() - started
        return self.report

    def fail(self, error: WorkbookError) -> ImportReport:
        """The whole file refused with one message (and, for a real import, its batch marked failed)."""
        self.report.fatal = str(error)
        if isinstance(error, DatabaseFailure):
            self.report.database_failure = error.kind
        if not self.dry_run:
            self._log_failure()
        return self.report

    def run_sheets(self, sheets: list[Sheet]) -> ImportReport:
        with translation.override(workbook_language(sheets, self.resource)):
            return self._run_sheets(sheets)

    def _run_sheets(self, sheets: list[Sheet]) -> ImportReport:
        resource = self.resource
        columns = resource.get_import_columns()
        self.columns = {c.key: c for c in columns}
        header = find_header(sheets, columns, [c.key for c in columns if c.required])
        self.header = header
        resource._column_positions = dict(header.columns)
        self.report.sheet = header.sheet.name
        self.report.header_row = header.row_number
        self.report.header_labels = {k: header.labels[k] for k in header.columns}
        try:
            self._write_sheet(header)
        except DatabaseError as e:
            raise self._database_failure(e) from e
        if self.report.errors and not self.dry_run:
            self._log_failure()
        return self.report

    def _write_sheet(self, header):
        resource = self.resource
        resource.prepare_import(dry_run=self.dry_run, user=self.user)
        # Who may write which rows (ntm_site.accounts.scope): asked about every chunk before it is written.
        self.guard = resource.import_guard(self.user)
        using = router.db_for_write(self.model)
        if not self.dry_run and self.batch is None:
            self.batch = batches.start_batch(
                model=self.model, template=self.report.template, file_name=self.file_name, user=self.user
            )
        batch = None if self.dry_run else self.batch
        if batch is not None:
            self.report.batch_id = batch.pk
        with transaction.atomic(using=using):
            if batch is not None:
                batches.hold_batch(batch)
            self._take_turn(using)
            reason = batch.change_reason if batch else ""
            self.writer = BulkWriter(
                self.model, user=self.user, reason=reason, history=not self.dry_run, batch_size=self.batch_size
            )
            self._read_rows(header)
            resource.after_import_rows(self.report, dry_run=self.dry_run)
            self._name_related_rows()  # before a dry run is rolled back: rows of this file are still there
            if self.report.errors or self.dry_run:
                transaction.set_rollback(True, using=using)
            elif batch is not None:
                self._finish_batch(batch)

    def _database_failure(self, error) -> DatabaseFailure:
        """The database failed under the import: one message for the file, no row blamed, nothing counted."""
        failure = failure_of(error) or DatabaseFailure(OTHER, error)
        r = self.report
        r.errors, r.error_rows = [], set()
        r.created = r.updated = r.unchanged = 0
        r.preview.clear()
        return failure

    def _raise_if_failure(self, error) -> None:
        """A failure of the database itself is not tracked down to rows: every later row would fail too."""
        if classify(error) is not None:
            raise error

    def _take_turn(self, using):
        """Waits (NTM_IMPORT_LOCK_WAIT seconds at most) until no other import into this table is running.

        PostgreSQL only: SQLite lets one writer in at a time anyway. The lock goes with the transaction.
        """
        connection = connections[using]
        if connection.vendor != "postgresql":
            return
        wait = limit("NTM_IMPORT_LOCK_WAIT", 25)
        try:
            with transaction.atomic(using=using), connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('lock_timeout')")
                (previous,) = cursor.fetchone()
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{max(1, wait) * 1000}ms"])
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", import_lock(self.model))
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
        except OperationalError as e:
            if getattr(e.__cause__, "sqlstate", None) != "55P03":  # lock_not_available
                raise
            self.report.busy = True
            raise WorkbookError(
                _(
                    "Một lần nhập khác vào {what} đang chạy và chưa xong sau {seconds} giây; chưa ghi gì. "
                    "Hãy thử lại sau ít phút."
                ).format(what=self.opts.verbose_name_plural, seconds=wait)
            ) from e

    # --- rows ------------------------------------------------------------------------

    def _read_rows(self, header):
        sheet = header.sheet
        positions = list(header.columns.items())
        fill = fill_merged_down(sheet, header) if sheet.merged else {}
        hints = {k: fold(str(self.columns[k].hint)) for k, _ in positions if self.columns[k].hint}
        pending = []
        total = len(sheet.rows) - header.index - 1
        first = True
        done = 0
        for number, cells in sheet.numbered_rows(header.index + 1):
            done += 1
            if self.progress and done % 1000 == 0:
                self.progress(done, total, self.written_rows)
            width = len(cells)
            values = {}
            for key, pos in positions:
                value = cells[pos] if pos < width else None
                if value is None and fill:
                    value = fill.get((number - sheet.first_row, pos))
                    if isinstance(value, str):
                        value = value.strip() or None
                if value is not None:
                    values[key] = value
            if not values:
                continue  # blank row (or one holding only columns we do not read)
            if first:
                first = False
                if is_numbering_row(cells) or (hints and _is_hint_row(values, hints)):
                    continue
            if is_total_row(cells):
                continue
            # A column of the template that exists in the file but is empty in this row: present as None.
            for key, _pos in positions:
                values.setdefault(key, None)
            self.report.rows += 1
            row = ImportRow(number, sheet.name, values, self.columns, self.resource)
            for key, value in values.items():
                if not isinstance(value, str):
                    continue
                if len(value) > self.max_cell_chars:
                    row.error(
                        key,
                        _("ô dài {n} ký tự, vượt giới hạn {limit}.").format(n=len(value), limit=self.max_cell_chars),
                    )
                control = CONTROL_CHARACTERS.search(value)
                if control:
                    # NUL and the like (Excel's _x0000_ escapes): no clerk types them, no xlsx can hold them.
                    row.error(
                        key,
                        _("ô chứa ký tự điều khiển không in được (mã {code}); hãy xóa ký tự đó.").format(
                            code=f"U+{ord(control.group()):04X}"
                        ),
                    )
            if row.errors:
                self._add_errors(row)
                continue
            try:
                records = list(self.resource.import_records(row) or ())
            except ValidationError as e:
                for message in e.messages:
                    row.error(None, message)
                records = []
            if row.skip_reason and not row.errors:
                self.report.skipped += 1
                self._preview_left_out(SKIPPED, row, str(row.skip_reason))
                continue
            if not row.errors:
                items = self._items(row, records)
            if row.errors:
                self._add_errors(row)
                continue
            pending.extend(items)
            if len(pending) >= CHUNK_RECORDS:
                self._flush(pending)
                pending = []
                if self.progress:
                    self.progress(done, total, self.written_rows)
        if pending:
            self._flush(pending)
        if self.progress:
            self.progress(total, total, self.written_rows)

    @property
    def written_rows(self) -> int:
        """Sheet rows written so far (inside the import's transaction): those read, less pending, failed, skipped."""
        return getattr(self, "_written_rows", 0)

    def _items(self, row, records):
        items = []
        keys_in_row = set()
        for record in records:
            key = []
            for attr, f in zip(self.key_attrs, self.key_fields, strict=True):
                value = record.get(attr)
                if isinstance(value, models.Model):
                    value = value.pk
                if value is None and not f.null:
                    column = self._column_of(attr)
                    if column is None or column in row.values:
                        row.error(column, _("cần có giá trị (thuộc khóa nhận diện dòng)."))
                    else:
                        row.error(None, _("thiếu giá trị “{field}”.").format(field=f.verbose_name))
                    return []
                key.append(value)
            key = tuple(key)
            earlier = self.seen.get(key)
            if earlier is not None and key not in keys_in_row:
                row.error(
                    None,
                    _("trùng với dòng {row}: cùng {what} đã có trong tệp.").format(
                        row=earlier, what=", ".join(str(f.verbose_name) for f in self.key_fields)
                    ),
                )
                return []
            keys_in_row.add(key)
            self.seen[key] = row.number
            items.append(_Item(record, key, row))
        return items

    def _column_of(self, attr):
        for key, column in self.columns.items():
            if column.field is not None and column.field.attribute == attr:
                return key
        # A model field filled from several columns (an assignment from decision, organisation and commune) is
        # reported at the column the resource names for it, so a refusal names a column and its value.
        named = getattr(self.resource, "columns_of_attributes", {}).get(attr)
        if named is not None:
            for key, column in self.columns.items():
                if column.field is not None and column.field is self.resource.fields.get(named):
                    return key
        return None

    def _display(self, record):
        """A record as the preview shows it: labels of choices, dates as 15/08/2016, 10.000.000, related rows by
        name (a bare id is named by `_name_related_rows()`, one query per related table for all shown rows)."""
        from ntm_site.forms import vn_number

        out = {}
        for attr, value in record.items():
            f = self.fields_by_attr.get(attr)
            label = str(f.verbose_name)[:1].upper() + str(f.verbose_name)[1:] if f is not None else attr
            if value is None:
                value = ""
            elif f is not None and f.flatchoices:
                value = str(dict(f.flatchoices).get(value, value))
            elif f is not None and f.is_relation and not isinstance(value, models.Model):
                value = _RelatedRow(f.related_model, value)
            elif isinstance(value, datetime.date):
                value = value.strftime("%d/%m/%Y")
            elif isinstance(value, Decimal | int) and not isinstance(value, bool) and not isinstance(f, YearField):
                value = vn_number(value, getattr(f, "decimal_places", 0) or 0)
            else:
                value = str(value)
            out[label] = value
        return out

    def _name_related_rows(self):
        """Name the related rows the shown records hold only by id (an assignment of a support record)."""
        wanted = {}
        rows = [row for shown in self.report.preview.shown.values() for row in shown]
        for row in rows:
            for value in row.values.values():
                if isinstance(value, _RelatedRow):
                    wanted.setdefault(value.model, set()).add(value.pk)
        names = {}
        for model, pks in wanted.items():
            found = model._default_manager.select_related().in_bulk(list(pks))
            names.update({(model, pk): str(obj) for pk, obj in found.items()})
        for row in rows:
            for key, value in row.values.items():
                if isinstance(value, _RelatedRow):
                    row.values[key] = names.get((value.model, value.pk), str(value.pk))

    def _add_errors(self, row, records=()):
        if row.number not in self.report.error_rows:
            self._preview_left_out(REFUSED, row, _refusal_reason(row.errors), records)
        self.report.errors.extend(row.errors)
        self.report.error_rows.add(row.number)
        row.errors = []

    # --- the preview: rows by kind (ntm_site.spreadsheets.preview) --------------------------------

    def _preview_left_out(self, kind, row, reason, records=()):
        preview = self.report.preview
        shown = None
        if preview.wants(kind):
            record = next(iter(records), None)
            shown = PreviewRow(row.number, self.resource.preview_label(row, record), reason=reason)
        preview.count(kind, row=shown)

    def _preview_chunk(self, items):
        """Count the chunk's rows by what was done with their records (all written or refused by now).

        The report's counts are those of the rows without errors, so they add up with the preview's rows: the
        records of a row refused in part (one result of an approved sheet) are not counted as written.
        """
        report = self.report
        preview, resource, refused = report.preview, self.resource, report.error_rows
        by_row = {}
        for item in items:
            if item.row.number in refused:
                continue
            position = _ACTION_POSITION.get(item.action)
            if position is None:
                continue  # not written (its row was refused)
            tally = by_row.get(item.row.number)
            if tally is None:
                tally = by_row[item.row.number] = [item, 0, 0, 0]
            tally[position] += 1
        single = not preview.wide
        for first, new, updated, unchanged in by_row.values():
            report.created, report.updated, report.unchanged = (
                report.created + new,
                report.updated + updated,
                report.unchanged + unchanged,
            )
            kind = kind_of(new, updated, unchanged)
            shown = None
            if preview.wants(kind):
                shown = PreviewRow(
                    first.row.number,
                    resource.preview_label(first.row, first.record),
                    values=self._display(first.record) if single else {},
                    new=new,
                    updated=updated,
                    unchanged=unchanged,
                )
            preview.count(
                kind, records=new + updated + unchanged, group=resource.preview_group(first.record), row=shown
            )

    # --- writing ---------------------------------------------------------------------

    def _load_existing(self, keys):
        """Existing rows for these natural keys.

        PostgreSQL: one query, the keys bound as one array per key column and matched exactly
        (`value_lists.pks_of_keys`). Elsewhere (or with a NULL in a key): one query per IN-batch of
        the widest key field.
        """
        if not keys:
            return {}
        attnames = [f.attname for f in self.key_fields]
        qs = self.resource.get_queryset()
        # Plain tuples turned into instances directly: Model.__init__ per row costs more than the query.
        columns = [f.attname for f in self.opts.concrete_fields]
        positions = [columns.index(a) for a in attnames]
        make = self._factory.from_db
        key_of = itemgetter(*positions) if len(positions) > 1 else (lambda values, p=positions[0]: (values[p],))
        matching = pks_of_keys(self.model, attnames, keys)
        if matching is not None:
            qs = qs.filter(pk__in=matching)
            if self._key_is_unique():
                qs = qs.order_by()  # one row per key: the list's ordering (joins, a sort) decides nothing
            return {key_of(values): make(columns, values) for values in qs.values_list(*columns)}
        sets = [set() for _ in attnames]
        for key in keys:
            for i, value in enumerate(key):
                sets[i].add(value)
        widest = max(range(len(sets)), key=lambda i: len(sets[i]))
        base = Q()
        for i, attname in enumerate(attnames):
            if i == widest:
                continue
            base &= _in_q(attname, sets[i])
        found = {}
        wide_values = list(sets[widest])
        for start in range(0, len(wide_values), IN_BATCH):
            part = wide_values[start : start + IN_BATCH]
            for values in qs.filter(base & _in_q(attnames[widest], part)).values_list(*columns):
                found[key_of(values)] = make(columns, values)
        return found

    def _key_is_unique(self) -> bool:
        """Whether the database holds at most one row per natural key (a unique constraint on its fields)."""
        names = {f.name for f in self.key_fields}
        together = [set(fields) for fields in self.opts.unique_together]
        together += [set(c.fields) for c in self.opts.total_unique_constraints]
        together += [{f.name} for f in self.key_fields if f.unique]
        return any(fields <= names for fields in together)

    def writer_for(self, model) -> BulkWriter:
        """A BulkWriter for another model, writing history with this import's user and batch.

        For resources that create related rows in `prepare_chunk()` (e.g. the commune-year
        sheet each assessment hangs from).
        """
        return BulkWriter(
            model,
            user=self.user,
            reason=self.writer.reason,
            history=not self.dry_run,
            batch_size=self.batch_size,
        )

    def _flush(self, items):
        self._flush_chunk(items)
        # Every row read so far is now written, failed or skipped (the progress a background import shows).
        self._written_rows = max(0, self.report.rows - len(self.report.error_rows) - self.report.skipped)

    def _flush_chunk(self, items):
        resource = self.resource
        prepare_chunk = getattr(resource, "prepare_chunk", None)
        if prepare_chunk is not None:
            try:
                with transaction.atomic(using=self.writer.using):
                    prepare_chunk([item.record for item in items], engine=self)
            except ValidationError as e:
                for item in items:
                    self._validation_error(e, item.row)
                return
            except DatabaseError as e:
                self._raise_if_failure(e)
                # The rows these hang from were refused (say a commune-year that someone saved in a form
                # meanwhile): every sheet row of the chunk fails with the database's reason, nothing is written.
                for row in {id(item.row): item.row for item in items}.values():
                    self._db_error(row, e)
                return
        existing = self._load_existing([item.key for item in items])
        allow_create = resource.option("allow_create", True)
        allow_update = resource.option("allow_update", True)
        clean = resource._meta.clean_model_instances
        concrete = [f.attname for f in self.opts.concrete_fields]
        fk_attr = {name: f.attname for name, f in self.fields_by_attr.items() if f.is_relation}
        creates, updates = [], {}
        factory = self._factory
        for item in items:
            row = item.row
            obj = existing.get(item.key)
            if obj is None:
                if not allow_create:
                    row.error(
                        None, _("không có {what} nào khớp khóa này để cập nhật.").format(what=self.opts.verbose_name)
                    )
                    self._add_errors(row)
                    continue
                kwargs = {}
                for attr, value in item.record.items():
                    attname = fk_attr.get(attr)
                    if attname is not None and attr != attname:
                        kwargs[attname] = value.pk if isinstance(value, models.Model) else value
                    else:
                        kwargs[attr] = value
                obj = factory(kwargs)
                if not self._prepare(obj, item, is_new=True) or (clean and not self._full_clean(obj, row)):
                    continue
                resource.before_write(obj, item.record, is_new=True)
                creates.append((obj, item))
                continue
            if not allow_update:
                row.error(None, _("{what} này đã có.").format(what=self.opts.verbose_name))
                self._add_errors(row)
                continue
            d = obj.__dict__
            before = list(map(d.get, concrete))
            for attr, value in item.record.items():
                attname = fk_attr.get(attr)
                if attname is not None:
                    d[attname] = value.pk if isinstance(value, models.Model) else value
                    if attr != attname:
                        obj._state.fields_cache.pop(attr, None)
                else:
                    d[attr] = value
            if not self._prepare(obj, item, is_new=False):
                continue
            changed = _changed(concrete, before, d)
            if not changed:
                item.action = "unchanged"
                continue
            if clean and not self._full_clean(obj, row):
                continue
            resource.before_write(obj, item.record, is_new=False)
            changed = _changed(concrete, before, d)
            updates.setdefault(changed, []).append((obj, item))
        creates, updates = self._refuse_out_of_scope(creates, updates)
        self._write(creates, updates)
        self._preview_chunk(items)

    def _refuse_out_of_scope(self, creates, updates):
        """Rows the user may not write (another district's commune, an approved year) fail with row and column."""
        if self.guard is None:
            return creates, updates
        changed = [obj for pairs in updates.values() for obj, _item in pairs]
        refusals = self.guard.refusals([obj for obj, _item in creates], changed)
        if not refusals:
            return creates, updates
        reported = set()
        for obj, item in [*creates, *((o, i) for pairs in updates.values() for o, i in pairs)]:
            problems = refusals.get(id(obj))
            if problems and item.row.number not in reported:  # once per sheet row, however many records it holds
                reported.add(item.row.number)
                self._validation_error(ValidationError(problems), item.row, item.record)
        creates = [(o, i) for o, i in creates if id(o) not in refusals]
        updates = {
            k: kept for k, pairs in updates.items() if (kept := [(o, i) for o, i in pairs if id(o) not in refusals])
        }
        return creates, updates

    def _prepare(self, obj, item, *, is_new):
        try:
            self.resource.prepare_instance(obj, item.record, is_new=is_new)
        except ValidationError as e:
            self._validation_error(e, item.row, item.record)
            return False
        return True

    def _validation_error(self, error, row, record=None):
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                key = self._column_of(name) if name != "__all__" else None
                for message in messages:
                    row.error(key, message)
        else:
            for message in error.messages:
                row.error(None, message)
        self._add_errors(row, [record] if record is not None else ())

    def _full_clean(self, obj, row):
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as e:
            self._validation_error(e, row)
            return False
        return True

    def _write(self, creates, updates):
        using = self.writer.using
        try:
            with transaction.atomic(using=using):
                if creates:
                    self.writer.create([obj for obj, _item in creates])
                for attnames, pairs in updates.items():
                    self.writer.update([obj for obj, _item in pairs], list(attnames))
        except DatabaseError as e:
            self._raise_if_failure(e)
            # Find the rows the database refused, one by one (each in its own savepoint).
            self._write_one_by_one(creates, updates)
            return
        self._mark_written(creates, updates)

    def _write_one_by_one(self, creates, updates):
        using = self.writer.using
        ok_creates, ok_updates = [], {}
        for obj, item in creates:
            try:
                with transaction.atomic(using=using):
                    self.writer.create([obj])
                ok_creates.append((obj, item))
            except DatabaseError as e:
                self._raise_if_failure(e)
                self._db_error(item.row, e)
        for attnames, pairs in updates.items():
            for obj, item in pairs:
                try:
                    with transaction.atomic(using=using):
                        self.writer.update([obj], list(attnames))
                    ok_updates.setdefault(attnames, []).append((obj, item))
                except DatabaseError as e:
                    self._raise_if_failure(e)
                    self._db_error(item.row, e)
        self._mark_written(ok_creates, ok_updates)

    def _db_error(self, row, error):
        text = str(error)
        message = None
        for constraint in self.opts.constraints:
            if constraint.name in text:
                message = constraint.get_violation_error_message()
        if message is None:
            message = _("cơ sở dữ liệu không nhận dòng này ({error}).").format(error=text.splitlines()[0][:200])
        row.error(None, message)
        self._add_errors(row)

    @staticmethod
    def _mark_written(creates, updates):
        for _obj, item in creates:
            item.action = "new"
        for pairs in updates.values():
            for _obj, item in pairs:
                item.action = "updated"

    # --- the batch -------------------------------------------------------------------

    def _finish_batch(self, batch):
        """The last statement of the import's transaction: "done" commits with the rows, or not at all."""
        batches.finish_batch(batch, self.report)

    def _log_failure(self):
        """The batch marked failed with the first errors (None when the connection cannot write it now)."""
        r = self.report
        batch = batches.fail_batch(
            self.batch,
            template=r.template,
            model=self.model,
            file_name=self.file_name,
            user=self.user,
            rows=r.rows,
            errors=len(r.errors) + (1 if r.fatal else 0),
            summary="\n".join(r.error_lines(50)),
        )
        if batch is not None:
            self.batch = batch
        r.batch_id = batch.pk if batch is not None else (self.batch.pk if self.batch is not None else None)
        return batch


_ACTION_POSITION = {"new": 1, "updated": 2, "unchanged": 3}


@dataclass(frozen=True, slots=True)
class _RelatedRow:
    """A related row a shown record holds by id only, named once the run is over."""

    model: type
    pk: object

    def __str__(self):
        return str(self.pk)


def _refusal_reason(errors) -> str:
    """Why a row is refused, for the preview's list: its first problem (the error table has them all)."""
    if not errors:
        return ""
    first = errors[0]
    text = first.message
    if first.column:
        text = _("cột “{column}”: {message}").format(column=first.column, message=first.message)
    if len(errors) > 1:
        text = _("{reason} (và {n} lỗi khác trong dòng)").format(reason=text, n=len(errors) - 1)
    return str(text)


def import_lock(model) -> tuple[int, int]:
    """The two int4 keys of the PostgreSQL advisory lock that imports into `model` take turns on."""
    return LOCK_NAMESPACE, zlib.crc32(model._meta.label_lower.encode()) - 2**31


def _changed(attnames, before, d) -> tuple:
    """The attnames whose value in `d` differs from `before` (their values in the same order)."""
    return tuple(compress(attnames, map(ne, map(d.get, attnames), before)))


def _in_q(attname, values):
    values = set(values)
    has_null = None in values
    values.discard(None)
    q = Q(**{f"{attname}__in": list(values)}) if values else Q(pk__in=[])
    if has_null:
        q |= Q(**{f"{attname}__isnull": True})
    return q


def _is_hint_row(values, hints):
    """The template's own hint row (kept by clerks who filled the template in)."""
    matched = 0
    for key, value in values.items():
        hint = hints.get(key)
        if hint is None or fold(str(value)) != hint:
            return False
        matched += 1
    return matched > 0


def import_dataset(resource, dataset, *, dry_run=False, raise_errors=False, user=None, file_name="", **kwargs):
    """A tablib Dataset through the engine (django-import-export's `import_data` entry point)."""
    rows = [list(dataset.headers or [])] + [list(r) for r in dataset]
    engine = ImportEngine(resource, dry_run=dry_run, user=user, file_name=file_name or "")
    try:
        engine.run_sheets([Sheet(name=dataset.title or "Dataset", rows=rows)])
    except WorkbookError as e:
        engine.report.fatal = str(e)
    if raise_errors and not engine.report.ok:
        raise WorkbookError("\n".join(engine.report.error_lines(20)))
    return engine.report


__all__ = ["ImportEngine", "ImportReport", "import_dataset", "show_value"]
