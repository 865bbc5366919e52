"""URL composition: each app declares its pages and its API; this file only assembles them."""

from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from backend.health import healthz
from core.api.docs import redoc_view, swagger_view
from core.api.errors import not_found as api_not_found

api_v1: list[URLPattern | URLResolver] = [
    path("", include("assembly.api.urls")),
    path("", include("proposals.api.urls")),
    path("", include("meetings.api.urls")),
    path("", include("questionnaires.api.urls")),
    path("", include("votes.api.urls")),
    path("", include("recommendations.api.urls")),
    # Last: an address no route matches (an unknown path, an id past the key range) is a JSON 404.
    re_path(r"^(?P<path>.*)$", api_not_found, name="not_found"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says: send them to the site's icon (its static
    # address is looked up when asked, so that loading the URLs never needs the static manifest).
    path("favicon.ico", RedirectView.as_view(url=lazy(static_url, str)("favicon.svg"), permanent=True), name="favicon"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", swagger_view, name="api-docs"),
    path("api/redoc/", redoc_view, name="api-redoc"),
    path("admin/", admin.site.urls),
    path("propositions/", include("proposals.urls")),
    path("reunions/", include("meetings.urls")),
    # Questionnaires kept the address they had inside the votes app; before "votes/" so they match first.
    path("votes/questionnaires/", include("questionnaires.urls")),
    path("votes/", include("votes.urls")),
    path("recommandations/", include("recommendations.urls")),
    path("", include("assembly.urls")),
]

# Error pages in the site's layout, each saying what to do next (core/error_pages.py).
handler400 = "core.error_pages.bad_request"
handler403 = "core.error_pages.permission_denied"
handler404 = "core.error_pages.page_not_found"
handler500 = "core.error_pages.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
