"""Adverse events: the clinic's (or one patient's), newest onset first; one by code."""

from __future__ import annotations

import uuid
from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router

from prolo.api.auth import actor_of
from prolo.api.errors import errors
from prolo.api.reads import audit_reads, page_of
from prolo.api.routers.paging import Limit, Offset
from prolo.api.schemas import AdverseEventOut, AdverseEventPage
from prolo.clinic.access import get_adverse_event, get_patient, require
from prolo.clinic.models import AdverseEvent
from prolo.clinic.permissions import Perm

router = Router(tags=["adverse events"])


@router.get("", response={200: AdverseEventPage, **errors(401, 403, 404, 422)})
def adverse_event_list(
    request: HttpRequest,
    patient: Annotated[uuid.UUID | None, Query(description="Only this patient's.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> AdverseEventPage:
    actor = actor_of(request)
    require(actor, Perm.VIEW_CLINICAL)
    events = AdverseEvent.objects.filter(patient__clinic=actor.clinic).select_related(
        "patient", "session", "reported_by"
    )
    if patient is not None:
        events = events.filter(patient=get_patient(actor, patient, Perm.VIEW_CLINICAL))
    count, page = page_of(events.order_by("-onset_date", "-id"), limit, offset)
    audit_reads(request, actor, [(e, e.patient) for e in page])
    items = [AdverseEventOut.of(e) for e in page]
    return AdverseEventPage(count=count, limit=limit, offset=offset, items=items)


@router.get("/{code}", response={200: AdverseEventOut, **errors(401, 403, 404, 422)})
def adverse_event_read(request: HttpRequest, code: uuid.UUID) -> AdverseEventOut:
    actor = actor_of(request)
    event = get_adverse_event(actor, code, Perm.VIEW_CLINICAL)
    audit_reads(request, actor, [(event, event.patient)])
    return AdverseEventOut.of(event)
