"""Email reminders: which ones a patient should get, kept in step with their schedule.

`reminders_sync` computes the wanted reminders from the same dates as the calendar feed
(services/calendar_feed.py) and upserts Reminder rows by `key`, so running it twice changes
nothing. A key names the event and its date, so a moved session gets a fresh reminder and the
old one, still pending, is cancelled; a cancelled session's pending reminder is cancelled.
Rows being sent or already sent are never touched. The worker (prolo/clinic/worker.py) runs a
sync pass over every patient with something coming, then sends what is due.

Emails carry the clinic's name, the date and time and "sign in to your portal": never a
diagnosis, a substance, a site or the course's type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from prolo.clinic.clock import clinic_day, clinic_zone
from prolo.clinic.models import (
    Clinic,
    ClinicSettings,
    Patient,
    PatientAccount,
    Reminder,
    ReminderKind,
    ReminderStatus,
    SessionStatus,
    TreatmentCourse,
    TreatmentSession,
)
from prolo.clinic.services.calendar_feed import (
    Appointment,
    PatientDates,
    QuestionnaireDue,
    calendar_courses,
    course_window,
    long_day,
    patient_dates,
)

SYNCED_KINDS = (ReminderKind.SESSION, ReminderKind.STOP_NSAIDS, ReminderKind.QUESTIONNAIRE)
SESSION_REMINDER_AT = dt.time(9, 0)  # local, the day before
MORNING_REMINDER_AT = dt.time(8, 0)  # local, on the stop day or the due day
BATCH_SIZE = 100


@dataclass(frozen=True)
class Wanted:
    key: str
    kind: ReminderKind
    due_at: dt.datetime
    subject: str
    body: str


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    cancelled: int = 0

    def add(self, other: SyncResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.cancelled += other.cancelled


# --- What each patient should get -----------------------------------------------------------


def recipient(patient: Patient) -> str:
    """The portal account's address while the account is on, else the one the clinic holds."""
    account: PatientAccount | None = getattr(patient, "account", None)
    if account is not None and account.user.is_active and account.user.email:
        return account.user.email
    return patient.email


def language_of(patient: Patient) -> str:
    codes = {code for code, _name in django_settings.LANGUAGES}
    lang = patient.preferred_language
    return lang if lang in codes else django_settings.LANGUAGE_CODE


def _local(day: dt.date, at: dt.time, clinic: Clinic) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at), clinic_zone(clinic))


def _signature(clinic: Clinic) -> str:
    lines = [_("Sign in to your patient portal for the details."), "", clinic.name]
    if clinic.phone:
        lines.append(clinic.phone)
    return "\n".join(lines)


def _greeting(patient: Patient) -> str:
    return _("Hello %(name)s,") % {"name": patient.given_name}


def _session(a: Appointment, dates: PatientDates, now: dt.datetime) -> Wanted | None:
    if a.session.status != SessionStatus.SCHEDULED or a.at <= now:
        return None
    clinic, day = dates.clinic, a.at.date()
    when = _("%(day)s at %(time)s") % {"day": long_day(day), "time": time_format(a.at, "H:i")}
    where = ", ".join(p for p in (a.session.room, clinic.name) if p)
    body = "\n\n".join(
        [
            _greeting(dates.patient),
            _("This is a reminder of your appointment on %(when)s (%(where)s).")
            % {"when": when, "where": where},
            _signature(clinic),
        ]
    )
    return Wanted(
        key=f"session-{a.session.code}-{day:%Y%m%d}",
        kind=ReminderKind.SESSION,
        due_at=_local(day - dt.timedelta(days=1), SESSION_REMINDER_AT, clinic),
        subject=_("Reminder: your appointment at %(clinic)s on %(day)s")
        % {"clinic": clinic.name, "day": long_day(day)},
        body=body,
    )


def _stop_nsaids(a: Appointment, dates: PatientDates, now: dt.datetime) -> Wanted | None:
    stop_on, day = a.stop_nsaids_on, a.at.date()
    # None on the session's day itself: a clinic that asks for no stop days, or a booking too
    # late to help. A stop day already past (a late booking) is sent at once: "from today".
    if stop_on is None or stop_on >= day or clinic_day(dates.clinic, now) >= day:
        return None
    clinic = dates.clinic
    body = "\n\n".join(
        [
            _greeting(dates.patient),
            _(
                "Your appointment at %(clinic)s is on %(day)s. From today, please stop taking "
                "anti-inflammatory medicines, as the clinic asked."
            )
            % {"clinic": clinic.name, "day": long_day(day)},
            _signature(clinic),
        ]
    )
    return Wanted(
        key=f"stop_nsaids-{a.session.code}-{stop_on:%Y%m%d}",
        kind=ReminderKind.STOP_NSAIDS,
        due_at=_local(stop_on, MORNING_REMINDER_AT, clinic),
        subject=_("Reminder from %(clinic)s: stop anti-inflammatory medicines today")
        % {"clinic": clinic.name},
        body=body,
    )


def _questionnaire(q: QuestionnaireDue, dates: PatientDates, now: dt.datetime) -> Wanted | None:
    if q.due < clinic_day(dates.clinic, now):
        return None  # overdue ones are on the portal's home page; no nagging by email
    clinic = dates.clinic
    body = "\n\n".join(
        [
            _greeting(dates.patient),
            _("%(clinic)s asks you to fill in a short questionnaire by %(day)s.")
            % {"clinic": clinic.name, "day": long_day(q.due)},
            _signature(clinic),
        ]
    )
    return Wanted(
        key=f"questionnaire-{q.course.code}-{q.timepoint}-{q.due:%Y%m%d}",
        kind=ReminderKind.QUESTIONNAIRE,
        due_at=_local(q.due, MORNING_REMINDER_AT, clinic),
        subject=_("A short questionnaire from %(clinic)s") % {"clinic": clinic.name},
        body=body,
    )


