"""Hostile input to every POST endpoint of the staff pages: never a 500, never half a save.

Each endpoint has a valid form (which the first test proves is accepted) and a table of absurd
values, each merged into that valid form so it is the one bad field that gets refused. Refused
means the response is not a server error and not one row of the clinical record (or its audit
trail) changed. The generic case then posts an empty form, and NUL bytes, 10,000 characters
and 10,000 digits in every field, and checks that each field reports its own error. The last
tests check the words the clinic sees for the common refusals, as the page renders them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, reverse
from django.urls.converters import IntConverter, SlugConverter, UUIDConverter
from django.utils import timezone

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import (
    Allergy,
    Amendment,
    AuditAction,
    AuditEvent,
    Checklist,
    Clinic,
    Closure,
    Condition,
    Consent,
    ConsentDocument,
    DiaryEntry,
    Evaluation,
    ImagingStudy,
    Injection,
    InstrumentSetting,
    Location,
    Medication,
    OpeningHours,
    Patient,
    ProcedureNote,
    ProtocolTemplate,
    QuestionnaireResponse,
    ReviewTask,
    Room,
    StockProduct,
    Syringe,
    SyringeIngredient,
    TreatmentCourse,
    TreatmentSession,
    User,
    WeightMeasurement,
)
from prolo.clinic.outcomes.fhir_questionnaire import to_questionnaire
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.permissions import Actor
from prolo.clinic.services.catalogue import clinic_safety_install, stock_update
from prolo.clinic.services.dosing import anaesthetic_limit_update
from prolo.clinic.services.locations import location_create, opening_hours_add
from prolo.clinic.services.patients import (
    DEMOGRAPHIC_FIELDS,
    allergy_add,
    medication_add,
    patient_register,
)
from prolo.staff.tests.test_view_access import World, world
from prolo.staff.urls import urlpatterns
from prolo.testing import actor, add_injection, make_course, make_evaluation

__all__ = ["world"]  # the fixture of test_view_access, shared: one of each record of Pat
# Forms carry "today" and "tomorrow": each test runs within one day, even across midnight.
pytestmark = pytest.mark.usefixtures("still_clock")

NUL = "a\x00b"
LONG = "x" * 10_000
DIGITS = "9" * 10_000

RECORD: list[type[Model]] = [
    Patient,
    WeightMeasurement,
    Condition,
    Medication,
    Allergy,
    Evaluation,
    ImagingStudy,
    TreatmentCourse,
    TreatmentSession,
    Checklist,
    ProcedureNote,
    Injection,
    Amendment,
    ProtocolTemplate,
    StockProduct,
    Syringe,
    SyringeIngredient,
    DiaryEntry,
    ReviewTask,
    QuestionnaireResponse,
    InstrumentSetting,
    ConsentDocument,
    Consent,
    Clinic,
    Location,
    Room,
    OpeningHours,
    Closure,
]
PAGE_VIEWS = (AuditAction.VIEW_CHART, AuditAction.VIEW_FILE)


def _record() -> dict[str, list[dict[str, Any]]]:
    """Every row of the clinical record and the audit trail, to compare before and after.

    Opening a page is audited too (a re-rendered form is a page view): those are left out.
    """
    rows = {m.__name__: list(m._default_manager.order_by("pk").values()) for m in RECORD}
    audit = AuditEvent.objects.exclude(action__in=PAGE_VIEWS).order_by("pk")
    rows["AuditEvent"] = [dict(row) for row in audit.values()]
    return rows


def _today(w: World) -> dt.date:
    """Today where the clinic works, as the rules see it: never computed when collecting."""
    return clinic_today(w.actor.clinic)


Data = dict[str, Any]


@dataclass(frozen=True)
class Endpoint:
    """A POST endpoint: its URL, a form it accepts, and values it must refuse."""

    url: Callable[[World], str]
    valid: Callable[[World], Data]
    absurd: dict[str, Data | Callable[[World], Data]]
    booleans: frozenset[str] = frozenset()
    empty_is_valid: bool = False


def _patient_form(w: World) -> Data:
    return {
        "mrn": "R-0200",
        "given_name": "Ana",
        "family_name": "Ruiz",
        "date_of_birth": "1958-02-01",
        "sex": "female",
        "email": "ana@example.org",
        "phone": "01632 960200",
        "address": "1 High Street",
        "preferred_language": "es",
    }


def _patient_edit_form(w: World) -> Data:
    data = model_to_dict(w.patient, DEMOGRAPHIC_FIELDS)
    data["date_of_birth"] = w.patient.date_of_birth.isoformat()
    return data | {"phone": "01632 960999"}


def _evaluation_form(w: World) -> Data:
    return {
        "evaluated_on": _today(w).isoformat(),
        "referral_source": "GP",
        "presenting_complaint": "Lateral elbow pain",
        "pain_onset": "2023",
        "pain_duration_months": "18",
        "baseline_pain": "7",
        "target_region": "elbow",
        "laterality": "right",
        "target_structures": ["tendon", "enthesis"],
        "examination_findings": "Tender common extensor origin",
        "working_diagnosis": "Lateral epicondylopathy",
        "eligibility": "eligible",
        "eligibility_reasons": "Failed 6 months of eccentric loading",
        "alternatives_discussed": "Physiotherapy, bracing, steroid injection",
    }


def _day_before_start(w: World) -> str:
    return f"{w.session.course.start_date - dt.timedelta(days=1):%Y-%m-%d}T10:00"


def _course_form(w: World) -> Data:
    return {
        "evaluation": w.evaluation.pk,
        "course_type": "dextrose",
        "target_region": "knee",
        "laterality": "left",
        "targets": "MCL, joint",
        "planned_sessions": "3",
        "interval_days": "28",
        "start_date": _today(w).isoformat(),
        "first_session_time": "09:30",
        "practitioner": w.evaluation.clinician_id,
        "room": "Room 2",
        "site_steroid_on": (_today(w) - dt.timedelta(days=200)).isoformat(),
        # Pat takes apixaban (the world's medication): a caution the physician acknowledges.
        "acknowledgement": "Apixaban continued; firm pressure at each site.",
        "outcome_instruments": ["pain_nrs", "koos"],
        "session_instruments": ["pain_nrs"],
        "follow_ups": "6w, 3m",
    }


def _session_form(w: World) -> Data:
    start = w.session.course.start_date
    return {
        "scheduled_at": f"{start + dt.timedelta(days=30):%Y-%m-%d}T10:15",
        "practitioner": w.evaluation.clinician_id,
        "room": "Room 3",
    }


CHECKLIST_BOOLEANS = frozenset(
    f"checklist-{name}"
    for name in (
        "identity_confirmed",
        "consent_on_file",
        "takes_no_nsaids",
        "protein_meal",
        "contraindications_rechecked",
        "site_marked",
    )
)


def _checklist_form(w: World) -> Data:
    return {
        "checklist-identity_confirmed": "on",
        "checklist-consent_on_file": "on",
        "checklist-nsaids_stopped_on": (_today(w) - dt.timedelta(days=7)).isoformat(),
        "checklist-protein_meal": "on",
        "checklist-contraindications_rechecked": "on",
        "checklist-weight_kg": "72.5",
        "checklist-site_marked": "on",
        "checklist-acknowledgement": "Apixaban continued; firm pressure at each site.",
    }


def _note_form(w: World) -> Data:
    return {
        "note-antisepsis": "povidone_iodine",
        "note-numbing": "topical",
        "note-heat_pack_minutes": "12",
        "note-observations": "Tolerated well",
        "note-complications": "",
        "note-aftercare_given": "Walk daily",
    }


def _injection_form(w: World) -> Data:
    return {
        "injection-site_code": "knee-pes",
        "injection-site_detail": "",
        "injection-side": "left",
        "injection-structure": "enthesis",
        "injection-guidance": "ultrasound",
        "injection-needle_gauge": "27",
        "injection-needle_length_mm": "38",
        "injection-dextrose_percent": "15",
        "injection-anaesthetic": "lidocaine",
        "injection-anaesthetic_percent": "0.5",
        "injection-diluent": "saline",
        "injection-lot": "L124",
        "injection-volume_ml": "1.5",
    }


def _adverse_event_form(w: World) -> Data:
    return {
        "session": w.signed.pk,
        "event_type": "severe_pain",
        "description": "",
        "onset_date": _today(w).isoformat(),
        "grade": "2",
        "seriousness_criteria": [],
        "expectedness": "expected",
        "actions_taken": "Ice and paracetamol.",
        "outcome": "recovering",
        "follow_up_notes": "",
    }


def _other_clinics_session(w: World) -> Data:
    olga = Patient.objects.get(given_name="Olga")
    theirs = make_course(_charlie_actor(), olga).sessions.get(number=1)
    return {"session": theirs.pk}


def _other_clinics_evaluation(w: World) -> Data:
    olga = Patient.objects.get(mrn="H-0001")
    charlie_eval = make_evaluation(_charlie_actor(), olga)
    return {"evaluation": charlie_eval.pk}


def _charlie_actor() -> Actor:
    charlie = User.objects.get(username="charlie")
    return actor(charlie, charlie.memberships.get().clinic)


def _pending_evaluation(w: World) -> Data:
    pending = Evaluation.objects.create(
        patient=w.patient,
        clinician=w.evaluation.clinician,
        evaluated_on=_today(w),
        presenting_complaint="Hip pain",
        pain_duration_months=3,
        baseline_pain=4,
        target_region="hip",
        laterality="left",
        working_diagnosis="Trochanteric pain",
    )
    return {"evaluation": pending.pk}


def _nurse_as_practitioner(w: World) -> Data:
    return {"practitioner": User.objects.get(username="nora").pk}


def _over_the_ceiling(w: World) -> Data:
    """A lidocaine limit of 300 mg and 20 mL of 2% (400 mg) in the session: an override form."""
    anaesthetic_limit_update(
        actor=w.actor,
        agent="lidocaine",
        mg_per_kg=Decimal("4.5"),
        cap_mg=300,
        mg_per_kg_epinephrine=None,
        cap_mg_epinephrine=None,
        source="Test limit",
        verified=False,
    )
    add_injection(w.actor, w.session.note, anaesthetic_percent=Decimal(2), volume_ml=Decimal(20))
    return {"dose-reason": "Large joint; patient monitored for 30 minutes"}


def _limit_form(w: World) -> Data:
    return {
        "mg_per_kg": "4.5",
        "cap_mg": "300",
        "mg_per_kg_epinephrine": "7",
        "cap_mg_epinephrine": "500",
        "source": "Xylocaine label, checked by Dr Moreno",
        "verified": "on",
    }


def _settings_form(w: World) -> Data:
    return {
        "syringe_precision_ml": "0.1",
        "weight_max_age_days": "30",
        "dose_warn_percent": "80",
        "dose_weight_basis": "actual",
        "child_factor": "1.00",
        "elderly_age": "65",
        "elderly_factor": "0.8",
        "hepatic_factor": "1.00",
        "cardiac_factor": "1.00",
        "nsaid_stop_days_before": "4",
        "nsaid_avoid_days_after": "7",
        "prp_nsaid_stop_days_before": "4",
        "prp_nsaid_avoid_days_after": "7",
        "heavy_loading_days": "3",
        "flare_typical_days": "3",
        "flare_max_days": "7",
        "heat_pack_min_minutes": "10",
        "heat_pack_max_minutes": "15",
        "healing_weeks": "6",
        "recent_steroid_weeks": "4",
        "prp_min_haemoglobin": "10.0",
        "prp_min_platelets": "100",
        "epinephrine_min_ratio": "400000",
    }


def _protocol_form(w: World) -> Data:
    return {
        "name": "Knee OA, Riverside version",
        "condition": "Knee osteoarthritis",
        "session_weeks": "0, 4, 8",
        "optional_weeks": "12",
        "max_session_volume_ml": "22.5",
        "evidence": "Riverside uses the Rabago schedule.",
        "unverified": "Anaesthetic strength",
        "active": "on",
        "outcome_instruments": ["pain_nrs", "womac"],
        "session_instruments": [],
        "follow_ups": "6w, 6m",
    }


def _protocol_line_form(w: World) -> Data:
    return {
        "line-site_code": "knee-pes",
        "line-structure": "enthesis",
        "line-volume_ml": "0.5",
        "line-dextrose_percent": "15",
        "line-anaesthetic": "lidocaine",
        "line-anaesthetic_percent": "0.5",
        "line-count": "2",
        "line-note": "Tender points",
    }


def _other_clinics_protocol(w: World) -> Data:
    from prolo.clinic.services.protocols import protocol_copy

    theirs = protocol_copy(actor=_charlie_actor(), key="knee-oa-dumais-2012")
    return {"protocol": theirs.pk}


def _inactive_protocol(w: World) -> Data:
    from prolo.clinic.services.protocols import protocol_update

    protocol_update(actor=w.actor, protocol=w.protocol, active=False)
    return {"protocol": w.protocol.pk}


def _stock(w: World, name: str) -> int:
    return StockProduct.objects.get(clinic=w.actor.clinic, name=name).pk


def _syringe_form(w: World) -> Data:
    return {
        "syringe-label": "A",
        "syringe-final_volume_ml": "10",
        "syringe-target_dextrose_percent": "15",
        "syringe-dextrose_stock": _stock(w, "Dextrose 50% (D50)"),
        "syringe-dextrose_lot": "D50-0425",
        "syringe-target_anaesthetic_percent": "0.5",
        "syringe-anaesthetic_stock": _stock(w, "Lidocaine 1% (MPF)"),
        "syringe-anaesthetic_lot": "LX-19",
        "syringe-diluent_stock": _stock(w, "0.9% sodium chloride"),
        "syringe-diluent_lot": "NS-7",
    }


def _draw_up(w: World, label: str) -> None:
    """A syringe already drawn up in the session (from the default D50)."""
    from prolo.clinic.services.syringes import syringe_draw_up

    syringe_draw_up(
        actor=w.actor,
        session=w.session,
        label=label,
        final_volume_ml=Decimal(5),
        target_dextrose_percent=Decimal(15),
        dextrose_stock=StockProduct.objects.get(pk=_stock(w, "Dextrose 50% (D50)")),
        anaesthetic_stock=None,
        target_anaesthetic_percent=Decimal(0),
        diluent_stock=StockProduct.objects.get(pk=_stock(w, "0.9% sodium chloride")),
    )


def _label_taken(w: World) -> Data:
    _draw_up(w, "Knee joint")
    return {"syringe-label": "knee JOINT"}


def _other_clinics_stock(w: World) -> Data:
    theirs = _charlie_actor().clinic
    clinic_safety_install(clinic=theirs)
    return {"syringe-dextrose_stock": theirs.stocks.get(name="Dextrose 50% (D50)").pk}


def _stock_no_longer_used(w: World) -> Data:
    d10 = StockProduct.objects.get(pk=_stock(w, "Dextrose 10% (D10W)"))
    stock_update(actor=w.actor, stock=d10, active=False)
    return {"syringe-target_dextrose_percent": "5", "syringe-dextrose_stock": d10.pk}


def _stock_form(w: World) -> Data:
    return {
        "name": "Dextrose 25% (D25)",
        "kind": "dextrose",
        "dextrose_percent": "25",
        "anaesthetic": "none",
        "anaesthetic_percent": "0",
        "diluent": "none",
        "osmolarity": "1263",
        "allergens": ["corn"],
        "notes": "Ready-mixed vial",
        "source": "Label of the 25% vial, checked by Dr Moreno",
        "active": "on",
    }


def _stock_edit_form(w: World) -> Data:
    return _stock_form(w) | {
        "name": "Dextrose 50% (D50)",
        "dextrose_percent": "50",
        "osmolarity": "2525",
        "notes": "Kept in the procedure room",
    }


def _strength_of_a_drawn_up_stock(w: World) -> Data:
    _draw_up(w, "B")
    return {"dextrose_percent": "40"}


STOCK_BOOLEANS = frozenset({"epinephrine", "high_risk", "active"})


def _diary_url(w: World) -> str:
    """The signed session, moved 10 days back so that every day of its diary has come."""
    TreatmentSession.objects.filter(pk=w.signed.pk).update(
        scheduled_at=timezone.now() - dt.timedelta(days=10)
    )
    return reverse("staff:diary-entry-add", args=[w.signed.code])


def _diary_form(w: World) -> Data:
    return {
        "diary-day": "2",
        "diary-pain": "5",
        "diary-swelling": "mild",
        "diary-joint_use": "reduced",
        "diary-analgesics": "Paracetamol 1 g twice",
        "diary-notes": "Sore but walking.",
    }


def _review_task_url(w: World) -> str:
    task = ReviewTask.objects.create(
        clinic=w.actor.clinic, patient=w.patient, reason="Fever.", flags=["fever"]
    )
    return reverse("staff:review-task-close", args=[task.code])


def _day_already_recorded(w: World) -> Data:
    DiaryEntry.objects.create(
        session=w.signed,
        day=2,
        pain=3,
        swelling="none",
        joint_use="normal",
        entered_by=w.actor.user,
        source="phone",
    )
    return {}


def _injected_from(w: World) -> Data:
    add_injection(w.actor, w.session.note, syringe=w.syringe, volume_ml=Decimal(1))
    return {}


def _consent_document(w: World, course_type: str = "dextrose") -> ConsentDocument:
    """The clinic's published English document (installed when signed_session gave consent)."""
    return ConsentDocument.objects.get(
        clinic=w.actor.clinic, course_type=course_type, language="en", version=1
    )


