"""The demo: two fictional clinics, their staff, and patients at every stage of care.

Every clinical record is written through the same audited services the views call, acting as
the demo staff, so the demo has an audit trail and passes the same validation. Past visits are
recorded as of their own day (`_clock`), so dates, signatures, weights and the audit trail
agree. Dates are relative to today and nothing is random: the same day gives the same demo.
All names, addresses and numbers are made up (phones are in Ofcom's drama ranges).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from unittest import mock

from django.db import transaction
from django.utils import timezone

from prolo.clinic.models import (
    Anaesthetic,
    Antisepsis,
    Clinic,
    CourseStatus,
    CourseType,
    Diabetes,
    Diluent,
    Eligibility,
    Evaluation,
    Guidance,
    InjectionStructure,
    Language,
    Laterality,
    MedicationClass,
    Numbing,
    Patient,
    Pregnancy,
    ProcedureNote,
    Region,
    Role,
    Sex,
    TreatmentCourse,
    TreatmentSession,
    User,
)
from prolo.clinic.models import AllergyCategory as Allergen
from prolo.clinic.permissions import Actor
from prolo.clinic.services.clinics import clinic_create, membership_add, staff_user_create
from prolo.clinic.services.courses import course_plan, course_set_status
from prolo.clinic.services.evaluations import evaluation_record
from prolo.clinic.services.patients import (
    allergy_add,
    condition_add,
    medication_add,
    patient_history_update,
    patient_register,
    weight_record,
)
from prolo.clinic.services.sessions import (
    checklist_save,
    injection_add,
    note_amend,
    note_save,
    note_sign,
)

DEMO_PASSWORD = "prolo-demo-2026"
RIVERSIDE = "Riverside Prolotherapy"
HILLTOP = "Hilltop Pain Clinic"


@dataclass(frozen=True)
class StaffMember:
    username: str
    role: str
    clinic: str
    first_name: str
    last_name: str
    title: str = ""


STAFF = (
    StaffMember("drmorgan", Role.PHYSICIAN, RIVERSIDE, "Eleanor", "Morgan", "Dr"),
    StaffMember("nurse", Role.NURSE, RIVERSIDE, "Grace", "Okonkwo-Bell", "RN"),
    StaffMember("physio", Role.PHYSIOTHERAPIST, RIVERSIDE, "Tomas", "Lindqvist", "PT"),
    StaffMember("reception", Role.RECEPTION, RIVERSIDE, "Kezia", "Hartwell"),
    StaffMember("admin", Role.CLINIC_ADMIN, RIVERSIDE, "Robert", "Vance"),
    StaffMember("drhill", Role.PHYSICIAN, HILLTOP, "Alan", "Hillcrest", "Dr"),
)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, clinic) of every demo login; they all share DEMO_PASSWORD."""
    return [(s.username, Role(s.role).label, s.clinic) for s in STAFF]


# --- Treatment protocols (domain brief §2.2, §2.4, §4) -------------------------------------


@dataclass(frozen=True)
class Shot:
    """One injection of a protocol; the side comes from the course's laterality."""

    site: str
    detail: str
    structure: str
    volume: str
    dextrose: str
    lidocaine: str = "0"
    guidance: str = Guidance.LANDMARK
    gauge: int = 25
    length_mm: int = 38
    diluent: str = Diluent.SALINE


@dataclass(frozen=True)
class Protocol:
    course_type: str
    region: str
    targets: str
    sessions: int
    interval_days: int
    shots: tuple[Shot, ...]
    numbing: str
    observations: tuple[str, ...]  # by session number, repeating
    aftercare: str
    heat_pack_minutes: int = 0


AFTERCARE = (
    "Expect soreness for 2–3 days, sometimes up to a week. Paracetamol if needed; no "
    "anti-inflammatories for a week. Heat rather than ice. Keep moving within comfort. Call "
    "the clinic for fever, spreading redness, or pain that worsens after 3 days."
)
LIDO = Anaesthetic.LIDOCAINE
ENTHESIS, LIGAMENT, TENDON = (
    InjectionStructure.ENTHESIS,
    InjectionStructure.LIGAMENT,
    InjectionStructure.TENDON,
)
US = Guidance.ULTRASOUND


def _ea(site: str, detail: str, structure: str = LIGAMENT) -> Shot:
    return Shot(site, detail, structure, "0.5", "15", "0.5")


