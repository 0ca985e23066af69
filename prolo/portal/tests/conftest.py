"""The portal's shared fixtures: Pat signed in to the portal through an accepted invitation.

`patient_client` is a Client signed in as Pat; `pat_actor` is the PatientActor a portal view
would build for her (`request.me`).
"""

from __future__ import annotations

import pytest
from django.test import Client

from prolo.clinic.models import Patient, PatientAccount
from prolo.clinic.permissions import Actor
from prolo.clinic.portal_access import PatientActor
from prolo.clinic.services.portal_accounts import invitation_accept, invitation_send

PORTAL_PASSWORD = "a long portal passphrase"
LINK_BASE = "http://testserver/portal/invitation/"


@pytest.fixture
def pat_account(alice_actor: Actor, pat: Patient) -> PatientAccount:
    issued = invitation_send(
        actor=alice_actor, patient=pat, email="pat@example.org", link_base=LINK_BASE
    )
    return invitation_accept(token=issued.token, password=PORTAL_PASSWORD)


@pytest.fixture
def pat_actor(pat_account: PatientAccount) -> PatientActor:
    patient = pat_account.patient
    return PatientActor(
        user=pat_account.user, clinic=patient.clinic, patient=patient, account=pat_account
    )


@pytest.fixture
def patient_client(pat_account: PatientAccount) -> Client:
    client = Client()
    client.force_login(pat_account.user)
    return client
