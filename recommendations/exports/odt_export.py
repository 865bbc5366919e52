"""ODT (OpenDocument text), editable: the dossier's blocks (`exports.blocks`) through the shared `core.odt` writer."""

from __future__ import annotations

from typing import BinaryIO

from core.odt import write_odt
from recommendations.document import DossierDocument
from recommendations.exports.blocks import document_blocks


def write(document: DossierDocument, fileobj: BinaryIO) -> None:
    write_odt(
        document_blocks(document),
        fileobj,
        title=document.title,
        language=document.language,
        creator=document.assembly,
        moment=document.generated_at,
    )
