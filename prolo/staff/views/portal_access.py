"""A patient's portal access, from the staff side: invite, re-send, withdraw."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_patient
from prolo.clinic.models import Invitation, PatientAccount
from prolo.clinic.permissions import Perm
from prolo.clinic.services.portal_accounts import (
    INVITATION_DAYS,
    invitation_revoke,
    invitation_send,
    invitation_state,
    portal_account_set_active,
)
from prolo.lib.forms import submit
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text=f"The invitation link works once and for {INVITATION_DAYS} days.",
    )


@staff_view()
def portal_access(request: StaffRequest, code: str) -> HttpResponse:
    patient = get_patient(request.actor, code, Perm.EDIT_DEMOGRAPHICS)
    form = InviteForm(request.POST or None, initial={"email": patient.email})
    link_base = request.build_absolute_uri(reverse("portal:accept-invitation", args=["x"]))[:-2]
    issued = submit(
        request, form, invitation_send, actor=request.actor, patient=patient, link_base=link_base
    )
    if issued:
        messages.success(request, f"Invitation sent to {issued.invitation.email}.")
        return redirect("staff:portal-access", code=patient.code)
    account = PatientAccount.objects.filter(patient=patient).select_related("user").first()
    invitations = [
        (invitation, invitation_state(invitation))
        for invitation in Invitation.objects.filter(patient=patient).select_related("created_by")
    ]
    context = {
        "patient": patient,
        "form": form,
        "account": account,
        "invitations": invitations,
        "has_open": any(state == "open" for _, state in invitations),
        "nav": "patients",
    }
    status = 400 if form.errors else 200
    return render(request, "staff/portal_access.html", context, status=status)


@require_POST
@staff_view()
def portal_revoke(request: StaffRequest, code: str) -> HttpResponse:
    patient = get_patient(request.actor, code, Perm.EDIT_DEMOGRAPHICS)
    if invitation_revoke(actor=request.actor, patient=patient):
        messages.success(request, "The invitation is withdrawn: its link no longer works.")
    else:
        messages.info(request, "There was no open invitation to withdraw.")
    return redirect("staff:portal-access", code=patient.code)


@require_POST
@staff_view()
def portal_account_switch(request: StaffRequest, code: str) -> HttpResponse:
    """Switch the patient's portal account off, or back on (`active` = "1")."""
    patient = get_patient(request.actor, code, Perm.EDIT_DEMOGRAPHICS)
    active = request.POST.get("active") == "1"
    try:
        portal_account_set_active(actor=request.actor, patient=patient, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "The portal account is on again."
            if active
            else "The portal account is switched off: the patient can no longer sign in.",
        )
    return redirect("staff:portal-access", code=patient.code)
