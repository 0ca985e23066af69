"""Appointment: one per treatment session, id its `TreatmentSession.code` (docs/fhir-treatment.md).

Reception reads the diary, so an Appointment holds what the diary shows and nothing clinical:
no diagnosis, course type, site or substance, like the calendar feed. Only the time, the
patient, the practitioner and the room, and a reference to the care plan (its content needs
the clinical read permission).
"""

from __future__ import annotations

from django.db.models import QuerySet

from prolo.clinic.fhir import params
from prolo.clinic.fhir.refs import code_q, ref
from prolo.clinic.fhir.registry import Resource, ResourceType, SearchParam, Source, register
from prolo.clinic.fhir.resources.procedure import iso
from prolo.clinic.models import SessionStatus, TreatmentSession
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.calendar_feed import SESSION_LENGTH

APPOINTMENT_STATUS = "http://hl7.org/fhir/appointmentstatus"
# Prolo's session statuses as FHIR appointment statuses. Prolo records no no-show or
# check-in: a booked session stays "booked" until its note is signed or it is cancelled.
STATUS = {
    SessionStatus.SCHEDULED.value: "booked",
    SessionStatus.COMPLETED.value: "fulfilled",
    SessionStatus.CANCELLED.value: "cancelled",
}
TO_DB = {fhir: db for db, fhir in STATUS.items()}
PATIENT = "course__patient"


def to_fhir(session: TreatmentSession) -> Resource:
    patient = session.course.patient
    participants = [
        {"actor": ref("Patient", patient.code, patient.full_name), "status": "accepted"}
    ]
    if session.practitioner is not None:
        doctor = ref("Practitioner", session.practitioner.code, session.practitioner.display_name())
        participants.append({"actor": doctor, "status": "accepted"})
    if session.room:
        # Prolo has no Location records: the room is a display-only reference.
        room = {"type": "Location", "display": session.room}
        participants.append({"actor": room, "status": "accepted"})
    # Prolo keeps no session length; like the calendar, an appointment blocks an hour
    # (FHIR needs an end whenever a start is given).
    end = session.scheduled_at + SESSION_LENGTH
    return {
        "resourceType": "Appointment",
        "id": str(session.code),
        "status": STATUS[session.status],
        "description": f"Session {session.number}",
        "start": iso(session.scheduled_at),
        "end": iso(end),
        "minutesDuration": int(SESSION_LENGTH.total_seconds() // 60),
        # Appointment.basedOn may only name a ServiceRequest in R4: the plan goes here.
        "supportingInformation": [ref("CarePlan", session.course.code)],
        "participant": participants,
    }


def sessions(actor: Actor) -> QuerySet[TreatmentSession]:
    return TreatmentSession.objects.filter(course__patient__clinic=actor.clinic).select_related(
        "course__patient", "practitioner"
    )


SOURCE = Source(
    queryset=sessions,
    to_fhir=to_fhir,
    id_q=code_q,
    patient_path=PATIENT,
    params={
        "date": SearchParam(
            "date", "date", params.date("scheduled_at"), "The session's start time."
        ),
        "status": SearchParam(
            "status",
            "token",
            params.token("status", system=APPOINTMENT_STATUS, to_db=TO_DB),
            "booked, fulfilled or cancelled.",
        ),
        "practitioner": SearchParam(
            "practitioner",
            "reference",
            params.reference("practitioner", "Practitioner"),
            "The session's practitioner (Practitioner/<id> or <id>).",
        ),
    },
    since_path=None,  # a moved or cancelled session keeps no change time
    order_by=("id",),
)

register(
    ResourceType(
        name="Appointment",
        read_perm=Perm.VIEW_SCHEDULE,
        sources=(SOURCE,),
    )
)
