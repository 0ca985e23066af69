"""The patient's calendar: the personal feed (make, revoke, re-make) and a session's .ics.

The feed itself is served outside the sign-in, because calendar apps cannot sign in: the
secret in its URL is the only key, looked up by hash. Polls are not audited (an app polls every
few hours and the feed carries no clinical detail); making and revoking the feed are.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from prolo.clinic.models import SessionStatus
from prolo.clinic.portal_access import get_own_session, own_sessions
from prolo.clinic.services import calendar_feed
from prolo.clinic.services.reminders import language_of
from prolo.lib.http import PortalRequest
from prolo.portal.decorators import patient_view

# The new secret waits here for the page after the redirect, which shows it once.
ICS = "text/calendar; charset=utf-8"


def _feed_urls(request: HttpRequest, token: str) -> dict[str, str]:
    https = request.build_absolute_uri(reverse("portal:calendar-feed", args=[token]))
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


@require_GET
@patient_view
def calendar_page(request: PortalRequest) -> HttpResponse:
    return _render_calendar(request, token=None)


def _render_calendar(request: PortalRequest, token: str | None) -> HttpResponse:
    me = request.me
    upcoming = (
        own_sessions(me)
        .filter(status=SessionStatus.SCHEDULED, scheduled_at__gte=timezone.now())
        .order_by("scheduled_at")
    )
    context = {
        "patient": me.patient,
        "clinic": me.clinic,
        "nav": "calendar",
        "feed_on": bool(me.account.feed_token_hash),
        "feed_created_at": me.account.feed_created_at,
        "urls": _feed_urls(request, token) if token else None,
        "sessions": list(upcoming),
    }
    response = render(request, "portal/calendar.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@patient_view
def feed_create(request: PortalRequest) -> HttpResponse:
    """Show the new link in this response only: the secret is never stored, not even in the
    session (only its SHA-256 is kept), so reloading the page does not show it again."""
    token = calendar_feed.feed_create(me=request.me)
    request.me.account.refresh_from_db(fields=["feed_token_hash", "feed_created_at"])
    return _render_calendar(request, token=token)


@require_POST
@patient_view
def feed_revoke(request: PortalRequest) -> HttpResponse:
    if calendar_feed.feed_revoke(me=request.me):
        messages.success(
            request, _("Your calendar link is switched off. Calendars using it stop updating.")
        )
    return redirect("portal:calendar")


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscribed feed: no sign-in, the token is the key; 404 once revoked."""
    account = calendar_feed.account_for_feed(token)
    if account is None:
        raise Http404("No such calendar.")
    with translation.override(language_of(account.patient)):
        body = calendar_feed.feed_ics(calendar_feed.dates_for(account.patient))
    response = _ics(body, "appointments.ics")
    response["Content-Disposition"] = 'inline; filename="appointments.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@patient_view
def session_ics(request: PortalRequest, code: str) -> HttpResponse:
    session = get_own_session(request.me, code)
    body = calendar_feed.session_ics(session, request.me.clinic)
    return _ics(body, f"appointment-{session.scheduled_at:%Y-%m-%d}.ics")
