"""The outcomes page's filters (a GET form): parses only; the service checks the rest."""

from __future__ import annotations

from typing import Any

from django import forms

from prolo.clinic.models import CourseType
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.services.outcome_report import DEFAULT_INSTRUMENT
from prolo.clinic.services.questionnaires import ClinicInstrument
from prolo.lib.forms import DateInput


class OutcomeFilterForm(forms.Form):
    instrument = forms.ChoiceField(label="Instrument", required=False)
    course_type = forms.ChoiceField(
        label="Course type", required=False, choices=[("", "All types"), *CourseType.choices]
    )
    start_from = forms.DateField(label="Courses starting from", required=False, widget=DateInput())
    start_to = forms.DateField(label="Courses starting up to", required=False, widget=DateInput())

    def __init__(
        self, *args: Any, instruments: dict[str, ClinicInstrument] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["instrument"]
        field.choices = (
            [(code, i.name) for code, i in INSTRUMENTS.items()]
            if instruments is None
            else [(code, _label(view)) for code, view in instruments.items()]
        )

    def clean_instrument(self) -> str:
        return self.cleaned_data["instrument"] or DEFAULT_INSTRUMENT

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        start, end = data.get("start_from"), data.get("start_to")
        if start and end and start > end:
            self.add_error("start_to", "Choose a day on or after 'Courses starting from'.")
        return data


def _label(view: ClinicInstrument) -> str:
    return view.name if view.mcid else f"{view.name} (no MCID set)"


def filters_of(form: OutcomeFilterForm) -> dict[str, Any]:
    """The service's keyword arguments; the defaults when nothing was asked."""
    if not form.is_bound:
        return {"instrument": DEFAULT_INSTRUMENT}
    return {name: form.cleaned_data[name] for name in form.fields}
