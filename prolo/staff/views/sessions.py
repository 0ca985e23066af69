"""The session page: checklist, procedure note, injections, signature and amendments.

Each part posts to its own URL and, on a validation error, the whole page is rendered again
with that part's bound form so its errors show next to its fields.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_injection, get_session
from prolo.clinic.models import (
    Checklist,
    ClinicSettings,
    Injection,
    ProcedureNote,
    TreatmentSession,
)
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.safety.careplan import nsaid_stop_days
from prolo.clinic.safety.protocols import injection_initial as injection_initial_from
from prolo.clinic.safety.protocols import next_planned
from prolo.clinic.services import sessions as services
from prolo.clinic.services.baseline import missing_baselines, missing_message
from prolo.clinic.services.careplans import session_care_plan
from prolo.clinic.services.patients import chart_open
from prolo.clinic.services.screening import (
    checklist_problem,
    last_answers,
    screening_page_context,
)
from prolo.clinic.services.settings import settings_for
from prolo.lib.forms import add_service_errors, submit
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view
from prolo.staff.forms import (
    AmendmentForm,
    ChecklistForm,
    InjectionForm,
    NoteForm,
    SessionForm,
)
from prolo.staff.views.compounding import syringe_context
from prolo.staff.views.diary_section import diary_context
from prolo.staff.views.protocols import planned_lines

_INJECTION_DEFAULTS = {
    "guidance": "landmark",
    "needle_gauge": 27,
    "needle_length_mm": 38,
    "anaesthetic": "lidocaine",
    "diluent": "saline",
}


def _note(session: TreatmentSession) -> ProcedureNote | None:
    return (
        ProcedureNote.objects.filter(session=session)
        .select_related("signed_by")
        .prefetch_related("injections", "amendments__author")
        .first()
    )


def _heat_pack(session: TreatmentSession) -> tuple[int, int]:
    """The clinic's shortest and longest heat-pack minutes (unverified: a clinic setting)."""
    clinic_settings = settings_for(session.course.patient.clinic)
    return clinic_settings.heat_pack_min_minutes, clinic_settings.heat_pack_max_minutes


def _forms(
    checklist: Checklist | None,
    note: ProcedureNote | None,
    injections: list[Injection],
    planned: list[dict[str, Any]] | None = None,
    heat_pack: tuple[int, int] | None = None,
) -> dict[str, forms.BaseForm]:
    checklist_initial = (
        model_to_dict(checklist, services.CHECKLIST_FIELDS) | last_answers(checklist.session_id)
        if checklist
        else {}
    )
    note_initial = (
        model_to_dict(note, services.NOTE_FIELDS)
        if note
        else {"heat_pack_minutes": heat_pack[1] if heat_pack else 0}
    )
    # Prefill from the last injection: consecutive sites usually share needle and solution.
    last = injections[-1] if injections else None
    injection_initial = (
        model_to_dict(last, services.INJECTION_FIELDS) if last else _INJECTION_DEFAULTS
    )
    # A course from a template: start from its next planned injection not yet recorded.
    line = next_planned(planned or [], [i.site_code for i in injections])
    if line is not None:
        injection_initial = {**injection_initial, **injection_initial_from(line)}
    return {
        "checklist": ChecklistForm(initial=checklist_initial, prefix="checklist"),
        "note": NoteForm(initial=note_initial, prefix="note", heat_pack=heat_pack),
        "injection": InjectionForm(initial=injection_initial, prefix="injection"),
        "amendment": AmendmentForm(prefix="amendment"),
    }


def _render(
    request: StaffRequest,
    session: TreatmentSession,
    bound: dict[str, forms.BaseForm] | None = None,
    sign_errors: list[str] | None = None,
) -> HttpResponse:
    chart_open(actor=request.actor, patient=session.course.patient, part=session)
    note = _note(session)
    checklist = (
        Checklist.objects.filter(session=session).select_related("weight", "no_baseline_by").first()
    )
    actor = request.actor
    injections = list(note.injections.all()) if note else []
    planned = planned_lines(session.course.protocol)
    context: dict[str, Any] = {
        "session": session,
        "course": session.course,
        "patient": session.course.patient,
        "checklist": checklist,
        "note": note,
        "injections": injections,
        "total_volume": sum((i.volume_ml for i in injections), Decimal(0)),
        "forms": {
            **_forms(checklist, note, injections, planned, _heat_pack(session)),
            **(bound or {}),
        },
        "planned": planned,
        "careplan": session_care_plan(session, injections),
        "sign_errors": sign_errors or [],
        "can_checklist": actor.can(Perm.COMPLETE_CHECKLIST),
        "can_note": actor.can(Perm.RECORD_NOTE),
        "can_sign": actor.can(Perm.SIGN_NOTE),
        "can_schedule": actor.can(Perm.SCHEDULE_SESSION),
        "can_report_adverse_event": actor.can(Perm.REPORT_ADVERSE_EVENT),
        "can_record_outcome": actor.can(Perm.RECORD_OUTCOME),
        "nav": "patients",
    }
    context.update(syringe_context(actor, session, context["forms"]))
    context.update(screening_page_context(actor, session))
    context.update(checklist_findings(session, context["screening_limits"]))
    context.update(diary_context(actor, session, context["forms"]))
    status = 400 if bound or sign_errors else 200
    return render(request, "staff/session_detail.html", context, status=status)


