"""ODT (OpenDocument text, the open format public bodies must accept), editable, reproducible.

`write_odt(blocks, fileobj, title=, language=, creator=, moment=)` renders the blocks of
`core.blocks` with named paragraph styles ("Heading 1", "Quote", …) so that the file stays easy
to restyle in LibreOffice. The same blocks at the same MOMENT give the same bytes: ZIP entries
are dated from MOMENT (`write_normalised_zip`) and namespace declarations are sorted.
Also here, for every ZIP-based office format (the dossier's DOCX and XLSX too): the reproducible
ZIP copy; text goes through `core.blocks.clean` (what XML 1.0 accepts).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from typing import BinaryIO

from odf import teletype
from odf.element import Element
from odf.namespaces import nsdict
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties
from odf.table import Table as OdfTable
from odf.table import TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P, Span

from core.blocks import Block, Bullets, Heading, PageBreak, Paragraph, Table, clean

FONT = "DejaVu Sans"
CONTENT_TYPE = "application/vnd.oasis.opendocument.text"


def zip_timestamp(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    return (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)


def write_normalised_zip(
    source: bytes,
    target: BinaryIO,
    *,
    moment: dt.datetime,
    transform: Callable[[str, bytes], bytes] | None = None,
) -> None:
    """Copy the ZIP SOURCE into TARGET with every entry dated MOMENT, order kept.

    Office libraries stamp ZIP entries with the current time; rewriting them makes the file
    depend on the document only. An uncompressed first entry (ODF's `mimetype`) stays so.
    """
    stamp = zip_timestamp(moment)
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            clone = zipfile.ZipInfo(info.filename, date_time=stamp)
            clone.compress_type = info.compress_type
            clone.external_attr = 0o644 << 16
            data = original.read(info.filename)
            copy.writestr(clone, transform(info.filename, data) if transform else data)


_ROOT = re.compile(rb"<([\w:-]+)((?:\s+xmlns(?::[\w-]+)?=\"[^\"]*\")+)")
_NAMESPACE = re.compile(rb'\s+(xmlns(?::[\w-]+)?="[^"]*")')


def sort_namespaces(name: str, data: bytes, extra: tuple[bytes, ...] = ()) -> bytes:
    """Namespace declarations of the root element in sorted order (odfpy writes them in set order)."""
    if not name.endswith(".xml"):
        return data
    match = _ROOT.search(data)
    if match is None:
        return data
    declarations = sorted(set(_NAMESPACE.findall(match.group(2))) | set(extra))
    return data[: match.start(2)] + b"".join(b" " + d for d in declarations) + data[match.end(2) :]


def _styles(odt: OpenDocumentText) -> dict[str, Style]:
    def paragraph(name: str, size: str, *, bold: bool = False, parent: str | None = None, **para: str) -> Style:
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
# class attribute), so the same document would get more declarations on a second export.
# Declaring every standard namespace, in sorted order, makes the files identical.
_ALL_NAMESPACES = tuple(f'xmlns:{prefix}="{uri}"'.encode() for uri, prefix in nsdict.items())


def _namespaces(name: str, data: bytes) -> bytes:
    return sort_namespaces(name, data, extra=_ALL_NAMESPACES)


def _text(element: Element, text: str) -> None:
    # teletype keeps runs of spaces, tabs and line breaks as ODF expects them.
    teletype.addTextToElement(element, clean(text))


def write_odt(
    blocks: Iterable[Block], fileobj: BinaryIO, *, title: str, language: str, creator: str, moment: dt.datetime
) -> None:
    """Render BLOCKS as an ODT into FILEOBJ; its metadata (title, language, creator, date) from the arguments."""
    odt = OpenDocumentText()
    styles = _styles(odt)
    body = odt.text
    for block in blocks:
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
    _metadata(odt, title=title, language=language, creator=creator, moment=moment)
    raw = io.BytesIO()
    odt.write(raw)
    write_normalised_zip(raw.getvalue(), fileobj, moment=moment, transform=_namespaces)


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


def _metadata(odt: OpenDocumentText, *, title: str, language: str, creator: str, moment: dt.datetime) -> None:
    from odf import dc, meta

    stamp = moment.replace(tzinfo=None).isoformat(timespec="seconds")
    odt.meta.addElement(dc.Title(text=clean(title)))
    odt.meta.addElement(dc.Language(text=language))
    odt.meta.addElement(dc.Date(text=stamp))
    odt.meta.addElement(meta.CreationDate(text=stamp))
    odt.meta.addElement(meta.InitialCreator(text=clean(creator)))


__all__ = ["CONTENT_TYPE", "sort_namespaces", "write_normalised_zip", "write_odt", "zip_timestamp"]
