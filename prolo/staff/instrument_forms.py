"""Forms of the clinic's Instruments pages: importing item text, and the clinic's settings.

They only parse: the services (clinic/services/instruments.py) check the Questionnaire against
the instrument, the minimums against the subscales and the MCID's source.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms

from prolo.clinic.outcomes.instruments import Instrument
from prolo.clinic.services.instruments import MAX_LICENCE_NOTE, min_field

MAX_FILE_BYTES = 1024 * 1024  # a 30-item Questionnaire with every label is about 60 kB


def parse_json(text: str, field: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise forms.ValidationError(f"{field}: the JSON is nested too deeply.") from None
    except ValueError as exc:  # JSONDecodeError, or a number too long to read
        raise forms.ValidationError(f"{field}: this is not valid JSON ({exc}).") from None


class QuestionnaireJSONField(forms.CharField):
    """Pasted JSON text, parsed; whether it is a Questionnaire is the service's question."""

    widget = forms.Textarea(attrs={"rows": 12, "spellcheck": "false"})

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        return parse_json(text, "Questionnaire JSON") if text else None


class InstrumentImportForm(forms.Form):
    file = forms.FileField(
        label="Questionnaire file (.json)",
        required=False,
        help_text="A FHIR R4B Questionnaire, such as this instrument's export with the official "
        "wording filled in. Or paste the JSON below.",
    )
    questionnaire = QuestionnaireJSONField(
        label="Or paste the Questionnaire JSON",
        required=False,
        max_length=MAX_FILE_BYTES,
    )
    licence_note = forms.CharField(
        label="Licence note",
        max_length=MAX_LICENCE_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Under which licence the clinic uses this text (for example the licence "
        "number and its holder). Writing it confirms the clinic holds the licence.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB; a Questionnaire is not.")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text (JSON).") from None
        return parse_json(text, "Questionnaire file")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        uploaded = cleaned.pop("file", None)
        pasted = cleaned.get("questionnaire")
        if self.errors:
            return cleaned
        if uploaded is not None and pasted is not None:
            self.add_error("questionnaire", "Upload a file or paste the JSON, not both.")
        elif uploaded is None and pasted is None:
            self.add_error("file", "Upload the Questionnaire file, or paste its JSON below.")
        elif uploaded is not None:
            cleaned["questionnaire"] = uploaded
        return cleaned


class InstrumentSettingsForm(forms.Form):
    """One minimum per subscale (blank: the shipped one), and the clinic's MCID."""

    mcid_points = forms.DecimalField(
        label="MCID (points)",
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text="Leave blank to use the shipped MCID.",
    )
    mcid_percent = forms.DecimalField(
        label="MCID (% of baseline)",
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text="Optional: also improved by this percentage of the baseline score.",
    )
    mcid_source = forms.CharField(
        label="MCID source",
        required=False,
        max_length=300,
        help_text="Required with an MCID: the study or the clinic's decision it comes from.",
    )

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        minimums = {
            min_field(s.key): forms.IntegerField(
                label=f"{s.name}: minimum answered (of {len(s.item_ids)})",
                required=False,
                help_text=f"Shipped: {s.min_answered}. Blank uses the shipped minimum.",
            )
            for s in instrument.subscales
        }
        # The minimums first, in the subscales' order: they are what the page is mostly about.
        self.fields = {**minimums, **self.fields}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["min_answered"] = {
            s.key: cleaned.pop(min_field(s.key), None) for s in self.instrument.subscales
        }
        return cleaned
