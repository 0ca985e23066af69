"""A session's anaesthetic against the patient's ceiling; the physician's override (and, under
18, dose sign-off); the clinic's limits. The arithmetic is in safety/dosing.py;
docs/dose-ceiling.md explains it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from prolo.clinic.access import require
from prolo.clinic.clock import clinic_day
from prolo.clinic.models import (
    Anaesthetic,
    AnaestheticLimit,
    ClinicSettings,
    DoseWeightBasis,
    Injection,
    Patient,
    ProcedureNote,
    TreatmentSession,
    User,
    WeightMeasurement,
)
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.safety import dosing
from prolo.clinic.safety.catalogue import DEFAULT_LIMITS
from prolo.clinic.safety.dosing import DoseSummary, Limit, Status, show_percent
from prolo.clinic.services.audit import create_audited, update_audited
from prolo.clinic.services.fields import pick
from prolo.clinic.services.locks import lock_draft
from prolo.clinic.services.settings import settings_for

OVERRIDE_REASON_MAX = 1000
AGENTS = [a for a in Anaesthetic.values if a != Anaesthetic.NONE]


def agent_list(conjunction: str = "or") -> str:
    """'lidocaine, bupivacaine, ropivacaine, mepivacaine or procaine', from the choices."""
    return f"{', '.join(AGENTS[:-1])} {conjunction} {AGENTS[-1]}"


def built_in_limits() -> dict[str, Limit]:
    """The defaults shipped with Prolo (safety/catalogue.py), marked as not the clinic's own."""
    return {row.agent: Limit.of(row, configured=False) for row in DEFAULT_LIMITS}


def clinic_limits(clinic_id: int) -> dict[str, Limit]:
    """The clinic's limit for each agent; an agent it never set falls back to the built-in
    default, marked as such wherever it is shown. One query."""
    limits = built_in_limits()
    for row in AnaestheticLimit.objects.filter(clinic_id=clinic_id):
        limits[row.agent] = Limit.of(row)
    return limits


def recent_weight(patient: Patient, day: dt.date, max_age_days: int) -> WeightMeasurement | None:
    """The latest weight measured on or before `day`, at most `max_age_days` before it.

    Never one measured after the session: a later weight must not change how a past session
    reads (a heavier patient next month would otherwise lift a past ceiling).
    """
    window = dt.timedelta(days=max_age_days)
    return (
        WeightMeasurement.objects.filter(patient=patient, measured_on__range=(day - window, day))
        .order_by("-measured_on", "-id")
        .first()
    )


def recent_height(
    patient: Patient, day: dt.date, max_age_days: int, weight: WeightMeasurement | None
) -> WeightMeasurement | None:
    """The measurement giving the height: the dose weight's own, else the latest height on or
    before `day` within the same window. One query, none when the weight carries a height."""
    if weight is not None and weight.height_cm is not None:
        return weight
    window = dt.timedelta(days=max_age_days)
    return (
        WeightMeasurement.objects.filter(
            patient=patient,
            measured_on__range=(day - window, day),
            height_cm__isnull=False,
        )
        .order_by("-measured_on", "-id")
        .first()
    )


def weight_for_dosing(
    patient: Patient,
    weight: WeightMeasurement | None,
    height: WeightMeasurement | None,
    basis: str,
) -> tuple[dosing.DosingWeight | None, str]:
    """(the dosing weight, or None with the reason it cannot be worked out)."""
    if weight is None:
        return None, ""
    height_cm = height.height_cm if height is not None else None
    try:
        found = dosing.dosing_weight(
            weight.weight_kg, basis=basis, height_cm=height_cm, sex=patient.sex
        )
    except ValueError as error:
        return None, str(error)
    return found, ""


