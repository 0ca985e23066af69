"""Typed requests for what our middleware attaches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from prolo.clinic.models import Membership, User
    from prolo.clinic.permissions import Actor


class AuthedHttpRequest(HttpRequest):
    user: User
    actor: Actor | None
    memberships: list[Membership]


class StaffRequest(AuthedHttpRequest):
    actor: Actor


if TYPE_CHECKING:
    from prolo.clinic.portal_access import PatientActor


class PortalRequest(HttpRequest):
    """A request from a signed-in patient (prolo/portal/decorators.py)."""

    user: User
    me: PatientActor
