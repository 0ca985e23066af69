"""Expected flare or needs review: the flag rules for one day of the 7-day diary. Pure.

The return precautions (fever, spreading redness, drainage, new weakness or numbness, severe
headache after spinal work, breathlessness or chest pain after thoracic work) are the clinic
sheets' [R103][R109] (domain notes §6). The pain thresholds are not from a source: the domain
notes (§8, last bullet) suggest "flare > 7 days" or "NRS ≥ 8" can trigger review, "threshold
is a design suggestion, not from a source". See docs/flare-diary.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Design suggestion of the domain notes (§8), not from a source.
SEVERE_PAIN = 8
# Still flaring: on or after the clinic's "flare longer than this needs review" day, pain at
# least this and no lower than on the diary's first recorded day. Not from a source either.
STILL_FLARING_PAIN = 4
NOT_FROM_A_SOURCE = "threshold is a design suggestion, not from a source"
RETURN_PRECAUTIONS = ("R103", "R109")


@dataclass(frozen=True)
class Flag:
    key: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Day:
    """One day's answers, as the flag rules need them."""

    day: int
    pain: int
    fever: bool = False
    redness_or_drainage: bool = False
    numbness_or_weakness: bool = False
    severe_headache: bool = False
    breathlessness: bool = False


FLAGS = {
    "severe_pain": Flag(
        "severe_pain",
        f"Pain {SEVERE_PAIN}/10 or worse ({NOT_FROM_A_SOURCE}, domain notes §8).",
        (),
    ),
    "still_flaring": Flag(
        "still_flaring",
        f"Pain {STILL_FLARING_PAIN}/10 or more and not improving past the usual flare "
        f"({NOT_FROM_A_SOURCE}, domain notes §8).",
        (),
    ),
    "fever": Flag("fever", "Fever.", RETURN_PRECAUTIONS),
    "redness_or_drainage": Flag(
        "redness_or_drainage", "Spreading redness or drainage at a site.", RETURN_PRECAUTIONS
    ),
    "numbness_or_weakness": Flag(
        "numbness_or_weakness", "New numbness or weakness.", RETURN_PRECAUTIONS
    ),
    "spinal_headache": Flag(
        "spinal_headache", "Severe headache after spinal injections.", RETURN_PRECAUTIONS
    ),
    "breathlessness": Flag(
        "breathlessness",
        "Breathlessness or chest pain after chest-wall injections.",
        RETURN_PRECAUTIONS,
    ),
}


def flags_for(
    day: Day,
    *,
    spinal: bool,
    thoracic: bool,
    flare_max_days: int,
    earlier_pain: Iterable[tuple[int, int]] = (),
) -> list[Flag]:
    """The flags `day` raises, in FLAGS order; an empty list is an expected flare.

    `spinal`/`thoracic`: whether any injection of the session was at such a site.
    `earlier_pain`: (day, pain) of the session's other diary days.
    """
    keys: list[str] = []
    if day.pain >= SEVERE_PAIN:
        keys.append("severe_pain")
    if _still_flaring(day, flare_max_days, earlier_pain):
        keys.append("still_flaring")
    for key in ("fever", "redness_or_drainage", "numbness_or_weakness"):
        if getattr(day, key):
            keys.append(key)
    if day.severe_headache and spinal:
        keys.append("spinal_headache")
    if day.breathlessness and thoracic:
        keys.append("breathlessness")
    return [FLAGS[key] for key in keys]


def _still_flaring(day: Day, flare_max_days: int, earlier: Iterable[tuple[int, int]]) -> bool:
    if day.day < flare_max_days or day.pain < STILL_FLARING_PAIN:
        return False
    before = sorted((d, p) for d, p in earlier if d < day.day)
    first_pain = before[0][1] if before else day.pain
    return day.pain >= first_pain
