"""Patients: search and page, read, register, and change demographics."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from prolo.api.auth import actor_of
from prolo.api.errors import errors
from prolo.api.reads import audit_reads, page_of
from prolo.api.routers.paging import Limit, Offset
from prolo.api.schemas import (
    NO_NUL,
    CourseList,
    CourseOut,
    PatientIn,
    PatientOut,
    PatientPage,
    PatientPatch,
)
from prolo.clinic.access import get_patient, patients_for, require
from prolo.clinic.models import Patient
from prolo.clinic.permissions import Perm
from prolo.clinic.services.patients import patient_register, patient_update

router = Router(tags=["patients"])

Search = Annotated[
    str,
    Query(
        description="Words matching the family or given name, an exact MRN, or a date of "
        "birth (YYYY-MM-DD); all words must match.",
        max_length=200,
        pattern=NO_NUL,
    ),
]


def search(patients: QuerySet[Patient], query: str) -> QuerySet[Patient]:
    for term in query.split():
        try:
            born = dt.date.fromisoformat(term)
        except ValueError:
            patients = patients.filter(
                Q(family_name__icontains=term) | Q(given_name__icontains=term) | Q(mrn__iexact=term)
            )
        else:
            patients = patients.filter(date_of_birth=born)
    return patients


@router.get("", response={200: PatientPage, **errors(401, 403, 422)})
def patient_list(
    request: HttpRequest, q: Search = "", limit: Limit = 50, offset: Offset = 0
) -> PatientPage:
    """The clinic's patients, by family name; each patient returned is audited as read."""
    actor = actor_of(request)
    require(actor, Perm.VIEW_DEMOGRAPHICS)
    count, patients = page_of(search(patients_for(actor), q), limit, offset)
    audit_reads(request, actor, [(p, p) for p in patients])
    items = [PatientOut.of(p) for p in patients]
    return PatientPage(count=count, limit=limit, offset=offset, items=items)


@router.post("", response={201: PatientOut, **errors(400, 401, 403, 409, 422)})
def patient_create(request: HttpRequest, payload: PatientIn) -> Status[PatientOut]:
    patient = patient_register(actor=actor_of(request), **payload.model_dump())
    return Status(201, PatientOut.of(patient))


@router.get("/{code}", response={200: PatientOut, **errors(401, 403, 404, 422)})
def patient_read(request: HttpRequest, code: uuid.UUID) -> PatientOut:
    actor = actor_of(request)
    patient = get_patient(actor, code, Perm.VIEW_DEMOGRAPHICS)
    audit_reads(request, actor, [(patient, patient)])
    return PatientOut.of(patient)


@router.patch("/{code}", response={200: PatientOut, **errors(400, 401, 403, 404, 409, 422)})
def patient_edit(request: HttpRequest, code: uuid.UUID, payload: PatientPatch) -> PatientOut:
    """Change demographics: only the fields sent change (null is not a value)."""
    actor = actor_of(request)
    patient = get_patient(actor, code, Perm.EDIT_DEMOGRAPHICS)
    changes = payload.model_dump(exclude_unset=True)
    nulls = {
        name: "Leave the field out to keep it; it cannot be null."
        for name, v in changes.items()
        if v is None
    }
    if nulls:
        raise ValidationError(nulls)
    return PatientOut.of(patient_update(actor=actor, patient=patient, **changes))


@router.get("/{code}/courses", response={200: CourseList, **errors(401, 403, 404, 422)})
def patient_courses(request: HttpRequest, code: uuid.UUID) -> CourseList:
    """The patient's treatment courses, newest first."""
    actor = actor_of(request)
    patient = get_patient(actor, code, Perm.VIEW_CLINICAL)
    courses = list(patient.courses.select_related("patient"))
    audit_reads(request, actor, [(patient, patient)])
    return CourseList(items=[CourseOut.of(c) for c in courses])
