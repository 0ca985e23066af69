"""HTML-edge parsing for the clinic's set-up pages: profile, locations, rooms, hours, closures.

Like clinic_forms.py: each form only parses; the services in services/clinic_profile.py and
services/locations.py validate the rules and save.
"""

from __future__ import annotations

from django import forms

from prolo.clinic.models import Clinic, Location, Weekday
from prolo.clinic.services.clinic_profile import LOGO_MAX_BYTES
from prolo.lib.forms import DateInput, ParseModelForm, TimeInput

ADDRESS_MAX_LENGTH = 1000


class ClinicProfileForm(ParseModelForm):
    address = forms.CharField(
        required=False,
        max_length=ADDRESS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="As printed on letters, one line per line.",
    )
    logo = forms.FileField(
        required=False,
        label="Letterhead logo",
        help_text=f"A PNG or JPEG image of up to {LOGO_MAX_BYTES // 1024} KB, shown at the top "
        "of printed documents. Leave empty to keep the current one.",
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(required=False, label="Remove the current logo")

    class Meta:
        model = Clinic
        fields = ("name", "address", "phone", "email", "time_zone")
        labels = {"name": "Clinic name", "time_zone": "Time zone"}
        help_texts = {
            "time_zone": "Its IANA name, e.g. Europe/London or America/Los_Angeles: the clinic's "
            "days, opening hours and the times its pages show follow it.",
        }


class LocationForm(ParseModelForm):
    address = forms.CharField(
        required=False, max_length=ADDRESS_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Location
        fields = ("name", "address", "active")
        labels = {"active": "In use (untick to deactivate it: its history stays)"}


class RoomForm(forms.Form):
    name = forms.CharField(max_length=80, label="Room name")
    active = forms.BooleanField(required=False, initial=True, label="In use")


class RoomEditForm(RoomForm):
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(), to_field_name="code", empty_label=None
    )

    def __init__(self, *args: object, clinic: Clinic, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["location"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Location.objects.filter(clinic=clinic)


class OpeningHoursForm(forms.Form):
    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int, label="Day")
    opens = forms.TimeField(widget=TimeInput(), label="Opens at")
    closes = forms.TimeField(widget=TimeInput(), label="Closes at")


class ClosureForm(forms.Form):
    starts_on = forms.DateField(widget=DateInput(), label="First day")
    ends_on = forms.DateField(widget=DateInput(), label="Last day")
    reason = forms.CharField(
        max_length=200, help_text="e.g. a public holiday, a refurbishment, staff training."
    )
