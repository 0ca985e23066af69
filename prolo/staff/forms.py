"""HTML-edge parsing only: every form feeds a service, none saves anything itself.

ModelForms are used for their field definitions and per-field validation; they are never given
an `instance` (that would mutate the model before the service audits the change) and never saved.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from prolo.clinic.models import (
    Allergy,
    Amendment,
    AnaestheticLimit,
    Checklist,
    Condition,
    CourseStatus,
    Evaluation,
    ImagingStudy,
    Injection,
    Medication,
    Patient,
    ProcedureNote,
    ProtocolTemplate,
    StockProduct,
    Structure,
    Syringe,
    TreatmentCourse,
    TreatmentSession,
    User,
)
from prolo.clinic.models.patients import MAX_HEIGHT_CM, MAX_WEIGHT_KG, MIN_HEIGHT_CM, MIN_WEIGHT_KG
from prolo.clinic.services.baseline import REASON_MAX as BASELINE_REASON_MAX
from prolo.clinic.services.evaluations import EVALUATION_FIELDS
from prolo.clinic.services.patients import DEMOGRAPHIC_FIELDS, HISTORY_FLAG_FIELDS
from prolo.clinic.services.screening import ANSWER_FIELDS, HAEMOGLOBIN_RANGE, PLATELETS_RANGE
from prolo.clinic.services.sessions import CHECKLIST_FIELDS, INJECTION_FIELDS, NOTE_FIELDS
from prolo.clinic.services.syringes import DISCARD_REASON_MAX
from prolo.clinic.sites import site_choices
from prolo.lib.forms import DateInput, DateTimeInput, ParseModelForm, TimeInput
from prolo.staff.outcome_forms import CourseScheduleForm


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
    height_cm = forms.DecimalField(
        label="Height (cm)",
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=MIN_HEIGHT_CM,
        max_value=MAX_HEIGHT_CM,
        help_text=f"Optional: between {MIN_HEIGHT_CM} and {MAX_HEIGHT_CM} cm. Needed when the "
        "clinic doses anaesthetic by ideal or adjusted body weight.",
    )


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


class ScreeningFieldsForm(forms.Form):
    """Today's contraindication-screening answers and a physician's reason to go ahead.

    Rendered by staff/_screening_fields.html; `clean` hands the answers to the service as one
    `answers` mapping. An unticked box means "no".
    """

    local_infection = forms.BooleanField(
        required=False,
        label="Active infection at or near the injection site",
        help_text="Cellulitis, an abscess, or a joint that may be septic.",
    )
    systemic_infection = forms.BooleanField(required=False, label="Fever or systemic infection")
    inflammatory_flare = forms.BooleanField(
        required=False, label="Acute gout or inflammatory arthritis flare"
    )
    site_steroid_on = forms.DateField(
        required=False,
        label="Last steroid injection at the site",
        widget=DateInput(),
        help_text="Leave empty if none.",
    )
    haemoglobin = forms.DecimalField(
        required=False,
        label="Haemoglobin (g/dL)",
        max_digits=3,
        decimal_places=1,
        min_value=HAEMOGLOBIN_RANGE[0],
        max_value=HAEMOGLOBIN_RANGE[1],
    )
    platelets = forms.IntegerField(
        required=False,
        label="Platelets (×10³/µL)",
        min_value=PLATELETS_RANGE[0],
        max_value=PLATELETS_RANGE[1],
        help_text="In thousands per microlitre, e.g. 250.",
    )
    platelet_disorder = forms.BooleanField(
        required=False,
        label="Platelet dysfunction, critical thrombocytopenia or haemodynamic instability",
    )
    acknowledgement = forms.CharField(
        required=False,
        label="Physician's reason for going ahead despite the cautions",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the screening finds a relative contraindication; recorded with "
        "your name. Absolute contraindications cannot be overridden.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["answers"] = {name: data.pop(name) for name in ANSWER_FIELDS if name in data}
        return data


class CourseForm(ScreeningFieldsForm, CourseScheduleForm, ParseModelForm):
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
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].queryset = patient.evaluations.filter(eligibility="eligible")  # type: ignore[attr-defined]
        self.fields["practitioner"] = _practitioner_field(patient.clinic_id)
        self.fields["protocol"] = _protocol_field(patient.clinic_id)
        if self.data.get(self.add_prefix("protocol")):  # the template decides these
            for name in TEMPLATE_DECIDES:
                self.fields[name].required = False
        self.fields["planned_stocks"] = forms.ModelMultipleChoiceField(
            queryset=StockProduct.objects.filter(clinic_id=patient.clinic_id, active=True),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Planned solutions",
            help_text="The stocks this course will draw up; the patient's allergies are checked "
            "against them. None ticked: the clinic's usual stocks for the course type.",
        )
        self.order_fields(
            [
                "evaluation",
                "protocol",
                *self.Meta.fields,
                "first_session_time",
                "practitioner",
                "room",
            ]
        )


TEMPLATE_DECIDES = (
    "course_type",
    "target_region",
    "planned_sessions",
    "interval_days",
    "outcome_instruments",
)


def _protocol_field(clinic_id: int) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=ProtocolTemplate.objects.filter(clinic_id=clinic_id, active=True),
        required=False,
        label="Protocol template",
        empty_label="None: plan the schedule below",
        help_text="A template sets the type, region, number of sessions and the week of each: "
        "what you choose for those below is then not used.",
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


class ChecklistForm(ScreeningFieldsForm, ParseModelForm):
    weight_kg = forms.DecimalField(
        label="Today's weight (kg)",
        max_digits=4,
        decimal_places=1,
        required=False,
        min_value=MIN_WEIGHT_KG,
        max_value=MAX_WEIGHT_KG,
        help_text="Recorded in the patient's weight history.",
    )
    no_baseline_reason = forms.CharField(
        required=False,
        label="Reason for going ahead without a baseline questionnaire",
        max_length=BASELINE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only if the baseline cannot be recorded before this session is signed; "
        "recorded with your name. Without a baseline the course stays out of outcome reports.",
    )

    class Meta:
        model = Checklist
        fields = CHECKLIST_FIELDS
        widgets = {"nsaids_stopped_on": DateInput()}
        labels = {"contraindications_rechecked": "Contraindications rechecked today"}
        help_texts = {
            "contraindications_rechecked": "Ticked, the answers below are screened; it holds "
            "only if the screening passes."
        }


class NoteForm(ParseModelForm):
    class Meta:
        model = ProcedureNote
        fields = NOTE_FIELDS
        widgets = {
            "observations": forms.Textarea(attrs={"rows": 2}),
            "complications": forms.Textarea(attrs={"rows": 2}),
            "aftercare_given": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, heat_pack: tuple[int, int] | None = None, **kwargs: Any) -> None:
        """`heat_pack`: the clinic's (shortest, longest) heat-pack minutes, for the help."""
        super().__init__(*args, **kwargs)
        if heat_pack is not None:
            shortest, longest = heat_pack
            span = f"{shortest} minutes" if shortest == longest else f"{shortest}–{longest} minutes"
            practice = f"This clinic's practice: {span} after the injections"
            self.fields["heat_pack_minutes"].help_text = f"{practice} (unverified; clinic setting)."


