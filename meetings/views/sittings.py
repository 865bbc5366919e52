"""Staff pages of sittings: preparation (meetings, sittings, agenda), attendance and proxies.

Thin: forms read input, services write, selectors read; domain errors become messages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from assembly.models import Assembly, User
from core.errors import DomainError
from core.forms import add_domain_error
from core.http import AuthenticatedHttpRequest
from meetings import checkin_qr
from meetings.models import AgendaItem, Meeting, Proxy, Sitting
from meetings.selectors import sittings as sitting_selectors
from meetings.services import agenda as agenda_services
from meetings.services import attendance as attendance_services
from meetings.services import proxies as proxy_services
from meetings.services import sittings as sitting_services
from proposals import selectors as proposal_selectors
from proposals.models import Proposal


def _staff(request: HttpRequest, sitting: Sitting | None = None) -> None:
    if not request.user.has_perm("meetings.manage_sitting", sitting):
        raise DjangoPermissionDenied


class SittingForm(forms.Form):
    assembly = forms.ModelChoiceField(queryset=Assembly.objects.all(), label=_("Assembly"))
    kind = forms.ChoiceField(choices=Meeting.Kind.choices, label=_("Kind"))
    title = forms.CharField(max_length=200, label=_("Title"))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(max_length=200, required=False, label=_("Place"))
    address = forms.CharField(required=False, label=_("Address"), widget=forms.Textarea(attrs={"rows": 2}))
    quorum_percent = forms.IntegerField(min_value=0, max_value=100, initial=50, label=_("Quorum (%)"))
    max_proxies_per_holder = forms.IntegerField(min_value=1, max_value=5, initial=1, label=_("Proxies per holder"))


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Agenda item"))
    description = forms.CharField(required=False, label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(choices=AgendaItem.Kind.choices, initial=AgendaItem.Kind.INFORMATION, label=_("Kind"))
    planned_minutes = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=agenda_services.PLANNED_MINUTES_MAX,
        label=_("Planned duration (minutes)"),
    )
    proposal = forms.ModelChoiceField(
        queryset=Proposal.objects.none(),
        required=False,
        label=_("Proposal put to the vote"),
        help_text=_("A ballot created from this item decides this proposal."),
    )

    def __init__(self, *args: Any, sitting: Sitting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        proposal = self.fields["proposal"]
        assert isinstance(proposal, forms.ModelChoiceField)
        proposal.queryset = proposal_selectors.votable_proposals(sitting.assembly_id)


class PersonForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Member"))

    def __init__(self, *args: Any, sitting: Sitting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = sitting_selectors.sitting_mandates(sitting).values_list("user_id", flat=True)
        user = self.fields["user"]
        assert isinstance(user, forms.ModelChoiceField)
        user.queryset = User.objects.filter(pk__in=ids).order_by("last_name", "first_name")


@login_required
def manage_sittings(request: AuthenticatedHttpRequest) -> HttpResponse:
    _staff(request)
    form = SittingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sitting = sitting_services.meeting_with_sitting_create(
                by=request.user,
                assembly=data["assembly"],
                kind=data["kind"],
                title=data["title"],
                date=data["date"],
                place=data["place"],
                address=data["address"],
                quorum_percent=data["quorum_percent"],
                max_proxies_per_holder=data["max_proxies_per_holder"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Sitting created."))
            return redirect("meetings:manage_sitting", pk=sitting.pk)
    sittings = sitting_selectors.sittings_for_staff()[:50]
    return render(request, "meetings/manage_sittings.html", {"form": form, "sittings": sittings})


@login_required
def manage_sitting(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    sitting = get_object_or_404(Sitting.objects.select_related("meeting"), pk=pk)
    _staff(request, sitting)
    agenda_form = AgendaItemForm(request.POST if request.POST.get("form") == "agenda" else None, sitting=sitting)
    person_form = PersonForm(request.POST if request.POST.get("form") == "attendance" else None, sitting=sitting)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "agenda" and agenda_form.is_valid():
                agenda_services.agenda_item_add(by=request.user, sitting=sitting, **agenda_form.cleaned_data)
                messages.success(request, _("Agenda item added."))
                return redirect("meetings:manage_sitting", pk=pk)
            if request.POST.get("form") == "attendance" and person_form.is_valid():
                attendance_services.attendance_mark_present(
                    by=request.user, sitting=sitting, user=person_form.cleaned_data["user"]
                )
                messages.success(request, _("Marked present."))
                return redirect("meetings:manage_sitting", pk=pk)
            if request.POST.get("form") == "state":
                if request.POST.get("action") == "open":
                    sitting_services.sitting_open(by=request.user, sitting=sitting)
                elif request.POST.get("action") == "close":
                    sitting_services.sitting_close(by=request.user, sitting=sitting)
                return redirect("meetings:manage_sitting", pk=pk)
        except DomainError as exc:
            if request.POST.get("form") == "agenda":
                add_domain_error(agenda_form, exc)
            else:
                messages.error(request, str(exc.message))
    context = {
        "sitting": sitting,
        "agenda": sitting_selectors.agenda(sitting).select_related("proposal"),
        "attendances": sitting_selectors.attendance_list(sitting),
        "proxies": sitting_selectors.proxies_of(sitting),
        "quorum": sitting_selectors.quorum(sitting),
        "agenda_form": agenda_form,
        "person_form": person_form,
        "checkin": checkin_qr.checkin_qr(sitting=sitting, absolute=request.build_absolute_uri),
        "checkin_refresh_url": reverse("meetings:manage_sitting_checkin_qr", args=[sitting.pk]),
    }
    return render(request, "meetings/manage_sitting.html", context)


@login_required
@require_GET
def manage_sitting_checkin_qr(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """A fresh check-in QR code of the sitting (polled by `static/js/checkin-qr.js` on the staff page)."""
    sitting = get_object_or_404(Sitting, pk=pk)
    _staff(request, sitting)
    return JsonResponse(checkin_qr.checkin_qr(sitting=sitting, absolute=request.build_absolute_uri))


@login_required
@require_POST
def manage_proxy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proxy = get_object_or_404(Proxy.objects.select_related("sitting"), pk=pk)
    _staff(request, proxy.sitting)
    try:
        if request.POST.get("action") == "validate":
            proxy_services.proxy_validate(by=request.user, proxy=proxy)
        else:
            proxy_services.proxy_refuse(by=request.user, proxy=proxy, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("meetings:manage_sitting", pk=proxy.sitting_id)


@login_required
@require_POST
def manage_agenda_item(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff take up an item ("make_current") or close it ("finish"), from the desk or the sitting page.

    Back to NEXT (a page of this site: the desk) or to the sitting page.
    """
    item = get_object_or_404(AgendaItem.objects.select_related("sitting"), pk=pk)
    _staff(request, item.sitting)
    if request.POST.get("action") not in {"make_current", "finish"}:
        return HttpResponseBadRequest(_("Unknown action: choose to take up the item or to close it."))
    try:
        if request.POST.get("action") == "make_current":
            agenda_services.agenda_item_make_current(by=request.user, item=item)
            messages.success(request, _("Item %(position)s is in progress.") % {"position": item.position})
        elif request.POST.get("action") == "finish":
            agenda_services.agenda_item_finish(by=request.user, item=item)
            messages.success(request, _("Item %(position)s is closed.") % {"position": item.position})
    except DomainError as exc:
        messages.error(request, str(exc.message))
    following = request.POST.get("next", "")
    if following and url_has_allowed_host_and_scheme(following, {request.get_host()}, request.is_secure()):
        return redirect(following)
    return redirect("meetings:manage_sitting", pk=item.sitting_id)
