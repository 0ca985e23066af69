"""The default stock catalogue and anaesthetic limits every new clinic starts from.

Plain data, copied into a clinic's StockProduct and AnaestheticLimit rows by
`services/catalogue.py::clinic_safety_install`; the clinic edits its own copy. Tags such as
[R20] are the references of the domain notes (../shared/domain/prolotherapy.md). A value the
notes do not confirm says "unverified" in its source: a clinician or pharmacist must confirm it
against the product in use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, TypeVar

from prolo.clinic.models.safety import Allergen, StockKind
from prolo.clinic.models.sessions import Anaesthetic, Diluent


class Named(Protocol):
    @property
    def name(self) -> str: ...


S = TypeVar("S", bound=Named)

CORN = Allergen.CORN.value
FISH = Allergen.FISH.value
AMIDE = Allergen.AMIDE_ANAESTHETIC.value
PARABEN = Allergen.PARABEN.value
SULFITE = Allergen.SULFITE.value
BENZYL_ALCOHOL = Allergen.BENZYL_ALCOHOL.value


@dataclass(frozen=True)
class Stock:
    """A stock product; the field names are StockProduct's, so either can be compounded."""

    name: str
    kind: str
    dextrose_percent: Decimal = Decimal(0)
    anaesthetic: str = Anaesthetic.NONE.value
    anaesthetic_percent: Decimal = Decimal(0)
    epinephrine: bool = False
    epinephrine_ratio: int | None = None  # the N of "epinephrine 1:N"
    # Actives other than dextrose and the anaesthetic, as (name, % w/v): phenol, morrhuate …
    actives: tuple[tuple[str, str], ...] = ()
    # For a diluent stock, what an injection from it records as its diluent.
    diluent: str = Diluent.NONE.value
    osmolarity: int = 0
    # Contents whose osmolarity `osmolarity` leaves out (the phenol of a composed stock).
    osmolarity_uncounted: tuple[str, ...] = ()
    allergens: tuple[str, ...] = ()
    high_risk: bool = False
    notes: str = ""
    source: str = ""
    # Other names the command line accepts for it ("D50", "saline").
    aliases: tuple[str, ...] = ()

    @property
    def benzyl_alcohol(self) -> bool:
        return BENZYL_ALCOHOL in self.allergens


def _dextrose(
    name: str,
    percent: str,
    osmolarity: int,
    source: str,
    *,
    notes: str = "",
    aliases: tuple[str, ...] = (),
) -> Stock:
    return Stock(
        name=name,
        kind=StockKind.DEXTROSE.value,
        dextrose_percent=Decimal(percent),
        osmolarity=osmolarity,
        allergens=(CORN,),
        source=source,
        notes=notes,
        aliases=aliases,
    )


def _anaesthetic(
    name: str,
    agent: str,
    percent: str,
    source: str,
    *,
    extra_allergens: tuple[str, ...] = (),
    epinephrine_ratio: int | None = None,
    notes: str = "",
    aliases: tuple[str, ...] = (),
) -> Stock:
    return Stock(
        name=name,
        kind=StockKind.ANAESTHETIC.value,
        anaesthetic=agent,
        anaesthetic_percent=Decimal(percent),
        epinephrine=epinephrine_ratio is not None,
        epinephrine_ratio=epinephrine_ratio,
        allergens=(AMIDE, *extra_allergens),
        source=source,
        notes=notes,
        aliases=aliases,
    )


LIDO = Anaesthetic.LIDOCAINE.value
BUPI = Anaesthetic.BUPIVACAINE.value
ROPI = Anaesthetic.ROPIVACAINE.value
NO_OSMOLARITY = "No label osmolarity in the notes: counted as 0 mOsm/L in estimates."

