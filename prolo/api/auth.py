"""Bearer-token sign-in for /api/v1/: `Authorization: Bearer prolo_…` (docs/api.md)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from prolo.clinic.clock import clinic_zone
from prolo.clinic.permissions import Actor
from prolo.clinic.services.api_tokens import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """The token's user, in the token's clinic, with the role held there now.

    Anything else (no header, unknown, revoked or expired token, ended membership) answers
    401 through errors.py.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        actor = api_token_authenticate(token.strip())
        if actor is not None:
            # The clinic's days and times for this request; ActiveClinicMiddleware resets it.
            timezone.activate(clinic_zone(actor.clinic))
        return actor


def actor_of(request: HttpRequest) -> Actor:
    """The Actor the request's token acts as (set by ninja once ApiTokenAuth accepted it)."""
    return cast(Actor, request.auth)  # type: ignore[attr-defined]
