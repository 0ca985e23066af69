"""The local anaesthetic dose ceiling: pure Decimal arithmetic, no database.

One implementation for the session page, the signing check and `manage.py ceiling`. The
formula, its sources and the parts nobody has verified are in docs/dose-ceiling.md:

    mg       = mL × % × 10                                   (1% = 10 mg/mL)
    weight   = the clinic's dosing weight: actual, ideal (Devine) or adjusted, never above actual
    ceiling  = min(mg/kg × weight, cap) × the patient's factors
               (with epinephrine and no with-epinephrine cap: the plain cap;
                no cap at all: no ceiling, a physician's override is needed)
    fraction = mg given ÷ ceiling, per agent; combined = the sum over agents

Every number carries the source it came from, so a page can show it beside the number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

HUNDRED = Decimal(100)
MG_PER_ML_PER_PERCENT = Decimal(10)

MG_SOURCE = "mg = mL × % × 10: a 1% solution holds 10 mg/mL [R20][R22]"
FACTOR_SOURCE = (
    "The Xylocaine label [R44] says doses should be reduced for children, for the elderly and "
    "for patients with cardiac and/or liver disease, but gives no amount: each factor is this "
    "clinic's setting, not a published value"
)
CHILD_AGE = 18  # under this age: the child factor, and a physician's dose sign-off
CHILD_SOURCE = (
    "The limits are adult doses; the Xylocaine label [R44] says doses should be reduced for "
    "children but gives no amount, and paediatric use needs a physician's explicit sign-off "
    "(Osgood–Schlatter trials treated ages 9 to 17 [R65])"
)
ADDITIVE_SOURCE = (
    "Combined: the sum of each agent's fraction of its own ceiling, because local anaesthetic "
    "toxicity is additive across agents (general pharmacology; citation unverified)"
)
EPINEPHRINE_RULE = (
    "The with-epinephrine limit is used only when every dose of the agent contained "
    "epinephrine; a session mixing plain and epinephrine doses of one agent uses the plain limit"
)
PLAIN_CAP_NOTE = "the plain maximum: no maximum with epinephrine is set"
NO_CAP_SOURCE = (
    "Without a maximum the ceiling would grow with weight alone (ropivacaine 3 mg/kg × 350 kg "
    "would be 1,050 mg), so an agent with no maximum has no ceiling until the clinic sets one"
)
WEIGHT_SOURCE = (
    "Devine ideal body weight: 50 kg (men) or 45.5 kg (women) + 0.9 kg per cm over 152.4 cm; "
    "adjusted body weight = ideal + 0.4 × (actual − ideal). Dosing by ideal or lean body weight "
    "in obesity is recommended in secondary sources only (domain notes §3.1): unverified"
)
IBW_BASE_KG = {"male": Decimal(50), "female": Decimal("45.5")}
IBW_KG_PER_CM = Decimal("0.9")
IBW_FROM_CM = Decimal("152.4")
ADJUSTED_SHARE = Decimal("0.4")
MIN_DOSING_KG = Decimal(2)
WEIGHT_STEP = Decimal("0.1")
BASIS_LABELS = {
    "actual": "actual body weight",
    "ideal": "ideal body weight (Devine)",
    "adjusted": "adjusted body weight",
}
UNVERIFIED = "unverified"


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    OVER = "over"
    INCOMPLETE = "incomplete"  # no weight, or a given agent has no limit: nothing to compare
    NO_CAP = "no_cap"  # a given agent's limit has no maximum: no ceiling, an override is needed


STATUS_TEXT = {
    Status.OK: "Within the ceiling",
    Status.WARN: "Warning: near the ceiling",
    Status.OVER: "Over the ceiling",
    Status.INCOMPLETE: "Cannot be worked out",
    Status.NO_CAP: "No maximum configured",
}


def mg_from_ml(volume_ml: Decimal, percent: Decimal) -> Decimal:
    """Milligrams of drug in `volume_ml` of a `percent` (weight/volume) solution."""
    return volume_ml * percent * MG_PER_ML_PER_PERCENT


def agent_label(agent: str) -> str:
    return agent.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Limit:
    """One agent's maximum dose, plain and with epinephrine, and where it came from."""

    agent: str
    mg_per_kg: Decimal
    cap_mg: Decimal | None
    mg_per_kg_epinephrine: Decimal | None
    cap_mg_epinephrine: Decimal | None
    source: str
    verified: bool
    configured: bool = True  # False: a built-in default, the clinic has not set its own

    @classmethod
    def of(cls, row: Any, *, configured: bool = True) -> Limit:
        """From anything with the AnaestheticLimit field names (a row, a dataclass, a dict)."""

        def get(name: str) -> Any:
            return row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)

        return cls(
            agent=str(get("agent")),
            mg_per_kg=Decimal(str(get("mg_per_kg"))),
            cap_mg=_decimal_or_none(get("cap_mg")),
            mg_per_kg_epinephrine=_decimal_or_none(get("mg_per_kg_epinephrine")),
            cap_mg_epinephrine=_decimal_or_none(get("cap_mg_epinephrine")),
            source=str(get("source") or ""),
            verified=bool(get("verified")),
            configured=configured,
        )

    def values(self, epinephrine: bool) -> tuple[Decimal, Decimal | None, bool]:
        """(mg/kg, cap, epinephrine values used?): the epinephrine values need epinephrine
        and a with-epinephrine mg/kg; anything less falls back to the plain limit.

        A with-epinephrine mg/kg without its own cap takes the plain cap: a missing number
        must never lift the ceiling (7 mg/kg × 100 kg would otherwise be 700 mg of lidocaine).
        """
        if epinephrine and self.mg_per_kg_epinephrine is not None:
            cap = self.cap_mg_epinephrine
            return self.mg_per_kg_epinephrine, self.cap_mg if cap is None else cap, True
        return self.mg_per_kg, self.cap_mg, False

    def uncapped(self, epinephrine: bool) -> bool:
        """No maximum applies: mg/kg × weight alone is no ceiling at all (3 mg/kg × 350 kg)."""
        return self.values(epinephrine)[1] is None

    @property
    def epinephrine_takes_plain_cap(self) -> bool:
        """With epinephrine, the plain cap stands in for a with-epinephrine cap nobody set."""
        return (
            self.mg_per_kg_epinephrine is not None
            and self.cap_mg_epinephrine is None
            and self.cap_mg is not None
        )

    @property
    def source_note(self) -> str:
        flags = [] if self.verified else [f"{UNVERIFIED} by the clinic: confirm on the label"]
        if not self.configured:
            flags.insert(0, "built-in default: this clinic has not set its own limit")
        return f"{self.source} ({'; '.join(flags)})" if flags else self.source


