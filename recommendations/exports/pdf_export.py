"""PDF, typeset for print from the HTML template `recommendations/export/dossier.html` (xhtml2pdf).

Fonts are bundled (recommendations/fonts/) so the file looks the same on any machine: DejaVu
Sans for text (every French character), Noto Emoji (monochrome) for what DejaVu lacks;
xhtml2pdf picks the font per character from the CSS font-family list.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from django.template.loader import render_to_string
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from xhtml2pdf import pisa

from recommendations.document import SCHEMA_VERSION, DossierDocument
from recommendations.exports.blocks import Annexes

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"


def _unicode_hex(code: int) -> str:
    """A code point as the UTF-16BE hex a ToUnicode CMap expects (surrogate pair above U+FFFF)."""
    if 0 <= code <= 0xFFFF:
        return f"{code:04X}"
    return chr(code).encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    # reportlab writes code points above U+FFFF (emoji) as odd-length hex, which PDF readers
    # reject: the glyphs print but cannot be copied, searched or read aloud. Same CMap, valid hex.
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{index:02X}> <{_unicode_hex(code)}>" for index, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


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
    previous = rl_config.invariant
    rl_config.invariant = 1
    try:
        # `path` anchors relative URLs (the @font-face files) in the bundled font folder, the
        # only folder the document may read.
        status = pisa.CreatePDF(html, dest=fileobj, path=str(FONT_DIR / "dossier.html"), encoding="utf-8")
    finally:
        rl_config.invariant = previous
    if status.err:
        raise PdfRenderingFailed(f"PDF rendering failed with {status.err} error(s)")
