"""Consent: the clinic's versioned documents per course type, and patients' signatures.

A document version is a draft until published; a published version is frozen, so editing it
starts the next version as a draft. A patient signs the current published version of their
course's type (in the portal, or in clinic with staff recording it). A course's first session
cannot be signed without a consent on file (services/sessions.py::_sign_blockers).

A consent is to the version current when it was signed: publishing a newer version later
does not undo it, and the course can go ahead. docs/portal.md ("Consent") explains why.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from prolo.clinic.access import require
from prolo.clinic.consent_defaults import default_documents, required_sections
from prolo.clinic.models import (
    AuditAction,
    Clinic,
    Consent,
    ConsentDocument,
    ConsentMethod,
    Language,
    TreatmentCourse,
    TreatmentSession,
    User,
)
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.portal_access import PatientActor
from prolo.clinic.services.audit import Auditor, create_audited, update_audited
from prolo.clinic.services.fields import pick

DOCUMENT_FIELDS = ("title", "body")
BODY_MAX_LENGTH = 50_000
# Staff record an in-clinic signature: those who prepare the patient for the first session.
RECORD_PERM = Perm.COMPLETE_CHECKLIST


# --- reading ----------------------------------------------------------------------------------


def documents_for(clinic: Clinic) -> QuerySet[ConsentDocument]:
    return ConsentDocument.objects.filter(clinic=clinic).select_related("created_by")


def current_document(clinic: Clinic, course_type: str, language: str) -> ConsentDocument | None:
    """The latest published version in `language`, else in English; None if neither exists."""
    published = documents_for(clinic).filter(course_type=course_type, published_at__isnull=False)
    for lang in dict.fromkeys([language, Language.ENGLISH]):
        found = published.filter(language=lang).order_by("-version").first()
        if found is not None:
            return found
    return None


def current_documents(clinic: Clinic, language: str) -> dict[str, ConsentDocument]:
    """current_document for every course type at once (one query), by course type."""
    published = documents_for(clinic).filter(
        published_at__isnull=False, language__in=[language, Language.ENGLISH]
    )
    found: dict[str, ConsentDocument] = {}
    # English first, then the wanted language over it; within each, versions in rising order.
    for document in sorted(published, key=lambda d: (d.language == language, d.version)):
        found[document.course_type] = document
    return found


def active_consent(course: TreatmentCourse) -> Consent | None:
    """The course's latest signature that has not been withdrawn."""
    consents = Consent.objects.filter(course=course, withdrawn_at__isnull=True)
    return consents.select_related("document", "recorded_by").first()


def has_current_consent(course: TreatmentCourse) -> bool:
    """True once the patient signed the version then current, and has not withdrawn it."""
    return Consent.objects.filter(course=course, withdrawn_at__isnull=True).exists()


def consent_sign_blockers(session: TreatmentSession) -> list[str]:
    """For services/sessions.py::_sign_blockers: the first session needs a consent on file."""
    course = session.course
    if session.number != 1 or has_current_consent(course):
        return []
    patient = course.patient
    document = current_document(patient.clinic, course.course_type, patient.preferred_language)
    # Before the clinic's first consent page is opened, its defaults are not installed yet;
    # they will be version 1.
    version = document.version if document else 1
    label = course.get_course_type_display()
    label = label[0].lower() + label[1:]
    return [
        f"Consent: the patient has not consented to the current version of the {label} "
        f"consent (version {version}). Ask them to sign it in the portal or record an "
        "in-clinic signature."
    ]


def missing_sections(body: str, language: str) -> list[str]:
    """The required `## ` headings that `body` lacks (compared without case or spacing)."""
    present = {
        " ".join(line[3:].split()).casefold()
        for line in body.splitlines()
        if line.startswith("## ")
    }
    return [h for h in required_sections(language) if h.casefold() not in present]