DEFAULT_STOCKS: tuple[Stock, ...] = (
    _dextrose(
        "Dextrose 50% (D50)",
        "50",
        2525,
        "D50 label: 2.53 mOsm/mL (calc.), single-dose, no preservative [R20]; "
        "dextrose derived from corn [R17]",
        notes="Hypertonic; the usual stock for prolotherapy mixes.",
        aliases=("D50", "dextrose 50%", "dextrose 50", "D50W"),
    ),
    _dextrose(
        "Dextrose 10% (D10W)",
        "10",
        505,
        "505 mOsm/L is the usual D10W label value, not shown in the retrieved label excerpt "
        "[R28]: unverified; dextrose derived from corn [R17]",
        aliases=("D10", "D10W", "dextrose 10%"),
    ),
    _dextrose(
        "Dextrose 5% (D5W)",
        "5",
        252,
        "D5W label: 252 mOsm/L [R16] (253 in [R17]); dextrose derived from corn [R17]",
        notes="Near-isotonic: perineural injection therapy, hydrodissection.",
        aliases=("D5", "D5W", "dextrose 5%"),
    ),
    _anaesthetic(
        "Lidocaine 1% (MPF)",
        LIDO,
        "1",
        "Lidocaine HCl 10 mg/mL; MPF = methylparaben-free single-dose vial [R22]",
        notes=NO_OSMOLARITY,
        aliases=("lidocaine 1%", "lidocaine", "lido 1%", "lignocaine 1%"),
    ),
    _anaesthetic(
        "Lidocaine 2% (MPF)",
        LIDO,
        "2",
        "Lidocaine HCl 20 mg/mL; MPF = methylparaben-free single-dose vial [R22]",
        notes=NO_OSMOLARITY,
        aliases=("lidocaine 2%", "lido 2%", "lignocaine 2%"),
    ),
    _anaesthetic(
        "Lidocaine 1% (multi-dose vial)",
        LIDO,
        "1",
        "Multi-dose vials contain methylparaben [R22]",
        extra_allergens=(PARABEN,),
        notes=NO_OSMOLARITY,
    ),
    _anaesthetic(
        "Lidocaine 1% with epinephrine",
        LIDO,
        "1",
        "Epinephrine-containing forms contain sodium metabisulfite [R22]; the higher "
        "with-epinephrine dose limit applies only to these [R44][R45]",
        epinephrine_ratio=100_000,
        extra_allergens=(SULFITE,),
        notes=NO_OSMOLARITY + " Epinephrine 1:100,000 is the usual strength, not in the domain "
        "notes: unverified, check it against the vial.",
        aliases=("lidocaine 1% with epi", "lido epi"),
    ),
    _anaesthetic(
        "Bupivacaine 0.25%",
        BUPI,
        "0.25",
        "Bupivacaine HCl 2.5 mg/mL (Marcaine label strengths) [R46]",
        notes=NO_OSMOLARITY,
        aliases=("bupivacaine 0.25%", "marcaine 0.25%"),
    ),
    _anaesthetic(
        "Bupivacaine 0.5%",
        BUPI,
        "0.5",
        "Bupivacaine HCl 5 mg/mL (Marcaine label strengths) [R46]",
        notes=NO_OSMOLARITY,
        aliases=("bupivacaine 0.5%", "bupivacaine", "marcaine 0.5%"),
    ),
    _anaesthetic(
        "Ropivacaine 0.2%",
        ROPI,
        "0.2",
        "Ropivacaine HCl 2 mg/mL; dosing from secondary sources only [R48]",
        notes=NO_OSMOLARITY,
        aliases=("ropivacaine 0.2%", "ropivacaine", "naropin 0.2%"),
    ),
    Stock(
        name="0.9% sodium chloride",
        kind=StockKind.DILUENT.value,
        diluent=Diluent.SALINE.value,
        osmolarity=308,
        source="308 mOsm/L is the standard label value of 0.9% sodium chloride; not in the "
        "domain notes: unverified",
        notes="Preservative-free normal saline.",
        aliases=("saline", "0.9% saline", "normal saline", "NS", "sodium chloride 0.9%"),
    ),
    Stock(
        name="Bacteriostatic 0.9% sodium chloride",
        kind=StockKind.DILUENT.value,
        diluent=Diluent.BACTERIOSTATIC_SALINE.value,
        osmolarity=308,
        allergens=(BENZYL_ALCOHOL,),
        source="9 mg/mL NaCl + 0.9% benzyl alcohol; not for neonates; never for epidural or "
        "spinal use [R26][R27]. 308 mOsm/L as for saline: unverified",
        notes="Contains benzyl alcohol: never at spinal, epidural or caudal sites.",
        aliases=("bacteriostatic saline",),
    ),
    Stock(
        name="Bacteriostatic water",
        kind=StockKind.DILUENT.value,
        diluent=Diluent.BACTERIOSTATIC_WATER.value,
        allergens=(BENZYL_ALCOHOL,),
        source="Water + benzyl alcohol; 'must be made approximately isotonic prior to use' [R27]",
        notes="Contains benzyl alcohol: never at spinal, epidural or caudal sites. Hypotonic; "
        "benzyl alcohol's own osmolarity is not counted.",
        aliases=("bacteriostatic water for injection",),
    ),
    Stock(
        name="Sterile water for injection",
        kind=StockKind.DILUENT.value,
        diluent=Diluent.STERILE_WATER.value,
        source="No solute: 0 mOsm/L, hypotonic (domain notes §2.1)",
        notes="Hypotonic; used with D50 when a near-isotonic D5W-strength mix is wanted.",
        aliases=("water", "sterile water", "SWFI"),
    ),
    Stock(
        name="Sodium morrhuate 5%",
        kind=StockKind.SCLEROSANT.value,
        actives=(("sodium morrhuate", "5"),),
        allergens=(FISH,),
        high_risk=True,
        source="Sclerosant; US label 'not found by FDA to be safe and effective'; "
        "hypersensitivity and anaphylaxis-type reactions [R13]",
        notes="High risk, specialist only. Fish allergy is a logical caution, unverified as a "
        "labelled contraindication; availability unverified. " + NO_OSMOLARITY,
        aliases=("morrhuate",),
    ),
    Stock(
        name="Autologous PRP",
        kind=StockKind.BIOLOGIC.value,
        source="Autologous platelet concentrate, an orthobiologic, not prolotherapy [R2]; its "
        "own screening (blood count, platelets) [R105]",
        notes="Prepared from the patient's own blood. " + NO_OSMOLARITY,
        aliases=("PRP", "platelet-rich plasma"),
    ),
)


