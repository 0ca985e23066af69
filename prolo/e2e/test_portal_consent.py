"""Keyboard only, in Chromium: a patient reads and signs the consent in the portal, after one
refusal; the clinic then sees the signature on the course page. axe-core checks each page, and
the read-and-sign page again at 320 px in the 200 % text and high-contrast modes."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from prolo.clinic.models import Consent, Patient, User
from prolo.clinic.permissions import Actor
from prolo.clinic.services.portal_accounts import invitation_accept, invitation_send
from prolo.e2e.axe import assert_accessible
from prolo.e2e.keyboard import tab_to
from prolo.portal.preferences import COOKIE, COOKIE_PATH
from prolo.testing import make_course

PASSWORD = "a long portal passphrase"
EMAIL = "pat@example.org"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _patient(alice_actor: Actor, pat: Patient) -> None:
    make_course(alice_actor, pat)
    issued = invitation_send(actor=alice_actor, patient=pat, email=EMAIL, link_base="x/")
    invitation_accept(token=issued.token, password=PASSWORD)


def _sign_in(page: Page) -> None:
    page.goto(reverse("portal:sign-in"))
    tab_to(page, "Email address")
    page.keyboard.type(EMAIL)
    tab_to(page, "Password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Hello, Pat")).to_be_visible()


def test_a_patient_signs_the_consent_with_the_keyboard_alone(
    page: Page, alice_actor: Actor, pat: Patient, client_for: Callable[..., Client], nora: User
) -> None:
    _patient(alice_actor, pat)
    _sign_in(page)
    tab_to(page, "Consent")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Waiting for you to sign")).to_be_visible()
    assert_accessible(page)

    tab_to(page, "Read and sign")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Consent: dextrose prolotherapy")).to_be_visible()
    expect(page.get_by_role("heading", name="Your right to stop")).to_be_visible()
    assert_accessible(page)

    tab_to(page, "Type your full name")
    page.keyboard.type("Someone Else")
    tab_to(page, "Sign")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(
        page.get_by_text("Tick the box to confirm you have read and agree.").first
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Type your full name").focus()  # as the error summary's link does
    page.keyboard.press("Control+A")
    page.keyboard.type("pat fields")
    tab_to(page, "I have read this")
    page.keyboard.press("Space")
    tab_to(page, "Sign")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="You signed this")).to_be_visible()
    assert_accessible(page)

    consent = Consent.objects.get()
    assert (consent.method, consent.typed_name) == ("portal", "pat fields")
    course_page = client_for(nora).get(reverse("staff:course-detail", args=[consent.course.code]))
    assert "signed in the portal" in course_page.content.decode()


def test_the_read_and_sign_page_fits_320_px_in_large_text_and_high_contrast(
    page: Page, alice_actor: Actor, pat: Patient, live_server: LiveServer
) -> None:
    _patient(alice_actor, pat)
    _sign_in(page)
    page.goto(reverse("portal:consent"))
    url = page.get_by_role("link", name="Read and sign").get_attribute("href")
    assert url
    page.set_viewport_size({"width": 320, "height": 800})
    for mode in ("200", "100.contrast"):
        page.context.add_cookies(
            [{"name": COOKIE, "value": mode, "url": live_server.url + COOKIE_PATH}]
        )
        page.goto(url)
        assert_accessible(page)
        assert page.evaluate(NO_SIDEWAYS_SCROLL), mode