def _consent_draft(w: World) -> ConsentDocument:
    from prolo.clinic.services.consent import consent_document_update

    document = _consent_document(w)
    return consent_document_update(
        actor=w.actor, document=document, title=document.title, body="Draft text."
    )


_WOMAC = INSTRUMENTS["womac"]


def _questionnaire(code: str) -> str:
    """An instrument's Questionnaire with text for every item, as a clinic would import it."""
    instrument = INSTRUMENTS[code]
    text = {i.id: {"text": f"Official wording of {i.id}", "options": {}} for i in instrument.items}
    return json.dumps(to_questionnaire(instrument, text), indent=1)


BAD_DATES = {"date 2026-02-30": "2026-02-30", "date 'yesterday'": "yesterday"}
BAD_DECIMALS = {"NaN": "NaN", "Infinity": "Infinity", "1e400": "1e400"}


def _each(name: str, values: dict[str, str], label: str) -> dict[str, Data]:
    return {f"{label} {case}": {name: value} for case, value in values.items()}


def _profile_form(w: World) -> Data:
    return {
        "name": "Riverside Prolotherapy and Sports Medicine",
        "address": "1 River Road",
        "phone": "020 7946 0000",
        "email": "desk@riverside.example",
        "time_zone": "Europe/Paris",
    }


