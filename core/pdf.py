"""PDF set-up shared by every export: bundled fonts, escaped markup, reproducible bytes.

- Fonts are bundled (core/fonts/) so a file looks the same on any machine: DejaVu Sans
  covers every French character (œ, ’, €, …), which the built-in Helvetica does not.
- Every value placed into ReportLab markup (`Paragraph`) goes through `esc`: a "&" or "<" in a
  meeting title or a choice label is text, never markup (no broken PDF, no injected tags).
- Documents are built with `rl_config.invariant` on: the same content gives the same bytes.
- ReportLab's ToUnicode mapping is corrected once, here, for code points above U+FFFF.
- `blocks_pdf` typesets a document of `core.blocks` (the minutes; the ODT of the same blocks
  is `core.odt.write_odt`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import (
    Flowable,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from core import blocks as b

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


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


def register_fonts() -> None:
    """Register the bundled fonts with ReportLab (once per process)."""
    registered = pdfmetrics.getRegisteredFontNames()
    if FONT not in registered:
        pdfmetrics.registerFont(ttfonts.TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    if FONT_BOLD not in registered:
        pdfmetrics.registerFont(ttfonts.TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def esc(value: Any) -> str:
    """VALUE as text inside ReportLab paragraph markup (control characters no font draws dropped)."""
    return escape(b.clean("" if value is None else str(value)))


def styles() -> StyleSheet1:
    """ReportLab's sample styles, set in the bundled fonts."""
    register_fonts()
    sheet = getSampleStyleSheet()
    for style in sheet.byName.values():
        bold = "Bold" in getattr(style, "fontName", "")
        style.fontName = FONT_BOLD if bold else FONT
    return sheet


def para(value: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph showing VALUE as plain text (escaped)."""
    return Paragraph(esc(value), style)


@contextmanager
def invariant() -> Iterator[None]:
    """Fixed creation date and document id while building: the same content gives the same bytes."""
    previous = rl_config.invariant
    rl_config.invariant = 1
    try:
        yield
    finally:
        rl_config.invariant = previous


def build(story: Sequence[Flowable], *, title: str = "", margin: float = 15 * mm, **options: Any) -> bytes:
    """An A4 document of STORY, reproducible, its metadata title TITLE."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=str(title),
        **options,
    )
    with invariant():
        doc.build(list(story))
    return buffer.getvalue()


def _block_styles() -> dict[str, ParagraphStyle]:
    sheet = styles()
    body = sheet["BodyText"]
    return {
        "h0": sheet["Title"],
        "h1": sheet["Heading1"],
        "h2": sheet["Heading2"],
        "h3": sheet["Heading3"],
        "body": body,
        "meta": ParagraphStyle("meta", parent=body, fontSize=9.5, leading=12),
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "quote": ParagraphStyle("quote", parent=body, leftIndent=8 * mm),
        "caption": ParagraphStyle("caption", parent=body, fontName=FONT_BOLD, fontSize=9, leading=11),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", parent=body, fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
    }


CELL_SIZE = 8.5
CELL_PADDING = 6  # ReportLab's default cell padding, left and right together
_TABLE_STYLE = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), CELL_SIZE + 2),
    ]
)


def _cell(value: str, style: ParagraphStyle, width: float) -> Flowable | str:
    """A table cell: the text as it is when it fits on one line, else a paragraph that wraps.

    Most cells are a number or a short name; a plain string costs a fraction of a paragraph
    (the minutes of 200 items and 100 ballots: half of the PDF's time went into cell paragraphs).
    """
    text = b.clean("" if value is None else str(value))
    if "\n" not in text and pdfmetrics.stringWidth(text, style.fontName, CELL_SIZE) <= width - CELL_PADDING:
        return text
    return para(text, style)


def _flowables(block: b.Block, sheet: dict[str, ParagraphStyle]) -> list[Flowable]:
    if isinstance(block, b.Heading):
        return [para(block.text, sheet[f"h{min(block.level, 3)}"])]
    if isinstance(block, b.Paragraph):
        # A no-break space before the colon (French typography): the colon never starts a line.
        colon = "\u00a0:" if block.text else ""
        label = f"<b>{esc(block.label)}{colon}</b> " if block.label else ""
        return [Paragraph(label + esc(block.text), sheet.get(block.style, sheet["body"]))]
    if isinstance(block, b.Bullets):
        items = [ListItem(para(item, sheet["body"])) for item in block.items]
        return [ListFlowable(items, bulletType="bullet", start="•", leftIndent=5 * mm, bulletFontName=FONT)]
    if isinstance(block, b.Table):
        # Equal columns across the text width (A4 less the margins of `build`).
        width = (A4[0] - 30 * mm) / max(len(block.header), 1)
        widths = [width] * len(block.header)
        data = [[_cell(value, sheet["head"], width) for value in block.header]]
        data.extend([_cell(value, sheet["cell"], width) for value in row] for row in block.rows)
        out: list[Flowable] = [para(block.caption, sheet["caption"])] if block.caption else []
        out += [PdfTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT", style=_TABLE_STYLE), Spacer(1, 3 * mm)]
        return out
    return [PageBreak()]


def blocks_pdf(blocks: Iterable[b.Block], *, title: str = "") -> bytes:
    """An A4 PDF of BLOCKS (`core.blocks`), reproducible; every text escaped; tables repeat their header row."""
    sheet = _block_styles()
    story: list[Flowable] = []
    for block in blocks:
        story.extend(_flowables(block, sheet))
    return build(story, title=title)


__all__ = [
    "FONT",
    "FONT_BOLD",
    "FONT_DIR",
    "blocks_pdf",
    "build",
    "esc",
    "invariant",
    "para",
    "register_fonts",
    "styles",
]
