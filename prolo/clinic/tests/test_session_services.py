import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import (
    Amendment,
    AuditEvent,
    Checklist,
    Injection,
    ProcedureNote,
    Syringe,
    WeightMeasurement,
)
from prolo.clinic.services.sessions import (
    checklist_save,
    injection_remove,
    note_amend,
    note_save,
    note_sign,
    session_update,
)
from prolo.testing import (
    add_injection,
    complete_checklist,
    give_consent,
    make_course,
    make_note,
    signed_session,
)


@pytest.fixture
def course(alice_actor, pat):
    course = make_course(alice_actor, pat)
    give_consent(alice_actor, course)  # the first session's note needs it to be signed
    return course


@pytest.fixture
def session(course):
    return course.sessions.get(number=1)


@pytest.fixture
def note(alice_actor, session):
    return make_note(alice_actor, session)


@pytest.fixture
def ready_note(alice_actor, nora_actor, session, note):
    """A draft note that can be signed: checklist complete, one injection."""
    complete_checklist(nora_actor, session)
    add_injection(alice_actor, note)
    return note


@pytest.fixture
def signed(alice_actor, pat):
    return signed_session(alice_actor, pat)


def _events_after(row_id):
    return list(AuditEvent.objects.filter(id__gt=row_id).order_by("id"))


def _last_audit_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


# Scheduling


def test_reception_can_reschedule_a_session_with_an_audit_row(rita_actor, rita, session):
    new_time = session.scheduled_at + dt.timedelta(days=2, hours=3)
    old = str(session.scheduled_at)

    session_update(
        actor=rita_actor,
        session=session,
        scheduled_at=new_time,
        practitioner=session.practitioner,
        room="Room 2",
    )

    session.refresh_from_db()
    assert (session.scheduled_at, session.room) == (new_time, "Room 2")
    event = AuditEvent.objects.get(action="update", object_code=str(session.code))
    assert event.actor == rita
    assert event.changes == {"scheduled_at": [old, str(new_time)], "room": ["Room 1", "Room 2"]}


def test_it_rejects_a_session_before_its_course_starts(rita_actor, session):
    the_day_before = session.scheduled_at - dt.timedelta(days=1)

    with pytest.raises(ValidationError) as exc:
        session_update(
            actor=rita_actor,
            session=session,
            scheduled_at=the_day_before,
            practitioner=None,
            room="",
        )

    assert set(exc.value.message_dict) == {"scheduled_at"}
    session.refresh_from_db()
    assert session.room == "Room 1"


def test_a_physiotherapist_cannot_reschedule(pete_actor, session):
    with pytest.raises(PermissionDenied):
        session_update(
            actor=pete_actor,
            session=session,
            scheduled_at=session.scheduled_at,
            practitioner=None,
            room="",
        )


def test_a_completed_session_cannot_be_rescheduled(rita_actor, signed):
    with pytest.raises(ValidationError, match="amendment"):
        session_update(
            actor=rita_actor,
            session=signed,
            scheduled_at=signed.scheduled_at,
            practitioner=None,
            room="",
        )


# Checklist


def test_a_partly_answered_checklist_is_kept_but_not_complete(nora_actor, session):
    checklist_save(actor=nora_actor, session=session, identity_confirmed=True)

    checklist = Checklist.objects.get(session=session)
    assert checklist.identity_confirmed is True
    assert not checklist.is_complete
    assert "consent on file" in checklist.missing_items()


def test_completing_the_checklist_records_who_and_when(nora_actor, nora, session):
    checklist = complete_checklist(nora_actor, session)

    checklist.refresh_from_db()
    assert checklist.is_complete
    assert checklist.completed_by == nora
    assert checklist.weight == WeightMeasurement.objects.get(weight_kg=Decimal("72.5"))
    assert checklist.missing_items() == []


def test_checklist_answers_are_audited_old_to_new(nora_actor, nora, pat, session):
    checklist_save(actor=nora_actor, session=session, identity_confirmed=True)
    complete_checklist(nora_actor, session)

    events = AuditEvent.objects.filter(object_type="checklist").order_by("id")
    assert [e.action for e in events] == ["create", "update"]
    assert {(e.actor, e.patient) for e in events} == {(nora, pat)}
    assert events[0].changes["identity_confirmed"] is True
    assert events[1].changes["consent_on_file"] == [False, True]
    assert events[1].changes["completed_by"] == [None, nora.pk]
    assert "identity_confirmed" not in events[1].changes