def wanted_reminders(dates: PatientDates, now: dt.datetime) -> list[Wanted]:
    """The reminders `dates` call for, in the patient's language; pure."""
    with translation.override(language_of(dates.patient)):
        found = [_session(a, dates, now) for a in dates.appointments]
        found += [_stop_nsaids(a, dates, now) for a in dates.appointments]
        found += [_questionnaire(q, dates, now) for q in dates.questionnaires]
    return [w for w in found if w is not None]


# --- Upserting the rows -----------------------------------------------------------------------


def _patients(ids: Iterable[int]) -> QuerySet[Patient]:
    return Patient.objects.filter(pk__in=list(ids)).select_related("clinic", "account__user")


def _settings_by_clinic(patients: list[Patient]) -> dict[int, ClinicSettings]:
    clinic_ids = {p.clinic_id for p in patients}
    found = {s.clinic_id: s for s in ClinicSettings.objects.filter(clinic_id__in=clinic_ids)}
    return {cid: found.get(cid) or ClinicSettings(clinic_id=cid) for cid in clinic_ids}


def _existing(patients: list[Patient], keys: set[str]) -> dict[str, Reminder]:
    """The patients' synced reminders still pending or cancelled, and any row with a wanted key."""
    rows = Reminder.objects.filter(
        Q(patient__in=patients, kind__in=SYNCED_KINDS, status=ReminderStatus.PENDING)
        | Q(key__in=keys)
    )
    return {r.key: r for r in rows}


def _sync_batch(patients: list[Patient], now: dt.datetime) -> SyncResult:
    """Upsert the batch's reminders in a constant number of queries (about 8)."""
    settings = _settings_by_clinic(patients)
    courses: dict[int, list[TreatmentCourse]] = {p.pk: [] for p in patients}
    for course in calendar_courses(patients):
        courses[course.patient_id].append(course)
    wanted: dict[str, tuple[Patient, str, Wanted]] = {}
    for patient in patients:
        to = recipient(patient)
        if not to:
            continue
        today = clinic_day(patient.clinic, now)
        dates = patient_dates(patient, courses[patient.pk], settings[patient.clinic_id], today)
        for w in wanted_reminders(dates, now):
            wanted[w.key] = (patient, to, w)
    return _apply(wanted, _existing(patients, set(wanted)))


def _apply(
    wanted: dict[str, tuple[Patient, str, Wanted]], existing: dict[str, Reminder]
) -> SyncResult:
    result, new, changed = SyncResult(), [], []
    for key, (patient, to, w) in wanted.items():
        row = existing.get(key)
        if row is None:
            new.append(
                Reminder(
                    patient=patient,
                    kind=w.kind,
                    key=key,
                    due_at=w.due_at,
                    to=to,
                    subject=w.subject,
                    body=w.body,
                )
            )
        elif row.status in (ReminderStatus.PENDING, ReminderStatus.CANCELLED) and _differs(
            row, to, w
        ):
            row.status, row.due_at, row.to, row.subject, row.body = (
                ReminderStatus.PENDING,
                w.due_at,
                to,
                w.subject,
                w.body,
            )
            changed.append(row)
    stale = [
        r for k, r in existing.items() if k not in wanted and r.status == ReminderStatus.PENDING
    ]
    for row in stale:
        row.status = ReminderStatus.CANCELLED
    # ignore_conflicts: a concurrent sync inserting the same key is the same reminder.
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    fields = ["status", "due_at", "to", "subject", "body"]
    Reminder.objects.bulk_update(changed + stale, fields)
    result.created, result.updated, result.cancelled = len(new), len(changed), len(stale)
    return result


def _differs(row: Reminder, to: str, w: Wanted) -> bool:
    if row.status != ReminderStatus.PENDING:
        return True
    return (row.due_at, row.to, row.subject, row.body) != (w.due_at, to, w.subject, w.body)


# --- Entry points -------------------------------------------------------------------------------


@transaction.atomic
def reminders_sync(*, patient: Patient, now: dt.datetime | None = None) -> SyncResult:
    """Bring one patient's pending reminders in line with their schedule."""
    return _sync_batch(list(_patients([patient.pk])), now or timezone.now())


def sync_candidates(now: dt.datetime) -> QuerySet[Patient]:
    """Patients with an address and something coming, or a pending reminder that may be stale."""
    upcoming = TreatmentSession.objects.filter(
        course__patient=OuterRef("pk"), status=SessionStatus.SCHEDULED, scheduled_at__gt=now
    )
    pending = Reminder.objects.filter(
        patient=OuterRef("pk"), kind__in=SYNCED_KINDS, status=ReminderStatus.PENDING
    )
    # The earliest day any clinic can be on; each patient is then cut at their clinic's day.
    earliest = (now - dt.timedelta(days=1)).date()
    courses = TreatmentCourse.objects.filter(course_window(earliest)).values("patient_id")
    reachable = ~Q(email="") | Q(account__isnull=False)
    return Patient.objects.filter(
        Exists(pending) | (reachable & (Exists(upcoming) | Q(pk__in=courses)))
    )


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def reminders_sync_all(now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> SyncResult:
    """Sync every candidate patient, one short transaction per batch."""
    now = now or timezone.now()
    ids = list(sync_candidates(now).order_by("pk").values_list("pk", flat=True))
    total = SyncResult()
    for batch in _batches(ids, batch_size):
        with transaction.atomic():
            total.add(_sync_batch(list(_patients(batch)), now))
    return total
