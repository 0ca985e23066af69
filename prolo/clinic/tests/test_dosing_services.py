"""The session's dose summary, signing against the ceiling, the override, the clinic's limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import (
    AnaestheticLimit,
    AuditEvent,
    Checklist,
    ClinicSettings,
    Injection,
    ProcedureNote,
    Syringe,
)
from prolo.clinic.safety.dosing import CHILD_SOURCE, AgentTotal, Ceiling, Status, show_percent
from prolo.clinic.services.dosing import (
    anaesthetic_limit_update,
    dose_override_record,
    session_dose_summary,
)
from prolo.clinic.services.patients import weight_record
from prolo.clinic.services.sessions import injection_remove, note_sign
from prolo.testing import add_injection, complete_checklist, give_consent, make_course, make_note

D = Decimal
OVER_MESSAGE = "Lidocaine is over the ceiling (106.7% combined): record an override reason to sign."


@pytest.fixture
def session(alice_actor, pat):
    course = make_course(alice_actor, pat)
    give_consent(alice_actor, course)  # so that signing is blocked only by the dose checks
    return course.sessions.get(number=1)


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


def _make_child(alice_actor, session, pat, age: int = 15) -> None:
    """Pat born on 1 January `age` years ago (exactly `age` at today's session), weighed 50 kg;
    under 18, the physician acknowledges the screening's paediatric caution."""
    today = clinic_today(alice_actor.clinic)
    type(pat).objects.filter(pk=pat.pk).update(date_of_birth=dt.date(today.year - age, 1, 1))
    caution = {"acknowledgement": "Guardian consents; treated as in the trials"} if age < 18 else {}
    complete_checklist(alice_actor, session, weight_kg=D(50), **caution)


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


def test_a_page_that_has_loaded_the_record_passes_it_in_and_saves_the_reads(
    alice_actor, nora_actor, session, note, pat, django_assert_num_queries
):
    complete_checklist(nora_actor, session, weight_kg=D(50))
    for _ in range(3):
        _lidocaine(alice_actor, note, 2)
    loaded = ProcedureNote.objects.prefetch_related("injections").get(pk=note.pk)
    injections = list(loaded.injections.all())
    settings = ClinicSettings(clinic_id=pat.clinic_id)
    fresh = session_dose_summary(session)
    # The weight and the limits: the caller has the rest.
    with django_assert_num_queries(2):
        passed = session_dose_summary(
            session, patient=pat, note=loaded, injections=injections, settings=settings
        )
    assert passed.summary == fresh.summary


def test_injections_passed_in_bring_their_syringes_in_one_query(
    alice, alice_actor, nora_actor, session, note, pat, django_assert_num_queries
):
    complete_checklist(nora_actor, session, weight_kg=D(50))
    for label in "ABC":
        syringe = Syringe.objects.create(
            session=session,
            label=label,
            final_volume_ml=D(10),
            dextrose_percent=D(15),
            anaesthetics={"lidocaine": {"percent": "1", "epinephrine": False}},
            created_by=alice,
        )
        injection = _lidocaine(alice_actor, note, 2, percent="0.5")
        Injection.objects.filter(pk=injection.pk).update(syringe=syringe)
    injections = list(Injection.objects.filter(note=note))
    settings = ClinicSettings(clinic_id=pat.clinic_id)
    with django_assert_num_queries(4):  # syringes, weight, limits, note
        dose = session_dose_summary(session, patient=pat, injections=injections, settings=settings)
    (lidocaine,) = dose.summary.agents
    assert lidocaine.mg == 60  # each 2 mL from a 1% syringe, not the injection's 0.5%


def test_the_clinic_chooses_when_to_warn(clinic, alice_actor, nora_actor, session, note):
    _settings(clinic, dose_warn_percent=50)
    complete_checklist(nora_actor, session, weight_kg=D(50))
    _lidocaine(alice_actor, note, 12)  # 120 of 225 mg: 53%
    assert session_dose_summary(session).status == Status.WARN


# The weight


def test_signing_is_blocked_without_a_recent_weight(alice_actor, nora_actor, session, note, pat):
    complete_checklist(nora_actor, session, weight_kg=D(50))
    _lidocaine(alice_actor, note, 1)
    pat.weights.update(measured_on=clinic_today(alice_actor.clinic) - dt.timedelta(days=31))

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
    today = clinic_today(alice_actor.clinic)
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
    assert reason.changes["dose_override_percent"] == [None, "106.667"]


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


# Under 18


def test_under_18_signing_needs_a_physicians_dose_sign_off_even_at_10_percent(
    alice_actor, session, note, pat
):
    _make_child(alice_actor, session, pat)
    _lidocaine(alice_actor, note, "4.5", percent="0.5")  # 22.5 of 225 mg: 10%
    dose = session_dose_summary(session)
    assert (dose.child, dose.status, show_percent(dose.summary.combined_percent)) == (
        True,
        Status.OK,
        "10",
    )
    assert _sign_errors(alice_actor, note) == [
        "The patient is under 18 (age 15): record a physician's dose sign-off reason to sign, "
        f"whatever the share of the ceiling (now 10% combined). {CHILD_SOURCE}."
    ]
    assert "[R44]" in CHILD_SOURCE
    assert "[R65]" in CHILD_SOURCE

    dose_override_record(
        actor=alice_actor, note=note, reason="Osgood–Schlatter, 40 kg, parent present"
    )
    note_sign(actor=alice_actor, note=note)
    note.refresh_from_db()
    assert note.is_signed
    assert note.dose_override_reason == "Osgood–Schlatter, 40 kg, parent present"


def test_the_clinics_under_18_factor_reduces_a_childs_ceiling(
    clinic, alice_actor, session, note, pat
):
    _settings(clinic, child_factor=D("0.5"))
    _make_child(alice_actor, session, pat, age=12)
    _lidocaine(alice_actor, note, 9)  # 90 mg
    dose = session_dose_summary(session)
    (lidocaine,) = dose.summary.agents
    assert [(f.reason, f.value) for f in dose.summary.factors] == [("age 12 (under 18)", D("0.5"))]
    assert _ceiling(lidocaine).mg == D("112.5")  # 4.5 × 50 = 225, × 0.5
    assert _ceiling(lidocaine).working().endswith("× 0.50 for age 12 (under 18)")
    assert show_percent(lidocaine.percent) == "80"


def test_more_anaesthetic_after_a_childs_sign_off_needs_a_new_one(alice_actor, session, note, pat):
    _make_child(alice_actor, session, pat)
    _lidocaine(alice_actor, note, "4.5", percent="0.5")
    dose_override_record(actor=alice_actor, note=note, reason="Adolescent, monitored")
    _lidocaine(alice_actor, note, "4.5", percent="0.5")  # now 20%

    assert _sign_errors(alice_actor, note) == [
        "The anaesthetic total rose to 20% of the ceiling after the dose sign-off was recorded "
        "for 10%: record a new dose sign-off reason to sign."
    ]


def test_a_child_over_the_ceiling_needs_one_sign_off_that_says_both(
    alice_actor, session, note, pat
):
    _make_child(alice_actor, session, pat)
    _lidocaine(alice_actor, note, 24)  # 240 of 225 mg
    (message,) = _sign_errors(alice_actor, note)
    assert message.startswith(
        "The patient is under 18 (age 15): record a physician's dose sign-off reason to sign, "
        "whatever the share of the ceiling (now 106.7% combined, over the ceiling)."
    )
    dose_override_record(actor=alice_actor, note=note, reason="Justified and monitored")
    note_sign(actor=alice_actor, note=note)


def test_a_childs_dose_sign_off_needs_anaesthetic_to_sign_off(alice_actor, session, note, pat):
    _make_child(alice_actor, session, pat)
    with pytest.raises(ValidationError) as exc:
        dose_override_record(actor=alice_actor, note=note, reason="In advance")
    assert exc.value.messages == [
        "No local anaesthetic is recorded yet, so there is no dose to sign off."
    ]


def test_a_childs_dose_sign_off_needs_a_reason_named_on_its_field(alice_actor, session, note, pat):
    _make_child(alice_actor, session, pat)
    _lidocaine(alice_actor, note, 1)
    with pytest.raises(ValidationError) as exc:
        dose_override_record(actor=alice_actor, note=note, reason=" ")
    assert exc.value.message_dict == {"reason": ["Give the reason for the dose sign-off."]}


def test_a_patient_who_has_turned_18_signs_without_a_dose_sign_off(alice_actor, session, note, pat):
    _make_child(alice_actor, session, pat, age=18)
    _lidocaine(alice_actor, note, "4.5", percent="0.5")
    assert not session_dose_summary(session).child
    note_sign(actor=alice_actor, note=note)


@pytest.mark.parametrize("who", ["nora_actor", "pete_actor", "adam_actor"])
def test_only_a_physician_records_a_childs_dose_sign_off(
    request, alice_actor, session, note, pat, who
):
    _make_child(alice_actor, session, pat)
    _lidocaine(alice_actor, note, 1)
    with pytest.raises(PermissionDenied):
        dose_override_record(actor=request.getfixturevalue(who), note=note, reason="Because")


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
        ({"cap_mg_epinephrine": None}, "cap_mg_epinephrine"),
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


LIDOCAINE_LIMIT = {
    "mg_per_kg": D("4.5"),
    "cap_mg": 300,
    "mg_per_kg_epinephrine": D(7),
    "cap_mg_epinephrine": 500,
    "source": "Label",
    "verified": False,
}


def test_with_a_plain_cap_the_epinephrine_cap_is_required_and_says_why(adam_actor):
    with pytest.raises(ValidationError) as exc:
        anaesthetic_limit_update(
            actor=adam_actor, agent="lidocaine", **(LIDOCAINE_LIMIT | {"cap_mg_epinephrine": None})
        )
    assert exc.value.message_dict == {
        "cap_mg_epinephrine": [
            "Give the maximum with epinephrine too: the limit without epinephrine has one, and "
            "without it the ceiling with epinephrine would rise with weight alone."
        ]
    }


def test_emptying_only_the_epinephrine_cap_of_a_saved_limit_is_refused(adam_actor, clinic):
    anaesthetic_limit_update(actor=adam_actor, agent="lidocaine", **LIDOCAINE_LIMIT)
    with pytest.raises(ValidationError) as exc:
        anaesthetic_limit_update(
            actor=adam_actor,
            agent="lidocaine",
            mg_per_kg=D("4.5"),
            source="Label",
            cap_mg_epinephrine=None,
        )
    assert "cap_mg_epinephrine" in exc.value.message_dict
    assert AnaestheticLimit.objects.get(clinic=clinic, agent="lidocaine").cap_mg_epinephrine == 500


def test_without_a_plain_cap_the_epinephrine_cap_may_stay_empty(adam_actor, clinic):
    anaesthetic_limit_update(
        actor=adam_actor,
        agent="ropivacaine",
        **(LIDOCAINE_LIMIT | {"cap_mg": None, "cap_mg_epinephrine": None}),
    )
    assert AnaestheticLimit.objects.get(clinic=clinic, agent="ropivacaine").cap_mg is None


def test_a_saved_limit_missing_its_epinephrine_cap_falls_back_to_the_plain_cap(
    clinic, alice_actor, nora_actor, session, note
):
    AnaestheticLimit.objects.create(  # saved before the cap was required
        clinic=clinic,
        agent="lidocaine",
        mg_per_kg=D("4.5"),
        cap_mg=300,
        mg_per_kg_epinephrine=D(7),
        cap_mg_epinephrine=None,
        source="Old row",
    )
    complete_checklist(nora_actor, session, weight_kg=D(100))
    _lidocaine(alice_actor, note, 16, epinephrine=True)
    _lidocaine(alice_actor, note, 15, epinephrine=True)  # 310 mg in all
    (lidocaine,) = session_dose_summary(session).summary.agents
    assert _ceiling(lidocaine).mg == 300  # not 7 mg/kg × 100 kg = 700 mg
    assert lidocaine.status == Status.OVER


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


# A later weight never changes a past session


@pytest.fixture
def past_session(alice_actor, nora_actor, session, pat):
    """Today's session moved 10 days back, its checklist weight (60 kg) dated 1 day before it."""
    complete_checklist(nora_actor, session, weight_kg=D(60))
    type(session).objects.filter(pk=session.pk).update(
        scheduled_at=session.scheduled_at - dt.timedelta(days=10)
    )
    session.refresh_from_db()
    day = timezone.localtime(session.scheduled_at).date()
    pat.weights.update(measured_on=day - dt.timedelta(days=1))
    # Anti-inflammatories stopped a week before the session's new day, longer than the hold.
    Checklist.objects.filter(session=session).update(nsaids_stopped_on=day - dt.timedelta(days=7))
    return session


def _weigh_later(nora_actor, pat, kg, height=None) -> None:
    weight_record(actor=nora_actor, patient=pat, weight_kg=D(kg), height_cm=height)  # today


def test_a_weight_measured_after_the_session_never_lifts_its_ceiling(
    alice_actor, nora_actor, past_session, pat
):
    # 28 mL of 1% lidocaine for 60 kg: 280 of 270 mg. A 75 kg weight recorded at the next
    # visit used to make it 280 of 300 mg, a warning, and the note signed with no override.
    note = make_note(alice_actor, past_session)
    _lidocaine(alice_actor, note, 28)
    assert session_dose_summary(past_session).status == Status.OVER
    _weigh_later(nora_actor, pat, 75)
    dose = session_dose_summary(past_session)
    assert dose.weight is not None
    assert (dose.weight.weight_kg, dose.status) == (60, Status.OVER)
    assert "Lidocaine is over the ceiling (103.7% combined)" in _sign_errors(alice_actor, note)[0]


def test_signing_keeps_the_weight_and_ceilings_the_dose_was_judged_against(
    alice_actor, nora_actor, past_session, pat
):
    note = make_note(alice_actor, past_session)
    _lidocaine(alice_actor, note, 20)  # 200 of 270 mg: 74.1%
    note_sign(actor=alice_actor, note=note)
    note.refresh_from_db()
    day = timezone.localtime(past_session.scheduled_at).date()
    assert (note.dose_weight_kg, note.dose_weight_measured_on) == (60, day - dt.timedelta(1))
    assert note.dose_combined_percent == D("74.0741")  # rounded up, never down
    (lido,) = note.dose_figures["agents"]
    assert (lido["ceiling_mg"], lido["percent_shown"], lido["status"]) == ("270", "74.1", "ok")
    assert lido["working"].startswith("4.5 mg/kg × 60 kg = 270 mg; cap 300 mg")
    assert note.dose_figures["weight_basis"] == "actual"
    # In the same audited change set as the signature.
    events = AuditEvent.objects.filter(object_code=str(note.code))
    assert any("dose_figures" in e.changes for e in events)

    # A lower limit and a later weight afterwards: the signed note still reads as signed.
    AnaestheticLimit.objects.create(
        clinic=pat.clinic, agent="lidocaine", mg_per_kg=D(2), cap_mg=100, source="x"
    )
    _weigh_later(nora_actor, pat, 40)
    dose = session_dose_summary(past_session)
    assert dose.signed_figures is not None
    assert dose.signed_figures["agents"][0]["ceiling_mg"] == "270"


WEIGHTS = st.decimals(min_value=D(30), max_value=D(200), places=1)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    before=WEIGHTS,
    later=WEIGHTS,
    days_after=st.integers(min_value=1, max_value=10),
    ml=st.decimals(min_value=D(1), max_value=D(30), places=1),
    sign=st.booleans(),
)
def test_a_later_weight_never_changes_a_past_sessions_status(
    alice_actor, nora_actor, past_session, pat, before, later, days_after, ml, sign
):
    day = timezone.localtime(past_session.scheduled_at).date()
    with transaction.atomic():
        pat.weights.update(weight_kg=before)
        note = make_note(alice_actor, past_session)
        _lidocaine(alice_actor, note, ml)
        first = session_dose_summary(past_session)
        if sign:
            if first.needs_override:
                dose_override_record(actor=alice_actor, note=note, reason="Monitored")
            note_sign(actor=alice_actor, note=note)
            first = session_dose_summary(past_session)
        later_day = min(day + dt.timedelta(days=days_after), timezone.localdate())
        weight_record(actor=nora_actor, patient=pat, weight_kg=later, measured_on=later_day)
        then = session_dose_summary(past_session)
        assert (then.status, then.summary.combined_percent) == (
            first.status,
            first.summary.combined_percent,
        )
        assert then.signed_figures == first.signed_figures
        transaction.set_rollback(True)


