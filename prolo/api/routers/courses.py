"""A treatment course with its sessions, and the clinic's schedule."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router

from prolo.api.auth import actor_of
from prolo.api.errors import errors
from prolo.api.reads import audit_reads, page_of
from prolo.api.routers.paging import Limit, Offset
from prolo.api.schemas import (
    CourseDetailOut,
    CourseOut,
    ScheduleItem,
    SchedulePage,
    SessionOut,
    patient_ref,
)
from prolo.clinic.access import get_course, require
from prolo.clinic.clock import clinic_today, clinic_zone
from prolo.clinic.models import Clinic, TreatmentSession
from prolo.clinic.permissions import Perm
from prolo.clinic.services.fields import check_plausible_date
from prolo.lib.dates import local_day_bounds

router = Router()

MAX_SCHEDULE_DAYS = 92


@router.get(
    "/courses/{code}",
    response={200: CourseDetailOut, **errors(401, 403, 404, 422)},
    tags=["courses"],
)
def course_read(request: HttpRequest, code: uuid.UUID) -> CourseDetailOut:
    """One course with its sessions in order."""
    actor = actor_of(request)
    course = get_course(actor, code, Perm.VIEW_CLINICAL)
    sessions = course.sessions.select_related("practitioner").order_by("number")
    audit_reads(request, actor, [(course, course.patient)])
    return CourseDetailOut(
        **CourseOut.fields(course), sessions=[SessionOut.of(s) for s in sessions]
    )


def _check_range(start: dt.date, end: dt.date, clinic: Clinic) -> None:
    check_plausible_date("start", start, clinic)
    check_plausible_date("end", end, clinic)
    if end < start:
        raise ValidationError({"end": "The end must be on or after the start."})
    if (end - start).days >= MAX_SCHEDULE_DAYS:
        raise ValidationError({"end": f"Ask for at most {MAX_SCHEDULE_DAYS} days at a time."})


@router.get("/schedule", response={200: SchedulePage, **errors(401, 403, 422)}, tags=["schedule"])
def schedule(
    request: HttpRequest,
    start: Annotated[dt.date | None, Query(description="First day (default today).")] = None,
    end: Annotated[
        dt.date | None, Query(description="Last day, inclusive (default start).")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> SchedulePage:
    """The clinic's sessions from `start` to `end` (local days, at most 92), by time."""
    actor = actor_of(request)
    require(actor, Perm.VIEW_SCHEDULE)
    start = start or clinic_today(actor.clinic)
    end = end or start
    _check_range(start, end, actor.clinic)
    sessions = (
        TreatmentSession.objects.filter(
            course__patient__clinic=actor.clinic,
            scheduled_at__gte=local_day_bounds(start, clinic_zone(actor.clinic))[0],
            scheduled_at__lt=local_day_bounds(end, clinic_zone(actor.clinic))[1],
        )
        .select_related("course__patient", "practitioner")
        .order_by("scheduled_at", "id")
    )
    count, page = page_of(sessions, limit, offset)
    audit_reads(request, actor, [(s, s.course.patient) for s in page])
    items = [
        ScheduleItem(
            **SessionOut.of(s).model_dump(),
            course=s.course.code,
            patient=patient_ref(s.course.patient),
        )
        for s in page
    ]
    return SchedulePage(count=count, limit=limit, offset=offset, items=items)
