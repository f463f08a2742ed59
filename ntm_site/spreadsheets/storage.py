"""Temporary import files in the database, shared by every process (IMPORT_EXPORT_TMP_STORAGE_CLASS).

django-import-export's default keeps the upload in the process's temp folder, so a confirm
served by another worker finds nothing. The database is the one store every worker shares.
"""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone
from import_export.tmp_storages import BaseStorage

KEEP_FOR = datetime.timedelta(days=1)


class DatabaseStorage(BaseStorage):
    """Stores the uploaded bytes in ntm_site.ImportFile; abandoned files go after a day."""

    def save(self, data):
        from ntm_site.models import ImportFile

        if isinstance(data, str):
            data = data.encode(self.encoding or "utf-8")
        if not self.name:
            self.name = uuid.uuid4().hex
        ImportFile.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
        ImportFile.objects.update_or_create(name=self.name, defaults={"data": bytes(data), "size": len(data)})

    def read(self):
        from ntm_site.models import ImportFile

        row = ImportFile.objects.filter(name=self.name).values_list("data", flat=True).first()
        if row is None:
            return None
        data = bytes(row)
        if "b" not in (self.read_mode or "rb"):
            return data.decode(self.encoding or "utf-8-sig")
        return data

    def take(self):
        """The stored bytes, removed in the caller's transaction (call it inside transaction.atomic()).

        The row stays locked until that transaction ends: of two confirms of one preview sent at
        the same moment (a double click, two workers), the second waits, then finds nothing.
        """
        from ntm_site.models import ImportFile

        data = ImportFile.objects.select_for_update().filter(name=self.name).values_list("data", flat=True).first()
        if data is None:
            return None
        ImportFile.objects.filter(name=self.name).delete()
        return bytes(data)

    def remove(self):
        from ntm_site.models import ImportFile

        ImportFile.objects.filter(name=self.name).delete()
