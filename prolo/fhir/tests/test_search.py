"""GET /fhir/<type>?…: parameters, date prefixes, paging, _include, errors, audit, queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prolo.clinic.models import AuditAction, AuditEvent, Observation, Patient
from prolo.clinic.permissions import Actor
from prolo.clinic.services.observations import observation_record
from prolo.clinic.services.patients import patient_register
from prolo.fhir.tests.fhir_client import FhirClient, diagnostics, ids

LOINC = "http://loinc.org"
UTC = dt.UTC


def pain(actor: Actor, patient: Patient, when: dt.datetime, value: int = 5) -> Observation:
    return observation_record(
        actor=actor,
        patient=patient,
        status="final",
        category="survey",
        system=LOINC,
        concept="72514-3",
        display="Pain severity",
        effective_at=when,
        value_quantity=Decimal(value),
        value_unit="{score}",
    )


def march(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def scores(alice_actor: Actor, pat: Patient) -> list[Observation]:
    return [pain(alice_actor, pat, march(d), value=d) for d in (1, 5, 10, 20, 31)]


def _ids(rows: list[Observation]) -> list[str]:
    return [str(r.code) for r in rows]


def test_it_filters_by_patient_code_and_status(
    alice_actor: Actor, pat: Patient, scores: list[Observation]
) -> None:
    client = FhirClient(alice_actor)
    for query in (
        {"patient": str(pat.code)},
        {"subject": f"Patient/{pat.code}"},
        {"code": f"{LOINC}|72514-3"},
        {"code": "72514-3"},
        {"status": "final", "category": "survey"},
    ):
        status, bundle = client.get("/fhir/Observation", **query)
        assert status == 200, query
        assert ids(bundle) == _ids(scores), query
    assert client.get("/fhir/Observation", code="http://snomed.info/sct|72514-3")[1]["total"] == 0
    assert client.get("/fhir/Observation", status="amended,cancelled")[1]["total"] == 0


@pytest.mark.parametrize(
    ("dates", "days"),
    [
        (["2026-03-05"], [5]),
        (["2026-03"], [1, 5, 10, 20, 31]),
        (["ge2026-03-10"], [10, 20, 31]),
        (["gt2026-03-10"], [20, 31]),
        (["le2026-03-10"], [1, 5, 10]),
        (["lt2026-03-10"], [1, 5]),
        (["ne2026-03-10"], [1, 5, 20, 31]),
        (["ge2026-03-05", "lt2026-03-20"], [5, 10]),  # AND across occurrences
        (["2026-03-01,2026-03-31"], [1, 31]),  # OR within one
        (["sa2026-03-20"], [31]),
        (["eb2026-03-05"], [1]),
        (["ge2026-03-05T10:00:00Z"], [5, 10, 20, 31]),
        (["gt2026-03-05T10:00:00+00:00"], [10, 20, 31]),
        (["ap2026-03-10"], [1, 5, 10, 20, 31]),
    ],
)
def test_date_prefixes(
    alice_actor: Actor, scores: list[Observation], dates: list[str], days: list[int]
) -> None:
    client = FhirClient(alice_actor)
    query = "&".join(f"date={d.replace('+', '%2B')}" for d in dates)
    response = client.client.get(f"/fhir/Observation?{query}", headers=client.headers)
    assert response.status_code == 200
    found = [e["resource"]["effectiveDateTime"][:10] for e in response.json()["entry"]]
    assert found == [f"2026-03-{d:02d}" for d in days]


def test_paging_follows_next_links_across_sources(
    alice_actor: Actor, pat: Patient, scores: list[Observation]
) -> None:
    client = FhirClient(alice_actor)
    status, page = client.get("/fhir/Observation", patient=str(pat.code), _count="2")
    seen: list[str] = []
    pages = 0
    while True:
        assert status == 200
        assert page["total"] == 5
        seen += ids(page)
        pages += 1
        links = {link["relation"]: link["url"] for link in page["link"]}
        assert links["self"].startswith("http://testserver/fhir/Observation?")
        assert parse_qs(urlsplit(links["self"]).query)["patient"] == [str(pat.code)]
        if pages > 1:
            assert "previous" in links
        if "next" not in links:
            break
        status, page = client.get(links["next"])
    assert pages == 3
    assert seen == _ids(scores)


def test_include_adds_each_patient_once(
    alice_actor: Actor, pat: Patient, scores: list[Observation]
) -> None:
    status, bundle = FhirClient(alice_actor).get(
        "/fhir/Observation", _include="Observation:patient"
    )
    assert status == 200
    assert ids(bundle, "include") == [str(pat.code)]
    assert len(ids(bundle)) == 5


def test_other_clinics_records_are_never_found(
    alice_actor: Actor, charlie_actor: Actor, pat: Patient, olga: Patient
) -> None:
    pain(charlie_actor, olga, march(2))
    client = FhirClient(alice_actor)
    assert client.get("/fhir/Observation")[1]["total"] == 0
    assert client.get("/fhir/Observation", patient=str(olga.code))[1]["total"] == 0
    assert ids(client.get("/fhir/Patient")[1]) == [str(pat.code)]
    assert client.get("/fhir/Patient", identifier="H-0001")[1]["total"] == 0


def test_patient_search_parameters(alice_actor: Actor, pat: Patient, olga: Patient) -> None:
    client = FhirClient(alice_actor)
    found = [
        client.get("/fhir/Patient", **query)[1]["total"]
        for query in (
            {"name": "fie"},
            {"family": "Fields"},
            {"given": "pat"},
            {"birthdate": "1961-04-12"},
            {"birthdate": "lt1970"},
            {"gender": "female"},
            {"identifier": "R-0001"},
            {"_id": str(pat.code)},
        )
    ]
    assert found == [1] * 8
    assert client.get("/fhir/Patient", gender="male")[1]["total"] == 0
    assert client.get("/fhir/Patient", **{"name:exact": "fie"})[1]["total"] == 0


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("colour=blue&size=2", ["colour", "size"]),
        ("date=yesterday", ["date", "yesterday"]),
        ("date=2026-02-30", ["date"]),
        ("_count=lots", ["_count"]),
        ("_count=501", ["_count", "500"]),
        ("_include=Observation:performer", ["_include", "Observation:patient"]),
        ("code:fuzzy=1", ["code", ":fuzzy"]),
    ],
)
def test_bad_parameters_answer_400_naming_them(
    alice_actor: Actor, query: str, named: list[str]
) -> None:
    client = FhirClient(alice_actor)
    response = client.client.get(f"/fhir/Observation?{query}", headers=client.headers)
    assert response.status_code == 400
    text = diagnostics(response.json())
    for name in named:
        assert name in text


def test_format_is_ignored(alice_actor: Actor) -> None:
    assert FhirClient(alice_actor).get("/fhir/Observation", _format="json")[0] == 200


def test_search_writes_one_read_row_per_patient(
    alice_actor: Actor, rita_actor: Actor, pat: Patient, scores: list[Observation]
) -> None:
    other = patient_register(
        actor=rita_actor,
        mrn="R-0002",
        given_name="Quinn",
        family_name="Lane",
        date_of_birth=dt.date(1980, 1, 1),
        sex="male",
    )
    pain(alice_actor, other, march(3))
    FhirClient(alice_actor).get("/fhir/Observation", _include="Observation:patient")
    reads = AuditEvent.objects.filter(action=AuditAction.READ).order_by("patient_id")
    assert [r.patient for r in reads] == sorted([pat, other], key=lambda p: p.pk)
    assert len(reads[0].changes["resources"]) == 6  # five scores and the included Patient


def test_search_post(alice_actor: Actor, scores: list[Observation]) -> None:
    client = FhirClient(alice_actor)
    response = client.client.post(
        "/fhir/Observation/_search", {"date": "ge2026-03-20"}, headers=client.headers
    )
    assert response.status_code == 200
    assert response.json()["total"] == 2


def _queries(client: FhirClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.client.get(url, headers=client.headers)
    assert response.status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_data(
    alice_actor: Actor, rita_actor: Actor, pat: Patient
) -> None:
    client = FhirClient(alice_actor)
    url = "/fhir/Observation?_include=Observation:patient&_count=100"
    urls = (url, "/fhir/Patient", "/fhir/Encounter", "/fhir/Condition")
    for n in range(2):
        pain(alice_actor, pat, march(n + 1))
    _queries(client, url)  # the token's first use records it; later uses within a minute don't
    small = [_queries(client, u) for u in urls]
    for n in range(20):
        patient = patient_register(
            actor=rita_actor,
            mrn=f"R-1{n:03d}",
            given_name="Sam",
            family_name=f"Test{n}",
            date_of_birth=dt.date(1970, 1, 1),
            sex="other",
        )
        pain(alice_actor, patient, march(n + 1))
    assert [_queries(client, u) for u in urls] == small
