"""What /fhir/ serves: one ResourceType per FHIR type, each made of one or more Sources.

A Source is one clinic-scoped table that yields resources of the type (Observation has two:
observations recorded through FHIR or imported, and scores derived from questionnaire
responses). Mappers (`to_fhir`) are pure: they take a row fetched by `queryset(actor)` and
return a plain dict that is valid FHIR R4 JSON. Plain dicts, not fhir.resources models, because
Bulk export maps hundreds of thousands of rows; tests validate the dicts with fhir.resources.

Search parameters are functions from (queryset, modifier, values) to a narrowed queryset, so
each type says how its parameters map to its columns; `params.py` has the shared builders
(token, date with prefixes, reference, string).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet

from prolo.clinic.permissions import Actor, Perm

Resource = dict[str, Any]

# (queryset, modifier or None, the comma-separated values of one occurrence, split) -> queryset.
# Repeated parameters (date=ge2024&date=lt2025) call the filter once per occurrence (AND);
# values within one occurrence are OR. Raise prolo.fhir.http.invalid(...) for a bad value.
Filter = Callable[[QuerySet[Any], str | None, list[str]], QuerySet[Any]]
# (parameter name, modifier or None, values of one occurrence) -> "no row can match".
RulesOut = Callable[[str, str | None, list[str]], bool]


@dataclass(frozen=True)
class SearchParam:
    name: str
    # FHIR search parameter type, for the CapabilityStatement: token, date, reference, string,
    # quantity, number, uri.
    type: str
    filter: Filter
    documentation: str = ""


@dataclass(frozen=True)
class Source:
    """One table that yields resources of a type."""

    # Every row of this source in the actor's clinic, with select_related/prefetch_related
    # so that to_fhir runs no further queries. This is the access helper for the source.
    queryset: Callable[[Actor], QuerySet[Any]]
    to_fhir: Callable[[Any], Resource]
    # Q that finds the row with this FHIR id, or None when the id cannot belong here
    # (e.g. a malformed UUID) — so a read never raises on a bad id, it answers 404.
    id_q: Callable[[str], Q | None]
    # ORM path from the row to its Patient ("patient", "course__patient"); None if the rows
    # are not patient data (Practitioner, Organization, Questionnaire).
    patient_path: str | None
    params: Mapping[str, SearchParam] = field(default_factory=dict)
    # ORM path of a datetime that changes when the row does (Bulk export _since); None if
    # the source has none (then _since includes every row).
    since_path: str | None = None
    # Stable order for paging (unique, e.g. ("id",)).
    order_by: Sequence[str] = ("id",)
    # (parameter, modifier or None, values) -> True when that occurrence matches no row of
    # this source whatever the data, decided without SQL (a score source's fixed codes).
    # The search then skips the source: no query, and none of its filters run (never when
    # the search has a modifier), so rule out only where a value these filters reject is
    # rejected alike by a source listed earlier. Optional: a shortcut, not a filter.
    rules_out: RulesOut | None = None


@dataclass(frozen=True)
class Include:
    """`_include=<Type>:<param>`: adds the resources a page's resources reference."""

    param: str
    # Where the reference sits in the mapped resource: a top-level element name
    # ("subject", "patient", "performer"); lists of references are followed too.
    element: str
    target: str  # the FHIR type referenced, e.g. "Patient"


@dataclass(frozen=True)
class ResourceType:
    name: str
    # The permission a role needs to read or search this type (403 otherwise).
    read_perm: Perm
    sources: tuple[Source, ...]
    includes: tuple[Include, ...] = ()
    # Create (POST /fhir/<Type>) where Prolo owns the data: validates the resource (value
    # sets included), writes through a service with its audit row, returns the new row.
    create: Callable[[Actor, Resource], Model] | None = None
    create_perm: Perm | None = None
    profile: str | None = None

    def param_names(self) -> set[str]:
        return {name for source in self.sources for name in source.params}


REGISTRY: dict[str, ResourceType] = {}


def register(resource_type: ResourceType) -> ResourceType:
    REGISTRY[resource_type.name] = resource_type
    return resource_type
