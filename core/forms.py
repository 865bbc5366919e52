"""Helpers for the pages' forms."""

from __future__ import annotations

from django import forms

from core.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on FORM: next to `error.field` when the form has that field, else above it."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))
