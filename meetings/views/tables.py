"""Pages of workshop tables: staff split the room and follow the tables; the rapporteur captures from a phone.

Thin: forms read input, `meetings.services.tables` writes, `meetings.selectors.tables` reads.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.forms import add_domain_error
from core.http import AuthenticatedHttpRequest
from meetings.models import Sitting, TableContribution
from meetings.selectors import tables as table_selectors
from meetings.services import tables as table_services
from proposals.models import Theme


class SplitForm(forms.Form):
    tables = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=60,
        label=_("Number of tables"),
        help_text=_("Leave empty for tables of about ten."),
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=1_000_000,
        initial=0,
        label=_("Draw number"),
        help_text=_("Change it to draw another split with the same balance."),
    )


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=TableContribution.Kind.choices,
        widget=forms.RadioSelect,
        initial=TableContribution.Kind.PRIORITY,
        label=_("What the table gives"),
    )
    theme = forms.ModelChoiceField(queryset=Theme.objects.all(), label=_("Theme"))
    title = forms.CharField(max_length=200, label=_("Title"))
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


def _sitting(pk: int) -> Sitting:
    return get_object_or_404(Sitting.objects.select_related("meeting"), pk=pk)


@login_required
def tables_manage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff: split the members present into balanced tables; see each table, its rapporteur and output."""
    sitting = _sitting(pk)
    if not request.user.has_perm("meetings.manage_tables", sitting):
        raise DjangoPermissionDenied
    form = SplitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tables = table_services.tables_split(
                by=request.user,
                sitting=sitting,
                tables=form.cleaned_data["tables"],
                seed=form.cleaned_data["seed"] or 0,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(n)s tables drawn.") % {"n": len(tables)})
            return redirect("meetings:tables_manage", pk=pk)
    return render(
        request,
        "meetings/table_manage.html",
        {
            "sitting": sitting,
            "form": form,
            "tables": table_selectors.tables_of(sitting),
            "priority_themes": table_selectors.priority_themes(sitting),
        },
        status=400 if form.errors else 200,
    )


@login_required
def table_mine(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A member's table at the sitting; its rapporteur captures the table's priorities and proposals here."""
    sitting = _sitting(pk)
    if not request.user.has_perm("meetings.view_sitting", sitting):
        raise DjangoPermissionDenied
    table = table_selectors.table_of(sitting, request.user)
    if table is not None:
        table = table_selectors.tables_of(sitting).get(pk=table.pk)
    may_capture = table is not None and request.user.has_perm("meetings.contribute_table", table)
    form = ContributionForm(request.POST or None) if may_capture else None
    if request.method == "POST":
        if table is None or form is None:  # may not capture
            raise DjangoPermissionDenied
        if form.is_valid():
            try:
                table_services.table_contribute(by=request.user, table=table, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Recorded for your table."))
                return redirect("meetings:table_mine", pk=pk)
    return render(
        request,
        "meetings/table_mine.html",
        {"sitting": sitting, "table": table, "form": form},
        status=400 if form is not None and form.errors else 200,
    )
