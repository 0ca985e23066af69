"""FHIR resources → unsaved Prolo rows, for the bundle import (services/fhir_import.py).

Each checker reads the elements Prolo keeps and raises EntryError naming the element (relative to
the resource) and what is allowed. FHIR codes are checked against their value sets here: the
fhir.resources models do not check them, and parsing every resource with them costs more than
the whole import (docs/fhir-import.md).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import (
    Clinic,
    Condition,
    Language,
    Observation,
    ObservationSource,
    ObservationStatus,
    Patient,
    Sex,
)
from prolo.clinic.permissions import Actor

CONDITION_CLINICAL = ("active", "recurrence", "relapse", "inactive", "remission", "resolved")
CONDITION_ACTIVE = {"active", "recurrence", "relapse"}
CONDITION_VERIFICATION = (
    "unconfirmed",
    "provisional",
    "differential",
    "confirmed",
    "refuted",
    "entered-in-error",
)
OBSERVATION_VALUES = (
    "valueQuantity",
    "valueCodeableConcept",
    "valueString",
    "valueInteger",
    "valueBoolean",
)
# Every Observation.value[x] in R4: the five above are stored, the others are refused by name.
VALUE_ELEMENTS = (
    *OBSERVATION_VALUES,
    "valueRange",
    "valueRatio",
    "valueSampledData",
    "valueTime",
    "valueDateTime",
    "valuePeriod",
)
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2})?$")  # FHIR dateTime to the year or month
MRN_MAX = 32
MRN_RE = re.compile(r"^[A-Za-z0-9-]+$")
UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
OLDEST_PLAUSIBLE_AGE_YEARS = 130
# The stored precision (Observation.value_quantity is decimal(20, 6)).
QUANTITY_STEP = Decimal("0.000001")
QUANTITY_LIMIT = Decimal(10) ** 14
# Enum .values builds a new list on every call; these are read once per entry.
SEXES = tuple(Sex.values)
OBSERVATION_STATUSES = tuple(ObservationStatus.values)


class EntryError(Exception):
    """One problem with one entry; `element` is relative to the entry's resource."""

    def __init__(self, element: str, message: str) -> None:
        super().__init__(message)
        self.element = element
        self.message = message


@dataclass
class Checked:
    """An entry that passed: the new row's field values (plain dicts, not model instances:
    building tens of thousands of instances costs more than inserting them) and, for
    clinical rows, the subject's reference."""

    model: type[Patient | Condition | Observation]
    fields: dict[str, Any]
    subject: str = ""
    mrn_generated: bool = False

    @property
    def code(self) -> uuid.UUID:
        code: uuid.UUID = self.fields["code"]
        return code


# ---------------------------------------------------------------------------------------------
# Element helpers: each raises EntryError naming the element and what is allowed.


def _text(resource: dict[str, Any], name: str, max_length: int, *, required: bool = False) -> str:
    value = resource.get(name)
    if value is None or value == "":
        if required:
            raise EntryError(name, f"{name} is required.")
        return ""
    if not isinstance(value, str):
        raise EntryError(name, f"{name} must be a string.")
    return _fits(name, value.strip(), max_length)


def _fits(element: str, value: str, max_length: int) -> str:
    if "\x00" in value:
        raise EntryError(element, f"{element} contains a NUL character.")
    if len(value) > max_length:
        raise EntryError(element, f"{element} is longer than {max_length} characters.")
    return value


def _code_in(resource: dict[str, Any], name: str, allowed: Sequence[str]) -> str:
    value = resource.get(name)
    if value not in allowed:
        raise EntryError(name, f"{name} {value!r} is not one of: {', '.join(allowed)}.")
    return str(value)


def _coding(resource: dict[str, Any], name: str) -> dict[str, Any]:
    """The first coding of a CodeableConcept element ({} when there is none)."""
    concept = resource.get(name)
    if concept is None:
        return {}
    if not isinstance(concept, dict):
        raise EntryError(name, f"{name} must be a CodeableConcept.")
    codings = concept.get("coding") or [{}]
    if not isinstance(codings, list) or not isinstance(codings[0], dict):
        raise EntryError(f"{name}.coding", f"{name}.coding must be a list of Codings.")
    return codings[0]


