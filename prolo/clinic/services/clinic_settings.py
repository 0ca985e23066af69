"""The clinic's safety settings: each value with its default and where that default comes from.

Many of these numbers are clinic practice rather than published fact (domain notes §6, §3): the
page shows which, so a clinic knows what it is choosing. Changes are audited without a patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field

from prolo.clinic.access import require
from prolo.clinic.models import ClinicSettings
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import update_audited
from prolo.clinic.services.fields import pick
from prolo.clinic.services.settings import settings_ensure


@dataclass(frozen=True)
class SettingSource:
    """Why a setting's default is what it is. `verified` is False for clinic practice."""

    name: str
    unit: str
    source: str
    verified: bool
    group: str


_DOSE = "Anaesthetic dose ceiling"
_CARE = "Preparation and aftercare plans"
_SCREEN = "Contraindication screening"
_DRAW = "Drawing up"

SETTING_SOURCES: tuple[SettingSource, ...] = (
    SettingSource(
        "syringe_precision_ml",
        "mL",
        "Design default: the smallest step of the syringes in use.",
        False,
        _DRAW,
    ),
    SettingSource(
        "weight_max_age_days",
        "days",
        "Design default: how recent a weight must be to dose by it; not from a guideline.",
        False,
        _DOSE,
    ),
    SettingSource(
        "dose_warn_percent",
        "%",
        "Design default: warn at 80% of the ceiling; not from a guideline.",
        False,
        _DOSE,
    ),
    SettingSource(
        "dose_weight_basis",
        "",
        "Unverified: dosing by ideal or lean body weight in obesity is recommended in secondary "
        "sources only (domain notes §3.1). Ideal = Devine: 50 kg (men) or 45.5 kg (women) + "
        "0.9 kg per cm over 152.4 cm; adjusted = ideal + 0.4 × (actual − ideal); never above "
        "the actual weight. Ideal and adjusted need the patient's height, recorded with the "
        "weight: without it the note cannot be signed.",
        False,
        _DOSE,
    ),
    SettingSource(
        "child_factor",
        "× ceiling",
        "The label asks for reduced doses for children [R44] but gives no factor: clinic "
        "choice (1.00 = no reduction). Under 18 a physician also signs off the dose.",
        False,
        _DOSE,
    ),
    SettingSource(
        "elderly_age",
        "years",
        "The label asks for reduced doses in the elderly [R44] but gives no age: clinic choice.",
        False,
        _DOSE,
    ),
    SettingSource(
        "elderly_factor",
        "× ceiling",
        "The label asks for reduced doses [R44] but gives no factor: clinic choice "
        "(1.00 = no reduction).",
        False,
        _DOSE,
    ),
    SettingSource(
        "hepatic_factor",
        "× ceiling",
        "Reduced doses in liver disease [R44]; no factor given: clinic choice.",
        False,
        _DOSE,
    ),
    SettingSource(
        "cardiac_factor",
        "× ceiling",
        "Reduced doses in heart disease [R44]; no factor given: clinic choice.",
        False,
        _DOSE,
    ),
    SettingSource(
        "nsaid_stop_days_before",
        "days",
        "Clinic sheets range from 2–3 days to 2 weeks: 3 to 5 days [R98], 5–7 days [R99], "
        "3 days [R100], 2 weeks [R101]. PRP plans use the PRP minimum below if it is longer. "
        "The session checklist holds a shorter stop for a physician's acknowledgement.",
        True,
        _CARE,
    ),
    SettingSource(
        "nsaid_avoid_days_after",
        "days",
        "From 1 week [R98] to 4 weeks [R101] or 12 weeks [R103]. PRP plans use the PRP "
        "minimum below if it is longer.",
        True,
        _CARE,
    ),
    SettingSource(
        "prp_nsaid_stop_days_before",
        "days",
        "PRP: anti-inflammatories inhibit platelets, so stop them 3–4 days before [R104]. "
        "A PRP plan uses this or the general setting, whichever is longer.",
        True,
        _CARE,
    ),
    SettingSource(
        "prp_nsaid_avoid_days_after",
        "days",
        "PRP: avoid them for 1 week after [R104]. A PRP plan uses this or the general "
        "setting, whichever is longer.",
        True,
        _CARE,
    ),
    SettingSource(
        "heavy_loading_days",
        "days",
        "Avoid heavy or repetitive loading for about 3 days after deep injections [R106][R108].",
        True,
        _CARE,
    ),
    SettingSource(
        "flare_typical_days",
        "days",
        "Usually 1–3 days [R102]; clinic sheets say 3–10 days [R98], up to a week [R103].",
        True,
        _CARE,
    ),
    SettingSource(
        "flare_max_days",
        "days",
        "Up to about a week [R102][R103]; asking for review after it is a design "
        "suggestion (notes §8).",
        True,
        _CARE,
    ),
    SettingSource(
        "heat_pack_min_minutes",
        "minutes",
        "Unverified — clinic practice: no source gives a heat-pack time; heat rather than ice "
        "is sourced [R102][R107][R101].",
        False,
        _CARE,
    ),
    SettingSource(
        "heat_pack_max_minutes",
        "minutes",
        "Unverified — clinic practice (as above).",
        False,
        _CARE,
    ),
    SettingSource(
        "healing_weeks",
        "weeks",
        "Unverified — clinic setting: the 6-week figure has no source; clinic sheets speak "
        "of 2–3 months [R106][R108].",
        False,
        _CARE,
    ),
    SettingSource(
        "recent_steroid_weeks",
        "weeks",
        "No steroid injection at the site within 1 month [R105]; one clinic waits 4 weeks "
        "after steroids [R103].",
        True,
        _SCREEN,
    ),
    SettingSource(
        "prp_min_haemoglobin",
        "g/dL",
        "PRP relative contraindication below 10 g/dL [R105]; one knee trial excluded below "
        "11 g/dL [R111].",
        True,
        _SCREEN,
    ),
    SettingSource(
        "prp_min_platelets",
        "×10³/µL",
        "PRP relative contraindication below 10⁵/µL = 100 ×10³/µL [R105]; one trial "
        "excluded below 150 [R111].",
        True,
        _SCREEN,
    ),
)

