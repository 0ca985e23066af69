"""Instruments as FHIR R4B Questionnaire JSON: export with the scoring metadata, import text.

`to_questionnaire` writes one instrument (with a clinic's imported text, if any) as a
Questionnaire: one group per subscale, one item per question, each answer option carrying the
value it scores in the `ordinalValue` extension. What a Questionnaire has no field for (the
scoring rule and its version, direction, scores with range, LOINC and MCID, recall period,
missing-item rule) travels in Prolo extensions under `EXTENSION_BASE`, so the file describes
itself. `from_questionnaire` reads such a file back and returns the item text and answer labels
a clinic imports under its own licence, after checking every item and value against the
shipped instrument: the structure and the scoring never come from the file.

Pure: no Django, no database. docs/outcomes.md, "Import and export (FHIR Questionnaire)".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire, QuestionnaireItem
from pydantic import ValidationError as PydanticValidationError

from .instruments import INSTRUMENTS, Instrument, Item, Mcid, ScoreSpec, Subscale
from .scoring import rule_version

# Prolo's canonical base: a placeholder domain (RFC 2606 reserves .example) until a clinic
# deployment publishes its own; the URLs identify, they are never fetched.
CANONICAL_BASE = "https://prolo.example/fhir"
QUESTIONNAIRE_BASE = f"{CANONICAL_BASE}/Questionnaire/"
EXTENSION_BASE = f"{CANONICAL_BASE}/StructureDefinition/"
EXT_INSTRUMENT = f"{EXTENSION_BASE}instrument"
EXT_RULE = f"{EXTENSION_BASE}scoring-rule"
EXT_DIRECTION = f"{EXTENSION_BASE}direction"
EXT_RECALL = f"{EXTENSION_BASE}recall-period"
EXT_MISSING = f"{EXTENSION_BASE}missing-item-rule"
EXT_MIN_ANSWERED = f"{EXTENSION_BASE}min-answered"
EXT_SCORE = f"{EXTENSION_BASE}score"
EXT_LICENCE = f"{EXTENSION_BASE}licence-note"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
LOINC = "http://loinc.org"

PLACEHOLDER = "[item text not shipped: import it under the clinic's licence]"
GROUP_PREFIX = "subscale-"  # group linkIds: a subscale key can equal an item id (pain NRS)
# Items with more answers than this are entered as a number (VAS 0–100, VISA-A item 8).
MAX_CHOICES = 21
MAX_TEXT = 2000  # characters of one item's text or one answer's label


class QuestionnaireError(ValueError):
    """A file that cannot be imported; the message names what is wrong and where."""


@dataclass(frozen=True)
class ImportedText:
    """The instrument a Questionnaire is for, and its text: {item id: {"text", "options"}}."""

    instrument: Instrument
    item_text: dict[str, dict[str, Any]]

    @property
    def missing(self) -> list[str]:
        """Items that still have no text (neither shipped nor in the file)."""
        return [
            item.id
            for item in self.instrument.items
            if not item.text and not self.item_text.get(item.id, {}).get("text")
        ]


# --- Export -----------------------------------------------------------------------------


def canonical_url(instrument: Instrument) -> str:
    return f"{QUESTIONNAIRE_BASE}{instrument.code}"


def importable() -> list[Instrument]:
    """The instruments whose text a clinic imports (Prolo ships no wording for them)."""
    return [i for i in INSTRUMENTS.values() if not i.has_item_text]


def to_questionnaire(
    instrument: Instrument, item_text: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The instrument as a FHIR R4B Questionnaire (JSON-ready), validated by fhir.resources."""
    item_text = item_text or {}
    data: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": instrument.code.replace("_", "-"),  # FHIR ids allow no underscore
        "url": canonical_url(instrument),
        "version": rule_version(instrument),
        "name": "".join(part.capitalize() for part in instrument.code.split("_")),
        "title": instrument.name,
        "status": "active",
        "publisher": "Prolo",
        "description": instrument.text_note or "Item text shipped with Prolo.",
        "copyright": instrument.licence,
        "extension": _instrument_extensions(instrument),
        "item": [_group(instrument, s, item_text) for s in instrument.subscales],
    }
    if instrument.loinc:
        data["code"] = [{"system": LOINC, "code": instrument.loinc}]
    return _validated(data)


def _validated(data: dict[str, Any]) -> dict[str, Any]:
    """Round-trip through fhir.resources: what we write is a valid Questionnaire."""
    parsed = Questionnaire.model_validate(data)
    return dict(parsed.model_dump(mode="json", exclude_none=True, by_alias=True))


