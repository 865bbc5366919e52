# The journal moves from the assembly app to core: the table (assembly_auditevent) and its rows
# stay where they are; only Django's idea of which app owns the model changes.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("assembly", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="when")),
                        ("action", models.CharField(db_index=True, max_length=64, verbose_name="action")),
                        ("target_type", models.CharField(max_length=64, verbose_name="target type")),
                        ("target_id", models.CharField(max_length=64, verbose_name="target id")),
                        ("reason", models.TextField(blank=True, verbose_name="why")),
                        ("data", models.JSONField(blank=True, default=dict, verbose_name="details")),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="who",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "audit event",
                        "verbose_name_plural": "audit events",
                        "ordering": ["-at", "-id"],
                        "db_table": "assembly_auditevent",
                        "indexes": [models.Index(fields=["target_type", "target_id"], name="assembly_au_target__558cee_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
