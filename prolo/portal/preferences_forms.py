"""The accessibility toolbar's form and the language switch: they only parse."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from prolo.portal.preferences import TEXT_SIZES, Preferences


class PreferencesForm(forms.Form):
    text_size = forms.TypedChoiceField(
        label=_("Text size"),
        choices=[(size, f"{size}%") for size in TEXT_SIZES],
        coerce=int,
        required=False,  # a choice is always ticked; no "(required)" beside the legend
        empty_value=None,
        widget=forms.RadioSelect,
    )
    contrast = forms.BooleanField(label=_("High contrast"), required=False)
    dyslexia_font = forms.BooleanField(label=_("Dyslexia-friendly font"), required=False)
    spacing = forms.BooleanField(label=_("More space between lines and words"), required=False)
    underline_links = forms.BooleanField(label=_("Underline links"), required=False)
    reduce_motion = forms.BooleanField(label=_("Reduce motion"), required=False)

    def preferences(self) -> Preferences:
        data = self.cleaned_data
        return Preferences(**{**data, "text_size": data["text_size"] or 100})


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