def _other_clinics_location(w: World) -> Data:
    theirs = location_create(actor=_charlie_actor(), name="Hilltop")
    return {"location": str(theirs.code)}


def _monday_morning(w: World) -> Data:
    """Monday 09:00–13:00 is open: 12:00–14:00 overlaps it."""
    opening_hours_add(
        actor=w.actor, location=w.location, weekday=0, opens=dt.time(9), closes=dt.time(13)
    )
    return {"hours-weekday": "0", "hours-opens": "12:00", "hours-closes": "14:00"}


ENDPOINTS: dict[str, Endpoint] = {
    "patient-new": Endpoint(
        url=lambda w: reverse("staff:patient-new"),
        valid=_patient_form,
        absurd={
            **_each("date_of_birth", BAD_DATES, "birth"),
            "born in the future": {"date_of_birth": "9999-12-31"},
            "born in year 1": {"date_of_birth": "0001-01-01"},
            "wrong sex choice": {"sex": "robot"},
            "wrong language choice": {"preferred_language": "klingon"},
            "MRN with slashes": {"mrn": "R/../0001"},
            "MRN of 33 characters": {"mrn": "R" * 33},
            "MRN already used": {"mrn": "R-0001"},
            "MRN already used, other case": {"mrn": "r-0001"},
            "email not an address": {"email": "not-an-email"},
            "blank names": {"given_name": "   ", "family_name": ""},
        },
    ),
    "patient-edit": Endpoint(
        url=lambda w: reverse("staff:patient-edit", args=[w.patient.code]),
        valid=_patient_edit_form,
        absurd={
            **_each("date_of_birth", BAD_DATES, "birth"),
            "born in the future": {"date_of_birth": "9999-12-31"},
            "wrong sex choice": {"sex": "robot"},
            "MRN with spaces": {"mrn": "R 0001"},
        },
    ),
    "history-add flags": Endpoint(
        url=lambda w: reverse("staff:history-add", args=[w.patient.code, "flags"]),
        valid=lambda w: {"flags-pregnancy": "not_pregnant", "flags-diabetes": "controlled"},
        absurd={
            "wrong pregnancy choice": {"flags-pregnancy": "maybe"},
            "wrong diabetes choice": {"flags-diabetes": "sugar"},
        },
        booleans=frozenset({"flags-immunosuppressed", "flags-bleeding_disorder"}),
    ),
    "history-add weight": Endpoint(
        url=lambda w: reverse("staff:history-add", args=[w.patient.code, "weight"]),
        valid=lambda w: {"weight-weight_kg": "72.5", "weight-measured_on": _today(w).isoformat()},
        absurd={
            "weight 9999": {"weight-weight_kg": "9999"},
            "weight 0": {"weight-weight_kg": "0"},
            "weight -1": {"weight-weight_kg": "-1"},
            "weight 72.55": {"weight-weight_kg": "72.55"},
            **_each("weight-weight_kg", BAD_DECIMALS, "weight"),
            **_each("weight-measured_on", BAD_DATES, "measured"),
            "measured in the future": {"weight-measured_on": "9999-12-31"},
            "height 10": {"weight-height_cm": "10"},
            "height 999": {"weight-height_cm": "999"},
            **_each("weight-height_cm", BAD_DECIMALS, "height"),
        },
    ),
    "history-add condition": Endpoint(
        url=lambda w: reverse("staff:history-add", args=[w.patient.code, "condition"]),
        valid=lambda w: {"condition-name": "Hypertension", "condition-onset": "2019"},
        absurd={
            "blank name": {"condition-name": "  "},
            "onset of 61 characters": {"condition-onset": "y" * 61},
        },
    ),
    "history-add medication": Endpoint(
        url=lambda w: reverse("staff:history-add", args=[w.patient.code, "medication"]),
        valid=lambda w: {
            "medication-name": "Ibuprofen",
            "medication-dose": "400 mg",
            "medication-drug_class": "nsaid",
        },
        absurd={"wrong class choice": {"medication-drug_class": "poison"}},
    ),
    "history-add allergy": Endpoint(
        url=lambda w: reverse("staff:history-add", args=[w.patient.code, "allergy"]),
        valid=lambda w: {
            "allergy-substance": "Latex",
            "allergy-category": "latex",
            "allergy-reaction": "Rash",
        },
        absurd={"wrong category choice": {"allergy-category": "peanut"}},
    ),
    "evaluation-new": Endpoint(
        url=lambda w: reverse("staff:evaluation-new", args=[w.patient.code]),
        valid=_evaluation_form,
        absurd={
            "baseline pain 11": {"baseline_pain": "11"},
            "baseline pain -1": {"baseline_pain": "-1"},
            "baseline pain 7.5": {"baseline_pain": "7.5"},
            "pain for 1201 months": {"pain_duration_months": "1201"},
            **_each("evaluated_on", BAD_DATES, "evaluated"),
            "evaluated in the future": {"evaluated_on": "9999-12-31"},
            "wrong region choice": {"target_region": "moon"},
            "wrong laterality choice": {"laterality": "upside-down"},
            "wrong structure choice": {"target_structures": ["bone"]},
            "no structures": {"target_structures": []},
            "wrong eligibility choice": {"eligibility": "maybe"},
            "eligible without alternatives": {"alternatives_discussed": ""},
            "decided without reasons": {"eligibility_reasons": ""},
            "diagnosis of 301 characters": {"working_diagnosis": "d" * 301},
        },
    ),
    "evaluation-edit": Endpoint(
        url=lambda w: reverse("staff:evaluation-edit", args=[w.evaluation.code]),
        valid=_evaluation_form,
        absurd={
            "baseline pain 11": {"baseline_pain": "11"},
            **_each("evaluated_on", BAD_DATES, "evaluated"),
            "wrong structure choice": {"target_structures": ["bone"]},
            "eligible without alternatives": {"alternatives_discussed": ""},
        },
    ),
    "evaluation-detail imaging": Endpoint(
        url=lambda w: reverse("staff:evaluation-detail", args=[w.evaluation.code]),
        valid=lambda w: {
            "modality": "xray",
            "performed_on": _today(w).isoformat(),
            "findings": "KL grade 2",
        },
        absurd={
            "wrong modality choice": {"modality": "pet"},
            **_each("performed_on", BAD_DATES, "performed"),
            "performed in the future": {"performed_on": "9999-12-31"},
            "blank findings": {"findings": "   "},
            "an .exe attached": lambda w: {
                "file": SimpleUploadedFile("scan.exe", b"MZ", content_type="image/png")
            },
            "a file without an extension": lambda w: {
                "file": SimpleUploadedFile("scan", b"\x89PNG", content_type="image/png")
            },
        },
    ),
    "adverse-event-new": Endpoint(
        url=lambda w: reverse("staff:adverse-event-new", args=[w.patient.code]),
        valid=_adverse_event_form,
        absurd={
            "grade 6": {"grade": "6"},
            "grade 0": {"grade": "0"},
            **_each("onset_date", BAD_DATES, "onset"),
            "onset in the future": {"onset_date": "9999-12-31"},
            "wrong type choice": {"event_type": "alien"},
            "other without a description": {"event_type": "other", "description": ""},
            "serious without criteria": {"serious": "on", "seriousness_criteria": []},
            "wrong criterion choice": {"serious": "on", "seriousness_criteria": ["bored"]},
            "grade 5 not fatal": {"grade": "5"},
            "another clinic's session": _other_clinics_session,
        },
        booleans=frozenset({"serious"}),
    ),
    "adverse-event-edit": Endpoint(
        url=lambda w: reverse("staff:adverse-event-edit", args=[w.adverse_event.code]),
        valid=lambda w: _adverse_event_form(w) | {"follow_up_notes": "Settled with rest."},
        absurd={
            "grade 6": {"grade": "6"},
            "onset in the future": {"onset_date": "9999-12-31"},
            "fatal outcome at grade 2": {"outcome": "fatal"},
        },
        booleans=frozenset({"serious"}),
    ),
    "last-record": Endpoint(
        url=lambda w: reverse("staff:last-record", args=[w.signed.code]),
        valid=lambda w: {
            "opened_at": timezone.now().isoformat(),
            "onset_time": "",
            "grade": "3",
            "seriousness_criteria": [],
            "expectedness": "expected",
            "actions_taken": "Midazolam; lipid emulsion bolus and infusion.",
        },
        absurd={
            "grade 6": {"grade": "6"},
            "opened tomorrow": lambda w: {
                "opened_at": (timezone.now() + dt.timedelta(days=1)).isoformat()
            },
            "opened two days ago": lambda w: {
                "opened_at": (timezone.now() - dt.timedelta(days=2)).isoformat()
            },
            "opened 'soon'": {"opened_at": "soon"},
            "onset at 25:00": {"onset_time": "25:00"},
            "wrong expectedness choice": {"expectedness": "surprising"},
            "serious without criteria": {"serious": "on", "seriousness_criteria": []},
            "grade 5 not fatal": {"grade": "5"},
        },
    ),
    "portal-access": Endpoint(
        url=lambda w: reverse("staff:portal-access", args=[w.patient.code]),
        valid=lambda w: {"email": "pat.fields@example.org"},
        absurd={
            "not an email": {"email": "pat at example"},
            "an email of 300 characters": {"email": "p" * 290 + "@example.org"},
        },
    ),
    "article-edit": Endpoint(
        url=lambda w: reverse("staff:article-edit", args=["en", "what-is-prolotherapy"]),
        valid=lambda w: {
            "title": "What is prolotherapy? (Riverside)",
            "summary": "A short introduction.",
            "body": "## What it is\nA treatment for long-lasting pain.",
            "published": "on",
            "position": "1",
        },
        absurd={
            "blank title": {"title": "   "},
            "title of 201 characters": {"title": "t" * 201},
            "summary of 301 characters": {"summary": "s" * 301},
            "blank text": {"body": "  "},
            "text of 20,001 characters": {"body": "b" * 20_001},
            "position -1": {"position": "-1"},
            "position 1000": {"position": "1000"},
            "position 1.5": {"position": "1.5"},
        },
        booleans=frozenset({"published"}),
    ),
    "shared-document-add": Endpoint(
        url=lambda w: reverse("staff:shared-document-add", args=[w.patient.code]),
        valid=lambda w: {
            "title": "Aftercare sheet",
            "file": SimpleUploadedFile("sheet.pdf", b"%PDF-1.4 sheet"),
        },
        absurd={
            "blank title": {"title": "   "},
            "title of 201 characters": {"title": "t" * 201},
            "an .exe": lambda w: {"file": SimpleUploadedFile("sheet.exe", b"MZ\x90\x00")},
            "a file without an extension": lambda w: {
                "file": SimpleUploadedFile("sheet", b"%PDF-1.4 sheet")
            },
            "a program named .pdf": lambda w: {
                "file": SimpleUploadedFile("sheet.pdf", b"MZ\x90\x00")
            },
            "binary named .txt": lambda w: {
                "file": SimpleUploadedFile("notes.txt", b"\xff\xfe\x00\x01")
            },
            "an empty file": lambda w: {"file": SimpleUploadedFile("sheet.pdf", b"")},
            "a file over 10 MB": lambda w: {
                "file": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 10 * 1024 * 1024)
            },
        },
    ),
    "questionnaire-new": Endpoint(
        url=lambda w: reverse("staff:questionnaire-new", args=[w.patient.code]),
        valid=lambda w: {"slot": ":extra", "answered_on": _today(w).isoformat(), "item_pain": "5"},
        absurd={
            "pain 11": {"item_pain": "11"},
            "pain -1": {"item_pain": "-1"},
            "pain 'severe'": {"item_pain": "severe"},
            "pain left blank": {"item_pain": ""},
            **_each("answered_on", BAD_DATES, "answered"),
            "answered tomorrow": lambda w: {
                "answered_on": (_today(w) + dt.timedelta(days=1)).isoformat()
            },
            "a baseline already recorded": lambda w: {"slot": f"{w.course.code}:baseline"},
            "a time point the course does not have": lambda w: {"slot": f"{w.course.code}:fu-2y"},
            "not a time point": {"slot": "nonsense"},
        },
    ),
    "questionnaire-new koos": Endpoint(
        url=lambda w: (
            reverse("staff:questionnaire-new", args=[w.patient.code]) + "?instrument=koos"
        ),
        valid=lambda w: {
            "slot": ":extra",
            "answered_on": _today(w).isoformat(),
            **{f"item_{item.id}": "1" for item in INSTRUMENTS["koos"].items},
        },
        absurd={
            "half the pain items blank": {f"item_P{n}": "" for n in range(1, 6)},
            "an answer of 5 on a 0–4 item": {"item_P1": "5"},
        },
    ),
    "course-outcomes": Endpoint(
        url=lambda w: reverse("staff:course-outcomes", args=[w.course.code]),
        valid=lambda w: {
            "outcome_instruments": ["pain_nrs", "koos"],
            "session_instruments": ["pain_nrs"],
            "follow_ups": "6w, 3m, 12m",
        },
        absurd={
            "no instrument": {"outcome_instruments": []},
            "an unknown instrument": {"outcome_instruments": ["mood"]},
            "an unknown session instrument": {"session_instruments": ["mood"]},
            "follow-up 0w": {"follow_ups": "0w"},
            "follow-up in 61 months": {"follow_ups": "61m"},
            "follow-up in years": {"follow_ups": "2y"},
            "follow-up 'later'": {"follow_ups": "later"},
            "a KOOS headline that is no KOOS score": {"headline_koos": "total"},
        },
    ),
    "course-new": Endpoint(
        url=lambda w: reverse("staff:course-new", args=[w.patient.code]),
        valid=_course_form,
        absurd={
            "0 sessions": {"planned_sessions": "0"},
            "21 sessions": {"planned_sessions": "21"},
            "-1 sessions": {"planned_sessions": "-1"},
            "interval 0 days": {"interval_days": "0"},
            "interval 181 days": {"interval_days": "181"},
            **_each("start_date", BAD_DATES, "start"),
            "start in year 9999": {"start_date": "9999-12-31"},
            "time 25:00": {"first_session_time": "25:00"},
            "time 'noon'": {"first_session_time": "noon"},
            "wrong type choice": {"course_type": "snake-oil"},
            "wrong region choice": {"target_region": "moon"},
            "a KOOS headline that is no KOOS score": {"headline_koos": "total"},
            "evaluation not a number": {"evaluation": "abc"},
            "evaluation that does not exist": {"evaluation": "999999"},
            "another clinic's evaluation": _other_clinics_evaluation,
            "an evaluation not marked eligible": _pending_evaluation,
            "practitioner not a number": {"practitioner": "abc"},
            "practitioner who is a nurse": _nurse_as_practitioner,
            "room of 61 characters": {"room": "r" * 61},
            "protocol not a number": {"protocol": "abc"},
            "protocol that does not exist": {"protocol": "999999"},
            "another clinic's protocol": _other_clinics_protocol,
            "a protocol no longer offered": _inactive_protocol,
            "steroid injected in the future": {"site_steroid_on": "9999-12-31"},
            "haemoglobin 999": {"haemoglobin": "999"},
            "platelets -1": {"platelets": "-1"},
            "planned stock not a number": {"planned_stocks": ["abc"]},
            "cautions without a reason": {"acknowledgement": "   "},
            "no questionnaire": {"outcome_instruments": []},
            "follow-up in 0 weeks": {"follow_ups": "0w"},
        },
    ),
    "course-detail status": Endpoint(
        url=lambda w: reverse("staff:course-detail", args=[w.course.code]),
        valid=lambda w: {"status": "stopped", "reason": "Moved away"},
        absurd={
            "wrong status choice": {"status": "exploded"},
            "planned straight to completed": {"status": "completed"},
            "stopped without a reason": {"reason": "   "},
        },
    ),
    "session-edit": Endpoint(
        url=lambda w: reverse("staff:session-edit", args=[w.session.code]),
        valid=_session_form,
        absurd={
            "date 2026-02-30": {"scheduled_at": "2026-02-30T10:00"},
            "date 'yesterday'": {"scheduled_at": "yesterday"},
            "before the course starts": lambda w: {"scheduled_at": _day_before_start(w)},
            "in year 2000": {"scheduled_at": "2000-01-01T10:00"},
            "in year 1": {"scheduled_at": "0001-01-01T00:00"},
            "practitioner not a number": {"practitioner": "abc"},
            "practitioner who is a nurse": _nurse_as_practitioner,
            "room of 61 characters": {"room": "r" * 61},
        },
    ),
    "checklist-save": Endpoint(
        url=lambda w: reverse("staff:checklist-save", args=[w.session.code]),
        valid=_checklist_form,
        absurd={
            "weight 9999": {"checklist-weight_kg": "9999"},
            "weight 0": {"checklist-weight_kg": "0"},
            "weight -1": {"checklist-weight_kg": "-1"},
            **_each("checklist-weight_kg", BAD_DECIMALS, "weight"),
            **_each("checklist-nsaids_stopped_on", BAD_DATES, "stopped"),
            "stopped in the future": {"checklist-nsaids_stopped_on": "9999-12-31"},
            "steroid injected in the future": {"checklist-site_steroid_on": "9999-12-31"},
            "cautions without a reason": {"checklist-acknowledgement": ""},
            "no-baseline reason of 1001 characters": {"checklist-no_baseline_reason": "r" * 1001},
        },
        booleans=CHECKLIST_BOOLEANS,
        empty_is_valid=True,  # an unticked checklist is saved as "not complete"
    ),
    "note-save": Endpoint(
        url=lambda w: reverse("staff:note-save", args=[w.session.code]),
        valid=_note_form,
        absurd={
            "wrong antisepsis choice": {"note-antisepsis": "bleach"},
            "wrong numbing choice": {"note-numbing": "whisky"},
            "heat pack 61 minutes": {"note-heat_pack_minutes": "61"},
            "heat pack -1 minutes": {"note-heat_pack_minutes": "-1"},
            "heat pack 10^20 minutes": {"note-heat_pack_minutes": "1" + "0" * 20},
        },
    ),
    "injection-add": Endpoint(
        url=lambda w: reverse("staff:injection-add", args=[w.session.code]),
        valid=_injection_form,
        absurd={
            "volume -1": {"injection-volume_ml": "-1"},
            "volume 0": {"injection-volume_ml": "0"},
            "volume 31": {"injection-volume_ml": "31"},
            **_each("injection-volume_ml", BAD_DECIMALS, "volume"),
            "dextrose 80": {"injection-dextrose_percent": "80"},
            "dextrose -1": {"injection-dextrose_percent": "-1"},
            "gauge 5": {"injection-needle_gauge": "5"},
            "gauge 99": {"injection-needle_gauge": "99"},
            "gauge 27.5": {"injection-needle_gauge": "27.5"},
            "needle 0 mm": {"injection-needle_length_mm": "0"},
            "needle 9999 mm": {"injection-needle_length_mm": "9999"},
            "anaesthetic 5%": {"injection-anaesthetic_percent": "5"},
            "lidocaine at 0%": {"injection-anaesthetic_percent": "0"},
            "no anaesthetic at 1%": {
                "injection-anaesthetic": "none",
                "injection-anaesthetic_percent": "1",
            },
            "wrong site choice": {"injection-site_code": "moon"},
            "other site undescribed": {"injection-site_code": "other"},
            "wrong side choice": {"injection-side": "up"},
            "wrong structure choice": {"injection-structure": "bone"},
            "a structure the site does not have": {
                "injection-site_code": "knee-patellar-tendon",
                "injection-structure": "ligament",
            },
            "wrong guidance choice": {"injection-guidance": "x-ray vision"},
            "wrong anaesthetic choice": {"injection-anaesthetic": "cocaine"},
            "wrong diluent choice": {"injection-diluent": "vodka"},
            "lot of 61 characters": {"injection-lot": "L" * 61},
        },
    ),
    "note-amend": Endpoint(
        url=lambda w: reverse("staff:note-amend", args=[w.signed.code]),
        valid=lambda w: {"amendment-reason": "Wrong lot", "amendment-text": "Lot was L125"},
        absurd={
            "blank reason": {"amendment-reason": "   "},
            "blank text": {"amendment-text": ""},
            "reason of 301 characters": {"amendment-reason": "r" * 301},
        },
    ),
    "dose-override": Endpoint(
        url=lambda w: reverse("staff:dose-override", args=[w.session.code]),
        valid=_over_the_ceiling,
        absurd={
            "blank reason": {"dose-reason": "   "},
            "reason of 1001 characters": {"dose-reason": "r" * 1001},
        },
    ),
    "anaesthetic-limit-edit": Endpoint(
        url=lambda w: reverse("staff:anaesthetic-limit-edit", args=["lidocaine"]),
        valid=_limit_form,
        absurd={
            "mg/kg 0": {"mg_per_kg": "0"},
            "mg/kg -1": {"mg_per_kg": "-1"},
            "mg/kg 100": {"mg_per_kg": "100"},
            "mg/kg 4.555": {"mg_per_kg": "4.555"},
            **_each("mg_per_kg", BAD_DECIMALS, "mg/kg"),
            "no mg/kg": {"mg_per_kg": ""},
            "maximum 0": {"cap_mg": "0"},
            "maximum -300": {"cap_mg": "-300"},
            "maximum 300.5": {"cap_mg": "300.5"},
            "maximum 10^20": {"cap_mg": "1" + "0" * 20},
            "epinephrine maximum without its mg/kg": {"mg_per_kg_epinephrine": ""},
            "epinephrine mg/kg 0": {"mg_per_kg_epinephrine": "0"},
            "blank source": {"source": "  "},
            "source of 301 characters": {"source": "s" * 301},
        },
        booleans=frozenset({"verified"}),
    ),
    "clinic-settings": Endpoint(
        url=lambda w: reverse("staff:clinic-settings"),
        valid=_settings_form,
        absurd={
            "precision 0": {"syringe_precision_ml": "0"},
            "precision 2 mL": {"syringe_precision_ml": "2"},
            "weight valid 0 days": {"weight_max_age_days": "0"},
            "warn at 0%": {"dose_warn_percent": "0"},
            "warn at 101%": {"dose_warn_percent": "101"},
            "elderly from age 5": {"elderly_age": "5"},
            "factor 0": {"hepatic_factor": "0"},
            "factor 1.5": {"cardiac_factor": "1.5"},
            **_each("elderly_factor", BAD_DECIMALS, "factor"),
            "stop 29 days before": {"nsaid_stop_days_before": "29"},
            "stop -1 days before": {"nsaid_stop_days_before": "-1"},
            "avoid 91 days after": {"nsaid_avoid_days_after": "91"},
            "usual flare above the review threshold": {
                "flare_typical_days": "10",
                "flare_max_days": "5",
            },
            "heat pack 61 minutes": {"heat_pack_max_minutes": "61"},
            "heat pack shortest above longest": {
                "heat_pack_min_minutes": "20",
                "heat_pack_max_minutes": "10",
            },
            "healing 53 weeks": {"healing_weeks": "53"},
            "haemoglobin 50": {"prp_min_haemoglobin": "50"},
            **_each("prp_min_haemoglobin", BAD_DECIMALS, "haemoglobin"),
            "platelets 0": {"prp_min_platelets": "0"},
            "epinephrine from 1:12": {"epinephrine_min_ratio": "12"},
            "epinephrine as a ratio": {"epinephrine_min_ratio": "1:400,000"},
        },
    ),
    "protocol-copy": Endpoint(
        url=lambda w: reverse("staff:protocol-copy"),
        valid=lambda w: {"key": "knee-oa-dumais-2012"},
        absurd={
            "a key not in the library": {"key": "snake-oil-2024"},
            "a key with slashes": {"key": "../knee-oa-dumais-2012"},
        },
    ),
    "protocol-edit": Endpoint(
        url=lambda w: reverse("staff:protocol-edit", args=[w.protocol.code]),
        valid=_protocol_form,
        absurd={
            "blank name": {"name": "  "},
            "name of 161 characters": {"name": "n" * 161},
            "no session weeks": {"session_weeks": ""},
            "weeks out of order": {"session_weeks": "0, 8, 4"},
            "the same week twice": {"session_weeks": "0, 4, 4"},
            "a negative week": {"session_weeks": "-4, 0, 4"},
            "first session not week 0": {"session_weeks": "1, 5, 9"},
            "week 105": {"session_weeks": "0, 105"},
            "weeks in words": {"session_weeks": "zero, four"},
            "no questionnaire": {"outcome_instruments": []},
            "follow-up '3 months'": {"follow_ups": "3 months"},
            "week 4.5": {"session_weeks": "0, 4.5"},
            "21 sessions": {"session_weeks": ", ".join(str(w) for w in range(21))},
            "optional week before the last session": {"optional_weeks": "4"},
            "volume 0": {"max_session_volume_ml": "0"},
            "volume -1": {"max_session_volume_ml": "-1"},
            "volume 201": {"max_session_volume_ml": "201"},
            **_each("max_session_volume_ml", BAD_DECIMALS, "volume"),
        },
        booleans=frozenset({"active"}),
    ),
    "protocol-injection-add": Endpoint(
        url=lambda w: reverse("staff:protocol-injection-add", args=[w.protocol.code]),
        valid=_protocol_line_form,
        absurd={
            "wrong site choice": {"line-site_code": "moon"},
            "wrong structure choice": {"line-structure": "bone"},
            "wrong anaesthetic choice": {"line-anaesthetic": "cocaine"},
            "volume 0": {"line-volume_ml": "0"},
            "volume -1": {"line-volume_ml": "-1"},
            "volume 31": {"line-volume_ml": "31"},
            **_each("line-volume_ml", BAD_DECIMALS, "volume"),
            "dextrose 51": {"line-dextrose_percent": "51"},
            "dextrose -1": {"line-dextrose_percent": "-1"},
            "anaesthetic 5%": {"line-anaesthetic_percent": "5"},
            "no anaesthetic at 1%": {"line-anaesthetic": "none", "line-anaesthetic_percent": "1"},
            "lidocaine at 0%": {"line-anaesthetic_percent": "0"},
            "count 0": {"line-count": "0"},
            "count 51": {"line-count": "51"},
            "count 2.5": {"line-count": "2.5"},
            "note of 201 characters": {"line-note": "n" * 201},
        },
    ),
    "syringe-add": Endpoint(
        url=lambda w: reverse("staff:syringe-add", args=[w.session.code]),
        valid=_syringe_form,
        absurd={
            "blank label": {"syringe-label": "  "},
            "label of 41 characters": {"syringe-label": "L" * 41},
            "a label already used": _label_taken,
            "volume 0": {"syringe-final_volume_ml": "0"},
            "volume -1": {"syringe-final_volume_ml": "-1"},
            "volume 101": {"syringe-final_volume_ml": "101"},
            "volume 10.05 at 0.1 mL precision": {"syringe-final_volume_ml": "10.05"},
            **_each("syringe-final_volume_ml", BAD_DECIMALS, "volume"),
            "dextrose 51": {"syringe-target_dextrose_percent": "51"},
            "dextrose -1": {"syringe-target_dextrose_percent": "-1"},
            "anaesthetic 5%": {"syringe-target_anaesthetic_percent": "5"},
            "anaesthetic -0.5%": {"syringe-target_anaesthetic_percent": "-0.5"},
            **_each("syringe-target_anaesthetic_percent", BAD_DECIMALS, "anaesthetic"),
            "dextrose stronger than its stock": lambda w: {
                "syringe-dextrose_stock": _stock(w, "Dextrose 10% (D10W)")
            },
            "more than fits in the syringe": {
                "syringe-target_dextrose_percent": "40",
                "syringe-target_anaesthetic_percent": "0.9",
            },
            "dextrose without a stock": {"syringe-dextrose_stock": ""},
            "anaesthetic without a stock": {"syringe-anaesthetic_stock": ""},
            "no diluent for the rest": {"syringe-diluent_stock": ""},
            "lidocaine as the dextrose stock": lambda w: {
                "syringe-dextrose_stock": _stock(w, "Lidocaine 1% (MPF)")
            },
            "D50 as the diluent": lambda w: {
                "syringe-diluent_stock": _stock(w, "Dextrose 50% (D50)")
            },
            "stock not a number": {"syringe-dextrose_stock": "abc"},
            "stock that does not exist": {"syringe-dextrose_stock": "999999"},
            "another clinic's stock": _other_clinics_stock,
            "a stock no longer in use": _stock_no_longer_used,
            "lot of 61 characters": {"syringe-dextrose_lot": "L" * 61},
        },
    ),
    "syringe-discard": Endpoint(
        url=lambda w: reverse("staff:syringe-discard", args=[w.syringe.code]),
        valid=lambda w: {"discard-reason": "Drawn up from D10W instead of D50"},
        absurd={
            "blank reason": {"discard-reason": "   "},
            "reason of 301 characters": {"discard-reason": "r" * 301},
            "a syringe already injected from": _injected_from,
        },
    ),
    "diary-entry-add": Endpoint(
        url=_diary_url,
        valid=_diary_form,
        absurd={
            "day 0": {"diary-day": "0"},
            "day 8": {"diary-day": "8"},
            "pain 11": {"diary-pain": "11"},
            "pain -1": {"diary-pain": "-1"},
            "wrong swelling choice": {"diary-swelling": "huge"},
            "wrong joint use choice": {"diary-joint_use": "flying"},
            "pain relief of 201 characters": {"diary-analgesics": "a" * 201},
            "a day already recorded": _day_already_recorded,
        },
    ),
    "review-task-close": Endpoint(
        url=_review_task_url,
        valid=lambda w: {"close-closing_note": "Called back; reviewed in clinic, settling."},
        absurd={
            "blank note": {"close-closing_note": "   "},
            "note of 2001 characters": {"close-closing_note": "n" * 2001},
        },
    ),
    "stock-new": Endpoint(
        url=lambda w: reverse("staff:stock-new"),
        valid=_stock_form,
        absurd={
            "blank name": {"name": "  "},
            "name of 121 characters": {"name": "n" * 121},
            "a name already used": {"name": "dextrose 50% (d50)"},
            "wrong kind choice": {"kind": "elixir"},
            "dextrose 71": {"dextrose_percent": "71"},
            "dextrose -1": {"dextrose_percent": "-1"},
            **_each("dextrose_percent", BAD_DECIMALS, "dextrose"),
            "a dextrose stock at 0%": {"dextrose_percent": "0"},
            "dextrose in a diluent": {"kind": "diluent"},
            "an anaesthetic in a dextrose stock": {
                "anaesthetic": "lidocaine",
                "anaesthetic_percent": "1",
            },
            "lidocaine at 0%": {
                "kind": "anaesthetic",
                "dextrose_percent": "0",
                "anaesthetic": "lidocaine",
                "anaesthetic_percent": "0",
            },
            "anaesthetic 11%": {"anaesthetic_percent": "11"},
            "epinephrine in dextrose": {"epinephrine": "on"},
            "wrong anaesthetic choice": {"anaesthetic": "cocaine"},
            "osmolarity -1": {"osmolarity": "-1"},
            "osmolarity 2.5": {"osmolarity": "2.5"},
            "wrong allergen choice": {"allergens": ["peanut"]},
            "wrong diluent choice": {"diluent": "vodka"},
            "a diluent code on a dextrose stock": {"diluent": "saline"},
            "a diluent stock not saying which": {"kind": "diluent", "dextrose_percent": "0"},
            "source of 201 characters": {"source": "s" * 201},
            "notes of 301 characters": {"notes": "n" * 301},
            "other actives in a dextrose stock": {"actives": "phenol 2.5%"},
            "an active without its strength": {"kind": "sclerosant", "actives": "phenol"},
            "an active at 101%": {"kind": "sclerosant", "actives": "phenol 101%"},
            "an active listed twice": {"kind": "sclerosant", "actives": "phenol 1%, Phenol 2%"},
            "dextrose as an other active": {"kind": "sclerosant", "actives": "dextrose 10%"},
            "an epinephrine strength without epinephrine": {"epinephrine_ratio": "100000"},
            **{
                f"lidocaine with epinephrine {label}": {
                    "kind": "anaesthetic",
                    "dextrose_percent": "0",
                    "anaesthetic": "lidocaine",
                    "anaesthetic_percent": "1",
                    "epinephrine": "on",
                    "epinephrine_ratio": ratio,
                }
                for label, ratio in [("of no strength", ""), ("1:12", "12"), ("1:x", "x")]
            },
        },
        booleans=STOCK_BOOLEANS,
    ),
    "stock-edit": Endpoint(
        url=lambda w: reverse("staff:stock-edit", args=[w.stock.code]),
        valid=_stock_edit_form,
        absurd={
            "blank name": {"name": ""},
            "another stock's name": {"name": "Dextrose 5% (D5W)"},
            "dextrose in a diluent": {"kind": "diluent"},
            "strength of a stock already drawn up": _strength_of_a_drawn_up_stock,
            "wrong allergen choice": {"allergens": ["peanut"]},
        },
        booleans=STOCK_BOOLEANS,
    ),
    "instrument-import": Endpoint(
        url=lambda w: reverse("staff:instrument-import", args=["womac"]),
        valid=lambda w: {"questionnaire": _questionnaire("womac"), "licence_note": "Licence 114"},
        absurd={
            "not JSON": {"questionnaire": "{"},
            "a JSON list": {"questionnaire": "[]"},
            "JSON nested 100,000 deep": {"questionnaire": "[" * 100_000},
            "a number of 5,000 digits": {"questionnaire": "9" * 5000},
            "a Patient": {"questionnaire": '{"resourceType": "Patient"}'},
            "the DASH's Questionnaire": {"questionnaire": _questionnaire("dash")},
            "the pain NRS's Questionnaire": {"questionnaire": _questionnaire("pain_nrs")},
            "an item Prolo does not have": {
                "questionnaire": _questionnaire("womac").replace('"P1"', '"P9"')
            },
            "an answer value not of the item": {
                "questionnaire": _questionnaire("womac").replace('"code": "4"', '"code": "5"')
            },
            "items without text": {"questionnaire": json.dumps(to_questionnaire(_WOMAC))},
            "a NUL escaped in the JSON": {
                "questionnaire": _questionnaire("womac").replace("wording of P1", "P1\\u0000")
            },
            "blank licence note": {"licence_note": "   "},
            "licence note of 2001 characters": {"licence_note": "l" * 2001},
        },
    ),
    "instrument-settings": Endpoint(
        url=lambda w: reverse("staff:instrument-settings", args=["womac"]),
        valid=lambda w: {
            "min_pain": "5",
            "min_stiffness": "2",
            "min_function": "15",
            "mcid_points": "12",
            "mcid_percent": "30",
            "mcid_source": "Riverside consensus, March 2026",
        },
        absurd={
            "pain minimum 6 of 5": {"min_pain": "6"},
            "stiffness minimum 0": {"min_stiffness": "0"},
            "function minimum -1": {"min_function": "-1"},
            "pain minimum 2.5": {"min_pain": "2.5"},
            "minimum 10^30": {"min_function": "1" + "0" * 30},
            "MCID without a source": {"mcid_source": "  "},
            "MCID 0": {"mcid_points": "0"},
            "MCID -5": {"mcid_points": "-5"},
            "MCID 101 on a 0–100 score": {"mcid_points": "101"},
            "MCID 12.345": {"mcid_points": "12.345"},
            **_each("mcid_points", BAD_DECIMALS, "MCID"),
            "percent without points": {"mcid_points": ""},
            "percent 101": {"mcid_percent": "101"},
            "source of 301 characters": {"mcid_source": "s" * 301},
        },
        empty_is_valid=True,
    ),
    "consent-document-edit": Endpoint(
        url=lambda w: reverse("staff:consent-document-edit", args=[_consent_document(w).code]),
        valid=lambda w: {
            "title": "Consent: dextrose prolotherapy (Riverside)",
            "body": "## What this treatment is\nInjections of a sugar solution.",
        },
        absurd={
            "blank title": {"title": "   "},
            "title of 201 characters": {"title": "t" * 201},
            "blank text": {"body": "  "},
            "text of 50,001 characters": {"body": "b" * 50_001},
        },
    ),
    "consent-record": Endpoint(
        url=lambda w: reverse("staff:consent-record", args=[w.course.code]),
        valid=lambda w: {
            "document": str(_consent_document(w).code),
            "typed_name": "Pat Fields",
            "confirmed": "on",
        },
        absurd={
            "another patient's name": {"typed_name": "Olga Novak"},
            "the box unticked": {"confirmed": ""},
            "a document that does not exist": {"document": "00000000-0000-0000-0000-000000000000"},
            "another course type's document": lambda w: {
                "document": str(_consent_document(w, course_type="prp").code)
            },
            "a draft version": lambda w: {"document": str(_consent_draft(w).code)},
        },
        booleans=frozenset({"confirmed"}),
    ),
    "clinic-profile": Endpoint(
        url=lambda w: reverse("staff:clinic-profile"),
        valid=_profile_form,
        absurd={
            "blank name": {"name": "   "},
            "unknown time zone": {"time_zone": "Mars/Olympus"},
            "time zone by its long name": {"time_zone": "Central European Time"},
            "email without @": {"email": "desk.riverside.example"},
            "phone of 41 characters": {"phone": "0" * 41},
            "address of 1001 characters": {"address": "a" * 1001},
            "a text file as the logo": {
                "logo": SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
            },
        },
    ),
    "location-new": Endpoint(
        url=lambda w: reverse("staff:location-new"),
        valid=lambda w: {"name": "Annex", "address": "2 Mill Lane", "active": "on"},
        absurd={
            "blank name": {"name": "  "},
            "a name already used": {"name": "Main site"},
            "name of 121 characters": {"name": "n" * 121},
        },
        booleans=frozenset({"active"}),
    ),
    "location-edit": Endpoint(
        url=lambda w: reverse("staff:location-edit", args=[w.location.code]),
        valid=lambda w: {"name": "Main site, River Road", "address": "1 River Road"},
        absurd={"blank name": {"name": ""}, "name of 121 characters": {"name": "n" * 121}},
        booleans=frozenset({"active"}),
    ),
    "room-new": Endpoint(
        url=lambda w: reverse("staff:room-new", args=[w.location.code]),
        valid=lambda w: {"room-name": "Room 2", "room-active": "on"},
        absurd={"blank name": {"room-name": " "}, "a name already used": {"room-name": "Room 1"}},
        booleans=frozenset({"room-active"}),
    ),
    "room-edit": Endpoint(
        url=lambda w: reverse("staff:room-edit", args=[w.room.code]),
        valid=lambda w: {"name": "Treatment room 1", "location": str(w.location.code)},
        absurd={
            "another clinic's location": _other_clinics_location,
            "no location": {"location": ""},
            "blank name": {"name": ""},
        },
        booleans=frozenset({"active"}),
    ),
    "opening-hours-add": Endpoint(
        url=lambda w: reverse("staff:opening-hours-add", args=[w.location.code]),
        valid=lambda w: {"hours-weekday": "2", "hours-opens": "08:00", "hours-closes": "12:00"},
        absurd={
            "closes before it opens": {"hours-opens": "12:00", "hours-closes": "08:00"},
            "closes as it opens": {"hours-closes": "08:00"},
            "day 7": {"hours-weekday": "7"},
            "25 o'clock": {"hours-closes": "25:00"},
            "overlapping hours": _monday_morning,
        },
    ),
    "closure-add": Endpoint(
        url=lambda w: reverse("staff:closure-add", args=[w.location.code]),
        valid=lambda w: {
            "closure-starts_on": "2099-12-25",
            "closure-ends_on": "2099-12-26",
            "closure-reason": "Christmas",
        },
        absurd={
            "last day before the first": {"closure-ends_on": "2099-12-24"},
            "more than a year": {"closure-ends_on": "2101-01-01"},
            "blank reason": {"closure-reason": "  "},
            "reason of 201 characters": {"closure-reason": "r" * 201},
            "31 February": {"closure-starts_on": "2099-02-31"},
        },
    ),
}

