import datetime as dt
from collections import Counter
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone

from prolo.clinic.clock import clinic_today
from prolo.clinic.demo import DEMO_PASSWORD
from prolo.clinic.models import (
    Amendment,
    AuditEvent,
    Clinic,
    Membership,
    Patient,
    QuestionnaireResponse,
    TreatmentCourse,
    TreatmentSession,
    User,
)
from prolo.lib.dates import local_day_bounds

LONDON = ZoneInfo("Europe/London")
# The demo is built relative to today. A Sunday makes it move weekend dates to clinic days, and
# London's clocks change two weeks later, in the middle of the upcoming sessions.
SUNDAY = dt.datetime(2026, 3, 15, 7, 30, tzinfo=LONDON)


def _stage(patient: Patient) -> str:
    course = patient.courses.first()
    if course is not None:
        return course.status
    evaluation = patient.evaluations.first()
    return evaluation.eligibility if evaluation is not None else "not evaluated"


def _sessions_today(clinic: Clinic) -> list[TreatmentSession]:
    start, end = local_day_bounds(clinic_today(clinic))
    return list(
        TreatmentSession.objects.filter(
            course__patient__clinic=clinic, scheduled_at__gte=start, scheduled_at__lt=end
        ).select_related("checklist", "note")
    )


def _checklist_state(session: TreatmentSession) -> str:
    checklist = getattr(session, "checklist", None)
    note = getattr(session, "note", None)
    if checklist is None:
        return "not started"
    if not checklist.is_complete:
        return "in progress"
    return "note drafted" if note is not None else "complete"


@time_machine.travel(SUNDAY, tick=False)
class LoadDemoTests(TestCase):
    output: StringIO
    riverside: Clinic
    hilltop: Clinic

    @classmethod
    def setUpTestData(cls):
        cls.output = StringIO()
        call_command("load_demo", stdout=cls.output)
        cls.riverside = Clinic.objects.get(name="Riverside Prolotherapy")
        cls.hilltop = Clinic.objects.get(name="Hilltop Pain Clinic")

    def test_it_creates_one_login_per_role_at_riverside(self):
        roles = Membership.objects.filter(clinic=self.riverside).values_list(
            "user__username", "role"
        )
        assert sorted(roles) == [
            ("admin", "clinic_admin"),
            ("drmorgan", "physician"),
            ("nurse", "nurse"),
            ("physio", "physiotherapist"),
            ("reception", "reception"),
        ]
        assert all(user.check_password(DEMO_PASSWORD) for user in User.objects.all())

    def test_it_puts_riverside_patients_at_every_stage(self):
        patients = Patient.objects.filter(clinic=self.riverside)

        assert patients.count() >= 20
        assert Counter(_stage(p) for p in patients) == {
            "pending": 3,
            "not_eligible": 3,
            "planned": 3,
            "active": 6,
            "completed": 3,
            "stopped": 2,
            "not evaluated": 1,
        }

    def test_closed_courses_are_fully_signed_or_give_a_reason(self):
        for patient in Patient.objects.filter(courses__status="completed"):
            sessions = patient.courses.get().sessions.all()
            assert {(s.status, s.note.status) for s in sessions} == {("completed", "signed")}
        for patient in Patient.objects.filter(courses__status="stopped"):
            assert patient.courses.get().stop_reason

    def test_not_eligible_evaluations_give_their_reasons(self):
        patients = Patient.objects.filter(evaluations__eligibility="not_eligible")

        assert patients.count() == 3
        assert all(p.evaluations.get().eligibility_reasons for p in patients)

    def test_a_signed_note_carries_an_amendment(self):
        amendment = Amendment.objects.select_related("note").get()

        assert amendment.note.is_signed
        assert amendment.note.signed_at is not None
        assert amendment.created_at > amendment.note.signed_at

    def test_riverside_has_sessions_today_in_different_checklist_states(self):
        today = _sessions_today(self.riverside)

        assert len({timezone.localtime(s.scheduled_at).time() for s in today}) >= 5
        assert {_checklist_state(s) for s in today} == {
            "not started",
            "in progress",
            "complete",
            "note drafted",
        }

    def test_hilltop_is_a_separate_clinic_with_its_own_doctor_and_patients(self):
        assert Patient.objects.filter(clinic=self.hilltop).count() == 2
        assert list(self.hilltop.memberships.values_list("user__username", flat=True)) == ["drhill"]
        assert len(_sessions_today(self.hilltop)) == 1

    def test_every_patient_has_an_audit_trail_and_none_of_it_is_in_the_future(self):
        for patient in Patient.objects.all():
            assert AuditEvent.objects.filter(patient=patient, action="create").exists()
        assert not AuditEvent.objects.filter(at__gt=timezone.now()).exists()

    def test_it_includes_a_spanish_speaker(self):
        patient = Patient.objects.get(preferred_language="es")

        assert patient.family_name == "Ramírez Núñez"

    def test_it_prints_the_logins(self):
        output = self.output.getvalue()

        for username in ("drmorgan", "nurse", "physio", "reception", "admin", "drhill"):
            assert username in output
        assert DEMO_PASSWORD in output

    def test_if_empty_loads_nothing_more_but_still_prints_the_logins(self):
        counts = (Patient.objects.count(), User.objects.count(), AuditEvent.objects.count())
        output = StringIO()

        call_command("load_demo", "--if-empty", stdout=output)

        assert (Patient.objects.count(), User.objects.count(), AuditEvent.objects.count()) == (
            counts
        )
        assert "drmorgan" in output.getvalue()
        assert DEMO_PASSWORD in output.getvalue()

    def test_loading_again_without_if_empty_is_refused(self):
        with pytest.raises(CommandError, match="already"):
            call_command("load_demo", stdout=StringIO())

    def test_courses_have_scores_at_their_time_points_and_none_in_the_future(self):
        responses = QuestionnaireResponse.objects.select_related("course")
        started = TreatmentCourse.objects.filter(evaluation__evaluated_on__lte=timezone.localdate())
        baselines = responses.filter(instrument="pain_nrs", timepoint="baseline")
        assert {r.course_id for r in baselines} == set(started.values_list("pk", flat=True))
        assert responses.filter(instrument="koos", timepoint="baseline").exists()
        assert responses.filter(timepoint__startswith="session-").exists()
        follow_ups = responses.filter(timepoint__startswith="fu-")
        assert set(follow_ups.values_list("course__status", flat=True)) == {"completed"}
        assert not responses.filter(answered_on__gt=timezone.localdate()).exists()
        # Responders and non-responders alike: the outcomes page has something to show.
        finals = {
            r.course_id: r.score for r in responses.filter(instrument="pain_nrs", timepoint="fu-6w")
        }
        starts = {r.course_id: r.score for r in baselines if r.course_id in finals}
        changes = {starts[c] - finals[c] for c in finals}
        assert any(change >= 2 for change in changes)
        assert any(change < 2 for change in changes)

    def test_two_patients_can_sign_in_to_the_portal_and_the_logins_say_how(self):
        for email in ("priya.raman@example.com", "ines.ramireznunez@example.com"):
            user = User.objects.get(email=email, patient_account__isnull=False)
            assert user.check_password(DEMO_PASSWORD)
            assert email in self.output.getvalue()
        assert "Patient, portal /portal/ (Spanish)" in self.output.getvalue()