def _folded(text: str) -> str:
    """Lower case, accents and punctuation gone, single spaces: 'José  Núñez-Pé' → 'jose nunez pe'."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.casefold().split())


def name_matches(typed: str, given_name: str, family_name: str) -> bool:
    typed_folded = _folded(typed)
    return bool(typed_folded) and typed_folded in {
        _folded(f"{given_name} {family_name}"),
        _folded(f"{family_name} {given_name}"),
    }


# --- the clinic's documents -------------------------------------------------------------------


@transaction.atomic
def consent_defaults_install(*, actor: Auditor, by: User | None = None) -> list[ConsentDocument]:
    """Publish Prolo's shipped documents as version 1 for each type and language the clinic
    has no document for yet. Idempotent; each one installed is audited.

    `by` is who the documents are attributed to (default: the actor). When a patient's visit
    to the portal triggers the install, the clinic (its course's planner) is the author, and
    the audit row still says whose visit it was.
    """
    clinic = Clinic.objects.select_for_update().get(pk=actor.clinic.pk)  # one install at a time
    have = set(documents_for(clinic).values_list("course_type", "language"))
    installed = []
    for default in default_documents():
        if (default.course_type, default.language) in have:
            continue
        document = ConsentDocument(
            clinic=clinic,
            course_type=default.course_type,
            language=default.language,
            version=1,
            title=default.title,
            body=default.body,
            published_at=timezone.now(),
            created_by=by or actor.user,
        )
        installed.append(create_audited(actor=actor, instance=document, patient=None))
    return installed


def _clean_text(values: dict[str, Any]) -> dict[str, Any]:
    changes = pick(values, DOCUMENT_FIELDS)
    if len(changes.get("body", "")) > BODY_MAX_LENGTH:
        raise ValidationError({"body": f"Keep the text under {BODY_MAX_LENGTH:,} characters."})
    return changes


def _open_draft(clinic: Clinic, course_type: str, language: str) -> ConsentDocument | None:
    drafts = documents_for(clinic).filter(
        course_type=course_type, language=language, published_at__isnull=True
    )
    return drafts.order_by("-version").first()


def _new_version(actor: Actor, course_type: str, language: str, **text: Any) -> ConsentDocument:
    same = ConsentDocument.objects.filter(
        clinic=actor.clinic, course_type=course_type, language=language
    )
    latest = same.aggregate(latest=Max("version"))["latest"] or 0
    document = ConsentDocument(
        clinic=actor.clinic,
        course_type=course_type,
        language=language,
        version=latest + 1,
        created_by=actor.user,
        **text,
    )
    return create_audited(actor=actor, instance=document, patient=None)


@transaction.atomic
def consent_document_draft(
    *, actor: Actor, course_type: str, language: str, title: str, body: str
) -> ConsentDocument:
    """Start the next version of a type's document in a language, as a draft."""
    require(actor, Perm.MANAGE_SAFETY)
    Clinic.objects.select_for_update().get(pk=actor.clinic.pk)  # versions are numbered in turn
    draft = _open_draft(actor.clinic, course_type, language)
    if draft is not None:
        raise ValidationError(
            f"Version {draft.version} of this document is already a draft: edit that one."
        )
    text = _clean_text({"title": title, "body": body})
    return _new_version(actor, course_type, language, **text)


@transaction.atomic
def consent_document_update(
    *, actor: Actor, document: ConsentDocument, title: str, body: str
) -> ConsentDocument:
    """Save the text. A published version stays as signed: the edit becomes the next draft."""
    require(actor, Perm.MANAGE_SAFETY)
    Clinic.objects.select_for_update().get(pk=actor.clinic.pk)
    document = ConsentDocument.objects.get(pk=document.pk, clinic=actor.clinic)
    text = _clean_text({"title": title, "body": body})
    if document.published_at is None:
        return update_audited(actor=actor, instance=document, patient=None, changes=text)
    draft = _open_draft(actor.clinic, document.course_type, document.language)
    if draft is not None:
        return update_audited(actor=actor, instance=draft, patient=None, changes=text)
    return _new_version(actor, document.course_type, document.language, **text)


@transaction.atomic
def consent_document_publish(*, actor: Actor, document: ConsentDocument) -> ConsentDocument:
    """Publish a draft once it has every required section; patients sign it from now on."""
    require(actor, Perm.MANAGE_SAFETY)
    Clinic.objects.select_for_update().get(pk=actor.clinic.pk)
    document = ConsentDocument.objects.get(pk=document.pk, clinic=actor.clinic)
    if document.published_at is not None:
        raise ValidationError(f"Version {document.version} is already published.")
    missing = missing_sections(document.body, document.language)
    if missing:
        names = ", ".join(f"“## {h}”" for h in missing)
        raise ValidationError(
            {"body": f"Add the missing section{'s' if len(missing) > 1 else ''} {names} first."}
        )
    changes = {"published_at": timezone.now()}
    return update_audited(actor=actor, instance=document, patient=None, changes=changes)


# --- signatures -------------------------------------------------------------------------------


def _lock_course(course: TreatmentCourse) -> TreatmentCourse:
    """Serialise signatures of one course (a double-clicked Sign makes one consent)."""
    return (
        TreatmentCourse.objects.select_for_update(of=("self",))
        .select_related("patient__clinic")
        .get(pk=course.pk)
    )


def _check_signable(course: TreatmentCourse, document: ConsentDocument) -> None:
    """Refusals shared by both ways of signing; patient-facing, so translatable."""
    if not course.is_open:
        raise ValidationError(_("This course has ended, so it needs no consent."))
    current = current_document(course.patient.clinic, course.course_type, document.language)
    if document.course_type != course.course_type or current is None or current != document:
        version = current.version if current else "?"
        raise ValidationError(
            {
                "document": _(
                    "This is not the current version of the consent. Please read the "
                    "current one (version %(version)s) and sign that."
                )
                % {"version": version}
            }
        )
    already = Consent.objects.filter(course=course, document=document, withdrawn_at__isnull=True)
    if already.exists():
        raise ValidationError(_("This version is already signed for this course."))


def _check_signature(
    course: TreatmentCourse, typed_name: str, confirmed: bool, method: str
) -> None:
    patient = course.patient
    by_patient = method == ConsentMethod.PORTAL
    errors = {}
    if not name_matches(typed_name, patient.given_name, patient.family_name):
        message = (
            _("Type your full name as the clinic has it: %(name)s.")
            if by_patient
            else _("Type the patient's full name as the clinic has it: %(name)s.")
        )
        errors["typed_name"] = message % {"name": patient.full_name}
    if confirmed is not True:
        errors["confirmed"] = (
            _("Tick the box to confirm you have read and agree.")
            if by_patient
            else _("Tick the box to confirm the patient read and signed it.")
        )
    if errors:
        raise ValidationError(errors)


def _sign(
    actor: Auditor,
    course: TreatmentCourse,
    document: ConsentDocument,
    typed_name: str,
    confirmed: bool,
    method: str,
) -> Consent:
    typed_name = pick({"typed_name": typed_name}, ["typed_name"])["typed_name"]
    course = _lock_course(course)
    _check_signable(course, document)
    _check_signature(course, typed_name, confirmed, method)
    consent = Consent(
        patient=course.patient,
        course=course,
        document=document,
        typed_name=typed_name,
        confirmed=True,
        method=method,
        signed_at=timezone.now(),
        recorded_by=actor.user,
    )
    return create_audited(
        actor=actor, instance=consent, patient=course.patient, action=AuditAction.SIGN
    )


@transaction.atomic
def consent_sign_by_patient(
    *,
    me: PatientActor,
    course: TreatmentCourse,
    document: ConsentDocument,
    typed_name: str,
    confirmed: bool,
) -> Consent:
    """The patient signs in the portal: their typed full name, the tick, and now."""
    if course.patient_id != me.patient.pk:
        raise ValidationError("Not this patient's course.")  # views fetch through portal_access
    return _sign(me, course, document, typed_name, confirmed, ConsentMethod.PORTAL)


@transaction.atomic
def consent_record_in_clinic(
    *,
    actor: Actor,
    course: TreatmentCourse,
    document: ConsentDocument,
    typed_name: str,
    confirmed: bool,
) -> Consent:
    """The patient signed in clinic; the staff member recording it is the witness."""
    require(actor, RECORD_PERM)
    if course.patient.clinic_id != actor.clinic.pk:
        raise ValidationError("Not a course of this clinic.")
    return _sign(actor, course, document, typed_name, confirmed, ConsentMethod.IN_CLINIC)


@transaction.atomic
def consent_withdraw(*, actor: Actor | PatientActor, consent: Consent) -> Consent:
    """The right to stop: the patient (or staff for them) takes the consent back."""
    if isinstance(actor, Actor):
        require(actor, RECORD_PERM)
        allowed = consent.patient.clinic_id == actor.clinic.pk
    else:
        allowed = consent.patient_id == actor.patient.pk
    if not allowed:
        raise ValidationError("Not a consent of this patient.")
    _lock_course(consent.course)
    consent = Consent.objects.select_related("patient").get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    changes = {"withdrawn_at": timezone.now()}
    return update_audited(actor=actor, instance=consent, patient=consent.patient, changes=changes)
