"""HTML-edge parsing for consent: the clinic's documents and an in-clinic signature.

Like staff/forms.py, each form only parses; services/consent.py decides and saves.
"""

from __future__ import annotations

from django import forms

from prolo.clinic.models import ConsentDocument
from prolo.lib.forms import ParseModelForm


class ConsentDocumentForm(ParseModelForm):
    # No max_length: a long document is the service's to refuse (BODY_MAX_LENGTH), by name.
    body = forms.CharField(
        label="Text (Markdown)",
        widget=forms.Textarea(attrs={"rows": 30}),
        help_text=(
            "One “## ” heading per section. Publishing needs every required section; the "
            "list is beside this form."
        ),
    )

    class Meta:
        model = ConsentDocument
        fields = ["title"]


class ConsentRecordForm(forms.Form):
    """The patient signed in clinic; the staff member recording it is the witness."""

    document = forms.UUIDField(widget=forms.HiddenInput, label="Consent document")
    typed_name = forms.CharField(
        label="Patient's full name, as they signed it",
        max_length=200,
        help_text="The name as the clinic has it; case and accents do not matter.",
    )
    confirmed = forms.BooleanField(
        label=(
            "The patient read this version, had the chance to ask questions, and signed it "
            "in front of me."
        ),
        required=False,  # the service refuses an unticked box with its own message
    )
