"""Protocol templates: the published library, the clinic's copies, and editing them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_protocol, require
from prolo.clinic.models import ProtocolTemplate
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.safety.protocols import LIBRARY
from prolo.clinic.services import protocols as services
from prolo.clinic.services.questionnaires import SCHEDULE_FIELDS
from prolo.clinic.sites import SITES_BY_CODE
from prolo.lib.forms import parse_uuid, submit
from prolo.lib.http import StaffRequest
from prolo.staff.clinic_forms import ProtocolCopyForm, ProtocolForm, ProtocolInjectionForm
from prolo.staff.decorators import staff_view


def _list_page(request: StaffRequest, copy_form: forms.Form | None = None) -> HttpResponse:
    templates = list(ProtocolTemplate.objects.filter(clinic=request.actor.clinic))
    copies: dict[str, list[ProtocolTemplate]] = {}
    for template in templates:
        copies.setdefault(template.key, []).append(template)
    context = {
        "library": [(p, copies.get(p.key, [])) for p in LIBRARY],
        "templates": templates,
        "form": copy_form or ProtocolCopyForm(),
        "can_manage": request.actor.can(Perm.MANAGE_SAFETY),
        "nav": "clinic",
    }
    status = 400 if copy_form is not None else 200
    return render(request, "staff/protocol_list.html", context, status=status)


@staff_view(Perm.VIEW_CLINICAL)
def protocol_list(request: StaffRequest) -> HttpResponse:
    return _list_page(request)


@require_POST
@staff_view(Perm.MANAGE_SAFETY)
def protocol_copy(request: StaffRequest) -> HttpResponse:
    form = ProtocolCopyForm(request.POST)
    template = submit(request, form, services.protocol_copy, actor=request.actor)
    if template is None:
        return _list_page(request, form)
    messages.success(request, f"Copied as “{template.name}”. Check it, then edit what differs.")
    return redirect("staff:protocol-detail", code=template.code)


def planned_lines(protocol: ProtocolTemplate | None) -> list[dict[str, Any]]:
    """A template's planned injections with their site labels, for display."""
    if protocol is None:
        return []
    return [
        {**line, "site_label": getattr(SITES_BY_CODE.get(line.get("site_code", "")), "label", "")}
        for line in protocol.injections
    ]


def _detail_page(
    request: StaffRequest, protocol: ProtocolTemplate, line_form: forms.Form | None = None
) -> HttpResponse:
    context = {
        "protocol": protocol,
        "lines": planned_lines(protocol),
        "unverified": [u for u in protocol.unverified.splitlines() if u.strip()],
        "form": line_form or ProtocolInjectionForm(prefix="line", initial={"count": 1}),
        "can_manage": request.actor.can(Perm.MANAGE_SAFETY),
        "can_plan": request.actor.can(Perm.PLAN_COURSE),
        "nav": "clinic",
    }
    status = 400 if line_form is not None else 200
    return render(request, "staff/protocol_detail.html", context, status=status)


@staff_view()
def protocol_detail(request: StaffRequest, code: str) -> HttpResponse:
    return _detail_page(request, get_protocol(request.actor, code, Perm.VIEW_CLINICAL))


@staff_view()
def protocol_edit(request: StaffRequest, code: str) -> HttpResponse:
    protocol = get_protocol(request.actor, code, Perm.MANAGE_SAFETY)
    initial = model_to_dict(protocol, services.PROTOCOL_FIELDS)
    form = ProtocolForm(request.POST or None, initial=initial)
    if submit(request, form, services.protocol_update, actor=request.actor, protocol=protocol):
        messages.success(request, "Template saved.")
        return redirect("staff:protocol-detail", code=protocol.code)
    context = {"form": form, "protocol": protocol, "nav": "clinic"}
    return render(request, "staff/protocol_form.html", context, status=400 if form.errors else 200)


@require_POST
@staff_view()
def protocol_injection_add(request: StaffRequest, code: str) -> HttpResponse:
    protocol = get_protocol(request.actor, code, Perm.MANAGE_SAFETY)
    form = ProtocolInjectionForm(request.POST, prefix="line")
    added = submit(
        request, form, services.protocol_injection_add, actor=request.actor, protocol=protocol
    )
    if added is None:
        return _detail_page(request, protocol, form)
    messages.success(request, "Planned injection added.")
    return redirect("staff:protocol-detail", code=protocol.code)


@require_POST
@staff_view()
def protocol_injection_remove(request: StaffRequest, code: str, index: int) -> HttpResponse:
    protocol = get_protocol(request.actor, code, Perm.MANAGE_SAFETY)
    try:
        services.protocol_injection_remove(actor=request.actor, protocol=protocol, index=index)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Planned injection removed.")
    return redirect("staff:protocol-detail", code=protocol.code)


def protocol_initial(actor: Actor, code: str) -> dict[str, Any]:
    """Course-form initial values from `?protocol=<code>`: nothing if it is not one of the
    clinic's active templates (a malformed or foreign code is ignored, like `?evaluation=`)."""
    found = parse_uuid(code)
    if found is None:
        return {}
    protocol = ProtocolTemplate.objects.filter(clinic=actor.clinic, active=True, code=found).first()
    if protocol is None:
        return {}
    require(actor, Perm.PLAN_COURSE)
    weeks = protocol.session_weeks
    initial: dict[str, Any] = {
        "protocol": protocol.pk,
        "course_type": protocol.course_type,
        "target_region": protocol.target_region,
        "planned_sessions": len(weeks),
        **{name: getattr(protocol, name) for name in SCHEDULE_FIELDS},
    }
    if len(weeks) > 1:
        initial["interval_days"] = 7 * (weeks[1] - weeks[0])
    return initial
