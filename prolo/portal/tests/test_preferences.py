"""The accessibility toolbar and the language switch: kept per device and per account, applied
on the server (no JavaScript), bad values refused, and never a redirect to another site."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from prolo.clinic.models import Patient, PatientAccount
from prolo.portal.preferences import COOKIE
from prolo.portal.tests.conftest import PORTAL_PASSWORD

pytestmark = pytest.mark.django_db
PREFS = reverse("portal:preferences")
LANGUAGE = reverse("portal:language")
SIGN_IN = reverse("portal:sign-in")
HOME = reverse("portal:home")


def html_classes(response) -> set[str]:
    match = re.search(r'<html lang="[^"]*" class="([^"]*)"', response.content.decode())
    assert match, "no <html> tag"
    return set(match.group(1).split())


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]*)"', response.content.decode())
    assert match
    return match.group(1)


def sign_in(client: Client):
    response = client.post(SIGN_IN, {"email": "pat@example.org", "password": PORTAL_PASSWORD})
    assert response.status_code == 302
    return response


def test_every_portal_page_has_the_toolbar_as_a_plain_form(client):
    html = client.get(SIGN_IN).content.decode()
    assert '<details class="a11y-toolbar">' in html
    assert f'action="{PREFS}"' in html
    assert 'name="text_size" value="200"' in html
    assert '<input type="hidden" name="next" value="/portal/sign-in/">' in html
    assert "<script" not in html  # nothing here needs JavaScript


def test_a_visitor_chooses_large_text_and_high_contrast_before_signing_in(client):
    data = {"text_size": "200", "contrast": "on", "spacing": "on", "next": SIGN_IN}
    response = client.post(PREFS, data)
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    cookie = response.cookies[COOKIE]
    assert (cookie["samesite"], cookie["path"], cookie["max-age"]) == ("Lax", "/portal/", 31536000)

    page = client.get(SIGN_IN)
    assert html_classes(page) == {"pref-text-200", "pref-contrast", "pref-spacing"}
    assert "Your display settings are saved." in page.content.decode()
    assert 'id="toolbar-contrast" checked' in page.content.decode()


def test_unticking_everything_returns_to_the_default_look(client):
    client.post(PREFS, {"text_size": "150", "underline_links": "on"})
    client.post(PREFS, {"text_size": "100"})
    assert html_classes(client.get(SIGN_IN)) == set()


@pytest.mark.parametrize("size", ["99", "250", "large", "-100", "1e3"])
def test_an_impossible_text_size_is_refused_and_nothing_is_kept(client, size):
    response = client.post(PREFS, {"text_size": size, "contrast": "on"})
    assert response.status_code == 400
    assert "Text size: Select a valid choice." in response.content.decode()
    assert COOKIE not in response.cookies


def test_a_tampered_cookie_is_ignored(client):
    client.cookies[COOKIE] = "900.contrast.<script>.bogus"
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    assert html_classes(response) == {"pref-contrast"}


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/portal/", "http://testserver.evil.example/"],
)
def test_next_never_leads_to_another_site(client, target):
    assert client.post(PREFS, {"text_size": "125", "next": target})["Location"] == HOME
    assert client.post(LANGUAGE, {"language": "es", "next": target})["Location"] == HOME


def test_a_patients_choice_is_kept_with_their_account(patient_client, pat_account):
    patient_client.post(PREFS, {"text_size": "175", "dyslexia_font": "on", "next": HOME})
    pat_account.refresh_from_db()
    assert pat_account.preferences["text_size"] == 175
    assert pat_account.preferences["dyslexia_font"] is True
    assert html_classes(patient_client.get(HOME)) == {"pref-text-175", "pref-dyslexia"}


def test_on_another_device_the_accounts_choice_wins_at_sign_in(pat_account):
    PatientAccount.objects.filter(pk=pat_account.pk).update(
        preferences={"text_size": 150, "underline_links": True}
    )
    phone = Client()
    phone.post(PREFS, {"text_size": "200"})  # chosen on the phone while signed out
    signed_in = sign_in(phone)
    assert html_classes(phone.get(HOME)) == {"pref-text-150", "pref-underline"}
    # Copied to the device, so the sign-in page looks the same next time.
    assert signed_in.cookies[COOKIE].value == "150.underline_links"
    assert html_classes(phone.get(SIGN_IN)) == {"pref-text-150", "pref-underline"}


def test_a_first_choice_made_before_signing_in_is_kept_for_the_account(pat_account):
    device = Client()
    device.post(PREFS, {"text_size": "125", "reduce_motion": "on"})
    sign_in(device)
    pat_account.refresh_from_db()
    assert pat_account.preferences["text_size"] == 125
    assert pat_account.preferences["reduce_motion"] is True


def test_the_portal_speaks_the_patients_preferred_language_from_sign_in(pat_account):
    Patient.objects.filter(pk=pat_account.patient_id).update(preferred_language="es")
    device = Client()
    assert html_lang(device.get(SIGN_IN)) == "en"
    sign_in(device)
    home = device.get(HOME)
    assert html_lang(home) == "es"
    assert "Su próxima sesión" in home.content.decode()
    assert "Tamaño del texto" in home.content.decode()  # the toolbar too


def test_a_patient_switches_language_and_it_is_remembered(patient_client, pat_account):
    response = patient_client.post(LANGUAGE, {"language": "es", "next": HOME})
    assert response["Location"] == HOME
    assert response.cookies["django_language"]["path"] == "/portal/"
    home = patient_client.get(HOME)
    assert "El portal ahora está en español." in home.content.decode()
    assert 'value="en" lang="en" class="secondary">Read in English' in home.content.decode()
    pat_account.refresh_from_db()
    assert pat_account.preferences["language"] == "es"

    laptop = Client()  # the account's choice beats the clinic's record on another device
    sign_in(laptop)
    assert html_lang(laptop.get(HOME)) == "es"


def test_an_unknown_language_is_refused(client):
    response = client.post(LANGUAGE, {"language": "xx", "next": SIGN_IN}, follow=True)
    assert "Language: choose English or Spanish." in response.content.decode()
    assert html_lang(response) == "en"


def test_signing_in_never_redirects_to_another_site(pat_account):
    device = Client()
    data = {"email": "pat@example.org", "password": PORTAL_PASSWORD}
    assert device.post(SIGN_IN + "?next=https://evil.example/", data)["Location"] == HOME
    device.logout()
    assert device.post(SIGN_IN + "?next=/portal/display/", data)["Location"] == PREFS


def test_the_display_page_works_without_the_toolbar(client):
    response = client.get(PREFS + "?next=/portal/sign-in/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<details class="a11y-toolbar">' not in html  # its form is the page itself
    assert html.count('name="text_size" value="150"') == 1
    assert 'href="/portal/sign-in/">Go back without saving' in html


def test_a_signed_in_patient_keeps_their_navigation_on_the_display_page(patient_client):
    html = patient_client.get(PREFS).content.decode()
    assert f'href="{HOME}" aria-current="page"' not in html
    assert "Sign out" in html
