"""$export against a live server: the kick-off's own thread runs the job, nobody else."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import orjson
import pytest
import requests

from prolo.clinic.models import Patient
from prolo.clinic.permissions import Actor
from prolo.clinic.services.api_tokens import api_token_create
from prolo.testing import signed_session

DEADLINE_SECONDS = 30


@pytest.fixture(autouse=True)
def _export_root(settings: Any, tmp_path: Path) -> None:
    settings.FHIR_EXPORT_ROOT = str(tmp_path / "bulk")


@pytest.mark.django_db(transaction=True)
def test_the_kickoff_thread_runs_the_job_by_itself(
    live_server: Any, alice_actor: Actor, pat: Patient
) -> None:
    signed_session(alice_actor, pat)
    _token, raw = api_token_create(actor=alice_actor, name="async test")
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {raw}"

    kickoff = session.get(
        f"{live_server.url}/fhir/Patient/$export", headers={"Prefer": "respond-async"}
    )
    assert kickoff.status_code == 202, kickoff.text
    status_url = kickoff.headers["Content-Location"]
    assert status_url.startswith(live_server.url)
    manifest = _poll(session, status_url)

    assert manifest["output"], manifest
    for entry in manifest["output"]:
        body = session.get(entry["url"])
        assert body.status_code == 200
        assert body.headers["Content-Type"] == "application/fhir+ndjson"
        lines = body.content.splitlines()
        assert len(lines) == entry["count"]
        assert all(orjson.loads(line)["resourceType"] == entry["type"] for line in lines)
    assert session.delete(status_url).status_code == 202
    session.close()


def _poll(session: requests.Session, status_url: str) -> dict[str, Any]:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        response = session.get(status_url)
        if response.status_code == 200:
            manifest: dict[str, Any] = response.json()
            return manifest
        assert response.status_code == 202, response.text
        time.sleep(0.1)
    raise AssertionError("the export did not finish")
