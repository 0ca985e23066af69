"""The printable PDFs: what a reader finds in them (read back with poppler's `pdftotext`)."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone

from prolo.clinic.exports.pdf import consent_pdf, handout_pdf, html_to_pdf, note_pdf
from prolo.clinic.safety.careplan import long_date
from prolo.clinic.services.clinic_profile import clinic_profile_update
from prolo.clinic.services.patients import weight_record
from prolo.clinic.services.sessions import note_amend
from prolo.clinic.services.settings import settings_for
from prolo.clinic.tests.test_clinic_profile_services import image_upload
from prolo.testing import signed_session

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    """The text of `pdf` as a reader would copy it, whitespace folded to single spaces."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(out.stdout.decode().split())


def pdf_info(pdf: bytes, tmp_path) -> str:
    # pdfinfo needs a seekable file: standard input does not do.
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", path], capture_output=True, check=True).stdout.decode()
    return " ".join(out.split())


@pytest.fixture
def signed(alice_actor, pat):
    return signed_session(alice_actor, pat, injections=1)


def test_a_page_is_a_tagged_pdf_with_its_title(tmp_path):
    pdf = html_to_pdf(
        '<html lang="en"><head><title>Hello sheet</title></head><body>Hi</body></html>'
    )
    info = pdf_info(pdf, tmp_path)
    assert pdf.startswith(b"%PDF-")
    assert "Tagged: yes" in info
    assert "Hello sheet" in info


def test_the_note_shows_the_injections_the_signer_and_every_amendment_after_it(
    signed, alice_actor, pat
):
    note_amend(
        actor=alice_actor,
        note=signed.note,
        reason="Wrong side recorded",
        text="The injection was on the right knee, not the left.",
    )
    text = pdf_text(note_pdf(signed))
    signer = alice_actor.user.display_name()
    assert f"Signed by {signer}" in text
    assert "Injections" in text
    assert "mL" in text
    assert "Reason: Wrong side recorded" in text
    assert text.index("Injections") < text.index("The injection was on the right knee")
    # The running header carries the patient on every page, the footer the page count.
    assert pat.full_name in text
    assert pat.mrn in text
    assert "Page 1 of 2" in text  # the dose section as signed takes the note onto a second page


def test_the_handout_dates_the_anti_inflammatory_stop_and_names_no_diagnosis(signed, pat):
    text = pdf_text(handout_pdf(signed))
    stop_days = settings_for(pat.clinic).nsaid_stop_days_before
    day = timezone.localtime(signed.scheduled_at).date() - dt.timedelta(days=stop_days)
    assert f"From {long_date(day)}" in text
    assert "stop taking anti-inflammatory" in text
    assert "MCL sprain" not in text
    assert "osteoarthritis" not in text
    assert pat.full_name in text


def test_the_consent_shows_its_version_the_typed_name_and_how_it_was_signed(signed, pat):
    consent = signed.course.consents.get()
    text = pdf_text(consent_pdf(consent))
    assert consent.document.title in text
    assert f"Version {consent.document.version}" in text
    assert consent.typed_name in text
    assert "Signed in clinic" in text
    assert pat.full_name in text


def test_the_note_shows_the_weight_and_ceiling_it_was_signed_against(signed, nora_actor, pat):
    weight_record(actor=nora_actor, patient=pat, weight_kg=Decimal(40))  # later: changes nothing
    text = pdf_text(note_pdf(signed))
    assert "Local anaesthetic against the dose ceiling, as signed" in text
    assert f"Weight 72.5 kg, measured {timezone.localdate():%-d %B %Y}" in text
    assert "Dosing weight 72.5 kg (actual body weight)" in text
    assert "combined 1.7% of the ceiling (within the ceiling)" in text
    assert "Lidocaine, 5 mg 300 mg 1.7%" in text
    assert "4.5 mg/kg × 72.5 kg = 326.25 mg; cap 300 mg" in text


def pdf_image_count(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "images.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfimages", "-list", path], capture_output=True, check=True)
    return len(out.stdout.decode().splitlines()) - 2  # two header lines


def test_the_letterhead_shows_the_clinics_logo_once_set(signed, adam_actor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert pdf_image_count(note_pdf(signed), tmp_path) == 0
    clinic_profile_update(actor=adam_actor, logo=image_upload("JPEG"))
    signed.course.patient.clinic.refresh_from_db()
    pdf = note_pdf(signed)
    assert pdf_image_count(pdf, tmp_path) >= 1
    assert "Riverside Prolotherapy" in pdf_text(pdf)