def test_saving_a_complete_checklist_again_keeps_its_completion_time(nora_actor, session):
    first = complete_checklist(nora_actor, session).completed_at

    checklist_save(actor=nora_actor, session=session, site_marked=True)

    assert Checklist.objects.get(session=session).completed_at == first


def test_unticking_an_item_makes_the_checklist_incomplete_again(nora_actor, session):
    complete_checklist(nora_actor, session)

    checklist_save(actor=nora_actor, session=session, site_marked=False)

    checklist = Checklist.objects.get(session=session)
    assert (checklist.completed_at, checklist.completed_by) == (None, None)


def test_the_checklist_rejects_weight_out_of_range_and_keeps_no_weight(nora_actor, session):
    with pytest.raises(ValidationError) as exc:
        complete_checklist(nora_actor, session, weight_kg=Decimal("400"))

    assert set(exc.value.message_dict) == {"weight_kg"}
    assert not WeightMeasurement.objects.exists()
    assert not Checklist.objects.exists()


def test_a_failing_checklist_leaves_no_weight_row(nora_actor, session):
    audit_rows = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as exc:
        checklist_save(
            actor=nora_actor, session=session, weight_kg=Decimal("70"), protein_meal="perhaps"
        )

    assert set(exc.value.message_dict) == {"protein_meal"}
    assert not WeightMeasurement.objects.exists()
    assert not Checklist.objects.exists()
    assert AuditEvent.objects.count() == audit_rows


def test_it_rejects_anti_inflammatories_stopped_in_the_future(nora_actor, session):
    with pytest.raises(ValidationError) as exc:
        checklist_save(
            actor=nora_actor,
            session=session,
            weight_kg=Decimal("70"),
            nsaids_stopped_on=clinic_today(nora_actor.clinic) + dt.timedelta(days=1),
        )

    assert set(exc.value.message_dict) == {"nsaids_stopped_on"}
    assert not WeightMeasurement.objects.exists()


def test_reception_cannot_complete_a_checklist(rita_actor, session):
    with pytest.raises(PermissionDenied):
        complete_checklist(rita_actor, session)


def test_a_signed_sessions_checklist_cannot_change(nora_actor, signed):
    with pytest.raises(ValidationError, match="signed"):
        checklist_save(actor=nora_actor, session=signed, site_marked=False)


# Procedure note and injections


def test_it_creates_then_updates_the_draft_note_with_audit_rows(alice_actor, session):
    note = make_note(alice_actor, session)
    note_save(actor=alice_actor, session=session, heat_pack_minutes=15)

    note.refresh_from_db()
    assert (note.status, note.heat_pack_minutes) == ("draft", 15)
    events = AuditEvent.objects.filter(object_type="procedurenote").order_by("id")
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].changes == {"heat_pack_minutes": [10, 15]}


def test_it_rejects_a_heat_pack_over_an_hour(alice_actor, session):
    with pytest.raises(ValidationError) as exc:
        make_note(alice_actor, session, heat_pack_minutes=61)

    assert "heat_pack_minutes" in exc.value.message_dict
    assert not ProcedureNote.objects.exists()


def test_a_nurse_cannot_write_a_note(nora_actor, session):
    with pytest.raises(PermissionDenied):
        make_note(nora_actor, session)


def test_it_adds_an_injection_with_an_audit_row(alice_actor, pat, note):
    injection = add_injection(alice_actor, note)

    assert injection.solution_summary() == "15% dextrose, lidocaine 0.5%, in 0.9% saline"
    event = AuditEvent.objects.get(object_type="injection")
    assert (event.action, event.patient, event.object_code) == ("create", pat, str(injection.code))
    assert event.changes["volume_ml"] == "1.0"
    assert event.changes["lot"] == "L123"


