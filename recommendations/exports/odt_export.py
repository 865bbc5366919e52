"""ODT (OpenDocument text, the open format public bodies must accept), editable.

Renders the blocks of `exports.blocks` with named paragraph styles ("Heading 1", "Quote", …)
so that the file stays easy to restyle in LibreOffice.
"""

from __future__ import annotations

import io
from typing import BinaryIO

from odf import teletype
from odf.element import Element
from odf.namespaces import nsdict
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties
from odf.table import Table as OdfTable
from odf.table import TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P, Span

from recommendations.document import DossierDocument
from recommendations.exports._common import sort_namespaces, write_normalised_zip
from recommendations.exports.blocks import Bullets, Heading, PageBreak, Paragraph, Table, document_blocks
from recommendations.exports.xml_text import clean

FONT = "DejaVu Sans"


def _styles(odt: OpenDocumentText) -> dict[str, Style]:
    def paragraph(name: str, size: str, *, bold: bool = False, parent: str | None = None, **para) -> Style:
        style = Style(name=name, family="paragraph", **({"parentstylename": parent} if parent else {}))
        text = {"fontsize": size, "fontname": FONT, "fontfamily": FONT}
        if bold:
            text["fontweight"] = "bold"
        style.addElement(TextProperties(**text))
        style.addElement(ParagraphProperties(**({"margintop": "0.1cm", "marginbottom": "0.15cm"} | para)))
        odt.styles.addElement(style)
        return style

    styles = {
        "title": paragraph("Title", "22pt", bold=True, marginbottom="0.6cm"),
        "h1": paragraph("Heading 1", "16pt", bold=True, margintop="0.5cm"),
        "h2": paragraph("Heading 2", "13pt", bold=True, margintop="0.4cm"),
        "h3": paragraph("Heading 3", "11pt", bold=True, margintop="0.25cm"),
        "body": paragraph("Text body", "10pt"),
        "meta": paragraph("Meta", "9.5pt"),
        "small": paragraph("Small", "8pt"),
        "quote": paragraph("Quote", "10pt", marginleft="0.8cm"),
        "caption": paragraph("Caption", "9pt", bold=True),
        "cell": paragraph("Table contents", "9pt", margintop="0cm", marginbottom="0cm"),
    }
    page_break = Style(name="Page break", family="paragraph")
    page_break.addElement(ParagraphProperties(breakbefore="page"))
    odt.automaticstyles.addElement(page_break)
    styles["break"] = page_break
    strong = Style(name="Strong", family="text")
    strong.addElement(TextProperties(fontweight="bold"))
    odt.styles.addElement(strong)
    styles["strong"] = strong
    column = Style(name="Column", family="table-column")
    column.addElement(TableColumnProperties(columnwidth="3.5cm"))
    odt.automaticstyles.addElement(column)
    styles["column"] = column
    return styles


# odfpy declares on each root element the namespaces used so far *by the process* (a shared
# class attribute), so the same dossier would get more declarations on a second export.
# Declaring every standard namespace, in sorted order, makes the files identical.
_ALL_NAMESPACES = tuple(f'xmlns:{prefix}="{uri}"'.encode() for uri, prefix in nsdict.items())


def _namespaces(name: str, data: bytes) -> bytes:
    return sort_namespaces(name, data, extra=_ALL_NAMESPACES)


def _text(element, text: str) -> None:
    # teletype keeps runs of spaces, tabs and line breaks as ODF expects them.
    teletype.addTextToElement(element, clean(text))


def write(document: DossierDocument, fileobj: BinaryIO) -> None:
    odt = OpenDocumentText()
    styles = _styles(odt)
    body = odt.text
    for block in document_blocks(document):
        if isinstance(block, Heading):
            body.addElement(_heading(block, styles))
        elif isinstance(block, Paragraph):
            body.addElement(_paragraph(block, styles))
        elif isinstance(block, Bullets):
            body.addElement(_bullets(block, styles))
        elif isinstance(block, Table):
            if block.caption:
                caption = P(stylename=styles["caption"])
                _text(caption, block.caption)
                body.addElement(caption)
            body.addElement(_table(block, styles))
        elif isinstance(block, PageBreak):
            body.addElement(P(stylename=styles["break"]))
    _metadata(odt, document)
    raw = io.BytesIO()
    odt.write(raw)
    write_normalised_zip(raw.getvalue(), fileobj, document, transform=_namespaces)


def _heading(block: Heading, styles: dict[str, Style]) -> Element:
    if block.level == 0:
        element = P(stylename=styles["title"])
    else:
        element = H(outlinelevel=block.level, stylename=styles[f"h{min(block.level, 3)}"])
    _text(element, block.text)
    return element


def _paragraph(block: Paragraph, styles: dict[str, Style]) -> Element:
    element = P(stylename=styles.get(block.style, styles["body"]))
    if block.label:
        span = Span(stylename=styles["strong"])
        _text(span, block.label + (" : " if block.text else ""))
        element.addElement(span)
    if block.text:
        _text(element, block.text)
    return element


def _bullets(block: Bullets, styles: dict[str, Style]) -> Element:
    items = List()
    for item in block.items:
        entry = ListItem()
        paragraph = P(stylename=styles["body"])
        _text(paragraph, "• " + item)
        entry.addElement(paragraph)
        items.addElement(entry)
    return items


def _table(block: Table, styles: dict[str, Style]) -> Element:
    table = OdfTable()
    table.addElement(TableColumn(numbercolumnsrepeated=len(block.header), stylename=styles["column"]))
    for index, values in enumerate([block.header, *block.rows]):
        table_row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            paragraph = P(stylename=styles["caption"] if index == 0 else styles["cell"])
            _text(paragraph, value)
            cell.addElement(paragraph)
            table_row.addElement(cell)
        table.addElement(table_row)
    return table


def _metadata(odt: OpenDocumentText, document: DossierDocument) -> None:
    from odf import dc, meta

    stamp = document.generated_at.replace(tzinfo=None).isoformat(timespec="seconds")
    odt.meta.addElement(dc.Title(text=clean(document.title)))
    odt.meta.addElement(dc.Language(text=document.language))
    odt.meta.addElement(dc.Date(text=stamp))
    odt.meta.addElement(meta.CreationDate(text=stamp))
    odt.meta.addElement(meta.InitialCreator(text=clean(document.assembly)))
