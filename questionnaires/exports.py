"""Exports of questionnaire results: CSV and XLSX (one row per question and answer), PDF summary."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from assembly.models import College, Gender
from core import pdf
from core.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes


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


# Spreadsheets: the shared policy of core.tabular (BOM, ";", formula guard on every text cell).
def results_csv(result: dict[str, Any]) -> bytes:
    return csv_bytes(_header(), rows(result))


def results_xlsx(result: dict[str, Any]) -> bytes:
    return xlsx_bytes(_header(), rows(result), title=_("Results"))


def results_pdf(result: dict[str, Any]) -> bytes:
    # Shared PDF set-up (core.pdf): bundled fonts, every value escaped, reproducible bytes.
    styles = pdf.styles()
    story: list = [
        pdf.para(result["questionnaire"].title, styles["Title"]),
        pdf.para(_("%(n)s answers") % {"n": result["sheets"]}, styles["Normal"]),
        Spacer(1, 5 * mm),
    ]
    font = TableStyle([("FONTNAME", (0, 0), (-1, -1), pdf.FONT)])
    for entry in result["questions"]:
        story.append(pdf.para(entry["question"].text, styles["Heading3"]))
        data = [[pdf.para(c, styles["Normal"]) for c in _header()[1:]]]
        for row in entry["rows"]:
            counts = row["counts"]
            data.append(
                [
                    pdf.para(row["label"], styles["Normal"]),
                    counts["all"],
                    *[counts[c] for c in College.values],
                    *[counts[g] for g in Gender.values],
                ]
            )
        for row in entry.get("ranking", []):
            data.append([pdf.para(row["choice"].label, styles["Normal"]), row["score"], "", "", "", ""])
        if len(data) > 1:
            story.append(Table(data, repeatRows=1, style=font))
        for answer in entry["texts"]:
            story.append(pdf.para("— " + answer, styles["Normal"]))
    return pdf.build(story, title=result["questionnaire"].title)


# Export formats: content type and builder, shared by the pages and the API.
FORMATS = {
    "csv": (CSV_CONTENT_TYPE, results_csv),
    "xlsx": (XLSX_CONTENT_TYPE, results_xlsx),
    "pdf": ("application/pdf", results_pdf),
}
