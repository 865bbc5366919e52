"""Models of the meetings app, one module per sub-domain.

- `sittings`: meetings, their live sittings, agenda, attendance and proxies;
- `calendar`: what the calendar publishes of a meeting, registrations, documents, feed addresses;
- `tables`: workshop tables of a sitting, their seats and contributions;
- `speakers`: the speakers list of an agenda item.

Import models from here (`from meetings.models import Sitting`); Django finds them through this module.
"""

from meetings.models.calendar import CalendarFeedToken, MeetingDetails, MeetingDocument, Registration
from meetings.models.sittings import AgendaItem, Attendance, Meeting, Proxy, Sitting
from meetings.models.speakers import SpeakerRequest
from meetings.models.tables import TableContribution, TableSeat, WorkshopTable

__all__ = [
    "AgendaItem",
    "Attendance",
    "CalendarFeedToken",
    "Meeting",
    "MeetingDetails",
    "MeetingDocument",
    "Proxy",
    "Registration",
    "Sitting",
    "SpeakerRequest",
    "TableContribution",
    "TableSeat",
    "WorkshopTable",
]
