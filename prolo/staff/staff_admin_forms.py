"""Forms of the staff administration pages: parse only; the rules live in services/staff.py."""

from __future__ import annotations

from django import forms

from prolo.clinic.models import Role
from prolo.clinic.permissions import Actor


def grantable_roles(actor: Actor) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Role.choices if actor.may_grant(value)]


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(label="Role")

    def __init__(self, *args: object, actor: Actor, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = grantable_roles(actor)  # type: ignore[attr-defined]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role")

    def __init__(self, *args: object, actor: Actor, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = grantable_roles(actor)  # type: ignore[attr-defined]
