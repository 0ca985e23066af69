"""A clinic's own settings per instrument: imported item text, missing-item minimums, MCID.

The instruments and their scoring ship with Prolo (clinic/outcomes/); a clinic adds the
licensed wording it imports as a FHIR Questionnaire, and its own minimums and MCID where the
shipped ones are unverified. Both writes are audited without a patient. docs/outcomes.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from prolo.clinic.access import require
from prolo.clinic.models import InstrumentSetting
from prolo.clinic.outcomes.fhir_questionnaire import (
    QuestionnaireError,
    from_questionnaire,
    importable,
)
from prolo.clinic.outcomes.instruments import INSTRUMENTS, Instrument
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import create_audited, update_audited
from prolo.clinic.services.fields import pick

MAX_LICENCE_NOTE = 2000
MAX_PERCENT = Decimal(100)


def shipped_instrument(code: str) -> Instrument:
    instrument = INSTRUMENTS.get(code)
    if instrument is None:
        raise ValidationError({"instrument": "Choose one of Prolo's instruments."})
    return instrument


def min_field(key: str) -> str:
    """The form field (and error key) of a subscale's minimum."""
    return f"min_{key}"


@transaction.atomic
def instrument_text_import(
    *, actor: Actor, instrument: str, questionnaire: Any, licence_note: str
) -> InstrumentSetting:
    """Store the item text of a FHIR Questionnaire for one instrument, with the licence note.

    The clinic confirms it holds the licence by writing the note. The file must be for this
    instrument and give text for every item; anything else is refused whole, naming the item.
    """
    require(actor, Perm.MANAGE_SAFETY)
    shipped = shipped_instrument(instrument)
    note = pick({"licence_note": licence_note or ""}, ["licence_note"])["licence_note"]
    _check_licence_note(note)
    item_text = _imported_text(shipped, questionnaire)
    changes = {
        "item_text": item_text,
        "licence_note": note,
        "imported_at": timezone.now(),
        "imported_by": actor.user,
    }
    return _save(actor, shipped, changes)


def _check_licence_note(note: str) -> None:
    if not note:
        raise ValidationError(
            {"licence_note": "Say under which licence the clinic uses this text (required)."}
        )
    if len(note) > MAX_LICENCE_NOTE:
        raise ValidationError({"licence_note": f"At most {MAX_LICENCE_NOTE} characters."})


def _imported_text(shipped: Instrument, questionnaire: Any) -> dict[str, Any]:
    if shipped.has_item_text:
        names = ", ".join(i.name for i in importable())
        raise ValidationError(
            {
                "questionnaire": f"Prolo ships the text of the {shipped.name}: there is "
                f"nothing to import. Text can be imported for: {names}."
            }
        )
    try:
        imported = from_questionnaire(questionnaire)
    except QuestionnaireError as exc:
        raise ValidationError({"questionnaire": str(exc)}) from None
    if imported.instrument.code != shipped.code:
        raise ValidationError(
            {
                "questionnaire": f"This Questionnaire is for the {imported.instrument.name}, "
                f"not the {shipped.name}."
            }
        )
    if imported.missing:
        raise ValidationError(
            {
                "questionnaire": f"These items have no text in the file: "
                f"{', '.join(imported.missing)}. Give every item its official wording."
            }
        )
    return imported.item_text


@transaction.atomic
def instrument_settings_update(
    *,
    actor: Actor,
    instrument: str,
    min_answered: Mapping[str, int | None],
    mcid_points: Decimal | None,
    mcid_percent: Decimal | None,
    mcid_source: str,
) -> InstrumentSetting | None:
    """Set the clinic's missing-item minimums (None: the shipped one) and its MCID.

    Each minimum is checked against its subscale's size, the error naming the subscale; an
    MCID needs its source. Returns None when the clinic has no row and sets nothing.
    """
    require(actor, Perm.MANAGE_SAFETY)
    shipped = shipped_instrument(instrument)
    minimums = _check_minimums(shipped, min_answered)
    source = pick({"mcid_source": mcid_source or ""}, ["mcid_source"])["mcid_source"]
    _check_mcid(shipped, mcid_points, mcid_percent, source)
    changes = {
        "min_answered": minimums,
        "mcid_points": mcid_points,
        "mcid_percent": mcid_percent,
        "mcid_source": source,
    }
    exists = InstrumentSetting.objects.filter(clinic=actor.clinic, instrument=shipped.code)
    if not exists.exists() and not any((minimums, mcid_points, mcid_percent, source)):
        return None
    return _save(actor, shipped, changes)


def _check_minimums(shipped: Instrument, given: Mapping[str, int | None]) -> dict[str, int]:
    subscales = {s.key: s for s in shipped.subscales}
    unknown = sorted(set(given) - set(subscales))
    if unknown:
        raise ValidationError(
            {"min_answered": f"The {shipped.name} has no subscale {unknown[0]!r}."}
        )
    errors = {}
    minimums = {}
    for key, value in given.items():
        if value is None:
            continue
        subscale = subscales[key]
        size = len(subscale.item_ids)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= size:
            errors[min_field(key)] = (
                f"{subscale.name}: give 1 to {size} items (the shipped minimum is "
                f"{subscale.min_answered}), or leave it blank for the shipped minimum."
            )
            continue
        minimums[key] = value
    if errors:
        raise ValidationError(errors)
    return minimums


def _check_mcid(
    shipped: Instrument, points: Decimal | None, percent: Decimal | None, source: str
) -> None:
    low, high = shipped.range
    errors = {}
    if points is not None and not 0 < points <= high - low:
        errors["mcid_points"] = f"Give more than 0 and at most {high - low} points."
    if percent is not None and not 0 < percent <= MAX_PERCENT:
        errors["mcid_percent"] = "Give more than 0 and at most 100%."
    if percent is not None and points is None:
        errors["mcid_points"] = "Give the MCID in points too; the percentage applies beside it."
    if points is not None and not source:
        errors["mcid_source"] = "Say where the clinic's MCID comes from (a study or a decision)."
    if source and points is None and percent is None:
        errors["mcid_source"] = "There is no MCID to source: give the points, or clear this."
    if errors:
        raise ValidationError(errors)


def _save(actor: Actor, shipped: Instrument, changes: dict[str, Any]) -> InstrumentSetting:
    setting = (
        InstrumentSetting.objects.select_for_update()
        .filter(clinic=actor.clinic, instrument=shipped.code)
        .first()
    )
    if setting is not None:
        return update_audited(actor=actor, instance=setting, patient=None, changes=changes)
    try:
        with transaction.atomic():
            fresh = InstrumentSetting(clinic=actor.clinic, instrument=shipped.code, **changes)
            return create_audited(actor=actor, instance=fresh, patient=None)
    except IntegrityError:  # a concurrent first save for the same instrument
        raise ValidationError(
            {"instrument": "Someone else saved this instrument's settings just now: try again."}
        ) from None
