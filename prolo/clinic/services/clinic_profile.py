"""The clinic's profile: its name and contact on letters, its time zone and letterhead logo.

Changes are audited without a patient, like the safety settings.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from prolo.clinic.access import require
from prolo.clinic.models import Clinic
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import update_audited
from prolo.clinic.services.fields import pick

PROFILE_FIELDS = ("name", "address", "phone", "email", "time_zone")
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 4000
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}


def _locked(actor: Actor) -> Clinic:
    return Clinic.objects.select_for_update().get(pk=actor.clinic.pk)


@transaction.atomic
def clinic_profile_update(
    *, actor: Actor, logo: UploadedFile | None = None, remove_logo: bool = False, **fields: Any
) -> Clinic:
    """Change the acting clinic's name, contact, time zone (an IANA name) or letterhead logo.

    A new `logo` replaces the old one; `remove_logo` takes it off the letterhead.
    """
    require(actor, Perm.MANAGE_CLINIC)
    changes: dict[str, Any] = pick(fields, PROFILE_FIELDS)
    clinic = _locked(actor)
    changes = {name: value for name, value in changes.items() if getattr(clinic, name) != value}
    if logo is not None:
        logo.name = f"logo.{_check_logo(logo)}"
        changes["logo"] = logo
    elif remove_logo and clinic.logo:
        changes["logo"] = ""
    return update_audited(actor=actor, instance=clinic, patient=None, changes=changes)


def _check_logo(upload: UploadedFile) -> str:
    """The file suffix of a real PNG or JPEG image of a sensible size; refuses anything else."""
    if (upload.size or 0) > LOGO_MAX_BYTES:
        raise ValidationError({"logo": f"The logo can be at most {LOGO_MAX_BYTES // 1024} KB."})
    try:
        with Image.open(upload) as image:
            image.verify()  # reads the whole file: a truncated or disguised one fails here
            kind, size = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError({"logo": "The logo must be a PNG or JPEG image."}) from None
    finally:
        upload.seek(0)
    if kind not in LOGO_FORMATS:
        raise ValidationError({"logo": "The logo must be a PNG or JPEG image."})
    if max(size) > LOGO_MAX_PIXELS:
        raise ValidationError(
            {"logo": f"The logo can be at most {LOGO_MAX_PIXELS} pixels wide or high."}
        )
    return LOGO_FORMATS[kind]
