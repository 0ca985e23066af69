"""Consent on the staff side: the clinic's documents, the course page's consent, the sign gate."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prolo.clinic.models import Consent, ConsentDocument
from prolo.clinic.services.consent import (
    consent_defaults_install,
    consent_document_publish,
    consent_document_update,
    consent_withdraw,
    current_document,
)
from prolo.testing import add_injection, complete_checklist, give_consent, make_course, make_note

pytestmark = pytest.mark.django_db
DOCUMENTS = reverse("staff:consent-document-list")


def _text(response) -> str:
    return response.content.decode()


def _dextrose(clinic) -> ConsentDocument:
    document = current_document(clinic, "dextrose", "en")
    assert document is not None
    return document


@pytest.fixture
def course(alice_actor, pat):
    consent_defaults_install(actor=alice_actor)
    return make_course(alice_actor, pat)


def _course_page(client, course) -> str:
    return _text(client.get(reverse("staff:course-detail", args=[course.code])))


def _record(client, course, **overrides):
    data = {
        "document": str(_dextrose(course.patient.clinic).code),
        "typed_name": "Pat Fields",
        "confirmed": "on",
    } | overrides
    return client.post(reverse("staff:consent-record", args=[course.code]), data)


def test_the_clinics_documents_start_from_prolos_defaults(client_for, nora, clinic):
    page = _text(client_for(nora).get(DOCUMENTS))

    assert ConsentDocument.objects.filter(clinic=clinic, version=1).count() == 10
    assert "Consent: platelet-rich plasma (PRP) injections" in page
    assert "Consentimiento: terapia de inyección perineural" in page
    assert 'aria-current="page">Consent documents' in page


def test_a_document_reads_as_the_patient_sees_it(client_for, nora, course, clinic):
    page = _text(client_for(nora).get(_detail(_dextrose(clinic))))

    assert "<h2>What this treatment is</h2>" in page
    assert "(the one patients sign now)" in page
    assert "Start the next version" not in page  # nurses read, do not edit


def _detail(document) -> str:
    return reverse("staff:consent-document-detail", args=[document.code])


def test_editing_a_published_version_saves_the_next_as_a_draft(client_for, alice, course, clinic):
    client = client_for(alice)
    published = _dextrose(clinic)
    url = reverse("staff:consent-document-edit", args=[published.code])
    body = published.body.replace("## Medical disclaimer", "## Disclaimer")

    response = client.post(url, {"title": published.title, "body": body})

    draft = ConsentDocument.objects.get(
        clinic=clinic, course_type="dextrose", language="en", version=2
    )
    assert response["Location"] == _detail(draft)
    page = _text(client.get(_detail(draft)))
    assert "Sections still missing" in page
    assert "<li>Medical disclaimer</li>" in page
    publish = reverse("staff:consent-document-publish", args=[draft.code])
    refused = _text(client.post(publish, follow=True))
    assert "Add the missing section “## Medical disclaimer” first." in refused
    assert _dextrose(clinic) == published

    client.post(url, {"title": published.title, "body": published.body})  # fixes the draft
    done = _text(client.post(publish, follow=True))
    assert "Version 2 published" in done
    assert _dextrose(clinic).version == 2


def test_a_blank_text_is_refused_beside_its_field(client_for, alice, course, clinic):
    url = reverse("staff:consent-document-edit", args=[_dextrose(clinic).code])

    response = client_for(alice).post(url, {"title": "Consent", "body": "   "})

    assert response.status_code == 400
    assert "body" in response.context["form"].errors
    assert not ConsentDocument.objects.filter(version=2).exists()


def test_the_course_page_says_consent_is_missing_and_a_nurse_records_it(client_for, nora, course):
    client = client_for(nora)
    page = _course_page(client, course)
    assert "Not signed." in page
    assert "Record an in-clinic signature" in page

    response = _record(client, course, typed_name="PAT FIELDS")

    assert response.status_code == 302
    page = _course_page(client, course)
    assert "signed in clinic" in page
    assert f"recorded by {nora.display_name()}" in page
    assert Consent.objects.get().recorded_by == nora


def test_a_wrong_name_in_clinic_is_refused_beside_its_field(client_for, nora, course):
    response = _record(client_for(nora), course, typed_name="Olga Novak")

    assert response.status_code == 400
    assert response.context["form"].errors["typed_name"] == [
        "Type the patient's full name as the clinic has it: Pat Fields."
    ]
    assert not Consent.objects.exists()


def test_a_physio_sees_the_consent_but_cannot_record_it(client_for, pete, course):
    page = _course_page(client_for(pete), course)

    assert "Not signed." in page
    assert "Record the signature" not in page
    assert _record(client_for(pete), course).status_code == 403


def test_staff_record_a_withdrawal_from_the_course_page(client_for, nora, alice_actor, course):
    consent = give_consent(alice_actor, course)
    client = client_for(nora)

    client.post(reverse("staff:consent-withdraw", args=[consent.code]))

    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "Not signed." in _course_page(client, course)


def test_the_session_page_says_why_the_first_note_cannot_be_signed(
    client_for, alice, alice_actor, course
):
    session = course.sessions.get(number=1)
    complete_checklist(alice_actor, session)
    add_injection(alice_actor, make_note(alice_actor, session))

    response = client_for(alice).post(reverse("staff:note-sign", args=[session.code]))

    assert response.status_code == 400
    assert "Consent: the patient has not consented to the current version" in _text(response)

    give_consent(alice_actor, course)
    signed = client_for(alice).post(reverse("staff:note-sign", args=[session.code]))
    assert signed.status_code == 302


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_documents_page_costs_the_same_queries_however_many_versions(
    client_for, alice, alice_actor, course, clinic
):
    client = client_for(alice)
    few = _queries(client, DOCUMENTS)
    for _ in range(3):
        draft = consent_document_update(
            actor=alice_actor, document=_dextrose(clinic), title="Next", body=_dextrose(clinic).body
        )
        consent_document_publish(actor=alice_actor, document=draft)

    assert _queries(client, DOCUMENTS) == few


def test_the_course_pages_consent_costs_the_same_queries_however_many_signatures(
    client_for, nora, alice_actor, course
):
    client = client_for(nora)
    url = reverse("staff:course-detail", args=[course.code])
    give_consent(alice_actor, course)
    few = _queries(client, url)
    for _ in range(3):
        consent_withdraw(actor=alice_actor, consent=course.consents.get(withdrawn_at=None))
        give_consent(alice_actor, course)

    assert _queries(client, url) == few
