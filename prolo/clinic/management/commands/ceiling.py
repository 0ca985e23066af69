"""`manage.py ceiling`: a patient's local anaesthetic ceilings, and how much of them a session's
doses use, per agent and combined.

The same arithmetic as the session page (`dosing.summarise`, `dosing.agent_ceiling`,
`dosing.dosing_weight`); docs/dose-ceiling.md has examples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from prolo.clinic.management.refusals import JsonRefusals
from prolo.clinic.models import Clinic, ClinicSettings, DoseWeightBasis, Sex
from prolo.clinic.models.patients import MAX_HEIGHT_CM, MAX_WEIGHT_KG, MIN_HEIGHT_CM, MIN_WEIGHT_KG
from prolo.clinic.safety import dosing
from prolo.clinic.safety.compounding import (
    DEFAULT_EPINEPHRINE_MIN_RATIO,
    epinephrine_counts,
    ug_per_ml,
)
from prolo.clinic.safety.dosing import AgentTotal, Ceiling, Dose, DoseSummary, DosingWeight, Limit
from prolo.clinic.services.dosing import AGENTS, agent_list, built_in_limits, clinic_limits
from prolo.clinic.services.settings import settings_for

USAGE_ERROR = 2
MAX_PERCENT = Decimal(10)
MAX_VOLUME_ML = Decimal(1000)
MIN_VOLUME_ML = Decimal("0.01")
# A share of a ceiling seldom ends (100 ÷ 3): JSON gives it to this step, half up.
PERCENT_STEP = Decimal("0.001")
ROUNDING_NOTE = (
    "percent_of_ceiling values are rounded half up to 0.001 (the _shown twins to 0.1, as the "
    "session page shows them); every other number (weights, mg/kg, mg, ceilings) is exact"
)
EPI_WORDS = ("epi", "epinephrine")
# Epinephrine 1:N as a label writes it: 1:1,000 (the undiluted ampoule) to 1:10,000,000.
MIN_EPI_RATIO, MAX_EPI_RATIO = 1_000, 10_000_000
DOSE_SHAPE = (
    "AGENT:ML:PERCENT, or AGENT:ML:PERCENT:epi=1:N when it contains epinephrine 1:N "
    "(the strength in what was given, e.g. lidocaine:10:0.5:epi=1:200000)"
)


class Refused(Exception):
    """Input the command will not guess at: every problem, each with the option it concerns."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"--{field}: {reason}" for field, reason in errors))
        self.errors = errors


@dataclass(frozen=True)
class Request:
    weight_kg: Decimal
    doses: list[Dose]
    # Per dose: the epinephrine 1:N given, or None; and, once judged, why its limit applies.
    epi_ratios: list[int | None]
    agent: str | None  # the old single-agent form without a dose: its ceiling only
    epinephrine: bool
    age: int | None
    height_cm: Decimal | None
    sex: str
    basis: str | None
    epi_reasons: tuple[str, ...] = ()


