"""A physician's whole path through the staff pages, form by form, as the browser would post."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from prolo.clinic.clock import clinic_today, clinic_zone
from prolo.clinic.models import AuditEvent, CourseStatus, NoteStatus, Patient, User
from prolo.clinic.services.consent import current_document
from prolo.clinic.services.diary import session_day


def _chart(patient: Patient) -> str:
    return reverse("staff:patient-chart", args=[patient.code])


@pytest.mark.django_db
def test_a_physician_goes_from_new_patient_to_amended_note(alice, client_for):
    # At midday: the first session, booked for 09:30 today, has happened when its note is signed.
    clinic = alice.memberships.get().clinic
    midday = dt.datetime.combine(clinic_today(clinic), dt.time(12), tzinfo=clinic_zone(clinic))
    with time_machine.travel(midday, tick=True):
        _walk(alice, client_for(alice))


def _walk(alice: User, client: Client) -> None:
    today = clinic_today(alice.memberships.get().clinic)

    response = client.post(
        reverse("staff:patient-new"),
        {
            "given_name": "Ana",
            "family_name": "Ruiz",
            "date_of_birth": "1958-02-01",
            "sex": "female",
            "mrn": "R-0100",
            "preferred_language": "es",
        },
    )
    patient = Patient.objects.get(mrn="R-0100")
    assert response.status_code == 302
    assert response["Location"] == _chart(patient)
    assert "Ana Ruiz" in client.get(_chart(patient)).content.decode()

    response = client.post(
        reverse("staff:history-add", args=[patient.code, "allergy"]),
        # Not lidocaine: an anaesthetic allergy would (rightly) block the dextrose course below.
        {"allergy-substance": "Cod liver oil", "allergy-category": "fish_morrhuate"},
    )
    assert response.status_code == 302
    assert "Allergy: Cod liver oil" in client.get(_chart(patient)).content.decode()

    response = client.post(
        reverse("staff:evaluation-new", args=[patient.code]),
        {
            "evaluated_on": today.isoformat(),
            "presenting_complaint": "Medial knee pain",
            "pain_duration_months": 18,
            "baseline_pain": 7,
            "target_region": "knee",
            "laterality": "left",
            "target_structures": ["ligament", "joint"],
            "working_diagnosis": "Knee osteoarthritis",
            "eligibility": "eligible",
            "eligibility_reasons": "Failed 6 months of physiotherapy",
            "alternatives_discussed": "Exercise, weight loss, steroid injection",
        },
    )
    evaluation = patient.evaluations.get()
    assert response.status_code == 302
    response = client.post(
        reverse("staff:evaluation-detail", args=[evaluation.code]),
        {"modality": "xray", "performed_on": today.isoformat(), "findings": "KL grade 2"},
    )
    assert response.status_code == 302
    assert "KL grade 2" in client.get(response["Location"]).content.decode()

    response = client.post(
        reverse("staff:course-new", args=[patient.code]),
        {
            "evaluation": evaluation.pk,
            "course_type": "dextrose",
            "target_region": "knee",
            "laterality": "left",
            "targets": "MCL, joint",
            "planned_sessions": 3,
            "interval_days": 28,
            "start_date": today.isoformat(),
            "first_session_time": "09:30",
            "practitioner": alice.pk,
            "room": "Room 2",
            "outcome_instruments": ["pain_nrs", "koos"],
            "session_instruments": ["pain_nrs"],
            "follow_ups": "6w, 3m, 6m, 12m",
        },
    )
    course = patient.courses.get()
    assert course.outcome_instruments == ["pain_nrs", "koos"]
    assert response.status_code == 302
    sessions = list(course.sessions.order_by("number"))
    assert [session_day(s) for s in sessions] == [
        today + dt.timedelta(days=28 * i) for i in range(3)
    ]
    # The patient signs the clinic's consent in clinic; the first note needs it.
    assert client.get(reverse("staff:consent-document-list")).status_code == 200
    consent = current_document(course.patient.clinic, course.course_type, "en")
    assert consent is not None
    response = client.post(
        reverse("staff:consent-record", args=[course.code]),
        {"document": str(consent.code), "typed_name": "Ana Ruiz", "confirmed": "on"},
    )
    assert response.status_code == 302
    first = sessions[0]
    session_url = reverse("staff:session-detail", args=[first.code])
    assert client.get(session_url).status_code == 200

    response = client.post(
        reverse("staff:checklist-save", args=[first.code]),
        {
            "checklist-identity_confirmed": "on",
            "checklist-consent_on_file": "on",
            "checklist-takes_no_nsaids": "on",
            "checklist-protein_meal": "on",
            "checklist-contraindications_rechecked": "on",
            "checklist-weight_kg": "71.5",
            "checklist-site_marked": "on",
            "checklist-no_baseline_reason": "Referred late; questionnaires start at session 2.",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("staff:note-save", args=[first.code]),
        {
            "note-antisepsis": "chlorhexidine_alcohol",
            "note-numbing": "infiltration",
            "note-heat_pack_minutes": 15,
        },
    )
    assert response.status_code == 302
    for site, structure in (
        ("knee-mcl", "ligament"),
        ("knee-pes", "enthesis"),
        ("knee-ia", "joint"),
    ):
        response = client.post(
            reverse("staff:injection-add", args=[first.code]),
            {
                "injection-site_code": site,
                "injection-side": "left",
                "injection-structure": structure,
                "injection-guidance": "landmark",
                "injection-needle_gauge": 27,
                "injection-needle_length_mm": 38,
                "injection-dextrose_percent": "15",
                "injection-anaesthetic": "lidocaine",
                "injection-anaesthetic_percent": "0.5",
                "injection-diluent": "saline",
                "injection-lot": "L77",
                "injection-volume_ml": "1.0",
            },
        )
        assert response.status_code == 302
    response = client.post(reverse("staff:note-sign", args=[first.code]))
    assert response.status_code == 302
    page = client.get(session_url).content.decode()
    assert "Signed by Dr Alice Moreno" in page
    response = client.post(
        reverse("staff:note-amend", args=[first.code]),
        {"amendment-reason": "Wrong lot", "amendment-text": "Lot was L78"},
    )
    assert response.status_code == 302
    page = client.get(session_url).content.decode()
    assert "Wrong lot" in page
    assert "L77" in page  # the signed original stays as it was

    course.refresh_from_db()
    first.note.refresh_from_db()
    assert course.status == CourseStatus.ACTIVE
    assert first.note.status == NoteStatus.SIGNED
    assert AuditEvent.objects.filter(patient=patient, action="view_chart").count() >= 2
    for name in ("staff:today", "staff:patient-list"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("staff:course-detail", args=[course.code])).status_code == 200
    assert client.get(reverse("staff:session-edit", args=[sessions[1].code])).status_code == 200
    assert client.get(reverse("staff:patient-history", args=[patient.code])).status_code == 200
