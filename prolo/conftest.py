"""The named test cast, shared by every test in the project.

Riverside Prolotherapy (`clinic`) has one staff member per role:

    alice  physician (Dr Alice Moreno)     nora  nurse (Nora Quinn)
    pete   physiotherapist (Pete Walsh)    rita  reception (Rita Patel)
    adam   clinic admin (Adam Clarke)

Hilltop Pain Clinic (`other_clinic`) has charlie, a physician, and its patient olga; pat is
Riverside's patient. Every user's password is PASSWORD. `alice_actor` etc. are the Actors a
view would build; `actor_for(user, clinic=None)` builds one for any membership.
`client_for(user, clinic=None)` is a test Client already signed in as that user.

Records beyond patients come from the helpers in `prolo/testing.py` (make_course, …).

`PROLO_TEST_CLOCK=2026-12-08T23:50:00Z` starts the run's clock at that instant, ticking, so
the suite can be run across midnight on purpose (CONTRIBUTING.md). `PROLO_TEST_CLINIC_ZONE`
puts both cast clinics in that zone instead of settings.TIME_ZONE.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone, translation

from prolo.accounts.middleware import SESSION_CLINIC
from prolo.clinic.models import Clinic, Membership, Patient, Role, User
from prolo.clinic.permissions import Actor
from prolo.clinic.services.patients import patient_register
from prolo.testing import actor

PASSWORD = "correct horse battery"


def pytest_configure(config: pytest.Config) -> None:
    """Start the clock at PROLO_TEST_CLOCK (an instant with a zone), before collection."""
    start = os.environ.get("PROLO_TEST_CLOCK")
    if not start:
        return
    instant = dt.datetime.fromisoformat(start)
    if instant.tzinfo is None:
        raise pytest.UsageError("PROLO_TEST_CLOCK needs a zone, e.g. 2026-12-08T23:50:00Z")
    traveller = time_machine.travel(instant, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


# Fixtures that open the test database; a test that asks for none of them (directly or through
# another fixture) and has no django_db mark cannot touch it.
DB_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PROLO_DB_TESTS_ONLY=1 keeps only the tests that touch the database: bin/test's
    PostgreSQL pass, so a test that needs no database runs once (in the SQLite pass)."""
    if os.environ.get("PROLO_DB_TESTS_ONLY") != "1":
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        uses_db = item.get_closest_marker("django_db") is not None or bool(names & DB_FIXTURES)
        (keep if uses_db else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _clinic_zone() -> str:
    return os.environ.get("PROLO_TEST_CLINIC_ZONE") or str(django_settings.TIME_ZONE)


def _staff(
    clinic: Clinic, username: str, first: str, last: str, role: Role, title: str = ""
) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=first, last_name=last, title=title
    )
    Membership.objects.create(user=user, clinic=clinic, role=role)
    return user


@pytest.fixture
def clinic(db: None) -> Clinic:
    return Clinic.objects.create(name="Riverside Prolotherapy", time_zone=_clinic_zone())


@pytest.fixture
def other_clinic(db: None) -> Clinic:
    return Clinic.objects.create(name="Hilltop Pain Clinic", time_zone=_clinic_zone())


@pytest.fixture
def alice(clinic: Clinic) -> User:
    return _staff(clinic, "alice", "Alice", "Moreno", Role.PHYSICIAN, title="Dr")


@pytest.fixture
def nora(clinic: Clinic) -> User:
    return _staff(clinic, "nora", "Nora", "Quinn", Role.NURSE, title="RN")


@pytest.fixture
def pete(clinic: Clinic) -> User:
    return _staff(clinic, "pete", "Pete", "Walsh", Role.PHYSIOTHERAPIST, title="PT")


@pytest.fixture
def rita(clinic: Clinic) -> User:
    return _staff(clinic, "rita", "Rita", "Patel", Role.RECEPTION)


@pytest.fixture
def adam(clinic: Clinic) -> User:
    return _staff(clinic, "adam", "Adam", "Clarke", Role.CLINIC_ADMIN)


@pytest.fixture
def charlie(other_clinic: Clinic) -> User:
    return _staff(other_clinic, "charlie", "Charlie", "Brooks", Role.PHYSICIAN, title="Dr")


@pytest.fixture
def actor_for(db: None) -> Callable[..., Actor]:
    """`actor_for(user, clinic=None)`; without a clinic, the user's only membership's."""

    def build(user: User, clinic: Clinic | None = None) -> Actor:
        if clinic is None:
            clinic = Membership.objects.get(user=user).clinic
        return actor(user, clinic)

    return build


@pytest.fixture
def alice_actor(alice: User, clinic: Clinic) -> Actor:
    return actor(alice, clinic)


@pytest.fixture
def nora_actor(nora: User, clinic: Clinic) -> Actor:
    return actor(nora, clinic)


@pytest.fixture
def pete_actor(pete: User, clinic: Clinic) -> Actor:
    return actor(pete, clinic)


@pytest.fixture
def rita_actor(rita: User, clinic: Clinic) -> Actor:
    return actor(rita, clinic)


@pytest.fixture
def adam_actor(adam: User, clinic: Clinic) -> Actor:
    return actor(adam, clinic)


@pytest.fixture
def charlie_actor(charlie: User, other_clinic: Clinic) -> Actor:
    return actor(charlie, other_clinic)


@pytest.fixture
def pat(rita_actor: Actor) -> Patient:
    """Riverside's patient, registered at the front desk."""
    return patient_register(
        actor=rita_actor,
        mrn="R-0001",
        given_name="Pat",
        family_name="Fields",
        date_of_birth=dt.date(1961, 4, 12),
        sex="female",
        email="pat.fields@example.org",
        phone="01632 960001",
    )


@pytest.fixture
def olga(charlie_actor: Actor) -> Patient:
    """Hilltop's patient: Riverside's staff must never see her."""
    return patient_register(
        actor=charlie_actor,
        mrn="H-0001",
        given_name="Olga",
        family_name="Novak",
        date_of_birth=dt.date(1975, 9, 3),
        sex="female",
    )


@pytest.fixture
def client_for(db: None) -> Callable[..., Client]:
    """`client_for(user, clinic=None)`: a Client signed in as `user`, working in `clinic`."""

    def build(user: User, clinic: Clinic | None = None) -> Client:
        client = Client()
        client.force_login(user)
        if clinic is not None:
            session = client.session
            session[SESSION_CLINIC] = str(clinic.code)
            session.save()
        return client

    return build


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    """`login(user)` signs pytest-django's `client` in as `user` and returns it."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def still_clock() -> Iterator[None]:
    """Stop the clock for the test where it is now: a test that builds "today" into a form and
    then posts it must not see midnight pass in between (a run across midnight, above)."""
    with time_machine.travel(timezone.now(), tick=False):
        yield


@pytest.fixture(autouse=True)
def _no_language_leak() -> Iterator[None]:
    """A request in Spanish leaves Spanish active in the test's thread (LocaleMiddleware never
    resets it), which would turn later tests' English texts Spanish; reset it after each test."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _export_files_in_tmp(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Bulk export files go to a temporary directory, never into the checkout's media/."""
    settings.FHIR_EXPORT_ROOT = str(tmp_path_factory.mktemp("bulk"))
