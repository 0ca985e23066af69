"""Signing in and out through the real forms, and how passwords are stored in production."""

from __future__ import annotations

import runpy
import sys

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client
from django.urls import reverse

import prolo.settings
from prolo.clinic.models import Membership, Role, User
from prolo.conftest import PASSWORD

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def _production_settings(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Execute prolo/settings.py as a server would import it: no pytest, no `test` command."""
    with monkeypatch.context() as m:
        m.delitem(sys.modules, "pytest")
        m.setattr(sys, "argv", ["gunicorn", "prolo.wsgi"])
        m.setenv("SECRET_KEY", "a-production-secret-for-this-test-only")
        m.delenv("DEBUG", raising=False)
        return runpy.run_path(prolo.settings.__file__)


@pytest.fixture
def production_hashers(settings, monkeypatch):
    hashers = _production_settings(monkeypatch)["PASSWORD_HASHERS"]
    settings.PASSWORD_HASHERS = hashers
    return hashers


def _sign_in(client: Client, username: str, password: str, next_url: str = ""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def test_signing_in_through_the_form_lands_on_todays_list(alice, client):
    response = _sign_in(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:today")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Today," in page.content.decode()
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_a_wrong_password_shows_an_error_and_stays_signed_out(alice, client):
    response = _sign_in(client, "alice", "not the password")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please enter a correct username and password" in html
    assert SESSION_KEY not in client.session
    response = client.get(reverse("staff:today"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_sign_in_page_is_served_to_anyone(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Sign in to Prolo" in response.content.decode()


def test_production_settings_list_argon2_first(monkeypatch):
    production = _production_settings(monkeypatch)
    assert production["TESTING"] is False
    hashers = production["PASSWORD_HASHERS"]
    assert isinstance(hashers, list)
    assert hashers[0] == ARGON2
    assert "django.contrib.auth.hashers.MD5PasswordHasher" not in hashers


def test_production_hashes_passwords_with_argon2(production_hashers, alice):
    assert make_password("s3cret enough", hasher="argon2").startswith("argon2$argon2id$")
    alice.set_password("a new long passphrase")
    alice.save()
    alice.refresh_from_db()
    assert alice.password.startswith("argon2$argon2id$")
    assert check_password("a new long passphrase", alice.password)


def test_a_user_whose_password_is_stored_with_argon2_signs_in(production_hashers, clinic, client):
    user = User.objects.create_user(username="argo", password=PASSWORD)
    assert user.password.startswith("argon2$")
    Membership.objects.create(user=user, clinic=clinic, role=Role.NURSE)
    response = _sign_in(client, "argo", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:today")


def test_sign_out_is_post_only_and_ends_the_session(alice, client):
    _sign_in(client, "alice", PASSWORD)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert client.get(reverse("staff:today")).status_code == 200

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    response = client.get(reverse("staff:today"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_user_without_a_clinic_gets_403_on_staff_pages(db, client, pat):
    User.objects.create_user(username="drifter", password=PASSWORD)
    response = _sign_in(client, "drifter", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY]
    for url in (
        reverse("staff:today"),
        reverse("staff:patient-list"),
        reverse("staff:patient-chart", args=[pat.code]),
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize(
    "unsafe",
    ["https://evil.example/", "//evil.example/", "https:///evil.example/", "javascript:alert(1)"],
)
def test_an_unsafe_next_url_is_not_followed(alice, client, unsafe):
    response = _sign_in(client, "alice", PASSWORD, next_url=unsafe)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:today")


def test_a_safe_next_url_is_followed(alice, client):
    target = reverse("staff:patient-list")
    response = _sign_in(client, "alice", PASSWORD, next_url=target)
    assert response.status_code == 302
    assert response["Location"] == target


def test_the_next_url_is_kept_on_the_sign_in_form(client):
    response = client.get(reverse("accounts:login"), {"next": "/patients/"})
    assert 'name="next" value="/patients/"' in response.content.decode()
