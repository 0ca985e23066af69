"""FHIR Bulk Data $export: kick-off, status, manifest, files, cancel, and clinic isolation.

Jobs are run by the worker's pass (`bulk_export.run_next`, the same runner the kick-off's
thread uses); test_bulk_export_async.py shows the thread doing it by itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from prolo.clinic.fhir.registry import REGISTRY
from prolo.clinic.models import (
    AuditAction,
    AuditEvent,
    ExportJob,
    ExportStatus,
    Membership,
    Patient,
    User,
)
from prolo.clinic.permissions import Actor
from prolo.clinic.services import bulk_export
from prolo.clinic.services.api_tokens import api_token_create
from prolo.clinic.services.patients import condition_add
from prolo.clinic.worker import Worker
from prolo.testing import signed_session

SYSTEM = "/fhir/$export"
PATIENTS = "/fhir/Patient/$export"
ASYNC = {"Prefer": "respond-async"}
# Charlie's clinic's data is written with names found nowhere else, so a grep finds any leak.
HILLTOP_MARKERS = ("Hilltop", "Novak", "Brooks", "Zanzibar")

Fhir = Callable[..., Client]


@pytest.fixture(autouse=True)
def _export_root(settings: Any, tmp_path: Path) -> None:
    settings.FHIR_EXPORT_ROOT = str(tmp_path / "bulk")


@pytest.fixture
def fhir(db: None) -> Fhir:
    """`fhir(actor)`: a test client sending that actor's API token."""

    def build(actor: Actor) -> Client:
        _token, raw = api_token_create(actor=actor, name="bulk test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return build


@pytest.fixture
def riverside(alice_actor: Actor, pat: Patient) -> Patient:
    """Pat with a signed session of 3 injections and a coded condition."""
    signed_session(alice_actor, pat)
    condition_add(actor=alice_actor, patient=pat, name="Osteoarthritis of knee", onset="2019")
    return pat


@pytest.fixture
def hilltop(charlie_actor: Actor, olga: Patient) -> Patient:
    """Olga at the other clinic, with a treated course and a distinctive condition."""
    signed_session(charlie_actor, olga)
    condition_add(actor=charlie_actor, patient=olga, name="Zanzibar fever", onset="2001")
    return olga


def kickoff(client: Client, url: str, **params: str) -> str:
    response = client.get(url, params, headers=ASYNC)
    assert response.status_code == 202, response.content
    assert response.content == b""
    return str(response["Content-Location"])


def finish(client: Client, status_url: str) -> dict[str, Any]:
    """Poll (202 while waiting), let the worker run the job, poll again for the manifest."""
    waiting = client.get(status_url)
    assert waiting.status_code == 202
    assert waiting["X-Progress"]
    assert bulk_export.run_next()
    done = client.get(status_url)
    assert done.status_code == 200, done.content
    assert done["Content-Type"] == "application/json"
    manifest: dict[str, Any] = done.json()
    return manifest


def download(client: Client, manifest: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    files = {}
    for entry in manifest["output"]:
        response = client.get(entry["url"])
        assert response.status_code == 200
        assert response["Content-Type"] == "application/fhir+ndjson"
        body = response.getvalue()  # a FileResponse: joins the streamed blocks
        lines = body.splitlines()
        assert len(lines) == entry["count"]
        files[entry["type"]] = [orjson.loads(line) for line in lines]
    return files


def export(client: Client, url: str = SYSTEM, **params: str) -> dict[str, list[dict[str, Any]]]:
    return download(client, finish(client, kickoff(client, url, **params)))


def test_system_export_writes_valid_ndjson_of_every_type(
    fhir: Fhir, alice_actor: Actor, riverside: Patient
) -> None:
    client = fhir(alice_actor)
    status_url = kickoff(client, SYSTEM)
    manifest = finish(client, status_url)

    assert manifest["requiresAccessToken"] is True
    assert manifest["request"].endswith("/fhir/$export")
    assert manifest["error"] == []
    assert dt.datetime.fromisoformat(manifest["transactionTime"]).tzinfo is not None
    files = download(client, manifest)
    assert set(files) <= set(REGISTRY)
    for type_name, resources in files.items():
        model = get_fhir_model_class(type_name)
        for resource in resources[:5]:
            assert resource["resourceType"] == type_name
            model.model_validate(resource)
    if "Patient" in REGISTRY:
        assert [p["id"] for p in files["Patient"]] == [str(riverside.code)]
    for type_name in ("Procedure", "MedicationAdministration"):
        if type_name in REGISTRY:
            assert len(files[type_name]) == 3  # the session's three injections
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.COMPLETE
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_code=str(job.code)).exists()


def test_counts_match_the_clinics_rows(fhir: Fhir, alice_actor: Actor, riverside: Patient) -> None:
    manifest = finish(fhir(alice_actor), kickoff(fhir(alice_actor), SYSTEM))
    counted = {entry["type"]: entry["count"] for entry in manifest["output"]}
    expected = {}
    for rt in bulk_export.exportable_types(alice_actor, "system"):
        rows = sum(source.queryset(alice_actor).count() for source in rt.sources)
        if rows:
            expected[rt.name] = rows
    assert counted == expected


def test_another_clinics_data_never_appears_in_any_file(
    fhir: Fhir, alice_actor: Actor, riverside: Patient, hilltop: Patient, charlie: User
) -> None:
    client = fhir(alice_actor)
    for url in (SYSTEM, PATIENTS, f"/fhir/Group/{alice_actor.clinic.code}/$export"):
        files = export(client, url)
        text = orjson.dumps(files).decode()
        for marker in (*HILLTOP_MARKERS, str(hilltop.code), str(charlie.code)):
            assert marker not in text, (url, marker)
        for marker in (str(hilltop.clinic.code), "Olga"):
            assert marker not in text


def test_patient_level_has_only_patient_data(
    fhir: Fhir, alice_actor: Actor, riverside: Patient
) -> None:
    files = export(fhir(alice_actor), PATIENTS)
    patient_types = {
        rt.name for rt in REGISTRY.values() if any(s.patient_path is not None for s in rt.sources)
    }
    assert set(files) <= patient_types
    assert not {"Practitioner", "Organization", "Questionnaire"} & set(files)


def test_type_limits_the_files(fhir: Fhir, alice_actor: Actor, riverside: Patient) -> None:
    names = [rt.name for rt in bulk_export.exportable_types(alice_actor, "patient")][:2]
    if not names:
        pytest.skip("no patient resource types registered yet")
    files = export(fhir(alice_actor), PATIENTS, _type=",".join(names))
    assert set(files) <= set(names)
    assert ExportJob.objects.get().types == names


def test_since_in_the_future_leaves_only_types_without_change_times(
    fhir: Fhir, alice_actor: Actor, riverside: Patient
) -> None:
    client = fhir(alice_actor)
    everything = export(client)
    later = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    since = export(client, _since=later)
    undated = {rt.name for rt in REGISTRY.values() if any(s.since_path is None for s in rt.sources)}
    assert set(since) <= undated
    for type_name, resources in since.items():
        assert len(resources) <= len(everything[type_name])
    earlier = (timezone.now() - dt.timedelta(days=3650)).isoformat()
    assert {k: len(v) for k, v in export(client, _since=earlier).items()} == {
        k: len(v) for k, v in everything.items()
    }


def test_post_with_parameters(fhir: Fhir, alice_actor: Actor, riverside: Patient) -> None:
    client = fhir(alice_actor)
    body = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "_outputFormat", "valueString": "application/fhir+ndjson"},
            {"name": "_since", "valueInstant": "2001-01-01T00:00:00Z"},
        ],
    }
    response = client.post(
        PATIENTS, orjson.dumps(body), content_type="application/fhir+json", headers=ASYNC
    )
    assert response.status_code == 202
    job = ExportJob.objects.get()
    assert (job.level, job.since) == ("patient", dt.datetime(2001, 1, 1, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"_outputFormat": "text/csv"}, "_outputFormat"),
        ({"_type": "Spaceship"}, "_type"),
        ({"_since": "yesterday"}, "_since"),
        ({"_since": "2024-01-01T00:00:00"}, "_since"),  # an instant needs a time zone
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(
    fhir: Fhir, alice_actor: Actor, params: dict[str, str], expected: str
) -> None:
    response = fhir(alice_actor).get(SYSTEM, params, headers=ASYNC)
    assert response.status_code == 400
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert expected in outcome["issue"][0]["diagnostics"]
    assert not ExportJob.objects.exists()


