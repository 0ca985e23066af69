"""Questionnaire responses: a patient's, with their scores; one by code; record one."""

from __future__ import annotations

import uuid
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from prolo.api.auth import actor_of
from prolo.api.errors import errors
from prolo.api.reads import audit_reads, page_of
from prolo.api.routers.paging import Limit, Offset
from prolo.api.schemas import ResponseIn, ResponseOut, ResponsePage
from prolo.clinic.access import get_course, get_patient, get_response
from prolo.clinic.models import Patient, QuestionnaireResponse, TreatmentCourse
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.questionnaires import questionnaire_record

router = Router(tags=["questionnaires"])


def _course_of(actor: Actor, patient: Patient, code: uuid.UUID | None) -> TreatmentCourse | None:
    """The patient's course named in the input; anything else is an error on `course`."""
    if code is None:
        return None
    try:
        course = get_course(actor, code, Perm.VIEW_CLINICAL)
    except Http404:
        raise ValidationError({"course": "No such course in this clinic."}) from None
    if course.patient_id != patient.pk:
        raise ValidationError({"course": "Choose a course of this patient."})
    return course


@router.get(
    "/patients/{code}/responses", response={200: ResponsePage, **errors(401, 403, 404, 422)}
)
def response_list(
    request: HttpRequest,
    code: uuid.UUID,
    course: Annotated[uuid.UUID | None, Query(description="Only this course's.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ResponsePage:
    """The patient's completed questionnaires with their scores, oldest first."""
    actor = actor_of(request)
    patient = get_patient(actor, code, Perm.VIEW_CLINICAL)
    responses = QuestionnaireResponse.objects.filter(patient=patient).select_related(
        "patient", "course", "entered_by"
    )
    if course is not None:
        responses = responses.filter(course=_course_of(actor, patient, course))
    count, page = page_of(responses.order_by("answered_on", "id"), limit, offset)
    audit_reads(request, actor, [(patient, patient)])
    items = [ResponseOut.of(r) for r in page]
    return ResponsePage(count=count, limit=limit, offset=offset, items=items)


@router.post(
    "/patients/{code}/responses",
    response={201: ResponseOut, **errors(400, 401, 403, 404, 409, 422)},
)
def response_record(
    request: HttpRequest, code: uuid.UUID, payload: ResponseIn
) -> Status[ResponseOut]:
    """Score and store one completed questionnaire (timepoint `extra` unless scheduled)."""
    actor = actor_of(request)
    patient = get_patient(actor, code, Perm.RECORD_OUTCOME)
    response = questionnaire_record(
        actor=actor,
        patient=patient,
        instrument=payload.instrument,
        answers=payload.answers,
        answered_on=payload.answered_on,
        course=_course_of(actor, patient, payload.course),
        timepoint=payload.timepoint,
    )
    return Status(201, ResponseOut.of(response))


@router.get("/responses/{code}", response={200: ResponseOut, **errors(401, 403, 404, 422)})
def response_read(request: HttpRequest, code: uuid.UUID) -> ResponseOut:
    actor = actor_of(request)
    response = get_response(actor, code, Perm.VIEW_CLINICAL)
    audit_reads(request, actor, [(response, response.patient)])
    return ResponseOut.of(response)
