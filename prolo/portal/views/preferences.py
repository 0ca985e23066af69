"""The accessibility toolbar and language switch: plain forms, so they work without JavaScript.

Open to signed-out visitors too (the sign-in page has the toolbar). A signed-in patient's
choice is also kept on their account; see prolo/portal/preferences.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from prolo.clinic.models import PatientAccount
from prolo.clinic.services.portal_preferences import account_preferences_save
from prolo.portal import preferences
from prolo.portal.preferences_forms import LanguageForm, PreferencesForm

HOME = "portal:home"


def safe_next(request: HttpRequest) -> str:
    """Where to go back to: `next` if it is a page of this site, else the portal's home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok else resolve_url(HOME)


def _account(request: HttpRequest) -> PatientAccount | None:
    if not request.user.is_authenticated:
        return None
    return (
        PatientAccount.objects.select_related("patient__clinic").filter(user=request.user).first()
    )


@require_http_methods(["GET", "POST"])
def preferences_page(request: HttpRequest) -> HttpResponseBase:
    """The toolbar as a page of its own: the no-JavaScript fallback, and where errors show."""
    prefs = preferences.current(request)
    form = PreferencesForm(request.POST or None, initial=prefs.to_json())
    if request.method == "POST" and form.is_valid():
        return _save(request, form.preferences())
    context = {"form": form, "next": safe_next(request), "hide_toolbar": True}
    account = _account(request)
    if account is not None:  # the usual header, with the patient's navigation
        context.update(patient=account.patient, clinic=account.patient.clinic)
    return render(request, "portal/preferences.html", context, status=400 if form.errors else 200)


def _save(request: HttpRequest, prefs: preferences.Preferences) -> HttpResponseBase:
    response = redirect(safe_next(request))
    preferences.remember(response, prefs)
    account = _account(request)
    if account is not None:
        account_preferences_save(account=account, preferences=prefs)
    messages.success(request, _("Your display settings are saved."))
    return response


@require_POST
def language(request: HttpRequest) -> HttpResponseBase:
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Language: choose English or Spanish."))
        return redirect(safe_next(request))
    code = form.cleaned_data["language"]
    response = redirect(safe_next(request))
    preferences.remember_language(response, code)
    account = _account(request)
    if account is not None:
        account_preferences_save(account=account, language=code)
    # The confirmation is shown on the next page, so say it in the language chosen.
    with translation.override(code):
        messages.success(request, _("The portal is now in English."))
    return response
