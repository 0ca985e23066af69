"""Placeholder: being written (issue 6)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from prolo.fhir.http import FhirError, Issue, fhir_endpoint


@fhir_endpoint
def export_system(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise FhirError(501, Issue("not-supported", "Not yet available."))


@fhir_endpoint
def export_patients(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise FhirError(501, Issue("not-supported", "Not yet available."))


@fhir_endpoint
def export_group(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise FhirError(501, Issue("not-supported", "Not yet available."))


@fhir_endpoint
def status(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise FhirError(501, Issue("not-supported", "Not yet available."))


@fhir_endpoint
def output_file(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise FhirError(501, Issue("not-supported", "Not yet available."))


@fhir_endpoint
def everything(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise FhirError(501, Issue("not-supported", "Not yet available."))
