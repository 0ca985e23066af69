"""Discarding a syringe drawn up by mistake, from the session page's syringe table."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from prolo.clinic.permissions import Perm
from prolo.clinic.services import syringes as services
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view
from prolo.staff.forms import SyringeDiscardForm
from prolo.staff.views.sessions import _submit


@require_POST
@staff_view()
def syringe_discard(request: StaffRequest, code: str) -> HttpResponse:
    syringe = services.get_syringe(request.actor, code, Perm.DRAW_UP)
    form = SyringeDiscardForm(request.POST, syringe=syringe)

    def call(*, reason: str) -> None:
        services.syringe_discard(actor=request.actor, syringe=syringe, reason=reason)

    message = f"Syringe {syringe.label} discarded."
    return _submit(request, syringe.session, "discard", form, call, message)
