"""POST /api/v1/instruments/{code}/score: answers in, scores out, nothing saved."""

from __future__ import annotations

import pytest

from prolo.api.tests.conftest import Api, fields_of
from prolo.clinic.models import AuditEvent, InstrumentSetting, QuestionnaireResponse
from prolo.clinic.outcomes.instruments import INSTRUMENTS

pytestmark = pytest.mark.django_db


def womac(**values: int | None) -> dict[str, int | None]:
    answers: dict[str, int | None] = {item.id: 0 for item in INSTRUMENTS["womac"].items}
    return answers | values


def test_a_nurse_scores_a_paper_womac_and_nothing_is_saved(api_for, nora):
    api = api_for(nora)
    before = AuditEvent.objects.count()
    response = api.post("/instruments/womac/score", womac(P1=4, P2=4, P3=4, P4=4, P5=None))
    assert response.status_code == 200
    body = response.json()
    assert body["instrument"] == "womac"
    assert body["rule_version"] == "womac:womac/2"
    # The missing pain item takes the pain mean (4): total 20/96.
    assert body["scores"] == {
        "total": "20.83",
        "pain": "100.00",
        "stiffness": "0.00",
        "function": "0.00",
    }
    assert (body["answered"], body["missing"], body["min_answered"]) == (23, ["P5"], {})
    assert not QuestionnaireResponse.objects.exists()
    assert AuditEvent.objects.count() == before


def test_it_uses_the_clinics_own_minimums_like_a_saved_response(api_for, alice, clinic):
    InstrumentSetting.objects.create(clinic=clinic, instrument="womac", min_answered={"pain": 3})
    answers = womac(P1=2, P2=2, P3=2, P4=None, P5=None)
    response = api_for(alice).post("/instruments/womac/score", answers)
    assert response.status_code == 200
    assert response.json()["scores"]["pain"] == "50.00"
    assert response.json()["min_answered"] == {"pain": 3}


@pytest.mark.parametrize(
    ("code", "answers", "field", "reason"),
    [
        (
            "visa_a",
            {f"Q{n}": 0 for n in range(1, 9)} | {"Q7": 5},
            "Q7",
            "VISA-A (Achilles) item Q7: 5 is not an allowed answer; give 0, 4, 7 or 10, or "
            "leave it blank.",
        ),
        ("pain_nrs", {"pain": 11}, "pain", "give a whole number from 0 to 10"),
        ("pain_nrs", {"ache": 3}, "ache", "there is no item 'ache'; its items are pain"),
        ("womac", womac(P1=None, P2=None), "pain", "Pain: 3 of 5 items answered"),
        ("pain_nrs", {"pain": "3"}, "pain", "Input should be a valid integer"),
        ("nope", {"pain": 3}, "code", "Input should be"),
    ],
)
def test_a_refusal_names_the_field_and_what_is_allowed(api_for, nora, code, answers, field, reason):
    response = api_for(nora).post(f"/instruments/{code}/score", answers)
    assert response.status_code == 422
    assert fields_of(response) == [field]
    assert reason in response.json()["errors"][0]["reason"]


def test_a_body_that_is_not_an_object_is_refused(api_for, nora):
    response = api_for(nora).post("/instruments/pain_nrs/score", [3])
    assert response.status_code == 422
    unparsable = api_for(nora).post("/instruments/pain_nrs/score", "{")
    assert unparsable.status_code == 400
    assert unparsable.json() == {"errors": [{"field": None, "reason": "Cannot parse request body"}]}


def test_reception_may_not_score(api_for, rita):
    response = api_for(rita).post("/instruments/pain_nrs/score", {"pain": 3})
    assert response.status_code == 403


def test_it_needs_a_token():
    response = Api("").post("/instruments/pain_nrs/score", {"pain": 3})
    assert response.status_code == 401
