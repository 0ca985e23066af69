"""Patients: "Forgot your password?" on the portal's sign-in page, in English and Spanish."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from prolo.clinic.models import AuditEvent
from prolo.portal.tests.conftest import PORTAL_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another long passphrase"
RESET = "portal:password-reset"


def _ask(client, email, capture):
    with capture(execute=True):
        return client.post(reverse(RESET), {"email": email})


def _link(message) -> str:
    found = re.search(r"http://testserver(/portal/reset/\S+)", message.body)
    assert found is not None
    return found.group(1)


def test_the_sign_in_page_offers_a_reset(client):
    html = client.get(reverse("portal:sign-in")).content.decode()
    assert reverse(RESET) in html
    assert "Forgot your password?" in html


def test_a_known_and_an_unknown_address_get_the_same_answer(
    pat_account, client, django_capture_on_commit_callbacks
):
    known = _ask(client, "PAT@example.org", django_capture_on_commit_callbacks)
    unknown = _ask(client, "nobody@example.org", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    (message,) = mail.outbox
    assert message.to == ["pat@example.org"]
    assert "Riverside Prolotherapy" in message.body
    assert "Fields" not in message.body  # nothing about the patient beyond the address


def test_a_staff_address_gets_no_portal_reset_link(
    alice, client, django_capture_on_commit_callbacks
):
    alice.email = "alice@example.org"
    alice.save(update_fields=["email"])
    _ask(client, "alice@example.org", django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_link_sets_a_new_password_once_and_is_audited_on_the_patient(
    pat_account, client, django_capture_on_commit_callbacks
):
    _ask(client, "pat@example.org", django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    data = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    response = client.post(link, data)
    assert response["Location"] == reverse("portal:sign-in")
    pat_account.user.refresh_from_db()
    assert pat_account.user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="password_reset")
    assert event.patient == pat_account.patient
    assert client.get(link).status_code == 404


def test_a_staff_reset_link_does_not_work_in_the_portal(
    pat_account, client, django_capture_on_commit_callbacks
):
    _ask(client, "pat@example.org", django_capture_on_commit_callbacks)
    portal_link = _link(mail.outbox[0])
    staff_link = portal_link.replace("/portal/reset/", "/accounts/reset/")
    assert client.get(staff_link).status_code == 404
    assert client.get(portal_link).status_code == 200


def test_a_short_password_is_refused_beside_the_field(
    pat_account, client, django_capture_on_commit_callbacks
):
    _ask(client, "pat@example.org", django_capture_on_commit_callbacks)
    response = client.post(_link(mail.outbox[0]), {"password": "short", "password_again": "short"})
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    pat_account.user.refresh_from_db()
    assert pat_account.user.check_password(PORTAL_PASSWORD)


def test_the_link_expires(pat_account, client, settings, django_capture_on_commit_callbacks):
    _ask(client, "pat@example.org", django_capture_on_commit_callbacks)
    later = timezone.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        response = client.get(_link(mail.outbox[0]))
    assert response.status_code == 404
    assert "It has expired or has been used already." in response.content.decode()


def test_the_pages_and_the_email_are_in_spanish_for_a_spanish_speaker(
    pat_account, client, django_capture_on_commit_callbacks
):
    patient = pat_account.patient
    patient.preferred_language = "es"
    patient.save(update_fields=["preferred_language"])
    page = client.get(reverse(RESET), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "¿Olvidó su contraseña?" in page
    _ask(client, "pat@example.org", django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.subject == "Restablecer la contraseña de su portal del paciente"
    assert "Elija una contraseña nueva" in message.body