@dataclass(frozen=True)
class Limit:
    """An anaesthetic's maximum dose; the field names are AnaestheticLimit's.

    `verified` means confirmed against the product label by a clinician of the clinic, which
    no default is: every default is a starting point the clinic must confirm.
    """

    agent: str
    mg_per_kg: Decimal
    cap_mg: int | None
    mg_per_kg_epinephrine: Decimal | None
    cap_mg_epinephrine: int | None
    source: str
    verified: bool = False


DEFAULT_LIMITS: tuple[Limit, ...] = (
    Limit(
        agent=LIDO,
        mg_per_kg=Decimal("4.5"),
        cap_mg=300,
        mg_per_kg_epinephrine=Decimal("7"),
        cap_mg_epinephrine=500,
        source="Xylocaine label [R22][R44] (exact sentence not seen in the retrieved excerpts: "
        "verify on DailyMed); same values in lidocaine labels [R45]: 4.5 mg/kg, 300 mg; with "
        "epinephrine 7 mg/kg, 500 mg",
    ),
    Limit(
        agent=BUPI,
        mg_per_kg=Decimal("2"),
        cap_mg=175,
        mg_per_kg_epinephrine=Decimal("3"),
        cap_mg_epinephrine=225,
        source="Caps: Marcaine label 175 mg plain, 225 mg with epinephrine 1:200,000, 400 mg a "
        "day [R46][R47]. mg/kg (2 plain, 3 with epinephrine; 2-2.5 quoted): secondary "
        "sources only [R48], unverified",
    ),
    Limit(
        agent=ROPI,
        mg_per_kg=Decimal("3"),
        cap_mg=None,
        mg_per_kg_epinephrine=None,
        cap_mg_epinephrine=None,
        source="3 mg/kg from secondary sources only [R48], unverified against the Naropin "
        "label; the notes give no absolute cap and no with-epinephrine value, so no ceiling "
        "until the clinic sets one",
    ),
    # Not in the domain notes: values read from the product labels, unverified by the team.
    Limit(
        agent=Anaesthetic.MEPIVACAINE.value,
        mg_per_kg=Decimal("7"),
        cap_mg=400,
        mg_per_kg_epinephrine=None,
        cap_mg_epinephrine=None,
        source="Carbocaine label (not in the domain notes, unverified): the single adult dose "
        "for normal-sized adults 'should not usually exceed 400 mg'; 7 mg/kg (550 mg) has "
        "been given but is not recommended except in exceptional circumstances; 1,000 mg a "
        "day; no with-epinephrine value",
    ),
    Limit(
        agent=Anaesthetic.PROCAINE.value,
        mg_per_kg=Decimal("7"),
        cap_mg=350,
        mg_per_kg_epinephrine=None,
        cap_mg_epinephrine=None,
        source="Novocain label (not in the domain notes, unverified): for infiltration "
        "'350 mg to 600 mg is generally considered to be a single safe total dose' (the "
        "lower figure is used); the label gives no mg/kg: 7 mg/kg is a secondary-source "
        "figure, unverified; no with-epinephrine value",
    ),
)


def default_stock(name: str) -> Stock | None:
    """The default stock of that exact name (case-insensitive), if any."""
    wanted = name.strip().casefold()
    return next((s for s in DEFAULT_STOCKS if s.name.casefold() == wanted), None)


def find_stock(wanted: str, stocks: Sequence[S]) -> S:
    """The stock `wanted` names: its exact name, a known alias ("D50", "saline"), or the one
    name that contains it. Raises LookupError saying what matched, or what there is."""
    key = wanted.strip().casefold()
    if not key:
        raise LookupError("Name a stock.")
    for rule in (_exact, _alias, _contains):
        found = [s for s in stocks if rule(key, s.name)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = "; ".join(s.name for s in found)
            raise LookupError(f"{wanted!r} could be any of: {names}. Give the full name.")
    names = "; ".join(s.name for s in stocks)
    raise LookupError(f"No stock is called {wanted!r}. The catalogue has: {names}.")


def _exact(key: str, name: str) -> bool:
    return name.casefold() == key


def _alias(key: str, name: str) -> bool:
    default = default_stock(name)
    return default is not None and key in (a.casefold() for a in default.aliases)


def _contains(key: str, name: str) -> bool:
    return key in name.casefold()
