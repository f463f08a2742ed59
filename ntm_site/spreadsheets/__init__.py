"""The spreadsheet engine every app imports and exports through.

Modules, from the bottom up:
    reader     workbook bytes -> sheets -> the header row -> data rows (calamine, CSV)
    widgets    Vietnamese cell values -> Python values (numbers, dates, yes/no, units, keys)
    resources  NtmResource: a model's columns, natural keys and row -> records hook
    engine     the bulk, all-or-nothing import of one workbook into one resource
    history    historical rows written in bulk for imported rows
    workbooks  templates, formatted exports and the error workbook (openpyxl)
    services   workbook_import(): the one entry point for admin, command and seeds
    admin      WorkbookImportExportMixin for model admins
"""
