"""Organization: the actor's own clinic, the only one a token can see."""

from __future__ import annotations

from django.db.models import QuerySet

from prolo.clinic.fhir import params
from prolo.clinic.fhir.refs import code_q
from prolo.clinic.fhir.registry import Resource, ResourceType, SearchParam, Source, register
from prolo.clinic.models import Clinic
from prolo.clinic.permissions import Actor, Perm


def to_fhir(clinic: Clinic) -> Resource:
    resource: Resource = {
        "resourceType": "Organization",
        "id": str(clinic.code),
        "active": True,
        "type": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/organization-type",
                        "code": "prov",
                        "display": "Healthcare Provider",
                    }
                ]
            }
        ],
        "name": clinic.name,
    }
    if clinic.phone:
        resource["telecom"] = [{"system": "phone", "value": clinic.phone}]
    if clinic.address:
        resource["address"] = [{"text": clinic.address}]
    return resource


def _queryset(actor: Actor) -> QuerySet[Clinic]:
    return Clinic.objects.filter(pk=actor.clinic.pk)


ORGANIZATIONS = Source(
    queryset=_queryset,
    to_fhir=to_fhir,
    id_q=code_q,
    patient_path=None,
    params={"name": SearchParam("name", "string", params.string("name"))},
)

register(ResourceType(name="Organization", read_perm=Perm.VIEW_SCHEDULE, sources=(ORGANIZATIONS,)))
