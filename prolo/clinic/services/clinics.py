"""Clinics, staff accounts and memberships.

These set up who works where; they are not clinical writes, so they leave no audit row. A new
clinic starts with the default stock catalogue and anaesthetic limits (services/catalogue.py).
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from prolo.clinic.models import Clinic, Membership, User
from prolo.clinic.services.catalogue import clinic_safety_install


@transaction.atomic
def clinic_create(*, name: str, address: str = "", phone: str = "", time_zone: str = "") -> Clinic:
    """A new clinic; without a time zone it works in the installation's (settings.TIME_ZONE)."""
    clinic = Clinic(name=name.strip(), address=address.strip(), phone=phone.strip())
    if time_zone.strip():
        clinic.time_zone = time_zone.strip()
    clinic.full_clean()
    clinic.save(force_insert=True)
    clinic_safety_install(clinic=clinic)
    return clinic


@transaction.atomic
def clinic_time_zone_set(*, clinic: Clinic, time_zone: str) -> Clinic:
    """Move the clinic to another IANA time zone: its "today" and the times it shows follow."""
    clinic.time_zone = time_zone.strip()
    clinic.full_clean(validate_unique=False)
    clinic.save(update_fields=["time_zone"])
    return clinic


@transaction.atomic
def membership_add(*, clinic: Clinic, user: User, role: str) -> Membership:
    membership = Membership(clinic=clinic, user=user, role=role)
    membership.full_clean()
    membership.save(force_insert=True)
    return membership


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    password: str,
    first_name: str,
    last_name: str,
    title: str = "",
    email: str = "",
    validate_password: bool = True,
) -> User:
    user = User(
        username=username.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        title=title.strip(),
        email=User.objects.normalize_email(email.strip()),
    )
    if validate_password:
        try:
            # Given the user, the similarity validator can compare against their names.
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.error_list}) from None
    user.set_password(password)
    user.full_clean()
    user.save(force_insert=True)
    return user
