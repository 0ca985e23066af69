"""HTML-edge parsing for what the clinic gives patients to read: articles and shared documents.

Like staff/forms.py: every form feeds a service and none saves anything itself.
"""

from __future__ import annotations

from django import forms

from prolo.clinic.models import Article, SharedDocument
from prolo.clinic.services.articles import BODY_MAX_CHARS
from prolo.clinic.services.shared_documents import ALLOWED, MAX_MB
from prolo.lib.forms import ParseModelForm

POSITION_MAX = 999


class ArticleForm(ParseModelForm):
    position = forms.IntegerField(
        min_value=0,
        max_value=POSITION_MAX,
        label="Position in the list",
        help_text="Lower numbers come first.",
    )

    class Meta:
        model = Article
        fields = ("title", "summary", "body", "published", "position")
        widgets = {
            "summary": forms.TextInput(),
            "body": forms.Textarea(attrs={"rows": 24}),
        }
        labels = {
            "summary": "Summary (shown in the list of articles)",
            "body": "Text",
            "published": "Published: patients can read it in the portal",
        }
        help_texts = {
            "body": (
                f"Markdown, up to {BODY_MAX_CHARS:,} characters. Start sections with “## ” "
                "(the title is the page's main heading), lists with “- ”, **bold** with two "
                "stars. HTML, scripts and images are removed. The medical disclaimer is added "
                "under every article."
            ),
        }


class SharedDocumentForm(ParseModelForm):
    # No limit on the name's length: the service stores the file under a random name.
    file = forms.FileField(
        label="File",
        help_text=f"{ALLOWED}, up to {MAX_MB} MB.",
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.txt"}),
    )

    class Meta:
        model = SharedDocument
        fields = ("title", "file")
        labels = {"title": "Title the patient sees"}