def _decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


@dataclass(frozen=True)
class Factor:
    """A reduction for the patient: why, and by how much (1.00 = the clinic reduces nothing)."""

    reason: str
    value: Decimal


def is_child(age: int | None) -> bool:
    return age is not None and age < CHILD_AGE


def patient_factors(
    *,
    age: int | None,
    child_factor: Decimal,
    elderly_age: int,
    elderly_factor: Decimal,
    hepatic: bool,
    hepatic_factor: Decimal,
    cardiac: bool,
    cardiac_factor: Decimal,
) -> tuple[Factor, ...]:
    """The factors that apply to this patient, each with its reason; they multiply."""
    factors = []
    if is_child(age):
        factors.append(Factor(f"age {age} (under {CHILD_AGE})", child_factor))
    if age is not None and age >= elderly_age:
        factors.append(Factor(f"age {age} (elderly from {elderly_age})", elderly_factor))
    if hepatic:
        factors.append(Factor("liver disease", hepatic_factor))
    if cardiac:
        factors.append(Factor("heart disease", cardiac_factor))
    return tuple(factors)


@dataclass(frozen=True)
class Ceiling:
    """The maximum mg of one agent for one patient, with every step of how it was reached."""

    limit: Limit
    weight_kg: Decimal
    epinephrine: bool  # the with-epinephrine values were used
    mg_per_kg: Decimal
    by_weight_mg: Decimal
    cap_mg: Decimal | None
    factors: tuple[Factor, ...]
    factor: Decimal
    mg: Decimal

    @property
    def agent(self) -> str:
        return self.limit.agent

    @property
    def cap_applies(self) -> bool:
        return self.cap_mg is not None and self.cap_mg < self.by_weight_mg

    @property
    def plain_cap(self) -> bool:
        """The cap is the plain one, standing in for a with-epinephrine cap nobody set."""
        return self.epinephrine and self.limit.epinephrine_takes_plain_cap

    @property
    def verified(self) -> bool:
        return self.limit.verified

    @property
    def source(self) -> str:
        return self.limit.source_note

    def working(self) -> str:
        """'4.5 mg/kg × 50 kg = 225 mg; cap 300 mg' and any factors: the arithmetic, in words,
        with exact numbers so that it adds up as printed."""
        parts = [
            f"{exact(self.mg_per_kg)} mg/kg × {exact(self.weight_kg)} kg = "
            f"{exact(self.by_weight_mg)} mg"
        ]
        if self.plain_cap:
            parts.append(f"cap {exact(self.cap_mg)} mg ({PLAIN_CAP_NOTE})")
        else:
            parts.append(f"cap {exact(self.cap_mg)} mg")
        for factor in self.factors:
            parts.append(f"× {show_factor(factor.value)} for {factor.reason}")
        return "; ".join(parts)