KNEE_OA = Protocol(
    CourseType.DEXTROSE,
    Region.KNEE,
    "Knee joint; MCL, coronary ligaments, pes anserine, LCL, patellar tendon insertions",
    3,
    28,
    (
        Shot(
            "knee-ia",
            "superolateral approach",
            InjectionStructure.JOINT,
            "6.0",
            "25",
            "0.5",
            gauge=22,
        ),
        _ea("knee-mcl", "femoral origin"),
        _ea("knee-mcl", "tibial insertion"),
        _ea("knee-pes", "", ENTHESIS),
        _ea("knee-coronary", "medial"),
        _ea("knee-coronary", "lateral"),
        _ea("knee-lcl", "fibular head"),
        _ea("knee-patellar-tendon", "inferior pole of patella", TENDON),
    ),
    Numbing.INFILTRATION,
    (
        "Tolerated well. Brief ache at the medial joint line, settled before leaving.",
        "Tolerated well. Reports walking further since the last session.",
        "Tolerated well. Less tender over the pes anserine than at baseline.",
    ),
    AFTERCARE + " Walking as tolerated; avoid long walks or stairs training for 2 days.",
    heat_pack_minutes=10,
)
LATERAL_ELBOW = Protocol(
    CourseType.DEXTROSE,
    Region.ELBOW,
    "Common extensor origin, annular ligament",
    3,
    28,
    (
        Shot("elbow-common-extensor", "ECRB origin", ENTHESIS, "0.5", "20", "0.5", US, 27, 25),
        Shot("elbow-common-extensor", "EDC origin", ENTHESIS, "0.5", "20", "0.5", US, 27, 25),
        Shot("elbow-annular", "", LIGAMENT, "0.5", "20", "0.5", US, 27, 25),
    ),
    Numbing.TOPICAL,
    (
        "Tolerated well. Grip pain 6/10 before, 2/10 after (anaesthetic effect).",
        "Tolerated well. Hypoechoic area at ECRB origin smaller on ultrasound.",
        "Tolerated well. Lifting a kettle now painless.",
    ),
    AFTERCARE + " Avoid heavy gripping for 2 days, then restart the eccentric wrist exercises.",
)
PLANTAR_FASCIA = Protocol(
    CourseType.DEXTROSE,
    Region.ANKLE_FOOT,
    "Plantar fascia origin",
    2,
    14,
    (
        Shot(
            "foot-plantar-fascia",
            "medial calcaneal tubercle, peppering technique",
            ENTHESIS,
            "2.0",
            "15",
            "1",
            US,
            25,
            38,
        ),
    ),
    Numbing.INFILTRATION,
    (
        "Tolerated well. Fascia 5.8 mm thick at origin on ultrasound.",
        "Tolerated well. First-step pain in the morning much reduced.",
    ),
    AFTERCARE + " Supportive footwear; calf and plantar fascia stretches twice daily.",
)
ACHILLES = Protocol(
    CourseType.DEXTROSE,
    Region.ANKLE_FOOT,
    "Achilles tendon, mid-portion (alongside tendon)",
    4,
    7,
    (
        Shot("ankle-achilles", "medial border", TENDON, "0.5", "20", "1", US, 27, 25),
        Shot("ankle-achilles", "lateral border", TENDON, "0.5", "20", "1", US, 27, 25),
        Shot(
            "ankle-achilles",
            "anterior, Kager's fat pad interface",
            TENDON,
            "0.5",
            "20",
            "1",
            US,
            27,
            25,
        ),
    ),
    Numbing.TOPICAL,
    (
        "Tolerated well. Neovessels on the anterior tendon surface on Doppler.",
        "Tolerated well. Morning stiffness now about 10 minutes.",
        "Tolerated well.",
        "Tolerated well.",
    ),
    AFTERCARE + " Continue the eccentric heel-drop programme from the day after.",
)
SI_LIGAMENTS = Protocol(
    CourseType.DEXTROSE,
    Region.LUMBAR_SI,
    "Posterior sacroiliac and iliolumbar ligaments",
    3,
    14,
    tuple(
        Shot("si-posterior", detail, LIGAMENT, "1.0", "20", "0.5", gauge=22, length_mm=90)
        for detail in ("upper pole", "middle", "lower pole")
    )
    + (
        Shot(
            "lumbar-iliolumbar",
            "iliac crest insertion",
            LIGAMENT,
            "1.0",
            "20",
            "0.5",
            gauge=22,
            length_mm=90,
        ),
    ),
    Numbing.INFILTRATION,
    (
        "Tolerated well. Bone contact at each site before injecting. No leg symptoms.",
        "Tolerated well. Sitting tolerance up from 20 to 45 minutes.",
        "Tolerated well.",
    ),
    AFTERCARE + " Avoid heavy lifting and long drives for 3 days.",
    heat_pack_minutes=15,
)
PIT_KNEE = Protocol(
    CourseType.PERINEURAL,
    Region.KNEE,
    "Infrapatellar branch of saphenous nerve; medial retinacular nerves",
    6,
    7,
    tuple(
        Shot(
            "other",
            detail,
            InjectionStructure.NERVE,
            "0.5",
            "5",
            gauge=27,
            length_mm=13,
            diluent=Diluent.NONE,
        )
        for detail in (
            "Infrapatellar branch of saphenous nerve, medial to patellar tendon (subcutaneous)",
            "Infrapatellar branch of saphenous nerve, inferomedial (subcutaneous)",
            "Medial retinacular nerve, upper point (subcutaneous)",
            "Medial retinacular nerve, lower point (subcutaneous)",
            "Saphenous nerve, medial joint line (subcutaneous)",
            "Saphenous nerve, pes anserine (subcutaneous)",
        )
    ),
    Numbing.NONE,
    (
        "Tolerated well. Tender points mapped and marked; pain 7/10 before, 3/10 after.",
        "Tolerated well. Relief from last session lasted 4 days.",
        "Tolerated well.",
    ),
    "Mild tenderness at the points for a day is common. Paracetamol if needed. Normal "
    "activity. Call the clinic for spreading redness or fever.",
)
ROTATOR_CUFF = Protocol(
    CourseType.DEXTROSE,
    Region.SHOULDER,
    "Supraspinatus and infraspinatus insertions",
    3,
    28,
    (
        Shot("shoulder-supraspinatus", "anterior footprint", ENTHESIS, "0.5", "25", "0.1", US),
        Shot("shoulder-supraspinatus", "posterior footprint", ENTHESIS, "0.5", "25", "0.1", US),
        Shot("shoulder-infraspinatus", "", ENTHESIS, "0.5", "25", "0.1", US),
    ),
    Numbing.TOPICAL,
    ("Tolerated well. Painful arc 70–120° before injection.",),
    AFTERCARE + " Continue the physiotherapy programme; no overhead lifting for 3 days.",
)
GLUTEAL = Protocol(
    CourseType.DEXTROSE,
    Region.HIP,
    "Gluteus medius and minimus insertions, greater trochanter",
    3,
    28,
    tuple(
        Shot("hip-gluteal-tendons", detail, TENDON, "1.0", "20", "0.5", US, 22, 75)
        for detail in (
            "gluteus medius, lateral facet",
            "gluteus medius, superoposterior facet",
            "gluteus minimus, anterior facet",
        )
    ),
    Numbing.INFILTRATION,
    ("Tolerated well.",),
    AFTERCARE + " Avoid lying on the treated side for 2 nights.",
)


