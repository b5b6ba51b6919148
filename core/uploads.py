"""Uploaded files: checked on the way in (extension, size, first bytes), served only through
permission-checked views (never from a public URL).

Files are stored under ``MEDIA_ROOT`` with a random name; the original name is kept on the row
for the download. ``MEDIA_ROOT`` is not served by any URL of ours.
"""

from __future__ import annotations

import mimetypes
import uuid
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

ZIP = b"PK\x03\x04"
# extension -> the first bytes a real file of that type starts with (None: text, checked apart)
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "webp": (b"RIFF",),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "pptx": (ZIP,),
    "odt": (ZIP,),
    "ods": (ZIP,),
    "odp": (ZIP,),
    "csv": None,
    "txt": None,
}
DOCUMENT_TYPES = (
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "odp",
    "csv",
    "txt",
)
IMAGE_TYPES = ("png", "jpg", "jpeg", "webp")


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def validate_upload(
    file: Any, *, allowed: Iterable[str] = DOCUMENT_TYPES, max_size: int | None = None
) -> None:
    """Refuse a file whose extension is not allowed, that is too big, or whose first bytes do
    not match its extension (a script renamed ``report.pdf``)."""
    allowed = tuple(allowed)
    max_size = max_size or settings.UPLOAD_MAX_SIZE
    extension = _extension(file.name)
    if extension not in allowed:
        raise ValidationError(
            _("This type of file is not accepted. Accepted: %(types)s.")
            % {"types": ", ".join(allowed)},
            code="file_type",
        )
    if file.size > max_size:
        raise ValidationError(
            _("The file is too big (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(max_size)},
            code="file_size",
        )
    if file.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    signatures = SIGNATURES[extension]
    if signatures is None:
        ok = b"\x00" not in head and _decodes(head)
    else:
        ok = head.startswith(signatures)
    if not ok:
        raise ValidationError(
            _("The content of the file does not match its extension (.%(ext)s).")
            % {"ext": extension},
            code="file_content",
        )


def _decodes(head: bytes) -> bool:
    for encoding in ("utf-8", "cp1252"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == "utf-8" and exc.start >= len(head) - 3:  # a character cut at 2 KB
                return True
            continue
        return True
    return False


@deconstructible
class UploadPath:
    """``upload_to`` for a FileField: ``<folder>/<workspace id>/<random>.<ext>``."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Any, filename: str) -> str:
        return f"{self.folder}/{instance.workspace_id}/{uuid.uuid4().hex}.{_extension(filename)}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadPath) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def serve(file: FieldFile, *, filename: str, inline: bool = False) -> FileResponse:
    """The stored file, for a view that has already checked who may read it."""
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        file.open("rb"), as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response