@dataclass(frozen=True)
class SessionDose:
    """A session's dose summary, with what it was worked out from and any recorded override."""

    summary: DoseSummary
    session_date: dt.date
    weight: WeightMeasurement | None
    weight_max_age_days: int
    age: int
    override_reason: str
    override_by: User | None
    override_at: dt.datetime | None
    override_percent: Decimal | None  # the combined % the override was recorded for
    dosing_weight: dosing.DosingWeight | None = None
    weight_problem: str = ""  # why the dosing weight cannot be worked out (no height, ...)
    override_uncapped_mg: Decimal | None = None  # mg with no maximum the override covered
    signed_figures: dict[str, Any] | None = None  # what the note was signed against

    @property
    def dosing_weight_kg(self) -> Decimal | None:
        """The weight the ceilings use: the clinic's basis applied to the measured weight."""
        return self.dosing_weight.kg if self.dosing_weight is not None else None

    @property
    def status(self) -> Status:
        return self.summary.status

    @property
    def child(self) -> bool:
        """Under 18 on the session date: the limits are adult doses [R44]."""
        return dosing.is_child(self.age)

    @property
    def sign_off_required(self) -> bool:
        """Signing needs a physician's reason: above the ceiling, or, under 18, any anaesthetic
        at all once its share of the ceiling can be worked out (until then the missing weight
        or limit blocks signing by itself)."""
        if self.summary.over or self.summary.uncapped_agents:
            return True
        return self.child and bool(self.summary.agents) and self.summary.status != Status.INCOMPLETE

    @property
    def override_noun(self) -> str:
        return "dose sign-off" if self.child else "override"

    @property
    def overridden(self) -> bool:
        """An override (or dose sign-off) is on record and covers the current combined total."""
        return (
            bool(self.override_reason)
            and self.override_percent is not None
            and self.summary.combined_percent <= self.override_percent
            and self.summary.uncapped_mg <= (self.override_uncapped_mg or Decimal(0))
        )

    @property
    def needs_override(self) -> bool:
        return self.sign_off_required and not self.overridden

    def sign_blockers(self) -> list[str]:
        """Why the note cannot be signed, as far as the anaesthetic dose goes."""
        blockers = []
        if self.weight_problem:
            blockers.append(f"{self.weight_problem} Without it the ceiling cannot be worked out.")
        if self.weight is None:
            blockers.append(
                f"There is no recent weight: record the patient's weight (within "
                f"{self.weight_max_age_days} days of the session) to work out the anaesthetic "
                "ceiling."
            )
        for agent in self.summary.unlimited_agents:
            blockers.append(
                f"No {dosing.agent_label(agent).lower()} limit is configured for this clinic: "
                "set it on the Anaesthetic limits page."
            )
        if self.needs_override:
            blockers.append(self._over_message())
        return blockers

    def _over_message(self) -> str:
        now = show_percent(self.summary.combined_percent)
        noun = self.override_noun
        if self.summary.uncapped_agents and not self.summary.over:
            return self._no_cap_message(now)
        if self.override_reason and self.override_percent is not None:
            return (
                f"The anaesthetic total rose to {now}% of the ceiling after the {noun} was "
                f"recorded for {show_percent(self.override_percent)}%: record a new {noun} "
                "reason to sign."
            )
        if self.child:
            return self._child_message(now)
        over = [a.label for a in self.summary.agents if (a.percent or 0) > dosing.HUNDRED]
        if not over:
            who = "The combined anaesthetic is"
        else:
            who = f"{' and '.join(over)} {'is' if len(over) == 1 else 'are'}"
        return f"{who} over the ceiling ({now}% combined): record an override reason to sign."

    def _no_cap_message(self, now: str) -> str:
        missing = "; ".join(dosing.no_cap_message(a) for a in self.summary.uncapped_agents)
        again = " again: more was given since the last one" if self.override_reason else ""
        return (
            f"{missing}. Without a maximum there is no ceiling to check against (the other "
            f"agents are at {now}% combined): a physician records an {self.override_noun}"
            f"{again} to sign."
        )

    def _child_message(self, now: str) -> str:
        over = ", over the ceiling" if self.summary.over else ""
        return (
            f"The patient is under {dosing.CHILD_AGE} (age {self.age}): record a physician's "
            f"dose sign-off reason to sign, whatever the share of the ceiling (now {now}% "
            f"combined{over}). {dosing.CHILD_SOURCE}."
        )


def session_dose_summary(
    session: TreatmentSession,
    *,
    patient: Patient | None = None,
    note: ProcedureNote | None = None,
    injections: Iterable[Injection] | None = None,
    settings: ClinicSettings | None = None,
) -> SessionDose:
    """Everything injected in the session against the patient's ceiling.

    Reads the injections with their syringes, the weight, the settings, the limits and any
    override: a fixed number of queries however many injections there are. A page that has
    already loaded the patient, the note (with its injections) or the settings passes them in
    to save those reads; signing passes nothing, so it reads everything fresh under its lock.
    """
    patient = _patient(session) if patient is None else patient
    session_day = clinic_day(patient.clinic, session.scheduled_at)
    settings = settings_for(patient.clinic_id) if settings is None else settings
    weight = recent_weight(patient, session_day, settings.weight_max_age_days)
    basis = settings.dose_weight_basis
    height = None
    if basis != DoseWeightBasis.ACTUAL and weight is not None:
        height = recent_height(patient, session_day, settings.weight_max_age_days, weight)
    dosing_weight, weight_problem = weight_for_dosing(patient, weight, height, basis)
    age = patient.age_on(session_day)
    factors = dosing.patient_factors(
        age=age,
        child_factor=settings.child_factor,
        elderly_age=settings.elderly_age,
        elderly_factor=settings.elderly_factor,
        hepatic=patient.hepatic_disease,
        hepatic_factor=settings.hepatic_factor,
        cardiac=patient.cardiac_disease,
        cardiac_factor=settings.cardiac_factor,
    )
    doses = [dose for injection in _injections(session, injections) for dose in _doses(injection)]
    summary = dosing.summarise(
        doses,
        weight_kg=dosing_weight.kg if dosing_weight else None,
        limits=clinic_limits(patient.clinic_id),
        factors=factors,
        warn_percent=Decimal(settings.dose_warn_percent),
    )
    if note is None:
        note = (
            ProcedureNote.objects.filter(session=session).select_related("dose_override_by").first()
        )
    reason = note.dose_override_reason if note else ""
    return SessionDose(
        summary=summary,
        session_date=session_day,
        weight=weight,
        weight_max_age_days=settings.weight_max_age_days,
        age=age,
        override_reason=reason,
        override_by=note.dose_override_by if note else None,
        override_at=note.dose_override_at if note else None,
        override_percent=note.dose_override_percent if note and reason else None,
        dosing_weight=dosing_weight,
        weight_problem=weight_problem,
        override_uncapped_mg=note.dose_override_uncapped_mg if note and reason else None,
        signed_figures=note.dose_figures if note and note.is_signed and note.dose_figures else None,
    )


