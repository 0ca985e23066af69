"""The API-token pages: make a token (its secret shown once), list, revoke."""

from __future__ import annotations

import datetime as dt

import pytest

from prolo.clinic.clock import clinic_time, clinic_today
from prolo.clinic.models import ApiToken, AuditAction, AuditEvent
from prolo.clinic.services.api_tokens import api_token_authenticate, api_token_create

# The API's test URLs: the project's, with /api/ mounted (its docs are linked from the page).

URL = "/accounts/tokens/"


def _make(client, **data):
    return client.post(URL, {"name": "registry export", "expires_on": ""} | data)


def test_making_a_token_shows_its_secret_once(client_for, nora, clinic):
    client = client_for(nora)
    response = _make(client)
    assert response.status_code == 200
    token = ApiToken.objects.get()
    [secret] = [
        line.split('value="')[1].split('"')[0]
        for line in response.content.decode().splitlines()
        if 'id="token-secret"' in line
    ]
    assert secret.startswith(token.prefix)
    assert b"Copy it now: it will not be shown again." in response.content
    assert response["Cache-Control"] == "no-store"
    actor = api_token_authenticate(secret)
    assert actor is not None
    assert (actor.user, actor.clinic) == (nora, clinic)
    listed = client.get(URL)
    assert secret.encode() not in listed.content
    assert token.prefix.encode() in listed.content


def test_the_list_shows_the_users_tokens_in_this_clinic(client_for, nora, nora_actor, alice_actor):
    api_token_create(actor=nora_actor, name="registry")
    api_token_create(actor=alice_actor, name="alices own")
    content = client_for(nora).get(URL).content.decode()
    assert "registry" in content
    assert "alices own" not in content
    assert "Never" in content  # last used, expires


def test_an_expiry_day_ends_the_token_at_the_end_of_that_day(client_for, nora, clinic):
    tomorrow = clinic_today(clinic) + dt.timedelta(days=1)
    _make(client_for(nora), expires_on=tomorrow.isoformat())
    expires_at = ApiToken.objects.get().expires_at
    assert expires_at is not None
    expires = clinic_time(clinic, expires_at)
    assert (expires.date(), expires.time()) == (tomorrow + dt.timedelta(days=1), dt.time(0))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"expires_on": "2001-01-01"}, "expires_on"),
        ({"expires_on": "9999-12-31"}, "expires_on"),
        ({"expires_on": "soon"}, "expires_on"),
    ],
)
def test_bad_input_is_named_beside_its_field(client_for, nora, data, field):
    response = _make(client_for(nora), **data)
    assert response.status_code == 400
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert f'aria-describedby="id_{field}_help id_{field}_error"' in content
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_working(client_for, nora, nora_actor):
    token, secret = api_token_create(actor=nora_actor, name="registry")
    response = client_for(nora).post(f"{URL}{token.code}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_authenticate(secret) is None
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_code=str(token.code))
    assert "Revoked" in client_for(nora).get(URL).content.decode()


def test_another_users_token_is_404(client_for, nora, alice_actor):
    token, secret = api_token_create(actor=alice_actor, name="alices")
    assert client_for(nora).post(f"{URL}{token.code}/revoke/").status_code == 404
    assert api_token_authenticate(secret) is not None


def test_revoking_needs_a_post(client_for, nora, nora_actor):
    token, _ = api_token_create(actor=nora_actor, name="registry")
    assert client_for(nora).get(f"{URL}{token.code}/revoke/").status_code == 405


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_without_a_clinic_is_refused(client, db, django_user_model):
    # A portal patient's account has no clinic membership.
    client.force_login(django_user_model.objects.create_user(username="patient1"))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()
