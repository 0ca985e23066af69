"""The outcome instruments as data: items, answers, subscales, scores, direction and sources.

Source tags ([Rn]) refer to ../shared/domain/prolotherapy.md §5 and its reference list.
Anything marked `unverified` is a placeholder a clinician must confirm before it is relied on.

Item text ships only for the generic, free scales (pain NRS, pain VAS, PSFS), written fresh
for Prolo. Every other instrument ships its structure and scoring with `text=None` on each
item: the clinic imports the official wording under its own licence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

D = Decimal


class Direction(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    HIGHER_IS_WORSE = "higher_is_worse"


@dataclass(frozen=True)
class Option:
    """One allowed answer: the value scored, and its label (None: the clinic imports it)."""

    value: int
    label: str | None = None


@dataclass(frozen=True)
class Item:
    id: str
    text: str | None
    options: tuple[Option, ...]

    @property
    def values(self) -> frozenset[int]:
        return frozenset(option.value for option in self.options)

    @property
    def low(self) -> int:
        return min(self.values)

    @property
    def high(self) -> int:
        return max(self.values)

    @property
    def allowed(self) -> str:
        """The allowed answers in words: 'a whole number from 0 to 10', or '0, 4, 7 or 10'."""
        values = sorted(self.values)
        if values == list(range(self.low, self.high + 1)):
            return f"a whole number from {self.low} to {self.high}"
        return ", ".join(str(v) for v in values[:-1]) + f" or {values[-1]}"


@dataclass(frozen=True)
class Mcid:
    """The minimal clinically important difference, in score points (and/or % of baseline)."""

    points: Decimal
    source: str
    unverified: bool
    percent: Decimal | None = None  # also improved by this % of the baseline (pain NRS: 30)


@dataclass(frozen=True)
class Subscale:
    """A group of items scored together; `min_answered` is the default missing-item rule."""

    key: str
    name: str
    item_ids: tuple[str, ...]
    min_answered: int


@dataclass(frozen=True)
class ScoreSpec:
    """One score the rule produces: its range, its LOINC code and its MCID, when known."""

    key: str
    name: str
    low: Decimal
    high: Decimal
    loinc: str | None = None
    mcid: Mcid | None = None


@dataclass(frozen=True)
class MissingRule:
    text: str
    source: str
    unverified: bool


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    items: tuple[Item, ...]
    rule: str  # the key of the scoring rule in scoring.RULES
    subscales: tuple[Subscale, ...]
    scores: tuple[ScoreSpec, ...]  # in the order shown and exported
    direction: Direction
    recall: str
    recall_unverified: bool
    missing: MissingRule
    licence: str
    loinc: str | None = None  # the panel code
    notes: tuple[str, ...] = field(default=())
    # The default headline score of a multi-score instrument ("" = the first score), and
    # where a region needs another, (region, score key) pairs: see default_headline().
    headline: str = ""
    headline_by_region: tuple[tuple[str, str], ...] = ()
    headline_why: str = ""

    @property
    def has_item_text(self) -> bool:
        return all(item.text is not None for item in self.items)

    @property
    def multi_score(self) -> bool:
        return len(self.scores) > 1

    @property
    def headline_spec(self) -> ScoreSpec:
        """The default headline score, whatever the region (the clinic's MCID applies to it)."""
        return self.score_spec(self.headline or self.scores[0].key)

    @property
    def range(self) -> tuple[Decimal, Decimal]:
        """The default headline score's range."""
        return self.headline_spec.low, self.headline_spec.high

    @property
    def mcid(self) -> Mcid | None:
        """The default headline score's shipped MCID."""
        return self.headline_spec.mcid

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def score_spec(self, key: str) -> ScoreSpec:
        for spec in self.scores:
            if spec.key == key:
                return spec
        raise KeyError(key)

    @property
    def text_note(self) -> str:
        if self.has_item_text:
            return ""
        return (
            f"The item text of the {self.name} is not shipped with Prolo: the clinic imports "
            f"the official wording under its own licence. {self.licence}"
        )


def default_headline(instrument: Instrument, region: str = "") -> ScoreSpec:
    """The score that stands for the instrument in a course of this region, unless the course
    chose another (services/questionnaires.py::headline)."""
    by_region = dict(instrument.headline_by_region)
    return instrument.score_spec(by_region.get(region) or instrument.headline_spec.key)


def options(low: int, high: int, labels: dict[int, str] | None = None) -> tuple[Option, ...]:
    labels = labels or {}
    return tuple(Option(value, labels.get(value)) for value in range(low, high + 1))


def blank_items(prefix: str, count: int, low: int, high: int) -> tuple[Item, ...]:
    """Items without text (the clinic imports it): ids prefix1 … prefixN."""
    return tuple(Item(f"{prefix}{n}", None, options(low, high)) for n in range(1, count + 1))


def ids(items: Iterable[Item]) -> tuple[str, ...]:
    return tuple(item.id for item in items)


def at_least_half(count: int) -> int:
    return (count + 1) // 2


# --- Pain NRS and VAS (generic, free) -------------------------------------------------------

NRS_ENDS = {0: "No pain", 10: "Worst pain imaginable"}
PAIN_NRS = Instrument(
    code="pain_nrs",
    name="Pain numeric rating scale (0–10)",
    items=(
        Item(
            "pain",
            "On a scale from 0 to 10, where 0 is no pain and 10 is the worst pain you can "
            "imagine, how much pain do you have in the treated area?",
            options(0, 10, NRS_ENDS),
        ),
    ),
    rule="single",
    subscales=(Subscale("pain", "Pain", ("pain",), 1),),
    scores=(
        ScoreSpec(
            "pain",
            "Pain (0–10)",
            D(0),
            D(10),
            loinc="72514-3",  # [R70]; 38208-5 "Pain severity - Reported" [R71]
            mcid=Mcid(
                D(2),
                "Farrar 2001, chronic pain: about 2 points or about 30% reduction [R69]",
                unverified=False,
                percent=D(30),
            ),
        ),
    ),
    direction=Direction.HIGHER_IS_WORSE,
    recall="set by the protocol (now, or average over the last 24 hours or week)",
    recall_unverified=False,
    missing=MissingRule("The one item must be answered.", "single item", unverified=False),
    licence="Generic scale, free to use.",
)

PAIN_VAS = Instrument(
    code="pain_vas",
    name="Pain visual analogue scale (0–100 mm)",
    items=(
        Item(
            "pain",
            "Mark on the 100 mm line how much pain you have in the treated area: the left end "
            "(0) is no pain, the right end (100) is the worst pain you can imagine.",
            options(0, 100, {0: "No pain", 100: "Worst pain imaginable"}),
        ),
    ),
    rule="single",
    subscales=(Subscale("pain", "Pain", ("pain",), 1),),
    scores=(
        ScoreSpec(
            "pain",
            "Pain (0–100 mm)",
            D(0),
            D(100),
            loinc="38214-3",  # [R71]
            mcid=Mcid(
                D("17.5"),
                "17.5 mm recommended in OA research [R72]; Bertrand 2016 used 14 mm [R64]",
                unverified=False,
            ),
        ),
    ),
    direction=Direction.HIGHER_IS_WORSE,
    recall="set by the protocol",
    recall_unverified=False,
    missing=MissingRule("The one item must be answered.", "single item", unverified=False),
    licence="Generic scale, free to use.",
)

# --- Patient-Specific Functional Scale ------------------------------------------------------

PSFS_ENDS = {0: "Unable to do the activity", 10: "Able to do it as well as before the problem"}
PSFS = Instrument(
    code="psfs",
    name="Patient-Specific Functional Scale",
    items=tuple(
        Item(
            f"activity{n}",
            f"Activity {n}: name an activity you find hard or cannot do because of your "
            "problem. How well can you do it today, from 0 (unable to do it) to 10 (as well "
            "as before the problem)?",
            options(0, 10, PSFS_ENDS),
        )
        for n in range(1, 6)
    ),
    rule="psfs",
    subscales=(
        Subscale("activities", "Activities", tuple(f"activity{n}" for n in range(1, 6)), 3),
    ),
    scores=(
        ScoreSpec(
            "mean",
            "Mean activity score (0–10)",
            D(0),
            D(10),
            mcid=Mcid(
                D(2),
                "about 2 points is the value usually quoted; not in the domain notes, no "
                "source retrieved",
                unverified=True,
            ),
        ),
    ),
    direction=Direction.HIGHER_IS_BETTER,
    recall="today",
    recall_unverified=True,
    missing=MissingRule(
        "The patient names 3 to 5 activities; the score is the mean of those rated.",
        "the usual PSFS administration; not in the domain notes",
        unverified=True,
    ),
    licence="Generic, free to use (not in the domain notes' licence table: confirm).",
)

# --- KOOS --------------------------------------------------------------------------------------

KOOS_PARTS = (
    ("symptoms", "Symptoms", "S", 7, "72101-9"),
    ("pain", "Pain", "P", 9, None),
    ("adl", "Function in daily living (ADL)", "A", 17, "72100-1"),
    ("sport", "Function in sport and recreation", "SP", 5, None),
    ("qol", "Knee-related quality of life", "Q", 4, None),
)
KOOS_ITEMS = tuple(
    item for _k, _n, prefix, count, _l in KOOS_PARTS for item in blank_items(prefix, count, 0, 4)
)
KOOS_MCID = Mcid(
    D(8),
    "about 8–10 points (Roos & Lohmander 2003, not retrieved); Persian-version MICs 12.5–17.5 "
    "by subscale [R81b]",
    unverified=True,
)
KOOS_QOL_MCID = Mcid(D(8), "8.0 for KOOS-QOL in knee OA [R81]", unverified=False)
KOOS = Instrument(
    code="koos",
    name="Knee injury and Osteoarthritis Outcome Score (KOOS)",
    items=KOOS_ITEMS,
    rule="koos",
    subscales=tuple(
        Subscale(
            key, name, tuple(f"{prefix}{n}" for n in range(1, count + 1)), at_least_half(count)
        )
        for key, name, prefix, count, _l in KOOS_PARTS
    ),
    scores=tuple(
        ScoreSpec(
            key,
            name,
            D(0),
            D(100),
            loinc=loinc,
            mcid=KOOS_QOL_MCID if key == "qol" else KOOS_MCID,
        )
        for key, name, _p, _c, loinc in KOOS_PARTS
    ),
    direction=Direction.HIGHER_IS_BETTER,
    recall="the last week [R79][R80]",
    recall_unverified=False,
    missing=MissingRule(
        "At least half the items of each subscale answered (pain 5 of 9, symptoms 4 of 7, ADL "
        "9 of 17, sport/rec 3 of 5, QOL 2 of 4); each subscale is the mean of its own answered "
        "items, so a missing item takes its subscale's mean",
        "'KOOS Scoring 2012' (koos.nu), read in a public copy; it replaced the 1998 rule of at "
        "most 2 missing items per subscale; not in the domain notes' references",
        unverified=False,
    ),
    licence=(
        "Mapi ePROVIDE lists KOOS 'without copyright', review copy at koos.nu [R82]; one vendor "
        "says commercial or electronic use needs permission [R79]: verify the current terms."
    ),
    loinc="72091-2",
    headline="pain",
    headline_why=(
        "Pain: the KOOS has no total, and pain is what a prolotherapy course sets out to "
        "relieve (knee OA trials report pain first [R32])."
    ),
    notes=(
        "Items are scored 0 (no problem) to 4 (extreme problem); the imported text must keep "
        "that order. LOINC codes for the Pain, Sport/Rec and QOL scores exist but are not "
        "verified [R83].",
    ),
)

# --- WOMAC LK3.1 -----------------------------------------------------------------------------

WOMAC_PAIN = blank_items("P", 5, 0, 4)
WOMAC_STIFFNESS = blank_items("S", 2, 0, 4)
WOMAC_FUNCTION = blank_items("F", 17, 0, 4)
WOMAC = Instrument(
    code="womac",
    name="WOMAC LK3.1",
    items=WOMAC_PAIN + WOMAC_STIFFNESS + WOMAC_FUNCTION,
    rule="womac",
    subscales=(
        Subscale("pain", "Pain", ids(WOMAC_PAIN), 4),
        Subscale("stiffness", "Stiffness", ids(WOMAC_STIFFNESS), 1),
        Subscale("function", "Physical function", ids(WOMAC_FUNCTION), 14),
    ),
    scores=(
        ScoreSpec("total", "Total, normalised (0–100)", D(0), D(100)),
        ScoreSpec(
            "pain",
            "Pain, normalised (0–100)",
            D(0),
            D(100),
            mcid=Mcid(D("9.7"), "MPCI, Ehrich 2000 [R75]", unverified=False),
        ),
        ScoreSpec(
            "stiffness",
            "Stiffness, normalised (0–100)",
            D(0),
            D(100),
            mcid=Mcid(D("10.0"), "MPCI, Ehrich 2000 [R75]", unverified=False),
        ),
        ScoreSpec(
            "function",
            "Physical function, normalised (0–100)",
            D(0),
            D(100),
            mcid=Mcid(D("9.3"), "MPCI, Ehrich 2000 [R75]", unverified=False),
        ),
    ),
    direction=Direction.HIGHER_IS_WORSE,
    recall="the last 48 hours [R73][R74]",
    recall_unverified=False,
    missing=MissingRule(
        "At most 1 pain (4 of 5), 1 stiffness (1 of 2) and 3 function (14 of 17) items missing; "
        "a missing item takes the mean of its own subscale's answered items, and the total is "
        "the three subscales so filled, summed (÷ 96 × 100); the total needs every subscale",
        "the WOMAC LK3.1 User Guide's rule as commonly quoted; the guide itself (licensed, "
        "womac.org) was not retrieved",
        unverified=True,
    ),
    licence=(
        "Proprietary, licence fee: 'Copyright 2004 Nicholas Bellamy All Rights Reserved'; "
        "permission via womac.org [R74][R73][R78]."
    ),
    headline="pain",
    headline_why=(
        "Pain: the primary outcome of Sit 2020's knee OA trial [R32], and it has an MCID "
        "(9.7, Ehrich 2000 [R75]); the total has none shipped. Rabago 2013 reported the "
        "total [R29]: choose it per course to compare with that trial."
    ),
    notes=(
        "Scores are normalised 0–100 (raw ÷ maximum × 100); trials score WOMAC inconsistently "
        "[R77], so the raw items are what to keep.",
        "Whether WOMAC scores derived from KOOS items need a WOMAC licence is unverified.",
    ),
)

# --- DASH and QuickDASH ------------------------------------------------------------------------

DASH_LICENCE = (
    "Free for non-commercial use; commercial software needs a licence from the Institute for "
    "Work & Health (Category B: CAD 1,250 first year, CAD 650 renewal) [R86]."
)
DASH_ITEMS = blank_items("Q", 30, 1, 5)
DASH = Instrument(
    code="dash",
    name="Disabilities of the Arm, Shoulder and Hand (DASH)",
    items=DASH_ITEMS,
    rule="dash",
    subscales=(Subscale("disability", "Disability/symptoms", ids(DASH_ITEMS), 27),),
    scores=(
        ScoreSpec(
            "disability",
            "Disability/symptoms (0–100)",
            D(0),
            D(100),
            mcid=Mcid(
                D(10),
                "10 (95% CI 5–15), Sorensen 2013 via ISSH [R85]; 10.83 (Franchignoni 2014) "
                "not retrieved",
                unverified=False,
            ),
        ),
    ),
    direction=Direction.HIGHER_IS_WORSE,
    recall="the last week [R84]",
    recall_unverified=False,
    missing=MissingRule(
        "At least 27 of 30 items answered; score from the mean of those answered",
        "the domain notes' example; take it from the DASH manual",
        unverified=True,
    ),
    licence=DASH_LICENCE,
    notes=("The optional work and sports/performing-arts modules are not shipped.",),
)

QUICKDASH_ITEMS = blank_items("Q", 11, 1, 5)
QUICKDASH = Instrument(
    code="quickdash",
    name="QuickDASH",
    items=QUICKDASH_ITEMS,
    rule="dash",
    subscales=(Subscale("disability", "Disability/symptoms", ids(QUICKDASH_ITEMS), 10),),
    scores=(
        ScoreSpec(
            "disability",
            "Disability/symptoms (0–100)",
            D(0),
            D(100),
            mcid=Mcid(
                D(14),
                "14, Sorensen 2013 via ISSH [R85]; 15.91 (Franchignoni 2014) not retrieved",
                unverified=False,
            ),
        ),
    ),
    direction=Direction.HIGHER_IS_WORSE,
    recall="the last week [R84]",
    recall_unverified=False,
    missing=MissingRule(
        "At least 10 of 11 items answered; score from the mean of those answered",
        "recalled from the QuickDASH manual, not retrieved",
        unverified=True,
    ),
    licence=DASH_LICENCE,
)

# --- Oswestry Disability Index v2.1a ---------------------------------------------------------

ODI_ITEMS = blank_items("S", 10, 0, 5)
ODI = Instrument(
    code="odi",
    name="Oswestry Disability Index v2.1a",
    items=ODI_ITEMS,
    rule="odi",
    subscales=(Subscale("disability", "Disability", ids(ODI_ITEMS), 8),),
    scores=(
        ScoreSpec(
            "percent",
            "Disability (%)",
            D(0),
            D(100),
            loinc="97909-6",
            mcid=Mcid(
                D(10),
                "10 points or 30% (Ostelo 2008, not retrieved); ≥18% reduction (about 8 "
                "points) = good outcome after surgery (Mannion 2005) [R93]",
                unverified=True,
                percent=D(30),
            ),
        ),
    ),
    direction=Direction.HIGHER_IS_WORSE,
    recall="current ('today')",
    recall_unverified=True,
    missing=MissingRule(
        "At least 8 of 10 sections answered; % = sum ÷ (5 × sections answered) × 100",
        "formula from the domain notes; the 8-section minimum is a placeholder",
        unverified=True,
    ),
    licence=(
        "'ODI © Jeremy Fairbank, 1980. All Rights Reserved', distributed via Mapi ePROVIDE "
        "[R94]: commercial software needs a licence."
    ),
    loinc="97908-8",
    notes=(
        "LOINC's bands (0–4 none … 35–50 completely disabled) are on the raw 0–50 score; the "
        "developers' bands are on the percent [R94][R97]: do not mix them.",
    ),
)

# --- VISA-A ----------------------------------------------------------------------------------

VISA_A = Instrument(
    code="visa_a",
    name="VISA-A (Achilles)",
    items=(
        *blank_items("Q", 6, 0, 10),
        Item("Q7", None, tuple(Option(v) for v in (0, 4, 7, 10))),
        Item("Q8", None, options(0, 30)),
    ),
    rule="sum",
    subscales=(Subscale("total", "Total", tuple(f"Q{n}" for n in range(1, 9)), 8),),
    scores=(
        ScoreSpec(
            "total",
            "Total (0–100)",
            D(0),
            D(100),
            mcid=Mcid(
                D(20),
                "20, the threshold used by Yelland 2011 [R60]; 15.4 (mid-portion) and 6.5 "
                "(insertional) quoted but not retrieved",
                unverified=False,
            ),
        ),
    ),
    direction=Direction.HIGHER_IS_BETTER,
    recall="not in the notes (unverified)",
    recall_unverified=True,
    missing=MissingRule(
        "All 8 items answered (placeholder)", "not in the domain notes", unverified=True
    ),
    licence="Published in BJSM 2001 [R90]; licence terms unverified.",
    notes=(
        "Item values from general knowledge, verify against Robinson 2001 [R90]: items 1–6 "
        "0–10, item 7 one of 0/4/7/10, item 8 0–30 (the part A, B or C score).",
    ),
)

# --- PRTEE -----------------------------------------------------------------------------------

PRTEE_PAIN = blank_items("P", 5, 0, 10)
PRTEE_FUNCTION = blank_items("F", 10, 0, 10)
PRTEE = Instrument(
    code="prtee",
    name="Patient-Rated Tennis Elbow Evaluation (PRTEE)",
    items=PRTEE_PAIN + PRTEE_FUNCTION,
    rule="prtee",
    subscales=(
        Subscale("pain", "Pain", ids(PRTEE_PAIN), 5),
        Subscale("function", "Function", ids(PRTEE_FUNCTION), 10),
    ),
    scores=(
        ScoreSpec(
            "total",
            "Total (0–100)",
            D(0),
            D(100),
            mcid=Mcid(
                D("14.8"),
                "14.8, 2025 clinimetric study [R87]; 11 points/37% (Poltawski & Watson 2011) "
                "not retrieved",
                unverified=False,
            ),
        ),
        ScoreSpec("pain", "Pain (0–50)", D(0), D(50)),
        ScoreSpec("function", "Function (0–50)", D(0), D(50)),
    ),
    direction=Direction.HIGHER_IS_WORSE,
    recall="the past week",
    recall_unverified=True,
    missing=MissingRule(
        "All items answered (placeholder); a subscale is prorated from the mean of those "
        "answered when the clinic lowers the minimum",
        "not in the domain notes; take it from the user manual [R89]",
        unverified=True,
    ),
    licence="© Joy C. MacDermid; user manual [R89]; terms unverified.",
    notes=("Pain 5 / function 10 item split from the user manual [R89]: verify.",),
)

# --- Foot Function Index (0–10 Likert version) ---------------------------------------------

FFI_PARTS = (
    ("pain", "Pain", "P", 9),
    ("disability", "Disability", "D", 9),
    ("activity", "Activity limitation", "A", 5),
)
FFI_ITEMS = tuple(item for _k, _n, p, c in FFI_PARTS for item in blank_items(p, c, 0, 10))
FFI = Instrument(
    code="ffi",
    name="Foot Function Index (0–10 Likert version)",
    items=FFI_ITEMS,
    rule="percent_of_max",
    subscales=tuple(
        Subscale(key, name, tuple(f"{p}{n}" for n in range(1, c + 1)), at_least_half(c))
        for key, name, p, c in FFI_PARTS
    ),
    scores=(
        ScoreSpec("total", "Total (%)", D(0), D(100)),
        *(ScoreSpec(key, f"{name} (%)", D(0), D(100)) for key, name, _p, _c in FFI_PARTS),
    ),
    direction=Direction.HIGHER_IS_WORSE,
    recall="usually the past week",
    recall_unverified=True,
    missing=MissingRule(
        "At least half the items of each subscale answered (pain 5 of 9, disability 5 of 9, "
        "activity 3 of 5); a subscale is its sum ÷ (10 × its items answered) × 100, so a "
        "missing item takes its own subscale's mean; the total is the three subscales so "
        "filled, summed, ÷ 230 × 100",
        "subscale rule from Budiman-Mak 1991 via SRALab [R91] ('dividing by the maximum total "
        "score for the items … applicable'); total sum/230 from the domain notes; the "
        "half-subscale minimum is a placeholder",
        unverified=True,
    ),
    licence="SRALab lists the FFI as 'Not free' (unverified) [R91]; a revised FFI-R exists [R92].",
    notes=("MCID not shipped: Landorf & Radford 2008 published MIDs, values not retrieved.",),
)

# --- SPADI -----------------------------------------------------------------------------------

SPADI_PAIN = blank_items("P", 5, 0, 10)
SPADI_DISABILITY = blank_items("D", 8, 0, 10)
SPADI = Instrument(
    code="spadi",
    name="Shoulder Pain and Disability Index (SPADI)",
    items=SPADI_PAIN + SPADI_DISABILITY,
    rule="percent_of_max",
    subscales=(
        Subscale("pain", "Pain", ids(SPADI_PAIN), 4),
        Subscale("disability", "Disability", ids(SPADI_DISABILITY), 6),
    ),
    scores=(
        ScoreSpec(
            "total",
            "Total (%)",
            D(0),
            D(100),
            mcid=Mcid(D(8), "8–13 points (Roy 2009, not retrieved)", unverified=True),
        ),
        ScoreSpec("pain", "Pain (%)", D(0), D(100)),
        ScoreSpec("disability", "Disability (%)", D(0), D(100)),
    ),
    direction=Direction.HIGHER_IS_WORSE,
    recall="the past week",
    recall_unverified=True,
    missing=MissingRule(
        "Pain at least 4 of 5 and disability at least 6 of 8 answered (placeholder); a "
        "subscale is its sum ÷ (10 × its items answered) × 100 ('if 1 question missed divide "
        "by 40'), so a missing item takes its own subscale's mean; the total is the two "
        "subscales so filled, summed, ÷ 130 × 100",
        "subscale rule from a public copy of the Roach 1991 scoring sheet; sources differ on "
        "the total with a missing item (that copy divides the raw sum by 120; others average "
        "the two subscales); the minimums are not sourced",
        unverified=True,
    ),
    licence="Licence unverified (widely described as free).",
    notes=("Smallest detectable difference 17 in adhesive capsulitis [R95].",),
)

INSTRUMENTS: dict[str, Instrument] = {
    instrument.code: instrument
    for instrument in (
        PAIN_NRS,
        PAIN_VAS,
        PSFS,
        KOOS,
        WOMAC,
        DASH,
        QUICKDASH,
        ODI,
        VISA_A,
        PRTEE,
        FFI,
        SPADI,
    )
}
