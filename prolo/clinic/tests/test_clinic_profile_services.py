from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from prolo.clinic.models import AuditAction, AuditEvent, Clinic
from prolo.clinic.services.clinic_profile import (
    LOGO_MAX_BYTES,
    clinic_profile_update,
)


def image_upload(kind: str = "PNG", size: tuple[int, int] = (120, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, kind)
    suffix = {"PNG": "png", "JPEG": "jpg", "GIF": "gif"}[kind]
    return SimpleUploadedFile(f"logo.{suffix}", buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_admin_changes_the_profile_and_it_is_audited(adam_actor):
    clinic = clinic_profile_update(
        actor=adam_actor,
        name="Riverside Prolotherapy & Sports",
        address="1 River Road",
        phone="020 7946 0000",
        email="desk@riverside.example",
        time_zone="Europe/Paris",
    )
    assert Clinic.objects.get(pk=clinic.pk).time_zone == "Europe/Paris"
    event = AuditEvent.objects.get(object_type="clinic")
    assert event.patient is None
    assert event.changes["email"] == ["", "desk@riverside.example"]


def test_an_unknown_time_zone_is_refused_and_nothing_changes(adam_actor):
    with pytest.raises(ValidationError) as exc:
        clinic_profile_update(actor=adam_actor, name="New name", time_zone="Europe/Atlantis")
    assert "time_zone" in exc.value.message_dict
    assert Clinic.objects.get(pk=adam_actor.clinic.pk).name == "Riverside Prolotherapy"
    assert not AuditEvent.objects.exists()


def test_a_nurse_may_not_change_the_profile(nora_actor):
    with pytest.raises(PermissionDenied):
        clinic_profile_update(actor=nora_actor, name="Mine")


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_png_or_jpeg_logo_is_stored(adam_actor, kind):
    clinic = clinic_profile_update(actor=adam_actor, logo=image_upload(kind))
    assert str(clinic.logo.name).startswith("logos/")
    assert Image.open(clinic.logo.path).format == kind
    assert AuditEvent.objects.filter(object_type="clinic", action=AuditAction.UPDATE).exists()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n not really", content_type="image/png"),
        SimpleUploadedFile("logo.png", b"<svg></svg>", content_type="image/png"),
        image_upload("GIF"),
        image_upload("PNG", size=(5000, 10)),
        SimpleUploadedFile("logo.png", b"\0" * (LOGO_MAX_BYTES + 1), content_type="image/png"),
    ],
    ids=["fake png", "svg", "gif", "too wide", "too big"],
)
def test_anything_but_a_real_png_or_jpeg_of_sensible_size_is_refused(adam_actor, upload):
    with pytest.raises(ValidationError) as exc:
        clinic_profile_update(actor=adam_actor, logo=upload)
    assert "logo" in exc.value.message_dict
    assert not Clinic.objects.get(pk=adam_actor.clinic.pk).logo


def test_the_logo_can_be_removed(adam_actor):
    clinic_profile_update(actor=adam_actor, logo=image_upload())
    assert not clinic_profile_update(actor=adam_actor, remove_logo=True).logo