# Views that take no form, each tested on its own below; and the views that take no POST.
FORMLESS_POSTS = {
    "opening-hours-remove",
    "closure-remove",
    "staff-invitation-resend",
    "staff-invitation-withdraw",
    "staff-member-active",
    "staff-member-password-reset",
    "consent-document-publish",
    "consent-withdraw",
    "shared-document-withdraw",
    "portal-revoke",
    "portal-account-switch",
    "history-toggle",
    "allergy-remove",
    "injection-remove",
    "note-sign",
    "protocol-injection-remove",
    "adverse-event-close",
}
# Forms only a clinic admin may post (Dr Alice gets 403): their bad input is tested with
# Adam in test_staff_admin_views.py.
ADMIN_FORMS = {"staff-invite", "staff-member"}
GET_ONLY = {
    "location-list",
    "staff-list",
    "consent-document-list",
    "consent-document-detail",
    "article-list",
    "article-detail",
    "review-task-list",
    "calculator",
    "catalogue",
    "careplan-print",
    "note-pdf",
    "handout-pdf",
    "consent-pdf",
    "course-letter-pdf",
    "protocol-list",
    "protocol-detail",
    "anaesthetic-limits",
    "today",
    "patient-list",
    "patient-chart",
    "patient-audit",
    "patient-history",
    "imaging-file",
    "session-detail",
    "adverse-event-list",
    "adverse-event-detail",
    "last-panel",
    "outcomes-report",
    "registry-csv",
    "questionnaire-detail",
    "outcomes-due",
    "instrument-list",
    "instrument-detail",
    "instrument-export",
}


