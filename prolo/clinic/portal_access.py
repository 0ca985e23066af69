"""The portal's only way to patient data: everything is scoped to the signed-in patient.

A record of another patient, or one that does not exist, raises Http404: the two cannot be
told apart. The staff side has its own helpers (prolo/clinic/access.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from prolo.clinic.models import (
    Clinic,
    Consent,
    Patient,
    PatientAccount,
    QuestionnaireResponse,
    SharedDocument,
    TreatmentCourse,
    TreatmentSession,
    User,
)

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class PatientActor:
    """A signed-in patient acting on their own record (the audit trail's actor)."""

    user: User
    clinic: Clinic
    patient: Patient
    account: PatientAccount


def _get(queryset: QuerySet[M], code: uuid.UUID | str) -> M:
    try:
        return queryset.get(code=code)
    except (ObjectDoesNotExist, ValueError, ValidationError):
        raise Http404("No such record.") from None


def own_courses(me: PatientActor) -> QuerySet[TreatmentCourse]:
    return TreatmentCourse.objects.filter(patient=me.patient)


def own_sessions(me: PatientActor) -> QuerySet[TreatmentSession]:
    # The clinic is joined for the session's day (prolo/clinic/clock.py).
    return TreatmentSession.objects.filter(course__patient=me.patient).select_related(
        "course__patient__clinic"
    )


def get_own_course(me: PatientActor, code: uuid.UUID | str) -> TreatmentCourse:
    return _get(own_courses(me), code)


def get_own_session(me: PatientActor, code: uuid.UUID | str) -> TreatmentSession:
    return _get(own_sessions(me), code)


def get_own_response(me: PatientActor, code: uuid.UUID | str) -> QuestionnaireResponse:
    return _get(QuestionnaireResponse.objects.filter(patient=me.patient), code)


def own_documents(me: PatientActor) -> QuerySet[SharedDocument]:
    """What the clinic shared with the patient and has not withdrawn, newest first."""
    return SharedDocument.objects.filter(patient=me.patient, withdrawn_at__isnull=True)


def get_own_document(me: PatientActor, code: uuid.UUID | str) -> SharedDocument:
    return _get(own_documents(me), code)


def own_consents(me: PatientActor) -> QuerySet[Consent]:
    """Every consent the patient gave, withdrawn ones included, newest first."""
    return Consent.objects.filter(patient=me.patient).select_related("document", "course")


def get_own_consent(me: PatientActor, code: uuid.UUID | str) -> Consent:
    return _get(own_consents(me), code)
