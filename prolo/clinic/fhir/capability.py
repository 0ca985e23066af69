"""The CapabilityStatement, generated from the registry so it cannot drift from what runs."""

from __future__ import annotations

from typing import Any

from prolo.clinic.fhir.registry import REGISTRY, ResourceType
from prolo.clinic.fhir.search import CONTROL, type_params

FHIR_VERSION = "4.0.1"
RELEASE_DATE = "2026-11-21"
BULK = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition"
OPERATIONS: dict[str, list[dict[str, str]]] = {
    "Patient": [
        {
            "name": "everything",
            "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
        },
        {"name": "export", "definition": f"{BULK}/patient-export"},
    ],
    "Group": [{"name": "export", "definition": f"{BULK}/group-export"}],
}
CONTROL_DOC = {
    "_id": ("token", "The resource id."),
    "_count": ("number", "Page size: default 50, at most 500."),
    "_offset": ("number", "Where the page starts (follow the Bundle's next link)."),
}


def _search_params(rtype: ResourceType) -> list[dict[str, Any]]:
    params = [
        {"name": name, "type": kind, "documentation": doc}
        for name, (kind, doc) in CONTROL_DOC.items()
    ]
    for name, param in sorted(type_params(rtype).items()):
        entry = {"name": name, "type": param.type}
        if param.documentation:
            entry["documentation"] = param.documentation
        params.append(entry)
    return params


def _resource(rtype: ResourceType) -> dict[str, Any]:
    interactions = [{"code": "read"}, {"code": "search-type"}]
    if rtype.create is not None:
        interactions.append({"code": "create"})
    entry: dict[str, Any] = {
        "type": rtype.name,
        "interaction": interactions,
        "searchParam": _search_params(rtype),
    }
    if rtype.profile:
        entry["profile"] = rtype.profile
    if rtype.includes:
        entry["searchInclude"] = [f"{rtype.name}:{inc.param}" for inc in rtype.includes]
    if rtype.name in OPERATIONS:
        entry["operation"] = OPERATIONS[rtype.name]
    return entry


def capability_statement(base_url: str) -> dict[str, Any]:
    resources = [_resource(REGISTRY[name]) for name in sorted(REGISTRY)]
    if "Group" not in REGISTRY:
        resources.append({"type": "Group", "operation": OPERATIONS["Group"]})
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": RELEASE_DATE,
        "publisher": "Prolo",
        "kind": "instance",
        "software": {"name": "Prolo"},
        "implementation": {"description": "Prolo FHIR API", "url": base_url},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Search parameters not listed are refused with 400; "
                f"{', '.join(sorted(CONTROL))} are accepted on every type.",
                "security": {
                    "cors": False,
                    "description": "Send a Prolo API token: Authorization: Bearer <token>. "
                    "Each token acts in one clinic with its user's role there.",
                },
                "resource": resources,
                "interaction": [{"code": "transaction"}, {"code": "batch"}],
                "operation": [{"name": "export", "definition": f"{BULK}/export"}],
            }
        ],
    }
