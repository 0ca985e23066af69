"""FHIR R4 REST: the CapabilityStatement, read, search and create (docs/fhir.md).

Everything a type does is in its registry entry (prolo/clinic/fhir/resources/); these views
only parse the request, call the search engine or the type's create, and answer FHIR JSON.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

import prolo.clinic.fhir.resources  # noqa: F401  (registers every type)
from prolo.clinic.access import require
from prolo.clinic.fhir import search
from prolo.clinic.fhir.capability import capability_statement
from prolo.clinic.fhir.registry import REGISTRY, ResourceType
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


def base_url(request: HttpRequest) -> str:
    """The absolute URL of /fhir/ as the client reached it, for fullUrl, links and Location."""
    return request.build_absolute_uri(reverse("fhir:bundle"))


def metadata(request: HttpRequest) -> HttpResponse:
    """Served without a token: clients read it before they authenticate."""
    if request.method not in ("GET", "HEAD"):
        issue = Issue("not-supported", "Only GET is supported on metadata.")
        response = operation_outcome(405, issue)
        response["Allow"] = "GET"
        return response
    return fhir_json(capability_statement(base_url(request)))


def _type(name: str) -> ResourceType:
    rtype = REGISTRY.get(name)
    if rtype is None:
        served = ", ".join(sorted(REGISTRY))
        raise FhirError(
            404, Issue("not-supported", f"Unknown resource type '{name}'. Served: {served}.")
        )
    return rtype


def _not_allowed(allowed: str, what: str) -> FhirError:
    return FhirError(405, Issue("not-supported", f"{what} Allowed: {allowed}."))


@fhir_endpoint
def type_endpoint(request: FhirRequest, resource_type: str) -> HttpResponse:
    rtype = _type(resource_type)
    if request.method == "GET":
        return _search(request, rtype, list(request.GET.lists()))
    if request.method == "POST":
        return _create(request, rtype)
    raise _not_allowed("GET, POST", f"{request.method} is not supported on {rtype.name}.")


@fhir_endpoint
def instance(request: FhirRequest, resource_type: str, resource_id: str) -> HttpResponse:
    rtype = _type(resource_type)
    if resource_id == "_search" and request.method in ("GET", "POST"):
        query = list(request.GET.lists()) + list(request.POST.lists())
        return _search(request, rtype, query)
    if request.method != "GET":
        raise _not_allowed("GET", f"{request.method} is not supported on a {rtype.name}.")
    return fhir_json(search.read(rtype, request.actor, resource_id))


def _search(
    request: FhirRequest, rtype: ResourceType, query: list[tuple[str, list[str]]]
) -> HttpResponse:
    return fhir_json(search.search(rtype, request.actor, query, base_url(request)))


def _body(request: FhirRequest) -> dict[str, Any]:
    body = json_body(request)
    # PostgreSQL cannot store NUL in text or JSON: refuse it here, where it can be named.
    if b"\\u0000" in request.body:
        raise invalid("Text cannot contain NUL characters (\\u0000).", status=422)
    if not isinstance(body, dict):
        raise invalid("The body must be a JSON object (a FHIR resource).", status=422)
    return body


def _create(request: FhirRequest, rtype: ResourceType) -> HttpResponse:
    if rtype.create is None or rtype.create_perm is None:
        raise _not_allowed(
            "GET", f"{rtype.name} cannot be created through the API: Prolo does not own it."
        )
    require(request.actor, rtype.create_perm)
    body = _body(request)
    with transaction.atomic():
        row = rtype.create(request.actor, body)
        resource = search.fetch(rtype, request.actor, str(getattr(row, "code", row.pk)))
    location = f"{base_url(request)}{rtype.name}/{resource['id']}"
    return fhir_json(resource, 201, Location=location)
