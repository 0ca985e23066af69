"""Signing in to the portal, accepting an invitation, resetting a password, signing out."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from prolo.clinic.services.password_reset import (
    Audience,
    password_reset_complete,
    password_reset_request,
    user_for_reset_link,
)
from prolo.clinic.services.portal_accounts import (
    account_for_email,
    invitation_accept,
    invitation_for_token,
    sign_in_blocked,
    sign_in_record,
)
from prolo.lib.forms import add_service_errors
from prolo.lib.http import link_base
from prolo.portal import preferences
from prolo.portal.forms import ResetRequestForm, SetPasswordForm, SignInForm
from prolo.portal.views.preferences import safe_next

BLOCKED = gettext_noop("Too many attempts to sign in. Wait 15 minutes, or ask the clinic for help.")
WRONG = gettext_noop("That email address and password do not match an account.")


def _ip(request: HttpRequest) -> str | None:
    """The client's address; behind the proxy settings trust, its X-Forwarded-For."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR") or None


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email, ip = form.cleaned_data["email"], _ip(request)
        if sign_in_blocked(email, ip):
            form.add_error(None, _(BLOCKED))
        else:
            account = account_for_email(email)
            password = form.cleaned_data["password"]
            if account is None:
                # Hash anyway, so an unknown address takes as long as a wrong password and
                # the timing does not tell who is a patient here.
                make_password(password)
            ok = account is not None and account.user.check_password(password)
            sign_in_record(email, ip, ok)
            if ok and account is not None:
                login(request, account.user, backend="django.contrib.auth.backends.ModelBackend")
                response = redirect(safe_next(request))
                preferences.on_sign_in(request, response, account)
                return response
            form.add_error(None, _(WRONG))
    status = 400 if form.errors else 200
    return render(request, "portal/sign_in.html", {"form": form}, status=status)


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "portal/invitation_invalid.html", status=404)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = invitation_accept(token=token, password=form.cleaned_data["password"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, account.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your password is set. Welcome to the portal."))
            response = redirect("portal:home")
            preferences.on_sign_in(request, response, account)
            return response
    context = {"form": form, "invitation": invitation}
    return render(request, "portal/accept.html", context, status=400 if form.errors else 200)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("portal:sign-in")


def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link. Every valid request lands on the same page, account or not."""
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset_request(
            email=form.cleaned_data["email"],
            audience=Audience.PORTAL,
            link_base=link_base(request, "portal:password-reset-confirm", 2),
        )
        return redirect("portal:password-reset-sent")
    status = 400 if form.errors else 200
    return render(request, "portal/password_reset.html", {"form": form}, status=status)


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/password_reset_sent.html")


@never_cache
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    if user_for_reset_link(uidb64, token, Audience.PORTAL) is None:
        return render(request, "portal/password_reset_invalid.html", status=404)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_complete(
                uidb64=uidb64,
                token=token,
                audience=Audience.PORTAL,
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your password is changed. Sign in with it now."))
            return redirect("portal:sign-in")
    status = 400 if form.errors else 200
    return render(request, "portal/password_reset_confirm.html", {"form": form}, status=status)
