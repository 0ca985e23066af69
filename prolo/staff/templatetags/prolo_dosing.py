"""The session page's anaesthetic-dose panel: `{% include "staff/_session_dose.html" %}`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms, template

from prolo.clinic.models import TreatmentSession
from prolo.clinic.safety import dosing
from prolo.clinic.services.dosing import SessionDose, session_dose_summary
from prolo.staff.forms import DoseOverrideForm

register = template.Library()


@register.simple_tag
def session_dose(session: TreatmentSession) -> SessionDose:
    return session_dose_summary(session)


@register.simple_tag(takes_context=True)
def dose_override_form(context: template.Context) -> forms.Form:
    """The override form the page was re-rendered with (with its errors), or a blank one."""
    bound = (context.get("forms") or {}).get("dose_override")
    return bound if bound is not None else DoseOverrideForm(prefix="dose")


@register.filter
def mg(value: Decimal | None) -> str:
    return dosing.show(value, 2)


@register.filter
def ceiling_mg(value: Decimal | None) -> str:
    return dosing.show_ceiling(value)


@register.filter
def percent(value: Decimal | None) -> str:
    return dosing.show_percent(value)


@register.filter
def factor(value: Decimal | None) -> str:
    return "—" if value is None else dosing.show_factor(value)


@register.filter
def number(value: Decimal | None) -> str:
    return dosing.show(value, 2)


@register.simple_tag
def dose_sources() -> dict[str, Any]:
    return {
        "mg": dosing.MG_SOURCE,
        "factor": dosing.FACTOR_SOURCE,
        "additive": dosing.ADDITIVE_SOURCE,
        "epinephrine": dosing.EPINEPHRINE_RULE,
    }
