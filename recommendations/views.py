"""Pages: public follow-up list and detail (with lineage), staff pages, dossier exports."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assembly.errors import DomainError
from recommendations import selectors, services
from recommendations.exports import FORMATS, filename, stream_export, write_export
from recommendations.filters import RecommendationFilter
from recommendations.forms import AnswerForm
from recommendations.models import Dossier, Recommendation, RegionAnswer


def _check(request: HttpRequest, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise DjangoPermissionDenied


def follow_up(request: HttpRequest) -> HttpResponse:
    """Public list of recommendations with the Region's answers, filterable."""
    filterset = RecommendationFilter(request.GET or None, queryset=selectors.public_recommendations())
    rows = [(r, selectors.current_answer(r)) for r in filterset.qs.distinct()[:200]]
    return render(
        request,
        "recommendations/follow_up.html",
        {"filter": filterset, "rows": rows, "statuses": RegionAnswer.Status},
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
        },
    )


def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Dossier.objects.select_related("assembly"), pk=pk)
    _check(request, "recommendations.view_dossier", item)
    return render(
        request,
        "recommendations/dossier.html",
        {"dossier": item, "document": selectors.dossier_document(item), "formats": FORMATS.values()},
    )


def dossier_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Download a dossier: CSV and JSON stream as they are written; the others go through a temp file."""
    item = get_object_or_404(Dossier.objects.select_related("assembly"), pk=pk)
    _check(request, "recommendations.export_dossier", item)
    if fmt not in FORMATS:
        return HttpResponse(_("Unknown export format."), status=404)
    if not item.items.exists():
        messages.error(request, _("This dossier is empty: add adopted recommendations first."))
        return redirect("recommendations:dossier", pk=item.pk)
    document = selectors.dossier_document(item)
    spec = FORMATS[fmt]
    if spec.stream is not None:
        response: HttpResponse = StreamingHttpResponse(stream_export(document, fmt), content_type=spec.content_type)
    else:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it
        write_export(document, fmt, handle)
        handle.seek(0)
        response = FileResponse(handle, content_type=spec.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(document, fmt)}"'
    return response


def staff(request: HttpRequest) -> HttpResponse:
    _check(request, "recommendations.compile_recommendation")
    return render(
        request,
        "recommendations/staff.html",
        {
            "recommendations": selectors.staff_recommendations()[:300],
            "dossiers": Dossier.objects.order_by("-date", "-id")[:50],
            "overdue": selectors.overdue()[:100],
        },
    )


@require_http_methods(["POST"])
def record_answer(request: HttpRequest, pk: int) -> HttpResponse:
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
            for error in errors:
                messages.error(request, error)
    return redirect("recommendations:detail", pk=recommendation.pk)
