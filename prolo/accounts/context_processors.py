from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from prolo.clinic.permissions import Perm


def clinic(request: HttpRequest) -> dict[str, Any]:
    """The acting clinic and role, and `can.<permission>` for templates to show or hide actions."""
    actor = getattr(request, "actor", None)
    return {
        "actor": actor,
        "memberships": getattr(request, "memberships", []),
        "can": {perm.value: actor.can(perm) for perm in Perm} if actor else {},
    }
