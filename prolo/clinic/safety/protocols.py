"""The library of published prolotherapy protocols a clinic can copy as course templates.

Data only, from the domain notes (§4, with volumes from §2.4). Each protocol keeps its citation,
an evidence note and, listed one by one, the parts nobody could confirm in a primary source;
a value the sources do not give is `None` here (never a guess), so the injection form is left
blank for the physician to fill. Session weeks count from the first session (week 0): a trial's
"weeks 1, 5, 9" are weeks 0, 4, 8 here. docs/protocols.md explains how they are used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

D = Decimal


@dataclass(frozen=True)
class PlannedInjection:
    """One line of a protocol's injection plan: `count` injections of this solution here."""

    site_code: str
    structure: str
    volume_ml: Decimal | None
    dextrose_percent: Decimal | None
    anaesthetic: str
    anaesthetic_percent: Decimal | None
    count: int | None = 1
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        """As stored in ProtocolTemplate.injections: numbers as strings, exact."""
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class LibraryProtocol:
    key: str
    name: str
    condition: str
    course_type: str
    target_region: str
    session_weeks: tuple[int, ...]
    injections: tuple[PlannedInjection, ...]
    citation: str
    evidence: str
    unverified: tuple[str, ...]
    optional_weeks: tuple[int, ...] = ()
    max_session_volume_ml: Decimal | None = None


