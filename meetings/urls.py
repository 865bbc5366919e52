"""Pages of the meetings app."""

from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns: list = [
    path("gestion/", views.manage_sittings, name="manage_sittings"),
    path("gestion/seances/<int:pk>/", views.manage_sitting, name="manage_sitting"),
    path("gestion/procurations/<int:pk>/", views.manage_proxy, name="manage_proxy"),
    path("seances/<int:pk>/emargement/", views.check_in, name="check_in"),
]

from meetings.urls_calendar import urlpatterns as _calendar_urls  # noqa: E402

urlpatterns += _calendar_urls

from meetings import views_member, views_tables  # noqa: E402

urlpatterns += [
    path("gestion/seances/<int:pk>/tables/", views_tables.tables_manage, name="tables_manage"),
    path("seances/<int:pk>/ma-table/", views_tables.table_mine, name="table_mine"),
    path("seances/<int:pk>/procuration/", views_member.sitting_proxy, name="sitting_proxy"),
    path(
        "seances/<int:pk>/procuration/<int:proxy_pk>/retrait/",
        views_member.sitting_proxy_withdraw,
        name="sitting_proxy_withdraw",
    ),
    path("seances/<int:pk>/depart/", views_member.sitting_leave, name="sitting_leave"),
]
