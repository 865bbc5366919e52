"""Exports of questionnaire results: CSV and XLSX (one row per question and answer), PDF summary."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from assembly.models import College, Gender


def _header() -> list[str]:
    return [_("Question"), _("Answer"), _("All"), *[str(c.label) for c in College], *[str(g.label) for g in Gender]]


def rows(result: dict[str, Any]) -> list[list[Any]]:
    out: list[list[Any]] = []
    for entry in result["questions"]:
        text = entry["question"].text
        for row in entry["rows"]:
            counts = row["counts"]
            out.append(
                [
                    text,
                    row["label"],
                    counts["all"],
                    *[counts[c] for c in College.values],
                    *[counts[g] for g in Gender.values],
                ]
            )
        for row in entry.get("ranking", []):
            out.append([text, row["choice"].label, row["score"], *([""] * (len(College.values) + len(Gender.values)))])
        for answer in entry["texts"]:
            out.append([text, answer, "", *([""] * (len(College.values) + len(Gender.values)))])
    return out


def _safe(value: Any) -> Any:
    # Spreadsheet formula injection: a text cell starting with = + - @ is shown as text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def results_csv(result: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(_header())
    for row in rows(result):
        writer.writerow([_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def results_xlsx(result: dict[str, Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Results")[:31]
    sheet.append(_header())
    for row in rows(result):
        sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def results_pdf(result: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, title=result["questionnaire"].title
    )
    styles = getSampleStyleSheet()
    story: list = [
        Paragraph(result["questionnaire"].title, styles["Title"]),
        Paragraph(_("%(n)s answers") % {"n": result["sheets"]}, styles["Normal"]),
        Spacer(1, 5 * mm),
    ]
    for entry in result["questions"]:
        story.append(Paragraph(entry["question"].text, styles["Heading3"]))
        data = [[Paragraph(str(c), styles["Normal"]) for c in _header()[1:]]]
        for row in entry["rows"]:
            counts = row["counts"]
            data.append(
                [
                    Paragraph(row["label"], styles["Normal"]),
                    counts["all"],
                    *[counts[c] for c in College.values],
                    *[counts[g] for g in Gender.values],
                ]
            )
        for row in entry.get("ranking", []):
            data.append([Paragraph(row["choice"].label, styles["Normal"]), row["score"], "", "", "", ""])
        if len(data) > 1:
            story.append(Table(data, repeatRows=1))
        for answer in entry["texts"]:
            story.append(Paragraph("— " + answer.replace("&", "&amp;").replace("<", "&lt;"), styles["Normal"]))
    doc.build(story)
    return buffer.getvalue()


# Export formats: content type and builder, shared by the pages and the API.
FORMATS = {
    "csv": ("text/csv", results_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", results_xlsx),
    "pdf": ("application/pdf", results_pdf),
}