class InjectionForm(ParseModelForm):
    site_code = forms.ChoiceField(choices=site_choices(), label="Site")
    syringe = forms.ModelChoiceField(
        queryset=Syringe.objects.none(),
        required=False,
        label="From syringe",
        empty_label="None: give the solution below",
        help_text="The injection takes the syringe's solution; the solution boxes are then ignored.",
    )
    SOLUTION = ("dextrose_percent", "anaesthetic", "anaesthetic_percent", "diluent")

    class Meta:
        model = Injection
        fields = INJECTION_FIELDS
        widgets = {
            "dextrose_percent": forms.NumberInput(attrs={"step": "0.1"}),
            "anaesthetic_percent": forms.NumberInput(attrs={"step": "0.01"}),
            "volume_ml": forms.NumberInput(attrs={"step": "0.1"}),
        }

    def __init__(self, *args: object, syringes: QuerySet[Syringe] | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if syringes is not None:
            self.fields["syringe"].queryset = syringes  # type: ignore[attr-defined]
        for name in self.SOLUTION:  # required only without a syringe: see clean()
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("syringe") is None and "syringe" not in self.errors:
            for name in self.SOLUTION:
                if name not in self.errors and cleaned.get(name) in (None, ""):
                    self.add_error(name, forms.Field.default_error_messages["required"])
        return cleaned


class AmendmentForm(ParseModelForm):
    class Meta:
        model = Amendment
        fields = ("reason", "text")
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class SyringeDiscardForm(forms.Form):
    reason = forms.CharField(
        label="Why is it discarded?",
        max_length=DISCARD_REASON_MAX,
        help_text="For example: drawn up from the wrong stock. Recorded in the audit trail.",
    )

    def __init__(self, *args: Any, syringe: Syringe, **kwargs: Any) -> None:
        # One form per syringe on the page: ids carry the syringe's code to stay unique.
        kwargs.setdefault("prefix", "discard")
        kwargs.setdefault("auto_id", f"id_%s_{syringe.code}")
        super().__init__(*args, **kwargs)
        self.syringe = syringe


class DoseOverrideForm(forms.Form):
    reason = forms.CharField(
        label="Reason for going over the ceiling",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the audit trail with your name. It covers the total as it is now: "
        "more anaesthetic afterwards needs a new reason.",
    )


class AnaestheticLimitForm(ParseModelForm):
    class Meta:
        model = AnaestheticLimit
        fields = (
            "mg_per_kg",
            "cap_mg",
            "mg_per_kg_epinephrine",
            "cap_mg_epinephrine",
            "source",
            "verified",
        )
        labels = {
            "mg_per_kg": "Without epinephrine: mg per kg",
            "cap_mg": "Without epinephrine: maximum (mg)",
            "mg_per_kg_epinephrine": "With epinephrine: mg per kg",
            "cap_mg_epinephrine": "With epinephrine: maximum (mg)",
            "source": "Source",
            "verified": "Confirmed against the product label",
        }
        help_texts = {
            "cap_mg": "Leave empty if the label gives no maximum.",
            "mg_per_kg_epinephrine": "Leave empty to use the plain limit even with epinephrine.",
            "source": "Where the numbers come from: the label, its date, a guideline.",
        }
        widgets = {
            "mg_per_kg": forms.NumberInput(attrs={"step": "0.01"}),
            "mg_per_kg_epinephrine": forms.NumberInput(attrs={"step": "0.01"}),
        }
