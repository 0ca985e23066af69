import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditEvent, Patient, WeightMeasurement
from prolo.clinic.services.patients import (
    allergy_add,
    chart_open,
    condition_add,
    history_item_set_active,
    medication_add,
    patient_history_update,
    patient_register,
    patient_update,
    weight_record,
)

NEW_PATIENT = {
    "mrn": "R-0002",
    "given_name": "Sam",
    "family_name": "Okafor",
    "date_of_birth": dt.date(1980, 1, 31),
    "sex": "male",
}


def test_it_registers_a_patient_in_the_actors_clinic(rita_actor, clinic):
    patient = patient_register(actor=rita_actor, **NEW_PATIENT)

    patient.refresh_from_db()
    assert patient.clinic == clinic
    assert patient.full_name == "Sam Okafor"


def test_it_audits_registration_with_the_entered_fields(rita_actor, clinic, rita):
    patient = patient_register(actor=rita_actor, **NEW_PATIENT)

    event = AuditEvent.objects.get(patient=patient)
    assert (event.actor, event.clinic, event.action) == (rita, clinic, "create")
    assert (event.object_type, event.object_code) == ("patient", str(patient.code))
    assert event.changes["mrn"] == "R-0002"
    assert event.changes["date_of_birth"] == "1980-01-31"


def test_it_strips_surrounding_whitespace(rita_actor):
    patient = patient_register(actor=rita_actor, **{**NEW_PATIENT, "given_name": "  Sam "})

    assert patient.given_name == "Sam"


def test_it_rejects_a_duplicate_mrn_in_the_same_clinic(rita_actor, pat):
    with pytest.raises(ValidationError) as exc:
        patient_register(actor=rita_actor, **{**NEW_PATIENT, "mrn": "r-0001"})

    assert "already used" in exc.value.message_dict["mrn"][0]
    assert Patient.objects.count() == 1


def test_it_allows_the_same_mrn_in_another_clinic(charlie_actor, pat):
    patient = patient_register(actor=charlie_actor, **{**NEW_PATIENT, "mrn": "R-0001"})

    assert patient.mrn == pat.mrn


def test_it_rejects_an_mrn_with_spaces(rita_actor):
    with pytest.raises(ValidationError) as exc:
        patient_register(actor=rita_actor, **{**NEW_PATIENT, "mrn": "R 0002"})

    assert set(exc.value.message_dict) == {"mrn"}


def test_it_rejects_a_date_of_birth_in_the_future(rita_actor):
    tomorrow = clinic_today(rita_actor.clinic) + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as exc:
        patient_register(actor=rita_actor, **{**NEW_PATIENT, "date_of_birth": tomorrow})

    assert set(exc.value.message_dict) == {"date_of_birth"}
    assert not Patient.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_rejects_a_date_of_birth_more_than_130_years_ago(rita_actor):
    with pytest.raises(ValidationError) as exc:
        patient_register(actor=rita_actor, **{**NEW_PATIENT, "date_of_birth": dt.date(1850, 1, 1)})

    assert set(exc.value.message_dict) == {"date_of_birth"}


def test_it_rejects_nul_characters_in_text(rita_actor):
    with pytest.raises(ValidationError) as exc:
        patient_register(actor=rita_actor, **{**NEW_PATIENT, "family_name": "Oka\x00for"})

    assert set(exc.value.message_dict) == {"family_name"}


def test_it_refuses_registration_by_a_physiotherapist(pete_actor):
    with pytest.raises(PermissionDenied):
        patient_register(actor=pete_actor, **NEW_PATIENT)


def test_it_updates_demographics_and_audits_old_and_new(nora_actor, nora, pat):
    patient_update(actor=nora_actor, patient=pat, phone="01632 960999", given_name="Pat")

    pat.refresh_from_db()
    assert pat.phone == "01632 960999"
    event = AuditEvent.objects.filter(action="update").get()
    assert event.actor == nora
    assert event.patient == pat
    assert event.changes == {"phone": ["01632 960001", "01632 960999"]}


def test_it_writes_no_audit_row_when_nothing_changed(nora_actor, pat):
    patient_update(actor=nora_actor, patient=pat, phone=pat.phone)

    assert not AuditEvent.objects.filter(action="update").exists()


