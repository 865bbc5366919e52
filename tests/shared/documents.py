"""Read back what the exports and pages wrote: the text of a PDF, rows of a CSV, a sheet, an HTML page."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """The text of every page, one page after the other."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def csv_rows(data: bytes) -> list[list[str]]:
    """The rows of a CSV file as the project writes them: UTF-8 with a BOM, semicolons."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def xlsx_sheet(data: bytes, *, read_only: bool = False):
    """The active sheet of a workbook."""
    return load_workbook(io.BytesIO(data), read_only=read_only).active


def html_text(html: str) -> str:
    """The words of an HTML page: tags dropped, white space collapsed to single spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
