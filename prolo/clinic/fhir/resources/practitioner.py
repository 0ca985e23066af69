"""Practitioner: the clinic's clinical staff (an active membership with a clinical role).

Reception and clinic-admin memberships are not practitioners. A clinician who has left keeps
their references in old records, but is no longer served here (their membership ended).
"""

from __future__ import annotations

from django.db.models import F, FilteredRelation, Q, QuerySet

from prolo.clinic.fhir import params
from prolo.clinic.fhir.refs import code_q
from prolo.clinic.fhir.registry import Resource, ResourceType, SearchParam, Source, register
from prolo.clinic.models import Role, User
from prolo.clinic.outcomes.fhir_questionnaire import CANONICAL_BASE
from prolo.clinic.permissions import Actor, Perm

ROLE_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/clinic-role"
CLINICAL_ROLES = (Role.PHYSICIAN, Role.NURSE, Role.PHYSIOTHERAPIST)


def to_fhir(user: User) -> Resource:
    name: Resource = {"text": user.display_name()}
    if user.last_name:
        name["family"] = user.last_name
    if user.first_name:
        name["given"] = [user.first_name]
    if user.title:
        name["prefix"] = [user.title]
    role = Role(user.clinic_role)  # type: ignore[attr-defined]
    return {
        "resourceType": "Practitioner",
        "id": str(user.code),
        "active": True,
        "name": [name],
        "qualification": [
            {
                "code": {
                    "coding": [{"system": ROLE_SYSTEM, "code": role.value, "display": role.label}],
                    "text": role.label,
                }
            }
        ],
    }


def _queryset(actor: Actor) -> QuerySet[User]:
    membership = FilteredRelation(
        "memberships",
        condition=Q(
            memberships__clinic=actor.clinic,
            memberships__active=True,
            memberships__role__in=CLINICAL_ROLES,
        ),
    )
    return (
        User.objects.annotate(clinic_membership=membership)
        .filter(clinic_membership__isnull=False)
        .annotate(clinic_role=F("clinic_membership__role"))
    )


PARAMS = {
    "name": SearchParam(
        "name", "string", params.string("first_name", "last_name"), "Given or family name."
    ),
    "family": SearchParam("family", "string", params.string("last_name")),
    "given": SearchParam("given", "string", params.string("first_name")),
}

PRACTITIONERS = Source(
    queryset=_queryset, to_fhir=to_fhir, id_q=code_q, patient_path=None, params=PARAMS
)

register(ResourceType(name="Practitioner", read_perm=Perm.VIEW_SCHEDULE, sources=(PRACTITIONERS,)))
