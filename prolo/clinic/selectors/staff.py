"""The clinic's staff and its invitations, for the staff administration pages."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from prolo.clinic.access import staff_of
from prolo.clinic.models import StaffInvitation
from prolo.clinic.models.accounts import Membership
from prolo.clinic.permissions import Actor


def staff_list(actor: Actor) -> QuerySet[Membership]:
    """Active members first, then by name: one query whatever the number of staff."""
    inactive_last = Case(
        When(active=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return staff_of(actor).order_by(
        inactive_last, "user__last_name", "user__first_name", "user__username"
    )


def pending_invitations(actor: Actor) -> list[tuple[StaffInvitation, str]]:
    """Invitations not yet accepted or withdrawn (expired ones can be re-sent), with their state."""
    now = timezone.now()
    invitations = StaffInvitation.objects.filter(
        clinic=actor.clinic, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("created_by")
    return [(invitation, invitation.state(now)) for invitation in invitations]