def _status_code(resource: dict[str, Any], name: str, allowed: Sequence[str]) -> str:
    """A status CodeableConcept's code (Condition.clinicalStatus …), checked against its set."""
    code = _coding(resource, name).get("code")
    if code is None:
        return ""
    if code not in allowed:
        raise EntryError(
            f"{name}.coding[0].code",
            f"{name} {code!r} is not one of: {', '.join(allowed)}.",
        )
    return str(code)


def _instant(resource: dict[str, Any], name: str) -> dt.datetime | None:
    value = resource.get(name)
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or "T" not in value or moment.tzinfo is None:
        raise EntryError(
            name,
            f"{name} {value!r} is not a date and time with a time zone "
            "(e.g. 2020-01-31T09:30:00+01:00).",
        )
    return moment


def _day(resource: dict[str, Any], name: str) -> dt.date | None:
    value = resource.get(name)
    if value is None:
        return None
    try:
        if isinstance(value, str) and len(value) == 10:
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise EntryError(name, f"{name} {value!r} is not a full date (YYYY-MM-DD).")


# ---------------------------------------------------------------------------------------------
# Patient


def check_patient(actor: Actor, resource: dict[str, Any]) -> Checked:
    given, family = _name(resource)
    born = _day(resource, "birthDate")
    if born is None:
        raise EntryError("birthDate", "birthDate is required: Prolo needs a date of birth.")
    _check_born(born, actor.clinic)
    sex = _code_in(resource, "gender", SEXES) if "gender" in resource else Sex.UNKNOWN.value
    email, phone = _telecom(resource)
    code = uuid.uuid4()
    patient = dict(
        code=code,
        clinic_id=actor.clinic.pk,
        given_name=given,
        family_name=family,
        date_of_birth=born,
        sex=sex,
        email=email,
        phone=phone,
        address=_address(resource),
        preferred_language=_language(resource),
    )
    mrn = _mrn(resource)
    # Without an MR identifier the patient gets one from its new code, unique in practice;
    # _check_mrns still checks it.
    patient["mrn"] = mrn or f"IMP-{code.hex[:12].upper()}"
    return Checked(model=Patient, fields=patient, mrn_generated=not mrn)


def _name(resource: dict[str, Any]) -> tuple[str, str]:
    names = [n for n in resource.get("name") or [] if isinstance(n, dict)]
    chosen = next((n for u in ("official", "usual") for n in names if n.get("use") == u), None)
    chosen = chosen or (names[0] if names else {})
    given = " ".join(g for g in chosen.get("given") or [] if isinstance(g, str)).strip()
    family = chosen.get("family") if isinstance(chosen.get("family"), str) else ""
    if not given or not family:
        raise EntryError("name", "name needs a family name and at least one given name.")
    return _fits("name.given", given, 100), _fits("name.family", family.strip(), 100)


def _check_born(born: dt.date, clinic: Clinic) -> None:
    today = clinic_today(clinic)
    if born > today:
        raise EntryError("birthDate", "birthDate cannot be in the future.")
    if today.year - born.year > OLDEST_PLAUSIBLE_AGE_YEARS:
        raise EntryError(
            "birthDate", f"birthDate is more than {OLDEST_PLAUSIBLE_AGE_YEARS} years ago."
        )


def _telecom(resource: dict[str, Any]) -> tuple[str, str]:
    email = phone = ""
    for i, point in enumerate(resource.get("telecom") or []):
        if not isinstance(point, dict) or not isinstance(point.get("value"), str):
            continue
        value = point["value"].strip()
        if point.get("system") == "email" and not email:
            email = _email(f"telecom[{i}].value", value)
        elif point.get("system") == "phone" and not phone:
            phone = _fits(f"telecom[{i}].value", value, 40)
    return email, phone


