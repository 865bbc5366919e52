"""Live-room pages: the member's phone, the room projector, the staff control page, and the HTTP fallback.

The pages are server-rendered shells; `static/js/live.js` connects them to the websocket
(`votes.live.consumers`, protocol in docs/realtime-protocol.md) and falls back to HTTP polling
of `live_state` plus `live_vote` when websockets are blocked by the venue network.

The staff control page also carries the assisted-vote form (`votes/_assisted_vote.html`, plain
HTML, no script): staff record, at the desk, the vote of a present member without a phone
(`live_assisted_vote`, through `commands.assist`).
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from assembly.models import User
from core.errors import DomainError
from core.http import AuthenticatedHttpRequest
from core.qr import qr_svg
from meetings import checkin_qr
from meetings.models import Sitting
from meetings.selectors import sittings as meeting_selectors
from realtime import tickets
from votes import selectors
from votes.live import commands, state
from votes.live.access import STAFF, audience_of, screen_token, sitting_id_from_screen_token
from votes.models import Ballot


def _ws_path(sitting: Sitting) -> str:
    return f"/ws/v1/sittings/{sitting.pk}/"


def _ticket(request: AuthenticatedHttpRequest, sitting: Sitting, audience: str) -> str:
    """The connect ticket of this page's socket (see realtime.tickets): the checks just made here."""
    return tickets.issue(
        session_key=request.session.session_key, user_id=request.user.pk, path=_ws_path(sitting), grant=audience
    )


def _context(request: HttpRequest, sitting: Sitting, role: str) -> dict[str, Any]:
    return {
        "sitting": sitting,
        "role": role,
        "ws_path": _ws_path(sitting),
        "state_url": reverse("votes:live_state", args=[sitting.pk]),
        "vote_url": reverse("votes:live_vote", args=[sitting.pk]),
        "speakers_url": reverse("votes:live_speakers", args=[sitting.pk]),
        "phone_url": request.build_absolute_uri(reverse("votes:live_phone", args=[sitting.pk])),
    }


@login_required
@require_GET
def live_phone(request: AuthenticatedHttpRequest, sitting_id: int) -> HttpResponse:
    sitting = get_object_or_404(Sitting.objects.select_related("meeting"), pk=sitting_id)
    audience = audience_of(request.user, sitting)
    if audience is None:
        raise Http404
    context = _context(request, sitting, "phone")
    context["ticket"] = _ticket(request, sitting, audience)
    return render(request, "votes/live_phone.html", context)


@require_GET
def live_projector(request: HttpRequest, sitting_id: int) -> HttpResponse:
    token = request.GET.get("t", "")
    if sitting_id_from_screen_token(token) != sitting_id:
        raise Http404
    sitting = get_object_or_404(Sitting.objects.select_related("meeting"), pk=sitting_id)
    context = _context(request, sitting, "screen")
    context["screen_token"] = token
    context["qr_svg"] = qr_svg(context["phone_url"])
    if sitting.state != Sitting.State.CLOSED:
        # The door's code too, shown between items (no ballot open) and renewed before it expires.
        context["checkin"] = checkin_qr.checkin_qr(sitting=sitting, absolute=request.build_absolute_uri)
        context["checkin_refresh_url"] = (
            reverse("votes:live_projector_checkin", args=[sitting.pk]) + "?t=" + quote(token, safe="")
        )
    return render(request, "votes/projector.html", context)


@require_GET
def live_projector_checkin(request: HttpRequest, sitting_id: int) -> JsonResponse:
    """A fresh check-in QR code for the room screen (its link's token is the screen token), polled by
    `static/js/checkin-qr.js`. Whoever holds the screen link sees the door's code: it is on the wall anyway."""
    if sitting_id_from_screen_token(request.GET.get("t", "")) != sitting_id:
        raise Http404
    sitting = get_object_or_404(Sitting, pk=sitting_id)
    if sitting.state == Sitting.State.CLOSED:
        raise Http404
    return JsonResponse(checkin_qr.checkin_qr(sitting=sitting, absolute=request.build_absolute_uri))


