"""`manage.py ceiling`: a patient's local anaesthetic ceiling, and how much of it a dose uses.

The same arithmetic as the session page (safety/dosing.py); docs/dose-ceiling.md has examples.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from prolo.clinic.models import Clinic, ClinicSettings
from prolo.clinic.models.patients import MAX_WEIGHT_KG, MIN_WEIGHT_KG
from prolo.clinic.safety import dosing
from prolo.clinic.safety.dosing import AgentTotal, Ceiling, Limit
from prolo.clinic.services.dosing import AGENTS, built_in_limits, clinic_limits
from prolo.clinic.services.settings import settings_for

USAGE_ERROR = 2
MAX_PERCENT = Decimal(10)
MAX_VOLUME_ML = Decimal(1000)


def _decimal(name: str, text: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CommandError(f"--{name}: {text!r} is not a number.", returncode=USAGE_ERROR) from None
    if not value.is_finite() or not low <= value <= high:
        raise CommandError(f"--{name}: give a number from {low} to {high}.", returncode=USAGE_ERROR)
    return value


class Command(BaseCommand):
    help = (
        "Work out a local anaesthetic ceiling: min(mg/kg × weight, maximum) × the patient's "
        "dose factors, with its source; with --given-ml and --percent, the mg given and the "
        "percentage of the ceiling."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--weight", required=True, help="Weight in kg.")
        parser.add_argument("--agent", required=True, choices=AGENTS)
        parser.add_argument(
            "--epinephrine", action="store_true", help="The anaesthetic contains epinephrine."
        )
        parser.add_argument(
            "--age", type=int, help="Age in years (for the under-18 and elderly factors)."
        )
        parser.add_argument("--liver", action="store_true", help="The patient has liver disease.")
        parser.add_argument("--heart", action="store_true", help="The patient has heart disease.")
        parser.add_argument("--given-ml", help="Volume given in mL (needs --percent).")
        parser.add_argument("--percent", help="Strength of what was given, in %% (1%% = 10 mg/mL).")
        parser.add_argument(
            "--clinic", help="A clinic's code (UUID): its limits and factors, not the defaults."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON for machines.")

    def handle(self, *args: Any, **options: Any) -> None:
        weight = _decimal("weight", options["weight"], MIN_WEIGHT_KG, MAX_WEIGHT_KG)
        age = options["age"]
        if age is not None and not 0 <= age <= 130:
            raise CommandError("--age: give an age from 0 to 130.", returncode=USAGE_ERROR)
        given = self._given(options["given_ml"], options["percent"])
        clinic, limits, settings = self._source(options["clinic"])
        agent = options["agent"]
        limit = limits.get(agent)
        if limit is None:
            raise CommandError(
                f"No {agent} limit is configured for {clinic}.", returncode=USAGE_ERROR
            )
        factors = dosing.patient_factors(
            age=age,
            child_factor=settings.child_factor,
            elderly_age=settings.elderly_age,
            elderly_factor=settings.elderly_factor,
            hepatic=options["liver"],
            hepatic_factor=settings.hepatic_factor,
            cardiac=options["heart"],
            cardiac_factor=settings.cardiac_factor,
        )
        epinephrine = options["epinephrine"]
        result = dosing.ceiling(limit, weight, epinephrine=epinephrine, factors=factors)
        total = None
        if given is not None:
            dose = dosing.Dose(agent, given[0], given[1], epinephrine)
            summary = dosing.summarise(
                [dose],
                weight_kg=weight,
                limits={agent: limit},
                factors=factors,
                warn_percent=Decimal(settings.dose_warn_percent),
            )
            total = summary.agents[0]
        where = f"the limits of {clinic}" if clinic else "Prolo's built-in default limits"
        child = dosing.is_child(age)
        if options["json"]:
            data = _as_json(result, total, where, epinephrine, child)
            self.stdout.write(json.dumps(data, indent=2))
        else:
            self.stdout.write(_as_text(result, total, where, epinephrine, child))

    def _given(self, ml: str | None, percent: str | None) -> tuple[Decimal, Decimal] | None:
        if ml is None and percent is None:
            return None
        if ml is None or percent is None:
            raise CommandError(
                "Give both --given-ml and --percent, or neither.", returncode=USAGE_ERROR
            )
        return (
            _decimal("given-ml", ml, Decimal("0.01"), MAX_VOLUME_ML),
            _decimal("percent", percent, Decimal("0.01"), MAX_PERCENT),
        )

    def _source(self, code: str | None) -> tuple[Clinic | None, dict[str, Limit], ClinicSettings]:
        if code is None:
            return None, built_in_limits(), ClinicSettings()
        try:
            clinic = Clinic.objects.get(code=code)
        except (Clinic.DoesNotExist, ValueError, ValidationError):
            raise CommandError(
                f"--clinic: no clinic has the code {code!r}.", returncode=2
            ) from None
        return clinic, clinic_limits(clinic.pk), settings_for(clinic)


CHILD_SIGN_OFF = (
    "a session for this patient needs a physician's dose sign-off before its note is signed, "
    "whatever the share of the ceiling"
)


def _maximum(result: Ceiling) -> str:
    if result.cap_mg is None:
        return "none"
    text = f"{dosing.show(result.cap_mg)} mg"
    if result.plain_cap:
        text += f" ({dosing.PLAIN_CAP_NOTE})"
    return text + (" (the lower, so it applies)" if result.cap_applies else "")


def _as_text(
    result: Ceiling, total: AgentTotal | None, where: str, epinephrine: bool, child: bool
) -> str:
    label = dosing.agent_label(result.agent)
    kind = "with epinephrine" if epinephrine else "plain (no epinephrine)"
    lines = [f"{label} ceiling for {dosing.show(result.weight_kg)} kg, {kind}, from {where}"]
    if epinephrine and not result.epinephrine:
        lines.append("  (no with-epinephrine limit is set for it: the plain limit is used)")
    rows = [
        (
            "By weight",
            f"{dosing.show(result.mg_per_kg, 2)} mg/kg × {dosing.show(result.weight_kg)} kg "
            f"= {dosing.show(result.by_weight_mg, 2)} mg",
        ),
        ("Maximum", _maximum(result)),
    ]
    for factor in result.factors:
        rows.append(("Factor", f"× {dosing.show_factor(factor.value)} for {factor.reason}"))
    rows += [("Ceiling", f"{dosing.show_ceiling(result.mg)} mg"), ("Source", result.source)]
    if result.factors:
        rows.append(("Factors", dosing.FACTOR_SOURCE))
    if child:
        rows.append(("Under 18", f"{dosing.CHILD_SOURCE}: {CHILD_SIGN_OFF}"))
    if total is not None:
        strength = dosing.show(total.mg / total.volume_ml / dosing.MG_PER_ML_PER_PERCENT, 2)
        dose = f"{dosing.show(total.volume_ml, 2)} mL of {strength}%"
        rows.append(
            (
                "Given",
                f"{dose} = {dosing.show(total.mg, 2)} mg "
                f"= {dosing.show_percent(total.percent)}% of the ceiling: {total.status_text}",
            )
        )
    lines += [f"  {name:<10} {text}" for name, text in rows]
    return "\n".join(lines)


def _as_json(
    result: Ceiling, total: AgentTotal | None, where: str, epinephrine: bool, child: bool
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "agent": result.agent,
        "weight_kg": dosing.show(result.weight_kg),
        "epinephrine": epinephrine,
        "epinephrine_limit_used": result.epinephrine,
        "mg_per_kg": dosing.show(result.mg_per_kg, 2),
        "by_weight_mg": dosing.show(result.by_weight_mg, 2),
        "cap_mg": None if result.cap_mg is None else dosing.show(result.cap_mg),
        "cap_applies": result.cap_applies,
        "cap_from_plain_limit": result.plain_cap,
        "factors": [
            {"reason": f.reason, "value": dosing.show_factor(f.value)} for f in result.factors
        ],
        "ceiling_mg": dosing.show_ceiling(result.mg),
        "source": result.source,
        "verified": result.verified,
        "built_in_default": not result.limit.configured,
        "limits_from": where,
    }
    if result.factors:
        data["factor_source"] = dosing.FACTOR_SOURCE
    if child:
        data["under_18"] = f"{dosing.CHILD_SOURCE}: {CHILD_SIGN_OFF}"
    if total is not None:
        data["given"] = {
            "volume_ml": str(total.volume_ml),
            "percent": str(total.mg / total.volume_ml / dosing.MG_PER_ML_PER_PERCENT),
            "mg": dosing.show(total.mg, 2),
            "percent_of_ceiling": dosing.show_percent(total.percent),
            "status": str(total.status),
        }
    return data