def _name(key: str) -> str:
    return key.split()[0]


@pytest.fixture
def everyone(alice, nora, charlie, olga):
    """The cast some cases refer to by username, and another clinic's patient."""


@pytest.fixture
def alice_client(alice, everyone) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    return client


@dataclass
class Outcome:
    status: int
    changed: bool
    error: str

    def __str__(self) -> str:
        return f"{self.status}{' (changed the record)' if self.changed else ''}{self.error}"


def _post(client: Client, url: str, data: Data) -> tuple[Any, Outcome]:
    before = _record()
    response = client.post(url, data)
    exc = getattr(response, "exc_info", None)
    error = f" {exc[1]!r}" if exc else ""
    return response, Outcome(response.status_code, _record() != before, error)


def _refusals(client: Client, w: World, endpoint: Endpoint, cases: dict[str, Data]) -> list[str]:
    """Post each case; list the ones that were a server error or changed the record."""
    failures = []
    url = endpoint.url(w)
    for case, data in cases.items():
        _, outcome = _post(client, url, data)
        if outcome.status >= 500 or outcome.changed:
            failures.append(f"{case}: {outcome}")
    return failures


def _absurd(w: World, endpoint: Endpoint) -> dict[str, Data]:
    base = endpoint.valid(w)
    return {
        case: base | (override(w) if callable(override) else override)
        for case, override in endpoint.absurd.items()
    }


