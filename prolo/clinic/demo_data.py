"""What the demo contains: staff, treatment protocols and patients. `demo.py` builds it.

Protocols follow the trial recipes in the domain brief (§2.2, §2.4, §4). Every person is
fictional; phones fall in Ofcom's drama ranges and e-mail addresses use example domains.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from prolo.clinic.models import AllergyCategory as Allergen
from prolo.clinic.models import (
    CourseStatus,
    CourseType,
    Diabetes,
    Diluent,
    Eligibility,
    Guidance,
    InjectionStructure,
    Language,
    Laterality,
    MedicationClass,
    Numbing,
    Region,
    Role,
    Sex,
)

DEMO_PASSWORD = "prolo-demo-2026"
RIVERSIDE = "Riverside Prolotherapy"
HILLTOP = "Hilltop Pain Clinic"
# Patients who have accepted a portal invitation: sign in at /portal/ with their email and
# DEMO_PASSWORD. Priya is between sessions (diary open, next session in days); Inés reads the
# portal in Spanish.
PORTAL_PATIENTS = ("RV-1005", "RV-1006")


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


# --- Treatment protocols -------------------------------------------------------------------


@dataclass(frozen=True)
class Shot:
    """One injection of a protocol. Strengths in %, volume in mL; "0" lidocaine means none."""

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
    observations: tuple[str, ...]  # one per session number, repeating
    aftercare: str
    heat_pack_minutes: int = 0


AFTERCARE = (
    "Expect soreness for 2–3 days, sometimes up to a week. Paracetamol if needed; no "
    "anti-inflammatories for a week. Heat rather than ice. Keep moving within comfort. Call "
    "the clinic for fever, spreading redness, or pain that worsens after 3 days."
)
ENTHESIS = InjectionStructure.ENTHESIS
LIGAMENT = InjectionStructure.LIGAMENT
TENDON = InjectionStructure.TENDON
NERVE = InjectionStructure.NERVE
US = Guidance.ULTRASOUND


def _knee_ea(site: str, detail: str, structure: str = LIGAMENT) -> Shot:
    # Rabago 2013: 0.5 mL of 15% dextrose at each extra-articular insertion.
    return Shot(site, detail, structure, "0.5", "15", "0.5")


def _elbow(detail: str, site: str = "elbow-common-extensor", structure: str = ENTHESIS) -> Shot:
    # Scarpone 2008: 0.5 mL at each of three sites.
    return Shot(site, detail, structure, "0.5", "20", "0.5", US, 27, 25)


def _achilles(detail: str) -> Shot:
    return Shot("ankle-achilles", detail, TENDON, "0.5", "20", "1", US, 27, 25)


def _si(site: str, detail: str) -> Shot:
    return Shot(site, detail, LIGAMENT, "1.0", "20", "0.5", gauge=22, length_mm=90)


def _pit(detail: str) -> Shot:
    # Perineural 5% dextrose: ready-made D5W, no anaesthetic, 0.5 mL per point.
    site = f"{detail} (subcutaneous)"
    return Shot("other", site, NERVE, "0.5", "5", "0", gauge=27, length_mm=13, diluent=Diluent.NONE)


def _cuff(site: str, detail: str) -> Shot:
    # Bertrand 2016: dextrose onto the painful entheses, with 0.1% lidocaine.
    return Shot(site, detail, ENTHESIS, "0.5", "25", "0.1", US)


def _gluteal(detail: str) -> Shot:
    return Shot("hip-gluteal-tendons", detail, TENDON, "1.0", "20", "0.5", US, 22, 75)


KNEE_OA = Protocol(
    CourseType.DEXTROSE,
    Region.KNEE,
    "Knee joint; MCL, coronary ligaments, pes anserine, LCL, patellar tendon insertions",
    3,
    28,
    (
        Shot("knee-ia", "superolateral approach", "joint", "6.0", "25", "0.5", gauge=22),
        _knee_ea("knee-mcl", "femoral origin"),
        _knee_ea("knee-mcl", "tibial insertion"),
        _knee_ea("knee-pes", "", ENTHESIS),
        _knee_ea("knee-coronary", "medial"),
        _knee_ea("knee-coronary", "lateral"),
        _knee_ea("knee-lcl", "fibular head"),
        _knee_ea("knee-patellar-tendon", "inferior pole of patella", TENDON),
    ),
    Numbing.INFILTRATION,
    (
        "Tolerated well. Brief ache at the medial joint line, settled before leaving.",
        "Tolerated well. Reports walking further since the last session.",
        "Tolerated well. Less tender over the pes anserine than at baseline.",
    ),
    f"{AFTERCARE} Walking as tolerated; no long walks or stair training for 2 days.",
    heat_pack_minutes=10,
)
LATERAL_ELBOW = Protocol(
    CourseType.DEXTROSE,
    Region.ELBOW,
    "Common extensor origin, annular ligament",
    3,
    28,
    (_elbow("ECRB origin"), _elbow("EDC origin"), _elbow("", "elbow-annular", LIGAMENT)),
    Numbing.TOPICAL,
    (
        "Tolerated well. Grip pain 6/10 before, 2/10 after (anaesthetic effect).",
        "Tolerated well. Hypoechoic area at the ECRB origin smaller on ultrasound.",
        "Tolerated well. Lifting a full kettle is now painless.",
    ),
    f"{AFTERCARE} No heavy gripping for 2 days, then restart the eccentric wrist exercises.",
)
PLANTAR_FASCIA = Protocol(
    CourseType.DEXTROSE,
    Region.ANKLE_FOOT,
    "Plantar fascia origin",
    2,
    14,
    # Kim & Lee 2014: 2 mL of 15% dextrose, ultrasound-guided peppering, 2 weeks apart.
    (Shot("foot-plantar-fascia", "medial calcaneal tubercle", ENTHESIS, "2.0", "15", "1", US),),
    Numbing.INFILTRATION,
    (
        "Tolerated well. Peppering technique; fascia 5.8 mm thick at its origin on ultrasound.",
        "Tolerated well. First-step pain in the morning much reduced.",
    ),
    f"{AFTERCARE} Supportive footwear; calf and plantar fascia stretches twice daily.",
)
ACHILLES = Protocol(
    CourseType.DEXTROSE,
    Region.ANKLE_FOOT,
    "Achilles tendon, mid-portion (alongside the tendon)",
    4,
    7,
    (_achilles("medial border"), _achilles("lateral border"), _achilles("anterior, Kager's fat")),
    Numbing.TOPICAL,
    (
        "Tolerated well. Neovessels on the anterior tendon surface on Doppler.",
        "Tolerated well. Morning stiffness now about 10 minutes.",
    ),
    f"{AFTERCARE} Continue the eccentric heel-drop programme from the next day.",
)
SI_LIGAMENTS = Protocol(
    CourseType.DEXTROSE,
    Region.LUMBAR_SI,
    "Posterior sacroiliac and iliolumbar ligaments",
    3,
    14,
    (
        _si("si-posterior", "upper pole"),
        _si("si-posterior", "middle"),
        _si("si-posterior", "lower pole"),
        _si("lumbar-iliolumbar", "iliac crest insertion"),
    ),
    Numbing.INFILTRATION,
    (
        "Tolerated well. Bone contact at each site before injecting. No leg symptoms.",
        "Tolerated well. Sitting tolerance up from 20 to 45 minutes.",
    ),
    f"{AFTERCARE} No heavy lifting or long drives for 3 days.",
    heat_pack_minutes=15,
)
PIT_KNEE = Protocol(
    CourseType.PERINEURAL,
    Region.KNEE,
    "Infrapatellar branch of the saphenous nerve; medial retinacular nerves",
    6,
    7,
    (
        _pit("Infrapatellar branch of saphenous nerve, medial to patellar tendon"),
        _pit("Infrapatellar branch of saphenous nerve, inferomedial"),
        _pit("Medial retinacular nerve, upper point"),
        _pit("Medial retinacular nerve, lower point"),
        _pit("Saphenous nerve, medial joint line"),
        _pit("Saphenous nerve, over pes anserine"),
    ),
    Numbing.NONE,
    (
        "Tolerated well. Tender points mapped and marked; pain 7/10 before, 3/10 after.",
        "Tolerated well. Relief from the last session lasted 4 days.",
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
        _cuff("shoulder-supraspinatus", "anterior footprint"),
        _cuff("shoulder-supraspinatus", "posterior footprint"),
        _cuff("shoulder-infraspinatus", ""),
    ),
    Numbing.TOPICAL,
    ("Tolerated well. Painful arc 70–120° before injection.",),
    f"{AFTERCARE} Continue the physiotherapy programme; no overhead lifting for 3 days.",
)
GLUTEAL = Protocol(
    CourseType.DEXTROSE,
    Region.HIP,
    "Gluteus medius and minimus insertions, greater trochanter",
    3,
    28,
    (
        _gluteal("gluteus medius, lateral facet"),
        _gluteal("gluteus medius, superoposterior facet"),
        _gluteal("gluteus minimus, anterior facet"),
    ),
    Numbing.INFILTRATION,
    ("Tolerated well.",),
    f"{AFTERCARE} Avoid lying on the treated side for 2 nights.",
)


# --- Patients ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    mrn: str
    given_name: str
    family_name: str
    born: str  # ISO date
    sex: str
    language: str = Language.ENGLISH


@dataclass(frozen=True)
class Finding:
    """What an evaluation found; shared by patients with the same problem."""

    diagnosis: str
    complaint: str
    region: str
    structures: tuple[str, ...]
    examination: str
    onset: str = ""


@dataclass(frozen=True)
class Seen:
    """An evaluation. `day` (relative to today) is used only when there is no course plan."""

    finding: Finding
    side: str
    months: int
    pain: int
    eligibility: str = Eligibility.ELIGIBLE
    reasons: str = ""
    day: int = 0
    by: str = "physician"
    referral: str = "GP"


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
    `checklist` is how far the next unsigned session's checklist has got: "" (not started),
    "consent", "partial", "complete" or "note" (complete, and the note drafted).
    """

    protocol: Protocol
    at: str  # local time of day, "HH:MM"
    start: int | None = None
    signed: int = 0
    status: str = CourseStatus.ACTIVE
    checklist: str = ""
    observation: str = ""  # added to every signed note of the course
    amendment: tuple[str, str] | None = None  # (reason, correction) added to session 1's note
    stop_reason: str = ""
    stopped: int = 0  # the day it stopped, relative to today

    @property
    def time(self) -> dt.time:
        return dt.time.fromisoformat(self.at)