def checklist_findings(session: TreatmentSession, limits: ClinicSettings) -> dict[str, Any]:
    """The checklist section's anti-inflammatory hold and its missing-baseline notice."""
    codes = missing_baselines(session)
    return {
        "nsaid_hold_days": nsaid_stop_days(limits, session.course.course_type == "prp"),
        "no_baseline": missing_message(codes) if codes else "",
        "no_baseline_instruments": [(code, INSTRUMENTS[code].name) for code in codes],
    }


@staff_view()
def session_detail(request: StaffRequest, code: str) -> HttpResponse:
    session = get_session(request.actor, code, Perm.VIEW_CLINICAL)
    return _render(request, session)


@staff_view()
def session_edit(request: StaffRequest, code: str) -> HttpResponse:
    session = get_session(request.actor, code, Perm.SCHEDULE_SESSION)
    initial = {
        "scheduled_at": timezone.localtime(session.scheduled_at),
        "practitioner": session.practitioner_id,
        "room": session.room,
    }
    form = SessionForm(request.POST or None, initial=initial, clinic_id=request.actor.clinic.pk)
    if submit(request, form, services.session_update, actor=request.actor, session=session):
        messages.success(request, f"Session {session.number} moved.")
        return redirect("staff:course-detail", code=session.course.code)
    context = {
        "form": form,
        "session": session,
        "patient": session.course.patient,
        "nav": "patients",
    }
    return render(request, "staff/session_form.html", context)


def _submit(
    request: StaffRequest,
    session: TreatmentSession,
    kind: str,
    form: forms.BaseForm,
    call: Any,
    message: str,
) -> HttpResponse:
    """Validate `form`, call the service, and redirect back or re-render with errors."""
    if form.is_valid():
        try:
            call(**form.cleaned_data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                # A refusal about the session's state (signed, cancelled, no note yet), not a
                # field: the form it came from is no longer shown, so say it as a message.
                messages.error(request, " ".join(exc.messages))
                return redirect("staff:session-detail", code=session.code)
            add_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("staff:session-detail", code=session.code)
    return _render(request, session, bound={kind: form})


def _on_note(
    session: TreatmentSession, service: Callable[..., Any], actor: Actor, missing: str
) -> Callable[..., Any]:
    """`service` bound to the session's note, refusing with `missing` when there is none."""
    note = ProcedureNote.objects.filter(session=session).first()

    def call(**data: Any) -> Any:
        if note is None:
            raise ValidationError(missing)
        return service(actor=actor, note=note, **data)

    return call


@require_POST
@staff_view()
def checklist_save(request: StaffRequest, code: str) -> HttpResponse:
    session = get_session(request.actor, code, Perm.COMPLETE_CHECKLIST)
    form = ChecklistForm(request.POST, prefix="checklist")

    def call(**data: Any) -> None:
        checklist = services.checklist_save(actor=request.actor, session=session, **data)
        problem = checklist_problem(session)  # a contraindication, or cautions to acknowledge
        if problem:
            messages.error(request, problem)
        if not checklist.is_complete:
            missing = ", ".join(checklist.missing_items())
            messages.warning(request, f"Checklist saved but not complete. Still needed: {missing}.")

    return _submit(request, session, "checklist", form, call, "Checklist saved.")


@require_POST
@staff_view()
def note_save(request: StaffRequest, code: str) -> HttpResponse:
    session = get_session(request.actor, code, Perm.RECORD_NOTE)
    form = NoteForm(request.POST, prefix="note", heat_pack=_heat_pack(session))

    def call(**data: Any) -> None:
        services.note_save(actor=request.actor, session=session, **data)

    return _submit(request, session, "note", form, call, "Procedure note saved.")


@require_POST
@staff_view()
def injection_add(request: StaffRequest, code: str) -> HttpResponse:
    session = get_session(request.actor, code, Perm.RECORD_NOTE)
    form = InjectionForm(request.POST, prefix="injection", syringes=session.syringes.all())
    call = _on_note(
        session,
        services.injection_add,
        request.actor,
        missing="Save the procedure note (antisepsis and numbing) first.",
    )
    return _submit(request, session, "injection", form, call, "Injection added.")


@require_POST
@staff_view()
def injection_remove(request: StaffRequest, code: str) -> HttpResponse:
    injection = get_injection(request.actor, code, Perm.RECORD_NOTE)
    session = injection.note.session
    try:
        services.injection_remove(actor=request.actor, injection=injection)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Injection removed.")
    return redirect("staff:session-detail", code=session.code)


@require_POST
@staff_view()
def note_sign(request: StaffRequest, code: str) -> HttpResponse:
    session = get_session(request.actor, code, Perm.SIGN_NOTE)
    note = ProcedureNote.objects.filter(session=session).first()
    if note is None:
        return _render(request, session, sign_errors=["There is no procedure note to sign yet."])
    try:
        services.note_sign(actor=request.actor, note=note)
    except ValidationError as exc:
        note.refresh_from_db()
        if note.is_signed:  # signed before, or by someone else meanwhile: no sign panel to show
            messages.error(request, " ".join(exc.messages))
            return redirect("staff:session-detail", code=session.code)
        return _render(request, session, sign_errors=exc.messages)
    messages.success(request, "Note signed and locked.")
    return redirect("staff:session-detail", code=session.code)


@require_POST
@staff_view()
def note_amend(request: StaffRequest, code: str) -> HttpResponse:
    session = get_session(request.actor, code, Perm.SIGN_NOTE)
    form = AmendmentForm(request.POST, prefix="amendment")
    call = _on_note(
        session, services.note_amend, request.actor, missing="There is no note to amend."
    )
    return _submit(request, session, "amendment", form, call, "Amendment added.")