LIBRARY: tuple[LibraryProtocol, ...] = (
    LibraryProtocol(
        key="knee-oa-rabago-2013",
        name="Knee osteoarthritis (Rabago 2013)",
        condition="Knee osteoarthritis",
        course_type="dextrose",
        target_region="knee",
        session_weeks=(0, 4, 8),
        optional_weeks=(12, 16),
        injections=(
            PlannedInjection(
                "knee-ia",
                "joint",
                D("6"),
                D("25"),
                "lidocaine",
                None,
                note="Into the joint: on top of the 22.5 mL maximum, which is extra-articular",
            ),
            *(
                PlannedInjection(
                    code,
                    structure,
                    D("0.5"),
                    D("15"),
                    "lidocaine",
                    None,
                    count=None,
                    note="0.5 mL at each tender insertion; extra-articular, up to 22.5 mL in all",
                )
                for code, structure in (
                    ("knee-mcl", "ligament"),
                    ("knee-lcl", "ligament"),
                    ("knee-coronary", "ligament"),
                    ("knee-pes", "enthesis"),
                    ("knee-patellar-tendon", "tendon"),
                    ("knee-quadriceps-tendon", "enthesis"),
                )
            ),
        ),
        max_session_volume_ml=D("22.5"),
        citation=(
            "Rabago D et al. Dextrose prolotherapy for knee osteoarthritis: a randomized "
            "controlled trial. Ann Fam Med 2013;11(3):229–237 [R29][R57]."
        ),
        evidence=(
            "RCT against saline injections and at-home exercise: WOMAC improved 15.3 points "
            "at 52 weeks with dextrose vs 7.6 with saline [R29]. Reviews judge dextrose "
            "prolotherapy efficacious for knee osteoarthritis [R2]. Sessions at trial weeks "
            "1, 5 and 9, with optional sessions at weeks 13 and 17. The 22.5 mL maximum is "
            "for the extra-articular injections; the 6 mL joint injection is in addition."
        ),
        unverified=(
            "The anaesthetic in the trial's solutions and its strength are not in the "
            "retrieved sources: enter your clinic's recipe.",
            "The extra-articular sites listed are the common knee insertions, not a list "
            "from the paper: the trial injected tender insertions, 0.5 mL each, up to "
            "22.5 mL.",
        ),
    ),
    LibraryProtocol(
        key="knee-oa-dumais-2012",
        name="Knee osteoarthritis (Dumais 2012)",
        condition="Knee osteoarthritis",
        course_type="dextrose",
        target_region="knee",
        session_weeks=(0, 4, 8, 12),
        injections=(
            PlannedInjection("knee-ia", "joint", D("5"), D("20"), "lidocaine", D("0.5")),
            PlannedInjection(
                "knee-mcl",
                "ligament",
                D("1"),
                D("15"),
                "lidocaine",
                D("0.6"),
                count=4,
                note="8 collateral-ligament sites in all",
            ),
            PlannedInjection(
                "knee-lcl",
                "ligament",
                D("1"),
                D("15"),
                "lidocaine",
                D("0.6"),
                count=4,
                note="8 collateral-ligament sites in all",
            ),
        ),
        max_session_volume_ml=D("13"),
        citation="Dumais R et al. Pain Med 2012;13(8):990–999 [R33][R59].",
        evidence=(
            "Crossover RCT; WOMAC 0–96. Exercise was co-prescribed [R33]. The session "
            "maximum of 13 mL is derived: 5 mL into the joint plus 8 × 1 mL."
        ),
        unverified=(
            "How the 8 collateral-ligament sites were split between the medial and lateral "
            "ligaments (shown here as 4 and 4).",
        ),
    ),
    LibraryProtocol(
        key="lateral-epicondylosis-scarpone-2008",
        name="Lateral epicondylosis (Scarpone 2008)",
        condition="Lateral epicondylosis (tennis elbow)",
        course_type="dextrose",
        target_region="elbow",
        session_weeks=(0, 4, 8),
        injections=(
            PlannedInjection(
                "elbow-common-extensor",
                "enthesis",
                D("0.5"),
                None,
                "lidocaine",
                None,
                count=3,
                note="3 sites around the lateral epicondyle",
            ),
        ),
        max_session_volume_ml=D("1.5"),
        citation="Scarpone M et al. Clin J Sport Med 2008;18:248–254 [R11].",
        evidence=(
            "Small RCT: resting pain 0–10 and grip strength improved; no adverse events "
            "[R11]. A later trial found dextrose alone and dextrose with morrhuate similar "
            "[R12]. Moderate-quality RCT evidence [R2]. The 1.5 mL session total is derived "
            "(3 × 0.5 mL)."
        ),
        unverified=(
            "The trial solution mixed dextrose, sodium morrhuate (fish-derived, high-risk), "
            "lidocaine and bupivacaine; the final strengths are not in the retrieved "
            "sources, so dextrose and anaesthetic strengths are left for your recipe.",
        ),
    ),
    LibraryProtocol(
        key="osgood-schlatter-topol-2011",
        name="Osgood–Schlatter disease (Topol 2011)",
        condition="Osgood–Schlatter disease (adolescents)",
        course_type="dextrose",
        target_region="knee",
        session_weeks=(0, 4, 8),
        injections=(
            PlannedInjection(
                "knee-tibial-tuberosity",
                "enthesis",
                None,
                D("12.5"),
                "lidocaine",
                D("1"),
                count=None,
                note="27 G needle; tender points at the tibial tuberosity and patellar tendon",
            ),
        ),
        citation="Topol GA et al. Pediatrics 2011;128(5):e1121–8 [R65].",
        evidence=(
            "RCT in adolescents aged 9–17: asymptomatic sport at 3 months 14/21 vs 5/22 "
            "(lidocaine) vs 3/22 (usual care) [R65]; monthly × 3, then as needed. A later "
            "trial found no difference from placebo [R66]. Treating under-18s needs the "
            "clinician's explicit sign-off [R109]."
        ),
        unverified=(
            "Volume per injection not in the retrieved sources.",
            "'12.5% dextrose in 1% lidocaine': made from D50, the lidocaine in the final mix "
            "is about 0.75%, not 1%; check against your recipe.",
        ),
    ),
    LibraryProtocol(
        key="plantar-fasciitis-kim-2014",
        name="Plantar fasciitis (Kim & Lee 2014)",
        condition="Chronic plantar fasciitis",
        course_type="dextrose",
        target_region="ankle_foot",
        session_weeks=(0, 2),
        injections=(
            PlannedInjection(
                "foot-plantar-fascia",
                "enthesis",
                D("2"),
                D("15"),
                "lidocaine",
                None,
                note="Ultrasound-guided 'peppering'",
            ),
        ),
        max_session_volume_ml=D("2"),
        citation="Kim E, Lee JH. PM&R 2014 [R40].",
        evidence="RCT against PRP; Foot Function Index. Moderate-quality evidence [R2].",
        unverified=("The anaesthetic strength is not in the retrieved sources.",),
    ),
    LibraryProtocol(
        key="plantar-fasciitis-altas",
        name="Plantar fasciitis (Altas)",
        condition="Plantar fasciitis",
        course_type="dextrose",
        target_region="ankle_foot",
        session_weeks=(0, 3, 6),
        injections=(
            PlannedInjection("foot-plantar-fascia", "enthesis", D("3"), D("15"), "lidocaine", None),
        ),
        max_session_volume_ml=D("3"),
        citation="Altas EU, Askin A, Tosun A. Is hypertonic dextrose injection effective in "
        "plantar fasciitis? [R41]",
        evidence="Against saline; VAS, FFI, AOFAS and Roles–Maudsley scores [R41].",
        unverified=(
            "The journal and year of the paper.",
            "Whether an anaesthetic was added, and its strength.",
        ),
    ),
    LibraryProtocol(
        key="rotator-cuff-bertrand-2016",
        name="Rotator cuff tendinopathy (Bertrand 2016)",
        condition="Rotator cuff tendinopathy",
        course_type="dextrose",
        target_region="shoulder",
        session_weeks=(0, 4, 8),
        injections=(
            PlannedInjection(
                "shoulder-supraspinatus",
                "enthesis",
                None,
                D("25"),
                "lidocaine",
                D("0.1"),
                count=None,
                note="Painful entheses",
            ),
            PlannedInjection(
                "shoulder-infraspinatus",
                "enthesis",
                None,
                D("25"),
                "lidocaine",
                D("0.1"),
                count=None,
                note="Painful entheses",
            ),
        ),
        citation="Bertrand H et al. Arch Phys Med Rehabil 2016;97(1):17–25 [R64].",
        evidence=(
            "RCT with programmed physiotherapy in every arm: VAS responders 59% vs 37% vs "
            "27% at 9 months [R64]. Plan the physiotherapy alongside."
        ),
        unverified=(
            "The 25% dextrose strength (commonly cited, not confirmed in the paper).",
            "Volume per site and which entheses.",
        ),
    ),
    LibraryProtocol(
        key="sacroiliac-kim-2010",
        name="Sacroiliac joint pain (Kim 2010)",
        condition="Sacroiliac joint pain",
        course_type="dextrose",
        target_region="lumbar_si",
        session_weeks=(0, 2, 4),
        injections=(
            PlannedInjection(
                "si-ia",
                "joint",
                None,
                D("25"),
                "lidocaine",
                None,
                note="Fluoroscopic guidance; stop once relief reaches 50%",
            ),
        ),
        citation="Kim WM et al. J Altern Complement Med 2010;16(12):1285–90 [R63].",
        evidence=(
            "RCT against steroid injections: more patients kept at least 50% relief at 15 "
            "months [R63]. Every two weeks, at most 3 injections."
        ),
        unverified=(
            "Injection volume, and the anaesthetic and its strength.",
            "The steroid arm's 15-month figure (about 10%).",
        ),
    ),
    LibraryProtocol(
        key="achilles-yelland-2011",
        name="Achilles tendinopathy (Yelland 2011)",
        condition="Mid-portion Achilles tendinopathy",
        course_type="dextrose",
        target_region="ankle_foot",
        session_weeks=(0, 1, 2, 3),
        optional_weeks=(4, 5, 6, 7, 8, 9, 10, 11),
        injections=(
            PlannedInjection(
                "ankle-achilles",
                "tendon",
                None,
                D("20"),
                "lidocaine",
                None,
                count=None,
                note="Alongside the affected tendon",
            ),
        ),
        citation="Yelland MJ et al. Br J Sports Med 2011;45(5):421–428 [R60].",
        evidence=(
            "RCT of eccentric loading, injections, or both over 12 weeks: VISA-A gains 23.7, "
            "27.5 and 41.1 at 12 months [R60]. Combine with eccentric loading exercises."
        ),
        unverified=(
            "The 20% strength (commonly quoted).",
            "Weekly injections and how many: a secondary summary only [R61].",
            "Volume, and the anaesthetic strength.",
        ),
    ),
    LibraryProtocol(
        key="tmj-louw-2019",
        name="Temporomandibular dysfunction (Louw 2019)",
        condition="Temporomandibular joint dysfunction",
        course_type="dextrose",
        target_region="tmj",
        session_weeks=(0, 4, 8),
        injections=(
            PlannedInjection("tmj", "joint", None, D("20"), "lidocaine", D("0.2"), count=None),
        ),
        citation="Louw WF et al. Mayo Clin Proc 2019;94(5):820–832 [R67].",
        evidence=(
            "RCT against lidocaine alone; jaw pain and dysfunction 0–10 and mouth opening "
            "[R67]. Monthly × 3, then as needed up to a year."
        ),
        unverified=(
            "Volume per joint: 3–5 mL comes from other TMJ trials [R37][R38], not this one.",
        ),
    ),
    LibraryProtocol(
        key="perineural-weekly",
        name="Perineural 5% dextrose, weekly",
        condition="Pain along superficial nerves (perineural injection therapy)",
        course_type="perineural",
        target_region="other",
        session_weeks=(0, 1, 2, 3),
        optional_weeks=(4, 5, 6, 7),
        injections=(
            PlannedInjection(
                "other",
                "nerve",
                None,
                D("5"),
                "none",
                D("0"),
                count=None,
                note="0.2–1 mL per point, under the skin along the painful nerve",
            ),
        ),
        citation="Clinic and practitioner sources on perineural injection therapy [R14][R15].",
        evidence=(
            "Low-quality sources only: weekly, 4–8 sessions [R15][R19]. 5% dextrose is "
            "nearly isotonic, so this is not a proliferant treatment [R16][R18]. Payers "
            "consider it experimental [R21]."
        ),
        unverified=(
            "Session count and interval (clinic sources only).",
            "Buffering of the solution.",
            "Volume per point, from 0.2 to 1 mL: set it at each point.",
        ),
    ),
)

