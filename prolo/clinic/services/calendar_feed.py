"""A patient's calendar: the personal feed (secret, revocable URL) and a session's .ics.

What goes in: each appointment, the day to stop anti-inflammatory medicines (from the clinic's
settings, through the care-plan engine) and each questionnaire's due date, with alarms. What
never goes in: a diagnosis, a substance, a site or the course's type, because calendars are
synced to phones and shared with family. Reminders (services/reminders.py) read the same dates.

The feed's URL carries a random token; only its SHA-256 is stored, so the database alone cannot
be used to read a feed, and revoking clears the hash so the old URL answers 404.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from prolo.clinic.clock import clinic_today, clinic_zone
from prolo.clinic.exports.ical import Alarm, Event, calendar_bytes
from prolo.clinic.models import (
    AuditAction,
    Clinic,
    ClinicSettings,
    CourseStatus,
    Patient,
    PatientAccount,
    SessionStatus,
    TreatmentCourse,
    TreatmentSession,
)
from prolo.clinic.outcomes.schedule import State
from prolo.clinic.portal_access import PatientActor
from prolo.clinic.safety.careplan import care_plan
from prolo.clinic.services.audit import audit_log
from prolo.clinic.services.questionnaires import (
    FOLLOW_UP_HORIZON_DAYS,
    course_schedule,
    with_schedule_data,
)
from prolo.clinic.services.settings import settings_for

# Prolo keeps no session length; calendars block an hour.
SESSION_LENGTH = dt.timedelta(hours=1)
# The feed keeps recent past entries so a patient can see what they just attended.
PAST_DAYS = 30
# All-day reminders pop up at 09:00 on the day (an offset from the day's start).
MORNING = dt.timedelta(hours=9)
OPEN_QUESTIONNAIRE = (State.DUE, State.UPCOMING)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- What is coming: neutral dates, shared with the reminders ---------------------------


@dataclass(frozen=True)
class Appointment:
    session: TreatmentSession
    at: dt.datetime  # local time
    stop_nsaids_on: dt.date | None  # None once the session is no longer booked


@dataclass(frozen=True)
class QuestionnaireDue:
    course: TreatmentCourse
    timepoint: str
    due: dt.date


@dataclass(frozen=True)
class PatientDates:
    patient: Patient
    clinic: Clinic
    appointments: tuple[Appointment, ...]
    questionnaires: tuple[QuestionnaireDue, ...]


def course_window(today: dt.date) -> Q:
    """Courses whose dates can still matter on `today`: open, or recent enough for a follow-up."""
    horizon = today - dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS)
    return Q(status__in=[CourseStatus.PLANNED, CourseStatus.ACTIVE]) | Q(start_date__gte=horizon)


def calendar_courses(patients: Iterable[Patient] | Patient) -> QuerySet[TreatmentCourse]:
    """Those courses of `patients`, with what the schedule reads (3 queries)."""
    if isinstance(patients, Patient):
        courses = TreatmentCourse.objects.filter(patient=patients)
        today = clinic_today(patients.clinic)
    else:
        patients = list(patients)
        courses = TreatmentCourse.objects.filter(patient__in=patients)
        # The earliest of their clinics' days: each patient's dates are then cut at their own.
        # (No patients, no courses: any day will do.)
        today = min((clinic_today(p.clinic) for p in patients), default=dt.date.max)
    courses = courses.filter(course_window(today))
    return with_schedule_data(courses.order_by("start_date", "id"))


def patient_dates(
    patient: Patient,
    courses: Iterable[TreatmentCourse],
    settings: ClinicSettings,
    today: dt.date | None = None,
) -> PatientDates:
    """Appointments and questionnaire dues from PAST_DAYS ago on; no queries (prefetched)."""
    today = today or clinic_today(patient.clinic)
    zone = clinic_zone(patient.clinic)
    since = today - dt.timedelta(days=PAST_DAYS)
    appointments: list[Appointment] = []
    dues: list[QuestionnaireDue] = []
    for course in courses:
        for session in course.sessions.all():
            appointment = _appointment(course, session, settings, zone)
            if appointment is not None and appointment.at.date() >= since:
                appointments.append(appointment)
        dues += [d for d in _questionnaires(course, today) if d.due >= since]
    appointments.sort(key=lambda a: a.at)
    dues.sort(key=lambda d: d.due)
    return PatientDates(patient, patient.clinic, tuple(appointments), tuple(dues))


def _appointment(
    course: TreatmentCourse, session: TreatmentSession, settings: ClinicSettings, zone: ZoneInfo
) -> Appointment | None:
    if session.status == SessionStatus.CANCELLED:
        return None
    at = session.scheduled_at.astimezone(zone)
    stop = None
    if session.status == SessionStatus.SCHEDULED:
        plan = care_plan(course_type=course.course_type, session_at=at, settings=settings)
        item = plan.item("nsaid_stop")
        stop = item.date if item else None
    return Appointment(session, at, stop)


def _questionnaires(course: TreatmentCourse, today: dt.date) -> list[QuestionnaireDue]:
    """One entry per time point (its instruments together), on its earliest due day."""
    first: dict[str, dt.date] = {}
    for due in course_schedule(course, today):
        if due.state in OPEN_QUESTIONNAIRE:
            first[due.timepoint] = min(due.due, first.get(due.timepoint, due.due))
    return [QuestionnaireDue(course, timepoint, day) for timepoint, day in first.items()]


def dates_for(patient: Patient, today: dt.date | None = None) -> PatientDates:
    """One patient's dates in a constant number of queries (settings + 3)."""
    settings = settings_for(patient.clinic_id)
    return patient_dates(patient, calendar_courses(patient), settings, today)


