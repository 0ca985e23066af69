"""Personal API tokens: list, make (the secret is shown once) and revoke. docs/api.md.

Staff only (a member of a clinic): a token acts in the clinic the user is working in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_api_token
from prolo.clinic.clock import clinic_today, clinic_zone
from prolo.clinic.models import ApiToken, Clinic
from prolo.clinic.services.api_tokens import api_token_create, api_token_revoke
from prolo.lib.dates import local_day_bounds
from prolo.lib.forms import DateInput, add_service_errors
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view

MAX_EXPIRY_DAYS = 2 * 366


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. 'registry export'. Required."
    )
    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        widget=DateInput(),
        help_text="Optional. The token stops working at the end of this day (at most two "
        "years ahead). Leave empty for a token that works until you revoke it.",
    )

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        if "\x00" in name:
            raise forms.ValidationError("Text cannot contain NUL characters.")
        return name

    def clean_expires_on(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data["expires_on"]
        today = clinic_today(self.clinic)
        if day is not None and not today <= day <= today + dt.timedelta(days=MAX_EXPIRY_DAYS):
            raise forms.ValidationError("Choose a day from today to two years ahead.")
        return day


def _expiry(day: dt.date | None, clinic: Clinic) -> dt.datetime | None:
    """The end of `day` where the clinic works."""
    return None if day is None else local_day_bounds(day, clinic_zone(clinic))[1]


def _render(
    request: StaffRequest, form: TokenForm, secret: str = "", status: int = 200
) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user, clinic=request.actor.clinic)
    context = {"form": form, "tokens": tokens, "secret": secret, "now": timezone.now()}
    response = render(request, "accounts/tokens.html", context, status=status)
    # The secret must not linger in a cache or the browser's back button.
    response["Cache-Control"] = "no-store"
    return response


@staff_view()
def token_list(request: StaffRequest) -> HttpResponse:
    """GET: the user's tokens in this clinic. POST: make one and show its secret once."""
    form = TokenForm(request.POST or None, clinic=request.actor.clinic)
    if request.method != "POST":
        return _render(request, form)
    if form.is_valid():
        try:
            token, secret = api_token_create(
                actor=request.actor,
                name=form.cleaned_data["name"],
                expires_at=_expiry(form.cleaned_data["expires_on"], request.actor.clinic),
            )
        except forms.ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Token “{token.name}” made.")
            return _render(request, TokenForm(clinic=request.actor.clinic), secret=secret)
    return _render(request, form, status=400)


@require_POST
@staff_view()
def token_revoke(request: StaffRequest, code: str) -> HttpResponse:
    token = get_api_token(request.actor, code)
    api_token_revoke(actor=request.actor, token=token)
    messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("accounts:tokens")
