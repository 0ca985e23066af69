"""The portal's home page: the next session, a countdown, and what to do now.

"What to do now" is the safety engine's dated care plan (prolo/clinic/safety/careplan.py):
the preparation for the next session, and, while the last signed session's aftercare is still
running, what to expect and when to call. The page runs the same queries whatever the record.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prolo.clinic.clock import clinic_day, clinic_time
from prolo.clinic.models import SessionStatus, TreatmentSession
from prolo.clinic.portal_access import PatientActor, own_sessions
from prolo.clinic.safety.careplan import CarePlan
from prolo.clinic.services.careplans import session_care_plan
from prolo.lib.http import PortalRequest
from prolo.portal.decorators import patient_view

# The aftercare items whose dates bound the weeks straight after a session; the healing time
# (weeks to months) is too long to keep the aftercare on the home page for.
AFTERCARE_UNTIL = ("nsaid_avoid", "flare", "heavy_loading")


def countdown(at: dt.datetime, now: dt.datetime) -> str:
    """'today at 10:30', 'tomorrow at 10:30', 'in 3 days': counted in local calendar days,
    so a daylight-saving change in between never makes it a day off."""
    local = timezone.localtime(at)
    days = (local.date() - timezone.localtime(now).date()).days
    time = f"{local:%H:%M}"
    if days <= 0:
        return _("today at %(time)s") % {"time": time}
    if days == 1:
        return _("tomorrow at %(time)s") % {"time": time}
    return ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}


def _sessions(me: PatientActor) -> QuerySet[TreatmentSession]:
    # The patient and clinic come with the session: the care plan reads both.
    return own_sessions(me).select_related(
        "course__patient__clinic", "course__protocol", "practitioner"
    )


def next_session(me: PatientActor, now: dt.datetime) -> TreatmentSession | None:
    # From the start of today: a session later today, or running late, is still "next".
    start_of_today = clinic_time(me.clinic, now).replace(hour=0, minute=0, second=0, microsecond=0)
    upcoming = _sessions(me).filter(
        status=SessionStatus.SCHEDULED, scheduled_at__gte=start_of_today
    )
    return upcoming.order_by("scheduled_at").first()


def aftercare(me: PatientActor, now: dt.datetime) -> CarePlan | None:
    """The plan of the last signed session, while its aftercare still applies."""
    done = _sessions(me).filter(status=SessionStatus.COMPLETED)
    last = done.order_by("-scheduled_at").first()
    if last is None:
        return None
    plan = session_care_plan(last)
    dates = [item.date for item in plan.after if item.key in AFTERCARE_UNTIL and item.date]
    return plan if dates and clinic_day(me.clinic, now) <= max(dates) else None


@patient_view
def home(request: PortalRequest) -> HttpResponse:
    me, now = request.me, timezone.now()
    upcoming = next_session(me, now)
    context = {
        "patient": me.patient,
        "clinic": me.clinic,
        "next_session": upcoming,
        "countdown": countdown(upcoming.scheduled_at, now) if upcoming else "",
        "preparation": session_care_plan(upcoming) if upcoming else None,
        "aftercare": aftercare(me, now),
        # Translators: a PHP-style date format (Django's `date` filter); escape literal letters.
        "long_date": _("l j F Y"),
        "nav": "home",
    }
    return render(request, "portal/home.html", context)
