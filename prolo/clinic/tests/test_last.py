"""The 20% lipid emulsion doses for local anaesthetic systemic toxicity (ASRA 2020 [R52][R53])."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prolo.clinic.safety.last import CHECKLIST, SIGNS, lipid_plan

D = Decimal


def test_a_60_kg_patient_gets_90_ml_then_15_ml_a_minute_up_to_720_ml():
    plan = lipid_plan(D(60))
    assert plan.bolus_ml == 90
    assert plan.infusion_ml_per_min == 15
    assert plan.upper_limit_ml == 720
    assert plan.bolus.text == "Bolus 90 mL over 2–3 minutes"
    assert plan.bolus.working == "1.5 mL/kg × 60 kg = 90 mL (70 kg or less)"
    assert plan.infusion.text == "Then an infusion of 15 mL/min"
    assert plan.infusion.working == "0.25 mL/kg/min × 60 kg = 15 mL/min"
    assert "double the infusion to 30 mL/min" in plan.unstable.text
    assert plan.upper_limit.working == "12 mL/kg × 60 kg = 720 mL"


def test_at_exactly_70_kg_the_per_kg_rule_still_applies():
    plan = lipid_plan(D(70))
    assert plan.per_kg
    assert plan.bolus_ml == 105
    assert plan.infusion_ml_per_min == D("17.5")
    assert plan.upper_limit_ml == 840


def test_just_over_70_kg_the_doses_are_fixed():
    plan = lipid_plan(D("70.1"))
    assert not plan.per_kg
    assert plan.bolus_ml == 100
    assert plan.infusion_ml_per_min is None
    assert plan.infusion.text == "Then an infusion of 200–250 mL over 15–20 minutes"
    assert "10 mL/min to 250 mL ÷ 15 min = 16.7 mL/min" in plan.infusion.working
    # The upper limit still scales with weight, rounded down so it is never overstated.
    assert plan.upper_limit.text == "Upper limit about 841 mL in total"


def test_a_heavy_patient_still_gets_the_fixed_100_ml_bolus():
    plan = lipid_plan(D(120))
    assert plan.bolus_ml == 100
    assert plan.upper_limit_ml == 1440


def test_without_a_weight_it_shows_the_rules_and_invents_no_weight():
    plan = lipid_plan(None)
    assert plan.weight_kg is None
    assert plan.bolus_ml is None
    assert plan.upper_limit_ml is None
    assert "100 mL if over 70 kg; 1.5 mL/kg if 70 kg or less" in plan.bolus.text
    assert "200–250 mL over 15–20 minutes if over 70 kg" in plan.infusion.text
    assert "0.25 mL/kg/min if 70 kg or less" in plan.infusion.text
    assert plan.upper_limit.text == "Upper limit about 12 mL/kg in total"
    assert "No weight is recorded" in plan.bolus.working


def test_every_amount_sign_and_step_names_its_source():
    for weight in (D(60), D(80), None):
        for amount in lipid_plan(weight).amounts:
            assert "[R5" in amount.source
    assert all(sign.source.startswith("[R49]") for sign in SIGNS)
    assert all(step.source.startswith("[R52]") for step in CHECKLIST)


def test_a_weight_of_zero_is_refused():
    with pytest.raises(ValueError, match="above 0"):
        lipid_plan(D(0))


def test_the_checklist_has_the_asra_2020_steps_after_the_ones_to_do_now():
    from prolo.clinic.safety.last import DO_NOW, THEN

    assert CHECKLIST[: len(DO_NOW)] == DO_NOW
    assert DO_NOW[0].action == "Stop injecting local anaesthetic"
    actions = [step.action for step in THEN]
    assert actions == [
        "Alert the nearest facility with cardiopulmonary bypass capability",
        "Avoid propofol when there are signs of cardiovascular instability",
        "Treat hypotension and bradycardia",
        "If cardiac arrest: CPR with modified ACLS",
        "Prolonged monitoring",
    ]
    arrest = THEN[3].detail
    for part in ("epinephrine (≤ 1 µg/kg)", "vasopressin", "calcium-channel blockers"):
        assert part in arrest
    assert "β-blockers and further local anaesthetic; continue the lipid emulsion" in arrest
    assert "At least 2 hours after a seizure" in THEN[4].detail
    assert "4–6 hours after cardiovascular signs" in THEN[4].detail
    # Not quoted by the domain notes, so each says to check it against the checklist.
    assert all(step.verify and "verify against the checklist" in step.verify_note for step in THEN)
    assert not any(step.verify for step in DO_NOW)
