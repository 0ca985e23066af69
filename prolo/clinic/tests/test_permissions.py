import pytest

from prolo.clinic.models import Role
from prolo.clinic.permissions import ROLE_PERMISSIONS, Perm

P = Perm

# The whole matrix, written out: a change to ROLE_PERMISSIONS must change this table too
# (and docs/roles.md).
EXPECTED = {
    Role.PHYSICIAN: set(Perm) - {P.VIEW_AUDIT, P.MANAGE_STAFF},
    Role.NURSE: {
        P.VIEW_SCHEDULE,
        P.VIEW_DEMOGRAPHICS,
        P.VIEW_CLINICAL,
        P.EDIT_DEMOGRAPHICS,
        P.EDIT_HISTORY,
        P.SCHEDULE_SESSION,
        P.COMPLETE_CHECKLIST,
        P.DRAW_UP,
        P.REPORT_ADVERSE_EVENT,
        P.RECORD_DIARY,
        P.CLOSE_REVIEW,
        P.RECORD_OUTCOME,
    },
    Role.PHYSIOTHERAPIST: {
        P.VIEW_SCHEDULE,
        P.VIEW_DEMOGRAPHICS,
        P.VIEW_CLINICAL,
        P.EDIT_HISTORY,
        P.RECORD_EVALUATION,
        P.RECORD_DIARY,
        P.RECORD_OUTCOME,
    },
    Role.RECEPTION: {
        P.VIEW_SCHEDULE,
        P.VIEW_DEMOGRAPHICS,
        P.EDIT_DEMOGRAPHICS,
        P.SCHEDULE_SESSION,
    },
    Role.CLINIC_ADMIN: {
        P.VIEW_SCHEDULE,
        P.VIEW_DEMOGRAPHICS,
        P.VIEW_CLINICAL,
        P.EDIT_DEMOGRAPHICS,
        P.SCHEDULE_SESSION,
        P.VIEW_AUDIT,
        P.MANAGE_SAFETY,
        P.MANAGE_CLINIC,
        P.MANAGE_STAFF,
    },
}


def test_every_role_has_an_entry_in_the_matrix():
    assert set(ROLE_PERMISSIONS) == set(Role.values)


@pytest.mark.parametrize("role", Role.values)
def test_the_matrix_is_as_documented(role):
    assert set(ROLE_PERMISSIONS[role]) == EXPECTED[role]


def test_reception_cannot_view_clinical_content(rita_actor):
    assert rita_actor.can(Perm.VIEW_SCHEDULE)
    assert rita_actor.can(Perm.VIEW_DEMOGRAPHICS)
    assert not rita_actor.can(Perm.VIEW_CLINICAL)
    assert not rita_actor.can(Perm.RECORD_NOTE)


def test_a_nurse_completes_checklists_but_cannot_write_or_sign_notes(nora_actor):
    assert nora_actor.can(Perm.COMPLETE_CHECKLIST)
    assert not nora_actor.can(Perm.RECORD_NOTE)
    assert not nora_actor.can(Perm.SIGN_NOTE)


def test_a_physiotherapist_can_record_an_evaluation_but_not_plan_a_course(pete_actor):
    assert pete_actor.can(Perm.RECORD_EVALUATION)
    assert not pete_actor.can(Perm.PLAN_COURSE)


def test_a_clinic_admin_can_view_the_audit_trail_but_writes_no_clinical_content(adam_actor):
    assert adam_actor.can(Perm.VIEW_AUDIT)
    assert adam_actor.can(Perm.VIEW_CLINICAL)
    clinical_writes = {Perm.EDIT_HISTORY, Perm.RECORD_EVALUATION, Perm.RECORD_NOTE, Perm.SIGN_NOTE}
    assert not any(adam_actor.can(p) for p in clinical_writes)


def test_a_physician_does_everything_clinical_but_not_read_the_audit_trail(alice_actor):
    assert all(alice_actor.can(p) for p in set(Perm) - {Perm.VIEW_AUDIT, Perm.MANAGE_STAFF})
    assert not alice_actor.can(Perm.VIEW_AUDIT)


def test_only_clinic_admins_administer_staff():
    admins = {role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_STAFF in perms}

    assert admins == {Role.CLINIC_ADMIN}


def test_only_physicians_sign_notes():
    signers = {role for role, perms in ROLE_PERMISSIONS.items() if Perm.SIGN_NOTE in perms}

    assert signers == {Role.PHYSICIAN}


def test_only_clinic_admins_read_audit_trails():
    readers = {role for role, perms in ROLE_PERMISSIONS.items() if Perm.VIEW_AUDIT in perms}

    assert readers == {Role.CLINIC_ADMIN}


def test_every_role_sees_the_schedule_and_demographics():
    for perms in ROLE_PERMISSIONS.values():
        assert {Perm.VIEW_SCHEDULE, Perm.VIEW_DEMOGRAPHICS} <= perms


def test_an_actor_shows_its_role_for_people(rita_actor, adam_actor):
    assert (rita_actor.role_label, adam_actor.role_label) == ("Reception", "Clinic admin")


def test_the_cast_has_one_member_of_each_role(actor_for, alice, nora, pete, rita, adam, charlie):
    roles = [actor_for(u).role for u in (alice, nora, pete, rita, adam)]

    assert roles == ["physician", "nurse", "physiotherapist", "reception", "clinic_admin"]
    assert actor_for(charlie).clinic.name == "Hilltop Pain Clinic"
    assert alice.display_name() == "Dr Alice Moreno"


def test_only_physicians_and_clinic_admins_set_the_clinic_up():
    managers = {role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_CLINIC in perms}

    assert managers == {Role.PHYSICIAN, Role.CLINIC_ADMIN}
