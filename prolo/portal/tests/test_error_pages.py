"""Patients who hit a missing page or an error stay in the portal, in their language."""

from __future__ import annotations

import uuid

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from prolo.errors import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_portal_page_offers_the_portal_home(patient_client):
    response = patient_client.get(f"/portal/consent/{uuid.uuid4()}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "not part of your record" in page
    assert f'href="{reverse("portal:home")}"' in page
    assert "today&#x27;s list" not in page


def test_a_missing_staff_page_keeps_the_staff_page(client_for, alice):
    response = client_for(alice).get(f"/patients/{uuid.uuid4()}/")
    assert response.status_code == 404
    assert "Go to today" in response.content.decode()


def test_the_portal_error_page_speaks_spanish_too():
    request = RequestFactory().get("/portal/diary/")
    with translation.override("es"):
        response = server_error(request)
    assert response.status_code == 500
    assert "Algo salió mal" in response.content.decode()
