import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditEvent, Evaluation, ImagingStudy
from prolo.clinic.services.evaluations import evaluation_update, imaging_study_add
from prolo.testing import make_evaluation

TOMORROW = dt.timedelta(days=1)


@pytest.fixture
def evaluation(alice_actor, pat):
    return make_evaluation(alice_actor, pat)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_it_records_an_evaluation_by_the_acting_clinician(alice_actor, alice, pat):
    evaluation = make_evaluation(alice_actor, pat)

    evaluation.refresh_from_db()
    assert evaluation.clinician == alice
    assert evaluation.structure_labels() == ["Ligament", "Joint"]


def test_it_audits_the_new_evaluation(alice_actor, alice, clinic, pat):
    evaluation = make_evaluation(alice_actor, pat)

    event = AuditEvent.objects.get(object_type="evaluation")
    assert (event.actor, event.clinic, event.patient) == (alice, clinic, pat)
    assert (event.action, event.object_code) == ("create", str(evaluation.code))
    assert event.changes["eligibility"] == "eligible"
    assert event.changes["target_structures"] == ["ligament", "joint"]


def test_a_physiotherapist_can_record_an_evaluation(pete_actor, pete, pat):
    assert make_evaluation(pete_actor, pat).clinician == pete


def test_a_nurse_cannot_record_an_evaluation(nora_actor, pat):
    with pytest.raises(PermissionDenied):
        make_evaluation(nora_actor, pat)


def test_it_rejects_an_evaluation_dated_in_the_future(alice_actor, pat):
    with pytest.raises(ValidationError) as exc:
        make_evaluation(alice_actor, pat, evaluated_on=clinic_today(alice_actor.clinic) + TOMORROW)

    assert set(exc.value.message_dict) == {"evaluated_on"}
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("structures", [[], ["bone"], ["ligament", "cartilage"]])
def test_it_rejects_missing_or_unknown_structures(alice_actor, pat, structures):
    with pytest.raises(ValidationError) as exc:
        make_evaluation(alice_actor, pat, target_structures=structures)

    assert set(exc.value.message_dict) == {"target_structures"}


@pytest.mark.parametrize("pain", [11, -1])
def test_it_rejects_baseline_pain_outside_0_to_10(alice_actor, pat, pain):
    with pytest.raises(ValidationError) as exc:
        make_evaluation(alice_actor, pat, baseline_pain=pain)

    assert "baseline_pain" in exc.value.message_dict


def test_it_requires_reasons_for_an_eligibility_decision(alice_actor, pat):
    with pytest.raises(ValidationError) as exc:
        make_evaluation(alice_actor, pat, eligibility="not_eligible", eligibility_reasons="")

    # A rule across two fields: the database constraint's message names the field.
    assert exc.value.messages == [
        "Eligibility reasons: give the reasons for the eligibility decision."
    ]


def test_it_requires_alternatives_before_marking_eligible(alice_actor, pat):
    with pytest.raises(ValidationError) as exc:
        make_evaluation(alice_actor, pat, alternatives_discussed="  ")

    assert exc.value.messages[0].startswith(
        "Alternatives discussed: prolotherapy is not first-line"
    )
    assert not Evaluation.objects.exists()


def test_a_pending_evaluation_needs_no_reasons(alice_actor, pat):
    evaluation = make_evaluation(
        alice_actor, pat, eligibility="pending", eligibility_reasons="", alternatives_discussed=""
    )

    assert evaluation.eligibility == "pending"


def test_it_updates_an_evaluation_and_audits_old_and_new(alice_actor, evaluation):
    evaluation_update(actor=alice_actor, evaluation=evaluation, baseline_pain=7, laterality="left")

    evaluation.refresh_from_db()
    assert evaluation.baseline_pain == 7
    event = AuditEvent.objects.get(object_type="evaluation", action="update")
    assert event.changes == {"baseline_pain": [6, 7]}


def test_it_rejects_moving_an_evaluation_into_the_future(alice_actor, evaluation):
    with pytest.raises(ValidationError) as exc:
        evaluation_update(
            actor=alice_actor,
            evaluation=evaluation,
            evaluated_on=clinic_today(alice_actor.clinic) + TOMORROW,
        )

    assert set(exc.value.message_dict) == {"evaluated_on"}
    evaluation.refresh_from_db()
    assert evaluation.evaluated_on == clinic_today(alice_actor.clinic)


def test_it_adds_an_imaging_study_with_a_stored_file(alice_actor, evaluation, media):
    upload = SimpleUploadedFile("Pat Fields knee MRI.pdf", b"%PDF-1.4 report")

    study = imaging_study_add(
        actor=alice_actor,
        evaluation=evaluation,
        modality="mri",
        performed_on=dt.date(2024, 5, 2),
        findings=" Grade 2 MCL sprain. ",
        file=upload,
    )

    assert study.findings == "Grade 2 MCL sprain."
    assert study.original_filename == "Pat Fields knee MRI.pdf"
    assert study.file.name == f"imaging/{study.code}.pdf"  # the name never holds the patient's
    assert (media / study.file.name).read_bytes() == b"%PDF-1.4 report"
    event = AuditEvent.objects.get(object_type="imagingstudy")
    assert (event.action, event.patient) == ("create", evaluation.patient)


def test_it_rejects_an_imaging_study_in_the_future(alice_actor, evaluation):
    with pytest.raises(ValidationError) as exc:
        imaging_study_add(
            actor=alice_actor,
            evaluation=evaluation,
            modality="xray",
            performed_on=clinic_today(alice_actor.clinic) + TOMORROW,
            findings="Normal.",
        )

    assert set(exc.value.message_dict) == {"performed_on"}


def test_it_rejects_an_imaging_file_of_another_type(alice_actor, evaluation, media):
    with pytest.raises(ValidationError) as exc:
        imaging_study_add(
            actor=alice_actor,
            evaluation=evaluation,
            modality="xray",
            performed_on=dt.date(2024, 5, 2),
            findings="Normal.",
            file=SimpleUploadedFile("report.exe", b"MZ"),
        )

    assert set(exc.value.message_dict) == {"file"}
    assert not ImagingStudy.objects.exists()


def test_it_rejects_an_imaging_file_over_the_size_limit(alice_actor, evaluation, media, settings):
    settings.IMAGING_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("scan.png", b"0" * (1024 * 1024 + 1))

    with pytest.raises(ValidationError) as exc:
        imaging_study_add(
            actor=alice_actor,
            evaluation=evaluation,
            modality="xray",
            performed_on=dt.date(2024, 5, 2),
            findings="Normal.",
            file=big,
        )

    assert "1 MB" in exc.value.message_dict["file"][0]


def test_reception_cannot_add_imaging(rita_actor, evaluation):
    with pytest.raises(PermissionDenied):
        imaging_study_add(
            actor=rita_actor,
            evaluation=evaluation,
            modality="xray",
            performed_on=dt.date(2024, 5, 2),
            findings="Normal.",
        )
