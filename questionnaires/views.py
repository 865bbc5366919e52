"""Pages of evaluation questionnaires: answer (save and finish later), staff builder, results and exports.

Thin: the answer form is read into the service's shape (`{question id: value}`), the services
check everything; a domain error is shown at its question (`q<id>`) and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from assembly.models import Assembly, College, Gender
from core.errors import DomainError
from core.forms import add_domain_error
from core.http import AuthenticatedHttpRequest
from questionnaires import selectors, services
from questionnaires.exports import FORMATS as EXPORTS
from questionnaires.forms import QuestionFormSet, QuestionnaireForm
from questionnaires.models import SCALE_MAX, SCALE_MIN, Question, Questionnaire, Respondent


def _manages(request: HttpRequest) -> bool:
    return request.user.has_perm("questionnaires.manage_questionnaire")


@login_required
def questionnaire_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    manages = _manages(request)
    open_ones = selectors.questionnaires_for(request.user)
    finished = {
        r.questionnaire_id: r.finished
        for r in Respondent.objects.filter(user=request.user, questionnaire__in=[q.pk for q in open_ones])
    }
    return render(
        request,
        "questionnaires/list.html",
        {
            "open_ones": [(q, finished.get(q.pk)) for q in open_ones],
            "all_ones": Questionnaire.objects.order_by("-created_at", "-pk")[:100] if manages else None,
        },
    )


# --- answering -----------------------------------------------------------------------------------


def _read_answers(questions: list[Question], data) -> dict[str, Any]:
    """The posted form, in the service's shape: {question id: value}. Validation is the service's."""
    answers: dict[str, Any] = {}
    for q in questions:
        name = f"q{q.pk}"
        if q.kind == Question.Kind.MULTIPLE:
            value: Any = data.getlist(name)
        elif q.kind == Question.Kind.RANKING:
            # One select per place ("1st", "2nd", …), each naming a choice; empty places are dropped.
            value = [v for v in (data.get(f"{name}_{place}", "") for place in range(1, len(q.choices.all()) + 1)) if v]
        else:
            value = data.get(name, "")
        answers[str(q.pk)] = value
    return answers


def _items(questions: list[Question], values: dict[str, Any], error: DomainError | None) -> list[dict[str, Any]]:
    """What the template needs per question: its field name, the value to show, its error."""
    items = []
    for q in questions:
        value = values.get(str(q.pk))
        as_list = (
            [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value not in (None, "") else [])
        )
        choices = list(q.choices.all())
        options: list[dict[str, Any]]
        if q.kind == Question.Kind.SCALE:
            options = [{"value": str(v), "label": str(v)} for v in range(SCALE_MIN, SCALE_MAX + 1)]
        else:
            options = [{"value": str(c.pk), "label": c.label} for c in choices]
        for option in options:
            option["checked"] = option["value"] in as_list
        ranks = [
            {"place": place, "selected": as_list[place - 1] if place - 1 < len(as_list) else ""}
            for place in range(1, len(choices) + 1)
        ]
        message = str(error.message) if error is not None and error.field == f"q{q.pk}" else ""
        described = [f"q{q.pk}-help"] if q.help_text else []
        if message:
            described.append(f"q{q.pk}-error")
        items.append(
            {
                "question": q,
                "name": f"q{q.pk}",
                "describedby": " ".join(described),
                "options": options,
                "ranks": ranks,
                "text": value if isinstance(value, str) else "",
                "error": message,
            }
        )
    return items


def _sections(questionnaire: Questionnaire, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = [{"title": "", "items": [i for i in items if i["question"].section_id is None]}]
    for section in questionnaire.sections.all():
        sections.append({"title": section.title, "items": [i for i in items if i["question"].section_id == section.pk]})
    return [s for s in sections if s["items"]]


@login_required
def questionnaire_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        questionnaire = selectors.questionnaire_with_questions(pk)
    except Questionnaire.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm("questionnaires.view_questionnaire", questionnaire):
        raise Http404
    questions = list(questionnaire.questions.all())
    respondent = selectors.respondent_of(request.user, questionnaire)
    values: dict[str, Any] = dict(respondent.draft) if respondent else {}
    error: DomainError | None = None
    if request.method == "POST":
        values = _read_answers(questions, request.POST)
        try:
            if request.POST.get("action") == "submit":
                services.answers_submit(by=request.user, questionnaire=questionnaire, answers=values)
                messages.success(request, _("Thank you: your answers are recorded."))
            else:
                services.answers_save(by=request.user, questionnaire=questionnaire, answers=values)
                messages.success(request, _("Your answers are saved; you can finish later."))
            return redirect("questionnaires:questionnaire_answer", pk=pk)
        except DomainError as exc:
            error = exc
    items = _items(questions, values, error)
    return render(
        request,
        "questionnaires/answer.html",
        {
            "questionnaire": questionnaire,
            "sections": _sections(questionnaire, items),
            "finished": bool(respondent and respondent.finished),
            "accepting": questionnaire.is_accepting(),
            "in_audience": selectors.in_audience(request.user, questionnaire),
            "error": error,
            "error_field": error.field if error is not None else "",
        },
        status=400 if error is not None else 200,
    )


# --- staff: builder, results, exports --------------------------------------------------------------


@login_required
def questionnaire_build(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not _manages(request):
        raise DjangoPermissionDenied
    form = QuestionnaireForm(request.POST or None, initial={"assembly": Assembly.objects.order_by("pk").first()})
    formset = QuestionFormSet(request.POST or None, prefix="q")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        sections = [line.strip() for line in data["sections"].splitlines() if line.strip()]
        questions = [
            {
                "kind": row["kind"],
                "text": row["text"],
                "required": row["required"],
                "choices": row["choices"].splitlines(),
                "section": row["section"] - 1 if row.get("section") else None,
            }
            for row in formset.cleaned_data
            if row and row.get("text", "").strip()
        ]
        try:
            questionnaire = services.questionnaire_create(
                by=request.user,
                assembly=data["assembly"],
                title=data["title"],
                description=data["description"],
                anonymous=data["anonymous"],
                meeting=data["meeting"],
                sections=sections,
                questions=questions,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Questionnaire created. Check it, then open it to the members."))
            return redirect("questionnaires:questionnaire_results", pk=questionnaire.pk)
    return render(request, "questionnaires/build.html", {"form": form, "formset": formset})


GROUP_LABELS = [("all", _("All"))] + [(c.value, c.label) for c in College] + [(g.value, g.label) for g in Gender]


def _chart_rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "label": row["label"],
            "groups": [
                {"key": key, "label": label, "count": row["counts"][key], "percent": row["percents"][key]}
                for key, label in GROUP_LABELS
            ],
        }
        for row in entry["rows"]
    ]


@login_required
def questionnaire_results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if not request.user.has_perm("questionnaires.view_questionnaire_results", questionnaire):
        raise DjangoPermissionDenied
    result = selectors.results(questionnaire)
    entries = [{**entry, "chart": _chart_rows(entry)} for entry in result["questions"]]
    return render(
        request,
        "questionnaires/results.html",
        {
            "questionnaire": result["questionnaire"],
            "result": result,
            "entries": entries,
            "groups": GROUP_LABELS,
            "formats": list(EXPORTS),
        },
    )


@login_required
@require_POST
def questionnaire_state(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    try:
        if request.POST.get("action") == "open":
            services.questionnaire_open(by=request.user, questionnaire=questionnaire)
            messages.success(request, _("The questionnaire is open."))
        else:
            services.questionnaire_close(by=request.user, questionnaire=questionnaire)
            messages.success(request, _("The questionnaire is closed."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("questionnaires:questionnaire_results", pk=pk)


@login_required
def questionnaire_export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if fmt not in EXPORTS or not request.user.has_perm("questionnaires.view_questionnaire_results", questionnaire):
        raise Http404
    content_type, build = EXPORTS[fmt]
    response = HttpResponse(build(selectors.results(questionnaire)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="questionnaire-{pk}.{fmt}"'
    return response
