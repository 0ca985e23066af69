"""The portal's outcome forms: one questionnaire item, a diary day, a problem report.

They only parse; the services (prolo/clinic/services/portal_outcomes.py) check and save.
Answers are large radio rows: the whole row is the label, so it is easy to hit on a phone.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from prolo.clinic.models.outcomes_diary import ANALGESICS_MAX
from prolo.clinic.outcomes.instruments import Item
from prolo.clinic.services.portal_outcomes import DETAILS_MAX
from prolo.clinic.services.questionnaires import ClinicInstrument
from prolo.lib.forms import DateInput

# More options than this are typed as a number rather than picked (the 0–100 VAS).
MAX_RADIO_OPTIONS = 11
NOTES_MAX = 2000
SCALE = {"class": "choices scale"}
CHOICES = {"class": "choices"}


class AnswerForm(forms.Form):
    """One item of a questionnaire as one required field, `answer`, naming its question."""

    def __init__(
        self, *args: Any, instrument: ClinicInstrument, item: Item, number: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        text = instrument.text(item) or ""
        messages = {
            "required": gettext("Question %(number)s: choose an answer.") % {"number": number},
            "invalid_choice": gettext("Question %(number)s: choose one of the answers shown.")
            % {"number": number},
        }
        if len(item.options) > MAX_RADIO_OPTIONS:
            self.fields["answer"] = _number_field(text, item, number, messages)
        else:
            choices = [(str(o.value), option_text(instrument, item, o.value)) for o in item.options]
            self.fields["answer"] = forms.TypedChoiceField(
                label=text,
                choices=choices,
                coerce=int,
                error_messages=messages,
                widget=forms.RadioSelect(attrs=SCALE),
            )


def _number_field(text: str, item: Item, number: int, messages: dict[str, str]) -> forms.Field:
    range_message = gettext(
        "Question %(number)s: give a whole number from %(low)s to %(high)s."
    ) % {
        "number": number,
        "low": item.low,
        "high": item.high,
    }
    return forms.IntegerField(
        label=text,
        min_value=item.low,
        max_value=item.high,
        help_text=gettext("A whole number from %(low)s to %(high)s.")
        % {"low": item.low, "high": item.high},
        error_messages={
            "required": messages["required"],
            "invalid": range_message,
            "min_value": range_message,
            "max_value": range_message,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short"}),
    )


def option_text(instrument: ClinicInstrument, item: Item, value: int) -> str:
    label = instrument.option_label(item, value)
    return f"{value}: {label}" if label else str(value)


PAIN_ENDS = {0: _("No pain"), 10: _("Worst pain you can imagine")}
PAIN_CHOICES = [
    (str(n), format_lazy("{}: {}", n, PAIN_ENDS[n]) if n in PAIN_ENDS else str(n))
    for n in range(11)
]
SWELLING_CHOICES = [
    ("none", _("None")),
    ("mild", _("A little")),
    ("moderate", _("Quite a lot")),
    ("severe", _("A lot")),
]
JOINT_USE_CHOICES = [
    ("normal", _("As usual")),
    ("reduced", _("Less than usual")),
    ("unable", _("I cannot use it")),
]


def _flag(label: Any) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False)


class DiaryDayForm(forms.Form):
    """One day of the 7-day diary in the patient's words; the fields match DiaryEntry."""

    pain = forms.TypedChoiceField(
        label=_("How bad is the pain in the treated area today, from 0 to 10?"),
        choices=PAIN_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs=SCALE),
        error_messages={"required": _("Choose how bad the pain is, from 0 to 10.")},
    )
    swelling = forms.ChoiceField(
        label=_("How swollen is the treated area?"),
        choices=SWELLING_CHOICES,
        widget=forms.RadioSelect(attrs=CHOICES),
        error_messages={"required": _("Choose how swollen the area is.")},
    )
    joint_use = forms.ChoiceField(
        label=_("How well can you use the treated area?"),
        choices=JOINT_USE_CHOICES,
        widget=forms.RadioSelect(attrs=CHOICES),
        error_messages={"required": _("Choose how well you can use the area.")},
    )
    analgesics = forms.CharField(
        label=_("Painkillers taken today"),
        help_text=_("What and how much, for example: paracetamol, 2 tablets twice. Optional."),
        max_length=ANALGESICS_MAX,
        required=False,
    )
    fever = _flag(_("I have a fever or feel hot and shivery"))
    redness_or_drainage = _flag(
        _("Redness or warmth is spreading, or fluid or pus comes from an injection point")
    )
    numbness_or_weakness = _flag(_("I have new numbness or weakness, or it is spreading"))
    severe_headache = _flag(_("I have a sudden, severe headache"))
    breathlessness = _flag(_("I am short of breath or have chest pain"))
    notes = forms.CharField(
        label=_("Anything else you want the clinic to know"),
        help_text=_("Optional."),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    FLAG_FIELDS = (
        "fever",
        "redness_or_drainage",
        "numbness_or_weakness",
        "severe_headache",
        "breathlessness",
    )

    def flag_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FLAG_FIELDS]


PROBLEM_CHOICES = [
    ("pain", _("Pain")),
    ("swelling", _("Swelling")),
    ("redness", _("Redness or warmth that spreads, or fluid or pus from an injection point")),
    ("fever", _("Fever, or feeling hot and shivery")),
    ("bleeding", _("Bleeding that does not stop when you press on it")),
    ("numbness", _("New numbness or weakness, or numbness that spreads")),
    ("headache", _("A sudden, severe headache")),
    ("breathlessness", _("Short of breath, or chest pain")),
    (
        "allergic",
        _("Swelling of the face, lips or throat, an itchy rash all over, or trouble swallowing"),
    ),
    ("other", _("Something else (say what below)")),
]


class ProblemForm(forms.Form):
    problems = forms.MultipleChoiceField(
        label=_("What is wrong?"),
        help_text=_("Choose all that apply."),
        choices=PROBLEM_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs=CHOICES),
        error_messages={"required": _("Choose at least one problem.")},
    )
    since = forms.DateField(
        label=_("Since when?"),
        help_text=_("The day it started."),
        widget=DateInput(),
        error_messages={
            "required": _("Give the day it started."),
            "invalid": _("Give the day it started as a date."),
        },
    )
    pain = forms.TypedChoiceField(
        label=_("If you have pain, how bad is it now, from 0 to 10?"),
        help_text=_("Optional."),
        choices=PAIN_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect(attrs=SCALE),
    )
    details = forms.CharField(
        label=_("Tell us more"),
        help_text=_("What happened, and anything that makes it better or worse. Optional."),
        max_length=DETAILS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
