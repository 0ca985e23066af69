"""The checklist's and the signature's rules: the anti-inflammatory hold, the session's time,
the injection's structure at its site, and the course's baseline questionnaire."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from prolo.clinic.models import AuditEvent, Checklist, Injection, Screening
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.safety.protocols import LIBRARY
from prolo.clinic.services.clinic_settings import settings_update
from prolo.clinic.services.fields import site_structure_problem
from prolo.clinic.services.patients import medication_add
from prolo.clinic.services.protocols import protocol_copy, protocol_injection_add
from prolo.clinic.services.questionnaires import questionnaire_record
from prolo.clinic.services.sessions import checklist_save, note_sign
from prolo.clinic.sites import SITES
from prolo.testing import add_injection, complete_checklist, give_consent, make_course, make_note

REASON = "Took one ibuprofen this morning for toothache; discussed, going ahead."
TODAY = timezone.localdate


@pytest.fixture
def course(alice_actor, pat):
    course = make_course(alice_actor, pat)
    give_consent(alice_actor, course)
    return course


@pytest.fixture
def session(course):
    return course.sessions.get(number=1)


@pytest.fixture
def note(alice_actor, session):
    note = make_note(alice_actor, session)
    add_injection(alice_actor, note)
    return note


def _blockers(actor, note) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        note_sign(actor=actor, note=note)
    note.refresh_from_db()
    assert not note.is_signed
    return refused.value.messages


# 1. Anti-inflammatories stopped less than the clinic's hold before the session.


def test_stopped_today_with_a_three_day_hold_keeps_a_nurses_checklist_open(nora_actor, session):
    checklist = complete_checklist(nora_actor, session, nsaids_stopped_on=TODAY())

    assert not checklist.is_complete
    assert not checklist.contraindications_rechecked
    (finding,) = Screening.objects.get(session=session).findings
    assert finding["rule"] == "nsaid-hold"
    assert finding["severity"] == "relative"
    assert finding["detail"] == (
        f"Stopped on {TODAY():%d %b %Y}, 0 days before the session on {TODAY():%d %b %Y}; "
        "the clinic stops them 3 days before (clinic setting)."
    )
    assert finding["source"] == "[R98] [R99] [R100] [R101] [R104]"


def test_the_note_cannot_be_signed_until_a_physician_acknowledges_the_short_hold(
    alice_actor, nora_actor, session, note
):
    complete_checklist(nora_actor, session, nsaids_stopped_on=TODAY())

    messages = _blockers(alice_actor, note)

    assert "The pre-procedure checklist is not complete." in messages
    assert any(
        m.startswith("The screening's cautions need a physician's acknowledgement.")
        and "Anti-inflammatories not stopped for the clinic's hold before the session" in m
        and m.endswith("saving the checklist again with the reason for going ahead.")
        for m in messages
    )


def test_a_physician_saving_a_short_hold_without_a_reason_is_refused_and_nothing_is_kept(
    alice_actor, session
):
    with pytest.raises(ValidationError) as refused:
        complete_checklist(alice_actor, session, nsaids_stopped_on=TODAY())

    (message,) = refused.value.message_dict["acknowledgement"]
    assert "Anti-inflammatories not stopped for the clinic's hold" in message
    assert message.endswith("give your reason for proceeding despite them.")
    assert not Checklist.objects.filter(session=session).exists()
    assert not Screening.objects.filter(session=session).exists()


def test_with_a_physicians_reason_the_checklist_completes_and_the_note_signs(
    alice_actor, alice, pat, session, note
):
    checklist = complete_checklist(
        alice_actor, session, nsaids_stopped_on=TODAY(), acknowledgement=REASON
    )

    assert checklist.is_complete
    screening = Screening.objects.get(session=session)
    assert (screening.acknowledgement, screening.screened_by) == (REASON, alice)
    assert screening.screened_at is not None
    event = AuditEvent.objects.filter(object_type="screening").latest("id")
    assert (event.actor, event.patient) == (alice, pat)
    assert event.changes["acknowledgement"] == REASON
    note_sign(actor=alice_actor, note=note)
    assert note.__class__.objects.get(pk=note.pk).is_signed


def test_the_hold_is_the_clinics_setting(adam_actor, nora_actor, session):
    settings_update(actor=adam_actor, nsaid_stop_days_before=7)

    checklist = complete_checklist(
        nora_actor, session, nsaids_stopped_on=TODAY() - dt.timedelta(days=5)
    )

    assert not checklist.is_complete
    (finding,) = Screening.objects.get(session=session).findings
    assert "5 days before the session" in finding["detail"]
    assert "the clinic stops them 7 days before (clinic setting)" in finding["detail"]


def test_an_nsaid_on_the_medication_list_of_a_patient_said_to_take_none_is_a_caution(
    alice_actor, nora_actor, pat, session
):
    medication_add(actor=alice_actor, patient=pat, name="Naproxen 500 mg", drug_class="nsaid")

    checklist = complete_checklist(
        nora_actor, session, nsaids_stopped_on=None, takes_no_nsaids=True
    )

    assert not checklist.is_complete
    (finding,) = Screening.objects.get(session=session).findings
    assert finding["detail"].startswith(
        "On the current medication list: Naproxen 500 mg (NSAID); the checklist says the "
        "patient takes none;"
    )


def test_an_nsaid_added_after_the_checklist_was_screened_blocks_signing(
    alice_actor, nora_actor, pat, session, note
):
    complete_checklist(nora_actor, session, nsaids_stopped_on=None, takes_no_nsaids=True)
    medication_add(actor=alice_actor, patient=pat, name="Ibuprofen", drug_class="nsaid")

    messages = _blockers(alice_actor, note)

    assert any(
        m.startswith("Cautions found since the checklist was screened") and "Ibuprofen" in m
        for m in messages
    )


def test_a_hold_as_long_as_the_clinics_is_no_finding(alice_actor, nora_actor, session, note):
    stopped = TODAY() - dt.timedelta(days=3)

    checklist = complete_checklist(nora_actor, session, nsaids_stopped_on=stopped)

    assert checklist.is_complete
    note_sign(actor=alice_actor, note=note)


# 2. A note is signed after its session, never before.


def test_a_session_still_to_come_cannot_be_signed(alice_actor, pat):
    course = make_course(alice_actor, pat, start_date=TODAY() + dt.timedelta(days=2))
    give_consent(alice_actor, course)
    session = course.sessions.get(number=1)
    complete_checklist(alice_actor, session)
    note = make_note(alice_actor, session)
    add_injection(alice_actor, note)
    at = timezone.localtime(session.scheduled_at)

    assert _blockers(alice_actor, note) == [
        f"Session 1 is booked for {at:%d %b %Y} 09:00, which has not come yet: a note is signed "
        "after the procedure. If the session took place earlier, move it to the time it "
        "happened, then sign."
    ]
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_the_signature_is_dated_when_it_is_given_after_the_session(alice_actor, pat):
    course = make_course(alice_actor, pat, start_date=TODAY() + dt.timedelta(days=2))
    give_consent(alice_actor, course)
    session = course.sessions.get(number=1)
    signing_time = session.scheduled_at + dt.timedelta(hours=1, minutes=5)
    with time_machine.travel(signing_time, tick=False):
        complete_checklist(alice_actor, session)
        note = make_note(alice_actor, session)
        add_injection(alice_actor, note)

        note = note_sign(actor=alice_actor, note=note)

    assert note.signed_at == signing_time
    assert note.signed_at >= session.scheduled_at


# 3. An injection's structure agrees with its coded site.


def test_a_ligament_at_the_patellar_tendon_is_refused_naming_what_the_site_allows(
    alice_actor, session
):
    note = make_note(alice_actor, session)

    with pytest.raises(ValidationError) as refused:
        add_injection(alice_actor, note, site_code="knee-patellar-tendon", structure="ligament")

    assert refused.value.message_dict == {
        "structure": [
            "Target structure: at Knee, patellar tendon it is Tendon or Enthesis, not "
            "Ligament. Choose Tendon or Enthesis, or the site that was injected."
        ]
    }
    assert not Injection.objects.filter(note=note).exists()


@pytest.mark.parametrize(
    ("site", "structure"),
    [
        ("knee-patellar-tendon", "tendon"),
        ("knee-patellar-tendon", "enthesis"),  # its insertion
        ("knee-mcl", "enthesis"),
        ("knee-ia", "joint"),
        ("foot-plantar-fascia", "enthesis"),
    ],
)
def test_a_structure_of_the_site_is_accepted(alice_actor, session, site, structure):
    note = make_note(alice_actor, session)

    injection = add_injection(alice_actor, note, site_code=site, structure=structure)

    assert (injection.site_code, injection.structure) == (site, structure)


@pytest.mark.parametrize("structure", ["ligament", "tendon", "nerve", "other"])
def test_a_joint_site_takes_only_the_joint(alice_actor, session, structure):
    note = make_note(alice_actor, session)

    with pytest.raises(ValidationError) as refused:
        add_injection(alice_actor, note, site_code="knee-ia", structure=structure)

    assert "at Knee joint (intra-articular) it is Joint," in refused.value.messages[0]


def test_an_other_site_takes_any_structure(alice_actor, session):
    note = make_note(alice_actor, session)

    injection = add_injection(
        alice_actor, note, site_code="other", site_detail="Saphenous nerve", structure="nerve"
    )

    assert injection.structure == "nerve"


def test_a_template_plan_refuses_a_structure_its_site_does_not_have(adam_actor):
    template = protocol_copy(actor=adam_actor, key="knee-oa-rabago-2013")
    line = {
        "site_code": "knee-patellar-tendon",
        "structure": "ligament",
        "volume_ml": Decimal("0.5"),
        "dextrose_percent": Decimal(15),
        "anaesthetic": "lidocaine",
        "anaesthetic_percent": Decimal("0.5"),
    }

    with pytest.raises(ValidationError) as refused:
        protocol_injection_add(actor=adam_actor, protocol=template, **line)

    assert refused.value.message_dict["structure"][0].startswith(
        "Target structure: at Knee, patellar tendon it is Tendon or Enthesis"
    )
    template.refresh_from_db()
    assert len(template.injections) == 7


def test_every_coded_site_and_library_plan_agrees_with_the_rule():
    assert all(site.allows(site.structure) for site in SITES)
    for protocol in LIBRARY:
        for line in protocol.injections:
            planned = line.as_json()
            problem = site_structure_problem(planned["site_code"], planned["structure"])
            assert problem is None, (protocol.key, planned)


# 4. The course's first session without a baseline questionnaire.


def _baseline(actor, course) -> None:
    answers = {item.id: 6 for item in INSTRUMENTS["pain_nrs"].items}
    questionnaire_record(
        actor=actor,
        patient=course.patient,
        instrument="pain_nrs",
        answers=answers,
        answered_on=TODAY(),
        course=course,
        timepoint="baseline",
    )


def test_the_first_session_without_a_baseline_is_not_signed_by_accident(alice_actor, session, note):
    complete_checklist(alice_actor, session, no_baseline_reason="")

    assert _blockers(alice_actor, note) == [
        "No baseline questionnaire yet (Pain numeric rating scale (0–10)): this course will not count "
        "in outcome reports once this session is signed. Record the baseline questionnaire "
        "first, or give the reason for going ahead without it in the checklist."
    ]


def test_a_reason_for_going_ahead_without_a_baseline_is_kept_audited_and_lets_it_sign(
    alice_actor, alice, pat, session, note
):
    reason = "Patient arrived late; no time for the questionnaire before the injections."

    checklist = complete_checklist(alice_actor, session, no_baseline_reason=f"  {reason} ")

    assert (checklist.no_baseline_reason, checklist.no_baseline_by) == (reason, alice)
    assert checklist.no_baseline_at is not None
    event = AuditEvent.objects.get(object_type="checklist", action="create")
    assert event.patient == pat
    assert event.changes["no_baseline_reason"] == reason
    note_sign(actor=alice_actor, note=note)


def test_a_recorded_baseline_needs_no_reason_and_a_reason_given_anyway_is_not_kept(
    alice_actor, course, session, note
):
    _baseline(alice_actor, course)

    checklist = complete_checklist(alice_actor, session, no_baseline_reason="Just in case.")

    assert checklist.no_baseline_reason == ""
    note_sign(actor=alice_actor, note=note)


def test_a_later_session_needs_no_baseline_decision(alice_actor, pat):
    from prolo.testing import signed_session

    first = signed_session(alice_actor, pat)
    second = first.course.sessions.get(number=2)
    with time_machine.travel(second.scheduled_at + dt.timedelta(minutes=30)):
        complete_checklist(alice_actor, second, no_baseline_reason="")
        note = make_note(alice_actor, second)
        add_injection(alice_actor, note)

        note_sign(actor=alice_actor, note=note)


def test_a_too_long_reason_is_refused_naming_the_field(alice_actor, session):
    with pytest.raises(ValidationError) as refused:
        checklist_save(actor=alice_actor, session=session, no_baseline_reason="x" * 1001)

    assert refused.value.message_dict == {
        "no_baseline_reason": ["Keep the reason to 1000 characters or fewer."]
    }
    assert not Checklist.objects.filter(session=session).exists()