def test_it_rejects_an_mrn_taken_by_another_patient_on_update(rita_actor, pat):
    other = patient_register(actor=rita_actor, **NEW_PATIENT)

    with pytest.raises(ValidationError) as exc:
        patient_update(actor=rita_actor, patient=other, mrn="R-0001")

    assert set(exc.value.message_dict) == {"mrn"}
    other.refresh_from_db()
    assert other.mrn == "R-0002"


def test_it_keeps_a_patients_own_mrn_on_update(rita_actor, pat):
    patient_update(actor=rita_actor, patient=pat, mrn="R-0001", family_name="Fields-Hart")

    pat.refresh_from_db()
    assert pat.family_name == "Fields-Hart"


def test_it_updates_history_flags_with_an_audit_row(pete_actor, pat):
    patient_history_update(actor=pete_actor, patient=pat, diabetes="controlled")

    pat.refresh_from_db()
    assert pat.diabetes == "controlled"
    event = AuditEvent.objects.get(action="update")
    assert event.changes == {"diabetes": ["unknown", "controlled"]}


def test_it_refuses_history_changes_by_reception(rita_actor, pat):
    with pytest.raises(PermissionDenied):
        patient_history_update(actor=rita_actor, patient=pat, bleeding_disorder=True)


def test_it_records_a_weight_for_today_by_default(nora_actor, nora, pat):
    weight = weight_record(actor=nora_actor, patient=pat, weight_kg=Decimal("81.3"))

    assert weight.measured_on == clinic_today(nora_actor.clinic)
    assert weight.recorded_by == nora
    event = AuditEvent.objects.get(object_type="weightmeasurement")
    assert event.changes["weight_kg"] == "81.3"


@pytest.mark.parametrize("kg", [Decimal("1.9"), Decimal("350.1"), Decimal("0"), Decimal("-70")])
def test_it_rejects_weight_out_of_range(nora_actor, pat, kg):
    with pytest.raises(ValidationError) as exc:
        weight_record(actor=nora_actor, patient=pat, weight_kg=kg)

    assert set(exc.value.message_dict) == {"weight_kg"}
    assert not WeightMeasurement.objects.exists()


@pytest.mark.parametrize("kg", [Decimal("2.0"), Decimal("350.0")])
def test_it_accepts_weights_at_the_limits(nora_actor, pat, kg):
    assert weight_record(actor=nora_actor, patient=pat, weight_kg=kg).weight_kg == kg


def test_it_rejects_a_weight_measured_in_the_future(nora_actor, pat):
    tomorrow = clinic_today(nora_actor.clinic) + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as exc:
        weight_record(actor=nora_actor, patient=pat, weight_kg=Decimal(70), measured_on=tomorrow)

    assert set(exc.value.message_dict) == {"measured_on"}


def test_it_adds_history_items_each_with_an_audit_row(nora_actor, pat):
    condition_add(actor=nora_actor, patient=pat, name="Hypertension", onset="2015")
    medication_add(actor=nora_actor, patient=pat, name="Apixaban", drug_class="anticoagulant")
    allergy = allergy_add(
        actor=nora_actor, patient=pat, substance="Lidocaine", category="local_anaesthetic"
    )

    assert pat.medications.get().flagged
    assert allergy.flagged
    types = set(AuditEvent.objects.filter(action="create").values_list("object_type", flat=True))
    assert types >= {"condition", "medication", "allergy"}


def test_it_rejects_a_medication_of_unknown_class(nora_actor, pat):
    with pytest.raises(ValidationError) as exc:
        medication_add(actor=nora_actor, patient=pat, name="Mystery", drug_class="herbal")

    assert set(exc.value.message_dict) == {"drug_class"}


def test_it_marks_a_medication_stopped_but_keeps_it(nora_actor, pat):
    medication = medication_add(actor=nora_actor, patient=pat, name="Ibuprofen", drug_class="nsaid")

    history_item_set_active(actor=nora_actor, item=medication, active=False)

    medication.refresh_from_db()
    assert medication.active is False
    event = AuditEvent.objects.get(action="update")
    assert (event.object_type, event.changes) == ("medication", {"active": [True, False]})


def test_it_audits_every_opening_of_a_chart(rita_actor, rita, pat):
    chart_open(actor=rita_actor, patient=pat)
    chart_open(actor=rita_actor, patient=pat)

    events = AuditEvent.objects.filter(action="view_chart")
    assert events.count() == 2
    assert {(e.actor, e.patient) for e in events} == {(rita, pat)}
