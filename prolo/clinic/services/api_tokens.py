"""Personal API tokens for /api/v1/ and /fhir/ (docs/api.md).

A token is shown once, when made; only its SHA-256 is stored. It acts for its user in one
clinic with the role the user holds there *now*: the membership is read on every request, so
ending a membership or revoking the token ends access at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from prolo.clinic.models import ApiToken, AuditAction, Membership
from prolo.clinic.permissions import Actor
from prolo.clinic.services.audit import audit_log

TOKEN_PREFIX = "prolo_"
MAX_ACTIVE_TOKENS = 20


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: Actor, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for the actor in the actor's clinic; returns it and its secret (shown once)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. what it is for."})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    active = ApiToken.objects.filter(user=actor.user, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {"name": f"You already have {MAX_ACTIVE_TOKENS} tokens; revoke one first."}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=actor.user,
        clinic=actor.clinic,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=_hash(raw),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save(force_insert=True)
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=token,
        patient=None,
        changes={"name": name, "prefix": token.prefix},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens (get it with access.get_api_token)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=token,
            patient=None,
            changes={"revoked_at": [None, str(token.revoked_at)]},
        )
    return token


def api_token_authenticate(raw: str) -> Actor | None:
    """The actor a presented token acts as, or None if it is unknown, revoked, expired, or
    its user no longer works in the token's clinic."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "clinic")
        .filter(token_hash=_hash(raw), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    membership = Membership.objects.filter(
        user=token.user, clinic=token.clinic, active=True
    ).first()
    if membership is None:
        return None
    # Recorded at most once a minute, so a busy client does not write on every request.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return Actor(user=token.user, clinic=token.clinic, role=membership.role)
