"""NtmResource: the base of every import/export resource of the project.

A resource names its model, its columns (Vietnamese headers) and its natural key::

    @register
    class UnitResource(NtmResource):
        code = fields.Field(attribute="code", column_name=_("Mã đơn vị"), widget=CodeWidget())
        parent = fields.Field(attribute="parent", column_name=_("Mã đơn vị cấp trên"), widget=UnitWidget())

        class Meta:
            model = AdministrativeUnit
            import_id_fields = ("code", "valid_from")   # natural keys, never database ids
            fields = ("code", "name", "parent", "valid_from")
            template_slug = "units"
            template_title = _("Danh mục đơn vị hành chính")
            header_aliases = {"Mã đơn vị": ["Mã ĐVHC"]}
            hints = {"Mã đơn vị": "5 chữ số, ví dụ 18271"}

One row of the sheet usually makes one record. A row that holds several records (the
wide criteria workbook: one commune, nineteen criteria) overrides `import_records()` and
yields one dict per record; extra columns that are not fields are declared by overriding
`get_import_columns()`. See `import_records` below and docs in benchmarks/README.md.

Imports go through `ntm_site.spreadsheets.engine` (bulk, all-or-nothing, history in bulk),
never through django-import-export's row-by-row `import_row`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field

from django.conf import settings
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export import widgets as ie_widgets

from ntm_site.text import fold

from .errors import CellError, RowError, show_value
from .reader import header_keys
from .widgets import (
    ChoiceWidget,
    MoneyWidget,
    TextWidget,
    VNBooleanWidget,
    VNDateWidget,
    VNDecimalWidget,
    VNIntegerWidget,
)

MISSING = object()


@dataclass
class Column:
    """One column of the template: how it is written, matched, hinted and validated."""

    key: str  # the resource field name, or any identifier for extra (e.g. wide) columns
    name: str  # the header as printed in the template
    required: bool = False  # the header must be in the file
    aliases: tuple = ()
    hint: str = ""
    choices: list | None = None  # labels offered in a dropdown
    width: int | None = None
    number_format: str | None = None  # "#,##0" for money, "dd/mm/yyyy" for dates
    widget: object = None
    field: fields.Field | None = None
    match_keys: set = dc_field(default_factory=set)

    def __post_init__(self):
        keys = header_keys(self.name)
        for alias in self.aliases:
            keys |= header_keys(alias)
        self.match_keys = keys


class ImportRow:
    """One data row of the clerk's sheet, as a resource's `import_records()` sees it.

    `clean(key)` reads a column through its widget and returns the Python value, or
    None after recording the problem on the row (so every bad cell is reported, not
    only the first). `failed` tells whether anything went wrong in this row.
    """

    __slots__ = ("number", "sheet", "values", "columns", "errors", "resource", "skip_reason")

    def __init__(self, number, sheet, values, columns, resource):
        self.number = number
        self.sheet = sheet
        self.values = values  # column key -> raw cell value (only columns present in the file)
        self.columns = columns  # column key -> Column
        self.errors = []
        self.resource = resource
        self.skip_reason = None

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def has(self, key) -> bool:
        """Whether the file has this column at all (a missing column leaves the field as it was)."""
        return key in self.values

    def raw(self, key, default=None):
        return self.values.get(key, default)

    def clean(self, key, widget=None, required=False, **kwargs):
        """The value of column `key` read by its widget (or `widget`); None if blank or wrong."""
        value = self.values.get(key)
        column = self.columns.get(key)
        if widget is None:
            widget = column.widget if column is not None else None
        try:
            result = widget.clean(value, row=self, **kwargs) if widget is not None else value
        except CellError as e:
            self.error(key, e.expected, value)
            return None
        except ObjectDoesNotExist:  # stock ForeignKeyWidget
            self.error(key, _("không tìm thấy trong hệ thống."), value)
            return None
        except MultipleObjectsReturned:
            self.error(key, _("khớp nhiều dòng trong hệ thống; hãy ghi rõ hơn."), value)
            return None
        except ValidationError as e:
            self.error(key, "; ".join(e.messages), value)
            return None
        except (ValueError, TypeError, ArithmeticError) as e:
            self.error(key, str(e), value)
            return None
        if required and result in (None, ""):
            self.error(key, _("cần có giá trị."), value)
            return None
        return result

    def error(self, key, message, value=MISSING):
        """Record a problem with column `key` (None for the row as a whole)."""
        column = self.columns.get(key) if key is not None else None
        self.errors.append(
            RowError(
                row_number=self.number,
                message=message,
                column=str(column.name) if column is not None else (str(key) if key else ""),
                value=self.values.get(key) if value is MISSING else value,
                sheet=self.sheet,
                column_index=self.resource._column_positions.get(key) if key is not None else None,
            )
        )

    def skip(self, reason=""):
        """Leave this row out without an error (counted as skipped)."""
        self.skip_reason = reason or "skip"

    # Mapping-style access, so stock widgets that read `row[...]` keep working.
    def __getitem__(self, key):
        return self.values[key]

    def get(self, key, default=None):
        return self.values.get(key, default)

    def __contains__(self, key):
        return key in self.values


def _widget_for(django_field):
    """Our Vietnamese widgets for plain model fields."""
    if isinstance(django_field, models.DateTimeField):
        return None
    if isinstance(django_field, models.DateField):
        return VNDateWidget()
    if isinstance(django_field, models.BooleanField):
        return VNBooleanWidget()
    if getattr(django_field, "choices", None):
        return ChoiceWidget(django_field.choices)
    if isinstance(django_field, models.BigIntegerField):
        return VNIntegerWidget()
    if isinstance(django_field, models.IntegerField):
        positive = (models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField)
        low = 0 if isinstance(django_field, positive) else None
        return VNIntegerWidget(min_value=low)
    if isinstance(django_field, models.DecimalField):
        return VNDecimalWidget(decimal_places=django_field.decimal_places)
    if isinstance(django_field, models.CharField | models.TextField):
        return TextWidget(max_length=getattr(django_field, "max_length", None))
    return None


class NtmResource(resources.ModelResource):
    """Base of every import/export resource (see the module docstring).

    Meta options of ours, besides django-import-export's model / fields /
    import_id_fields / clean_model_instances:

    - template_slug: the name used by `import_workbook` and the template download
    - template_title: printed above the header in templates and exports
    - header_aliases: {header: [other spellings clerks use]}
    - hints: {header: "text of the hint row"}
    - required_columns: headers that must be present besides the key columns
    - allow_create / allow_update: False refuses rows whose key matches nothing / something
    - write_batch_size: rows per INSERT/UPDATE batch (default 2,000)
    """

    @classmethod
    def widget_from_django_field(cls, f, default=ie_widgets.Widget):
        return _widget_for(f) or super().widget_from_django_field(f, default)

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field_ = super().field_from_django_field(field_name, django_field, readonly)
        # Vietnamese headers by default: the model field's verbose name, capitalised.
        field_.column_name = str(django_field.verbose_name)[:1].upper() + str(django_field.verbose_name)[1:]
        return field_

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.context = kwargs
        self._column_positions = {}

    # --- options ---------------------------------------------------------------------

    @classmethod
    def option(cls, name, default=None):
        return getattr(cls._meta, name, default)

    @classmethod
    def get_template_slug(cls) -> str:
        return cls.option("template_slug") or cls._meta.model._meta.model_name

    @classmethod
    def get_template_title(cls) -> str:
        return str(cls.option("template_title") or cls._meta.model._meta.verbose_name_plural).upper()

    @classmethod
    def get_display_name(cls):
        return str(cls.option("template_title") or cls.__name__)

    @classmethod
    def get_file_stem(cls) -> str:
        """The template's name for a file, in Vietnamese without diacritics: "ket_qua_ho_tro_xa_cua_cac_co_quan"."""
        from django.utils.text import slugify

        from ntm_site.text import fold

        title = cls.option("template_title") or cls._meta.model._meta.verbose_name_plural
        # "/" parts words ("51/2025/QĐ-TTg" is 51_2025_qd_ttg, not 512025qd_ttg); a long title keeps whole words.
        words = slugify(fold(str(title)).replace("/", " ")).split("-")
        stem = words[0]
        for word in words[1:]:
            if len(stem) + 1 + len(word) > 60:
                break
            stem = f"{stem}_{word}"
        return stem

    def get_import_id_fields(self):
        return list(self._meta.import_id_fields)

    # --- columns ---------------------------------------------------------------------

    def get_import_columns(self) -> list[Column]:
        """The columns of the template, in order. Override to add columns that are not fields."""
        aliases = {fold(str(k)): v for k, v in (self.option("header_aliases") or {}).items()}
        hints = {fold(str(k)): v for k, v in (self.option("hints") or {}).items()}
        required_names = {fold(str(n)) for n in (self.option("required_columns") or ())}
        key_attrs = set(self.get_import_id_fields())
        columns = []
        order = list(self._meta.import_order or self._meta.fields or ())
        names = sorted(self.fields, key=lambda n: order.index(n) if n in order else len(order))
        for name in names:
            field_ = self.fields[name]
            if (field_.readonly and field_.attribute) or (field_.attribute and "__" in field_.attribute):
                continue
            if field_.attribute == "id" and "id" not in key_attrs:
                continue
            header = str(field_.column_name)
            folded = fold(header)
            # header_aliases and hints are keyed by the Vietnamese header: find them for an English one too.
            with translation.override(settings.LANGUAGE_CODE):
                vietnamese = fold(str(field_.column_name))
            widget = field_.widget
            choices = None
            if isinstance(widget, ChoiceWidget):
                choices = widget.labels
            elif isinstance(widget, VNBooleanWidget):
                choices = [str(widget.true_label), str(widget.false_label)]
            number_format = None
            if isinstance(widget, MoneyWidget):
                number_format = "#,##0"
            elif isinstance(widget, VNDateWidget):
                number_format = "dd/mm/yyyy"
            columns.append(
                Column(
                    key=name,
                    name=header,
                    required=field_.attribute in key_attrs or name in key_attrs or folded in required_names,
                    aliases=tuple(aliases.get(folded) or aliases.get(vietnamese, ())),
                    hint=str(hints.get(folded) or hints.get(vietnamese, "")),
                    choices=choices,
                    number_format=number_format,
                    widget=widget,
                    field=field_,
                )
            )
        return columns

    # --- the import hooks the engine calls -----------------------------------------------

    def prepare_import(self, *, dry_run: bool, user=None) -> None:
        """Called once before the first row: reset widget caches, load what every row needs."""
        for field_ in self.fields.values():
            prepare = getattr(field_.widget, "prepare", None)
            if prepare is not None:
                prepare(self)

    def import_records(self, row: ImportRow) -> Iterable[dict]:
        """The records (model attribute -> value) one sheet row holds.

        Default: one record from every field column present in the file. Override for
        rows holding several records (yield one dict per record, each with the key
        attributes) or to read extra columns; record problems with `row.clean()` /
        `row.error()`, leave a row out with `row.skip()`. Records of a row with errors
        are not written, and nothing is written if any row has errors.
        """
        record = {}
        for key, column in row.columns.items():
            if column.field is None or not column.field.attribute or key not in row.values:
                continue
            record[column.field.attribute] = row.clean(key)
        return [record]

    def get_queryset(self):
        return self._meta.model._default_manager.all()

    def import_guard(self, user):
        """What refuses rows outside the importing user's scope (None: nothing is refused).

        By default the project's scope (ntm_site.accounts.scope.ImportGuard): a district clerk's
        workbook holding another district's commune fails on that row and column.
        """
        from ntm_site.accounts.scope import ImportGuard

        return ImportGuard(user, self._meta.model)

    def prepare_instance(self, instance, record: dict, *, is_new: bool) -> None:
        """Last touch before a row is written (bulk writes skip `save()`): fill derived fields."""

    def prepare_chunk(self, records: list[dict], *, engine) -> None:
        """Called with each chunk of records (up to 5,000) before they are matched and written.

        The place to resolve or create, in bulk, rows the records hang from (set the
        attribute on each record); `engine.writer_for(Model)` writes them with history.
        Raise ValidationError to fail every row of the chunk.
        """

    def before_write(self, instance, record: dict, *, is_new: bool) -> None:
        """Called only for rows about to be written (new or changed): stamp who/when here."""

    def after_import_rows(self, report, *, dry_run: bool) -> None:
        """Called after the last row, inside the transaction (counts are final)."""

    # --- the preview, in the clerk's terms (ntm_site.spreadsheets.preview) ---------------------------

    @classmethod
    def preview_terms(cls):
        """What a row and a record are called: by default each row is one record, named as the model is.

        A wide sheet says PreviewTerms(record=_("kết quả"), row=_("xã"), item=_("tiêu chí")): the preview then
        explains "3 dòng = 3 xã × 19 tiêu chí = 57 kết quả" and lists its rows commune by commune.
        """
        from .preview import PreviewTerms

        return PreviewTerms(record=str(cls._meta.model._meta.verbose_name))

    def preview_label(self, row: ImportRow, record: dict | None) -> str:
        """What a row is, in a word, on the preview ("Xã Kỳ Tiến (18769), năm 2017"); called only for the rows
        shown, with the row's first record (None for a row refused before it had one). Default: its key cells."""
        keys = [k for k in self.get_import_id_fields() if k in row.values] or list(row.values)[:3]
        return " · ".join(show_value(row.raw(k)) for k in keys if row.raw(k) is not None)

    def preview_group(self, record: dict):
        """What the preview counts distinct rows by ("3 xã"): the commune of a wide sheet's record; None: rows."""
        return None

    # --- export ----------------------------------------------------------------------

    def get_export_columns(self) -> list[Column]:
        return list(self.get_import_columns())

    def export(self, queryset=None, **kwargs):
        # Native values (dates, whole numbers): our formats write them as real dates and numbers.
        kwargs.setdefault("force_native_type", True)
        dataset = super().export(queryset, **kwargs)
        # Formats of ours read these to write dates as dates and money as "#,##0" numbers.
        dataset.ntm_title = self.get_template_title()
        formats = {}
        for field_ in self.get_export_fields(kwargs.get("export_fields")):
            if isinstance(field_.widget, MoneyWidget):
                formats[str(field_.column_name)] = "#,##0"
            elif isinstance(field_.widget, VNDateWidget):
                formats[str(field_.column_name)] = "dd/mm/yyyy"
        dataset.ntm_number_formats = formats
        return dataset

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        """django-import-export's entry point, routed through our engine (a tablib Dataset in)."""
        from .engine import import_dataset

        return import_dataset(self, dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)
