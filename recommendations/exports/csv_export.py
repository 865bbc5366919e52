"""CSV: one row per recommendation, UTF-8 with a byte-order mark (spreadsheets then read accents right)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from recommendations.document import DossierDocument
from recommendations.exports._common import columns, row


def stream(document: DossierDocument) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> bytes:
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate(0)
        return data

    writer.writerow(columns())
    yield "\ufeff".encode() + flush()
    for entry in document.iter_entries():
        writer.writerow(row(entry))
        yield flush()


def write(document: DossierDocument, fileobj: BinaryIO) -> None:
    for chunk in stream(document):
        fileobj.write(chunk)
