"""FHIR Bulk Data Access (v2) $export and Patient/$everything. docs/fhir-bulk.md.

Kick-off answers 202 with the status URL in Content-Location; the job runs in the background
(prolo/clinic/services/bulk_export.py). The status URL answers 202 with X-Progress while it
runs, 200 with the manifest when it is done, 500 with an OperationOutcome if it failed; DELETE
cancels it and deletes its files. Only the user who asked sees the job or its files.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

import orjson
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode

from prolo.clinic.access import get_export_job, get_patient, require
from prolo.clinic.fhir.params import EARLIEST, LATEST
from prolo.clinic.models import AuditAction, ExportJob, ExportStatus, Patient
from prolo.clinic.services import bulk_export
from prolo.clinic.services.audit import audit_log
from prolo.fhir.http import FhirError, FhirRequest, Issue, fhir_endpoint, fhir_json, invalid

NDJSON = "application/fhir+ndjson"
OUTPUT_FORMATS = {"application/fhir+ndjson", "application/ndjson", "ndjson"}
# Kick-off parameters of the IG that Prolo does not support: ignored, or refused when the
# client asks for strict handling (Prefer: handling=strict).
UNSUPPORTED = {"_elements", "_typeFilter", "patient", "includeAssociatedData", "organizeOutputBy"}
RETRY_AFTER = "2"
EVERYTHING_PAGE = 100
EVERYTHING_MAX_PAGE = 1000


# --- Kick-off ----------------------------------------------------------------------------------


@fhir_endpoint
def export_system(request: FhirRequest) -> HttpResponse:
    return _kickoff(request, "system")


@fhir_endpoint
def export_patients(request: FhirRequest) -> HttpResponse:
    return _kickoff(request, "patient")


@fhir_endpoint
def export_group(request: FhirRequest, group_id: str) -> HttpResponse:
    return _kickoff(request, "group", group_id)


def _kickoff(request: FhirRequest, level: str, group_id: str = "") -> HttpResponse:
    if request.method not in ("GET", "POST"):
        raise _method_not_allowed("GET, POST")
    require(request.actor, bulk_export.EXPORT_PERM)
    prefer = _prefer(request)
    if "respond-async" not in prefer:
        raise invalid("Send the header Prefer: respond-async: $export runs in the background.")
    params = _kickoff_params(request)
    _check_unsupported(params, strict="handling=strict" in prefer)
    fmt = _single(params, "_outputFormat") or NDJSON
    if fmt not in OUTPUT_FORMATS:
        allowed = ", ".join(sorted(OUTPUT_FORMATS))
        raise invalid(f"_outputFormat: {fmt!r} is not supported; use one of {allowed}.")
    job = bulk_export.export_kickoff(
        actor=request.actor,
        level=level,
        group_id=group_id,
        types=_types(request, level, params),
        since=_since(_single(params, "_since")),
        request_url=request.build_absolute_uri(),
    )
    status_url = request.build_absolute_uri(reverse("fhir:bulk-status", args=[job.code]))
    response = HttpResponse(status=202)
    response["Content-Location"] = status_url
    return response


def _prefer(request: HttpRequest) -> set[str]:
    return {part.strip().lower() for part in request.headers.get("Prefer", "").split(",")}


def _kickoff_params(request: HttpRequest) -> dict[str, list[str]]:
    """GET query parameters, or a POSTed Parameters resource, as name → values."""
    if request.method == "GET":
        return {name: request.GET.getlist(name) for name in request.GET}
    try:
        body = orjson.loads(request.body or b"{}")
    except orjson.JSONDecodeError:
        raise invalid("The body is not JSON: POST a FHIR Parameters resource.") from None
    if not isinstance(body, dict) or body.get("resourceType") != "Parameters":
        raise invalid("POST a FHIR Parameters resource (resourceType Parameters).")
    params: dict[str, list[str]] = {}
    for parameter in body.get("parameter") or []:
        name, value = _parameter(parameter)
        params.setdefault(name, []).append(value)
    return params


def _parameter(parameter: Any) -> tuple[str, str]:
    if not isinstance(parameter, dict) or not isinstance(parameter.get("name"), str):
        raise invalid("Parameters.parameter: each needs a name.", "Parameters.parameter")
    values = [v for k, v in parameter.items() if k.startswith("value") and isinstance(v, str)]
    if len(values) != 1:
        raise invalid(
            f"Parameters.parameter {parameter['name']!r}: give one valueString, valueInstant "
            "or valueCode.",
            "Parameters.parameter",
        )
    return parameter["name"], values[0]


def _check_unsupported(params: dict[str, list[str]], *, strict: bool) -> None:
    unsupported = sorted(set(params) & UNSUPPORTED)
    if unsupported and strict:
        raise FhirError(
            400,
            Issue("not-supported", f"{unsupported[0]} is not supported by this server."),
        )


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name) or []
    if len(values) > 1:
        raise invalid(f"{name}: give it once.", name)
    return values[0].strip() if values else None


def _types(request: FhirRequest, level: str, params: dict[str, list[str]]) -> list[str]:
    """_type as a list of type names (comma lists, repeatable); every one must be exportable
    at this level."""
    names = [n.strip() for value in params.get("_type", []) for n in value.split(",")]
    names = [n for n in names if n]
    allowed = [rt.name for rt in bulk_export.exportable_types(request.actor, level)]
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise invalid(
            f"_type: {unknown[0]!r} cannot be exported at {level} level; "
            f"use any of {', '.join(allowed)}.",
            "_type",
        )
    return list(dict.fromkeys(names))


def _since(value: str | None) -> dt.datetime | None:
    """_since is a FHIR instant: a date and time with seconds and a time zone."""
    if value is None:
        return None
    try:
        parsed = parse_datetime(value.replace(" ", "+"))  # an unescaped + arrives as a space
    except ValueError:
        parsed = None
    # Far from datetime's limits, or comparing it across time zones overflows.
    if parsed is None or parsed.tzinfo is None or not (EARLIEST <= parsed < LATEST):
        raise invalid(
            f"_since: {value!r} is not an instant; give a date and time with a time zone "
            "from the years 1000 to 8999, e.g. 2025-01-31T09:00:00Z.",
            "_since",
        )
    return parsed


def _method_not_allowed(allowed: str) -> FhirError:
    return FhirError(405, Issue("not-supported", f"Use {allowed} here."))


# --- Status, cancel, files ----------------------------------------------------------------------


@fhir_endpoint
def status(request: FhirRequest, code: Any) -> HttpResponse:
    job = get_export_job(request.actor, code)
    if request.method == "DELETE":
        if job.status == ExportStatus.CANCELLED:
            raise Http404
        bulk_export.export_cancel(job=job)
        return HttpResponse(status=202)
    if request.method != "GET":
        raise _method_not_allowed("GET, DELETE")
    return _status_response(request, job)


def _status_response(request: FhirRequest, job: ExportJob) -> HttpResponse:
    if job.status == ExportStatus.CANCELLED:
        raise Http404
    if job.status == ExportStatus.FAILED:
        raise FhirError(500, Issue("exception", f"The export failed: {job.error}"))
    if job.status != ExportStatus.COMPLETE:
        response = HttpResponse(status=202)
        response["X-Progress"] = _progress(job)
        response["Retry-After"] = RETRY_AFTER
        return response
    response = HttpResponse(orjson.dumps(_manifest(request, job)), content_type="application/json")
    return response


def _progress(job: ExportJob) -> str:
    if job.status == ExportStatus.ACCEPTED:
        return "Waiting to start"
    done = len(list(bulk_export.job_dir(job).glob("*/*.ndjson")))
    return f"Running: writing resource type {max(done, 1)}"


def _manifest(request: HttpRequest, job: ExportJob) -> dict[str, Any]:
    started = cast(dt.datetime, job.started_at)

    def url(name: str) -> str:
        return request.build_absolute_uri(reverse("fhir:bulk-file", args=[job.code, name]))

    return {
        "transactionTime": started.isoformat(),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": [
            {"type": entry["type"], "url": url(entry["name"]), "count": entry["count"]}
            for entry in job.output
        ],
        "error": [],
    }


@fhir_endpoint
def output_file(request: FhirRequest, code: Any, name: str) -> FileResponse:
    if request.method != "GET":
        raise _method_not_allowed("GET")
    job = get_export_job(request.actor, code)
    path = bulk_export.output_path(job, name) if job.status == ExportStatus.COMPLETE else None
    if path is None or not path.is_file():
        raise Http404
    # Streamed in blocks: the file is never read into memory.
    return FileResponse(path.open("rb"), content_type=NDJSON)


# --- Patient/$everything -------------------------------------------------------------------------


@fhir_endpoint
def everything(request: FhirRequest, resource_id: str) -> HttpResponse:
    if request.method != "GET":
        raise _method_not_allowed("GET")
    patient = get_patient(request.actor, _uuid_or_404(resource_id), bulk_export.EXPORT_PERM)
    bundle = everything_bundle(request, patient)
    audit_log(
        actor=request.actor,
        action=AuditAction.READ,
        obj=patient,
        patient=patient,
        changes={"operation": "$everything"},
    )
    return fhir_json(bundle)


def _uuid_or_404(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise Http404 from None


def everything_bundle(request: FhirRequest, patient: Patient) -> dict[str, Any]:
    """A searchset page: the patient, everything about them, and the practitioners and
    organization those resources reference; `_count` and `_offset` page through it."""
    count = _int_param(request, "_count", EVERYTHING_PAGE, 1, EVERYTHING_MAX_PAGE)
    offset = _int_param(request, "_offset", 0, 0, None)
    types = _types(request, "patient", {"_type": request.GET.getlist("_type")}) or None
    since = _since(request.GET.get("_since"))
    entries = bulk_export.everything_resources(request.actor, patient, types=types, since=since)
    base = request.build_absolute_uri(reverse("fhir:bundle"))
    page = entries[offset : offset + count]
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": sum(1 for mode, _ in entries if mode == "match"),
        "link": _page_links(request, offset, count, len(entries)),
        "entry": [
            {
                "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": mode},
            }
            for mode, resource in page
        ],
    }
    return bundle


def _page_links(request: HttpRequest, offset: int, count: int, size: int) -> list[dict[str, str]]:
    def link(relation: str, at: int) -> dict[str, str]:
        query = [(k, v) for k, values in request.GET.lists() for v in values if k != "_offset"]
        query = [(k, v) for k, v in query if k != "_count"] + [("_count", str(count))]
        if at:
            query.append(("_offset", str(at)))
        return {
            "relation": relation,
            "url": f"{request.build_absolute_uri(request.path)}?{urlencode(query)}",
        }

    links = [link("self", offset)]
    if offset + count < size:
        links.append(link("next", offset + count))
    if offset:
        links.append(link("previous", max(offset - count, 0)))
    return links


def _int_param(request: HttpRequest, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    top = f" to {high}" if high is not None else " or more"
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        raise invalid(f"{name}: {raw!r} is not allowed; give a whole number from {low}{top}.", name)
    return value
