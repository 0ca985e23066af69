"""Forms for outcomes: a course's questionnaire schedule, and completing a questionnaire.

The questionnaire form is built from the instrument's data (items, options, the clinic's
imported text), so a new instrument needs no new form.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from prolo.clinic.outcomes.instruments import INSTRUMENTS, Item
from prolo.clinic.services.questionnaires import ClinicInstrument, instrument_choices
from prolo.lib.forms import DateInput

FOLLOW_UPS_MAX_LENGTH = 200
# More options than this are typed as a number rather than picked (the 0–100 VAS).
MAX_RADIO_OPTIONS = 11


class FollowUpsField(forms.Field):
    """'6w, 3m, 12m' → ['6w', '3m', '12m']. The service checks each offset and its range."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> list[str]:
        text = "" if value is None else str(value)
        if "\x00" in text:
            raise ValidationError("Text cannot contain NUL characters.")
        if len(text) > FOLLOW_UPS_MAX_LENGTH:
            raise ValidationError(f"Keep this to {FOLLOW_UPS_MAX_LENGTH} characters.")
        return [part for part in re.split(r"[,\s]+", text) if part]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value


class OutcomeScheduleForm(forms.Form):
    """Which questionnaires a course (or a template's courses) asks for, and when."""

    outcome_instruments = forms.MultipleChoiceField(
        choices=instrument_choices,
        widget=forms.CheckboxSelectMultiple,
        label="Questionnaires at baseline and follow-ups",
        help_text="Answered at planning (baseline) and at every follow-up.",
    )
    session_instruments = forms.MultipleChoiceField(
        choices=instrument_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Questionnaires before each later session",
        help_text="Before session 2, 3 and so on (session 1's is the baseline).",
    )
    follow_ups = FollowUpsField(
        label="Follow-ups after the last session",
        required=False,
        help_text="Weeks (w) or months (m) after the last session, e.g. 6w, 3m, 6m, 12m.",
    )


HEADLINE_PREFIX = "headline_"


class CourseScheduleForm(OutcomeScheduleForm):
    """A course's schedule, and the headline score of each multi-score instrument it uses
    (KOOS: pain, symptoms …); blank takes the default for the instrument and region."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = (self.initial.get("headline_scores") or {}) if self.initial else {}
        for instrument in INSTRUMENTS.values():
            if not instrument.multi_score:
                continue
            default = instrument.headline_spec.name
            choices = [("", f"Default ({default})")]
            choices += [(spec.key, spec.name) for spec in instrument.scores]
            self.fields[HEADLINE_PREFIX + instrument.code] = forms.ChoiceField(
                label=f"{instrument.name}: headline score",
                choices=choices,
                required=False,
                initial=chosen.get(instrument.code, ""),
                help_text="The score its charts, benefit, outcomes page and registry CSV use "
                "for this course, when the course asks for this questionnaire.",
            )

    def headline_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(HEADLINE_PREFIX)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        asked = {*data.get("outcome_instruments", []), *data.get("session_instruments", [])}
        choices = {
            name.removeprefix(HEADLINE_PREFIX): data.pop(name)
            for name in list(data)
            if name.startswith(HEADLINE_PREFIX)
        }
        # Only the instruments the course asks for; a blank takes the default.
        data["headline_scores"] = {
            code: key for code, key in choices.items() if key and code in asked
        }
        return data


class QuestionnaireForm(forms.Form):
    """One field per item of the instrument; blank items are allowed (the rule decides)."""

    slot = forms.ChoiceField(label="Time point")
    answered_on = forms.DateField(label="Answered on", widget=DateInput())

    def __init__(
        self,
        *args: Any,
        instrument: ClinicInstrument,
        slots: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("answered_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.fields["slot"].choices = slots  # type: ignore[attr-defined]
        for number, item in enumerate(instrument.instrument.items, start=1):
            self.fields[self.item_field(item)] = self._field(number, item)

    @staticmethod
    def item_field(item: Item) -> str:
        return f"item_{item.id}"

    def _field(self, number: int, item: Item) -> forms.Field:
        text = self.instrument.text(item)
        label = text or f"Item {item.id} (text not imported: read it from the clinic's form)"
        # The message names the item and its exact answers (VISA-A item 7: 0, 4, 7 or 10).
        refused = f"Item {item.id}: give {item.allowed}, or leave it blank."
        if len(item.options) > MAX_RADIO_OPTIONS:
            return forms.IntegerField(
                label=label,
                required=False,
                min_value=item.low,
                max_value=item.high,
                help_text=f"A whole number from {item.low} to {item.high}.",
                error_messages={"invalid": refused, "min_value": refused, "max_value": refused},
            )
        choices = [(str(o.value), self._option_text(item, o.value)) for o in item.options]
        return forms.TypedChoiceField(
            label=label,
            choices=choices,
            coerce=int,
            required=False,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            error_messages={"invalid_choice": refused},
        )

    def _option_text(self, item: Item, value: int) -> str:
        label = self.instrument.option_label(item, value)
        return f"{value}: {label}" if label else str(value)

    def answers(self) -> dict[str, int | None]:
        return {
            item.id: self.cleaned_data.get(self.item_field(item))
            for item in self.instrument.instrument.items
        }

    def item_fields(self) -> list[forms.BoundField]:
        return [self[self.item_field(item)] for item in self.instrument.instrument.items]


EXTRA_SLOT = ":extra"


def slot_value(course_code: object, timepoint: str) -> str:
    """A course and time point as one choice: '<course code>:<timepoint>'."""
    return f"{course_code}:{timepoint}"


def parse_slot(value: str) -> tuple[str, str]:
    course, _, timepoint = value.partition(":")
    return course, timepoint
