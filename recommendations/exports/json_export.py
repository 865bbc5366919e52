"""JSON for open-data publication, valid against `recommendations/schema/dossier-1.schema.json`.

Written entry by entry (the `recommendations` array is streamed), keys in a fixed order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from recommendations.document import (
    SCHEMA_ID,
    SCHEMA_VERSION,
    DossierDocument,
    RecommendationEntry,
    Tally,
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Tally):
        return {"label": value.label, "yes": value.yes, "no": value.no, "abstain": value.abstain}
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def entry_data(entry: RecommendationEntry) -> dict[str, Any]:
    data = _plain(entry)
    data["source_territories"] = list(entry.source_territories)
    data["source_colleges"] = list(entry.source_colleges)
    return data


def header_data(document: DossierDocument) -> dict[str, Any]:
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "dossier": {
            "id": document.id,
            "reference": document.reference,
            "title": document.title,
            "assembly": document.assembly,
            "recipient": document.recipient,
            "date": document.date.isoformat(),
            "introduction": document.introduction,
            "language": document.language,
            "generated_at": document.generated_at.isoformat(),
            "url": document.url,
            "count": document.count,
        },
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=None, separators=(",", ": "))


def stream(document: DossierDocument) -> Iterator[bytes]:
    header = _dumps(header_data(document))
    yield (header[:-1] + ', "recommendations": [').encode()
    for index, entry in enumerate(document.iter_entries()):
        yield (("," if index else "") + "\n" + _dumps(entry_data(entry))).encode()
    yield b"\n]}\n"


def write(document: DossierDocument, fileobj: BinaryIO) -> None:
    for chunk in stream(document):
        fileobj.write(chunk)
