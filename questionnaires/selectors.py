"""Reads of questionnaires: what a person may answer, their draft, and the results (split by college and gender)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from assembly.models import College, Gender, Mandate, User
from meetings.models import Attendance, Registration
from questionnaires.models import SCALE_MAX, SCALE_MIN, AnswerSheet, Question, Questionnaire, Respondent

GROUPS = [("all", None, None)] + [(c, "college", c) for c in College.values] + [(g, "gender", g) for g in Gender.values]


def in_audience(user: User, questionnaire: Questionnaire) -> bool:
    """A member of the questionnaire's assembly today; for a meeting's questionnaire, one of its participants."""
    if user is None or not user.is_authenticated:
        return False
    if not Mandate.objects.active_on().filter(user=user, assembly_id=questionnaire.assembly_id).exists():
        return False
    if questionnaire.meeting_id is None:
        return True
    return (
        Registration.objects.filter(meeting_id=questionnaire.meeting_id, user=user).exists()
        or Attendance.objects.filter(sitting__meeting_id=questionnaire.meeting_id, user=user).exists()
    )


def questionnaires_for(user: User) -> list[Questionnaire]:
    """Open questionnaires whose audience includes USER (one query per open questionnaire; they are few)."""
    open_ones = Questionnaire.objects.filter(state=Questionnaire.State.OPEN).order_by("closes_at", "pk")
    return [q for q in open_ones if in_audience(user, q)]


def questionnaire_with_questions(pk: int) -> Questionnaire:
    return Questionnaire.objects.prefetch_related("sections", "questions__choices", "questions__section").get(pk=pk)


def respondent_of(user: User, questionnaire: Questionnaire) -> Respondent | None:
    return Respondent.objects.filter(questionnaire=questionnaire, user=user).first()


def _sheets(questionnaire: Questionnaire) -> list[AnswerSheet]:
    # Primary-key order: random UUIDs, so the order says nothing about who answered when.
    return list(
        AnswerSheet.objects.filter(questionnaire=questionnaire).order_by("pk").only("college", "gender", "answers")
    )


def _group_of(sheet: AnswerSheet, attr: str | None, value: str | None) -> bool:
    return attr is None or getattr(sheet, attr) == value


def ranking_scores(question: Question, sheets: list[AnswerSheet] | None = None) -> list[dict[str, Any]]:
    """Borda scores of a ranking question (n−1 points for first place … 0 for last), best first."""
    sheets = _sheets(question.questionnaire) if sheets is None else sheets
    choices = list(question.choices.all())
    n = len(choices)
    scores: Counter[int] = Counter()
    firsts: Counter[int] = Counter()
    for sheet in sheets:
        ranking = sheet.answers.get(str(question.pk))
        if not ranking:
            continue
        for place, choice_id in enumerate(ranking):
            scores[choice_id] += n - 1 - place
        firsts[ranking[0]] += 1
    rows = [{"choice": c, "score": scores[c.pk], "first": firsts[c.pk]} for c in choices]
    return sorted(rows, key=lambda r: (-r["score"], -r["first"], r["choice"].position))


def results(questionnaire: Questionnaire) -> dict[str, Any]:
    """Counts per question and choice, overall and per college and gender; free text listed. Two queries + prefetch."""
    questionnaire = questionnaire_with_questions(questionnaire.pk)
    sheets = _sheets(questionnaire)
    totals = {name: sum(1 for s in sheets if _group_of(s, attr, value)) for name, attr, value in GROUPS}
    out = []
    for question in questionnaire.questions.all():
        key = str(question.pk)
        answered = [s for s in sheets if key in s.answers]
        entry: dict[str, Any] = {
            "question": question,
            "answered": len(answered),
            "answered_by": {
                name: sum(1 for s in answered if _group_of(s, attr, value)) for name, attr, value in GROUPS
            },
            "rows": [],
            "texts": [],
        }
        if question.kind == Question.Kind.TEXT:
            entry["texts"] = [s.answers[key] for s in answered]
        elif question.kind == Question.Kind.RANKING:
            entry["ranking"] = ranking_scores(question, sheets)
            best = max((r["score"] for r in entry["ranking"]), default=0) or 1
            for row in entry["ranking"]:
                row["percent"] = round(100 * row["score"] / best)
        else:
            if question.kind == Question.Kind.SCALE:
                options = [(v, str(v)) for v in range(SCALE_MIN, SCALE_MAX + 1)]
            else:
                options = [(c.pk, c.label) for c in question.choices.all()]
            for value, label in options:
                counts = {}
                for name, attr, group_value in GROUPS:
                    counts[name] = sum(
                        1
                        for s in answered
                        if _group_of(s, attr, group_value)
                        and (value in s.answers[key] if isinstance(s.answers[key], list) else s.answers[key] == value)
                    )
                base = len(answered) or 1
                entry["rows"].append(
                    {
                        "value": value,
                        "label": label,
                        "counts": counts,
                        "percent": round(100 * counts["all"] / base),
                        # Share of each group's answers to this question, for the split charts.
                        "percents": {
                            name: round(100 * counts[name] / (entry["answered_by"][name] or 1)) for name in counts
                        },
                    }
                )
            if question.kind == Question.Kind.SCALE and answered:
                entry["mean"] = round(sum(s.answers[key] for s in answered) / len(answered), 2)
        out.append(entry)
    return {"questionnaire": questionnaire, "sheets": len(sheets), "totals": totals, "questions": out}
