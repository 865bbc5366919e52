"""The API's documentation pages, Swagger UI and ReDoc, served entirely from the project.

Their scripts and styles come from drf-spectacular-sidecar (the static files of Swagger UI and
ReDoc, `SPECTACULAR_SETTINGS["SWAGGER_UI_DIST"] = "SIDECAR"`), so the pages work without internet
(a venue's network) and under the site's Content Security Policy: scripts stay `'self'` only
(Swagger UI's start-up script is a separate file, `SpectacularSwaggerSplitView`). Both widgets
style themselves with inline styles and ReDoc searches in a worker it makes from a blob, so
these two pages, and only they, also allow inline styles and blob workers. ReDoc always draws the
Redocly logo from its CDN: the CSP blocks it (nothing leaves for a third party) and ReDoc leaves it out.
"""

from __future__ import annotations

from csp.decorators import csp_update
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

DOCS_CSP = {"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}

swagger_view = csp_update(DOCS_CSP)(
    SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html")
)
redoc_view = csp_update(DOCS_CSP)(SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"))
