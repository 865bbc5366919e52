"""Exports of a meeting's registrations: CSV for spreadsheets, a printable PDF sign-in sheet."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from core import pdf
from core.tabular import csv_bytes
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
    header = [_("Last name"), _("First name"), _("Email"), _("College"), _("Territory"), _("Registered at")]
    rows = []
    for entry in entries:
        row = _row(entry)
        rows.append([row[0], row[1], entry["user"].email, row[2], row[3], entry["registration"].created_at.isoformat()])
    # Shared policy (core.tabular): BOM, ";", names that look like formulas are neutralised.
    return csv_bytes(header, rows)


def sign_in_sheet_pdf(meeting: Meeting, entries: list[dict]) -> bytes:
    """An A4 sign-in sheet ("feuille d'émargement"): one line per registered person, a blank signature cell."""
    # Shared PDF set-up (core.pdf): bundled fonts, every value escaped, reproducible bytes.
    styles = pdf.styles()
    story = [
        pdf.para(_("Sign-in sheet"), styles["Title"]),
        pdf.para(f"{meeting.title} — {meeting.date:%d/%m/%Y}", styles["Heading2"]),
    ]
    if meeting.place:
        story.append(pdf.para(meeting.place, styles["Normal"]))
    story.append(Spacer(1, 6 * mm))
    data = [[pdf.para(label, styles["Normal"]) for label in (_("Name"), _("College"), _("Territory"), _("Signature"))]]
    for entry in entries:
        row = _row(entry)
        data.append([pdf.para(f"{row[0]} {row[1]}", styles["Normal"]), row[2], pdf.para(row[3], styles["Normal"]), ""])
    table = Table(
        data, colWidths=[55 * mm, 25 * mm, 60 * mm, 40 * mm], repeatRows=1, rowHeights=[None] + [12 * mm] * len(entries)
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
            ]
        )
    )
    story.append(table)
    return pdf.build(story, title=_("Sign-in sheet"))
