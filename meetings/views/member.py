"""A member's own pages at a sitting: check in from the QR code, leave the room (check out), give a proxy.

Thin: the services (`meetings.services.attendance`, `meetings.services.proxies`) decide; a refusal
is shown as a message.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from assembly.models import User
from core.errors import DomainError
from core.forms import add_domain_error
from core.http import AuthenticatedHttpRequest
from meetings.models import Proxy, Sitting
from meetings.selectors import sittings as sitting_selectors
from meetings.services import attendance as attendance_services
from meetings.services import proxies as proxy_services


class MemberChoiceField(forms.ModelChoiceField):
    """A choice of member, shown by their display name."""

    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class ProxyForm(forms.Form):
    holder = MemberChoiceField(
        queryset=User.objects.none(),
        label=_("Give my vote to"),
        help_text=_("A member of the assembly; your vote counts only if they are in the room when a ballot opens."),
    )

    def __init__(self, *args: Any, sitting: Sitting, giver: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        holder = self.fields["holder"]
        assert isinstance(holder, MemberChoiceField)
        holder.queryset = sitting_selectors.proxy_holders(sitting, giver=giver)


def _sitting(request: AuthenticatedHttpRequest, pk: int) -> Sitting:
    sitting = get_object_or_404(Sitting.objects.select_related("meeting"), pk=pk)
    if not request.user.has_perm("meetings.view_sitting", sitting):
        raise DjangoPermissionDenied
    return sitting


@login_required
def check_in(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The page a member's phone opens from the QR code: one button to confirm presence."""
    sitting = get_object_or_404(Sitting.objects.select_related("meeting"), pk=pk)
    token = request.POST.get("t") or request.GET.get("t", "")
    done = False
    if request.method == "POST":
        try:
            attendance_services.attendance_check_in(user=request.user, token=token)
            done = True
        except DomainError as exc:
            messages.error(request, str(exc.message))
    return render(request, "meetings/check_in.html", {"sitting": sitting, "token": token, "done": done})


@login_required
def sitting_proxy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Give my vote for this sitting to a present member; see and withdraw the proxy I gave."""
    sitting = _sitting(request, pk)
    form = ProxyForm(request.POST or None, sitting=sitting, giver=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            proxy_services.proxy_give(
                by=request.user, sitting=sitting, giver=request.user, holder=form.cleaned_data["holder"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your proxy is recorded; staff will validate it."))
            return redirect("meetings:sitting_proxy", pk=pk)
    given = sitting_selectors.proxies_of(sitting).filter(giver=request.user).order_by("-created_at")
    held = sitting_selectors.held_proxies(sitting=sitting, holder=request.user)
    return render(
        request,
        "meetings/member_proxy.html",
        {
            "sitting": sitting,
            "form": form,
            "given": given,
            "held": held,
            "present": sitting_selectors.is_present(sitting=sitting, user=request.user),
            "live_states": Proxy.LIVE_STATES,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def sitting_proxy_withdraw(request: AuthenticatedHttpRequest, pk: int, proxy_pk: int) -> HttpResponse:
    proxy = get_object_or_404(Proxy.objects.select_related("sitting"), pk=proxy_pk, sitting_id=pk)
    try:
        proxy_services.proxy_withdraw(by=request.user, proxy=proxy)
        messages.success(request, _("Your proxy is withdrawn."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("meetings:sitting_proxy", pk=pk)


@login_required
def sitting_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Leave the room (check out); then, if needed, give a proxy."""
    sitting = _sitting(request, pk)
    present = sitting_selectors.is_present(sitting=sitting, user=request.user)
    if request.method == "POST":
        try:
            attendance_services.attendance_check_out(by=request.user, sitting=sitting, user=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("You have left the room. You can give your vote to a present member."))
            return redirect("meetings:sitting_proxy", pk=pk)
    return render(request, "meetings/member_leave.html", {"sitting": sitting, "present": present})
