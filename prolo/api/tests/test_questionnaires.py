"""Questionnaire responses through the API: record one, list with scores, read one."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from prolo.api.tests.conftest import fields_of
from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditAction, AuditEvent, QuestionnaireResponse
from prolo.clinic.services.patients import patient_register
from prolo.clinic.services.questionnaires import questionnaire_record
from prolo.testing import make_course


def _body(**overrides):
    return {
        "instrument": "pain_nrs",
        "answers": {"pain": 6},
        "answered_on": timezone.localdate().isoformat(),
    } | overrides


def test_a_nurse_records_a_questionnaire_and_gets_its_score(api_for, nora, pat):
    response = api_for(nora).post(f"/patients/{pat.code}/responses", _body())
    assert response.status_code == 201
    body = response.json()
    assert (body["score"], body["scores"], body["timepoint"]) == ("6.00", {"pain": "6.00"}, "extra")
    saved = QuestionnaireResponse.objects.get()
    assert (saved.patient, str(saved.code)) == (pat, body["code"])
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_code=body["code"])
    assert (created.patient, created.actor) == (pat, nora)


def test_it_records_a_scheduled_time_point_of_a_course(api_for, nora, alice_actor, pat):
    course = make_course(alice_actor, pat)
    body = _body(course=str(course.code), timepoint="baseline")
    response = api_for(nora).post(f"/patients/{pat.code}/responses", body)
    assert response.status_code == 201
    again = api_for(nora).post(f"/patients/{pat.code}/responses", body)
    assert again.status_code == 422
    assert fields_of(again) == ["timepoint"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"answers": {"nope": 1}}, "answers"),
        ({"answers": {"pain": 11}}, "answers"),
        ({"instrument": "zzz"}, "instrument"),
        ({"answered_on": "2999-01-01"}, "answered_on"),
        ({"course": str(uuid.uuid4())}, "course"),
        ({"timepoint": "fu-6w"}, "timepoint"),
    ],
)
def test_what_cannot_be_recorded_is_named(api_for, nora, pat, overrides, field):
    response = api_for(nora).post(f"/patients/{pat.code}/responses", _body(**overrides))
    assert response.status_code == 422
    assert fields_of(response) == [field]
    assert not QuestionnaireResponse.objects.exists()


def test_another_patients_course_is_refused_on_the_course_field(
    api_for, nora, nora_actor, alice_actor, pat
):
    other = make_course(alice_actor, pat)
    second = _second_patient(nora_actor)
    response = api_for(nora).post(
        f"/patients/{second.code}/responses", _body(course=str(other.code))
    )
    assert fields_of(response) == ["course"]


def _second_patient(actor):
    return patient_register(
        actor=actor,
        mrn="R-0002",
        given_name="Sam",
        family_name="Lee",
        date_of_birth=dt.date(1990, 1, 1),
        sex="male",
    )


def test_reception_may_neither_record_nor_read(api_for, rita, nora_actor, pat):
    api = api_for(rita)
    assert api.post(f"/patients/{pat.code}/responses", _body()).status_code == 403
    assert api.get(f"/patients/{pat.code}/responses").status_code == 403


def test_it_lists_a_patients_responses_with_scores(api_for, nora, nora_actor, alice_actor, pat):
    course = make_course(alice_actor, pat)
    today = clinic_today(alice_actor.clinic)
    questionnaire_record(
        actor=nora_actor,
        patient=pat,
        instrument="pain_nrs",
        answers={"pain": 7},
        answered_on=today,
        course=course,
        timepoint="baseline",
    )
    questionnaire_record(
        actor=nora_actor,
        patient=pat,
        instrument="pain_nrs",
        answers={"pain": 3},
        answered_on=today,
    )
    api = api_for(nora)
    body = api.get(f"/patients/{pat.code}/responses").json()
    assert [r["score"] for r in body["items"]] == ["7.00", "3.00"]
    only_course = api.get(f"/patients/{pat.code}/responses", course=str(course.code)).json()
    assert [r["timepoint"] for r in only_course["items"]] == ["baseline"]
    assert AuditEvent.objects.filter(action=AuditAction.READ, patient=pat).count() == 2


def test_it_reads_one_response(api_for, nora, nora_actor, charlie, pat):
    response = questionnaire_record(
        actor=nora_actor,
        patient=pat,
        instrument="pain_nrs",
        answers={"pain": 4},
        answered_on=clinic_today(nora_actor.clinic),
    )
    read = api_for(nora).get(f"/responses/{response.code}")
    assert read.status_code == 200
    assert read.json()["answers"] == {"pain": 4}
    assert api_for(charlie).get(f"/responses/{response.code}").status_code == 404


def test_another_clinics_patient_gets_404(api_for, charlie, pat):
    api = api_for(charlie)
    assert api.get(f"/patients/{pat.code}/responses").status_code == 404
    assert api.post(f"/patients/{pat.code}/responses", _body()).status_code == 404
