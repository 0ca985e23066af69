"""HTML-edge parsing for the clinic's own pages: safety settings and protocol templates.

Like staff/forms.py: every form feeds a service and none saves anything itself. Kept apart
because these forms are about the clinic, not a patient.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from prolo.clinic.models import Anaesthetic, ClinicSettings, InjectionStructure, ProtocolTemplate
from prolo.clinic.safety.protocols import LIBRARY
from prolo.clinic.services.clinic_settings import SETTING_SOURCES, SETTINGS_FIELDS, default_of
from prolo.clinic.sites import site_choices
from prolo.lib.forms import ParseModelForm
from prolo.staff.outcome_forms import OutcomeScheduleForm

WEEKS_MAX_LENGTH = 200
_WHOLE = re.compile(r"-?[0-9]+")


class WeeksField(forms.Field):
    """'0, 4, 8' → [0, 4, 8]. The service checks the order and the range."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> list[int]:
        text = "" if value is None else str(value)
        if "\x00" in text:
            raise ValidationError("Text cannot contain NUL characters.")
        if len(text) > WEEKS_MAX_LENGTH:
            raise ValidationError(f"Keep this to {WEEKS_MAX_LENGTH} characters.")
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if not all(_WHOLE.fullmatch(p) for p in parts):
            raise ValidationError("Give whole numbers of weeks separated by commas, e.g. 0, 4, 8.")
        if any(len(p.lstrip("-")) > 4 for p in parts):
            raise ValidationError("Weeks go up to 104.")
        return [int(p) for p in parts]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value


class ProtocolCopyForm(forms.Form):
    key = forms.ChoiceField(
        choices=[(p.key, p.name) for p in LIBRARY], widget=forms.HiddenInput, label="Protocol"
    )


class ProtocolForm(OutcomeScheduleForm, ParseModelForm):
    session_weeks = WeeksField(
        label="Session weeks",
        help_text="The week of each session, the first being week 0, e.g. 0, 4, 8.",
    )
    optional_weeks = WeeksField(
        label="Optional weeks",
        required=False,
        help_text="Further sessions if needed, after the last one, e.g. 12, 16. Not booked "
        "automatically.",
    )

    class Meta:
        model = ProtocolTemplate
        fields = ("name", "condition", "max_session_volume_ml", "evidence", "unverified", "active")
        labels = {
            "max_session_volume_ml": "Maximum volume per session (mL)",
            "evidence": "Evidence and notes",
            "unverified": "Unverified parts",
            "active": "Offer this template when planning a course",
        }
        help_texts = {
            "max_session_volume_ml": "As the source states it; leave empty if it gives none.",
            "unverified": "One per line. Remove a line only once a clinician has confirmed it.",
        }
        widgets = {
            "evidence": forms.Textarea(attrs={"rows": 4}),
            "unverified": forms.Textarea(attrs={"rows": 4}),
            "max_session_volume_ml": forms.NumberInput(attrs={"step": "0.1"}),
        }

    field_order = ("name", "condition", "session_weeks", "optional_weeks")


class ProtocolInjectionForm(forms.Form):
    site_code = forms.ChoiceField(choices=site_choices(), label="Site")
    structure = forms.ChoiceField(choices=InjectionStructure.choices, label="Target structure")
    volume_ml = forms.DecimalField(
        label="Volume per injection (mL)",
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.1"),
        max_value=30,
        help_text="Leave empty if the source does not give it: the physician enters it.",
        widget=forms.NumberInput(attrs={"step": "0.1"}),
    )
    dextrose_percent = forms.DecimalField(
        label="Dextrose (%)",
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=50,
        widget=forms.NumberInput(attrs={"step": "0.1"}),
    )
    anaesthetic = forms.ChoiceField(choices=Anaesthetic.choices)
    anaesthetic_percent = forms.DecimalField(
        label="Anaesthetic (%)",
        required=False,
        max_digits=4,
        decimal_places=2,
        min_value=0,
        max_value=4,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    count = forms.IntegerField(
        label="Number of injections",
        required=False,
        min_value=1,
        max_value=50,
        help_text="Leave empty for 'as needed'.",
    )
    note = forms.CharField(max_length=200, required=False)


def _settings_help(name: str) -> str:
    source = next(s for s in SETTING_SOURCES if s.name == name)
    return f"Default {default_of(name)} {source.unit}. {source.source}"


class ClinicSettingsForm(ParseModelForm):
    class Meta:
        model = ClinicSettings
        fields = SETTINGS_FIELDS
        labels = {
            "heat_pack_min_minutes": "Heat pack, shortest (minutes)",
            "heat_pack_max_minutes": "Heat pack, longest (minutes)",
        }
        help_texts = {name: _settings_help(name) for name in SETTINGS_FIELDS}
        widgets = {
            "syringe_precision_ml": forms.NumberInput(attrs={"step": "0.01"}),
            "child_factor": forms.NumberInput(attrs={"step": "0.05"}),
            "elderly_factor": forms.NumberInput(attrs={"step": "0.05"}),
            "hepatic_factor": forms.NumberInput(attrs={"step": "0.05"}),
            "cardiac_factor": forms.NumberInput(attrs={"step": "0.05"}),
            "prp_min_haemoglobin": forms.NumberInput(attrs={"step": "0.1"}),
        }