# No ceiling without a maximum


def _ropivacaine(actor, note, ml):
    return add_injection(
        actor, note, anaesthetic="ropivacaine", anaesthetic_percent=D("0.2"), volume_ml=D(ml)
    )


def test_an_agent_with_no_cap_needs_an_override_until_the_clinic_sets_one(
    adam_actor, alice_actor, nora_actor, session, note
):
    complete_checklist(nora_actor, session, weight_kg=D(350))
    _ropivacaine(alice_actor, note, 10)  # 20 mg: "0.2% of 1,050 mg" before, and it signed
    dose = session_dose_summary(session)
    assert dose.summary.agents[0].ceiling is None
    assert dose.status == Status.NO_CAP
    (message,) = _sign_errors(alice_actor, note)
    assert message.startswith(
        "No cap configured for ropivacaine — set one in the clinic's anaesthetic limits"
    )
    assert "a physician records an override to sign" in message

    dose_override_record(actor=alice_actor, note=note, reason="Ropivacaine 20 mg, monitored")
    _ropivacaine(alice_actor, note, 5)  # more than the override covered
    assert "override again" in _sign_errors(alice_actor, note)[0]

    anaesthetic_limit_update(
        actor=adam_actor, agent="ropivacaine", mg_per_kg=D(3), cap_mg=D(225), source="Label"
    )
    note_sign(actor=alice_actor, note=note)  # 30 of 225 mg: nothing to override


