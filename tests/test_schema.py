"""The OpenAPI schema is generated without a warning (every view typed, every enum named)."""

from django.core.management import call_command


def test_openapi_schema_generates_without_warnings(tmp_path, db):
    # --fail-on-warn makes any drf-spectacular warning an error.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text(encoding="utf-8").startswith("openapi: 3")
