"""Pages: public follow-up list and detail (with lineage), staff pages, dossier exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assembly.selectors import default_assembly
from core.errors import DomainError
from core.forms import add_domain_error
from core.http import AuthenticatedHttpRequest
from recommendations import selectors, services
from recommendations.exports import FORMATS, export_response
from recommendations.filters import RecommendationFilter
from recommendations.forms import (
    AdoptForm,
    AnswerForm,
    CompileForm,
    DossierForm,
    DossierItemsForm,
    EditForm,
    MergeForm,
    SplitForm,
)
from recommendations.models import Dossier, Recommendation, RegionAnswer


def _check(request: HttpRequest, perm: str, obj=None) -> None:
    """403 unless the rule holds. Staff pages are also `login_required`: an anonymous visitor is sent to sign in."""
    if not request.user.has_perm(perm, obj):
        raise DjangoPermissionDenied


def follow_up(request: HttpRequest) -> HttpResponse:
    """Public list of recommendations with the Region's answers, filterable."""
    filterset = RecommendationFilter(request.GET or None, queryset=selectors.public_recommendations())
    rows = [(r, selectors.current_answer(r)) for r in filterset.qs.distinct()[:200]]
    return render(
        request,
        "recommendations/follow_up.html",
        {
            "filter": filterset,
            "rows": rows,
            "statuses": RegionAnswer.Status,
            "can_compile": request.user.has_perm("recommendations.compile_recommendation"),
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(Recommendation, pk=pk)
    _check(request, "recommendations.view_recommendation", recommendation)
    return render(
        request,
        "recommendations/detail.html",
        {
            "recommendation": recommendation,
            "entry": selectors.recommendation_entry(recommendation),
            "versions": recommendation.versions.all(),
            "answers": recommendation.answers.all(),
            "answer_form": AnswerForm() if request.user.has_perm("recommendations.record_answer") else None,
            "can_change": request.user.has_perm("recommendations.change_recommendation", recommendation),
            "can_adopt": request.user.has_perm("recommendations.adopt_recommendation", recommendation),
        },
    )


def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Dossier.objects.select_related("assembly"), pk=pk)
    _check(request, "recommendations.view_dossier", item)
    return _render_dossier(request, item)


def _render_dossier(request: HttpRequest, item: Dossier, items_form: DossierItemsForm | None = None, status=200):
    manage = request.user.has_perm("recommendations.manage_dossier", item)
    if manage and items_form is None:
        items_form = DossierItemsForm(
            adopted=selectors.transmittable_recommendations(item.assembly_id, item),
            initial={"recommendations": list(item.items.values_list("recommendation_id", flat=True))},
        )
    return render(
        request,
        "recommendations/dossier.html",
        {
            "dossier": item,
            "document": selectors.dossier_document(item),
            "formats": FORMATS.values(),
            "items_form": items_form if manage else None,
            "is_empty": not item.items.exists(),
        },
        status=status,
    )


def dossier_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """Download a dossier: CSV and JSON stream as they are written; the others go through a temp file."""
    item = get_object_or_404(Dossier.objects.select_related("assembly"), pk=pk)
    _check(request, "recommendations.export_dossier", item)
    if fmt not in FORMATS:
        return HttpResponse(_("Unknown export format."), status=404)
    if not item.items.exists():
        messages.error(request, _("This dossier is empty: add adopted recommendations first."))
        return redirect("recommendations:dossier", pk=item.pk)
    document = selectors.dossier_document(item)
    return export_response(document, fmt)


@login_required
def staff(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check(request, "recommendations.compile_recommendation")
    return render(
        request,
        "recommendations/staff.html",
        {
            "recommendations": selectors.staff_recommendations()[:300],
            "dossiers": selectors.dossiers_visible_to(request.user)[:50],
            "overdue": selectors.overdue()[:100],
        },
    )


@require_http_methods(["POST"])
@login_required
def record_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(Recommendation, pk=pk)
    _check(request, "recommendations.record_answer", recommendation)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_record(by=request.user, recommendation=recommendation, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The Region's answer was recorded."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return redirect("recommendations:detail", pk=recommendation.pk)


# --- Staff pages: every write goes through a service; its errors are shown next to the field ------


def _assembly_or_404():
    assembly = default_assembly()
    if assembly is None:
        raise Http404
    return assembly


@require_http_methods(["GET", "POST"])
@login_required
def compile_recommendation(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check(request, "recommendations.compile_recommendation")
    assembly = _assembly_or_404()
    form = CompileForm(request.POST or None, assembly=assembly)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation = services.recommendation_compile(
                by=request.user,
                assembly=assembly,
                title=data["title"],
                text=data["text"],
                policy=data["policy"],
                proposals=list(data["proposals"]),
                themes=data["themes"] or None,
                territories=data["territories"] or None,
                key_comments=data["key_comments"],
                key_opinions=data["key_opinions"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Recommendation %(reference)s compiled.") % {"reference": recommendation.reference}
            )
            return redirect("recommendations:detail", pk=recommendation.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "recommendations/compile.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def edit_recommendation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(Recommendation, pk=pk)
    _check(request, "recommendations.change_recommendation", recommendation)
    initial = {
        "title": recommendation.title,
        "text": recommendation.text,
        "policy": recommendation.policy,
        "themes": list(recommendation.themes.all()),
        "territories": list(recommendation.territories.all()),
    }
    form = EditForm(request.POST or None, recommendation=recommendation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_update(
                by=request.user,
                recommendation=recommendation,
                title=data["title"],
                text=data["text"],
                policy=data["policy"],
                themes=data["themes"],
                territories=data["territories"],
                reason=data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The recommendation was saved."))
            return redirect("recommendations:detail", pk=recommendation.pk)
    return render(
        request,
        "recommendations/edit.html",
        {
            "form": form,
            "recommendation": recommendation,
            "versions": recommendation.versions.select_related("edited_by"),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def merge_recommendations(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check(request, "recommendations.change_recommendation")
    assembly = _assembly_or_404()
    form = MergeForm(request.POST or None, drafts=selectors.draft_recommendations(assembly.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            merged = services.recommendation_merge(
                by=request.user,
                recommendations=list(data["recommendations"]),
                title=data["title"],
                text=data["text"],
                policy=data["policy"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Recommendations merged into %(reference)s.") % {"reference": merged.reference})
            return redirect("recommendations:detail", pk=merged.pk)
    return render(
        request, "recommendations/merge.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@require_http_methods(["GET", "POST"])
@login_required
def split_recommendation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(Recommendation, pk=pk)
    _check(request, "recommendations.change_recommendation", recommendation)
    form = SplitForm(request.POST or None, recommendation=recommendation)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.recommendation_split(by=request.user, recommendation=recommendation, parts=form.parts())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Recommendation split into %(references)s.")
                % {"references": ", ".join(r.reference for r in created)},
            )
            return redirect("recommendations:staff")
    return render(
        request,
        "recommendations/split.html",
        {"form": form, "recommendation": recommendation},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def adopt_recommendation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(Recommendation, pk=pk)
    _check(request, "recommendations.adopt_recommendation", recommendation)
    form = AdoptForm(request.POST or None, assembly=recommendation.assembly)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_adopt(
                by=request.user,
                recommendation=recommendation,
                mode=data["mode"],
                on=data["on"],
                sitting=data["sitting"],
                ballot=data["ballot"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The adoption was recorded."))
            return redirect("recommendations:detail", pk=recommendation.pk)
    return render(
        request,
        "recommendations/adopt.html",
        {"form": form, "recommendation": recommendation},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def create_dossier(request: AuthenticatedHttpRequest) -> HttpResponse:
    assembly = _assembly_or_404()
    _check(request, "recommendations.manage_dossier", assembly)
    form = DossierForm(request.POST or None, adopted=selectors.transmittable_recommendations(assembly.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.dossier_create(
                by=request.user,
                assembly=assembly,
                title=data["title"],
                date=data["date"],
                recipient=data["recipient"],
                introduction=data["introduction"],
                answer_due_on=data["answer_due_on"] or None,
                recommendations=list(data["recommendations"]),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The dossier was created."))
            return redirect("recommendations:dossier", pk=item.pk)
    return render(
        request, "recommendations/dossier_form.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@require_http_methods(["POST"])
@login_required
def dossier_items(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Dossier.objects.select_related("assembly"), pk=pk)
    _check(request, "recommendations.manage_dossier", item)
    form = DossierItemsForm(request.POST, adopted=selectors.transmittable_recommendations(item.assembly_id, item))
    if form.is_valid():
        try:
            services.dossier_set_recommendations(
                by=request.user, dossier=item, recommendations=list(form.cleaned_data["recommendations"])
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The dossier's recommendations were saved."))
            return redirect("recommendations:dossier", pk=item.pk)
    return _render_dossier(request, item, form, status=400)


@require_http_methods(["POST"])
@login_required
def dossier_transmit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Dossier, pk=pk)
    _check(request, "recommendations.manage_dossier", item)
    try:
        services.dossier_transmit(by=request.user, dossier=item)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The dossier was transmitted."))
    return redirect("recommendations:dossier", pk=item.pk)
