"""A clinic's protocol templates: copied from the library, then edited by the clinic.

Templates belong to the clinic, not to a patient, so their audit rows have no patient.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from prolo.clinic.access import require
from prolo.clinic.models import Anaesthetic, InjectionStructure, ProtocolTemplate
from prolo.clinic.models.courses import MAX_PLANNED_SESSIONS
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.safety.protocols import LIBRARY_BY_KEY, template_fields
from prolo.clinic.services.audit import create_audited, update_audited
from prolo.clinic.services.fields import pick, site_structure_problem
from prolo.clinic.services.questionnaires import SCHEDULE_FIELDS, clean_schedule_fields
from prolo.clinic.sites import SITES_BY_CODE

PROTOCOL_FIELDS = (
    "name",
    "condition",
    "session_weeks",
    "optional_weeks",
    "max_session_volume_ml",
    "evidence",
    "unverified",
    "active",
    *SCHEDULE_FIELDS,
)
INJECTION_LINE_FIELDS = (
    "site_code",
    "structure",
    "volume_ml",
    "dextrose_percent",
    "anaesthetic",
    "anaesthetic_percent",
    "count",
    "note",
)
MAX_WEEK = 104  # two years: a template is a course, not a lifetime
MAX_LINES = 30
MAX_COUNT = 50
MAX_VOLUME_ML = Decimal(30)  # one injection; Injection.volume_ml allows up to 30 mL
MAX_SESSION_VOLUME_ML = Decimal(200)
MAX_ANAESTHETIC_PERCENT = Decimal(4)
NAME_LENGTH = ProtocolTemplate._meta.get_field("name").max_length or 160


@transaction.atomic
def protocol_copy(*, actor: Actor, key: str) -> ProtocolTemplate:
    """Copy library protocol `key` into the clinic's templates, under a name not yet used."""
    require(actor, Perm.MANAGE_SAFETY)
    library = LIBRARY_BY_KEY.get(key)
    if library is None:
        raise ValidationError({"key": "There is no protocol with this key in the library."})
    fields = template_fields(library)
    fields["name"] = _free_name(actor, fields["name"])
    template = ProtocolTemplate(clinic=actor.clinic, **fields)
    return create_audited(actor=actor, instance=template, patient=None)


def _free_name(actor: Actor, name: str) -> str:
    taken = set(ProtocolTemplate.objects.filter(clinic=actor.clinic).values_list("name", flat=True))
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        suffix = f" (copy {n})"
        candidate = name[: NAME_LENGTH - len(suffix)] + suffix
    return candidate


@transaction.atomic
def protocol_update(*, actor: Actor, protocol: ProtocolTemplate, **fields: Any) -> ProtocolTemplate:
    """Edit a template's name, schedule, injections, volume limit and notes."""
    require(actor, Perm.MANAGE_SAFETY)
    protocol = _lock(protocol)
    changes = clean_schedule_fields(pick(fields, (*PROTOCOL_FIELDS, "injections")))
    if "name" in changes:
        _check_name(actor, protocol, changes["name"])
    if "session_weeks" in changes:
        changes["session_weeks"] = clean_weeks("session_weeks", changes["session_weeks"])
    if "optional_weeks" in changes:
        changes["optional_weeks"] = clean_weeks(
            "optional_weeks", changes["optional_weeks"], allow_empty=True
        )
    weeks = changes.get("session_weeks", protocol.session_weeks)
    optional = changes.get("optional_weeks", protocol.optional_weeks)
    if optional and optional[0] <= weeks[-1]:
        raise ValidationError(
            {"optional_weeks": f"Optional weeks come after the last session (week {weeks[-1]})."}
        )
    if "max_session_volume_ml" in changes:
        _check_session_volume(changes["max_session_volume_ml"])
    if "injections" in changes:
        changes["injections"] = _clean_lines(changes["injections"])
    return update_audited(actor=actor, instance=protocol, patient=None, changes=changes)


@transaction.atomic
def protocol_injection_add(
    *, actor: Actor, protocol: ProtocolTemplate, **line: Any
) -> ProtocolTemplate:
    """Add one planned injection to the end of a template's plan."""
    require(actor, Perm.MANAGE_SAFETY)
    protocol = _lock(protocol)
    cleaned = clean_injection(line)
    if len(protocol.injections) >= MAX_LINES:
        raise ValidationError(f"A template holds at most {MAX_LINES} planned injections.")
    return update_audited(
        actor=actor,
        instance=protocol,
        patient=None,
        changes={"injections": [*protocol.injections, cleaned]},
    )


@transaction.atomic
def protocol_injection_remove(
    *, actor: Actor, protocol: ProtocolTemplate, index: int
) -> ProtocolTemplate:
    """Remove planned injection number `index` (from 0) of a template."""
    require(actor, Perm.MANAGE_SAFETY)
    protocol = _lock(protocol)
    if not 0 <= index < len(protocol.injections):
        raise ValidationError("That planned injection is no longer in the template.")
    lines = [line for i, line in enumerate(protocol.injections) if i != index]
    return update_audited(
        actor=actor, instance=protocol, patient=None, changes={"injections": lines}
    )


def _lock(protocol: ProtocolTemplate) -> ProtocolTemplate:
    """Re-read the template under a row lock, so two edits of its plan cannot lose one."""
    return ProtocolTemplate.objects.select_for_update().get(pk=protocol.pk)


def _check_name(actor: Actor, protocol: ProtocolTemplate, name: str) -> None:
    others = ProtocolTemplate.objects.filter(clinic=actor.clinic, name=name)
    if others.exclude(pk=protocol.pk).exists():
        raise ValidationError({"name": "Another template of this clinic has this name."})


