"""The session's dose summary, signing against the ceiling, the override, the clinic's limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prolo.clinic.models import AnaestheticLimit, AuditEvent, ClinicSettings, Syringe
from prolo.clinic.safety.dosing import AgentTotal, Ceiling, Status, show_percent
from prolo.clinic.services.dosing import (
    OVERRIDE_COVERS,
    anaesthetic_limit_update,
    dose_override_record,
    session_dose_summary,
)
from prolo.clinic.services.patients import weight_record
from prolo.clinic.services.sessions import injection_remove, note_sign
from prolo.testing import add_injection, complete_checklist, make_course, make_note

D = Decimal
OVER_MESSAGE = "Lidocaine is over the ceiling (106.7% combined): record an override reason to sign."


@pytest.fixture
def session(alice_actor, pat):
    return make_course(alice_actor, pat).sessions.get(number=1)


@pytest.fixture
def note(alice_actor, session):
    return make_note(alice_actor, session)


def _lidocaine(actor, note, ml, percent="1", **fields):
    return add_injection(actor, note, anaesthetic_percent=D(percent), volume_ml=D(ml), **fields)


@pytest.fixture
def over_note(alice_actor, nora_actor, session, note):
    """A 50 kg patient given three 8 mL injections of 1% lidocaine: 240 mg against 225 mg."""
    complete_checklist(nora_actor, session, weight_kg=D(50))
    for _ in range(3):
        _lidocaine(alice_actor, note, 8)
    return note


def _ceiling(total: AgentTotal) -> Ceiling:
    assert total.ceiling is not None
    return total.ceiling


def _settings(clinic, **values):
    ClinicSettings.objects.update_or_create(clinic=clinic, defaults=values)


def _sign_errors(actor, note) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        note_sign(actor=actor, note=note)
    note.refresh_from_db()
    assert not note.is_signed
    return exc.value.messages


# The summary


def test_the_summary_totals_lidocaine_against_a_weight_based_ceiling(over_note, session):
    dose = session_dose_summary(session)
    (lidocaine,) = dose.summary.agents
    assert (lidocaine.mg, lidocaine.volume_ml, lidocaine.doses) == (240, 24, 3)
    assert _ceiling(lidocaine).mg == 225
    assert _ceiling(lidocaine).working().startswith("4.5 mg/kg × 50 kg = 225 mg; cap 300 mg")
    assert show_percent(dose.summary.combined_percent) == "106.7"
    assert dose.status == Status.OVER


def test_every_number_carries_its_source_and_says_it_is_a_default(over_note, session):
    (lidocaine,) = session_dose_summary(session).summary.agents
    assert "Xylocaine label [R22][R44]" in _ceiling(lidocaine).source
    assert "built-in default: this clinic has not set its own limit" in _ceiling(lidocaine).source
    assert "unverified" in _ceiling(lidocaine).source


def test_the_clinics_own_limit_replaces_the_built_in_default(adam_actor, over_note, session):
    anaesthetic_limit_update(
        actor=adam_actor,
        agent="lidocaine",
        mg_per_kg=D(5),
        cap_mg=300,
        mg_per_kg_epinephrine=None,
        cap_mg_epinephrine=None,
        source="Our formulary, 2026",
        verified=True,
    )
    (lidocaine,) = session_dose_summary(session).summary.agents
    assert _ceiling(lidocaine).mg == 250
    assert _ceiling(lidocaine).source == "Our formulary, 2026"
    assert lidocaine.status == Status.WARN  # 240 of 250 mg: 96%


def test_a_syringes_concentration_counts_for_its_injections(alice, alice_actor, session, note):
    syringe = Syringe.objects.create(
        session=session,
        label="A",
        final_volume_ml=D(10),
        dextrose_percent=D(15),
        anaesthetics={
            "lidocaine": {"percent": "1", "epinephrine": False},
            "bupivacaine": {"percent": "0.25", "epinephrine": False},
        },
        created_by=alice,
    )
    injection = _lidocaine(alice_actor, note, 4, percent="0.5")
    type(injection).objects.filter(pk=injection.pk).update(syringe=syringe)
    agents = {a.agent: a.mg for a in session_dose_summary(session).summary.agents}
    assert agents == {"lidocaine": 40, "bupivacaine": 10}


def test_the_summary_costs_the_same_queries_however_many_injections(
    alice_actor, nora_actor, session, note, django_assert_max_num_queries
):
    complete_checklist(nora_actor, session, weight_kg=D(70))
    _lidocaine(alice_actor, note, 1)
    with django_assert_max_num_queries(7) as one:
        session_dose_summary(session)
    for _ in range(6):
        _lidocaine(alice_actor, note, 1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        session_dose_summary(session)


def test_the_patients_factors_reduce_the_ceiling(clinic, alice_actor, over_note, session, pat):
    _settings(clinic, hepatic_factor=D("0.5"), elderly_age=90)
    type(pat).objects.filter(pk=pat.pk).update(hepatic_disease=True)
    dose = session_dose_summary(session)
    (lidocaine,) = dose.summary.agents
    assert [f.reason for f in dose.summary.factors] == ["liver disease"]
    assert _ceiling(lidocaine).mg == D("112.5")  # 225 × 0.5


def test_the_clinic_chooses_when_to_warn(clinic, alice_actor, nora_actor, session, note):
    _settings(clinic, dose_warn_percent=50)
    complete_checklist(nora_actor, session, weight_kg=D(50))
    _lidocaine(alice_actor, note, 12)  # 120 of 225 mg: 53%
    assert session_dose_summary(session).status == Status.WARN


# The weight


def test_signing_is_blocked_without_a_recent_weight(alice_actor, nora_actor, session, note, pat):
    complete_checklist(nora_actor, session, weight_kg=D(50))
    _lidocaine(alice_actor, note, 1)
    pat.weights.update(measured_on=timezone.localdate() - dt.timedelta(days=31))

    dose = session_dose_summary(session)
    assert dose.weight is None
    assert dose.status == Status.INCOMPLETE
    assert _sign_errors(alice_actor, note) == [
        "There is no recent weight: record the patient's weight (within 30 days of the session) "
        "to work out the anaesthetic ceiling."
    ]


def test_the_latest_weight_within_the_clinics_window_counts(
    clinic, alice_actor, nora_actor, session, note, pat
):
    _settings(clinic, weight_max_age_days=7)
    today = timezone.localdate()
    weight_record(
        actor=nora_actor, patient=pat, weight_kg=D(90), measured_on=today - dt.timedelta(8)
    )
    weight_record(
        actor=nora_actor, patient=pat, weight_kg=D(60), measured_on=today - dt.timedelta(7)
    )
    weight_record(
        actor=nora_actor, patient=pat, weight_kg=D(62), measured_on=today - dt.timedelta(3)
    )
    weight = session_dose_summary(session).weight
    assert weight is not None
    assert weight.weight_kg == 62


# Signing and the override


def test_signing_is_blocked_above_the_ceiling_until_an_override_is_recorded(alice_actor, over_note):
    assert _sign_errors(alice_actor, over_note) == [OVER_MESSAGE]

    dose_override_record(actor=alice_actor, note=over_note, reason="Large joint, monitored 30 min")
    note_sign(actor=alice_actor, note=over_note)

    over_note.refresh_from_db()
    assert over_note.is_signed
    assert over_note.dose_override_reason == "Large joint, monitored 30 min"


def test_the_override_is_audited_with_its_reason_and_the_total_it_covers(
    alice, alice_actor, over_note, pat
):
    dose_override_record(actor=alice_actor, note=over_note, reason="Large joint, monitored")

    events = AuditEvent.objects.filter(object_code=str(over_note.code), patient=pat)
    reason = events.get(action="update", changes__has_key="dose_override_reason")
    assert reason.actor == alice
    assert reason.changes["dose_override_reason"] == ["", "Large joint, monitored"]
    covers = events.get(changes__has_key=OVERRIDE_COVERS)
    assert covers.changes[OVERRIDE_COVERS][0] is None
    assert covers.changes[OVERRIDE_COVERS][1].startswith("106.666")


def test_more_anaesthetic_after_the_override_needs_a_new_override(alice_actor, over_note):
    dose_override_record(actor=alice_actor, note=over_note, reason="Large joint")
    _lidocaine(alice_actor, over_note, 1)  # 250 mg: 111.1%

    assert _sign_errors(alice_actor, over_note) == [
        "The anaesthetic total rose to 111.1% of the ceiling after the override was recorded "
        "for 106.7%: record a new override reason to sign."
    ]
    dose_override_record(actor=alice_actor, note=over_note, reason="Still justified")
    note_sign(actor=alice_actor, note=over_note)


def test_less_anaesthetic_after_the_override_still_signs(alice_actor, over_note):
    dose_override_record(actor=alice_actor, note=over_note, reason="Large joint")
    big = _lidocaine(alice_actor, over_note, 2)
    dose_override_record(actor=alice_actor, note=over_note, reason="Larger still")
    injection_remove(actor=alice_actor, injection=big)

    note_sign(actor=alice_actor, note=over_note)


def test_at_the_warning_level_the_note_signs_without_an_override(
    alice_actor, nora_actor, session, note
):
    complete_checklist(nora_actor, session, weight_kg=D(50))
    _lidocaine(alice_actor, note, 18)  # 180 of 225 mg: 80%
    assert session_dose_summary(session).status == Status.WARN
    note_sign(actor=alice_actor, note=note)


def test_an_override_needs_a_reason_named_on_its_field(alice_actor, over_note):
    with pytest.raises(ValidationError) as exc:
        dose_override_record(actor=alice_actor, note=over_note, reason="   ")
    assert exc.value.message_dict == {"reason": ["Give the reason for going over the ceiling."]}


def test_an_override_is_refused_when_the_total_is_within_the_ceiling(
    alice_actor, nora_actor, session, note
):
    complete_checklist(nora_actor, session, weight_kg=D(50))
    _lidocaine(alice_actor, note, 18)
    with pytest.raises(ValidationError) as exc:
        dose_override_record(actor=alice_actor, note=note, reason="Just in case")
    assert exc.value.messages == [
        "The anaesthetic total is not over the ceiling, so there is nothing to override."
    ]
    note.refresh_from_db()
    assert note.dose_override_reason == ""


@pytest.mark.parametrize("who", ["nora_actor", "pete_actor", "adam_actor", "rita_actor"])
def test_only_a_physician_records_an_override(request, over_note, who):
    with pytest.raises(PermissionDenied):
        dose_override_record(actor=request.getfixturevalue(who), note=over_note, reason="Because")


def test_a_signed_note_takes_no_override(alice_actor, over_note):
    dose_override_record(actor=alice_actor, note=over_note, reason="Large joint")
    note_sign(actor=alice_actor, note=over_note)
    with pytest.raises(ValidationError, match="signed and locked"):
        dose_override_record(actor=alice_actor, note=over_note, reason="Again")


def test_bupivacaine_and_lidocaine_together_are_over_though_each_is_under(
    alice_actor, nora_actor, session, note
):
    complete_checklist(nora_actor, session, weight_kg=D(80))
    _lidocaine(alice_actor, note, 20)  # 200 of 300 mg
    add_injection(
        alice_actor, note, anaesthetic="bupivacaine", anaesthetic_percent=D("0.5"), volume_ml=D(20)
    )  # 100 of 160 mg (2 mg/kg × 80): 62.5%
    dose = session_dose_summary(session)
    assert [a.status for a in dose.summary.agents] == [Status.OK, Status.OK]
    assert _sign_errors(alice_actor, note) == [
        "The combined anaesthetic is over the ceiling (129.2% combined): record an override "
        "reason to sign."
    ]


# The clinic's limits


def test_a_manager_sets_a_limit_audited_without_a_patient(adam, adam_actor, clinic):
    limit = anaesthetic_limit_update(
        actor=adam_actor,
        agent="ropivacaine",
        mg_per_kg=D(3),
        cap_mg=200,
        mg_per_kg_epinephrine=None,
        cap_mg_epinephrine=None,
        source="Naropin label, 2026",
        verified=True,
    )
    assert AnaestheticLimit.objects.get(clinic=clinic, agent="ropivacaine") == limit
    event = AuditEvent.objects.get(object_type="anaestheticlimit", action="create")
    assert (event.actor, event.patient) == (adam, None)

    anaesthetic_limit_update(
        actor=adam_actor,
        agent="ropivacaine",
        mg_per_kg=D("2.5"),
        cap_mg=200,
        mg_per_kg_epinephrine=None,
        cap_mg_epinephrine=None,
        source="Naropin label, 2026",
        verified=True,
    )
    update = AuditEvent.objects.get(object_type="anaestheticlimit", action="update")
    assert update.changes == {"mg_per_kg": ["3.00", "2.5"]}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"mg_per_kg": D(0)}, "mg_per_kg"),
        ({"mg_per_kg": None}, "mg_per_kg"),
        ({"cap_mg": 0}, "cap_mg"),
        ({"mg_per_kg_epinephrine": None, "cap_mg_epinephrine": 500}, "mg_per_kg_epinephrine"),
        ({"source": " "}, "source"),
    ],
)
def test_an_impossible_limit_is_refused_on_its_field(adam_actor, values, field):
    fields = {
        "mg_per_kg": D("4.5"),
        "cap_mg": 300,
        "mg_per_kg_epinephrine": D(7),
        "cap_mg_epinephrine": 500,
        "source": "Label",
        "verified": False,
    }
    with pytest.raises(ValidationError) as exc:
        anaesthetic_limit_update(actor=adam_actor, agent="lidocaine", **(fields | values))
    assert field in exc.value.message_dict
    assert not AnaestheticLimit.objects.exists()


def test_an_unknown_agent_is_refused(adam_actor):
    with pytest.raises(ValidationError) as exc:
        anaesthetic_limit_update(actor=adam_actor, agent="cocaine", mg_per_kg=D(1), source="x")
    assert "agent" in exc.value.message_dict


@pytest.mark.parametrize("who", ["nora_actor", "pete_actor", "rita_actor"])
def test_only_a_manager_changes_a_limit(request, who):
    with pytest.raises(PermissionDenied):
        anaesthetic_limit_update(
            actor=request.getfixturevalue(who), agent="lidocaine", mg_per_kg=D(9), source="x"
        )