def ceiling(
    limit: Limit,
    weight_kg: Decimal,
    *,
    epinephrine: bool = False,
    factors: Iterable[Factor] = (),
) -> Ceiling:
    """min(mg/kg × weight, cap), times every factor that applies to the patient. A limit with
    no maximum has no ceiling (ValueError): see `agent_ceiling`."""
    if weight_kg <= 0:
        raise ValueError("The weight must be more than 0 kg.")
    if limit.uncapped(epinephrine):
        raise ValueError(no_cap_message(limit.agent))
    factors = tuple(factors)
    if any(not 0 < f.value <= 1 for f in factors):
        raise ValueError("A dose factor must be more than 0 and at most 1.")
    mg_per_kg, cap, used_epinephrine = limit.values(epinephrine)
    assert cap is not None  # refused above
    by_weight = mg_per_kg * weight_kg
    base = min(by_weight, cap)
    product = Decimal(1)
    for factor in factors:
        product *= factor.value
    return Ceiling(
        limit=limit,
        weight_kg=weight_kg,
        epinephrine=used_epinephrine,
        mg_per_kg=mg_per_kg,
        by_weight_mg=by_weight,
        cap_mg=cap,
        factors=factors,
        factor=product,
        mg=base * product,
    )


def agent_ceiling(
    limit: Limit | None,
    weight_kg: Decimal | None,
    *,
    epinephrine: bool = False,
    factors: Iterable[Factor] = (),
) -> Ceiling | None:
    """The ceiling, or None when there is nothing to work it out from: no weight, no limit,
    or a limit with no maximum (never mg/kg × weight alone)."""
    if limit is None or weight_kg is None or limit.uncapped(epinephrine):
        return None
    return ceiling(limit, weight_kg, epinephrine=epinephrine, factors=factors)


def no_cap_message(agent: str) -> str:
    return (
        f"No cap configured for {agent_label(agent).lower()} — set one in the clinic's "
        "anaesthetic limits (clinic settings)"
    )


@dataclass(frozen=True)
class DosingWeight:
    """The weight the ceiling is worked out from, and how it was reached from the scales."""

    basis: str  # "actual", "ideal" or "adjusted"
    actual_kg: Decimal
    kg: Decimal
    height_cm: Decimal | None = None
    sex: str = ""
    ideal_kg: Decimal | None = None
    adjusted_kg: Decimal | None = None

    @property
    def adjusted(self) -> bool:
        return self.basis != "actual"

    @property
    def basis_label(self) -> str:
        return BASIS_LABELS.get(self.basis, self.basis)

    def working(self) -> str:
        """'ideal 45.5 + 0.9 × (160 − 152.4) = 52.34 kg; ...': the arithmetic, exact."""
        if not self.adjusted:
            return f"actual body weight {exact(self.actual_kg)} kg"
        assert self.ideal_kg is not None
        assert self.height_cm is not None
        base = IBW_BASE_KG.get(self.sex, IBW_BASE_KG["female"])
        parts = [
            f"ideal body weight (Devine, {_sex_text(self.sex)}) = {exact(base)} + "
            f"{exact(IBW_KG_PER_CM)} × ({exact(self.height_cm)} − {exact(IBW_FROM_CM)}) = "
            f"{exact(self.ideal_kg)} kg"
        ]
        if self.height_cm < IBW_FROM_CM:
            parts.append("the formula is extended below 152.4 cm (unverified)")
        candidate = self.ideal_kg
        if self.basis == "adjusted":
            assert self.adjusted_kg is not None
            parts.append(
                f"adjusted = {exact(self.ideal_kg)} + {exact(ADJUSTED_SHARE)} × "
                f"({exact(self.actual_kg)} − {exact(self.ideal_kg)}) = {exact(self.adjusted_kg)} kg"
            )
            candidate = self.adjusted_kg
        if candidate >= self.actual_kg:
            parts.append(f"not above the actual {exact(self.actual_kg)} kg, which is used")
        else:
            parts.append(f"{exact(self.kg)} kg used (rounded down to 0.1 kg)")
        return "; ".join(parts)


