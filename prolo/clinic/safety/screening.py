"""Contraindication screening: the rules as data, and one pure function that applies them.

`screen(context)` takes a `ScreeningContext` (facts about the patient, the clinician's answers,
the course type, the planned stocks and sites, today's date and the clinic's thresholds) and
returns the findings, absolute first. Nothing here reads the database: the service in
`services/screening.py` builds the context, records the result and decides what it blocks.

Severity follows the domain notes §7: absolute means do not inject; relative means the
physician decides and records a reason. Each rule carries its source tags; where the notes
mark a point unverified, or where the grouping is ours, the rationale says so. docs/screening.md
shows the table.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from prolo.clinic.models.safety import BACTERIOSTATIC, ESTER_AGENTS, composition_allergens
from prolo.clinic.models.sessions import Anaesthetic, Diluent
from prolo.clinic.safety.compounding import num
from prolo.clinic.sites import SITES_BY_CODE

ADULT_AGE = 18
UNCODED_SITE = "other"  # sites.py: "Other site (describe)"


class Severity(StrEnum):
    ABSOLUTE = "absolute"
    RELATIVE = "relative"


# Allergy categories of the chart (AllergyCategory) → the allergens a stock can carry (Allergen).
# Latex and antiseptics are not in any solution: they are the cautions below, not blocks.
CATEGORY_ALLERGENS: dict[str, frozenset[str]] = {
    "corn_dextrose": frozenset({"corn"}),
    "fish_morrhuate": frozenset({"fish"}),
    # The category does not say which class: an allergy to "local anaesthetic" flags both.
    "local_anaesthetic": frozenset({"amide_anaesthetic", "ester_anaesthetic"}),
    "preservative": frozenset({"paraben", "sulfite", "benzyl_alcohol"}),
}
ALLERGEN_LABELS = {
    "corn": "corn (dextrose is made from corn)",
    "fish": "fish (morrhuate is made from cod-liver oil)",
    "amide_anaesthetic": "an amide local anaesthetic",
    "ester_anaesthetic": "an ester local anaesthetic",
    "paraben": "a paraben preservative",
    "sulfite": "a sulfite (metabisulfite) preservative",
    "benzyl_alcohol": "benzyl alcohol preservative",
}
BLEEDING_MEDICATIONS = frozenset({"anticoagulant", "antiplatelet"})
# The diluents that carry benzyl alcohol: never at spinal, epidural or caudal sites [R26][R27].
# The one definition of which diluents carry benzyl alcohol lives with the stock model.
BENZYL_ALCOHOL_DILUENTS = BACTERIOSTATIC
LOCAL_ANAESTHETICS = frozenset(a.value for a in Anaesthetic if a != Anaesthetic.NONE)

# An allergy filed under "Other" is screened for the allergens its text names (case-insensitive,
# whole words). The anaesthetic classes are kept apart: cross-reactions run within a class
# (the esters share para-aminobenzoic acid, PABA), so "benzocaine" rules out procaine and an
# amide's name rules out the amides. Lignocaine is lidocaine's older British name; Novocain is
# procaine.
_AMIDE_WORDS = frozenset(
    {*(LOCAL_ANAESTHETICS - ESTER_AGENTS), "lignocaine", "prilocaine", "articaine", "amide"}
)
_ESTER_WORDS = frozenset(
    {
        *ESTER_AGENTS,
        "novocaine",
        "novocain",
        "benzocaine",
        "tetracaine",
        "amethocaine",
        "chloroprocaine",
        "paba",
        "ester",
    }
)
OTHER_ALLERGY_WORDS: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (frozenset({"dextrose", "corn", "maize"}), CATEGORY_ALLERGENS["corn_dextrose"]),
    (_AMIDE_WORDS, frozenset({"amide_anaesthetic"})),
    (_ESTER_WORDS, frozenset({"ester_anaesthetic"})),
)
_STOP_WORDS = frozenset({"a", "an", "and", "for", "in", "no", "of", "the", "to", "with"})


@dataclass(frozen=True)
class PatientFacts:
    date_of_birth: dt.date
    pregnancy: str = "unknown"
    diabetes: str = "unknown"
    immunosuppressed: bool = False
    bleeding_disorder: bool = False

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class Medicine:
    name: str
    drug_class: str


@dataclass(frozen=True)
class AllergyFact:
    substance: str
    category: str
    category_label: str = ""


@dataclass(frozen=True)
class StockFacts:
    """A stock the course plans to inject (or an ingredient the course type implies)."""

    name: str
    allergens: frozenset[str] = frozenset()
    high_risk: bool = False

    @property
    def benzyl_alcohol(self) -> bool:
        return "benzyl_alcohol" in self.allergens


@dataclass(frozen=True)
class Answers:
    """What the clinician asks on the day; nothing else in the record holds these."""

    local_infection: bool = False
    systemic_infection: bool = False
    inflammatory_flare: bool = False
    site_steroid_on: dt.date | None = None
    haemoglobin: Decimal | None = None  # g/dL, PRP courses
    platelets: int | None = None  # ×10³/µL, PRP courses
    platelet_disorder: bool = False  # PRP courses


@dataclass(frozen=True)
class Thresholds:
    """The clinic's configurable limits (ClinicSettings); defaults are the model's."""

    recent_steroid_weeks: int = 4
    prp_min_haemoglobin: Decimal = Decimal("10.0")
    prp_min_platelets: int = 100


@dataclass(frozen=True)
class NsaidHold:
    """What a session's checklist says about anti-inflammatories, against the session's day."""

    session_day: dt.date
    stopped_on: dt.date | None = None
    takes_none: bool = False
    stop_days: int = 3  # the clinic's setting (ClinicSettings.nsaid_stop_days_before)


@dataclass(frozen=True)
class ScreeningContext:
    today: dt.date
    patient: PatientFacts
    course_type: str
    answers: Answers = Answers()
    medications: tuple[Medicine, ...] = ()
    allergies: tuple[AllergyFact, ...] = ()
    stocks: tuple[StockFacts, ...] = ()
    site_codes: frozenset[str] = frozenset()
    # Sites where an injection already recorded carried benzyl alcohol.
    benzyl_alcohol_sites: frozenset[str] = frozenset()
    thresholds: Thresholds = field(default_factory=Thresholds)
    # Only at a session's checklist and signing; a course being planned has no session day.
    nsaid_hold: NsaidHold | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    text: str
    detail: str
    sources: tuple[str, ...]

    @property
    def absolute(self) -> bool:
        return self.severity == Severity.ABSOLUTE

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "text": self.text,
            "detail": self.detail,
            "source": " ".join(f"[{tag}]" for tag in self.sources),
        }


Check = Callable[[ScreeningContext], list[str]]


@dataclass(frozen=True)
class Rule:
    """One contraindication. `check` returns a detail per match; none means it does not apply."""

    id: str
    text: str
    severity: Severity
    rationale: str
    sources: tuple[str, ...]
    check: Check

    def findings(self, context: ScreeningContext) -> list[Finding]:
        return [
            Finding(self.id, self.severity, self.text, detail, self.sources)
            for detail in self.check(context)
        ]


def _if(condition: bool, detail: str) -> list[str]:
    return [detail] if condition else []


def _words(text: str) -> tuple[str, ...]:
    """The words of `text` that can name a substance: lower case, no numbers or stop words."""
    return tuple(
        w for w in re.findall(r"\w+", text.casefold()) if not w.isdigit() and w not in _STOP_WORDS
    )


def _within(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return n > 0 and any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def _names_stock(substance: str, stock: StockFacts) -> bool:
    """Whether an "Other" allergy's text and a stock's name match, word for word either way."""
    allergy, name = _words(substance), _words(stock.name)
    return _within(name, allergy) or _within(allergy, name)


def _allergens_of(allergy: AllergyFact) -> frozenset[str]:
    """What an allergy rules out; an "Other" one, through the words its text names."""
    if allergy.category != "other":
        return CATEGORY_ALLERGENS.get(allergy.category, frozenset())
    words = set(_words(allergy.substance))
    return frozenset().union(*(found for named, found in OTHER_ALLERGY_WORDS if words & named))


def _stock_allergies(allergies: Iterable[AllergyFact], stock: StockFacts) -> list[str]:
    details = []
    for allergy in allergies:
        recorded = f"{allergy.substance} ({allergy.category_label or allergy.category})"
        shared = sorted(_allergens_of(allergy) & stock.allergens)
        details += [
            f"{recorded}: {stock.name} contains {ALLERGEN_LABELS.get(a, a)}." for a in shared
        ]
        if not shared and allergy.category == "other" and _names_stock(allergy.substance, stock):
            details.append(f"{recorded}: the allergy names {stock.name}.")
    return details


def _ingredient_allergies(c: ScreeningContext) -> list[str]:
    return [detail for stock in c.stocks for detail in _stock_allergies(c.allergies, stock)]


def _allergies_of(c: ScreeningContext, category: str) -> list[str]:
    return [f"Allergy recorded: {a.substance}." for a in c.allergies if a.category == category]


def _bleeding(c: ScreeningContext) -> list[str]:
    details = [
        f"{m.name} ({m.drug_class})." for m in c.medications if m.drug_class in BLEEDING_MEDICATIONS
    ]
    return details + _if(c.patient.bleeding_disorder, "Bleeding disorder on the history.")


def _immunosuppression(c: ScreeningContext) -> list[str]:
    details = _if(c.patient.immunosuppressed, "Immunosuppressed, on the history.")
    return details + [
        f"{m.name} (systemic corticosteroid)."
        for m in c.medications
        if m.drug_class == "systemic_steroid"
    ]


def _recent_steroid(c: ScreeningContext) -> list[str]:
    given = c.answers.site_steroid_on
    weeks = c.thresholds.recent_steroid_weeks
    if given is None or (c.today - given).days > weeks * 7:
        return []
    days = (c.today - given).days
    return [
        f"Steroid injected at the site on {given:%d %b %Y}, {days} days ago; the clinic counts "
        f"{weeks} weeks as recent."
    ]


def _under_18(c: ScreeningContext) -> list[str]:
    age = c.patient.age_on(c.today)
    return _if(age < ADULT_AGE, f"Aged {age} today.")


def _prp(c: ScreeningContext) -> bool:
    return c.course_type == "prp"


def _prp_labs_below(c: ScreeningContext) -> list[str]:
    if not _prp(c):
        return []
    hb, platelets, limits = c.answers.haemoglobin, c.answers.platelets, c.thresholds
    details = _if(
        hb is not None and hb < limits.prp_min_haemoglobin,
        f"Haemoglobin {hb} g/dL is below the clinic's minimum of {limits.prp_min_haemoglobin} g/dL.",
    )
    return details + _if(
        platelets is not None and platelets < limits.prp_min_platelets,
        f"Platelets {platelets} ×10³/µL are below the clinic's minimum of "
        f"{limits.prp_min_platelets} ×10³/µL.",
    )


def _prp_labs_missing(c: ScreeningContext) -> list[str]:
    if not _prp(c):
        return []
    missing = [
        name
        for name, value in (
            ("haemoglobin", c.answers.haemoglobin),
            ("platelets", c.answers.platelets),
        )
        if value is None
    ]
    return _if(bool(missing), f"Not given: {' and '.join(missing)}.")


def _spinal_labels(codes: Iterable[str]) -> list[str]:
    return sorted(
        SITES_BY_CODE[c].label for c in codes if c in SITES_BY_CODE and SITES_BY_CODE[c].spinal
    )


def _benzyl_alcohol_spinal(c: ScreeningContext) -> list[str]:
    details = [
        f"Benzyl alcohol was injected at {label}."
        for label in _spinal_labels(c.benzyl_alcohol_sites)
    ]
    details += _if(
        UNCODED_SITE in c.benzyl_alcohol_sites,
        "Benzyl alcohol was injected at an uncoded site ('Other site'), which may be spinal, "
        "epidural or caudal.",
    )
    return details + _benzyl_alcohol_planned(c.stocks, c.site_codes)


def _benzyl_alcohol_planned(stocks: Iterable[StockFacts], site_codes: Iterable[str]) -> list[str]:
    benzyl = sorted(s.name for s in stocks if s.benzyl_alcohol)
    spinal = _spinal_labels(site_codes)
    return _if(
        bool(benzyl and spinal),
        f"{', '.join(benzyl)} contains benzyl alcohol; the planned sites include "
        f"{', '.join(spinal)}.",
    )


def _days(n: int) -> str:
    return f"{n} day" if abs(n) == 1 else f"{n} days"


def _nsaid_hold(c: ScreeningContext) -> list[str]:
    hold = c.nsaid_hold
    if hold is None:
        return []
    listed = [f"{m.name} (NSAID)" for m in c.medications if m.drug_class == "nsaid"]
    clinic = f"the clinic stops them {_days(hold.stop_days)} before (clinic setting)"
    if hold.stopped_on is not None:
        gap = (hold.session_day - hold.stopped_on).days
        if gap >= hold.stop_days:
            return []
        when = (
            f"{_days(gap)} before the session on {hold.session_day:%d %b %Y}"
            if gap >= 0
            else f"after the session on {hold.session_day:%d %b %Y}"
        )
        return [f"Stopped on {hold.stopped_on:%d %b %Y}, {when}; {clinic}."]
    if not listed:
        return []
    said = "the checklist says the patient takes none" if hold.takes_none else "no stop recorded"
    return [f"On the current medication list: {', '.join(listed)}; {said}; {clinic}."]


def _high_risk(c: ScreeningContext) -> list[str]:
    return [f"{s.name} is flagged high-risk in the catalogue." for s in c.stocks if s.high_risk]


RULES: tuple[Rule, ...] = (
    Rule(
        "local-infection",
        "Active infection at or near the injection site",
        Severity.ABSOLUTE,
        "A needle through infected skin or near an abscess can carry the infection into the "
        "joint or deep tissue. Treat the infection first and screen again.",
        ("R109", "R110", "R105"),
        lambda c: _if(c.answers.local_infection, "Reported at today's screening."),
    ),
    Rule(
        "systemic-infection",
        "Fever or systemic infection",
        Severity.ABSOLUTE,
        "Injecting during a systemic infection risks seeding it into the injected tissue; "
        "wait until it has resolved.",
        ("R109", "R110", "R105"),
        lambda c: _if(c.answers.systemic_infection, "Reported at today's screening."),
    ),
    Rule(
        "ingredient-allergy",
        "Allergy to an ingredient of the planned solutions",
        Severity.ABSOLUTE,
        "A known allergy to a component of the injectate (local anaesthetic, dextrose from "
        "corn, morrhuate from fish, preservatives) rules the solution out. Plan solutions "
        "without that ingredient instead.",
        ("R109", "R17", "R22", "R13"),
        _ingredient_allergies,
    ),
    Rule(
        "benzyl-alcohol-spinal",
        "Benzyl-alcohol preservative at a spinal, epidural or caudal site",
        Severity.ABSOLUTE,
        "Bacteriostatic saline and water contain benzyl alcohol, which their labels forbid "
        "for epidural or spinal use. Use preservative-free diluent at these sites.",
        ("R26", "R27"),
        _benzyl_alcohol_spinal,
    ),
    Rule(
        "prp-platelet-disorder",
        "PRP: platelet dysfunction, critical thrombocytopenia or haemodynamic instability",
        Severity.ABSOLUTE,
        "PRP relies on working platelets; these conditions are absolute contraindications in "
        "the PRP contraindication list.",
        ("R105",),
        lambda c: _if(_prp(c) and c.answers.platelet_disorder, "Reported at today's screening."),
    ),
    Rule(
        "latex-allergy",
        "Latex allergy: use latex-free gloves and equipment",
        Severity.RELATIVE,
        "Latex is not in the solutions, but gloves, tourniquets and vial stoppers may contain "
        "it. Our grouping: the notes list allergy in general (unverified for latex).",
        ("R109",),
        lambda c: _allergies_of(c, "latex"),
    ),
    Rule(
        "antiseptic-allergy",
        "Antiseptic allergy: prepare the skin with another antiseptic",
        Severity.RELATIVE,
        "Chlorhexidine or iodine is not in the solutions but touches the skin at every "
        "injection. Our grouping: the notes list allergy in general (unverified for antiseptics).",
        ("R109",),
        lambda c: _allergies_of(c, "antiseptic"),
    ),
    Rule(
        "other-allergy",
        "Allergy recorded as 'Other': check it against the planned solutions",
        Severity.RELATIVE,
        "Prolo cannot tell what an allergy filed under 'Other' is made of. One whose text names "
        "a planned stock, a local anaesthetic, dextrose or corn is screened as that allergy "
        "(absolute); any other needs a physician to check the solutions' ingredients. Our "
        "grouping: the notes list allergy to any ingredient.",
        ("R109",),
        lambda c: [f"Recorded: {a.substance}." for a in c.allergies if a.category == "other"],
    ),
    Rule(
        "bleeding-risk",
        "Anticoagulant or antiplatelet medication, or a bleeding disorder",
        Severity.RELATIVE,
        "More bruising and haematoma, especially at deep or spinal sites. Some clinics stop "
        "the drug with the prescriber's approval, some change the treatment, some decline.",
        ("R109", "R106"),
        _bleeding,
    ),
    Rule(
        "pregnancy",
        "Pregnancy",
        Severity.RELATIVE,
        "Sources advise caution and no trial data exist; it may change how and when to treat.",
        ("R109", "R99"),
        lambda c: _if(c.patient.pregnancy == "pregnant", "Pregnant, on the history."),
    ),
    Rule(
        "uncontrolled-diabetes",
        "Uncontrolled diabetes",
        Severity.RELATIVE,
        "Trials excluded it; the dextrose load per session is small, but infection and poor "
        "healing are the concern.",
        ("R111", "R28"),
        lambda c: _if(c.patient.diabetes == "uncontrolled", "Uncontrolled, on the history."),
    ),
    Rule(
        "immunosuppression",
        "Immunosuppression or systemic corticosteroids",
        Severity.RELATIVE,
        "Higher infection risk and a blunted healing response (PRP and clinic sources; "
        "unverified for dextrose).",
        ("R105",),
        _immunosuppression,
    ),
    Rule(
        "inflammatory-flare",
        "Acute gout or inflammatory arthritis flare",
        Severity.RELATIVE,
        "An acute crystal or inflammatory flare is a relative contraindication; treat the flare "
        "and consider waiting.",
        ("R109",),
        lambda c: _if(c.answers.inflammatory_flare, "Reported at today's screening."),
    ),
    Rule(
        "recent-site-steroid",
        "Recent steroid injection at the site",
        Severity.RELATIVE,
        "A recent corticosteroid injection blunts the intended healing response; PRP sources "
        "ask for a month. The number of weeks is the clinic's setting.",
        ("R105", "R103"),
        _recent_steroid,
    ),
    Rule(
        "under-18",
        "Under 18: paediatric treatment needs a physician's explicit sign-off",
        Severity.RELATIVE,
        "Osgood–Schlatter trials treated ages 9 to 17, but other sources call prolotherapy "
        "unsafe for children; a guardian consents and a physician signs off.",
        ("R65", "R109"),
        _under_18,
    ),
    Rule(
        "prp-labs",
        "PRP: haemoglobin or platelets below the clinic's minimum",
        Severity.RELATIVE,
        "PRP sources list haemoglobin under 10 g/dL and platelets under 100 ×10³/µL as relative "
        "contraindications; one trial used stricter limits. The minimums are clinic settings.",
        ("R105", "R111"),
        _prp_labs_below,
    ),
    Rule(
        "prp-labs-missing",
        "PRP: no haemoglobin or platelet count given",
        Severity.RELATIVE,
        "Without a recent blood count the PRP thresholds cannot be checked.",
        ("R105",),
        _prp_labs_missing,
    ),
    Rule(
        "nsaid-hold",
        "Anti-inflammatories not stopped for the clinic's hold before the session",
        Severity.RELATIVE,
        "NSAIDs are thought to blunt the healing response the treatment is meant to start; "
        "clinics stop them from 2–3 days to 2 weeks before (domain notes §6), and for PRP "
        "they inhibit platelets. The number of days is the clinic's setting (PRP courses use "
        "the longer PRP setting).",
        ("R98", "R99", "R100", "R101", "R104"),
        _nsaid_hold,
    ),
    Rule(
        "high-risk-stock",
        "A high-risk solution is planned",
        Severity.RELATIVE,
        "Sodium morrhuate is a sclerosant whose label is not FDA-approved and lists "
        "anaphylaxis-type reactions; dextrose is much safer.",
        ("R13", "R4"),
        _high_risk,
    ),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}


def screen(context: ScreeningContext, rules: Iterable[Rule] = RULES) -> list[Finding]:
    """Every finding of `rules` on `context`, absolute ones first, in rule order."""
    findings = [finding for rule in rules for finding in rule.findings(context)]
    return sorted(findings, key=lambda f: not f.absolute)


def stock_findings(
    allergies: Iterable[AllergyFact], stock: StockFacts, site_codes: Iterable[str] = ()
) -> list[Finding]:
    """The findings about one stock as a syringe or injection is recorded: an allergy to it,
    and benzyl alcohol while `site_codes` (the course's planned sites) include a spinal one."""
    allergy, benzyl = RULES_BY_ID["ingredient-allergy"], RULES_BY_ID["benzyl-alcohol-spinal"]
    return [
        Finding(rule.id, rule.severity, rule.text, detail, rule.sources)
        for rule, details in (
            (allergy, _stock_allergies(allergies, stock)),
            (benzyl, _benzyl_alcohol_planned([stock], site_codes)),
        )
        for detail in details
    ]


def _percent(value: Any) -> Decimal:
    """A strength as entered; anything unreadable counts as 0 (the model refuses it later)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)
    return number if number.is_finite() else Decimal(0)


def hand_entered_ingredients(
    *, dextrose_percent: Any, anaesthetic: Any, anaesthetic_percent: Any, diluent: Any
) -> list[tuple[str, StockFacts]]:
    """What an injection entered without a syringe is made of, by the field that says so.

    Dextrose is made from corn, every agent is an amide or (procaine) ester anaesthetic, and
    bacteriostatic diluents carry benzyl alcohol.
    """
    ingredients = []
    dextrose = _percent(dextrose_percent)
    if dextrose > 0:
        name = f"Hand-entered dextrose {num(dextrose)}%"
        ingredients.append(("dextrose_percent", StockFacts(name, _made_of(dextrose=dextrose))))
    if isinstance(anaesthetic, str) and anaesthetic in LOCAL_ANAESTHETICS:
        name = f"Hand-entered {anaesthetic} {num(_percent(anaesthetic_percent))}%"
        ingredients.append(("anaesthetic", StockFacts(name, _made_of(anaesthetic=anaesthetic))))
    if isinstance(diluent, str) and diluent in Diluent.values and diluent != Diluent.NONE:
        label = Diluent(diluent).label
        name = f"Hand-entered {label[:1].lower()}{label[1:]}"
        ingredients.append(("diluent", StockFacts(name, _made_of(diluent=diluent))))
    return ingredients


def _made_of(
    *, dextrose: Decimal = Decimal(0), anaesthetic: str = "none", diluent: str = "none"
) -> frozenset[str]:
    """The allergens of one ingredient, by the same rule the stock catalogue uses."""
    return frozenset(
        composition_allergens(
            dextrose_percent=dextrose, anaesthetic=anaesthetic, epinephrine=False, diluent=diluent
        )
    )