# --- Patients ------------------------------------------------------------------------------

ALTERNATIVES = (
    "Exercise and physiotherapy, weight management, paracetamol and topical anti-inflammatories, "
    "bracing or orthoses, corticosteroid or other injections, a surgical opinion, and doing "
    "nothing. Prolotherapy explained as not first-line, with small trials and mixed evidence."
)


@dataclass(frozen=True)
class History:
    weight_kg: str = ""
    conditions: tuple[tuple[str, str], ...] = ()  # name, onset
    medications: tuple[tuple[str, str, str], ...] = ()  # name, dose, class
    allergies: tuple[tuple[str, str, str], ...] = ()  # substance, category, reaction
    diabetes: str = Diabetes.NONE
    pregnant: bool = False


@dataclass(frozen=True)
class Plan:
    """A course and how far it has got.

    `start` is session 1's day relative to today; None puts the first unsigned session today.
    `next_checklist` is how far the next unsigned session's checklist has got:
    "" (not started), "consent", "partial", "complete" or "note" (complete, note drafted).
    """

    protocol: Protocol
    laterality: str
    at: dt.time
    start: int | None = None
    signed: int = 0
    status: str = CourseStatus.ACTIVE
    stop_reason: str = ""
    stopped: int = 0  # day the course stopped, relative to today
    next_checklist: str = ""
    amendment: tuple[str, str] | None = None  # (reason, text) added to session 1's note
    observation: str = ""  # added to every signed note's observations


@dataclass(frozen=True)
class Case:
    mrn: str
    given_name: str
    family_name: str
    born: dt.date
    sex: str
    evaluation: dict[str, Any] = field(default_factory=dict)  # empty: not yet evaluated
    evaluated: int = 0  # day relative to today, when there is no plan
    evaluated_by: str = "physician"
    history: History = History()
    plan: Plan | None = None
    language: str = Language.ENGLISH


def _ev(
    diagnosis: str,
    complaint: str,
    region: str,
    laterality: str,
    structures: list[str],
    months: int,
    pain: int,
    findings: str,
    *,
    eligibility: str = Eligibility.ELIGIBLE,
    reasons: str = "",
    onset: str = "",
    referral: str = "GP",
) -> dict[str, Any]:
    if eligibility == Eligibility.ELIGIBLE and not reasons:
        reasons = (
            "Chronic pain despite at least 3 months of exercise therapy; no contraindication "
            "found. Patient wishes to proceed after discussing risks and alternatives."
        )
    return {
        "working_diagnosis": diagnosis,
        "presenting_complaint": complaint,
        "target_region": region,
        "laterality": laterality,
        "target_structures": structures,
        "pain_duration_months": months,
        "baseline_pain": pain,
        "examination_findings": findings,
        "eligibility": eligibility,
        "eligibility_reasons": reasons,
        "pain_onset": onset,
        "referral_source": referral,
        "alternatives_discussed": ALTERNATIVES if eligibility != Eligibility.PENDING else "",
    }


L, R, B, M = Laterality.LEFT, Laterality.RIGHT, Laterality.BILATERAL, Laterality.MIDLINE
F, MALE = Sex.FEMALE, Sex.MALE
NSAID, ANTICOAG, OTHER = (
    MedicationClass.NSAID,
    MedicationClass.ANTICOAGULANT,
    MedicationClass.OTHER,
)
IBUPROFEN = ("Ibuprofen", "400 mg up to three times daily as needed", NSAID)
KNEE_FINDINGS = "Crepitus, medial joint line and pes anserine tenderness, no effusion."


