"""WorkbookImportExportMixin: import, export and template download for any model admin.

@admin.register(Thing)
class ThingAdmin(WorkbookImportExportMixin, TrackedAdmin):
    resource_classes = [ThingResource]
"""

from import_export.admin import ImportExportMixin


class WorkbookImportExportMixin(ImportExportMixin):
    """Upload -> preview (counts and first rows) -> confirm, export of the filtered list, templates."""
