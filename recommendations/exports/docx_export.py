"""DOCX (Word), editable: the blocks of `exports.blocks` with Word's built-in styles.

Paragraphs and tables are written as WordprocessingML directly and appended before the
section properties: python-docx's own `add_paragraph`/`add_table` rescan the whole body on
every call, which turns a 200-recommendation dossier into minutes of work.
"""

from __future__ import annotations

import io
from typing import BinaryIO
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from core.blocks import Block, Bullets, Heading, PageBreak, Paragraph, Table, clean
from core.odt import write_normalised_zip
from recommendations.document import DossierDocument
from recommendations.exports.blocks import document_blocks

W = nsdecls("w")


def _run(text: str, *, bold: bool = False, small: bool = False) -> str:
    props = ("<w:b/>" if bold else "") + ('<w:sz w:val="16"/>' if small else "")
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(clean(text))}</w:t></w:r>'


def _paragraph(runs: str, style: str | None = None) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p {W}>{props}{runs}</w:p>"


def _cell(text: str, *, bold: bool = False) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr><w:p>{_run(text, bold=bold)}</w:p></w:tc>'


def _table(block: Table) -> str:
    grid = "<w:gridCol/>" * len(block.header)
    header = "".join(_cell(text, bold=True) for text in block.header)
    rows = "".join("<w:tr>" + "".join(_cell(text) for text in values) + "</w:tr>" for values in block.rows)
    return (
        f'<w:tbl {W}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>{header}</w:tr>{rows}</w:tbl>"
    )


def _xml(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [_paragraph(_run(block.text), "Title" if block.level == 0 else f"Heading{min(block.level, 3)}")]
    if isinstance(block, Paragraph):
        runs = ""
        if block.label:
            runs += _run(block.label + (" : " if block.text else ""), bold=True)
        if block.text:
            runs += _run(block.text, small=block.style == "small")
        return [_paragraph(runs, "Quote" if block.style == "quote" else None)]
    if isinstance(block, Bullets):
        return [_paragraph(_run(item), "ListBullet") for item in block.items]
    if isinstance(block, Table):
        caption = [_paragraph(_run(block.caption), "Caption")] if block.caption else []
        return [*caption, _table(block), _paragraph("")]
    if isinstance(block, PageBreak):
        return [_paragraph('<w:r><w:br w:type="page"/></w:r>')]
    raise TypeError(block)


def write(document: DossierDocument, fileobj: BinaryIO) -> None:
    word = Document()
    word.styles["Normal"].font.name = "DejaVu Sans"
    word.styles["Normal"].font.size = Pt(10)
    section_properties = word.element.body.sectPr
    for block in document_blocks(document):
        for xml in _xml(block):
            section_properties.addprevious(parse_xml(xml))
    properties = word.core_properties
    properties.title = clean(document.title)
    properties.author = clean(document.assembly)
    properties.last_modified_by = clean(document.assembly)
    properties.identifier = document.reference
    properties.language = document.language
    properties.revision = 1
    properties.created = document.generated_at
    properties.modified = document.generated_at
    properties.last_printed = document.generated_at
    raw = io.BytesIO()
    word.save(raw)
    write_normalised_zip(raw.getvalue(), fileobj, moment=document.generated_at)
