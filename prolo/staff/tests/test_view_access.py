"""Every staff view: the right roles get it, other roles get 403, another clinic's user 404.

One table lists each view with the roles allowed; the tests walk it. A view added to urls.py
without a row here fails `test_every_staff_url_is_in_the_table`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from prolo.clinic.models import ConsentDocument, ReviewTask, StaffInvitation
from prolo.clinic.services.adverse_events import adverse_event_report
from prolo.clinic.services.catalogue import clinic_safety_install
from prolo.clinic.services.diary import session_day
from prolo.clinic.services.evaluations import imaging_study_add
from prolo.clinic.services.locations import (
    closure_add,
    location_create,
    opening_hours_add,
    room_create,
)
from prolo.clinic.services.patients import allergy_add, medication_add
from prolo.clinic.services.protocols import protocol_copy
from prolo.clinic.services.questionnaires import questionnaire_record
from prolo.clinic.services.shared_documents import shared_document_add
from prolo.clinic.services.syringes import syringe_draw_up
from prolo.staff.urls import urlpatterns
from prolo.testing import add_injection, make_course, make_evaluation, make_note, signed_session

ALL = {"alice", "nora", "pete", "rita", "adam"}
CLINICAL_READERS = {"alice", "nora", "pete", "adam"}
SETUP = {"alice", "adam"}  # MANAGE_CLINIC


@dataclass
class World:
    """One of each record of Riverside's patient Pat, for building URLs."""

    patient: Any
    evaluation: Any
    study: Any
    course: Any
    session: Any
    injection: Any
    signed: Any
    medication: Any
    actor: Any
    protocol: Any = None  # a clinic template, copied from the library
    stock: Any = None  # a stock of the clinic's catalogue (the default D50)
    syringe: Any = None  # drawn up in `session`, nothing injected from it yet
    adverse_event: Any = None  # open, on `signed`, outcome still unknown
    response: Any = None  # a baseline pain NRS (7) on `course`
    location: Any = None  # the clinic's main site, with room `room`
    room: Any = None