# --- Events: neutral wording only ---------------------------------------------------------


def location(clinic: Clinic, room: str = "") -> str:
    address = ", ".join(line.strip() for line in clinic.address.splitlines() if line.strip())
    return ", ".join(part for part in (room.strip(), clinic.name, address) if part)


def long_day(day: dt.date) -> str:
    return date_format(day, "l j F Y")


def appointment_events(appointment: Appointment, clinic: Clinic) -> list[Event]:
    session = appointment.session
    summary = _("Appointment at %(clinic)s") % {"clinic": clinic.name}
    description = _("Sign in to your patient portal to see how to prepare.")
    if clinic.phone:
        description += " " + _("To change or cancel, call %(phone)s.") % {"phone": clinic.phone}
    events = [
        Event(
            uid=f"session-{session.code}@prolo",
            summary=summary,
            start=appointment.at,
            end=appointment.at + SESSION_LENGTH,
            location=location(clinic, session.room),
            description=description,
            alarms=(
                Alarm(-dt.timedelta(days=1), summary),
                Alarm(-dt.timedelta(hours=2), summary),
            ),
        )
    ]
    if appointment.stop_nsaids_on is not None:
        events.append(stop_nsaids_event(appointment, clinic))
    return events


def stop_nsaids_event(appointment: Appointment, clinic: Clinic) -> Event:
    assert appointment.stop_nsaids_on is not None
    summary = _("Reminder: stop anti-inflammatory medicines today (clinic instructions)")
    description = _(
        "Your appointment at %(clinic)s is on %(day)s. Sign in to your patient portal to see "
        "which medicines this means and what you can take instead."
    ) % {"clinic": clinic.name, "day": long_day(appointment.at.date())}
    return Event(
        uid=f"stop-nsaids-{appointment.session.code}@prolo",
        summary=summary,
        start=appointment.stop_nsaids_on,
        description=description,
        alarms=(Alarm(MORNING, summary),),
    )


def questionnaire_event(due: QuestionnaireDue, clinic: Clinic) -> Event:
    summary = _("Questionnaire from %(clinic)s due") % {"clinic": clinic.name}
    return Event(
        uid=f"questionnaire-{due.course.code}-{due.timepoint}@prolo",
        summary=summary,
        start=due.due,
        description=_("Sign in to your patient portal to answer it. It takes a few minutes."),
        alarms=(Alarm(MORNING, summary),),
    )


def feed_ics(dates: PatientDates) -> bytes:
    events = [e for a in dates.appointments for e in appointment_events(a, dates.clinic)]
    events += [questionnaire_event(d, dates.clinic) for d in dates.questionnaires]
    name = _("%(clinic)s appointments") % {"clinic": dates.clinic.name}
    return calendar_bytes(events, name=name, stamp=timezone.now())


def session_ics(session: TreatmentSession, clinic: Clinic) -> bytes:
    """One session's .ics: the appointment and, while it is booked, the stop day."""
    settings = settings_for(clinic)
    appointment = _appointment(session.course, session, settings, clinic_zone(clinic))
    events = appointment_events(appointment, clinic) if appointment else []
    name = _("Appointment at %(clinic)s") % {"clinic": clinic.name}
    return calendar_bytes(events, name=name, stamp=timezone.now(), publish=False)


# --- The feed's secret URL ----------------------------------------------------------------


@transaction.atomic
def feed_create(*, me: PatientActor) -> str:
    """Make a new secret feed token (an earlier one stops working); returns it, once."""
    account = PatientAccount.objects.select_for_update().get(pk=me.account.pk)
    had_feed = bool(account.feed_token_hash)
    token = secrets.token_urlsafe(32)
    account.feed_token_hash = token_hash(token)
    account.feed_created_at = timezone.now()
    account.save(update_fields=["feed_token_hash", "feed_created_at"])
    # The hash is a credential: the trail says what happened, not its value.
    change = ["replaced", "on"] if had_feed else ["off", "on"]
    audit_log(
        actor=me,
        action=AuditAction.UPDATE,
        obj=account,
        patient=me.patient,
        changes={"calendar_feed": change},
    )
    return token


@transaction.atomic
def feed_revoke(*, me: PatientActor) -> bool:
    """Stop the feed's URL working; False if there was none."""
    account = PatientAccount.objects.select_for_update().get(pk=me.account.pk)
    if not account.feed_token_hash:
        return False
    account.feed_token_hash = ""
    account.feed_created_at = None
    account.save(update_fields=["feed_token_hash", "feed_created_at"])
    audit_log(
        actor=me,
        action=AuditAction.UPDATE,
        obj=account,
        patient=me.patient,
        changes={"calendar_feed": ["on", "off"]},
    )
    return True


def account_for_feed(token: str) -> PatientAccount | None:
    """The active account whose feed `token` opens, looked up by hash (one query)."""
    if not token:
        return None
    return (
        PatientAccount.objects.select_related("patient__clinic")
        .filter(feed_token_hash=token_hash(token), user__is_active=True)
        .first()
    )
