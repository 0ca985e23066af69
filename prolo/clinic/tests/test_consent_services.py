"""Consent documents (defaults, versions, publishing), signatures, withdrawal and the sign gate."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prolo.clinic.consent_defaults import REQUIRED_SECTIONS, default_documents
from prolo.clinic.models import AuditEvent, Consent, ConsentDocument, CourseType
from prolo.clinic.portal_access import PatientActor
from prolo.clinic.services.consent import (
    consent_defaults_install,
    consent_document_draft,
    consent_document_publish,
    consent_document_update,
    consent_record_in_clinic,
    consent_sign_blockers,
    consent_sign_by_patient,
    consent_withdraw,
    current_document,
    has_current_consent,
    missing_sections,
)
from prolo.clinic.services.patients import patient_register
from prolo.clinic.services.portal_accounts import invitation_accept, invitation_send
from prolo.clinic.services.sessions import note_sign
from prolo.testing import (
    add_injection,
    complete_checklist,
    give_consent,
    make_course,
    make_note,
)

pytestmark = pytest.mark.django_db


def _patient_actor(staff, patient) -> PatientActor:
    issued = invitation_send(
        actor=staff, patient=patient, email=f"{patient.given_name}@example.org", link_base="x/"
    )
    account = invitation_accept(token=issued.token, password="a long portal passphrase")
    return PatientActor(user=account.user, clinic=patient.clinic, patient=patient, account=account)


@pytest.fixture
def me(alice_actor, pat):
    return _patient_actor(alice_actor, pat)


@pytest.fixture
def documents(alice_actor):
    return consent_defaults_install(actor=alice_actor)


@pytest.fixture
def course(alice_actor, pat, documents):
    return make_course(alice_actor, pat)


def _dextrose(clinic, language="en"):
    return current_document(clinic, CourseType.DEXTROSE, language)


def _sign(me, course, document=None, typed_name="Pat Fields", confirmed=True):
    document = document or _dextrose(me.clinic)
    return consent_sign_by_patient(
        me=me, course=course, document=document, typed_name=typed_name, confirmed=confirmed
    )


def _ready_note(actor, course, number=1):
    session = course.sessions.get(number=number)
    complete_checklist(actor, session)
    note = make_note(actor, session)
    add_injection(actor, note)
    return note


# --- defaults ---------------------------------------------------------------------------------


def test_every_course_type_ships_in_english_and_spanish_with_every_required_section():
    shipped = default_documents()

    assert {(d.course_type, d.language) for d in shipped} == {
        (t, lang) for t in CourseType.values for lang in ("en", "es")
    }
    for document in shipped:
        assert missing_sections(document.body, document.language) == [], document.title


def test_the_defaults_install_once_as_published_version_1_and_are_audited(alice_actor, clinic):
    installed = consent_defaults_install(actor=alice_actor)

    assert len(installed) == len(CourseType.values) * 2
    assert all(d.version == 1 and d.published_at for d in installed)
    assert consent_defaults_install(actor=alice_actor) == []
    assert ConsentDocument.objects.filter(clinic=clinic).count() == len(installed)
    rows = AuditEvent.objects.filter(object_type="consentdocument", action="create")
    assert rows.count() == len(installed)


def test_the_current_document_is_the_latest_published_in_the_language_else_english(
    alice_actor, clinic, documents
):
    spanish = _dextrose(clinic, "es")
    assert spanish.language == "es"
    assert _dextrose(clinic, "other").language == "en"
    ConsentDocument.objects.filter(language="es").delete()
    assert _dextrose(clinic, "es").language == "en"


# --- versions and publishing ------------------------------------------------------------------


def test_editing_a_published_version_makes_the_next_version_a_draft(alice_actor, clinic, documents):
    published = _dextrose(clinic)
    body = published.body

    draft = consent_document_update(
        actor=alice_actor, document=published, title="New title", body=body + "\nMore."
    )
    again = consent_document_update(actor=alice_actor, document=published, title="T2", body=body)

    published.refresh_from_db()
    assert published.title != "New title"
    assert published.body == body
    assert (draft.version, draft.published_at) == (2, None)
    assert again.pk == draft.pk  # one draft at a time, edited in place
    assert _dextrose(clinic) == published  # patients still sign version 1


def test_publishing_needs_every_required_section_and_names_the_missing_one(
    alice_actor, clinic, documents
):
    body = _dextrose(clinic).body.replace("## Your right to stop", "## Stopping")
    draft = consent_document_update(
        actor=alice_actor, document=_dextrose(clinic), title="Consent", body=body
    )

    with pytest.raises(ValidationError) as exc:
        consent_document_publish(actor=alice_actor, document=draft)

    assert exc.value.message_dict["body"] == [
        "Add the missing section “## Your right to stop” first."
    ]
    assert draft.published_at is None


def test_a_published_draft_becomes_the_current_version(alice_actor, clinic, documents):
    draft = consent_document_update(
        actor=alice_actor, document=_dextrose(clinic), title="v2", body=_dextrose(clinic).body
    )

    consent_document_publish(actor=alice_actor, document=draft)

    assert _dextrose(clinic).version == 2
    with pytest.raises(ValidationError, match="already published"):
        consent_document_publish(actor=alice_actor, document=draft)


def test_a_new_draft_is_refused_while_one_is_open(alice_actor, clinic, documents):
    body = "\n".join(f"## {h}\nText." for h in REQUIRED_SECTIONS["en"])
    consent_document_draft(
        actor=alice_actor, course_type="saline", language="en", title="Saline", body=body
    )

    with pytest.raises(ValidationError, match="Version 2 of this document is already a draft"):
        consent_document_draft(
            actor=alice_actor, course_type="saline", language="en", title="Saline", body=body
        )


def test_only_those_who_manage_the_clinic_edit_documents(nora_actor, clinic, documents):
    with pytest.raises(PermissionDenied):
        consent_document_update(
            actor=nora_actor, document=_dextrose(clinic), title="x", body="## x"
        )


# --- signing ----------------------------------------------------------------------------------


def test_the_patient_signs_with_their_name_a_tick_and_the_time(me, course, pat):
    consent = _sign(me, course, typed_name="  pAT   FIELDS ")

    assert (consent.method, consent.recorded_by, consent.patient) == ("portal", me.user, pat)
    assert consent.signed_at is not None
    assert has_current_consent(course)
    event = AuditEvent.objects.get(object_type="consent")
    assert (event.action, event.patient, event.actor) == ("sign", pat, me.user)


def test_accents_and_name_order_do_not_matter(me, course, pat):
    pat.given_name, pat.family_name = "José", "Núñez"
    pat.save(update_fields=["given_name", "family_name"])

    assert _sign(me, course, typed_name="nunez jose").typed_name == "nunez jose"


def test_another_name_is_refused_on_its_field(me, course):
    with pytest.raises(ValidationError) as exc:
        _sign(me, course, typed_name="Olga Novak")

    assert exc.value.message_dict["typed_name"] == [
        "Type your full name as the clinic has it: Pat Fields."
    ]
    assert not Consent.objects.exists()


def test_an_unticked_confirmation_is_refused_on_its_field(me, course):
    with pytest.raises(ValidationError) as exc:
        _sign(me, course, confirmed=False)

    assert exc.value.message_dict["confirmed"] == [
        "Tick the box to confirm you have read and agree."
    ]


def test_a_version_no_longer_current_is_refused(alice_actor, me, course, clinic):
    read = _dextrose(clinic)
    draft = consent_document_update(actor=alice_actor, document=read, title="v2", body=read.body)
    consent_document_publish(actor=alice_actor, document=draft)

    with pytest.raises(ValidationError) as exc:
        _sign(me, course, document=read)

    assert "current one (version 2)" in exc.value.message_dict["document"][0]
    assert _sign(me, course, document=draft).document == draft


def test_another_course_types_document_is_refused(me, course, clinic):
    prp = current_document(clinic, CourseType.PRP, "en")

    with pytest.raises(ValidationError) as exc:
        _sign(me, course, document=prp)

    assert "document" in exc.value.message_dict


def test_the_same_version_cannot_be_signed_twice(me, course):
    _sign(me, course)

    with pytest.raises(ValidationError, match="already signed"):
        _sign(me, course)
    assert Consent.objects.count() == 1


def test_a_patient_cannot_sign_for_another_patients_course(me, alice_actor, rita_actor, documents):
    other = patient_register(
        actor=rita_actor,
        mrn="R-9",
        given_name="Pat",
        family_name="Fields",
        date_of_birth=me.patient.date_of_birth,
        sex="female",
    )
    theirs = make_course(alice_actor, other)

    with pytest.raises(ValidationError):
        _sign(me, theirs)


def test_staff_record_an_in_clinic_signature_as_the_witness(nora_actor, nora, course, clinic):
    consent = consent_record_in_clinic(
        actor=nora_actor,
        course=course,
        document=_dextrose(clinic),
        typed_name="Pat Fields",
        confirmed=True,
    )

    assert (consent.method, consent.recorded_by) == ("in_clinic", nora)
    assert AuditEvent.objects.filter(object_type="consent", action="sign", actor=nora).exists()


@pytest.mark.parametrize("who", ["pete_actor", "rita_actor", "adam_actor"])
def test_only_physicians_and_nurses_record_an_in_clinic_signature(request, who, course, clinic):
    with pytest.raises(PermissionDenied):
        consent_record_in_clinic(
            actor=request.getfixturevalue(who),
            course=course,
            document=_dextrose(clinic),
            typed_name="Pat Fields",
            confirmed=True,
        )


# --- withdrawal -------------------------------------------------------------------------------


def test_the_patient_withdraws_and_can_sign_again(me, course):
    consent = _sign(me, course)

    withdrawn = consent_withdraw(actor=me, consent=consent)

    assert withdrawn.withdrawn_at is not None
    assert not has_current_consent(course)
    event = AuditEvent.objects.filter(object_type="consent", action="update").get()
    assert list(event.changes) == ["withdrawn_at"]
    with pytest.raises(ValidationError, match="already withdrawn"):
        consent_withdraw(actor=me, consent=consent)
    assert _sign(me, course).withdrawn_at is None


def test_staff_record_a_withdrawal(nora_actor, alice_actor, course):
    consent = give_consent(alice_actor, course)

    assert consent_withdraw(actor=nora_actor, consent=consent).withdrawn_at is not None


def test_another_patient_cannot_withdraw_a_consent(alice_actor, rita_actor, me, course):
    consent = give_consent(alice_actor, course)
    other = patient_register(
        actor=rita_actor,
        mrn="R-10",
        given_name="Ann",
        family_name="Other",
        date_of_birth=me.patient.date_of_birth,
        sex="female",
    )
    them = _patient_actor(alice_actor, other)

    with pytest.raises(ValidationError):
        consent_withdraw(actor=them, consent=consent)


# --- the gate on signing the first session ----------------------------------------------------


def test_the_first_session_cannot_be_signed_without_consent(alice_actor, course):
    note = _ready_note(alice_actor, course)

    with pytest.raises(ValidationError) as exc:
        note_sign(actor=alice_actor, note=note)

    assert exc.value.messages == [
        "Consent: the patient has not consented to the current version of the hyperosmolar "
        "dextrose consent (version 1). Ask them to sign it in the portal or record an "
        "in-clinic signature."
    ]


def test_the_gate_names_version_1_before_the_clinic_installed_its_documents(alice_actor, pat):
    note = _ready_note(alice_actor, make_course(alice_actor, pat))

    with pytest.raises(ValidationError, match=r"consent \(version 1\)"):
        note_sign(actor=alice_actor, note=note)


def test_with_consent_the_first_session_signs(alice_actor, me, course):
    _sign(me, course)

    assert note_sign(actor=alice_actor, note=_ready_note(alice_actor, course)).is_signed


def test_a_version_published_after_consent_does_not_block_the_course(
    alice_actor, me, course, clinic
):
    _sign(me, course)
    draft = consent_document_update(
        actor=alice_actor, document=_dextrose(clinic), title="v2", body=_dextrose(clinic).body
    )
    consent_document_publish(actor=alice_actor, document=draft)

    assert note_sign(actor=alice_actor, note=_ready_note(alice_actor, course)).is_signed


def test_later_sessions_are_not_gated(alice_actor, course):
    assert consent_sign_blockers(course.sessions.get(number=2)) == []
    assert consent_sign_blockers(course.sessions.get(number=1)) != []


def test_a_withdrawn_consent_blocks_the_first_session_again(alice_actor, me, course):
    consent_withdraw(actor=me, consent=_sign(me, course))

    with pytest.raises(ValidationError, match="has not consented"):
        note_sign(actor=alice_actor, note=_ready_note(alice_actor, course))