@pytest.fixture
def world(alice_actor, pat, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    evaluation = make_evaluation(alice_actor, pat)
    study = imaging_study_add(
        actor=alice_actor,
        evaluation=evaluation,
        modality="ultrasound",
        performed_on=evaluation.evaluated_on,
        findings="Thickened MCL",
        file=SimpleUploadedFile("scan.png", b"\x89PNG fake", content_type="image/png"),
    )
    course = make_course(alice_actor, pat, evaluation)
    session = course.sessions.get(number=2)
    injection = add_injection(alice_actor, make_note(alice_actor, session))
    medication = medication_add(
        actor=alice_actor, patient=pat, name="Apixaban", dose="5 mg", drug_class="anticoagulant"
    )
    signed = signed_session(alice_actor, pat)
    protocol = protocol_copy(actor=alice_actor, key="knee-oa-rabago-2013")
    clinic_safety_install(clinic=alice_actor.clinic)  # the cast's clinic is made without it
    location = location_create(actor=alice_actor, name="Main site")
    room = room_create(actor=alice_actor, location=location, name="Room 1")
    stock = alice_actor.clinic.stocks.get(name="Dextrose 50% (D50)")
    syringe = syringe_draw_up(
        actor=alice_actor,
        session=session,
        label="X",
        final_volume_ml=Decimal(5),
        target_dextrose_percent=Decimal(15),
        dextrose_stock=stock,
        anaesthetic_stock=None,
        target_anaesthetic_percent=Decimal(0),
        diluent_stock=alice_actor.clinic.stocks.get(name="0.9% sodium chloride"),
    )
    adverse_event = adverse_event_report(
        actor=alice_actor,
        patient=pat,
        session=signed,
        event_type="severe_pain",
        onset_date=session_day(signed),
        grade=2,
        expectedness="expected",
    )
    response = questionnaire_record(
        actor=alice_actor,
        patient=pat,
        course=course,
        instrument="pain_nrs",
        timepoint="baseline",
        answers={"pain": 7},
        answered_on=course.start_date,
    )
    return World(
        pat,
        evaluation,
        study,
        course,
        session,
        injection,
        signed,
        medication,
        alice_actor,
        protocol=protocol,
        stock=stock,
        syringe=syringe,
        adverse_event=adverse_event,
        response=response,
        location=location,
        room=room,
    )


# name, method, how to build the URL arguments, roles allowed
VIEWS: list[tuple[str, str, str, set[str]]] = [
    ("today", "get", "", ALL),
    ("patient-list", "get", "", ALL),
    ("patient-new", "get", "", {"alice", "nora", "rita", "adam"}),
    ("patient-chart", "get", "patient", ALL),
    ("patient-edit", "get", "patient", {"alice", "nora", "rita", "adam"}),
    ("patient-audit", "get", "patient", {"adam"}),
    ("portal-access", "get", "patient", {"alice", "nora", "rita", "adam"}),
    ("portal-revoke", "post", "patient", {"alice", "nora", "rita", "adam"}),
    ("portal-account-switch", "post", "patient", {"alice", "nora", "rita", "adam"}),
    ("patient-history", "get", "patient", {"alice", "nora", "pete"}),
    ("history-add", "post", "patient,weight", {"alice", "nora", "pete"}),
    ("history-toggle", "post", "patient,medication,medication.pk", {"alice", "nora", "pete"}),
    ("allergy-remove", "post", "patient,allergy.pk", {"alice", "nora", "pete"}),
    ("evaluation-new", "get", "patient", {"alice", "pete"}),
    ("evaluation-detail", "get", "evaluation", CLINICAL_READERS),
    ("evaluation-edit", "get", "evaluation", {"alice", "pete"}),
    ("imaging-file", "get", "study", CLINICAL_READERS),
    ("course-new", "get", "patient", {"alice"}),
    ("course-detail", "get", "course", CLINICAL_READERS),
    ("session-detail", "get", "session", CLINICAL_READERS),
    ("session-edit", "get", "session", {"alice", "nora", "rita", "adam"}),
    ("checklist-save", "post", "session", {"alice", "nora"}),
    ("note-save", "post", "session", {"alice"}),
    ("injection-add", "post", "session", {"alice"}),
    ("injection-remove", "post", "injection", {"alice"}),
    ("note-sign", "post", "session", {"alice"}),
    ("note-amend", "post", "signed", {"alice"}),
    ("dose-override", "post", "session", {"alice"}),
    ("anaesthetic-limits", "get", "", CLINICAL_READERS),
    ("anaesthetic-limit-edit", "get", "lidocaine", {"alice", "adam"}),
    ("careplan-print", "get", "session", ALL),
    ("note-pdf", "get", "signed", CLINICAL_READERS),
    ("handout-pdf", "get", "session", ALL),
    ("consent-pdf", "get", "consent", CLINICAL_READERS),
    ("course-letter-pdf", "get", "course", CLINICAL_READERS),
    ("clinic-settings", "get", "", CLINICAL_READERS),
    ("protocol-list", "get", "", CLINICAL_READERS),
    ("protocol-copy", "post", "", {"alice", "adam"}),
    ("protocol-detail", "get", "protocol", CLINICAL_READERS),
    ("protocol-edit", "get", "protocol", {"alice", "adam"}),
    ("protocol-injection-add", "post", "protocol", {"alice", "adam"}),
    ("protocol-injection-remove", "post", "protocol,index", {"alice", "adam"}),
    ("calculator", "get", "", {"alice", "nora"}),
    ("catalogue", "get", "", CLINICAL_READERS),
    ("stock-new", "get", "", {"alice", "adam"}),
    ("stock-edit", "get", "stock", {"alice", "adam"}),
    ("syringe-add", "post", "session", {"alice", "nora"}),
    ("syringe-discard", "post", "syringe", {"alice", "nora"}),
    ("diary-entry-add", "post", "signed", {"alice", "nora", "pete"}),
    ("review-task-list", "get", "", CLINICAL_READERS),
    ("review-task-close", "post", "review_task", {"alice", "nora"}),
    ("adverse-event-list", "get", "", CLINICAL_READERS),
    ("adverse-event-new", "get", "patient", {"alice", "nora"}),
    ("adverse-event-detail", "get", "adverse_event", CLINICAL_READERS),
    ("adverse-event-edit", "get", "adverse_event", {"alice", "nora"}),
    ("adverse-event-close", "post", "adverse_event", {"alice"}),
    ("last-panel", "get", "session", CLINICAL_READERS),
    ("last-record", "post", "session", {"alice", "nora"}),
    ("outcomes-report", "get", "", CLINICAL_READERS),
    ("registry-csv", "get", "", CLINICAL_READERS),  # de-identified by default
    ("instrument-list", "get", "", CLINICAL_READERS),
    ("instrument-detail", "get", "womac", CLINICAL_READERS),
    ("instrument-export", "get", "womac", CLINICAL_READERS),
    ("instrument-import", "get", "womac", {"alice", "adam"}),
    ("instrument-settings", "get", "womac", {"alice", "adam"}),
    ("course-outcomes", "post", "course", {"alice"}),
    ("questionnaire-new", "get", "patient", {"alice", "nora", "pete"}),
    ("questionnaire-detail", "get", "response", CLINICAL_READERS),
    ("outcomes-due", "get", "", CLINICAL_READERS),
    ("article-list", "get", "", CLINICAL_READERS),
    ("article-detail", "get", "article", CLINICAL_READERS),
    ("article-edit", "get", "article", {"alice", "adam"}),
    ("shared-document-add", "post", "patient", {"alice", "nora", "pete"}),
    ("shared-document-withdraw", "post", "shared_document", {"alice", "nora", "pete"}),
    ("consent-document-list", "get", "", CLINICAL_READERS),
    ("consent-document-detail", "get", "consent_document", CLINICAL_READERS),
    ("consent-document-edit", "get", "consent_document", {"alice", "adam"}),
    ("consent-document-publish", "post", "consent_document", {"alice", "adam"}),
    ("consent-record", "post", "course", {"alice", "nora"}),
    ("consent-withdraw", "post", "consent", {"alice", "nora"}),
    ("clinic-profile", "get", "", SETUP),
    ("location-list", "get", "", SETUP),
    ("location-new", "get", "", SETUP),
    ("location-edit", "get", "location", SETUP),
    ("room-new", "post", "location", SETUP),
    ("room-edit", "get", "room", SETUP),
    ("opening-hours-add", "post", "location", SETUP),
    ("opening-hours-remove", "post", "location,hours.pk", SETUP),
    ("closure-add", "post", "location", SETUP),
    ("closure-remove", "post", "closure", SETUP),
    ("staff-list", "get", "", {"adam"}),
    ("staff-invite", "get", "", {"adam"}),
    ("staff-invitation-resend", "post", "staff_invitation", {"adam"}),
    ("staff-invitation-withdraw", "post", "staff_invitation", {"adam"}),
    ("staff-member", "get", "member", {"adam"}),
    ("staff-member-active", "post", "member", {"adam"}),
    ("staff-member-password-reset", "post", "member", {"adam"}),
]

# URL arguments that name no record, only a clinic's own setting: there is no other clinic's
# record to refuse, so these rows are left out of the 404 test.
CLINIC_SETTING_ARGS = {"lidocaine", "womac", "article"}


def _url(name: str, spec: str, world: World) -> str:
    args: list[object] = []
    for part in filter(None, spec.split(",")):
        if part == "medication.pk":
            args.append(world.medication.pk)
        elif part == "allergy.pk":  # removing deletes it: a fresh one for every request
            allergy = allergy_add(
                actor=world.actor, patient=world.patient, substance="Latex", category="latex"
            )
            args.append(allergy.pk)
        elif part == "article":  # every clinic has its own copy of the default articles
            args += ["es", "what-is-prolotherapy"]
        elif part == "shared_document":  # withdrawing hides it: a fresh one for every request
            document = shared_document_add(
                actor=world.actor,
                patient=world.patient,
                title="Aftercare sheet",
                file=SimpleUploadedFile("sheet.pdf", b"%PDF-1.4 sheet"),
            )
            args.append(document.code)
        elif part in ("weight", "medication", *CLINIC_SETTING_ARGS):
            args.append(part)
        elif part == "consent_document":  # installed with the consent signed_session records
            args.append(ConsentDocument.objects.filter(clinic=world.actor.clinic)[0].code)
        elif part == "consent":  # the signed session's course was consented in clinic
            args.append(world.signed.course.consents.get().code)
        elif part == "hours.pk":  # removing deletes them: fresh hours for every request
            hours = opening_hours_add(
                actor=world.actor,
                location=world.location,
                weekday=0,
                opens=dt.time(9),
                closes=dt.time(10),
            )
            args.append(hours.pk)
        elif part == "closure":  # removing deletes it: a fresh one for every request
            closure = closure_add(
                actor=world.actor,
                location=world.location,
                starts_on=dt.date(2099, 1, 1),
                ends_on=dt.date(2099, 1, 1),
                reason="New Year",
            )
            args.append(closure.code)
        elif part == "member":  # Dr Alice, a member of the clinic (by her account's code)
            args.append(world.actor.user.code)
        elif part == "staff_invitation":  # withdrawing ends it: a fresh one for every request
            invitation = StaffInvitation.objects.create(
                clinic=world.actor.clinic,
                email="zoe@example.org",
                role="nurse",
                token_hash=secrets.token_hex(32),
                created_by=world.actor.user,
                sent_at=timezone.now(),
                expires_at=timezone.now() + dt.timedelta(days=7),
            )
            args.append(invitation.code)
        elif part == "index":  # the first planned injection of the template
            args.append(0)
        elif part == "review_task":  # closing closes it: a fresh one for every request
            task = ReviewTask.objects.create(
                clinic=world.actor.clinic,
                patient=world.patient,
                reason="Diary day 2: Fever.",
                flags=["fever"],
            )
            args.append(task.code)
        else:
            args.append(getattr(world, part).code)
    return reverse(f"staff:{name}", args=args)


def _request(client, method: str, url: str):
    return client.get(url) if method == "get" else client.post(url, {})


@pytest.fixture
def staff(alice, nora, pete, rita, adam):
    return {"alice": alice, "nora": nora, "pete": pete, "rita": rita, "adam": adam}


@pytest.mark.parametrize(("name", "method", "spec", "allowed"), VIEWS)
def test_allowed_roles_get_the_view(name, method, spec, allowed, world, staff, client_for):
    for username in sorted(allowed):
        url = _url(name, spec, world)
        response = _request(client_for(staff[username]), method, url)
        # 400 is a re-rendered form with field errors (an empty POST), which is still access.
        assert response.status_code in (200, 302, 400), (username, response.status_code)


@pytest.mark.parametrize(("name", "method", "spec", "allowed"), VIEWS)
def test_other_roles_get_403(name, method, spec, allowed, world, staff, client_for):
    url = _url(name, spec, world)
    for username in sorted(ALL - allowed):
        response = _request(client_for(staff[username]), method, url)
        assert response.status_code == 403, (username, response.status_code)


@pytest.mark.parametrize(
    ("name", "method", "spec", "allowed"),
    [v for v in VIEWS if v[2] and v[2] not in CLINIC_SETTING_ARGS],
)
def test_another_clinics_user_gets_404(name, method, spec, allowed, world, charlie, client_for):
    response = _request(client_for(charlie), method, _url(name, spec, world))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "method", "spec", "allowed"), VIEWS)
