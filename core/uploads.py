"""Checks shared by every upload: size, empty file, type read from the content (never from the name).

`check_upload(upload, allowed=...)` returns the bytes, the detected type, the extension to store
the file under and a clean display name; it raises `TooLarge` / `ValidationFailed` on field "file".
Stored files get a random name (`random_name`): the uploader's name is only a display name.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.errors import TooLarge, ValidationFailed

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PDF = "application/pdf"
# Content type -> extension of the stored file.
IMAGES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
PDF_ONLY = {PDF: "pdf"}
OPENDOCUMENTS = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
}

DISPLAY_NAME_MAX = 150


@dataclass(frozen=True)
class CheckedUpload:
    data: bytes
    mime: str
    extension: str
    display_name: str


def too_large_error(max_bytes: int | None = None, *, field: str | None = "file") -> TooLarge:
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    return TooLarge(
        _("The file is too large (%(max)s MB at most).") % {"max": round(max_bytes / 1024 / 1024, 1)}, field=field
    )


def display_name(name: str | None, default: str = "file") -> str:
    """The uploader's file name without any folder, shortened: shown and offered on download only."""
    clean = PurePath((name or "").replace("\\", "/")).name.replace("\x00", "").strip()
    return clean[:DISPLAY_NAME_MAX] or default


def random_name(folder: str, extension: str) -> str:
    """A stored file name nobody can guess: FOLDER/<32 hex digits>.EXTENSION."""
    return f"{folder.strip('/')}/{secrets.token_hex(16)}.{extension}"


def check_size(size: int | None, *, max_bytes: int | None = None, field: str | None = "file") -> None:
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if size is None or size > max_bytes:
        raise too_large_error(max_bytes, field=field)
    if size == 0:
        raise ValidationFailed(_("The file is empty."), field=field)


def check_upload(
    upload: UploadedFile[bytes],
    *,
    allowed: Mapping[str, str],
    refused_message: StrOrPromise | None = None,
    max_bytes: int | None = None,
    field: str = "file",
) -> CheckedUpload:
    """Read UPLOAD and check it: not empty, not larger than MAX_BYTES, a type of ALLOWED (mime -> extension)."""
    check_size(upload.size, max_bytes=max_bytes, field=field)
    upload.seek(0)
    data = upload.read()
    check_size(len(data), max_bytes=max_bytes, field=field)
    guessed = filetype.guess(data)
    mime = guessed.mime if guessed else ""
    if mime == PDF and data.lstrip()[:5] != b"%PDF-":
        mime = ""
    if mime not in allowed:
        raise ValidationFailed(refused_message or _("This type of file is not accepted."), field=field)
    return CheckedUpload(data=data, mime=mime, extension=allowed[mime], display_name=display_name(upload.name))


__all__ = [
    "IMAGES",
    "OPENDOCUMENTS",
    "PDF",
    "PDF_ONLY",
    "CheckedUpload",
    "check_size",
    "check_upload",
    "display_name",
    "random_name",
    "too_large_error",
]