@pytest.mark.parametrize("volume", [Decimal("0"), Decimal("-1.0"), Decimal("30.1")])
def test_it_rejects_an_injection_volume_out_of_range(alice_actor, note, volume):
    with pytest.raises(ValidationError) as exc:
        add_injection(alice_actor, note, volume_ml=volume)

    assert set(exc.value.message_dict) == {"volume_ml"}
    assert not Injection.objects.exists()


def test_it_accepts_the_smallest_volume_of_a_tenth_of_a_millilitre(alice_actor, note):
    assert add_injection(alice_actor, note, volume_ml=Decimal("0.1")).volume_ml == Decimal("0.1")


def test_it_needs_a_description_for_an_other_site(alice_actor, note):
    with pytest.raises(ValidationError) as exc:
        add_injection(alice_actor, note, site_code="other", site_detail="")

    assert exc.value.messages == ["Site detail: describe the site when 'Other site' is chosen."]


def test_it_accepts_an_other_site_with_its_description(alice_actor, note):
    injection = add_injection(alice_actor, note, site_code="other", site_detail="Pisiform")

    assert injection.site_label == "Pisiform"


def test_it_rejects_a_site_outside_the_coded_list(alice_actor, note):
    with pytest.raises(ValidationError) as exc:
        add_injection(alice_actor, note, site_code="elbow-funny-bone")

    assert set(exc.value.message_dict) == {"site_code"}


def test_an_injection_without_anaesthetic_has_no_anaesthetic_percent(alice_actor, note):
    injection = add_injection(alice_actor, note, anaesthetic="none", anaesthetic_percent=None)

    assert injection.anaesthetic_percent == 0
    assert injection.solution_summary() == "15% dextrose, in 0.9% saline"


def test_it_needs_a_percentage_for_an_anaesthetic(alice_actor, note):
    with pytest.raises(ValidationError) as exc:
        add_injection(alice_actor, note, anaesthetic="lidocaine", anaesthetic_percent=Decimal(0))

    assert exc.value.messages[0].startswith("Anaesthetic (%): give a strength above 0")
    assert not Injection.objects.exists()


def test_it_rejects_an_anaesthetic_percent_without_an_anaesthetic(alice_actor, note):
    with pytest.raises(ValidationError, match="Anaesthetic"):
        add_injection(alice_actor, note, anaesthetic="none", anaesthetic_percent=Decimal("1"))


def test_it_removes_a_draft_injection_with_an_audit_row(alice_actor, note):
    injection = add_injection(alice_actor, note)

    injection_remove(actor=alice_actor, injection=injection)

    assert not Injection.objects.exists()
    event = AuditEvent.objects.get(action="delete")
    assert (event.object_type, event.object_code) == ("injection", str(injection.code))
    assert event.changes["site_code"] == "knee-mcl"


# Signing


def test_signing_locks_the_note_completes_the_session_and_activates_the_course(
    alice_actor, alice, ready_note, session, course
):
    note_sign(actor=alice_actor, note=ready_note)

    ready_note.refresh_from_db()
    session.refresh_from_db()
    course.refresh_from_db()
    assert ready_note.is_signed
    assert ready_note.signed_by == alice
    assert ready_note.signed_at is not None
    assert session.status == "completed"
    assert course.status == "active"


def test_signing_writes_a_sign_row_and_the_status_changes(alice_actor, alice, pat, ready_note):
    since = _last_audit_id()

    note_sign(actor=alice_actor, note=ready_note)

    events = _events_after(since)
    assert [(e.action, e.object_type) for e in events] == [
        ("sign", "procedurenote"),
        ("update", "treatmentsession"),
        ("update", "treatmentcourse"),
    ]
    assert {(e.actor, e.patient) for e in events} == {(alice, pat)}
    sign = events[0].changes
    assert sign["status"] == ["draft", "signed"]
    assert sign["signed_by"] == [None, alice.pk]
    assert sign["signed_at"][0] is None
    assert events[1].changes == {"status": ["scheduled", "completed"]}
    assert events[2].changes == {"status": ["planned", "active"]}


