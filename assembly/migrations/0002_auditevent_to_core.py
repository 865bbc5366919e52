# The journal (AuditEvent) now belongs to core (core/migrations/0001_initial.py): forget it here
# without touching its table, which core keeps under the same name.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assembly", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEvent")],
            database_operations=[],
        ),
    ]
