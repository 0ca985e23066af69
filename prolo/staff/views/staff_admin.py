"""Clinic → Staff: who works here, in which role; invitations, role changes, deactivation and
password reset links. Clinic admins only (Perm.MANAGE_STAFF); see docs/staff-admin.md."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_member, get_staff_invitation
from prolo.clinic.permissions import Perm
from prolo.clinic.selectors.staff import pending_invitations, staff_list
from prolo.clinic.services.staff import (
    STAFF_INVITATION_DAYS,
    member_password_reset,
    membership_change_role,
    membership_set_active,
    staff_invitation_resend,
    staff_invitation_withdraw,
    staff_invite,
)
from prolo.lib.forms import submit
from prolo.lib.http import StaffRequest, link_base
from prolo.staff.decorators import staff_view
from prolo.staff.staff_admin_forms import InviteForm, RoleForm

JOIN = "accounts:staff-join"
RESET = "accounts:password-reset-confirm"


@staff_view(Perm.MANAGE_STAFF)
def staff_list_page(request: StaffRequest) -> HttpResponse:
    context = {
        "members": staff_list(request.actor),
        "invitations": pending_invitations(request.actor),
        "nav": "staff",
    }
    return render(request, "staff/staff_list.html", context)


@staff_view(Perm.MANAGE_STAFF)
def staff_invite_page(request: StaffRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, actor=request.actor)
    base = link_base(request, JOIN)
    issued = submit(request, form, staff_invite, actor=request.actor, link_base=base)
    if issued:
        messages.success(request, f"Invitation sent to {issued.invitation.email}.")
        return redirect("staff:staff-list")
    context = {"form": form, "days": STAFF_INVITATION_DAYS, "nav": "staff"}
    status = 400 if form.errors else 200
    return render(request, "staff/staff_invite.html", context, status=status)


@require_POST
@staff_view()
def staff_invitation_resend_view(request: StaffRequest, code: str) -> HttpResponse:
    invitation = get_staff_invitation(request.actor, code, Perm.MANAGE_STAFF)
    try:
        staff_invitation_resend(
            actor=request.actor, invitation=invitation, link_base=link_base(request, JOIN)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"A new link is sent to {invitation.email}; the old one no longer works."
        )
    return redirect("staff:staff-list")


@require_POST
@staff_view()
def staff_invitation_withdraw_view(request: StaffRequest, code: str) -> HttpResponse:
    invitation = get_staff_invitation(request.actor, code, Perm.MANAGE_STAFF)
    try:
        staff_invitation_withdraw(actor=request.actor, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
    return redirect("staff:staff-list")


@staff_view()
def staff_member(request: StaffRequest, code: str) -> HttpResponse:
    """A member's page; its form changes their role."""
    membership = get_member(request.actor, code, Perm.MANAGE_STAFF)
    form = RoleForm(request.POST or None, actor=request.actor, initial={"role": membership.role})
    changed = submit(
        request, form, membership_change_role, actor=request.actor, membership=membership
    )
    if changed:
        messages.success(
            request, f"{changed.user.display_name()} is now {changed.get_role_display()}."
        )
        return redirect("staff:staff-member", code=code)
    context = {
        "member": membership,
        "form": form,
        "is_me": membership.user_id == request.actor.user.pk,
        "nav": "staff",
    }
    status = 400 if form.errors else 200
    return render(request, "staff/staff_member.html", context, status=status)


@require_POST
@staff_view()
def staff_member_active(request: StaffRequest, code: str) -> HttpResponse:
    """Deactivate the member, or reactivate them (`active` = "1")."""
    membership = get_member(request.actor, code, Perm.MANAGE_STAFF)
    active = request.POST.get("active") == "1"
    try:
        membership_set_active(actor=request.actor, membership=membership, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        name = membership.user.display_name()
        messages.success(
            request,
            f"{name} is active again in this clinic."
            if active
            else f"{name} is deactivated: they can no longer work in this clinic.",
        )
    return redirect("staff:staff-member", code=code)


@require_POST
@staff_view()
def staff_member_password_reset(request: StaffRequest, code: str) -> HttpResponse:
    membership = get_member(request.actor, code, Perm.MANAGE_STAFF)
    try:
        member_password_reset(
            actor=request.actor, membership=membership, link_base=link_base(request, RESET, 2)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"A link to choose a new password is sent to {membership.user.email}."
        )
    return redirect("staff:staff-member", code=code)
