"""Signing in with a token: who it acts as, and every way a token is refused (401)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from prolo.api.tests.conftest import Api
from prolo.clinic.models import ApiToken, Membership
from prolo.clinic.services.api_tokens import api_token_revoke

REFUSED = "Send a valid API token: Authorization: Bearer prolo_…"


def _assert_refused(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {"errors": [{"field": None, "reason": REFUSED}]}


def test_me_names_the_user_clinic_and_role(api_for, alice, clinic):
    response = api_for(alice).get("/me")
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["username"] == "alice"
    assert body["clinic"] == {"code": str(clinic.code), "name": "Riverside Prolotherapy"}
    assert body["role"] == "physician"
    assert "view_clinical" in body["permissions"]


def test_it_refuses_a_request_without_a_token(db):
    _assert_refused(Api("").get("/me"))


@pytest.mark.parametrize("header", ["Bearer prolo_nope", "Bearer ", "Basic abc", "prolo_x"])
def test_it_refuses_a_bad_token(db, header):
    api = Api("")
    api.headers = {"Authorization": header}
    _assert_refused(api.get("/me"))


def test_it_refuses_a_revoked_token(token_for, alice, alice_actor):
    raw = token_for(alice)
    api_token_revoke(actor=alice_actor, token=ApiToken.objects.get())
    _assert_refused(Api(raw).get("/me"))


def test_it_refuses_an_expired_token(token_for, alice):
    raw = token_for(alice, expires_at=timezone.now() + dt.timedelta(days=1))
    assert Api(raw).get("/me").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        _assert_refused(Api(raw).get("/me"))


def test_it_refuses_a_token_once_the_membership_ends(token_for, alice):
    raw = token_for(alice)
    Membership.objects.filter(user=alice).update(active=False)
    _assert_refused(Api(raw).get("/me"))


def test_the_role_is_read_on_every_request(token_for, alice):
    raw = token_for(alice)
    Membership.objects.filter(user=alice).update(role="reception")
    assert Api(raw).get("/me").json()["role"] == "reception"


def test_a_token_acts_in_its_own_clinic_only(token_for, alice, clinic, other_clinic):
    Membership.objects.create(user=alice, clinic=other_clinic, role="nurse")
    raw = token_for(alice, clinic)
    assert Api(raw).get("/me").json()["clinic"]["code"] == str(clinic.code)


def test_using_a_token_records_when(token_for, alice):
    raw = token_for(alice)
    Api(raw).get("/me")
    assert ApiToken.objects.get().last_used_at is not None


def test_an_unknown_endpoint_answers_404_in_the_error_shape(db):
    response = Api("").get("/nothing/here")
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] is None