def test_signing_a_later_session_leaves_an_active_course_alone(alice_actor, signed):
    second = signed.course.sessions.get(number=2)
    with time_machine.travel(second.scheduled_at + dt.timedelta(hours=1)):
        complete_checklist(alice_actor, second)
        note = make_note(alice_actor, second)
        add_injection(alice_actor, note)
        since = _last_audit_id()

        note_sign(actor=alice_actor, note=note)

    assert [e.object_type for e in _events_after(since)] == ["procedurenote", "treatmentsession"]


def test_a_second_signature_is_refused_and_names_the_first_signer(alice_actor, signed):
    since = _last_audit_id()

    with pytest.raises(ValidationError, match="already signed by Dr Alice Moreno"):
        note_sign(actor=alice_actor, note=signed.note)

    assert _events_after(since) == []


def test_signing_needs_a_complete_checklist(alice_actor, session, note):
    checklist_save(actor=alice_actor, session=session, identity_confirmed=True)
    add_injection(alice_actor, note)

    with pytest.raises(ValidationError) as exc:
        note_sign(actor=alice_actor, note=note)

    # No weight either: the dose ceiling says so too (test_dosing_services.py).
    assert exc.value.messages[0] == "The pre-procedure checklist is not complete."
    note.refresh_from_db()
    session.refresh_from_db()
    assert (note.status, session.status) == ("draft", "scheduled")


def test_signing_needs_at_least_one_injection(alice_actor, session, note):
    complete_checklist(alice_actor, session)

    with pytest.raises(ValidationError) as exc:
        note_sign(actor=alice_actor, note=note)

    assert exc.value.messages == ["The note has no injections."]


def test_signing_lists_every_missing_step(alice_actor, note):
    with pytest.raises(ValidationError) as exc:
        note_sign(actor=alice_actor, note=note)

    # Checklist, injections, a recent weight, and the course's baseline questionnaire.
    assert len(exc.value.messages) == 4


@pytest.mark.parametrize("who", ["nora_actor", "pete_actor", "adam_actor", "rita_actor"])
def test_only_a_physician_signs(request, ready_note, who):
    with pytest.raises(PermissionDenied):
        note_sign(actor=request.getfixturevalue(who), note=ready_note)

    ready_note.refresh_from_db()
    assert ready_note.status == "draft"


def test_a_signed_note_cannot_be_edited(alice_actor, signed):
    with pytest.raises(ValidationError, match="amendment"):
        make_note(alice_actor, signed, observations="Actually, mild bleeding.")

    signed.note.refresh_from_db()
    assert signed.note.observations == "Tolerated well; no vasovagal symptoms."


def test_no_injection_can_be_added_to_a_signed_note(alice_actor, signed):
    with pytest.raises(ValidationError, match="signed and locked"):
        add_injection(alice_actor, signed.note)

    assert signed.note.injections.count() == 3


def test_no_injection_can_be_removed_from_a_signed_note(alice_actor, signed):
    injection = signed.note.injections.first()

    with pytest.raises(ValidationError, match="signed and locked"):
        injection_remove(actor=alice_actor, injection=injection)

    assert signed.note.injections.count() == 3


# Amendments


def test_an_amendment_is_kept_with_its_author_and_reason(alice_actor, alice, signed):
    note_amend(
        actor=alice_actor,
        note=signed.note,
        reason=" Wrong lot recorded ",
        text="Lot for all injections was L124.",
    )

    amendment = Amendment.objects.get(note=signed.note)
    assert (amendment.author, amendment.reason) == (alice, "Wrong lot recorded")
    assert amendment.text == "Lot for all injections was L124."
    assert set(signed.note.injections.values_list("lot", flat=True)) == {"L123"}


def test_an_amendment_writes_an_amend_audit_row(alice_actor, alice, pat, signed):
    since = _last_audit_id()

    amendment = note_amend(
        actor=alice_actor, note=signed.note, reason="Typo", text="Heat pack was 12 minutes."
    )

    [event] = _events_after(since)
    assert (event.action, event.actor, event.patient) == ("amend", alice, pat)
    assert (event.object_type, event.object_code) == ("amendment", str(amendment.code))
    assert event.changes["reason"] == "Typo"
    assert event.changes["text"] == "Heat pack was 12 minutes."