def _knee_oa(laterality: str, months: int, pain: int, **kwargs: Any) -> dict[str, Any]:
    return _ev(
        "Knee osteoarthritis (Kellgren–Lawrence 2–3)",
        "Knee pain on stairs and after walking.",
        Region.KNEE,
        laterality,
        ["joint", "ligament", "enthesis"],
        months,
        pain,
        KNEE_FINDINGS,
        **kwargs,
    )


def _elbow(laterality: str) -> dict[str, Any]:
    return _ev(
        "Lateral epicondylosis",
        "Pain at the outer elbow when gripping and lifting.",
        Region.ELBOW,
        laterality,
        ["tendon", "enthesis"],
        14,
        6,
        "Tender lateral epicondyle; pain on resisted wrist and middle-finger extension.",
        onset="gradual, after a house move",
    )


RIVERSIDE_CASES: tuple[Case, ...] = (
    # Active courses, next session today.
    Case(
        "RV-1001",
        "Margaret",
        "Ellery",
        dt.date(1954, 3, 12),
        F,
        _knee_oa(R, 60, 7),
        history=History(
            "68.4",
            (("Atrial fibrillation", "2019"), ("Hypertension", "2010")),
            (("Apixaban", "5 mg twice daily", ANTICOAG), ("Ramipril", "5 mg daily", OTHER)),
        ),
        plan=Plan(
            KNEE_OA,
            R,
            dt.time(9, 0),
            signed=2,
            next_checklist="note",
            observation="On apixaban (not held, agreed with her cardiologist): firm "
            "pressure for 2 minutes at each site; no bleeding.",
        ),
    ),
    Case(
        "RV-1002",
        "Daniel",
        "Okafor",
        dt.date(1979, 8, 2),
        MALE,
        _elbow(R),
        history=History("88.0", allergies=(("Latex", Allergen.LATEX, "Contact dermatitis"),)),
        plan=Plan(
            LATERAL_ELBOW,
            R,
            dt.time(11, 15),
            signed=1,
            next_checklist="complete",
            observation="Latex allergy: latex-free gloves and tray used.",
        ),
    ),
    Case(
        "RV-1003",
        "Harriet",
        "Quill",
        dt.date(1967, 11, 23),
        F,
        _ev(
            "Medial knee pain with cutaneous nerve sensitisation",
            "Burning pain over the inner knee, worse at night.",
            Region.KNEE,
            L,
            ["ligament"],
            30,
            6,
            "Tender points along the infrapatellar branch of the "
            "saphenous nerve; normal knee examination otherwise.",
            reasons="Neuropathic-type medial knee pain; lidocaine allergy, so perineural 5% "
            "dextrose without anaesthetic suits her.",
        ),
        history=History(
            "74.5",
            allergies=(
                (
                    "Lidocaine",
                    Allergen.LOCAL_ANAESTHETIC,
                    "Urticaria and wheeze after a dental block, 2015",
                ),
            ),
        ),
        plan=Plan(PIT_KNEE, L, dt.time(14, 0), signed=2),
    ),
    Case(
        "RV-1004",
        "Kenji",
        "Sato",
        dt.date(1973, 5, 30),
        MALE,
        _ev(
            "Sacroiliac joint dysfunction (posterior ligaments)",
            "Right buttock pain on sitting and turning in bed.",
            Region.LUMBAR_SI,
            R,
            ["ligament"],
            26,
            6,
            "Positive thigh thrust and compression tests on the right; "
            "tender long dorsal ligament; neurology normal.",
            onset="lifting at work, 2023",
        ),
        history=History(
            "81.2",
            (("Type 2 diabetes", "2016"),),
            (("Metformin", "1 g twice daily", OTHER),),
            diabetes=Diabetes.CONTROLLED,
        ),
        plan=Plan(
            SI_LIGAMENTS,
            R,
            dt.time(16, 45),
            signed=1,
            observation="Capillary glucose 7.4 mmol/L before.",
        ),
    ),
    # Active courses, next session later.
    Case(
        "RV-1005",
        "Priya",
        "Raman",
        dt.date(1986, 1, 17),
        F,
        _ev(
            "Mid-portion Achilles tendinopathy",
            "Pain in the back of the heel when running.",
            Region.ANKLE_FOOT,
            L,
            ["tendon"],
            11,
            5,
            "Fusiform thickening 4 cm above the insertion; painful single-leg heel raise.",
            referral="Sports physiotherapist",
        ),
        history=History("61.0", medications=(IBUPROFEN,)),
        plan=Plan(ACHILLES, L, dt.time(8, 30), start=-11, signed=2),
    ),
    Case(
        "RV-1006",
        "Inés",
        "Ramírez Núñez",
        dt.date(1962, 9, 8),
        F,
        _knee_oa(B, 84, 8),
        language=Language.SPANISH,
        history=History(
            "77.9", (("Hypertension", "2015"),), (("Amlodipine", "5 mg daily", OTHER),)
        ),
        plan=Plan(
            KNEE_OA,
            B,
            dt.time(10, 0),
            start=-14,
            signed=1,
            observation="Consent and aftercare in Spanish through a professional "
            "interpreter; written aftercare given in Spanish.",
            amendment=(
                "Wrong dextrose lot recorded",
                "The intra-articular 25% syringes were drawn from D50 lot "
                "DX-B2214, not the lot recorded. Checked against the "
                "compounding log.",
            ),
        ),
    ),
    # Planned, consented, not started.
    Case(
        "RV-1007",
        "Yusuf",
        "Demir",
        dt.date(1974, 4, 4),
        MALE,
        _knee_oa(L, 36, 6),
        history=History("95.6"),
        plan=Plan(
            KNEE_OA, L, dt.time(10, 30), status=CourseStatus.PLANNED, next_checklist="partial"
        ),
    ),
    Case(
        "RV-1008",
        "Eilidh",
        "MacRae",
        dt.date(1983, 12, 1),
        F,
        _ev(
            "Plantar fasciopathy",
            "Heel pain with the first steps in the morning.",
            Region.ANKLE_FOOT,
            L,
            ["enthesis"],
            9,
            7,
            "Tender medial calcaneal tubercle; fascia 6.1 mm thick on ultrasound.",
        ),
        history=History("70.2", medications=(IBUPROFEN,)),
        plan=Plan(
            PLANTAR_FASCIA,
            L,
            dt.time(15, 30),
            status=CourseStatus.PLANNED,
            next_checklist="consent",
        ),
    ),
    Case(
        "RV-1009",
        "Beatrix",
        "Holloway",
        dt.date(1950, 6, 19),
        F,
        _ev(
            "Greater trochanteric pain syndrome (gluteal tendinopathy)",
            "Outer hip pain lying on the right side at night.",
            Region.HIP,
            R,
            ["tendon"],
            20,
            6,
            "Tender greater trochanter; pain on single-leg stance at 30 seconds.",
        ),
        history=History("63.7", (("Osteoporosis", "2018"),)),
        plan=Plan(
            GLUTEAL,
            R,
            dt.time(13, 30),
            start=6,
            status=CourseStatus.PLANNED,
            next_checklist="consent",
        ),
    ),
    # Completed courses.
    Case(
        "RV-1010",
        "Bernard",
        "Ashdown",
        dt.date(1958, 2, 27),
        MALE,
        _knee_oa(L, 48, 7),
        history=History("92.3", (("Hypertension", "2012"),)),
        plan=Plan(KNEE_OA, L, dt.time(9, 30), start=-140, signed=3, status=CourseStatus.COMPLETED),
    ),
    Case(
        "RV-1011",
        "Aoife",
        "Gallagher",
        dt.date(1981, 10, 5),
        F,
        _ev(
            "Plantar fasciopathy",
            "Heel pain after standing at work.",
            Region.ANKLE_FOOT,
            R,
            ["enthesis"],
            12,
            6,
            "Tender medial calcaneal tubercle; windlass test positive.",
        ),
        history=History("66.8"),
        plan=Plan(
            PLANTAR_FASCIA, R, dt.time(12, 0), start=-63, signed=2, status=CourseStatus.COMPLETED
        ),
    ),
    Case(
        "RV-1012",
        "Samuel",
        "Brightwater",
        dt.date(1970, 7, 14),
        MALE,
        _elbow(L),
        history=History("79.5"),
        plan=Plan(
            LATERAL_ELBOW, L, dt.time(14, 30), start=-119, signed=3, status=CourseStatus.COMPLETED
        ),
    ),
    # Stopped courses.
    Case(
        "RV-1013",
        "Lucy",
        "Thistlewood",
        dt.date(1976, 3, 3),
        F,
        _ev(
            "Rotator cuff tendinopathy",
            "Shoulder pain reaching overhead and at night.",
            Region.SHOULDER,
            R,
            ["tendon", "enthesis"],
            18,
            6,
            "Painful arc; positive Hawkins test; full-strength external rotation.",
        ),
        history=History("58.9"),
        plan=Plan(
            ROTATOR_CUFF,
            R,
            dt.time(11, 0),
            start=-70,
            signed=1,
            status=CourseStatus.STOPPED,
            stopped=-60,
            stop_reason="Severe post-injection flare for 10 days. Patient chose to stop "
            "and asked for an orthopaedic opinion instead.",
        ),
    ),
    Case(
        "RV-1014",
        "Graham",
        "Fennimore",
        dt.date(1952, 1, 9),
        MALE,
        _knee_oa(R, 96, 6),
        history=History("101.4"),
        plan=Plan(
            KNEE_OA,
            R,
            dt.time(15, 0),
            start=-84,
            status=CourseStatus.STOPPED,
            stopped=-95,
            stop_reason="Declined after the consent discussion: worried "
            "about post-injection pain; chose a supervised exercise programme.",
        ),
    ),
    # Evaluated, not eligible.
    Case(
        "RV-1015",
        "Oliver",
        "Penhaligon",
        dt.date(1964, 4, 25),
        MALE,
        _knee_oa(
            R,
            24,
            7,
            eligibility=Eligibility.NOT_ELIGIBLE,
            reasons="Uncontrolled diabetes (HbA1c 86 mmol/mol): injections deferred. "
            "Re-assess once the GP has the HbA1c below 64 mmol/mol.",
        ),
        evaluated=-12,
        history=History(
            "104.8",
            (("Type 2 diabetes", "2011"),),
            (("Metformin", "1 g twice daily", OTHER),),
            diabetes=Diabetes.UNCONTROLLED,
        ),
    ),
    Case(
        "RV-1016",
        "Rosa",
        "Delgado",
        dt.date(1991, 2, 14),
        F,
        _ev(
            "Pelvic girdle pain of pregnancy",
            "Pain over the back of the pelvis when walking.",
            Region.LUMBAR_SI,
            B,
            ["ligament"],
            4,
            6,
            "Tender long dorsal ligaments both sides.",
            eligibility=Eligibility.NOT_ELIGIBLE,
            reasons="Pregnant (24 weeks): elective injections deferred until after delivery. "
            "Pelvic girdle physiotherapy and a support belt arranged.",
        ),
        evaluated=-20,
        history=History("72.0", pregnant=True),
    ),
    Case(
        "RV-1017",
        "Marcus",
        "Abernathy",
        dt.date(1967, 12, 30),
        MALE,
        _ev(
            "Low back pain with red flags",
            "Constant low back pain, worse at night.",
            Region.LUMBAR_SI,
            M,
            ["ligament"],
            3,
            8,
            "Night pain and 6 kg unexplained weight loss in 3 months.",
            eligibility=Eligibility.NOT_ELIGIBLE,
            reasons="Red flags (night pain, weight loss) need investigation first. Urgent "
            "letter to GP for blood tests and MRI; not suitable for prolotherapy now.",
        ),
        evaluated=-33,
        history=History("76.3"),
    ),
    # Evaluated by the physiotherapist, decision pending.
    Case(
        "RV-1018",
        "Chloé",
        "Marchetti",
        dt.date(1996, 5, 11),
        F,
        _ev(
            "Temporomandibular joint dysfunction",
            "Jaw clicking and pain when chewing.",
            Region.TMJ,
            L,
            ["joint"],
            15,
            5,
            "Reciprocal click left TMJ; opening 38 mm.",
            eligibility=Eligibility.PENDING,
            referral="Dentist",
        ),
        evaluated=-2,
        evaluated_by="physio",
        history=History("57.4"),
    ),
    Case(
        "RV-1019",
        "Wei",
        "Lin",
        dt.date(1968, 8, 21),
        MALE,
        _ev(
            "Rotator cuff tendinopathy",
            "Right shoulder pain lifting boxes at work.",
            Region.SHOULDER,
            R,
            ["tendon"],
            8,
            5,
            "Painful arc 80–120°; strength normal.",
            eligibility=Eligibility.PENDING,
        ),
        evaluated=-5,
        evaluated_by="physio",
        history=History("83.0", medications=(IBUPROFEN,)),
    ),
    Case(
        "RV-1020",
        "Nadia",
        "Petrova",
        dt.date(1959, 10, 2),
        F,
        _ev(
            "Thumb base osteoarthritis",
            "Pain at the base of the thumb opening jars.",
            Region.WRIST_HAND,
            R,
            ["joint", "ligament"],
            40,
            6,
            "Positive grind test right thumb CMC joint.",
            eligibility=Eligibility.PENDING,
        ),
        evaluated=-9,
        evaluated_by="physio",
        history=History("69.1", allergies=(("Latex", Allergen.LATEX, "Hives"),)),
    ),
    # Registered, not yet evaluated.
    Case("RV-1021", "Jonah", "Whitlock", dt.date(2001, 9, 9), MALE, evaluated=-1),
)