@dataclass(frozen=True)
class Case:
    person: Person
    seen: Seen | None = None
    history: History = History()
    plan: Plan | None = None
    registered: int = -7  # relative to the evaluation, or to today if not yet evaluated


L, R, B, M = Laterality.LEFT, Laterality.RIGHT, Laterality.BILATERAL, Laterality.MIDLINE
F, MALE = Sex.FEMALE, Sex.MALE
PLANNED, COMPLETED, STOPPED = CourseStatus.PLANNED, CourseStatus.COMPLETED, CourseStatus.STOPPED
PENDING, NOT_ELIGIBLE = Eligibility.PENDING, Eligibility.NOT_ELIGIBLE

AF = ("Atrial fibrillation", "2019")
HYPERTENSION = ("Hypertension", "2012")
TYPE_2_DIABETES = ("Type 2 diabetes", "2014")
OSTEOPOROSIS = ("Osteoporosis", "2018")
APIXABAN = ("Apixaban", "5 mg twice daily", MedicationClass.ANTICOAGULANT)
IBUPROFEN = ("Ibuprofen", "400 mg up to three times daily as needed", MedicationClass.NSAID)
METFORMIN = ("Metformin", "1 g twice daily", MedicationClass.OTHER)
RAMIPRIL = ("Ramipril", "5 mg daily", MedicationClass.OTHER)
AMLODIPINE = ("Amlodipine", "5 mg daily", MedicationClass.OTHER)
LATEX = ("Latex", Allergen.LATEX, "Contact dermatitis")
LIDOCAINE = ("Lidocaine", Allergen.LOCAL_ANAESTHETIC, "Urticaria and wheeze after a dental block")

