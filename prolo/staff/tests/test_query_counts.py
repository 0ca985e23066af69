"""The patient list and chart cost the same number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prolo.clinic.clock import clinic_today
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.services.patients import allergy_add, medication_add, patient_register
from prolo.clinic.services.questionnaires import questionnaire_record
from prolo.testing import add_injection, make_course, make_note, signed_session


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_patients(actor, start: int, count: int) -> None:
    for i in range(start, start + count):
        patient = patient_register(
            actor=actor,
            mrn=f"Q-{i:04d}",
            given_name=f"Given{i}",
            family_name=f"Family{i}",
            date_of_birth=dt.date(1970, 1, 1),
            sex="male",
        )
        make_course(actor, patient, planned_sessions=2)


def _answer(actor, patient, course, instrument, timepoint, value) -> None:
    answers = {item.id: value for item in INSTRUMENTS[instrument].items}
    questionnaire_record(
        actor=actor,
        patient=patient,
        course=course,
        instrument=instrument,
        timepoint=timepoint,
        answers=answers,
        answered_on=clinic_today(actor.clinic),
    )


def _grow_chart(actor, patient) -> None:
    """Another course with a signed session, more injections, history entries, and
    questionnaires on three instruments over both courses and none."""
    session = signed_session(actor, patient, injections=4)
    course = make_course(actor, patient, planned_sessions=5, acknowledgement="Latex-free gloves.")
    note = make_note(actor, course.sessions.get(number=1))
    for _ in range(3):
        add_injection(actor, note)
    allergy_add(actor=actor, patient=patient, substance="Latex", category="latex")
    medication_add(actor=actor, patient=patient, name="Ibuprofen", drug_class="nsaid")
    assert session.note.is_signed
    _answer(actor, patient, session.course, "pain_nrs", "extra", 5)
    _answer(actor, patient, course, "pain_nrs", "baseline", 7)
    _answer(actor, patient, course, "pain_nrs", "session-2", 4)
    _answer(actor, patient, course, "koos", "extra", 2)
    _answer(actor, patient, None, "pain_vas", "extra", 40)


# Pinned: a change that adds a query per row shows up here, not in production.
LIST_QUERIES = 9  # + the open review tasks count in the main navigation
# + latest screening per open course, adverse events, open review tasks (nav), and for the
# Outcomes section the patient's questionnaire responses and the clinic's instrument settings,
# and the documents shared with the patient
CHART_QUERIES = 24


@pytest.mark.django_db
def test_the_patient_list_runs_a_constant_number_of_queries(alice, alice_actor, client_for):
    client = client_for(alice)
    url = reverse("staff:patient-list")
    _add_patients(alice_actor, 0, 3)
    small = _queries(client, url)
    _add_patients(alice_actor, 3, 20)
    assert _queries(client, url) == small == LIST_QUERIES


@pytest.mark.django_db
def test_the_chart_runs_a_constant_number_of_queries(alice, alice_actor, pat, client_for):
    client = client_for(alice)
    url = reverse("staff:patient-chart", args=[pat.code])
    _grow_chart(alice_actor, pat)
    small = _queries(client, url)
    _grow_chart(alice_actor, pat)
    _grow_chart(alice_actor, pat)
    assert _queries(client, url) == small == CHART_QUERIES
