"""References between resources: relative, `Type/<id>`, ids from each record's `code`."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Q
from django.utils import timezone


def ref(resource_type: str, code: uuid.UUID | str, display: str | None = None) -> dict[str, str]:
    reference = {"reference": f"{resource_type}/{code}"}
    if display:
        reference["display"] = display
    return reference


def code_q(resource_id: str, field: str = "code") -> Q | None:
    """Source.id_q for rows whose FHIR id is their `code` UUID; None for a malformed id."""
    try:
        return Q(**{field: uuid.UUID(resource_id)})
    except ValueError:
        return None


def ref_id(reference: Any, resource_type: str) -> str | None:
    """The id in a Reference {"reference": "Type/<id>"} to `resource_type`, else None."""
    if not isinstance(reference, dict) or not isinstance(reference.get("reference"), str):
        return None
    parts = reference["reference"].rstrip("/").split("/")
    if len(parts) < 2 or parts[-2] != resource_type:
        return None
    return parts[-1]


def instant(value: dt.datetime) -> str:
    """A stored (UTC) datetime as FHIR dateTime, in the server's zone with its offset."""
    return timezone.localtime(value).isoformat()