def _sex_text(sex: str) -> str:
    if sex in IBW_BASE_KG:
        return sex
    return "sex not recorded as male or female: the lower, female, formula"


def dosing_weight(
    actual_kg: Decimal, *, basis: str = "actual", height_cm: Decimal | None = None, sex: str = ""
) -> DosingWeight:
    """The dosing weight by the clinic's basis; never above the actual weight.

    Raises ValueError when the basis needs a height and there is none, or when the formula
    gives no usable weight: never a silent fall back to the actual weight.
    """
    if basis == "actual":
        return DosingWeight("actual", actual_kg, actual_kg)
    if basis not in ("ideal", "adjusted"):
        raise ValueError(f"Unknown dosing weight basis {basis!r}: use actual, ideal or adjusted.")
    if height_cm is None:
        raise ValueError(
            f"The clinic doses by {basis} body weight, which needs the patient's height: "
            "record it with the weight."
        )
    base = IBW_BASE_KG.get(sex, IBW_BASE_KG["female"])
    ideal = base + IBW_KG_PER_CM * (height_cm - IBW_FROM_CM)
    adjusted = ideal + ADJUSTED_SHARE * (actual_kg - ideal) if basis == "adjusted" else None
    candidate = ideal if adjusted is None else adjusted
    if candidate < MIN_DOSING_KG:
        raise ValueError(
            f"The Devine formula gives no usable ideal body weight for a height of "
            f"{exact(height_cm)} cm: check the height."
        )
    kg = min(actual_kg, candidate.quantize(WEIGHT_STEP, rounding=ROUND_FLOOR))
    return DosingWeight(basis, actual_kg, kg, height_cm, sex, ideal, adjusted)


def percent_of(mg: Decimal, ceiling_mg: Decimal) -> Decimal:
    """`mg` as a percentage of `ceiling_mg`."""
    return mg / ceiling_mg * HUNDRED


@dataclass(frozen=True)
class Dose:
    """One agent in one injection: its volume and strength, and whether epinephrine was in it."""

    agent: str
    volume_ml: Decimal
    percent: Decimal
    epinephrine: bool = False

    @property
    def mg(self) -> Decimal:
        return mg_from_ml(self.volume_ml, self.percent)


def injection_doses(
    volume_ml: Decimal,
    *,
    syringe: Mapping[str, Any] | None,
    anaesthetic: str,
    percent: Decimal,
    epinephrine: bool,
) -> list[Dose]:
    """The anaesthetic doses of one injection.

    From its syringe when it has one (`{"lidocaine": {"percent": "0.5", "epinephrine": false}}`,
    every agent of the mix), otherwise from the injection's own solution fields.
    """
    if syringe is None:
        if anaesthetic in ("", "none") or percent <= 0:
            return []
        return [Dose(anaesthetic, volume_ml, percent, epinephrine)]
    doses = []
    for agent, spec in syringe.items():
        spec = spec if isinstance(spec, Mapping) else {}
        try:
            strength = Decimal(str(spec.get("percent", "0")))
        except InvalidOperation:
            continue
        if agent != "none" and strength > 0:
            doses.append(Dose(agent, volume_ml, strength, bool(spec.get("epinephrine"))))
    return doses


@dataclass(frozen=True)
class AgentTotal:
    """Everything given of one agent in the session, against its ceiling."""

    agent: str
    mg: Decimal
    volume_ml: Decimal
    doses: int
    epinephrine: bool  # every dose had epinephrine
    mixed: bool  # some doses with epinephrine, some without
    ceiling: Ceiling | None  # None: no weight, no limit, or a limit with no maximum
    limit: Limit | None
    warn_percent: Decimal | None = None
    uncapped: bool = False  # its limit has no maximum: no ceiling, an override is needed

    @property
    def label(self) -> str:
        return agent_label(self.agent)

    @property
    def percent(self) -> Decimal | None:
        return None if self.ceiling is None else percent_of(self.mg, self.ceiling.mg)

    @property
    def status(self) -> Status:
        if self.uncapped:
            return Status.NO_CAP
        return _status(self.percent, self.warn_percent)

    @property
    def no_cap_message(self) -> str:
        return no_cap_message(self.agent)

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]

    @property
    def solution(self) -> str:
        if self.mixed:
            return "plain and with epinephrine (plain limit used)"
        return "with epinephrine" if self.epinephrine else "plain"


