"""The clinic's outcomes report and registry rows: who counts, how, and what is left out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prolo.clinic.models import AuditEvent, InstrumentSetting
from prolo.clinic.outcomes.benefit import wilson
from prolo.clinic.services.adverse_events import adverse_event_report
from prolo.clinic.services.diary import session_day
from prolo.clinic.services.outcome_report import (
    Exclusion,
    Group,
    Report,
    age_band,
    outcome_report,
    registry_export,
)
from prolo.clinic.services.protocols import protocol_copy
from prolo.clinic.tests.outcome_data import another_patient, pain, treated_course

pytestmark = pytest.mark.django_db


def counted(report: Report) -> Group:
    """The overall row, which a report with counted courses has."""
    assert report.overall is not None, report.excluded
    return report.overall


@pytest.fixture
def five(alice_actor, pat):
    """3 improved, 1 unchanged, 1 worse on the pain NRS: 60% of 5."""
    pairs = [(7, 3), (6, 2), (8, 4), (5, 4), (3, 6)]
    return [
        treated_course(alice_actor, another_patient(alice_actor, i), before, after)
        for i, (before, after) in enumerate(pairs)
    ]


def test_three_of_five_improved_is_60_percent_with_the_wilson_interval(alice_actor, five):
    report = outcome_report(alice_actor)
    overall = counted(report)
    assert (overall.n, overall.improved, overall.unchanged, overall.worse) == (5, 3, 1, 1)
    assert overall.rate_label == "60%"
    interval = wilson(3, 5)
    assert overall.interval == interval
    assert overall.ci_label == "23–88%"
    assert [(g.condition, g.course_type, g.sessions, g.n) for g in report.groups] == [
        ("Knee", "Hyperosmolar dextrose", 1, 5)
    ]


def test_groups_split_by_course_type_signed_sessions_and_protocol_condition(alice_actor, pat, five):
    protocol = protocol_copy(actor=alice_actor, key="knee-oa-rabago-2013")
    treated_course(alice_actor, pat, 7, 2, protocol=protocol)
    treated_course(alice_actor, pat, 7, 2, course_type="prp")
    treated_course(alice_actor, pat, 7, 7, signed=2)
    groups = {
        (g.condition, g.course_type, g.sessions): g.n for g in outcome_report(alice_actor).groups
    }
    assert groups == {
        ("Knee", "Hyperosmolar dextrose", 1): 5,
        ("Knee", "Hyperosmolar dextrose", 2): 1,
        ("Knee", "Platelet-rich plasma (PRP)", 1): 1,
        (f"Knee: {protocol.condition}", protocol.get_course_type_display(), 1): 1,
    }


def test_courses_left_out_are_counted_with_their_reason(alice_actor, pat, five):
    treated_course(alice_actor, pat, None, 4)  # follow-up, but no baseline
    treated_course(alice_actor, pat, 6, None)  # not followed up yet
    treated_course(alice_actor, pat, 6, None, signed=0)  # planned, never treated
    treated_course(alice_actor, pat, 6, None, signed=0)
    report = outcome_report(alice_actor)
    assert report.considered == 9
    assert counted(report).n == 5
    assert report.excluded == [
        (Exclusion.NOT_TREATED, 2),
        (Exclusion.NO_BASELINE, 1),
        (Exclusion.NO_FOLLOW_UP, 1),
    ]


def test_a_score_before_the_follow_ups_is_not_an_outcome(alice_actor, pat):
    course = treated_course(alice_actor, pat, 7, None, signed=1)
    pain(alice_actor, course, 2, "extra")
    report = outcome_report(alice_actor)
    assert report.overall is None
    assert report.excluded == [(Exclusion.NO_FOLLOW_UP, 1)]


def test_another_clinics_courses_are_never_counted(alice_actor, charlie_actor, olga, five):
    treated_course(charlie_actor, olga, 8, 1)
    assert outcome_report(alice_actor).considered == 5
    assert counted(outcome_report(charlie_actor)).n == 1
    rows = registry_export(actor=alice_actor, identified=True).rows
    assert "Novak" not in {r.identity.family_name for r in rows if r.identity}
    assert len(rows) == 5


def test_filters_narrow_the_courses(alice_actor, pat, five):
    treated_course(alice_actor, pat, 7, 2, course_type="prp")
    assert counted(outcome_report(alice_actor, course_type="prp")).n == 1
    start = five[0].start_date
    assert counted(outcome_report(alice_actor, start_from=start, start_to=start)).n == 6
    assert outcome_report(alice_actor, start_to=start.replace(year=start.year - 1)).considered == 0


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"instrument": "nope"}, "instrument"),
        ({"course_type": "laser"}, "course_type"),
        ({"start_from": "2026-05-02", "start_to": "2026-05-01"}, "start_to"),
    ],
)
def test_bad_filters_are_refused_naming_the_field(alice_actor, filters, field):
    values: dict[str, Any] = {
        k: dt.date.fromisoformat(v) if k.startswith("start") else v for k, v in filters.items()
    }
    with pytest.raises(ValidationError) as exc:
        outcome_report(alice_actor, **values)
    assert field in exc.value.message_dict


def test_an_instrument_without_an_mcid_says_why_it_cannot_be_reported(alice_actor):
    report = outcome_report(alice_actor, "ffi")
    assert report.overall is None
    assert "no MCID" in report.unavailable
    assert "clinic's MCID" in report.unavailable


def test_the_clinics_own_mcid_makes_an_instrument_reportable(alice_actor, pat, five):
    InstrumentSetting.objects.create(
        clinic=alice_actor.clinic,
        instrument="pain_nrs",
        mcid_points=Decimal(4),
        mcid_source="Clinic audit 2025",
    )
    report = outcome_report(alice_actor)
    assert report.unavailable == ""
    # 7→3, 6→2, 8→4 improve by 4 points; 3→6 is no longer worse; no % rule.
    overall = counted(report)
    assert (overall.improved, overall.unchanged, overall.worse) == (3, 2, 0)
    assert report.mcid is not None
    assert report.mcid.source == "Clinic setting: Clinic audit 2025"


def test_reception_may_not_read_the_report(rita_actor):
    with pytest.raises(PermissionDenied):
        outcome_report(rita_actor)


def test_the_identified_export_is_for_physicians_and_clinic_admins(
    alice_actor, adam_actor, nora_actor, pete_actor
):
    for allowed in (alice_actor, adam_actor):
        registry_export(actor=allowed, identified=True)
    for refused in (nora_actor, pete_actor):
        registry_export(actor=refused, identified=False)
        with pytest.raises(PermissionDenied):
            registry_export(actor=refused, identified=True)


def test_each_export_is_audited_and_identified_ones_in_every_patients_trail(
    alice_actor, adam_actor, five
):
    before = AuditEvent.objects.count()
    registry_export(actor=alice_actor, identified=False)
    clinic_row = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == before + 1
    assert clinic_row.patient is None
    assert clinic_row.changes["export"] == "registry_csv"
    assert clinic_row.changes["identified"] is False

    registry_export(actor=adam_actor, identified=True)
    rows = AuditEvent.objects.filter(actor=adam_actor.user, changes__export="registry_csv")
    assert rows.filter(patient__isnull=True).count() == 1
    assert {r.patient_id for r in rows if r.patient_id} == {c.patient_id for c in five}
    one = rows.get(patient=five[0].patient)
    assert one.changes["courses"] == [str(five[0].code)]


def test_registry_rows_carry_scores_sessions_solutions_sites_and_events(alice_actor, pat):
    course = treated_course(alice_actor, pat, 7, 3, signed=2, follow_up_at="fu-3m")
    session = course.sessions.get(number=1)
    adverse_event_report(
        actor=alice_actor,
        patient=pat,
        session=session,
        event_type="severe_pain",
        onset_date=session_day(session),
        grade=2,
        expectedness="expected",
    )
    (row,) = registry_export(actor=alice_actor, identified=False).rows
    assert (row.planned_sessions, row.signed_sessions) == (3, 2)
    assert row.baseline is not None
    assert (row.baseline.value, row.baseline.day) == (Decimal(7), 0)
    assert set(row.follow_ups) == {"fu-3m"}
    assert row.follow_ups["fu-3m"].value == Decimal(3)
    assert row.compared_with == "fu-3m"
    assert row.change == Decimal(-4)
    assert row.responder == "improved"
    assert row.not_reported_because == ""
    assert (row.adverse_events, row.max_grade) == (1, 2)
    assert row.dextrose_percents == [Decimal(15)]
    assert row.site_codes == ["knee-mcl"]
    assert row.anaesthetics == ["lidocaine 0.5%"]
    assert row.total_volume_ml == Decimal(2)  # 1.0 mL in each of the two signed sessions
    assert row.identity is None
    assert row.age_band == "60-69"


def test_pseudonyms_are_stable_and_differ_per_course(alice_actor, pat):
    treated_course(alice_actor, pat, 7, 3)
    treated_course(alice_actor, pat, 7, 3)
    first = registry_export(actor=alice_actor, identified=False).rows
    again = registry_export(actor=alice_actor, identified=False).rows
    assert [r.course_pseudonym for r in first] == [r.course_pseudonym for r in again]
    assert first[0].course_pseudonym != first[1].course_pseudonym
    assert first[0].patient_pseudonym == first[1].patient_pseudonym


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (5, "under 18"),
        (17, "under 18"),
        (18, "18-29"),
        (29, "18-29"),
        (30, "30-39"),
        (64, "60-69"),
        (89, "80-89"),
        (90, "90 and over"),
        (104, "90 and over"),
    ],
)
def test_age_bands(age, band):
    assert age_band(age) == band
