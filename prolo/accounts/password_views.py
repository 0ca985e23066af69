"""Joining a clinic from an invitation, and resetting a forgotten password by email."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from prolo.accounts.forms import JoinExistingForm, JoinNewForm, NewPasswordForm, ResetRequestForm
from prolo.accounts.middleware import SESSION_CLINIC
from prolo.clinic.services.password_reset import (
    Audience,
    password_reset_complete,
    password_reset_request,
    user_for_reset_link,
)
from prolo.clinic.services.staff import (
    staff_invitation_accept,
    staff_invitation_for_token,
    staff_user_for_email,
)
from prolo.lib.forms import add_service_errors
from prolo.lib.http import link_base

BACKEND = "django.contrib.auth.backends.ModelBackend"


@never_cache
def staff_join(request: HttpRequest, token: str) -> HttpResponse:
    invitation = staff_invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/join_invalid.html", status=404)
    existing = staff_user_for_email(invitation.email)
    form_class = JoinExistingForm if existing else JoinNewForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password_again"}
        try:
            membership = staff_invitation_accept(token=token, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, membership.user, backend=BACKEND)
            request.session[SESSION_CLINIC] = str(membership.clinic.code)
            messages.success(request, f"Welcome to {membership.clinic.name}.")
            return redirect("staff:today")
    context = {"form": form, "invitation": invitation, "existing": existing}
    return render(request, "accounts/join.html", context, status=400 if form.errors else 200)


def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link. Every valid request lands on the same page, account or not."""
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset_request(
            email=form.cleaned_data["email"],
            audience=Audience.STAFF,
            link_base=link_base(request, "accounts:password-reset-confirm", 2),
        )
        return redirect("accounts:password-reset-sent")
    status = 400 if form.errors else 200
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


@never_cache
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    if user_for_reset_link(uidb64, token, Audience.STAFF) is None:
        return render(request, "accounts/password_reset_invalid.html", status=404)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_complete(
                uidb64=uidb64,
                token=token,
                audience=Audience.STAFF,
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your password is changed. Sign in with it now.")
            return redirect("accounts:login")
    status = 400 if form.errors else 200
    return render(request, "accounts/password_reset_confirm.html", {"form": form}, status=status)
