from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from prolo.clinic.access import require
from prolo.clinic.clock import clinic_today
from prolo.clinic.models import Clinic, Evaluation, ImagingStudy, Patient, Structure
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import create_audited, update_audited
from prolo.clinic.services.fields import pick

EVALUATION_FIELDS = (
    "evaluated_on",
    "referral_source",
    "presenting_complaint",
    "pain_onset",
    "pain_duration_months",
    "baseline_pain",
    "target_region",
    "laterality",
    "target_structures",
    "examination_findings",
    "working_diagnosis",
    "eligibility",
    "eligibility_reasons",
    "alternatives_discussed",
)
IMAGING_EXTENSIONS = {"pdf", "jpg", "jpeg", "png", "dcm"}


def _check_evaluation(fields: dict[str, Any], clinic: Clinic) -> None:
    structures = fields.get("target_structures")
    if structures is not None:
        unknown = [s for s in structures if s not in Structure.values]
        if not structures or unknown:
            allowed = ", ".join(Structure.values)
            raise ValidationError(
                {"target_structures": f"Choose at least one target structure from: {allowed}."}
            )
    evaluated_on = fields.get("evaluated_on")
    if evaluated_on and evaluated_on > clinic_today(clinic):
        raise ValidationError({"evaluated_on": "An evaluation cannot be dated in the future."})


@transaction.atomic
def evaluation_record(*, actor: Actor, patient: Patient, **fields: Any) -> Evaluation:
    require(actor, Perm.RECORD_EVALUATION)
    fields = pick(fields, EVALUATION_FIELDS)
    _check_evaluation(fields, actor.clinic)
    evaluation = Evaluation(patient=patient, clinician=actor.user, **fields)
    return create_audited(actor=actor, instance=evaluation, patient=patient)


@transaction.atomic
def evaluation_update(*, actor: Actor, evaluation: Evaluation, **fields: Any) -> Evaluation:
    require(actor, Perm.RECORD_EVALUATION)
    fields = pick(fields, EVALUATION_FIELDS)
    _check_evaluation(fields, actor.clinic)
    return update_audited(
        actor=actor, instance=evaluation, patient=evaluation.patient, changes=fields
    )


def _check_upload(upload: UploadedFile | None) -> None:
    if not upload:
        return
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in IMAGING_EXTENSIONS:
        allowed = ", ".join(sorted(IMAGING_EXTENSIONS))
        raise ValidationError({"file": f"Attach a file of type {allowed}."})
    limit_mb = settings.IMAGING_MAX_UPLOAD_MB
    if (upload.size or 0) > limit_mb * 1024 * 1024:
        raise ValidationError({"file": f"The file is larger than {limit_mb} MB."})


@transaction.atomic
def imaging_study_add(
    *,
    actor: Actor,
    evaluation: Evaluation,
    modality: str,
    performed_on: dt.date,
    findings: str,
    file: UploadedFile | None = None,
) -> ImagingStudy:
    require(actor, Perm.RECORD_EVALUATION)
    if performed_on > clinic_today(actor.clinic):
        raise ValidationError({"performed_on": "An imaging study cannot be dated in the future."})
    _check_upload(file)
    study = ImagingStudy(
        evaluation=evaluation,
        modality=modality,
        performed_on=performed_on,
        findings=findings.strip(),
        original_filename=(file.name or "")[:255] if file else "",
    )
    if file:
        study.file = file
    return create_audited(actor=actor, instance=study, patient=evaluation.patient)
