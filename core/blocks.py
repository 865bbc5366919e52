"""A document as a plain list of blocks: headings, paragraphs, bullet lists, tables, page breaks.

A document built once as blocks renders to every format with the same content: ODT
(`core.odt.write_odt`), PDF (`core.pdf.blocks_pdf`), and whatever a caller adds (the dossier's
DOCX). Blocks hold text only, already translated; renderers escape it for their format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """TEXT without the control characters XML 1.0 forbids (an ODT or DOCX holding one would not
    open) and no font draws (a PDF would show a box)."""
    return _ILLEGAL.sub("", text)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 0 = document title, 1 = section, 2 = sub-section, 3 = part


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body, meta, quote, small
    label: str = ""  # printed in bold before the text


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Bullets | Table | PageBreak

__all__ = ["Block", "Bullets", "Heading", "PageBreak", "Paragraph", "Table", "clean"]
