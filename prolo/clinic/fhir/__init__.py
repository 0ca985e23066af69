"""FHIR R4 for Prolo: pure mappings from our records to FHIR resources (resources/), and the
registry of what /fhir/ serves (registry.py). Views live in prolo/fhir/. See docs/fhir.md."""
