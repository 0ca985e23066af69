from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "prolo.fhir"
    label = "fhir"
