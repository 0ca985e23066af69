"""Observation search skips the score sources a code, status or category rules out: fewer
queries, the same answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from prolo.clinic.models import Patient
from prolo.clinic.permissions import Actor
from prolo.clinic.services.observations import observation_record
from prolo.clinic.services.patients import patient_register
from prolo.clinic.services.questionnaires import questionnaire_record
from prolo.fhir.tests.fhir_client import FhirClient, diagnostics, ids

PAIN = "http://loinc.org|72514-3"
# Token check, membership, savepoint, one page query per source left (stored, pain NRS),
# the audit INSERT, release. Before sources were ruled out: 8 (a COUNT over all 27 sources).
CODE_SEARCH_QUERIES = 7


def chart(actor: Actor, patient: Patient) -> dict[str, Any]:
    """A stored pain score, a pain NRS response and an ODI response (one score each)."""
    stored = observation_record(
        actor=actor,
        patient=patient,
        status="final",
        category="survey",
        system="http://loinc.org",
        concept="72514-3",
        display="Pain severity",
        effective_at=dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC),
        value_quantity=Decimal(7),
        value_unit="{score}",
    )
    nrs = questionnaire_record(
        actor=actor,
        patient=patient,
        instrument="pain_nrs",
        answers={"pain": 6},
        answered_on=dt.date(2026, 3, 2),
    )
    odi = questionnaire_record(
        actor=actor,
        patient=patient,
        instrument="odi",
        answers={f"S{i}": 2 for i in range(1, 11)},
        answered_on=dt.date(2026, 3, 3),
    )
    return {
        "stored": str(stored.code),
        "nrs": f"{nrs.code}.pain",
        "odi": f"{odi.code}.percent",
    }


def _sql(client: FhirClient, url: str) -> list[str]:
    seen: list[str] = []

    def record(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        seen.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(record):
        response = client.client.get(url, headers=client.headers)
    assert response.status_code == 200
    return seen


def test_a_code_search_queries_only_the_sources_that_can_match(
    alice_actor: Actor, rita_actor: Actor, pat: Patient
) -> None:
    client = FhirClient(alice_actor)
    expected = chart(alice_actor, pat)
    url = f"/fhir/Observation?patient={pat.code}&code={PAIN}"
    _sql(client, url)  # the token's first use records it
    small = _sql(client, url)
    for n in range(5):
        other = patient_register(
            actor=rita_actor,
            mrn=f"S-{n}",
            given_name="Sam",
            family_name=f"Speed{n}",
            date_of_birth=dt.date(1970, 1, 1),
            sex="other",
        )
        chart(alice_actor, other)
    assert len(small) == CODE_SEARCH_QUERIES
    assert len(_sql(client, url)) == CODE_SEARCH_QUERIES
    assert not any("COUNT(" in sql for sql in small)
    _, bundle = client.get(url)
    assert bundle["total"] == 2
    assert ids(bundle) == [expected["stored"], expected["nrs"]]


def test_codes_status_and_category_still_find_what_they_name(
    alice_actor: Actor, pat: Patient
) -> None:
    client = FhirClient(alice_actor)
    found = chart(alice_actor, pat)
    odi = found["odi"]
    cases: list[tuple[dict[str, str], list[str]]] = [
        ({"code": "72514-3"}, [found["stored"], found["nrs"]]),
        ({"code": "pain_nrs.pain"}, [found["nrs"]]),
        ({"code": "http://loinc.org|"}, [found["stored"], found["nrs"], odi]),
        ({"code": "nothing,97909-6"}, [odi]),
        ({"code": "nothing"}, []),
        ({"category": "vital-signs"}, []),
        ({"category": "survey", "status": "final"}, [found["stored"], found["nrs"], odi]),
        ({"status": "amended"}, []),
        ({"code:not": "72514-3"}, [odi]),
        ({"code:not": "pain_nrs.pain,odi.percent"}, [found["stored"]]),
    ]
    for params, expected in cases:
        _, bundle = client.get("/fhir/Observation", **params)
        assert sorted(ids(bundle)) == sorted(expected), params
        assert bundle["total"] == len(expected), params


def test_paging_across_the_remaining_sources_keeps_totals_and_links(
    alice_actor: Actor, pat: Patient
) -> None:
    client = FhirClient(alice_actor)
    found = chart(alice_actor, pat)
    seen = []
    url: str | None = f"/fhir/Observation?code={PAIN}&_count=1"
    while url:
        _, bundle = client.get(url)
        assert bundle["total"] == 2
        seen += ids(bundle)
        url = next((x["url"] for x in bundle["link"] if x["relation"] == "next"), None)
    assert seen == [found["stored"], found["nrs"]]


@pytest.mark.parametrize("modifier", ["status:not", "category:not"])
def test_a_modifier_scores_cannot_take_is_still_refused(
    alice_actor: Actor, pat: Patient, modifier: str
) -> None:
    chart(alice_actor, pat)
    status, outcome = FhirClient(alice_actor).get(
        "/fhir/Observation", code="nothing", **{modifier: "final"}
    )
    assert status == 400
    assert "modifier ':not' is not supported" in diagnostics(outcome)
