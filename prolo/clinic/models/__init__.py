"""All clinical models, split by aggregate; import from here."""

from prolo.clinic.models.accounts import Clinic, Membership, Role, User
from prolo.clinic.models.audit import AuditAction, AuditEvent
from prolo.clinic.models.courses import CourseStatus, CourseType, TreatmentCourse
from prolo.clinic.models.evaluations import (
    Eligibility,
    Evaluation,
    ImagingStudy,
    Laterality,
    Modality,
    Region,
    Structure,
)
from prolo.clinic.models.patients import (
    Allergy,
    AllergyCategory,
    Condition,
    Diabetes,
    Language,
    Medication,
    MedicationClass,
    Patient,
    Pregnancy,
    Sex,
    WeightMeasurement,
)
from prolo.clinic.models.sessions import (
    Amendment,
    Anaesthetic,
    Antisepsis,
    Checklist,
    Diluent,
    Guidance,
    Injection,
    InjectionStructure,
    NoteStatus,
    Numbing,
    ProcedureNote,
    SessionStatus,
    Side,
    TreatmentSession,
)

__all__ = [
    "Allergy", "AllergyCategory", "Amendment", "Anaesthetic", "Antisepsis", "AuditAction",
    "AuditEvent", "Checklist", "Clinic", "Condition", "CourseStatus", "CourseType", "Diabetes",
    "Diluent", "Eligibility", "Evaluation", "Guidance", "ImagingStudy", "Injection",
    "InjectionStructure", "Language", "Laterality", "Medication", "MedicationClass", "Membership",
    "Modality", "NoteStatus", "Numbing", "Patient", "Pregnancy", "ProcedureNote", "Region", "Role",
    "SessionStatus", "Sex", "Side", "Structure", "TreatmentCourse", "TreatmentSession", "User",
    "WeightMeasurement",
]
