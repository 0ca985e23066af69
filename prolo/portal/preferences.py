"""The accessibility toolbar's choices and the portal's language: parsed, stored and applied.

A visitor's choices live in a cookie on the device (so they work before signing in, and
without JavaScript) and, once signed in, in `PatientAccount.preferences` too. On sign-in the
account's choices win and are copied to the cookie, so a patient gets the same portal on every
device. Pages read them on the server and put classes on <html> (portal.css styles each one).
Both cookies are scoped to /portal/ so they never change the staff pages.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from prolo.clinic.models import PatientAccount

TEXT_SIZES = (100, 125, 150, 175, 200)
COOKIE = "prolo_portal_prefs"
COOKIE_PATH = "/portal/"
COOKIE_AGE = 365 * 24 * 3600  # one year
LANGUAGE_KEY = "language"
# A flag's name in the cookie and its class on <html>.
FLAG_CLASSES = {
    "contrast": "pref-contrast",
    "dyslexia_font": "pref-dyslexia",
    "spacing": "pref-spacing",
    "underline_links": "pref-underline",
    "reduce_motion": "pref-calm",
}


@dataclass(frozen=True)
class Preferences:
    text_size: int = 100
    contrast: bool = False
    dyslexia_font: bool = False
    spacing: bool = False
    underline_links: bool = False
    reduce_motion: bool = False

    @property
    def html_classes(self) -> str:
        names = [f"pref-text-{self.text_size}"] if self.text_size != 100 else []
        names += [css for flag, css in FLAG_CLASSES.items() if getattr(self, flag)]
        return " ".join(names)

    @property
    def is_default(self) -> bool:
        return self == Preferences()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def to_cookie(self) -> str:
        # "150.contrast.spacing": only cookie-safe characters, and short.
        flags = [flag for flag in FLAG_CLASSES if getattr(self, flag)]
        return ".".join([str(self.text_size), *flags])


def from_json(data: object) -> Preferences:
    """Stored choices, keeping only the valid ones (an old or edited value is ignored)."""
    if not isinstance(data, dict):
        return Preferences()
    size = data.get("text_size")
    if not (isinstance(size, int) and not isinstance(size, bool) and size in TEXT_SIZES):
        size = 100
    flags = {flag: data.get(flag) is True for flag in FLAG_CLASSES}
    return Preferences(text_size=size, **flags)


def has_choices(stored: object) -> bool:
    """Whether stored account preferences hold toolbar choices (not only a language)."""
    return isinstance(stored, dict) and any(key in stored for key in ("text_size", *FLAG_CLASSES))


def from_cookie(value: str | None) -> Preferences:
    if not value:
        return Preferences()
    size, *flags = value.split(".")
    data: dict[str, Any] = {flag: True for flag in flags if flag in FLAG_CLASSES}
    if size.isdigit():
        data["text_size"] = int(size)
    return from_json(data)


def _portal_account(request: HttpRequest) -> PatientAccount | None:
    me = getattr(request, "me", None)
    return me.account if me is not None else None


def current(request: HttpRequest) -> Preferences:
    """What this page should look like: the account's choice on patient pages, else the device's.

    Patient pages have the account loaded already (prolo/portal/decorators.py), so this costs
    no query; other pages (sign-in, invitation) read the cookie only.
    """
    account = _portal_account(request)
    if account is not None and has_choices(account.preferences):
        return from_json(account.preferences)
    return from_cookie(request.COOKIES.get(COOKIE))


def remember(response: HttpResponseBase, prefs: Preferences) -> None:
    response.set_cookie(
        COOKIE,
        prefs.to_cookie(),
        max_age=COOKIE_AGE,
        path=COOKIE_PATH,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )


def supported_language(code: object) -> str | None:
    return code if isinstance(code, str) and code in dict(settings.LANGUAGES) else None


def remember_language(response: HttpResponseBase, code: str) -> None:
    # Django's LocaleMiddleware reads this cookie; the portal path keeps staff pages as they are.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=COOKIE_AGE,
        path=COOKIE_PATH,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def account_language(account: PatientAccount) -> str | None:
    """The language the patient chose in the portal, else the one the clinic recorded."""
    prefs = account.preferences if isinstance(account.preferences, dict) else {}
    return supported_language(prefs.get(LANGUAGE_KEY)) or supported_language(
        account.patient.preferred_language
    )


def on_sign_in(request: HttpRequest, response: HttpResponseBase, account: PatientAccount) -> None:
    """The account's choices win and are copied to this device; a first choice made on the
    device before the account had any is kept for the account."""
    from prolo.clinic.services.portal_preferences import account_preferences_save

    device = from_cookie(request.COOKIES.get(COOKIE))
    if has_choices(account.preferences):
        remember(response, from_json(account.preferences))
    elif not device.is_default:
        account_preferences_save(account=account, preferences=device)
    language = account_language(account)
    if language:
        remember_language(response, language)
