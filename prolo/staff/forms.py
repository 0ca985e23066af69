"""HTML-edge parsing only: every form feeds a service, none saves anything itself.

ModelForms are used for their field definitions and per-field validation; they are never given
an `instance` (that would mutate the model before the service audits the change) and never saved.
"""

from __future__ import annotations

from django import forms

from prolo.clinic.models import (
    Allergy,
    Amendment,
    Checklist,
    Condition,
    CourseStatus,
    Evaluation,
    ImagingStudy,
    Injection,
    Medication,
    Patient,
    ProcedureNote,
    Structure,
    TreatmentCourse,
    TreatmentSession,
    User,
)
from prolo.clinic.models.patients import MAX_WEIGHT_KG, MIN_WEIGHT_KG
from prolo.clinic.services.evaluations import EVALUATION_FIELDS
from prolo.clinic.services.patients import DEMOGRAPHIC_FIELDS, HISTORY_FLAG_FIELDS
from prolo.clinic.services.sessions import CHECKLIST_FIELDS, INJECTION_FIELDS, NOTE_FIELDS
from prolo.clinic.sites import site_choices
from prolo.lib.forms import DateInput, DateTimeInput, ParseModelForm, TimeInput


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label="Search by name, MRN or date of birth",
        required=False,
        max_length=100,
        help_text="Date of birth as YYYY-MM-DD.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class PatientForm(ParseModelForm):
    class Meta:
        model = Patient
        fields = DEMOGRAPHIC_FIELDS
        widgets = {"date_of_birth": DateInput(), "address": forms.Textarea(attrs={"rows": 3})}


class HistoryFlagsForm(ParseModelForm):
    class Meta:
        model = Patient
        fields = HISTORY_FLAG_FIELDS


class WeightForm(forms.Form):
    weight_kg = forms.DecimalField(
        label="Weight (kg)",
        max_digits=4,
        decimal_places=1,
        min_value=MIN_WEIGHT_KG,
        max_value=MAX_WEIGHT_KG,
        help_text=f"Between {MIN_WEIGHT_KG} and {MAX_WEIGHT_KG} kg, to one decimal place.",
    )
    measured_on = forms.DateField(label="Measured on", widget=DateInput())


class ConditionForm(ParseModelForm):
    class Meta:
        model = Condition
        fields = ("name", "onset", "notes")
        labels = {"name": "Condition"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class MedicationForm(ParseModelForm):
    class Meta:
        model = Medication
        fields = ("name", "dose", "drug_class")
        labels = {"name": "Medication"}


class AllergyForm(ParseModelForm):
    class Meta:
        model = Allergy
        fields = ("substance", "category", "reaction")


class EvaluationForm(ParseModelForm):
    target_structures = forms.MultipleChoiceField(
        choices=Structure.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Target structures",
    )

    class Meta:
        model = Evaluation
        fields = EVALUATION_FIELDS
        widgets = {
            "evaluated_on": DateInput(),
            "presenting_complaint": forms.Textarea(attrs={"rows": 3}),
            "examination_findings": forms.Textarea(attrs={"rows": 4}),
            "eligibility_reasons": forms.Textarea(attrs={"rows": 3}),
            "alternatives_discussed": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "eligibility_reasons": "Required once eligibility is decided.",
        }


class ImagingForm(ParseModelForm):
    class Meta:
        model = ImagingStudy
        fields = ("modality", "performed_on", "findings", "file")
        # A plain file input: a new study has no file to clear.
        widgets = {
            "performed_on": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "file": forms.FileInput(),
        }
        labels = {"file": "Attach a file (optional)"}
        help_texts = {"file": "PDF, JPEG, PNG or DICOM."}


def _practitioner_field(clinic_id: int) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=User.objects.filter(
            memberships__clinic_id=clinic_id,
            memberships__role="physician",
            memberships__active=True,
        ).order_by("last_name", "first_name"),
        required=False,
        label="Practitioner",
        empty_label="Not assigned yet",
    )


class CourseForm(ParseModelForm):
    evaluation = forms.ModelChoiceField(queryset=Evaluation.objects.none(), label="From evaluation")
    first_session_time = forms.TimeField(label="Time of each session", widget=TimeInput())
    room = forms.CharField(max_length=60, required=False)

    class Meta:
        model = TreatmentCourse
        fields = (
            "course_type",
            "target_region",
            "laterality",
            "targets",
            "planned_sessions",
            "interval_days",
            "start_date",
        )
        widgets = {"start_date": DateInput()}
        help_texts = {
            "planned_sessions": "Session dates are proposed from the plan; you can move each one.",
            "interval_days": "Trials used 14 to 42 days between sessions (commonly 28).",
        }

    def __init__(self, *args: object, patient: Patient, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["evaluation"].queryset = patient.evaluations.filter(eligibility="eligible")  # type: ignore[attr-defined]
        self.fields["practitioner"] = _practitioner_field(patient.clinic_id)
        self.order_fields(
            ["evaluation", *self.Meta.fields, "first_session_time", "practitioner", "room"]
        )


class CourseStatusForm(forms.Form):
    status = forms.ChoiceField(choices=CourseStatus.choices, label="New status")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Required when stopping a course.",
    )


class SessionForm(ParseModelForm):
    class Meta:
        model = TreatmentSession
        fields = ("scheduled_at", "room")
        widgets = {"scheduled_at": DateTimeInput()}
        labels = {"scheduled_at": "Date and time"}

    def __init__(self, *args: object, clinic_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["practitioner"] = _practitioner_field(clinic_id)
        self.order_fields(["scheduled_at", "practitioner", "room"])


class ChecklistForm(ParseModelForm):
    weight_kg = forms.DecimalField(
        label="Today's weight (kg)",
        max_digits=4,
        decimal_places=1,
        required=False,
        min_value=MIN_WEIGHT_KG,
        max_value=MAX_WEIGHT_KG,
        help_text="Recorded in the patient's weight history.",
    )

    class Meta:
        model = Checklist
        fields = CHECKLIST_FIELDS
        widgets = {"nsaids_stopped_on": DateInput()}


class NoteForm(ParseModelForm):
    class Meta:
        model = ProcedureNote
        fields = NOTE_FIELDS
        widgets = {
            "observations": forms.Textarea(attrs={"rows": 2}),
            "complications": forms.Textarea(attrs={"rows": 2}),
            "aftercare_given": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"heat_pack_minutes": "Usually 10–15 minutes after the injections."}


class InjectionForm(ParseModelForm):
    site_code = forms.ChoiceField(choices=site_choices(), label="Site")

    class Meta:
        model = Injection
        fields = INJECTION_FIELDS
        widgets = {
            "dextrose_percent": forms.NumberInput(attrs={"step": "0.1"}),
            "anaesthetic_percent": forms.NumberInput(attrs={"step": "0.01"}),
            "volume_ml": forms.NumberInput(attrs={"step": "0.1"}),
        }


class AmendmentForm(ParseModelForm):
    class Meta:
        model = Amendment
        fields = ("reason", "text")
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
