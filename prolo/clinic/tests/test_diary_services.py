"""Recording the 7-day diary by phone, and the review tasks its flags open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prolo.clinic.models import (
    AuditEvent,
    DiaryEntry,
    Injection,
    ReviewTask,
    TaskStatus,
    TreatmentSession,
)
from prolo.clinic.services.diary import diary_entry_record, review_task_close
from prolo.testing import make_course, signed_session

pytestmark = pytest.mark.django_db

QUIET = {"swelling": "mild", "joint_use": "reduced", "analgesics": "Paracetamol"}


@pytest.fixture
def session(alice_actor, pat) -> TreatmentSession:
    """A signed session ten days ago: every diary day has come."""
    session = signed_session(alice_actor, pat)
    TreatmentSession.objects.filter(pk=session.pk).update(
        scheduled_at=timezone.now() - dt.timedelta(days=10)
    )
    session.refresh_from_db()
    return session


def _record(actor, session, day, pain=3, **symptoms):
    return diary_entry_record(actor=actor, session=session, day=day, pain=pain, **QUIET, **symptoms)


def test_an_expected_flare_opens_no_task(nora_actor, session):
    entry, task = _record(nora_actor, session, 1, pain=6)
    assert task is None
    assert entry.source == "phone"
    assert entry.entered_by == nora_actor.user
    assert not ReviewTask.objects.exists()


def test_a_flag_opens_one_task_for_the_session(nora_actor, session):
    entry, task = _record(nora_actor, session, 1, pain=8)
    assert task is not None
    assert task.session == session
    assert task.patient == session.course.patient
    assert task.diary_entry == entry
    assert task.flags == ["severe_pain"]
    assert task.status == TaskStatus.OPEN


def test_further_flags_are_added_to_the_open_task(nora_actor, session):
    _, first = _record(nora_actor, session, 1, pain=8)
    _, second = _record(nora_actor, session, 2, pain=8, fever=True)
    assert ReviewTask.objects.count() == 1
    assert second.pk == first.pk
    assert second.flags == ["severe_pain", "fever"]
    assert "Diary day 1" in second.reason
    assert "Diary day 2" in second.reason


def test_a_flag_after_the_task_was_closed_opens_a_new_one(nora_actor, session):
    _, task = _record(nora_actor, session, 1, fever=True)
    review_task_close(actor=nora_actor, task=task, closing_note="Called back; settled.")
    _, again = _record(nora_actor, session, 2, fever=True)
    assert again.pk != task.pk
    assert ReviewTask.objects.filter(status=TaskStatus.OPEN).count() == 1


def test_a_headache_flags_only_after_spinal_work(nora_actor, session):
    _, task = _record(nora_actor, session, 1, severe_headache=True)
    assert task is None
    Injection.objects.filter(note__session=session).update(site_code="lumbar-facet")
    _, task = _record(nora_actor, session, 2, severe_headache=True)
    assert task is not None
    assert task.flags == ["spinal_headache"]


def test_breathlessness_flags_only_after_chest_wall_work(nora_actor, session):
    _, task = _record(nora_actor, session, 1, breathlessness=True)
    assert task is None
    Injection.objects.filter(note__session=session).update(site_code="thoracic-costotransverse")
    _, task = _record(nora_actor, session, 2, breathlessness=True)
    assert task is not None
    assert task.flags == ["breathlessness"]


def test_an_entry_and_its_task_are_audited(nora_actor, session):
    entry, task = _record(nora_actor, session, 1, fever=True)
    assert AuditEvent.objects.filter(object_type="diaryentry", object_code=str(entry.code))
    assert AuditEvent.objects.filter(object_type="reviewtask", object_code=str(task.code))
    review_task_close(actor=nora_actor, task=task, closing_note="Seen in clinic.")
    events = AuditEvent.objects.filter(object_type="reviewtask", object_code=str(task.code))
    assert events.count() == 2


def test_the_diary_of_an_unsigned_session_is_refused(alice_actor, pat):
    course = make_course(alice_actor, pat)
    unsigned = course.sessions.get(number=1)
    with pytest.raises(ValidationError, match="signed session"):
        _record(alice_actor, unsigned, 1)
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize("day", [0, 8])
def test_a_day_outside_1_to_7_is_refused(nora_actor, session, day):
    with pytest.raises(ValidationError) as exc:
        _record(nora_actor, session, day)
    assert "day" in exc.value.message_dict


def test_a_day_that_has_not_come_yet_is_refused(alice_actor, pat):
    today = signed_session(alice_actor, pat)
    with pytest.raises(ValidationError) as exc:
        _record(alice_actor, today, 1)
    assert exc.value.message_dict["day"] == ["Day 1 after this session has not come yet."]


def test_the_same_day_twice_is_refused(nora_actor, session):
    _record(nora_actor, session, 1)
    with pytest.raises(ValidationError):
        _record(nora_actor, session, 1)
    assert DiaryEntry.objects.count() == 1


def test_reception_and_admins_cannot_record_the_diary(rita_actor, adam_actor, session):
    for actor in (rita_actor, adam_actor):
        with pytest.raises(PermissionDenied):
            _record(actor, session, 1)


def test_a_physiotherapist_records_the_diary_but_cannot_close_tasks(pete_actor, session):
    _, task = _record(pete_actor, session, 1, fever=True)
    with pytest.raises(PermissionDenied):
        review_task_close(actor=pete_actor, task=task, closing_note="Done.")


def test_closing_needs_a_note_and_records_who_and_when(nora_actor, session):
    _, task = _record(nora_actor, session, 1, fever=True)
    with pytest.raises(ValidationError):
        review_task_close(actor=nora_actor, task=task, closing_note="   ")
    closed = review_task_close(actor=nora_actor, task=task, closing_note="Seen; antibiotics.")
    assert closed.status == TaskStatus.CLOSED
    assert closed.closed_by == nora_actor.user
    assert closed.closed_at is not None


def test_closing_a_closed_task_is_refused(nora_actor, session):
    _, task = _record(nora_actor, session, 1, fever=True)
    review_task_close(actor=nora_actor, task=task, closing_note="Seen.")
    with pytest.raises(ValidationError, match="already closed"):
        review_task_close(actor=nora_actor, task=task, closing_note="Again.")
