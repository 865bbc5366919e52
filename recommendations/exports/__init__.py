"""Exports of a dossier document to every format; each format renders `DossierDocument` only.

    write_export(document, "pdf", fileobj)      # any format, to a binary file object
    stream_export(document, "csv")              # CSV and JSON only: an iterator of bytes
    export_response(document, "pdf")            # the download, for the page and the API alike

Every format is reproducible: the same dossier gives the same bytes (timestamps and
metadata come from `document.generated_at`, ZIP entries are written in a fixed order with a
fixed date).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import translation

from recommendations.document import DossierDocument
from recommendations.exports import csv_export, docx_export, json_export, odt_export, pdf_export, xlsx_export


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    extension: str
    content_type: str
    write: Callable[[DossierDocument, BinaryIO], None]
    stream: Callable[[DossierDocument], Iterator[bytes]] | None = None


FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("pdf", "PDF", "pdf", "application/pdf", pdf_export.write),
        ExportFormat("odt", "ODT", "odt", "application/vnd.oasis.opendocument.text", odt_export.write),
        ExportFormat(
            "docx",
            "DOCX",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            docx_export.write,
        ),
        ExportFormat(
            "xlsx",
            "XLSX",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            xlsx_export.write,
        ),
        ExportFormat("csv", "CSV", "csv", "text/csv; charset=utf-8", csv_export.write, csv_export.stream),
        ExportFormat("json", "JSON", "json", "application/json", json_export.write, json_export.stream),
    )
}


def write_export(document: DossierDocument, fmt: str, fileobj: BinaryIO) -> None:
    """Render DOCUMENT as FMT into FILEOBJ, in the dossier's language."""
    with translation.override(document.language):
        FORMATS[fmt].write(document, fileobj)


def stream_export(document: DossierDocument, fmt: str) -> Iterator[bytes]:
    """Render DOCUMENT as FMT chunk by chunk (CSV, JSON); the language is held while iterating."""
    stream = FORMATS[fmt].stream
    if stream is None:
        raise ValueError(f"{fmt} cannot be streamed")
    with translation.override(document.language):
        yield from stream(document)


def filename(document: DossierDocument, fmt: str) -> str:
    return f"{document.reference}.{FORMATS[fmt].extension}"


def export_response(document: DossierDocument, fmt: str) -> HttpResponseBase:
    """DOCUMENT as a download in FMT: CSV and JSON stream as they are written; the others go through a temp file."""
    spec = FORMATS[fmt]
    response: HttpResponseBase
    if spec.stream is not None:
        response = StreamingHttpResponse(stream_export(document, fmt), content_type=spec.content_type)
    else:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it
        write_export(document, fmt, handle)
        handle.seek(0)
        response = FileResponse(handle, content_type=spec.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(document, fmt)}"'
    return response
