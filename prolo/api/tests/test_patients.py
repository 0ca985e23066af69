"""Patients through the API: search and page, read, register, change; clinic and role limits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from prolo.api.tests.conftest import fields_of
from prolo.clinic.models import AuditAction, AuditEvent, Patient
from prolo.clinic.services.patients import patient_register

NEW = {
    "mrn": "R-0100",
    "given_name": "Quinn",
    "family_name": "Hart",
    "date_of_birth": "1980-02-29",
    "sex": "male",
}


def _register(actor, n: int) -> Patient:
    return patient_register(
        actor=actor,
        mrn=f"P-{n:04d}",
        given_name=f"Given{n}",
        family_name=f"Family{n:04d}",
        date_of_birth=dt.date(1970, 1, 1),
        sex="female",
    )


def test_it_lists_the_clinics_patients_only(api_for, rita, pat, olga):
    body = api_for(rita).get("/patients").json()
    assert body["count"] == 1
    assert [p["code"] for p in body["items"]] == [str(pat.code)]
    assert "id" not in body["items"][0]


def test_it_searches_by_name_mrn_and_date_of_birth(api_for, rita, rita_actor, pat):
    _register(rita_actor, 1)
    api = api_for(rita)
    for query in ("fiel", "r-0001", "1961-04-12", "Pat Fields"):
        assert [p["mrn"] for p in api.get("/patients", q=query).json()["items"]] == ["R-0001"]


def test_it_pages_with_limit_and_offset(api_for, rita, rita_actor):
    for n in range(5):
        _register(rita_actor, n)
    body = api_for(rita).get("/patients", limit=2, offset=3).json()
    assert (body["count"], body["limit"], body["offset"]) == (5, 2, 3)
    assert [p["mrn"] for p in body["items"]] == ["P-0003", "P-0004"]


def test_it_rejects_a_limit_out_of_range_naming_it(api_for, rita):
    response = api_for(rita).get("/patients", limit=500)
    assert response.status_code == 422
    assert fields_of(response) == ["limit"]


def test_a_search_with_a_nul_byte_is_rejected(api_for, rita):
    response = api_for(rita).get("/patients", q="a\x00b")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "q", "reason": "Text cannot contain NUL characters."}
    ]


@pytest.mark.parametrize("size", [2, 12])
def test_the_list_runs_a_constant_number_of_queries(
    api_for, rita, rita_actor, django_assert_num_queries, size
):
    for n in range(size):
        _register(rita_actor, n)
    api = api_for(rita)
    api.get("/me")  # records the token's first use, which a later request skips
    # token, membership, count, page, one INSERT of the audit rows
    with django_assert_num_queries(5):
        assert len(api.get("/patients").json()["items"]) == size


def test_every_patient_listed_is_audited_as_read(api_for, rita, pat):
    api_for(rita).get("/patients")
    event = AuditEvent.objects.get(action=AuditAction.READ)
    assert (event.patient, event.actor, event.object_code) == (pat, rita, str(pat.code))
    assert event.changes == {"path": "/api/v1/patients"}


def test_it_reads_one_patient_and_audits_it(api_for, rita, pat):
    response = api_for(rita).get(f"/patients/{pat.code}")
    assert response.status_code == 200
    assert response.json()["given_name"] == "Pat"
    assert AuditEvent.objects.filter(action=AuditAction.READ, patient=pat).count() == 1


def test_another_clinics_patient_is_404(api_for, charlie, pat):
    response = api_for(charlie).get(f"/patients/{pat.code}")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"field": None, "reason": "No such record in this clinic."}]
    }
    assert not AuditEvent.objects.filter(action=AuditAction.READ).exists()


def test_a_malformed_code_is_422_naming_it(api_for, rita):
    response = api_for(rita).get("/patients/not-a-uuid")
    assert response.status_code == 422
    assert fields_of(response) == ["code"]


def test_reception_registers_a_patient(api_for, rita, clinic):
    response = api_for(rita).post("/patients", NEW)
    assert response.status_code == 201
    patient = Patient.objects.get(mrn="R-0100")
    assert (patient.clinic, response.json()["code"]) == (clinic, str(patient.code))
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, patient=patient).exists()


def test_a_physiotherapist_may_not_register_a_patient(api_for, pete):
    response = api_for(pete).post("/patients", NEW)
    assert response.status_code == 403
    assert "Physiotherapist" in response.json()["errors"][0]["reason"]


def test_missing_and_bad_fields_are_named(api_for, rita):
    response = api_for(rita).post("/patients", {"mrn": "a b", "sex": "x", "given_name": ""})
    assert response.status_code == 422
    assert set(fields_of(response)) == {"mrn", "sex", "given_name", "family_name", "date_of_birth"}


def test_service_rules_come_back_on_their_field(api_for, rita, pat):
    response = api_for(rita).post("/patients", {**NEW, "mrn": "R-0001"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "mrn", "reason": "MRN R-0001 is already used by another patient."}
    ]
    future = api_for(rita).post("/patients", {**NEW, "date_of_birth": "2999-01-01"})
    assert fields_of(future) == ["date_of_birth"]


def test_a_bad_email_is_named(api_for, rita):
    response = api_for(rita).post("/patients", {**NEW, "email": "not an email"})
    assert response.status_code == 422
    assert fields_of(response) == ["email"]


def test_a_nul_byte_in_a_body_field_is_rejected(api_for, rita):
    response = api_for(rita).post("/patients", {**NEW, "address": "1 Road\x00"})
    assert response.status_code == 422
    assert fields_of(response) == ["address"]


def test_a_body_that_is_not_json_is_400(api_for, rita):
    response = api_for(rita).post("/patients", "{not json")
    assert response.status_code == 400
    assert fields_of(response) == [None]


def test_it_changes_only_the_fields_sent(api_for, rita, pat):
    response = api_for(rita).patch(f"/patients/{pat.code}", {"phone": "01632 960999"})
    assert response.status_code == 200
    pat.refresh_from_db()
    assert (pat.phone, pat.given_name) == ("01632 960999", "Pat")
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, patient=pat).get()
    assert event.changes == {"phone": ["01632 960001", "01632 960999"]}


def test_a_null_in_a_change_is_refused(api_for, rita, pat):
    response = api_for(rita).patch(f"/patients/{pat.code}", {"given_name": None})
    assert response.status_code == 422
    assert fields_of(response) == ["given_name"]


def test_another_clinics_patient_cannot_be_changed(api_for, charlie, pat):
    assert api_for(charlie).patch(f"/patients/{pat.code}", {"phone": "1"}).status_code == 404


def test_a_token_needs_no_csrf_token(token_for, rita):
    client = Client(enforce_csrf_checks=True)
    headers = {"Authorization": f"Bearer {token_for(rita)}"}
    response = client.post(
        "/api/v1/patients", NEW, content_type="application/json", headers=headers
    )
    assert response.status_code == 201
