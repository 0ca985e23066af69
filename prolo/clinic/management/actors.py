"""Management commands act as a named staff member of a clinic, never as a superuser: the
member's role decides what the command may do, and the audit trail shows it under their name.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from prolo.clinic.models import Clinic, Membership
from prolo.clinic.permissions import Actor

USAGE_ERROR = 2


def command_actor(clinic_code: str, username: str) -> Actor:
    try:
        clinic = Clinic.objects.get(code=clinic_code)
    except (Clinic.DoesNotExist, ValidationError, ValueError):
        raise CommandError(
            f"--clinic: no clinic with the code {clinic_code!r} (a UUID).", returncode=USAGE_ERROR
        ) from None
    membership = (
        Membership.objects.filter(clinic=clinic, user__username=username, active=True)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise CommandError(
            f"--user: {username!r} is not an active member of {clinic.name}.",
            returncode=USAGE_ERROR,
        )
    return Actor(user=membership.user, clinic=clinic, role=membership.role)
