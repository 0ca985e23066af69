"""What a patient is told at once after a diary day or a problem report. Pure.

Each symptom flag maps to one advice level; the most urgent level of a report wins. The flags
are those of the 7-day diary (outcomes/flare.py) plus the few the portal's "report a problem"
form adds. The portal shows the level's words at the top of the confirmation page.

Sources (domain notes): §6's return precautions (fever, spreading redness, drainage, bleeding,
new weakness or numbness, severe headache after spinal work, shortness of breath or chest pain
after thoracic work → "contact clinic/emergency care") [R103][R109]; §8's adverse events
(pneumothorax after thoracic or chest-wall injections [R112][R114], spinal headache or CSF leak
[R112][R115], nerve injury [R106][R114], anaphylaxis [R114]) and its review thresholds (pain ≥ 8,
flare longer than the clinic's days: "a design suggestion, not from a source").
The sources do not say which of "the clinic" or "emergency care" fits each sign: splitting
them into the two levels below is Prolo's choice, erring towards emergency care for anything
that can threaten breathing, the nervous system or life within hours.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    """Higher is more urgent, so max() picks what the patient must do."""

    EXPECTED = 0  # "the area may feel worse before it feels better", with self-care advice
    CLINIC_TODAY = 1  # "contact the clinic today"
    EMERGENCY = 2  # "seek emergency care now" (call the emergency number)


@dataclass(frozen=True)
class Rule:
    level: Level
    source: str


RETURN_PRECAUTIONS = "domain notes §6, return precautions [R103][R109]"
DESIGN = "domain notes §8: a design suggestion, not from a source"

RULES: dict[str, Rule] = {
    # Pneumothorax after chest-wall work (§8 [R112][R114]).
    "breathlessness": Rule(Level.EMERGENCY, f"{RETURN_PRECAUTIONS}; §8 [R112][R114]"),
    # Chest pain or breathlessness after any other treatment: the portal cannot rule out a
    # heart or lung cause, so it never says "expected" (Prolo's choice, no source).
    "chest_symptoms": Rule(Level.EMERGENCY, "Prolo's choice: not from a source"),
    # Spinal headache or CSF leak after spinal work (§8 [R112][R115]).
    "spinal_headache": Rule(Level.EMERGENCY, f"{RETURN_PRECAUTIONS}; §8 [R112][R115]"),
    # New or spreading weakness or numbness: nerve injury (§8 [R106][R114]).
    "numbness_or_weakness": Rule(Level.EMERGENCY, f"{RETURN_PRECAUTIONS}; §8 [R106][R114]"),
    # Anaphylaxis is possible (§8 [R114]).
    "allergic_reaction": Rule(Level.EMERGENCY, "domain notes §8 [R114]"),
    "fever": Rule(Level.CLINIC_TODAY, RETURN_PRECAUTIONS),
    "redness_or_drainage": Rule(Level.CLINIC_TODAY, RETURN_PRECAUTIONS),
    "bleeding": Rule(Level.CLINIC_TODAY, RETURN_PRECAUTIONS),
    # A severe headache without spinal work: not in the sources; the clinic should know.
    "headache": Rule(Level.CLINIC_TODAY, "Prolo's choice: not from a source"),
    "severe_pain": Rule(Level.CLINIC_TODAY, DESIGN),
    "still_flaring": Rule(Level.CLINIC_TODAY, DESIGN),
    "long_flare": Rule(Level.CLINIC_TODAY, DESIGN),
}


def advice_level(flags: Iterable[str]) -> Level:
    """The most urgent level among `flags`; unknown flags (say "other") change nothing."""
    return max((RULES[f].level for f in flags if f in RULES), default=Level.EXPECTED)


def symptom_flags(
    *,
    breathlessness: bool = False,
    severe_headache: bool = False,
    spinal: bool,
    thoracic: bool,
) -> list[str]:
    """The chest and headache flags the diary's rules leave out (outcomes/flare.py raises
    them only after chest-wall or spinal work); the patient still needs to be told."""
    flags = []
    if breathlessness and not thoracic:
        flags.append("chest_symptoms")
    if severe_headache and not spinal:
        flags.append("headache")
    return flags


# The "report a problem" form's choices → the flags they raise (the form's own words are the
# portal's, prolo/portal/forms_outcomes.py).
PROBLEMS = (
    "pain",
    "swelling",
    "redness",
    "fever",
    "bleeding",
    "numbness",
    "headache",
    "breathlessness",
    "allergic",
    "other",
)
_PROBLEM_FLAG = {
    "redness": "redness_or_drainage",
    "fever": "fever",
    "bleeding": "bleeding",
    "numbness": "numbness_or_weakness",
    "allergic": "allergic_reaction",
}
SEVERE_PAIN = 8  # as outcomes/flare.py: domain notes §8, a design suggestion


def problem_flags(
    problems: Iterable[str],
    *,
    pain: int | None,
    spinal: bool,
    thoracic: bool,
    past_flare: bool,
) -> list[str]:
    """The flags one problem report raises (advice_level() picks what to tell the patient).

    `past_flare`: today is beyond the clinic's flare days after the latest session, so pain or
    swelling now is a flare lasting longer than expected.
    """
    chosen = set(problems)
    flags = [_PROBLEM_FLAG[p] for p in PROBLEMS if p in chosen and p in _PROBLEM_FLAG]
    if "headache" in chosen:
        flags.append("spinal_headache" if spinal else "headache")
    if "breathlessness" in chosen:
        flags.append("breathlessness" if thoracic else "chest_symptoms")
    if pain is not None and pain >= SEVERE_PAIN:
        flags.append("severe_pain")
    if past_flare and chosen & {"pain", "swelling"}:
        flags.append("long_flare")
    return flags
