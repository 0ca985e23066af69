"""The treatment resources under /fhir/: CarePlan, Appointment, Procedure,
MedicationAdministration, AdverseEvent, Consent and DocumentReference.

Each is mapped from records made through the services, validated with fhir.resources (R4B),
searched through the search engine, scoped to the actor's clinic, and read only by the roles
docs/roles.md allows (reception reads the diary, nothing clinical).
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prolo.clinic.clock import clinic_today
from prolo.clinic.fhir.registry import REGISTRY, Resource
from prolo.clinic.fhir.resources import (  # noqa: F401  (importing registers the types)
    adverse_event,
    appointment,
    careplan,
    document_reference,
    medication_administration,
    procedure,
)
from prolo.clinic.fhir.resources import consent as consent_module  # noqa: F401
from prolo.clinic.models import Injection, TreatmentSession
from prolo.clinic.permissions import Actor
from prolo.clinic.services.adverse_events import adverse_event_report
from prolo.clinic.services.api_tokens import api_token_create
from prolo.clinic.services.consent import consent_withdraw
from prolo.clinic.services.courses import course_set_status
from prolo.clinic.services.sessions import note_amend
from prolo.clinic.services.shared_documents import shared_document_add, shared_document_withdraw
from prolo.clinic.tests.test_ical import clinical_terms
from prolo.testing import add_injection, make_course, make_note, signed_session

TYPES = (
    "CarePlan",
    "Appointment",
    "Procedure",
    "MedicationAdministration",
    "AdverseEvent",
    "Consent",
    "DocumentReference",
)


class Api:
    """A FHIR client for one actor: a bearer token and Django's test Client."""

    def __init__(self, actor: Actor) -> None:
        _, self.token = api_token_create(actor=actor, name="treatment tests")
        self.client = Client()

    def get(self, path: str, query: dict[str, Any] | None = None) -> Any:
        auth = {"Authorization": f"Bearer {self.token}"}
        return self.client.get(f"/fhir/{path}", query or {}, headers=auth)

    def bundle(self, type_name: str, **query: Any) -> Resource:
        response = self.get(type_name, {**query, "_count": "500"})
        assert response.status_code == 200, response.content
        bundle: Resource = response.json()
        return bundle

    def find(self, type_name: str, **query: Any) -> list[Resource]:
        """The matches of a search, as a FHIR client sees them."""
        entries = self.bundle(type_name, **query).get("entry", [])
        return [e["resource"] for e in entries if e["search"]["mode"] == "match"]

    def read(self, type_name: str, resource_id: Any) -> Resource:
        response = self.get(f"{type_name}/{resource_id}")
        assert response.status_code == 200, response.content
        resource: Resource = response.json()
        return resource

    def status(self, path: str, **query: Any) -> int:
        status: int = self.get(path, query).status_code
        return status


@pytest.fixture
def alice_api(alice_actor: Actor) -> Api:
    return Api(alice_actor)


@pytest.fixture
def rita_api(rita_actor: Actor) -> Api:
    return Api(rita_actor)


@pytest.fixture
def charlie_api(charlie_actor: Actor) -> Api:
    return Api(charlie_actor)


def valid(resource: Resource) -> Resource:
    name = resource["resourceType"]
    module = importlib.import_module(f"fhir.resources.R4B.{name.lower()}")
    getattr(module, name).model_validate(resource)
    return resource


def ids(resources: list[Resource]) -> set[str]:
    return {r["id"] for r in resources}


@pytest.fixture
def session(alice_actor: Actor, pat: Any) -> TreatmentSession:
    """Pat's signed first session (3 knee injections), amended once, with an adverse event
    after its first injection and a document shared with her."""
    session = signed_session(alice_actor, pat)
    note_amend(actor=alice_actor, note=session.note, reason="Typo", text="Volume was 1.0 mL.")
    adverse_event_report(
        actor=alice_actor,
        patient=pat,
        session=session,
        injection=session.note.injections.first(),
        event_type="infection",
        description="Cellulitis at the injection site",
        onset_date=clinic_today(alice_actor.clinic),
        grade=3,
        serious=True,
        seriousness_criteria=["hospitalisation"],
        expectedness="unexpected",
        outcome="recovered",
    )
    return session


