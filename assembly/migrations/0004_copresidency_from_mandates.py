"""Existing co-presidents (flagged on their open mandate) get their co-presidency row."""

from django.db import migrations


def forward(apps, schema_editor):
    Mandate = apps.get_model("assembly", "Mandate")
    Copresidency = apps.get_model("assembly", "Copresidency")
    taken = set()
    flagged = Mandate.objects.filter(is_copresident=True, end_date__isnull=True).order_by("start_date", "pk")
    for mandate in flagged:
        key = (mandate.assembly_id, mandate.college)
        if key in taken:
            continue  # one current per college: the earliest flagged keeps it
        taken.add(key)
        Copresidency.objects.create(
            assembly_id=mandate.assembly_id,
            person_id=mandate.user_id,
            college=mandate.college,
            started_on=mandate.start_date,
        )


class Migration(migrations.Migration):
    dependencies = [("assembly", "0003_copresidency")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
