"""The session page's checklist findings and signing refusals, through the test client."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from prolo.clinic.models import Checklist, Injection
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.services.questionnaires import questionnaire_record
from prolo.testing import add_injection, complete_checklist, give_consent, make_course, make_note

NO_BASELINE = (
    "No baseline questionnaire yet (Pain numeric rating scale (0–10)): this course will not "
    "count in outcome reports once this session is signed."
)


@pytest.fixture
def course(alice_actor, pat):
    course = make_course(alice_actor, pat)
    give_consent(alice_actor, course)
    return course


@pytest.fixture
def session(course):
    return course.sessions.get(number=1)


def _text(response) -> str:
    """The page as a reader hears it: tags gone, spaces collapsed."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def _page(client, session):
    return client.get(reverse("staff:session-detail", args=[session.code]))


def _checklist_form(**overrides: object) -> dict[str, object]:
    return {
        "checklist-identity_confirmed": "on",
        "checklist-consent_on_file": "on",
        "checklist-nsaids_stopped_on": (timezone.localdate() - dt.timedelta(days=7)).isoformat(),
        "checklist-protein_meal": "on",
        "checklist-contraindications_rechecked": "on",
        "checklist-weight_kg": "72.5",
        "checklist-site_marked": "on",
        **overrides,
    }


def _save_checklist(client, session, **overrides):
    url = reverse("staff:checklist-save", args=[session.code])
    return client.post(url, _checklist_form(**overrides), follow=True)


def test_a_short_anti_inflammatory_hold_shows_at_the_checklist_with_its_source(
    nora, session, client_for
):
    today = timezone.localdate().isoformat()

    page = _text(
        _save_checklist(client_for(nora), session, **{"checklist-nsaids_stopped_on": today})
    )

    assert "This clinic stops anti-inflammatories 3 days before a session (clinic setting;" in page
    assert "Anti-inflammatories not stopped for the clinic's hold before the session" in page
    assert "0 days before the session" in page
    assert "the clinic stops them 3 days before (clinic setting)." in page
    assert "[R98] [R99] [R100] [R101] [R104]" in page
    assert "The checklist needs a physician's acknowledgement." in page
    assert not Checklist.objects.get(session=session).is_complete


def test_signing_with_an_unacknowledged_short_hold_says_what_to_do(
    alice_actor, nora_actor, alice, session, client_for
):
    complete_checklist(nora_actor, session, nsaids_stopped_on=timezone.localdate())
    add_injection(alice_actor, make_note(alice_actor, session))

    response = client_for(alice).post(reverse("staff:note-sign", args=[session.code]))

    assert response.status_code == 400
    page = _text(response)
    assert "The note cannot be signed yet" in page
    assert "A physician acknowledges them by saving the checklist again with the reason" in page


def test_the_first_session_shows_the_missing_baseline_with_a_link_and_a_reason_field(
    alice, course, session, client_for
):
    response = _page(client_for(alice), session)

    page = _text(response)
    assert NO_BASELINE in page
    link = (
        f"{reverse('staff:questionnaire-new', args=[course.patient.code])}?instrument=pain_nrs"
        f"&amp;course={course.code}&amp;timepoint=baseline"
    )
    assert link in response.content.decode()
    assert 'name="checklist-no_baseline_reason"' in response.content.decode()


def test_a_reason_given_at_the_checklist_is_shown_with_who_gave_it(alice, session, client_for):
    reason = "Paper form lost; the pain score is in the evaluation."

    page = _text(
        _save_checklist(client_for(alice), session, **{"checklist-no_baseline_reason": reason})
    )

    assert f"Going ahead without a baseline questionnaire: {reason} (Dr Alice Moreno," in page
    checklist = Checklist.objects.get(session=session)
    assert checklist.no_baseline_reason == reason


def test_signing_without_a_baseline_or_a_reason_is_refused_on_the_page(
    alice_actor, alice, session, client_for
):
    complete_checklist(alice_actor, session, no_baseline_reason="")
    add_injection(alice_actor, make_note(alice_actor, session))

    response = client_for(alice).post(reverse("staff:note-sign", args=[session.code]))

    assert response.status_code == 400
    assert f"{NO_BASELINE} Record the baseline questionnaire first" in _text(response)


def test_no_baseline_notice_once_the_baseline_is_recorded(
    alice_actor, alice, course, session, client_for
):
    answers = {item.id: 5 for item in INSTRUMENTS["pain_nrs"].items}
    questionnaire_record(
        actor=alice_actor,
        patient=course.patient,
        instrument="pain_nrs",
        answers=answers,
        answered_on=timezone.localdate(),
        course=course,
        timepoint="baseline",
    )

    response = _page(client_for(alice), session)

    assert "No baseline questionnaire yet" not in _text(response)
    assert 'name="checklist-no_baseline_reason"' not in response.content.decode()


def test_a_session_still_to_come_is_not_signed_and_the_page_says_why(
    alice_actor, alice, pat, client_for
):
    course = make_course(alice_actor, pat, start_date=timezone.localdate() + dt.timedelta(days=3))
    give_consent(alice_actor, course)
    session = course.sessions.get(number=1)
    complete_checklist(alice_actor, session)
    add_injection(alice_actor, make_note(alice_actor, session))

    response = client_for(alice).post(reverse("staff:note-sign", args=[session.code]))

    assert response.status_code == 400
    assert "which has not come yet: a note is signed after the procedure." in _text(response)
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_the_injection_form_refuses_a_structure_the_site_does_not_have(
    alice_actor, alice, session, client_for
):
    make_note(alice_actor, session)
    form = {
        "injection-site_code": "knee-patellar-tendon",
        "injection-side": "left",
        "injection-structure": "ligament",
        "injection-guidance": "landmark",
        "injection-needle_gauge": "27",
        "injection-needle_length_mm": "38",
        "injection-dextrose_percent": "15",
        "injection-anaesthetic": "lidocaine",
        "injection-anaesthetic_percent": "0.5",
        "injection-diluent": "saline",
        "injection-volume_ml": "1.0",
    }

    response = client_for(alice).post(reverse("staff:injection-add", args=[session.code]), form)

    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_injection-structure_error"' in content
    assert (
        "Target structure: at Knee, patellar tendon it is Tendon or Enthesis, not Ligament."
        in _text(response)
    )
    assert not Injection.objects.exists()


def _queries(client, session) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = _page(client, session)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_session_page_runs_a_constant_number_of_queries(
    alice_actor, alice, session, client_for
):
    client = client_for(alice)
    complete_checklist(alice_actor, session, no_baseline_reason="")
    note = make_note(alice_actor, session)
    add_injection(alice_actor, note)
    small = _queries(client, session)
    for site in ("knee-pes", "knee-coronary", "knee-ia", "knee-patellar-tendon"):
        add_injection(alice_actor, note, site_code=site)

    assert _queries(client, session) == small == SESSION_PAGE_QUERIES


# Pinned: 34 with one injection or five; the missing-baseline check is 2 of them.
SESSION_PAGE_QUERIES = 34
