# Questionnaires now belong to the questionnaires app (questionnaires/migrations/0001_initial.py):
# forget them here without touching their tables, which that app keeps under the same names.
# Each model is forgotten after the models that point to it.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("votes", "0005_roll_ballot_index_in_unique"),
        ("questionnaires", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AnswerSheet"),
                migrations.DeleteModel(name="QuestionChoice"),
                migrations.DeleteModel(name="Question"),
                migrations.DeleteModel(name="Respondent"),
                migrations.DeleteModel(name="QuestionnaireSection"),
                migrations.DeleteModel(name="Questionnaire"),
            ],
            database_operations=[],
        ),
    ]
