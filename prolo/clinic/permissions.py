"""Who may see and do what, per clinic role. docs/roles.md explains the choices.

A permission is checked after the record is found in the user's clinic, so a forbidden action
on one's own clinic's record answers 403 and anything in another clinic answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from prolo.clinic.models import Clinic, Role, User


class Perm(StrEnum):
    VIEW_SCHEDULE = "view_schedule"
    VIEW_DEMOGRAPHICS = "view_demographics"
    EDIT_DEMOGRAPHICS = "edit_demographics"
    VIEW_CLINICAL = "view_clinical"
    EDIT_HISTORY = "edit_history"
    RECORD_EVALUATION = "record_evaluation"
    PLAN_COURSE = "plan_course"
    SCHEDULE_SESSION = "schedule_session"
    COMPLETE_CHECKLIST = "complete_checklist"
    RECORD_NOTE = "record_note"
    SIGN_NOTE = "sign_note"
    VIEW_AUDIT = "view_audit"
    DRAW_UP = "draw_up"
    MANAGE_SAFETY = "manage_safety"
    RECORD_DIARY = "record_diary"
    CLOSE_REVIEW = "close_review"
    REPORT_ADVERSE_EVENT = "report_adverse_event"
    RECORD_OUTCOME = "record_outcome"
    MANAGE_CLINIC = "manage_clinic"
    MANAGE_STAFF = "manage_staff"


_ALL = set(Perm)
_CLINICAL_READ = {Perm.VIEW_SCHEDULE, Perm.VIEW_DEMOGRAPHICS, Perm.VIEW_CLINICAL}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    # Physicians inject and sign: everything clinical. Audit trails and staff are the admin's.
    Role.PHYSICIAN: frozenset(_ALL - {Perm.VIEW_AUDIT, Perm.MANAGE_STAFF}),
    # Nurses prepare the patient and the session, but do not write or sign procedure notes.
    Role.NURSE: frozenset(
        _CLINICAL_READ
        | {
            Perm.EDIT_DEMOGRAPHICS,
            Perm.EDIT_HISTORY,
            Perm.SCHEDULE_SESSION,
            Perm.COMPLETE_CHECKLIST,
            Perm.DRAW_UP,
            Perm.REPORT_ADVERSE_EVENT,
            Perm.RECORD_DIARY,
            Perm.CLOSE_REVIEW,
            Perm.RECORD_OUTCOME,
        }
    ),
    # Physiotherapists assess and follow up: they read the record and record evaluations.
    Role.PHYSIOTHERAPIST: frozenset(
        _CLINICAL_READ
        | {Perm.EDIT_HISTORY, Perm.RECORD_EVALUATION, Perm.RECORD_DIARY, Perm.RECORD_OUTCOME}
    ),
    # Reception runs the diary and the front desk: schedule and demographics, never notes.
    Role.RECEPTION: frozenset(
        {Perm.VIEW_SCHEDULE, Perm.VIEW_DEMOGRAPHICS, Perm.EDIT_DEMOGRAPHICS, Perm.SCHEDULE_SESSION}
    ),
    # Clinic admins (often the medical director) read everything and the audit trail, and
    # manage demographics and the diary, but write no clinical content.
    Role.CLINIC_ADMIN: frozenset(
        _CLINICAL_READ
        | {
            Perm.EDIT_DEMOGRAPHICS,
            Perm.SCHEDULE_SESSION,
            Perm.VIEW_AUDIT,
            Perm.MANAGE_SAFETY,
            Perm.MANAGE_CLINIC,
            Perm.MANAGE_STAFF,
        }
    ),
}

# The order in which one may grant roles: nobody grants a role ranked above their own. Clinic
# admin is highest because administering staff is the widest right (it can grant every other);
# among the rest, the more a role may write to the record, the higher it ranks.
ROLE_RANK: dict[str, int] = {
    Role.RECEPTION: 1,
    Role.PHYSIOTHERAPIST: 2,
    Role.NURSE: 3,
    Role.PHYSICIAN: 4,
    Role.CLINIC_ADMIN: 5,
}


@dataclass(frozen=True)
class Actor:
    """A signed-in staff user acting in one clinic with one role."""

    user: User
    clinic: Clinic
    role: str

    def can(self, perm: Perm) -> bool:
        return perm in ROLE_PERMISSIONS[self.role]

    def may_grant(self, role: str) -> bool:
        return self.can(Perm.MANAGE_STAFF) and ROLE_RANK[role] <= ROLE_RANK[self.role]

    @property
    def role_label(self) -> str:
        return Role(self.role).label
