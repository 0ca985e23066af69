from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from prolo.clinic.access import require
from prolo.clinic.permissions import Perm
from prolo.lib.http import StaffRequest

View = Callable[..., HttpResponseBase]


def staff_view(perm: Perm | None = None) -> Callable[[View], View]:
    """Signed in, a member of a clinic, and (if given) holding `perm` there."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = getattr(request, "actor", None)
            if actor is None:
                raise PermissionDenied("Your account is not a member of any clinic.")
            if perm is not None:
                require(actor, perm)
            staff_request: StaffRequest = request  # type: ignore[assignment]
            return view(staff_request, *args, **kwargs)

        return wrapper

    return decorator