KNEE_OA_F = Finding(
    "Knee osteoarthritis (Kellgren–Lawrence 2–3)",
    "Knee pain on stairs and after walking.",
    Region.KNEE,
    ("joint", "ligament", "enthesis"),
    "Crepitus; medial joint line and pes anserine tenderness; no effusion.",
)
ELBOW_F = Finding(
    "Lateral epicondylosis",
    "Pain at the outer elbow when gripping and lifting.",
    Region.ELBOW,
    ("tendon", "enthesis"),
    "Tender lateral epicondyle; pain on resisted wrist and middle-finger extension.",
    "gradual, after a house move",
)
NERVE_KNEE_F = Finding(
    "Medial knee pain with cutaneous nerve sensitisation",
    "Burning pain over the inner knee, worse at night.",
    Region.KNEE,
    ("ligament",),
    "Tender points along the infrapatellar branch of the saphenous nerve; knee otherwise normal.",
)
SI_F = Finding(
    "Sacroiliac joint pain (posterior ligaments)",
    "Buttock pain on sitting and turning in bed.",
    Region.LUMBAR_SI,
    ("ligament",),
    "Positive thigh thrust and compression tests; tender long dorsal ligament; neurology normal.",
    "lifting at work, 2023",
)
ACHILLES_F = Finding(
    "Mid-portion Achilles tendinopathy",
    "Pain at the back of the heel when running.",
    Region.ANKLE_FOOT,
    ("tendon",),
    "Fusiform thickening 4 cm above the insertion; painful single-leg heel raise.",
)
PLANTAR_F = Finding(
    "Plantar fasciopathy",
    "Heel pain with the first steps in the morning.",
    Region.ANKLE_FOOT,
    ("enthesis",),
    "Tender medial calcaneal tubercle; fascia 6.1 mm thick on ultrasound; windlass positive.",
)
GLUTEAL_F = Finding(
    "Greater trochanteric pain syndrome (gluteal tendinopathy)",
    "Outer hip pain lying on that side at night.",
    Region.HIP,
    ("tendon",),
    "Tender greater trochanter; pain on single-leg stance at 30 seconds.",
)
CUFF_F = Finding(
    "Rotator cuff tendinopathy",
    "Shoulder pain reaching overhead and at night.",
    Region.SHOULDER,
    ("tendon", "enthesis"),
    "Painful arc; positive Hawkins test; external rotation strength normal.",
)
PELVIC_F = Finding(
    "Pelvic girdle pain of pregnancy",
    "Pain at the back of the pelvis when walking.",
    Region.LUMBAR_SI,
    ("ligament",),
    "Tender long dorsal ligaments on both sides.",
)
RED_FLAG_BACK_F = Finding(
    "Low back pain with red flags",
    "Constant low back pain, worse at night.",
    Region.LUMBAR_SI,
    ("ligament",),
    "Night pain; 6 kg unexplained weight loss in 3 months.",
)
TMJ_F = Finding(
    "Temporomandibular joint dysfunction",
    "Jaw clicking and pain when chewing.",
    Region.TMJ,
    ("joint",),
    "Reciprocal click; mouth opening 38 mm.",
)
THUMB_F = Finding(
    "Thumb base osteoarthritis",
    "Pain at the base of the thumb when opening jars.",
    Region.WRIST_HAND,
    ("joint", "ligament"),
    "Positive grind test at the thumb carpometacarpal joint.",
)
MEDIAL_ELBOW_F = Finding(
    "Medial epicondylosis",
    "Inner elbow pain when gripping.",
    Region.ELBOW,
    ("tendon",),
    "Tender common flexor origin.",
)