HILLTOP_CASES: tuple[Case, ...] = (
    Case(
        "HT-0001",
        "Colin",
        "Ferris",
        dt.date(1963, 6, 6),
        MALE,
        _knee_oa(R, 50, 6),
        history=History("86.5"),
        plan=Plan(KNEE_OA, R, dt.time(10, 0), signed=1),
    ),
    Case(
        "HT-0002",
        "Maeve",
        "Donnelly",
        dt.date(1988, 3, 28),
        F,
        _ev(
            "Medial epicondylosis",
            "Inner elbow pain when gripping.",
            Region.ELBOW,
            L,
            ["tendon"],
            7,
            4,
            "Tender common flexor origin.",
            eligibility=Eligibility.PENDING,
        ),
        evaluated=-3,
        history=History("64.0"),
    ),
)


# --- Building it ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Cast:
    """Who does what in a clinic: reception registers, the nurse takes history and checks."""

    physician: Actor
    nurse: Actor
    physio: Actor
    reception: Actor


@contextmanager
def _clock(moment: dt.datetime | None) -> Iterator[None]:
    """Run services as if it were `moment`, so a past visit is dated and audited on its day."""
    if moment is None:
        yield
        return
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def _local(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def _clinic_day(day: dt.date, today: dt.date) -> dt.date:
    """Move a weekend day to the nearest weekday on the same side of today."""
    step = dt.timedelta(days=-1 if day < today else 1)
    while day != today and day.weekday() >= 5:
        day += step
    return day


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _register(cast: Cast, case: Case, number: int, on: dt.date) -> Patient:
    streets = ("Willow Lane", "Ferry Road", "Mill Street", "Orchard Close", "Quayside")
    with _clock(_local(on, dt.time(9, 10))):
        return patient_register(
            actor=cast.reception,
            mrn=case.mrn,
            given_name=case.given_name,
            family_name=case.family_name,
            date_of_birth=case.born,
            sex=case.sex,
            email=f"{_ascii(case.given_name)}.{_ascii(case.family_name).replace(' ', '')}"
            "@example.com",
            phone=f"07700 900{number:03d}",
            address=f"{number + 2} {streets[number % len(streets)]}, Riverside RV1 {number}AB",
            preferred_language=case.language,
        )


def _record_history(cast: Cast, patient: Patient, history: History, on: dt.date) -> None:
    actor = cast.nurse
    if patient.sex == Sex.MALE or patient.age_on(on) >= 55:
        pregnancy = Pregnancy.NOT_APPLICABLE
    else:
        pregnancy = Pregnancy.PREGNANT if history.pregnant else Pregnancy.NOT_PREGNANT
    patient_history_update(
        actor=actor, patient=patient, diabetes=history.diabetes, pregnancy=pregnancy
    )
    for name, onset in history.conditions:
        condition_add(actor=actor, patient=patient, name=name, onset=onset)
    for name, dose, drug_class in history.medications:
        medication_add(actor=actor, patient=patient, name=name, dose=dose, drug_class=drug_class)
    for substance, category, reaction in history.allergies:
        allergy_add(
            actor=actor,
            patient=patient,
            substance=substance,
            category=category,
            reaction=reaction,
        )
    if history.weight_kg:
        weight_record(actor=actor, patient=patient, weight_kg=Decimal(history.weight_kg))


def _takes_nsaids(patient: Patient) -> bool:
    return patient.medications.filter(active=True, drug_class=MedicationClass.NSAID).exists()


def _checklist(cast: Cast, session: TreatmentSession, history: History, state: str) -> None:
    """Fill the checklist as far as `state`; "consent" only ticks consent on file."""
    items: dict[str, Any] = {"consent_on_file": True}
    weight = None
    if state != "consent":
        patient = session.course.patient
        day = timezone.localtime(session.scheduled_at).date()
        if _takes_nsaids(patient):
            items["nsaids_stopped_on"] = day - dt.timedelta(days=7)
        else:
            items["takes_no_nsaids"] = True
        items["identity_confirmed"] = True
        weight = Decimal(history.weight_kg)
    if state in ("complete", "note"):
        items |= {"protein_meal": True, "contraindications_rechecked": True, "site_marked": True}
    checklist_save(actor=cast.nurse, session=session, weight_kg=weight, **items)


def _sides(laterality: str) -> tuple[str, ...]:
    return {"bilateral": ("left", "right"), "midline": ("midline",)}.get(laterality, (laterality,))


def _write_note(cast: Cast, session: TreatmentSession, plan: Plan) -> ProcedureNote:
    protocol = plan.protocol
    observation = protocol.observations[(session.number - 1) % len(protocol.observations)]
    note = note_save(
        actor=cast.physician,
        session=session,
        antisepsis=Antisepsis.CHLORHEXIDINE,
        numbing=protocol.numbing,
        heat_pack_minutes=protocol.heat_pack_minutes,
        observations=f"{observation} {plan.observation}".strip(),
        aftercare_given=protocol.aftercare,
    )
    day = timezone.localtime(session.scheduled_at).date()
    for side in _sides(plan.laterality):
        for shot in protocol.shots:
            injection_add(
                actor=cast.physician,
                note=note,
                site_code=shot.site,
                site_detail=shot.detail,
                side=side,
                structure=shot.structure,
                guidance=shot.guidance,
                needle_gauge=shot.gauge,
                needle_length_mm=shot.length_mm,
                dextrose_percent=Decimal(shot.dextrose),
                anaesthetic=LIDO if shot.lidocaine != "0" else Anaesthetic.NONE,
                anaesthetic_percent=Decimal(shot.lidocaine),
                diluent=shot.diluent,
                lot=f"DX-{day:%y%m}{session.number:02d}",
                volume_ml=Decimal(shot.volume),
            )
    return note


def _perform(cast: Cast, session: TreatmentSession, case: Case, plan: Plan) -> None:
    """A past visit: checklist, note and signature at the session's own time."""
    start = session.scheduled_at
    with _clock(start - dt.timedelta(minutes=10)):
        _checklist(cast, session, case.history, "complete")
    with _clock(start + dt.timedelta(minutes=10)):
        note = _write_note(cast, session, plan)
    with _clock(start + dt.timedelta(minutes=40)):
        note_sign(actor=cast.physician, note=note)
    if session.number == 1 and plan.amendment:
        with _clock(start + dt.timedelta(days=2, hours=1)):
            reason, text = plan.amendment
            note_amend(actor=cast.physician, note=note, reason=reason, text=text)


def _course(
    cast: Cast, patient: Patient, evaluation: Evaluation, case: Case, today: dt.date
) -> None:
    plan = case.plan
    assert plan is not None
    protocol = plan.protocol
    with _clock(_local(evaluation.evaluated_on, dt.time(11, 30))):
        course = course_plan(
            actor=cast.physician,
            patient=patient,
            evaluation=evaluation,
            first_session_time=plan.at,
            practitioner=cast.physician.user,
            room=f"Room {1 + int(patient.mrn[-1]) % 2}",
            course_type=protocol.course_type,
            target_region=protocol.region,
            laterality=plan.laterality,
            targets=protocol.targets,
            planned_sessions=protocol.sessions,
            interval_days=protocol.interval_days,
            start_date=_first_session_day(plan, today),
        )
        sessions = list(course.sessions.select_related("course__patient"))
        if plan.status == CourseStatus.PLANNED and plan.next_checklist:
            _checklist(cast, sessions[0], case.history, "consent")
    for session in sessions[: plan.signed]:
        _perform(cast, session, case, plan)
    _finish(cast, course, sessions, case, plan, today)


def _finish(
    cast: Cast,
    course: TreatmentCourse,
    sessions: list[TreatmentSession],
    case: Case,
    plan: Plan,
    today: dt.date,
) -> None:
    if plan.status == CourseStatus.COMPLETED:
        with _clock(sessions[-1].scheduled_at + dt.timedelta(hours=1)):
            course.refresh_from_db()
            course_set_status(actor=cast.physician, course=course, status=CourseStatus.COMPLETED)
    elif plan.status == CourseStatus.STOPPED:
        with _clock(_local(today + dt.timedelta(days=plan.stopped), dt.time(16, 0))):
            course.refresh_from_db()
            course_set_status(
                actor=cast.physician,
                course=course,
                status=CourseStatus.STOPPED,
                reason=plan.stop_reason,
            )
    elif plan.next_checklist not in ("", "consent"):
        upcoming = sessions[plan.signed]
        _checklist(cast, upcoming, case.history, plan.next_checklist)
        if plan.next_checklist == "note":
            _write_note(cast, upcoming, plan)


def _first_session_day(plan: Plan, today: dt.date) -> dt.date:
    if plan.start is None:
        return today - dt.timedelta(days=plan.signed * plan.protocol.interval_days)
    return _clinic_day(today + dt.timedelta(days=plan.start), today)


def _add_case(cast: Cast, case: Case, number: int, today: dt.date) -> Patient:
    if case.plan:
        evaluated_on = _first_session_day(case.plan, today) - dt.timedelta(days=14)
    else:
        evaluated_on = today + dt.timedelta(days=case.evaluated)
    evaluated_on = _clinic_day(evaluated_on, today)
    patient = _register(cast, case, number, _clinic_day(evaluated_on - dt.timedelta(7), today))
    if not case.evaluation:
        return patient
    with _clock(_local(evaluated_on, dt.time(10, 0))):
        _record_history(cast, patient, case.history, evaluated_on)
        evaluator = cast.physio if case.evaluated_by == "physio" else cast.physician
        evaluation = evaluation_record(
            actor=evaluator, patient=patient, evaluated_on=evaluated_on, **case.evaluation
        )
    if case.plan:
        _course(cast, patient, evaluation, case, today)
    return patient


def _staff(clinic_name: str, clinic: Clinic) -> dict[str, Actor]:
    actors = {}
    for member in STAFF:
        if member.clinic != clinic_name:
            continue
        user: User = staff_user_create(
            username=member.username,
            password=DEMO_PASSWORD,
            first_name=member.first_name,
            last_name=member.last_name,
            title=member.title,
            email=f"{member.username}@{clinic_name.split()[0].lower()}.example",
        )
        membership_add(clinic=clinic, user=user, role=member.role)
        actors[member.role] = Actor(user=user, clinic=clinic, role=member.role)
    return actors


@transaction.atomic
def load_demo() -> list[Clinic]:
    """Create both demo clinics with their staff and patients. Refuses to run twice."""
    today = timezone.localdate()
    riverside = clinic_create(
        name=RIVERSIDE,
        address="Unit 4, Old Tannery Yard, Riverside RV1 2QX",
        phone="020 7946 0123",
    )
    staff = _staff(RIVERSIDE, riverside)
    cast = Cast(
        staff[Role.PHYSICIAN],
        staff[Role.NURSE],
        staff[Role.PHYSIOTHERAPIST],
        staff[Role.RECEPTION],
    )
    for number, case in enumerate(RIVERSIDE_CASES, start=1):
        _add_case(cast, case, number, today)

    hilltop = clinic_create(
        name=HILLTOP, address="2 Beacon Road, Hilltop HT4 7LP", phone="0117 496 0418"
    )
    doctor = _staff(HILLTOP, hilltop)[Role.PHYSICIAN]
    hill_cast = Cast(doctor, doctor, doctor, doctor)
    for number, case in enumerate(HILLTOP_CASES, start=101):
        _add_case(hill_cast, case, number, today)
    return [riverside, hilltop]
