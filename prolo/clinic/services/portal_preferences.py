"""A patient's accessibility toolbar choices and portal language, kept on their account.

Display choices, not clinical data, so no audit row. prolo/portal/preferences.py parses them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from prolo.clinic.models import PatientAccount

if TYPE_CHECKING:
    from prolo.portal.preferences import Preferences


@transaction.atomic
def account_preferences_save(
    *,
    account: PatientAccount,
    preferences: Preferences | None = None,
    language: str | None = None,
) -> PatientAccount:
    """Merge the given choices into the account's; what is not given is left as it was."""
    # Lock and re-read, so two devices saving at once cannot drop each other's keys.
    fresh = PatientAccount.objects.select_for_update().get(pk=account.pk)
    stored = dict(fresh.preferences) if isinstance(fresh.preferences, dict) else {}
    if preferences is not None:
        stored.update(preferences.to_json())
    if language is not None:
        stored["language"] = language
    account.preferences = stored
    account.save(update_fields=["preferences"])
    return account
