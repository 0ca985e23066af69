"""The only way views fetch protected records: one helper per type.

Each helper scopes the query to the actor's clinic, so a record of another clinic (or one that
does not exist) raises Http404 — the two are indistinguishable on purpose. Then it checks the
actor's role for the permission the caller needs and raises PermissionDenied (403).
"""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from prolo.clinic.models import (
    AdverseEvent,
    ApiToken,
    Article,
    Closure,
    Condition,
    Consent,
    ConsentDocument,
    Evaluation,
    ExportJob,
    ImagingStudy,
    Injection,
    Location,
    Membership,
    Observation,
    OpeningHours,
    Patient,
    ProtocolTemplate,
    QuestionnaireResponse,
    ReviewTask,
    Room,
    SharedDocument,
    StaffInvitation,
    TreatmentCourse,
    TreatmentSession,
)
from prolo.clinic.permissions import Actor, Perm

M = TypeVar("M", bound=Model)


def require(actor: Actor, perm: Perm) -> None:
    if not actor.can(perm):
        raise PermissionDenied(f"Your role ({actor.role_label}) may not do this.")


def _get(queryset: QuerySet[M], code: uuid.UUID | str) -> M:
    try:
        return queryset.get(code=code)
    except (ObjectDoesNotExist, ValueError, ValidationError):  # missing, or a malformed code
        raise Http404("No such record in this clinic.") from None


def patients_for(actor: Actor) -> QuerySet[Patient]:
    return Patient.objects.filter(clinic=actor.clinic)


def get_patient(actor: Actor, code: uuid.UUID | str, perm: Perm) -> Patient:
    patient = _get(patients_for(actor), code)
    require(actor, perm)
    return patient


def get_evaluation(actor: Actor, code: uuid.UUID | str, perm: Perm) -> Evaluation:
    qs = Evaluation.objects.filter(patient__clinic=actor.clinic).select_related(
        "patient", "clinician"
    )
    evaluation = _get(qs, code)
    require(actor, perm)
    return evaluation


def get_imaging_study(actor: Actor, code: uuid.UUID | str, perm: Perm) -> ImagingStudy:
    qs = ImagingStudy.objects.filter(evaluation__patient__clinic=actor.clinic).select_related(
        "evaluation__patient"
    )
    study = _get(qs, code)
    require(actor, perm)
    return study


def get_course(actor: Actor, code: uuid.UUID | str, perm: Perm) -> TreatmentCourse:
    qs = TreatmentCourse.objects.filter(patient__clinic=actor.clinic).select_related(
        "patient", "evaluation", "created_by"
    )
    course = _get(qs, code)
    require(actor, perm)
    return course


def get_session(actor: Actor, code: uuid.UUID | str, perm: Perm) -> TreatmentSession:
    qs = TreatmentSession.objects.filter(course__patient__clinic=actor.clinic).select_related(
        "course__patient", "practitioner"
    )
    session = _get(qs, code)
    require(actor, perm)
    return session


def get_injection(actor: Actor, code: uuid.UUID | str, perm: Perm) -> Injection:
    qs = Injection.objects.filter(note__session__course__patient__clinic=actor.clinic)
    injection = _get(qs.select_related("note__session__course__patient"), code)
    require(actor, perm)
    return injection


def get_adverse_event(actor: Actor, code: uuid.UUID | str, perm: Perm) -> AdverseEvent:
    qs = AdverseEvent.objects.filter(patient__clinic=actor.clinic).select_related(
        "patient", "session", "injection", "reported_by", "closed_by"
    )
    event = _get(qs, code)
    require(actor, perm)
    return event


def get_review_task(actor: Actor, code: uuid.UUID | str, perm: Perm) -> ReviewTask:
    qs = ReviewTask.objects.filter(clinic=actor.clinic).select_related("patient", "session")
    task = _get(qs, code)
    require(actor, perm)
    return task


def get_protocol(actor: Actor, code: uuid.UUID | str, perm: Perm) -> ProtocolTemplate:
    protocol = _get(ProtocolTemplate.objects.filter(clinic=actor.clinic), code)
    require(actor, perm)
    return protocol


def get_response(actor: Actor, code: uuid.UUID | str, perm: Perm) -> QuestionnaireResponse:
    qs = QuestionnaireResponse.objects.filter(patient__clinic=actor.clinic).select_related(
        "patient", "course", "entered_by"
    )
    response = _get(qs, code)
    require(actor, perm)
    return response


