"""POST /fhir/: import a transaction or collection Bundle (docs/fhir-import.md).

A transaction answers a `transaction-response` Bundle, or, if any entry fails, an
OperationOutcome with one issue per failing entry and nothing written. A collection's entries
are independent: the answer is a `batch-response` Bundle whose failing entries carry their
OperationOutcome, while the others are imported.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from prolo.clinic.services.fhir_import import (
    BundleInvalid,
    EntryResult,
    ImportReport,
    bundle_import,
    require_import,
)
from prolo.fhir.http import (
    FhirError,
    FhirRequest,
    Issue,
    fhir_endpoint,
    fhir_json,
    invalid,
    json_body,
    operation_outcome,
)

STATUS_TEXT = {"created": "201 Created", "existing": "200 OK", "skipped": "200 OK"}


@fhir_endpoint
def bundle(request: FhirRequest) -> HttpResponse:
    if request.method != "POST":
        response = operation_outcome(405, Issue("not-supported", "POST a Bundle to /fhir/."))
        response["Allow"] = "POST"
        return response
    require_import(request.actor)  # before reading the body: a 403 says more than a 400
    parsed = json_body(request)
    try:
        report = bundle_import(actor=request.actor, bundle=parsed)
    except BundleInvalid as error:
        raise invalid(error.message, error.expression) from None
    if not report.written:
        raise FhirError(400, *_issues(report))
    return fhir_json(_response_bundle(report))


def _issues(report: ImportReport) -> list[Issue]:
    return [
        Issue("invalid", problem.message, problem.expression)
        for entry in report.failed
        for problem in entry.problems
    ]


def _response_bundle(report: ImportReport) -> dict[str, Any]:
    kind = "transaction-response" if report.bundle_type == "transaction" else "batch-response"
    return {
        "resourceType": "Bundle",
        "type": kind,
        "entry": [{"response": _entry_response(entry)} for entry in report.entries],
    }


def _entry_response(entry: EntryResult) -> dict[str, Any]:
    if entry.outcome == "failed":
        issues = [Issue("invalid", p.message, p.expression).as_fhir() for p in entry.problems]
        return {
            "status": "400 Bad Request",
            "outcome": {"resourceType": "OperationOutcome", "issue": issues},
        }
    response: dict[str, Any] = {"status": STATUS_TEXT[entry.outcome]}
    if entry.location:
        response["location"] = entry.location
    if entry.outcome == "skipped":
        note = Issue("not-supported", entry.note, severity="warning").as_fhir()
        response["outcome"] = {"resourceType": "OperationOutcome", "issue": [note]}
    return response