PIT_REASONS = (
    "Neuropathic-type medial knee pain. Lidocaine allergy: perineural 5% dextrose needs no "
    "anaesthetic."
)
DIABETES_REASONS = (
    "Uncontrolled diabetes (HbA1c 86 mmol/mol): injections deferred. Re-assess once the GP has "
    "the HbA1c below 64 mmol/mol."
)
PREGNANCY_REASONS = (
    "Pregnant (24 weeks): elective injections deferred until after delivery. Pelvic girdle "
    "physiotherapy and a support belt arranged."
)
RED_FLAG_REASONS = (
    "Red flags (night pain, weight loss) need investigation first. Urgent letter to the GP for "
    "blood tests and MRI; not suitable for prolotherapy now."
)
ON_APIXABAN = (
    "On apixaban, not held (agreed with her cardiologist): firm pressure for 2 minutes at each "
    "site; no bleeding."
)
LATEX_FREE = "Latex allergy: latex-free gloves and tray."
GLUCOSE = "Capillary glucose 7.4 mmol/L before."
INTERPRETER = (
    "Consent and aftercare in Spanish through a professional interpreter; written aftercare "
    "given in Spanish."
)
WRONG_LOT = (
    "Wrong dextrose lot recorded",
    "The intra-articular 25% syringes were drawn from D50 lot DX-B2214, not the lot recorded "
    "on the injections. Checked against the compounding log.",
)
FLARE = (
    "Severe post-injection flare lasting 10 days. Patient chose to stop and asked for an "
    "orthopaedic opinion instead."
)
DECLINED = (
    "Declined after the consent discussion: worried about post-injection pain; chose a "
    "supervised exercise programme."
)

