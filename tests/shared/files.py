"""Small files for upload tests: the shortest PDF the checker accepts, an ODT text, and images made on the spot."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF = b"%PDF-1.4\n%%EOF\n"


def odt() -> bytes:
    """The smallest OpenDocument text the upload checker recognises: its mimetype entry first, then content."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<x/>")
    return buf.getvalue()


def image(fmt: str = "JPEG", size: tuple[int, int] = (20, 10), color: str = "blue") -> bytes:
    """An image of SIZE in one COLOR, encoded as FMT (a Pillow format name: JPEG, PNG…)."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def pdf_upload(name: str = "note.pdf", content_type: str = "text/plain") -> SimpleUploadedFile:
    """PDF as an uploaded file called NAME (the type a browser claims is not trusted: the content decides)."""
    return SimpleUploadedFile(name, PDF, content_type)
