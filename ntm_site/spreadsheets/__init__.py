"""The spreadsheet engine every app imports and exports through.

Modules, from the bottom up:
    reader     workbook bytes -> sheets -> the header row -> data rows (calamine, CSV)
    sandbox    workbooks read by a child process with hard limits (parse_child.py, limits.py)
    widgets    Vietnamese cell values -> Python values (numbers, dates, yes/no, units, keys)
    resources  NtmResource: a model's columns, natural keys and row -> records hook
    engine     the bulk, all-or-nothing import of one workbook into one resource
    failures   the database failing under an import: one message for the file
    batches    an import's batch: running, then done or failed, even when its process was killed
    history    historical rows written in bulk for imported rows
    workbooks  templates, formatted exports and the error workbook (openpyxl)
    services   workbook_import(): the one entry point for admin, command and seeds; stored_file_import()
    admin      WorkbookImportExportMixin for model admins
"""
