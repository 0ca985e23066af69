"""Outcome display helpers: instrument names and time-point labels in templates."""

from __future__ import annotations

from django import template

from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.outcomes.schedule import timepoint_label

register = template.Library()


@register.filter
def instrument_name(code: str) -> str:
    instrument = INSTRUMENTS.get(code)
    return instrument.name if instrument else code


@register.filter
def timepoint(value: str) -> str:
    return timepoint_label(value)
