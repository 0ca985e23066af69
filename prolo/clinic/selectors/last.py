"""What the LAST emergency panel reads: the session's anaesthetic and the lipid doses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from prolo.clinic.models import TreatmentSession
from prolo.clinic.safety.last import LipidPlan, lipid_plan
from prolo.clinic.services.dosing import SessionDose, session_dose_summary


@dataclass(frozen=True)
class LastPanel:
    dose: SessionDose
    lipid: LipidPlan


def _lipid_weight(dose: SessionDose) -> Decimal | None:
    """The weight the lipid doses are worked out from: the dosing weight the session's
    anaesthetic ceiling uses (actual, ideal or adjusted, by the clinic's setting), so the two
    panels never disagree about the patient; the measured weight when that cannot be worked
    out (no height for an ideal weight), since an emergency dose must not wait for one."""
    if dose.dosing_weight_kg is not None:
        return dose.dosing_weight_kg
    return dose.weight.weight_kg if dose.weight is not None else None


def last_panel(session: TreatmentSession) -> LastPanel:
    dose = session_dose_summary(session)
    return LastPanel(dose=dose, lipid=lipid_plan(_lipid_weight(dose)))