def _string(url: str, value: str) -> dict[str, Any]:
    return {"url": url, "valueString": value}


def _instrument_extensions(instrument: Instrument) -> list[dict[str, Any]]:
    recall = [_string("text", instrument.recall), _flag(instrument.recall_unverified)]
    missing = instrument.missing
    return [
        {"url": EXT_INSTRUMENT, "valueCode": instrument.code},
        _string(EXT_RULE, rule_version(instrument)),
        {"url": EXT_DIRECTION, "valueCode": str(instrument.direction)},
        {"url": EXT_RECALL, "extension": recall},
        {
            "url": EXT_MISSING,
            "extension": [
                _string("text", missing.text),
                _string("source", missing.source),
                _flag(missing.unverified),
            ],
        },
        _string(EXT_LICENCE, instrument.licence),
        *(_score_extension(spec) for spec in instrument.scores),
    ]


def _flag(unverified: bool) -> dict[str, Any]:
    return {"url": "unverified", "valueBoolean": unverified}


def _score_extension(spec: ScoreSpec) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [
        {"url": "key", "valueCode": spec.key},
        _string("name", spec.name),
        {"url": "low", "valueDecimal": spec.low},
        {"url": "high", "valueDecimal": spec.high},
    ]
    if spec.loinc:
        parts.append({"url": "loinc", "valueCoding": {"system": LOINC, "code": spec.loinc}})
    if spec.mcid:
        parts.append({"url": "mcid", "extension": _mcid_parts(spec.mcid)})
    return {"url": EXT_SCORE, "extension": parts}


def _mcid_parts(mcid: Mcid) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = [
        {"url": "points", "valueDecimal": mcid.points},
        _string("source", mcid.source),
        _flag(mcid.unverified),
    ]
    if mcid.percent is not None:
        parts.append({"url": "percent", "valueDecimal": mcid.percent})
    return parts


def _group(instrument: Instrument, subscale: Subscale, text: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "linkId": f"{GROUP_PREFIX}{subscale.key}",
        "type": "group",
        "text": subscale.name,
        "extension": [{"url": EXT_MIN_ANSWERED, "valueInteger": subscale.min_answered}],
        "item": [_item(instrument.item(i), text.get(i) or {}) for i in subscale.item_ids],
    }


def _item(item: Item, imported: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "linkId": item.id,
        "text": item.text or imported.get("text") or PLACEHOLDER,
        "required": False,  # the missing-item rule, not the form, decides what may be blank
    }
    if len(item.options) > MAX_CHOICES:
        out["type"] = "integer"
        out["extension"] = [
            {"url": MIN_VALUE, "valueInteger": item.low},
            {"url": MAX_VALUE, "valueInteger": item.high},
        ]
        return out
    labels = imported.get("options") or {}
    out["type"] = "choice"
    out["answerOption"] = [
        _option(option.value, option.label or labels.get(str(option.value)))
        for option in item.options
    ]
    return out


def _option(value: int, label: str | None) -> dict[str, Any]:
    coding: dict[str, Any] = {"code": str(value)}
    if label:
        coding["display"] = label
    return {
        "valueCoding": coding,
        "extension": [{"url": ORDINAL_VALUE, "valueDecimal": Decimal(value)}],
    }


# --- Import -----------------------------------------------------------------------------


def from_questionnaire(data: Any) -> ImportedText:
    """The item text of a Questionnaire for one of Prolo's instruments, checked.

    Raises QuestionnaireError naming what is wrong: not JSON object, not a Questionnaire,
    invalid FHIR, an instrument Prolo does not ship, an unknown item, an answer value that
    is not one of the item's, or text Prolo cannot store.
    """
    parsed = _parse(data)
    instrument = identify(parsed)
    item_text: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for node in _leaves(parsed.item or []):
        item = _known_item(instrument, node, seen)
        entry = _entry(instrument, item, node)
        if entry["text"] or entry["options"]:
            item_text[item.id] = entry
    return ImportedText(instrument, item_text)


def _parse(data: Any) -> Questionnaire:
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "null"
        raise QuestionnaireError(f"A FHIR Questionnaire is a JSON object; this file holds {kind}.")
    resource = data.get("resourceType")
    if resource != "Questionnaire":
        found = (
            f"a FHIR {resource}" if isinstance(resource, str) and resource else "no resourceType"
        )
        raise QuestionnaireError(f"This is {found}, not a FHIR Questionnaire.")
    try:
        return Questionnaire.model_validate(data)
    except PydanticValidationError as exc:
        raise QuestionnaireError(_first_error(exc)) from None
    except (ValueError, TypeError) as exc:
        raise QuestionnaireError(f"Not a valid FHIR R4B Questionnaire: {exc}") from None


