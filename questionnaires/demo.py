"""Demo content of questionnaires: the yearly evaluation, open to every member, with some answers.

Run by `seed_demo`. Idempotent: the questionnaire is found by its title.
"""

from __future__ import annotations

import random

from assembly.models import Assembly, Mandate, User
from proposals.models import Theme
from questionnaires import services
from questionnaires.models import Question, Questionnaire

TITLE = "Évaluation de l'année et priorités"
PRIORITIES = ["Mobilités et transports", "Centres de santé", "Transition agro-écologique", "Logement et énergie"]
REMARKS = [
    "Les ateliers territoriaux sont le meilleur moment de l'année.",
    "Plus de temps pour les retours d'expérience, s'il vous plaît.",
    "Les documents arrivent parfois tard avant les plénières.",
]


def seed(*, stdout) -> None:
    assembly = Assembly.objects.order_by("pk").first()
    staff = User.objects.filter(is_staff=True, is_superuser=False).order_by("pk").first()
    if assembly is None or staff is None or Questionnaire.objects.filter(title=TITLE).exists():
        return
    themes = {t.name: t for t in Theme.objects.all()}
    questionnaire = services.questionnaire_create(
        by=staff,
        assembly=assembly,
        title=TITLE,
        description="Quelques minutes pour dire ce qui a marché et ce qui doit changer l'an prochain.",
        sections=["Le fonctionnement de l'assemblée", "Les priorités de l'an prochain"],
        questions=[
            {"kind": "scale", "text": "Êtes-vous satisfait des plénières ?", "required": True, "section": 0},
            {
                "kind": "single",
                "text": "Quel format préférez-vous ?",
                "choices": ["Plénière", "Atelier territorial", "Réunion en ligne"],
                "section": 0,
            },
            {
                "kind": "multiple",
                "text": "Quels outils utilisez-vous ?",
                "choices": ["Téléphone", "Ordinateur", "Documents papier"],
                "section": 0,
            },
            {
                "kind": "ranking",
                "text": "Classez les thèmes prioritaires de l'an prochain",
                "choices": PRIORITIES,
                "themes": [themes.get(name) for name in PRIORITIES],
                "section": 1,
            },
            {"kind": "text", "text": "Une remarque pour l'équipe d'animation ?", "section": 1},
        ],
    )
    questionnaire = services.questionnaire_open(by=staff, questionnaire=questionnaire)
    questions = list(questionnaire.questions.prefetch_related("choices").order_by("position"))
    rng = random.Random(2027)
    members = (
        Mandate.objects.active_on()
        .filter(assembly=assembly, user__is_staff=False, user__is_active=True)
        .select_related("user")
        .order_by("user_id")[:40]
    )
    answered = 0
    for i, mandate in enumerate(members):
        answers: dict[str, object] = {}
        for q in questions:
            ids = [c.pk for c in q.choices.all()]
            if q.kind == Question.Kind.SCALE:
                answers[str(q.pk)] = rng.choice([3, 4, 4, 5, 2])
            elif q.kind == Question.Kind.SINGLE:
                answers[str(q.pk)] = rng.choice(ids)
            elif q.kind == Question.Kind.MULTIPLE:
                answers[str(q.pk)] = rng.sample(ids, rng.randint(1, len(ids)))
            elif q.kind == Question.Kind.RANKING:
                answers[str(q.pk)] = rng.sample(ids, len(ids))
            elif i % 9 == 0:
                answers[str(q.pk)] = REMARKS[(i // 9) % len(REMARKS)]
        if i % 10 == 9:  # a few members saved a draft to finish later
            services.answers_save(by=mandate.user, questionnaire=questionnaire, answers={str(questions[0].pk): 4})
            continue
        services.answers_submit(by=mandate.user, questionnaire=questionnaire, answers=answers)
        answered += 1
    stdout.write(f"  questionnaires: « {TITLE} » open, {answered} answers")
