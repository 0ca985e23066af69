"""Input hygiene shared by the services: keep only known fields, strip text, refuse NULs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import Clinic, InjectionStructure, Membership, Role, User
from prolo.clinic.permissions import Actor
from prolo.clinic.sites import SITES_BY_CODE


def pick(values: dict[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """The `allowed` fields of `values`, with text stripped; NUL bytes are refused by field.

    PostgreSQL rejects NUL in text (SQLite does not), so it is refused here, where the field
    can still be named, rather than failing at the database.
    """
    allowed = set(allowed)
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name not in allowed:
            continue
        if isinstance(value, str):
            if "\x00" in value:
                raise ValidationError({name: "Text cannot contain NUL characters."})
            value = value.strip()
        cleaned[name] = value
    return cleaned


# Bounds that catch typing slips (a year of 0206 or 9026), not clinical rules.
PLAUSIBLE_YEARS_BACK = 5
PLAUSIBLE_YEARS_AHEAD = 2


def check_plausible_date(field: str, day: dt.date, clinic: Clinic) -> None:
    today = clinic_today(clinic)
    earliest = today.replace(year=today.year - PLAUSIBLE_YEARS_BACK, day=min(today.day, 28))
    latest = today.replace(year=today.year + PLAUSIBLE_YEARS_AHEAD, day=min(today.day, 28))
    if not earliest <= day <= latest:
        raise ValidationError(
            {field: f"Choose a date between {earliest:%d %b %Y} and {latest:%d %b %Y}."}
        )


def check_practitioner(actor: Actor, practitioner: User | None) -> None:
    """A session's practitioner injects: a physician of the acting clinic, or nobody yet."""
    if practitioner is None:
        return
    is_physician_here = Membership.objects.filter(
        user=practitioner, clinic=actor.clinic, role=Role.PHYSICIAN, active=True
    ).exists()
    if not is_physician_here:
        raise ValidationError({"practitioner": "Choose a physician of this clinic."})


def site_structure_problem(site_code: Any, structure: Any) -> str | None:
    """Why `structure` cannot be recorded at coded site `site_code` (None if it can).

    The one rule for every injection written (a session's note, a template's plan): the coded
    site list says which structures each site is (sites.py). Unknown sites or structures are
    left to their own field's check.
    """
    site = SITES_BY_CODE.get(site_code) if isinstance(site_code, str) else None
    if site is None or structure not in InjectionStructure.values or site.allows(structure):
        return None
    allowed = " or ".join(InjectionStructure(s).label for s in site.structures)
    chosen = InjectionStructure(structure).label
    return (
        f"Target structure: at {site.label} it is {allowed}, not {chosen}. Choose "
        f"{allowed}, or the site that was injected."
    )


def check_site_structure(fields: dict[str, Any]) -> None:
    problem = site_structure_problem(fields.get("site_code"), fields.get("structure"))
    if problem:
        raise ValidationError({"structure": problem})
