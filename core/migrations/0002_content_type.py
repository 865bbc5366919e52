# The journal's content type follows the model (assembly.auditevent → core.auditevent), so that
# what points to it (its model permissions, the admin's change log) keeps pointing to the same
# model, instead of a new content type beside a stale one that `remove_stale_contenttypes` would
# delete with everything pointing to it. A database made from scratch has none yet: nothing to do.

from django.db import migrations


def _move(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="auditevent").exists():
        ContentType.objects.filter(app_label=source, model="auditevent").update(app_label=target)


def forwards(apps, schema_editor) -> None:
    _move(apps, "assembly", "core")


def backwards(apps, schema_editor) -> None:
    _move(apps, "core", "assembly")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("assembly", "0002_auditevent_to_core"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
