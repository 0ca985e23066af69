"""The adverse-event form: parses input; the rules live in services/adverse_events.py."""

from __future__ import annotations

from typing import Any

from django import forms

from prolo.clinic.models import AdverseEvent, Injection, Patient, Seriousness, TreatmentSession
from prolo.clinic.services.adverse_events import ADVERSE_EVENT_FIELDS
from prolo.lib.forms import DateInput, ParseModelForm


class AdverseEventForm(ParseModelForm):
    seriousness_criteria = forms.MultipleChoiceField(
        choices=Seriousness.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Seriousness criteria",
        help_text="Required when the event is serious; a grade 5 event is a death.",
    )

    class Meta:
        model = AdverseEvent
        fields = ADVERSE_EVENT_FIELDS
        widgets = {
            "onset_date": DateInput(),
            "actions_taken": forms.Textarea(attrs={"rows": 3}),
            "follow_up_notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"session": "Session (optional)", "injection": "Injection (optional)"}

    def __init__(
        self,
        *args: Any,
        patient: Patient,
        session: TreatmentSession | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        sessions = TreatmentSession.objects.filter(course__patient=patient).order_by(
            "-scheduled_at"
        )
        injections = Injection.objects.filter(note__session__course__patient=patient)
        if session is not None:
            injections = injections.filter(note__session=session)
        session_field: Any = self.fields["session"]
        session_field.queryset = sessions
        session_field.label_from_instance = lambda s: (
            f"{s.scheduled_at:%d %b %Y}, session {s.number} of {s.course}"
        )
        injection_field: Any = self.fields["injection"]
        injection_field.queryset = injections.select_related("note__session").order_by("pk")
        injection_field.label_from_instance = lambda i: (
            f"{i.note.session.scheduled_at:%d %b %Y}: {i.get_site_code_display()}, "
            f"{i.get_side_display()}"
        )
