"""Email reminders: which ones a patient gets, kept in step with the schedule, and sent once
by the worker (in this process; test_reminder_worker.py kills and restarts a real one)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import Clinic, Reminder, ReminderKind, ReminderStatus
from prolo.clinic.services.courses import course_set_status
from prolo.clinic.services.patients import patient_register
from prolo.clinic.services.reminders import reminders_sync, reminders_sync_all
from prolo.clinic.services.sessions import session_update
from prolo.clinic.tests.test_ical import clinical_terms
from prolo.clinic.worker import MAX_ATTEMPTS, Worker, claim
from prolo.testing import make_course, signed_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_a_week(clinic):
    """A week from the clinic's today, taken when the test runs (not when it is collected)."""
    return clinic_today(clinic) + dt.timedelta(days=7)


def local(day: dt.date, hour: int) -> dt.datetime:
    """`hour` o'clock on `day` where the cast's clinics work."""
    zone = Clinic.objects.get(name="Riverside Prolotherapy").time_zone
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(zone))


def booked(alice_actor, patient, **overrides):
    start = clinic_today(alice_actor.clinic) + dt.timedelta(days=7)
    return make_course(alice_actor, patient, start_date=start, **overrides)


def test_a_booked_session_gets_a_reminder_the_day_before_and_a_stop_day_email(
    alice_actor, pat, in_a_week
):
    course = booked(alice_actor, pat, planned_sessions=1)
    result = reminders_sync(patient=pat)
    session = course.sessions.get()
    assert result.created == Reminder.objects.filter(patient=pat).count()
    rows = {r.kind: r for r in Reminder.objects.filter(patient=pat).order_by("-due_at")}
    session_row = rows[ReminderKind.SESSION]
    assert session_row.due_at == local(in_a_week - dt.timedelta(days=1), 9)
    assert session_row.to == "pat.fields@example.org"
    assert "Riverside Prolotherapy" in session_row.subject
    assert "09:00" in session_row.body
    assert "Room 1" in session_row.body
    assert session_row.key == f"session-{session.code}-{in_a_week:%Y%m%d}"
    stop_row = rows[ReminderKind.STOP_NSAIDS]
    assert stop_row.due_at == local(in_a_week - dt.timedelta(days=3), 8)
    assert "stop taking anti-inflammatory medicines" in stop_row.body
    assert ReminderKind.QUESTIONNAIRE in rows


def test_syncing_twice_changes_nothing(alice_actor, pat):
    booked(alice_actor, pat)
    first = reminders_sync(patient=pat)
    before = list(Reminder.objects.values_list("key", "due_at", "status"))
    second = reminders_sync(patient=pat)
    assert first.created > 0
    assert (second.created, second.updated, second.cancelled) == (0, 0, 0)
    assert list(Reminder.objects.values_list("key", "due_at", "status")) == before


def test_a_cancelled_session_cancels_its_pending_reminders(alice_actor, pat):
    course = booked(alice_actor, pat)
    reminders_sync(patient=pat)
    course_set_status(actor=alice_actor, course=course, status="stopped", reason="Moved away")
    result = reminders_sync(patient=pat)
    assert result.cancelled > 0
    session_rows = Reminder.objects.filter(
        kind__in=[ReminderKind.SESSION, ReminderKind.STOP_NSAIDS]
    )
    assert set(session_rows.values_list("status", flat=True)) == {ReminderStatus.CANCELLED}


def test_a_moved_session_gets_a_new_reminder_and_the_old_one_is_cancelled(
    alice_actor, pat, in_a_week
):
    session = booked(alice_actor, pat, planned_sessions=1).sessions.get()
    reminders_sync(patient=pat)
    new_day = in_a_week + dt.timedelta(days=2)
    session_update(
        actor=alice_actor,
        session=session,
        scheduled_at=local(new_day, 14),
        practitioner=None,
        room="",
    )
    reminders_sync(patient=pat)
    rows = Reminder.objects.filter(kind=ReminderKind.SESSION).order_by("id")
    assert [(r.key[-8:], r.status) for r in rows] == [
        (f"{in_a_week:%Y%m%d}", ReminderStatus.CANCELLED),
        (f"{new_day:%Y%m%d}", ReminderStatus.PENDING),
    ]
    assert "14:00" in rows[1].body


def test_a_sent_reminder_is_never_touched_again(alice_actor, pat):
    course = booked(alice_actor, pat, planned_sessions=1)
    reminders_sync(patient=pat)
    Reminder.objects.filter(kind=ReminderKind.SESSION).update(status=ReminderStatus.SENT)
    course_set_status(actor=alice_actor, course=course, status="stopped", reason="Moved away")
    reminders_sync(patient=pat)
    assert Reminder.objects.get(kind=ReminderKind.SESSION).status == ReminderStatus.SENT


def test_a_patient_without_an_email_address_gets_no_reminders(alice_actor, rita_actor):
    nobody = patient_register(
        actor=rita_actor,
        mrn="R-0009",
        given_name="Noel",
        family_name="Post",
        date_of_birth=dt.date(1950, 2, 2),
        sex="male",
    )
    booked(alice_actor, nobody)
    assert reminders_sync(patient=nobody).created == 0


