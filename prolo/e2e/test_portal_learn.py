"""Learn and Documents in the browser: an article and the documents list pass axe (WCAG 2.2
A/AA) in every toolbar mode, and nothing scrolls sideways at 320 px; the patient opens a shared
document by keyboard.

The argument-free pages (the Learn index, Documents) are also in test_portal_modes' sweep;
this adds the pages that need an argument and content to show.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from playwright.sync_api import BrowserContext

from prolo.clinic.models import Patient
from prolo.clinic.permissions import Actor
from prolo.clinic.services.portal_accounts import invitation_accept, invitation_send
from prolo.clinic.services.shared_documents import shared_document_add
from prolo.e2e.test_portal_modes import CASES, check_page, context_for

__all__ = ["context_for"]  # the fixture of test_portal_modes: a browser context per mode
PASSWORD = "a long portal passphrase"


@pytest.fixture
def session(alice_actor: Actor, nora_actor: Actor, pat: Patient, settings_media: None) -> str:
    shared_document_add(
        actor=nora_actor,
        patient=pat,
        title="Your aftercare sheet, with a long title that has to wrap on a small phone",
        file=SimpleUploadedFile("sheet.txt", b"Rest, then move gently."),
    )
    issued = invitation_send(
        actor=alice_actor, patient=pat, email="pat@example.org", link_base="http://t/"
    )
    account = invitation_accept(token=issued.token, password=PASSWORD)
    client = Client()
    client.force_login(account.user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def settings_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(("mode", "width"), CASES)
def test_an_article_and_the_documents_are_accessible_in_every_mode(
    session: str, context_for: Callable[..., BrowserContext], mode: str, width: int
) -> None:
    page = context_for(mode, width, session).new_page()
    for url in (
        reverse("portal:learn"),
        reverse("portal:learn-article", args=["when-to-call"]),
        reverse("portal:learn-article", args=["side-effects"]),
        reverse("portal:documents"),
    ):
        check_page(page, url, mode, width)


def test_a_patient_opens_a_shared_document_by_keyboard(
    session: str, context_for: Callable[..., BrowserContext]
) -> None:
    page = context_for("default", 1280, session).new_page()
    page.goto(reverse("portal:documents"))
    link = page.get_by_role("link", name=re.compile(r"^Open\b.*Your aftercare sheet"))
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/documents/*/")
    assert "Rest, then move gently." in page.content()