@pytest.fixture
def shared(alice_actor: Actor, pat: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("aftercare.pdf", b"%PDF-1.4 aftercare")
    return shared_document_add(actor=alice_actor, patient=pat, title="Aftercare", file=upload)


@pytest.fixture
def hilltop(charlie_actor: Actor, olga: Any, settings: Any, tmp_path: Any) -> TreatmentSession:
    """Olga's signed session at Hilltop, with an adverse event and a shared document."""
    session = signed_session(charlie_actor, olga, injections=1)
    adverse_event_report(
        actor=charlie_actor,
        patient=olga,
        session=session,
        event_type="vasovagal",
        onset_date=clinic_today(charlie_actor.clinic),
        grade=1,
        serious=False,
        expectedness="expected",
        outcome="recovered",
    )
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("letter.txt", b"Hilltop letter")
    shared_document_add(actor=charlie_actor, patient=olga, title="Letter", file=upload)
    return session


# --- every type -------------------------------------------------------------------------------


# Each test below checks every type on one set of records: building them is the slow part.


def test_every_resource_of_a_treated_patient_is_valid_r4(pat, session, shared, alice_api):
    for type_name in TYPES:
        found = alice_api.find(type_name, patient=str(pat.code))
        assert found, type_name
        for resource in found:
            valid(resource)
            assert resource["resourceType"] == type_name
            assert alice_api.read(type_name, resource["id"]) == resource


def test_the_mappers_run_no_queries(alice_actor, session, shared, django_assert_num_queries):
    for type_name in TYPES:
        for source in REGISTRY[type_name].sources:
            rows = list(source.queryset(alice_actor))
            assert rows, type_name
            with django_assert_num_queries(0):
                [source.to_fhir(row) for row in rows]


def test_another_clinics_records_never_appear(
    pat, olga, session, shared, hilltop, alice_api, charlie_api
):
    for type_name in TYPES:
        theirs = charlie_api.find(type_name)
        ours = alice_api.find(type_name)
        assert ours, type_name
        assert theirs, type_name
        assert not ids(theirs) & ids(ours)
        body = charlie_api.get(type_name, {"_count": "500"}).content.decode()
        assert str(pat.code) not in body
        assert all(r["id"] not in body for r in ours)
        assert alice_api.find(type_name, patient=str(olga.code)) == []
        for resource in theirs:
            valid(resource)
            assert alice_api.status(f"{type_name}/{resource['id']}") == 404


def test_reception_may_not_read_clinical_types(rita_api, alice_api, pat, session):
    for type_name in sorted(set(TYPES) - {"Appointment"}):
        (resource, *_) = alice_api.find(type_name, patient=str(pat.code))
        assert rita_api.status(type_name) == 403, type_name
        assert rita_api.status(type_name, patient=str(pat.code)) == 403
        assert rita_api.status(f"{type_name}/{resource['id']}") == 403


def test_reception_reads_the_diary_without_clinical_detail(pat, session, shared, rita_api):
    assert len(rita_api.find("Appointment", patient=f"Patient/{pat.code}")) == 3
    response = rita_api.get(
        "Appointment", {"patient": str(pat.code), "_include": "Appointment:patient"}
    )
    assert response.status_code == 400  # no _include: it would reach clinical types
    text = rita_api.get("Appointment", {"patient": str(pat.code)}).content.decode().lower()
    terms = clinical_terms(pat)
    assert len(terms) > 20
    found = sorted(t for t in terms if re.search(rf"\b{re.escape(t)}\b", text))
    assert found == [], f"clinical terms in Appointment: {found}"


# --- CarePlan ---------------------------------------------------------------------------------


def test_a_course_is_a_care_plan_with_its_sessions_and_questionnaires(
    alice, alice_actor, pat, session, alice_api
):
    course = session.course
    plan = alice_api.read("CarePlan", course.code)
    assert plan["status"] == "active"
    assert plan["intent"] == "plan"
    assert plan["title"] == "Hyperosmolar dextrose, Knee (Left)"
    assert "MCL, pes anserine, medial joint line" in plan["description"]
    assert plan["subject"] == {"reference": f"Patient/{pat.code}"}
    assert plan["author"]["reference"] == f"Practitioner/{alice.code}"
    assert plan["period"]["start"] == course.start_date.isoformat()
    booked = [a["reference"]["reference"] for a in plan["activity"] if "reference" in a]
    codes = course.sessions.order_by("number").values_list("code", flat=True)
    assert booked == [f"Appointment/{c}" for c in codes]
    (questionnaires,) = [a["detail"] for a in plan["activity"] if "detail" in a]
    assert "pain_nrs" in questionnaires["description"]
    assert plan["supportingInfo"] == [{"reference": f"Encounter/{course.evaluation.code}"}]


def test_a_stopped_course_is_revoked_and_searchable_by_status(alice_actor, pat, session, alice_api):
    course = session.course
    course_set_status(actor=alice_actor, course=course, status="stopped", reason="Moved away")
    other = make_course(alice_actor, pat, acknowledgement="Discussed.")
    assert ids(alice_api.find("CarePlan", status="revoked")) == {str(course.code)}
    assert ids(alice_api.find("CarePlan", status="active")) == {str(other.code)}
    assert alice_api.find("CarePlan", status="completed") == []
    plan = alice_api.read("CarePlan", course.code)
    assert "Moved away" in plan["description"]
    today = course.start_date.isoformat()
    assert len(alice_api.find("CarePlan", date=f"ge{today}")) == 2
    assert alice_api.find("CarePlan", date=f"lt{today}") == []


# --- Appointment ------------------------------------------------------------------------------


def test_sessions_are_appointments_with_time_people_and_room(
    alice, alice_actor, pat, session, alice_api
):
    first = alice_api.read("Appointment", session.code)
    assert first["status"] == "fulfilled"
    assert first["start"] == session.scheduled_at.isoformat()
    assert first["end"] == (session.scheduled_at + dt.timedelta(hours=1)).isoformat()
    actors = [p["actor"] for p in first["participant"]]
    assert actors[0]["reference"] == f"Patient/{pat.code}"
    assert actors[1]["reference"] == f"Practitioner/{alice.code}"
    assert actors[2] == {"type": "Location", "display": "Room 1"}
    assert first["supportingInformation"] == [{"reference": f"CarePlan/{session.course.code}"}]
    statuses = [a["status"] for a in alice_api.find("Appointment", patient=str(pat.code))]
    assert sorted(statuses) == ["booked", "booked", "fulfilled"]


def test_appointments_search_by_date_status_and_practitioner(
    alice, alice_actor, pat, session, alice_api
):
    course_set_status(actor=alice_actor, course=session.course, status="stopped", reason="Pain")
    assert ids(alice_api.find("Appointment", status="fulfilled")) == {str(session.code)}
    assert len(alice_api.find("Appointment", status="cancelled")) == 2
    assert alice_api.find("Appointment", status="booked") == []
    day = timezone.localtime(session.scheduled_at).date()
    assert ids(alice_api.find("Appointment", date=day.isoformat())) == {str(session.code)}
    later = alice_api.find("Appointment", date=f"gt{day.isoformat()}")
    assert len(later) == 2
    mine = alice_api.find("Appointment", practitioner=f"Practitioner/{alice.code}")
    assert len(mine) == 3
    assert alice_api.find("Appointment", practitioner=str(pat.code)) == []


# --- Procedure and MedicationAdministration ---------------------------------------------------


def test_each_signed_injection_is_a_procedure_with_its_site_and_side(
    alice, alice_actor, session, alice_api
):
    injection = Injection.objects.filter(note__session=session).order_by("id")[0]
    proc = alice_api.read("Procedure", injection.code)
    assert proc["status"] == "completed"
    assert proc["code"]["text"] == "Prolotherapy injection (Hyperosmolar dextrose)"
    assert "snomed" not in str(proc).lower()
    (site,) = proc["bodySite"]
    assert site["coding"][0]["code"] == "knee-mcl"
    assert site["text"] == "Knee, medial collateral ligament, left (ligament)"
    assert site["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "left"
    assert proc["performer"][0]["actor"]["reference"] == f"Practitioner/{alice.code}"
    assert proc["encounter"] == {"reference": f"Encounter/{session.code}"}
    assert proc["basedOn"] == [{"reference": f"CarePlan/{session.course.code}"}]
    assert proc["performedDateTime"] == session.scheduled_at.isoformat()
    technique, amendment = proc["note"]
    assert "27 G, 38 mm" in technique["text"]
    assert "1 mL" in technique["text"]
    assert amendment["text"] == "Amendment (Typo): Volume was 1.0 mL."
    assert amendment["authorReference"] == {"reference": f"Practitioner/{alice.code}"}


def test_draft_notes_are_not_served(alice_actor, pat, session, alice_api):
    note = make_note(alice_actor, session.course.sessions.get(number=2))
    draft = add_injection(alice_actor, note)
    for type_name in ("Procedure", "MedicationAdministration"):
        assert alice_api.status(f"{type_name}/{draft.code}") == 404
        assert len(alice_api.find(type_name, patient=str(pat.code))) == 3
    assert alice_api.status(f"DocumentReference/{note.code}") == 404


def test_procedures_search_by_code_date_and_include_the_patient(
    alice_actor, pat, session, alice_api
):
    system = procedure.COURSE_TYPE_SYSTEM
    assert len(alice_api.find("Procedure", code=f"{system}|dextrose")) == 3
    assert len(alice_api.find("Procedure", code="dextrose")) == 3
    assert alice_api.find("Procedure", code="prp") == []
    assert alice_api.find("Procedure", code="http://snomed.info/sct|dextrose") == []
    day = timezone.localtime(session.scheduled_at).date().isoformat()
    assert len(alice_api.find("Procedure", date=day)) == 3
    assert alice_api.find("Procedure", date=f"lt{day}") == []
    assert len(alice_api.find("Procedure", status="completed")) == 3
    assert alice_api.find("Procedure", status="in-progress") == []
    bundle = alice_api.bundle(
        "Procedure", subject=f"Patient/{pat.code}", _include="Procedure:patient"
    )
    included = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "include"]
    assert [(r["resourceType"], r["id"]) for r in included] == [("Patient", str(pat.code))]


def test_the_solution_given_is_a_medication_administration(alice, alice_actor, session, alice_api):
    injection = Injection.objects.filter(note__session=session).order_by("id")[0]
    given = alice_api.read("MedicationAdministration", injection.code)
    assert given["status"] == "completed"
    assert given["partOf"] == [{"reference": f"Procedure/{injection.code}"}]
    assert given["medicationReference"]["display"] == (
        "Dextrose 15% with lidocaine 0.5% in 0.9% saline"
    )
    (solution,) = given["contained"]
    assert solution["batch"] == {"lotNumber": "L123"}
    dextrose = solution["ingredient"][0]["strength"]
    assert (dextrose["numerator"]["value"], dextrose["denominator"]["value"]) == (15, 100)
    dose = given["dosage"]["dose"]
    assert dose == {"value": 1.0, "unit": "mL", "system": "http://unitsofmeasure.org", "code": "mL"}
    proc = alice_api.read("Procedure", injection.code)
    assert given["dosage"]["site"] == proc["bodySite"][0]
    assert given["performer"][0]["actor"]["reference"] == f"Practitioner/{alice.code}"
    assert given["context"] == {"reference": f"Encounter/{session.code}"}
    day = timezone.localtime(session.scheduled_at).date().isoformat()
    assert len(alice_api.find("MedicationAdministration", **{"effective-time": day})) == 3
    assert alice_api.find("MedicationAdministration", **{"effective-time": f"gt{day}"}) == []


# --- AdverseEvent -----------------------------------------------------------------------------


def test_an_adverse_event_maps_grade_seriousness_and_outcome(
    alice, alice_actor, pat, session, alice_api
):
    (event,) = alice_api.find("AdverseEvent", patient=str(pat.code))
    assert event["actuality"] == "actual"
    assert event["event"]["text"] == "Infection: Cellulitis at the injection site"
    assert event["date"] == clinic_today(alice_actor.clinic).isoformat()
    assert event["severity"]["coding"][0]["code"] == "severe"
    assert event["severity"]["text"] == "CTCAE grade 3"
    assert event["seriousness"]["coding"][0]["code"] == "Serious"
    assert "hospitalisation" in event["seriousness"]["text"]
    assert event["outcome"]["coding"][0]["code"] == "resolved"
    injection = session.note.injections.order_by("id")[0]
    assert event["suspectEntity"] == [{"instance": {"reference": f"Procedure/{injection.code}"}}]
    assert event["recorder"]["reference"] == f"Practitioner/{alice.code}"
    system = adverse_event.SERIOUSNESS
    assert len(alice_api.find("AdverseEvent", seriousness=f"{system}|Serious")) == 1
    assert alice_api.find("AdverseEvent", seriousness="Non-serious") == []
    assert len(alice_api.find("AdverseEvent", date=f"le{event['date']}")) == 1


@pytest.mark.parametrize(
    ("grade", "severity"), [(1, "mild"), (2, "moderate"), (3, "severe"), (4, "severe")]
)
def test_ctcae_grades_become_severities(grade, severity, alice_actor, pat, alice_api):
    serious = grade >= 4
    adverse_event_report(
        actor=alice_actor,
        patient=pat,
        event_type="vasovagal",
        onset_date=clinic_today(alice_actor.clinic),
        grade=grade,
        serious=serious,
        seriousness_criteria=["life_threatening"] if serious else [],
        expectedness="expected",
        outcome="recovering",
    )
    (event,) = alice_api.find("AdverseEvent")
    valid(event)
    assert event["severity"]["coding"][0]["code"] == severity
    assert event["outcome"]["coding"][0]["code"] == "recovering"
    assert "suspectEntity" not in event


# --- Consent ----------------------------------------------------------------------------------


def test_a_signed_consent_and_its_withdrawal(alice_actor, pat, session, alice_api):
    signed = session.course.consents.get()
    consent = alice_api.read("Consent", signed.code)
    assert consent["status"] == "active"
    assert consent["scope"]["coding"][0]["code"] == "treatment"
    assert consent["category"][0]["coding"][0]["code"] == "59284-0"
    assert consent["patient"] == {"reference": f"Patient/{pat.code}"}
    assert consent["dateTime"] == signed.signed_at.isoformat()
    url = reverse("staff:consent-pdf", args=[signed.code])
    assert consent["sourceAttachment"]["url"] == url
    assert f"version {signed.document.version}" in consent["policyRule"]["text"]
    assert consent["provision"]["data"][0]["reference"]["reference"] == (
        f"CarePlan/{session.course.code}"
    )
    assert ids(alice_api.find("Consent", status="active")) == {str(signed.code)}
    consent_withdraw(actor=alice_actor, consent=signed)
    withdrawn = valid(alice_api.read("Consent", signed.code))
    assert withdrawn["status"] == "inactive"
    assert "end" in withdrawn["provision"]["period"]
    assert alice_api.find("Consent", status="active") == []
    assert len(alice_api.find("Consent", status="inactive")) == 1
    day = timezone.localtime(signed.signed_at).date().isoformat()
    assert len(alice_api.find("Consent", date=day)) == 1


# --- DocumentReference ------------------------------------------------------------------------


def test_shared_documents_and_signed_notes_are_document_references(
    alice, alice_actor, pat, session, shared, alice_api
):
    document = alice_api.read("DocumentReference", shared.code)
    assert document["status"] == "current"
    assert document["content"][0]["attachment"]["contentType"] == "application/pdf"
    assert document["content"][0]["attachment"]["title"] == "Aftercare"
    assert document["type"]["coding"][0]["code"] == "shared-document"
    note = alice_api.read("DocumentReference", session.note.code)
    assert note["type"]["text"] == "Procedure note"
    assert note["docStatus"] == "amended"
    url = reverse("staff:note-pdf", args=[session.code])
    assert note["content"][0]["attachment"]["url"] == url
    assert note["context"]["encounter"] == [{"reference": f"Encounter/{session.code}"}]
    assert note["author"][0]["reference"] == f"Practitioner/{alice.code}"
    both = alice_api.find("DocumentReference", subject=f"Patient/{pat.code}")
    assert ids(both) == {str(shared.code), str(session.note.code)}
    only_notes = alice_api.find("DocumentReference", type="procedure-note")
    assert ids(only_notes) == {str(session.note.code)}
    shared_document_withdraw(actor=alice_actor, document=shared)
    assert alice_api.read("DocumentReference", shared.code)["status"] == "superseded"
    assert ids(alice_api.find("DocumentReference", status="superseded")) == {str(shared.code)}
    assert ids(alice_api.find("DocumentReference", status="current")) == {str(session.note.code)}
    day = clinic_today(alice_actor.clinic).isoformat()
    assert len(alice_api.find("DocumentReference", date=f"ge{day}")) == 2
