"""The portal's home page: the next session and what to do now."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from prolo.clinic.models import SessionStatus
from prolo.clinic.portal_access import own_sessions
from prolo.lib.http import PortalRequest
from prolo.portal.decorators import patient_view


@patient_view
def home(request: PortalRequest) -> HttpResponse:
    me = request.me
    upcoming = (
        own_sessions(me)
        .filter(status=SessionStatus.SCHEDULED, scheduled_at__gte=timezone.now())
        .select_related("practitioner")
        .order_by("scheduled_at")
        .first()
    )
    context = {"patient": me.patient, "clinic": me.clinic, "next_session": upcoming, "nav": "home"}
    return render(request, "portal/home.html", context)
