"""PDF, typeset for print from the HTML template `recommendations/export/dossier.html` (xhtml2pdf).

Fonts are the bundled ones of `core.pdf` (core/fonts/): DejaVu Sans for text (every
French character), Noto Emoji (monochrome) for what DejaVu lacks; xhtml2pdf picks the font per
character from the CSS font-family list.
"""

from __future__ import annotations

from typing import BinaryIO

from django.template.loader import render_to_string
from xhtml2pdf import pisa

from core.pdf import FONT_DIR, invariant
from recommendations.document import SCHEMA_VERSION, DossierDocument
from recommendations.exports.blocks import Annexes


class PdfRenderingFailed(RuntimeError):
    pass


def render_html(document: DossierDocument) -> str:
    entries = []
    annexes = Annexes()
    for entry in document.iter_entries():
        entries.append(entry)
        annexes.collect(entry)
    return render_to_string(
        "recommendations/export/dossier.html",
        {"document": document, "entries": entries, "annexes": annexes, "schema_version": SCHEMA_VERSION},
    )


def write(document: DossierDocument, fileobj: BinaryIO) -> None:
    html = render_html(document)
    # invariant: fixed creation date and document id, so the same dossier gives the same bytes.
    with invariant():
        # `path` anchors relative URLs (the @font-face files) in the bundled font folder, the
        # only folder the document may read.
        status = pisa.CreatePDF(html, dest=fileobj, path=str(FONT_DIR / "dossier.html"), encoding="utf-8")
    if status.err:
        raise PdfRenderingFailed(f"PDF rendering failed with {status.err} error(s)")
