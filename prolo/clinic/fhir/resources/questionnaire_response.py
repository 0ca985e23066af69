"""QuestionnaireResponse: each completed instrument, answers grouped as in the Questionnaire.

Choice items answer with the option's code (its value as text), as the Questionnaire's
answerOption lists them; number-entry items (VAS, …) with valueInteger. Unanswered items are
left out. The author is the patient (portal) or the staff member who entered the answers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from prolo.clinic.fhir import params
from prolo.clinic.fhir.refs import code_q, ref
from prolo.clinic.fhir.registry import (
    Include,
    Resource,
    ResourceType,
    SearchParam,
    Source,
    register,
)
from prolo.clinic.fhir.resources.questionnaire import questionnaire_id
from prolo.clinic.models import QuestionnaireResponse, ResponseSource
from prolo.clinic.outcomes.fhir_questionnaire import GROUP_PREFIX, MAX_CHOICES, canonical_url
from prolo.clinic.outcomes.instruments import INSTRUMENTS, Instrument
from prolo.clinic.permissions import Actor, Perm

NOTHING = Q(pk__in=[])


def _answer(instrument: Instrument, item_id: str, value: Any) -> Resource:
    item = instrument.item(item_id)
    if len(item.options) > MAX_CHOICES:
        return {"valueInteger": int(value)}
    return {"valueCoding": {"code": str(int(value))}}


def _groups(instrument: Instrument, answers: dict[str, Any]) -> list[Resource]:
    groups = []
    for subscale in instrument.subscales:
        items = [
            {"linkId": item_id, "answer": [_answer(instrument, item_id, answers[item_id])]}
            for item_id in subscale.item_ids
            if answers.get(item_id) is not None
        ]
        if items:
            groups.append({"linkId": f"{GROUP_PREFIX}{subscale.key}", "item": items})
    return groups


def to_fhir(response: QuestionnaireResponse) -> Resource:
    instrument = INSTRUMENTS[response.instrument]
    patient = response.patient
    if response.source == ResponseSource.PATIENT:
        author = ref("Patient", patient.code, patient.full_name)
    else:
        author = ref("Practitioner", response.entered_by.code, response.entered_by.display_name())
    resource: Resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.code),
        "questionnaire": canonical_url(instrument),
        "status": "completed",
        "subject": ref("Patient", patient.code, patient.full_name),
        "authored": response.answered_on.isoformat(),
        "author": author,
    }
    items = _groups(instrument, response.answers)
    if items:
        resource["item"] = items
    return resource


def _queryset(actor: Actor) -> QuerySet[QuestionnaireResponse]:
    return QuestionnaireResponse.objects.filter(patient__clinic=actor.clinic).select_related(
        "patient", "entered_by"
    )


def _questionnaire(value: str) -> Q:
    """The canonical URL, `Questionnaire/<id>` or the id."""
    wanted = value.rpartition("/")[2].partition("|")[0]
    codes = [code for code, i in INSTRUMENTS.items() if wanted in (code, questionnaire_id(i))]
    return Q(instrument__in=codes) if codes else NOTHING


PARAMS = {
    "authored": SearchParam("authored", "date", params.date("answered_on"), "Day answered."),
    "questionnaire": SearchParam(
        "questionnaire", "reference", params.each(_questionnaire, ("Questionnaire",))
    ),
    "status": SearchParam(
        "status", "token", params.each(lambda v: Q() if v.endswith("completed") else NOTHING)
    ),
}

RESPONSES = Source(
    queryset=_queryset,
    to_fhir=to_fhir,
    id_q=code_q,
    patient_path="patient",
    params=PARAMS,
    since_path="created_at",
    order_by=("answered_on", "id"),
)

register(
    ResourceType(
        name="QuestionnaireResponse",
        read_perm=Perm.VIEW_CLINICAL,
        sources=(RESPONSES,),
        includes=(
            Include("patient", "subject", "Patient"),
            Include("subject", "subject", "Patient"),
            Include("author", "author", "Practitioner"),
        ),
    )
)