SETTINGS_FIELDS = tuple(s.name for s in SETTING_SOURCES)

# Bounds the model does not carry (it predates this page): checked here, where they are named.
_BOUNDS: dict[str, tuple[Decimal | int, Decimal | int]] = {
    "heat_pack_min_minutes": (0, 60),
    "heat_pack_max_minutes": (0, 60),
    "elderly_age": (18, 120),
    "prp_min_haemoglobin": (Decimal("5.0"), Decimal("20.0")),
    "prp_min_platelets": (10, 1000),
}


def setting_field(name: str) -> Field[Any, Any]:
    field = ClinicSettings._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def default_of(name: str) -> Any:
    return setting_field(name).get_default()


@transaction.atomic
def settings_update(*, actor: Actor, **fields: Any) -> ClinicSettings:
    """Change the acting clinic's safety settings; the audit row has no patient."""
    require(actor, Perm.MANAGE_SAFETY)
    settings_ensure(actor.clinic)
    current = ClinicSettings.objects.select_for_update().get(clinic=actor.clinic)
    changes = pick(fields, SETTINGS_FIELDS)
    _check_bounds(changes)
    _check_pairs({**{n: getattr(current, n) for n in SETTINGS_FIELDS}, **changes})
    # 0.1 and 0.10 are the same precision: only real changes are saved and audited.
    changes = {name: value for name, value in changes.items() if getattr(current, name) != value}
    return update_audited(actor=actor, instance=current, patient=None, changes=changes)


def _check_bounds(changes: dict[str, Any]) -> None:
    errors = {}
    for name, (low, high) in _BOUNDS.items():
        value = changes.get(name)
        if value is not None and not low <= value <= high:
            errors[name] = f"Give a value from {low} to {high}."
    if errors:
        raise ValidationError(errors)


def _check_pairs(values: dict[str, Any]) -> None:
    errors = {}
    if values["heat_pack_min_minutes"] > values["heat_pack_max_minutes"]:
        errors["heat_pack_max_minutes"] = "The longest heat-pack time cannot be below the shortest."
    if values["flare_typical_days"] > values["flare_max_days"]:
        errors["flare_max_days"] = "The review threshold cannot be below the usual flare length."
    if errors:
        raise ValidationError(errors)