def test_every_post_endpoint_is_in_the_table():
    names = {p.name for p in urlpatterns}
    covered = {_name(key) for key in ENDPOINTS} | FORMLESS_POSTS | ADMIN_FORMS
    assert names - GET_ONLY == covered


@pytest.mark.parametrize("key", ENDPOINTS)
def test_the_valid_form_is_accepted(key, world, alice_client):
    endpoint = ENDPOINTS[key]
    _, outcome = _post(alice_client, endpoint.url(world), endpoint.valid(world))
    assert outcome.status == 302, outcome
    assert outcome.changed


@pytest.mark.parametrize("key", ENDPOINTS)
def test_absurd_values_are_refused_and_nothing_is_saved(key, world, alice_client):
    endpoint = ENDPOINTS[key]
    assert _refusals(alice_client, world, endpoint, _absurd(world, endpoint)) == []


def _bound_form(response) -> forms.BaseForm:
    """The one bound form of a re-rendered page (pages may hold several blank ones too)."""
    candidates = []
    if "form" in response.context:
        candidates.append(response.context["form"])
    if "forms" in response.context:
        candidates.extend(response.context["forms"].values())
    bound = {id(form): form for form in candidates if form.is_bound}
    assert len(bound) == 1, bound
    return next(iter(bound.values()))