def test_emails_say_nothing_clinical(alice_actor, pat):
    signed_session(alice_actor, pat)
    reminders_sync(patient=pat)
    terms = clinical_terms(pat)
    rows = list(Reminder.objects.filter(patient=pat))
    assert {r.kind for r in rows} >= {ReminderKind.SESSION, ReminderKind.STOP_NSAIDS}
    for row in rows:
        text = f"{row.subject}\n{row.body}".lower()
        assert [t for t in terms if t in text.split() or f" {t} " in f" {text} "] == []


def test_emails_are_in_the_patients_language(alice_actor, pat, in_a_week):
    pat.preferred_language = "es"
    pat.save(update_fields=["preferred_language"])
    booked(alice_actor, pat, planned_sessions=1)
    reminders_sync(patient=pat)
    row = Reminder.objects.get(kind=ReminderKind.SESSION)
    with translation.override("es"):
        spanish_day = date_format(in_a_week, "l j F Y")
    assert spanish_day in row.body


def test_the_sync_pass_reaches_every_patient_in_a_constant_number_of_queries(
    alice_actor, rita_actor, pat, django_assert_max_num_queries
):
    booked(alice_actor, pat)
    with django_assert_max_num_queries(12):
        small = reminders_sync_all()
    for n in range(4):
        other = patient_register(
            actor=rita_actor,
            mrn=f"R-01{n}",
            given_name="Many",
            family_name=f"Patient{n}",
            date_of_birth=dt.date(1960, 1, 1),
            sex="female",
            email=f"many{n}@example.org",
        )
        booked(alice_actor, other)
    with django_assert_max_num_queries(12):
        large = reminders_sync_all()
    assert small.created > 0
    assert large.created == 4 * small.created


# --- The worker, in this process ----------------------------------------------------------------


def due_reminder(patient, key="r1", **fields):
    values = {
        "patient": patient,
        "kind": ReminderKind.SESSION,
        "key": key,
        "due_at": timezone.now() - dt.timedelta(minutes=1),
        "to": "pat@example.org",
        "subject": f"Subject {key}",
        "body": "Body",
    }
    values.update(fields)
    return Reminder.objects.create(**values)


def worker(**fields) -> Worker:
    return Worker(sync_every=0, name="test:1", **fields)


def test_the_worker_sends_a_due_reminder_once(pat):
    due_reminder(pat)
    due_reminder(pat, key="later", due_at=timezone.now() + dt.timedelta(hours=1))
    assert worker().run_once() == 1
    assert worker().run_once() == 0
    (message,) = mail.outbox
    assert message.subject == "Subject r1"
    assert message.extra_headers["Message-ID"].startswith("<reminder-")
    sent = Reminder.objects.get(key="r1")
    assert sent.status == ReminderStatus.SENT
    assert sent.sent_at is not None
    assert Reminder.objects.get(key="later").status == ReminderStatus.PENDING


def test_a_failed_send_is_retried_later_and_given_up_after_several_attempts(pat, settings):
    settings.EMAIL_BACKEND = "prolo.clinic.tests.stalling_mail.BrokenEmailBackend"
    row = due_reminder(pat)
    assert worker().run_once() == 0
    row.refresh_from_db()
    assert row.status == ReminderStatus.PENDING
    assert row.due_at > timezone.now()
    assert "mail server is down" in row.last_error
    for _ in range(MAX_ATTEMPTS):
        Reminder.objects.filter(pk=row.pk).update(due_at=timezone.now())
        worker().run_once()
    row.refresh_from_db()
    assert row.status == ReminderStatus.FAILED
    assert row.attempts == MAX_ATTEMPTS


def test_a_claim_held_by_a_live_worker_is_left_alone_and_an_expired_one_is_taken(pat):
    row = due_reminder(pat)
    now = timezone.now()
    assert claim(worker="a:1", now=now, lease=dt.timedelta(minutes=5), limit=10) == [row]
    assert claim(worker="b:2", now=now, lease=dt.timedelta(minutes=5), limit=10) == []
    later = now + dt.timedelta(minutes=6)
    (taken,) = claim(worker="b:2", now=later, lease=dt.timedelta(minutes=5), limit=10)
    assert taken.claimed_by == "b:2"
    assert taken.attempts == 2


def test_the_worker_runs_the_sync_pass_then_sends_what_is_due(alice_actor, pat):
    today = clinic_today(alice_actor.clinic)
    with time_machine.travel(local(today, 12), tick=False):
        make_course(alice_actor, pat, start_date=today + dt.timedelta(days=1))
        Worker(sync_every=600, name="test:1").run_once()
    sent = Reminder.objects.filter(status=ReminderStatus.SENT)
    # The day-before reminder is due (09:00 today); the stop day has passed since the booking,
    # so that email goes now ("from today"); the questionnaire waits for its morning.
    assert set(sent.values_list("kind", flat=True)) == {
        ReminderKind.SESSION,
        ReminderKind.STOP_NSAIDS,
    }
    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(kind=ReminderKind.QUESTIONNAIRE, status="pending").exists()
