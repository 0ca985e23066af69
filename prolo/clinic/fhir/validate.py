"""Checks for resources a client creates: the structure (fhir.resources R4B) and the
references, each failure a 422 OperationOutcome issue naming the element."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from prolo.clinic.access import patients_for
from prolo.clinic.fhir.params import parse_date
from prolo.clinic.fhir.refs import ref_id
from prolo.clinic.fhir.registry import Resource
from prolo.clinic.models import Patient
from prolo.clinic.permissions import Actor
from prolo.fhir.http import FhirError, Issue, invalid


def _path(resource_type: str, loc: tuple[int | str, ...]) -> str:
    path = resource_type
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def structure(resource: Resource, model: type[BaseModel], resource_type: str) -> None:
    """422 naming every element the R4B model rejects (wrong type, unknown element, …)."""
    if not isinstance(resource, dict) or resource.get("resourceType") != resource_type:
        raise invalid(f"The body must be a {resource_type} resource.", "resourceType", 422)
    try:
        model.model_validate(resource)
    except PydanticValidationError as error:
        issues = []
        for err in error.errors():
            loc = tuple(p for p in err["loc"] if p != "__root__")
            where = _path(resource_type, loc)
            given = err.get("input")
            shown = f" (got {given!r})" if isinstance(given, str | int | float) else ""
            issues.append(Issue("invalid", f"{where}: {err['msg']}{shown}", where))
        raise FhirError(422, *issues) from None


def required(resource: Resource, element: str, resource_type: str) -> Any:
    value = resource.get(element)
    if value in (None, "", [], {}):
        raise FhirError(
            422,
            Issue(
                "required", f"{resource_type}.{element} is required.", f"{resource_type}.{element}"
            ),
        )
    return value


def subject_patient(actor: Actor, resource: Resource, element: str, resource_type: str) -> Patient:
    """The clinic's Patient a reference element points at (422 otherwise)."""
    where = f"{resource_type}.{element}"
    pid = ref_id(required(resource, element, resource_type), "Patient")
    patient = None
    if pid is not None:
        try:
            patient = patients_for(actor).filter(code=pid).first()
        except (ValueError, ValidationError):
            patient = None
    if patient is None:
        raise invalid(
            f"{where}: must reference a Patient of this clinic (Patient/<id>).", where, 422
        )
    return patient


def fhir_datetime(value: Any, where: str) -> dt.datetime:
    """A dateTime element as an aware datetime (its start, at a coarser precision)."""
    if not isinstance(value, str):
        raise invalid(f"{where}: expected a dateTime string.", where, 422)
    try:
        return parse_date(value).start
    except FhirError:
        raise invalid(f"{where}: '{value}' is not a FHIR dateTime.", where, 422) from None


def fhir_date(value: Any, where: str) -> dt.date:
    if not isinstance(value, str):
        raise invalid(f"{where}: expected a date string (YYYY-MM-DD).", where, 422)
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise invalid(f"{where}: '{value}' is not a date (YYYY-MM-DD).", where, 422) from None


def model_errors(error: ValidationError, elements: Mapping[str, str]) -> FhirError:
    """A service's ValidationError as 422 issues, each field named by its FHIR element."""
    issues: list[Issue] = []
    for field, messages in error.message_dict.items():
        where = elements.get(field, field)
        issues.extend(Issue("invalid", f"{where}: {m}", where) for m in messages)
    return FhirError(422, *issues)
