"""Portal views are for a signed-in patient; they get `request.me` (a PatientActor)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from prolo.clinic.clock import clinic_clock
from prolo.clinic.models import PatientAccount
from prolo.clinic.portal_access import PatientActor
from prolo.lib.http import PortalRequest

View = Callable[..., HttpResponseBase]
SIGN_IN_URL = "portal:sign-in"


def patient_view(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), SIGN_IN_URL)
        account = (
            PatientAccount.objects.select_related("patient__clinic", "user")
            .filter(user=request.user)
            .first()
        )
        if account is None:  # a staff member: the portal is for patients
            raise PermissionDenied("The portal is for patients.")
        patient_request: PortalRequest = request  # type: ignore[assignment]
        patient_request.me = PatientActor(
            user=account.user,
            clinic=account.patient.clinic,
            patient=account.patient,
            account=account,
        )
        with clinic_clock(account.patient.clinic):
            return view(patient_request, *args, **kwargs)

    return wrapper
