"""The FHIR Bundle import service (services/fhir_import.py) on small hand-made bundles.

The Synthea samples are in test_fhir_import_synthea.py; the HTTP edge in
prolo/fhir/tests/test_import_endpoint.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from prolo.clinic.models import (
    AuditAction,
    AuditEvent,
    Condition,
    ImportedResource,
    Observation,
    Patient,
)
from prolo.clinic.permissions import Actor
from prolo.clinic.services.fhir_import import BundleInvalid, ImportReport, bundle_import

PATIENT_URL = "urn:uuid:11111111-1111-4111-8111-111111111111"


def patient(url: str = PATIENT_URL, **changes: Any) -> dict[str, Any]:
    resource = {
        "resourceType": "Patient",
        "id": url.rsplit(":", 1)[-1],
        "identifier": [
            {
                "type": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}
                    ]
                },
                "value": "MR-" + url[-6:],
            }
        ],
        "name": [{"use": "official", "family": "Quinn", "given": ["Ada", "May"]}],
        "gender": "female",
        "birthDate": "1970-02-03",
        "telecom": [
            {"system": "phone", "value": "555-0100"},
            {"system": "email", "value": "ada@example.org"},
        ],
        "address": [{"line": ["1 Main St"], "city": "Leeds", "postalCode": "LS1", "country": "UK"}],
        "communication": [{"language": {"coding": [{"code": "es-MX"}]}}],
    }
    resource.update(changes)
    return {"fullUrl": url, "resource": resource, "request": {"method": "POST", "url": "Patient"}}


def pain(n: int, score: float = 4, subject: str = PATIENT_URL, **changes: Any) -> dict[str, Any]:
    resource = {
        "resourceType": "Observation",
        "id": f"obs-{n}",
        "status": "final",
        "category": [{"coding": [{"code": "vital-signs"}]}],
        "code": {
            "coding": [
                {"system": "http://loinc.org", "code": "72514-3", "display": "Pain severity"}
            ]
        },
        "subject": {"reference": subject},
        "encounter": {"reference": "urn:uuid:enc-1"},
        "effectiveDateTime": f"2020-01-{n:02d}T09:30:00-04:00",
        "issued": f"2020-01-{n:02d}T09:31:00.250-04:00",
        "valueQuantity": {
            "value": score,
            "unit": "{score}",
            "system": "http://unitsofmeasure.org",
            "code": "{score}",
        },
    }
    resource.update(changes)
    return {"fullUrl": f"urn:uuid:obs-{n}-{subject[-4:]}", "resource": resource}


def condition(n: int, subject: str = PATIENT_URL, **changes: Any) -> dict[str, Any]:
    resource = {
        "resourceType": "Condition",
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "verificationStatus": {"coding": [{"code": "confirmed"}]},
        "code": {
            "coding": [
                {
                    "system": "http://snomed.info/sct",
                    "code": "239873007",
                    "display": "Osteoarthritis of knee",
                }
            ]
        },
        "subject": {"reference": subject},
        "onsetDateTime": "2015-06-01T10:00:00+01:00",
    }
    resource.update(changes)
    return {"fullUrl": f"urn:uuid:cond-{n}-{subject[-4:]}", "resource": resource}


def encounter() -> dict[str, Any]:
    return {"fullUrl": "urn:uuid:enc-1", "resource": {"resourceType": "Encounter", "id": "enc-1"}}


def bundle(*entries: dict[str, Any], kind: str = "transaction") -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": kind, "entry": list(entries)}


def messages(report: ImportReport) -> list[tuple[str, str]]:
    return [(p.expression, p.message) for e in report.failed for p in e.problems]


def test_it_imports_a_patient_with_conditions_and_observations(nora_actor: Actor) -> None:
    report = bundle_import(
        actor=nora_actor, bundle=bundle(patient(), condition(1), pain(1, 3), pain(2, 7.25))
    )

    assert report.written
    assert not report.failed
    person = Patient.objects.get(clinic=nora_actor.clinic)
    assert (person.given_name, person.family_name, person.mrn) == ("Ada May", "Quinn", "MR-111111")
    assert (person.date_of_birth, person.sex) == (dt.date(1970, 2, 3), "female")
    assert (person.phone, person.email, person.preferred_language) == (
        "555-0100",
        "ada@example.org",
        "es",
    )
    assert person.address == "1 Main St\nLeeds LS1\nUK"
    knee = Condition.objects.get(patient=person)
    assert (knee.name, knee.system, knee.concept) == (
        "Osteoarthritis of knee",
        "http://snomed.info/sct",
        "239873007",
    )
    assert (knee.active, knee.onset_date, knee.onset) == (True, dt.date(2015, 6, 1), "2015-06-01")
    scores = list(Observation.objects.filter(patient=person).order_by("effective_at"))
    assert [s.value_quantity for s in scores] == [Decimal(3), Decimal("7.25")]
    first = scores[0]
    assert first.effective_at == dt.datetime(2020, 1, 1, 13, 30, tzinfo=dt.UTC)
    assert first.issued_at == dt.datetime(2020, 1, 1, 13, 31, 0, 250000, tzinfo=dt.UTC)
    assert (first.status, first.category, first.system, first.concept) == (
        "final",
        "vital-signs",
        "http://loinc.org",
        "72514-3",
    )
    assert (first.value_unit, first.value_ucum, first.source) == ("{score}", "{score}", "import")
    assert [e.location for e in report.entries] == [
        f"Patient/{person.code}",
        f"Condition/{knee.code}",
        f"Observation/{scores[0].code}",
        f"Observation/{scores[1].code}",
    ]


def test_reimporting_the_same_bundle_creates_nothing(nora_actor: Actor) -> None:
    payload = bundle(patient(), condition(1), pain(1), encounter())
    first = bundle_import(actor=nora_actor, bundle=payload)

    again = bundle_import(actor=nora_actor, bundle=payload)

    assert [e.outcome for e in again.entries] == ["existing", "existing", "existing", "skipped"]
    assert [e.location for e in again.entries] == [e.location for e in first.entries]
    assert Patient.objects.count() == 1
    assert Observation.objects.count() == Condition.objects.count() == 1
    assert ImportedResource.objects.count() == 3


def test_a_later_bundle_can_add_observations_to_an_imported_patient(nora_actor: Actor) -> None:
    bundle_import(actor=nora_actor, bundle=bundle(patient(), pain(1)))

    report = bundle_import(actor=nora_actor, bundle=bundle(pain(2, 6), kind="collection"))

    assert [e.outcome for e in report.entries] == ["created"]
    person = Patient.objects.get()
    scores = person.observations.order_by("effective_at").values_list("value_quantity", flat=True)
    assert list(scores) == [4, 6]


def test_it_resolves_patient_type_and_id_references(nora_actor: Actor) -> None:
    person = patient("http://ehr.example/fhir/Patient/p-9", id="p-9", identifier=[])
    report = bundle_import(actor=nora_actor, bundle=bundle(person, pain(1, subject="Patient/p-9")))

    assert not report.failed
    assert Observation.objects.get().patient.family_name == "Quinn"


def test_a_transaction_with_a_bad_entry_writes_nothing_and_reports_each_bad_entry(
    nora_actor: Actor,
) -> None:
    payload = bundle(patient(), pain(1), pain(2, status="done"), pain(3, valueRange={"low": {}}))
    del payload["entry"][3]["resource"]["valueQuantity"]

    report = bundle_import(actor=nora_actor, bundle=payload)

    assert not report.written
    assert messages(report) == [
        (
            "Bundle.entry[2].resource.status",
            "status 'done' is not one of: registered, preliminary, final, amended, corrected, "
            "cancelled, entered-in-error, unknown.",
        ),
        (
            "Bundle.entry[3].resource.valueRange",
            "valueRange is not supported: Prolo stores valueQuantity, valueCodeableConcept, "
            "valueString, valueInteger, valueBoolean.",
        ),
    ]
    assert not Patient.objects.exists()
    assert not Observation.objects.exists()
    assert not ImportedResource.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_a_collection_imports_the_good_entries_and_reports_the_bad_one(nora_actor: Actor) -> None:
    payload = bundle(patient(), pain(1), pain(2, status="done"), pain(3), kind="collection")

    report = bundle_import(actor=nora_actor, bundle=payload)

    assert report.written
    assert [e.outcome for e in report.entries] == ["created", "created", "failed", "created"]
    assert messages(report)[0][0] == "Bundle.entry[2].resource.status"
    assert Observation.objects.count() == 2


def test_an_unknown_gender_names_the_element_and_the_allowed_values(nora_actor: Actor) -> None:
    report = bundle_import(actor=nora_actor, bundle=bundle(patient(gender="bogus")))

    assert messages(report) == [
        (
            "Bundle.entry[0].resource.gender",
            "gender 'bogus' is not one of: female, male, other, unknown.",
        )
    ]


def test_a_bad_condition_status_names_the_element(nora_actor: Actor) -> None:
    bad = condition(1, clinicalStatus={"coding": [{"code": "gone"}]})
    report = bundle_import(actor=nora_actor, bundle=bundle(patient(), bad))

    assert messages(report) == [
        (
            "Bundle.entry[1].resource.clinicalStatus.coding[0].code",
            "clinicalStatus 'gone' is not one of: active, recurrence, relapse, inactive, "
            "remission, resolved.",
        )
    ]


def test_an_observation_for_an_unknown_patient_is_an_entry_error(nora_actor: Actor) -> None:
    report = bundle_import(actor=nora_actor, bundle=bundle(pain(1, subject="urn:uuid:nobody")))

    assert messages(report) == [
        (
            "Bundle.entry[0].resource.subject",
            "subject urn:uuid:nobody is not a Patient in this bundle nor one imported before.",
        )
    ]


def test_observations_of_a_failed_patient_fail_too_in_a_collection(nora_actor: Actor) -> None:
    payload = bundle(patient(birthDate="1970"), pain(1), kind="collection")

    report = bundle_import(actor=nora_actor, bundle=payload)

    assert [e.outcome for e in report.entries] == ["failed", "failed"]
    assert messages(report)[1] == (
        "Bundle.entry[1].resource.subject",
        f"subject {PATIENT_URL} (entry 0) could not be imported; see its error.",
    )


def test_resources_prolo_does_not_keep_are_skipped_with_a_reason(nora_actor: Actor) -> None:
    report = bundle_import(actor=nora_actor, bundle=bundle(patient(), encounter()))

    skipped = report.entries[1]
    assert (skipped.outcome, skipped.note) == (
        "skipped",
        "Prolo does not import Encounter resources.",
    )
    assert report.written


def test_an_mrn_already_used_by_another_patient_is_an_error(
    nora_actor: Actor, pat: Patient
) -> None:
    taken = patient()
    taken["resource"]["identifier"][0]["value"] = "r-0001"  # pat's MRN, other case

    report = bundle_import(actor=nora_actor, bundle=bundle(taken))

    assert messages(report) == [
        ("Bundle.entry[0].resource.identifier", "MRN r-0001 is already used by another patient.")
    ]


def test_a_patient_without_an_mr_identifier_gets_a_generated_mrn(nora_actor: Actor) -> None:
    bundle_import(actor=nora_actor, bundle=bundle(patient(identifier=[])))

    assert Patient.objects.get().mrn.startswith("IMP-")


def test_a_synthea_style_uuid_mrn_keeps_its_digits(nora_actor: Actor) -> None:
    person = patient()
    person["resource"]["identifier"][0]["value"] = "4026988c-ab06-4635-8c53-86cbad7b1c56"

    bundle_import(actor=nora_actor, bundle=bundle(person))

    assert Patient.objects.get().mrn == "4026988cab0646358c5386cbad7b1c56"


def test_other_value_types_are_kept(nora_actor: Actor) -> None:
    concept = {"coding": [{"system": "http://snomed.info/sct", "code": "8517006"}], "text": "Ex"}
    entries = [
        pain(1, valueCodeableConcept=concept),
        pain(2, valueString="mild"),
        pain(3, valueInteger=5),
        pain(4, valueBoolean=False),
        pain(5, effectivePeriod={"start": "2021-03-04T05:06:07Z"}),
    ]
    for entry in entries[:4]:
        del entry["resource"]["valueQuantity"]
    for entry in entries[4:]:
        del entry["resource"]["effectiveDateTime"]
    components = [{"code": {"text": "systolic"}, "valueQuantity": {"value": 120}}]
    entries.append(pain(6, component=components))

    report = bundle_import(actor=nora_actor, bundle=bundle(patient(), *entries))

    assert not report.failed
    rows = list(Observation.objects.order_by("effective_at"))
    assert rows[0].value_concept == concept
    assert [r.value_text for r in rows[1:4]] == ["mild", "5", "false"]
    assert rows[-1].effective_at == dt.datetime(2021, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    assert [r.components for r in rows if r.components] == [components]


def test_the_same_bundle_in_two_clinics_makes_two_separate_patients(
    nora_actor: Actor, charlie_actor: Actor
) -> None:
    payload = bundle(patient(), pain(1))

    bundle_import(actor=nora_actor, bundle=payload)
    report = bundle_import(actor=charlie_actor, bundle=payload)

    assert [e.outcome for e in report.entries] == ["created", "created"]
    ours = Patient.objects.get(clinic=nora_actor.clinic)
    theirs = Patient.objects.get(clinic=charlie_actor.clinic)
    assert ours.pk != theirs.pk
    assert ours.observations.count() == theirs.observations.count() == 1


def test_it_writes_one_audit_row_per_imported_patient(nora_actor: Actor) -> None:
    second = "urn:uuid:22222222-2222-4222-8222-222222222222"
    payload = bundle(
        patient(),
        pain(1),
        pain(2),
        condition(1),
        patient(second),
        pain(3, subject=second),
    )

    bundle_import(actor=nora_actor, bundle=payload)

    rows = AuditEvent.objects.filter(action=AuditAction.IMPORT).order_by("id")
    assert [(r.patient.family_name, r.actor, r.changes) for r in rows] == [  # type: ignore[union-attr]
        (
            "Quinn",
            nora_actor.user,
            {"source": "FHIR bundle", "patient": 1, "observations": 2, "conditions": 1},
        ),
        ("Quinn", nora_actor.user, {"source": "FHIR bundle", "patient": 1, "observations": 1}),
    ]


@pytest.mark.parametrize("who", ["rita_actor", "pete_actor", "adam_actor"])
def test_roles_without_clinical_writing_cannot_import(
    who: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        bundle_import(actor=request.getfixturevalue(who), bundle=bundle(patient()))
    assert not Patient.objects.exists()


@pytest.mark.parametrize(
    ("payload", "expression"),
    [
        ({"resourceType": "Patient"}, "Bundle"),
        ({"resourceType": "Bundle", "type": "searchset"}, "Bundle.type"),
        ({"resourceType": "Bundle", "type": "collection", "entry": {}}, "Bundle.entry"),
    ],
)
def test_it_refuses_what_is_not_an_importable_bundle(
    nora_actor: Actor, payload: dict[str, Any], expression: str
) -> None:
    with pytest.raises(BundleInvalid) as caught:
        bundle_import(actor=nora_actor, bundle=payload)
    assert caught.value.expression == expression


def test_a_partial_onset_date_is_kept_as_text(nora_actor: Actor) -> None:
    bundle_import(actor=nora_actor, bundle=bundle(patient(), condition(1, onsetDateTime="2019")))

    knee = Condition.objects.get()
    assert (knee.onset, knee.onset_date) == ("2019", None)


def test_what_the_database_cannot_hold_is_an_entry_error(nora_actor: Actor) -> None:
    long_url = pain(1)
    long_url["fullUrl"] = "urn:uuid:" + "x" * 300
    nul = pain(2, component=[{"code": {"text": "a\x00b"}}])

    report = bundle_import(actor=nora_actor, bundle=bundle(patient(), long_url, nul))

    assert messages(report) == [
        ("Bundle.entry[1]", "fullUrl must be at most 255 characters, without NUL."),
        ("Bundle.entry[2].resource.component", "component contains a NUL character."),
    ]
