"""The LAST panel's form: parses input; the rules live in services/last.py."""

from __future__ import annotations

from django import forms

from prolo.clinic.models import AdverseEvent, Seriousness
from prolo.lib.forms import ParseModelForm, TimeInput


class LastEventForm(ParseModelForm):
    # Written into the page when the panel opened; the service refuses a time in the future.
    opened_at = forms.DateTimeField(label="Panel opened at", widget=forms.HiddenInput)
    onset_time = forms.TimeField(
        label="Onset time (optional)",
        required=False,
        widget=TimeInput(),
        help_text="When the first sign appeared, on the day the panel was opened, if known.",
    )
    seriousness_criteria = forms.MultipleChoiceField(
        choices=Seriousness.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Seriousness criteria",
        help_text="Required when the event is serious; a grade 5 event is a death.",
    )

    class Meta:
        model = AdverseEvent
        fields = ("grade", "serious", "seriousness_criteria", "expectedness", "actions_taken")
        widgets = {"actions_taken": forms.Textarea(attrs={"rows": 3})}
        labels = {"actions_taken": "What was done (optional)"}
        help_texts = {
            "actions_taken": "For example: injection stopped, oxygen, midazolam, lipid emulsion "
            "bolus and infusion, transfer.",
        }
