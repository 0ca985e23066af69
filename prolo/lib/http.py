"""Typed requests for what our middleware attaches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.urls import reverse

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


def link_base(request: HttpRequest, name: str, placeholders: int = 1) -> str:
    """The absolute URL of `name` up to its trailing token arguments, for a service to append
    a token to (`…/invitation/` + token + `/`): services know no hosts."""
    url = reverse(name, args=["x"] * placeholders)
    return request.build_absolute_uri(url[: -2 * placeholders])