@dataclass(frozen=True)
class DoseSummary:
    """A session's anaesthetic: per agent, and combined (toxicity is additive)."""

    agents: tuple[AgentTotal, ...]
    weight_kg: Decimal | None
    factors: tuple[Factor, ...]
    warn_percent: Decimal

    @property
    def combined_percent(self) -> Decimal:
        """The sum of the agents' percentages that could be worked out."""
        return sum((a.percent for a in self.agents if a.percent is not None), Decimal(0))

    @property
    def unlimited_agents(self) -> list[str]:
        """Agents given that have no limit to compare with."""
        return [a.agent for a in self.agents if a.limit is None]

    @property
    def uncapped_agents(self) -> list[str]:
        """Agents given whose limit has no maximum: no ceiling, so an override is needed."""
        return [a.agent for a in self.agents if a.uncapped]

    @property
    def uncapped_mg(self) -> Decimal:
        return sum((a.mg for a in self.agents if a.uncapped), Decimal(0))

    @property
    def over(self) -> bool:
        return self.combined_percent > HUNDRED

    @property
    def status(self) -> Status:
        if self.over:
            return Status.OVER
        if self.weight_kg is None or self.unlimited_agents:
            return Status.INCOMPLETE
        if self.uncapped_agents:
            return Status.NO_CAP
        return _status(self.combined_percent, self.warn_percent)

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]


def _status(percent: Decimal | None, warn_percent: Decimal | None) -> Status:
    if percent is None:
        return Status.INCOMPLETE
    if percent > HUNDRED:
        return Status.OVER
    if warn_percent is not None and percent >= warn_percent:
        return Status.WARN
    return Status.OK


def summarise(
    doses: Iterable[Dose],
    *,
    weight_kg: Decimal | None,
    limits: Mapping[str, Limit],
    factors: Iterable[Factor] = (),
    warn_percent: Decimal = Decimal(80),
) -> DoseSummary:
    """Total each agent over every dose, set each against its ceiling, and combine."""
    factors = tuple(factors)
    by_agent: dict[str, list[Dose]] = {}
    for dose in doses:
        by_agent.setdefault(dose.agent, []).append(dose)
    totals = []
    for agent, given in by_agent.items():
        with_epi = [d.epinephrine for d in given]
        all_epi, mixed = all(with_epi), any(with_epi) and not all(with_epi)
        limit = limits.get(agent)
        found = agent_ceiling(limit, weight_kg, epinephrine=all_epi, factors=factors)
        totals.append(
            AgentTotal(
                agent=agent,
                mg=sum((d.mg for d in given), Decimal(0)),
                volume_ml=sum((d.volume_ml for d in given), Decimal(0)),
                doses=len(given),
                epinephrine=all_epi,
                mixed=mixed,
                ceiling=found,
                limit=limit,
                warn_percent=warn_percent,
                uncapped=limit is not None and limit.uncapped(all_epi),
            )
        )
    return DoseSummary(tuple(totals), weight_kg, factors, warn_percent)


def show(value: Decimal | None, places: int = 1, rounding: str = ROUND_HALF_UP) -> str:
    """A number for people: at most `places` decimals, no trailing zeros ('300', '106.7')."""
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    text = f"{value.quantize(quantum, rounding=rounding):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def exact(value: Decimal | None) -> str:
    """A number exactly as worked out, without trailing zeros or an exponent ('270.45')."""
    if value is None:
        return "—"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def show_factor(value: Decimal) -> str:
    """A dose factor as the clinic set it: always two decimals ('1.00', '0.80')."""
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"


def show_percent(value: Decimal | None) -> str:
    """A percentage of a ceiling to one decimal; a total above 100% never shows as 100%."""
    if value is not None and value > HUNDRED and value.quantize(Decimal("0.1")) <= HUNDRED:
        return "100.1"
    return show(value, 1)


def show_ceiling(value: Decimal | None) -> str:
    """A ceiling in mg, rounded down so the number shown is never above the real one."""
    return show(value, 1, ROUND_FLOOR)
