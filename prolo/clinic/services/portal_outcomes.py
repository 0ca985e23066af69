"""A patient's own outcome entries from the portal: questionnaires, diary days, problems.

Each writer takes `me` (a PatientActor) and works only on me.patient's records; it shares the
staff services' internals (services/questionnaires.py, services/diary.py), so the rules, the
scores and the review tasks are the same whoever enters the answers. See docs/portal.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import (
    Clinic,
    DiaryEntry,
    DiarySource,
    QuestionnaireResponse,
    ResponseSource,
    ReviewTask,
    SessionStatus,
    TaskStatus,
    TreatmentCourse,
    TreatmentSession,
)
from prolo.clinic.models.outcomes_diary import DIARY_DAYS
from prolo.clinic.outcomes import advice
from prolo.clinic.outcomes import schedule as sched
from prolo.clinic.outcomes.flare import Flag
from prolo.clinic.portal_access import PatientActor, own_courses, own_sessions
from prolo.clinic.services.audit import create_audited, update_audited
from prolo.clinic.services.diary import (
    _add_to_review,
    _entry_save,
    _sites,
    entry_flags,
    session_day,
)
from prolo.clinic.services.fields import check_plausible_date, pick
from prolo.clinic.services.locks import lock
from prolo.clinic.services.questionnaires import (
    ClinicInstrument,
    _record,
    clinic_instrument,
    clinic_instruments,
    course_schedule,
    with_schedule_data,
)
from prolo.clinic.services.settings import settings_for

DETAILS_MAX = 2000

# Flags the portal adds to the diary's (outcomes/advice.py symptom_flags), as staff read them.
EXTRA_FLAGS = {
    "chest_symptoms": Flag(
        "chest_symptoms",
        "Breathlessness or chest pain (reported by the patient; no chest-wall injection "
        "recorded at this session).",
        (),
    ),
    "headache": Flag(
        "headache",
        "Severe headache (reported by the patient; no spinal injection recorded at this session).",
        (),
    ),
}


# --- Questionnaires -------------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    course: TreatmentCourse
    due: sched.Due
    instrument: ClinicInstrument

    @property
    def answerable(self) -> bool:
        """Due now, with text the patient can read (else staff complete it with them)."""
        return self.due.state == sched.State.DUE and self.instrument.has_text


def questionnaires_due(me: PatientActor, today: dt.date | None = None) -> list[DueItem]:
    """The patient's questionnaires due now or within the week, oldest first (4 queries)."""
    today = today or clinic_today(me.clinic)
    instruments = clinic_instruments(me.clinic)
    rows = [
        DueItem(course, due, instruments[due.instrument])
        for course in with_schedule_data(own_courses(me))
        for due in course_schedule(course, today)
        if sched.is_listed(due, today)
    ]
    # What the patient can answer comes before what staff go through with them.
    return sorted(
        rows, key=lambda r: (r.due.due, not r.answerable, r.due.timepoint, r.due.instrument)
    )


def due_item(
    me: PatientActor, course: TreatmentCourse, instrument: str, timepoint: str
) -> DueItem | None:
    """One questionnaire of the patient's course that they may answer now, else None."""
    if course.patient_id != me.patient.pk:
        return None
    fresh = with_schedule_data(TreatmentCourse.objects.filter(pk=course.pk)).get()
    for due in course_schedule(fresh):
        if (due.instrument, due.timepoint) == (instrument, timepoint):
            item = DueItem(fresh, due, clinic_instrument(me.clinic, instrument))
            return item if item.answerable else None
    return None


@transaction.atomic
def patient_questionnaire_record(
    *,
    me: PatientActor,
    course: TreatmentCourse,
    instrument: str,
    timepoint: str,
    answers: Mapping[str, int | None],
) -> QuestionnaireResponse:
    """Score and store a questionnaire the patient answered today in the portal."""
    if due_item(me, course, instrument, timepoint) is None:
        raise ValidationError({"timepoint": _("This questionnaire is not open for answers now.")})
    return _record(
        auditor=me,
        patient=me.patient,
        instrument=instrument,
        answers=answers,
        answered_on=clinic_today(me.clinic),
        course=course,
        timepoint=timepoint,
        source=ResponseSource.PATIENT,
    )


# --- The 7-day diary ------------------------------------------------------------------------


def diary_sessions(me: PatientActor, today: dt.date | None = None) -> list[TreatmentSession]:
    """Signed sessions whose 7 diary days are not all past, with their entries (2 queries)."""
    today = today or clinic_today(me.clinic)
    since = timezone.now() - dt.timedelta(days=DIARY_DAYS + 2)  # a margin for time zones
    sessions = (
        own_sessions(me)
        .filter(status=SessionStatus.COMPLETED, scheduled_at__gte=since)
        .prefetch_related("diary_entries")
        .order_by("-scheduled_at")
    )
    return [s for s in sessions if (today - session_day(s, me.clinic)).days <= DIARY_DAYS]


def open_days(session: TreatmentSession, today: dt.date | None = None) -> list[int]:
    """The diary days that have come and are not recorded; reads diary_entries (prefetch)."""
    clinic = session.course.patient.clinic
    today = today or clinic_today(clinic)
    last = min(DIARY_DAYS, (today - session_day(session, clinic)).days)
    done = {e.day for e in session.diary_entries.all()}
    return [day for day in range(1, last + 1) if day not in done]


