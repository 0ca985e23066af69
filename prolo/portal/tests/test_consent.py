"""Consent in the portal: what waits to be signed, reading and signing, withdrawing; nobody else's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prolo.clinic.models import AuditEvent, Consent, ConsentDocument
from prolo.clinic.services.consent import (
    consent_document_publish,
    consent_document_update,
    current_document,
)
from prolo.clinic.services.patients import patient_register
from prolo.testing import give_consent, make_course

pytestmark = pytest.mark.django_db
CONSENT = reverse("portal:consent")


def _sign_url(course) -> str:
    return reverse("portal:consent-sign", args=[course.code])


def _text(response) -> str:
    return response.content.decode()


def _post_sign(client, course, **overrides):
    page = client.get(_sign_url(course))
    data = {
        "document": str(page.context["document"].code),
        "typed_name": "Pat Fields",
        "confirmed": "on",
    } | overrides
    return client.post(_sign_url(course), data)


@pytest.fixture
def course(alice_actor, pat):
    return make_course(alice_actor, pat)


def test_a_signed_out_visitor_is_sent_to_the_portal_sign_in(client, course):
    for url in (CONSENT, _sign_url(course)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:sign-in"))


def test_the_course_waiting_for_consent_is_listed_and_the_defaults_installed(
    patient_client, course, alice, pat_actor
):
    page = _text(patient_client.get(CONSENT))

    assert "Waiting for you to sign" in page
    assert "Consent: dextrose prolotherapy" in page
    assert _sign_url(course) in page
    installed = ConsentDocument.objects.filter(clinic=course.patient.clinic)
    assert installed.count() == 10
    assert {d.created_by for d in installed} == {alice}  # the clinic's author, not the patient
    rows = AuditEvent.objects.filter(object_type="consentdocument", actor=pat_actor.user)
    assert rows.count() == 10  # whose visit installed them


def test_the_document_is_shown_as_headings_and_lists(patient_client, course):
    page = _text(patient_client.get(_sign_url(course)))

    assert "<h2>Less common and serious risks</h2>" in page
    assert "<strong>not a first treatment</strong>" in page
    assert "I know I can stop at any time." in page


def test_a_clinics_script_in_a_document_is_never_run(patient_client, alice_actor, course):
    patient_client.get(CONSENT)  # installs the defaults
    document = current_document(alice_actor.clinic, "dextrose", "en")
    assert document is not None
    draft = consent_document_update(
        actor=alice_actor,
        document=document,
        title=document.title,
        body=document.body + '\n<script>alert("x")</script>\n[link](javascript:alert(1))',
    )
    consent_document_publish(actor=alice_actor, document=draft)

    page = _text(patient_client.get(_sign_url(course)))

    assert "<script>alert" not in page
    assert "javascript:" not in page


def test_the_patient_signs_and_sees_when(patient_client, course, pat):
    response = _post_sign(patient_client, course, typed_name="pat fields")

    assert response.status_code == 302
    page = _text(patient_client.get(response["Location"]))
    assert "You signed this" in page
    consent = Consent.objects.get()
    assert (consent.method, consent.patient) == ("portal", pat)
    assert "Signed on" in page
    assert "“pat fields”" in page
    assert "Consents you have given" in _text(patient_client.get(CONSENT))
    assert "Nothing is waiting for your signature." in _text(patient_client.get(CONSENT))


def test_a_wrong_name_is_refused_beside_the_name_field(patient_client, course):
    response = _post_sign(patient_client, course, typed_name="Olga Novak")

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["typed_name"] == ["Type your full name as the clinic has it: Pat Fields."]
    assert 'aria-invalid="true"' in _text(response)
    assert not Consent.objects.exists()


def test_an_unticked_box_is_refused_beside_the_box(patient_client, course):
    response = _post_sign(patient_client, course, confirmed="")

    assert response.status_code == 400
    assert response.context["form"].errors["confirmed"] == [
        "Tick the box to confirm you have read and agree."
    ]
    assert not Consent.objects.exists()


def test_a_version_replaced_while_reading_is_refused_and_the_new_one_shown(
    patient_client, alice_actor, course
):
    page = patient_client.get(_sign_url(course))
    read = page.context["document"]
    draft = consent_document_update(actor=alice_actor, document=read, title="v2", body=read.body)
    consent_document_publish(actor=alice_actor, document=draft)

    response = patient_client.post(
        _sign_url(course),
        {"document": str(read.code), "typed_name": "Pat Fields", "confirmed": "on"},
    )

    assert response.status_code == 400
    assert "current one (version 2)" in _text(response)
    assert response.context["document"] == draft
    assert not Consent.objects.exists()


def test_a_spanish_speaker_reads_the_spanish_document(patient_client, course):
    page = patient_client.get(_sign_url(course), headers={"accept-language": "es"})

    assert "Consentimiento: proloterapia con dextrosa" in _text(page)
    assert "<h2>Su derecho a parar</h2>" in _text(page)


def test_the_patient_withdraws_consent(patient_client, course):
    _post_sign(patient_client, course)
    consent = Consent.objects.get()

    response = patient_client.post(reverse("portal:consent-withdraw", args=[consent.code]))

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    page = _text(patient_client.get(CONSENT))
    assert "Withdrawn on" in page
    assert _sign_url(course) in page  # waiting for a signature again


def test_another_patients_course_and_consent_answer_404(
    patient_client, alice_actor, rita_actor, pat
):
    other = patient_register(
        actor=rita_actor,
        mrn="R-2",
        given_name="Ottoline",
        family_name="Marchbanks",
        date_of_birth=pat.date_of_birth,
        sex="female",
    )
    theirs = make_course(alice_actor, other)
    consent = give_consent(alice_actor, theirs)

    assert patient_client.get(_sign_url(theirs)).status_code == 404
    assert patient_client.post(_sign_url(theirs), {}).status_code == 404
    withdraw = reverse("portal:consent-withdraw", args=[consent.code])
    assert patient_client.post(withdraw).status_code == 404
    assert Consent.objects.get().withdrawn_at is None
    # A long name: a short one can turn up inside the page's random CSRF token.
    assert "Marchbanks" not in _text(patient_client.get(CONSENT))


def test_a_document_code_that_is_not_the_clinics_answers_404(patient_client, course):
    response = patient_client.post(
        _sign_url(course), {"document": "not-a-code", "typed_name": "Pat Fields"}
    )
    assert response.status_code == 404


def test_the_consent_page_costs_the_same_queries_however_many_courses(
    patient_client: Client, alice_actor, pat
):
    make_course(alice_actor, pat)
    patient_client.get(CONSENT)  # installs the defaults once

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert patient_client.get(CONSENT).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(3):
        course = make_course(alice_actor, pat)
        give_consent(alice_actor, course)
        make_course(alice_actor, pat)
    assert queries() == few


def test_the_clinic_sees_the_portal_signature_on_the_course_page(
    patient_client, course, client_for, nora
):
    _post_sign(patient_client, course)

    page = _text(client_for(nora).get(reverse("staff:course-detail", args=[course.code])))

    assert "Signed in the portal" in page or "signed in the portal" in page
    assert "Record an in-clinic signature" not in page