def _patient(session: TreatmentSession) -> Patient:
    return Patient.objects.select_related("clinic").get(courses__sessions=session)


def _injections(
    session: TreatmentSession, given: Iterable[Injection] | None
) -> Iterable[Injection]:
    if given is None:
        return Injection.objects.filter(note__session=session).select_related("syringe")
    given = list(given)
    prefetch_related_objects(given, "syringe")  # one query at most, none if none has one
    return given


def _doses(injection: Injection) -> list[dosing.Dose]:
    syringe = injection.syringe
    return dosing.injection_doses(
        injection.volume_ml,
        syringe=syringe.anaesthetics if syringe is not None else None,
        anaesthetic=injection.anaesthetic,
        percent=injection.anaesthetic_percent,
        epinephrine=injection.epinephrine,
    )


def dose_sign_blockers(note: ProcedureNote) -> list[str]:
    """For services/sessions.py::_sign_blockers; the caller holds the session lock."""
    return session_dose_summary(note.session).sign_blockers()


@transaction.atomic
def dose_override_record(*, actor: Actor, note: ProcedureNote, reason: str) -> ProcedureNote:
    """A physician's reason for signing a note whose anaesthetic is over the ceiling, or, for
    a patient under 18, any anaesthetic at all (the dose sign-off).

    It covers the combined % of ceiling at this moment; if the total rises later (another
    injection, a lower weight, a lower limit), signing needs a new one.
    """
    require(actor, Perm.SIGN_NOTE)
    reason = pick({"reason": reason}, ["reason"])["reason"]
    if len(reason) > OVERRIDE_REASON_MAX:
        raise ValidationError(
            {"reason": f"Keep the reason to {OVERRIDE_REASON_MAX} characters or fewer."}
        )
    session, note = lock_draft(note)
    dose = session_dose_summary(session)
    if not reason:
        why = "the dose sign-off" if dose.child else "going over the ceiling"
        raise ValidationError({"reason": f"Give the reason for {why}."})
    if not dose.sign_off_required:
        raise ValidationError(_nothing_to_sign_off(dose))
    patient = session.course.patient
    update_audited(
        actor=actor,
        instance=note,
        patient=patient,
        changes={
            "dose_override_reason": reason,
            "dose_override_by": actor.user,
            "dose_override_at": timezone.now(),
            # Rounded up, so the override covers exactly the total it was given for.
            "dose_override_percent": dose.summary.combined_percent.quantize(
                Decimal("0.001"), rounding=ROUND_CEILING
            ),
            "dose_override_uncapped_mg": dose.summary.uncapped_mg,
        },
    )
    return note


def dose_signed_fields(note: ProcedureNote) -> dict[str, Any]:
    """The note fields that keep what its dose was judged against at signing: the weight, the
    dosing weight and its working, each agent's ceiling and share, the combined share.

    For services/sessions.py::note_sign, which writes them in its audited signing change under
    the session lock. A later weight, limit or setting then never changes how the signed
    session reads.
    """
    dose = session_dose_summary(note.session)
    combined = dose.summary.combined_percent.quantize(Decimal("0.0001"), rounding=ROUND_CEILING)
    return {
        "dose_weight_kg": dose.weight.weight_kg if dose.weight else None,
        "dose_weight_measured_on": dose.weight.measured_on if dose.weight else None,
        "dose_combined_percent": combined,
        "dose_figures": signed_figures(dose),
    }


