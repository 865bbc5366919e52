"""Staff action after workshop tables: open the ranking ballot over the tables' priority themes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from meetings.models import Sitting
from votes import services


@login_required
@require_POST
def priorities_ballot(request: HttpRequest, sitting_id: int) -> HttpResponse:
    sitting = get_object_or_404(Sitting, pk=sitting_id)
    try:
        services.priorities_ballot_open(by=request.user, sitting=sitting)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("meetings:tables_manage", pk=sitting_id)
    messages.success(request, _("The ranking ballot on the priority themes is open."))
    return redirect("votes:manage_ballots", sitting_id=sitting_id)