def test_practitioner_is_not_a_patient_level_type(fhir: Fhir, alice_actor: Actor) -> None:
    response = fhir(alice_actor).get(PATIENTS, {"_type": "Practitioner"}, headers=ASYNC)
    assert response.status_code == 400


def test_missing_prefer_is_400(fhir: Fhir, alice_actor: Actor) -> None:
    response = fhir(alice_actor).get(SYSTEM)
    assert response.status_code == 400
    assert "respond-async" in response.json()["issue"][0]["diagnostics"]


def test_strict_handling_refuses_unsupported_parameters(fhir: Fhir, alice_actor: Actor) -> None:
    client = fhir(alice_actor)
    strict = client.get(
        SYSTEM, {"_typeFilter": "x"}, headers={"Prefer": "respond-async, handling=strict"}
    )
    assert strict.status_code == 400
    assert client.get(SYSTEM, {"_typeFilter": "x"}, headers=ASYNC).status_code == 202


def test_reception_may_not_export(fhir: Fhir, rita_actor: Actor) -> None:
    for url in (SYSTEM, PATIENTS, f"/fhir/Group/{rita_actor.clinic.code}/$export"):
        response = fhir(rita_actor).get(url, headers=ASYNC)
        assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_no_token_is_401(db: None) -> None:
    assert Client().get(SYSTEM, headers=ASYNC).status_code == 401


