"""The session page's anaesthetic-dose panel: `{% include "staff/_session_dose.html" %}`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms, template

from prolo.clinic.models import TreatmentSession
from prolo.clinic.safety import dosing
from prolo.clinic.services.dosing import SessionDose, session_dose_summary
from prolo.staff.forms import DoseOverrideForm

register = template.Library()

CHILD_LABEL = "Reason for the dose sign-off (under 18)"
CHILD_HELP = (
    "Why this anaesthetic dose is right for a patient under 18. Recorded in the audit trail "
    "with your name. It covers the total as it is now: more anaesthetic afterwards needs a new "
    "sign-off."
)


@register.simple_tag(takes_context=True)
def session_dose(context: template.Context, session: TreatmentSession) -> SessionDose:
    """The session's dose summary, from the patient, note and injections the page has loaded."""
    injections = context.get("injections")
    note = context.get("note")
    return session_dose_summary(
        session,
        patient=context.get("patient"),
        note=note,
        injections=injections if note is not None and injections is not None else None,
    )


@register.simple_tag(takes_context=True)
def dose_override_form(context: template.Context, child: bool = False) -> forms.Form:
    """The override form the page was re-rendered with (with its errors), or a blank one;
    worded as the dose sign-off for a patient under 18."""
    bound = (context.get("forms") or {}).get("dose_override")
    form = bound if bound is not None else DoseOverrideForm(prefix="dose")
    if child:
        # Both the field and its bound field: a validated form has already made the latter.
        for part in (form.fields["reason"], form["reason"]):
            part.label = CHILD_LABEL
            part.help_text = CHILD_HELP
    return form


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
        "child": dosing.CHILD_SOURCE,
        "weight": dosing.WEIGHT_SOURCE,
        "no_cap": dosing.NO_CAP_SOURCE,
    }


@register.filter
def iso_date(value: str | None) -> dt.date | None:
    """A date kept as ISO text (the figures stored at signing) back as a date."""
    return dt.date.fromisoformat(value) if value else None
