import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from prolo.clinic.access import (
    get_course,
    get_evaluation,
    get_imaging_study,
    get_injection,
    get_patient,
    get_session,
    patients_for,
    require,
)
from prolo.clinic.models import ImagingStudy
from prolo.clinic.permissions import Perm
from prolo.testing import signed_session


def _records(actor, patient):
    """One record of each protected type, keyed by its access helper."""
    session = signed_session(actor, patient, injections=1)
    evaluation = session.course.evaluation
    assert evaluation is not None
    study = ImagingStudy.objects.create(
        evaluation=evaluation,
        modality="xray",
        performed_on=evaluation.evaluated_on,
        findings="Medial joint space narrowing.",
    )
    return {
        get_patient: patient,
        get_evaluation: evaluation,
        get_imaging_study: study,
        get_course: session.course,
        get_session: session,
        get_injection: session.note.injections.get(),
    }


HELPERS = [get_patient, get_evaluation, get_imaging_study, get_course, get_session, get_injection]
CLINICAL = [get_evaluation, get_imaging_study, get_course, get_session, get_injection]


@pytest.fixture
def ours(alice_actor, pat):
    return _records(alice_actor, pat)


@pytest.fixture
def theirs(charlie_actor, olga):
    return _records(charlie_actor, olga)


@pytest.mark.parametrize("helper", HELPERS, ids=lambda h: h.__name__)
def test_it_returns_a_record_of_the_actors_clinic(alice_actor, ours, helper):
    record = ours[helper]

    assert helper(alice_actor, record.code, Perm.VIEW_CLINICAL) == record


@pytest.mark.parametrize("helper", HELPERS, ids=lambda h: h.__name__)
def test_it_answers_404_for_another_clinics_record(alice_actor, theirs, helper):
    with pytest.raises(Http404):
        helper(alice_actor, theirs[helper].code, Perm.VIEW_CLINICAL)


@pytest.mark.parametrize("helper", HELPERS, ids=lambda h: h.__name__)
@pytest.mark.parametrize("code", [uuid.uuid4(), "not-a-uuid", ""])
def test_it_answers_404_for_a_missing_record(alice_actor, helper, code):
    with pytest.raises(Http404):
        helper(alice_actor, code, Perm.VIEW_CLINICAL)


@pytest.mark.parametrize("helper", CLINICAL, ids=lambda h: h.__name__)
def test_it_answers_403_to_a_role_without_the_permission(rita_actor, ours, helper):
    with pytest.raises(PermissionDenied, match="Reception"):
        helper(rita_actor, ours[helper].code, Perm.VIEW_CLINICAL)


@pytest.mark.parametrize("helper", CLINICAL, ids=lambda h: h.__name__)
def test_another_clinics_record_is_404_even_for_a_role_without_the_permission(
    rita_actor, theirs, helper
):
    # Checking the clinic first means a 403 never confirms that a record exists elsewhere.
    with pytest.raises(Http404):
        helper(rita_actor, theirs[helper].code, Perm.VIEW_CLINICAL)


def test_reception_gets_demographics_but_not_the_clinical_record(rita_actor, pat):
    assert get_patient(rita_actor, pat.code, Perm.VIEW_DEMOGRAPHICS) == pat

    with pytest.raises(PermissionDenied):
        get_patient(rita_actor, pat.code, Perm.VIEW_CLINICAL)


def test_a_user_in_two_clinics_sees_only_the_clinic_they_act_in(
    actor_for, charlie, clinic, other_clinic, pat, olga
):
    charlie.memberships.create(clinic=clinic, role="nurse")
    at_riverside = actor_for(charlie, clinic)

    assert at_riverside.role == "nurse"
    assert get_patient(at_riverside, pat.code, Perm.VIEW_CLINICAL) == pat
    with pytest.raises(Http404):
        get_patient(at_riverside, olga.code, Perm.VIEW_DEMOGRAPHICS)
    assert get_patient(actor_for(charlie, other_clinic), olga.code, Perm.SIGN_NOTE) == olga


def test_patients_for_lists_only_the_actors_clinic(alice_actor, pat, olga):
    assert list(patients_for(alice_actor)) == [pat]


def test_require_passes_silently_when_the_role_allows(pete_actor):
    require(pete_actor, Perm.RECORD_EVALUATION)

    with pytest.raises(PermissionDenied, match="Physiotherapist"):
        require(pete_actor, Perm.SIGN_NOTE)