def _fields_in_error(form: forms.BaseForm) -> set[str]:
    return {form.add_prefix(name) for name in form.errors if name in form.fields}


def _free_text(form: forms.BaseForm) -> set[str]:
    """Fields with no length limit: notes, findings, observations …"""
    return {
        form.add_prefix(name)
        for name, f in form.fields.items()
        if type(f) is forms.CharField and f.max_length is None
    }


@pytest.mark.parametrize("key", ENDPOINTS)
def test_junk_in_every_field_is_refused_by_each_field(key, world, alice_client):
    """An empty form, then NUL bytes, 10,000 characters and 10,000 digits in every field.

    Each field must refuse the junk by itself (it has its own error), except that free-text
    fields take long text, which must then save whole. Nothing is a 500 or half-saved.
    """
    endpoint = ENDPOINTS[key]
    url = endpoint.url(world)
    valid = endpoint.valid(world)

    response, outcome = _post(alice_client, url, {})
    assert outcome.status < 500, outcome
    if not endpoint.empty_is_valid:
        assert outcome.status in (200, 400), outcome
        assert not outcome.changed

    free_text: set[str] = set()
    for label, junk in (("NUL", NUL), ("10000 chars", LONG), ("10000 digits", DIGITS)):
        data = {k: [junk] if isinstance(v, list) else junk for k, v in valid.items()}
        response, outcome = _post(alice_client, url, data)
        assert outcome.status in (200, 400), (label, outcome)
        assert not outcome.changed, label
        form = _bound_form(response)
        free_text = _free_text(form)
        expected = set(valid) - endpoint.booleans - (free_text if junk != NUL else set())
        assert expected - _fields_in_error(form) == set(), label

    if free_text:
        response, outcome = _post(alice_client, url, valid | dict.fromkeys(free_text, LONG))
        assert outcome.status == 302, outcome
        assert outcome.changed


def test_a_malformed_code_in_any_post_url_answers_404(world, alice_client):
    patterns = {
        p.name: p
        for p in urlpatterns
        if isinstance(p, URLPattern)
        and p.name
        and p.name not in GET_ONLY
        and "<uuid:code>" in str(p.pattern)
    }
    codes = sorted(patterns)
    assert codes
    for name in codes:
        url = reverse(f"staff:{name}", args=_args(patterns[name], world))
        for bad in ("not-a-uuid", "0" * 40, "%00"):
            mangled = url.replace(str(world.patient.code), bad)
            _, outcome = _post(alice_client, mangled, {})
            assert outcome.status == 404, (name, bad, outcome)
            assert not outcome.changed


