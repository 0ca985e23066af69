"""The FHIR edge: bearer-token sign-in, FHIR JSON responses and OperationOutcome errors.

Every view under /fhir/ is wrapped in `fhir_endpoint`, so anything a view raises reaches the
client as an OperationOutcome with the right status, never as an HTML page.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import orjson
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from prolo.clinic.clock import clinic_zone
from prolo.clinic.permissions import Actor
from prolo.clinic.services.api_tokens import api_token_authenticate

FHIR_JSON = "application/fhir+json"
JSON_TYPES = (FHIR_JSON, "application/json")
log = logging.getLogger(__name__)


class FhirRequest(HttpRequest):
    actor: Actor


@dataclass(frozen=True)
class Issue:
    """One OperationOutcome.issue. `code` is from the FHIR issue-type value set
    (invalid, required, value, not-found, forbidden, security, login, not-supported,
    processing, duplicate, too-costly, exception)."""

    code: str
    diagnostics: str
    expression: str | None = None
    severity: str = "error"

    def as_fhir(self) -> dict[str, Any]:
        issue: dict[str, Any] = {
            "severity": self.severity,
            "code": self.code,
            "diagnostics": self.diagnostics,
        }
        if self.expression:
            issue["expression"] = [self.expression]
        return issue


class FhirError(Exception):
    """Raise anywhere under a FHIR view to answer with an OperationOutcome."""

    def __init__(self, status: int, *issues: Issue) -> None:
        super().__init__("; ".join(i.diagnostics for i in issues))
        self.status = status
        self.issues = issues


def invalid(diagnostics: str, expression: str | None = None, status: int = 400) -> FhirError:
    """The usual error for bad input: names the element and what is allowed."""
    return FhirError(status, Issue("invalid", diagnostics, expression))


def fhir_json(resource: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(orjson.dumps(resource), status=status, content_type=FHIR_JSON)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def json_body(request: HttpRequest) -> Any:
    """The request's JSON body: 415 for another Content-Type, 413 past the upload limit,
    400 if it does not parse."""
    content_type = request.content_type or ""
    if content_type not in JSON_TYPES:
        raise FhirError(
            415,
            Issue(
                "not-supported",
                f"Content-Type '{content_type}' is not supported: send application/fhir+json.",
            ),
        )
    try:
        body = request.body
    except RequestDataTooBig:
        raise FhirError(
            413,
            Issue(
                "too-costly",
                "The body is larger than this server accepts over HTTP; import large bundles "
                "with `manage.py fhir_import` instead.",
            ),
        ) from None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise invalid(f"The body is not JSON: {error}.") from None


def operation_outcome(status: int, *issues: Issue) -> HttpResponse:
    body = {"resourceType": "OperationOutcome", "issue": [i.as_fhir() for i in issues]}
    return fhir_json(body, status)


def _bearer(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def fhir_endpoint(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Authenticate with an API token (Authorization: Bearer …) and turn errors into
    OperationOutcomes: 401 no or bad token, 403 role, 404 missing or another clinic's."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        actor = api_token_authenticate(_bearer(request))
        if actor is None:
            response = operation_outcome(
                401, Issue("login", "Send a valid API token: Authorization: Bearer <token>.")
            )
            response["WWW-Authenticate"] = 'Bearer realm="prolo-fhir"'
            return response
        req = cast(FhirRequest, request)
        req.actor = actor
        # Dates without a zone are read as the clinic's (ActiveClinicMiddleware resets it).
        timezone.activate(clinic_zone(actor.clinic))
        try:
            return view(req, *args, **kwargs)
        except FhirError as error:
            return operation_outcome(error.status, *error.issues)
        except Http404:
            return operation_outcome(404, Issue("not-found", "No such resource in this clinic."))
        except PermissionDenied as error:
            return operation_outcome(403, Issue("forbidden", str(error) or "Not allowed."))
        except Exception:
            # The module promises "never an HTML page": log the traceback, answer FHIR.
            log.exception("FHIR %s %s failed", request.method, request.path)
            return operation_outcome(500, Issue("exception", "Internal error; it has been logged."))

    return wrapper