# The dosing weight in obesity


def test_ideal_weight_dosing_without_a_height_blocks_signing_and_says_why(
    clinic, alice_actor, nora_actor, session, note
):
    _settings(clinic, dose_weight_basis="ideal")
    complete_checklist(nora_actor, session, weight_kg=D(120))
    _lidocaine(alice_actor, note, 5)
    dose = session_dose_summary(session)
    assert (dose.weight is not None, dose.dosing_weight, dose.status) == (
        True,
        None,
        Status.INCOMPLETE,
    )
    assert _sign_errors(alice_actor, note) == [
        "The clinic doses by ideal body weight, which needs the patient's height: record it "
        "with the weight. Without it the ceiling cannot be worked out."
    ]


def test_adjusted_weight_dosing_uses_the_height_and_shows_its_working(
    clinic, alice_actor, nora_actor, session, note, pat
):
    _settings(clinic, dose_weight_basis="adjusted")
    type(pat).objects.filter(pk=pat.pk).update(sex="male")
    complete_checklist(nora_actor, session, weight_kg=D(120))
    weight_record(actor=nora_actor, patient=pat, weight_kg=D(120), height_cm=D(180))
    _lidocaine(alice_actor, note, 5)
    dose = session_dose_summary(session)
    assert dose.dosing_weight_kg == D("92.9")  # 74.84 + 0.4 × (120 − 74.84), down to 0.1
    assert _ceiling(dose.summary.agents[0]).mg == D("300")  # min(4.5 × 92.9 = 418.05, 300)
    note_sign(actor=alice_actor, note=note)
    note.refresh_from_db()
    assert note.dose_figures["dosing_weight_kg"] == "92.9"
    assert "adjusted = 74.84 + 0.4 × (120 − 74.84)" in note.dose_figures["weight_working"]


# More agents


def test_mepivacaine_and_procaine_have_built_in_limits_with_their_sources(
    alice_actor, nora_actor, session, note
):
    complete_checklist(nora_actor, session, weight_kg=D(50))
    add_injection(alice_actor, note, anaesthetic="mepivacaine", anaesthetic_percent=D(1))
    add_injection(alice_actor, note, anaesthetic="procaine", anaesthetic_percent=D(1))
    mepi, proc = session_dose_summary(session).summary.agents
    assert (_ceiling(mepi).mg, _ceiling(proc).mg) == (350, 350)  # min(7 × 50, 400 / 350)
    assert "Carbocaine label" in _ceiling(mepi).source
    assert "Novocain label" in _ceiling(proc).source
    assert "unverified" in _ceiling(proc).source


def test_an_unknown_agent_is_refused_naming_every_agent(adam_actor):
    with pytest.raises(ValidationError) as exc:
        anaesthetic_limit_update(actor=adam_actor, agent="cocaine", mg_per_kg=D(1), source="x")
    assert exc.value.message_dict["agent"] == [
        "Choose lidocaine, bupivacaine, ropivacaine, mepivacaine or procaine."
    ]
