"""Questionnaire: the outcome instruments Prolo scores, with the clinic's imported item text.

There is no table of instruments (they are data in outcomes/instruments.py), so each
instrument is a Source of one row, the actor's clinic, annotated with that clinic's imported
text for it. Ids are the instrument keys with "-" for "_" (FHIR ids allow no underscore).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import orjson
from django.db.models import OuterRef, Q, QuerySet, Subquery

from prolo.clinic.fhir import params
from prolo.clinic.fhir.registry import Resource, ResourceType, SearchParam, Source, register
from prolo.clinic.models import Clinic, InstrumentSetting
from prolo.clinic.outcomes.fhir_questionnaire import canonical_url, to_questionnaire
from prolo.clinic.outcomes.instruments import INSTRUMENTS, Instrument
from prolo.clinic.permissions import Actor, Perm

NOTHING = Q(pk__in=[])


def questionnaire_id(instrument: Instrument) -> str:
    return instrument.code.replace("_", "-")


def _queryset(instrument: Instrument) -> Callable[[Actor], QuerySet[Any]]:
    def queryset(actor: Actor) -> QuerySet[Clinic]:
        text = InstrumentSetting.objects.filter(
            clinic=OuterRef("pk"), instrument=instrument.code
        ).values("item_text")[:1]
        return Clinic.objects.filter(pk=actor.clinic.pk).annotate(item_text=Subquery(text))

    return queryset


@functools.lru_cache(maxsize=256)
def _cached(code: str, item_text: str) -> bytes:
    # to_questionnaire validates through fhir.resources (tens of ms): the same instrument
    # and text always give the same resource, so build it once.
    return orjson.dumps(to_questionnaire(INSTRUMENTS[code], orjson.loads(item_text) or None))


def _mapper(instrument: Instrument) -> Callable[[Any], Resource]:
    def to_fhir(clinic: Any) -> Resource:
        text = clinic.item_text or {}
        if isinstance(text, str):  # some backends hand a JSON subquery back as text
            text = orjson.loads(text)
        key = orjson.dumps(text, option=orjson.OPT_SORT_KEYS).decode()
        return dict(orjson.loads(_cached(instrument.code, key)))

    return to_fhir


def _matches(*accepted: str) -> Callable[[str], Q]:
    return lambda value: Q() if value in accepted else NOTHING


def instrument_source(instrument: Instrument) -> Source:
    qid = questionnaire_id(instrument)
    names = (instrument.code, qid, "".join(p.capitalize() for p in instrument.code.split("_")))
    return Source(
        queryset=_queryset(instrument),
        to_fhir=_mapper(instrument),
        id_q=lambda resource_id: Q() if resource_id == qid else None,
        patient_path=None,
        params={
            "url": SearchParam(
                "url", "uri", params.each(_matches(canonical_url(instrument))), "Canonical URL."
            ),
            "name": SearchParam("name", "string", params.each(_matches(*names))),
            "status": SearchParam("status", "token", params.each(_matches("active"))),
        },
        order_by=("id",),
    )


register(
    ResourceType(
        name="Questionnaire",
        read_perm=Perm.VIEW_SCHEDULE,
        sources=tuple(instrument_source(i) for i in INSTRUMENTS.values()),
    )
)
