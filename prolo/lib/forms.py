"""Form plumbing shared by every HTML form: service errors onto fields, HTML5 widgets."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names, the rest at the top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        target = name if name in form.fields and name != NON_FIELD_ERRORS else None
        for error in errors:
            if target is None and name != NON_FIELD_ERRORS:
                label = name.replace("_", " ")
                error = ValidationError(f"{label.capitalize()}: {' '.join(error.messages)}")
            form.add_error(target, error)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def no_nul(value: str) -> None:
    if "\x00" in value:
        raise ValidationError("Text cannot contain NUL characters.")


def parse_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
