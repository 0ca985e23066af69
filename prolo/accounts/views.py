from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from prolo.accounts.middleware import SESSION_CLINIC
from prolo.lib.http import AuthedHttpRequest


@require_POST
@login_required
def switch_clinic(request: HttpRequest) -> HttpResponse:
    req: AuthedHttpRequest = request  # type: ignore[assignment]
    wanted = request.POST.get("clinic", "")
    if not any(str(m.clinic.code) == wanted for m in req.memberships):
        raise Http404("You are not a member of that clinic.")
    request.session[SESSION_CLINIC] = wanted
    return redirect("staff:today")