def test_groups(fhir: Fhir, alice_actor: Actor, riverside: Patient, hilltop: Patient) -> None:
    if "Patient" not in REGISTRY:
        pytest.skip("Patient is not registered yet")
    client = fhir(alice_actor)
    whole = export(client, f"/fhir/Group/{alice_actor.clinic.code}/$export", _type="Patient")
    dextrose = export(client, "/fhir/Group/course-dextrose/$export", _type="Patient")
    prp = export(client, "/fhir/Group/course-prp/$export", _type="Patient")
    assert [p["id"] for p in whole["Patient"]] == [str(riverside.code)]
    assert [p["id"] for p in dextrose["Patient"]] == [str(riverside.code)]
    assert prp == {}
    for unknown in ("course-mud", "nobody", str(hilltop.clinic.code)):
        response = client.get(f"/fhir/Group/{unknown}/$export", headers=ASYNC)
        assert response.status_code == 404, unknown


def test_only_the_requester_sees_the_status_and_files(
    fhir: Fhir, alice_actor: Actor, nora_actor: Actor, charlie_actor: Actor, riverside: Patient
) -> None:
    alice = fhir(alice_actor)
    status_url = kickoff(alice, SYSTEM)
    for other in (fhir(nora_actor), fhir(charlie_actor)):
        assert other.get(status_url).status_code == 404
        assert other.delete(status_url).status_code == 404
    manifest = finish(alice, status_url)
    for entry in manifest["output"]:
        assert fhir(nora_actor).get(entry["url"]).status_code == 404
        assert Client().get(entry["url"]).status_code == 401


def test_file_names_outside_the_manifest_are_404(
    fhir: Fhir, alice_actor: Actor, riverside: Patient
) -> None:
    client = fhir(alice_actor)
    status_url = kickoff(client, SYSTEM)
    code = status_url.rstrip("/").rsplit("/", 1)[1]
    finish(client, status_url)
    for name in ("..", "...ndjson", "Spaceship.ndjson", "..%2F..%2Fsettings.py", "%2Fetc%2Fpasswd"):
        assert client.get(f"/fhir/bulk-files/{code}/{name}").status_code == 404, name


def test_cancel_deletes_the_files(fhir: Fhir, alice_actor: Actor, riverside: Patient) -> None:
    client = fhir(alice_actor)
    status_url = kickoff(client, SYSTEM)
    manifest = finish(client, status_url)
    job = ExportJob.objects.get()
    assert any(bulk_export.job_dir(job).rglob("*.ndjson"))

    assert client.delete(status_url).status_code == 202
    assert not bulk_export.job_dir(job).exists()
    assert client.get(status_url).status_code == 404
    for entry in manifest["output"]:
        assert client.get(entry["url"]).status_code == 404
    assert client.delete(status_url).status_code == 404


