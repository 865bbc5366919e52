"""Pages of the meetings calendar: list, detail with registration, feeds, staff exports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, ValidationFailed
from core.http import AuthenticatedHttpRequest
from meetings import exports, ical
from meetings.models import MeetingDocument
from meetings.selectors import calendar as calendar_selectors
from meetings.services import calendar as calendar_services


def calendar_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/calendar_list.html",
        {
            "upcoming": calendar_selectors.visible_meetings(request.user, upcoming=True),
            "past": calendar_selectors.visible_meetings(request.user, upcoming=False)[:20],
            "registered": calendar_selectors.registered_meeting_ids(request.user),
        },
    )


def calendar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(calendar_selectors.calendar_meetings(), pk=pk)
    past = meeting.date < timezone.localdate()
    if not request.user.has_perm("meetings.view_meeting", meeting):
        # The public page of a meeting opens once it took place; before, signed-in people see it.
        return redirect_to_login(request.get_full_path())
    can_see_list = request.user.has_perm("meetings.view_registrations", meeting)
    return render(
        request,
        "meetings/calendar_detail.html",
        {
            "meeting": meeting,
            "details": getattr(meeting, "details", None) if hasattr(meeting, "details") else None,
            "past": past,
            "registered": meeting.pk in calendar_selectors.registered_meeting_ids(request.user),
            "registrations": calendar_selectors.registrations_of(meeting) if can_see_list else None,
            "manages": request.user.has_perm("meetings.manage_calendar", meeting),
            "can_register": not past and request.user.has_perm("meetings.register", meeting),
            "document_kinds": MeetingDocument.Kind.choices,
        },
    )


@login_required
@require_POST
def calendar_register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(calendar_selectors.calendar_meetings(), pk=pk)
    try:
        if request.POST.get("action") == "cancel":
            calendar_services.registration_cancel(by=request.user, meeting=meeting)
            messages.success(request, _("You are no longer registered."))
        else:
            calendar_services.registration_register(by=request.user, meeting=meeting)
            messages.success(request, _("You are registered."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("meetings:calendar_detail", pk=pk)


def _ics(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agora.ics"'
    return response


def calendar_feed_public(request: HttpRequest) -> HttpResponse:
    meetings = calendar_selectors.visible_meetings(None)
    return _ics(ical.build_feed(meetings, name=_("Assembly meetings"), site_url=settings.SITE_URL))


def calendar_feed_member(request: HttpRequest, token: str) -> HttpResponse:
    found = calendar_selectors.member_feed_meetings(token)
    if found is None:
        raise Http404
    _user, meetings = found
    return _ics(ical.build_feed(meetings, name=_("My meetings"), site_url=settings.SITE_URL))


@login_required
def calendar_feed_address(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET shows the address (if any) without writing; POST creates it, or renews it."""
    token: str | None
    if request.method == "POST":
        exists = calendar_selectors.feed_token_of(request.user) is not None
        token = calendar_services.calendar_feed_token(user=request.user, renew=exists)
        done = _("Your feed address has been renewed.") if exists else _("Your feed address is ready.")
        messages.success(request, done)
    else:
        token = calendar_selectors.feed_token_of(request.user)
    url = request.build_absolute_uri(reverse("meetings:calendar_feed_member", args=[token])) if token else None
    return render(request, "meetings/calendar_feed.html", {"url": url})


# The formats of the registrations export; any other is 404, like every export of the site.
REGISTRATION_EXPORTS = ("csv", "pdf")


@login_required
def calendar_registrations_export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    meeting = get_object_or_404(calendar_selectors.calendar_meetings(), pk=pk)
    if fmt not in REGISTRATION_EXPORTS or not request.user.has_perm("meetings.view_registrations", meeting):
        raise Http404
    entries = calendar_selectors.registrations_of(meeting)
    if fmt == "csv":
        response = HttpResponse(exports.registrations_csv(meeting, entries), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="inscriptions-{meeting.pk}.csv"'
    else:
        response = HttpResponse(exports.sign_in_sheet_pdf(meeting, entries), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="emargement-{meeting.pk}.pdf"'
    return response


@login_required
@require_POST
def calendar_document_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff attach a document (PDF, ODT, ODP) to the meeting; a refused file changes nothing."""
    meeting = get_object_or_404(calendar_selectors.calendar_meetings(), pk=pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationFailed(_("Choose a file."), field="file")
        calendar_services.document_add(
            by=request.user,
            meeting=meeting,
            upload=upload,
            kind=request.POST.get("kind", MeetingDocument.Kind.OTHER),
            title=request.POST.get("title", ""),
        )
        messages.success(request, _("Document added."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("meetings:calendar_detail", pk=pk)


@login_required
@require_POST
def calendar_document_remove(request: AuthenticatedHttpRequest, pk: int, document_pk: int) -> HttpResponse:
    document = get_object_or_404(MeetingDocument.objects.select_related("meeting"), pk=document_pk, meeting_id=pk)
    try:
        calendar_services.document_remove(by=request.user, document=document)
        messages.success(request, _("Document removed."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("meetings:calendar_detail", pk=pk)
