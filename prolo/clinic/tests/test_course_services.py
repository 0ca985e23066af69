import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditEvent, TreatmentCourse, TreatmentSession
from prolo.clinic.services.courses import course_set_status
from prolo.clinic.services.patients import patient_register
from prolo.testing import make_course, make_evaluation


@pytest.fixture
def course(alice_actor, pat):
    return make_course(alice_actor, pat)


def _nothing_planned():
    return not TreatmentCourse.objects.exists() and not TreatmentSession.objects.exists()


def test_it_proposes_the_planned_number_of_sessions_at_the_interval(alice_actor, alice, pat):
    # Next year's spring clock change falls inside the course: local time must hold.
    start = dt.date(clinic_today(alice_actor.clinic).year + 1, 3, 1)

    course = make_course(alice_actor, pat, start_date=start, planned_sessions=4, interval_days=14)

    sessions = list(course.sessions.order_by("number"))
    assert [s.number for s in sessions] == [1, 2, 3, 4]
    local = [timezone.localtime(s.scheduled_at) for s in sessions]
    assert [t.date() for t in local] == [start + dt.timedelta(days=14 * i) for i in range(4)]
    assert {t.time() for t in local} == {dt.time(9, 0)}
    assert {(s.practitioner, s.room, s.status) for s in sessions} == {
        (alice, "Room 1", "scheduled")
    }


def test_a_new_course_is_planned_and_created_by_the_actor(alice_actor, alice, pat):
    course = make_course(alice_actor, pat)

    assert (course.status, course.created_by) == ("planned", alice)


def test_planning_audits_the_course_and_each_proposed_session(alice_actor, alice, pat):
    before = AuditEvent.objects.count()

    course = make_course(alice_actor, pat, evaluation=make_evaluation(alice_actor, pat))

    events = AuditEvent.objects.order_by("id")[before + 1 :]  # after the evaluation's row
    assert [(e.action, e.object_type) for e in events] == [
        ("create", "treatmentcourse"),
        ("create", "treatmentsession"),
        ("create", "treatmentsession"),
        ("create", "treatmentsession"),
        ("create", "screening"),  # the contraindication screening (test_screening_services)
    ]
    assert {(e.actor, e.patient) for e in events} == {(alice, pat)}
    assert events[0].object_code == str(course.code)
    assert events[0].changes["planned_sessions"] == 3


@pytest.mark.parametrize("eligibility", ["pending", "not_eligible"])
def test_it_refuses_a_course_from_an_evaluation_not_marked_eligible(alice_actor, pat, eligibility):
    evaluation = make_evaluation(alice_actor, pat, eligibility=eligibility)

    with pytest.raises(ValidationError) as exc:
        make_course(alice_actor, pat, evaluation=evaluation)

    assert set(exc.value.message_dict) == {"evaluation"}
    assert _nothing_planned()


def test_it_refuses_a_course_from_another_patients_evaluation(alice_actor, rita_actor, pat):
    sam = patient_register(
        actor=rita_actor,
        mrn="R-0002",
        given_name="Sam",
        family_name="Okafor",
        date_of_birth=dt.date(1980, 1, 31),
        sex="male",
    )
    evaluation = make_evaluation(alice_actor, sam)

    with pytest.raises(ValidationError) as exc:
        make_course(alice_actor, pat, evaluation=evaluation)

    assert set(exc.value.message_dict) == {"evaluation"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("planned_sessions", 0), ("planned_sessions", 21), ("interval_days", 0), ("targets", "")],
)
def test_it_rejects_an_impossible_plan_and_saves_nothing(alice_actor, pat, field, value):
    evaluation = make_evaluation(alice_actor, pat)
    audit_rows = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as exc:
        make_course(alice_actor, pat, evaluation=evaluation, **{field: value})

    assert field in exc.value.message_dict
    assert _nothing_planned()
    assert AuditEvent.objects.count() == audit_rows


def test_a_failure_while_proposing_sessions_leaves_no_course(alice_actor, pat):
    evaluation = make_evaluation(alice_actor, pat)
    audit_rows = AuditEvent.objects.count()

    # The course row validates and is inserted; its first session then fails validation.
    with pytest.raises(ValidationError) as exc:
        make_course(alice_actor, pat, evaluation=evaluation, room="R" * 61)

    assert set(exc.value.message_dict) == {"room"}
    assert _nothing_planned()
    assert AuditEvent.objects.count() == audit_rows


def test_a_nurse_cannot_plan_a_course(alice_actor, nora_actor, pat):
    evaluation = make_evaluation(alice_actor, pat)

    with pytest.raises(PermissionDenied):
        make_course(nora_actor, pat, evaluation=evaluation)


def test_a_course_goes_planned_active_completed_with_an_audit_row_each(alice_actor, course):
    course_set_status(actor=alice_actor, course=course, status="active")
    course_set_status(actor=alice_actor, course=course, status="completed")

    course.refresh_from_db()
    assert course.status == "completed"
    assert not course.is_open
    changes = AuditEvent.objects.filter(action="update", object_code=str(course.code))
    assert [e.changes for e in changes.order_by("id")] == [
        {"status": ["planned", "active"]},
        {"status": ["active", "completed"]},
    ]


def test_a_planned_course_cannot_jump_to_completed(alice_actor, course):
    with pytest.raises(ValidationError) as exc:
        course_set_status(actor=alice_actor, course=course, status="completed")

    assert "active, stopped" in exc.value.message_dict["status"][0]
    course.refresh_from_db()
    assert course.status == "planned"


def test_stopping_a_course_needs_a_reason(alice_actor, course):
    with pytest.raises(ValidationError) as exc:
        course_set_status(actor=alice_actor, course=course, status="stopped", reason="  ")

    assert set(exc.value.message_dict) == {"reason"}
    course.refresh_from_db()
    assert course.status == "planned"


def test_stopping_a_course_keeps_the_reason_in_the_record_and_the_audit(alice_actor, course):
    course_set_status(
        actor=alice_actor, course=course, status="stopped", reason="Patient moved away."
    )

    course.refresh_from_db()
    assert (course.status, course.stop_reason) == ("stopped", "Patient moved away.")
    event = AuditEvent.objects.get(action="update", object_code=str(course.code))
    assert event.changes == {
        "status": ["planned", "stopped"],
        "stop_reason": ["", "Patient moved away."],
    }


@pytest.mark.parametrize("closed", ["completed", "stopped"])
@pytest.mark.parametrize("target", ["planned", "active", "completed", "stopped"])
def test_a_closed_course_cannot_move(alice_actor, course, closed, target):
    TreatmentCourse.objects.filter(pk=course.pk).update(status=closed, stop_reason="Done.")
    course.refresh_from_db()

    with pytest.raises(ValidationError) as exc:
        course_set_status(actor=alice_actor, course=course, status=target, reason="Again.")

    assert "it is closed" in exc.value.message_dict["status"][0]


def test_a_physiotherapist_cannot_change_a_courses_status(pete_actor, course):
    with pytest.raises(PermissionDenied):
        course_set_status(actor=pete_actor, course=course, status="active")


def test_stopping_a_course_cancels_its_remaining_sessions(alice_actor, pat):
    course = make_course(alice_actor, pat)
    course_set_status(actor=alice_actor, course=course, status="stopped", reason="Moved away")
    assert set(course.sessions.values_list("status", flat=True)) == {"cancelled"}
    assert course.sessions.filter(status="scheduled").count() == 0
