"""Exports of a meeting's registrations: CSV for spreadsheets, a printable PDF sign-in sheet."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from meetings.models import Meeting


def _row(entry: dict) -> list[str]:
    user, mandate = entry["user"], entry["mandate"]
    return [
        user.last_name,
        user.first_name,
        mandate.get_college_display() if mandate else "",
        str(mandate.territory) if mandate else "",
    ]


def registrations_csv(meeting: Meeting, entries: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Last name"), _("First name"), _("Email"), _("College"), _("Territory"), _("Registered at")])
    for entry in entries:
        row = _row(entry)
        writer.writerow(
            [row[0], row[1], entry["user"].email, row[2], row[3], entry["registration"].created_at.isoformat()]
        )
    # A BOM so that spreadsheet software reads the accents correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sign_in_sheet_pdf(meeting: Meeting, entries: list[dict]) -> bytes:
    """An A4 sign-in sheet ("feuille d'émargement"): one line per registered person, a blank signature cell."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Sign-in sheet"),
    )
    styles = getSampleStyleSheet()
    story = [
        Paragraph(_("Sign-in sheet"), styles["Title"]),
        Paragraph(f"{meeting.title} — {meeting.date:%d/%m/%Y}", styles["Heading2"]),
    ]
    if meeting.place:
        story.append(Paragraph(meeting.place, styles["Normal"]))
    story.append(Spacer(1, 6 * mm))
    data = [[_("Name"), _("College"), _("Territory"), _("Signature")]]
    for entry in entries:
        row = _row(entry)
        data.append(
            [Paragraph(f"{row[0]} {row[1]}", styles["Normal"]), row[2], Paragraph(row[3], styles["Normal"]), ""]
        )
    table = Table(
        data, colWidths=[55 * mm, 25 * mm, 60 * mm, 40 * mm], repeatRows=1, rowHeights=[None] + [12 * mm] * len(entries)
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return buffer.getvalue()