def test_signed_out_users_are_sent_to_sign_in(name, method, spec, allowed, world, client):
    response = _request(client, method, _url(name, spec, world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_another_clinics_patients_are_not_listed(world, charlie, client_for, olga):
    page = client_for(charlie).get(reverse("staff:patient-list")).content.decode()
    assert "Novak" in page
    assert "Fields" not in page


def test_every_staff_url_is_in_the_table():
    assert {p.name for p in urlpatterns} == {v[0] for v in VIEWS}


def test_reception_sees_demographics_but_no_clinical_content(world, rita, client_for):
    page = client_for(rita).get(reverse("staff:patient-chart", args=[world.patient.code]))
    html = page.content.decode()
    assert "Pat Fields" in html
    assert "Apixaban" not in html
    assert "Evaluations" not in html
    assert world.evaluation.working_diagnosis not in html


def test_the_chart_alerts_a_clinician_to_anticoagulants(world, nora, client_for):
    html = client_for(nora).get(reverse("staff:patient-chart", args=[world.patient.code]))
    assert "Anticoagulant: Apixaban" in html.content.decode()


def test_a_weight_out_of_range_is_refused_with_a_message_naming_the_field(world, nora, client_for):
    url = reverse("staff:history-add", args=[world.patient.code, "weight"])
    response = client_for(nora).post(
        url, {"weight-weight_kg": "900", "weight-measured_on": "2026-01-01"}
    )
    assert response.status_code == 200
    assert (
        "Weight (kg): Ensure this value is less than or equal to 350.0" in response.content.decode()
    )
    assert not world.patient.weights.filter(weight_kg=Decimal("900")).exists()


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("session-detail", "session"),
        ("evaluation-detail", "evaluation"),
        ("course-detail", "course"),
        ("patient-history", "patient"),
    ],
)
def test_opening_any_clinical_page_of_the_chart_is_audited(name, part, world, nora, client_for):
    from prolo.clinic.models import AuditEvent

    record = getattr(world, part)
    before = AuditEvent.objects.filter(action="view_chart", actor=nora).count()
    client_for(nora).get(reverse(f"staff:{name}", args=[record.code]))
    event = AuditEvent.objects.filter(action="view_chart", actor=nora).latest("id")
    assert AuditEvent.objects.filter(action="view_chart", actor=nora).count() == before + 1
    assert event.patient_id == world.patient.pk
    assert event.object_code == str(record.code)
