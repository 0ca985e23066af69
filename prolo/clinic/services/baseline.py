"""A course's first signed session without a baseline questionnaire: a decision, not an accident.

Once a session of the course is signed, a questionnaire can no longer count as its baseline (a
score after treatment is no baseline: outcomes/schedule.py), and without one the course never
counts in the outcome report ("no baseline": services/outcome_report.py). So the session page
says so at the checklist, with a link to record the baseline now, and the note of the course's
first session is signed only once the baseline is recorded or someone completing the checklist
has given a reason for going ahead without it (stored on the checklist, audited).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from prolo.clinic.models import (
    Checklist,
    QuestionnaireResponse,
    SessionStatus,
    TreatmentSession,
    User,
)
from prolo.clinic.outcomes.instruments import INSTRUMENTS

BASELINE = "baseline"
REASON_MAX = 1000


def missing_baselines(session: TreatmentSession) -> list[str]:
    """The course's outcome instruments (codes) with no baseline that signing would close.

    Empty unless the session is still to be signed and no session of its course is signed yet.
    At most two queries, whatever the size of the course.
    """
    course = session.course
    wanted = [code for code in course.outcome_instruments if code in INSTRUMENTS]
    if session.status != SessionStatus.SCHEDULED or not wanted:
        return []
    if course.sessions.filter(status=SessionStatus.COMPLETED).exists():
        return []
    done = set(
        QuestionnaireResponse.objects.filter(course=course, timepoint=BASELINE).values_list(
            "instrument", flat=True
        )
    )
    return [code for code in wanted if code not in done]


def missing_message(codes: list[str]) -> str:
    names = ", ".join(INSTRUMENTS[code].name for code in codes)
    return (
        f"No baseline questionnaire yet ({names}): this course will not count in outcome "
        "reports once this session is signed."
    )


def baseline_sign_blockers(session: TreatmentSession, checklist: Checklist | None) -> list[str]:
    codes = missing_baselines(session)
    if not codes or (checklist is not None and checklist.no_baseline_reason):
        return []
    return [
        f"{missing_message(codes)} Record the baseline questionnaire first, or give the reason "
        "for going ahead without it in the checklist."
    ]


def no_baseline_changes(
    *, session: TreatmentSession, reason: str, user: User, now: dt.datetime
) -> dict[str, Any]:
    """The checklist fields recording a reason for going ahead without a baseline (or none).

    A reason given when no baseline is missing (it was recorded meanwhile) is not kept, as a
    screening keeps no acknowledgement without cautions.
    """
    reason = reason.strip()
    if not reason or not missing_baselines(session):
        return {}
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"no_baseline_reason": f"Keep the reason to {REASON_MAX} characters or fewer."}
        )
    return {"no_baseline_reason": reason, "no_baseline_by": user, "no_baseline_at": now}