def _args(pattern: URLPattern, world: World) -> list[object]:
    """Arguments that fit the URL's converters: the patient's code, a slug, the number 1."""
    fits = {UUIDConverter: world.patient.code, SlugConverter: "medication", IntConverter: 1}
    return [fits[type(c)] for c in pattern.pattern.converters.values()]


# The evaluation pre-filled on the course form comes from the query string.


@pytest.mark.parametrize(
    "evaluation", ["not-a-uuid", "", "0" * 40, "' OR 1=1 --", NUL, LONG, "{00000000-0000}"]
)
def test_a_malformed_evaluation_in_the_course_form_query_is_ignored(
    evaluation, world, alice_client
):
    url = reverse("staff:course-new", args=[world.patient.code])
    response = alice_client.get(url, {"evaluation": evaluation})
    assert response.status_code == 200
    assert "evaluation" not in response.context["form"].initial

    _, outcome = _post(alice_client, f"{url}?{urlencode({'evaluation': evaluation})}", {})
    assert outcome.status in (200, 400), outcome
    assert not outcome.changed


def test_another_clinics_evaluation_in_the_course_form_query_is_ignored(
    world, alice_client, charlie, olga
):
    theirs = make_evaluation(_charlie_actor(), olga, working_diagnosis="Hilltop's diagnosis")
    url = reverse("staff:course-new", args=[world.patient.code])
    response = alice_client.get(url, {"evaluation": str(theirs.code)})
    assert response.status_code == 200
    assert "evaluation" not in response.context["form"].initial
    assert "Hilltop" not in response.content.decode()


# History toggle: the pk in the URL is an integer.


@pytest.mark.parametrize(
    "path",
    [
        "history/medication/abc/toggle/",
        "history/medication/-1/toggle/",
        "history/medication/1.5/toggle/",
        "history/medication/99999999999999999999999999/toggle/",
        "history/allergy/1/toggle/",
        "history/weight/1/toggle/",
        "allergies/abc/remove/",
        "allergies/-1/remove/",
        "allergies/99999999999999999999999999/remove/",
        "allergies/424242/remove/",
    ],
)
def test_a_malformed_history_item_answers_404(path, world, alice_client):
    url = reverse("staff:patient-chart", args=[world.patient.code]) + path
    _, outcome = _post(alice_client, url, {})
    assert outcome.status == 404, outcome
    assert not outcome.changed


def test_another_patients_entries_cannot_be_changed_through_this_chart(
    world, alice_client, alice_actor, rita_actor
):
    other = patient_register(
        actor=rita_actor,
        mrn="R-0002",
        given_name="Ben",
        family_name="Cole",
        date_of_birth=dt.date(1970, 1, 1),
        sex="male",
    )
    medication = medication_add(actor=alice_actor, patient=other, name="Warfarin")
    allergy = allergy_add(actor=alice_actor, patient=other, substance="Latex", category="latex")
    for url in (
        reverse("staff:history-toggle", args=[world.patient.code, "medication", medication.pk]),
        reverse("staff:allergy-remove", args=[world.patient.code, allergy.pk]),
    ):
        _, outcome = _post(alice_client, url, {})
        assert outcome.status == 404, url
        assert not outcome.changed


def test_an_unknown_history_section_answers_404(world, alice_client):
    url = reverse("staff:history-add", args=[world.patient.code, "tattoos"])
    _, outcome = _post(alice_client, url, {"tattoos-name": "anchor"})
    assert outcome.status == 404
    assert not outcome.changed


# What the clinic sees when something is refused, as rendered in the page.


def _page(client: Client, response) -> str:
    """The page the user ends up on: the response itself, or where it redirects."""
    if response.status_code == 302:
        response = client.get(response["Location"])
    return response.content.decode()


def test_moving_a_session_before_its_course_starts_names_the_date_field(world, alice_client):
    endpoint = ENDPOINTS["session-edit"]
    data = endpoint.valid(world) | {"scheduled_at": _day_before_start(world)}
    response, outcome = _post(alice_client, endpoint.url(world), data)
    assert outcome.status == 200
    assert not outcome.changed
    start = world.session.course.start_date
    assert (
        f"Date and time: A session cannot be before its course starts ({start:%d %b %Y})."
        in response.content.decode()
    )


def test_a_volume_of_0_names_the_volume_field(world, alice_client):
    endpoint = ENDPOINTS["injection-add"]
    data = endpoint.valid(world) | {"injection-volume_ml": "0"}
    response, outcome = _post(alice_client, endpoint.url(world), data)
    assert outcome.status == 400
    assert not outcome.changed
    assert "Volume (mL): Ensure this value is greater than or equal to 0.1." in _page(
        alice_client, response
    )


def test_adding_an_injection_to_a_signed_note_is_refused_with_a_message(world, alice_client):
    url = reverse("staff:injection-add", args=[world.signed.code])
    response, outcome = _post(alice_client, url, _injection_form(world))
    assert outcome.status < 500
    assert not outcome.changed
    assert "This note is signed and locked." in _page(alice_client, response)


def test_removing_an_injection_of_a_signed_note_is_refused_with_a_message(world, alice_client):
    injection = world.signed.note.injections.first()
    url = reverse("staff:injection-remove", args=[injection.code])
    response, outcome = _post(alice_client, url, {})
    assert outcome.status == 302
    assert not outcome.changed
    assert "This note is signed and locked." in _page(alice_client, response)


def test_changing_the_note_of_a_signed_session_is_refused_with_a_message(world, alice_client):
    url = reverse("staff:note-save", args=[world.signed.code])
    response, outcome = _post(alice_client, url, _note_form(world))
    assert outcome.status < 500
    assert not outcome.changed
    assert "This note is signed and locked." in _page(alice_client, response)


def test_the_checklist_of_a_signed_session_is_refused_with_a_message(world, alice_client):
    url = reverse("staff:checklist-save", args=[world.signed.code])
    response, outcome = _post(alice_client, url, _checklist_form(world))
    assert outcome.status < 500
    assert not outcome.changed
    assert "This session&#x27;s note is signed: add an amendment instead." in _page(
        alice_client, response
    )


def test_signing_twice_says_it_was_already_signed(world, alice_client):
    url = reverse("staff:note-sign", args=[world.signed.code])
    response, outcome = _post(alice_client, url, {})
    assert outcome.status < 500
    assert not outcome.changed
    assert "This note was already signed by Dr Alice Moreno on " in _page(alice_client, response)


def test_signing_an_incomplete_note_lists_what_is_missing(world, alice_client):
    url = reverse("staff:note-sign", args=[world.session.code])
    response, outcome = _post(alice_client, url, {})
    assert outcome.status == 400
    assert not outcome.changed
    assert "The pre-procedure checklist is not complete." in response.content.decode()


def test_signing_without_a_note_says_there_is_none(world, alice_client):
    session = world.course.sessions.get(number=3)
    response, outcome = _post(alice_client, reverse("staff:note-sign", args=[session.code]), {})
    assert outcome.status == 400
    assert not outcome.changed
    assert "There is no procedure note to sign yet." in response.content.decode()


def test_an_injection_before_the_note_is_started_is_refused_with_a_message(world, alice_client):
    session = world.course.sessions.get(number=3)
    url = reverse("staff:injection-add", args=[session.code])
    response, outcome = _post(alice_client, url, _injection_form(world))
    assert outcome.status < 500
    assert not outcome.changed
    assert "Save the procedure note (antisepsis and numbing) first." in _page(
        alice_client, response
    )


def test_amending_a_draft_note_is_refused_with_a_message(world, alice_client):
    url = reverse("staff:note-amend", args=[world.session.code])
    data = {"amendment-reason": "Typo", "amendment-text": "Corrected"}
    response, outcome = _post(alice_client, url, data)
    assert outcome.status < 500
    assert not outcome.changed
    assert "Only a signed note is amended; edit the draft directly." in _page(
        alice_client, response
    )


def test_a_second_patient_with_the_same_mrn_is_refused(world, alice_client):
    endpoint = ENDPOINTS["patient-new"]
    data = endpoint.valid(world) | {"mrn": "r-0001"}
    response, outcome = _post(alice_client, endpoint.url(world), data)
    assert outcome.status == 200
    assert not outcome.changed
    assert "MRN: MRN r-0001 is already used by another patient." in response.content.decode()


def test_editing_a_patient_onto_anothers_mrn_is_refused(world, alice_client, rita_actor):
    patient_register(
        actor=rita_actor,
        mrn="R-0002",
        given_name="Ben",
        family_name="Cole",
        date_of_birth=dt.date(1970, 1, 1),
        sex="male",
    )
    endpoint = ENDPOINTS["patient-edit"]
    data = endpoint.valid(world) | {"mrn": "R-0002"}
    response, outcome = _post(alice_client, endpoint.url(world), data)
    assert outcome.status == 200
    assert not outcome.changed
    assert "MRN: MRN R-0002 is already used by another patient." in response.content.decode()


def test_the_same_mrn_in_another_clinic_is_allowed(world, charlie, olga):
    client = Client()
    client.force_login(charlie)
    data = _patient_form(world) | {"mrn": "R-0001"}
    response = client.post(reverse("staff:patient-new"), data)
    assert response.status_code == 302
    assert Patient.objects.filter(mrn="R-0001").count() == 2
