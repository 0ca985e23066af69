"""The headline score of a multi-score instrument is the course's choice (KOOS: pain by
default), read through one function by the charts, the benefit, the outcomes page and the
registry CSV."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from prolo.clinic.models import AuditAction, AuditEvent, TreatmentCourse
from prolo.clinic.outcome_display import instrument_charts
from prolo.clinic.outcomes.instruments import INSTRUMENTS, default_headline
from prolo.clinic.services.courses import course_outcomes_set
from prolo.clinic.services.outcome_report import outcome_report, registry_export
from prolo.clinic.services.questionnaires import (
    clinic_instruments,
    course_benefits,
    headline,
    questionnaire_record,
)
from prolo.clinic.tests.outcome_data import REASON, another_patient, sign_session
from prolo.testing import give_consent, make_course

pytestmark = pytest.mark.django_db


def koos(pain: int, other: int) -> dict[str, int]:
    """Every KOOS pain item `pain`, every other item `other` (0 = no problem)."""
    return {i.id: pain if i.id.startswith("P") else other for i in INSTRUMENTS["koos"].items}


def record(actor: Any, course: TreatmentCourse, timepoint: str, answers: dict[str, int]) -> None:
    questionnaire_record(
        actor=actor,
        patient=course.patient,
        course=course,
        instrument="koos",
        timepoint=timepoint,
        answers=answers,
        answered_on=timezone.localdate(),
    )


def koos_course(actor: Any, patient: Any, **fields: Any) -> TreatmentCourse:
    """Pain 25 → 75 (better by 50); symptoms, ADL, sport and QOL stay at 100."""
    course = make_course(
        actor, patient, acknowledgement=REASON, outcome_instruments=["koos"], **fields
    )
    give_consent(actor, course)
    record(actor, course, "baseline", koos(pain=3, other=0))
    sign_session(actor, course)
    record(actor, course, "fu-6w", koos(pain=1, other=0))
    return course


# --- Defaults and the one reading function ----------------------------------------------


def test_koos_and_womac_default_to_pain_and_single_score_instruments_to_their_score():
    assert default_headline(INSTRUMENTS["koos"], "knee").key == "pain"
    assert default_headline(INSTRUMENTS["womac"], "hip").key == "pain"
    assert default_headline(INSTRUMENTS["spadi"], "shoulder").key == "total"
    assert default_headline(INSTRUMENTS["pain_nrs"]).key == "pain"
    for instrument in INSTRUMENTS.values():
        if instrument.multi_score:
            assert instrument.headline_spec in instrument.scores


def test_a_region_can_have_its_own_default():
    regional = dataclasses.replace(
        INSTRUMENTS["koos"], headline_by_region=(("ankle_foot", "sport"),)
    )
    assert default_headline(regional, "ankle_foot").key == "sport"
    assert default_headline(regional, "knee").key == "pain"


def test_a_knee_course_with_koos_stores_pain_as_its_headline(alice_actor, pat):
    course = make_course(alice_actor, pat, outcome_instruments=["pain_nrs", "koos"])
    assert course.headline_scores == {"koos": "pain"}
    assert headline(course, "koos").key == "pain"
    assert headline(course, "pain_nrs").key == "pain"


def test_a_course_planned_before_the_choice_falls_back_to_the_default(alice_actor, pat):
    course = make_course(alice_actor, pat, outcome_instruments=["koos"])
    TreatmentCourse.objects.filter(pk=course.pk).update(headline_scores={})
    course.refresh_from_db()
    assert headline(course, "koos").key == "pain"
    assert headline(None, "koos").key == "pain"


def test_the_choice_is_stored_and_audited(alice_actor, pat):
    course = make_course(alice_actor, pat, outcome_instruments=["koos"])
    course_outcomes_set(
        actor=alice_actor,
        course=course,
        outcome_instruments=["koos"],
        headline_scores={"koos": "adl"},
    )
    course.refresh_from_db()
    assert headline(course, "koos").key == "adl"
    update = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_code=str(course.code)
    ).last()
    assert update is not None
    assert update.changes["headline_scores"] == [{"koos": "pain"}, {"koos": "adl"}]


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ({"koos": "total"}, "choose one of symptoms, pain, adl, sport, qol"),
        ({"womac": "pain"}, "'womac' is not one of the course's questionnaires"),
        ("pain", "Give {instrument code: score key}"),
    ],
)
def test_a_bad_choice_is_refused_naming_the_field(alice_actor, pat, choice, message):
    course = make_course(alice_actor, pat, outcome_instruments=["koos"])
    with pytest.raises(ValidationError) as caught:
        course_outcomes_set(
            actor=alice_actor, course=course, outcome_instruments=["koos"], headline_scores=choice
        )
    assert message in caught.value.message_dict["headline_scores"][0]
    course.refresh_from_db()
    assert course.headline_scores == {"koos": "pain"}


# --- Every consumer reads the course's choice -----------------------------------------------


def test_the_benefit_and_the_outcomes_page_use_the_pain_headline(alice_actor, pat):
    koos_course(alice_actor, pat)
    (compared,) = course_benefits(
        TreatmentCourse.objects.get(), clinic_instruments(pat.clinic), follow_up_only=True
    )
    assert compared.spec.key == "pain"
    assert (compared.baseline_value, compared.latest_value) == (Decimal(25), Decimal(75))
    report = outcome_report(alice_actor, "koos")
    assert report.overall is not None
    # On symptoms (the first score) the course would have been unchanged: 100 → 100.
    assert (report.overall.n, report.overall.improved) == (1, 1)
    assert [g.score for g in report.groups] == ["Pain"]


def test_courses_that_chose_different_scores_are_grouped_apart(alice_actor, pat):
    koos_course(alice_actor, pat)
    other = koos_course(alice_actor, another_patient(alice_actor, 1))
    course_outcomes_set(
        actor=alice_actor,
        course=other,
        outcome_instruments=["koos"],
        headline_scores={"koos": "symptoms"},
    )
    report = outcome_report(alice_actor, "koos")
    assert [(g.score, g.improved, g.unchanged) for g in report.groups] == [
        ("Pain", 1, 0),
        ("Symptoms", 0, 1),
    ]


def test_the_registry_csv_carries_the_headline_scores(alice_actor, pat):
    koos_course(alice_actor, pat)
    (row,) = registry_export(actor=alice_actor, identified=False, instrument="koos").rows
    assert row.headline_score == "pain"
    assert row.baseline is not None
    assert row.baseline.value == Decimal(25)
    assert row.follow_ups["fu-6w"].value == Decimal(75)
    assert row.responder == "improved"
    assert row.mcid.startswith("8 points")


def test_the_progress_chart_draws_the_headline_score(alice_actor, pat):
    course = koos_course(alice_actor, pat)
    responses = list(course.responses.order_by("answered_on", "id"))
    (chart,) = instrument_charts(responses, [course], clinic_instruments(pat.clinic))
    assert chart.name == "Knee injury and Osteoarthritis Outcome Score (KOOS): Pain"
    assert [row.score for row in chart.rows] == [Decimal(25), Decimal(75)]
    assert "from 25 on" in chart.svg