@login_required
@require_GET
def live_control(request: AuthenticatedHttpRequest, sitting_id: int) -> HttpResponse:
    sitting = get_object_or_404(Sitting.objects.select_related("meeting"), pk=sitting_id)
    if not request.user.has_perm("votes.manage_ballot", sitting):
        raise Http404
    context = _context(request, sitting, "staff")
    context["ticket"] = _ticket(request, sitting, STAFF)
    context["ballots"] = list(selectors.sitting_ballots(sitting))
    context["agenda"] = list(meeting_selectors.agenda(sitting))
    context["screen_url"] = request.build_absolute_uri(
        reverse("votes:live_projector", args=[sitting.pk]) + "?t=" + screen_token(sitting=sitting)
    )
    context["assist_forms"] = _assist_forms(context["ballots"])
    context["proclaimed"] = selectors.proclaimed_ballots(sitting)
    return render(request, "votes/control.html", context)


# --- The assisted vote: staff record, at the desk, the vote of a present member without a phone ---


def _assist_forms(ballots: list[Ballot]) -> list[dict[str, Any]]:
    """One form per open ballot: who may be given an assisted vote, the options, a fresh vote id.

    The vote id is made with the page: submitting the form twice is a replay, counted once.
    """
    return [
        {
            "ballot": ballot,
            "options": list(ballot.options.order_by("position")),
            "electors": list(selectors.assistable_electors(ballot)),
            "recorded": list(selectors.assisted_votes(ballot)),
            "vote_id": uuid.uuid4(),
        }
        for ballot in ballots
        if ballot.state == Ballot.State.OPEN
    ]


def _int_or_text(value: str | None) -> Any:
    """A form value as the integer it spells, else as it is (the command layer refuses it on its field)."""
    return int(value) if value is not None and value.isdigit() else value


def _choice_from_form(ballot: Ballot, form: Any) -> Any:
    """The choice the form of `votes/_assisted_vote.html` carries, in the shape BALLOT's kind takes."""
    if ballot.kind in (Ballot.Kind.MULTIPLE, Ballot.Kind.ELECTION):
        return [_int_or_text(v) for v in form.getlist("choice")]
    if ballot.kind == Ballot.Kind.RANKING:
        return [_int_or_text(v) for v in form.getlist("rank") if v]
    if ballot.kind == Ballot.Kind.CANDIDATES:
        return {str(o.pk): form.get(f"candidate-{o.pk}") for o in ballot.options.all()}
    return _int_or_text(form.get("choice"))


