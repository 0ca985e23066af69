"""The anaesthetic dose ceiling: the physician's override on the session page, and the
clinic's anaesthetic limits page. The session page's dose panel is _session_dose.html."""

from __future__ import annotations

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_session
from prolo.clinic.models import Anaesthetic, AnaestheticLimit
from prolo.clinic.permissions import Perm
from prolo.clinic.services import dosing as services
from prolo.clinic.services.settings import settings_for
from prolo.lib.forms import submit
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view
from prolo.staff.forms import AnaestheticLimitForm, DoseOverrideForm
from prolo.staff.views.sessions import _on_note, _submit


@require_POST
@staff_view()
def dose_override(request: StaffRequest, code: str) -> HttpResponse:
    session = get_session(request.actor, code, Perm.SIGN_NOTE)
    form = DoseOverrideForm(request.POST, prefix="dose")
    call = _on_note(
        session,
        services.dose_override_record,
        request.actor,
        missing="There is no procedure note yet.",
    )
    message = "Override recorded: the note can be signed at today's anaesthetic total."
    return _submit(request, session, "dose_override", form, call, message)


@staff_view(Perm.VIEW_CLINICAL)
def anaesthetic_limits(request: StaffRequest) -> HttpResponse:
    clinic = request.actor.clinic
    limits = services.clinic_limits(clinic.pk)
    rows = [(agent, Anaesthetic(agent).label, limits.get(agent)) for agent in services.AGENTS]
    context = {
        "rows": rows,
        "settings": settings_for(clinic),
        "can_edit": request.actor.can(Perm.MANAGE_SAFETY),
        "nav": "clinic",
    }
    return render(request, "staff/anaesthetic_limits.html", context)


@staff_view(Perm.MANAGE_SAFETY)
def anaesthetic_limit_edit(request: StaffRequest, agent: str) -> HttpResponse:
    if agent not in services.AGENTS:
        raise Http404("No such anaesthetic.")
    current = services.clinic_limits(request.actor.clinic.pk).get(agent)
    row = AnaestheticLimit.objects.filter(clinic=request.actor.clinic, agent=agent).first()
    initial = model_to_dict(row, AnaestheticLimitForm.Meta.fields) if row else {}
    if row is None and current is not None:  # start from the built-in default
        initial = {name: getattr(current, name) for name in AnaestheticLimitForm.Meta.fields}
        initial["verified"] = False
    data = request.POST if request.method == "POST" else None
    form = AnaestheticLimitForm(data, initial=initial)
    label = Anaesthetic(agent).label
    if submit(request, form, services.anaesthetic_limit_update, actor=request.actor, agent=agent):
        messages.success(request, f"{label} limit saved.")
        return redirect("staff:anaesthetic-limits")
    context = {"form": form, "agent": agent, "label": label, "row": row, "nav": "clinic"}
    return render(request, "staff/anaesthetic_limit_form.html", context)