def _first_error(exc: PydanticValidationError) -> str:
    error = exc.errors()[0]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"]).lstrip(".")
    message = " ".join(str(error["msg"]).split())
    more = len(exc.errors()) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"Not a valid FHIR R4B Questionnaire: {where or 'the resource'}: {message}{tail}"


def identify(parsed: Questionnaire) -> Instrument:
    """Which shipped instrument: by Prolo's canonical URL, its extension, or a LOINC panel."""
    url = parsed.url or ""
    if url.startswith(QUESTIONNAIRE_BASE) and url[len(QUESTIONNAIRE_BASE) :] in INSTRUMENTS:
        return INSTRUMENTS[url[len(QUESTIONNAIRE_BASE) :]]
    for extension in parsed.extension or []:
        if extension.url == EXT_INSTRUMENT and extension.valueCode in INSTRUMENTS:
            return INSTRUMENTS[str(extension.valueCode)]
    for coding in parsed.code or []:
        for instrument in INSTRUMENTS.values():
            if instrument.loinc and coding.system == LOINC and coding.code == instrument.loinc:
                return instrument
    names = ", ".join(i.name for i in importable())
    raise QuestionnaireError(
        "This Questionnaire is not one of Prolo's instruments (recognised by Prolo's canonical "
        f"URL {QUESTIONNAIRE_BASE}<code> or a LOINC panel code). Prolo takes imported text "
        f"for: {names}."
    )


def _leaves(items: list[QuestionnaireItem]) -> Iterator[QuestionnaireItem]:
    """The questions, wherever they are nested: groups are structure only."""
    for node in items:
        if node.type == "group" or node.item:
            yield from _leaves(node.item or [])
        if node.type != "group":
            yield node


def _known_item(instrument: Instrument, node: QuestionnaireItem, seen: set[str]) -> Item:
    try:
        item = instrument.item(str(node.linkId))
    except KeyError:
        raise QuestionnaireError(
            f"Item {node.linkId!r}: the {instrument.name} has no such item "
            f"(its items are {instrument.items[0].id} … {instrument.items[-1].id})."
        ) from None
    if item.id in seen:
        raise QuestionnaireError(f"Item {item.id}: it appears twice in the file.")
    seen.add(item.id)
    return item


def _entry(instrument: Instrument, item: Item, node: QuestionnaireItem) -> dict[str, Any]:
    text = _clean(item, "text", node.text)
    if text in (PLACEHOLDER, item.text):
        text = ""  # our own placeholder, or the shipped wording: nothing imported
    options: dict[str, str] = {}
    for answer in node.answerOption or []:
        value, label = _answer(instrument, item, answer)
        shipped = next((o.label for o in item.options if o.value == value), None)
        if label and label != shipped:
            options[str(value)] = label
    return {"text": text, "options": options}


def _answer(instrument: Instrument, item: Item, answer: Any) -> tuple[int, str]:
    """One answer option's scored value (checked against the item's) and its label."""
    coding = answer.valueCoding
    raw: Any = coding.code if coding is not None else answer.valueInteger
    allowed = ", ".join(str(v) for v in sorted(item.values))
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = None
    if value is None or value not in item.values:
        raise QuestionnaireError(
            f"Item {item.id}: answer {raw!r} is not one of the {instrument.name}'s values for "
            f"this item ({allowed})."
        )
    for extension in answer.extension or []:
        if extension.url != ORDINAL_VALUE:
            continue
        scored = extension.valueDecimal
        if scored is None:
            scored = extension.valueInteger
        if scored != value:
            raise QuestionnaireError(
                f"Item {item.id}: answer {value} is scored {scored} in the file; Prolo scores "
                f"it {value}. Keep the answers in the published order."
            )
    label = coding.display if coding is not None else None
    return value, _clean(item, f"answer {value}", label)


def _clean(item: Item, what: str, value: str | None) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise QuestionnaireError(f"Item {item.id}: the {what} contains a NUL character.")
    if len(text) > MAX_TEXT:
        raise QuestionnaireError(
            f"Item {item.id}: the {what} is {len(text)} characters; at most {MAX_TEXT}."
        )
    return text