def signed_figures(dose: SessionDose) -> dict[str, Any]:
    """The dose as signed, in exact decimal strings and as shown on the page."""
    weight = dose.dosing_weight
    summary = dose.summary
    return {
        "weight_kg": dosing.exact(dose.weight.weight_kg) if dose.weight else None,
        "weight_measured_on": dose.weight.measured_on.isoformat() if dose.weight else None,
        "weight_basis": weight.basis if weight else None,
        "weight_basis_label": weight.basis_label if weight else None,
        "dosing_weight_kg": dosing.exact(weight.kg) if weight else None,
        "weight_working": weight.working() if weight else "",
        "factors": [f"{f.reason} × {dosing.show_factor(f.value)}" for f in summary.factors],
        "agents": [_signed_agent(a) for a in summary.agents],
        "combined_percent": dosing.exact(summary.combined_percent),
        "combined_percent_shown": show_percent(summary.combined_percent),
        "status": str(summary.status),
        "status_text": summary.status_text,
    }


def _signed_agent(total: dosing.AgentTotal) -> dict[str, Any]:
    found = total.ceiling
    return {
        "agent": total.agent,
        "label": f"{total.label}, {total.solution}",
        "mg": dosing.exact(total.mg),
        "mg_shown": dosing.show(total.mg, 2),
        "volume_ml": dosing.exact(total.volume_ml),
        "ceiling_mg": dosing.exact(found.mg) if found else None,
        "ceiling_shown": dosing.show_ceiling(found.mg) if found else None,
        "percent": dosing.exact(total.percent) if total.percent is not None else None,
        "percent_shown": show_percent(total.percent) if total.percent is not None else None,
        "status": str(total.status),
        "status_text": total.status_text,
        "working": found.working() if found else (total.no_cap_message if total.uncapped else ""),
        "source": found.source if found else (total.limit.source_note if total.limit else ""),
    }


def _nothing_to_sign_off(dose: SessionDose) -> str:
    if not dose.child:
        return "The anaesthetic total is not over the ceiling, so there is nothing to override."
    if not dose.summary.agents:
        return "No local anaesthetic is recorded yet, so there is no dose to sign off."
    return (
        "The share of the ceiling cannot be worked out yet (no recent weight, or an agent with "
        "no limit), so there is no dose to sign off."
    )


LIMIT_FIELDS = (
    "mg_per_kg",
    "cap_mg",
    "mg_per_kg_epinephrine",
    "cap_mg_epinephrine",
    "source",
    "verified",
)


@transaction.atomic
def anaesthetic_limit_update(*, actor: Actor, agent: str, **fields: Any) -> AnaestheticLimit:
    """Set the clinic's limit for one agent (creating it if the clinic had none); audited."""
    require(actor, Perm.MANAGE_SAFETY)
    if agent not in AGENTS:
        raise ValidationError({"agent": f"Choose {agent_list()}."})
    changes = pick(fields, LIMIT_FIELDS)
    row = (
        AnaestheticLimit.objects.select_for_update()
        .filter(clinic=actor.clinic, agent=agent)
        .first()
    )
    # Checked with what is kept from the row, so a change of one field cannot leave a gap.
    _check_limit({name: getattr(row, name, None) for name in LIMIT_FIELDS} | changes)
    if row is None:
        return create_audited(
            actor=actor,
            instance=AnaestheticLimit(clinic=actor.clinic, agent=agent, **changes),
            patient=None,
        )
    return update_audited(actor=actor, instance=row, patient=None, changes=changes)


def _check_limit(values: dict[str, Any]) -> None:
    errors = {}
    for name in ("mg_per_kg", "mg_per_kg_epinephrine", "cap_mg", "cap_mg_epinephrine"):
        value = values.get(name)
        if value is not None and value <= 0:
            errors[name] = "Give a number above 0, or leave it empty."
    if values.get("mg_per_kg") is None:
        errors["mg_per_kg"] = "Give the maximum mg per kg without epinephrine."
    if values.get("cap_mg_epinephrine") is not None and values.get("mg_per_kg_epinephrine") is None:
        errors.setdefault(
            "mg_per_kg_epinephrine",
            "Give the mg per kg with epinephrine as well as its maximum, or neither.",
        )
    if (
        values.get("cap_mg") is not None
        and values.get("mg_per_kg_epinephrine") is not None
        and values.get("cap_mg_epinephrine") is None
    ):
        # Without it the with-epinephrine ceiling would grow with weight alone
        # (lidocaine: 7 mg/kg × 100 kg = 700 mg, above the label's 500 mg).
        errors.setdefault(
            "cap_mg_epinephrine",
            "Give the maximum with epinephrine too: the limit without epinephrine has one, "
            "and without it the ceiling with epinephrine would rise with weight alone.",
        )
    if errors:
        raise ValidationError(errors)
