import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from prolo.clinic.models import AuditAction, AuditEvent, Condition, Patient, WeightMeasurement
from prolo.clinic.services.audit import audit_log, create_audited, snapshot, update_audited
from prolo.clinic.services.patients import chart_open
from prolo.testing import make_course, make_evaluation, signed_session


def test_audit_log_records_who_where_on_whom_and_what(adam_actor, adam, clinic, pat):
    event = audit_log(actor=adam_actor, action=AuditAction.VIEW_CHART, obj=pat, patient=pat)

    event.refresh_from_db()
    assert (event.actor, event.clinic, event.patient) == (adam, clinic, pat)
    assert (event.action, event.object_type, event.object_code) == (
        "view_chart",
        "patient",
        str(pat.code),
    )
    assert event.changes == {}
    assert event.at is not None


def test_snapshot_leaves_out_bookkeeping_and_gives_json_values(nora, pat):
    weight = WeightMeasurement.objects.create(
        patient=pat, measured_on=dt.date(2025, 6, 1), weight_kg=Decimal("70.4"), recorded_by=nora
    )

    assert snapshot(weight) == {
        "patient": pat.pk,
        "measured_on": "2025-06-01",
        "weight_kg": "70.4",
        "height_cm": None,
        "recorded_by": nora.pk,
    }


def test_create_audited_validates_before_it_inserts(nora_actor, pat):
    condition = Condition(patient=pat, name="")

    with pytest.raises(ValidationError) as exc:
        create_audited(actor=nora_actor, instance=condition, patient=pat)

    assert set(exc.value.message_dict) == {"name"}
    assert not Condition.objects.exists()
    assert not AuditEvent.objects.filter(object_type="condition").exists()


def test_update_audited_saves_and_records_only_the_changed_fields(nora_actor, pat):
    pat.address = "Typed but not part of this change"

    update_audited(
        actor=nora_actor,
        instance=pat,
        patient=pat,
        changes={"phone": "01632 960002", "given_name": "Pat"},
    )

    stored = Patient.objects.get(pk=pat.pk)
    assert stored.phone == "01632 960002"
    assert stored.address == ""  # only the fields of the change are written
    event = AuditEvent.objects.get(action="update")
    assert event.changes == {"phone": ["01632 960001", "01632 960002"]}


def test_update_audited_rejects_invalid_values_without_saving(nora_actor, pat):
    with pytest.raises(ValidationError) as exc:
        update_audited(actor=nora_actor, instance=pat, patient=pat, changes={"sex": "robot"})

    assert set(exc.value.message_dict) == {"sex"}
    assert Patient.objects.get(pk=pat.pk).sex == "female"
    assert not AuditEvent.objects.filter(action="update").exists()


def test_a_failed_service_leaves_no_audit_rows_behind(alice_actor, pat):
    evaluation = make_evaluation(alice_actor, pat)
    rows = AuditEvent.objects.count()

    with pytest.raises(ValidationError):
        # The course row and its audit row are written before the first session fails.
        make_course(alice_actor, pat, evaluation=evaluation, room="R" * 61)

    assert AuditEvent.objects.count() == rows


def test_a_patients_trail_covers_every_step_newest_first(alice_actor, adam_actor, pat):
    signed_session(alice_actor, pat)
    chart_open(actor=adam_actor, patient=pat)

    trail = list(pat.audit_events.all())
    assert trail[0].action == "view_chart"
    assert trail[-1].object_type == "patient"  # registration came first
    assert {e.clinic_id for e in trail} == {pat.clinic_id}
    kinds = {(e.action, e.object_type) for e in trail}
    assert kinds >= {
        ("create", "patient"),
        ("create", "evaluation"),
        ("create", "treatmentcourse"),
        ("create", "treatmentsession"),
        ("create", "weightmeasurement"),
        ("create", "checklist"),
        ("create", "procedurenote"),
        ("create", "injection"),
        ("sign", "procedurenote"),
        ("update", "treatmentsession"),
        ("update", "treatmentcourse"),
    }


def test_another_clinics_work_stays_out_of_a_clinics_trail(alice_actor, charlie_actor, pat, olga):
    signed_session(charlie_actor, olga)

    assert not AuditEvent.objects.filter(clinic=alice_actor.clinic, patient=olga).exists()
    assert not pat.audit_events.exclude(clinic=alice_actor.clinic).exists()
