"""CSV: one row per recommendation, written by the shared `core.tabular` (BOM, ";", formula guard)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from core.tabular import csv_stream
from recommendations.document import DossierDocument
from recommendations.exports._common import columns, row


def stream(document: DossierDocument) -> Iterator[bytes]:
    return csv_stream(columns(), (row(entry) for entry in document.iter_entries()))


def write(document: DossierDocument, fileobj: BinaryIO) -> None:
    for chunk in stream(document):
        fileobj.write(chunk)
