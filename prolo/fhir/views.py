"""Placeholder: being written (issue 6)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from prolo.fhir.http import FhirError, Issue, fhir_endpoint


@fhir_endpoint
def metadata(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise FhirError(501, Issue("not-supported", "Not yet available."))


@fhir_endpoint
def type_endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise FhirError(501, Issue("not-supported", "Not yet available."))


@fhir_endpoint
def instance(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise FhirError(501, Issue("not-supported", "Not yet available."))
