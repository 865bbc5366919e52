"""Full-text search index, on PostgreSQL only (SQLite searches with a simpler fallback).

The indexed expression is the one `proposals.selectors.search_vector()` builds, so that the
planner uses the index for `search_vector() @@ query`.
"""

from django.db import migrations

INDEX_NAME = "proposal_search_fr"


def _index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    return GinIndex(SearchVector("title", "body", config="french"), name=INDEX_NAME)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("proposals", "Proposal"), _index())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("proposals", "Proposal"), _index())


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
