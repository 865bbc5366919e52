"""PostgreSQL only: a stored, generated tsvector column with its GIN index.

Searches match a large share of the proposals (a common word in a theme), where the planner
rightly prefers a sequential scan; with an expression index that scan recomputed
`to_tsvector` on every row (1.3 s for 20,000 proposals). The stored column is computed once,
on write. The column is not on the model: `proposals.selectors.search` names it on PostgreSQL
only; SQLite has neither the column nor the index and searches with a simpler fallback.
"""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS proposal_search_fr",
    """ALTER TABLE proposals_proposal ADD COLUMN search_document tsvector
       GENERATED ALWAYS AS (
           setweight(to_tsvector('french'::regconfig, coalesce(title, '')), 'A')
           || setweight(to_tsvector('french'::regconfig, coalesce(body, '')), 'B')
       ) STORED""",
    "CREATE INDEX proposal_search_document ON proposals_proposal USING gin (search_document)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS proposal_search_document",
    "ALTER TABLE proposals_proposal DROP COLUMN IF EXISTS search_document",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0002_search_index")]
    operations = [migrations.RunPython(forward, backward)]