def test_amendments_accumulate_and_the_original_stays(alice_actor, signed):
    note_amend(actor=alice_actor, note=signed.note, reason="One", text="First correction.")
    note_amend(actor=alice_actor, note=signed.note, reason="Two", text="Second correction.")

    assert list(signed.note.amendments.values_list("reason", flat=True)) == ["One", "Two"]
    signed.note.refresh_from_db()
    assert signed.note.is_signed


def test_an_unsigned_note_cannot_be_amended(alice_actor, note):
    with pytest.raises(ValidationError, match="Only a signed note"):
        note_amend(actor=alice_actor, note=note, reason="Typo", text="Fix.")

    assert not Amendment.objects.exists()


@pytest.mark.parametrize("field", ["reason", "text"])
def test_an_amendment_needs_a_reason_and_a_text(alice_actor, signed, field):
    values = {"reason": "Typo", "text": "Fix.", field: "   "}

    with pytest.raises(ValidationError) as exc:
        note_amend(actor=alice_actor, note=signed.note, **values)

    assert set(exc.value.message_dict) == {field}
    assert not Amendment.objects.exists()


def test_a_nurse_cannot_amend_a_note(nora_actor, signed):
    with pytest.raises(PermissionDenied):
        note_amend(actor=nora_actor, note=signed.note, reason="Typo", text="Fix.")


def test_signed_session_helper_gives_three_injections_and_one_signed_note(alice_actor, pat):
    session = signed_session(alice_actor, pat)

    assert session.status == "completed"
    assert session.note.is_signed
    assert session.note.injections.count() == 3
    assert session.course.status == "active"


def test_benzyl_alcohol_diluent_is_refused_at_a_spinal_site_as_the_injection_is_recorded(
    alice_actor, pat
):
    session = make_course(alice_actor, pat).sessions.get(number=1)
    note = make_note(alice_actor, session)
    with pytest.raises(ValidationError) as refused:
        add_injection(alice_actor, note, site_code="lumbar-facet", diluent="bacteriostatic_saline")
    assert "benzyl-alcohol" in refused.value.message_dict["diluent"][0].lower().replace(" ", "-")
    assert not Injection.objects.filter(note=note).exists()
    add_injection(alice_actor, note, site_code="knee-mcl", diluent="bacteriostatic_saline")
    add_injection(alice_actor, note, site_code="lumbar-facet", diluent="saline")
    assert Injection.objects.filter(note=note).count() == 2


@pytest.mark.parametrize("diluent", ["bacteriostatic_saline", "bacteriostatic_water"])
def test_benzyl_alcohol_diluent_is_refused_at_an_other_site(alice_actor, note, diluent):
    with pytest.raises(ValidationError) as refused:
        add_injection(
            alice_actor, note, site_code="other", site_detail="caudal epidural", diluent=diluent
        )

    (message,) = refused.value.message_dict["diluent"]
    assert message == (
        "Benzyl-alcohol preservative at a spinal, epidural or caudal site: 'Other site' "
        "(caudal epidural) is not a coded site, so it may be spinal, epidural or caudal, where "
        "benzyl alcohol must not be used [R26][R27]. Choose the coded site, or a "
        "preservative-free diluent (0.9% saline or sterile water)."
    )
    assert not Injection.objects.filter(note=note).exists()


def test_a_benzyl_alcohol_syringe_is_refused_at_an_other_site(alice_actor, alice, session, note):
    syringe = Syringe.objects.create(
        session=session,
        label="A",
        final_volume_ml=Decimal(10),
        dextrose_percent=Decimal(15),
        benzyl_alcohol=True,
        created_by=alice,
    )

    with pytest.raises(ValidationError) as refused:
        add_injection(alice_actor, note, syringe=syringe, site_code="other", site_detail="Coccyx")

    (message,) = refused.value.message_dict["syringe"]
    assert "'Other site' (Coccyx) is not a coded site" in message
    assert message.endswith(
        "or a syringe drawn up with a preservative-free diluent (0.9% saline or sterile water)."
    )


def test_a_preservative_free_diluent_is_accepted_at_an_other_site(alice_actor, note):
    injection = add_injection(
        alice_actor, note, site_code="other", site_detail="caudal epidural", diluent="saline"
    )

    assert injection.diluent == "saline"
