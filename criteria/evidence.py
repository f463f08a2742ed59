"""Evidence files: what may be attached (by content, not by name) and where it is kept.

A file is accepted when its first bytes say it is a PDF, a JPEG or PNG picture, or a Word,
Excel or OpenDocument file, and when it is no larger than NTM_MAX_EVIDENCE_BYTES (15 MB by
default). It is stored through Django's storage API under a random name with the extension
of what it really is; the clerk's file name is kept beside it for display and download.
"""

from __future__ import annotations

import os
import uuid

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
HEAD_BYTES = 8192


def max_evidence_bytes() -> int:
    return int(getattr(settings, "NTM_MAX_EVIDENCE_BYTES", 15 * 1024 * 1024))


def inspect_upload(upload) -> tuple[str, str]:
    """(extension, content type) of an uploaded evidence file, or ValidationError saying why it is refused."""
    cap = max_evidence_bytes()
    if upload.size > cap:
        raise ValidationError(
            _("Tệp nặng {size} MB, vượt giới hạn {limit} MB cho mỗi minh chứng.").format(
                size=round(upload.size / (1024 * 1024), 1), limit=cap // (1024 * 1024)
            ),
            code="too_big",
        )
    if upload.size == 0:
        raise ValidationError(_("Tệp rỗng."), code="empty")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED:
        raise ValidationError(
            _(
                "Tệp “{name}” không phải PDF, ảnh JPG/PNG, Word, Excel hay OpenDocument "
                "(kiểm tra theo nội dung tệp, không theo đuôi tên)."
            ).format(name=os.path.basename(upload.name or "")),
            code="type",
        )
    return kind.extension, ALLOWED[kind.extension]


def stamp_upload(instance, upload) -> None:
    """Check `upload` and record on the evidence row what it is; the stored name follows (evidence_upload_to)."""
    extension, content_type = inspect_upload(upload)
    instance._evidence_extension = extension
    instance.file_name = os.path.basename(upload.name or "")[:255]
    instance.content_type = content_type
    instance.size = upload.size


def evidence_upload_to(instance, filename) -> str:
    """evidence/<year>/<random>.<what the content is>: never the clerk's own file name."""
    extension = getattr(instance, "_evidence_extension", None) or "bin"
    year = instance.commune_year.year if instance.commune_year_id else "khac"
    return f"evidence/{year}/{uuid.uuid4().hex}.{extension}"
