"""Who the token acts as: user, clinic, role and what the role may do."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from prolo.api.auth import actor_of
from prolo.api.errors import errors
from prolo.api.schemas import ClinicOut, MeOut, UserOut
from prolo.clinic.permissions import ROLE_PERMISSIONS

router = Router(tags=["me"])


@router.get("", response={200: MeOut, **errors(401)})
def me(request: HttpRequest) -> MeOut:
    actor = actor_of(request)
    user, clinic = actor.user, actor.clinic
    return MeOut(
        user=UserOut(code=user.code, username=user.username, name=user.display_name()),
        clinic=ClinicOut(code=clinic.code, name=clinic.name),
        role=actor.role,
        role_label=actor.role_label,
        permissions=sorted(ROLE_PERMISSIONS[actor.role]),
    )
