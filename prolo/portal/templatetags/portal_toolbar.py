"""The accessibility toolbar on every portal page, and the classes it puts on <html>."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from prolo.portal import preferences
from prolo.portal.preferences_forms import PreferencesForm

register = template.Library()


def _request(context: template.Context) -> HttpRequest | None:
    request = context.get("request")
    return request if isinstance(request, HttpRequest) else None


@register.simple_tag(takes_context=True)
def portal_html_classes(context: template.Context) -> str:
    request = _request(context)
    return preferences.current(request).html_classes if request is not None else ""


@register.inclusion_tag("portal/_toolbar.html", takes_context=True)
def portal_toolbar(context: template.Context) -> dict[str, Any]:
    request = _request(context)
    prefs = preferences.current(request) if request is not None else preferences.Preferences()
    # Its own id prefix: a page may hold another form with the same field names.
    form = PreferencesForm(initial=prefs.to_json(), auto_id="toolbar-%s")
    return {
        "form": form,
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
        # The display settings page holds the same form in full; only the language stays here.
        "show_display": not context.get("hide_toolbar"),
    }
