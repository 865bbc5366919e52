"""Pages of the meetings app: staff sittings, a member's own pages at a sitting, the calendar, workshop tables."""

from django.urls import path

from meetings.views import calendar, member, sittings, tables

app_name = "meetings"

urlpatterns = [
    # Staff: sittings, agenda, attendance and proxies; then the check-in page a member opens from the QR code.
    path("gestion/", sittings.manage_sittings, name="manage_sittings"),
    path("gestion/seances/<id:pk>/", sittings.manage_sitting, name="manage_sitting"),
    path(
        "gestion/seances/<id:pk>/emargement.json",
        sittings.manage_sitting_checkin_qr,
        name="manage_sitting_checkin_qr",
    ),
    path("gestion/procurations/<id:pk>/", sittings.manage_proxy, name="manage_proxy"),
    path("gestion/points/<id:pk>/", sittings.manage_agenda_item, name="manage_agenda_item"),
    path("seances/<id:pk>/emargement/", member.check_in, name="check_in"),
    # The calendar.
    path("calendrier/", calendar.calendar_list, name="calendar_list"),
    path("calendrier/<id:pk>/", calendar.calendar_detail, name="calendar_detail"),
    path("calendrier/<id:pk>/inscription/", calendar.calendar_register, name="calendar_register"),
    path("calendrier/<id:pk>/inscrits.<str:fmt>", calendar.calendar_registrations_export, name="calendar_export"),
    path("calendrier/<id:pk>/documents/", calendar.calendar_document_add, name="calendar_document_add"),
    path(
        "calendrier/<id:pk>/documents/<id:document_pk>/retrait/",
        calendar.calendar_document_remove,
        name="calendar_document_remove",
    ),
    path("calendrier/flux.ics", calendar.calendar_feed_public, name="calendar_feed_public"),
    path("calendrier/flux/<str:token>.ics", calendar.calendar_feed_member, name="calendar_feed_member"),
    path("calendrier/mon-flux/", calendar.calendar_feed_address, name="calendar_feed_address"),
    # Workshop tables.
    path("gestion/seances/<id:pk>/tables/", tables.tables_manage, name="tables_manage"),
    path("seances/<id:pk>/ma-table/", tables.table_mine, name="table_mine"),
    # A member's own pages at a sitting.
    path("seances/<id:pk>/procuration/", member.sitting_proxy, name="sitting_proxy"),
    path(
        "seances/<id:pk>/procuration/<id:proxy_pk>/retrait/",
        member.sitting_proxy_withdraw,
        name="sitting_proxy_withdraw",
    ),
    path("seances/<id:pk>/depart/", member.sitting_leave, name="sitting_leave"),
]
