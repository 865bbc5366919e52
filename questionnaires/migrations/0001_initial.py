# Questionnaires move from the votes app to their own app: the tables (votes_questionnaire,
# votes_questionnairesection, votes_question, votes_questionchoice, votes_respondent,
# votes_answersheet), their rows, constraints and indexes stay as votes/migrations/0002 made them;
# only Django's idea of which app owns the models changes (votes/migrations/0006 forgets them).
# It depends on votes' last migration before the move: the tables must exist before this app's
# later migrations change them.

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("assembly", "0002_auditevent_to_core"),
        ("meetings", "0003_agendaitem_proposal"),
        ("proposals", "0005_report_open_once"),
        ("votes", "0005_roll_ballot_index_in_unique"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Questionnaire",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        ("anonymous", models.BooleanField(default=True, verbose_name="anonymous answers")),
                        (
                            "state",
                            models.CharField(
                                choices=[("draft", "being prepared"), ("open", "open"), ("closed", "closed")],
                                default="draft",
                                max_length=8,
                                verbose_name="state",
                            ),
                        ),
                        ("opens_at", models.DateTimeField(blank=True, null=True, verbose_name="opens at")),
                        ("closes_at", models.DateTimeField(blank=True, null=True, verbose_name="closes at")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="created")),
                        (
                            "assembly",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="questionnaires",
                                to="assembly.assembly",
                                verbose_name="assembly",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="questionnaires",
                                to="meetings.meeting",
                                verbose_name="only the participants of",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "questionnaire",
                        "verbose_name_plural": "questionnaires",
                        "db_table": "votes_questionnaire",
                        "ordering": ["-created_at", "-id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("state__in", ["draft", "open", "closed"])),
                                name="questionnaire_state_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("opens_at__isnull", True),
                                    ("closes_at__isnull", True),
                                    ("closes_at__gt", models.F("opens_at")),
                                    _connector="OR",
                                ),
                                name="questionnaire_period_order",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="QuestionnaireSection",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField(verbose_name="position")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        (
                            "questionnaire",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="sections",
                                to="questionnaires.questionnaire",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "section",
                        "verbose_name_plural": "sections",
                        "db_table": "votes_questionnairesection",
                        "ordering": ["questionnaire_id", "position"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("questionnaire", "position"), name="questionnaire_section_position"
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Question",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField(verbose_name="position")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("single", "one choice"),
                                    ("multiple", "several choices"),
                                    ("scale", "scale from 1 to 5"),
                                    ("ranking", "ranking"),
                                    ("text", "free text"),
                                ],
                                max_length=16,
                                verbose_name="kind",
                            ),
                        ),
                        ("text", models.CharField(max_length=500, verbose_name="question")),
                        ("help_text", models.CharField(blank=True, max_length=300, verbose_name="help")),
                        ("required", models.BooleanField(default=False, verbose_name="answer required")),
                        (
                            "questionnaire",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="questions",
                                to="questionnaires.questionnaire",
                            ),
                        ),
                        (
                            "section",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="questions",
                                to="questionnaires.questionnairesection",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "question",
                        "verbose_name_plural": "questions",
                        "db_table": "votes_question",
                        "ordering": ["questionnaire_id", "position"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("questionnaire", "position"), name="question_unique_position"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("kind__in", ["single", "multiple", "scale", "ranking", "text"])),
                                name="question_kind_valid",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="QuestionChoice",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField(verbose_name="position")),
                        ("label", models.CharField(max_length=200, verbose_name="label")),
                        (
                            "question",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="choices",
                                to="questionnaires.question",
                            ),
                        ),
                        (
                            "theme",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="proposals.theme",
                                verbose_name="theme",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "choice",
                        "verbose_name_plural": "choices",
                        "db_table": "votes_questionchoice",
                        "ordering": ["question_id", "position"],
                        "constraints": [
                            models.UniqueConstraint(fields=("question", "position"), name="question_choice_position"),
                            models.UniqueConstraint(fields=("question", "label"), name="question_choice_label"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Respondent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("finished", models.BooleanField(default=False)),
                        ("draft", models.JSONField(blank=True, default=dict)),
                        (
                            "questionnaire",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="respondents",
                                to="questionnaires.questionnaire",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "respondent",
                        "verbose_name_plural": "respondents",
                        "db_table": "votes_respondent",
                        "ordering": ["questionnaire_id", "id"],
                        "constraints": [
                            models.UniqueConstraint(fields=("questionnaire", "user"), name="respondent_one_per_person"),
                            models.CheckConstraint(
                                condition=models.Q(("finished", False), ("draft", {}), _connector="OR"),
                                name="respondent_finished_no_draft",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="AnswerSheet",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("college", models.CharField(blank=True, max_length=16)),
                        ("gender", models.CharField(blank=True, max_length=8)),
                        ("answers", models.JSONField(default=dict)),
                        (
                            "questionnaire",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="answer_sheets",
                                to="questionnaires.questionnaire",
                            ),
                        ),
                        (
                            "respondent",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="answer_sheet",
                                to="questionnaires.respondent",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "answer sheet",
                        "verbose_name_plural": "answer sheets",
                        "db_table": "votes_answersheet",
                        "ordering": ["questionnaire_id", "id"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
