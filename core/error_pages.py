"""The site's error pages (400, 403, 404, 413, 429, 500), in the site's layout, each saying what to do next.

Django calls the handlers (`backend/urls.py`: `handler400`, …); `DomainErrorPages` turns a
service's refusal that no page caught into the same pages, with its status, instead of a 500.
An anonymous visitor refused a page (403) is sent to sign in, and back after: signing in is what
would help. The API keeps its own JSON answers (`core.api.errors`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

from core import errors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErrorPage:
    title: StrOrPromise
    message: StrOrPromise
    next_step: StrOrPromise


PAGES: dict[int, ErrorPage] = {
    400: ErrorPage(
        _("This request could not be understood"),
        _("What the page sent was incomplete or not valid."),
        _("Go back, check what you typed and try again; reloading the page first often helps."),
    ),
    403: ErrorPage(
        _("You are not allowed to see this page"),
        _("Your account does not give access to this page, or not yet."),
        _("If you think it should, sign in with the right account or ask the assembly's team."),
    ),
    404: ErrorPage(
        _("Page not found"),
        _("This page does not exist, or no longer exists."),
        _("Check the address, or start again from the home page."),
    ),
    409: ErrorPage(
        _("This could not be done now"),
        _("Something changed in the meantime."),
        _("Reload the page to see the current state, then try again."),
    ),
    413: ErrorPage(
        _("What you sent is too large"),
        _("The page or the file you sent is over the size the site accepts."),
        _("Send a smaller file, or split it, then try again."),
    ),
    429: ErrorPage(
        _("Too many attempts"),
        _("Too many requests came from you in a short time."),
        _("Wait a few minutes, then try again."),
    ),
    500: ErrorPage(
        _("Something went wrong on our side"),
        _("The site met an error; nothing you did caused it, and the team is told."),
        _("Try again in a few minutes. If it happens again, tell the assembly's team what you were doing."),
    ),
}


CSRF_MESSAGE = _("This form has expired or your browser blocked its cookie: reload the page, then send the form again.")


def render_error(request: HttpRequest | None, status: int, message: str | None = None) -> HttpResponse:
    """The error page for STATUS, in the layout; MESSAGE (a service's refusal) replaces the generic one."""
    page = PAGES.get(status, PAGES[400])
    context = {"status": status, "page": page, "message": message or page.message}
    template = loader.get_template("error.html")
    if request is None:
        # The 500 page renders without the request's context processors: they may be what failed.
        return HttpResponse(template.render({**context, "bare": True}), status=status)
    return HttpResponse(template.render(context, request), status=status)


def _wants_page(request: HttpRequest) -> bool:
    return not request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return render_error(request, 413)
    return render_error(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    user = getattr(request, "user", None)
    if request.method in ("GET", "HEAD") and _wants_page(request) and not (user and user.is_authenticated):
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    message = str(exception) if exception is not None and str(exception) else None
    return render_error(request, 403, message)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its valid token (an old tab, blocked cookies): the 403 page saying what to do."""
    return render_error(request, 403, str(CSRF_MESSAGE))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 404)


def server_error(request: HttpRequest | None = None) -> HttpResponse:
    try:
        return render_error(None, 500)
    except Exception:
        logger.exception("the 500 page failed to render")
        return HttpResponse("500", status=500, content_type="text/plain; charset=utf-8")


class DomainErrorPages:
    """A service's refusal that a page let through becomes that refusal's error page, not a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, errors.DomainError) or not _wants_page(request):
            return None
        if isinstance(exception, errors.PermissionDenied):
            return permission_denied(request, exception)
        if isinstance(exception, errors.NotFound):
            return render_error(request, 404)
        return render_error(request, exception.status, str(exception.message))
