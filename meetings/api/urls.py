"""REST API of the meetings app, mounted under /api/v1/."""

from django.urls import path

from meetings.api import calendar as c
from meetings.api import sittings as s
from meetings.api import tables as t

urlpatterns = [
    path("sittings/<int:pk>/", s.SittingDetailApi.as_view(), name="sitting-detail"),
    path("sittings/<int:pk>/quorum/", s.QuorumApi.as_view(), name="sitting-quorum"),
    path("sittings/<int:pk>/check-in-token/", s.CheckInTokenApi.as_view(), name="sitting-check-in-token"),
    path("sittings/<int:pk>/agenda/", s.AgendaListApi.as_view(), name="sitting-agenda"),
    path("agenda-items/<int:pk>/", s.AgendaItemApi.as_view(), name="agenda-item"),
    path(
        "agenda-items/<int:pk>/make-current/",
        s.AgendaItemActionApi.as_view(action="make_current"),
        name="agenda-item-make-current",
    ),
    path("agenda-items/<int:pk>/finish/", s.AgendaItemActionApi.as_view(action="finish"), name="agenda-item-finish"),
    path("sittings/check-in/", s.CheckInApi.as_view(), name="sitting-check-in"),
    path("sittings/<int:pk>/check-out/", s.CheckOutApi.as_view(), name="sitting-check-out"),
    path("sittings/<int:pk>/attendance/", s.AttendanceApi.as_view(), name="sitting-attendance"),
    path("sittings/<int:pk>/proxies/", s.ProxyListApi.as_view(), name="sitting-proxies"),
    path("proxies/<int:pk>/validate/", s.ProxyActionApi.as_view(action="validate"), name="proxy-validate"),
    path("proxies/<int:pk>/refuse/", s.ProxyActionApi.as_view(action="refuse"), name="proxy-refuse"),
    path("proxies/<int:pk>/withdraw/", s.ProxyActionApi.as_view(action="withdraw"), name="proxy-withdraw"),
    path("meetings/", c.MeetingListApi.as_view(), name="meeting-list"),
    path("meetings/<int:pk>/", c.MeetingDetailApi.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/registration/", c.RegistrationApi.as_view(), name="meeting-registration"),
    path("meetings/<int:pk>/registrations/", c.MeetingRegistrationsApi.as_view(), name="meeting-registrations"),
    path(
        "meetings/<int:pk>/registrations.csv", c.MeetingRegistrationsCsvApi.as_view(), name="meeting-registrations-csv"
    ),
    path("meetings/<int:pk>/documents/", c.MeetingDocumentsApi.as_view(), name="meeting-documents"),
    path("meetings/<int:pk>/documents/<int:document_pk>/", c.MeetingDocumentApi.as_view(), name="meeting-document"),
    path("sittings/<int:pk>/tables/", t.SittingTablesApi.as_view(), name="sitting-tables"),
    path("tables/<int:pk>/rapporteur/", t.TableRapporteurApi.as_view(), name="table-rapporteur"),
    path("tables/<int:pk>/contributions/", t.TableContributionsApi.as_view(), name="table-contributions"),
]