LIBRARY_BY_KEY: dict[str, LibraryProtocol] = {p.key: p for p in LIBRARY}


def template_fields(protocol: LibraryProtocol) -> dict[str, Any]:
    """The fields of a clinic's ProtocolTemplate copied from a library protocol."""
    return {
        "key": protocol.key,
        "name": protocol.name,
        "condition": protocol.condition,
        "course_type": protocol.course_type,
        "target_region": protocol.target_region,
        "session_weeks": list(protocol.session_weeks),
        "optional_weeks": list(protocol.optional_weeks),
        "injections": [i.as_json() for i in protocol.injections],
        "max_session_volume_ml": protocol.max_session_volume_ml,
        "citation": protocol.citation,
        "evidence": protocol.evidence,
        "unverified": "\n".join(protocol.unverified),
    }


PREFILLED = (
    "site_code",
    "structure",
    "volume_ml",
    "dextrose_percent",
    "anaesthetic",
    "anaesthetic_percent",
)


def next_planned(
    planned: Iterable[Mapping[str, Any]], recorded_sites: Iterable[str]
) -> Mapping[str, Any] | None:
    """The first planned injection not yet recorded, matching recorded injections by site.

    A line planned `count` times is done once that many injections at its site are recorded;
    a line without a count ("as needed") is done after one.
    """
    left = Counter(recorded_sites)
    for line in planned:
        wanted = line.get("count") or 1
        site = line.get("site_code", "")
        used = min(left[site], wanted)
        left[site] -= used
        if used < wanted:
            return line
    return None


def injection_initial(line: Mapping[str, Any]) -> dict[str, Any]:
    """Injection-form initial values from a planned line; unknown values are left blank."""
    return {name: line.get(name) for name in PREFILLED}