def _decimal(name: str, text: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Refused([(name, f"{text!r} is not a number.")]) from None
    if not value.is_finite() or not low <= value <= high:
        raise Refused([(name, f"give a number from {low} to {high}.")])
    return value


def _agent(name: str, text: str) -> str:
    agent = text.strip().casefold()
    if agent not in AGENTS:
        raise Refused([(name, f"{text!r} is not an agent Prolo knows: choose {agent_list()}.")])
    return agent


def _dose(number: int, text: str) -> tuple[Dose, int | None]:
    """One `--dose AGENT:ML:PERCENT[:epi=1:N|:plain]`, with its epinephrine 1:N (or None);
    `number` names it in any refusal. Whether the epinephrine counts is judged later, against
    the threshold of the clinic (or the built-in default)."""
    parts = [p.strip() for p in text.split(":", 3)]
    where = f"dose {number} ({text!r})"
    if len(parts) not in (3, 4):
        raise Refused([("dose", f"{where}: give {DOSE_SHAPE}.")])
    try:
        ratio = _epi_ratio(parts[3]) if len(parts) == 4 else None
        dose = Dose(
            _agent("dose", parts[0]),
            _decimal("dose", parts[1], MIN_VOLUME_ML, MAX_VOLUME_ML),
            _decimal("dose", parts[2], Decimal("0.01"), MAX_PERCENT),
        )
    except Refused as refused:
        raise Refused([("dose", f"{where}: {reason}") for _, reason in refused.errors]) from None
    return dose, ratio


def _epi_ratio(text: str) -> int | None:
    """The fourth part of a dose: 'plain', or 'epi=1:N' (N may have thousands commas)."""
    word, _, strength = (p.strip() for p in text.partition("="))
    if word.casefold() == "plain" and not strength:
        return None
    if word.casefold() not in EPI_WORDS:
        raise Refused([("dose", "the fourth part must be 'epi=1:N' or 'plain'.")])
    if not strength:
        raise Refused(
            [
                (
                    "dose",
                    "give the epinephrine strength of what was given, as epi=1:N (e.g. "
                    "epi=1:200000): whether the higher with-epinephrine limit applies depends "
                    "on it.",
                )
            ]
        )
    one, _, n = (p.strip() for p in strength.partition(":"))
    digits = n.replace(",", "")
    if one != "1" or not digits.isdigit() or not MIN_EPI_RATIO <= int(digits) <= MAX_EPI_RATIO:
        raise Refused(
            [
                (
                    "dose",
                    f"{strength!r} is not an epinephrine strength: give it as 1:N, N from "
                    f"{MIN_EPI_RATIO:,} to {MAX_EPI_RATIO:,} (e.g. epi=1:200000).",
                )
            ]
        )
    return int(digits)


def _judge_epinephrine(request: Request, min_ratio: int, whose: str) -> Request:
    """Each dose with epinephrine counts as such only at the threshold or stronger, by the
    rule every mix is judged by (`compounding.epinephrine_counts`)."""
    doses, reasons = [], []
    for dose, ratio in zip(request.doses, request.epi_ratios, strict=True):
        if ratio is None:
            doses.append(dose)
            reasons.append("")
            continue
        counts, reason = epinephrine_counts(ug_per_ml(ratio), min_ratio, whose)
        doses.append(replace(dose, epinephrine=counts))
        reasons.append(reason)
    return replace(request, doses=doses, epi_reasons=tuple(reasons))


def _collect(*checks: Any) -> list[Any]:
    """Run every check and gather every refusal, so one answer lists all that is wrong."""
    results, errors = [], []
    for check in checks:
        try:
            results.append(check())
        except Refused as refused:
            results.append(None)
            errors += refused.errors
    if errors:
        raise Refused(errors)
    return results


def _once(options: dict[str, Any], name: str) -> str | None:
    values = options[name.replace("-", "_")] or []
    if len(values) > 1:
        raise Refused(
            [
                (
                    name,
                    f"given {len(values)} times; only one is allowed. Give each dose of a "
                    f"session as --dose {DOSE_SHAPE}.",
                )
            ]
        )
    return values[0] if values else None


def _parse(options: dict[str, Any]) -> Request:
    weight, agent, ml, percent, doses, age, height = _collect(
        lambda: _weight(options["weight"]),
        lambda: _optional_agent(_once(options, "agent")),
        lambda: _once(options, "given-ml"),
        lambda: _once(options, "percent"),
        lambda: [_dose(i, text) for i, text in enumerate(options["dose"] or [], start=1)],
        lambda: _age(options["age"]),
        lambda: _height(options["height"]),
    )
    parsed = list(doses)
    ratios: list[int | None] = [ratio for _, ratio in parsed]
    given = [dose for dose, _ in parsed] + _old_form_dose(
        agent, ml, percent, parsed, options["epinephrine"]
    )
    ratios += [None] * (len(given) - len(ratios))
    return Request(
        weight_kg=weight,
        doses=given,
        epi_ratios=ratios,
        agent=agent if not given else None,
        epinephrine=options["epinephrine"],
        age=age,
        height_cm=height,
        sex=options["sex"] or "",
        basis=options["weight_basis"],
    )


def _weight(text: str | None) -> Decimal:
    if text is None:
        raise Refused([("weight", "give the patient's weight in kg.")])
    return _decimal("weight", text, MIN_WEIGHT_KG, MAX_WEIGHT_KG)


def _optional_agent(text: str | None) -> str | None:
    return None if text is None else _agent("agent", text)


def _age(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.strip().isdigit() or not 0 <= int(text) <= 130:
        raise Refused([("age", "give an age from 0 to 130.")])
    return int(text)


def _height(text: str | None) -> Decimal | None:
    return None if text is None else _decimal("height", text, MIN_HEIGHT_CM, MAX_HEIGHT_CM)


def _old_form_dose(
    agent: str | None, ml: str | None, percent: str | None, doses: list[Any], epi: bool
) -> list[Dose]:
    """`--agent A [--epinephrine] [--given-ml ML --percent P]`: the single-agent form."""
    if doses and (agent or ml or percent or epi):
        raise Refused(
            [("dose", "use --dose alone, or --agent with --given-ml and --percent, not both.")]
        )
    if doses:
        return []
    if agent is None:
        raise Refused([("agent", f"name an --agent, or give the doses as --dose {DOSE_SHAPE}.")])
    if ml is None and percent is None:
        return []
    if ml is None or percent is None:
        raise Refused([("given-ml", "Give both --given-ml and --percent, or neither.")])
    if epi:
        raise Refused(
            [
                (
                    "epinephrine",
                    "with --given-ml, give the dose as --dose AGENT:ML:PERCENT:epi=1:N, with the "
                    "epinephrine strength of what was given: whether the higher limit applies "
                    "depends on it.",
                )
            ]
        )
    return [
        Dose(
            agent,
            *_collect(
                lambda: _decimal("given-ml", ml, MIN_VOLUME_ML, MAX_VOLUME_ML),
                lambda: _decimal("percent", percent, Decimal("0.01"), MAX_PERCENT),
            ),
        )
    ]


class Command(JsonRefusals):
    # A calculator: the URL configuration and the other system checks would cost most of its
    # start-up time and check nothing it uses.
    requires_system_checks: list[str] = []
    help = (
        "Work out local anaesthetic ceilings: min(mg/kg × dosing weight, maximum) × the "
        "patient's dose factors, with their sources; with doses (--dose, repeatable), the mg "
        "given per agent, the share of each ceiling and the combined share, as on the session "
        "page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--weight", help="Actual weight in kg (required).")
        parser.add_argument(
            "--dose",
            action="append",
            metavar="AGENT:ML:PERCENT[:epi=1:N|:plain]",
            help="One dose of the session, e.g. lidocaine:8:1 (1%% = 10 mg/mL), or "
            "lidocaine:10:0.5:epi=1:200000 with the epinephrine strength of what was given "
            "(1:200,000 also accepted); repeat for every dose. Epinephrine counts (the "
            "with-epinephrine limit) only at the threshold or stronger: the clinic's with "
            "--clinic, else 1:400,000, as on the session page. Agents: " + agent_list("or") + ".",
        )
        parser.add_argument(
            "--agent", action="append", help="The single-agent form: one agent's ceiling."
        )
        parser.add_argument(
            "--epinephrine",
            action="store_true",
            help="With --agent alone: the ceiling with epinephrine (for a dose given, use "
            "--dose with epi=1:N).",
        )
        parser.add_argument("--given-ml", action="append", help="With --agent: volume given in mL.")
        parser.add_argument(
            "--percent",
            action="append",
            help="With --agent: strength of what was given, in %% (1%% = 10 mg/mL).",
        )
        parser.add_argument("--age", help="Age in years (for the under-18 and elderly factors).")
        parser.add_argument("--liver", action="store_true", help="The patient has liver disease.")
        parser.add_argument("--heart", action="store_true", help="The patient has heart disease.")
        parser.add_argument(
            "--weight-basis",
            choices=DoseWeightBasis.values,
            help="Dosing weight: actual, ideal or adjusted (default: the clinic's setting, "
            "or actual).",
        )
        parser.add_argument("--height", help="Height in cm (for ideal or adjusted weight).")
        parser.add_argument(
            "--sex", choices=Sex.values, help="For the ideal-weight formula (Devine)."
        )
        parser.add_argument(
            "--clinic", help="A clinic's code (UUID): its limits and factors, not the defaults."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON for machines.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            request = _parse(options)
            clinic, limits, settings = self._source(options["clinic"])
            weight = _dosing_weight(request, settings)
            whose = _threshold_owner(clinic)
            request = _judge_epinephrine(request, settings.epinephrine_min_ratio, whose)
        except Refused as refused:
            if options["json"]:
                self.refuse_json(refused.errors)
            raise CommandError(
                "\n".join(f"--{f}: {r}" for f, r in refused.errors), returncode=USAGE_ERROR
            ) from None
        factors = dosing.patient_factors(
            age=request.age,
            child_factor=settings.child_factor,
            elderly_age=settings.elderly_age,
            elderly_factor=settings.elderly_factor,
            hepatic=options["liver"],
            hepatic_factor=settings.hepatic_factor,
            cardiac=options["heart"],
            cardiac_factor=settings.cardiac_factor,
        )
        where = f"the limits of {clinic}" if clinic else "Prolo's built-in default limits"
        answer = Answer(request, weight, limits, factors, settings, where)
        answer.threshold = (settings.epinephrine_min_ratio, _threshold_owner(clinic))
        if options["json"]:
            self.stdout.write(json.dumps(answer.as_json(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(answer.as_text())

    def _source(self, code: str | None) -> tuple[Clinic | None, dict[str, Limit], ClinicSettings]:
        if code is None:
            return None, built_in_limits(), ClinicSettings()
        try:
            clinic = Clinic.objects.get(code=code)
        except (Clinic.DoesNotExist, ValueError, ValidationError):
            raise Refused([("clinic", f"no clinic has the code {code!r}.")]) from None
        return clinic, clinic_limits(clinic.pk), settings_for(clinic)


def _threshold_owner(clinic: Clinic | None) -> str:
    if clinic is None:
        return "Prolo's built-in default threshold (no --clinic given)"
    return f"the threshold of {clinic}"


def _dosing_weight(request: Request, settings: ClinicSettings) -> DosingWeight:
    basis = request.basis or settings.dose_weight_basis
    try:
        return dosing.dosing_weight(
            request.weight_kg, basis=basis, height_cm=request.height_cm, sex=request.sex
        )
    except ValueError as error:
        field = "height" if request.height_cm is None else "weight-basis"
        reason = str(error).replace("record it with the weight", "give --height")
        raise Refused([(field, reason)]) from None


CHILD_SIGN_OFF = (
    "a session for this patient needs a physician's dose sign-off before its note is signed, "
    "whatever the share of the ceiling"
)


class Answer:
    """The request worked out: each agent's ceiling and, with doses, its share and the total."""

    def __init__(
        self,
        request: Request,
        weight: DosingWeight,
        limits: dict[str, Limit],
        factors: tuple[dosing.Factor, ...],
        settings: ClinicSettings,
        where: str,
    ) -> None:
        self.request, self.weight, self.where = request, weight, where
        self.factors = factors
        self.limits = limits
        self.threshold = (DEFAULT_EPINEPHRINE_MIN_RATIO, _threshold_owner(None))
        self.summary: DoseSummary | None = None
        if request.doses:
            self.summary = dosing.summarise(
                request.doses,
                weight_kg=weight.kg,
                limits=limits,
                factors=factors,
                warn_percent=Decimal(settings.dose_warn_percent),
            )

    @property
    def child(self) -> bool:
        return dosing.is_child(self.request.age)

    def agents(self) -> list[tuple[str, bool, Ceiling | None, AgentTotal | None]]:
        """(agent, epinephrine asked for, its ceiling, what was given) for each agent."""
        if self.summary is not None:
            return [(t.agent, t.epinephrine, t.ceiling, t) for t in self.summary.agents]
        agent = self.request.agent
        assert agent is not None
        epi = self.request.epinephrine
        limit = self.limits.get(agent)
        found = dosing.agent_ceiling(limit, self.weight.kg, epinephrine=epi, factors=self.factors)
        return [(agent, epi, found, None)]

    def doses_of(self, agent: str) -> list[Dose]:
        return [d for d in self.request.doses if d.agent == agent]

    def epinephrine_of(self, agent: str) -> list[tuple[int | None, str]]:
        """(epinephrine 1:N or None, why its limit applies) for each dose of `agent`."""
        reasons = self.request.epi_reasons or ("",) * len(self.request.doses)
        return [
            (ratio, reason)
            for d, ratio, reason in zip(
                self.request.doses, self.request.epi_ratios, reasons, strict=True
            )
            if d.agent == agent
        ]

    def _epinephrine_given(self, agent: str) -> bool:
        return any(ratio is not None for ratio, _ in self.epinephrine_of(agent))

    def _limit_used(self, agent: str, total: AgentTotal) -> str:
        """Which limit the agent's doses are judged by, and why."""
        if total.epinephrine:
            return "with epinephrine: every dose has epinephrine at or above the threshold"
        if not self._epinephrine_given(agent):
            return "plain: no dose has epinephrine"
        if total.mixed:
            return (
                "plain: not every dose has epinephrine at or above the threshold, and the "
                "higher limit needs it with every mg of the agent"
            )
        return "plain: the epinephrine of its doses is weaker than the threshold"

    # Text

    def as_text(self) -> str:
        lines = [f"{name:<13}{text}" for name, text in self._weight_rows()]
        for agent, epi, found, total in self.agents():
            lines += self._agent_text(agent, epi, found, total)
        if self.summary is not None:
            lines.append(self._combined_text(self.summary))
        return "\n".join(lines)

    def _agent_text(
        self, agent: str, epi: bool, found: Ceiling | None, total: AgentTotal | None
    ) -> list[str]:
        label = dosing.agent_label(agent)
        kind = "with epinephrine" if epi else "plain (no epinephrine)"
        if total is not None and total.mixed:
            kind = "plain and with epinephrine (plain limit used)"
        elif total is not None and not epi and self._epinephrine_given(agent):
            kind = "with epinephrine below the threshold (plain limit used)"
        weight = dosing.exact(self.weight.kg)
        lines = [f"{label} ceiling for {weight} kg, {kind}, from {self.where}"]
        limit = self.limits.get(agent)
        if epi and limit is not None and limit.mg_per_kg_epinephrine is None:
            lines.append("  (no with-epinephrine limit is set for it: the plain limit is used)")
        rows = self._ceiling_rows(agent, limit, found)
        if total is not None:
            rows.append(("Given", self._given_text(agent, total)))
            reasons = [r for _, r in self.epinephrine_of(agent) if r]
            rows += [("Threshold", r) for r in dict.fromkeys(reasons)]
            if reasons:
                rows.append(("Limit", self._limit_used(agent, total)))
        return lines + [f"  {name:<10} {text}" for name, text in rows]

    def _weight_rows(self) -> list[tuple[str, str]]:
        if not self.weight.adjusted:
            return []
        return [
            ("Weight", f"{dosing.exact(self.weight.actual_kg)} kg actual"),
            ("Dosing", f"{self.weight.basis_label}: {self.weight.working()}"),
            ("Weighting", dosing.WEIGHT_SOURCE),
        ]

    def _ceiling_rows(
        self, agent: str, limit: Limit | None, found: Ceiling | None
    ) -> list[tuple[str, str]]:
        if limit is None:
            return [("Ceiling", f"none: no {agent} limit is configured")]
        if found is None:
            return [
                ("Maximum", "none"),
                ("Ceiling", f"none: {dosing.no_cap_message(agent)}; {NO_CAP_SIGN}"),
                ("Source", limit.source_note),
            ]
        rows = [
            (
                "By weight",
                f"{dosing.exact(found.mg_per_kg)} mg/kg × {dosing.exact(found.weight_kg)} kg "
                f"= {dosing.exact(found.by_weight_mg)} mg",
            ),
            ("Maximum", _maximum(found)),
        ]
        for factor in found.factors:
            rows.append(("Factor", f"× {dosing.show_factor(factor.value)} for {factor.reason}"))
        rows += [("Ceiling", f"{dosing.exact(found.mg)} mg"), ("Source", found.source)]
        if found.factors:
            rows.append(("Factors", dosing.FACTOR_SOURCE))
        if self.child:
            rows.append(("Under 18", f"{dosing.CHILD_SOURCE}: {CHILD_SIGN_OFF}"))
        return rows

    def _given_text(self, agent: str, total: AgentTotal) -> str:
        doses = self.doses_of(agent)
        parts = [
            f"{dosing.exact(d.volume_ml)} mL of {dosing.exact(d.percent)}%"
            + ("" if ratio is None else f" with epinephrine 1:{ratio:,}")
            for d, (ratio, _) in zip(doses, self.epinephrine_of(agent), strict=True)
        ]
        mgs = " + ".join(f"{dosing.exact(d.mg)}" for d in doses)
        text = " + ".join(parts) + " = " + (f"{mgs} = " if len(doses) > 1 else "")
        text += f"{dosing.exact(total.mg)} mg"
        if total.percent is None:
            return f"{text}: {total.status_text}"
        share = dosing.show_percent(total.percent)
        return f"{text} = {share}% of the ceiling: {total.status_text}"

    def _combined_text(self, summary: DoseSummary) -> str:
        shares = [a.percent for a in summary.agents if a.percent is not None]
        shown = [dosing.show_percent(p) for p in shares]
        total = dosing.show_percent(summary.combined_percent)
        text = f"{' + '.join(s + '%' for s in shown)} = " if len(shown) > 1 else ""
        text += f"{total}% of the ceiling: {summary.status_text}"
        if len(shown) > 1 and sum(Decimal(s) for s in shown) != Decimal(total):
            text += " (each share rounded to 0.1%; the total is of the exact shares)"
        if summary.uncapped_agents:
            text += f"; not counted: {', '.join(summary.uncapped_agents)} ({NO_CAP_SIGN})"
        return f"{'Combined':<13}{text}"

    # JSON

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "weight_kg": dosing.exact(self.request.weight_kg),
            "dosing_weight": _weight_json(self.weight),
            "limits_from": self.where,
            "factors": [
                {"reason": f.reason, "value": dosing.show_factor(f.value)} for f in self.factors
            ],
            "agents": [self._agent_json(*row) for row in self.agents()],
        }
        if self.summary is not None:
            data["rounding"] = ROUNDING_NOTE
        if self.factors:
            data["factor_source"] = dosing.FACTOR_SOURCE
        if self.child:
            data["under_18"] = f"{dosing.CHILD_SOURCE}: {CHILD_SIGN_OFF}"
        if any(r is not None for r in self.request.epi_ratios):
            min_ratio, whose = self.threshold
            data["epinephrine_threshold"] = {
                "ratio": f"1:{min_ratio:,}",
                "from": whose,
                "rule": "a dose's epinephrine counts (the with-epinephrine limit) only at this "
                "strength or stronger, and an agent uses that limit only when every dose of it "
                "counts",
            }
        if self.summary is not None:
            data["combined"] = {
                "percent_of_ceiling": _percent_json(self.summary.combined_percent),
                "percent_of_ceiling_shown": dosing.show_percent(self.summary.combined_percent),
                "status": str(self.summary.status),
                "not_counted": self.summary.uncapped_agents + self.summary.unlimited_agents,
            }
        return data

    def _agent_json(
        self, agent: str, epi: bool, found: Ceiling | None, total: AgentTotal | None
    ) -> dict[str, Any]:
        limit = self.limits.get(agent)
        data: dict[str, Any] = {"agent": agent, "epinephrine": epi}
        data |= _ceiling_json(agent, limit, found)
        if total is not None:
            data["limit_used"] = self._limit_used(agent, total)
            data["given"] = {
                "doses": [
                    {
                        "volume_ml": dosing.exact(d.volume_ml),
                        "percent": dosing.exact(d.percent),
                        "epinephrine": d.epinephrine,
                        "epinephrine_ratio": None if ratio is None else f"1:{ratio:,}",
                        "epinephrine_reason": reason or None,
                        "mg": dosing.exact(d.mg),
                    }
                    for d, (ratio, reason) in zip(
                        self.doses_of(agent), self.epinephrine_of(agent), strict=True
                    )
                ],
                "volume_ml": dosing.exact(total.volume_ml),
                "mg": dosing.exact(total.mg),
                "mixed_epinephrine": total.mixed,
                "percent_of_ceiling": _percent_json(total.percent),
                "percent_of_ceiling_shown": (
                    None if total.percent is None else dosing.show_percent(total.percent)
                ),
                "status": str(total.status),
            }
        return data


NO_CAP_SIGN = "a session with it needs a physician's override to sign"


def _exact_or_none(value: Decimal | None) -> str | None:
    return None if value is None else dosing.exact(value)


def _percent_json(value: Decimal | None) -> str | None:
    """A share of a ceiling, rounded half up to 0.001 (ROUNDING_NOTE)."""
    return None if value is None else dosing.exact(value.quantize(PERCENT_STEP, ROUND_HALF_UP))


def _weight_json(weight: DosingWeight) -> dict[str, Any]:
    return {
        "basis": weight.basis,
        "kg": dosing.exact(weight.kg),
        "height_cm": _exact_or_none(weight.height_cm),
        "ideal_kg": _exact_or_none(weight.ideal_kg),
        "adjusted_kg": _exact_or_none(weight.adjusted_kg),
        "working": weight.working(),
        "source": dosing.WEIGHT_SOURCE if weight.adjusted else None,
    }


def _ceiling_json(agent: str, limit: Limit | None, found: Ceiling | None) -> dict[str, Any]:
    if limit is None:
        return {"ceiling_mg": None, "no_limit": f"no {agent} limit is configured"}
    common = {
        "source": limit.source_note,
        "verified": limit.verified,
        "built_in_default": not limit.configured,
    }
    if found is None:
        return {"ceiling_mg": None, "no_cap": dosing.no_cap_message(agent), **common}
    return {
        "epinephrine_limit_used": found.epinephrine,
        "mg_per_kg": dosing.exact(found.mg_per_kg),
        "by_weight_mg": dosing.exact(found.by_weight_mg),
        "cap_mg": _exact_or_none(found.cap_mg),
        "cap_applies": found.cap_applies,
        "cap_from_plain_limit": found.plain_cap,
        "ceiling_mg": dosing.exact(found.mg),
        **common,
    }


def _maximum(result: Ceiling) -> str:
    text = f"{dosing.exact(result.cap_mg)} mg"
    if result.plain_cap:
        text += f" ({dosing.PLAIN_CAP_NOTE})"
    return text + (" (the lower, so it applies)" if result.cap_applies else "")