@login_required
@require_POST
def live_assisted_vote(request: AuthenticatedHttpRequest, sitting_id: int) -> HttpResponse:
    """The control page's form: record the vote a present member gives staff at the desk, then back to the page."""
    sitting = get_object_or_404(Sitting, pk=sitting_id)
    if not request.user.has_perm("votes.assist_vote", sitting):
        raise DjangoPermissionDenied
    back = redirect("votes:live_control", sitting_id=sitting.pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Confirm that the member gave you this choice (tick the box), then record it."))
        return back
    ballot_id = _int_or_text(request.POST.get("ballot"))
    ballot = Ballot.objects.filter(pk=ballot_id, sitting=sitting).first() if isinstance(ballot_id, int) else None
    if ballot is None:
        messages.error(request, _("This ballot is not part of this sitting."))
        return back
    message = {
        "vote_id": request.POST.get("vote_id"),
        "ballot": ballot.pk,
        "member": _int_or_text(request.POST.get("member")),
        "choice": _choice_from_form(ballot, request.POST),
    }
    try:
        result = commands.assist(commands.assist_request(by=request.user, message=message, sitting_id=sitting.pk))
    except DomainError as error:
        messages.error(request, str(error.message))
        return back
    name = User.objects.get(pk=result.member_id).display_name
    if result.replayed:
        messages.info(request, _("This vote of %(name)s was already recorded; it counts once.") % {"name": name})
    else:
        messages.success(request, _("Vote of %(name)s recorded.") % {"name": name})
    return back


# --- HTTP fallback: the same snapshot and the same vote.cast, for networks that block websockets ---


def _error(error: DomainError) -> JsonResponse:
    return JsonResponse({"type": "error", **error.as_dict()}, status=error.status)


@login_required
@require_GET
def live_state(request: AuthenticatedHttpRequest, sitting_id: int) -> JsonResponse:
    """The `snapshot` message of the protocol, over HTTP (polled by the fallback)."""
    sitting = get_object_or_404(Sitting, pk=sitting_id)
    audience = audience_of(request.user, sitting)
    if audience is None:
        raise Http404
    return JsonResponse(state.snapshot_from_db(sitting_id=sitting.pk, audience=audience, viewer=request.user))


@login_required
@require_POST
def live_vote(request: AuthenticatedHttpRequest, sitting_id: int) -> JsonResponse:
    """`vote.cast` over HTTP: JSON body {vote_id, ballot, choice, on_behalf_of}; answers `vote.ack` or `error`."""
    try:
        message = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse(
            {"type": "error", "code": "bad_json", "message": _("This message is not valid JSON.")}, status=400
        )
    if not isinstance(message, dict):
        return JsonResponse(
            {"type": "error", "code": "bad_message", "message": _('A message is an object with a "type".')}, status=400
        )
    try:
        result = commands.cast(commands.vote_request(voter=request.user, message=message, sitting_id=sitting_id))
    except DomainError as error:
        return _error(error)
    return JsonResponse({"type": "vote.ack", **result.as_dict(), "ref": str(result.vote_id)})


# --- The speakers list: phones ask to speak and withdraw; the desk orders it and gives the floor ---


_SPEAKER_DONE = {
    "request": gettext_lazy("Your request to speak is recorded."),
    "withdraw": gettext_lazy("The request to speak is withdrawn."),
    "move": gettext_lazy("The list of speakers is reordered."),
    "give_floor": gettext_lazy("%(name)s has the floor."),
    "end": gettext_lazy("The speech of %(name)s has ended."),
}


@login_required
@require_POST
def live_speakers(request: AuthenticatedHttpRequest, sitting_id: int) -> HttpResponse:
    """The speakers list's actions (`commands.speaker_action`), in JSON or from a plain form.

    JSON body `{"action", "request"?, "direction"?, "seconds"?}` → `{"type": "speaker.ok", "action",
    "request", "state", "message"}` or an `error` with its status. A form (the desk without script)
    carries the same fields and goes back to the desk with a message.
    """
    sitting = get_object_or_404(Sitting, pk=sitting_id)
    if audience_of(request.user, sitting) is None:
        raise Http404
    is_json = request.content_type == "application/json"
    if is_json:
        try:
            message = json.loads(request.body or b"{}")
        except ValueError:
            message = None
        if not isinstance(message, dict):
            return JsonResponse(
                {"type": "error", "code": "bad_message", "message": _('A message is an object with an "action".')},
                status=400,
            )
    else:
        fields = ("action", "request", "direction", "seconds", "partners_may_speak")
        message = {key: _int_or_text(request.POST.get(key)) for key in fields}
        message = {key: value for key, value in message.items() if value not in (None, "")}
    if message.get("action") == "configure":
        return _speakers_configure(request, sitting, message, is_json)
    try:
        result = commands.speaker_action(
            by=request.user, action=message.get("action"), sitting_id=sitting.pk, arguments=message
        )
    except DomainError as error:
        if is_json:
            return _error(error)
        messages.error(request, str(error.message))
        return redirect("votes:live_control", sitting_id=sitting.pk)
    text = str(_SPEAKER_DONE[message["action"]]) % {"name": result.person.display_name}
    if is_json:
        return JsonResponse(
            {
                "type": "speaker.ok",
                "action": message["action"],
                "request": result.pk,
                "state": result.state,
                "message": text,
            }
        )
    messages.success(request, text)
    return redirect("votes:live_control", sitting_id=sitting.pk)


def _speakers_configure(
    request: AuthenticatedHttpRequest, sitting: Sitting, message: dict[str, Any], is_json: bool
) -> HttpResponse:
    """The desk's settings of the speakers list (`commands.speakers_configure`)."""
    try:
        commands.speakers_configure(by=request.user, sitting_id=sitting.pk, arguments=message)
    except DomainError as error:
        if is_json:
            return _error(error)
        messages.error(request, str(error.message))
        return redirect("votes:live_control", sitting_id=sitting.pk)
    text = _("The speakers list's settings are saved.")
    if is_json:
        return JsonResponse({"type": "speaker.ok", "action": "configure", "message": text})
    messages.success(request, text)
    return redirect("votes:live_control", sitting_id=sitting.pk)
