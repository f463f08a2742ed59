"""django-import-export formats that write our formatted workbooks (export only; imports use the engine)."""

from import_export.formats import base_formats

from .workbooks import XLSX_CONTENT_TYPE, export_csv, export_xlsx


class WorkbookXLSX(base_formats.XLSX):
    """.xlsx with a title, a styled header, dates as dates and money as "#,##0" whole numbers."""

    CONTENT_TYPE = XLSX_CONTENT_TYPE

    def export_data(self, dataset, **kwargs):
        return export_xlsx(
            dataset.headers or [],
            dataset,
            title=getattr(dataset, "ntm_title", ""),
            number_formats=getattr(dataset, "ntm_number_formats", None),
        )

    def can_import(self):
        return False


class WorkbookCSV(base_formats.CSV):
    """.csv in UTF-8 with a BOM, text that would start a formula escaped, numbers as numbers."""

    CONTENT_TYPE = "text/csv; charset=utf-8"

    def export_data(self, dataset, **kwargs):
        return export_csv(dataset.headers or [], dataset)

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def can_import(self):
        return False


EXPORT_FORMATS = [WorkbookXLSX, WorkbookCSV]
