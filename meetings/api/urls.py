"""REST API of the meetings app, mounted under /api/v1/."""

from django.urls import path

from meetings.api import calendar as c
from meetings.api import sittings as s
from meetings.api import tables as t

urlpatterns = [
    path("sittings/<id:pk>/", s.SittingDetailApi.as_view(), name="sitting-detail"),
    path("sittings/<id:pk>/quorum/", s.QuorumApi.as_view(), name="sitting-quorum"),
    path("sittings/<id:pk>/check-in-token/", s.CheckInTokenApi.as_view(), name="sitting-check-in-token"),
    path("sittings/<id:pk>/agenda/", s.AgendaListApi.as_view(), name="sitting-agenda"),
    path("agenda-items/<id:pk>/", s.AgendaItemApi.as_view(), name="agenda-item"),
    path(
        "agenda-items/<id:pk>/make-current/",
        s.AgendaItemActionApi.as_view(action="make_current"),
        name="agenda-item-make-current",
    ),
    path("agenda-items/<id:pk>/finish/", s.AgendaItemActionApi.as_view(action="finish"), name="agenda-item-finish"),
    path("sittings/check-in/", s.CheckInApi.as_view(), name="sitting-check-in"),
    path("sittings/<id:pk>/check-out/", s.CheckOutApi.as_view(), name="sitting-check-out"),
    path("sittings/<id:pk>/attendance/", s.AttendanceApi.as_view(), name="sitting-attendance"),
    path("sittings/<id:pk>/proxies/", s.ProxyListApi.as_view(), name="sitting-proxies"),
    path("proxies/<id:pk>/validate/", s.ProxyActionApi.as_view(action="validate"), name="proxy-validate"),
    path("proxies/<id:pk>/refuse/", s.ProxyActionApi.as_view(action="refuse"), name="proxy-refuse"),
    path("proxies/<id:pk>/withdraw/", s.ProxyActionApi.as_view(action="withdraw"), name="proxy-withdraw"),
    path("meetings/", c.MeetingListApi.as_view(), name="meeting-list"),
    path("meetings/<id:pk>/", c.MeetingDetailApi.as_view(), name="meeting-detail"),
    path("meetings/<id:pk>/registration/", c.RegistrationApi.as_view(), name="meeting-registration"),
    path("meetings/<id:pk>/registrations/", c.MeetingRegistrationsApi.as_view(), name="meeting-registrations"),
    path(
        "meetings/<id:pk>/registrations.csv", c.MeetingRegistrationsCsvApi.as_view(), name="meeting-registrations-csv"
    ),
    path("meetings/<id:pk>/documents/", c.MeetingDocumentsApi.as_view(), name="meeting-documents"),
    path("meetings/<id:pk>/documents/<id:document_pk>/", c.MeetingDocumentApi.as_view(), name="meeting-document"),
    path("sittings/<id:pk>/tables/", t.SittingTablesApi.as_view(), name="sitting-tables"),
    path("tables/<id:pk>/rapporteur/", t.TableRapporteurApi.as_view(), name="table-rapporteur"),
    path("tables/<id:pk>/contributions/", t.TableContributionsApi.as_view(), name="table-contributions"),
]
