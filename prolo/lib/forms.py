"""Form plumbing shared by every HTML form: service errors onto fields, HTML5 widgets."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest

T = TypeVar("T")


def submit(
    request: HttpRequest, form: forms.BaseForm, service: Callable[..., T], **arguments: Any
) -> T | None:
    """On a POST with a valid form, call `service(**arguments, **form.cleaned_data)`.

    Returns what the service returns, or None when the form or the service refused the
    input; the errors are then on the form, beside the fields they name.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return service(**arguments, **form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names, the rest at the top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        relocate_constraint_errors(form)
        return
    for name, errors in exc.error_dict.items():
        target = name if name in form.fields and name != NON_FIELD_ERRORS else None
        for error in errors:
            if target is None and name != NON_FIELD_ERRORS:
                label = name.replace("_", " ")
                error = ValidationError(f"{label.capitalize()}: {' '.join(error.messages)}")
            form.add_error(target, error)
    relocate_constraint_errors(form)


def relocate_constraint_errors(form: forms.BaseForm) -> None:
    """Move a database-constraint error beside the field its rule is about.

    Django reports a CheckConstraint violation as a form-wide error; our constraints carry the
    field they are about as their `violation_error_code`, so the error can sit next to it,
    linked for screen readers, instead of only in the summary.
    """
    if NON_FIELD_ERRORS not in form.errors:
        return
    errors = form.errors[NON_FIELD_ERRORS].as_data()
    moving = [e for e in errors if e.code in form.fields]
    if not moving:
        return
    del form.errors[NON_FIELD_ERRORS]
    for error in errors:
        form.add_error(error.code if error in moving else None, error)


class ParseModelForm(forms.ModelForm):
    """A ModelForm used only to parse and validate (see staff/forms.py)."""

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # not in django-stubs
        relocate_constraint_errors(self)


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


def parse_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