def clean_weeks(field: str, weeks: Any, *, allow_empty: bool = False) -> list[int]:
    """Whole weeks from the first session (week 0), each later than the one before."""
    if not isinstance(weeks, list | tuple) or not all(
        isinstance(w, int) and not isinstance(w, bool) for w in weeks
    ):
        raise ValidationError({field: "Give whole numbers of weeks, separated by commas."})
    if not weeks:
        if allow_empty:
            return []
        raise ValidationError({field: "Give the week of at least one session."})
    if any(w < 0 for w in weeks):
        raise ValidationError({field: "Weeks cannot be negative."})
    if any(w > MAX_WEEK for w in weeks):
        raise ValidationError({field: f"Weeks go up to {MAX_WEEK}."})
    if any(b <= a for a, b in itertools.pairwise(weeks)):
        raise ValidationError({field: "Each week must be later than the one before."})
    if field == "session_weeks":
        if weeks[0] != 0:
            raise ValidationError({field: "The first session is week 0."})
        if len(weeks) > MAX_PLANNED_SESSIONS:
            raise ValidationError({field: f"A course has at most {MAX_PLANNED_SESSIONS} sessions."})
    return list(weeks)


def _check_session_volume(volume: Decimal | None) -> None:
    if volume is not None and not Decimal(0) < volume <= MAX_SESSION_VOLUME_ML:
        raise ValidationError(
            {
                "max_session_volume_ml": f"Give a volume above 0 and up to {MAX_SESSION_VOLUME_ML} mL."
            }
        )


def _clean_lines(lines: Any) -> list[dict[str, Any]]:
    if not isinstance(lines, list):
        raise ValidationError({"injections": "Give the planned injections as a list."})
    if len(lines) > MAX_LINES:
        raise ValidationError({"injections": f"At most {MAX_LINES} planned injections."})
    cleaned = []
    for number, line in enumerate(lines, start=1):
        try:
            cleaned.append(clean_injection(line))
        except ValidationError as exc:
            raise ValidationError(
                {"injections": [f"Planned injection {number}: {m}" for m in _labelled(exc)]}
            ) from None
    return cleaned


def _labelled(exc: ValidationError) -> Iterable[str]:
    if not hasattr(exc, "error_dict"):
        return exc.messages
    return [
        f"{_LABELS.get(name, name)}: {message}"
        for name, errors in exc.error_dict.items()
        for message in ValidationError(errors).messages
    ]


_LABELS = {
    "site_code": "Site",
    "structure": "Structure",
    "volume_ml": "Volume (mL)",
    "dextrose_percent": "Dextrose (%)",
    "anaesthetic": "Anaesthetic",
    "anaesthetic_percent": "Anaesthetic (%)",
    "count": "Number of injections",
    "note": "Note",
}


def clean_injection(line: Any) -> dict[str, Any]:
    """One planned injection, validated field by field; numbers stored as exact strings."""
    if not isinstance(line, dict):
        raise ValidationError("Give each planned injection as a set of fields.")
    line = pick(line, INJECTION_LINE_FIELDS)
    errors: dict[str, str] = {}
    if line.get("site_code") not in SITES_BY_CODE:
        errors["site_code"] = "Choose a site from the list."
    if line.get("structure") not in InjectionStructure.values:
        errors["structure"] = "Choose a structure from the list."
    elif problem := site_structure_problem(line.get("site_code"), line.get("structure")):
        errors["structure"] = problem
    anaesthetic = line.get("anaesthetic")
    if anaesthetic not in Anaesthetic.values:
        errors["anaesthetic"] = "Choose an anaesthetic from the list (or None)."
    volume = _number(line, "volume_ml", errors)
    dextrose = _number(line, "dextrose_percent", errors)
    la_percent = _number(line, "anaesthetic_percent", errors)
    if volume is not None and not Decimal(0) < volume <= MAX_VOLUME_ML:
        errors["volume_ml"] = f"Give a volume above 0 and up to {MAX_VOLUME_ML} mL."
    if dextrose is not None and not Decimal(0) <= dextrose <= 50:
        errors["dextrose_percent"] = "Give a strength from 0 to 50%."
    _check_anaesthetic_percent(anaesthetic, la_percent, errors)
    count = line.get("count")
    if count is not None and (
        not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT
    ):
        errors["count"] = f"Give a number from 1 to {MAX_COUNT}, or leave empty for 'as needed'."
    note = line.get("note") or ""
    if not isinstance(note, str) or len(note) > 200:
        errors["note"] = "Keep the note to 200 characters."
    if errors:
        raise ValidationError(errors)
    return {
        "site_code": line["site_code"],
        "structure": line["structure"],
        "volume_ml": _text(volume),
        "dextrose_percent": _text(dextrose),
        "anaesthetic": anaesthetic,
        "anaesthetic_percent": _text(Decimal(0) if anaesthetic == "none" else la_percent),
        "count": count,
        "note": note,
    }


def _check_anaesthetic_percent(
    anaesthetic: Any, percent: Decimal | None, errors: dict[str, str]
) -> None:
    if "anaesthetic_percent" in errors or "anaesthetic" in errors:
        return
    if anaesthetic == "none":
        if percent not in (None, Decimal(0)):
            errors["anaesthetic_percent"] = "Leave it at 0 when no anaesthetic is chosen."
    elif percent is not None and not Decimal(0) < percent <= MAX_ANAESTHETIC_PERCENT:
        errors["anaesthetic_percent"] = (
            f"Give a strength above 0 and up to {MAX_ANAESTHETIC_PERCENT}%, or leave it empty."
        )


def _number(line: dict[str, Any], name: str, errors: dict[str, str]) -> Decimal | None:
    value = line.get(name)
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors[name] = "Give a number."
        return None
    if not number.is_finite():
        errors[name] = "Give a number."
        return None
    return number


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"