def get_consent_document(actor: Actor, code: uuid.UUID | str, perm: Perm) -> ConsentDocument:
    qs = ConsentDocument.objects.filter(clinic=actor.clinic).select_related("created_by")
    document = _get(qs, code)
    require(actor, perm)
    return document


def get_consent(actor: Actor, code: uuid.UUID | str, perm: Perm) -> Consent:
    qs = Consent.objects.filter(patient__clinic=actor.clinic).select_related("patient", "course")
    consent = _get(qs, code)
    require(actor, perm)
    return consent


def get_shared_document(actor: Actor, code: uuid.UUID | str, perm: Perm) -> SharedDocument:
    """A document shared with a patient of the acting clinic (404 otherwise), then the role."""
    qs = SharedDocument.objects.filter(patient__clinic=actor.clinic).select_related("patient")
    document = _get(qs, code)
    require(actor, perm)
    return document


def get_article(actor: Actor, language: str, slug: str, perm: Perm) -> Article:
    """One of the acting clinic's articles (404 if it has none such), then the role (403)."""
    article = Article.objects.filter(clinic=actor.clinic, language=language, slug=slug).first()
    if article is None:
        raise Http404("No such article in this clinic.")
    require(actor, perm)
    return article


def get_api_token(actor: Actor, code: uuid.UUID | str) -> ApiToken:
    """One of the actor's own tokens in the acting clinic; anyone else's is 404."""
    return _get(ApiToken.objects.filter(user=actor.user, clinic=actor.clinic), code)


def conditions_for(actor: Actor) -> QuerySet[Condition]:
    return Condition.objects.filter(patient__clinic=actor.clinic).select_related("patient")


def get_condition(actor: Actor, code: uuid.UUID | str, perm: Perm) -> Condition:
    condition = _get(conditions_for(actor), code)
    require(actor, perm)
    return condition


def observations_for(actor: Actor) -> QuerySet[Observation]:
    return Observation.objects.filter(patient__clinic=actor.clinic).select_related("patient")


def get_observation(actor: Actor, code: uuid.UUID | str, perm: Perm) -> Observation:
    observation = _get(observations_for(actor), code)
    require(actor, perm)
    return observation


def get_export_job(actor: Actor, code: uuid.UUID | str) -> ExportJob:
    """A Bulk export job the actor asked for; another user's or clinic's job is 404."""
    return _get(ExportJob.objects.filter(clinic=actor.clinic, requested_by=actor.user), code)


def get_location(actor: Actor, code: uuid.UUID | str, perm: Perm) -> Location:
    location = _get(Location.objects.filter(clinic=actor.clinic).select_related("clinic"), code)
    require(actor, perm)
    return location


def get_room(actor: Actor, code: uuid.UUID | str, perm: Perm) -> Room:
    room = _get(Room.objects.filter(location__clinic=actor.clinic).select_related("location"), code)
    require(actor, perm)
    return room


def get_closure(actor: Actor, code: uuid.UUID | str, perm: Perm) -> Closure:
    qs = Closure.objects.filter(location__clinic=actor.clinic).select_related("location")
    closure = _get(qs, code)
    require(actor, perm)
    return closure


def get_opening_hours(location: Location, pk: int) -> OpeningHours:
    """One range of a location already fetched through get_location."""
    hours = location.hours.filter(pk=pk).select_related("location").first()
    if hours is None:
        raise Http404("No such opening hours at this location.")
    return hours


def staff_of(actor: Actor) -> QuerySet[Membership]:
    """The clinic's memberships, active or not, with their users."""
    return Membership.objects.filter(clinic=actor.clinic).select_related("user")


def get_member(actor: Actor, code: uuid.UUID | str, perm: Perm) -> Membership:
    """A member of the acting clinic, named by their user's code (404 otherwise), then the role."""
    try:
        membership = staff_of(actor).get(user__code=code)
    except (ObjectDoesNotExist, ValueError, ValidationError):
        raise Http404("No such member of this clinic.") from None
    require(actor, perm)
    return membership


def get_staff_invitation(actor: Actor, code: uuid.UUID | str, perm: Perm) -> StaffInvitation:
    invitation = _get(StaffInvitation.objects.filter(clinic=actor.clinic), code)
    require(actor, perm)
    return invitation
