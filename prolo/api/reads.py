"""Paging and the audit trail of reads: every patient record the API returns is logged.

The staff chart logs each opening (VIEW_CHART); the API logs each read (READ) the same way,
one row per patient per request, written in one INSERT so a list costs a constant number of
queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from prolo.clinic.models import AuditAction, Patient
from prolo.clinic.permissions import Actor
from prolo.clinic.services.audit import audit_log_each

M = TypeVar("M", bound=Model)


def page_of(queryset: QuerySet[M], limit: int, offset: int) -> tuple[int, list[M]]:
    """The total count and one page: two queries."""
    return queryset.count(), list(queryset[offset : offset + limit])


def audit_reads(request: HttpRequest, actor: Actor, reads: Iterable[tuple[Model, Patient]]) -> None:
    """One READ row per (record, patient) returned, with the request path (codes only)."""
    changes: dict[str, object] = {"path": request.path}
    entries: list[tuple[Model, Patient | None, dict[str, Any]]] = [
        (obj, patient, changes) for obj, patient in reads
    ]
    if entries:
        audit_log_each(actor=actor, action=AuditAction.READ, entries=entries)
