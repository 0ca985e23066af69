from __future__ import annotations

import time
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from prolo.clinic.clock import clinic_zone
from prolo.clinic.models import Membership
from prolo.clinic.permissions import Actor
from prolo.lib.http import AuthedHttpRequest

SESSION_LAST_SEEN = "last_seen"
SESSION_CLINIC = "clinic"


class IdleTimeoutMiddleware:
    """Sign a user out after SESSION_IDLE_TIMEOUT_MINUTES without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                portal = request.path.startswith("/portal/")
                return redirect_to_login(
                    request.get_full_path(), "portal:sign-in" if portal else None
                )
            request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class ActiveClinicMiddleware:
    """Attach the clinic the user is working in and their role there (`request.actor`).

    The clinic's time zone is the current one for the request, so pages show and forms read
    times on its clock; whatever a view activates (the portal, the API) ends with the request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        req = cast(AuthedHttpRequest, request)
        req.actor = None
        req.memberships = []
        if request.user.is_authenticated:
            req.memberships = list(
                Membership.objects.filter(user=request.user, active=True)
                .select_related("clinic")
                .order_by("clinic__name", "id")
            )
            req.actor = _choose_actor(req)
        zone = clinic_zone(req.actor.clinic) if req.actor else None
        with timezone.override(zone):
            return self.get_response(request)


def _choose_actor(request: AuthedHttpRequest) -> Actor | None:
    if not request.memberships:
        return None
    wanted = request.session.get(SESSION_CLINIC)
    chosen = next((m for m in request.memberships if str(m.clinic.code) == wanted), None)
    membership = chosen or request.memberships[0]
    return Actor(user=request.user, clinic=membership.clinic, role=membership.role)
