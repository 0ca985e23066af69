"""Adverse events through the API: the clinic's list, one patient's, one event."""

from __future__ import annotations

import pytest

from prolo.api.tests.conftest import make_event
from prolo.clinic.models import AuditAction, AuditEvent


def test_it_lists_the_clinics_adverse_events(api_for, alice, alice_actor, charlie_actor, pat, olga):
    event = make_event(alice_actor, pat)
    make_event(charlie_actor, olga)
    body = api_for(alice).get("/adverse-events").json()
    assert body["count"] == 1
    [item] = body["items"]
    assert (item["code"], item["patient"], item["grade"]) == (str(event.code), str(pat.code), 2)
    assert item["reported_by"] == "Dr Alice Moreno"
    assert AuditEvent.objects.filter(action=AuditAction.READ, patient=pat).count() == 1


def test_it_filters_by_patient(api_for, alice, alice_actor, pat, olga):
    make_event(alice_actor, pat)
    api = api_for(alice)
    assert api.get("/adverse-events", patient=str(pat.code)).json()["count"] == 1
    assert api.get("/adverse-events", patient=str(olga.code)).status_code == 404


def test_it_reads_one_event(api_for, alice, charlie, alice_actor, pat):
    event = make_event(alice_actor, pat)
    response = api_for(alice).get(f"/adverse-events/{event.code}")
    assert response.status_code == 200
    assert response.json()["event_type"] == "severe_pain"
    assert api_for(charlie).get(f"/adverse-events/{event.code}").status_code == 404


def test_reception_may_not_read_adverse_events(api_for, rita, alice_actor, pat):
    event = make_event(alice_actor, pat)
    api = api_for(rita)
    assert api.get("/adverse-events").status_code == 403
    assert api.get(f"/adverse-events/{event.code}").status_code == 403


@pytest.mark.parametrize("events", [1, 5])
def test_the_list_runs_a_constant_number_of_queries(
    api_for, alice, alice_actor, pat, django_assert_num_queries, events
):
    for _ in range(events):
        make_event(alice_actor, pat)
    api = api_for(alice)
    api.get("/me")
    with django_assert_num_queries(5):
        assert api.get("/adverse-events").json()["count"] == events