def test_a_job_cancelled_before_it_runs_is_never_run(
    fhir: Fhir, alice_actor: Actor, riverside: Patient
) -> None:
    client = fhir(alice_actor)
    status_url = kickoff(client, SYSTEM)
    assert client.delete(status_url).status_code == 202
    assert not bulk_export.run_next()
    assert ExportJob.objects.get().status == ExportStatus.CANCELLED


def test_a_failed_job_answers_500_with_an_operation_outcome(
    fhir: Fhir, alice: User, alice_actor: Actor, riverside: Patient
) -> None:
    client = fhir(alice_actor)
    status_url = kickoff(client, SYSTEM)
    # Alice leaves the clinic before the job runs: it must not run with her old rights.
    Membership.objects.filter(user=alice).update(active=False)
    assert not bulk_export.run_next()
    Membership.objects.filter(user=alice).update(active=True)

    response = client.get(status_url)
    assert response.status_code == 500
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert "no longer works here" in outcome["issue"][0]["diagnostics"]
    assert not any(bulk_export.job_dir(ExportJob.objects.get()).rglob("*.ndjson"))


def test_one_runner_at_a_time_and_a_dead_runners_job_is_retried(
    fhir: Fhir, alice_actor: Actor, riverside: Patient
) -> None:
    client = fhir(alice_actor)
    status_url = kickoff(client, SYSTEM)
    job = ExportJob.objects.get()
    assert bulk_export.claim(job.pk) is not None  # a runner that then dies
    assert bulk_export.claim(job.pk) is None
    assert not bulk_export.run_next()  # its lease still holds
    assert client.get(status_url).status_code == 202

    later = timezone.now() + bulk_export.LEASE + dt.timedelta(seconds=1)
    assert bulk_export.next_claimable(later) == job.pk
    ExportJob.objects.filter(pk=job.pk).update(claimed_until=timezone.now() - dt.timedelta(1))
    assert bulk_export.run_next()
    assert client.get(status_url).status_code == 200


def test_a_runner_that_lost_its_lease_keeps_nothing(
    fhir: Fhir, alice_actor: Actor, riverside: Patient
) -> None:
    kickoff(fhir(alice_actor), SYSTEM)
    job = ExportJob.objects.get()
    until = bulk_export.claim(job.pk)
    assert until is not None
    ExportJob.objects.filter(pk=job.pk).update(claimed_until=until + dt.timedelta(seconds=5))
    lease = bulk_export.Lease(job.pk, until)
    with pytest.raises(bulk_export.LeaseLost):
        lease.maybe_renew(bulk_export.RENEW_EVERY_ROWS)


def test_the_worker_runs_waiting_jobs(fhir: Fhir, alice_actor: Actor, riverside: Patient) -> None:
    client = fhir(alice_actor)
    first = kickoff(client, SYSTEM)
    second = kickoff(client, PATIENTS)
    Worker(sync_every=0, exports_inline=True).run_once()
    assert client.get(first).status_code == 200
    assert client.get(second).status_code == 200

    third = kickoff(client, SYSTEM)
    call_command("reminders", "--once", "--sync-every", "0", verbosity=0)
    assert client.get(third).status_code == 200


def test_the_worker_deletes_finished_exports_after_the_keep_time(
    fhir: Fhir, alice_actor: Actor, riverside: Patient, settings: Any
) -> None:
    client = fhir(alice_actor)
    status_url = kickoff(client, SYSTEM)
    finish(client, status_url)
    job = ExportJob.objects.get()
    fresh = Worker(sync_every=0, exports_inline=True)
    fresh.run_once()
    assert client.get(status_url).status_code == 200  # within the keep time: still there

    hours = settings.FHIR_EXPORT_KEEP_HOURS
    later = Worker(
        sync_every=0,
        exports_inline=True,
        now=lambda: timezone.now() + dt.timedelta(hours=hours, minutes=1),
    )
    later.run_once()
    assert not bulk_export.job_dir(job).exists()
    assert client.get(status_url).status_code == 404