def diary_day_flags(entry: DiaryEntry) -> list[Flag]:
    """The diary's flags for one day, plus the chest and headache ones the portal adds."""
    spinal, thoracic = _sites(entry.session)
    extra = advice.symptom_flags(
        breathlessness=entry.breathlessness,
        severe_headache=entry.severe_headache,
        spinal=spinal,
        thoracic=thoracic,
    )
    return entry_flags(entry) + [EXTRA_FLAGS[key] for key in extra]


@transaction.atomic
def patient_diary_record(
    *, me: PatientActor, session: TreatmentSession, **fields: object
) -> tuple[DiaryEntry, ReviewTask | None]:
    """Record one day of the patient's own diary; any flag opens (or adds to) a review task."""
    if session.course.patient_id != me.patient.pk:
        raise ValidationError(_("Choose one of your own sessions."))
    entry = _entry_save(auditor=me, session=session, source=DiarySource.PATIENT, fields=fields)
    flags = diary_day_flags(entry)
    return entry, (_add_to_review(me, entry, flags) if flags else None)


# --- Report a problem -----------------------------------------------------------------------


def latest_session(me: PatientActor) -> TreatmentSession | None:
    """The patient's latest signed session, which a problem report is about."""
    return (
        own_sessions(me)
        .filter(status=SessionStatus.COMPLETED)
        .select_related("course__patient")
        .order_by("-scheduled_at")
        .first()
    )


@dataclass(frozen=True)
class ProblemReport:
    task: ReviewTask
    flags: tuple[str, ...]

    @property
    def level(self) -> advice.Level:
        return advice.advice_level(self.flags)


@transaction.atomic
def problem_report(
    *,
    me: PatientActor,
    problems: Sequence[str],
    since: dt.date,
    pain: int | None = None,
    details: str = "",
) -> ProblemReport:
    """Record a patient's problem as a review task of the clinic, linked to the latest session.

    Every report opens a task (or adds to the session's open one), whatever its level: the
    patient chose to tell the clinic. Errors name the field; nothing is saved then.
    """
    details = pick({"details": details}, ["details"])["details"]
    _check_problem(me.clinic, problems, since, pain, details)
    session = latest_session(me)
    flags = _problem_flags(me, session, problems, pain)
    reason = _problem_reason(problems, since, pain, details)
    return ProblemReport(_add_problem(me, session, reason, flags), tuple(flags))


def _check_problem(
    clinic: Clinic, problems: Sequence[str], since: dt.date, pain: int | None, details: str
) -> None:
    if not problems:
        raise ValidationError({"problems": _("Choose at least one problem.")})
    unknown = [p for p in problems if p not in advice.PROBLEMS]
    if unknown:
        raise ValidationError({"problems": _("Choose problems from the list.")})
    if "other" in problems and not details:
        raise ValidationError({"details": _("Say what the other problem is.")})
    if len(details) > DETAILS_MAX:
        raise ValidationError({"details": _("Keep this to %(n)s characters.") % {"n": DETAILS_MAX}})
    try:
        check_plausible_date("since", since, clinic)
    except ValidationError:  # a typing slip such as year 0206, in the patient's language
        raise ValidationError({"since": _("Check the year of this date.")}) from None
    if since > clinic_today(clinic):
        raise ValidationError({"since": _("The problem cannot start on a future day.")})
    if pain is not None and not 0 <= pain <= 10:
        raise ValidationError({"pain": _("Choose a number from 0 to 10.")})


def _problem_flags(
    me: PatientActor, session: TreatmentSession | None, problems: Sequence[str], pain: int | None
) -> list[str]:
    spinal, thoracic, past_flare = False, False, False
    if session is not None:
        spinal, thoracic = _sites(session)
        flare_days = settings_for(me.clinic).flare_max_days
        past_flare = (clinic_today(me.clinic) - session_day(session, me.clinic)).days > flare_days
    return advice.problem_flags(
        problems, pain=pain, spinal=spinal, thoracic=thoracic, past_flare=past_flare
    )


def _problem_reason(problems: Sequence[str], since: dt.date, pain: int | None, details: str) -> str:
    chosen = ", ".join(p for p in advice.PROBLEMS if p in problems)
    parts = [f"Patient (portal), problem report: {chosen}; since {since:%d %b %Y}"]
    if pain is not None:
        parts.append(f"pain {pain}/10")
    if details:
        parts.append(f"details: {details}")
    return "; ".join(parts) + "."


def _add_problem(
    me: PatientActor, session: TreatmentSession | None, reason: str, flags: list[str]
) -> ReviewTask:
    """A new review task, or the session's open one with this report added (one per session)."""
    task = None
    if session is not None:
        # The session lock queues two reports at once, so both land on one open task.
        lock(session.pk)
        task = ReviewTask.objects.filter(session=session, status=TaskStatus.OPEN).first()
    if task is None:
        task = ReviewTask(
            clinic=me.clinic, patient=me.patient, session=session, reason=reason, flags=flags
        )
        return create_audited(actor=me, instance=task, patient=me.patient)
    keys = list(task.flags) + [f for f in flags if f not in task.flags]
    changes = {"reason": f"{task.reason}\n{reason}", "flags": keys}
    return update_audited(actor=me, instance=task, patient=me.patient, changes=changes)