RIVERSIDE_CASES: tuple[Case, ...] = (
    # Active, next session today.
    Case(
        Person("RV-1001", "Margaret", "Ellery", "1954-03-12", F),
        Seen(KNEE_OA_F, R, 60, 7),
        History("68.4", (AF, HYPERTENSION), (APIXABAN, RAMIPRIL)),
        Plan(KNEE_OA, "09:00", signed=2, checklist="note", observation=ON_APIXABAN),
    ),
    Case(
        Person("RV-1002", "Daniel", "Okafor", "1979-08-02", MALE),
        Seen(ELBOW_F, R, 14, 6),
        History("88.0", allergies=(LATEX,)),
        Plan(LATERAL_ELBOW, "11:15", signed=1, checklist="complete", observation=LATEX_FREE),
    ),
    Case(
        Person("RV-1003", "Harriet", "Quill", "1967-11-23", F),
        Seen(NERVE_KNEE_F, L, 30, 6, reasons=PIT_REASONS),
        History("74.5", allergies=(LIDOCAINE,)),
        Plan(PIT_KNEE, "14:00", signed=2),
    ),
    Case(
        Person("RV-1004", "Kenji", "Sato", "1973-05-30", MALE),
        Seen(SI_F, R, 26, 6),
        History("81.2", (TYPE_2_DIABETES,), (METFORMIN,), diabetes=Diabetes.CONTROLLED),
        Plan(SI_LIGAMENTS, "16:45", signed=1, observation=GLUCOSE),
    ),
    # Active, next session later.
    Case(
        Person("RV-1005", "Priya", "Raman", "1986-01-17", F),
        Seen(ACHILLES_F, L, 11, 5, referral="Sports physiotherapist"),
        History("61.0", medications=(IBUPROFEN,)),
        Plan(ACHILLES, "08:30", start=-11, signed=2),
    ),
    Case(
        Person("RV-1006", "Inés", "Ramírez Núñez", "1962-09-08", F, Language.SPANISH),
        Seen(KNEE_OA_F, B, 84, 8),
        History("77.9", (HYPERTENSION,), (AMLODIPINE,)),
        Plan(KNEE_OA, "10:00", start=-14, signed=1, observation=INTERPRETER, amendment=WRONG_LOT),
    ),
    # Planned and consented, not started.
    Case(
        Person("RV-1007", "Yusuf", "Demir", "1974-04-04", MALE),
        Seen(KNEE_OA_F, L, 36, 6),
        History("95.6"),
        Plan(KNEE_OA, "10:30", status=PLANNED, checklist="partial"),
    ),
    Case(
        Person("RV-1008", "Eilidh", "MacRae", "1983-12-01", F),
        Seen(PLANTAR_F, L, 9, 7),
        History("70.2", medications=(IBUPROFEN,)),
        Plan(PLANTAR_FASCIA, "15:30", status=PLANNED, checklist="consent"),
    ),
    Case(
        Person("RV-1009", "Beatrix", "Holloway", "1950-06-19", F),
        Seen(GLUTEAL_F, R, 20, 6),
        History("63.7", (OSTEOPOROSIS,)),
        Plan(GLUTEAL, "13:30", start=6, status=PLANNED, checklist="consent"),
    ),
    # Completed.
    Case(
        Person("RV-1010", "Bernard", "Ashdown", "1958-02-27", MALE),
        Seen(KNEE_OA_F, L, 48, 7),
        History("92.3", (HYPERTENSION,)),
        Plan(KNEE_OA, "09:30", start=-140, signed=3, status=COMPLETED),
    ),
    Case(
        Person("RV-1011", "Aoife", "Gallagher", "1981-10-05", F),
        Seen(PLANTAR_F, R, 12, 6),
        History("66.8"),
        Plan(PLANTAR_FASCIA, "12:00", start=-63, signed=2, status=COMPLETED),
    ),
    Case(
        Person("RV-1012", "Samuel", "Brightwater", "1970-07-14", MALE),
        Seen(ELBOW_F, L, 10, 5),
        History("79.5"),
        Plan(LATERAL_ELBOW, "14:30", start=-119, signed=3, status=COMPLETED),
    ),
    # Stopped: the first after one session, the second before any.
    Case(
        Person("RV-1013", "Lucy", "Thistlewood", "1976-03-03", F),
        Seen(CUFF_F, R, 18, 6),
        History("58.9"),
        Plan(
            ROTATOR_CUFF,
            "11:00",
            start=-70,
            signed=1,
            status=STOPPED,
            stopped=-60,
            stop_reason=FLARE,
        ),
    ),
    Case(
        Person("RV-1014", "Graham", "Fennimore", "1952-01-09", MALE),
        Seen(KNEE_OA_F, R, 96, 6),
        History("101.4"),
        Plan(KNEE_OA, "15:00", start=-84, status=STOPPED, stopped=-95, stop_reason=DECLINED),
    ),
    # Evaluated, not eligible.
    Case(
        Person("RV-1015", "Oliver", "Penhaligon", "1964-04-25", MALE),
        Seen(KNEE_OA_F, R, 24, 7, NOT_ELIGIBLE, DIABETES_REASONS, day=-12),
        History("104.8", (TYPE_2_DIABETES,), (METFORMIN,), diabetes=Diabetes.UNCONTROLLED),
    ),
    Case(
        Person("RV-1016", "Rosa", "Delgado", "1991-02-14", F),
        Seen(PELVIC_F, B, 4, 6, NOT_ELIGIBLE, PREGNANCY_REASONS, day=-20),
        History("72.0", pregnant=True),
    ),
    Case(
        Person("RV-1017", "Marcus", "Abernathy", "1967-12-30", MALE),
        Seen(RED_FLAG_BACK_F, M, 3, 8, NOT_ELIGIBLE, RED_FLAG_REASONS, day=-33),
        History("76.3"),
    ),
    # Evaluated by the physiotherapist; the decision is pending.
    Case(
        Person("RV-1018", "Chloé", "Marchetti", "1996-05-11", F),
        Seen(TMJ_F, L, 15, 5, PENDING, day=-2, by="physio", referral="Dentist"),
        History("57.4"),
    ),
    Case(
        Person("RV-1019", "Wei", "Lin", "1968-08-21", MALE),
        Seen(CUFF_F, R, 8, 5, PENDING, day=-5, by="physio"),
        History("83.0", medications=(IBUPROFEN,)),
    ),
    Case(
        Person("RV-1020", "Nadia", "Petrova", "1959-10-02", F),
        Seen(THUMB_F, R, 40, 6, PENDING, day=-9, by="physio"),
        History("69.1", allergies=(("Latex", Allergen.LATEX, "Hives"),)),
    ),
    # Registered yesterday, not yet evaluated.
    Case(Person("RV-1021", "Jonah", "Whitlock", "2001-09-09", MALE), registered=-1),
)

HILLTOP_CASES: tuple[Case, ...] = (
    Case(
        Person("HT-0001", "Colin", "Ferris", "1963-06-06", MALE),
        Seen(KNEE_OA_F, R, 50, 6),
        History("86.5"),
        Plan(KNEE_OA, "10:00", signed=1),
    ),
    Case(
        Person("HT-0002", "Maeve", "Donnelly", "1988-03-28", F),
        Seen(MEDIAL_ELBOW_F, L, 7, 4, PENDING, day=-3),
        History("64.0"),
    ),
)
