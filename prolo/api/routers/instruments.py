"""Score a questionnaire without saving it: for integrators and researchers scoring paper
forms. The same scoring path as a saved response (services/questionnaires.py::answers_score),
under the token's clinic's missing-item minimums."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Body, Field, Router, Schema
from pydantic import StrictInt

from prolo.api.auth import actor_of
from prolo.api.errors import errors
from prolo.api.schemas import text
from prolo.clinic.access import require
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.outcomes.scoring import ScoringError
from prolo.clinic.permissions import Perm
from prolo.clinic.services.questionnaires import answers_score, clinic_instrument

router = Router(tags=["instruments"])

# The path names one of Prolo's instruments; the schema lists them for a client.
InstrumentCode = StrEnum("InstrumentCode", {code: code for code in INSTRUMENTS})  # type: ignore[misc]
# At most one answer per item: the largest instrument (KOOS) has 42.
MAX_ANSWERS = max(len(i.items) for i in INSTRUMENTS.values())

Answers = dict[Annotated[str, text(40, 1)], Annotated[StrictInt, Field(ge=-1000, le=1000)] | None]


class ScoreOut(Schema):
    instrument: str
    rule_version: str
    scores: dict[str, str]  # score key → decimal string, rounded half-up to 2 places
    answered: int
    missing: list[str]
    min_answered: dict[str, int]  # the clinic's own minimums in force ({} = the shipped ones)


@router.post(
    "/instruments/{code}/score",
    response={200: ScoreOut, **errors(400, 401, 403, 422)},
)
def instrument_score(
    request: HttpRequest,
    code: InstrumentCode,
    payload: Annotated[Answers, Body(max_length=MAX_ANSWERS)],
) -> ScoreOut:
    """Score answers ({item id: value or null}) without saving them; nothing is recorded.

    Any clinical role. An unknown item, a value that is not one of the item's answers, or
    too many items missing from a subscale is refused naming the item or subscale.
    """
    actor = actor_of(request)
    require(actor, Perm.VIEW_CLINICAL)
    view = clinic_instrument(actor.clinic, str(code.value))
    try:
        _, result = answers_score(view, payload)
    except ScoringError as exc:
        raise ValidationError({exc.field or "answers": str(exc)}) from None
    return ScoreOut(
        instrument=result.instrument,
        rule_version=result.rule_version,
        scores={key: str(value) for key, value in result.as_dict().items()},
        answered=result.answered,
        missing=list(result.missing),
        min_answered=view.min_answered,
    )
