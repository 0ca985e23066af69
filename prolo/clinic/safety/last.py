"""Local anaesthetic systemic toxicity (LAST): the signs, the ASRA 2020 checklist steps and the
20% lipid emulsion doses. Pure Decimal arithmetic and text, no database; docs/last.md.

    weight > 70 kg:  bolus 100 mL over 2–3 min, then 200–250 mL over 15–20 min
    weight ≤ 70 kg:  bolus 1.5 mL/kg over 2–3 min, then 0.25 mL/kg/min
    still unstable:  repeat the bolus or double the infusion rate
    upper limit:     about 12 mL/kg in total

Every number carries its source [R49]–[R53] (docs/last.md lists them), so the panel can show
it beside the number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from prolo.clinic.safety.dosing import show

WEIGHT_THRESHOLD_KG = Decimal(70)
FIXED_BOLUS_ML = Decimal(100)
FIXED_INFUSION_ML = (Decimal(200), Decimal(250))
FIXED_INFUSION_MINUTES = (Decimal(15), Decimal(20))
BOLUS_ML_PER_KG = Decimal("1.5")
INFUSION_ML_PER_KG_MIN = Decimal("0.25")
UPPER_LIMIT_ML_PER_KG = Decimal(12)
BOLUS_MINUTES = "2–3"

LIPID_SOURCE = "ASRA LAST checklist 2020 [R52]; lipid dosing as summarised in [R53]"
UPPER_LIMIT_SOURCE = "about 12 mL/kg [R53]; an approximate ceiling, not an exact one"
LEAN_WEIGHT_NOTE = (
    "ASRA doses the per-kg rules on lean (ideal) body weight [R49b]; the weight used is the "
    "session's dosing weight for the anaesthetic ceiling, by the clinic's dosing-weight setting"
)
SIGNS_SOURCE = "[R49][R50][R51]"
CHECKLIST_SOURCE = "ASRA checklist for managing LAST, 2020 version [R52][R53]"


@dataclass(frozen=True)
class Sign:
    system: str
    signs: tuple[str, ...]
    note: str
    source: str


SIGNS = (
    Sign(
        "Central nervous system",
        (
            "numbness around the mouth or of the tongue",
            "metallic taste",
            "tinnitus",
            "light-headedness",
            "visual disturbance",
            "agitation or confusion",
            "muscle twitching",
            "seizures",
            "then CNS depression, coma, respiratory arrest",
        ),
        "",
        SIGNS_SOURCE,
    ),
    Sign(
        "Cardiovascular",
        (
            "early hypertension and tachycardia",
            "then bradycardia",
            "conduction block",
            "hypotension",
            "ventricular arrhythmias",
            "asystole",
        ),
        "About one in five reported cases shows cardiovascular signs only [R50].",
        SIGNS_SOURCE,
    ),
)


VERIFY_NOTE = (
    "from the ASRA checklist, not in the clinic's reference excerpts: verify against the checklist"
)


@dataclass(frozen=True)
class Step:
    action: str
    detail: str
    source: str
    # The step is on the ASRA checklist [R52] but the domain notes do not quote it.
    verify: bool = False

    @property
    def verify_note(self) -> str:
        return VERIFY_NOTE if self.verify else ""


# What to do at once, as the domain notes quote the checklist [R52][R53].
DO_NOW = (
    Step("Stop injecting local anaesthetic", "", "[R52]"),
    Step("Call for help", "", "[R52]"),
    Step("Airway: give 100% oxygen", "", "[R52]"),
    Step("Benzodiazepine for seizures", "", "[R52]"),
    Step("Give 20% lipid emulsion", "Doses below, worked out from the weight.", "[R52][R53]"),
)

# The rest of the ASRA 2020 checklist [R52], after the steps above.
THEN = (
    Step(
        "Alert the nearest facility with cardiopulmonary bypass capability",
        "",
        "[R52]",
        verify=True,
    ),
    Step(
        "Avoid propofol when there are signs of cardiovascular instability",
        "",
        "[R52]",
        verify=True,
    ),
    Step("Treat hypotension and bradycardia", "", "[R52]", verify=True),
    Step(
        "If cardiac arrest: CPR with modified ACLS",
        "Small doses of epinephrine (≤ 1 µg/kg); avoid vasopressin, calcium-channel blockers, "
        "β-blockers and further local anaesthetic; continue the lipid emulsion.",
        "[R52]",
        verify=True,
    ),
    Step(
        "Prolonged monitoring",
        "At least 2 hours after a seizure or other central nervous system event only; "
        "4–6 hours after cardiovascular signs.",
        "[R52]",
        verify=True,
    ),
)

CHECKLIST = DO_NOW + THEN


@dataclass(frozen=True)
class Amount:
    """One dose: what to give, how it was worked out, and where the rule comes from."""

    text: str
    working: str
    source: str


@dataclass(frozen=True)
class LipidPlan:
    """The 20% lipid emulsion doses for one weight; without a weight, the rules only."""

    weight_kg: Decimal | None
    bolus_ml: Decimal | None
    infusion_ml_per_min: Decimal | None  # the ≤ 70 kg rate; None above 70 kg (a fixed volume)
    upper_limit_ml: Decimal | None
    bolus: Amount
    infusion: Amount
    unstable: Amount
    upper_limit: Amount

    @property
    def per_kg(self) -> bool:
        """Dosed per kg (70 kg or less); False above 70 kg or with no weight."""
        return self.infusion_ml_per_min is not None

    @property
    def amounts(self) -> tuple[Amount, ...]:
        return (self.bolus, self.infusion, self.unstable, self.upper_limit)


def lipid_plan(weight_kg: Decimal | None) -> LipidPlan:
    """The ASRA 2020 lipid doses for `weight_kg`; None means no weight is recorded."""
    if weight_kg is None:
        return _rules_only()
    if weight_kg <= 0:
        raise ValueError("A weight must be above 0 kg.")
    if weight_kg > WEIGHT_THRESHOLD_KG:
        return _fixed(weight_kg)
    return _per_kg(weight_kg)


def _per_kg(weight: Decimal) -> LipidPlan:
    kg = show(weight)
    bolus = BOLUS_ML_PER_KG * weight
    rate = INFUSION_ML_PER_KG_MIN * weight
    return LipidPlan(
        weight_kg=weight,
        bolus_ml=bolus,
        infusion_ml_per_min=rate,
        upper_limit_ml=_upper(weight),
        bolus=Amount(
            f"Bolus {show(bolus)} mL over {BOLUS_MINUTES} minutes",
            f"{show(BOLUS_ML_PER_KG)} mL/kg × {kg} kg = {show(bolus)} mL (70 kg or less)",
            LIPID_SOURCE,
        ),
        infusion=Amount(
            f"Then an infusion of {show(rate)} mL/min",
            f"{show(INFUSION_ML_PER_KG_MIN, 2)} mL/kg/min × {kg} kg = {show(rate)} mL/min",
            LIPID_SOURCE,
        ),
        unstable=Amount(
            f"If still unstable: repeat the {show(bolus)} mL bolus, or double the infusion "
            f"to {show(rate * 2)} mL/min",
            f"{show(rate)} mL/min × 2 = {show(rate * 2)} mL/min",
            LIPID_SOURCE,
        ),
        upper_limit=_upper_amount(weight),
    )


def _fixed(weight: Decimal) -> LipidPlan:
    return LipidPlan(
        weight_kg=weight,
        bolus_ml=FIXED_BOLUS_ML,
        infusion_ml_per_min=None,
        upper_limit_ml=_upper(weight),
        bolus=Amount(
            f"Bolus {show(FIXED_BOLUS_ML)} mL over {BOLUS_MINUTES} minutes",
            f"{show(weight)} kg is over 70 kg: a fixed {show(FIXED_BOLUS_ML)} mL",
            LIPID_SOURCE,
        ),
        infusion=_fixed_infusion(f"{show(weight)} kg is over 70 kg: a fixed volume"),
        unstable=Amount(
            f"If still unstable: repeat the {show(FIXED_BOLUS_ML)} mL bolus, or double the "
            "infusion rate",
            "",
            LIPID_SOURCE,
        ),
        upper_limit=_upper_amount(weight),
    )


def _rules_only() -> LipidPlan:
    """No weight: the fixed doses for over 70 kg and the per-kg rules, never a guessed weight."""
    low, high = FIXED_INFUSION_ML
    short, long = FIXED_INFUSION_MINUTES
    return LipidPlan(
        weight_kg=None,
        bolus_ml=None,
        infusion_ml_per_min=None,
        upper_limit_ml=None,
        bolus=Amount(
            f"Bolus over {BOLUS_MINUTES} minutes: {show(FIXED_BOLUS_ML)} mL if over 70 kg; "
            f"{show(BOLUS_ML_PER_KG)} mL/kg if 70 kg or less",
            "No weight is recorded, so no per-kg dose is worked out",
            LIPID_SOURCE,
        ),
        infusion=Amount(
            f"Then an infusion: {show(low)}–{show(high)} mL over {show(short)}–{show(long)} "
            f"minutes if over 70 kg; {show(INFUSION_ML_PER_KG_MIN, 2)} mL/kg/min if 70 kg or less",
            f"Over 70 kg: {_fixed_rates()}",
            LIPID_SOURCE,
        ),
        unstable=Amount(
            "If still unstable: repeat the bolus, or double the infusion rate", "", LIPID_SOURCE
        ),
        upper_limit=Amount(
            f"Upper limit about {show(UPPER_LIMIT_ML_PER_KG)} mL/kg in total",
            "No weight is recorded, so no total is worked out",
            UPPER_LIMIT_SOURCE,
        ),
    )


def _fixed_infusion(why: str) -> Amount:
    low, high = FIXED_INFUSION_ML
    short, long = FIXED_INFUSION_MINUTES
    return Amount(
        f"Then an infusion of {show(low)}–{show(high)} mL over {show(short)}–{show(long)} minutes",
        f"{why}; {_fixed_rates()}",
        LIPID_SOURCE,
    )


def _fixed_rates() -> str:
    """The fixed infusion as a pump rate: the slowest and the fastest it allows."""
    low, high = FIXED_INFUSION_ML
    short, long = FIXED_INFUSION_MINUTES
    return (
        f"{show(low)} mL ÷ {show(long)} min = {show(low / long)} mL/min to "
        f"{show(high)} mL ÷ {show(short)} min = {show(high / short)} mL/min"
    )


def _upper(weight: Decimal) -> Decimal:
    return UPPER_LIMIT_ML_PER_KG * weight


def _upper_amount(weight: Decimal) -> Amount:
    # Rounded down, so the limit shown is never above the real one.
    total = show(_upper(weight), 0, ROUND_FLOOR)
    return Amount(
        f"Upper limit about {total} mL in total",
        f"{show(UPPER_LIMIT_ML_PER_KG)} mL/kg × {show(weight)} kg = {total} mL",
        UPPER_LIMIT_SOURCE,
    )


REFERENCES = (
    (
        "R49",
        "Neal JM, Woodward CM, Harrison TK. ASRA checklist for managing LAST: 2017 version. "
        "Reg Anesth Pain Med 2018;43:150–153.",
    ),
    (
        "R49b",
        "ASRA newsletter, LAST preparedness (1.5 mL/kg lean body mass bolus; 0.25 mL/kg/min).",
    ),
    (
        "R50",
        "El-Boghdadly K, Pawa A, Chin KJ. Local anesthetic systemic toxicity: current "
        "perspectives. Local Reg Anesth 2018;11:35–44.",
    ),
    (
        "R51",
        "Gitman M, Fettiplace MR, Weinberg GL, Neal JM, Barrington MJ. Local anesthetic "
        "systemic toxicity: a narrative review. Plast Reconstr Surg 2019;144:783–795.",
    ),
    (
        "R52",
        "Neal JM, Neal EJ, Weinberg GL. American Society of Regional Anesthesia and Pain "
        "Medicine Local Anesthetic Systemic Toxicity checklist: 2020 version. Reg Anesth Pain "
        "Med 2021.",
    ),
    ("R53", "Medscape summary of the 2020 ASRA lipid emulsion dosing (a secondary source)."),
)