def _email(element: str, value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise EntryError(element, f"{element} {value!r} is not an email address.") from None
    return _fits(element, value, 254)


def _address(resource: dict[str, Any]) -> str:
    addresses = [a for a in resource.get("address") or [] if isinstance(a, dict)]
    home = next((a for a in addresses if a.get("use") == "home"), None)
    address = home or (addresses[0] if addresses else None)
    if address is None:
        return ""
    if isinstance(address.get("text"), str) and address["text"].strip():
        return _fits("address.text", address["text"].strip(), 1000)
    lines = [x for x in address.get("line") or [] if isinstance(x, str)]
    place = " ".join(
        str(address[k]) for k in ("city", "state", "postalCode") if isinstance(address.get(k), str)
    )
    country = address.get("country") if isinstance(address.get("country"), str) else ""
    return _fits("address", "\n".join(x for x in [*lines, place, country] if x), 1000)


def _language(resource: dict[str, Any]) -> str:
    """communication.language (BCP 47): English and Spanish are Prolo's; others are 'other'."""
    talks = [c for c in resource.get("communication") or [] if isinstance(c, dict)]
    if not talks:
        return Language.ENGLISH
    chosen = next((c for c in talks if c.get("preferred") is True), talks[0])
    code = str(_coding(chosen, "language").get("code") or "").lower()
    if not code:
        return Language.ENGLISH
    primary = code.split("-")[0]
    return primary if primary in (Language.ENGLISH, Language.SPANISH) else Language.OTHER


def _mrn(resource: dict[str, Any]) -> str:
    """The identifier typed MR (v2-0203), as Prolo's MRN rules allow: a UUID-shaped one (as
    Synthea's) loses its hyphens to fit 32 characters; anything else that does not fit fails."""
    for i, ident in enumerate(resource.get("identifier") or []):
        if not isinstance(ident, dict):
            continue
        kind = ident.get("type")
        codings = kind.get("coding") if isinstance(kind, dict) else None
        codes = {c.get("code") for c in codings or [] if isinstance(c, dict)}
        if "MR" not in codes or not isinstance(ident.get("value"), str):
            continue
        value = ident["value"].strip()
        if UUID_RE.match(value):
            value = value.replace("-", "")
        if not MRN_RE.match(value) or len(value) > MRN_MAX:
            raise EntryError(
                f"identifier[{i}].value",
                f"The MR identifier {value!r} is not a Prolo MRN: up to {MRN_MAX} letters, "
                "digits and hyphens.",
            )
        return value
    return ""


# ---------------------------------------------------------------------------------------------
# Condition and Observation


def _coded(resource: dict[str, Any], name: str) -> tuple[str, str, str]:
    """(system, code, display) of the first coding of `name`, which must have system and code."""
    coding = _coding(resource, name)
    system, code = coding.get("system"), coding.get("code")
    if not isinstance(system, str) or not isinstance(code, str) or not system or not code:
        raise EntryError(name, f"{name} needs a coding with a system and a code.")
    text = resource[name].get("text")
    display = coding.get("display") if isinstance(coding.get("display"), str) else ""
    display = display or (text if isinstance(text, str) else "")
    path = f"{name}.coding[0]"
    return (
        _fits(f"{path}.system", system, 200),
        _fits(f"{path}.code", code, 64),
        display.strip(),
    )


def check_condition(actor: Actor, resource: dict[str, Any]) -> Checked:
    system, code, display = _coded(resource, "code")
    clinical = _status_code(resource, "clinicalStatus", CONDITION_CLINICAL)
    verification = _status_code(resource, "verificationStatus", CONDITION_VERIFICATION)
    onset_text, onset_date = _onset(resource)
    abatement = _date_part(resource, "abatementDateTime")
    active = clinical in CONDITION_ACTIVE if clinical else abatement is None
    notes = f"Verification status: {verification}." if verification not in ("", "confirmed") else ""
    condition = dict(
        code=uuid.uuid4(),
        name=_fits("code", display or code, 200),
        onset=onset_text,
        active=active and verification not in ("refuted", "entered-in-error"),
        notes=notes,
        system=system,
        concept=code,
        onset_date=onset_date,
        abatement_date=abatement,
    )
    return Checked(model=Condition, fields=condition, subject=_subject_ref(resource))


def _onset(resource: dict[str, Any]) -> tuple[str, dt.date | None]:
    if isinstance(resource.get("onsetString"), str):
        return _fits("onsetString", resource["onsetString"].strip(), 60), None
    day = _date_part(resource, "onsetDateTime")
    if day is not None:
        return day.isoformat(), day
    value = resource.get("onsetDateTime")
    return (str(value), None) if value else ("", None)


def _date_part(resource: dict[str, Any], name: str) -> dt.date | None:
    """The calendar date of a FHIR dateTime as written (its own offset); None for a partial
    date such as '2019' (kept as onset text by the caller)."""
    value = resource.get(name)
    if value is None or (isinstance(value, str) and PARTIAL_DATE.match(value)):
        return None
    try:
        if isinstance(value, str):
            return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    raise EntryError(name, f"{name} {value!r} is not a FHIR dateTime (e.g. 2019-05-01).")


def check_observation(actor: Actor, resource: dict[str, Any]) -> Checked:
    system, code, display = _coded(resource, "code")
    observation = dict(
        code=uuid.uuid4(),
        status=_code_in(resource, "status", OBSERVATION_STATUSES),
        category=_category(resource),
        system=system,
        concept=code,
        display=_fits("code.coding[0].display", display, 300),
        effective_at=_effective(resource),
        issued_at=_instant(resource, "issued"),
        components=_components(resource),
        source=ObservationSource.IMPORT.value,
        created_by_id=actor.user.pk,
    )
    _set_value(observation, resource)
    return Checked(model=Observation, fields=observation, subject=_subject_ref(resource))


def _category(resource: dict[str, Any]) -> str:
    categories = resource.get("category") or []
    if not isinstance(categories, list) or not categories:
        return ""
    code = _coding({"category": categories[0]}, "category").get("code")
    return _fits("category[0].coding[0].code", code, 40) if isinstance(code, str) else ""


def _effective(resource: dict[str, Any]) -> dt.datetime | None:
    if "effectivePeriod" in resource:
        period = resource["effectivePeriod"]
        start = period.get("start") if isinstance(period, dict) else None
        if start is None:
            raise EntryError("effectivePeriod.start", "effectivePeriod needs a start.")
        return _instant({"effectivePeriod.start": start}, "effectivePeriod.start")
    if "effectiveInstant" in resource:
        return _instant(resource, "effectiveInstant")
    if "effectiveTiming" in resource:
        raise EntryError(
            "effectiveTiming", "effectiveTiming is not supported: use effectiveDateTime."
        )
    return _instant(resource, "effectiveDateTime")


def _components(resource: dict[str, Any]) -> list[Any]:
    components = resource.get("component") or []
    if not isinstance(components, list) or not all(isinstance(c, dict) for c in components):
        raise EntryError("component", "component must be a list of objects.")
    return _json_kept("component", components)


def _json_kept(element: str, value: Any) -> Any:
    """An element stored as given (JSON): PostgreSQL refuses NUL characters in jsonb."""
    if b"\\u0000" in orjson.dumps(value):
        raise EntryError(element, f"{element} contains a NUL character.")
    return value


def _set_value(observation: dict[str, Any], resource: dict[str, Any]) -> None:
    given = [k for k in VALUE_ELEMENTS if k in resource]
    if not given:
        return
    name = given[0]
    value = resource[name]
    if name == "valueQuantity":
        _set_quantity(observation, value)
    elif name == "valueCodeableConcept" and isinstance(value, dict):
        observation["value_concept"] = _json_kept(name, value)
    elif name == "valueString" and isinstance(value, str):
        observation["value_text"] = _fits(name, value, 10_000)
    elif name == "valueInteger" and isinstance(value, int) and not isinstance(value, bool):
        observation["value_text"] = str(value)
    elif name == "valueBoolean" and isinstance(value, bool):
        observation["value_text"] = "true" if value else "false"
    elif name in OBSERVATION_VALUES:
        raise EntryError(name, f"{name} has the wrong JSON type.")
    else:
        raise EntryError(
            name, f"{name} is not supported: Prolo stores {', '.join(OBSERVATION_VALUES)}."
        )


def _set_quantity(observation: dict[str, Any], quantity: Any) -> None:
    value = quantity.get("value") if isinstance(quantity, dict) else None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise EntryError("valueQuantity.value", "valueQuantity.value must be a number.")
    try:
        # repr() of the parsed float is the shortest text giving it back: the number as sent.
        number = Decimal(repr(value)).quantize(QUANTITY_STEP)
    except InvalidOperation:
        number = QUANTITY_LIMIT
    if abs(number) >= QUANTITY_LIMIT:
        raise EntryError("valueQuantity.value", "valueQuantity.value is too large to store.")
    observation["value_quantity"] = number
    observation["value_unit"] = _text(quantity, "unit", 60)
    observation["value_ucum"] = _text(quantity, "code", 60)


def _subject_ref(resource: dict[str, Any]) -> str:
    subject = resource.get("subject")
    reference = subject.get("reference") if isinstance(subject, dict) else None
    if not isinstance(reference, str) or not reference:
        raise EntryError("subject", "subject.reference is required: which patient is this for?")
    return reference


CHECKERS: dict[str, Callable[[Actor, dict[str, Any]], Checked]] = {
    "Patient": check_patient,
    "Condition": check_condition,
    "Observation": check_observation,
}
