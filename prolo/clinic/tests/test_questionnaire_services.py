"""Recording questionnaires: scores stored with the rule version, the schedule, the due list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditEvent, QuestionnaireResponse, TreatmentCourse
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.outcomes.schedule import State
from prolo.clinic.services.questionnaires import (
    course_schedule,
    due_list,
    questionnaire_record,
    with_schedule_data,
)
from prolo.testing import make_course

pytestmark = pytest.mark.django_db


def koos_answers(value: int = 2) -> dict[str, int | None]:
    return {item.id: value for item in INSTRUMENTS["koos"].items}


def test_nrs_is_stored_with_its_score_and_rule_version(alice_actor, pat):
    course = make_course(alice_actor, pat)
    response = questionnaire_record(
        actor=alice_actor,
        patient=pat,
        course=course,
        instrument="pain_nrs",
        timepoint="baseline",
        answers={"pain": 7},
        answered_on=clinic_today(alice_actor.clinic),
    )
    assert response.score == Decimal("7.00")
    assert response.rule_version == "pain_nrs:single/1"
    assert response.answers == {"pain": 7}
    assert AuditEvent.objects.filter(object_code=str(response.code), action="create").exists()


def test_koos_scores_every_subscale(alice_actor, pat):
    response = questionnaire_record(
        actor=alice_actor,
        patient=pat,
        instrument="koos",
        answers=koos_answers(2),
        answered_on=clinic_today(alice_actor.clinic),
    )
    assert response.scores == {k: "50.00" for k in response.scores}
    assert len(response.scores) == 5


def test_an_answer_outside_the_options_names_the_item_and_saves_nothing(alice_actor, pat):
    with pytest.raises(ValidationError) as exc:
        questionnaire_record(
            actor=alice_actor,
            patient=pat,
            instrument="pain_nrs",
            answers={"pain": 11},
            answered_on=clinic_today(alice_actor.clinic),
        )
    assert "pain" in str(exc.value)
    assert "0–10" in str(exc.value)
    assert not QuestionnaireResponse.objects.exists()


def test_a_time_point_is_recorded_once(alice_actor, pat):
    course = make_course(alice_actor, pat)
    kwargs = dict(
        actor=alice_actor,
        patient=pat,
        course=course,
        instrument="pain_nrs",
        timepoint="baseline",
        answers={"pain": 6},
        answered_on=clinic_today(alice_actor.clinic),
    )
    questionnaire_record(**kwargs)
    with pytest.raises(ValidationError, match="already recorded"):
        questionnaire_record(**kwargs)


def test_reception_may_not_record(rita, clinic, pat):
    from prolo.testing import actor

    with pytest.raises(PermissionDenied):
        questionnaire_record(
            actor=actor(rita, clinic),
            patient=pat,
            instrument="pain_nrs",
            answers={"pain": 3},
            answered_on=clinic_today(clinic),
        )


def test_schedule_has_baseline_sessions_and_follow_ups(alice_actor, pat):
    course = make_course(alice_actor, pat)
    course = with_schedule_data(TreatmentCourse.objects.filter(pk=course.pk)).get()
    points = [(d.instrument, d.timepoint) for d in course_schedule(course)]
    assert points[0] == ("pain_nrs", "baseline")
    assert ("pain_nrs", "session-2") in points
    assert ("pain_nrs", "session-3") in points
    assert [p for _, p in points if p.startswith("fu-")] == ["fu-6w", "fu-3m", "fu-6m", "fu-12m"]


def test_due_list_shows_the_baseline_until_it_is_recorded(alice_actor, pat):
    course = make_course(alice_actor, pat)
    rows = [r for r in due_list(alice_actor) if r.course == course]
    assert [(r.due.instrument, r.due.timepoint, r.due.state) for r in rows] == [
        ("pain_nrs", "baseline", State.DUE)
    ]
    questionnaire_record(
        actor=alice_actor,
        patient=pat,
        course=course,
        instrument="pain_nrs",
        timepoint="baseline",
        answers={"pain": 6},
        answered_on=clinic_today(alice_actor.clinic),
    )
    assert [r for r in due_list(alice_actor) if r.course == course] == []


def test_future_answers_are_refused(alice_actor, pat):
    with pytest.raises(ValidationError, match="future"):
        questionnaire_record(
            actor=alice_actor,
            patient=pat,
            instrument="pain_nrs",
            answers={"pain": 3},
            answered_on=clinic_today(alice_actor.clinic) + dt.timedelta(days=1),
        )


def test_a_missed_baseline_takes_only_answers_given_before_treatment(alice_actor, pat):
    from prolo.testing import signed_session

    session = signed_session(alice_actor, pat)
    course = session.course
    kwargs = dict(
        actor=alice_actor,
        patient=pat,
        course=course,
        instrument="pain_nrs",
        timepoint="baseline",
        answers={"pain": 6},
    )
    later = course.start_date + dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(later, dt.time(12)).astimezone()):
        with pytest.raises(ValidationError, match="answers given after that day cannot count"):
            questionnaire_record(**kwargs, answered_on=later)
        # The paper form filled in on the day of session 1 is entered the day after.
        response = questionnaire_record(**kwargs, answered_on=course.start_date)
    assert response.timepoint == "baseline"
