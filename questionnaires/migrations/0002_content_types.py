# The content types of the moved models follow them (votes.questionnaire → questionnaires.questionnaire,
# …), so that what points to a content type keeps pointing to the same model: the model permissions
# (and any user or group they were given to) and the admin's change log. Without this, Django would
# create new content types and permissions for the questionnaires app and leave the old ones
# stale, and `remove_stale_contenttypes` would delete the old ones with everything pointing to them.
# A database made from scratch has no content type yet when this runs: nothing to rename.

from django.db import migrations

MODELS = ["questionnaire", "questionnairesection", "question", "questionchoice", "respondent", "answersheet"]


def _move(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if ContentType.objects.filter(app_label=target, model=model).exists():
            # Already made for the new app (by a `migrate` run in between): leave the old one stale.
            continue
        ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor) -> None:
    _move(apps, "votes", "questionnaires")


def backwards(apps, schema_editor) -> None:
    _move(apps, "questionnaires", "votes")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("questionnaires", "0001_initial"),
        ("votes", "0006_questionnaires_to_own_app"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
